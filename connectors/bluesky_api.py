"""Live Bluesky through the ``atproto`` SDK: the brand query, the brand account's notifications
and its own posts, read incrementally; replies as the brand account.

Login: a handle and an app password (``com.atproto.server.createSession``; Bluesky allows 30 a
5 minutes per account), done once per process and reused by every source and every reply; the SDK
refreshes the access token itself.

Reading, newest first, page by page (``cursor``):

- ``bluesky:search`` — ``app.bsky.feed.searchPosts`` with ``sort=latest`` and ``since``;
- ``bluesky:notifications:HANDLE`` — ``app.bsky.notification.listNotifications`` for the reasons
  mention, reply and quote (never marked as seen: the team's app still shows them unread);
- ``bluesky:posts:HANDLE`` — ``app.bsky.feed.getAuthorFeed`` of each brand account, so answers
  are seen (reposts and pins are left out: they are not the brand's words).

Cursor, one per source::

    {"newest": "2026-12-01T09:00:00.000Z", "seen": [[uri, time], …]}

``newest`` is the latest ``sortAt`` stored (the earlier of ``createdAt`` and ``indexedAt``, which
is what Bluesky sorts by); ``seen`` holds the posts of the last ``OVERLAP`` before it. A walk asks
from ``newest`` − ``OVERLAP`` (search's ``since``) and stops at the first post older than that, so
a post indexed a little late is still found and none is stored twice. While a walk spans several
pages the cursor also holds the window in progress and the next page's cursor, so a crash between
pages resumes on the page it stopped at.

Limits (checked 2026-12-05): 3,000 requests per 5 minutes per IP address; writes cost points,
5,000 an hour and 35,000 a day per account (a post: 3). Every answer carries ``ratelimit-remaining``
and ``ratelimit-reset``; when none remain the next request waits until the reset (at most
``RetryPolicy.max_wait``, else the sync reports), and a 429 waits the same way.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from atproto import Client, models
from atproto_client import exceptions as atp
from atproto_client.utils import facet_detection

from connectors.base import (
    Batch,
    ConnectorError,
    NotConfiguredError,
    PlatformError,
    Post,
    Problem,
)
from connectors.bluesky import (
    POST_COLLECTION,
    POST_REASONS,
    item_time,
    item_uri,
    posts_from_response,
)
from connectors.retry import RateLimited, RetryPolicy, Transient

SERVICE_URL = "https://bsky.social"
HANDLE_SETTING, PASSWORD_SETTING = "BLUESKY_HANDLE", "BLUESKY_APP_PASSWORD"
PAGE_SIZE = 100  # the most searchPosts, listNotifications and getAuthorFeed return
OVERLAP = timedelta(minutes=2)  # read again behind the newest stored post: late indexing
INITIAL = timedelta(days=7)  # how far back the first search of a query reaches
MAX_SEEN = 2000  # uris kept in a cursor; far above what two minutes of a brand query hold
MAX_REPLY_CHARS = 300  # Bluesky refuses posts of more than 300 graphemes
REQUEST_TIMEOUT = 30.0
_AUTH_ERRORS = {"AuthenticationRequired", "InvalidToken", "ExpiredToken", "AccountTakedown"}


# ---------------------------------------------------------------------------- session


@dataclass
class BlueskySession:
    """A logged-in client, the account it acts as, and the rate-limit budget its answers told.

    ``wait_until`` is the reset time of a window whose requests are used up: the next request
    waits for it (bounded by the retry policy), rather than being refused with a 429.
    """

    client: Client
    did: str
    handle: str
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    wait_until: float | None = None
    requests: int = 0

    def query(self, nsid: str, params: Any, what: str) -> dict[str, Any]:
        """One XRPC query, answered as the raw JSON the mapping reads."""
        return self.retry.call(lambda: self._once(nsid, params, what, procedure=False), what)

    def procedure(self, nsid: str, data: Any, what: str) -> dict[str, Any]:
        """One XRPC procedure (a write), tried once: see ``send_reply``."""
        return self._once(nsid, data, what, procedure=True)

    def _once(self, nsid: str, payload: Any, what: str, procedure: bool) -> dict[str, Any]:
        self._wait_for_budget(what)
        self.requests += 1
        try:
            if procedure:
                answer = self.client.invoke_procedure(nsid, data=payload)
            else:
                answer = self.client.invoke_query(nsid, params=payload)
        except atp.AtProtocolError as exc:
            raise _translate(exc, what, self.retry.clock) from None
        except httpx.HTTPError as exc:
            raise Transient(f"{type(exc).__name__} talking to Bluesky") from None
        except ValueError:  # pydantic-core's JSON reader: a body that is not JSON
            raise Transient("Bluesky sent an answer that is not JSON") from None
        self._note_budget(answer.headers)
        if not isinstance(answer.content, dict):
            raise Transient("Bluesky sent an answer that is not a JSON object")
        return answer.content

    def _note_budget(self, headers: dict[str, Any]) -> None:
        remaining, reset = _int_header(headers, "ratelimit-remaining"), _reset(headers)
        self.wait_until = reset if remaining is not None and remaining <= 0 and reset else None

    def _wait_for_budget(self, what: str) -> None:
        if self.wait_until is None:
            return
        wait = self.wait_until - self.retry.clock()
        self.wait_until = None
        if wait <= 0:
            return
        if wait > self.retry.max_wait:
            raise PlatformError(
                f"{what}: Bluesky's rate limit is used up for {wait:.0f} s, more than "
                f"the {self.retry.max_wait:.0f} s we wait"
            )
        self.retry.faults.append(f"{what}: rate limit used up; waited {wait:.0f} s for its reset")
        self.retry.sleep(wait)


def _int_header(headers: dict[str, Any], name: str) -> int | None:
    value = str(headers.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def _reset(headers: dict[str, Any]) -> float | None:
    """``ratelimit-reset``: Unix seconds when the window's budget is back."""
    value = _int_header(headers, "ratelimit-reset")
    return float(value) if value is not None else None


