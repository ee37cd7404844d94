"""The demo's RSS/Atom feeds: candidates' blog posts, job-forum threads and Google Alerts.

Stories here are single posts (a feed has no replies: the brand answers on the site itself).
``FeedDocuments`` writes them as the documents a live sync would fetch: a Google Alerts Atom
feed (links wrapped in ``https://www.google.com/url?…&url=…``, ``<b>`` around the brand, no
author) and RSS 2.0 feeds of blogs and a job forum. ``connectors.feed.posts_from_document``
maps them, as it maps a live feed. Deterministic like the rest of the demo: ids from counters,
no clock, no ``hash()``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from html import escape
from typing import Any
from urllib.parse import quote

# The stories get a ``demo.scenes.Scene`` and the writer ``demo.scenes.Line`` values; both are
# typed ``Any`` here because the scenes import these stories (no import cycle).
Scene = Any
Line = Any

FEED_PAGE = 20  # entries per document, as Google Alerts lists about 20
_BLOG_POSTS = (
    (
        "complaint",
        "Three interviews at Northwind Labs, then silence",
        "I did three rounds for the {role} role in {city}. It has been {weeks} weeks and "
        "nobody at Northwind Labs has told me where I stand. Has anyone heard back from "
        "their recruiters?",
    ),
    (
        "complaint",
        "Why I withdrew my application at Northwind Labs",
        "The take-home for the {role} job took a whole weekend, and the feedback never came. "
        "I asked twice. Northwind Labs, candidates talk to each other.",
    ),
    (
        "praise",
        "The best interview I had this year: Northwind Labs",
        "Clear steps, a recruiter who called back the same day, and honest answers about the "
        "{role} team in {city}. More companies should hire like this.",
    ),
    (
        "question",
        "Does Northwind Labs sponsor visas for engineers?",
        "I am weighing an offer for the {role} position in {city}. Does anyone know whether "
        "Northwind Labs helps with the visa and the move?",
    ),
)
_NEWS = (
    "<b>Northwind Labs</b> opens an engineering office in {city}",
    "<b>Northwind Labs</b> plans to hire 40 engineers this year",
    "What it is like to work at <b>Northwind Labs</b>: employees speak",
    "<b>Northwind Labs</b> named among the best places to start a career in tech",
)
_NEWS_LEAD = (
    "The company behind the logistics software will grow its {role} teams in {city}, "
    "a spokesperson said&nbsp;..."
)
_SITES = ("technews.example.net", "careers-weekly.example.com", "citypaper.example.org")


def f_blog(s: Scene) -> None:
    """A candidate's blog post about the employer, found in the blog's own feed."""
    who = s.lead()
    s.lang = "en"
    kind, title, body = _BLOG_POSTS[int(s.rng.random() * len(_BLOG_POSTS))]
    s.post("feed", s.t0, who, s.fill(body, who), kind=kind, title=title, venue="blog")


def f_forum(s: Scene) -> None:
    """A question in a job forum's "employer reviews" category."""
    who = s.lead()
    s.lang = "en"
    text = s.fill(
        "The recruiter promised a call on {weekday} about the {role} role. Nothing yet. "
        "Is this normal for Northwind Labs?",
        who,
    )
    s.post(
        "feed", s.t0, who, text, kind="question", title="Northwind Labs recruiter", venue="forum"
    )


def f_alert(s: Scene) -> None:
    """A news article Google Alerts found for the brand."""
    who = s.lead()
    s.lang = "en"
    title = s.fill(_NEWS[int(s.rng.random() * len(_NEWS))])
    s.post("feed", s.t0, who, s.fill(_NEWS_LEAD), kind="news", title=title, venue="alerts")


FEED_STORIES = ((45, f_blog), (25, f_forum), (30, f_alert))


def _rfc822(t: int) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(t))


