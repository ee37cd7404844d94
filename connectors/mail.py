"""E-mail: mapping RFC 5322 messages (IMAP, mbox, Maildir, demo) to posts.

Threading follows ``Message-ID``, ``In-Reply-To`` and ``References``: a message answers every
message its ``References`` chain reaches, and its thread is the chain's root. Mail clients and
ticket tools that drop those headers still keep the subject ("Re: Application backend
engineer"), so a reply without them is threaded by subject and people (``fallback_thread_key``)
and, once the brand's addresses are known, linked to the mail it answers
(``link_subject_replies``).

Automatic replies are kept (they carry promises like "we'll get back to you within two weeks")
but flagged, so they never count as an answer. Bounces are not posts at all.
"""

from __future__ import annotations

import email
import email.errors
import email.policy
import hashlib
import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any, NamedTuple, Protocol

from analysis.normalise import strip_quoted
from connectors.base import (
    MAX_RECIPIENTS,
    MAX_REFERENCES,
    MAX_SUBJECT,
    MalformedPayloadError,
    Post,
    check_time,
    clean_raw,
    clean_text,
    post_text,
)

PLATFORM = "email"
MAX_ID = 255  # the store's limit for ids and thread keys
_MSGID = re.compile(r"<([\x21-\x3b\x3d\x3f-\x7e]+)>")  # printable ASCII, as RFC 5322 allows
_BOUNCE_SENDERS = ("mailer-daemon", "postmaster")
_NO_REPLY = re.compile(r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply)\b", re.I)
_AUTO_SUBJECT = re.compile(
    r"^\s*(?:automatic reply|auto(?:matic)?[- ]?(?:reply|response)|autoreply|auto:|"
    r"out of (?:the )?office|abwesenheitsnotiz|automatische antwort|automatisch antwoord|"
    r"afwezigheidsbericht|réponse automatique)",
    re.I,
)
_REPLY_PREFIX = r"(?:re|aw|sv|vs|antw|ant|r|ref|rif)"
_FORWARD_PREFIX = r"(?:fwd?|wg|tr|vb|doorst|enc|rv)"
_PREFIXES = re.compile(
    rf"^\s*(?:(?:{_REPLY_PREFIX}|{_FORWARD_PREFIX})(?:\s*\[\d+\]|\s*\(\d+\))?\s*:\s*"
    r"|\[[^\]]{1,40}\]\s*)+",
    re.I,
)
_IS_REPLY = re.compile(
    rf"^\s*(?:\[[^\]]{{1,40}}\]\s*)*{_REPLY_PREFIX}(?:\s*\[\d+\]|\s*\(\d+\))?"
    r"\s*:",
    re.I,
)
# What the stdlib parser raises on hostile input instead of registering a defect.
_PARSER_ERRORS = (
    ValueError,
    IndexError,
    TypeError,
    LookupError,
    AttributeError,
    email.errors.MessageError,
)

__all__ = [
    "IgnoredMessage",
    "EarlierMail",
    "fallback_thread_key",
    "html_to_text",
    "is_automatic",
    "is_bounce",
    "is_reply_subject",
    "link_subject_replies",
    "normalise_subject",
    "parse_message",
    "post_from_message",
    "strip_quoted",
]


class IgnoredMessage(Exception):
    """A message that is deliberately not a post (bounce, delivery report)."""


# ------------------------------------------------------------------------------ subjects, keys


def normalise_subject(subject: str | None) -> str:
    """The subject without Re:/AW:/SV:/Fwd: prefixes and [tags], case-folded, spaces collapsed."""
    return " ".join(_PREFIXES.sub("", subject or "").split()).casefold()


def is_reply_subject(subject: str | None) -> bool:
    """``Re:``-style subjects (also AW:, SV:, Antw:): the mail answers an earlier one."""
    return bool(_IS_REPLY.match(subject or ""))


