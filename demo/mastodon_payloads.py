"""The demo workspace on Mastodon: stories told on the brand's instance, rendered as pages of
``Status`` JSON exactly as a Mastodon 4 server sends them (HTML content with mention markup).

The stories are the X stories (a question to the brand, a complaint, a broadcast and its
replies, ...), told on Mastodon instead: ``tell`` relabels their public lines. The renderer keeps
a story on one page of at most 40 statuses, newest first, so a reply's thread root is in its page,
as on a live hashtag timeline read since its last sync.
"""

from __future__ import annotations

import html
import random
import time
from collections.abc import Iterator
from typing import Any

from demo.cast import BRAND, BRAND_CAREERS_X, Cast, Person
from demo.scenes import Line
from demo.scenes import tell as tell_story

CHANNEL = "mastodon"
SHARE = 0.05  # of the demo's posts
PAGE = 40
INSTANCE = "northwind.social"  # where the brand's accounts live
ELSEWHERE = "mastodon.example"  # everyone else's server
_BRAND_KEYS = {BRAND.key, BRAND_CAREERS_X.key}


def brand_handles() -> list[tuple[str, str, str]]:
    """(handle, account id, display name) of the brand's accounts on its instance."""
    return [(f"{who.handle}@{INSTANCE}", who.uid, who.name) for who in (BRAND, BRAND_CAREERS_X)]


def tell(channel: str, rng: random.Random, cast: Cast, t0: int, day0: int) -> list[Line]:
    """One story on Mastodon: an X story whose public lines are posted on Mastodon instead
    (a move to e-mail stays e-mail)."""
    lines = tell_story("x", rng, cast, t0, day0)
    for line in lines:
        if line.channel == "x":
            line.channel = CHANNEL
        elif line.channel == "email" and isinstance(line.text, str):  # signed as on Mastodon
            who = line.who
            line.text = line.text.replace(
                f"(@{who.handle} on X)", f"(@{who.handle}@{_host(who)} on Mastodon)"
            )
    return lines


def _stamp(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t))


def _host(who: Person) -> str:
    return INSTANCE if who.key in _BRAND_KEYS else ELSEWHERE


def _account(who: Person) -> dict[str, Any]:
    host = _host(who)
    local = host == INSTANCE
    return {
        "id": who.uid,
        "username": who.handle,
        "acct": who.handle if local else f"{who.handle}@{host}",
        "display_name": who.name,
        "locked": False,
        "bot": False,
        "discoverable": True,
        "group": False,
        "created_at": "2022-11-07T00:00:00.000Z",
        "note": "",
        "url": f"https://{host}/@{who.handle}",
        "avatar": f"https://{host}/avatars/original/missing.png",
        "avatar_static": f"https://{host}/avatars/original/missing.png",
        "header": f"https://{host}/headers/original/missing.png",
        "header_static": f"https://{host}/headers/original/missing.png",
        "followers_count": who.followers,
        "following_count": 40 + abs(who.key) * 37 % 900,
        "statuses_count": 120 + abs(who.key) * 7919 % 24_000,
        "emojis": [],
        "fields": [],
    }


def _mention(account: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Mastodon's mention markup for an account, and its entry in ``mentions``."""
    markup = (
        f'<span class="h-card" translate="no"><a href="{account["url"]}" '
        f'class="u-url mention">@<span>{account["username"]}</span></a></span>'
    )
    entry = {k: account[k] for k in ("id", "username", "url", "acct")}
    return markup, entry


def _content(line: Line) -> tuple[str, list[dict[str, Any]]]:
    """The status's HTML: a reply starts by mentioning whom it answers (as Mastodon's composer
    writes it), a mention of the brand becomes mention markup, blank lines paragraphs."""
    text, people = line.text, []
    parent = line.parent
    if parent is not None and parent.who.key != line.who.key:
        people.append(parent.who)
        text = text.removeprefix(f"@{parent.who.handle} ")
    body = html.escape(text, quote=False)
    mentions: list[dict[str, Any]] = []
    for who in people:
        markup, entry = _mention(_account(who))
        body, mentions = f"{markup} {body}", [*mentions, entry]
    brand_mark = f"@{BRAND.handle}"
    if brand_mark in body and all(m["id"] != BRAND.uid for m in mentions):
        markup, entry = _mention(_account(BRAND))
        body, mentions = body.replace(brand_mark, markup, 1), [*mentions, entry]
    paragraphs = [p.replace("\n", "<br>") for p in body.split("\n\n")]
    return "".join(f"<p>{p}</p>" for p in paragraphs), mentions


class MastodonPages:
    """Hashtag-timeline pages (``GET /api/v1/timelines/tag/…``): lists of statuses, newest
    first, a story kept on one page unless it alone holds more than a page."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.statuses: list[tuple[int, dict[str, Any]]] = []
        self.seq = 0

    def add(self, lines: list[Line]) -> Iterator[list[dict[str, Any]]]:
        if self.statuses and len(self.statuses) + len(lines) > PAGE:
            yield self._page()
        for line in lines:
            if len(self.statuses) == PAGE:
                yield self._page()
            self.statuses.append(self._status(line))

    def close(self) -> Iterator[list[dict[str, Any]]]:
        if self.statuses:
            yield self._page()

    def _status(self, line: Line) -> tuple[int, dict[str, Any]]:
        self.seq += 1
        status_id = (line.at * 1000 << 16) | (self.seq & 0xFFFF)  # Mastodon's snowflake ids
        line.ext = str(status_id)
        author = _account(line.who)
        content, mentions = _content(line)
        parent = line.parent
        likes = int(self.rng.random() ** 3 * (4 + line.who.followers / 150))
        host, user = _host(line.who), line.who.handle
        return status_id, {
            "id": line.ext,
            "created_at": _stamp(line.at),
            "in_reply_to_id": parent.ext if parent is not None else None,
            "in_reply_to_account_id": parent.who.uid if parent is not None else None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": "public",
            "language": line.lang,
            "uri": f"https://{host}/users/{user}/statuses/{line.ext}",
            "url": f"https://{host}/@{user}/{line.ext}",
            "replies_count": 0,
            "reblogs_count": likes // 7,
            "favourites_count": likes,
            "edited_at": None,
            "content": content,
            "reblog": None,
            "application": {"name": "Web", "website": None},
            "account": author,
            "media_attachments": [],
            "mentions": mentions,
            "tags": [{"name": "northwindlabs", "url": f"https://{INSTANCE}/tags/northwindlabs"}],
            "emojis": [],
            "card": None,
            "poll": None,
        }

    def _page(self) -> list[dict[str, Any]]:
        ordered = [status for _, status in sorted(self.statuses, key=_first, reverse=True)]
        self.statuses = []
        return ordered


def _first(pair: tuple[int, dict[str, Any]]) -> int:
    return pair[0]


def page_posts(page: Any) -> int:
    """How many posts a page holds, counted without mapping it."""
    return len(page) if isinstance(page, list) else 0


__all__ = ["CHANNEL", "SHARE", "MastodonPages", "brand_handles", "page_posts", "tell"]
