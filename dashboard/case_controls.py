"""The assign, snooze and close controls the Backlog's bulk edit and a Conversation share.

One piece of code, so that what a button confirms is what happens on both pages: a snooze to a
day that is not a working day says when the case really wakes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from dashboard import display, session
from pipeline.workspace import Workspace
from store import case_actions, queries


def assign(
    where: Any,
    ws: Workspace,
    ids: Sequence[int],
    team: list[str],
    current: str | None,
    key: str,
    choice_key: str | None = None,
) -> None:
    """Assign to a team member or to nobody; an unassigned case offers "unassigned", never
    silently the first team member. ``choice_key`` keys the choice per case, so opening
    another case shows its own assignee."""
    options = [*team, queries.UNASSIGNED]
    owner = current or queries.UNASSIGNED
    index = options.index(owner) if owner in options else len(options) - 1
    who = where.selectbox("Assign to", options, index=index, key=choice_key or f"{key}_assignee")
    if where.button("Assign", key=f"{key}_assign", disabled=not ids):
        person = None if who == queries.UNASSIGNED else who
        cases = f"{len(ids)} case(s)" if len(ids) > 1 else "the case"
        session.run_action(
            ws,
            f"Assigned {cases} to {who}",
            lambda conn, actor: case_actions.assign(conn, list(ids), person, actor),
        )


def snooze(where: Any, ws: Workspace, ids: Sequence[int], now: datetime, key: str) -> None:
    """Snooze until the start of a working day; the confirmation names the real wake time."""
    day = where.date_input(
        "Snooze until",
        now.date() + timedelta(days=1),
        min_value=now.date() + timedelta(days=1),
        key=f"{key}_until",
    )
    if where.button("Snooze", key=f"{key}_snooze", disabled=not ids):
        until = case_actions.wake_time(day, ws.policy.calendar)
        shifted = "" if until.date() == day else f" ({day:%a %d %b} is not a working day)"
        cases = f" {len(ids)} case(s)" if len(ids) > 1 else ""
        session.run_action(
            ws,
            f"Snoozed{cases} until {display.when(until)}{shifted}",
            lambda conn, actor: case_actions.snooze(conn, list(ids), until, actor),
        )


def close(where: Any, ws: Workspace, ids: Sequence[int], key: str, label: str = "Close") -> None:
    """Close with one of the reasons the audit trail and the report know."""
    reason = where.selectbox("Close because", case_actions.CLOSE_REASONS, key=f"{key}_reason")
    if where.button(label, key=f"{key}_close", disabled=not ids):
        done = f"Closed {len(ids)} case(s)" if len(ids) > 1 else "Case closed"
        session.run_action(
            ws, done, lambda conn, actor: case_actions.close(conn, list(ids), reason, actor)
        )