def fallback_thread_key(subject: str | None, participants: Iterable[str]) -> str:
    """Thread key for a reply without threading headers: normalised subject + the people.

    The people are sorted, so the candidate's mail and the brand's answer (sender and
    recipient swapped) give the same key. Hashed, because subjects can be longer than a key.
    """
    people = ",".join(sorted({p.strip().lower() for p in participants if p and p.strip()}))
    digest = hashlib.sha256(f"{normalise_subject(subject)}\n{people}".encode()).hexdigest()
    return f"subject:{digest[:32]}"


# ------------------------------------------------------------------------------ message kinds


class _Headers:
    """Each header read once. Parsing a header under ``policy.default`` costs ~0.1 ms and a
    mail needs some forty lookups, so plain ASCII values are taken raw (unfolded) and only
    encoded words or 8-bit bytes go through the policy's decoder.
    """

    def __init__(self, message: Message) -> None:
        self.message = message
        self.raw: dict[str, list[str]] = {}
        for name, value in message.raw_items():
            self.raw.setdefault(name.lower(), []).append(" ".join(str(value).split()))

    def first(self, name: str) -> str:
        """The first value as sent (for ids, dates and flags, which are ASCII by standard)."""
        values = self.raw.get(name.lower())
        return values[0] if values else ""

    def decoded(self, name: str) -> list[str]:
        """Every value of the header as people read it (RFC 2047 and RFC 6532 decoded)."""
        values = self.raw.get(name.lower(), [])
        if any("=?" in v for v in values):
            return [_decode_words(str(v)) for v in self.message.get_all(name, [])]
        return [_clean(v) if v.isascii() else _from_8bit(v) for v in values]


def _decode_words(value: str) -> str:
    """RFC 2047 encoded words ("=?utf-8?q?J=C3=B6rg?=") as people read them."""
    try:
        return _clean(str(make_header(decode_header(value))))
    except (HeaderParseError, LookupError, UnicodeDecodeError, ValueError):
        return _clean(value)


def _from_8bit(text: str) -> str:
    """Raw 8-bit header bytes (against the standard, but common): UTF-8, else Windows-1252."""
    data = text.encode("ascii", "surrogateescape")
    try:
        return _clean(data.decode("utf-8"))
    except UnicodeDecodeError:
        return _clean(data.decode("cp1252", errors="replace"))


def _clean(text: str) -> str:
    """What the store can hold: no NUL characters, no undecodable bytes (lone surrogates).

    The parser keeps 8-bit bytes as surrogate escapes, so those are read back as UTF-8; any
    other lone surrogate (a decoder's, e.g. UTF-7's) goes to ``connectors.base.clean_text``.
    """
    if text.isascii() and "\x00" not in text:
        return text
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return clean_text(text)
    return text.replace("\x00", "")


def is_automatic(message: Message) -> bool:
    """An automatic reply: RFC 3834 ``Auto-Submitted``, vendor headers, a no-reply sender, or
    an auto-reply subject ("Automatic reply:", "Out of Office").

    Body text alone does not decide: a recruiter's own "we'll get back to you within a week" is
    an answer *and* a promise.
    """
    return _is_automatic(_Headers(message))


def _is_automatic(headers: _Headers) -> bool:
    auto = (headers.first("Auto-Submitted") or "no").strip().lower()
    if auto != "no" or headers.first("Precedence").strip().lower() == "auto_reply":
        return True
    if any(
        headers.first(h)
        for h in ("X-Autoreply", "X-Autorespond", "X-Autoreply-From", "X-Mail-Autoreply")
    ):
        return True
    _, address = _parsed_address(headers.first("From"))
    subject = " ".join(headers.decoded("Subject"))
    return bool(_NO_REPLY.match(address)) or bool(_AUTO_SUBJECT.match(subject))


def is_bounce(message: Message, address: str) -> bool:
    """Delivery reports: from mailer-daemon/postmaster, a DSN report, or X-Failed-Recipients."""
    return _is_bounce(message, _Headers(message), address)


