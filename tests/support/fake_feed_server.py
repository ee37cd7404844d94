"""A local feed server on 127.0.0.1: documents with real ETag / Last-Modified handling, and faults.

Each path serves one feed document. A GET whose ``If-None-Match`` matches the document's ETag
(or whose ``If-Modified-Since`` is not older than its Last-Modified) answers 304 with no body,
as a web server does. ``faults`` queues answers served before the document (429 or 503 with a
``Retry-After``, 500, a body that is not XML), one per request. Every request is recorded.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"
ATOM = "application/atom+xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"


@dataclass
class Fault:
    """One scripted answer: a status, its headers and body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass
class Document:
    body: bytes
    content_type: str = ATOM
    modified: datetime = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    validators: bool = True  # send ETag and Last-Modified

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    status: int


@dataclass
class FakeFeedServer:
    documents: dict[str, Document] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.base = ""

    def serve(self, path: str, body: bytes, content_type: str = ATOM, **kwargs) -> str:
        """Serve ``body`` at ``path`` (replacing what was there; a query is accepted and
        ignored, as a private feed's token is); returns its full URL."""
        self.documents[path.split("?", 1)[0]] = Document(body, content_type, **kwargs)
        return self.base + path

    def _answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        with self._lock:
            if self.faults:
                fault = self.faults.pop(0)
                return fault.status, fault.headers, fault.body
            document = self.documents.get(path.split("?", 1)[0])
        if document is None:
            return 404, {"Content-Type": "text/html"}, b"<html><body>Not found</body></html>"
        if document.validators and _unchanged(document, headers):
            return 304, {"ETag": document.etag}, b""
        sent = {"Content-Type": document.content_type}
        if document.validators:
            sent |= {
                "ETag": document.etag,
                "Last-Modified": format_datetime(document.modified, True),
            }
        return 200, sent, document.body

    def start(self) -> str:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, sent, body = server._answer(self.path, headers)
                with server._lock:
                    server.requests.append(Request(self.path, headers, status))
                self.send_response(status)
                for key, value in sent.items():
                    self.send_header(key, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

            def log_message(self, *args):
                """Keep test output quiet."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        return self.base

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _unchanged(document: Document, headers: dict[str, str]) -> bool:
    """RFC 9110: If-None-Match decides when sent; else If-Modified-Since."""
    if "if-none-match" in headers:
        return document.etag in [tag.strip() for tag in headers["if-none-match"].split(",")]
    since = headers.get("if-modified-since")
    if since:
        try:
            return document.modified <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def feed_file(name: str) -> bytes:
    """A hand-written feed of tests/data/feeds (see tests/data/README.md)."""
    return (FEEDS / name).read_bytes()
