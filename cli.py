"""Full Circle on the command line: set up, seed, import, analyse, report.

Every command opens the workspace through ``open_workspace`` (which migrates the schema), so
the CLI, the sync worker and the dashboard always agree on the data.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from analysis.metrics import DIMENSIONS
from analyze_stream import analyze_stream
from connectors.base import ConnectorError
from connectors.files import FORMATS, ImportFormatError, import_batches
from engagement.alerts import AlertChannels, run_alerts
from pipeline.reports import workspace_report
from pipeline.sources import configured_sources, estimated_cost
from pipeline.sync import sync_source
from pipeline.workspace import (
    DEMO_SEED,
    POOL_THRESHOLD_BYTES,
    RealDataError,
    Workspace,
    open_workspace,
    use_model,
)
from settings import ConfigError, load_settings
from store.accounts import add_account, list_accounts
from store.db import StoreError
from store.labels import training_rows
from store.privacy import PersonNotFound, apply_retention, erase_person, export_person
from store.report_frames import Period
from store.sync_state import recent_errors

app = typer.Typer(help="Full Circle: listen, answer, and close the loop with candidates.",
                  no_args_is_help=True, add_completion=False)
brand_app = typer.Typer(help="The brand's own accounts (a post by one of them is a brand post).",
                        no_args_is_help=True)
app.add_typer(brand_app, name="brand")
labels_app = typer.Typer(help="The team's corrections to the needs-response decision, as "
                              "training rows, and retraining on them.", no_args_is_help=True)
app.add_typer(labels_app, name="labels")
err = Console(stderr=True, soft_wrap=True)
PLATFORMS = ("x", "reddit", "email", "youtube")


@contextmanager
def _workspace() -> Iterator[Workspace]:
    """Open the workspace, turning configuration problems into one clear line and exit 2."""
    try:
        yield open_workspace(load_settings())
    except (ConfigError, StoreError, RealDataError) as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=err, transient=False)


@app.command()
def init() -> None:
    """Migrate the database; seed the demo workspace when it is empty and nothing is configured."""
    with _workspace() as ws:
        total, _ = ws.counts()
        configured = ws.settings.connectors_configured()
        if total == 0 and not configured:
            _seed(ws, ws.settings.demo_posts, DEMO_SEED, reset=False)
        elif total == 0:
            err.print(f"Connectors configured ({', '.join(configured)}): run `cli.py sync`.")
        else:
            err.print(f"Workspace ready: {total} posts.")


def _seed(ws: Workspace, posts: int, seed: int, reset: bool) -> None:
    with _progress() as progress:
        task = progress.add_task("Generating demo workspace", total=posts)
        totals = ws.seed_demo(posts, seed, reset=reset,
                              on_batch=lambda r: progress.advance(task, r.read))
    err.print(f"Demo workspace: {totals.new_posts} new posts, {totals.cases_opened} cases "
              f"opened, {totals.cases_answered} answered, {totals.problems} problems.")


@app.command()
def demo(posts: int = typer.Option(3000, "--posts", min=1, max=5_000_000,
                                   help="How many posts to generate (scales to 1,000,000)."),
         seed: int = typer.Option(DEMO_SEED, help="Seed: the same seed gives the same posts."),
         reset: bool = typer.Option(False, "--reset",
                                    help="Erase the workspace first (needed over real data).")
         ) -> None:
    """Fill the workspace with a fictional employer's conversations (90 days up to today)."""
    with _workspace() as ws:
        _seed(ws, posts, seed, reset)


@brand_app.command("add")
def brand_add(platform: str = typer.Argument(..., help="x, reddit, email or youtube."),
              handles: list[str] = typer.Argument(..., help="Handles, addresses or channel ids."),
              user_id: str = typer.Option(None, "--user-id",
                                          help="The platform's numeric user id (one handle)."),
              ) -> None:
    """Register brand accounts; their stored and future posts count as brand posts."""
    if platform not in PLATFORMS:
        err.print(f"[red]error:[/red] unknown platform {platform!r}; use one of "
                  f"{', '.join(PLATFORMS)}")
        raise typer.Exit(2)
    with _workspace() as ws, ws.engine.begin() as conn:
        for handle in handles:
            add_account(conn, platform, handle, user_id if len(handles) == 1 else None)
    err.print(f"Added {len(handles)} {platform} brand account(s).")


@brand_app.command("list")
def brand_list() -> None:
    """Show the brand accounts."""
    with _workspace() as ws, ws.engine.connect() as conn:
        for account in list_accounts(conn):
            typer.echo(f"{account['platform']}\t{account['handle']}\t"
                       f"{account['external_user_id'] or ''}")