def _is_bounce(message: Message, headers: _Headers, address: str) -> bool:
    if address.split("@")[0] in _BOUNCE_SENDERS or headers.first("X-Failed-Recipients"):
        return True
    if not message.is_multipart():
        return False
    return message.get_content_type() == "multipart/report" or any(
        part.get_content_type() == "message/delivery-status" for part in message.walk()
    )


# ------------------------------------------------------------------------------ text

_SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript"})
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "tr",
        "table",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "section",
        "article",
        "header",
        "footer",
        "hr",
        "pre",
        "address",
        "center",
        "dl",
        "dt",
        "dd",
        "form",
        "fieldset",
    }
)
_QUOTE_CLASSES = frozenset({"gmail_quote", "moz-cite-prefix", "yahoo_quoted"})


class _HtmlText(HTMLParser):
    """Collects the visible text of an HTML mail, without what it quotes.

    Block elements start new lines, list items become "- " lines, and quoted earlier mail
    (``<blockquote>``, Gmail's and Thunderbird's quote containers) is dropped.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quote: tuple[str, int] | None = None
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.quote is not None:
            if tag == self.quote[0]:
                self.quote = (tag, self.quote[1] + 1)
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "blockquote" or classes & _QUOTE_CLASSES:
            self.quote = (tag, 1)
        elif tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS:
            self.pre += tag == "pre"
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.quote is None and tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.quote is not None:
            if tag == self.quote[0]:
                depth = self.quote[1] - 1
                self.quote = (tag, depth) if depth else None
            return
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.pre -= tag == "pre" and self.pre > 0
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.quote is None and not self.skipping:
            self.parts.append(data if self.pre else re.sub(r"\s+", " ", data))


def html_to_text(markup: str) -> str:
    """Readable text from an HTML-only mail: paragraphs, line breaks and lists kept."""
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts).replace("\xa0", " ")
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# ------------------------------------------------------------------------------ body, parts


def parse_message(data: bytes) -> Message:
    """Parsed with the compat32 policy: about five times faster than ``policy.default``,
    which parses every header into objects we never use; the few headers we read are decoded
    by ``_Headers``."""
    return email.message_from_bytes(data, policy=email.policy.compat32)


def _decoded(part: Message) -> str:
    """The part's text; undeclared or unknown charsets are read as UTF-8, else Windows-1252."""
    payload = part.get_payload(decode=True) or b""
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset()
    if charset:
        try:
            return payload.decode(charset, errors="replace")
        except LookupError:
            pass
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("cp1252", errors="replace")


