"""Live X API v2 through ``tweepy.Client``: incremental, page by page, cost-aware.

Every post read costs money, so each source keeps a ``since_id`` cursor and reads each post once.
The API answers newest first; ``since_id`` may only move forward once every page of a window is
stored, so the cursor also holds the window in progress (its newest id and the next page token).
A crash between pages resumes from the stored token: no gap, no post read twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
import tweepy
from requests.adapters import HTTPAdapter

from connectors.base import Batch, NotConfiguredError, PlatformError, Problem
from connectors.retry import RateLimited, RetryPolicy, Transient
from connectors.x import EXPANSIONS, TWEET_FIELDS, USER_FIELDS, posts_from_page

PAGE_SIZE = 100


API_HOST = "https://api.twitter.com"
REQUEST_TIMEOUT = 30.0


class _ApiAdapter(HTTPAdapter):
    """Every request gets a timeout (tweepy sets none), and may go to another API base URL
    (a proxy, or the local fake API of the reliability tests)."""

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def send(self, request, **kwargs):  # type: ignore[override]  # takes what requests passes
        if self.base_url != API_HOST and request.url.startswith(API_HOST):
            request.url = self.base_url + request.url[len(API_HOST) :]
        kwargs["timeout"] = kwargs.get("timeout") or self.timeout
        return super().send(request, **kwargs)


def make_client(
    bearer_token: str,
    base_url: str = API_HOST,
    timeout: float = REQUEST_TIMEOUT,
    **user_context: str,
) -> tweepy.Client:
    """A client returning plain JSON pages, so the pure mapping reads what the API sent."""
    if not bearer_token and not user_context.get("access_token"):
        raise NotConfiguredError(
            "X_BEARER_TOKEN is not set: create an app in the X developer "
            "portal and put its bearer token in X_BEARER_TOKEN"
        )
    client = tweepy.Client(
        bearer_token=bearer_token or None,
        return_type=dict,
        wait_on_rate_limit=False,
        **user_context,
    )
    adapter = _ApiAdapter(base_url or API_HOST, timeout)
    client.session.mount("https://", adapter)
    client.session.mount("http://", adapter)
    return client


def _call_platform(action: Callable[[], dict[str, Any]], what: str) -> dict[str, Any]:
    """Translate tweepy's and requests' errors into retry signals; never echo credentials."""
    try:
        return action()
    except tweepy.TooManyRequests as exc:
        raise RateLimited(exc.reset_time) from None
    except tweepy.TwitterServerError as exc:
        raise Transient(f"X answered {exc.response.status_code}") from None
    except (requests.ConnectionError, requests.Timeout, requests.JSONDecodeError) as exc:
        raise Transient(f"{type(exc).__name__} talking to X") from None
    except tweepy.HTTPException as exc:
        raise PlatformError(
            f"{what}: X answered {exc.response.status_code} "
            f"{'; '.join(exc.api_messages) or exc.response.reason}"
        ) from None


@dataclass
class XTimeline:
    """One incremental X source: the brand query, or one account's mentions or own posts."""

    name: str
    kind: str  # "search" | "mentions" | "posts"
    argument: str  # the query, or the user id
    client: tweepy.Client
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_pages: int | None = None

    def _request(self, since_id: str | None, token: str | None) -> dict[str, Any]:
        common = {
            "since_id": since_id,
            "max_results": PAGE_SIZE,
            "expansions": EXPANSIONS,
            "tweet_fields": TWEET_FIELDS,
            "user_fields": USER_FIELDS,
        }
        if self.kind == "search":
            call = lambda: self.client.search_recent_tweets(  # noqa: E731
                self.argument, next_token=token, **common
            )
        elif self.kind == "mentions":
            call = lambda: self.client.get_users_mentions(  # noqa: E731
                self.argument, pagination_token=token, **common
            )
        else:
            call = lambda: self.client.get_users_tweets(  # noqa: E731
                self.argument, pagination_token=token, **common
            )
        return self.retry.call(lambda: _call_platform(call, self.name), self.name)

    def fetch(self, cursor: dict[str, Any] | None) -> Iterator[Batch]:
        cursor = cursor or {}
        since_id, token = cursor.get("since_id"), cursor.get("next_token")
        newest = cursor.get("newest_id")
        pages = 0
        while True:
            page = self._request(since_id, token)
            meta = page.get("meta") or {}
            newest = newest or meta.get("newest_id")
            token = meta.get("next_token")
            author = self.argument if self.kind == "posts" else None
            posts, problems = posts_from_page(page, self.name, default_author=author)
            problems += [Problem(self.name, None, fault) for fault in self.retry.take_faults()]
            data = page.get("data") or []
            users = (page.get("includes") or {}).get("users") or []
            yield Batch(
                self.name,
                posts,
                _next_cursor(since_id, newest, token),
                problems,
                items_read=len(data),
                users_read=len(users),
            )
            pages += 1
            if not token or (self.max_pages and pages >= self.max_pages):
                return


def _next_cursor(since_id: str | None, newest: str | None, token: str | None) -> dict:
    """Mid-window: keep the old since_id and the token; window done: since_id = its newest."""
    if token:
        return {"since_id": since_id, "newest_id": newest, "next_token": token}
    return {"since_id": newest or since_id, "newest_id": None, "next_token": None}


def x_sources(
    client: tweepy.Client, query: str, brand_user_ids: list[str], retry: RetryPolicy | None = None
) -> list[XTimeline]:
    """The brand query, plus mentions and own posts (so answers are seen) of each account."""
    retry = retry or RetryPolicy()
    sources = [XTimeline("x:search", "search", query, client, retry)] if query else []
    for user_id in brand_user_ids:
        sources.append(XTimeline(f"x:mentions:{user_id}", "mentions", user_id, client, retry))
        sources.append(XTimeline(f"x:posts:{user_id}", "posts", user_id, client, retry))
    return sources


def lookup_user_id(client: tweepy.Client, handle: str) -> str:
    """The numeric id of a brand handle (one user read), so timelines can be requested."""
    found = RetryPolicy().call(
        lambda: _call_platform(
            lambda: client.get_user(username=handle.lstrip("@")), f"X user @{handle}"
        ),
        f"X user @{handle}",
    )
    if "data" not in found:
        raise PlatformError(f"X has no user @{handle}; check the brand accounts")
    return str(found["data"]["id"])


def send_reply(client: tweepy.Client, text: str, in_reply_to: str) -> str:
    """Post ``text`` as a reply (user-context credentials); returns the new post's id.

    Never retried automatically: a timeout may hide a post that was created, and a duplicate
    public reply is worse than a failed send the user can retry knowingly.
    """
    try:
        created = _call_platform(
            lambda: client.create_tweet(
                text=text, in_reply_to_tweet_id=in_reply_to, user_auth=True
            ),
            "reply on X",
        )
    except RateLimited as exc:
        raise PlatformError(
            f"reply on X: rate limited until {exc.reset_at}; try again then"
        ) from None
    except Transient as exc:
        raise PlatformError(f"reply on X: {exc}; check the thread before sending again") from None
    return str(created["data"]["id"])
