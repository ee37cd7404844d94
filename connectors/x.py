"""X (Twitter) API v2: mapping response pages to posts.

One pure function serves the live ``tweepy.Client`` responses, ``twarc2`` JSONL exports and the
demo workspace, because all three carry the same v2 page: ``data``, ``includes.users``, ``meta``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from connectors.base import MalformedPayloadError, Post, Problem, parse_timestamp

PLATFORM = "x"
SNOWFLAKE_EPOCH_MS = 1288834974657
TWEET_FIELDS = ["created_at", "conversation_id", "in_reply_to_user_id", "referenced_tweets",
                "lang", "public_metrics", "author_id"]
USER_FIELDS = ["username", "name", "public_metrics"]
EXPANSIONS = ["author_id"]


def _users_by_id(page: dict[str, Any]) -> dict[str, dict[str, Any]]:
    users = (page.get("includes") or {}).get("users") or []
    return {str(user["id"]): user for user in users if isinstance(user, dict) and "id" in user}


def _replied_to(tweet: dict[str, Any]) -> str | None:
    for ref in tweet.get("referenced_tweets") or []:
        if ref.get("type") == "replied_to":
            return str(ref["id"])
    return None


def snowflake_time(tweet_id: str) -> datetime:
    """A post id's own timestamp: X ids are snowflakes whose top bits count milliseconds."""
    return datetime.fromtimestamp(((int(tweet_id) >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, tz=UTC)


def post_from_tweet(tweet: dict[str, Any], users: dict[str, dict[str, Any]],
                    source: str = "x", default_author: str | None = None) -> Post:
    """Map one v2 tweet object; the author comes from the page's ``includes.users``.

    A user timeline names its author in the request, not in each tweet, so the caller passes
    it as ``default_author``; a missing ``created_at`` is read from the snowflake id.
    """
    try:
        tweet_id = str(tweet["id"])
        author_id = str(tweet.get("author_id") or default_author or tweet["author_id"])
        text = tweet["text"]
        created_at = (parse_timestamp(tweet["created_at"]) if tweet.get("created_at")
                      else snowflake_time(tweet_id))
    except (KeyError, TypeError, ValueError) as exc:
        raise MalformedPayloadError(f"tweet {tweet.get('id')!r} lacks field {exc}") from exc
    if not isinstance(text, str):
        raise MalformedPayloadError(f"tweet {tweet_id}: text is not a string")
    user = users.get(author_id, {})
    handle = user.get("username") or author_id
    parent = _replied_to(tweet)
    lang = tweet.get("lang")
    return Post(
        platform=PLATFORM,
        external_id=tweet_id,
        author_id=author_id,
        author_handle=handle,
        author_name=user.get("name"),
        author_reach=(user.get("public_metrics") or {}).get("followers_count"),
        text=text,
        created_at=created_at,
        thread_key=str(tweet.get("conversation_id") or tweet_id),
        parent_external_id=parent,
        reply_to=(parent,) if parent else (),
        url=f"https://x.com/{handle}/status/{tweet_id}",
        lang=None if lang in (None, "und", "zxx", "qme", "qht") else lang,
        source=source,
        raw=tweet,
    )


def posts_from_page(page: dict[str, Any], source: str = "x",
                    default_author: str | None = None) -> tuple[list[Post], list[Problem]]:
    """All posts of one response page; unmappable tweets become problems, not exceptions."""
    if not isinstance(page, dict):
        return [], [Problem(source, None, "X page is not a JSON object")]
    users = _users_by_id(page)
    posts: list[Post] = []
    problems: list[Problem] = []
    for tweet in _tweets(page):
        try:
            posts.append(post_from_tweet(tweet, users, source, default_author))
        except MalformedPayloadError as exc:
            item = tweet.get("id") if isinstance(tweet, dict) else None
            problems.append(Problem(source, str(item) if item else None, str(exc)))
    return posts, problems


def _tweets(page: dict[str, Any]) -> Iterable[Any]:
    data = page.get("data") or []
    if isinstance(data, dict):
        return [data]
    return [t if isinstance(t, dict) else {"id": None, "_bad": t} for t in data]
