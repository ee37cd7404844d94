"""A seeded demo workspace for the fictional employer "Northwind Labs", as platform payloads.

``generate`` streams what the platforms themselves would return: X API v2 search pages, Reddit
``/comments/ID.json`` threads, RFC 5322 e-mails and YouTube ``commentThreads.list`` pages. The
demo connector maps them with the real mapping functions, so the demo exercises the same code as
a live sync. The stories (who says what, when) live in ``demo.scenes``; this module only
budgets them and formats them for each platform.

Guarantees, each tested:

* the same ``(posts, seed, end, days)`` gives byte-identical payloads (one ``random.Random``
  per concern, ids from counters, no ``hash()``, no clock reads except the default ``end``);
* exactly ``posts`` posts, all in ``[end - days, end)``; nothing is answered after ``end``;
* it streams: memory stays flat at a million posts (buffers hold one X page and one YouTube
  page; the cast is derived from numbers, not stored).
"""

from __future__ import annotations

import base64
import functools
import html
import math
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from demo import mastodon_payloads
from demo.bluesky_payloads import BRAND_IDENTITIES, BlueskyPages, as_bluesky
from demo.cast import (
    BASE36,
    BRAND,
    BRAND_CAREERS_X,
    BRAND_CHANNEL,
    DAY,
    Cast,
    amsterdam_offset,
    encode,
    local_time,
    scramble,
)
from demo.feed_payloads import FeedDocuments
from demo.hn_payloads import BRAND_HN_USER, HnSearchPages
from demo.scenes import Line, tell
from demo.words import CAREERS, MONTHS, NO_REPLY

EPOCH_MS = 1288834974657  # X snowflake epoch: id >> 22 is milliseconds since it
SHARES = {  # relative weight of each channel in the demo's posts (Mastodon's is set below)
    "x": 0.34,
    "reddit": 0.17,
    "email": 0.17,
    "youtube": 0.10,
    "feed": 0.03,
    "bluesky": 0.07,
    "hn": 0.03,
}
SHARES[mastodon_payloads.CHANNEL] = mastodon_payloads.SHARE
TELLERS = {mastodon_payloads.CHANNEL: mastodon_payloads.tell}  # channels with their own stories
WEEKDAY_WEIGHT = (1.15, 1.1, 1.05, 1.0, 0.85, 0.5, 0.55)  # Monday first
X_PAGE, YOUTUBE_PAGE = 100, 20


@dataclass(frozen=True)
class BrandAccount:
    """One of the employer's own identities; a post by it is a brand post."""

    platform: str
    handle: str
    external_user_id: str
    display_name: str


BRAND_ACCOUNTS: tuple[BrandAccount, ...] = (
    BrandAccount("x", BRAND.handle, BRAND.uid, BRAND.name),
    BrandAccount("x", BRAND_CAREERS_X.handle, BRAND_CAREERS_X.uid, BRAND_CAREERS_X.name),
    BrandAccount("reddit", BRAND.reddit, BRAND.rid, "Northwind Labs recruiting"),
    BrandAccount("youtube", BRAND.handle, BRAND_CHANNEL, BRAND.name),
    BrandAccount("hn", BRAND_HN_USER, BRAND_HN_USER, BRAND.name),
    BrandAccount("email", CAREERS, CAREERS, "Northwind Labs Careers"),
    BrandAccount("email", NO_REPLY, NO_REPLY, "Northwind Labs"),
    BrandAccount("feed", BRAND.handle, BRAND.handle, BRAND.name),  # its answers on blogs
    BrandAccount("reviews", BRAND.name, BRAND.name, BRAND.name),
    *(BrandAccount("mastodon", *account) for account in mastodon_payloads.brand_handles()),
    *(BrandAccount("bluesky", handle, did, name) for handle, did, name in BRAND_IDENTITIES),
)


@dataclass(frozen=True)
class DemoPayload:
    """One platform payload: ``x_page`` and ``youtube_page`` are dicts, ``reddit_thread`` a
    list of two Listings, ``email`` the message's bytes."""

    kind: str
    payload: object


# ----------------------------------------------------------------------------------- budgeting


