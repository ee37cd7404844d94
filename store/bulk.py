"""Bulk imports: the secondary indexes no step of an import reads are dropped at its start and
built once at its end, instead of being updated row by row in every batch's commit.

Kept throughout are the indexes ingest itself looks things up by (``(platform, external_id)``
uniqueness, threads, parents, an author's posts and cases, a case's first post, linked threads),
so an import, a sync running beside it and every read stay correct, only the dashboard's reports
are slower meanwhile. PostgreSQL's trigram index of post texts (``store.text_search``), read
only by the Backlog's search, is deferred with them where pg_trgm is installed. While indexes
are missing, a row in ``workspace`` names the process that dropped them: when that process is
gone (killed mid-import), the next process to open the workspace builds them
(``pipeline.workspace.open_workspace``), as does the next bulk import.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, Index, delete, text

from store import text_search
from store.schema import cases, posts, workspace
from store.values import get_value, set_value

# Read only by the dashboard's pages and reports, never by ingest (see ``store.posts`` and
# ``store.cases`` for what ingest queries).
DEFERRABLE = frozenset(
    {
        "ix_posts_created",
        "ix_posts_report",
        "ix_posts_case",
        "ix_cases_backlog",
        "ix_cases_opened",
        "ix_cases_period",
        "ix_cases_queue",
        "ix_cases_answered",
    }
)
MARKER = "indexes_deferred_by"


def deferrable_indexes() -> list[Index]:
    return sorted(
        (index for table in (posts, cases) for index in table.indexes if index.name in DEFERRABLE),
        key=lambda index: str(index.name),
    )


def drop_deferrable(conn: Connection, owner: str) -> None:
    """Drop the deferrable indexes and name ``owner`` as the process that will build them."""
    set_value(conn, MARKER, owner)
    for index in deferrable_indexes():
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {index.name}")
    text_search.drop_index(conn)


def build_deferred(conn: Connection) -> None:
    """Build whichever deferrable index is missing, and clear the marker."""
    for index in deferrable_indexes():
        index.create(conn, checkfirst=True)
    text_search.create_index(conn)
    conn.execute(delete(workspace).where(workspace.c.key == MARKER))


def deferring_owner(conn: Connection) -> str | None:
    """The process that dropped the deferrable indexes and has not yet built them, if any."""
    return get_value(conn, MARKER)


@contextmanager
def indexes_deferred(engine: Engine, owner: str) -> Iterator[None]:
    """Run an import with the deferrable indexes dropped; they are built when it ends, also
    when it fails (a kill leaves them to the next opening, see the module's docstring)."""
    with engine.begin() as conn:
        drop_deferrable(conn, owner)
    try:
        yield
    finally:
        with engine.begin() as conn:
            build_deferred(conn)
    mark_visible(engine)


def mark_visible(engine: Engine) -> None:
    """On PostgreSQL, VACUUM (ANALYZE) posts and cases once an import has written them.

    Rows just written are not yet known to be visible to every transaction, so the reports'
    covering indexes (``ix_posts_report``, ``ix_cases_period``) are read with a visit to the
    table for every row: one week's post counts took 1,100 ms instead of 26 at 1,000,000 posts.
    Autovacuum would mark them only after another fifth of the table had been inserted."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE) posts, cases"))