def _is_attachment(part: Message) -> bool:
    disposition = str(part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    return disposition == "attachment" or (disposition != "inline" and bool(part.get_filename()))


class _Part(NamedTuple):
    """A leaf part of a message, its content type and disposition read once: the body and the
    attachment list both need them, and each read parses the part's headers again."""

    message: Message
    content_type: str
    attachment: bool


def _leaf_parts(message: Message) -> list[_Part]:
    return [
        _Part(part, part.get_content_type(), _is_attachment(part))
        for part in message.walk()
        if not part.is_multipart()
    ]


def _body(parts: list[_Part]) -> str:
    """The plain-text body, else the HTML one as text; quoted earlier mail left out."""
    texts = [p for p in parts if not p.attachment]
    chosen = next((p for p in texts if p.content_type == "text/plain"), None)
    chosen = chosen or next((p for p in texts if p.content_type == "text/html"), None)
    if chosen is None:
        return ""
    content = _decoded(chosen.message)
    if chosen.content_type == "text/html":
        content = html_to_text(content)
    # strip_quoted leaves a text with nothing quoted as it is; a stored body is trimmed.
    return re.sub(r"\n{3,}", "\n\n", strip_quoted(content)).strip()


def _attachments(parts: list[_Part]) -> list[str]:
    """Names of the attachments: listed so the team sees a CV came, never stored."""
    return [
        _decode_words(str(part.message.get_filename() or part.content_type))
        for part in parts
        if part.attachment
    ]


def _ids(header: str) -> list[str]:
    return [i for i in _MSGID.findall(header) if len(i) <= MAX_ID]


def _created_at(headers: _Headers, message_id: str) -> datetime:
    """The Date header in UTC; a ``-0000`` or missing zone means UTC (RFC 5322 3.3)."""
    try:
        created_at = parsedate_to_datetime(headers.first("Date"))
        if created_at.tzinfo is None:
            created_at = created_at.replace(tzinfo=UTC)
        created_at = check_time(created_at.astimezone(UTC))
    except (TypeError, ValueError, IndexError, OverflowError, MalformedPayloadError) as exc:
        raise MalformedPayloadError(f"message {message_id} has no readable Date") from exc
    return created_at


def _addresses(headers: _Headers, *names: str) -> list[str]:
    values = tuple(v for name in names for v in headers.decoded(name))
    return [a.lower() for _, a in _parsed_addresses(values) if a and "@" in a]


# The same few addresses head most mails of a mailbox (the team's own in every To or From, a
# candidate's in each of their mails), and the standard library's address parser costs about
# 40 µs a value: each distinct value up to ``CACHED_ADDRESS_CHARS`` long is parsed once per
# process (a longer one, a To of many recipients, is parsed each time, so the cache stays small).
CACHED_ADDRESS_CHARS = 400


def _parsed_address(value: str) -> tuple[str, str]:
    return _cached_address(value) if len(value) <= CACHED_ADDRESS_CHARS else parseaddr(value)


def _parsed_addresses(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    if sum(map(len, values)) <= CACHED_ADDRESS_CHARS:
        return _cached_addresses(values)
    return tuple(getaddresses(list(values)))


@lru_cache(maxsize=4096)
def _cached_address(value: str) -> tuple[str, str]:
    return parseaddr(value)


@lru_cache(maxsize=4096)
def _cached_addresses(values: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple(getaddresses(list(values)))


# ------------------------------------------------------------------------------ mapping


def post_from_message(message: Message | bytes, source: str = "email") -> Post:
    """Map one message; bounces raise ``IgnoredMessage``, broken ones ``MalformedPayloadError``."""
    try:
        if isinstance(message, (bytes, bytearray)):
            message = parse_message(bytes(message))
        return _map(message, source)
    except _PARSER_ERRORS as exc:
        raise MalformedPayloadError(f"unreadable message ({type(exc).__name__}: {exc})") from exc


def _map(message: Message, source: str) -> Post:
    headers = _Headers(message)
    name, address = _parsed_address(" ".join(headers.decoded("From")))
    address = address.lower()
    if not address or "@" not in address or len(address) > MAX_ID:
        raise MalformedPayloadError("message without a usable From address")
    if _is_bounce(message, headers, address):
        raise IgnoredMessage(f"bounce from {address}")
    own_ids = _MSGID.findall(headers.first("Message-ID"))
    if not own_ids or len(own_ids[0]) > MAX_ID:
        raise MalformedPayloadError(f"message from {address} has no usable Message-ID")
    message_id = own_ids[0]
    created_at = _created_at(headers, message_id)
    in_reply_to = _ids(headers.first("In-Reply-To"))
    chain = tuple(dict.fromkeys(_ids(headers.first("References")) + in_reply_to))
    subject = " ".join(headers.decoded("Subject")).strip() or None
    to = _addresses(headers, "To")
    parts = _leaf_parts(message)
    text, notes = post_text(_clean(_body(parts)))
    return Post(
        platform=PLATFORM,
        external_id=message_id,
        author_id=address,
        author_handle=address,
        author_name=_clean(name or "")[:MAX_ID] or None,
        author_email=address,
        text=text,
        created_at=created_at,
        thread_key=_thread_key(message_id, chain, subject, [address, *to]),
        parent_external_id=in_reply_to[-1] if in_reply_to else (chain[-1] if chain else None),
        reply_to=_capped_chain(chain),
        subject=subject[:MAX_SUBJECT] if subject else None,
        is_auto_reply=_is_automatic(headers),
        recipients=tuple(dict.fromkeys(to + _addresses(headers, "Cc")))[:MAX_RECIPIENTS],
        source=source,
        raw=clean_raw(_raw(parts, headers)),
        notes=notes,
    )


def _capped_chain(chain: tuple[str, ...]) -> tuple[str, ...]:
    """At most ``MAX_REFERENCES`` ids of a References chain: its root (the thread) and the
    latest ones (what the mail most likely answers); a real chain is far shorter."""
    if len(chain) <= MAX_REFERENCES:
        return chain
    return (chain[0], *chain[len(chain) - MAX_REFERENCES + 1 :])


def _thread_key(
    message_id: str, chain: tuple[str, ...], subject: str | None, participants: list[str]
) -> str:
    if chain:
        return chain[0]
    if is_reply_subject(subject):
        return fallback_thread_key(subject, participants)
    return message_id


def _raw(parts: list[_Part], headers: _Headers) -> dict[str, Any]:
    shown = {}
    for key in ("From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To"):
        value = ", ".join(headers.decoded(key))
        if value:
            shown[key] = _clean(value)
    return {"attachments": _attachments(parts), "headers": shown}


# ------------------------------------------------------------------------------ subject links


class MailLike(Protocol):
    @property
    def external_id(self) -> str: ...
    @property
    def author_id(self) -> str: ...
    @property
    def subject(self) -> str | None: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def thread_key(self) -> str: ...


@dataclass(frozen=True, slots=True)
class EarlierMail:
    """A stored inbound mail that a new brand reply may answer (what ingest loads for it)."""

    external_id: str
    author_id: str
    subject: str | None
    created_at: datetime
    thread_key: str


def link_subject_replies(
    posts: Sequence[Post], brand_addresses: Collection[str], earlier: Iterable[MailLike] = ()
) -> list[Post]:
    """Link brand "Re:" mails without threading headers to the mail they answer.

    Such a mail answers the latest earlier inbound mail, from one of its (non-brand)
    recipients, with the same normalised subject — found among ``posts`` and ``earlier``
    (inbound mails already stored). The linked post gets that mail as ``reply_to`` and parent
    and joins its thread, so ingest counts it as the answer. Returns the posts in their order;
    unchanged posts are the same objects.
    """
    brand = {a.lower() for a in brand_addresses}
    index = _inbound_index([*earlier, *posts], brand)
    return [_linked(post, brand, index) for post in posts]


def _inbound_index(mails: Iterable[MailLike], brand: set[str]) -> dict[tuple[str, str], list]:
    index: dict[tuple[str, str], list] = {}
    for mail in mails:
        if getattr(mail, "platform", PLATFORM) != PLATFORM or mail.author_id.lower() in brand:
            continue
        key = (mail.author_id.lower(), normalise_subject(mail.subject))
        index.setdefault(key, []).append((mail.created_at, mail.external_id, mail))
    for entries in index.values():
        entries.sort(key=lambda entry: (entry[0], entry[1]))
    return index


def _linked(post: Post, brand: set[str], index: dict[tuple[str, str], list]) -> Post:
    if (
        post.platform != PLATFORM
        or post.reply_to
        or post.author_id.lower() not in brand
        or not is_reply_subject(post.subject)
    ):
        return post
    subject = normalise_subject(post.subject)
    found = None
    for person in post.recipients:
        entries = index.get((person.lower(), subject), [])
        at = bisect_right(entries, post.created_at, key=lambda entry: entry[0])
        if at and (found is None or entries[at - 1][0] > found.created_at):
            found = entries[at - 1][2]
    if found is None:
        return post
    return replace(
        post,
        reply_to=(found.external_id,),
        parent_external_id=found.external_id,
        thread_key=found.thread_key,
    )
