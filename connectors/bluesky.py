"""Bluesky (AT Protocol): mapping XRPC responses to posts.

One pure mapping serves the live connector (``bluesky_api``), the ``bluesky`` import (JSONL, one
saved response per line) and the demo workspace, because all of them carry the same views:

- ``app.bsky.feed.searchPosts`` — ``{"posts": [postView…], "cursor"}``
- ``app.bsky.feed.getPostThread`` — ``{"thread": threadViewPost}`` (``parent``, ``replies``)
- ``app.bsky.feed.getAuthorFeed`` — ``{"feed": [{"post": postView, "reason"?}…], "cursor"}``
- ``app.bsky.notification.listNotifications`` — ``{"notifications": [notification…]}``

A post is identified by its AT URI (``at://DID/app.bsky.feed.post/RKEY``). Its thread is the
``reply.root`` of its record (the post itself when it starts one) and its parent the
``reply.parent``; the account a reply is written to is the DID inside the parent's URI.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote

from connectors.base import (
    MAX_ID,
    MalformedPayloadError,
    Post,
    Problem,
    clean_lang,
    clean_raw,
    each_post,
    field_of,
    ident,
    ident_or_none,
    parse_timestamp,
    post_text,
    str_or_none,
    url_or_none,
)

PLATFORM = "bluesky"
POST_COLLECTION = "app.bsky.feed.post"
# The notification reasons that carry a post written to the brand.
POST_REASONS = ("mention", "reply", "quote")
MAX_THREAD_POSTS = 10_000  # a getPostThread answer holds at most a few hundred; more is hostile


def did_of(uri: Any) -> str | None:
    """The repository DID of an AT URI (``at://did:plc:…/collection/rkey``), or None."""
    if not isinstance(uri, str) or not uri.startswith("at://"):
        return None
    authority = uri[5:].split("/", 1)[0]
    return ident_or_none(authority) if authority.startswith("did:") else None


def rkey_of(uri: str) -> str | None:
    """The record key, the last part of a post's AT URI."""
    parts = uri[5:].split("/") if uri.startswith("at://") else []
    return parts[2] if len(parts) == 3 and parts[1] == POST_COLLECTION and parts[2] else None


def post_url(handle: str, uri: str) -> str | None:
    """The post's page on bsky.app: ``https://bsky.app/profile/<handle>/post/<rkey>``."""
    rkey = rkey_of(uri)
    if rkey is None:
        return None
    return url_or_none(
        f"https://bsky.app/profile/{quote(handle, safe='')}/post/{quote(rkey, safe='')}"
    )


def _ref_uri(reply: Any, which: str) -> str | None:
    ref = reply.get(which) if isinstance(reply, dict) else None
    return ident_or_none(ref.get("uri")) if isinstance(ref, dict) else None


def _quoted_did(record: dict[str, Any]) -> str | None:
    """The author of a quoted post (``app.bsky.embed.record`` or ``recordWithMedia``)."""
    embed = record.get("embed")
    if not isinstance(embed, dict):
        return None
    inner = embed.get("record")
    if isinstance(inner, dict) and isinstance(inner.get("record"), dict):
        inner = inner["record"]  # recordWithMedia: {"record": {"record": strongRef}, "media"}
    return did_of(inner.get("uri")) if isinstance(inner, dict) else None


def sort_time(created: Any, indexed: Any, what: str) -> datetime:
    """When the post appeared: the earlier of the author's ``createdAt`` and Bluesky's
    ``indexedAt``, as the AppView's ``sortAt`` (a post dated in the future counts from when it
    was indexed). One of the two must be readable."""
    times = []
    for name, value in (("createdAt", created), ("indexedAt", indexed)):
        if value is None:
            continue
        try:
            times.append(parse_timestamp(value))
        except MalformedPayloadError as exc:
            raise MalformedPayloadError(f"{what}: {name}: {exc}") from exc
    if not times:
        raise MalformedPayloadError(f"{what} lacks field 'createdAt'")
    return min(times)


def post_from_view(view: Any, source: str = PLATFORM) -> Post:
    """Map one ``postView`` (or a notification, which has the same uri, author, record and
    indexedAt). Every field is type-checked, cleaned and capped (``connectors.base``)."""
    if not isinstance(view, dict):
        raise MalformedPayloadError(f"post is a {type(view).__name__}, not an object")
    uri = ident(view.get("uri"), "post uri")
    author = view.get("author")
    if not isinstance(author, dict):
        raise MalformedPayloadError(f"post {uri} lacks field 'author'")
    author_id = ident_or_none(author.get("did")) or did_of(uri)
    if author_id is None:
        raise MalformedPayloadError(f"post {uri} has no author did")
    record = view.get("record")
    if not isinstance(record, dict):
        raise MalformedPayloadError(f"post {uri} lacks field 'record'")
    text = record.get("text")
    if not isinstance(text, str):
        raise MalformedPayloadError(f"post {uri}: record.text is missing or not a string")
    created_at = sort_time(record.get("createdAt"), view.get("indexedAt"), f"post {uri}")
    handle = str_or_none(author.get("handle"), MAX_ID) or author_id
    reply = record.get("reply")
    parent, root = _ref_uri(reply, "parent"), _ref_uri(reply, "root")
    langs = record.get("langs")
    kept, notes = post_text(text)
    return Post(
        platform=PLATFORM,
        external_id=uri,
        author_id=author_id,
        author_handle=handle,
        author_name=str_or_none(author.get("displayName"), MAX_ID) or None,
        text=kept,
        created_at=created_at,
        thread_key=root or parent or uri,
        parent_external_id=parent,
        reply_to=(parent,) if parent else (),
        url=post_url(handle, uri),
        lang=clean_lang(langs[0]) if isinstance(langs, list) and langs else None,
        to_account=did_of(parent) if parent else _quoted_did(record),
        source=source,
        raw=clean_raw(view),
        notes=notes,
    )


def _thread_views(node: Any, depth: int = 0) -> Iterator[Any]:
    """Every post view of a ``threadViewPost``: its parents upwards, itself, its replies
    downwards. Not-found and blocked posts have no ``post`` and give nothing."""
    stack: list[tuple[Any, bool, bool]] = [(node, True, True)]
    while stack:
        item, up, down = stack.pop()
        if not isinstance(item, dict):
            continue
        if "post" in item:
            yield item["post"]
        if up and isinstance(item.get("parent"), dict):
            stack.append((item["parent"], True, False))
        replies = item.get("replies")
        if down and isinstance(replies, list):
            stack.extend((r, False, True) for r in replies)


def _items(page: dict[str, Any], source: str) -> tuple[list[Any], list[Problem]]:
    """The post views a response holds, whichever of the four responses it is."""
    if "posts" in page:
        found = page["posts"]
        what = "posts"
    elif "feed" in page:
        found = page["feed"]
        what = "feed"
    elif "notifications" in page:
        found = page["notifications"]
        what = "notifications"
    elif "thread" in page:
        views: list[Any] = []
        for view in _thread_views(page["thread"]):
            if len(views) == MAX_THREAD_POSTS:
                return views, [
                    Problem(source, None, f"thread holds more than {MAX_THREAD_POSTS} posts")
                ]
            views.append(view)
        return views, []
    else:
        return [], [
            Problem(source, None, "Bluesky response has none of posts, feed, notifications, thread")
        ]
    if found is None:
        return [], []
    if not isinstance(found, list):
        return [], [
            Problem(source, None, f"Bluesky {what} is a {type(found).__name__}, not a list")
        ]
    if what == "feed":  # a repost or a pin (``reason``) is an older post shown again
        return [
            item.get("post") if isinstance(item, dict) else item
            for item in found
            if not (isinstance(item, dict) and item.get("reason"))
        ], []
    if what == "notifications":
        return [n for n in found if not isinstance(n, dict) or n.get("reason") in POST_REASONS], []
    return found, []


def posts_from_response(page: Any, source: str = PLATFORM) -> tuple[list[Post], list[Problem]]:
    """All posts of one XRPC response; each unmappable item is one problem, not an exception.

    Notifications other than mentions, replies and quotes (likes, follows, reposts) carry no
    post and are left out, and so are an author feed's reposts and pins.
    """
    if not isinstance(page, dict):
        return [], [Problem(source, None, "Bluesky response is not a JSON object")]
    items, problems = _items(page, source)
    posts, unmapped = each_post(
        items, source, lambda item: post_from_view(item, source), lambda item: field_of(item, "uri")
    )
    return posts, problems + unmapped


def item_time(item: Any) -> datetime | None:
    """A view's ``sortAt`` (see ``sort_time``), or None when it cannot be read."""
    view = item.get("post") if isinstance(item, dict) and "post" in item else item
    if not isinstance(view, dict):
        return None
    record = view.get("record")
    created = record.get("createdAt") if isinstance(record, dict) else None
    try:
        return sort_time(created, view.get("indexedAt"), "item")
    except MalformedPayloadError:
        return None


def item_uri(item: Any) -> str | None:
    view = item.get("post") if isinstance(item, dict) and "post" in item else item
    return ident_or_none(view.get("uri")) if isinstance(view, dict) else None


__all__ = [
    "PLATFORM",
    "did_of",
    "item_time",
    "item_uri",
    "post_from_view",
    "post_url",
    "posts_from_response",
    "rkey_of",
]