@app.command("import")
def import_file(path: Path = typer.Argument(..., help="The export file to import."),
                file_format: str = typer.Option(..., "--format",
                                                help=f"One of: {', '.join(FORMATS)}."),
                ) -> None:
    """Import an export file; importing the same file again adds nothing."""
    with _workspace() as ws:
        try:
            with _progress() as progress:
                task = progress.add_task(f"Importing {path.name}", total=None)
                batches = import_batches(path, file_format)
                large = path.is_file() and path.stat().st_size >= POOL_THRESHOLD_BYTES
                totals = ws.ingest(ws.settings.workers if large else 1).run(
                    batches, lambda r: progress.advance(task, r.read))
        except ImportFormatError as exc:
            err.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(2) from None
        _print_problems(ws, totals.problems)
    err.print(f"Imported {totals.new_posts} new posts ({totals.duplicates} already stored), "
              f"{totals.cases_opened} cases opened, {totals.problems} problems.")


def _print_problems(ws: Workspace, count: int) -> None:
    if not count:
        return
    with ws.engine.connect() as conn:
        for problem in reversed(recent_errors(conn, limit=min(count, 20))):
            err.print(f"[yellow]skipped:[/yellow] {problem['reason']}", highlight=False)


def _interval(text: str | None) -> float | None:
    """'10m', '1h', '30s' -> seconds."""
    if text is None:
        return None
    units = {"s": 1, "m": 60, "h": 3600}
    number, unit = text[:-1], text[-1:]
    if unit not in units or not number.isdigit() or int(number) == 0:
        raise typer.BadParameter("use a whole number with s, m or h, e.g. 10m",
                                 param_hint="--every")
    return int(number) * units[unit]


@app.command()
def sync(source: str = typer.Option(None, "--source",
                                    help="Only this connector (x, reddit, youtube) or source."),
         every: str = typer.Option(None, "--every",
                                   help="Keep syncing at this interval, e.g. 10m (Ctrl-C stops)."),
         ) -> None:
    """Read what is new on every configured source; the cursor makes each post read once."""
    interval = _interval(every)
    with _workspace() as ws:
        while True:
            failed = _sync_round(ws, source)
            if interval is None:
                raise typer.Exit(1 if failed else 0)
            time.sleep(interval)


def _sync_round(ws: Workspace, only: str | None) -> bool:
    """One pass over the sources; returns whether any of them failed."""
    try:
        sources = configured_sources(ws, only)
    except ConnectorError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    if not sources:
        err.print("No source to sync: set X_BEARER_TOKEN, REDDIT_CLIENT_ID and "
                  "REDDIT_CLIENT_SECRET, or YOUTUBE_API_KEY and YOUTUBE_CHANNEL_IDS (see README, "
                  "Configuration), or use `cli.py import`.")
        raise typer.Exit(2)
    failed = False
    for one in sources:
        with err.status(f"Syncing {one.name}"):
            result = sync_source(ws, one)
        cost = estimated_cost(one.name, result.totals.read, ws.settings)
        note = result.skipped or result.error or "ok"
        failed = failed or bool(result.error)
        err.print(f"{one.name}: {result.totals.read} read, {result.totals.new_posts} new, "
                  f"{result.totals.problems} problems, est. ${cost:.2f} — {note}",
                  highlight=False)
    return failed


@app.command()
def analyze() -> None:
    """Read JSONL posts on stdin, write their analysis as JSONL on stdout (streaming)."""
    try:
        use_model(load_settings())
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(2) from None
    failures = analyze_stream(sys.stdin.buffer, sys.stdout, sys.stderr)
    raise typer.Exit(1 if failures else 0)


@app.command()
def report(as_json: bool = typer.Option(True, "--json/--table",
                                        help="JSON (default) or a readable table."),
           since: datetime = typer.Option(None, formats=["%Y-%m-%d"],
                                          help="First day included (UTC)."),
           until: datetime = typer.Option(None, formats=["%Y-%m-%d"],
                                          help="First day no longer included (UTC)."),
           by: str = typer.Option(None, help=f"Group by one of: {', '.join(DIMENSIONS)}."),
           ) -> None:
    """Response rates and times; without --since/--until it covers every post."""
    if by is not None and by not in DIMENSIONS:
        err.print(f"[red]error:[/red] --by must be one of {', '.join(DIMENSIONS)}")
        raise typer.Exit(2)
    period = Period(_utc(since), _utc(until))
    with _workspace() as ws, ws.engine.connect() as conn:
        result = workspace_report(conn, period, by)
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        for key, value in result["overall"].items():
            typer.echo(f"{key:32} {value}")


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value else None