def _iso(t: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def _slug(text: str) -> str:
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    return "-".join(w for w in words if w != "b")[:60]


class FeedDocuments:
    """Feed lines as documents: ``FEED_PAGE`` entries each, one kind of feed per document."""

    def __init__(self, payload: Callable[[str, object], Any]) -> None:
        self.payload = payload  # demo.payloads.DemoPayload, which imports this module
        self.held: dict[str, list[Line]] = {"alerts": [], "blog": [], "forum": []}
        self.count = 0

    def add(self, lines: list[Line]) -> Iterator[Any]:
        for line in lines:
            self.count += 1
            line.ext = str(self.count)
            held = self.held[line.venue]
            held.append(line)
            if len(held) >= FEED_PAGE:
                yield self._document(line.venue)

    def close(self) -> Iterator[Any]:
        for venue in self.held:
            if self.held[venue]:
                yield self._document(venue)

    def _document(self, venue: str) -> Any:
        lines, self.held[venue] = self.held[venue], []
        lines.sort(key=lambda line: (-line.at, line.ext))  # newest first, as feeds list
        body = _alerts(lines) if venue == "alerts" else _rss(venue, lines)
        return self.payload("feed_document", body)


def _alerts(lines: list[Line]) -> bytes:
    """A Google Alerts feed: Atom with wrapped links, HTML titles and no author."""
    entries = []
    for line in lines:
        site = _SITES[int(line.ext) % len(_SITES)]
        article = (
            f"https://{site}/{time.strftime('%Y/%m', time.gmtime(line.at))}/{_slug(line.title)}"
        )
        wrapped = (
            f"https://www.google.com/url?rct=j&sa=t&url={quote(article, safe=':/')}"
            f"&ct=ga&cd=CAIyGjNkZW1v&usg=AOvVaw{int(line.ext):022d}"
        )
        entries.append(
            f"<entry>\n<id>tag:google.com,2013:googlealerts/feed:{10**18 + int(line.ext)}</id>\n"
            f'<title type="html">{escape(line.title)}</title>\n'
            f'<link href="{escape(wrapped)}"></link>\n'
            f"<published>{_iso(line.at)}</published>\n<updated>{_iso(line.at)}</updated>\n"
            f'<content type="html">{escape(line.text)}</content>\n'
            "<author><name></name></author>\n</entry>"
        )
    newest = _iso(lines[0].at)
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:idx="urn:atom-extension:indexing">\n'
        "<id>tag:google.com,2005:reader/user/00000000000000000000/state/com.google/alerts/"
        "10000000000000000001</id>\n<title>Google Alert - Northwind Labs</title>\n"
        '<link href="https://www.google.com/alerts/feeds/00000000000000000000/'
        '10000000000000000001" rel="self"></link>\n'
        f"<updated>{newest}</updated>\n" + "\n".join(entries) + "\n</feed>\n"
    ).encode()


def _rss(venue: str, lines: list[Line]) -> bytes:
    """An RSS 2.0 channel: a blog platform's combined feed, or a job forum's category."""
    if venue == "forum":
        base, title = "https://forum.example.com", "Job seekers forum: employer reviews"
    else:
        base, title = "https://blogs.example.org", "Career notes from job seekers"
    items = []
    for line in lines:
        day = time.strftime("%Y/%m/%d", time.gmtime(line.at))
        link = f"{base}/{line.who.handle.lower()}/{day}/{_slug(line.title)}-{line.ext}"
        items.append(
            f"  <item>\n    <title>{escape(line.title)}</title>\n    <link>{link}</link>\n"
            f"    <description>{escape(f'<p>{escape(line.text)}</p>')}</description>\n"
            f"    <dc:creator>{escape(line.who.name)}</dc:creator>\n"
            f'    <guid isPermaLink="true">{link}</guid>\n'
            f"    <pubDate>{_rfc822(line.at)}</pubDate>\n  </item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
        f"  <title>{title}</title>\n  <link>{base}/</link>\n  <language>en</language>\n"
        f"  <description>Posts about employers</description>\n"
        f"  <lastBuildDate>{_rfc822(lines[0].at)}</lastBuildDate>\n"
        + "\n".join(items)
        + "\n</channel>\n</rss>\n"
    ).encode()


def feed_entries(document: bytes) -> int:
    """How many entries a demo feed holds, counted without parsing it."""
    return document.count(b"<item>") + document.count(b"<entry>")


__all__ = ["FEED_STORIES", "FeedDocuments", "feed_entries"]
