"""Importing export files: twarc2 JSONL, saved Reddit threads, and a documented generic CSV.

Each format reuses its platform's mapping function, so an imported post is the same post a live
sync would have stored. Files are streamed in batches (memory stays flat); a broken line is
reported with its number and the rest is kept.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from connectors import bluesky, hn, mastodon, reddit, reviews, x
from connectors.base import (
    MAX_ID,
    Batch,
    ImportFormatError,
    MalformedPayloadError,
    Post,
    Problem,
    clean_text,
    ident,
    ident_or_none,
    known_platform,
    parse_timestamp,
    post_text,
    url_or_none,
)
from connectors.feed_files import read_feed_file
from connectors.mailbox_files import read_maildir, read_mbox, recognise_maildir, recognise_mbox

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


X_PAGE_KEYS = ("data", "includes", "meta", "errors")


def is_x_page(value: Any) -> bool:
    """Whether a parsed line is shaped like an X API v2 response page: an object with one of
    ``X_PAGE_KEYS`` and no ``kind`` (a Reddit listing or thing also has ``data``)."""
    return (
        isinstance(value, dict)
        and "kind" not in value
        and any(isinstance(value.get(key), (list, dict)) for key in X_PAGE_KEYS)
    )


def _recognise_twarc2(path: Path) -> None:
    """A twarc2 file has at least one line that is an X API v2 response page; the lines before
    it are then problems of a real export, but a file with none (binary, another format, empty)
    is refused before anything is written. Reading stops at the first page found."""
    blank = True
    with path.open(encoding="utf-8", errors="surrogateescape") as handle:
        for line in handle:
            if not line.strip():
                continue
            blank = False
            if _not_utf8(line):
                continue
            try:
                if is_x_page(load_json(line)):
                    return
            except ValueError:
                continue
    if blank:
        raise ImportFormatError(f"{path.name} is empty: no X API v2 response page to import")
    raise ImportFormatError(
        f"{path.name} is not a twarc2 file: no line of it is an X API v2 response page "
        f"(a JSON object with {', '.join(f'`{k}`' for k in X_PAGE_KEYS)})"
    )


def _lines_recogniser(
    name: str, page: str, is_page: Callable[[Any], bool]
) -> Callable[[Path], None]:
    """The check of a JSONL export: at least one line is ``page`` (``is_page``); the lines
    before it are then problems of a real export, but a file with none (binary, another
    format, empty) is refused before anything is written. Reading stops at the first page."""

    def recognise(path: Path) -> None:
        blank = True
        with path.open(encoding="utf-8", errors="surrogateescape") as handle:
            for line in handle:
                if not line.strip():
                    continue
                blank = False
                if _not_utf8(line):
                    continue
                try:
                    if is_page(load_json(line)):
                        return
                except ValueError:
                    continue
        if blank:
            raise ImportFormatError(f"{path.name} is empty: no {page} to import")
        raise ImportFormatError(f"{path.name} is not a {name} file: no line of it is {page}")

    return recognise


def _is_mastodon_page(value: Any) -> bool:
    """A timeline or notifications page (a list of objects with an ``id``), a search result
    (``statuses``) or a thread context (``ancestors``/``descendants``)."""
    if isinstance(value, list):
        return any(isinstance(item, dict) and "id" in item for item in value)
    return isinstance(value, dict) and any(
        isinstance(value.get(key), list) for key in ("statuses", "ancestors", "descendants")
    )


PageMapping = Callable[[Any, str], tuple[list[Post], list[Problem]]]


def _jsonl_pages(
    path: Path, source: str, mapping: PageMapping
) -> Iterator[tuple[list[Post], list[Problem]]]:
    """A JSONL export, one saved API answer per line, each mapped by ``mapping``; a line that
    is not UTF-8 or not JSON, and each item the mapping refuses, is a problem naming its line."""
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
            posts, problems = mapping(page, source)
            yield (
                posts,
                [Problem(p.source, p.item_id, f"line {number}: {p.reason}") for p in problems],
            )


def _twarc2_lines(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    return _jsonl_pages(path, source, x.posts_from_page)


def _mastodon_lines(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    """One saved page of statuses per line (a timeline, notifications, a search result or a
    thread context); a thread root found on one line is kept for the replies on later ones."""
    roots: dict[str, str] = {}

    def mapped(page: Any, source: str) -> tuple[list[Post], list[Problem]]:
        posts, problems = mastodon.posts_from_page(page, source, roots)
        roots.update((post.external_id, post.thread_key) for post in posts)
        return posts, problems

    return _jsonl_pages(path, source, mapped)


def _bluesky_lines(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    """JSONL, one saved XRPC response per line (searchPosts, getPostThread, getAuthorFeed,
    listNotifications), each mapped by ``bluesky.posts_from_response``."""
    return _jsonl_pages(path, source, bluesky.posts_from_response)


def _is_bluesky_response(value: Any) -> bool:
    """A searchPosts/getAuthorFeed page (``posts``/``feed``), a thread (``thread``) or a
    notifications page (``notifications``)."""
    return isinstance(value, dict) and any(
        isinstance(value.get(key), (list, dict))
        for key in ("posts", "feed", "thread", "notifications")
    )


def _hn_lines(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    """One Algolia HN search response per line (``search_by_date`` answers saved as JSONL)."""
    return _jsonl_pages(path, source, hn.posts_from_search)


def _is_hn_response(value: Any) -> bool:
    """An Algolia search answer: an object with a list of ``hits``."""
    return isinstance(value, dict) and isinstance(value.get("hits"), list)


def _reddit_document(path: Path) -> Any:
    """The saved thread's JSON; a file that is not one is refused before anything is written:
    not UTF-8, empty, not JSON, or JSON holding no Reddit Listing at all (a listing, or a list
    with at least one, as reddit.com saves a thread). A list with some other items is a real
    thread whose odd items are problems."""
    if path.stat().st_size == 0:
        raise ImportFormatError(f"{path.name} is empty: no saved Reddit thread to import")
    try:
        document = load_json(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{path.name} is not UTF-8 text (byte {exc.start + 1})") from exc
    except ValueError as exc:
        raise ImportFormatError(f"{path.name} is not JSON ({exc})") from exc
    parts = document if isinstance(document, list) else [document]
    if not any(isinstance(p, dict) and p.get("kind") == "Listing" for p in parts):
        raise ImportFormatError(
            f"{path.name} is not a saved Reddit thread: it holds no Reddit Listing "
            '(`"kind": "Listing"`)'
        )
    return document


def _recognise_reddit(path: Path) -> None:
    _reddit_document(path)


def _reddit_thread(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    yield reddit.posts_from_listing(_reddit_document(path), source)


def _csv_row(row: dict[str | None, Any], source: str) -> Post:
    """One row's post; every field cleaned and capped like a live mapping's."""
    values = {c: clean_text(row.get(c) or "").strip() for c in CSV_COLUMNS}
    missing = [c for c in CSV_REQUIRED if not values[c]]
    if missing:
        raise MalformedPayloadError(f"empty {', '.join(missing)}")
    values["author"] = values["author"].lstrip("@")
    platform = known_platform(values["platform"])
    external_id, parent = ident(values["id"]), ident_or_none(values["parent_id"])
    text, notes = post_text(row["text"])
    return Post(
        platform=platform,
        external_id=external_id,
        author_id=ident(values["author"], "author"),
        author_handle=values["author"][:MAX_ID],
        text=text,
        created_at=parse_timestamp(values["created_at"]),
        thread_key=ident_or_none(values["thread_id"]) or parent or external_id,
        parent_external_id=parent,
        reply_to=(parent,) if parent else (),
        url=url_or_none(values["url"] or None),
        source=source,
        notes=notes,
    )


def _row_problem(row: dict[str | None, Any]) -> str | None:
    """Why a CSV row cannot be mapped before looking at its values: a bad byte in its lines."""
    for column, value in row.items():
        for text in value if isinstance(value, list) else [value]:
            bad = _ESCAPED.search(text) if isinstance(text, str) else None
            if bad:
                offset = len(text[: bad.start()].encode("utf-8", "surrogateescape"))
                return f"not UTF-8 text (column {column or 'extra'}, byte {offset + 1})"
    return None


def _csv_rows(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    """The generic CSV: each row one post of any platform (``CSV_COLUMNS``)."""
    return _csv_records(path, source, GENERIC_CSV)


def _reviews_rows(path: Path, source: str) -> Iterator[tuple[list[Post], list[Problem]]]:
    """A review sites' CSV: each row one review (``connectors.reviews``)."""
    return _csv_records(path, source, REVIEWS_CSV)


