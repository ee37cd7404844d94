"""Per-source sync bookkeeping: cursor, usage, errors and the lease that keeps workers apart."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, case, insert, or_, select, update

from store.schema import sync_errors, sync_state
from store.upsert import insert_ignoring_duplicates

QUOTA_ZONE = ZoneInfo("America/Los_Angeles")
MAX_ITEM_ID = 255  # sync_errors.item_id
MAX_REASON = 2000


def _ensure_row(conn: Connection, source: str) -> None:
    insert_ignoring_duplicates(
        conn,
        sync_state,
        [
            {
                "source": source,
                "items_read": 0,
                "users_read": 0,
                "units_used": 0,
                "units_today": 0,
            }
        ],
        ("source",),
    )


def get_state(conn: Connection, source: str) -> dict[str, Any] | None:
    row = conn.execute(select(sync_state).where(sync_state.c.source == source)).first()
    return dict(row._mapping) if row else None


def all_states(conn: Connection) -> list[dict[str, Any]]:
    rows = conn.execute(select(sync_state).order_by(sync_state.c.source))
    return [dict(row._mapping) for row in rows]


def quota_day(now: datetime) -> str:
    """Platform quotas (YouTube) reset at midnight Pacific time, not UTC."""
    return now.astimezone(QUOTA_ZONE).date().isoformat()


def save_progress(
    conn: Connection,
    source: str,
    cursor: dict[str, Any] | None,
    items_read: int,
    users_read: int,
    units: int = 0,
) -> None:
    """Store the cursor and usage in the caller's transaction, beside the posts they cover."""
    _ensure_row(conn, source)
    now = datetime.now(UTC)
    today = quota_day(now)
    values: dict[str, Any] = {
        "items_read": sync_state.c.items_read + items_read,
        "users_read": sync_state.c.users_read + users_read,
        "units_used": sync_state.c.units_used + units,
        "units_today": case(
            (sync_state.c.units_day == today, sync_state.c.units_today + units), else_=units
        ),
        "units_day": today,
        "last_success_at": now,
    }
    if cursor is not None:
        values["cursor"] = cursor
    conn.execute(update(sync_state).where(sync_state.c.source == source).values(**values))


class Problem(Protocol):
    """What a connector could not map (``connectors.base.Problem`` has this shape)."""

    @property
    def source(self) -> str: ...
    @property
    def item_id(self) -> str | None: ...
    @property
    def reason(self) -> str: ...


@dataclass(frozen=True)
class _Failure:
    source: str
    item_id: str | None
    reason: str


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _storable(text: str) -> str:
    """NUL removed and lone surrogates replaced: neither PostgreSQL nor the drivers hold them."""
    if _UNSTORABLE.search(text) is None:
        return text
    text = text.replace("\x00", "")
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _problem_row(problem: Problem, now: datetime) -> dict[str, Any]:
    """A problem as both stores hold it: a problem is recorded *because* its item was odd, so
    its id and reason may carry NUL, lone surrogates or any length; recording it must never be
    what fails the batch."""
    item_id = _storable(problem.item_id)[:MAX_ITEM_ID] if problem.item_id else None
    return {
        "source": problem.source,
        "item_id": item_id or None,
        "reason": _storable(problem.reason)[:MAX_REASON],
        "at": now,
    }


def record_problems(conn: Connection, problems: Iterable[Problem]) -> int:
    now = datetime.now(UTC)
    rows = [_problem_row(p, now) for p in problems]
    if rows:
        conn.execute(insert(sync_errors), rows)
        for source in {row["source"] for row in rows}:
            _ensure_row(conn, source)
            conn.execute(
                update(sync_state)
                .where(sync_state.c.source == source)
                .values(last_error=rows[-1]["reason"], last_error_at=now)
            )
    return len(rows)


def record_failure(conn: Connection, source: str, reason: str) -> None:
    record_problems(conn, [_Failure(source, None, reason)])


def recent_errors(conn: Connection, limit: int = 20) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(sync_errors).order_by(sync_errors.c.at.desc(), sync_errors.c.id.desc()).limit(limit)
    )
    return [dict(r._mapping) for r in rows]


def acquire_lease(conn: Connection, source: str, owner: str, seconds: int = 300) -> bool:
    """Take the source's lease unless another live worker holds it (atomic UPDATE … WHERE)."""
    _ensure_row(conn, source)
    now = datetime.now(UTC)
    taken = conn.execute(
        update(sync_state)
        .where(
            sync_state.c.source == source,
            or_(
                sync_state.c.lease_owner.is_(None),
                sync_state.c.lease_owner == owner,
                sync_state.c.lease_expires_at < now,
            ),
        )
        .values(lease_owner=owner, lease_expires_at=now + timedelta(seconds=seconds))
    )
    return taken.rowcount == 1


def release_lease(conn: Connection, source: str, owner: str) -> None:
    conn.execute(
        update(sync_state)
        .where(sync_state.c.source == source, sync_state.c.lease_owner == owner)
        .values(lease_owner=None, lease_expires_at=None)
    )
