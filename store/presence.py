"""Who else has a case open right now: a heartbeat per person and case, read back by the others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, select

from store.schema import presence
from store.upsert import insert_ignoring_duplicates

FRESH = timedelta(minutes=2)


def beat(conn: Connection, case_id: int, actor: str, state: str) -> None:
    """Record that ``actor`` is viewing or drafting on the case now."""
    conn.execute(delete(presence).where(presence.c.case_id == case_id, presence.c.actor == actor))
    insert_ignoring_duplicates(
        conn,
        presence,
        [{"case_id": case_id, "actor": actor, "state": state, "seen_at": datetime.now(UTC)}],
        ("case_id", "actor"),
    )


def others(conn: Connection, case_id: int, actor: str) -> list[tuple[str, str]]:
    """The other people seen on the case in the last two minutes, with what they do."""
    since = datetime.now(UTC) - FRESH
    rows = conn.execute(
        select(presence.c.actor, presence.c.state)
        .where(
            presence.c.case_id == case_id, presence.c.actor != actor, presence.c.seen_at >= since
        )
        .order_by(presence.c.actor)
    )
    return [(row.actor, row.state) for row in rows]
