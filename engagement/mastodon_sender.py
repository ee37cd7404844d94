"""Replying on Mastodon as the brand account, once per draft.

``send_once`` keeps a second click from calling the platform again; the idempotency key it
holds also travels to Mastodon as the ``Idempotency-Key`` header, so even a request repeated
after a lost answer creates no second status (Mastodon remembers the key for an hour).
"""

from __future__ import annotations

from dataclasses import dataclass
from hashlib import sha256
from typing import Protocol

from connectors import mastodon_api
from connectors.base import PlatformError
from settings import Settings


class _Reply(Protocol):
    """What of ``senders.OutgoingReply`` a Mastodon reply needs."""

    @property
    def in_reply_to(self) -> str | None: ...

    @property
    def text(self) -> str: ...


@dataclass
class MastodonSender:
    """A reply posted with ``status_post`` in the original's thread and visibility."""

    settings: Settings
    label: str = "Mastodon"
    sandbox: bool = False

    def send(self, reply: _Reply, key: str) -> str:
        if not reply.in_reply_to:
            raise PlatformError("a reply on mastodon needs the post it answers")
        client = mastodon_api.make_client(
            self.settings.get("MASTODON_API_BASE_URL"),
            self.settings.get("MASTODON_ACCESS_TOKEN"),
        )
        # The draft's key, hashed: it may name the case and the person sending.
        idempotency = sha256(key.encode()).hexdigest()
        return mastodon_api.send_reply(client, reply.in_reply_to, reply.text, idempotency)