@dataclass(frozen=True)
class CsvShape:
    """What one CSV format expects: its header in our column names, why a header is not this
    format (None when it is), and the mapping of one row (a dict by column name) to a post."""

    header: Callable[[list[str]], list[str]]
    problem: Callable[[list[str]], str | None]
    row: Callable[[dict[str | None, Any], str], Post]


def _generic_header_problem(header: list[str]) -> str | None:
    missing = [c for c in CSV_REQUIRED if c not in header]
    if not missing:
        return None
    return f"lacks the required column(s) {', '.join(missing)}; expected {','.join(CSV_COLUMNS)}"


GENERIC_CSV = CsvShape(list, _generic_header_problem, _csv_row)
REVIEWS_CSV = CsvShape(reviews.canonical_header, reviews.header_problem, reviews.review_from_row)


def _csv_records(
    path: Path, source: str, shape: CsvShape
) -> Iterator[tuple[list[Post], list[Problem]]]:
    """Each row one post or one problem with its line number: a field over ``CSV_FIELD_LIMIT``,
    broken quoting (``csv.Error``), a line that is not UTF-8 or unusable values.

    Quoting is read strictly: a quote that never closes used to make the csv module read every
    later line into one field, so the rest of the file vanished into one post's text without a
    word. Now a row that breaks after running over several lines is reported at the line where
    it starts, and the file is read again from the next line, so the rows it swallowed are kept.
    """
    csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle, strict=True)
        header = _csv_header(path, reader, shape)
        offset: int | None = 0  # physical lines before the ones ``reader`` reads
        while offset is not None:
            offset = yield from _csv_lines(reader, header, offset, source, shape)
            if offset is not None:
                handle.seek(0)
                reader = csv.reader(islice(handle, offset, None), strict=True)


