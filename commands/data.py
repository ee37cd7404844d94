"""Getting posts in: import an export file, sync the live sources."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from commands.common import ProgressBar, app, err, fail, shown, workspace
from connectors.files import FORMATS

if TYPE_CHECKING:
    from pipeline.workspace import Workspace


@app.command("import")
def import_file(
    path: Path = typer.Argument(..., help="The export file to import."),
    file_format: str = typer.Option(..., "--format", help=f"One of: {', '.join(FORMATS)}."),
) -> None:
    """Import an export file; importing the same file again adds nothing. Exits 1 when the
    file gave no post and only problems; exits 2, writing nothing, when it is not the format."""
    from connectors.base import ImportFormatError
    from connectors.files import import_batches
    from pipeline.workspace import BYTES_PER_POST, POOL_THRESHOLD_BYTES

    with workspace() as ws:
        try:
            with ProgressBar(f"Importing {shown(path.name)}") as bar:
                batches = bar.watch(import_batches(path, file_format))
                size = path.stat().st_size if path.is_file() else 0
                large = size >= POOL_THRESHOLD_BYTES
                with ws.bulk_import(size // BYTES_PER_POST if large else 0):
                    totals = ws.ingest(ws.settings.workers if large else 1).run(
                        batches, lambda r: bar.advance(r.read)
                    )
        except ImportFormatError as exc:
            fail(exc)
        _print_problems(ws, totals.problems)
    err.print(
        f"Imported {totals.new_posts} new posts ({totals.duplicates} already stored), "
        f"{totals.cases_opened} cases opened, {totals.problems} problems."
    )
    if totals.read == 0 and totals.problems:
        fail(
            f"nothing imported from {path.name}: all {totals.problems} item(s) were problems "
            "(listed above); is it the right file and --format?",
            code=1,
        )


def _print_problems(ws: Workspace, count: int) -> None:
    from store.sync_state import recent_errors

    if not count:
        return
    with ws.engine.connect() as conn:
        for problem in reversed(recent_errors(conn, limit=min(count, 20))):
            err.print(f"[yellow]problem:[/yellow] {shown(problem['reason'])}", highlight=False)


def interval_seconds(text: str | None) -> float | None:
    """'10m', '1h', '30s' -> seconds."""
    if text is None:
        return None
    units = {"s": 1, "m": 60, "h": 3600}
    number, unit = text[:-1], text[-1:]
    if unit not in units or not number.isdigit() or int(number) == 0:
        raise typer.BadParameter(
            "use a whole number with s, m or h, e.g. 10m", param_hint="--every"
        )
    return int(number) * units[unit]


@app.command()
def sync(
    source: str = typer.Option(
        None, "--source", help="Only this connector (x, reddit, youtube) or source."
    ),
    every: str = typer.Option(
        None, "--every", help="Keep syncing at this interval, e.g. 10m (Ctrl-C stops)."
    ),
) -> None:
    """Read what is new on every configured source; the cursor makes each post read once."""
    interval = interval_seconds(every)
    with workspace() as ws:
        while True:
            failed = _sync_round(ws, source)
            if interval is None:
                raise typer.Exit(1 if failed else 0)
            time.sleep(interval)


def _sync_round(ws: Workspace, only: str | None) -> bool:
    """One pass over the sources; returns whether any of them failed."""
    from connectors.base import ConnectorError
    from pipeline.sources import configured_sources, estimated_cost
    from pipeline.sync import sync_source

    try:
        sources = configured_sources(ws, only)
        if not sources:
            fail(_no_source(ws, only))
    except ConnectorError as exc:
        fail(exc)
    failed = False
    for one in sources:
        with err.status(f"Syncing {shown(one.name)}"):
            result = sync_source(ws, one)
        cost = estimated_cost(one.name, result.totals.read, ws.settings)
        note = result.skipped or result.error or "ok"
        failed = failed or bool(result.error)
        err.print(
            f"{shown(one.name)}: {result.totals.read} read, {result.totals.new_posts} new, "
            f"{result.totals.problems} problems, est. ${cost:.2f} — {shown(note)}",
            highlight=False,
        )
    return failed


def _no_source(ws: Workspace, only: str | None) -> str:
    """Why nothing would be synced, and what to set or type instead."""
    from pipeline.sources import configured_sources
    from settings import CONNECTOR_REQUIREMENTS

    configured = ws.settings.connectors_configured()
    connector = (only or "").split(":")[0]
    if connector in CONNECTOR_REQUIREMENTS and connector not in configured:
        missing = ", ".join(ws.settings.missing_for(connector))
        return f"{connector} is not configured: set {missing} (see README, Configuration)"
    if only and configured:
        names = [
            s.name for s in configured_sources(ws, connector if connector in configured else None)
        ]
        return (
            f"no configured source is named {only!r}; use a connector ({', '.join(configured)}) "
            f"or a source ({', '.join(names)})"
        )
    needs = "; ".join(f"{c}: {', '.join(r)}" for c, r in CONNECTOR_REQUIREMENTS.items())
    return (
        f"no source to sync: configure a connector ({needs}; see README, Configuration), "
        "or use `cli.py import`."
    )
