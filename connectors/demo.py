"""The demo workspace as a connector: generated platform payloads through the real mappings.

Nothing here writes rows: the generator speaks X, Reddit, e-mail and YouTube formats and each
payload goes through the same mapping function a live sync or an import would use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from connectors import mail, reddit, x, youtube
from connectors.base import Batch, MalformedPayloadError, Post, Problem
from connectors.demo_payloads import BRAND_ACCOUNTS, DemoPayload, generate

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
}


def map_payload(payload: DemoPayload) -> tuple[list[Post], list[Problem]]:
    source, mapper = MAPPERS[payload.kind]
    return mapper(payload.payload, source)


def demo_batches(posts: int, seed: int, end: datetime | None = None,
                 batch_size: int = 2000) -> Iterator[Batch]:
    """Stream the generated workspace as batches of about ``batch_size`` posts."""
    buffer: list[Post] = []
    problems: list[Problem] = []
    for payload in generate(posts=posts, seed=seed, end=end):
        mapped, found = map_payload(payload)
        buffer.extend(mapped)
        problems.extend(found)
        if len(buffer) >= batch_size:
            yield Batch(SOURCE, buffer, None, problems, items_read=len(buffer))
            buffer, problems = [], []
    if buffer or problems:
        yield Batch(SOURCE, buffer, None, problems, items_read=len(buffer))


__all__ = ["BRAND_ACCOUNTS", "SOURCE", "demo_batches", "map_payload"]
