"""YouTube Data API v3: mapping ``commentThreads.list`` pages to posts, and reading the facts
about a thread that an incremental walk needs (its comments, newest activity, hidden replies).

Everything here is pure: the live connector (``youtube_api``) and the demo workspace both call
``posts_from_comment_threads``, so they cannot map a comment differently.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from connectors.base import MalformedPayloadError, Post, Problem, parse_timestamp

PLATFORM = "youtube"


def post_from_comment(comment: dict[str, Any], thread_id: str, source: str = "youtube") -> Post:
    """Map one ``youtube#comment``: a thread's top-level comment or one of its replies."""
    if not isinstance(comment, dict):
        raise MalformedPayloadError(f"comment is a {type(comment).__name__}, not an object")
    try:
        comment_id = comment["id"]
        snippet = comment["snippet"]
        created_at = parse_timestamp(snippet["publishedAt"])
        text = snippet.get("textOriginal") or snippet["textDisplay"]
    except (KeyError, TypeError) as exc:
        raise MalformedPayloadError(f"comment {comment.get('id')!r} lacks field {exc}") from exc
    author_id = (snippet.get("authorChannelId") or {}).get("value") or snippet.get(
        "authorDisplayName") or "unknown"
    parent = snippet.get("parentId")
    video = snippet.get("videoId")
    return Post(
        platform=PLATFORM,
        external_id=comment_id,
        author_id=author_id,
        author_handle=snippet.get("authorDisplayName") or author_id,
        author_name=snippet.get("authorDisplayName"),
        text=text,
        created_at=created_at,
        thread_key=thread_id,
        parent_external_id=parent,
        reply_to=(parent,) if parent else (),
        url=f"https://www.youtube.com/watch?v={video}&lc={comment_id}" if video else None,
        source=source,
        raw=comment,
    )


def posts_from_comment_threads(page: dict[str, Any],
                               source: str = "youtube") -> tuple[list[Post], list[Problem]]:
    """Top-level comments and their replies from one response page."""
    posts: list[Post] = []
    problems: list[Problem] = []
    items = page.get("items") if isinstance(page, dict) else None
    for item in items or []:
        try:
            thread_id = item["id"]
            comments = [item["snippet"]["topLevelComment"]]
            comments += (item.get("replies") or {}).get("comments") or []
        except (KeyError, TypeError, AttributeError) as exc:
            problems.append(Problem(source, None, f"comment thread lacks field {exc}"))
            continue
        for comment in comments:
            try:
                posts.append(post_from_comment(comment, thread_id, source))
            except MalformedPayloadError as exc:
                item_id = comment.get("id") if isinstance(comment, dict) else None
                problems.append(Problem(source, str(item_id) if item_id else None, str(exc)))
    return posts, problems


# ---------------------------------------------------------------------------- thread facts


def read_time(value: Any) -> datetime | None:
    """An API timestamp as aware UTC, or None when absent or unreadable (never raises)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return parse_timestamp(value)
    except MalformedPayloadError:
        return None


def thread_comments(item: Any) -> list[dict[str, Any]]:
    """The top-level comment and the embedded replies of a thread, whatever else is broken."""
    if not isinstance(item, dict):
        return []
    snippet, replies = item.get("snippet"), item.get("replies")
    top = snippet.get("topLevelComment") if isinstance(snippet, dict) else None
    embedded = replies.get("comments") if isinstance(replies, dict) else None
    found = [top] if isinstance(top, dict) else []
    return found + [c for c in embedded or [] if isinstance(c, dict)]


def comment_times(comment: dict[str, Any], *fields: str) -> list[datetime]:
    """The readable ones of a comment's snippet timestamps ``fields``."""
    snippet = comment.get("snippet")
    if not isinstance(snippet, dict):
        return []
    return [t for t in (read_time(snippet.get(name)) for name in fields) if t is not None]


def latest_activity(item: Any) -> datetime | None:
    """The newest publish or edit time in a thread: at least what ``order=time`` sorts by."""
    times = [t for c in thread_comments(item) for t in comment_times(c, "publishedAt",
                                                                     "updatedAt")]
    return max(times, default=None)


def has_hidden_replies(item: Any) -> bool:
    """Whether the thread has more replies (``totalReplyCount``) than the page embeds."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return False
    snippet, replies = item.get("snippet"), item.get("replies")
    total = snippet.get("totalReplyCount") if isinstance(snippet, dict) else None
    embedded = replies.get("comments") if isinstance(replies, dict) else None
    return isinstance(total, int) and total > len(embedded or [])
