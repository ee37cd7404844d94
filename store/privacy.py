"""A person's data: everything we hold about them, erasing it, and retention of old data.

A person is every identity linked to the one named (``store.people``), so an erasure reaches
their tweets, comments and e-mails alike — and what the brand sent them and what others wrote
about them (``store.related``): the brand's messages to them go, other posts naming them stay
with their names replaced. What remains is a tombstone in the audit log that says an erasure
happened and how much it removed — and nothing about whom. The copies a database keeps of
deleted rows (SQLite's WAL, PostgreSQL's dead tuples) are ``store.remnants``' job, after commit.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, func, or_, select, update

from analysis.cases import CaseStatus
from store import related
from store.events import log_event
from store.naming import Names
from store.people import Identity, identities_of, identity, person_of
from store.schema import cases, events, identities, people, posts, promises


class PersonNotFound(LookupError):
    """No post, case or link belongs to that handle or address."""


def _author_clause(table, who: list[Identity]):
    """Rows authored by any of the identities (handles compare case-insensitively)."""
    if not who:
        raise PersonNotFound("no identities given")  # an empty OR would match every row
    return or_(
        *[
            and_(
                table.c.platform == platform,
                or_(
                    func.lower(table.c.author_handle) == handle,
                    func.lower(table.c.author_id) == handle,
                ),
            )
            for platform, handle in who
        ]
    )


def _promise_clause(who: list[Identity]):
    if not who:
        raise PersonNotFound("no identities given")
    return or_(
        *[
            and_(promises.c.platform == platform, func.lower(promises.c.to_author_id) == handle)
            for platform, handle in who
        ]
    )


def _rows(conn: Connection, query) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in conn.execute(query)]


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _has_posts(conn: Connection, who: Identity) -> bool:
    return (
        conn.execute(select(posts.c.id).where(_author_clause(posts, [who])).limit(1)).first()
        is not None
    )


def resolve(conn: Connection, handle_or_email: str) -> list[Identity]:
    """The identities of whoever is meant: an address means e-mail; a handle means every
    platform where that handle wrote or is linked, plus everything linked to those."""
    text = handle_or_email.strip()
    if not text.lstrip("@"):
        raise PersonNotFound("name a handle or an e-mail address")
    found: list[Identity] = []
    is_address = "@" in text.lstrip("@")
    # Mastodon's user@server looks like an address and is a handle there.
    for platform in ("email", "mastodon") if is_address else ("x", "reddit", "youtube"):
        start = identity(platform, text)
        if person_of(conn, start) is None and not _has_posts(conn, start):
            continue
        found.extend(w for w in identities_of(conn, start) if w not in found)
    if not found:
        raise PersonNotFound(f"nothing is held about {text!r}")
    return found


def _names(conn: Connection, who: list[Identity]) -> tuple[Names, set[related.PostKey]]:
    """How the person is named (their handles, addresses and platform user ids, read from
    their own posts and cases before those go) and the keys of their own posts."""
    own = conn.execute(
        select(
            posts.c.platform, posts.c.external_id, posts.c.author_id, posts.c.author_handle
        ).where(_author_clause(posts, who))
    ).all()
    authors = conn.execute(
        select(cases.c.platform, cases.c.author_id, cases.c.author_handle).where(
            _author_clause(cases, who)
        )
    ).all()
    seen = [*own, *authors]
    handles = [*who, *((r.platform, r.author_handle) for r in seen)]
    names = Names.of(handles, [r.author_id for r in seen])
    return names, {(r.platform, r.external_id) for r in own}


def _naming_view(row: dict[str, Any]) -> dict[str, Any]:
    """Another author's post as an export shows it: what it says about the person, not who
    wrote it (that author's identity is their own personal data)."""
    keep = ("platform", "external_id", "created_at", "is_brand", "subject", "text")
    return {key: row[key] for key in keep}


def export_person(conn: Connection, handle_or_email: str) -> dict[str, Any]:
    """Everything held about a person (a subject access request), ready for JSON: their posts
    and cases, the brand's messages and promises to them, and other posts that name them."""
    who = resolve(conn, handle_or_email)
    names, theirs = _names(conn, who)
    case_rows = _rows(conn, select(cases).where(_author_clause(cases, who)))
    case_ids = [row["id"] for row in case_rows]
    own = _rows(conn, select(posts).where(_author_clause(posts, who)).order_by(posts.c.created_at))
    to_them = [r["id"] for r in related.messages_to(conn, names, theirs)]
    naming = related.posts_naming(conn, names, skip=[*to_them, *(r["id"] for r in own)])
    return _jsonable(
        {
            "identities": [{"platform": p, "handle": h} for p, h in who],
            "posts": own,
            "cases": case_rows,
            "messages_to_them": _rows(
                conn, select(posts).where(posts.c.id.in_(to_them)).order_by(posts.c.created_at)
            ),
            "promises_to_them": _rows(conn, select(promises).where(_promise_clause(who))),
            "posts_naming_them": [_naming_view(row) for row in naming],
            "case_events": _rows(conn, select(events).where(events.c.case_id.in_(case_ids)))
            if case_ids
            else [],
            "exported_at": datetime.now(UTC),
        }
    )


def erase_person(conn: Connection, handle_or_email: str, actor: str) -> dict[str, int]:
    """Remove a person's posts, raw payloads, cases, promises and links on every channel, and
    the brand's messages to them; replace their names in every post and log entry that stays."""
    who = resolve(conn, handle_or_email)
    names, theirs = _names(conn, who)
    to_them = [r["id"] for r in related.messages_to(conn, names, theirs)]
    case_ids = list(conn.execute(select(cases.c.id).where(_author_clause(cases, who))).scalars())
    counts = {"identities": len(who), "cases": len(case_ids)}
    if case_ids:
        counts["events"] = conn.execute(
            delete(events).where(events.c.case_id.in_(case_ids))
        ).rowcount
        conn.execute(update(posts).where(posts.c.case_id.in_(case_ids)).values(case_id=None))
        conn.execute(delete(cases).where(cases.c.id.in_(case_ids)))
    counts["promises"] = conn.execute(delete(promises).where(_promise_clause(who))).rowcount
    counts["posts"] = conn.execute(delete(posts).where(_author_clause(posts, who))).rowcount
    counts["messages_to_them"] = (
        conn.execute(delete(posts).where(posts.c.id.in_(to_them))).rowcount if to_them else 0
    )
    person = next((p for p in (person_of(conn, w) for w in who) if p is not None), None)
    if person is not None:
        conn.execute(delete(identities).where(identities.c.person_id == person))
        conn.execute(delete(people).where(people.c.id == person))
    counts["posts_redacted"] = related.redact_posts(conn, names)
    counts["other_rows_redacted"] = related.redact_elsewhere(conn, names)
    log_event(conn, actor, "erased_person", None, {"removed": counts})
    return counts


def apply_retention(conn: Connection, days: int, now: datetime | None = None) -> dict[str, int]:
    """Drop raw payloads and closed cases older than ``days`` days."""
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    raw = conn.execute(
        update(posts).where(posts.c.created_at < cutoff, posts.c.raw.is_not(None)).values(raw=None)
    ).rowcount
    old = list(
        conn.execute(
            select(cases.c.id).where(
                cases.c.status == CaseStatus.CLOSED, cases.c.closed_at < cutoff
            )
        ).scalars()
    )
    if old:
        conn.execute(update(posts).where(posts.c.case_id.in_(old)).values(case_id=None))
        conn.execute(update(events).where(events.c.case_id.in_(old)).values(case_id=None))
        conn.execute(delete(cases).where(cases.c.id.in_(old)))
    return {"raw_payloads": raw, "closed_cases": len(old)}
