"""Writing and reading posts. Writes are keyed on ``(platform, external_id)``: idempotent."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.exc import DataError

from store.schema import posts
from store.upsert import chunked, insert_many, update_many_by_id

# What a store raises for a value it cannot hold: PostgreSQL's DataError (NUL in text, a
# VARCHAR overflow, NaN in JSON, an INTEGER overflow), a driver's UnicodeEncodeError (a lone
# surrogate), SQLite's OverflowError (an integer beyond 64 bits).
REFUSED_VALUE_ERRORS = (DataError, UnicodeEncodeError, OverflowError)


def stored_texts(
    conn: Connection, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], tuple[str, str]]:
    """(text, source) of each ``(platform, external_id)`` stored already; absent: not stored."""
    by_platform: dict[str, list[str]] = defaultdict(list)
    for platform, external_id in set(keys):
        by_platform[platform].append(external_id)
    found: dict[tuple[str, str], tuple[str, str]] = {}
    for platform, ids in by_platform.items():
        for chunk in chunked(ids):
            rows = conn.execute(
                select(posts.c.external_id, posts.c.text, posts.c.source).where(
                    posts.c.platform == platform, posts.c.external_id.in_(chunk)
                )
            )
            found.update({(platform, row.external_id): (row.text, row.source) for row in rows})
    return found


def insert_posts(conn: Connection, rows: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """Insert new post rows; returns the database id of every row, keyed by platform and id.

    A row another worker stored meanwhile is skipped, and its id is the one already stored."""
    if not rows:
        return {}
    insert_many(conn, posts, rows, skip_duplicates_of=("platform", "external_id"))
    return ids_for(conn, [(r["platform"], r["external_id"]) for r in rows])


def ids_for(conn: Connection, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
    by_platform: dict[str, list[str]] = defaultdict(list)
    for platform, external_id in keys:
        by_platform[platform].append(external_id)
    found: dict[tuple[str, str], int] = {}
    for platform, ids in by_platform.items():
        for chunk in chunked(ids):
            rows = conn.execute(
                select(posts.c.id, posts.c.external_id).where(
                    posts.c.platform == platform, posts.c.external_id.in_(chunk)
                )
            )
            found.update({(platform, row.external_id): row.id for row in rows})
    return found


def referenced_posts(
    conn: Connection, platform: str, external_ids: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """Stored posts by external id, with the columns answer detection needs."""
    wanted = list(dict.fromkeys(external_ids))
    found: dict[str, dict[str, Any]] = {}
    columns = (
        posts.c.id,
        posts.c.external_id,
        posts.c.author_id,
        posts.c.is_brand,
        posts.c.case_id,
        posts.c.created_at,
        posts.c.needs_response,
        posts.c.is_auto_reply,
    )
    for chunk in chunked(wanted):
        rows = conn.execute(
            select(*columns).where(posts.c.platform == platform, posts.c.external_id.in_(chunk))
        )
        found.update({row.external_id: dict(row._mapping) for row in rows})
    return found


def brand_flags(conn: Connection, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], bool]:
    """Whether each stored ``(platform, external_id)`` is a brand post (absent: not stored)."""
    by_platform: dict[str, list[str]] = defaultdict(list)
    for platform, external_id in set(keys):
        by_platform[platform].append(external_id)
    found: dict[tuple[str, str], bool] = {}
    for platform, ids in by_platform.items():
        for chunk in chunked(ids):
            rows = conn.execute(
                select(posts.c.external_id, posts.c.is_brand).where(
                    posts.c.platform == platform, posts.c.external_id.in_(chunk)
                )
            )
            found.update({(platform, row.external_id): row.is_brand for row in rows})
    return found


def posts_by_id(conn: Connection, ids: Iterable[int]) -> list[dict[str, Any]]:
    """Whole stored post rows, for the few a batch re-reads (posts its answers promote)."""
    found: list[dict[str, Any]] = []
    for chunk in chunked(list(set(ids))):
        found.extend(
            dict(row._mapping) for row in conn.execute(select(posts).where(posts.c.id.in_(chunk)))
        )
    return found


def set_needs_response(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Flag stored posts as needing an answer (an answer or a person decided so later)."""
    update_many_by_id(
        conn,
        posts,
        [
            {
                "id": r["id"],
                "needs_response": r["needs_response"],
                "intent": r["intent"],
                "reason": r["reason"],
            }
            for r in rows
        ],
        ("needs_response", "intent", "reason"),
    )


def earliest_brand_replies(
    conn: Connection, platform: str, parent_ids: Sequence[str]
) -> dict[str, tuple[int, datetime]]:
    """For posts stored before their parent: the first brand reply already held per parent."""
    result: dict[str, tuple[int, datetime]] = {}
    for chunk in chunked(list(parent_ids)):
        rows = conn.execute(
            select(posts.c.id, posts.c.parent_external_id, posts.c.created_at)
            .where(
                posts.c.platform == platform,
                posts.c.parent_external_id.in_(chunk),
                posts.c.is_brand.is_(True),
                posts.c.is_auto_reply.is_(False),
            )
            .order_by(posts.c.created_at)
        )
        for row in rows:
            result.setdefault(row.parent_external_id, (row.id, row.created_at))
    return result


def inbound_mails_by_authors(
    conn: Connection, authors: Iterable[str], before: datetime
) -> list[dict[str, Any]]:
    """Stored inbound mails of these senders, for linking brand "Re:" mails by subject."""
    found: list[dict[str, Any]] = []
    for chunk in chunked(list(set(authors))):
        rows = conn.execute(
            select(
                posts.c.external_id,
                posts.c.author_id,
                posts.c.subject,
                posts.c.created_at,
                posts.c.thread_key,
            ).where(
                posts.c.platform == "email",
                posts.c.is_brand.is_(False),
                posts.c.author_id.in_(chunk),
                posts.c.created_at <= before,
                posts.c.subject.is_not(None),
            )
        )
        found.extend(dict(row._mapping) for row in rows)
    return found


def set_case_ids(conn: Connection, assignments: dict[int, int]) -> None:
    """Attach inbound posts to their cases (post id -> case id)."""
    update_many_by_id(
        conn, posts, [{"id": p, "case_id": c} for p, c in assignments.items()], ("case_id",)
    )


def count_posts(conn: Connection, only_demo: bool | None = None) -> int:
    query = select(func.count()).select_from(posts)
    if only_demo is True:
        query = query.where(posts.c.source.like("demo%"))
    elif only_demo is False:
        query = query.where(~posts.c.source.like("demo%"))
    return conn.execute(query).scalar_one()
