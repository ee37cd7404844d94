"""Live Reddit through PRAW: keyword search with its threads, the brand's inbox, its own comments.

Every PRAW object is turned back into the thing dict the API sent (``{"kind", "data"}``) and mapped
by ``connectors.reddit.post_from_thing``, so a live sync and an imported ``/comments/ID.json``
file produce the same posts.

Cursor: Reddit listings are newest first and have no ``since`` parameter, so each source keeps
``{"after_utc": float, "seen": [fullnames created at exactly that second]}``. A fetch walks the
listing down to the cursor (an item at ``after_utc`` already in ``seen`` is skipped, the first
item older than ``after_utc`` ends the walk), then yields the new items oldest first, each batch
carrying the cursor of its newest item. A crash between batches therefore resumes after the last
committed one; nothing is read twice and several items sharing one second are not lost.

Retrying: prawcore retries 5xx answers itself with sleeps nobody can inject or bound. The
sessions built by ``make_reddit`` are switched to a single attempt, so ``RetryPolicy`` is the one
retry layer: bounded, and testable with a fake clock. prawcore's rate limiter still spaces
requests by Reddit's ``x-ratelimit-*`` headers, which keeps 429 answers rare.
"""

from __future__ import annotations

import configparser
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar
from urllib.parse import urlparse

import praw
import prawcore
from praw.exceptions import MissingRequiredAttributeException, PRAWException, RedditAPIException
from praw.models import Comment, Message, Submission
from prawcore.sessions import FiniteRetryStrategy

from connectors.base import (
    Batch,
    MalformedPayloadError,
    NotConfiguredError,
    PlatformError,
    Post,
    Problem,
)
from connectors.reddit import post_from_thing
from connectors.retry import RateLimited, RetryPolicy, Transient

T = TypeVar("T")

MAX_ITEMS = 500  # things read per listing and fetch; Reddit's listings end at about 1,000
MORE_LIMIT = 4  # "load more comments" requests per thread
BATCH_SIZE = 100
SETTINGS = {
    "client_id": "REDDIT_CLIENT_ID",
    "client_secret": "REDDIT_CLIENT_SECRET",
    "user_agent": "REDDIT_USER_AGENT",
    "username": "REDDIT_USERNAME",
    "password": "REDDIT_PASSWORD",
}
_END = object()
_SUBMISSION_IN_PATH = re.compile(r"/comments/([0-9a-z]+)/")
_PRAW_OWN_ATTRIBUTES = frozenset({"comment_limit", "comment_sort"})


@dataclass(frozen=True)
class _SingleAttempt(FiniteRetryStrategy):
    """prawcore's retry strategy without retries: ``RetryPolicy`` decides instead."""

    DEFAULT_RETRIES: ClassVar[int] = 0
    retries: int = 0


def make_reddit(
    client_id: str | None = None,
    client_secret: str | None = None,
    user_agent: str | None = None,
    username: str | None = None,
    password: str | None = None,
    site: str | None = None,
    **praw_kwargs: Any,
) -> praw.Reddit:
    """A PRAW client from our settings, or from a ``praw.ini`` site when ``site`` is given.

    Without a username the client is read-only: search works, the inbox and replies do not.
    """
    given = {
        key: value
        for key, value in {
            "client_id": client_id,
            "client_secret": client_secret,
            "user_agent": user_agent,
            "username": username,
            "password": password,
        }.items()
        if value
    }
    if site is None:
        missing = [
            SETTINGS[key]
            for key in ("client_id", "client_secret", "user_agent")
            if key not in given
        ]
        if missing:
            raise NotConfiguredError(
                f"{', '.join(missing)} not set: create a 'script' app at "
                "https://www.reddit.com/prefs/apps and set REDDIT_CLIENT_ID, "
                "REDDIT_CLIENT_SECRET and a descriptive REDDIT_USER_AGENT"
            )
    if site is None and bool(username) != bool(password):
        absent = "REDDIT_PASSWORD" if username else "REDDIT_USERNAME"
        raise NotConfiguredError(
            f"{absent} not set: the brand account needs both REDDIT_USERNAME and REDDIT_PASSWORD"
        )
    reddit = _build(site, {"check_for_updates": False, **given, **praw_kwargs})
    _single_attempt(reddit)
    return reddit