def _error_name(exc: atp.RequestErrorBase) -> tuple[str, str]:
    """The XRPC error name and message of an answer (never the request, which holds tokens)."""
    content = exc.response.content if exc.response is not None else None
    error = getattr(content, "error", None)
    message = getattr(content, "message", None)
    return str(error or ""), str(message or "")[:300]


def _translate(exc: atp.AtProtocolError, what: str, clock: Callable[[], float]) -> Exception:
    """An SDK error as a retry signal or one of our errors."""
    if not isinstance(exc, atp.RequestErrorBase) or exc.response is None:
        if isinstance(exc, atp.NetworkError):
            return Transient("network error talking to Bluesky")
        return PlatformError(f"{what}: {type(exc).__name__}")
    status = exc.response.status_code
    error, message = _error_name(exc)
    said = f" {error}" + (f": {message}" if message else "")
    if status == 429:
        return RateLimited(_reset(exc.response.headers))
    if status >= 500 or isinstance(exc, atp.NetworkError):
        return Transient(f"Bluesky answered {status}")
    if status in (401, 403) or error in _AUTH_ERRORS:
        _forget_sessions()
        return NotConfiguredError(
            f"{what}: Bluesky refused the login ({status}{said}); check {HANDLE_SETTING} and "
            f"{PASSWORD_SETTING} (an app password from Settings > Privacy and security)"
        )
    return PlatformError(f"{what}: Bluesky answered {status}{said}".rstrip())


_SESSIONS: dict[tuple[str, str, str], BlueskySession] = {}
_SESSIONS_LOCK = threading.RLock()  # a refused login forgets sessions while holding it


def _forget_sessions() -> None:
    with _SESSIONS_LOCK:
        _SESSIONS.clear()


