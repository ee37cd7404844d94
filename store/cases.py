"""Reading and writing cases and promises in bulk, one batch at a time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, exists, func, insert, or_, select, update

from analysis.cases import CaseStatus
from store.schema import cases, events, posts, promises
from store.upsert import chunked, insert_many, update_many_by_id

MUTABLE_CASE_FIELDS = (
    "status",
    "snoozed_until",
    "priority",
    "chase_count",
    "intent",
    "reason",
    "sentiment",
    "opened_at",
    "first_post_id",
    "thread_key",
    "due_at",
    "last_inbound_at",
    "first_response_at",
    "first_response_post_id",
    "response_hours",
    "response_business_hours",
    "updated_at",
)


def joinable_cases(
    conn: Connection, platform: str, author_ids: Iterable[str], earliest: datetime | None
) -> list[dict[str, Any]]:
    """The authors' cases a post written at or after ``earliest`` could still belong to:
    not closed, and unanswered or first answered after ``earliest``."""
    if earliest is None:
        return []
    found: list[dict[str, Any]] = []
    for chunk in chunked(list(set(author_ids))):
        rows = conn.execute(
            select(cases)
            .where(
                cases.c.platform == platform,
                cases.c.author_id.in_(chunk),
                cases.c.status != CaseStatus.CLOSED,
                or_(cases.c.first_response_at.is_(None), cases.c.first_response_at > earliest),
            )
            .order_by(cases.c.opened_at)
        )
        found.extend(dict(row._mapping) for row in rows)
    return found


def cases_by_id(conn: Connection, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for chunk in chunked(list(set(ids))):
        rows = conn.execute(select(cases).where(cases.c.id.in_(chunk)))
        found.update({row.id: dict(row._mapping) for row in rows})
    return found


def insert_cases(conn: Connection, rows: list[dict[str, Any]]) -> dict[int, int]:
    """Insert new cases; returns first_post_id -> case id."""
    if not rows:
        return {}
    insert_many(conn, cases, rows)
    mapping: dict[int, int] = {}
    for chunk in chunked([row["first_post_id"] for row in rows]):
        result = conn.execute(
            select(cases.c.id, cases.c.first_post_id).where(cases.c.first_post_id.in_(chunk))
        )
        mapping.update({row.first_post_id: row.id for row in result})
    return mapping


def update_cases(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Write back the fields ingest may change, for many cases in one statement."""
    update_many_by_id(conn, cases, rows, MUTABLE_CASE_FIELDS)