def _build(site: str | None, settings: dict[str, Any]) -> praw.Reddit:
    """Construct the client, turning PRAW's configuration errors into ``NotConfiguredError``."""
    where = f"praw.ini site [{site}]" if site else "the Reddit settings"
    try:
        return praw.Reddit(site, **settings)
    except configparser.NoSectionError:
        raise NotConfiguredError(
            f"praw.ini has no site [{site}]: add it, or set REDDIT_CLIENT_ID,"
            " REDDIT_CLIENT_SECRET and REDDIT_USER_AGENT"
        ) from None
    except MissingRequiredAttributeException as exc:
        setting = next((SETTINGS[key] for key in SETTINGS if repr(key) in str(exc)), "a setting")
        raise NotConfiguredError(f"{where} lack {setting}") from None
    except prawcore.InvalidInvocation:
        raise NotConfiguredError(
            "REDDIT_USER_AGENT is too short: Reddit asks for a descriptive "
            "one, e.g. 'fullcircle/1.0 by u/yourbrand'"
        ) from None


def _single_attempt(reddit: praw.Reddit) -> None:
    """Let ``RetryPolicy`` own retries (prawcore has no public switch for this)."""
    cores: tuple[Any, ...] = (reddit._core, reddit._authorized_core, reddit._read_only_core)
    for core in {id(c): c for c in cores if c is not None}.values():
        if hasattr(core, "_retry_strategy_class"):
            core._retry_strategy_class = _SingleAttempt


# ---------------------------------------------------------------------------- errors


def _reset_at(headers: Any, clock: Callable[[], float]) -> float | None:
    """When a 429 lifts: ``retry-after`` or ``x-ratelimit-reset`` (both seconds from now)."""
    for header in ("retry-after", "x-ratelimit-reset"):
        value = (headers.get(header) or "").strip()
        if value.replace(".", "", 1).isdigit():
            return clock() + float(value)
    return None


def _response_error(exc: prawcore.ResponseException, what: str) -> Exception:
    """A non-success answer as a retry signal or a ``PlatformError``; only status and path."""
    response = exc.response
    status, path = response.status_code, urlparse(response.url or "").path
    if status >= 500 or status == 408 or isinstance(exc, prawcore.BadJSON):
        return Transient(f"Reddit answered {status} for {path}")
    if path.endswith("/api/v1/access_token"):
        return PlatformError(
            f"{what}: Reddit refused the app credentials ({status}): check "
            "REDDIT_CLIENT_ID and REDDIT_CLIENT_SECRET"
        )
    return PlatformError(f"{what}: Reddit answered {status} for {path}")


def _call_platform(action: Callable[[], T], what: str, clock: Callable[[], float]) -> T:
    """Translate PRAW's and prawcore's errors; messages never carry credentials or tokens."""
    try:
        return action()
    except prawcore.TooManyRequests as exc:
        raise RateLimited(_reset_at(exc.response.headers, clock)) from None
    except prawcore.InvalidToken:
        raise Transient("Reddit access token expired") from None
    except prawcore.RequestException as exc:
        raise Transient(f"{type(exc.original_exception).__name__} talking to Reddit") from None
    except prawcore.OAuthException as exc:
        raise PlatformError(
            f"{what}: Reddit refused the login ({exc.error}): check "
            "REDDIT_USERNAME and REDDIT_PASSWORD"
        ) from None
    except prawcore.ResponseException as exc:
        raise _response_error(exc, what) from None
    except RedditAPIException as exc:
        reasons = "; ".join(f"{item.error_type}: {item.message}" for item in exc.items)
        raise PlatformError(f"{what}: Reddit refused: {reasons}") from None
    except prawcore.PrawcoreException as exc:
        raise PlatformError(f"{what}: Reddit client error {type(exc).__name__}") from None
    except PRAWException as exc:
        raise PlatformError(f"{what}: {exc}") from None


# ---------------------------------------------------------------------------- mapping


def _kind(item: Any) -> str:
    if isinstance(item, Submission):
        return "t3"
    if isinstance(item, Comment):
        return "t1"
    if isinstance(item, Message):
        return "t4"
    return type(item).__name__


def _permalink(data: dict[str, Any], kind: str) -> str | None:
    """The thing's path without query: inbox comments only have ``context``, comments of old
    threads only their submission's permalink."""
    link = data.get("permalink") or data.get("context")
    submission = data.get("_submission")
    if not link and kind == "t1" and submission is not None and data.get("id"):
        base = vars(submission).get("permalink")
        link = f"{base.split('?')[0]}{data['id']}/" if base else None
    return link.split("?")[0] if isinstance(link, str) and link else None


