"""The shape every connector speaks: a normalised ``Post``, a ``Batch`` with its cursor, and errors.

Connectors know one platform each. They turn that platform's payloads into ``Post`` values with
pure mapping functions, so the live API, the platform's export format and the demo workspace all
go through the same code.

Exception tree::

    ConnectorError
    ├── NotConfiguredError      a required setting is missing (names it)
    ├── MalformedPayloadError   one item could not be mapped (recorded, skipped)
    ├── PlatformError           the platform refused a request (rate limit, auth, 5xx)
    └── ImportFormatError       an export file is not the format asked for
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain
from typing import Any, Protocol


class ConnectorError(Exception):
    """Base of every error a connector raises."""


class NotConfiguredError(ConnectorError):
    """A setting the connector needs is missing; the message names it."""


class MalformedPayloadError(ConnectorError):
    """One item of a payload could not be mapped; the sync records it and goes on."""


class PlatformError(ConnectorError):
    """The platform answered with an error we could not recover from."""


class ImportFormatError(ConnectorError):
    """The file cannot be read as the format asked for (the message says why)."""


@dataclass(frozen=True, slots=True)
class Post:
    """One message on any channel, in the form the store and the analysis understand.

    ``thread_key`` groups a conversation (X conversation id, Reddit submission, e-mail thread
    root, YouTube comment thread); ``reply_to`` lists every id this post answers, because an
    e-mail answers its whole ``References`` chain, not only its direct parent. ``to_account``
    is the account the post was written to when the platform says so (the user an X reply
    answers, the channel a YouTube comment sits on): a brand account there makes the post
    addressed to the brand.
    """

    platform: str
    external_id: str
    author_id: str
    author_handle: str
    text: str
    created_at: datetime
    thread_key: str
    parent_external_id: str | None = None
    reply_to: tuple[str, ...] = ()
    author_name: str | None = None
    author_email: str | None = None
    author_reach: int | None = None
    url: str | None = None
    lang: str | None = None
    subject: str | None = None
    is_auto_reply: bool = False
    recipients: tuple[str, ...] = ()
    to_account: str | None = None
    source: str = ""
    raw: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    # What the mapping had to cut to fit the caps (``post_text``); ingest records each as a
    # problem of the source when it stores the post, so a cut is never silent.
    notes: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # The stars a review gave the employer (1 to 5; review sites only), shown beside sentiment.
    rating: float | None = None

    def __post_init__(self) -> None:
        if not self.external_id:
            raise MalformedPayloadError(f"{self.platform} post without an id")
        if self.created_at.tzinfo is None:
            raise MalformedPayloadError(f"{self.platform} post {self.external_id}: naive timestamp")


@dataclass(frozen=True, slots=True)
class Problem:
    """An item that could not be mapped: kept so the sync can report it instead of dying."""

    source: str
    item_id: str | None
    reason: str


@dataclass(slots=True)
class Batch:
    """Posts read together, the cursor that covers them, and what the read cost.

    The store commits the posts and the cursor in one transaction, so a crash between batches
    resumes exactly where the last commit stopped.
    """

    source: str
    posts: list[Post]
    cursor: dict[str, Any] | None = None
    problems: list[Problem] = field(default_factory=list)
    items_read: int = 0
    users_read: int = 0
    units: int = 0  # platform quota units the requests behind this batch cost (YouTube)


class Connector(Protocol):
    """What ingest needs from a platform: batches of new posts since a cursor."""

    @property
    def name(self) -> str: ...

    def fetch(self, cursor: dict[str, Any] | None) -> Iterator[Batch]: ...


# ------------------------------------------------------------------------------ sanitising
#
# A mapping receives whatever a platform, an export file or an attacker sends. What it hands on
# must be what both stores hold: PostgreSQL refuses NUL characters in text and over-long
# VARCHARs, neither driver can encode a lone surrogate (JSON's "\ud800" escapes decode to one)
# and PostgreSQL's JSON type refuses NaN and Infinity. One refused value fails the whole batch
# and with it the cursor, so the page would be read (and, on X, paid for) again on every sync.
# Every mapping therefore passes its fields through these helpers.

# Every platform a connector maps (each module's PLATFORM); a post on any other has no reply
# route, no brand accounts and no label, so an import refuses it.
PLATFORMS = ("bluesky", "email", "feed", "hn", "mastodon", "reddit", "reviews", "x", "youtube")
MAX_ID = 255  # external ids, author ids and handles, names, thread keys (store/schema.py)
# Caps on what a stranger can make us store and show. A valid file once held a 200 MB post:
# 1.5 GB of memory to import, 420 MB of database, and a Conversation page Streamlit refused to
# send. No real post comes near these; the text is cut (and the cut recorded), a longer URL
# dropped, a longer title cut.
MAX_TEXT_BYTES = 64 * 1024  # a post's text, in UTF-8 bytes
MAX_URL = 2048
MAX_SUBJECT = 1000  # a Reddit title, a mail subject (RFC 5322 lines end at 998)
MAX_REFERENCES = 100  # ids one post answers (a mail's References chain)
MAX_RECIPIENTS = 100  # addresses in a mail's To and Cc
MAX_RAW_STRING = MAX_TEXT_BYTES  # characters of one string in a raw payload
MAX_RAW_CHARS = 4 * MAX_TEXT_BYTES  # characters of a whole raw payload (strings and values)
MAX_LANG = 8
MAX_REACH = 2**31 - 1  # posts.author_reach is a 32-bit INTEGER
MAX_RAW_DEPTH = 64  # far above any real payload; deeper ones cannot even be serialised safely
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(3000, 1, 1, tzinfo=UTC)  # leaves room to add SLA deadlines without overflow
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
_ID_HASH = 16  # hex digits of the digest that keeps capped ids distinct


def each_post(
    items: Iterable[Any],
    source: str,
    to_post: Callable[[Any], Post],
    item_id: Callable[[Any], Any] = lambda item: field_of(item, "id"),
) -> tuple[list[Post], list[Problem]]:
    """Each item one post or one problem naming it: a malformed item is recorded and skipped,
    never fatal to the rest of its page."""
    posts: list[Post] = []
    problems: list[Problem] = []
    for item in items:
        try:
            posts.append(to_post(item))
        except MalformedPayloadError as exc:
            problems.append(Problem(source, ident_or_none(item_id(item)), str(exc)))
    return posts, problems


def field_of(item: Any, key: str) -> Any:
    """``item[key]`` when the item is an object that has it; None for anything else."""
    return item.get(key) if isinstance(item, dict) else None


def clean_text(text: str) -> str:
    """``text`` as both stores hold it: NUL removed, each lone surrogate replaced by U+FFFD.

    A surrogate pair written as two code points becomes the character it encodes. Text that
    needs nothing (nearly all of it) is returned as it is, after one regex scan.
    """
    if _UNSTORABLE.search(text) is None:
        return text
    text = text.replace("\x00", "")
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def str_or_none(value: Any, limit: int | None = None) -> str | None:
    """An optional text field: a cleaned str (cut to ``limit``), or None for any other type."""
    if not isinstance(value, str):
        return None
    text = clean_text(value)
    return text[:limit] if limit is not None else text


def cut_utf8(text: str, limit: int = MAX_TEXT_BYTES) -> str:
    """The longest start of ``text`` whose UTF-8 encoding fits ``limit`` bytes, cut between
    characters (never inside one). Short texts, nearly all, are returned without encoding."""
    if len(text) * 4 <= limit:
        return text
    head = text[:limit]  # every character takes at least one byte
    data = head.encode("utf-8", "surrogatepass")
    if len(data) <= limit:
        return head
    end = limit
    while data[end] & 0xC0 == 0x80:  # a continuation byte: the cut would split a character
        end -= 1
    return data[:end].decode("utf-8", "surrogatepass")


def post_text(value: str) -> tuple[str, tuple[str, ...]]:
    """A post's text as stored: cleaned and at most ``MAX_TEXT_BYTES`` (64 KB) of UTF-8, and
    the note for ``Post.notes`` when it had to be cut. The rest is dropped, not kept in the
    raw payload either: storing it anywhere is what the cap prevents."""
    text = clean_text(value)
    kept = cut_utf8(text)
    if len(kept) == len(text):
        return text, ()
    return kept, (
        f"text cut to its first 64 KB ({len(kept):,} of {len(text):,} characters kept); "
        "the rest is not stored",
    )


def url_or_none(value: str | None) -> str | None:
    """A URL of at most ``MAX_URL`` characters; a longer one is no link (a cut URL is a broken
    one), so it is dropped."""
    return value if value is not None and len(value) <= MAX_URL else None


def cap_id(value: str) -> str:
    """An id that fits the store's 255 characters and stays distinct from every other id.

    A longer id keeps its first 238 characters and ends in a digest of the whole id, so two
    long ids never become one post and the same id always caps the same way (a re-import finds
    the post it stored before).
    """
    if len(value) <= MAX_ID:
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:_ID_HASH]
    return f"{value[: MAX_ID - _ID_HASH - 1]}~{digest}"


def ident_or_none(value: Any) -> str | None:
    """An id from a str or an int (never ``str(None)``, a bool or a float), cleaned and capped;
    None when there is none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            value = str(value)
        except ValueError:  # more than 4300 digits
            return None
    if not isinstance(value, str):
        return None
    return cap_id(clean_text(value)) or None


