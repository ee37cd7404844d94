"""The copies of erased rows a database keeps after the DELETE commits, and clearing them.

A committed DELETE is not the end of the bytes. SQLite in WAL mode appends every changed page
to the ``-wal`` file and copies it into the database at a checkpoint; until the WAL is reset it
still holds the pages as they were before the erasure — for as long as the dashboard or a sync
keeps the database open. (Deleted cells in the database file itself are overwritten because
every connection sets ``secure_delete``, see ``store.db``.) PostgreSQL marks deleted rows dead
and leaves them in the table files; VACUUM marks their space for reuse, and only VACUUM FULL
writes the tables anew without them.

Copies outside the database's own files — backups, PostgreSQL's WAL and its archive, the file
system's free blocks — are beyond reach; the messages say so rather than promise more.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from store.db import SQLITE_BUSY_MS
from store.schema import metadata

ERASE_VACUUM = "python cli.py erase --vacuum"


@dataclass(frozen=True)
class Remnants:
    """What is left of erased rows after ``clear_remnants``, in words for whoever erased them.

    ``cleared``: the tables' files (and SQLite's WAL) hold no copy. ``blocked``: another connection kept
    them (a reader still on the old snapshot), so the same call later will finish the job.
    """

    cleared: bool
    blocked: bool
    message: str


def clear_remnants(engine: Engine, vacuum: bool = False, wait_seconds: float = 30.0) -> Remnants:
    """Make committed deletions final in the files: SQLite's WAL checkpointed and emptied
    (after a VACUUM when asked); on PostgreSQL VACUUM FULL when asked, else what to run."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if engine.dialect.name == "sqlite":
            return _sqlite(conn, _sqlite_path(engine), vacuum, wait_seconds)
        return _postgresql(conn, vacuum)


def _sqlite_path(engine: Engine) -> str:
    database = engine.url.database
    return database if database and database != ":memory:" else "the in-memory database"


def _sqlite(conn: Connection, path: str, vacuum: bool, wait_seconds: float) -> Remnants:
    """VACUUM (on request) rewrites the file without free pages; the checkpoint copies the
    WAL into the file and truncates the WAL to nothing. A reader still inside a transaction
    that began before the erasure needs the old pages, so the checkpoint waits for it (up to
    ``wait_seconds``) and reports it if it never finishes."""
    conn.exec_driver_sql(f"PRAGMA busy_timeout={int(wait_seconds * 1000)}")
    try:
        if vacuum:
            conn.exec_driver_sql("VACUUM")
        busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").scalar()
    except OperationalError as exc:
        # another process held its write lock longer than we waited: nothing was lost, the
        # copies are simply still there, and the person erasing must hear that
        return _sqlite_blocked(path, f"the database stayed locked ({exc.orig})")
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    if busy:
        return _sqlite_blocked(path, "another connection is still reading an older snapshot")
    rebuilt = "; rebuilt the file (VACUUM)" if vacuum else ""
    return Remnants(
        cleared=True,
        blocked=False,
        message=f"Overwrote the erased rows in {path} and emptied its WAL{rebuilt}. "
        "Copies in backups of the file are not touched.",
    )


def _sqlite_blocked(path: str, why: str) -> Remnants:
    return Remnants(
        cleared=False,
        blocked=True,
        message=f"The rows are erased from the tables, but copies remain in {path}-wal (the "
        f"WAL) because {why}. When the dashboard and syncs are idle or stopped, run "
        f"`{ERASE_VACUUM}`.",
    )


def _postgresql(conn: Connection, vacuum: bool) -> Remnants:
    quote = conn.dialect.identifier_preparer.quote
    tables = ", ".join(quote(table.name) for table in metadata.sorted_tables)
    if not vacuum:
        return Remnants(
            cleared=False,
            blocked=False,
            message="On PostgreSQL the erased rows, and the old versions of the redacted ones, "
            "stay in the table files until VACUUM: autovacuum only marks their space for reuse; "
            f"VACUUM FULL rewrites the tables without them. Run `{ERASE_VACUUM}` (it locks "
            f"each table while rewriting it) or, in psql, VACUUM (FULL, ANALYZE) {tables};",
        )
    # ANALYZE too: the planner's statistics keep sample values of the columns
    conn.exec_driver_sql(f"VACUUM (FULL, ANALYZE) {tables}")
    return Remnants(
        cleared=True,
        blocked=False,
        message=f"VACUUM FULL rewrote {tables} without the erased rows. Copies in the "
        "server's WAL, its archive and backups go only as those are recycled.",
    )