def generate(
    posts: int = 3000, seed: int = 7, end: datetime | None = None, days: int = 90
) -> Iterator[DemoPayload]:
    """Stream the workspace: exactly ``posts`` posts in the ``days`` days before ``end``.

    ``end`` defaults to today's 00:00 UTC, so two runs on one day agree. Stories start day by
    day in time order; each is cut at ``end`` and at the day's remaining budget, which keeps
    the total exact and the newest days full of still-open questions.
    """
    if posts < 0 or days < 1:
        raise ValueError("posts must be >= 0 and days >= 1")
    stop, start = _window(end, days)
    rng = random.Random(seed)
    cast = Cast(seed, max(60, posts // 5))
    writer = _Writer(random.Random(f"render:{seed}"))
    made = dict.fromkeys(SHARES, 0)
    for day, quota in enumerate(day_quotas(posts, start, days, random.Random(f"days:{seed}"))):
        day0 = start + day * DAY
        while quota > 0:
            channel = max(SHARES, key=lambda c: SHARES[c] * (sum(made.values()) + 1) - made[c])
            teller = TELLERS.get(channel, tell)
            lines = _keep(teller(channel, rng, cast, local_time(rng, day0), day0), stop, quota)
            lines = as_bluesky(lines) if channel == "bluesky" else lines
            quota -= len(lines)
            for line in lines:
                made[line.channel] += 1
            yield from writer.write(lines)
    yield from writer.close()


def _window(end: datetime | None, days: int) -> tuple[int, int]:
    """``(stop, start)`` in whole seconds: a post time ``t`` is in the window iff
    ``start <= t < stop``, which for integer ``t`` is exactly ``end - days <= t < end``."""
    if end is None:
        stop = int(time.time()) // DAY * DAY
    else:
        stop = math.ceil((end if end.tzinfo else end.replace(tzinfo=UTC)).timestamp())
    return stop, stop - days * DAY


def day_quotas(posts: int, start: int, days: int, rng: random.Random) -> list[int]:
    """Posts per day: a weekly rhythm, slow growth and one busy news day; sums to ``posts``."""
    news_day = int(days * (0.55 + 0.2 * rng.random()))
    weights = []
    for d in range(days):
        weight = WEEKDAY_WEIGHT[(start // DAY + d + 3) % 7] * (0.85 + 0.3 * d / days)
        weight *= (0.9 + 0.2 * rng.random()) * (2.2 if d == news_day else 1.0)
        weights.append(weight)
    total = sum(weights)
    exact = [posts * w / total for w in weights]
    quotas = [int(x) for x in exact]
    by_remainder = sorted(range(days), key=lambda d: (quotas[d] - exact[d], d))
    for d in by_remainder[: posts - sum(quotas)]:
        quotas[d] += 1
    return quotas


def _keep(lines: list[Line], stop: int, quota: int) -> list[Line]:
    """The story's lines before ``stop``, in time order, at most ``quota`` of them.

    Every reply is later than what it replies to, so any prefix in time order keeps every
    parent of every line it keeps.
    """
    kept = [line for line in lines if line.at < stop]
    kept.sort(key=_at)
    return kept[:quota]


def _at(line: Line) -> int:
    return line.at


class _Writer:
    """Routes a story's lines to the four platform formats and yields finished payloads."""

    def __init__(self, rng: random.Random) -> None:
        self.x = _XPages(rng)
        self.reddit = _RedditThreads(rng)
        self.youtube = _YouTubePages(rng)
        self.mail = _Mailer(rng)
        self.feed = FeedDocuments(DemoPayload)
        self.mastodon = mastodon_payloads.MastodonPages(rng)
        self.bluesky = BlueskyPages(rng)
        self.hn = HnSearchPages()

    def write(self, lines: list[Line]) -> Iterator[DemoPayload]:
        by_channel: dict[str, list[Line]] = {}
        for line in lines:
            by_channel.setdefault(line.channel, []).append(line)
        if "x" in by_channel:
            yield from self.x.add(by_channel["x"])
        for thread in _threads(by_channel.get("reddit", ())):
            yield DemoPayload("reddit_thread", self.reddit.thread(thread))
        if "youtube" in by_channel:
            yield from self.youtube.add(_threads(by_channel["youtube"]))
        for line in by_channel.get("email", ()):
            yield DemoPayload("email", self.mail.message(line))
        yield from self.feed.add(by_channel.get("feed", []))
        for page in self.mastodon.add(by_channel.get(mastodon_payloads.CHANNEL, [])):
            yield DemoPayload("mastodon_page", page)
        if "bluesky" in by_channel:
            yield from (DemoPayload(*p) for p in self.bluesky.add(by_channel["bluesky"]))
        yield from (DemoPayload("hn_search", r) for r in self.hn.add(by_channel.get("hn", [])))

    def close(self) -> Iterator[DemoPayload]:
        yield from self.x.close()
        yield from self.youtube.close()
        yield from self.feed.close()
        for page in self.mastodon.close():
            yield DemoPayload("mastodon_page", page)
        yield from (DemoPayload(*p) for p in self.bluesky.close())
        yield from (DemoPayload("hn_search", r) for r in self.hn.close())


def _threads(lines) -> list[list[Line]]:
    """Lines grouped by thread root, roots in the order they appear."""
    groups: dict[int, list[Line]] = {}
    for line in lines:
        groups.setdefault(id(line.root), []).append(line)
    return list(groups.values())


# -------------------------------------------------------------------------------- shared bits

_DATES: dict[int, str] = {}


def _stamp(t: int) -> str:
    """``2026-10-01T09:15:02`` without a datetime per post (the hot path of a million posts)."""
    day, sec = divmod(t, DAY)
    date = _DATES.get(day)
    if date is None:
        date = _DATES[day] = time.strftime("%Y-%m-%d", time.gmtime(day * DAY))
    hour, rest = divmod(sec, 3600)
    return f"{date}T{hour:02d}:{rest // 60:02d}:{rest % 60:02d}"


def _token(rng: random.Random, width: int, alphabet: str | None = None) -> str:
    """Random-looking id characters: URL-safe base64 (as YouTube uses) or ``alphabet``."""
    if alphabet is None:
        return base64.urlsafe_b64encode(rng.randbytes((width * 3 + 3) // 4)).decode()[:width]
    return encode(rng.getrandbits(6 * width), width, alphabet)


# ------------------------------------------------------------------------------------------- X


class _XPages:
    """X API v2 ``search/recent`` pages: up to 100 tweets, newest first, authors expanded.

    A story is never split over two pages unless it alone exceeds a page, so a brand reply
    sits in the page of the tweet it answers.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.tweets: list[tuple[int, dict]] = []
        self.users: dict[str, dict] = {}
        self.seq = 0

    def add(self, lines: list[Line]) -> Iterator[DemoPayload]:
        if self.tweets and len(self.tweets) + len(lines) > X_PAGE:
            yield self._page(more=True)
        replies: dict[int, int] = {}
        for line in lines:
            if line.parent is not None:
                replies[id(line.parent)] = replies.get(id(line.parent), 0) + 1
        for line in lines:
            if len(self.tweets) == X_PAGE:
                yield self._page(more=True)
            self.tweets.append(self._tweet(line, replies.get(id(line), 0)))
            if line.who.uid not in self.users:
                self.users[line.who.uid] = _x_user(line.who)

    def close(self) -> Iterator[DemoPayload]:
        if self.tweets:
            yield self._page(more=False)

    def _tweet(self, line: Line, reply_count: int) -> tuple[int, dict]:
        self.seq += 1
        tweet_id = ((line.at * 1000 - EPOCH_MS) << 22) | (self.seq & 0x3FFFFF)
        line.ext = str(tweet_id)
        text, parent = line.text, line.parent
        if parent is not None and parent.who.key != line.who.key:
            mention = f"@{parent.who.handle}"
            text = text if text.startswith(mention) else f"{mention} {text}"
        likes = int(self.rng.random() ** 3 * (4 + line.who.followers / 150))
        tweet: dict[str, Any] = {
            "id": line.ext,
            "text": text if len(text) <= 280 else text[:279] + "…",
            "author_id": line.who.uid,
            "created_at": _stamp(line.at) + ".000Z",
            "conversation_id": line.root.ext,
            "lang": line.lang,
            "edit_history_tweet_ids": [line.ext],
            "public_metrics": {
                "retweet_count": likes // 7,
                "reply_count": reply_count,
                "like_count": likes,
                "quote_count": likes // 40,
            },
        }
        if parent is not None:
            tweet["in_reply_to_user_id"] = parent.who.uid
            tweet["referenced_tweets"] = [{"type": "replied_to", "id": parent.ext}]
        return tweet_id, tweet

    def _page(self, more: bool) -> DemoPayload:
        self.tweets.sort(key=_first, reverse=True)
        data = [tweet for _, tweet in self.tweets]
        meta = {"newest_id": data[0]["id"], "oldest_id": data[-1]["id"], "result_count": len(data)}
        if more:
            meta["next_token"] = _token(self.rng, 20, BASE36)
        page = {"data": data, "includes": {"users": list(self.users.values())}, "meta": meta}
        self.tweets, self.users = [], {}
        return DemoPayload("x_page", page)


def _first(pair: tuple[int, dict]) -> int:
    return pair[0]


def _x_user(who) -> dict:
    key = abs(who.key)
    return {
        "id": who.uid,
        "name": who.name,
        "username": who.handle,
        "public_metrics": {
            "followers_count": who.followers,
            "following_count": 40 + key * 37 % 900,
            "tweet_count": 120 + key * 7919 % 24_000,
            "listed_count": who.followers // 180,
        },
    }


# -------------------------------------------------------------------------------------- Reddit

_SLUG_CUT = re.compile(r"[^a-z0-9]+")


class _RedditThreads:
    """Threads as saved from ``/comments/ID.json``: the submission, then the comment tree."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.links = 0
        self.comments = 0

    def thread(self, lines: list[Line]) -> list[dict]:
        root = lines[0]
        self.links += 1
        link_id = encode(36**6 + (self.links * 7919 + 1_234_567) % (35 * 36**6), 7, BASE36)
        slug = _SLUG_CUT.sub("_", root.title.lower()).strip("_")[:50]
        permalink = f"/r/{root.venue}/comments/{link_id}/{slug}/"
        root.ext = f"t3_{link_id}"
        top: list[dict] = []
        for line in lines[1:]:
            comment = {"kind": "t1", "data": self._comment(line, root, permalink)}
            if line.parent is root:
                top.append(comment)
            else:
                parent = line.replied.node
                if parent["replies"] == "":
                    parent["replies"] = _listing([], None)
                parent["replies"]["data"]["children"].append(comment)
        submission = {
            "id": link_id,
            "name": root.ext,
            "title": root.title,
            "selftext": root.text,
            "author": root.who.reddit,
            "author_fullname": root.who.rid,
            "created_utc": float(root.at),
            "subreddit": root.venue,
            "subreddit_name_prefixed": f"r/{root.venue}",
            "permalink": permalink,
            "url": f"https://www.reddit.com{permalink}",
            "is_self": True,
            "over_18": False,
            "num_comments": len(lines) - 1,
            "score": 1 + int(self.rng.random() ** 2 * 400),
            "upvote_ratio": round(0.6 + 0.39 * self.rng.random(), 2),
        }
        return [_listing([{"kind": "t3", "data": submission}], 1), _listing(top, None)]

    def _comment(self, line: Line, root: Line, permalink: str) -> dict:
        self.comments += 1
        comment_id = encode(36**6 + (self.comments * 104_729 + 7_654_321) % (35 * 36**6), 7, BASE36)
        line.ext = f"t1_{comment_id}"
        parent = line.replied
        depth = 0 if parent is root else parent.node["depth"] + 1
        line.node = {
            "id": comment_id,
            "name": line.ext,
            "body": line.text,
            "author": line.who.reddit,
            "author_fullname": line.who.rid,
            "created_utc": float(line.at),
            "parent_id": parent.ext,
            "link_id": root.ext,
            "subreddit": root.venue,
            "permalink": f"{permalink}{comment_id}/",
            "score": int(self.rng.random() ** 3 * 80) - 2,
            "is_submitter": line.who.key == root.who.key,
            "depth": depth,
            "replies": "",
        }
        return line.node


def _listing(children: list[dict], dist: int | None) -> dict:
    return {
        "kind": "Listing",
        "data": {"after": None, "dist": dist, "modhash": "", "children": children, "before": None},
    }


# ------------------------------------------------------------------------------------- YouTube


class _YouTubePages:
    """``commentThreads.list`` pages (``part=snippet,replies``) on the brand's videos."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.items: list[tuple[int, dict]] = []
        self.threads = 0
        self.replies = 0

    def add(self, threads: list[list[Line]]) -> Iterator[DemoPayload]:
        for lines in threads:
            self.items.append((lines[0].at, self._thread(lines)))
        while len(self.items) > YOUTUBE_PAGE:  # more follow: this page gets a token
            yield self._page(self.items[:YOUTUBE_PAGE], more=True)
            self.items = self.items[YOUTUBE_PAGE:]

    def close(self) -> Iterator[DemoPayload]:
        if self.items:
            yield self._page(self.items, more=False)
            self.items = []

    def _thread(self, lines: list[Line]) -> dict:
        self.threads += 1
        root = lines[0]
        thread_id = (
            "Ug"
            + "wxyz"[self.threads % 4]
            + _token(self.rng, 10)
            + scramble(self.threads, 6)
            + "4AaABAg"
        )
        root.ext = thread_id
        item = {
            "kind": "youtube#commentThread",
            "etag": _token(self.rng, 27),
            "id": thread_id,
            "snippet": {
                "channelId": BRAND_CHANNEL,
                "videoId": root.venue,
                "topLevelComment": self._comment(root, thread_id, None),
                "canReply": True,
                "totalReplyCount": len(lines) - 1,
                "isPublic": True,
            },
        }
        if len(lines) > 1:
            item["replies"] = {"comments": [self._reply(line, thread_id) for line in lines[1:]]}
        return item

    def _reply(self, line: Line, thread_id: str) -> dict:
        self.replies += 1
        line.ext = f"{thread_id}.{_token(self.rng, 16)}{scramble(self.replies, 6)}"
        return self._comment(line, line.ext, thread_id)

    def _comment(self, line: Line, comment_id: str, thread_id: str | None) -> dict:
        who, text, parent = line.who, line.text, line.parent
        if parent is not None and parent.parent is not None and parent.who.key != who.key:
            text = f"@{parent.who.handle} {text}"  # replies are flat: mention instead
        stamp = _stamp(line.at) + "Z"
        snippet = {
            "channelId": BRAND_CHANNEL,
            "videoId": line.venue,
            "textDisplay": html.escape(text).replace("\n", "<br>"),
            "textOriginal": text,
            "authorDisplayName": f"@{who.handle}",
            "authorProfileImageUrl": f"https://yt3.ggpht.example/{who.ucid}=s48",
            "authorChannelUrl": f"http://www.youtube.com/@{who.handle}",
            "authorChannelId": {"value": who.ucid},
            "canRate": True,
            "viewerRating": "none",
            "likeCount": int(self.rng.random() ** 4 * 120),
            "publishedAt": stamp,
            "updatedAt": stamp,
        }
        if thread_id is not None:
            snippet["parentId"] = thread_id
        return {
            "kind": "youtube#comment",
            "etag": _token(self.rng, 27),
            "id": comment_id,
            "snippet": snippet,
        }

    def _page(self, items: list[tuple[int, dict]], more: bool) -> DemoPayload:
        ordered = [item for _, item in sorted(items, key=_first, reverse=True)]
        page: dict[str, Any] = {
            "kind": "youtube#commentThreadListResponse",
            "etag": _token(self.rng, 27),
        }
        if more:
            page["nextPageToken"] = _token(self.rng, 40)
        page["pageInfo"] = {"totalResults": len(ordered), "resultsPerPage": YOUTUBE_PAGE}
        page["items"] = ordered
        return DemoPayload("youtube_page", page)


# -------------------------------------------------------------------------------------- e-mail


@dataclass(frozen=True, slots=True)
class MailSpec:
    """Everything one message needs; ``build_message`` and ``fast_bytes`` render it alike."""

    sender: str
    to: str
    subject: str
    date: datetime
    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    auto: bool
    text: str
    html: str
    fmt: str  # "plain", "alt" (text + HTML) or "html" (HTML only)
    boundary: str


def build_message(spec: MailSpec) -> EmailMessage:
    """The message as ``email.message.EmailMessage`` builds it: the reference format."""
    message = EmailMessage(policy=SMTP)
    message["From"] = spec.sender
    message["To"] = spec.to
    message["Subject"] = spec.subject
    message["Date"] = spec.date
    message["Message-ID"] = spec.message_id
    if spec.in_reply_to:
        message["In-Reply-To"] = spec.in_reply_to
        message["References"] = " ".join(spec.references)
    if spec.auto:
        message["Auto-Submitted"] = "auto-replied"
    if spec.fmt == "html":
        message.set_content(spec.html, subtype="html")
    else:
        message.set_content(spec.text)
        if spec.fmt == "alt":
            message.add_alternative(spec.html, subtype="html")
            message.set_boundary(spec.boundary)
    return message


def render_message(spec: MailSpec) -> bytes:
    """Bytes of the message: the fast writer when it applies, else ``EmailMessage`` itself."""
    fast = fast_bytes(spec)
    return fast if fast is not None else build_message(spec).as_bytes()


_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9 -]+ <[a-z0-9.-]+@[a-z0-9.-]+>\Z")


@functools.lru_cache(maxsize=4096)
def _address_header(name: str, value: str) -> str:
    """One address header exactly as the ``SMTP`` policy writes it; cached, as people recur.

    Plain names pass through unchanged; others (``Jörg Müller``) get the policy's own
    encoded words, so the fast writer still matches ``EmailMessage`` byte for byte.
    """
    if _PLAIN_ADDRESS.match(value) and len(name) + len(value) < 76:
        return f"{name}: {value}"
    parsed = SMTP.header_store_parse(name, value)[1]
    return SMTP.fold_binary(name, parsed).decode("ascii").rstrip("\r\n")


def fast_bytes(spec: MailSpec) -> bytes | None:
    """What ``build_message(spec).as_bytes()`` returns, 20x faster, or ``None`` if unsure.

    ``EmailMessage`` spends ~0.8 ms a message parsing and refolding headers, too slow for a
    million-post benchmark. This writer covers the usual cases (ASCII subjects and ids, body
    lines within 78 bytes) and declines the rest; the test suite checks it byte for byte
    against ``EmailMessage`` on every message of a generated workspace.
    """
    head = [_address_header("From", spec.sender), _address_header("To", spec.to)]
    fields = [
        ("Subject", spec.subject),
        ("Date", format_datetime(spec.date)),
        ("Message-ID", spec.message_id),
    ]
    if spec.in_reply_to:
        fields += [("In-Reply-To", spec.in_reply_to), ("References", " ".join(spec.references))]
    if spec.auto:
        fields.append(("Auto-Submitted", "auto-replied"))
    for name, value in fields:
        folded = _fold(name, value)
        if folded is None:
            return None
        head.append(folded)
    if spec.fmt == "alt":
        return _alternative(head, spec)
    part = _part(
        spec.html if spec.fmt == "html" else spec.text,
        "html" if spec.fmt == "html" else "plain",
        mime_version=True,
    )
    return None if part is None else "\r\n".join(head).encode() + b"\r\n" + part


def _alternative(head: list[str], spec: MailSpec) -> bytes | None:
    plain = _part(spec.text, "plain", mime_version=False)
    rich = _part(spec.html, "html", mime_version=True)
    if plain is None or rich is None:
        return None
    mark = f"--{spec.boundary}".encode()
    head += [
        "MIME-Version: 1.0",
        f'Content-Type: multipart/alternative; boundary="{spec.boundary}"',
    ]
    return b"".join(
        (
            "\r\n".join(head).encode(),
            b"\r\n\r\n",
            mark,
            b"\r\n",
            plain,
            b"\r\n",
            mark,
            b"\r\n",
            rich,
            b"\r\n",
            mark,
            b"--\r\n",
        )
    )


def _fold(name: str, value: str) -> str | None:
    """An unstructured header folded at spaces to 78 columns, as the ``SMTP`` policy does."""
    if not value.isascii() or "=?" in value or "  " in value or not value.isprintable():
        return None
    words = value.split(" ")
    if any(len(word) > 70 for word in words):
        return None
    lines, current = [], f"{name}:"
    for word in words:
        if len(current) + 1 + len(word) <= 78:
            current += " " + word
        else:
            lines.append(current)
            current = " " + word
    lines.append(current)
    return "\r\n".join(lines)


def _part(text: str, subtype: str, mime_version: bool) -> bytes | None:
    body = text.encode()
    lines = body.splitlines()
    if any(len(line) > 78 for line in lines):
        return None
    encoding = "7bit" if body.isascii() else "8bit"
    head = (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n"
    )
    if mime_version:
        head += "MIME-Version: 1.0\r\n"
    return head.encode() + b"\r\n" + b"\r\n".join(lines) + b"\r\n"


_ZONES = {offset: timezone(timedelta(seconds=offset)) for offset in (0, 3600, 7200)}


class _Mailer:
    """One RFC 5322 message per line, threaded by Message-ID, In-Reply-To and References."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0

    def message(self, line: Line) -> bytes:
        who, parent = line.who, line.parent
        self.count += 1
        line.ext = self._message_id(line)
        subject = line.title or _reply_subject(line.replied.node[0], line.auto)
        refs = (*parent.node[1], parent.ext) if parent is not None else ()
        line.node = (subject, refs, line.text)
        text = line.text
        if parent is not None and not line.auto and self.rng.random() < 0.4:
            text = f"{text}\n\n{_quote_header(parent)}\n" + _quoted(parent.node[2])
        text = _wrap(text)
        fmt = who.fmt
        offset = 0 if who.key % 5 == 1 else amsterdam_offset(line.at)
        spec = MailSpec(
            sender=_address(_display_name(who), who.email),
            to=_recipient(line),
            subject=subject,
            date=datetime.fromtimestamp(line.at, _ZONES[offset]),
            message_id=line.ext,
            in_reply_to=parent.ext if parent is not None else "",
            references=refs,
            auto=line.auto,
            text=text,
            html=_html(text) if fmt != "plain" else "",
            fmt=fmt,
            boundary="000000000000" + _token(self.rng, 12, BASE36[:16]),
        )
        return render_message(spec)

    def _message_id(self, line: Line) -> str:
        serial = scramble(self.count, 6, BASE36)
        if line.who.brand:
            return f"<{line.at:x}.{serial}.{_token(self.rng, 8, BASE36)}@northwindlabs.example>"
        domain = line.who.email.rsplit("@", 1)[1]
        return f"<CA{_token(self.rng, 24)}{serial}@mail.{domain}>"


def _display_name(who) -> str:
    if who.email == CAREERS:
        return "Northwind Labs Careers"
    return who.name


def _address(name: str, address: str) -> str:
    return f"{name} <{address}>"


def _recipient(line: Line) -> str:
    """Candidates write to the careers mailbox; the brand writes back to the person."""
    if not line.who.brand:
        return _address("Northwind Labs Careers", CAREERS)
    other = line.parent
    while other is not None and other.who.brand:
        other = other.parent
    person = other.who if other is not None else line.who
    return _address(person.name, person.email)


def _reply_subject(subject: str, auto: bool) -> str:
    base = subject[4:] if subject.startswith("Re: ") else subject
    return ("Automatic reply: " if auto else "Re: ") + base


def _quote_header(parent: Line) -> str:
    when = datetime.fromtimestamp(parent.at, UTC)
    name = _display_name(parent.who)
    return f"On {when.day} {MONTHS['en'][when.month - 1][:3]} {when.year}, {name} wrote:"


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in _wrap(text, 64).split("\n"))


# Promise phrases stay on one line, so a reader (or a regex) finds them unbroken.
_UNBROKEN = re.compile(
    r"get back to you within two weeks|within 5 working days|DM you tomorrow"
    r"|binnen 5 werkdagen|binnen twee weken|innerhalb von 5 Werktagen"
    r"|innerhalb von zwei Wochen"
)


def _wrap(text: str, width: int = 70) -> str:
    """Hard-wrap long lines at spaces, as mail clients do, so no line needs re-encoding."""
    text = _UNBROKEN.sub(lambda match: match.group().replace(" ", "\0"), text)
    out = []
    for line in text.split("\n"):
        while len(line) > width and " " in line[1 : width + 1]:
            cut = line.rindex(" ", 1, width + 1)
            out.append(line[:cut])
            line = line[cut + 1 :]
        out.append(line)
    return "\n".join(out).replace("\0", " ")


def _html(text: str) -> str:
    """The HTML alternative a webmail client would send, one paragraph per text block."""
    blocks = [
        html.escape(block, quote=False).replace("\n", "<br>\n") for block in text.split("\n\n")
    ]
    return '<div dir="ltr">\n' + "\n".join(f"<p>{b}</p>" for b in blocks) + "\n</div>\n"


__all__ = [
    "BRAND_ACCOUNTS",
    "BrandAccount",
    "DemoPayload",
    "MailSpec",
    "build_message",
    "day_quotas",
    "fast_bytes",
    "generate",
    "render_message",
]
