"""X (Twitter) API v2: mapping response pages to posts.

One pure function serves the live ``tweepy.Client`` responses, ``twarc2`` JSONL exports and the
demo workspace, because all three carry the same v2 page: ``data``, ``includes.users``, ``meta``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from connectors.base import (
    MAX_ID,
    MalformedPayloadError,
    Post,
    Problem,
    check_time,
    clean_lang,
    clean_raw,
    count_or_none,
    each_post,
    ident,
    ident_or_none,
    parse_timestamp,
    post_text,
    shown,
    str_or_none,
    url_or_none,
)

PLATFORM = "x"
SNOWFLAKE_EPOCH_MS = 1288834974657
TWEET_FIELDS = [
    "created_at",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "lang",
    "public_metrics",
    "author_id",
]
USER_FIELDS = ["username", "name", "public_metrics"]
EXPANSIONS = ["author_id"]
_NO_LANGUAGE = ("und", "zxx", "qme", "qht")  # X's codes for "undetermined", "no text", media


def _users_by_id(page: dict[str, Any]) -> dict[str, dict[str, Any]]:
    includes = page.get("includes")
    users = includes.get("users") if isinstance(includes, dict) else None
    by_id: dict[str, dict[str, Any]] = {}
    for user in users if isinstance(users, list) else []:
        user_id = ident_or_none(user.get("id")) if isinstance(user, dict) else None
        if user_id is not None:
            by_id[user_id] = user
    return by_id


def _replied_to(tweet: dict[str, Any]) -> str | None:
    """The parent's id; references without a usable id are left out, the tweet is kept."""
    refs = tweet.get("referenced_tweets")
    for ref in refs if isinstance(refs, list) else []:
        if isinstance(ref, dict) and ref.get("type") == "replied_to":
            parent = ident_or_none(ref.get("id"))
            if parent is not None:
                return parent
    return None


def snowflake_time(tweet_id: str) -> datetime:
    """A post id's own timestamp: X ids are snowflakes whose top bits count milliseconds."""
    try:
        millis = (int(tweet_id) >> 22) + SNOWFLAKE_EPOCH_MS
        moment = datetime.fromtimestamp(millis / 1000, tz=UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise MalformedPayloadError(
            f"tweet {shown(tweet_id)} has no created_at and its id is not a snowflake"
        ) from exc
    return check_time(moment)


def _reach(user: dict[str, Any]) -> int | None:
    metrics = user.get("public_metrics")
    return count_or_none(metrics.get("followers_count")) if isinstance(metrics, dict) else None


def post_from_tweet(
    tweet: dict[str, Any],
    users: dict[str, dict[str, Any]],
    source: str = "x",
    default_author: str | None = None,
) -> Post:
    """Map one v2 tweet object; the author comes from the page's ``includes.users``.

    A user timeline names its author in the request, not in each tweet, so the caller passes
    it as ``default_author``; a missing ``created_at`` is read from the snowflake id. Every
    field is type-checked, cleaned and capped (``connectors.base``), so what comes out can be
    stored and shown.
    """
    if not isinstance(tweet, dict):
        raise MalformedPayloadError(f"tweet is a {type(tweet).__name__}, not an object")
    tweet_id = ident(tweet.get("id"), "tweet id")
    author_id = ident_or_none(tweet.get("author_id")) or ident_or_none(default_author)
    if author_id is None:
        raise MalformedPayloadError(f"tweet {tweet_id} lacks field 'author_id'")
    text = tweet.get("text")
    if not isinstance(text, str):
        raise MalformedPayloadError(f"tweet {tweet_id}: text is missing or not a string")
    created = tweet.get("created_at")
    created_at = parse_timestamp(created) if created else snowflake_time(tweet_id)
    user = users.get(author_id, {})
    handle = str_or_none(user.get("username"), MAX_ID) or author_id
    parent = _replied_to(tweet)
    lang = clean_lang(tweet.get("lang"))
    kept, notes = post_text(text)
    return Post(
        platform=PLATFORM,
        external_id=tweet_id,
        author_id=author_id,
        author_handle=handle,
        author_name=str_or_none(user.get("name"), MAX_ID),
        author_reach=_reach(user),
        text=kept,
        created_at=created_at,
        thread_key=ident_or_none(tweet.get("conversation_id")) or tweet_id,
        parent_external_id=parent,
        reply_to=(parent,) if parent else (),
        url=url_or_none(
            f"https://x.com/{quote(handle, safe='')}/status/{quote(tweet_id, safe='')}"
        ),
        lang=None if lang in _NO_LANGUAGE else lang,
        to_account=ident_or_none(tweet.get("in_reply_to_user_id")),
        source=source,
        raw=clean_raw(tweet),
        notes=notes,
    )


def posts_from_page(
    page: dict[str, Any], source: str = "x", default_author: str | None = None
) -> tuple[list[Post], list[Problem]]:
    """All posts of one response page; unmappable tweets become problems, not exceptions.

    Each element of a ``data`` list is one post or one problem; one ``data`` object is one
    tweet; a ``data`` of any other type is one problem.
    """
    if not isinstance(page, dict):
        return [], [Problem(source, None, "X page is not a JSON object")]
    data = page.get("data")
    if data and not isinstance(data, (list, dict)):
        return [], [
            Problem(source, None, f"X page data is a {type(data).__name__}, not a list of tweets")
        ]
    if isinstance(data, dict):
        data = [data] if data else []  # an empty object, like an empty list, is no tweet
    users = _users_by_id(page)
    return each_post(
        data or [], source, lambda tweet: post_from_tweet(tweet, users, source, default_author)
    )
