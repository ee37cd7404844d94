"""Live Mastodon through ``Mastodon.py``: hashtag timelines, search, the brand's mentions and its
own statuses on one instance, read incrementally; replies as the brand account.

Sources, one cursor each: ``mastodon:tag:<tag>`` per hashtag, ``mastodon:search`` for the brand
query, ``mastodon:mentions`` (notifications of type ``mention`` of the token's account) and
``mastodon:posts:<account id>`` per registered brand account (its answers).

Cursor: every list comes newest first, bounded below by ``since_id`` (``min_id`` for search,
where it has that meaning) and paged down with ``max_id``. As on X, the lower bound only moves
once every page of a window is stored, so the cursor holds the window in progress too::

    {"since_id": "1093", "newest_id": "1180", "max_id": "1121"}

Each page is one batch whose cursor is committed with its posts; a crash between pages resumes
at the stored ``max_id`` with no gap and no status read twice. A source's first sync reads only
its newest page (``FIRST_PAGES``), not the hashtag's whole history.

What the server sent is what is mapped and kept: Mastodon.py casts each answer into its own
types (dates to ``datetime``, unreadable values to ``None``), so the raw JSON body is read from
the response itself, by a hook on the session it uses.

Rate limits: 300 requests per 5 minutes per account (Mastodon's default). The client runs with
``ratelimit_method="throw"``: it never sleeps on its own. Every answer's ``X-RateLimit-Remaining``
and ``X-RateLimit-Reset`` are read here; when none are left, or on a 429, ``RetryPolicy`` waits
until the reset, bounded by its ``max_wait``. The reset is an absolute time on the server's
clock, so it is measured against the answer's ``Date`` header, not our clock.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from mastodon import Mastodon
from mastodon.errors import (
    MastodonAPIError,
    MastodonError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from connectors.base import Batch, NotConfiguredError, PlatformError, Problem
from connectors.mastodon import parent_ids, posts_from_page, statuses_of
from connectors.retry import RateLimited, RetryPolicy, Transient

PAGE_SIZE = 40  # the most Mastodon returns per timeline, notification or search page
FIRST_PAGES = 1  # pages a source reads on its first sync
MAX_PAGES = 25  # pages per source and sync (1,000 statuses); the rest waits for the next sync
REQUEST_TIMEOUT = 30.0
MAX_REPLY_CHARS = 500  # Mastodon's default limit; an instance may allow more
SERVER_VERSION = (4, 0, 0)  # the oldest Mastodon whose API this connector speaks
BASE_SETTING, TOKEN_SETTING = "MASTODON_API_BASE_URL", "MASTODON_ACCESS_TOKEN"
HASHTAGS_SETTING, QUERY_SETTING = "MASTODON_HASHTAGS", "MASTODON_QUERY"

_HASHTAG = re.compile(r"[^\W]{1,100}")  # Mastodon's hashtags: letters, digits and _ only
KnownThreads = Callable[[set[str]], Mapping[str, str]]


# ---------------------------------------------------------------------------- client


class _LastResponse:
    """A ``requests`` response hook keeping the latest answer: its body and its headers."""

    def __init__(self) -> None:
        self.response: requests.Response | None = None

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> None:
        self.response = response


@dataclass
class MastodonClient:
    """A Mastodon.py client on one instance, the raw answers it received and the rate limit
    those answers announced."""

    api: Mastodon
    last: _LastResponse
    base_url: str
    remaining: int | None = None
    reset_at: float | None = None  # on our clock

    def note_limits(self, response: requests.Response | None, now: float) -> None:
        """Remember ``X-RateLimit-Remaining`` and when the window resets."""
        if response is None:
            return
        headers = response.headers
        remaining = (headers.get("X-RateLimit-Remaining") or "").strip()
        if remaining.isdigit():
            self.remaining = int(remaining)
        reset = _seconds_to_reset(headers.get("X-RateLimit-Reset"), headers.get("Date"), now)
        if reset is not None:
            self.reset_at = now + reset

    def body(self) -> Any:
        """The JSON the server sent for the last request (not Mastodon.py's cast of it)."""
        response = self.last.response
        if response is None:
            raise Transient("Mastodon sent no answer")
        try:
            return json.loads(response.content)
        except ValueError:
            raise Transient(f"Mastodon answered {response.status_code} with no JSON") from None


def _seconds_to_reset(reset: str | None, date: str | None, now: float) -> float | None:
    """Seconds until ``X-RateLimit-Reset``: an ISO 8601 time (Mastodon) or Unix seconds
    (other servers), measured against the answer's ``Date`` when it has one."""
    if not reset:
        return None
    reset = reset.strip()
    try:
        moment = float(reset) if reset.replace(".", "", 1).isdigit() else None
        if moment is None:
            moment = datetime.fromisoformat(reset.replace("Z", "+00:00")).timestamp()
        server_now = parsedate_to_datetime(date).timestamp() if date else now
    except (ValueError, TypeError, OverflowError):
        return None
    return max(0.0, moment - server_now)


def check_base_url(value: str | None) -> str:
    """The instance's address, e.g. ``https://mastodon.social``; refused clearly otherwise."""
    base = (value or "").strip().rstrip("/")
    if not base:
        raise NotConfiguredError(
            f"{BASE_SETTING} is not set: put the address of the brand account's instance "
            "in it, e.g. https://mastodon.social"
        )
    parts = urlsplit(base)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise NotConfiguredError(
            f"{BASE_SETTING}={base!r} is not an address: use the instance's URL, "
            "e.g. https://mastodon.social"
        )
    return base


def make_client(
    base_url: str | None, access_token: str | None, timeout: float = REQUEST_TIMEOUT
) -> MastodonClient:
    """A client acting as the brand account (its access token) on its instance."""
    base = check_base_url(base_url)
    if not access_token or not access_token.strip():
        raise NotConfiguredError(
            f"{TOKEN_SETTING} is not set: on the instance open Preferences > Development > "
            "New application (scopes read and write:statuses) and put its access token in "
            + TOKEN_SETTING
        )
    last = _LastResponse()
    session = requests.Session()
    session.hooks["response"].append(last)
    api = Mastodon(
        api_base_url=base,
        access_token=access_token.strip(),
        ratelimit_method="throw",
        version_check_mode="none",
        mastodon_version=".".join(map(str, SERVER_VERSION)),
        request_timeout=timeout,
        session=session,
        user_agent="fullcircle",
    )
    # The server's version is declared, never asked for (no request to /api/v*/instance):
    # with checks off Mastodon.py keeps 1.0.0, and it compares that before sending search
    # bounds, so the declared version is set where it looks.
    api.mastodon_major, api.mastodon_minor, api.mastodon_patch = SERVER_VERSION
    return MastodonClient(api, last, base)


# ---------------------------------------------------------------------------- errors


def _translate(exc: MastodonError, what: str, reset_at: float | None) -> Exception:
    """A Mastodon.py error as a retry signal or one of ours; never the request or its token."""
    if isinstance(exc, MastodonRatelimitError):
        return RateLimited(reset_at)
    if isinstance(exc, MastodonNetworkError):
        return Transient("the connection to Mastodon failed")
    if isinstance(exc, MastodonServerError):
        return Transient(f"Mastodon answered {_status(exc)}")
    if isinstance(exc, MastodonUnauthorizedError):
        return NotConfiguredError(
            f"{what}: the instance refused {TOKEN_SETTING} (401); create a new access token"
        )
    if isinstance(exc, MastodonNotFoundError):
        return PlatformError(f"{what}: Mastodon answered 404 (not found)")
    if isinstance(exc, MastodonAPIError):
        status = _status(exc)
        if status == 403:
            return NotConfiguredError(
                f"{what}: Mastodon answered 403; the access token lacks a scope "
                "(read, and write:statuses for replies)"
            )
        if status is None:
            return Transient("Mastodon sent an answer that is not JSON")
        reason = str(exc.args[3])[:200] if len(exc.args) > 3 and exc.args[3] else ""
        return PlatformError(f"{what}: Mastodon answered {status} {reason}".strip())
    return PlatformError(f"{what}: Mastodon client error {type(exc).__name__}")


def _status(exc: MastodonError) -> int | None:
    code = exc.args[1] if len(exc.args) > 1 else None
    return code if isinstance(code, int) else None


def call(
    client: MastodonClient, action: Callable[[Mastodon], Any], what: str, clock: Callable[[], float]
) -> Any:
    """One request, once (``RetryPolicy`` decides on retries); returns the raw JSON body.

    When the last answer said no request is left in the window, the request is not sent:
    ``RateLimited`` asks the policy to wait for the reset first.
    """
    now = clock()
    if client.remaining == 0 and client.reset_at is not None and client.reset_at > now:
        reset_at, client.remaining = client.reset_at, None
        raise RateLimited(reset_at)
    client.last.response = None
    try:
        action(client.api)
    except MastodonError as exc:
        client.note_limits(client.last.response, clock())
        raise _translate(exc, what, client.reset_at) from None
    client.note_limits(client.last.response, clock())
    return client.body()


# ---------------------------------------------------------------------------- sources


def _id_key(value: str) -> tuple[int, str]:
    """Mastodon ids are decimal strings (snowflakes): longer is newer, then by digits."""
    return len(value), value


def _page_ids(page: Any) -> list[str]:
    """The ids a page is paged by: statuses', or notifications' for the mentions."""
    items = page.get("statuses") if isinstance(page, dict) else page
    ids = []
    for item in items if isinstance(items, list) else []:
        value = item.get("id") if isinstance(item, dict) else None
        if isinstance(value, str) and value:
            ids.append(value)
    return ids


@dataclass
class MastodonTimeline:
    """One incremental Mastodon source: a hashtag, the search, the mentions or one account."""

    name: str
    kind: str  # "tag" | "search" | "mentions" | "posts"
    argument: str  # the hashtag, the query or the account id ("" for mentions)
    client: MastodonClient
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    known_threads: KnownThreads | None = None
    max_pages: int = MAX_PAGES
    first_pages: int = FIRST_PAGES

    def _request(self, since_id: str | None, max_id: str | None) -> Any:
        bounds = {"max_id": max_id, "limit": PAGE_SIZE}
        if self.kind == "tag":
            action = lambda api: api.timeline_hashtag(  # noqa: E731
                self.argument, since_id=since_id, **bounds
            )
        elif self.kind == "search":
            action = lambda api: api.search_v2(  # noqa: E731
                self.argument, resolve=False, result_type="statuses", min_id=since_id, **bounds
            )
        elif self.kind == "mentions":
            action = lambda api: api.notifications(  # noqa: E731
                types=["mention"], since_id=since_id, **bounds
            )
        else:
            action = lambda api: api.account_statuses(  # noqa: E731
                self.argument, exclude_reblogs=True, since_id=since_id, **bounds
            )
        clock = self.retry.clock
        return self.retry.call(lambda: call(self.client, action, self.name, clock), self.name)

    def fetch(self, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        cursor = cursor or {}
        since_id, newest, max_id = (
            cursor.get("since_id"),
            cursor.get("newest_id"),
            cursor.get("max_id"),
        )
        first_sync = since_id is None and max_id is None
        pages = 0
        while True:
            page = self._request(since_id, max_id)
            pages += 1
            ids = _page_ids(page)
            if ids:
                top = max(ids, key=_id_key)
                newest = top if newest is None or _id_key(top) > _id_key(newest) else newest
            more = len(ids) >= PAGE_SIZE and not (first_sync and pages >= self.first_pages)
            max_id = min(ids, key=_id_key) if more else None
            known = self.known_threads(parent_ids(page)) if self.known_threads else None
            posts, problems = posts_from_page(page, self.name, known)
            problems += [Problem(self.name, None, fault) for fault in self.retry.take_faults()]
            statuses, _ = statuses_of(page)
            yield Batch(
                self.name,
                posts,
                _next_cursor(since_id, newest, max_id),
                problems,
                items_read=len(statuses),
            )
            if max_id is None or pages >= self.max_pages:
                return


def _next_cursor(since_id: str | None, newest: str | None, max_id: str | None) -> dict:
    """Mid-window: the old lower bound and where to page on; window done: newest is the bound."""
    if max_id:
        return {"since_id": since_id, "newest_id": newest, "max_id": max_id}
    return {"since_id": newest or since_id, "newest_id": None, "max_id": None}


def parse_hashtags(value: str | Iterable[str]) -> list[str]:
    """Hashtags from the setting (comma- or space-separated, with or without ``#``)."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    tags = [item.strip().lstrip("#") for item in items if item.strip().lstrip("#")]
    for tag in tags:
        if not _HASHTAG.fullmatch(tag):
            raise NotConfiguredError(
                f"{HASHTAGS_SETTING} holds {tag!r}, which is not a hashtag: use letters, digits "
                "and _ only, separated by commas (e.g. NorthwindJobs,NorthwindLabs)"
            )
    return list(dict.fromkeys(tags))


def mastodon_sources(
    client: MastodonClient,
    hashtags: str | Iterable[str],
    query: str,
    account_ids: Iterable[str],
    retry: RetryPolicy | None = None,
    known_threads: KnownThreads | None = None,
) -> list[MastodonTimeline]:
    """Each hashtag, the brand query, the token account's mentions, and each brand account's
    own statuses (so the brand's answers are seen)."""
    retry = retry or RetryPolicy()

    def source(name: str, kind: str, argument: str) -> MastodonTimeline:
        return MastodonTimeline(name, kind, argument, client, retry, known_threads)

    sources = [source(f"mastodon:tag:{tag}", "tag", tag) for tag in parse_hashtags(hashtags)]
    if query.strip():
        sources.append(source("mastodon:search", "search", query.strip()))
    sources.append(source("mastodon:mentions", "mentions", ""))
    for account_id in dict.fromkeys(account_ids):
        sources.append(source(f"mastodon:posts:{account_id}", "posts", account_id))
    return sources


def lookup_account_id(client: MastodonClient, handle: str, retry: RetryPolicy | None = None) -> str:
    """The instance's id of a brand account (``@user@instance``), so its statuses can be read."""
    policy = retry or RetryPolicy()
    acct = handle.strip().lstrip("@")
    what = f"Mastodon account @{acct}"
    found = policy.call(
        lambda: call(client, lambda api: api.account_lookup(acct), what, policy.clock), what
    )
    if not isinstance(found, dict) or not isinstance(found.get("id"), str):
        raise PlatformError(f"{what}: the instance sent no account id; check the brand accounts")
    return found["id"]


# ---------------------------------------------------------------------------- replies


def _mention_prefix(original: Mapping[str, Any], text: str) -> str:
    """``@user@domain`` of the original's author when the text does not name them yet:
    Mastodon notifies (and, for a direct status, shows the reply to) only who is mentioned."""
    account = original.get("account")
    acct = account.get("acct") if isinstance(account, dict) else None
    if not isinstance(acct, str) or not acct.strip():
        return ""
    mention = f"@{acct.strip().lstrip('@')}"
    return "" if mention.lower() in text.lower() else f"{mention} "


def send_reply(
    client: MastodonClient,
    in_reply_to: str,
    text: str,
    idempotency_key: str,
    clock: Callable[[], float] | None = None,
) -> str:
    """Reply as the brand account with the original's visibility; returns the new status id.

    The original is read first (one request) for its visibility and author. The status is
    posted with an ``Idempotency-Key``, so Mastodon itself refuses to post one draft twice;
    still it is never retried here: after a timeout the team checks the thread first.
    """
    what = "reply on Mastodon"
    if not text.strip() or len(text) > MAX_REPLY_CHARS:
        raise PlatformError(
            f"{what}: the text must hold 1 to {MAX_REPLY_CHARS} characters "
            f"(it has {len(text.strip())})"
        )
    now = clock or RetryPolicy().clock
    try:
        original = call(client, lambda api: api.status(in_reply_to), what, now)
        if not isinstance(original, dict):
            raise PlatformError(f"{what}: the instance sent no status {in_reply_to}")
        visibility = original.get("visibility")
        body = _mention_prefix(original, text) + text
        created = call(
            client,
            lambda api: api.status_post(
                body,
                in_reply_to_id=in_reply_to,
                visibility=visibility if isinstance(visibility, str) else None,
                idempotency_key=idempotency_key,
            ),
            what,
            now,
        )
    except RateLimited as exc:
        raise PlatformError(f"{what}: rate limited until {exc.reset_at}; try again then") from None
    except Transient as exc:
        raise PlatformError(
            f"{what}: {exc}; check the thread before sending again, the reply may have been posted"
        ) from None
    if not isinstance(created, dict) or not created.get("id"):
        raise PlatformError(
            f"{what}: the instance's answer carried no status id; check the thread first"
        )
    return str(created["id"])
