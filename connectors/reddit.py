"""Reddit: mapping listings (live API, saved ``/comments/ID.json`` threads, demo) to posts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from connectors.base import MalformedPayloadError, Post, Problem, parse_timestamp

PLATFORM = "reddit"
REDDIT_URL = "https://www.reddit.com"


def post_from_thing(thing: dict[str, Any], source: str = "reddit") -> Post:
    """Map one ``t3`` (submission) or ``t1`` (comment) thing."""
    kind = thing.get("kind")
    data = thing.get("data")
    if kind not in ("t1", "t3") or not isinstance(data, dict):
        raise MalformedPayloadError(f"not a submission or comment: kind {kind!r}")
    try:
        name = data.get("name") or f"{kind}_{data['id']}"
        created_at = parse_timestamp(data["created_utc"])
        author = data.get("author") or "[deleted]"
    except (KeyError, TypeError) as exc:
        raise MalformedPayloadError(f"reddit {data.get('id')!r} lacks field {exc}") from exc
    if kind == "t3":
        title, body = data.get("title") or "", data.get("selftext") or ""
        text = f"{title}\n\n{body}".strip() if body else title
        thread_key, parent = name, None
    else:
        text = data.get("body")
        thread_key, parent = data.get("link_id") or name, data.get("parent_id")
    if not isinstance(text, str):
        raise MalformedPayloadError(f"reddit {name}: no text")
    permalink = data.get("permalink")
    return Post(
        platform=PLATFORM,
        external_id=name,
        author_id=data.get("author_fullname") or author,
        author_handle=author,
        text=text,
        created_at=created_at,
        thread_key=thread_key,
        parent_external_id=parent,
        reply_to=(parent,) if parent else (),
        url=f"{REDDIT_URL}{permalink}" if permalink else None,
        subject=data.get("title") if kind == "t3" else None,
        source=source,
        raw={k: v for k, v in data.items() if k != "replies"},
    )


def _things(listing: Any) -> Iterator[dict[str, Any]]:
    """Every thing in a listing, depth first, following nested ``replies``."""
    if not isinstance(listing, dict):
        return
    for child in (listing.get("data") or {}).get("children") or []:
        if not isinstance(child, dict) or child.get("kind") == "more":
            continue
        yield child
        replies = (child.get("data") or {}).get("replies")
        if isinstance(replies, dict):
            yield from _things(replies)


def posts_from_listing(listing: Any, source: str = "reddit") -> tuple[list[Post], list[Problem]]:
    """Posts of a listing or of a saved thread (a list of a submission and a comment listing)."""
    listings = listing if isinstance(listing, list) else [listing]
    posts: list[Post] = []
    problems: list[Problem] = []
    for one in listings:
        if not isinstance(one, dict) or one.get("kind") != "Listing":
            problems.append(Problem(source, None, "not a Reddit Listing"))
            continue
        for thing in _things(one):
            try:
                posts.append(post_from_thing(thing, source))
            except MalformedPayloadError as exc:
                item = (thing.get("data") or {}).get("name") if isinstance(thing, dict) else None
                problems.append(Problem(source, item, str(exc)))
    return posts, problems
