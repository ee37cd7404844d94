"""The one dialect-specific write: insert rows, skipping those whose key already exists."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

CHUNK = 500


def chunked(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    """Slices small enough for an ``IN (…)`` list on every backend."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_ignoring_duplicates(
    conn: Connection,
    table: Table,
    rows: list[dict[str, Any]],
    key: Sequence[str],
    returning: Sequence[str] = (),
) -> list[Any]:
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


def _placeholder(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _row_writer(
    conn: Connection, table: Table, columns: Sequence[str]
) -> Callable[[dict[str, Any]], tuple]:
    """Turns a row dict into the driver's values, with the column types' own conversions
    (UTC times, JSON, booleans) looked up once per statement instead of once per row."""
    dialect = conn.dialect
    read = itemgetter(*columns) if len(columns) > 1 else (lambda row: (row[columns[0]],))
    convert = [
        (index, process)
        for index, name in enumerate(columns)
        if (process := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
    ]

    def write(row: dict[str, Any]) -> tuple:
        values = list(read(row))
        for index, process in convert:
            if values[index] is not None:
                values[index] = process(values[index])
        return tuple(values)

    return write


def insert_many(
    conn: Connection,
    table: Table,
    rows: Sequence[dict[str, Any]],
    skip_duplicates_of: Sequence[str] = (),
) -> None:
    """Insert many rows in one ``executemany`` through the driver (SQLAlchemy's per-row
    parameter handling costs more than SQLite's own work); with ``skip_duplicates_of``, rows
    whose key is already stored are skipped, as ``insert_ignoring_duplicates`` does."""
    if not rows:
        return
    columns = list(rows[0])
    mark = _placeholder(conn)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})"
    )
    if skip_duplicates_of:
        sql += f" ON CONFLICT ({', '.join(skip_duplicates_of)}) DO NOTHING"
    write = _row_writer(conn, table, columns)
    conn.exec_driver_sql(sql, [write(row) for row in rows])


def update_many_by_id(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], columns: Sequence[str]
) -> None:
    """``UPDATE … WHERE id = ?`` for many rows in one ``executemany`` through the driver."""
    if not rows:
        return
    mark = _placeholder(conn)
    sql = (
        f"UPDATE {table.name} SET {', '.join(f'{name} = {mark}' for name in columns)} "
        f"WHERE id = {mark}"
    )
    write = _row_writer(conn, table, [*columns, "id"])
    conn.exec_driver_sql(sql, [write(row) for row in rows])
