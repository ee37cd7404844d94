"""Live Hacker News through the public Algolia HN Search API: no key, read-only.

Two kinds of source: ``hn:search`` (stories and comments matching ``HN_QUERY``) and
``hn:author:USER`` for each brand account registered with ``cli.py brand add hn USER``, whose
comments are read so that an answer is seen even when it does not name the brand.

Reading: ``/api/v1/search_by_date`` answers newest first and filters on
``numericFilters=created_at_i>N``. A sync reads the window above the cursor page by page
(``page`` up to ``nbPages``). The first page fixes the window's top (its newest
``created_at_i``) and the later pages ask for ``created_at_i<=top`` too, so items indexed while
the walk runs cannot shift the pages under it. Algolia serves at most 1,000 hits of one query;
when a window holds more, the walk goes on below the oldest second read so far, from page 0.

Cursor::

    {"since": 1764921600}                                       window done
    {"since": …, "top": …, "page": 3, "newest": …}              mid-window

``since`` moves to the window's newest second only once its last page is stored, so a crash
between pages resumes from the stored page: no gap, no item read twice.

Limits: Algolia allows 10,000 requests per hour per IP and sends no rate-limit headers; a 429
is waited out (``Retry-After`` when given, else a minute), within ``RetryPolicy``'s bounds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from connectors.base import (
    Batch,
    MalformedPayloadError,
    NotConfiguredError,
    PlatformError,
    Problem,
)
from connectors.hn import hit_seconds, posts_from_search, search_hits
from connectors.retry import RateLimited, RetryPolicy, Transient

API_HOST = "https://hn.algolia.com"
SEARCH_PATH = "/api/v1/search_by_date"
PAGE_SIZE = 100  # hits per page; Algolia allows up to 1,000 but serves 1,000 hits in all
FIRST_SYNC_DAYS = 30  # how far back the first sync of a source reads
RATE_LIMIT_WAIT = 60.0  # seconds to wait on a 429 that names no time
REQUEST_TIMEOUT = 30.0
QUERY_SETTING, BASE_SETTING = "HN_QUERY", "HN_API_BASE_URL"
_TYPES = "(story,comment)"


def make_session(user_agent: str = "fullcircle") -> requests.Session:
    """One HTTP session for every HN source (connections are reused)."""
    session = requests.Session()
    session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})
    return session


def _retry_after(response: requests.Response, clock: Callable[[], float]) -> float:
    """When a 429 lifts: ``Retry-After`` in seconds or as an HTTP date, else in a minute."""
    value = response.headers.get("Retry-After", "").strip()
    if value.replace(".", "", 1).isdigit():
        return clock() + float(value)
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return clock() + RATE_LIMIT_WAIT


def _message(response: requests.Response) -> str:
    """Algolia's ``message`` of an error answer, cut short; the reason phrase otherwise."""
    try:
        body = response.json()
    except ValueError:
        body = None
    said = body.get("message") if isinstance(body, dict) else None
    return str(said)[:300] if said else str(response.reason or "")


def get_search(
    session: requests.Session,
    url: str,
    params: dict[str, Any],
    what: str,
    clock: Callable[[], float] = time.time,
) -> dict[str, Any]:
    """One search request, its answer translated into a retry signal or one of our errors."""
    try:
        response = session.get(url, params=params, timeout=REQUEST_TIMEOUT)
    except (requests.ConnectionError, requests.Timeout) as exc:
        raise Transient(f"{type(exc).__name__} talking to Algolia HN Search") from None
    if response.status_code == 429:
        raise RateLimited(_retry_after(response, clock))
    if response.status_code >= 500:
        raise Transient(f"Algolia HN Search answered {response.status_code}")
    if response.status_code >= 400:
        raise PlatformError(
            f"{what}: Algolia HN Search answered {response.status_code} {_message(response)}"
        )
    try:
        body = response.json()
    except ValueError:
        raise Transient("Algolia HN Search sent a page that is not JSON") from None
    if not isinstance(body, dict):
        raise Transient("Algolia HN Search sent a page that is not a JSON object")
    return body


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass
class _Window:
    """The cursor: the committed lower bound and the walk in progress above it."""

    since: int
    top: int | None = None
    page: int = 0
    newest: int | None = None
    open: bool = False

    @classmethod
    def load(cls, cursor: dict[str, Any] | None, first_since: int) -> _Window:
        cursor = cursor or {}
        since = _int(cursor.get("since"))
        page = _int(cursor.get("page"))
        return cls(
            since if since is not None else first_since,
            _int(cursor.get("top")),
            page or 0,
            _int(cursor.get("newest")),
            page is not None,
        )

    def filters(self) -> str:
        found = f"created_at_i>{self.since}"
        return found if self.top is None else f"{found},created_at_i<={self.top}"

    def dump(self) -> dict[str, Any]:
        if self.open:
            return {"since": self.since, "top": self.top, "page": self.page, "newest": self.newest}
        return {"since": self.since}

    def advance(self, seconds: list[int], response: dict[str, Any]) -> str | None:
        """Move past one page; returns a problem to record when the walk had to stop early."""
        if seconds:
            self.newest = max(self.newest or seconds[0], *seconds)
            if self.top is None:
                self.top = max(seconds)
        pages, hits = _int(response.get("nbPages")) or 0, _int(response.get("nbHits"))
        per_page = _int(response.get("hitsPerPage")) or PAGE_SIZE
        if self.page + 1 < pages:
            self.page, self.open = self.page + 1, True
            return None
        if seconds and hits is not None and hits > (self.page + 1) * per_page:
            # Algolia's 1,000-hit ceiling: read on below the oldest second seen so far.
            lowest = min(seconds)
            if lowest != self.top:
                self.top, self.page, self.open = lowest, 0, True
                return None
            problem = f"more than {hits} hits in the second {lowest}; the rest were not read"
        else:
            problem = None
        self.since = max(self.since, self.newest or self.since)
        self.top, self.page, self.newest, self.open = None, 0, None, False
        return problem


