"""Small builders for posts and batches used across tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from connectors.base import Batch, Post

MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # 11:00 in Amsterdam


def post(
    external_id: str,
    text: str,
    author: str = "cand",
    at: datetime = MONDAY,
    platform: str = "x",
    thread: str = "t1",
    parent: str | None = None,
    **extra,
) -> Post:
    return Post(
        platform=platform,
        external_id=external_id,
        author_id=author,
        author_handle=author,
        text=text,
        created_at=at,
        thread_key=thread,
        parent_external_id=parent,
        reply_to=extra.pop("reply_to", (parent,) if parent else ()),
        source=extra.pop("source", "test"),
        **extra,
    )


def batch(*posts: Post, source: str = "test", cursor: dict | None = None) -> Batch:
    return Batch(source, list(posts), cursor, items_read=len(posts))


def hours_after(start: datetime, hours: float) -> datetime:
    return start + timedelta(hours=hours)
