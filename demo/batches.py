"""The demo workspace as a connector: generated platform payloads through the real mappings.

Nothing here writes rows: the generator speaks X, Reddit, e-mail and YouTube formats and each
payload goes through the same mapping function a live sync or an import would use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from functools import partial
from typing import Any

from connectors import bluesky, feed, hn, mail, mastodon, reddit, x, youtube
from connectors.base import Batch, MalformedPayloadError, Post, Problem
from demo import reviews_payloads
from demo.feed_payloads import feed_entries
from demo.mastodon_payloads import page_posts as mastodon_page_posts
from demo.payloads import BRAND_ACCOUNTS, DemoPayload, generate

SOURCE = "demo"
Mapper = Callable[[Any, str], tuple[list[Post], list[Problem]]]


def _map_email(message: bytes, source: str) -> tuple[list[Post], list[Problem]]:
    try:
        return [mail.post_from_message(message, source)], []
    except mail.IgnoredMessage:
        return [], []
    except MalformedPayloadError as exc:
        return [], [Problem(source, None, str(exc))]


MAPPERS: dict[str, tuple[str, Mapper]] = {
    "x_page": ("demo:x", x.posts_from_page),
    "reddit_thread": ("demo:reddit", reddit.posts_from_listing),
    "email": ("demo:email", _map_email),
    "youtube_page": ("demo:youtube", youtube.posts_from_comment_threads),
    "feed_document": ("demo:feed", feed.posts_from_document),
    "reviews": ("demo:reviews", reviews_payloads.map_reviews),
    "mastodon_page": ("demo:mastodon", mastodon.posts_from_page),
    "bluesky_page": ("demo:bluesky", bluesky.posts_from_response),
    "hn_search": ("demo:hn", hn.posts_from_search),
}


def map_payload(payload: DemoPayload) -> tuple[list[Post], list[Problem]]:
    source, mapper = MAPPERS[payload.kind]
    return mapper(payload.payload, source)


def map_payloads(payloads: list[DemoPayload]) -> Batch:
    """One batch from a run of payloads. A module-level function, so a pool process can run
    it: mapping costs as much as analysis, and both belong on the second core."""
    posts: list[Post] = []
    problems: list[Problem] = []
    for payload in payloads:
        mapped, found = map_payload(payload)
        posts.extend(mapped)
        problems.extend(found)
    return Batch(SOURCE, posts, None, problems, items_read=len(posts))


def payload_posts(payload: DemoPayload) -> int:
    """How many posts a payload holds, counted without mapping it."""
    body: Any = payload.payload
    if payload.kind == "x_page":
        return len(body.get("data", ()))
    if payload.kind == "youtube_page":
        return sum(
            1 + len(item.get("replies", {}).get("comments", ())) for item in body.get("items", ())
        )
    if payload.kind == "bluesky_page":
        return len(body.get("posts", ()))
    if payload.kind == "hn_search":
        return len(body["hits"])
    if payload.kind == "reddit_thread":
        return 1 + _reddit_comments(body[1])
    if payload.kind == "feed_document":
        return feed_entries(body)
    if payload.kind == "reviews":
        return int(body[2])  # the reviews; the replies to them are few
    if payload.kind == "mastodon_page":
        return mastodon_page_posts(body)
    return 1


def _reddit_comments(listing: Any) -> int:
    children = listing.get("data", {}).get("children", []) if isinstance(listing, dict) else []
    return sum(1 + _reddit_comments(child.get("data", {}).get("replies")) for child in children)


def demo_batches(
    posts: int, seed: int, end: datetime | None = None, batch_size: int = 5000
) -> Iterator[Callable[[], Batch]]:
    """Stream the generated workspace as jobs of about ``batch_size`` posts each; a job maps
    its payloads when called, in this process or in an ingest pool process."""
    chunk: list[DemoPayload] = []
    held = 0
    reviews, in_reviews = reviews_payloads.review_payload(posts, seed, end)
    for payload in generate(posts=posts - in_reviews, seed=seed, end=end):
        chunk.append(payload)
        held += payload_posts(payload)
        if held >= batch_size:
            yield partial(map_payloads, chunk)
            chunk, held = [], 0
    chunk.append(DemoPayload("reviews", reviews))
    yield partial(map_payloads, chunk)


__all__ = ["BRAND_ACCOUNTS", "SOURCE", "demo_batches", "map_payload", "map_payloads"]
