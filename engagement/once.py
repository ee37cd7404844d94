"""Sending a reply exactly once, whatever the clicks, reruns and retries.

The idempotency key is reserved in the audit log before the platform is called and completed
with the platform's post id after; a repeat with the same key returns that id without sending.
"""

from __future__ import annotations

from collections.abc import Callable

from connectors.base import ConnectorError
from pipeline.workspace import Workspace
from settings import redact
from store import events


def send_once(
    ws: Workspace,
    key: str,
    send: Callable[[], str],
    *,
    actor: str,
    case_id: int | None = None,
    detail: dict | None = None,
) -> str:
    """Call ``send`` unless a reply with ``key`` was already posted; returns the post id."""
    detail = detail or {}
    with ws.engine.begin() as conn:
        existing = events.sent_post_id(conn, key)
        if existing:
            return existing
        events.claim(conn, key, actor, "reply", case_id, detail)
    try:
        post_id = send()
    except ConnectorError as exc:
        with ws.engine.begin() as conn:
            events.release(conn, key, detail, redact(str(exc)))  # a platform may echo tokens
        raise
    with ws.engine.begin() as conn:
        events.complete(conn, key, post_id, detail)
    return post_id