def thing_from_praw(item: Any) -> dict[str, Any]:
    """The ``{"kind", "data"}`` thing behind a PRAW object, read from its attributes only.

    ``vars()`` is read instead of attributes because a missing attribute makes PRAW fetch the
    object again (one API call per item); a missing field is left for the mapping to report.
    """
    kind, data = _kind(item), vars(item)
    out = {
        key: value
        for key, value in data.items()
        if not key.startswith("_")
        and key not in _PRAW_OWN_ATTRIBUTES
        and (value is None or isinstance(value, (str, int, float, bool)))
    }
    author, subreddit = data.get("author"), data.get("subreddit")
    out["author"] = getattr(author, "name", None) or "[deleted]"
    if subreddit is not None:
        out["subreddit"] = str(subreddit)
    if data.get("id") and not out.get("name"):
        out["name"] = f"{kind}_{data['id']}"
    out["permalink"] = _permalink(data, kind)
    if kind == "t1" and not out.get("link_id"):
        found = _SUBMISSION_IN_PATH.search(str(out["permalink"] or ""))
        out["link_id"] = f"t3_{found.group(1)}" if found else None
    return {"kind": kind, "data": out}


def _map(things: Iterable[dict[str, Any]], source: str) -> tuple[list[Post], list[Problem]]:
    """Posts of the things; a thing that cannot be mapped becomes a ``Problem``."""
    posts: list[Post] = []
    problems: list[Problem] = []
    messages = 0
    for thing in things:
        if thing["kind"] == "t4":
            messages += 1
            continue
        try:
            posts.append(post_from_thing(thing, source))
        except MalformedPayloadError as exc:
            problems.append(Problem(source, thing["data"].get("name"), str(exc)))
    if messages:
        problems.append(
            Problem(
                source,
                None,
                f"{messages} private message(s) skipped: only comments and submissions are tracked",
            )
        )
    return posts, problems


# ---------------------------------------------------------------------------- cursor


@dataclass
class _Cursor:
    """Newest second read so far and the fullnames read at exactly that second."""

    after: float | None = None
    seen: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, cursor: dict[str, Any] | None) -> _Cursor:
        cursor = cursor or {}
        after = cursor.get("after_utc")
        return cls(float(after) if after is not None else None, set(cursor.get("seen") or ()))

    def advance(self, created: float, name: str) -> None:
        if self.after is None or created > self.after:
            self.after, self.seen = created, {name}
        elif created == self.after:
            self.seen.add(name)

    def dump(self) -> dict[str, Any]:
        return {"after_utc": self.after, "seen": sorted(self.seen)}


@dataclass
class _Item:
    created: float
    name: str
    thing: dict[str, Any]
    obj: Any


@dataclass
class _Read:
    """What one walk down the listings found."""

    items: dict[str, _Item] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    read: int = 0


def _created(data: dict[str, Any]) -> float | None:
    value = data.get("created_utc")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


# ---------------------------------------------------------------------------- sources