def open_promises(
    conn: Connection, platform: str, author_ids: Iterable[str]
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for chunk in chunked(list(set(author_ids))):
        rows = conn.execute(
            select(promises)
            .where(
                promises.c.platform == platform,
                promises.c.to_author_id.in_(chunk),
                promises.c.kept_at.is_(None),
            )
            .order_by(promises.c.made_at)
        )
        found.extend(dict(row._mapping) for row in rows)
    return found


def insert_promises(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(promises), rows)


def mark_promises_kept(conn: Connection, kept: Sequence[dict[str, Any]]) -> None:
    if not kept:
        return
    statement = (
        update(promises)
        .where(promises.c.id == bindparam("promise_id"))
        .values(kept_at=bindparam("new_kept_at"), kept_by_post_id=bindparam("new_kept_by"))
    )
    conn.execute(
        statement,
        [
            {
                "promise_id": k["id"],
                "new_kept_at": k["kept_at"],
                "new_kept_by": k["kept_by_post_id"],
            }
            for k in kept
        ],
    )


def case_posts(conn: Connection, case_id: int) -> list[dict[str, Any]]:
    """The inbound posts of a case, oldest first."""
    rows = conn.execute(
        select(posts).where(posts.c.case_id == case_id).order_by(posts.c.created_at)
    )
    return [dict(row._mapping) for row in rows]


def link_to_private_thread(
    conn: Connection, case_id: int, thread_key: str, at: datetime, hours: tuple[float, float] | None
) -> None:
    """The conversation moved to e-mail: the case waits on that thread, and was answered now."""
    values: dict[str, Any] = {
        "linked_thread_key": thread_key,
        "status": CaseStatus.PENDING,
        "touched": True,
        "updated_at": at,
    }
    if hours is not None:
        values.update(
            first_response_at=at, response_hours=hours[0], response_business_hours=hours[1]
        )
    conn.execute(update(cases).where(cases.c.id == case_id).values(**values))


def close_linked(conn: Connection, thread_keys: Iterable[str], at: datetime) -> None:
    """Cases carried to e-mail close once their e-mail thread is answered."""
    keys = list(set(thread_keys))
    for chunk in chunked(keys):
        conn.execute(
            update(cases)
            .where(cases.c.linked_thread_key.in_(chunk), cases.c.status != CaseStatus.CLOSED)
            .values(
                status=CaseStatus.CLOSED,
                closed_at=at,
                updated_at=at,
                close_reason="answered by e-mail",
            )
        )


def latest_activity(
    conn: Connection, platform: str, author_ids: Iterable[str]
) -> dict[str, datetime]:
    """Per author, the latest moment their cases know of (last post or first answer)."""
    found: dict[str, datetime] = {}
    for chunk in chunked(list(set(author_ids))):
        rows = conn.execute(
            select(
                cases.c.author_id,
                func.max(cases.c.last_inbound_at),
                func.max(cases.c.first_response_at),
            )
            .where(cases.c.platform == platform, cases.c.author_id.in_(chunk))
            .group_by(cases.c.author_id)
        )
        for author, inbound, answered in rows:
            found[author] = max(t for t in (_aware(inbound), _aware(answered)) if t is not None)
    return found


def _aware(value: datetime | None) -> datetime | None:
    """Aggregates bypass the column type on SQLite: read them back as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def author_open_posts(
    conn: Connection, platform: str, author_id: str, since: datetime, start: datetime
) -> list[dict[str, Any]]:
    """The author's needs-response posts a post or an answer written at ``since`` can still
    move: those written from ``start`` on (the first of ``open_cases_of`` opened, or ``since``)
    that are not in a case closed or first answered before ``since``.

    Cases answered before ``since`` keep their runs whatever arrives later, so a rebuild reads
    the author's recent posts only, not a history that grows with the store."""
    settled = exists().where(
        cases.c.id == posts.c.case_id,
        or_(cases.c.status == CaseStatus.CLOSED, cases.c.first_response_at < since),
    )
    rows = conn.execute(
        select(posts).where(
            posts.c.platform == platform,
            posts.c.author_id == author_id,
            posts.c.created_at >= start,
            posts.c.is_brand.is_(False),
            posts.c.needs_response.is_(True),
            ~settled,
        )
    )
    return [dict(row._mapping) for row in rows]


def _movable(platform: str, author_id: str, since: datetime) -> tuple:
    """The author's cases a post or an answer written at ``since`` can still change."""
    return (
        cases.c.platform == platform,
        cases.c.author_id == author_id,
        cases.c.status != CaseStatus.CLOSED,
        or_(cases.c.first_response_at.is_(None), cases.c.first_response_at >= since),
    )


def brand_replies_in(
    conn: Connection, platform: str, thread_keys: Iterable[str]
) -> list[tuple[int, datetime, tuple[str, ...]]]:
    """Brand posts (not automatic) in these threads, with every id each one answers."""
    found: list[tuple[int, datetime, tuple[str, ...]]] = []
    for chunk in chunked(list(set(thread_keys))):
        rows = conn.execute(
            select(posts.c.id, posts.c.created_at, posts.c.reply_to).where(
                posts.c.platform == platform,
                posts.c.thread_key.in_(chunk),
                posts.c.is_brand.is_(True),
                posts.c.is_auto_reply.is_(False),
                posts.c.reply_to.is_not(None),
            )
        )
        found.extend((r.id, r.created_at, tuple(r.reply_to.split())) for r in rows)
    return found


def open_cases_of(
    conn: Connection, platform: str, author_id: str, since: datetime
) -> dict[int, dict[str, Any]]:
    """The author's cases a post or an answer written at ``since`` can still change."""
    rows = conn.execute(select(cases).where(*_movable(platform, author_id, since)))
    return {row.id: dict(row._mapping) for row in rows}


def merge_into(conn: Connection, gone: Iterable[int], into: dict[int, int | None]) -> None:
    """Cases absorbed by a rebuild hand their audit trail to the case that took their posts."""
    for case_id in gone:
        conn.execute(
            update(events).where(events.c.case_id == case_id).values(case_id=into.get(case_id))
        )
        conn.execute(delete(cases).where(cases.c.id == case_id))
