"""Live RSS/Atom feeds over HTTP: one source per feed, read with a conditional GET.

Each feed in ``FEED_URLS`` is its own source, ``feed:<host>-<hash>`` (the hash of the whole URL
keeps two Google Alerts feeds, both on www.google.com, apart). Its cursor::

    {"etag": "\"abc\"", "last_modified": "Mon, 02 Nov 2026 09:00:00 GMT",
     "seen": [entry ids read or reported, newest first, at most SEEN_KEPT]}

The validators go back as ``If-None-Match`` / ``If-Modified-Since``: an unchanged feed answers
304, which costs one request and no parsing. A changed feed is parsed whole (a feed has no
paging), and only entries not in ``seen`` are handed on, so each entry is analysed once. The
cursor is stored with those posts in one transaction: a crash before the commit reads the same
document again, with nothing lost and nothing doubled.

Feeds are free and read-only: nothing is ever posted back. 429 and 503 with ``Retry-After`` are
waited out within ``RetryPolicy.max_wait``; other 5xx answers and dropped connections are
retried with back-off. Feed URLs can be capabilities (an alert's private address), so errors
name the feed by host and path only, never its query.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from connectors.base import (
    Batch,
    MalformedPayloadError,
    NotConfiguredError,
    PlatformError,
    Post,
    Problem,
)
from connectors.feed import posts_from_document
from connectors.retry import RateLimited, RetryPolicy, Transient

URLS_SETTING = "FEED_URLS"
REQUEST_TIMEOUT = 30.0
MAX_FEED_BYTES = 10 * 1024 * 1024  # far above any real feed; a bigger answer is refused
SEEN_KEPT = 2000  # entry ids remembered per feed: more than any feed keeps at once
USER_AGENT = "FullCircle/0.1 (+https://github.com/; feed reader)"
ACCEPT = (
    "application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
_SEPARATORS = re.compile(r"[\s,]+")


def parse_feed_urls(value: str) -> list[str]:
    """The feeds of ``FEED_URLS`` (whitespace or commas between them), each once, in order;
    ``NotConfiguredError`` names the setting and the fix for anything that is no http(s) URL."""
    urls = [part for part in _SEPARATORS.split(value or "") if part]
    if not urls:
        raise NotConfiguredError(
            f"{URLS_SETTING} is empty: list the feed addresses (a Google Alerts feed, blogs), "
            "separated by spaces or commas"
        )
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise NotConfiguredError(
                f"{URLS_SETTING} holds {shown_url(url)!r}, which is not an http(s) address: "
                "give each feed's full address, e.g. https://blog.example.com/feed.xml"
            )
    return list(dict.fromkeys(urls))


def shown_url(url: str) -> str:
    """The feed for messages: scheme, host and path, never the query (it may hold a token)."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url[:40] + ("…" if len(url) > 40 else "")
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def source_name(url: str) -> str:
    """``feed:<host>-<first 8 hex of the URL's SHA-256>``: stable, distinct per feed, and
    within the store's 128 characters (a host can be 253)."""
    digest = hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"feed:{(urlsplit(url).hostname or 'feed')[:100]}-{digest}"


def make_session(timeout: float = REQUEST_TIMEOUT) -> requests.Session:
    """A session that sends our user agent and gives every request a timeout."""
    session = requests.Session()
    session.headers.update({"User-Agent": USER_AGENT, "Accept": ACCEPT})
    session.request = _with_timeout(session.request, timeout)  # type: ignore[method-assign]
    return session