def login(
    handle: str | None,
    app_password: str | None,
    service_url: str = SERVICE_URL,
    retry: RetryPolicy | None = None,
    timeout: float = REQUEST_TIMEOUT,
) -> BlueskySession:
    """The brand account's session: made once per process, then reused.

    createSession is limited to 30 per 5 minutes per account, so a worker syncing every minute
    and a dashboard sending replies must not log in for each; the SDK refreshes the token.
    """
    handle = (handle or "").strip().lstrip("@")
    if not handle or not (app_password or "").strip():
        absent = HANDLE_SETTING if not handle else PASSWORD_SETTING
        raise NotConfiguredError(
            f"{absent} is not set: Bluesky search needs a login since 2025; put the brand "
            f"account's handle in {HANDLE_SETTING} and an app password (Settings > Privacy and "
            f"security > App passwords) in {PASSWORD_SETTING}"
        )
    service = (service_url or SERVICE_URL).rstrip("/")
    secret = hashlib.sha256((app_password or "").encode()).hexdigest()
    key = (service, handle.lower(), secret)
    with _SESSIONS_LOCK:
        found = _SESSIONS.get(key)
        if found is not None:
            if retry is not None:
                found.retry = retry
            return found
        client = Client(base_url=service, request=_request(timeout))
        policy = retry or RetryPolicy()
        session = policy.call(
            lambda: _create_session(client, handle, (app_password or "").strip(), policy),
            "Bluesky login",
        )
        found = BlueskySession(client, session.did, session.handle, policy)
        _SESSIONS[key] = found
        return found


def _request(timeout: float) -> Any:
    from atproto_client.request import Request

    return Request(timeout=timeout)


def _create_session(client: Client, handle: str, password: str, policy: RetryPolicy) -> Any:
    try:
        client.login(handle, password, fetch_bsky_profile=False)
    except atp.AtProtocolError as exc:
        raise _translate(exc, "Bluesky login", policy.clock) from None
    except httpx.HTTPError as exc:
        raise Transient(f"{type(exc).__name__} talking to Bluesky") from None
    session = client._session  # the SDK keeps the did and handle of the login here
    if session is None:
        raise PlatformError("Bluesky login: no session in the answer")
    return session


def resolve_handle(session: BlueskySession, handle: str) -> str:
    """The DID of a brand handle (one request), so its feed can be read and replies to it seen."""
    answer = session.query(
        "com.atproto.identity.resolveHandle",
        models.ComAtprotoIdentityResolveHandle.Params(handle=handle.strip().lstrip("@")),
        f"Bluesky handle @{handle}",
    )
    did = answer.get("did")
    if not isinstance(did, str) or not did.startswith("did:"):
        raise PlatformError(f"Bluesky has no account @{handle}; check the brand accounts")
    return did


# ---------------------------------------------------------------------------- cursor


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _read(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _seen(value: Any) -> dict[str, datetime]:
    pairs = value if isinstance(value, list) else []
    found = {}
    for pair in pairs:
        if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str):
            moment = _read(pair[1])
            if moment is not None:
                found[pair[0]] = moment
    return found


@dataclass
class _Window:
    """The stored cursor (``newest``, ``seen``) and the walk in progress above it."""

    newest: datetime | None = None
    seen: dict[str, datetime] = field(default_factory=dict)
    walked: dict[str, datetime] = field(default_factory=dict)
    page: str | None = None

    @classmethod
    def load(cls, cursor: dict[str, Any] | None) -> _Window:
        cursor = cursor or {}
        page = cursor.get("page")
        return cls(
            _read(cursor.get("newest")),
            _seen(cursor.get("seen")),
            _seen(cursor.get("walked")),
            page if isinstance(page, str) and page else None,
        )

    @property
    def floor(self) -> datetime | None:
        """Posts older than this are below the cursor: the walk stops at the first one."""
        return self.newest - OVERLAP if self.newest is not None else None

    def dump(self) -> dict[str, Any]:
        """Mid-walk: the old cursor, the walk so far and the next page; walk done: folded."""
        if self.page:
            return {
                **_cursor(self.newest, self.seen),
                "walked": _pairs(self.walked),
                "page": self.page,
            }
        merged = {**self.seen, **self.walked}
        newest = max([*merged.values(), *([self.newest] if self.newest else [])], default=None)
        return _cursor(newest, merged)


def _pairs(seen: dict[str, datetime]) -> list[list[str]]:
    newest_first = sorted(seen.items(), key=lambda pair: pair[1], reverse=True)[:MAX_SEEN]
    return [[uri, _iso(moment)] for uri, moment in newest_first]


def _cursor(newest: datetime | None, seen: dict[str, datetime]) -> dict[str, Any]:
    if newest is None:
        return {"newest": None, "seen": []}
    recent = {uri: t for uri, t in seen.items() if t >= newest - OVERLAP}
    return {"newest": _iso(newest), "seen": _pairs(recent)}


# ---------------------------------------------------------------------------- sources

