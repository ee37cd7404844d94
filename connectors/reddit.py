"""Reddit: mapping listings (live API, saved ``/comments/ID.json`` threads, demo) to posts."""

from __future__ import annotations

from typing import Any

from connectors.base import (
    MAX_ID,
    MAX_SUBJECT,
    MalformedPayloadError,
    Post,
    Problem,
    clean_raw,
    ident,
    ident_or_none,
    post_text,
    str_or_none,
    time_field,
    url_or_none,
)

PLATFORM = "reddit"
REDDIT_URL = "https://www.reddit.com"


def post_from_thing(thing: dict[str, Any], source: str = "reddit") -> Post:
    """Map one ``t3`` (submission) or ``t1`` (comment) thing; every field type-checked,
    cleaned and capped (``connectors.base``), so what comes out can be stored and shown."""
    kind = thing.get("kind") if isinstance(thing, dict) else None
    data = thing.get("data") if isinstance(thing, dict) else None
    if kind not in ("t1", "t3") or not isinstance(data, dict):
        raise MalformedPayloadError(f"not a submission or comment: kind {kind!r}")
    name = ident_or_none(data.get("name"))
    if name is None:
        if data.get("id") is None:
            raise MalformedPayloadError(f"reddit {kind} lacks field 'id'")
        name = ident(f"{kind}_{ident(data.get('id'), 'reddit id')}")
    created_at = time_field(data, "created_utc", f"reddit {name}")
    author = str_or_none(data.get("author"), MAX_ID) or "[deleted]"
    text: str | None
    title = str_or_none(data.get("title"), MAX_SUBJECT)
    if kind == "t3":
        body = str_or_none(data.get("selftext"))
        text = f"{title or ''}\n\n{body}".strip() if body else title or ""
        thread_key, parent = name, None
    else:
        text = str_or_none(data.get("body"))
        thread_key = ident_or_none(data.get("link_id")) or name
        parent = ident_or_none(data.get("parent_id"))
    if text is None:
        raise MalformedPayloadError(f"reddit {name}: no text")
    kept, notes = post_text(text)
    permalink = str_or_none(data.get("permalink"))
    return Post(
        platform=PLATFORM,
        external_id=name,
        author_id=ident_or_none(data.get("author_fullname")) or ident(author),
        author_handle=author,
        text=kept,
        created_at=created_at,
        thread_key=thread_key,
        parent_external_id=parent,
        reply_to=(parent,) if parent else (),
        url=url_or_none(f"{REDDIT_URL}{permalink}") if permalink else None,
        subject=title if kind == "t3" else None,
        source=source,
        raw=clean_raw({k: v for k, v in data.items() if k != "replies"}),
        notes=notes,
    )


def _children(listing: dict[str, Any]) -> list[Any] | None:
    """A listing's children, or None when ``data.children`` is not a list."""
    data = listing.get("data")
    children = data.get("children") if isinstance(data, dict) else None
    return children if isinstance(children, list) else None


def _walk(listing: dict[str, Any], source: str) -> list[dict[str, Any] | Problem]:
    """Every thing of a listing, depth first through nested ``replies`` listings, in order;
    a listing without a children list is a problem. Iterative: a thread can nest deep."""
    found: list[dict[str, Any] | Problem] = []
    stack: list[Any] = [listing]
    while stack:
        item = stack.pop()
        if isinstance(item, dict) and item.get("kind") == "Listing":
            children = _children(item)
            if children is None:
                found.append(Problem(source, None, "Reddit Listing without a children list"))
            else:
                stack.extend(reversed(children))
            continue
        if not isinstance(item, dict) or item.get("kind") == "more":
            continue
        found.append(item)
        data = item.get("data")
        replies = data.get("replies") if isinstance(data, dict) else None
        if isinstance(replies, dict):
            stack.append({**replies, "kind": "Listing"})
    return found


def _item_id(thing: dict[str, Any]) -> str | None:
    data = thing.get("data")
    return ident_or_none(data.get("name")) if isinstance(data, dict) else None


def posts_from_listing(listing: Any, source: str = "reddit") -> tuple[list[Post], list[Problem]]:
    """Posts of a listing or of a saved thread (a list of a submission and a comment listing)."""
    listings = listing if isinstance(listing, list) else [listing]
    posts: list[Post] = []
    problems: list[Problem] = []
    for one in listings:
        if not isinstance(one, dict) or one.get("kind") != "Listing":
            problems.append(Problem(source, None, "not a Reddit Listing"))
            continue
        for thing in _walk(one, source):
            if isinstance(thing, Problem):
                problems.append(thing)
                continue
            try:
                posts.append(post_from_thing(thing, source))
            except MalformedPayloadError as exc:
                problems.append(Problem(source, _item_id(thing), str(exc)))
    return posts, problems