def _with_timeout(request: Callable[..., Any], timeout: float) -> Callable[..., Any]:
    def send(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", timeout)
        return request(*args, **kwargs)

    return send


def _retry_at(value: str | None, clock: Callable[[], float]) -> float | None:
    """``Retry-After`` as a Unix time: seconds to wait, or an HTTP date."""
    value = (value or "").strip()
    if not value:
        return None
    if value.replace(".", "", 1).isdigit():
        return clock() + float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


@dataclass(frozen=True)
class _Answer:
    """What a GET brought: 304 (no body), or the document with its validators."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    location: str | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class FeedSource:
    """One feed, read incrementally; its entries become posts of the platform ``feed``."""

    url: str
    session: requests.Session = field(default_factory=make_session)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    name: str = field(init=False)
    requests_made: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.name = source_name(self.url)

    def fetch(self, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        cursor = cursor or {}
        answer = self.retry.call(lambda: self._get(cursor), self.name)
        faults = [Problem(self.name, None, fault) for fault in self.retry.take_faults()]
        if answer.status == 304:
            yield Batch(self.name, [], dict(cursor), faults, units=1)
            return
        try:
            posts, problems = posts_from_document(
                answer.body,
                self.name,
                answer.content_type,
                answer.location,
                fallback_time=datetime.now(UTC).replace(microsecond=0),
            )
        except MalformedPayloadError as exc:
            raise PlatformError(f"{self.name} ({shown_url(self.url)}): {exc}") from None
        seen = [str(key) for key in cursor.get("seen") or () if isinstance(key, str)]
        new = _unseen(posts, set(seen))
        # A broken entry with an id is reported once, not again each time the feed changes.
        problems = [p for p in problems if p.item_id is None or p.item_id not in seen]
        keys = [p.external_id for p in posts] + [p.item_id for p in problems if p.item_id]
        fresh = [key for key in keys if key not in seen]
        yield Batch(
            self.name,
            new,
            {
                "etag": answer.etag,
                "last_modified": answer.last_modified,
                "seen": list(dict.fromkeys(fresh + seen))[:SEEN_KEPT],
            },
            problems + faults,
            items_read=len(new),
            units=1,
        )

    def _get(self, cursor: dict[str, Any]) -> _Answer:
        """One conditional GET, its errors as retry signals or ``PlatformError``."""
        headers = {}
        if isinstance(cursor.get("etag"), str):
            headers["If-None-Match"] = cursor["etag"]
        if isinstance(cursor.get("last_modified"), str):
            headers["If-Modified-Since"] = cursor["last_modified"]
        where = f"{self.name} ({shown_url(self.url)})"
        self.requests_made += 1
        try:
            with self.session.get(self.url, headers=headers, stream=True) as response:
                return self._answer(response, where)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Transient(f"{type(exc).__name__} reading the feed") from None
        except requests.RequestException as exc:
            raise PlatformError(f"{where}: {type(exc).__name__}") from None

    def _answer(self, response: requests.Response, where: str) -> _Answer:
        status = response.status_code
        if status == 304:
            return _Answer(304)
        retry_at = _retry_at(response.headers.get("Retry-After"), self.retry.clock)
        if status == 429 or (status == 503 and retry_at is not None):
            raise RateLimited(retry_at)
        if status >= 500:
            raise Transient(f"the feed answered {status}")
        if status != 200:
            raise PlatformError(
                f"{where}: the feed answered {status} {response.reason or ''}".rstrip()
                + f"; check the address in {URLS_SETTING}"
            )
        return _Answer(
            200,
            _body(response, where),
            response.headers.get("Content-Type"),
            response.url or self.url,
            response.headers.get("ETag"),
            response.headers.get("Last-Modified"),
        )


def _body(response: requests.Response, where: str) -> bytes:
    """The answer's bytes, at most ``MAX_FEED_BYTES`` (read in chunks, never all at once)."""
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > MAX_FEED_BYTES:
            raise PlatformError(
                f"{where}: the feed is larger than {MAX_FEED_BYTES // (1024 * 1024)} MB; not read"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _unseen(posts: list[Post], seen: set[str]) -> list[Post]:
    """The posts not read before, each once (a feed may list an entry twice)."""
    new: dict[str, Post] = {}
    for post in posts:
        if post.external_id not in seen:
            new.setdefault(post.external_id, post)
    return list(new.values())


def feed_sources(
    urls: str, session: requests.Session | None = None, retry: RetryPolicy | None = None
) -> list[FeedSource]:
    """One source per feed in ``FEED_URLS``, sharing one HTTP session and one retry policy."""
    session = session or make_session()
    retry = retry or RetryPolicy()
    return [FeedSource(url, session, retry) for url in parse_feed_urls(urls)]
