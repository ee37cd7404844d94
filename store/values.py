"""Small workspace facts kept as key/value pairs (demo flag, seed, settings chosen in the UI)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, select

from store.schema import workspace
from store.upsert import insert_ignoring_duplicates


def get_value(conn: Connection, key: str) -> str | None:
    return conn.execute(select(workspace.c.value).where(workspace.c.key == key)).scalar()


def set_value(conn: Connection, key: str, value: str) -> None:
    conn.execute(delete(workspace).where(workspace.c.key == key))
    insert_ignoring_duplicates(conn, workspace, [{"key": key, "value": value}], ("key",))
