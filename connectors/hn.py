"""Hacker News through the Algolia HN Search API: mapping search responses to posts.

A response of ``/api/v1/search_by_date`` holds ``hits``, each one story or comment::

    {"objectID": "9999999", "author": "tcas", "created_at": "2015-08-03T21:32:01Z",
     "created_at_i": 1438637521, "comment_text": "<p>HTML</p>", "parent_id": 9999826,
     "story_id": 9998227, "story_title": "…", "_tags": ["comment", "author_tcas", …]}

A story carries ``title``, ``url`` and (Ask HN and the like) ``story_text`` instead of
``comment_text``. The thread of every item is its story: a comment's ``story_id``, a story's own
id; a comment answers its ``parent_id``, which is how a brand account's comment in the thread
answers the post it replies to. Text arrives as HTML and leaves as plain text, so nothing a
commenter writes can become markup on our pages.

Everything here is pure: the live connector (``hn_api``), the ``hn`` import and the demo all
call ``posts_from_search``, so they cannot map an item differently.
"""

from __future__ import annotations

from typing import Any

from connectors.base import (
    MAX_SUBJECT,
    MalformedPayloadError,
    Post,
    Problem,
    clean_raw,
    each_post,
    field_of,
    ident,
    ident_or_none,
    parse_timestamp,
    post_text,
    shown,
    str_or_none,
    time_field,
    url_or_none,
)
from connectors.mail import html_to_text

PLATFORM = "hn"
ITEM_URL = "https://news.ycombinator.com/item?id="
# Algolia's per-field copies of the text with <em> around matches: the same words again, so
# they are left out of the raw payload we keep.
_NOT_KEPT = frozenset({"_highlightResult", "_snippetResult"})


def plain_text(markup: Any) -> str | None:
    """Readable text from HN's HTML (``<p>``, ``<i>``, ``<a>``, ``<pre><code>``, entities);
    None when the field is absent or not a string."""
    value = str_or_none(markup)
    return None if value is None else html_to_text(value)


def is_comment(hit: dict[str, Any]) -> bool:
    """Comments are tagged ``comment``; an untagged hit with ``comment_text`` is one too."""
    tags = hit.get("_tags")
    if isinstance(tags, list) and any(isinstance(t, str) for t in tags):
        return "comment" in tags
    return isinstance(hit.get("comment_text"), str)


def created_time(hit: dict[str, Any], what: str) -> Any:
    """``created_at_i`` (Unix seconds, what the cursor counts) or else ``created_at``."""
    if isinstance(hit.get("created_at_i"), int) and not isinstance(hit["created_at_i"], bool):
        return time_field(hit, "created_at_i", what)
    return time_field(hit, "created_at", what)


def _story_text(hit: dict[str, Any], item_id: str) -> tuple[str, str | None]:
    """A story's text (title, then its own text) and its title."""
    title = str_or_none(hit.get("title"))
    title = title.strip()[:MAX_SUBJECT] if title else None
    body = plain_text(hit.get("story_text"))
    text = f"{title or ''}\n\n{body}".strip() if body else title
    if not text:
        raise MalformedPayloadError(f"HN story {item_id} lacks fields 'title' and 'story_text'")
    return text, title


def post_from_hit(hit: Any, source: str = PLATFORM) -> Post:
    """Map one search hit, a story or a comment; every field is type-checked and cleaned."""
    if not isinstance(hit, dict):
        raise MalformedPayloadError(f"HN hit is a {type(hit).__name__}, not an object")
    item_id = ident(hit.get("objectID"), "HN objectID")
    what = f"HN item {item_id}"
    author = ident_or_none(hit.get("author"))
    if author is None:
        raise MalformedPayloadError(f"{what} lacks field 'author'")
    created_at = created_time(hit, what)
    parent: str | None = None
    subject: str | None = None
    if is_comment(hit):
        found = plain_text(hit.get("comment_text"))
        if not found:
            raise MalformedPayloadError(f"{what} lacks field 'comment_text'")
        text = found
        parent = ident_or_none(hit.get("parent_id"))
        thread = ident_or_none(hit.get("story_id")) or parent or item_id
    else:
        text, subject = _story_text(hit, item_id)
        thread = item_id
    kept, notes = post_text(text)
    return Post(
        platform=PLATFORM,
        external_id=item_id,
        author_id=author,
        author_handle=author,
        text=kept,
        created_at=created_at,
        thread_key=thread,
        parent_external_id=parent,
        reply_to=(parent,) if parent else (),
        url=url_or_none(ITEM_URL + item_id),
        subject=subject,
        source=source,
        raw=clean_raw({k: v for k, v in hit.items() if k not in _NOT_KEPT}),
        notes=notes,
    )


def search_hits(response: Any) -> list[Any]:
    """The ``hits`` of a search response; ``MalformedPayloadError`` when there are none to
    read (not an object, or ``hits`` not a list)."""
    if not isinstance(response, dict):
        raise MalformedPayloadError(
            f"HN search response is a {type(response).__name__}, not an object"
        )
    hits = response.get("hits", [])
    if not isinstance(hits, list):
        raise MalformedPayloadError(f"HN search response hits is {shown(hits)}, not a list")
    return hits


def posts_from_search(response: Any, source: str = PLATFORM) -> tuple[list[Post], list[Problem]]:
    """Every hit of one search response: one post or one problem each."""
    try:
        hits = search_hits(response)
    except MalformedPayloadError as exc:
        return [], [Problem(source, None, str(exc))]
    return each_post(
        hits, source, lambda hit: post_from_hit(hit, source), lambda hit: field_of(hit, "objectID")
    )


def hit_seconds(hit: Any) -> int | None:
    """A hit's ``created_at_i`` (or its ``created_at`` in seconds); None when unreadable.
    The live connector's window bounds are made of these."""
    if not isinstance(hit, dict):
        return None
    value = hit.get("created_at_i")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    try:
        return int(parse_timestamp(hit.get("created_at")).timestamp())
    except MalformedPayloadError:
        return None
