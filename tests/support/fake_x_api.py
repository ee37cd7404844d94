"""A local fake of the X API v2 recent search on 127.0.0.1: real paging, since_id, and faults.

It serves a fixed set of tweets newest first, 100 a page, honours ``since_id`` and
``next_token`` like the real API, and can inject faults at random (seeded): 429 with
``x-rate-limit-reset``, 500/503, a response slower than the client's timeout, truncated JSON and
garbage. Tests and benchmarks share it.
"""

from __future__ import annotations

import json
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from tests.support.x_pages import snowflake

FAULTS = ("429", "500", "503", "slow", "truncated", "garbage")
BRAND_ID, BRAND_HANDLE = "100", "NorthwindLabs"


def conversation_tweets(count: int, start: datetime | None = None) -> list[dict]:
    """``count`` tweets: candidates' questions, every third answered by the brand an hour later."""
    start = start or datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    tweets: list[dict] = []
    index = 0
    while len(tweets) < count:
        at = start + timedelta(minutes=7 * index)
        question_id = snowflake(at, index % 4096)
        author = str(1000 + index % 700)
        tweets.append(
            {
                "id": question_id,
                "author_id": author,
                "created_at": _stamp(at),
                "text": f"@{BRAND_HANDLE} is the role {index} open to remote workers?",
                "conversation_id": question_id,
                "lang": "en",
            }
        )
        if index % 3 == 0 and len(tweets) < count:
            answer_at = at + timedelta(hours=1)
            tweets.append(
                {
                    "id": snowflake(answer_at, (index + 2048) % 4096),
                    "author_id": BRAND_ID,
                    "created_at": _stamp(answer_at),
                    "text": f"@u{author} yes, remote within the EU is fine!",
                    "conversation_id": question_id,
                    "lang": "en",
                    "referenced_tweets": [{"type": "replied_to", "id": question_id}],
                }
            )
        index += 1
    return tweets


def _stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _user(user_id: str) -> dict:
    handle = BRAND_HANDLE if user_id == BRAND_ID else f"u{user_id}"
    return {
        "id": user_id,
        "username": handle,
        "name": handle,
        "public_metrics": {"followers_count": 10},
    }


def page_of(tweets: list[dict]) -> dict:
    """One v2 page holding ``tweets`` with their authors expanded."""
    users = sorted({t["author_id"] for t in tweets})
    return {
        "data": tweets,
        "includes": {"users": [_user(u) for u in users]},
        "meta": {"result_count": len(tweets)},
    }


@dataclass
class FakeXApi:
    tweets: list[dict]
    fault_rate: float = 0.0
    seed: int = 0
    page_size: int = 100
    slow_seconds: float = 2.0
    faults_served: list[str] = field(default_factory=list)
    items_served: int = 0

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self.tweets = sorted(self.tweets, key=lambda t: int(t["id"]), reverse=True)

    def page(self, params: dict[str, str]) -> dict:
        since = int(params.get("since_id") or 0)
        offset = int((params.get("next_token") or "o0")[1:])
        newer = [t for t in self.tweets if int(t["id"]) > since]
        chunk = newer[offset : offset + self.page_size]
        meta: dict = {"result_count": len(chunk)}
        if chunk:
            meta.update(newest_id=chunk[0]["id"], oldest_id=chunk[-1]["id"])
        if offset + self.page_size < len(newer):
            meta["next_token"] = f"o{offset + self.page_size}"
        body: dict = {"meta": meta}
        if chunk:
            users = sorted({t["author_id"] for t in chunk})
            body.update(data=chunk, includes={"users": [_user(u) for u in users]})
        with self._lock:
            self.items_served += len(chunk)
        return body

    def pick_fault(self) -> str | None:
        with self._lock:
            if self._rng.random() < self.fault_rate:
                fault = self._rng.choice(FAULTS)
                self.faults_served.append(fault)
                return fault
        return None

    def start(self) -> str:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path != "/2/tweets/search/recent":
                    return self._send(200, b'{"meta": {"result_count": 0}}')
                fault = api.pick_fault()
                if fault == "429":
                    return self._send(
                        429,
                        b'{"title":"Too Many Requests"}',
                        {"x-rate-limit-reset": str(int(time.time()) + 1)},
                    )
                if fault in ("500", "503"):
                    return self._send(int(fault), b'{"title":"Server Error"}')
                if fault == "slow":
                    time.sleep(api.slow_seconds)
                body = json.dumps(api.page(query)).encode()
                if fault == "truncated":
                    body = body[: len(body) // 2]
                elif fault == "garbage":
                    body = b"<html>upstream hiccup</html>"
                return self._send(200, body)

            def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
                self.send_response(status)
                self.send_header("content-type", "application/json")
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client gave up (timeout): nothing more to send

            def log_message(self, *args):
                """Keep test output quiet."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