class _ListingSource:
    """One incremental Reddit source over one or more newest-first listings."""

    name: str
    batch_size = BATCH_SIZE

    def __init__(
        self,
        reddit: praw.Reddit,
        name: str,
        max_items: int = MAX_ITEMS,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.reddit, self.name, self.max_items = reddit, name, max_items
        self.retry = retry or RetryPolicy()

    def _listings(self, limit: int) -> list[Iterable[Any]]:
        raise NotImplementedError

    def _expand(self, item: _Item) -> tuple[list[dict[str, Any]], int]:
        """Things to store for one new item and the extra things read to find them."""
        return [item.thing], 0

    def _call(self, action: Callable[[], T]) -> T:
        clock = self.retry.clock
        return self.retry.call(lambda: _call_platform(action, self.name, clock), self.name)

    def fetch(self, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        """New items since ``cursor``: the listings are walked to the cursor first, because they
        are newest first and only oldest-first batches can each commit a safe cursor."""
        start = _Cursor.load(cursor)
        found = _Read()
        for listing in self._listings(self.max_items):
            self._walk(iter(listing), start, found)
        yield from self._batches(_Cursor.load(cursor), found)

    def _walk(self, listing: Iterator[Any], start: _Cursor, found: _Read) -> None:
        """Read one listing down to the cursor; bounded by ``max_items``."""
        read = 0
        while read < self.max_items:
            obj = self._call(lambda: next(listing, _END))
            if obj is _END:
                return
            read += 1
            found.read += 1
            thing = thing_from_praw(obj)
            name, created = thing["data"].get("name"), _created(thing["data"])
            if not name or created is None:
                found.problems.append(
                    Problem(
                        self.name, name, "no id or created_utc: cannot be placed after the cursor"
                    )
                )
                continue
            if start.after is not None and created < start.after:
                return
            if start.after is not None and created == start.after and name in start.seen:
                continue
            found.items.setdefault(name, _Item(created, name, thing, obj))
        if start.after is not None:
            found.problems.append(
                Problem(
                    self.name,
                    None,
                    f"read the newest {self.max_items} items without reaching the "
                    f"cursor ({start.after:.0f}): older new items may not have been read; "
                    "sync more often or raise max_items",
                )
            )

    def _batches(self, state: _Cursor, found: _Read) -> Iterator[Batch]:
        """New items oldest first; each batch's cursor covers exactly what it holds."""
        items = sorted(found.items.values(), key=lambda item: (item.created, item.name))
        extra_read, problems = found.read, found.problems
        if not items:
            yield Batch(self.name, [], state.dump(), problems, items_read=extra_read)
            return
        for start in range(0, len(items), self.batch_size):
            chunk = items[start : start + self.batch_size]
            things: list[dict[str, Any]] = []
            for item in chunk:
                expanded, read = self._expand(item)
                things.extend(expanded)
                extra_read += read
                state.advance(item.created, item.name)
            posts, failed = _map(things, self.name)
            yield Batch(self.name, posts, state.dump(), problems + failed, items_read=extra_read)
            extra_read, problems = 0, []


class RedditSearch(_ListingSource):
    """New submissions matching the brand query, each with its comment thread.

    The thread is read when the submission is first seen (answers already given in it are
    seen); later comments in old threads reach us through the inbox (replies to the brand) and
    the brand's own comments.
    """

    batch_size = 1  # one submission and its thread per batch: a crash loses no thread

    def __init__(
        self,
        reddit: praw.Reddit,
        query: str,
        subreddits: str | Iterable[str] = "all",
        max_items: int = MAX_ITEMS,
        *,
        more_limit: int | None = MORE_LIMIT,
        with_comments: bool = True,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(reddit, "reddit:search", max_items, retry)
        self.query, self.subreddits = query, _joined(subreddits)
        self.more_limit, self.with_comments = more_limit, with_comments

    def _listings(self, limit: int) -> list[Iterable[Any]]:
        subreddit = self.reddit.subreddit(self.subreddits)
        return [subreddit.search(self.query, sort="new", time_filter="all", limit=limit)]

    def _expand(self, item: _Item) -> tuple[list[dict[str, Any]], int]:
        if not self.with_comments or not isinstance(item.obj, Submission):
            return [item.thing], 0
        comments = thread_comments(item.obj, self.more_limit, self._call)
        return [item.thing, *comments], len(comments)


def thread_comments(
    submission: Submission, more_limit: int | None, call: Callable[[Callable[[], Any]], Any]
) -> list[dict[str, Any]]:
    """Every comment thing of a submission's thread, loading up to ``more_limit`` "more" stubs.

    Sorted newest first before loading, so a bounded load keeps the newest comments, where a
    recent answer or a chase would be; stubs left unloaded are not returned.
    """
    if not vars(submission).get("_fetched"):
        submission.comment_sort = "new"
    forest = call(lambda: submission.comments)
    call(lambda: forest.replace_more(limit=more_limit))
    return [thing_from_praw(c) for c in forest.list() if isinstance(c, Comment)]


class RedditInbox(_ListingSource):
    """The brand account's username mentions and replies to its comments and posts.

    ``"unread"`` is accepted too, but items someone reads in the Reddit app leave that listing,
    so it is no sync source to rely on.
    """

    LISTINGS: ClassVar[dict[str, Callable[[Any, int], Iterable[Any]]]] = {
        "mentions": lambda inbox, n: inbox.mentions(limit=n),
        "comment_replies": lambda inbox, n: inbox.comment_replies(limit=n),
        "unread": lambda inbox, n: inbox.unread(limit=n, mark_read=False),
    }

    def __init__(
        self,
        reddit: praw.Reddit,
        listings: Iterable[str] = ("mentions", "comment_replies"),
        max_items: int = MAX_ITEMS,
        *,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.listings = tuple(listings)
        unknown = [name for name in self.listings if name not in self.LISTINGS]
        if unknown:
            raise ValueError(f"unknown inbox listing(s) {unknown}; use {sorted(self.LISTINGS)}")
        super().__init__(reddit, "reddit:inbox", max_items, retry)

    def _listings(self, limit: int) -> list[Iterable[Any]]:
        return [self.LISTINGS[name](self.reddit.inbox, limit) for name in self.listings]


class RedditOwnComments(_ListingSource):
    """The brand account's own comments: they are the answers the backlog waits for."""

    def __init__(
        self,
        reddit: praw.Reddit,
        username: str,
        max_items: int = MAX_ITEMS,
        *,
        retry: RetryPolicy | None = None,
    ) -> None:
        super().__init__(reddit, f"reddit:comments:{username}", max_items, retry)
        self.username = username

    def _listings(self, limit: int) -> list[Iterable[Any]]:
        return [self.reddit.redditor(self.username).comments.new(limit=limit)]


class RedditSubmissions(_ListingSource):
    """Every new submission of subreddits about the company (its own careers subreddit)."""

    def __init__(
        self,
        reddit: praw.Reddit,
        subreddits: str | Iterable[str],
        max_items: int = MAX_ITEMS,
        *,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.subreddits = _joined(subreddits)
        super().__init__(reddit, f"reddit:new:{self.subreddits}", max_items, retry)

    def _listings(self, limit: int) -> list[Iterable[Any]]:
        return [self.reddit.subreddit(self.subreddits).new(limit=limit)]


def _joined(subreddits: str | Iterable[str]) -> str:
    names = [subreddits] if isinstance(subreddits, str) else list(subreddits)
    return "+".join(name.strip().removeprefix("r/") for name in names if name.strip()) or "all"


# ---------------------------------------------------------------------------- writing


def send_reply(
    reddit: praw.Reddit, parent_fullname: str, text: str, retry: RetryPolicy | None = None
) -> str:
    """Reply to a submission (``t3_…``) or comment (``t1_…``); returns the new comment's fullname.

    Only rate limits are retried: after a 5xx or a dropped connection Reddit may have posted
    the reply, and posting it twice is worse than asking the team to check and resend.
    """
    kind, _, ident = parent_fullname.partition("_")
    if kind not in ("t1", "t3") or not ident:
        raise ValueError(f"not a Reddit comment or submission fullname: {parent_fullname!r}")
    if not text.strip():
        raise ValueError("refusing to send an empty reply")
    if reddit.read_only:
        raise NotConfiguredError(
            "replying needs the brand account: set REDDIT_USERNAME and REDDIT_PASSWORD"
        )
    target = reddit.comment(ident) if kind == "t1" else reddit.submission(ident)
    policy = retry or RetryPolicy()
    what = f"reddit reply to {parent_fullname}"
    created = policy.call(lambda: _once(lambda: target.reply(text), what, policy.clock), what)
    if created is None:
        raise PlatformError(f"{what}: Reddit accepted the reply but returned no comment")
    return created.fullname


def _once(action: Callable[[], T], what: str, clock: Callable[[], float]) -> T:
    """Run a non-idempotent write: a transient failure is reported, never retried."""
    try:
        return _call_platform(action, what, clock)
    except Transient as exc:
        raise PlatformError(
            f"{what}: {exc}; not retried because Reddit may have posted it, "
            "check the thread before sending again"
        ) from None


def reddit_sources(
    reddit: praw.Reddit,
    query: str,
    subreddits: str | Iterable[str],
    username: str | None,
    retry: RetryPolicy | None = None,
) -> list[Any]:
    """The brand query, plus the account's inbox and own comments (so answers are seen)."""
    retry = retry or RetryPolicy()
    sources: list[Any] = []
    if query:
        sources.append(RedditSearch(reddit, query, subreddits, retry=retry))
    if username:
        sources.append(RedditInbox(reddit, retry=retry))
        sources.append(RedditOwnComments(reddit, username, retry=retry))
    return sources