@dataclass
class HnSearch:
    """One incremental HN source: the brand query, or one brand account's items."""

    name: str
    params: dict[str, str]  # ``query`` and/or ``tags``
    session: requests.Session
    base_url: str = API_HOST
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_pages: int | None = None
    requests_made: int = 0

    def _page(self, window: _Window) -> dict[str, Any]:
        params = {
            **self.params,
            "numericFilters": window.filters(),
            "hitsPerPage": PAGE_SIZE,
            "page": window.page,
        }
        url = self.base_url.rstrip("/") + SEARCH_PATH

        def request() -> dict[str, Any]:
            self.requests_made += 1
            return get_search(self.session, url, params, self.name, self.retry.clock)

        return self.retry.call(request, self.name)

    def fetch(self, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        first_since = int(self.retry.clock()) - FIRST_SYNC_DAYS * 86400
        window = _Window.load(cursor, first_since)
        pages = 0
        while True:
            before = self.requests_made
            response = self._page(window)
            pages += 1
            posts, problems = posts_from_search(response, self.name)
            try:
                hits = search_hits(response)
            except MalformedPayloadError:  # already recorded by posts_from_search
                hits = []
            seconds = [s for s in map(hit_seconds, hits) if s is not None]
            stopped = window.advance(seconds, response)
            if stopped:
                problems.append(Problem(self.name, None, stopped))
            problems += [Problem(self.name, None, f) for f in self.retry.take_faults()]
            yield Batch(
                self.name,
                posts,
                window.dump(),
                problems,
                items_read=len(hits),
                units=self.requests_made - before,
            )
            if not window.open or (self.max_pages and pages >= self.max_pages):
                return


def parse_users(value: str | list[str]) -> list[str]:
    """HN user names (case matters on HN) without "@", blanks and repeats dropped."""
    items = value.split(",") if isinstance(value, str) else value
    return list(dict.fromkeys(i.strip().lstrip("@") for i in items if i and i.strip()))


def hn_sources(
    query: str,
    brand_users: list[str],
    base_url: str = API_HOST,
    session: requests.Session | None = None,
    retry: RetryPolicy | None = None,
) -> list[HnSearch]:
    """The brand query, plus each brand account's stories and comments (so answers are seen)."""
    if not query or not query.strip():
        raise NotConfiguredError(
            f"{QUERY_SETTING} is not set: put the words to listen for on Hacker News in "
            f'{QUERY_SETTING}, e.g. "Northwind Labs"'
        )
    if not base_url.startswith(("https://", "http://")):
        raise NotConfiguredError(
            f"{BASE_SETTING}={base_url!r} is not an http(s) URL; unset it to use {API_HOST}"
        )
    session = session or make_session()
    retry = retry or RetryPolicy()
    sources = [
        HnSearch("hn:search", {"query": query.strip(), "tags": _TYPES}, session, base_url, retry)
    ]
    for user in parse_users(brand_users):
        tags = f"{_TYPES},author_{user}"
        sources.append(HnSearch(f"hn:author:{user}", {"tags": tags}, session, base_url, retry))
    return sources
