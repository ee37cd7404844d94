"""Setting a workspace up: migrate, seed the demo, register the brand's accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from commands.common import ProgressBar, app, brand_app, err, fail, workspace
from connectors.base import PLATFORMS
from demo import DEMO_SEED

if TYPE_CHECKING:
    from pipeline.workspace import Workspace


@app.command()
def init() -> None:
    """Migrate the database; seed the demo workspace when it is empty and nothing is configured."""
    with workspace() as ws:
        total, _ = ws.counts()
        configured = ws.settings.connectors_configured()
        if total == 0 and not configured:
            _seed(ws, ws.settings.demo_posts, DEMO_SEED, reset=False)
        elif total == 0:
            err.print(f"Connectors configured ({', '.join(configured)}): run `cli.py sync`.")
        else:
            err.print(f"Workspace ready: {total} posts.")


def _seed(ws: Workspace, posts: int, seed: int, reset: bool) -> None:
    with ProgressBar("Generating demo workspace", total=posts) as bar:
        totals = ws.seed_demo(
            posts, seed, reset=reset, on_start=bar.start, on_batch=lambda r: bar.advance(r.read)
        )
    err.print(
        f"Demo workspace: {totals.new_posts} new posts, {totals.cases_opened} cases "
        f"opened, {totals.cases_answered} answered, {totals.problems} problems."
    )


@app.command()
def demo(
    posts: int = typer.Option(
        3000,
        "--posts",
        min=1,
        max=5_000_000,
        help="How many posts to generate (scales to 1,000,000).",
    ),
    seed: int = typer.Option(DEMO_SEED, help="Seed: the same seed gives the same posts."),
    reset: bool = typer.Option(
        False, "--reset", help="Erase the workspace first (needed over real data)."
    ),
) -> None:
    """Fill the workspace with a fictional employer's conversations (90 days up to today)."""
    with workspace() as ws:
        _seed(ws, posts, seed, reset)


@brand_app.command("add")
def brand_add(
    platform: str = typer.Argument(
        ...,
        help=f"One of {', '.join(PLATFORMS)} (reviews: the employer's name on the review "
        "sites; hn: a user name).",
    ),
    handles: list[str] = typer.Argument(
        ..., help="Handles, addresses or channel ids (Mastodon: @user@instance)."
    ),
    user_id: str = typer.Option(
        None, "--user-id", help="The platform's numeric user id (one handle)."
    ),
) -> None:
    """Register brand accounts; their stored and future posts count as brand posts."""
    from store.accounts import add_account

    if platform not in PLATFORMS:
        fail(f"unknown platform {platform!r}; use one of {', '.join(PLATFORMS)}")
    bare = [h for h in handles if platform == "mastodon" and "@" not in h.strip().lstrip("@")]
    if bare:
        fail(f"{bare[0]!r}: give a Mastodon account with its server, as @user@instance")
    with workspace() as ws, ws.engine.begin() as conn:
        for handle in handles:
            add_account(conn, platform, handle, user_id if len(handles) == 1 else None)
    err.print(f"Added {len(handles)} {platform} brand account(s).")


@brand_app.command("list")
def brand_list() -> None:
    """Show the brand accounts."""
    from store.accounts import list_accounts

    with workspace() as ws, ws.engine.connect() as conn:
        for account in list_accounts(conn):
            typer.echo(
                f"{account['platform']}\t{account['handle']}\t{account['external_user_id'] or ''}"
            )