@app.command()
def alerts(digest: bool = typer.Option(False, "--digest",
                                       help="Send every new alert in one message.")) -> None:
    """Alert about SLAs and promises about to run out and negative spikes (once each)."""
    with _workspace() as ws:
        channels = AlertChannels(ws.settings)
        if not channels.configured:
            err.print("No alert channel: set ALERT_EMAIL (with SMTP_HOST) or ALERT_WEBHOOK_URL.")
            raise typer.Exit(2)
        run = run_alerts(ws, digest=digest, channels=channels)
    for alert, reason in run.failed:
        err.print(f"[red]not sent:[/red] {alert.text} ({reason})", highlight=False)
    err.print(f"{len(run.sent)} alert(s) sent, {len(run.failed)} failed.")
    raise typer.Exit(1 if run.failed else 0)


@app.command()
def erase(yes: bool = typer.Option(False, "--yes", help="Confirm erasing the whole workspace."),
          person: str = typer.Option(None, "--person",
                                     help="Erase only this person (handle or e-mail address)."),
          actor: str = typer.Option("cli", help="Who asked, for the audit log."),
          ) -> None:
    """Erase one person's data on every channel, or (with --yes) the whole workspace."""
    with _workspace() as ws:
        if person:
            try:
                with ws.engine.begin() as conn:
                    removed = erase_person(conn, person, actor)
            except PersonNotFound as exc:
                err.print(f"[red]error:[/red] {exc}", highlight=False)
                raise typer.Exit(2) from None
            err.print("Erased: " + ", ".join(f"{v} {k}" for k, v in removed.items()))
            return
        if not yes:
            err.print("[red]error:[/red] erase deletes the whole workspace; add --yes to "
                      "confirm, or name one --person")
            raise typer.Exit(2)
        ws.reset()
    err.print("Workspace erased.")


@app.command()
def export(person: str = typer.Option(..., "--person", help="Handle or e-mail address."),
           output: Path = typer.Option(None, "--output", help="Write to this file, not stdout."),
           ) -> None:
    """Everything held about one person, as JSON (a subject access request)."""
    with _workspace() as ws, ws.engine.connect() as conn:
        try:
            data = export_person(conn, person)
        except PersonNotFound as exc:
            err.print(f"[red]error:[/red] {exc}", highlight=False)
            raise typer.Exit(2) from None
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(f"Wrote {len(data['posts'])} posts and {len(data['cases'])} cases to {output}")
    else:
        typer.echo(text)


@app.command()
def retention() -> None:
    """Drop raw payloads and closed cases older than FULLCIRCLE_RETENTION_DAYS."""
    with _workspace() as ws:
        days = ws.settings.get("FULLCIRCLE_RETENTION_DAYS").strip()
        if not days.isdigit() or int(days) == 0:
            err.print("FULLCIRCLE_RETENTION_DAYS is not set to a number of days: nothing to do.")
            raise typer.Exit(2)
        with ws.engine.begin() as conn:
            removed = apply_retention(conn, int(days))
    err.print(f"Removed {removed['raw_payloads']} raw payloads and {removed['closed_cases']} "
              "closed cases.")


@labels_app.command("export")
def labels_export(
    output: Path | None = typer.Option(None, help="Write the JSONL here instead of stdout."),
    answered: bool = typer.Option(True, help="Also export posts the brand answered although "
                                             "the text rules did not flag them."),
) -> None:
    """Export the team's corrections ("no answer needed", "add to the backlog") as JSONL
    training rows in the corpus's format."""
    with _workspace() as ws, ws.engine.connect() as conn:
        rows = training_rows(conn, answered=answered)
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
    err.print(f"Exported {len(rows)} training row(s).")


@labels_app.command("train")
def labels_train(
    output: Path = typer.Option(Path("data/text_model.json"),
                                help="Where to write the retrained model."),
) -> None:
    """Retrain the text model on the shipped corpus plus this workspace's corrections; use it
    by setting FULLCIRCLE_MODEL to the file it writes."""
    import corpus
    from corpus.train import build

    with _workspace() as ws, ws.engine.connect() as conn:
        corrections = training_rows(conn)
    table, report = build([*corpus.rows("train"), *corrections])
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(table, separators=(",", ":"), sort_keys=True) + "\n",
                      encoding="utf-8")
    chosen = report["needs"]["chosen"]
    scores = report["needs"]["candidates"][
        f"{'words+rules' if chosen['with_rules'] else 'words'} C={chosen['C']}"]
    err.print(f"Trained on {report['rows']} rows ({len(corrections)} from this workspace); "
              f"cross-validated needs-response F1 {scores['f1']:.3f}. Wrote {output}: set "
              f"FULLCIRCLE_MODEL={output} and restart the dashboard and workers to use it.")


if __name__ == "__main__":
    sys.exit(app())
