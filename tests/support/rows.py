"""Reading a workspace's tables in assertions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, func, select


def count_rows(ws: Any, table: Table, *where: ColumnElement[bool]) -> int:
    """How many rows of ``table`` match; ``ws`` is a workspace or an open connection."""
    query = select(func.count()).select_from(table).where(*where)
    if hasattr(ws, "engine"):
        with ws.engine.connect() as conn:
            return conn.execute(query).scalar_one()
    return ws.execute(query).scalar_one()


def table_rows(ws: Any, table: Table, *where: ColumnElement[bool]) -> list[dict[str, Any]]:
    """The matching rows of ``table`` as dicts, in id order."""
    with ws.engine.connect() as conn:
        query = select(table).where(*where).order_by(table.c.id)
        return [dict(r._mapping) for r in conn.execute(query)]
