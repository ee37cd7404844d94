"""E-mail: mapping RFC 5322 messages (IMAP, mbox, Maildir, demo) to posts.

Threading follows ``Message-ID``, ``In-Reply-To`` and ``References``: a message answers every
message its ``References`` chain reaches, and its thread is the chain's root. Automatic replies
are kept (they may carry a promise) but flagged, so they never count as an answer.
"""

from __future__ import annotations

import email
import email.policy
import html
import re
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from typing import Any

from connectors.base import MalformedPayloadError, Post

PLATFORM = "email"
_MSGID = re.compile(r"<([^<>\s]+)>")
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
_BLOCK_END = re.compile(r"</(p|div|h\d|li|tr)>|<br\s*/?>", re.I)
_QUOTE_HEADER = re.compile(r"^On .{5,200} wrote:\s*$", re.M)
_BOUNCE_SENDERS = ("mailer-daemon", "postmaster")


class IgnoredMessage(Exception):
    """A message that is deliberately not a post (bounce, delivery report)."""


def _ids(header: str | None) -> list[str]:
    return _MSGID.findall(header or "")


def html_to_text(markup: str) -> str:
    """Readable text from an HTML-only mail, without a browser-grade parser."""
    text = _BLOCK_END.sub("\n", markup)
    text = html.unescape(_TAGS.sub("", text))
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


def _strip_quoted(text: str) -> str:
    """Drop the quoted earlier message so analysis reads only what this sender wrote."""
    match = _QUOTE_HEADER.search(text)
    if match:
        text = text[: match.start()]
    lines = [line for line in text.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    content = part.get_content()
    if part.get_content_type() == "text/html":
        content = html_to_text(content)
    return _strip_quoted(content)


def _attachments(message: EmailMessage) -> list[str]:
    return [part.get_filename() or part.get_content_type() for part in message.iter_attachments()]


def is_automatic(message: EmailMessage) -> bool:
    """RFC 3834 ``Auto-Submitted`` and the common vendor headers mark automatic replies."""
    auto = (message.get("Auto-Submitted") or "no").strip().lower()
    precedence = (message.get("Precedence") or "").strip().lower()
    return auto != "no" or bool(message.get("X-Autoreply")) or precedence == "auto_reply"


def parse_message(data: bytes) -> EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def post_from_message(message: EmailMessage | bytes, source: str = "email") -> Post:
    """Map one message; bounces raise ``IgnoredMessage``, broken ones ``MalformedPayloadError``."""
    if isinstance(message, (bytes, bytearray)):
        message = parse_message(bytes(message))
    name, address = parseaddr(str(message.get("From", "")))
    address = address.lower()
    if not address or "@" not in address:
        raise MalformedPayloadError("message without a From address")
    if address.split("@")[0] in _BOUNCE_SENDERS or message.get_content_type() == (
            "multipart/report"):
        raise IgnoredMessage(f"bounce from {address}")
    own_ids = _ids(message.get("Message-ID"))
    if not own_ids:
        raise MalformedPayloadError(f"message from {address} has no Message-ID")
    try:
        created_at = parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError, IndexError) as exc:
        raise MalformedPayloadError(f"message {own_ids[0]} has no readable Date") from exc
    if created_at.tzinfo is None:
        raise MalformedPayloadError(f"message {own_ids[0]} has a Date without a zone")
    in_reply_to = _ids(message.get("In-Reply-To"))
    references = _ids(message.get("References"))
    chain = tuple(dict.fromkeys(references + in_reply_to))
    recipients = [a.lower() for _, a in getaddresses(message.get_all("To", []) +
                                                     message.get_all("Cc", [])) if a]
    headers = {key: str(message[key]) for key in ("From", "To", "Subject", "Date") if message[key]}
    raw: dict[str, Any] = {"attachments": _attachments(message), "headers": headers}
    return Post(
        platform=PLATFORM,
        external_id=own_ids[0],
        author_id=address,
        author_handle=address,
        author_name=name or None,
        author_email=address,
        text=_body(message),
        created_at=created_at,
        thread_key=chain[0] if chain else own_ids[0],
        parent_external_id=in_reply_to[-1] if in_reply_to else (chain[-1] if chain else None),
        reply_to=chain,
        subject=str(message.get("Subject") or "") or None,
        is_auto_reply=is_automatic(message),
        recipients=tuple(recipients),
        source=source,
        raw=raw,
    )
