"""RSS and Atom feeds: mapping a feed document's entries to posts.

A Google Alerts or Talkwalker Alerts feed for the brand, a blog, a job forum: each entry is one
post (subject the title, text the title and summary as plain text, the link, the author). The
live connector (``feed_api``), ``cli.py import --format feed`` and the demo all call
``posts_from_document``, so an entry maps the same way wherever it came from.

Feeds carry HTML in titles and summaries, written by strangers. Nothing of it is kept as markup:
feedparser sanitises it, and ``html_text`` keeps only the visible text (no script, no style, no
attribute such as a ``javascript:`` link), so what is stored and shown is inert plain text. A
link is kept only when it is http(s).

Everything here is pure: the document is handed over as bytes (feedparser never fetches).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import feedparser

from connectors.base import (
    MAX_ID,
    MAX_SUBJECT,
    MalformedPayloadError,
    Post,
    Problem,
    check_time,
    clean_lang,
    clean_raw,
    clean_text,
    each_post,
    ident_or_none,
    parse_timestamp,
    post_text,
    shown,
    str_or_none,
    url_or_none,
)

PLATFORM = "feed"
# Hosts whose /url?url=… links redirect to the real article (Google Alerts wraps every link).
_REDIRECTORS = re.compile(r"(?:www\.)?google\.[a-z.]{2,6}")
_SKIPPED = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg"})
_BLOCKS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote"}
)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})


class _VisibleText(HTMLParser):
    """Collects what a browser would show as text; drops scripts, styles and every attribute."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_text(markup: str) -> str:
    """The visible text of an HTML fragment, paragraphs kept as lines, whitespace tidied."""
    parser = _VisibleText()
    parser.feed(markup)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).replace("\xa0", " ").splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def unwrap_link(link: str | None) -> str | None:
    """The article a link points to: Google Alerts' ``https://www.google.com/url?…&url=X``
    becomes ``X``; anything that is not http(s) (``javascript:``, ``data:``) is no link."""
    if not link:
        return None
    link = link.strip()
    parts = urlsplit(link)
    if _REDIRECTORS.fullmatch(parts.hostname or "") and parts.path == "/url":
        query = parse_qs(parts.query)
        target = (query.get("url") or query.get("q") or [""])[0].strip()
        if urlsplit(target).scheme in ("http", "https"):
            link, parts = target, urlsplit(target)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return url_or_none(link)


def _detail_text(entry: Mapping[str, Any], key: str) -> str:
    """A text construct (title, summary) as plain text, whatever type the feed declared."""
    value = str_or_none(entry.get(key))
    if not value:
        return ""
    detail = entry.get(f"{key}_detail")
    kind = detail.get("type") if isinstance(detail, Mapping) else None
    if kind in ("text/plain", "text") and "<" not in value:
        return value.strip()
    return html_text(value)  # HTML, or a plain text that holds tags: shown as text either way


def _content_text(entry: Mapping[str, Any]) -> str:
    """The summary, or else the first content block (Atom ``<content>`` alone)."""
    summary = _detail_text(entry, "summary")
    if summary:
        return summary
    content = entry.get("content")
    if isinstance(content, list):
        for block in content:
            if isinstance(block, Mapping) and isinstance(block.get("value"), str):
                text = _detail_text({"v": block["value"], "v_detail": block}, "v")
                if text:
                    return text
    return ""


def _moment(entry: Mapping[str, Any], fallback: datetime | None) -> datetime:
    """When the entry was published (else updated); ``fallback`` for a feed without dates."""
    get = _own_field(entry)
    for key in ("published", "updated", "created"):
        parsed = get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time):
            try:
                return check_time(datetime(*parsed[:6], tzinfo=UTC))
            except (ValueError, OverflowError):
                pass
        raw = get(key)
        if isinstance(raw, str) and raw.strip():
            try:
                return parse_timestamp(raw)
            except MalformedPayloadError:
                continue
    if fallback is not None:
        return fallback
    raise MalformedPayloadError("entry has no readable published or updated date")


def _author(entry: Mapping[str, Any], link: str | None, site: str | None) -> tuple[str, str | None]:
    """(handle, display name): the author's name or address, else the link's host, else the
    feed's title (a Google Alerts entry names no author: the site is who wrote it)."""
    detail = entry.get("author_detail")
    detail = detail if isinstance(detail, Mapping) else {}
    name = html_text(str_or_none(detail.get("name")) or str_or_none(entry.get("author")) or "")
    email = str_or_none(detail.get("email")) or ""
    host = urlsplit(link).hostname if link else None
    handle = (name or email.strip() or host or site or "unknown")[:MAX_ID]
    return handle, (name[:MAX_ID] or None)


def entry_key(entry: Mapping[str, Any]) -> str | None:
    """The entry's identity for deduplication: its id (guid), else its unwrapped link."""
    return ident_or_none(str_or_none(entry.get("id")) or None) or ident_or_none(
        unwrap_link(str_or_none(entry.get("link")))
    )


