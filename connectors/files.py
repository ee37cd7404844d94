"""Importing export files: twarc2 JSONL, saved Reddit threads, and a documented generic CSV.

Each format reuses its platform's mapping function, so an imported post is the same post a live
sync would have stored. Files are streamed in batches (memory stays flat); a broken line is
reported with its number and the rest is kept.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from connectors import reddit, x
from connectors.base import (
    MAX_ID,
    Batch,
    ImportFormatError,
    MalformedPayloadError,
    Post,
    Problem,
    clean_platform,
    clean_text,
    ident,
    ident_or_none,
    parse_timestamp,
)
from connectors.mailbox_files import read_maildir, read_mbox

CSV_COLUMNS = ("platform", "id", "parent_id", "thread_id", "author", "created_at", "text", "url")
CSV_REQUIRED = ("platform", "id", "author", "created_at", "text")
BATCH_SIZE = 1000
# csv's default field limit is 128 KiB, and a longer field stopped the whole import; 16 MB
# holds any real post or mail body while still refusing a runaway unquoted field.
CSV_FIELD_LIMIT = 16 * 1024 * 1024
_ESCAPED = re.compile("[\udc80-\udcff]")  # undecodable bytes under surrogateescape


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


def _not_utf8(line: str) -> str | None:
    """Why a line read with ``surrogateescape`` is not UTF-8 (its first bad byte), or None.

    Files are opened with ``errors="surrogateescape"``: a strict decoder would stop the whole
    import at the first bad byte, while each undecodable byte becomes one lone surrogate
    (U+DC80..U+DCFF) that strict UTF-8 never produces, so the bad line (or CSV row) can be
    reported alone and the rest kept.
    """
    bad = _ESCAPED.search(line)
    if bad is None:
        return None
    offset = len(line[: bad.start()].encode("utf-8", "surrogateescape"))
    return f"not UTF-8 text (byte {offset + 1})"


def _reject_constant(name: str) -> None:
    """``json.loads`` hook: NaN and Infinity are not JSON, and PostgreSQL's JSON refuses them."""
    raise ValueError(f"{name} is not JSON")


def load_json(text: str) -> Any:
    """Strict JSON; every way it can fail is a ``ValueError`` with a short reason.

    ``json.loads`` also raises ``RecursionError`` (nesting deeper than the stack allows) and a
    plain ``ValueError`` (an integer of more than 4,300 digits); both are refused like bad
    syntax, never let through to stop an import.
    """
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} (line {exc.lineno})") from exc
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc
    except ValueError as exc:
        reason = str(exc)
        raise ValueError(
            reason if reason.endswith("is not JSON") else "a number too long to read"
        ) from exc


def _twarc2_lines(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    with path.open(encoding="utf-8", errors="surrogateescape") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            bad = _not_utf8(line)
            if bad:
                yield [], [Problem(source, None, f"line {number}: {bad}")]
                continue
            try:
                page = load_json(line)
            except ValueError as exc:
                yield [], [Problem(source, None, f"line {number}: not JSON ({exc})")]
                continue
            posts, problems = x.posts_from_page(page, source)
            yield (
                posts,
                [Problem(p.source, p.item_id, f"line {number}: {p.reason}") for p in problems],
            )


def _reddit_thread(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    try:
        document = load_json(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{path.name} is not UTF-8 text (byte {exc.start + 1})") from exc
    except ValueError as exc:
        raise ImportFormatError(f"{path.name} is not JSON ({exc})") from exc
    yield reddit.posts_from_listing(document, source)


def _csv_row(row: dict[str, str], source: str) -> Post:
    """One row's post; ids, author and platform cleaned and capped like a live mapping's."""
    values = {c: clean_text(row.get(c) or "").strip() for c in CSV_COLUMNS}
    missing = [c for c in CSV_REQUIRED if not values[c]]
    if missing:
        raise MalformedPayloadError(f"empty {', '.join(missing)}")
    values["author"] = values["author"].lstrip("@")
    platform = clean_platform(values["platform"])
    if not platform:
        raise MalformedPayloadError("empty platform")
    external_id, parent = ident(values["id"]), ident_or_none(values["parent_id"])
    return Post(
        platform=platform,
        external_id=external_id,
        author_id=ident(values["author"], "author"),
        author_handle=values["author"][:MAX_ID],
        text=clean_text(row["text"]),
        created_at=parse_timestamp(values["created_at"]),
        thread_key=ident_or_none(values["thread_id"]) or parent or external_id,
        parent_external_id=parent,
        reply_to=(parent,) if parent else (),
        url=values["url"] or None,
        source=source,
    )


def _row_problem(row: dict[str, Any]) -> str | None:
    """Why a CSV row cannot be mapped before looking at its values: a bad byte in its lines."""
    for column, value in row.items():
        for text in value if isinstance(value, list) else [value]:
            bad = _ESCAPED.search(text) if isinstance(text, str) else None
            if bad:
                offset = len(text[: bad.start()].encode("utf-8", "surrogateescape"))
                return f"not UTF-8 text (column {column or 'extra'}, byte {offset + 1})"
    return None


def _csv_rows(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    """Each row one post or one problem with its line number: a field over ``CSV_FIELD_LIMIT``,
    broken quoting (``csv.Error``), a line that is not UTF-8 or unusable values."""
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except csv.Error as exc:
            raise ImportFormatError(f"{path.name}: the header line cannot be read ({exc})") from exc
        missing = [c for c in CSV_REQUIRED if c not in header]
        if missing:
            raise ImportFormatError(
                f"{path.name} lacks the required column(s) "
                f"{', '.join(missing)}; expected {','.join(CSV_COLUMNS)}"
            )
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # DictReader's own line_num lags behind on errors
                yield [], [Problem(source, None, f"line {reader.reader.line_num}: {exc}")]
                continue
            yield _csv_item(row, reader.line_num, source)


def _csv_item(row: dict[str, Any], line: int, source: str) -> tuple[list[Post], list[Problem]]:
    bad = _row_problem(row)
    item_id = ident_or_none(row.get("id"))
    if bad:
        return [], [Problem(source, None, f"line {line}: {bad}")]
    try:
        return [_csv_row(row, source)], []
    except MalformedPayloadError as exc:
        return [], [Problem(source, item_id, f"line {line}: {exc}")]


@dataclass(frozen=True)
class ImportFormat:
    """One export format ``cli.py import`` reads: its name, what the file is, its reader."""

    name: str
    what: str
    read: Callable[[Path, str], Iterator[Any]]


# The one list of import formats: the CLI's --format, its help, the Sources page and the
# README's check (tests/test_imports.py) all read it, so none of them can miss a format.
IMPORT_FORMATS: tuple[ImportFormat, ...] = (
    ImportFormat(
        "twarc2",
        "X: JSONL, one X API v2 response page per line, as written by `twarc2 search`",
        _twarc2_lines,
    ),
    ImportFormat(
        "reddit-json",
        "Reddit: a thread saved from reddit.com (…/comments/ID.json)",
        _reddit_thread,
    ),
    ImportFormat(
        "csv",
        f"Any platform: CSV with the columns {','.join(CSV_COLUMNS)}",
        _csv_rows,
    ),
    ImportFormat("mbox", "E-mail: one mailbox file (Thunderbird, Google Takeout)", read_mbox),
    ImportFormat(
        "maildir",
        "E-mail: a Maildir folder (cur/new/tmp); import its .Sent folder too",
        read_maildir,
    ),
)
READERS = {f.name: f.read for f in IMPORT_FORMATS}
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
