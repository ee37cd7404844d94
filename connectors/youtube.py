"""YouTube Data API v3: mapping ``commentThreads.list`` pages to posts."""

from __future__ import annotations

from typing import Any

from connectors.base import MalformedPayloadError, Post, Problem, parse_timestamp

PLATFORM = "youtube"


def post_from_comment(comment: dict[str, Any], thread_id: str, source: str = "youtube") -> Post:
    """Map one ``youtube#comment``: a thread's top-level comment or one of its replies."""
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
        except (KeyError, TypeError) as exc:
            problems.append(Problem(source, None, f"comment thread lacks field {exc}"))
            continue
        for comment in comments:
            try:
                posts.append(post_from_comment(comment, thread_id, source))
            except MalformedPayloadError as exc:
                problems.append(Problem(source, str(comment.get("id")), str(exc)))
    return posts, problems