def _csv_header(path: Path, reader: Any, shape: CsvShape) -> list[str]:
    """The header row in our column names; a file whose first line is not this format's header
    (empty, binary, another format) is refused saying why."""
    try:
        raw: list[str] = next(reader, [])
    except csv.Error as exc:
        raise ImportFormatError(f"{path.name}: the header line cannot be read ({exc})") from exc
    if not raw:
        raise ImportFormatError(f"{path.name} is empty: a CSV import starts with its header line")
    bad = _not_utf8(",".join(raw))
    if bad:
        raise ImportFormatError(f"{path.name} is not a CSV file: its first line is {bad}")
    header = shape.header(raw)
    problem = shape.problem(header)
    if problem:
        raise ImportFormatError(f"{path.name} {problem}")
    return header


def _csv_recogniser(shape: CsvShape) -> Callable[[Path], None]:
    """A format's check that the file starts with its CSV header."""

    def recognise(path: Path) -> None:
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
            _csv_header(path, csv.reader(handle, strict=True), shape)

    return recognise


def _recognise_feed(path: Path) -> None:
    """A feed is one document: parsing it is the check (``read_feed_file`` refuses a file that
    is no RSS or Atom); a saved feed is small, so it is read again for the import."""
    for _ in read_feed_file(path, "import:feed"):
        return


def _csv_lines(
    reader: Any, header: list[str], offset: int, source: str, shape: CsvShape
) -> Generator[tuple[list[Post], list[Problem]], None, int | None]:
    """The rows of ``reader`` (its lines numbered from ``offset`` + 1); returns the line to read
    again from when a row broke after running over several lines, else None at the end."""
    while True:
        start = offset + reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            end = offset + reader.line_num
            if end > start:  # an open quote ran on into later lines
                yield (
                    [],
                    [
                        Problem(
                            source,
                            None,
                            f"line {start}: a quoted field opens here and never closes properly "
                            f"({exc}); the row is skipped and the file is read again from line "
                            f"{start + 1}",
                        )
                    ],
                )
                return start
            yield [], [Problem(source, None, f"line {end}: {exc}")]
            continue
        if values:  # a blank line is no row
            yield _csv_item(_as_dict(header, values), offset + reader.line_num, source, shape)


def _as_dict(header: list[str], values: list[str]) -> dict[str | None, Any]:
    """A row by column name, as ``csv.DictReader`` makes it: missing values None, extra values
    as a list under None."""
    row: dict[str | None, Any] = dict(zip(header, values, strict=False))
    if len(values) > len(header):
        row[None] = values[len(header) :]
    for column in header[len(values) :]:
        row[column] = None
    return row


