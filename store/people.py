"""People across channels: identities (platform + handle or address) linked to one person."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select, update

from store.schema import identities, people

Identity = tuple[str, str]


def bare_handle(text: str) -> str:
    """A handle as the platforms store it: people type X and YouTube handles with their "@"
    and Reddit ones with "u/", but the author fields hold the name alone."""
    text = text.strip().lstrip("@")
    for prefix in ("/u/", "u/"):
        if text[: len(prefix)].lower() == prefix:
            return text[len(prefix) :]
    return text


def identity(platform: str, handle: str) -> Identity:
    """The normal form: handles compare without '@', 'u/' and case."""
    return platform, bare_handle(handle).lower()


def person_of(conn: Connection, who: Identity) -> int | None:
    platform, handle = identity(*who)
    return conn.execute(
        select(identities.c.person_id).where(
            identities.c.platform == platform, identities.c.handle == handle
        )
    ).scalar()


def _attach(conn: Connection, who: Identity, person_id: int, linked_by: str) -> None:
    platform, handle = identity(*who)
    conn.execute(
        insert(identities).values(
            person_id=person_id,
            platform=platform,
            handle=handle,
            linked_by=linked_by,
            created_at=datetime.now(UTC),
        )
    )


def link(conn: Connection, first: Identity, second: Identity, linked_by: str) -> int:
    """Make two identities one person (merging two people if both had one)."""
    if identity(*first) == identity(*second):
        raise ValueError("an identity cannot be linked to itself")
    a, b = person_of(conn, first), person_of(conn, second)
    if a is not None and b is not None:
        if a != b:
            conn.execute(update(identities).where(identities.c.person_id == b).values(person_id=a))
            conn.execute(delete(people).where(people.c.id == b))
        return a
    if a is None and b is None:
        a = conn.execute(
            insert(people).values(created_at=datetime.now(UTC)).returning(people.c.id)
        ).scalar_one()
        _attach(conn, first, a, linked_by)
        _attach(conn, second, a, linked_by)
        return a
    person = a if a is not None else b
    assert person is not None  # both None is handled above
    _attach(conn, second if a is not None else first, person, linked_by)
    return person


def identities_of(conn: Connection, who: Identity) -> list[Identity]:
    """Every identity of the person behind ``who`` (just ``who`` when not linked)."""
    person = person_of(conn, who)
    if person is None:
        return [identity(*who)]
    rows = conn.execute(
        select(identities.c.platform, identities.c.handle)
        .where(identities.c.person_id == person)
        .order_by(identities.c.platform, identities.c.handle)
    )
    return [(row.platform, row.handle) for row in rows]
