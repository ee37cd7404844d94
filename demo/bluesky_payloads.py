"""Bluesky in the demo workspace: stories told on Bluesky, written as the responses of
``app.bsky.feed.searchPosts`` (``{"posts": [postView…], "cursor"}``), which the demo maps with
the real ``connectors.bluesky.posts_from_response``.

Bluesky stories are the X stories (a question, a complaint, a chase, the brand's answer) told
by the same people under their Bluesky identities: ``<handle>.bsky.social`` and a DID derived
from the person, so a candidate is one person across channels. Deterministic like the rest of
the demo: ids from counters and digests, times from the story.
"""

from __future__ import annotations

import hashlib
import random
import re
import time
from collections.abc import Iterator
from typing import Any

from demo.cast import BRAND, BRAND_CAREERS_X, Person, encode

CHANNEL = "bluesky"
PAGE = 100
MAX_CHARS = 300  # Bluesky's limit (in graphemes)
_TID = "234567abcdefghijklmnopqrstuvwxyz"  # base32-sortable: the alphabet of record keys
_CID = "abcdefghijklmnopqrstuvwxyz234567"  # base32 of CIDv1
_X_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,15})\b")


def handle_of(who: Person) -> str:
    return f"{who.handle.lower().replace('_', '-')}.bsky.social"


def did_of(who: Person) -> str:
    digest = int.from_bytes(hashlib.sha256(f"did:{who.key}".encode()).digest()[:15], "big")
    return f"did:plc:{encode(digest, 24, _CID)}"


BRAND_IDENTITIES = tuple(
    (handle_of(who), did_of(who), who.name) for who in (BRAND, BRAND_CAREERS_X)
)


def as_bluesky(lines: list[Any]) -> list[Any]:
    """A story told on X, moved to Bluesky (lines that spill to e-mail stay there, signed with
    the candidate's Bluesky handle, not the X one they never used here)."""
    for line in lines:
        if line.channel == "x":
            line.channel = CHANNEL
        elif line.channel == "email" and isinstance(line.text, str):
            line.text = line.text.replace(
                f"(@{line.who.handle} on X)", f"(@{handle_of(line.who)} on Bluesky)"
            )
    return lines


def _stamp(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t))


def _text(text: str) -> str:
    """X mentions (``@NorthwindLabs``) as Bluesky's (``@northwindlabs.bsky.social``)."""
    text = _X_MENTION.sub(lambda m: f"@{m.group(1).lower().replace('_', '-')}.bsky.social", text)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


class BlueskyPages:
    """searchPosts responses of up to 100 post views, newest first; a story is kept on one
    page unless it alone exceeds one, so a brand reply sits beside the post it answers."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.views: list[tuple[int, dict[str, Any]]] = []
        self.seq = 0

    def add(self, lines: list[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        if self.views and len(self.views) + len(lines) > PAGE:
            yield self._page(more=True)
        replies: dict[int, int] = {}
        for line in lines:
            if line.parent is not None:
                replies[id(line.parent)] = replies.get(id(line.parent), 0) + 1
        for line in lines:
            if len(self.views) == PAGE:
                yield self._page(more=True)
            self.views.append((line.at, self._view(line, replies.get(id(line), 0))))

    def close(self) -> Iterator[tuple[str, dict[str, Any]]]:
        if self.views:
            yield self._page(more=False)

    def _view(self, line: Any, reply_count: int) -> dict[str, Any]:
        self.seq += 1
        who = line.who
        did = did_of(who)
        rkey = encode((line.at * 1_000_000 << 10) | (self.seq & 1023), 13, _TID)
        line.ext = f"at://{did}/app.bsky.feed.post/{rkey}"
        digest = int.from_bytes(hashlib.sha256(line.ext.encode()).digest()[:32], "big")
        line.node = f"bafyrei{encode(digest, 52, _CID)}"
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "createdAt": _stamp(line.at),
            "langs": [line.lang],
            "text": _text(line.text),
        }
        if line.parent is not None:
            root = line.root
            record["reply"] = {
                "parent": {"cid": line.parent.node, "uri": line.parent.ext},
                "root": {"cid": root.node, "uri": root.ext},
            }
        likes = int(self.rng.random() ** 3 * (3 + who.followers / 200))
        return {
            "uri": line.ext,
            "cid": line.node,
            "author": {
                "did": did,
                "handle": handle_of(who),
                "displayName": who.name,
                "labels": [],
                "createdAt": "2024-02-06T09:00:00.000Z",
            },
            "record": record,
            "replyCount": reply_count,
            "repostCount": likes // 8,
            "likeCount": likes,
            "quoteCount": likes // 50,
            "indexedAt": _stamp(line.at),
            "labels": [],
        }

    def _page(self, more: bool) -> tuple[str, dict[str, Any]]:
        self.views.sort(key=lambda pair: pair[0], reverse=True)
        page: dict[str, Any] = {"posts": [view for _, view in self.views]}
        if more:
            page["cursor"] = str(self.rng.getrandbits(32))
        self.views = []
        return "bluesky_page", page
