"""What else the workspace holds about a person besides their own posts.

Two kinds of rows, treated differently by an erasure:

* the brand's messages *to* them — an answer to one of their posts, or a post or mail that
  names them (an X reply "@sam_dev …", a mail with ``To: sam@example.com``) without answering
  someone else. They exist only because of the person, so they go with them.
* rows that name them and belong to someone else — Ria's "@sam_dev asked the same", the
  brand's answer to Ria that mentions Sam, the audit log, a sync problem. They stay, with the
  person's names replaced (``store.naming``), so Ria's conversation keeps its shape.

Candidates are picked in SQL by a substring of a name (cheap, may over-match); ``Names``
decides in Python, the same way for an export and an erasure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Text, cast, func, or_, select, true, update

from store.naming import Names
from store.schema import cases, events, posts, sync_errors

PostKey = tuple[str, str]  # (platform, external_id)

_POST_COLUMNS = (
    posts.c.id,
    posts.c.platform,
    posts.c.external_id,
    posts.c.parent_external_id,
    posts.c.reply_to,
    posts.c.is_brand,
    posts.c.created_at,
    posts.c.text,
    posts.c.subject,
    posts.c.raw,
)
# Rows outside posts that can quote a person: what a reply said or where a case moved (events),
# why an item could not be read (sync problems), why a case was closed.
_ELSEWHERE = (
    (events, events.c.detail, True),
    (sync_errors, sync_errors.c.reason, False),
    (cases, cases.c.close_reason, False),
)


def naming_clause(names: Names, columns: Iterable[ColumnElement[Any]]) -> ColumnElement[bool]:
    """Rows where any column, as text, contains one of the person's names (case-insensitive)."""
    needles = names.needles()
    if not needles:
        raise ValueError("a person without names would match every row")
    return or_(
        *[
            func.lower(cast(column, Text)).contains(needle, autoescape=True)
            for column in columns
            for needle in needles
        ]
    )


def _naming_posts(conn: Connection, names: Names, *where: ColumnElement[bool]) -> list[dict]:
    clause = naming_clause(names, (posts.c.text, posts.c.subject, posts.c.raw))
    rows = conn.execute(select(*_POST_COLUMNS).where(clause, *where).order_by(posts.c.created_at))
    return [dict(r._mapping) for r in rows if names.name_in(r.text, r.subject, r.raw)]


def messages_to(conn: Connection, names: Names, theirs: set[PostKey]) -> list[dict]:
    """The brand's posts and mails to the person whose own posts are ``theirs``."""
    clause = naming_clause(names, (posts.c.text, posts.c.subject, posts.c.raw))
    if theirs:
        # a mail's reply_to is its whole References chain; elsewhere it is the parent alone
        chains = sorted(i for platform, i in theirs if platform == "email")
        clause = or_(
            clause,
            posts.c.parent_external_id.in_(sorted({i for _, i in theirs})),
            *[posts.c.reply_to.contains(i, autoescape=True) for i in chains],
        )
    rows = conn.execute(select(*_POST_COLUMNS).where(posts.c.is_brand.is_(True), clause))
    candidates = [dict(r._mapping) for r in rows]
    others = _answered_others(conn, candidates, theirs)
    found = []
    for row in candidates:
        parent = (row["platform"], row["parent_external_id"])
        answered = {(row["platform"], i) for i in (row["reply_to"] or "").split()}
        if parent in theirs or (
            parent not in others
            and (answered & theirs or names.name_in(row["text"], row["subject"], row["raw"]))
        ):
            found.append(row)
    return found


def _answered_others(conn: Connection, rows: list[dict], theirs: set[PostKey]) -> set[PostKey]:
    """Parents of ``rows`` that are someone else's inbound posts: a brand answer to them that
    also names the person is that someone's conversation, and stays (redacted)."""
    parents = {(r["platform"], r["parent_external_id"]) for r in rows if r["parent_external_id"]}
    wanted = sorted({i for _, i in parents - theirs})
    if not wanted:
        return set()
    found = conn.execute(
        select(posts.c.platform, posts.c.external_id).where(
            posts.c.external_id.in_(wanted), posts.c.is_brand.is_(False)
        )
    )
    return {(r.platform, r.external_id) for r in found} & parents


def posts_naming(conn: Connection, names: Names, skip: Sequence[int] = ()) -> list[dict]:
    """Posts by others (or the brand's answers to others) that name the person."""
    return _naming_posts(conn, names, posts.c.id.not_in(skip) if skip else true())


def redact_posts(conn: Connection, names: Names) -> int:
    """Replace the person's names in the text, subject and raw payload of every post left."""
    changed = 0
    for row in _naming_posts(conn, names):
        conn.execute(
            update(posts)
            .where(posts.c.id == row["id"])
            .values(
                text=names.redact_text(row["text"]),
                subject=names.redact_text(row["subject"]),
                raw=names.redact_json(row["raw"]),
            )
        )
        changed += 1
    return changed


def redact_elsewhere(conn: Connection, names: Names) -> int:
    """Replace the person's names in the audit log, sync problems and close reasons."""
    changed = 0
    for table, column, is_json in _ELSEWHERE:
        rows = conn.execute(select(table.c.id, column).where(naming_clause(names, (column,)))).all()
        for row_id, value in rows:
            new = names.redact_json(value) if is_json else names.redact_text(value)
            if new != value:
                conn.execute(update(table).where(table.c.id == row_id).values({column.name: new}))
                changed += 1
    return changed
