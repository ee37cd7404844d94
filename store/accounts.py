"""The brand's own accounts: a post by one of them is a brand post."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, or_, select, update

from store.people import bare_handle
from store.schema import accounts, posts
from store.upsert import insert_ignoring_duplicates


@dataclass(frozen=True)
class BrandIdentities:
    """Lookup of brand authors by platform: handles (case-insensitive) and user ids."""

    keys: frozenset[tuple[str, str]]

    def is_brand(self, platform: str, author_id: str, handle: str) -> bool:
        return (platform, author_id.lower()) in self.keys or (platform, handle.lower()) in self.keys


def add_account(
    conn: Connection,
    platform: str,
    handle: str,
    external_user_id: str | None = None,
    display_name: str | None = None,
) -> None:
    """Register a brand account and mark its stored posts as brand posts ("@name" and
    "u/name" name the account "name", as the platforms store it)."""
    handle = bare_handle(handle)
    insert_ignoring_duplicates(
        conn,
        accounts,
        [
            {
                "platform": platform,
                "handle": handle,
                "external_user_id": external_user_id,
                "display_name": display_name,
                "added_at": datetime.now(UTC),
            }
        ],
        ("platform", "handle"),
    )
    match = [func.lower(posts.c.author_handle) == handle.lower()]
    if external_user_id:
        match.append(posts.c.author_id == external_user_id)
    conn.execute(
        update(posts)
        .where(posts.c.platform == platform, or_(*match))
        .values(is_brand=True, needs_response=False, intent=None)
    )


def set_user_id(conn: Connection, account_id: int, user_id: str) -> None:
    """Store a platform user id looked up for a handle registered without one."""
    conn.execute(
        update(accounts).where(accounts.c.id == account_id).values(external_user_id=user_id)
    )


def list_accounts(conn: Connection) -> list[dict]:
    rows = conn.execute(select(accounts).order_by(accounts.c.platform, accounts.c.handle))
    return [dict(row._mapping) for row in rows]


def brand_identities(conn: Connection) -> BrandIdentities:
    keys: set[tuple[str, str]] = set()
    for row in conn.execute(
        select(accounts.c.platform, accounts.c.handle, accounts.c.external_user_id)
    ):
        keys.add((row.platform, row.handle.lower()))
        if row.external_user_id:
            keys.add((row.platform, row.external_user_id.lower()))
    return BrandIdentities(frozenset(keys))
