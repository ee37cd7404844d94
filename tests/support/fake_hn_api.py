"""A local fake of the Algolia HN Search API (``/api/v1/search_by_date``) on 127.0.0.1.

It serves a set of hits newest first and honours what the connector sends like Algolia does:
``query`` (every word, case-insensitive, in the title or text), ``tags`` (``(story,comment)``
and ``author_USER``), ``numericFilters`` on ``created_at_i`` (``>``, ``>=``, ``<``, ``<=``),
``hitsPerPage`` and ``page``, with Algolia's ceiling of 1,000 reachable hits. Faults can be
queued per request: ``429`` (with or without ``Retry-After``), ``400``, ``500``, ``garbage``, ``malformed``.
The hits are hand-written in the shape of real Algolia answers (see tests/data/README.md).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

CEILING = 1000
BRAND_USER = "northwind_labs"
_FILTER = re.compile(r"created_at_i(<=|>=|<|>)(\d+)")


def story(item_id: int, at: datetime, author: str, title: str, text: str | None = None) -> dict:
    """A story hit as Algolia returns it (``story_text`` is null on a link story)."""
    return {
        "_highlightResult": {"title": {"value": title, "matchLevel": "none", "matchedWords": []}},
        "_tags": ["story", f"author_{author}", f"story_{item_id}"],
        "author": author,
        "children": [],
        "created_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "created_at_i": int(at.timestamp()),
        "num_comments": 0,
        "objectID": str(item_id),
        "points": 3,
        "story_id": item_id,
        "story_text": text,
        "title": title,
        "updated_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "url": None if text else f"https://blog.example.org/{item_id}",
    }


def comment(
    item_id: int, at: datetime, author: str, html: str, parent: int, story_id: int, title: str
) -> dict:
    """A comment hit as Algolia returns it: HTML text, its parent and its story."""
    return {
        "_highlightResult": {"comment_text": {"value": html, "matchLevel": "none"}},
        "_tags": ["comment", f"author_{author}", f"story_{story_id}"],
        "author": author,
        "children": [],
        "comment_text": html,
        "created_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "created_at_i": int(at.timestamp()),
        "objectID": str(item_id),
        "parent_id": parent,
        "points": None,
        "story_id": story_id,
        "story_title": title,
        "story_url": f"https://blog.example.org/{story_id}",
        "updated_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def conversation(count: int, start: datetime, first_id: int = 46000000) -> list[dict]:
    """``count`` hits: stories about Northwind Labs, each with a question comment, every
    third question answered by the brand account (whose answer does not name the brand)."""
    hits: list[dict] = []
    index = 0
    while len(hits) < count:
        at = start + timedelta(minutes=7 * index)
        story_id = first_id + 10 * index
        title = f"Northwind Labs is hiring {index} engineers"
        hits.append(story(story_id, at, f"poster{index}", title))
        if len(hits) < count:
            hits.append(
                comment(
                    story_id + 1,
                    at + timedelta(minutes=2),
                    f"candidate{index}",
                    f"<p>Does Northwind Labs sponsor visas for role {index}?",
                    story_id,
                    story_id,
                    title,
                )
            )
        if index % 3 == 0 and len(hits) < count:
            hits.append(
                comment(
                    story_id + 2,
                    at + timedelta(minutes=40),
                    BRAND_USER,
                    "Yes, we sponsor visas &amp; relocation.<p>Write to careers@example.com",
                    story_id + 1,
                    story_id,
                    title,
                )
            )
        index += 1
    return hits


@dataclass
class FakeHnApi:
    hits: list[dict]
    faults: list[str] = field(default_factory=list)  # served one per request, in order
    requests: list[dict[str, str]] = field(default_factory=list)
    items_served: int = 0
    stop_after: int | None = None  # answer 500 to every request after this many
    base: str = ""  # the server's URL once started

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def add(self, hits: list[dict]) -> None:
        self.hits = self.hits + hits

    def _matches(self, hit: dict, params: dict[str, str]) -> bool:
        text = " ".join(str(hit.get(k) or "") for k in ("title", "story_text", "comment_text"))
        words = params.get("query", "").lower().split()
        if any(word not in text.lower() for word in words):
            return False
        for tag in re.findall(r"author_[^,()]+", params.get("tags", "")):
            if tag not in hit["_tags"]:
                return False
        for op, value in _FILTER.findall(params.get("numericFilters", "")):
            at, bound = hit["created_at_i"], int(value)
            if not {">": at > bound, ">=": at >= bound, "<": at < bound, "<=": at <= bound}[op]:
                return False
        return True

    def search(self, params: dict[str, str]) -> dict:
        per_page = int(params.get("hitsPerPage", "20"))
        page = int(params.get("page", "0"))
        found = sorted(
            (h for h in self.hits if self._matches(h, params)),
            key=lambda h: (h["created_at_i"], int(h["objectID"])),
            reverse=True,
        )
        reachable = found[:CEILING]
        chunk = reachable[page * per_page : (page + 1) * per_page]
        with self._lock:
            self.items_served += len(chunk)
        return {
            "exhaustive": {"nbHits": True, "typo": True},
            "exhaustiveNbHits": True,
            "exhaustiveTypo": True,
            "hits": chunk,
            "hitsPerPage": per_page,
            "nbHits": len(found),
            "nbPages": -(-len(reachable) // per_page),
            "page": page,
            "params": "&".join(f"{k}={v}" for k, v in params.items()),
            "processingTimeMS": 1,
            "query": params.get("query", ""),
            "serverTimeMS": 2,
        }

    def _fault(self) -> str | None:
        with self._lock:
            if self.stop_after is not None and len(self.requests) > self.stop_after:
                return "500"
            return self.faults.pop(0) if self.faults else None

    def start(self) -> str:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                with api._lock:
                    api.requests.append(params)
                if url.path != "/api/v1/search_by_date":
                    return self._send(404, b'{"message":"Not Found","status":404}')
                fault = api._fault()
                if fault == "429":
                    return self._send(429, b'{"message":"Too many requests"}', {"Retry-After": "7"})
                if fault == "429-bare":
                    return self._send(429, b'{"message":"Too many requests"}')
                if fault == "400":
                    body = b'{"message":"Invalid value for numericFilters","status":400}'
                    return self._send(400, body)
                if fault == "500":
                    return self._send(500, b'{"message":"Internal error"}')
                if fault == "garbage":
                    return self._send(200, b"<html>502 Bad Gateway</html>")
                if fault == "malformed":
                    body = api.search(params)
                    body["hits"] = [{"objectID": "bad", "author": None}, *body["hits"]]
                    return self._send(200, json.dumps(body).encode())
                return self._send(200, json.dumps(api.search(params)).encode())

            def _send(self, status: int, body: bytes, headers: dict | None = None):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self.base

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
NOW = START + timedelta(days=10)
__all__ = ["BRAND_USER", "NOW", "START", "FakeHnApi", "comment", "conversation", "story"]
