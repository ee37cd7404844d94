"""YouTube Data API v3: mapping ``commentThreads.list`` pages to posts, and reading the facts
about a thread that an incremental walk needs (its comments, newest activity, hidden replies).

Everything here is pure: the live connector (``youtube_api``) and the demo workspace both call
``posts_from_comment_threads``, so they cannot map a comment differently.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import quote

from connectors.base import (
    MAX_ID,
    MalformedPayloadError,
    Post,
    Problem,
    clean_raw,
    each_post,
    ident,
    ident_or_none,
    parse_timestamp,
    post_text,
    shown,
    str_or_none,
    time_field,
    url_or_none,
)

PLATFORM = "youtube"


def _text(snippet: dict[str, Any], comment_id: str) -> str:
    """``textOriginal`` when it is a non-empty string, else ``textDisplay``."""
    original = str_or_none(snippet.get("textOriginal"))
    text = original or str_or_none(snippet.get("textDisplay"))
    if text is None:
        raise MalformedPayloadError(f"comment {comment_id} lacks field 'textDisplay'")
    return text


def _author_id(snippet: dict[str, Any]) -> str | None:
    channel = snippet.get("authorChannelId")
    return ident_or_none(channel.get("value")) if isinstance(channel, dict) else None


def post_from_comment(comment: dict[str, Any], thread_id: str, source: str = "youtube") -> Post:
    """Map one ``youtube#comment``: a thread's top-level comment or one of its replies.

    Every field is type-checked, cleaned and capped (``connectors.base``), so what comes out
    can be stored and shown; a thread id that is empty leaves the comment as its own thread.
    """
    if not isinstance(comment, dict):
        raise MalformedPayloadError(f"comment is a {type(comment).__name__}, not an object")
    comment_id = ident(comment.get("id"), "comment id")
    snippet = comment.get("snippet")
    if not isinstance(snippet, dict):
        raise MalformedPayloadError(f"comment {comment_id} lacks field 'snippet'")
    created_at = time_field(snippet, "publishedAt", f"comment {comment_id}")
    text, notes = post_text(_text(snippet, comment_id))
    name = str_or_none(snippet.get("authorDisplayName"), MAX_ID)
    author_id = _author_id(snippet) or ident_or_none(name) or "unknown"
    parent = ident_or_none(snippet.get("parentId"))
    video = str_or_none(snippet.get("videoId"))
    return Post(
        platform=PLATFORM,
        external_id=comment_id,
        author_id=author_id,
        author_handle=name or author_id,
        author_name=name,
        text=text,
        created_at=created_at,
        thread_key=thread_id or comment_id,
        parent_external_id=parent,
        reply_to=(parent,) if parent else (),
        url=url_or_none(
            f"https://www.youtube.com/watch?v={quote(video, safe='')}"
            f"&lc={quote(comment_id, safe='')}"
        )
        if video
        else None,
        to_account=ident_or_none(snippet.get("channelId")),
        source=source,
        raw=clean_raw(comment),
        notes=notes,
    )


def _thread(item: Any) -> tuple[str, list[Any], bool]:
    """A thread's id, its comments (top-level first) and whether its embedded replies were a
    list; ``MalformedPayloadError`` when it has no id or no top-level comment. An id string
    that cleans to nothing gives "" (each comment is then its own thread)."""
    if not isinstance(item, dict):
        raise MalformedPayloadError(f"comment thread is a {type(item).__name__}, not an object")
    if "id" not in item:
        raise MalformedPayloadError("comment thread lacks field 'id'")
    thread_id = ident_or_none(item["id"]) or ""
    if not thread_id and not isinstance(item["id"], str):
        raise MalformedPayloadError(f"comment thread id {shown(item['id'])} is not an id")
    snippet = item.get("snippet")
    if not isinstance(snippet, dict) or "topLevelComment" not in snippet:
        raise MalformedPayloadError(f"comment thread {thread_id} lacks field 'topLevelComment'")
    replies = item.get("replies")
    embedded = replies.get("comments") if isinstance(replies, dict) else None
    listed = isinstance(embedded, list)
    comments = [snippet["topLevelComment"], *(embedded if isinstance(embedded, list) else [])]
    return thread_id, comments, listed or not embedded


def posts_from_comment_threads(
    page: dict[str, Any], source: str = "youtube"
) -> tuple[list[Post], list[Problem]]:
    """Top-level comments and their replies from one response page.

    A thread that cannot be read (no id, no top-level comment) is one problem; otherwise each
    of its comments is one post or one problem.
    """
    posts: list[Post] = []
    problems: list[Problem] = []
    items = page.get("items") if isinstance(page, dict) else None
    if items and not isinstance(items, list):
        return [], [
            Problem(source, None, f"YouTube page items is a {type(items).__name__}, not a list")
        ]
    for item in items or []:
        try:
            thread_id, comments, listed = _thread(item)
        except MalformedPayloadError as exc:
            problems.append(Problem(source, None, str(exc)))
            continue
        if not listed:
            problems.append(
                Problem(
                    source,
                    thread_id or None,
                    "replies.comments is not a list; only the top-level comment was read",
                )
            )
        mapped, unmapped = each_post(
            comments, source, partial(post_from_comment, thread_id=thread_id, source=source)
        )
        posts += mapped
        problems += unmapped
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
    times = [t for c in thread_comments(item) for t in comment_times(c, "publishedAt", "updatedAt")]
    return max(times, default=None)


def has_hidden_replies(item: Any) -> bool:
    """Whether the thread has more replies (``totalReplyCount``) than the page embeds."""
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return False
    snippet, replies = item.get("snippet"), item.get("replies")
    total = snippet.get("totalReplyCount") if isinstance(snippet, dict) else None
    embedded = replies.get("comments") if isinstance(replies, dict) else None
    return isinstance(total, int) and total > len(embedded or [])
