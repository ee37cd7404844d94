"""The trigram indexes behind the Backlog's search on PostgreSQL (``pg_trgm``).

The search looks for the typed words anywhere in a post or an author's handle
(``lower(text) LIKE '%word%'``, see ``store.queries``), which no B-tree can answer. A GIN index
of the lower-cased texts' trigrams (and one of the handles') finds the rows holding the word's
trigrams, and the ``LIKE`` is checked again on those only, so the results are the same with or
without them.

How the Backlog uses them depends on how common the word is (``few_cases``). A word in a few
thousand posts is looked up: its cases' ids come from the index and one page of them is
sorted. A common word is not: the Backlog walks its queue in order and checks each case's
posts, and meets a page of matches within a few thousand cases, where collecting every
matching post first (a tenth of the workspace for "role") would read most of the posts' table.

``pg_trgm`` ships with PostgreSQL (contrib) and is a trusted extension: any role that may
create objects in the database may install it. A role that may not, or a server built without
contrib, still gets a working search, only slower: ``install`` then logs one line saying what
is missing and the statements an administrator can run. SQLite needs nothing here: its
search reads the posts' table, which is what it would read anyway.
"""

from __future__ import annotations

import json
import logging

from sqlalchemy import ColumnElement, Connection, select, text
from sqlalchemy.exc import DBAPIError

from store.schema import posts

log = logging.getLogger("fullcircle.store")

INDEX = "ix_posts_text_trgm"
AUTHOR_INDEX = "ix_cases_author_trgm"
# (index, table, lower-cased column)
_INDEXES = ((INDEX, "posts", "text"), (AUTHOR_INDEX, "cases", "author_handle"))
# A word the planner expects in fewer posts than this is looked up through the index, reading
# at most this many posts to learn its cases; past it, walking the queue costs less (about
# 100 cases walked per 1 % of the posts holding the word, for a page of 100).
FEW_POSTS = 10_000
# PostgreSQL's error codes for "may not create it" and "not on this server".
_UNAVAILABLE = {
    "42501",  # insufficient_privilege
    "58P01",  # undefined_file: the extension's control file is not installed
    "0A000",  # feature_not_supported
}
_INSTALL_BY_HAND = "CREATE EXTENSION pg_trgm; " + " ".join(
    f"CREATE INDEX {name} ON {table} USING gin (lower({column}) gin_trgm_ops); ANALYZE {table};"
    for name, table, column in _INDEXES
)


def _trigram_schema(conn: Connection) -> str | None:
    """The schema pg_trgm is installed in, or None when it is not installed."""
    return conn.execute(
        text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'pg_trgm'"
        )
    ).scalar()


def _create_extension(conn: Connection) -> str | None:
    """Install pg_trgm if this role may; a refusal rolls back only its own savepoint, so the
    migration around it goes on. Returns why it could not be installed, or None."""
    try:
        with conn.begin_nested():
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except DBAPIError as exc:
        code = getattr(exc.orig, "sqlstate", None)
        if code not in _UNAVAILABLE:
            raise
        return str(exc.orig).splitlines()[0]
    return None


def create_index(conn: Connection) -> None:
    """Build the indexes if pg_trgm is installed and they are missing, and gather the
    statistics of their expressions, from which the planner tells a rare word from a common
    one."""
    schema = _trigram_schema(conn) if conn.dialect.name == "postgresql" else None
    if schema is None:
        return
    quoted = conn.dialect.identifier_preparer.quote_schema(schema)
    for name, table, column in _INDEXES:
        conn.execute(
            text(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin (lower({column}) {quoted}.gin_trgm_ops)"
            )
        )
        conn.execute(text(f"ANALYZE {table}"))


def drop_index(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        for name, _table, _column in _INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))


def few_cases(
    conn: Connection, holds: ColumnElement[bool], for_page: bool = True
) -> list[int] | None:
    """The ids of every case with a post where ``holds`` (a condition on ``posts``) is true,
    when the word is rare enough to look up through the trigram index; None when it is not,
    or the index is missing (SQLite, or PostgreSQL without pg_trgm).

    For one page (``for_page``) the planner's estimate (from the statistics ANALYZE keeps on
    the indexed expression, which tell a word in a tenth of the posts from one in a hundredth)
    decides whether to look, since a common word's page is found sooner along the queue. A count
    visits every case of its view anyway, so it always looks. The look reads at most FEW_POSTS
    posts, and gives up past them."""
    if conn.dialect.name != "postgresql":
        return None
    matching = select(posts.c.case_id).where(holds)
    compiled = matching.compile(dialect=conn.dialect)
    explained = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params)
    plan = explained.scalar_one()[0]["Plan"]
    if INDEX not in json.dumps(plan) or (for_page and plan["Plan Rows"] >= FEW_POSTS):
        return None
    found = conn.execute(matching.limit(FEW_POSTS + 1)).scalars().all()
    if len(found) > FEW_POSTS:
        return None
    return sorted({case_id for case_id in found if case_id is not None})


def install(conn: Connection) -> bool:
    """Install pg_trgm where this role may and build the indexes; True when they exist.

    Where pg_trgm cannot be installed, one warning names what is missing and what an
    administrator runs in this database to add it; the search works either way."""
    if conn.dialect.name != "postgresql":
        return False
    if _trigram_schema(conn) is None:
        refused = _create_extension(conn)
        if refused is not None:
            log.warning(
                "The Backlog's search reads every post: PostgreSQL's pg_trgm extension could "
                "not be installed in database %s (%s). To index the search, run as a "
                "superuser in that database: %s",
                conn.exec_driver_sql("SELECT current_database()").scalar(),
                refused,
                _INSTALL_BY_HAND,
            )
            return False
    create_index(conn)
    return True
