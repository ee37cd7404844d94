"""The audit log, and the idempotency keys that make a double click post only once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from store.schema import events


class AlreadyInFlight(Exception):
    """Another request with the same idempotency key is being sent right now."""


def log_event(
    conn: Connection,
    actor: str,
    action: str,
    case_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        insert(events).values(
            case_id=case_id, at=datetime.now(UTC), actor=actor, action=action, detail=detail or {}
        )
    )


def sent_post_id(conn: Connection, key: str) -> str | None:
    """The platform id already posted under ``key``, if any."""
    return conn.execute(
        select(events.c.platform_post_id).where(events.c.idempotency_key == key)
    ).scalar()


def claim(
    conn: Connection, key: str, actor: str, action: str, case_id: int | None, detail: dict[str, Any]
) -> None:
    """Reserve ``key`` before sending; a second claim of the same key fails at once."""
    try:
        with conn.begin_nested():
            conn.execute(
                insert(events).values(
                    case_id=case_id,
                    at=datetime.now(UTC),
                    actor=actor,
                    action=action,
                    detail={**detail, "state": "sending"},
                    idempotency_key=key,
                )
            )
    except IntegrityError:
        raise AlreadyInFlight(f"a send with key {key} is already recorded") from None


def complete(conn: Connection, key: str, platform_post_id: str, detail: dict[str, Any]) -> None:
    conn.execute(
        update(events)
        .where(events.c.idempotency_key == key)
        .values(platform_post_id=platform_post_id, detail={**detail, "state": "sent"})
    )


def release(
    conn: Connection, key: str, detail: dict[str, Any], reason: str, action: str = "reply_failed"
) -> None:
    """A failed send frees its key (so it may be retried) and stays in the log with why."""
    conn.execute(
        update(events)
        .where(events.c.idempotency_key == key)
        .values(
            idempotency_key=None,
            action=action,
            detail={**detail, "state": "failed", "reason": reason},
        )
    )
