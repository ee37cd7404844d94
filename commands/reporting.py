"""Reading the results: the response-rate report and the alerts."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import typer

from analysis.dimensions import DIMENSIONS
from commands.common import app, err, fail, shown, workspace


@app.command()
def report(
    as_json: bool = typer.Option(
        True, "--json/--table", help="JSON (default) or a readable table."
    ),
    since: datetime = typer.Option(None, formats=["%Y-%m-%d"], help="First day included (UTC)."),
    until: datetime = typer.Option(
        None, formats=["%Y-%m-%d"], help="First day no longer included (UTC)."
    ),
    by: str = typer.Option(None, help=f"Group by one of: {', '.join(DIMENSIONS)}."),
    platform: list[str] = typer.Option(
        None,
        "--platform",
        help="Only this channel (repeat for several), as the sidebar's Channels.",
    ),
    assignee: str = typer.Option(
        None, help='Only cases assigned to this person ("(unassigned)" for nobody).'
    ),
) -> None:
    """Response rates and times; without --since/--until it covers every post."""
    from connectors.base import PLATFORMS
    from pipeline.reports import workspace_report
    from store.report_frames import Period

    if by is not None and by not in DIMENSIONS:
        fail(f"--by must be one of {', '.join(DIMENSIONS)}")
    unknown = sorted(set(platform or ()) - set(PLATFORMS))
    if unknown:
        fail(f"--platform {unknown[0]!r} is not one of {', '.join(PLATFORMS)}")
    period = Period(_utc(since), _utc(until), tuple(sorted(set(platform or ()))), assignee)
    with workspace() as ws, ws.engine.connect() as conn:
        result = workspace_report(conn, period, by)
    typer.echo(json.dumps(result, indent=2) if as_json else report_table(result))


def report_table(result: dict) -> str:
    """The report as text: a row per figure, a column for all posts and one per group of
    ``--by``, so a breakdown reads side by side with its total (the JSON has the same
    numbers). Hours become two rows (median, p90); a figure with nothing to measure is "–"."""
    columns = {"all": result["overall"]} | {
        str(group["key"]): group for group in result.get("groups", [])
    }
    rows: dict[str, list[str]] = {}
    for name, value in result["overall"].items():
        parts = [f" {part}" for part in value] if isinstance(value, dict) else [""]
        for part in parts:
            rows[name + part] = [_cell(figures[name], part.strip()) for figures in columns.values()]
    lines = [["metric", *columns], *([name, *cells] for name, cells in rows.items())]
    widths = [max(len(line[i]) for line in lines) for i in range(len(columns) + 1)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _cell(value: object, part: str) -> str:
    if part and isinstance(value, dict):
        value = value.get(part)
    return "–" if value is None else str(value)


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value else None


@app.command()
def alerts(
    digest: bool = typer.Option(False, "--digest", help="Send every new alert in one message."),
) -> None:
    """Alert about SLAs and promises about to run out and negative spikes (once each)."""
    from engagement.alerts import AlertChannels, run_alerts

    with workspace() as ws:
        channels = AlertChannels(ws.settings)
        if not channels.configured:
            fail("no alert channel: set ALERT_EMAIL (with SMTP_HOST) or ALERT_WEBHOOK_URL.")
        run = run_alerts(ws, digest=digest, channels=channels)
    for alert, reason in run.failed:
        err.print(f"[red]not sent:[/red] {shown(alert.text)} ({shown(reason)})", highlight=False)
    err.print(f"{len(run.sent)} alert(s) sent, {len(run.failed)} failed.")
    raise typer.Exit(1 if run.failed else 0)
