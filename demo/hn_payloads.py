"""Hacker News in the demo workspace: "Ask HN" stories about Northwind Labs and their comment
threads, written as Algolia HN Search responses (``/api/v1/search_by_date``).

The stories are told like every other channel's (``demo.scenes`` calls ``HN_STORIES``); this
module turns their lines into search hits: the first line of a story is a story hit with
``title`` and HTML ``story_text``, every reply a comment hit with HTML ``comment_text``,
``parent_id`` and ``story_id``. The demo maps them with ``connectors.hn.posts_from_search``, the
mapping a live sync and the ``hn`` import use. The brand answers as its HN user
(``BRAND.reddit``), registered as a brand account.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from demo.cast import BRAND

# The stories get a ``demo.scenes.Scene`` and the writer ``demo.scenes.Line`` values; both are
# typed ``Any`` here because the scenes import these stories (no import cycle).
Scene = Any
Line = Any

HN_PAGE = 100  # hits per demo search response
FIRST_ID = 46_000_000  # HN item ids of late 2025 are in this range
BRAND_HN_USER = BRAND.reddit


def hn_question(s: Scene) -> None:
    """Ask HN: a candidate asks Northwind Labs' recruiters, who read Hacker News."""
    who = s.lead()
    question, answer = s.qa()
    title = f"Ask HN: {s.say('r_question_title')}"
    root = s.post("hn", s.t0, who, question, kind="question", title=title)
    s.await_answer(root, answer)


def hn_employer(s: Scene) -> None:
    """'Anyone work there?' on Hacker News: the crowd answers, the brand seldom does."""
    who = s.lead()
    title = f"Ask HN: {s.say('r_employer_title')}"
    root = s.post("hn", s.t0, who, s.say("r_employer_body"), kind="crowd", title=title)
    s.crowd(root, "r_employer_reply", 1 + int(s.rng.random() * 5))


HN_STORIES: tuple[tuple[int, Callable[[Scene], None]], ...] = ((55, hn_question), (45, hn_employer))


def _html(text: str) -> str:
    """Text the way HN serves it: escaped, paragraphs opened with ``<p>``."""
    paragraphs = [html.escape(p) for p in text.split("\n") if p]
    return "<p>".join(paragraphs)


def _stamp(t: int) -> str:
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _author(line: Line) -> str:
    return BRAND_HN_USER if line.who.key == BRAND.key else line.who.reddit


class HnSearchPages:
    """Search responses of the brand query, ``HN_PAGE`` hits each, newest first."""

    def __init__(self) -> None:
        self.hits: list[tuple[int, dict[str, Any]]] = []
        self.made = 0

    def add(self, lines: list[Line]) -> Iterator[dict[str, Any]]:
        for line in lines:
            self.hits.append((line.at, self._hit(line)))
        while len(self.hits) > HN_PAGE:
            yield self._response(self.hits[:HN_PAGE])
            self.hits = self.hits[HN_PAGE:]

    def close(self) -> Iterator[dict[str, Any]]:
        if self.hits:
            yield self._response(self.hits)
            self.hits = []

    def _hit(self, line: Line) -> dict[str, Any]:
        self.made += 1
        line.ext = str(FIRST_ID + self.made)
        author = _author(line)
        root = line
        while root.parent is not None:
            root = root.parent
        kind = "story" if line.parent is None else "comment"
        common: dict[str, Any] = {
            "_tags": [kind, f"author_{author}", f"story_{root.ext}"],
            "author": author,
            "children": [],
            "created_at": _stamp(line.at),
            "created_at_i": line.at,
            "objectID": line.ext,
            "updated_at": _stamp(line.at),
        }
        if line.parent is None:
            return {
                **common,
                "num_comments": 0,
                "points": 1,
                "story_id": int(line.ext),
                "story_text": _html(line.text),
                "title": line.title,
                "url": None,
            }
        return {
            **common,
            "comment_text": _html(line.text),
            "parent_id": int(line.parent.ext),
            "points": None,
            "story_id": int(root.ext),
            "story_title": root.title,
            "story_url": None,
        }

    def _response(self, hits: list[tuple[int, dict[str, Any]]]) -> dict[str, Any]:
        ordered = [hit for _, hit in sorted(hits, key=lambda pair: pair[0], reverse=True)]
        return {
            "exhaustive": {"nbHits": True, "typo": True},
            "exhaustiveNbHits": True,
            "exhaustiveTypo": True,
            "hits": ordered,
            "hitsPerPage": HN_PAGE,
            "nbHits": len(ordered),
            "nbPages": 1,
            "page": 0,
            "params": "query=Northwind%20Labs&tags=(story,comment)&hitsPerPage=100",
            "processingTimeMS": 1,
            "query": "Northwind Labs",
            "serverTimeMS": 2,
        }