def post_from_entry(
    entry: Any,
    source: str = PLATFORM,
    site: str | None = None,
    lang: str | None = None,
    fallback_time: datetime | None = None,
) -> Post:
    """Map one parsed entry (a feedparser entry, or any mapping shaped like one).

    ``site`` is the feed's title, the author of last resort; ``fallback_time`` dates entries
    of a feed that gives none (the time it was read). Raises ``MalformedPayloadError`` for an
    entry without id and link, or without title and summary.
    """
    if not isinstance(entry, Mapping):
        raise MalformedPayloadError(f"entry is a {type(entry).__name__}, not an object")
    key = entry_key(entry)
    if key is None:
        raise MalformedPayloadError("entry has neither an id nor an http(s) link")
    title = _detail_text(entry, "title")
    summary = _content_text(entry)
    if not title and not summary:
        raise MalformedPayloadError(f"entry {shown(key)} has neither a title nor a summary")
    body = title if not summary or summary == title else f"{title}\n\n{summary}".strip()
    text, notes = post_text(body)
    link = unwrap_link(str_or_none(entry.get("link")))
    handle, name = _author(entry, link, site)
    return Post(
        platform=PLATFORM,
        external_id=key,
        author_id=ident_or_none(handle) or "unknown",
        author_handle=handle,
        author_name=name,
        text=text,
        created_at=_moment(entry, fallback_time),
        thread_key=key,
        url=link,
        subject=title[:MAX_SUBJECT] or None,
        lang=clean_lang(lang),
        source=source,
        raw=clean_raw(_raw(entry)),
        notes=notes,
    )


def _own_field(entry: Mapping[str, Any]) -> Any:
    """``dict.get``, not ``FeedParserDict.get``: that answers "published" with "updated" (and
    warns), so an entry would seem to have a field it lacks."""
    return (lambda key: dict.get(entry, key)) if isinstance(entry, dict) else entry.get


def _raw(entry: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's own fields as sent (strings only: parsed times are not JSON)."""
    get = _own_field(entry)
    keys = ("id", "link", "title", "summary", "published", "updated", "author")
    return {k: get(k) for k in keys if isinstance(get(k), str)}


def parse_document(
    document: bytes, content_type: str | None = None, location: str | None = None
) -> Any:
    """The feed parsed by feedparser, or ``MalformedPayloadError`` saying why it is no feed.

    The bytes go in as a stream: given bytes or a str, feedparser would try them as a file
    name or URL first. ``content_type`` and ``location`` are the HTTP answer's, for the
    encoding and for relative links.
    """
    headers = {"content-type": content_type or "application/xml"}
    if location:
        headers["content-location"] = location
    parsed = feedparser.parse(io.BytesIO(document), response_headers=headers, sanitize_html=True)
    if not parsed.get("version") and not parsed.get("entries"):
        error = parsed.get("bozo_exception")
        reason = f": {_brief(error)}" if error else ""
        raise MalformedPayloadError(f"not an RSS or Atom feed{reason}")
    return parsed


def _brief(error: object) -> str:
    """feedparser's parse error as one short line: "line 2:0: not well-formed (invalid token)"."""
    text = clean_text(str(error)).strip("'\"").replace("<unknown>:", "line ", 1)
    return " ".join(text.split())[:160]


def posts_from_entries(
    entries: Iterable[Any],
    source: str = PLATFORM,
    site: str | None = None,
    lang: str | None = None,
    fallback_time: datetime | None = None,
) -> tuple[list[Post], list[Problem]]:
    """Each entry one post or one problem (naming the entry when it has an id or link)."""
    return each_post(
        entries,
        source,
        lambda entry: post_from_entry(entry, source, site, lang, fallback_time),
        lambda entry: entry_key(entry) if isinstance(entry, Mapping) else None,
    )


def posts_from_document(
    document: bytes,
    source: str = PLATFORM,
    content_type: str | None = None,
    location: str | None = None,
    fallback_time: datetime | None = None,
) -> tuple[list[Post], list[Problem]]:
    """Every entry of an RSS or Atom document; ``MalformedPayloadError`` when it is no feed.

    A feed that is not well-formed XML but still yields entries (feedparser reads it
    leniently) gives its entries and one problem saying so.
    """
    parsed = parse_document(document, content_type, location)
    channel = parsed.get("feed") if isinstance(parsed.get("feed"), Mapping) else {}
    site = html_text(str_or_none(channel.get("title")) or "") or None
    posts, problems = posts_from_entries(
        parsed.get("entries") or [], source, site, channel.get("language"), fallback_time
    )
    if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
        error = parsed["bozo_exception"]
        if not isinstance(error, feedparser.CharacterEncodingOverride):
            problems.append(Problem(source, None, f"feed read leniently: {_brief(error)}"))
    return posts, problems
