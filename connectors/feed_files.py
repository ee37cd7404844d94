"""Importing a saved RSS or Atom feed (``cli.py import FILE --format feed``).

The document goes through ``feed.posts_from_document``, the mapping the live sync uses, so an
imported entry is the same post a sync would have stored (same id), and importing the file
again, or a feed the sync already read, adds nothing. An entry that cannot be mapped is reported
and the others kept; a file that is no feed at all is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from connectors.base import ImportFormatError, MalformedPayloadError, Post, Problem
from connectors.feed import posts_from_document

MAX_FILE_BYTES = 64 * 1024 * 1024  # a saved feed is kilobytes; this refuses a wrong file early


def read_feed_file(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    """The entries of one feed file; entries without a date take the file's saved time."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImportFormatError(
            f"{path.name} holds {size:,} bytes, more than any feed; is it the right file?"
        )
    saved = datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC)
    try:
        yield posts_from_document(path.read_bytes(), source, fallback_time=saved)
    except MalformedPayloadError as exc:
        raise ImportFormatError(f"{path.name} cannot be imported as a feed: {exc}") from None
