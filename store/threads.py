"""Thread keys of stored posts, for platforms whose posts name only their parent.

A Mastodon status says which status it answers, never which thread it belongs to; the thread a
stored parent was given is the answer's thread too, found here without asking the platform.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from store.schema import posts
from store.upsert import chunked


def stored_thread_keys(
    conn: Connection, platform: str, external_ids: Iterable[str]
) -> dict[str, str]:
    """external id -> thread key, for each of these posts stored on ``platform``."""
    found: dict[str, str] = {}
    for chunk in chunked(sorted(set(external_ids))):
        rows = conn.execute(
            select(posts.c.external_id, posts.c.thread_key).where(
                posts.c.platform == platform, posts.c.external_id.in_(chunk)
            )
        )
        found.update({row.external_id: row.thread_key for row in rows})
    return found
