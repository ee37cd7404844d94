"""How other people's posts name a person, and the same posts with that name replaced.

Erasing a person (GDPR art. 17) must reach beyond their own posts: Ria writes "@sam_dev asked
the same", cc's sam@example.com, and X records the user id Ria answered. ``Names`` holds every
form a person is named by — handles, addresses and the platforms' user ids — finds them in
texts and raw payloads, and replaces them with ``[erased]``. An export (art. 15) uses the same
finder, so what it shows is exactly what an erasure would change. Pure Python: the queries that
pick candidate rows are in ``store.related``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

ERASED = "[erased]"

# How a handle is written in a post: @sam_dev, u/sam_dev, /u/sam_dev, or a profile link
# (x.com/sam_dev, reddit.com/user/sam_dev, youtube.com/@sam_dev). A bare word is left alone:
# a handle like "jobs" or "ria" is also an ordinary word in other people's sentences.
_HANDLE_PREFIX = (
    r"(?:(?<![\w@])@"
    r"|(?<![\w/])/?u/"
    r"|(?<![\w-])(?:x|twitter|youtube|reddit)\.com/(?:@|u/|user/)?)"
)


@dataclass(frozen=True)
class Names:
    """The forms that name one person: handles and addresses (any case), user ids (exact)."""

    handles: frozenset[str]
    addresses: frozenset[str]
    user_ids: frozenset[str]
    # Mastodon: profile addresses (server/@user, server/users/user) and the local user names
    # its mention markup shows (@<span>user</span>).
    profiles: frozenset[str] = frozenset()
    mention_users: frozenset[str] = frozenset()

    @classmethod
    def of(cls, identities: Iterable[tuple[str, str]], user_ids: Iterable[str]) -> Names:
        """From a person's identities (platform, handle) and the author ids of their posts."""
        handles: set[str] = set()
        addresses: set[str] = set()
        profiles: set[str] = set()
        for platform, handle in identities:
            name = handle.strip().lstrip("@").lower()
            (addresses if platform == "email" or "@" in name else handles).add(name)
            user, _, server = name.partition("@")
            if platform == "mastodon" and user and server:
                profiles.update({f"{server}/@{user}", f"{server}/users/{user}"})
        users = {p.rpartition("/@")[2] for p in profiles if "/@" in p}
        ids = {i for i in user_ids if i and i.lower() not in handles | addresses}
        return cls(
            frozenset(handles),
            frozenset(addresses),
            frozenset(ids),
            frozenset(profiles),
            frozenset(users),
        )

    def needles(self) -> list[str]:
        """Lower-case strings one of which any naming text contains (to pick rows cheaply)."""
        found = self.handles | self.addresses | self.profiles | self.mention_users
        return sorted(found | {i.lower() for i in self.user_ids})

    def redact_text(self, text: str | None) -> str | None:
        """The text with every handle and address of the person replaced by ``[erased]``."""
        if not text:
            return text
        if self.handles:
            text = _handle_pattern(self.handles).sub(rf"\g<1>{ERASED}", text)
        if self.addresses:
            text = _address_pattern(self.addresses).sub(ERASED, text)
        if self.profiles:
            text = _profile_pattern(self.profiles).sub(rf"\g<1>{ERASED}", text)
        if self.mention_users:
            text = _mention_markup_pattern(self.mention_users).sub(rf"\g<1>{ERASED}", text)
        return text

    def redact_json(self, value: Any) -> Any:
        """A raw payload with the person's names replaced wherever they occur: in any text,
        and as whole values (``"username": "sam_dev"``, ``"in_reply_to_user_id": "4015"``)."""
        if isinstance(value, dict):
            return {self._redact_value(k): self.redact_json(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.redact_json(v) for v in value]
        if isinstance(value, str):
            return self._redact_value(value)
        return value

    def _redact_value(self, value: str) -> str:
        bare = value.strip().lstrip("@").lower()
        named = self.handles | self.addresses | self.mention_users
        if bare in named or value.strip() in self.user_ids:
            return ERASED
        return self.redact_text(value) or value

    def name_in(self, *values: Any) -> bool:
        """Whether any of the texts or payloads names the person."""
        return any(self.redact_json(v) != v for v in values if v is not None)


def _alternation(names: Iterable[str]) -> str:
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


def _handle_pattern(handles: frozenset[str]) -> re.Pattern[str]:
    return re.compile(rf"({_HANDLE_PREFIX})(?:{_alternation(handles)})(?![\w-])", re.IGNORECASE)


def _address_pattern(addresses: frozenset[str]) -> re.Pattern[str]:
    # sam@example.com but not xsam@example.com or sam@example.com.au
    return re.compile(rf"(?<![\w.+-])(?:{_alternation(addresses)})(?![\w-]|\.[\w-])", re.IGNORECASE)


def _profile_pattern(profiles: frozenset[str]) -> re.Pattern[str]:
    # https://mastodon.example/@sam and …/users/sam, but not …/@samuel: the name is replaced
    servers = _alternation({p.rpartition("/")[0] + "/" for p in profiles})
    users = _alternation({p.rpartition("/")[2].lstrip("@") for p in profiles})
    return re.compile(rf"((?:{servers})@?)(?:{users})(?![\w-])", re.IGNORECASE)


def _mention_markup_pattern(users: frozenset[str]) -> re.Pattern[str]:
    # Mastodon's mention markup in a raw payload's HTML: @<span>sam</span>
    return re.compile(rf"(@<span>)(?:{_alternation(users)})(?=</span>)", re.IGNORECASE)