def _csv_item(
    row: dict[str | None, Any], line: int, source: str, shape: CsvShape
) -> tuple[list[Post], list[Problem]]:
    bad = _row_problem(row)
    item_id = ident_or_none(row.get("id"))
    if bad:
        return [], [Problem(source, None, f"line {line}: {bad}")]
    try:
        return [shape.row(row, source)], []
    except MalformedPayloadError as exc:
        return [], [Problem(source, item_id, f"line {line}: {exc}")]


@dataclass(frozen=True)
class ImportFormat:
    """One export format ``cli.py import`` reads: its name, what the file is, its reader, and
    ``recognise``, which raises ``ImportFormatError`` for a file that is not this format at all
    (so nothing is written for it, not even a sync record)."""

    name: str
    what: str
    read: Callable[[Path, str], Iterator[Any]]
    recognise: Callable[[Path], None]


# The one list of import formats: the CLI's --format, its help, the Sources page and the
# README's check (tests/test_imports.py) all read it, so none of them can miss a format.
IMPORT_FORMATS: tuple[ImportFormat, ...] = (
    ImportFormat(
        "twarc2",
        "X: JSONL, one X API v2 response page per line, as written by `twarc2 search`",
        _twarc2_lines,
        _recognise_twarc2,
    ),
    ImportFormat(
        "bluesky",
        "Bluesky: JSONL, one searchPosts or getPostThread response per line",
        _bluesky_lines,
        _lines_recogniser("bluesky", "a Bluesky XRPC response", _is_bluesky_response),
    ),
    ImportFormat(
        "reddit-json",
        "Reddit: a thread saved from reddit.com (…/comments/ID.json)",
        _reddit_thread,
        _recognise_reddit,
    ),
    ImportFormat(
        "csv",
        f"Any platform: CSV with the columns {','.join(CSV_COLUMNS)}",
        _csv_rows,
        _csv_recogniser(GENERIC_CSV),
    ),
    ImportFormat(
        "mbox",
        "E-mail: one mailbox file (Thunderbird, Google Takeout)",
        read_mbox,
        recognise_mbox,
    ),
    ImportFormat(
        "reviews",
        "Review sites (Glassdoor, Indeed, kununu): CSV with the columns "
        f"{','.join(reviews.COLUMNS)}",
        _reviews_rows,
        _csv_recogniser(REVIEWS_CSV),
    ),
    ImportFormat(
        "mastodon",
        "Mastodon: JSONL, one page of statuses per line (a timeline, notifications or search)",
        _mastodon_lines,
        _lines_recogniser("mastodon", "a page of Mastodon statuses", _is_mastodon_page),
    ),
    ImportFormat(
        "hn",
        "Hacker News: JSONL, one Algolia HN search response (search_by_date) per line",
        _hn_lines,
        _lines_recogniser("hn", "an Algolia HN search response", _is_hn_response),
    ),
    ImportFormat(
        "maildir",
        "E-mail: a Maildir folder (cur/new/tmp); import its .Sent folder too",
        read_maildir,
        recognise_maildir,
    ),
    ImportFormat(
        "feed",
        "RSS/Atom: one feed document saved as a file (.xml, .rss, .atom)",
        read_feed_file,
        _recognise_feed,
    ),
)
BY_NAME = {f.name: f for f in IMPORT_FORMATS}
READERS = {f.name: f.read for f in IMPORT_FORMATS}
FORMATS = tuple(READERS)


def import_batches(path: Path, file_format: str) -> Iterator[Batch]:
    """Batches of posts from an export file, each post mapped by its platform's function.

    A file that is not the format is refused here, before any batch exists, so a refused
    import writes nothing: no post, no problem, no sync record."""
    if file_format not in READERS:
        raise ImportFormatError(f"unknown format {file_format!r}; use one of {', '.join(FORMATS)}")
    if not (path.is_dir() if file_format == "maildir" else path.is_file()):
        kind = "a Maildir folder" if file_format == "maildir" else "a file"
        raise ImportFormatError(f"{path} does not exist or is not {kind}")
    BY_NAME[file_format].recognise(path)
    source = f"import:{file_format}"
    return _batches(source, READERS[file_format](path, source))