def ident(value: Any, what: str = "id") -> str:
    """A required id (see ``ident_or_none``); ``MalformedPayloadError`` names it when unusable."""
    found = ident_or_none(value)
    if found is None:
        raise MalformedPayloadError(f"{what} {shown(value)} is not a usable id")
    return found


def known_platform(value: str) -> str:
    """``value`` as one of ``PLATFORMS`` (trimmed, any case); ``MalformedPayloadError`` names
    the allowed ones otherwise."""
    platform = clean_text(value).strip().lower()
    if platform not in PLATFORMS:
        raise MalformedPayloadError(
            f"platform {shown(value.strip())} is not one of {', '.join(PLATFORMS)}"
        )
    return platform


def clean_lang(value: Any) -> str | None:
    """A BCP 47-like language code of at most 8 characters; anything else is no language."""
    if not isinstance(value, str) or len(value) > MAX_LANG or not _LANG.fullmatch(value):
        return None
    return value


def count_or_none(value: Any) -> int | None:
    """A non-negative count that fits the store's INTEGER column, or None."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_REACH:
        return None
    return value


def clean_raw(value: Any) -> Any:
    """A JSON payload the store can keep: NaN and Infinity become null and every string is cut
    to ``MAX_RAW_STRING`` characters, the rest unchanged (the very same object when nothing
    needed changing, nearly always). A payload still larger than ``MAX_RAW_CHARS`` is not kept:
    a note of its size stands in for it. Nested deeper than ``MAX_RAW_DEPTH``: the item is
    malformed, because serialising it for the insert could exhaust the stack there, where no
    one would catch it."""
    fix, size = _scan(value, 0)
    if size > MAX_RAW_CHARS:
        return {"not_kept": f"raw payload of {size:,} characters (over {MAX_RAW_CHARS:,})"}
    return _fixed_copy(value) if fix else value


def _scan(value: Any, depth: int) -> tuple[bool, int]:
    """(whether a NaN, an Infinity or an over-long string or key is inside, the payload's size
    as kept: characters of its strings, each at most ``MAX_RAW_STRING``, plus one per value);
    a scan that builds nothing (mapping's hot path)."""
    items: Iterable[Any]
    if isinstance(value, dict):
        items = chain(value, value.values())
    elif isinstance(value, list):
        items = value
    elif isinstance(value, str):
        return len(value) > MAX_RAW_STRING, min(len(value), MAX_RAW_STRING)
    else:
        return isinstance(value, float) and not math.isfinite(value), 1
    if depth >= MAX_RAW_DEPTH:
        raise MalformedPayloadError(f"payload nested more than {MAX_RAW_DEPTH} levels deep")
    fix, size = False, len(value)
    for item in items:
        if isinstance(item, str):
            if len(item) > MAX_RAW_STRING:
                fix, size = True, size + MAX_RAW_STRING
            else:
                size += len(item)
        elif isinstance(item, (dict, list, float)):
            item_fix, item_size = _scan(item, depth + 1)
            fix, size = fix or item_fix, size + item_size
    return fix, size


def _fixed_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {_fixed_copy(key): _fixed_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fixed_copy(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str) and len(value) > MAX_RAW_STRING:
        return value[:MAX_RAW_STRING]
    return value


def shown(value: Any, limit: int = 60) -> str:
    """A short repr of a hostile value for an error message (a 1 MB id stays out of it)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}…"


def check_time(moment: datetime) -> datetime:
    """Times before 1900 or from the year 3000 are broken payloads, not posts."""
    if not EARLIEST <= moment < LATEST:
        raise MalformedPayloadError(f"timestamp {moment.isoformat()} is out of range")
    return moment


def parse_timestamp(value: Any) -> datetime:
    """Read ISO 8601 strings (with ``Z``) and Unix seconds into an aware UTC datetime.

    Anything else — a bool, a list, NaN, a time Python cannot represent or one outside
    1900–2999 — raises ``MalformedPayloadError``, never another exception.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise MalformedPayloadError(f"unreadable timestamp {shown(value)}")
    try:
        if isinstance(value, (int, float)):
            parsed = datetime.fromtimestamp(float(value), tz=UTC)
        else:
            text = value.strip()
            if text.endswith("Z"):
                text = text[:-1] + "+00:00"
            parsed = datetime.fromisoformat(text)
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=UTC)
            parsed = parsed.astimezone(UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise MalformedPayloadError(f"unreadable timestamp {shown(value)}") from exc
    return check_time(parsed)


def time_field(payload: dict[str, Any], key: str, what: str) -> datetime:
    """``payload[key]`` read by ``parse_timestamp``; the error names the item and the field."""
    value = payload.get(key)
    if value is None:
        raise MalformedPayloadError(f"{what} lacks field {key!r}")
    try:
        return parse_timestamp(value)
    except MalformedPayloadError as exc:
        raise MalformedPayloadError(f"{what}: {key}: {exc}") from exc
