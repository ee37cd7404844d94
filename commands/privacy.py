"""Personal data: erase a person or everything, export a person, apply the retention period."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from commands.common import app, err, fail, workspace


@app.command()
def erase(
    yes: bool = typer.Option(False, "--yes", help="Confirm erasing the whole workspace."),
    person: str = typer.Option(
        None, "--person", help="Erase only this person (handle or e-mail address)."
    ),
    vacuum: bool = typer.Option(
        False,
        "--vacuum",
        help="Also rebuild the database (SQLite VACUUM, PostgreSQL VACUUM FULL) so no free "
        "space keeps erased rows; alone, only that.",
    ),
    actor: str = typer.Option("cli", help="Who asked, for the audit log."),
) -> None:
    """Erase one person's data on every channel, or (with --yes) the whole workspace; then
    clear the copies the database keeps of deleted rows."""
    from store.privacy import PersonNotFound, erase_person
    from store.remnants import clear_remnants

    with workspace() as ws:
        if person:
            try:
                with ws.engine.begin() as conn:
                    removed = erase_person(conn, person, actor)
            except PersonNotFound as exc:
                fail(exc)
            counts = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in removed.items())
            err.print(f"Erased: {counts}")
        elif yes:
            ws.reset()
            err.print("Workspace erased.")
        elif not vacuum:
            fail("erase deletes the whole workspace; add --yes to confirm, or name one --person")
        left = clear_remnants(ws.engine, vacuum=vacuum)
    err.print(left.message, markup=False, highlight=False)
    if left.blocked:
        raise typer.Exit(1)


@app.command()
def export(
    person: str = typer.Option(..., "--person", help="Handle or e-mail address."),
    output: Path = typer.Option(None, "--output", help="Write to this file, not stdout."),
) -> None:
    """Everything held about one person, as JSON (a subject access request)."""
    from store.privacy import PersonNotFound, export_person

    with workspace() as ws, ws.engine.connect() as conn:
        try:
            data = export_person(conn, person)
        except PersonNotFound as exc:
            fail(exc)
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if output:
        output.write_text(text, encoding="utf-8")
        err.print(f"Wrote {len(data['posts'])} posts and {len(data['cases'])} cases to {output}")
    else:
        typer.echo(text)


@app.command()
def retention() -> None:
    """Drop raw payloads and closed cases older than FULLCIRCLE_RETENTION_DAYS."""
    from store.privacy import apply_retention

    with workspace() as ws:
        days = ws.settings.get("FULLCIRCLE_RETENTION_DAYS").strip()
        if not days.isdigit() or int(days) == 0:
            fail("FULLCIRCLE_RETENTION_DAYS is not set to a number of days: nothing to do.")
        with ws.engine.begin() as conn:
            removed = apply_retention(conn, int(days))
    err.print(
        f"Removed {removed['raw_payloads']} raw payloads and {removed['closed_cases']} "
        "closed cases."
    )
