"""The shape every connector speaks: a normalised ``Post``, a ``Batch`` with its cursor, and errors.

Connectors know one platform each. They turn that platform's payloads into ``Post`` values with
pure mapping functions, so the live API, the platform's export format and the demo workspace all
go through the same code.

Exception tree::

    ConnectorError
    ├── NotConfiguredError      a required setting is missing (names it)
    ├── MalformedPayloadError   one item could not be mapped (recorded, skipped)
    └── PlatformError           the platform refused a request (rate limit, auth, 5xx)
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol


class ConnectorError(Exception):
    """Base of every error a connector raises."""


class NotConfiguredError(ConnectorError):
    """A setting the connector needs is missing; the message names it."""


class MalformedPayloadError(ConnectorError):
    """One item of a payload could not be mapped; the sync records it and goes on."""


class PlatformError(ConnectorError):
    """The platform answered with an error we could not recover from."""


@dataclass(frozen=True, slots=True)
class Post:
    """One message on any channel, in the form the store and the analysis understand.

    ``thread_key`` groups a conversation (X conversation id, Reddit submission, e-mail thread
    root, YouTube comment thread); ``reply_to`` lists every id this post answers, because an
    e-mail answers its whole ``References`` chain, not only its direct parent.
    """

    platform: str
    external_id: str
    author_id: str
    author_handle: str
    text: str
    created_at: datetime
    thread_key: str
    parent_external_id: str | None = None
    reply_to: tuple[str, ...] = ()
    author_name: str | None = None
    author_email: str | None = None
    author_reach: int | None = None
    url: str | None = None
    lang: str | None = None
    subject: str | None = None
    is_auto_reply: bool = False
    recipients: tuple[str, ...] = ()
    source: str = ""
    raw: dict[str, Any] | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.external_id:
            raise MalformedPayloadError(f"{self.platform} post without an id")
        if self.created_at.tzinfo is None:
            raise MalformedPayloadError(f"{self.platform} post {self.external_id}: naive timestamp")


@dataclass(frozen=True, slots=True)
class Problem:
    """An item that could not be mapped: kept so the sync can report it instead of dying."""

    source: str
    item_id: str | None
    reason: str


@dataclass(slots=True)
class Batch:
    """Posts read together, the cursor that covers them, and what the read cost.

    The store commits the posts and the cursor in one transaction, so a crash between batches
    resumes exactly where the last commit stopped.
    """

    source: str
    posts: list[Post]
    cursor: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)
    items_read: int = 0
    users_read: int = 0
    units: int = 0  # platform quota units the requests behind this batch cost (YouTube)


class Connector(Protocol):
    """What ingest needs from a platform: batches of new posts since a cursor."""

    name: str

    def fetch(self, cursor: dict[str, Any] | None) -> Iterator[Batch]: ...


def parse_timestamp(value: str | int | float) -> datetime:
    """Read ISO 8601 strings (with ``Z``) and Unix seconds into an aware UTC datetime."""
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(float(value), tz=UTC)
    text = str(value).strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise MalformedPayloadError(f"unreadable timestamp {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
