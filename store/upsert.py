"""The one dialect-specific write: insert rows, skipping those whose key already exists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

CHUNK = 500


def chunked(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    """Slices small enough for an ``IN (…)`` list on every backend."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def insert_ignoring_duplicates(conn: Connection, table: Table, rows: list[dict[str, Any]],
                               key: Sequence[str], returning: Sequence[str] = ()) -> list[Any]:
    """``INSERT … ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL alike; with ``returning``,
    the named columns of the rows actually inserted (skipped duplicates return nothing)."""
    if not rows:
        return []
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).on_conflict_do_nothing(index_elements=list(key))
    if not returning:
        conn.execute(statement, rows)
        return []
    statement = statement.returning(*(table.c[name] for name in returning))
    return list(conn.execute(statement, rows))
