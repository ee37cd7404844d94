"""Mastodon: mapping statuses (from timelines, search, notifications and saved pages) to posts.

Everything here is pure. The live connector (``mastodon_api``), ``cli.py import --format
mastodon`` and the demo workspace all call ``posts_from_page``, so a status maps the same way
whichever road it came by.

A status's ``content`` is HTML written by whichever server the author is on. It becomes plain
text here: paragraphs and line breaks become newlines, a mention link becomes the mentioned
account's full ``@user@domain`` (so a mention of the brand is recognised as one), a link
becomes its full address, and nothing else of the markup survives. The text is shown escaped,
like every post's, so a ``<script>`` in a status is a few visible characters and nothing more.

Threads: a status names only its parent (``in_reply_to_id``), never its thread's root. The root
is found along the chain of parents in the same page, then through ``known`` (the thread keys
of parents stored earlier); a chain that leaves both ends at the first unknown parent, whose id
becomes the thread key. No extra request is made for it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from connectors.base import (
    MAX_ID,
    MalformedPayloadError,
    Post,
    Problem,
    clean_lang,
    clean_raw,
    count_or_none,
    ident,
    ident_or_none,
    post_text,
    str_or_none,
    time_field,
    url_or_none,
)

PLATFORM = "mastodon"
# Notification types whose status speaks to the brand account.
ADDRESSED_TYPES = frozenset({"mention", "quote"})
_BLOCKS = frozenset({"p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4"})
_SILENT = frozenset({"script", "style", "template", "head", "title"})
_TAG = re.compile(r"<[^>]*>?")
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\r\f\v]+")


# ---------------------------------------------------------------------------- HTML to text


class _TextOf(HTMLParser):
    """Collects the text a reader sees in a status's HTML, with mentions spelled out."""

    def __init__(self, mentions: Mapping[str, str]) -> None:
        super().__init__(convert_charrefs=True)
        self.mentions = mentions
        self.parts: list[str] = []
        self.silent = 0
        self.mention_depth = 0  # > 0 inside a mention link, whose own text is replaced

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SILENT:
            self.silent += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.mention_depth:
            self.mention_depth += 1
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            acct = self.mentions.get(href)
            if acct is not None:
                self.parts.append(f"@{acct}")
                self.mention_depth = 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SILENT:
            self.silent = max(0, self.silent - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "a" and self.mention_depth:
            self.mention_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.silent and not self.mention_depth:
            self.parts.append(data)


def html_to_text(content: str, mentions: Mapping[str, str] | None = None) -> str:
    """Plain text of a status's HTML ``content``: no tag, no entity, no markup of any kind.

    ``mentions`` maps a mention link's address to the account's ``user@domain``; such a link
    becomes ``@user@domain``. Markup the parser cannot read falls back to dropping every tag.
    """
    parser = _TextOf(mentions or {})
    try:
        parser.feed(content)
        if parser.rawdata.lstrip().startswith("<"):  # a tag or comment left open at the end
            parser.rawdata = ""
        parser.close()
        text = "".join(parser.parts)
    except (AssertionError, ValueError):  # html.parser's few hard failures on broken markup
        text = html.unescape(_TAG.sub(" ", content))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# ---------------------------------------------------------------------------- accounts


def qualified_acct(account: Mapping[str, Any]) -> str | None:
    """``user@domain`` of an account: a local account's ``acct`` is the bare name, so its
    server's host (from the profile address) is added; None when there is no name."""
    acct = str_or_none(account.get("acct")) or str_or_none(account.get("username"))
    if not acct:
        return None
    acct = acct.strip().lstrip("@")
    if "@" in acct:
        return acct[:MAX_ID]
    host = _host(account.get("url"))
    return (f"{acct}@{host}" if host else acct)[:MAX_ID]


def _host(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > 2048:
        return None
    try:
        host = urlsplit(value).hostname
    except ValueError:
        return None
    return str_or_none(host)


def _mention_links(status: Mapping[str, Any]) -> dict[str, str]:
    """Mention link address -> ``user@domain``, from the status's ``mentions`` list."""
    found: dict[str, str] = {}
    mentions = status.get("mentions")
    for mention in mentions if isinstance(mentions, list) else []:
        if not isinstance(mention, dict):
            continue
        url, acct = mention.get("url"), qualified_acct(mention)
        if isinstance(url, str) and acct:
            found[url] = acct
    return found


# ---------------------------------------------------------------------------- statuses


def _text(status: Mapping[str, Any], status_id: str) -> str:
    content = status.get("content")
    if not isinstance(content, str):
        raise MalformedPayloadError(f"status {status_id}: content is missing or not a string")
    text = html_to_text(content, _mention_links(status))
    warning = str_or_none(status.get("spoiler_text"))
    return f"{warning.strip()}\n\n{text}" if warning and warning.strip() else text


def post_from_status(status: Any, source: str = PLATFORM, thread_key: str | None = None) -> Post:
    """Map one Mastodon ``Status``; a boost is mapped as the status it boosts.

    ``thread_key`` is the thread's root when the caller resolved it (``thread_keys``); without
    it the parent's id stands in, or the status's own for a status that replies to nothing.
    """
    if not isinstance(status, dict):
        raise MalformedPayloadError(f"status is a {type(status).__name__}, not an object")
    if isinstance(status.get("reblog"), dict):
        status = status["reblog"]
    status_id = ident(status.get("id"), "status id")
    account = status.get("account")
    if not isinstance(account, dict):
        raise MalformedPayloadError(f"status {status_id} lacks field 'account'")
    author_id = ident(account.get("id"), f"status {status_id}: account id")
    created_at = time_field(status, "created_at", f"status {status_id}")
    text, notes = post_text(_text(status, status_id))
    handle = qualified_acct(account) or author_id
    parent = ident_or_none(status.get("in_reply_to_id"))
    url = str_or_none(status.get("url")) or str_or_none(status.get("uri"))
    return Post(
        platform=PLATFORM,
        external_id=status_id,
        author_id=author_id,
        author_handle=handle,
        author_name=str_or_none(account.get("display_name"), MAX_ID) or None,
        author_reach=count_or_none(account.get("followers_count")),
        text=text,
        created_at=created_at,
        thread_key=ident_or_none(thread_key) or parent or status_id,
        parent_external_id=parent,
        reply_to=(parent,) if parent else (),
        url=url_or_none(url) if url and url.startswith(("https://", "http://")) else None,
        lang=clean_lang(status.get("language")),
        to_account=ident_or_none(status.get("in_reply_to_account_id")),
        source=source,
        raw=clean_raw(status),
        notes=notes,
    )


def statuses_of(page: Any) -> tuple[list[Any], list[str]]:
    """The statuses of one saved or fetched response, and why any part was not read.

    Reads a list of statuses (timelines, account statuses), a list of notifications (the
    statuses of mentions and quotes; other notification types carry no post), a search result
    (``{"statuses": [...]}``) and a thread context (``{"ancestors": [...], "descendants":
    [...]}``).
    """
    if isinstance(page, dict):
        if "statuses" in page:
            page = page["statuses"]
        elif "ancestors" in page or "descendants" in page:
            parts = [page.get("ancestors"), page.get("descendants")]
            if not all(isinstance(part, list) for part in parts if part is not None):
                return [], ["context ancestors/descendants are not lists"]
            page = [item for part in parts for item in part or []]
        else:
            return [], ["Mastodon page is an object without statuses"]
    if not isinstance(page, list):
        return [], [f"Mastodon page is a {type(page).__name__}, not a list of statuses"]
    statuses: list[Any] = []
    for item in page:
        if isinstance(item, dict) and "type" in item and "content" not in item:
            kind = item.get("type")
            if isinstance(kind, str) and kind in ADDRESSED_TYPES:
                statuses.append(item.get("status"))
            continue
        statuses.append(item)
    return statuses, []


def _parent_of(status: Any) -> tuple[str | None, str | None]:
    """(id, parent id) of a status, whatever is broken about it (boosts: the boosted one)."""
    if not isinstance(status, dict):
        return None, None
    if isinstance(status.get("reblog"), dict):
        status = status["reblog"]
    return ident_or_none(status.get("id")), ident_or_none(status.get("in_reply_to_id"))


def thread_keys(statuses: Iterable[Any], known: Mapping[str, str] | None = None) -> dict[str, str]:
    """Status id -> its thread's root, following ``in_reply_to_id`` through ``statuses`` and
    then ``known`` (stored posts' thread keys); an unknown parent ends the chain as the root."""
    known = known or {}
    parents: dict[str, str | None] = {}
    for status in statuses:
        status_id, parent_id = _parent_of(status)
        if status_id is not None:
            parents[status_id] = parent_id
    roots: dict[str, str] = {}
    for start in parents:
        seen = [start]
        current = start
        while True:
            if current in roots:
                root = roots[current]
                break
            parent = parents.get(current)
            if parent is None:
                root = current
                break
            if parent in known:
                root = known[parent]
                break
            if parent not in parents or parent in seen:  # unknown parent, or a loop
                root = parent
                break
            seen.append(parent)
            current = parent
        for status_id in seen:
            roots[status_id] = root
    return roots


def parent_ids(page: Any) -> set[str]:
    """The parents a page's statuses reply to (to look up their stored thread keys)."""
    statuses, _ = statuses_of(page)
    return {parent for _, parent in map(_parent_of, statuses) if parent}


def posts_from_page(
    page: Any, source: str = PLATFORM, known: Mapping[str, str] | None = None
) -> tuple[list[Post], list[Problem]]:
    """All posts of one response page; an unmappable status becomes a problem, not an error."""
    statuses, reasons = statuses_of(page)
    problems = [Problem(source, None, reason) for reason in reasons]
    roots = thread_keys(statuses, known)
    posts: list[Post] = []
    for status in statuses:
        status_id, _ = _parent_of(status)
        try:
            posts.append(post_from_status(status, source, roots.get(status_id or "")))
        except MalformedPayloadError as exc:
            problems.append(Problem(source, status_id, str(exc)))
        except RecursionError:
            problems.append(Problem(source, status_id, "status nested too deeply"))
    return posts, problems


__all__ = [
    "PLATFORM",
    "html_to_text",
    "parent_ids",
    "post_from_status",
    "posts_from_page",
    "qualified_acct",
    "statuses_of",
    "thread_keys",
]