_KINDS = {
    "search": ("app.bsky.feed.searchPosts", "posts"),
    "notifications": ("app.bsky.notification.listNotifications", "notifications"),
    "posts": ("app.bsky.feed.getAuthorFeed", "feed"),
}


@dataclass
class BlueskyTimeline:
    """One incremental Bluesky source: the brand query, the notifications of the logged-in
    brand account, or one brand account's own posts (``argument`` is the query or the DID)."""

    name: str
    kind: str  # "search" | "notifications" | "posts"
    argument: str
    session: BlueskySession
    max_pages: int | None = None

    @property
    def retry(self) -> RetryPolicy:
        """The session's policy: the sync reads the faults it met from here."""
        return self.session.retry

    def _params(self, page: str | None, since: datetime | None) -> Any:
        if self.kind == "search":
            return models.AppBskyFeedSearchPosts.Params(
                q=self.argument,
                sort="latest",
                since=_iso(since) if since else None,
                limit=PAGE_SIZE,
                cursor=page,
            )
        if self.kind == "notifications":
            return models.AppBskyNotificationListNotifications.Params(
                limit=PAGE_SIZE, reasons=list(POST_REASONS), cursor=page
            )
        return models.AppBskyFeedGetAuthorFeed.Params(
            actor=self.argument, filter="posts_with_replies", limit=PAGE_SIZE, cursor=page
        )

    def fetch(self, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        window = _Window.load(cursor)
        clock = self.session.retry.clock
        first = datetime.fromtimestamp(clock(), tz=UTC) - INITIAL
        since = window.floor or (first if self.kind == "search" else None)
        nsid, key = _KINDS[self.kind]
        pages = 0
        while True:
            requests = self.session.requests
            page = self.session.query(nsid, self._params(window.page, since), self.name)
            pages += 1
            items = page.get(key)
            listed = items if isinstance(items, list) else []
            kept, reached = self._above(listed, window)
            posts, problems = posts_from_response({**page, key: kept}, self.name)
            if items is not None and not isinstance(items, list):
                problems = [Problem(self.name, None, f"Bluesky {key} is a {type(items).__name__}")]
            self._note(kept, posts, window)
            token = page.get("cursor")
            more = isinstance(token, str) and token and listed and not reached
            window.page = token if more else None
            faults = [Problem(self.name, None, f) for f in self.session.retry.take_faults()]
            yield Batch(
                self.name,
                posts,
                window.dump(),
                problems + faults,
                items_read=len(listed),
                units=self.session.requests - requests,
            )
            if window.page is None or (self.max_pages and pages >= self.max_pages):
                return

    def _above(self, items: list[Any], window: _Window) -> tuple[list[Any], bool]:
        """The items above the cursor not stored yet, and whether the walk reached it."""
        kept: list[Any] = []
        for item in items:
            if self.kind == "posts" and isinstance(item, dict) and item.get("reason"):
                continue  # a repost or a pin: not a post of the brand's, and out of order
            moment, uri = item_time(item), item_uri(item)
            if window.floor is not None and moment is not None and moment < window.floor:
                return kept, True
            if uri is not None and (uri in window.seen or uri in window.walked):
                continue
            kept.append(item)
        return kept, False

    @staticmethod
    def _note(kept: list[Any], posts: list[Post], window: _Window) -> None:
        """Remember the walked items by their time (undated ones are mapped as problems)."""
        for item in kept:
            moment, uri = item_time(item), item_uri(item)
            if moment is not None and uri is not None:
                window.walked[uri] = moment


@dataclass
class LoginFailed:
    """Stands for the brand account's sources when its login fails, so the sync records why
    for this source (Sources & settings shows it) and the other connectors still sync."""

    name: str
    error: ConnectorError

    def fetch(self, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        raise self.error


def bluesky_sources(
    session: BlueskySession,
    query: str,
    brand_accounts: list[tuple[str, str]],
    max_pages: int | None = None,
) -> list[BlueskyTimeline]:
    """The brand query, the login account's notifications, and each brand account's own
    posts (``brand_accounts``: (handle, DID) pairs)."""
    sources = []
    if query.strip():
        sources.append(
            BlueskyTimeline("bluesky:search", "search", query.strip(), session, max_pages)
        )
    sources.append(
        BlueskyTimeline(
            f"bluesky:notifications:{session.handle}",
            "notifications",
            session.did,
            session,
            max_pages,
        )
    )
    by_did = dict(reversed([(session.did, session.handle), *((d, h) for h, d in brand_accounts)]))
    for did, handle in by_did.items():
        sources.append(BlueskyTimeline(f"bluesky:posts:{handle}", "posts", did, session, max_pages))
    return sources


# ---------------------------------------------------------------------------- replies


def _strong_ref(view: dict[str, Any]) -> Any:
    return models.ComAtprotoRepoStrongRef.Main(uri=view["uri"], cid=view["cid"])


def reply_refs(session: BlueskySession, parent_uri: str) -> Any:
    """The ``reply`` of a new post: its parent and its thread's root, each ``{uri, cid}``.

    The parent is read fresh (``app.bsky.feed.getPosts``, one request): its cid must be the
    current one, and its own ``reply.root`` names the thread's root.
    """
    what = "reply on Bluesky"
    answer = session.query(
        "app.bsky.feed.getPosts", models.AppBskyFeedGetPosts.Params(uris=[parent_uri]), what
    )
    posts = answer.get("posts")
    view = posts[0] if isinstance(posts, list) and posts else None
    if (
        not isinstance(view, dict)
        or not view.get("cid")
        or not isinstance(view.get("record"), dict)
    ):
        raise PlatformError(f"{what}: the post {parent_uri} is gone or hidden from the brand")
    root = (view["record"].get("reply") or {}).get("root")
    root_ref = (
        models.ComAtprotoRepoStrongRef.Main(uri=root["uri"], cid=root["cid"])
        if isinstance(root, dict) and root.get("uri") and root.get("cid")
        else _strong_ref(view)
    )
    return models.AppBskyFeedPost.ReplyRef(root=root_ref, parent=_strong_ref(view))


def facets(session: BlueskySession, text: str) -> list[Any] | None:
    """Links, hashtags and @mentions of ``text`` as rich-text facets (byte ranges), so they are
    links in the app; a mentioned handle is resolved to its DID (one request each), and one
    that does not resolve stays plain text."""
    found = facet_detection.detect_facets(text)
    for mention in facet_detection.detect_mentions(text):
        try:
            did = resolve_handle(session, mention.handle)
        except PlatformError:
            continue
        found.append(
            models.AppBskyRichtextFacet.Main(
                features=[models.AppBskyRichtextFacet.Mention(did=did)],
                index=models.AppBskyRichtextFacet.ByteSlice(
                    byte_start=mention.byte_start, byte_end=mention.byte_end
                ),
            )
        )
    return sorted(found, key=lambda facet: facet.index.byte_start) or None


def send_reply(
    session: BlueskySession, parent_uri: str, text: str, now: Callable[[], float] = time.time
) -> str:
    """Post ``text`` as the brand account in reply to ``parent_uri``; returns the new post's
    AT URI (``com.atproto.repo.createRecord``).

    Never retried automatically: a timeout may hide a post that was created, and a duplicate
    public reply is worse than a failed send the user can retry knowingly.
    """
    what = "reply on Bluesky"
    if not text.strip() or len(text) > MAX_REPLY_CHARS:
        raise PlatformError(
            f"{what}: the text must hold 1 to {MAX_REPLY_CHARS} characters (it has "
            f"{len(text.strip())})"
        )
    reply = reply_refs(session, parent_uri)
    record = models.AppBskyFeedPost.Record(
        text=text,
        created_at=_iso(datetime.fromtimestamp(now(), tz=UTC)),
        reply=reply,
        facets=facets(session, text),
    )
    data = models.ComAtprotoRepoCreateRecord.Data(
        repo=session.did, collection=POST_COLLECTION, record=record
    )
    try:
        created = session.procedure("com.atproto.repo.createRecord", data, what)
    except RateLimited as exc:
        raise PlatformError(f"{what}: rate limited until {exc.reset_at}; try again then") from None
    except Transient as exc:
        raise PlatformError(
            f"{what}: {exc}; check the thread before sending again, the reply may have been posted"
        ) from None
    uri = created.get("uri")
    if not isinstance(uri, str) or not uri.startswith("at://"):
        raise PlatformError(
            f"{what}: Bluesky's answer carried no post uri; check the thread before sending again"
        )
    return uri
