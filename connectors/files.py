"""Importing export files: twarc2 JSONL, saved Reddit threads, and a documented generic CSV.

Each format reuses its platform's mapping function, so an imported post is the same post a live
sync would have stored. Files are streamed in batches (memory stays flat); a broken line is
reported with its number and the rest is kept.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from connectors import reddit, x
from connectors.base import Batch, MalformedPayloadError, Post, Problem, parse_timestamp
from connectors.mailbox_files import read_maildir, read_mbox

CSV_COLUMNS = ("platform", "id", "parent_id", "thread_id", "author", "created_at", "text", "url")
CSV_REQUIRED = ("platform", "id", "author", "created_at", "text")
BATCH_SIZE = 1000


class ImportFormatError(Exception):
    """The file cannot be read as the format asked for (the message says why)."""


def _batches(source: str, items: Iterator[tuple[list[Post], list[Problem]]]) -> Iterator[Batch]:
    posts: list[Post] = []
    problems: list[Problem] = []
    for found, failed in items:
        posts.extend(found)
        problems.extend(failed)
        if len(posts) >= BATCH_SIZE:
            yield Batch(source, posts, None, problems, items_read=len(posts))
            posts, problems = [], []
    if posts or problems:
        yield Batch(source, posts, None, problems, items_read=len(posts))


def _twarc2_lines(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                page = json.loads(line)
            except json.JSONDecodeError as exc:
                yield [], [Problem(source, None, f"line {number}: not JSON ({exc.msg})")]
                continue
            posts, problems = x.posts_from_page(page, source)
            yield posts, [Problem(p.source, p.item_id, f"line {number}: {p.reason}")
                          for p in problems]


def _reddit_thread(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"{path.name} is not JSON (line {exc.lineno}: {exc.msg})") from exc
    yield reddit.posts_from_listing(document, source)


def _csv_row(row: dict[str, str], source: str) -> Post:
    missing = [c for c in CSV_REQUIRED if not (row.get(c) or "").strip()]
    if missing:
        raise MalformedPayloadError(f"empty {', '.join(missing)}")
    parent = (row.get("parent_id") or "").strip() or None
    return Post(platform=row["platform"].strip().lower(), external_id=row["id"].strip(),
                author_id=row["author"].strip().lstrip("@"),
                author_handle=row["author"].strip().lstrip("@"), text=row["text"],
                created_at=parse_timestamp(row["created_at"]),
                thread_key=(row.get("thread_id") or "").strip() or parent or row["id"].strip(),
                parent_external_id=parent, reply_to=(parent,) if parent else (),
                url=(row.get("url") or "").strip() or None, source=source)


def _csv_rows(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in CSV_REQUIRED if c not in header]
        if missing:
            raise ImportFormatError(f"{path.name} lacks the required column(s) "
                                    f"{', '.join(missing)}; expected {','.join(CSV_COLUMNS)}")
        for row in reader:
            try:
                yield [_csv_row(row, source)], []
            except MalformedPayloadError as exc:
                yield [], [Problem(source, row.get("id"), f"line {reader.line_num}: {exc}")]


READERS = {"twarc2": _twarc2_lines, "reddit-json": _reddit_thread, "csv": _csv_rows,
           "mbox": read_mbox, "maildir": read_maildir}
FORMATS = tuple(READERS)


def import_batches(path: Path, file_format: str) -> Iterator[Batch]:
    """Batches of posts from an export file, each post mapped by its platform's function."""
    if file_format not in READERS:
        raise ImportFormatError(f"unknown format {file_format!r}; use one of {', '.join(FORMATS)}")
    if not (path.is_dir() if file_format == "maildir" else path.is_file()):
        kind = "a Maildir folder" if file_format == "maildir" else "a file"
        raise ImportFormatError(f"{path} does not exist or is not {kind}")
    source = f"import:{file_format}"
    return _batches(source, READERS[file_format](path, source))
