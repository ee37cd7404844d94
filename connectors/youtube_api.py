"""Live YouTube Data API v3 through google-api-python-client: the comment threads of the brand's
channels, read incrementally within the daily quota, and replies.

Reading: ``commentThreads.list(allThreadsRelatedToChannelId=…, order="time")`` lists threads by
their latest activity, newest first, and has no ``since`` parameter. A fetch walks down the pages
and stops at the first thread whose newest comment is older than the cursor. Every thread above
the cursor is stored whole (its old comments are skipped by the store's upsert): a new reply in
an old thread bumps that thread to the top, so the reply is stored, once. When a thread holds
more replies than the page embeds (``totalReplyCount``), the rest are read with ``comments.list``
before the thread's time is trusted, since the hidden ones may be the newest: the first thread
below the cursor costs one more unit when it has hidden replies.

Cursor, one per channel::

    {"newest": "2026-11-02T09:00:00Z", "seen": [comment ids published at exactly that second]}

While a walk spans several pages the cursor also holds the window in progress (``window_newest``,
``window_seen``, ``page_token``); ``newest`` stays put until the last page is stored, so a crash
between pages resumes from the stored token with no gap and no duplicate.

Quota: Google counts units per request, whatever the page size: a list page costs 1 unit, a reply
(``comments.insert``) 50. A project has 10,000 units a day unless Google granted more; the day
ends at midnight Pacific time. ``QuotaMeter`` counts every request the server answered, errors
included (Google charges invalid requests too), so the count errs high, never low.

Secrets: the API key travels in the ``x-goog-api-key`` header, not in the URL's ``key=``
parameter, because the client library logs request URLs at DEBUG level and prints them in
``HttpError``. Our errors are rebuilt from the status and the API's reason codes only.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import google_auth_httplib2
import httplib2
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import build_http

from connectors.base import (
    Batch,
    NotConfiguredError,
    PlatformError,
    Post,
    Problem,
)
from connectors.retry import RateLimited, RetryPolicy, Transient
from connectors.youtube import (
    comment_times,
    has_hidden_replies,
    latest_activity,
    posts_from_comment_threads,
    read_time,
    thread_comments,
)

PAGE_SIZE = 100  # the most commentThreads.list and comments.list return per page
LIST_UNITS = 1  # commentThreads.list or comments.list, per page
INSERT_UNITS = 50  # comments.insert
MAX_REPLY_PAGES = 20  # comments.list pages read for one thread (2,000 replies)
MAX_REPLY_CHARS = 10_000  # YouTube refuses longer comments
SCOPE = "https://www.googleapis.com/auth/youtube.force-ssl"  # needed by comments.insert
KEY_SETTING, CHANNELS_SETTING, TOKEN_SETTING = (
    "YOUTUBE_API_KEY",
    "YOUTUBE_CHANNEL_IDS",
    "YOUTUBE_OAUTH_TOKEN_FILE",
)
PACIFIC = ZoneInfo("America/Los_Angeles")
_CHANNEL_ID = re.compile(r"UC[0-9A-Za-z_-]{22}")
_QUOTA = {"quotaExceeded", "dailyLimitExceeded"}
_RATE = {"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"}
_BAD_KEY = {"keyInvalid", "keyExpired", "API_KEY_INVALID", "API_KEY_EXPIRED"}
_DISABLED = {"accessNotConfigured", "SERVICE_DISABLED"}


# ---------------------------------------------------------------------------- clients


class _ApiKeyTransport:
    """An ``httplib2.Http`` stand-in that sends the key as a header and scrubs it from answers."""

    def __init__(self, http: Any, key: str) -> None:
        self._http, self._key = http, key

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: Any = None,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> tuple[Any, bytes]:
        headers = {**(headers or {}), "x-goog-api-key": self._key}
        resp, content = self._http.request(uri, method, body=body, headers=headers, **kwargs)
        if isinstance(content, bytes):
            content = content.replace(self._key.encode(), b"***")
        return resp, content

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._http, name)

    def __repr__(self) -> str:
        return f"<YouTube API-key transport over {type(self._http).__name__}>"


def _build(http: Any) -> Any:
    """The v3 resource from the discovery document shipped inside the package: no network."""
    return build("youtube", "v3", http=http, static_discovery=True, cache_discovery=False)


def make_youtube(api_key: str | None, http: Any = None) -> Any:
    """A read-only client on an API key; ``http`` replaces the transport (tests)."""
    if not api_key or not api_key.strip():
        raise NotConfiguredError(
            f"{KEY_SETTING} is not set: create an API key for the YouTube Data API v3 in the "
            "Google Cloud console (APIs & Services > Credentials) and put it in " + KEY_SETTING
        )
    return _build(_ApiKeyTransport(http if http is not None else build_http(), api_key.strip()))


def load_oauth_credentials(token_file: str | None) -> Credentials:
    """The brand channel's OAuth credentials from an authorized-user JSON file.

    The file holds ``client_id``, ``client_secret`` and ``refresh_token`` (and may hold a current
    ``token``); google-auth refreshes the access token with them when it expires.
    """
    if not token_file or not token_file.strip():
        raise NotConfiguredError(
            f"{TOKEN_SETTING} is not set: replies on YouTube need an OAuth token of the brand "
            f"channel with the scope {SCOPE} (see README, Configuration)"
        )
    path = Path(token_file.strip()).expanduser()
    if not path.is_file():
        raise NotConfiguredError(f"{TOKEN_SETTING} points to {path}, which is not a file")
    try:
        return Credentials.from_authorized_user_file(str(path), scopes=[SCOPE])
    except ValueError as exc:  # json.JSONDecodeError is a ValueError too
        detail = str(exc) if "missing fields" in str(exc) else "not JSON"
        raise NotConfiguredError(
            f"{TOKEN_SETTING} ({path}) is not an authorized-user token file: {detail}"
        ) from None


def make_youtube_writer(credentials: Credentials | None, http: Any = None) -> Any:
    """A client acting as the brand channel (OAuth), for ``send_reply``."""
    if credentials is None:
        raise NotConfiguredError(
            f"{TOKEN_SETTING} is not set: replies on YouTube need the brand channel's OAuth token"
        )
    base = http if http is not None else build_http()
    return _build(google_auth_httplib2.AuthorizedHttp(credentials, http=base))


def parse_channel_ids(value: str | Iterable[str]) -> list[str]:
    """Channel ids from the setting (comma-separated) or a list; a handle is refused clearly."""
    items = value.split(",") if isinstance(value, str) else list(value)
    ids = [item.strip() for item in items if item and item.strip()]
    if not ids:
        raise NotConfiguredError(
            f"{CHANNELS_SETTING} is empty: list the brand channel ids "
            "(UC…, 24 characters), separated by commas"
        )
    for channel in ids:
        if not _CHANNEL_ID.fullmatch(channel):
            raise NotConfiguredError(
                f"{CHANNELS_SETTING} holds {channel!r}, which is not a channel id: use the id "
                "(UC…, 24 characters) shown in YouTube Studio > Settings > Channel > Advanced"
            )
    return list(dict.fromkeys(ids))


# ---------------------------------------------------------------------------- quota and errors


@dataclass
class QuotaMeter:
    """Units spent, as Google counts them: per request, whatever the page size."""

    units: int = 0

    def spend(self, units: int) -> None:
        self.units += units


def quota_resets_at(now: datetime) -> datetime:
    """The next midnight in Pacific time (when Google resets the daily quota), in UTC."""
    local = now.astimezone(PACIFIC)
    midnight = datetime.combine(
        local.date() + timedelta(days=1), datetime.min.time(), tzinfo=PACIFIC
    )
    return midnight.astimezone(UTC)


def quota_message(what: str, now: float) -> str:
    current = datetime.fromtimestamp(now, tz=UTC)
    resets = quota_resets_at(current)
    hours, seconds = divmod(int((resets - current).total_seconds()), 3600)
    return (
        f"{what}: the YouTube Data API daily quota is used up; it resets at midnight "
        f"Pacific time ({resets:%Y-%m-%d %H:%M} UTC, in {hours} h {seconds // 60} min). "
        "Sync less often, or ask Google for a larger quota"
    )


def _error_facts(exc: HttpError) -> tuple[set[str], str]:
    """The API's reason codes and message, read from the JSON body (never from the URI)."""
    try:
        error = json.loads(exc.content.decode("utf-8"))["error"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return set(), ""
    if not isinstance(error, dict):
        return set(), ""
    listed = [*(error.get("errors") or []), *(error.get("details") or [])]
    reasons = {str(e["reason"]) for e in listed if isinstance(e, dict) and e.get("reason")}
    message = re.sub(r"<[^>]+>", "", str(error.get("message") or "")).strip()
    return reasons, message[:300]


def _retry_after(resp: Any, clock: Callable[[], float]) -> float | None:
    value = str(resp.get("retry-after") or "").strip()
    return clock() + float(value) if value.replace(".", "", 1).isdigit() else None


def _translate(exc: HttpError, what: str, clock: Callable[[], float], credential: str) -> Exception:
    """An error answer as a retry signal or one of our errors, without the request URI."""
    status = exc.status_code
    reasons, message = _error_facts(exc)
    said = f": {message}" if message else ""
    if reasons & _QUOTA:
        return PlatformError(quota_message(what, clock()))
    if status == 429 or reasons & _RATE:
        return RateLimited(_retry_after(exc.resp, clock))
    if status >= 500:
        return Transient(f"YouTube answered {status}")
    if status == 401 or reasons & _BAD_KEY:
        return NotConfiguredError(
            f"{what}: YouTube refused the credentials ({status}{said}); check {credential}"
        )
    if reasons & _DISABLED:
        return NotConfiguredError(
            f"{what}: the YouTube Data API v3 is not enabled for the "
            f"Google Cloud project of {credential}; enable it in the "
            "console under APIs & Services"
        )
    named = ", ".join(sorted(reasons)) or str(exc.resp.reason or "")
    return PlatformError(f"{what}: YouTube answered {status} {named}{said}".strip())


def _execute(
    make_request: Callable[[], Any],
    meter: QuotaMeter,
    units: int,
    what: str,
    clock: Callable[[], float],
    credential: str,
) -> dict[str, Any]:
    """Run one request once (``RetryPolicy`` decides on retries) and count its units."""
    try:
        result = make_request().execute()
    except HttpError as exc:
        meter.spend(units)
        raise _translate(exc, what, clock, credential) from None
    except json.JSONDecodeError:
        meter.spend(units)
        raise Transient("YouTube sent a page that is not JSON") from None
    except RefreshError:
        raise NotConfiguredError(
            f"{what}: Google refused to refresh the OAuth token in "
            f"{TOKEN_SETTING} (revoked or expired); authorise the brand "
            "channel again"
        ) from None
    except (TransportError, httplib2.HttpLib2Error, OSError) as exc:
        raise Transient(f"{type(exc).__name__} talking to YouTube") from None
    meter.spend(units)
    return result if isinstance(result, dict) else {}


# ---------------------------------------------------------------------------- cursor


def _iso(value: datetime | None) -> str | None:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ").replace(".000000Z", "Z") if value else None


@dataclass
class _Window:
    """The stored cursor (``newest``, ``seen``) and the walk in progress above it."""

    newest: datetime | None = None
    seen: set[str] = field(default_factory=set)
    window_newest: datetime | None = None
    window_seen: set[str] = field(default_factory=set)
    page_token: str | None = None

    @classmethod
    def load(cls, cursor: dict[str, Any] | None) -> _Window:
        cursor = cursor or {}
        return cls(
            read_time(cursor.get("newest")),
            set(cursor.get("seen") or ()),
            read_time(cursor.get("window_newest")),
            set(cursor.get("window_seen") or ()),
            cursor.get("page_token") or None,
        )

    def is_new(self, comment: dict[str, Any]) -> bool:
        """Published after the cursor, or in its very second but not among the ids seen then."""
        if self.newest is None:
            return True
        published = comment_times(comment, "publishedAt")
        if not published:
            return False
        return published[0] > self.newest or (
            published[0] == self.newest and comment.get("id") not in self.seen
        )

    def note(self, posts: list[Post]) -> None:
        for post in posts:
            if self.window_newest is None or post.created_at > self.window_newest:
                self.window_newest, self.window_seen = post.created_at, {post.external_id}
            elif post.created_at == self.window_newest:
                self.window_seen.add(post.external_id)

    def dump(self) -> dict[str, Any]:
        """Mid-walk: the old ``newest`` and the window; walk done: the window folded in."""
        if self.page_token:
            return {
                "newest": _iso(self.newest),
                "seen": sorted(self.seen),
                "window_newest": _iso(self.window_newest),
                "window_seen": sorted(self.window_seen),
                "page_token": self.page_token,
            }
        newest, seen = self.newest, set(self.seen)
        if self.window_newest is not None:
            if newest is None or self.window_newest > newest:
                newest, seen = self.window_newest, set(self.window_seen)
            elif self.window_newest == newest:
                seen |= self.window_seen
        return {"newest": _iso(newest), "seen": sorted(seen)}


@dataclass
class _Walk:
    """What one page contributed: the threads to store, problems, comments read, and whether
    the walk reached the cursor (no further page is needed)."""

    threads: list[Any] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    read: int = 0
    reached_cursor: bool = False


# ---------------------------------------------------------------------------- the source


@dataclass
class YouTubeComments:
    """Every comment thread on one brand channel and its videos, with replies, incrementally.

    Comments by the channel itself map with the channel id as author id; registering the channel
    as a brand account (``cli.py brand add youtube HANDLE --user-id UC…``) makes them brand posts.
    """

    youtube: Any
    channel_id: str
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_pages: int | None = None
    meter: QuotaMeter = field(default_factory=QuotaMeter)
    name: str = field(init=False)

    def __post_init__(self) -> None:
        self.name = f"youtube:{self.channel_id}"

    @property
    def units_used(self) -> int:
        return self.meter.units

    def _call(self, make_request: Callable[[], Any]) -> dict[str, Any]:
        clock = self.retry.clock
        return self.retry.call(
            lambda: _execute(make_request, self.meter, LIST_UNITS, self.name, clock, KEY_SETTING),
            self.name,
        )

    def _threads_page(self, token: str | None) -> dict[str, Any]:
        return self._call(
            lambda: self.youtube.commentThreads().list(
                part="snippet,replies",
                allThreadsRelatedToChannelId=self.channel_id,
                order="time",
                maxResults=PAGE_SIZE,
                textFormat="plainText",
                pageToken=token,
            )
        )

    def fetch(self, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        window = _Window.load(cursor)
        pages = 0
        while True:
            units_before = self.meter.units
            page = self._threads_page(window.page_token)
            pages += 1
            items = page.get("items")
            walk = self._walk(items if isinstance(items, list) else [], window)
            posts, problems = posts_from_comment_threads({"items": walk.threads}, self.name)
            window.note(posts)
            token = page.get("nextPageToken")
            window.page_token = None if walk.reached_cursor or not token else str(token)
            faults = [Problem(self.name, None, fault) for fault in self.retry.take_faults()]
            yield Batch(
                self.name,
                posts,
                window.dump(),
                walk.problems + problems + faults,
                items_read=walk.read,
                units=self.meter.units - units_before,
            )
            if window.page_token is None or (self.max_pages and pages >= self.max_pages):
                return

    def _walk(self, items: list[Any], window: _Window) -> _Walk:
        """The threads of one page above the cursor, completed with their hidden replies.

        Threads whose times cannot be read are kept back until a later thread proves the walk
        is still above the cursor, so a broken thread at the top is not re-reported every sync.
        """
        walk, undated = _Walk(read=sum(len(thread_comments(item)) for item in items)), []
        for item in items:
            item = self._complete(item, walk)
            if window.newest is None:
                walk.threads.append(item)
                continue
            latest = latest_activity(item)
            if latest is None:
                undated.append(item)
            elif latest < window.newest:
                walk.reached_cursor = True
                return walk
            elif any(window.is_new(c) for c in thread_comments(item)):
                walk.threads += [*undated, item]
                undated = []
        walk.threads += undated
        return walk

    def _complete(self, item: Any, walk: _Walk) -> Any:
        """The thread with all its replies: the page embeds only a few of them."""
        if not has_hidden_replies(item):
            return item
        thread_id, fetched = item["id"], []
        token: str | None = None
        for _ in range(MAX_REPLY_PAGES):

            def replies(t: str | None = token) -> Any:  # the request, executed by _call
                return self.youtube.comments().list(
                    part="snippet",
                    parentId=thread_id,
                    maxResults=PAGE_SIZE,
                    textFormat="plainText",
                    pageToken=t,
                )

            page = self._call(replies)
            got = [c for c in page.get("items") or [] if isinstance(c, dict)]
            walk.read += len(got)
            fetched += got
            token = page.get("nextPageToken")
            if not token:
                break
        else:
            walk.problems.append(
                Problem(
                    self.name,
                    thread_id,
                    f"thread has more than {len(fetched)} replies; only those were read",
                )
            )
        known = {c.get("id") for c in fetched}
        embedded = [c for c in thread_comments(item)[1:] if c.get("id") not in known]
        return {**item, "replies": {"comments": embedded + fetched}}


def youtube_sources(
    api_key: str | None,
    channel_ids: str | Iterable[str],
    retry: RetryPolicy | None = None,
    http: Any = None,
    max_pages: int | None = None,
) -> list[YouTubeComments]:
    """One source per brand channel, sharing one client and one retry policy."""
    youtube = make_youtube(api_key, http)
    retry = retry or RetryPolicy()
    return [
        YouTubeComments(youtube, channel, retry, max_pages)
        for channel in parse_channel_ids(channel_ids)
    ]


# ---------------------------------------------------------------------------- replies


def send_reply(
    youtube: Any,
    parent_comment_id: str,
    text: str,
    meter: QuotaMeter | None = None,
    clock: Callable[[], float] = time.time,
) -> str:
    """Reply as the brand channel (a client from ``make_youtube_writer``); returns the new id.

    YouTube replies are one level deep: a reply's id is ``<thread id>.<suffix>``, so a reply to
    a reply goes to its thread. Never retried automatically: a timeout may hide a reply that was
    posted, and a duplicate public reply is worse than a failed send the user retries knowingly.
    """
    what = "reply on YouTube"
    if not text.strip() or len(text) > MAX_REPLY_CHARS:
        raise PlatformError(
            f"{what}: the text must hold 1 to {MAX_REPLY_CHARS} characters "
            f"(it has {len(text.strip())})"
        )
    body = {"snippet": {"parentId": parent_comment_id.split(".", 1)[0], "textOriginal": text}}
    try:
        created = _execute(
            lambda: youtube.comments().insert(part="snippet", body=body),
            meter or QuotaMeter(),
            INSERT_UNITS,
            what,
            clock,
            TOKEN_SETTING,
        )
    except RateLimited:
        raise PlatformError(f"{what}: rate limited; try again in a minute") from None
    except Transient as exc:
        raise PlatformError(
            f"{what}: {exc}; check the thread before sending again, the reply may have been posted"
        ) from None
    if not created.get("id"):
        raise PlatformError(
            f"{what}: YouTube's answer carried no comment id; check the thread before sending again"
        )
    return str(created["id"])
