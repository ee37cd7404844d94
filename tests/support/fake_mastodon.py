"""A local fake Mastodon instance on 127.0.0.1: the endpoints Full Circle uses, with real paging
and rate-limit headers, and faults a test queues.

Lists come newest first and honour ``since_id``, ``min_id`` (as a lower bound, like search),
``max_id`` and ``limit`` like Mastodon's; every answer carries ``X-RateLimit-Limit``,
``X-RateLimit-Remaining`` (counting down from ``remaining``), ``X-RateLimit-Reset`` (ISO 8601)
and ``Date``. ``POST /api/v1/statuses`` creates a status once per ``Idempotency-Key``.
Queued faults are served one per GET (the instance description aside): ``("ok",)`` (no
fault), ``("429", seconds)``, ``("500",)``, ``("503",)``, ``("garbage",)`` and ``("drop",)``
(the connection closes without an answer).
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.support.mastodon_statuses import BRAND, START, stamp, status_id

_TAG = re.compile(r"^/api/v1/timelines/tag/([^/]+)$")
_ACCOUNT_STATUSES = re.compile(r"^/api/v1/accounts/([^/]+)/statuses$")
_STATUS = re.compile(r"^/api/v1/statuses/([^/]+)$")


INSTANCE_V2 = {
    "domain": "northwind.social",
    "title": "Northwind Social",
    "version": "4.5.0",
    "source_url": "https://github.com/mastodon/mastodon",
    "description": "A fake instance for tests.",
    "usage": {"users": {"active_month": 12}},
    "api_versions": {"mastodon": 7},
    "configuration": {
        "urls": {"streaming": "wss://northwind.social"},
        "timelines_access": {
            "live_feeds": {"local": "public", "remote": "public"},
            "hashtag_feeds": {"local": "public", "remote": "public"},
            "trending_link_feeds": {"local": "public", "remote": "public"},
        },
    },
}


def _tag_names(item: dict) -> list[str]:
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    return [str(t.get("name", "")).lower() for t in tags if isinstance(t, dict)]


def _key(value: str) -> tuple[int, str]:
    return len(value), value


@dataclass
class FakeMastodon:
    statuses: list[dict] = field(default_factory=list)  # the hashtag timeline and search
    notifications: list[dict] = field(default_factory=list)
    accounts: dict[str, dict] = field(default_factory=lambda: {BRAND["acct"]: BRAND})
    remaining: int = 300
    faults: list[tuple[Any, ...]] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)
    posted: dict[str, dict] = field(default_factory=dict)  # Idempotency-Key -> status
    reset_seconds: int = 300
    items_served: int = 0  # statuses and notifications sent in list answers

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -------------------------------------------------------------------- answers

    def _window(self, items: list[dict], params: dict[str, str]) -> list[dict]:
        ordered = sorted(items, key=lambda item: _key(item["id"]), reverse=True)
        low = params.get("since_id") or params.get("min_id")
        high = params.get("max_id")
        if low:
            ordered = [i for i in ordered if _key(i["id"]) > _key(low)]
        if high:
            ordered = [i for i in ordered if _key(i["id"]) < _key(high)]
        served = ordered[: int(params.get("limit") or 20)]
        self.items_served += len(served)
        return served

    def _all_statuses(self) -> list[dict]:
        return [*self.statuses, *self.posted.values()]

    def answer(
        self,
        method: str,
        path: str,
        params: dict[str, str],
        form: dict[str, str],
        headers: dict[str, str],
    ) -> tuple[int, Any]:
        if method == "POST" and path == "/api/v1/statuses":
            return 200, self._post(form, headers.get("Idempotency-Key") or "")
        if path.rstrip("/") == "/api/v2/instance":  # Mastodon.py checks hashtag feeds are open
            return 200, INSTANCE_V2
        if path == "/api/v1/accounts/lookup":
            found = self.accounts.get(params.get("acct", "").removesuffix("@northwind.social"))
            return (200, found) if found else (404, {"error": "Record not found"})
        if match := _TAG.match(path):
            tag = match.group(1).lower()
            tagged = [s for s in self.statuses if tag in _tag_names(s)]
            return 200, self._window(tagged, params)
        if path == "/api/v2/search":
            query = params.get("q", "").lower()
            found = [s for s in self.statuses if query in str(s.get("content")).lower()]
            return 200, {"accounts": [], "statuses": self._window(found, params), "hashtags": []}
        if path == "/api/v1/notifications":
            return 200, self._window(self.notifications, params)
        if match := _ACCOUNT_STATUSES.match(path):
            own = [s for s in self._all_statuses() if s["account"]["id"] == match.group(1)]
            return 200, self._window(own, params)
        if match := _STATUS.match(path):
            found = [s for s in self._all_statuses() if s["id"] == match.group(1)]
            return (200, found[0]) if found else (404, {"error": "Record not found"})
        return 404, {"error": "Not found"}

    def _post(self, form: dict[str, str], key: str) -> dict:
        with self._lock:
            if key and key in self.posted:
                return self.posted[key]
            parent = next(s for s in self._all_statuses() if s["id"] == form["in_reply_to_id"])
            created = {
                **parent,
                "id": status_id(900_000 + len(self.posted)),
                "created_at": stamp(START + timedelta(days=30)),
                "in_reply_to_id": parent["id"],
                "in_reply_to_account_id": parent["account"]["id"],
                "visibility": form.get("visibility", "public"),
                "content": f"<p>{form['status']}</p>",
                "account": BRAND,
                "mentions": [],
            }
            self.posted[key or created["id"]] = created
            return created

    # -------------------------------------------------------------------- server

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _serve(self, method: str) -> None:
                url = urlparse(self.path)
                params = {k.removesuffix("[]"): v[0] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                form = {k: v[0] for k, v in parse_qs(raw).items()}
                headers = {k: v for k, v in self.headers.items()}
                with fake._lock:
                    key = {"Idempotency-Key": headers.get("Idempotency-Key", "")}
                    fake.requests.append((method, url.path, {**params, **form, **key}))
                    listing = method == "GET" and "instance" not in url.path
                    fault = fake.faults.pop(0) if fake.faults and listing else None
                    fake.remaining = max(0, fake.remaining - 1)
                    remaining = fake.remaining
                if fault and fault[0] == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if fault and fault[0] == "429":
                    return self._send(429, {"error": "Too many requests"}, 0, fault[1])
                if fault and fault[0] in ("500", "503"):
                    return self._send(int(fault[0]), {"error": "Server error"}, remaining)
                if fault and fault[0] == "garbage":
                    return self._send(200, None, remaining, body=b"<html>maintenance</html>")
                code, body = fake.answer(method, url.path, params, form, headers)
                self._send(code, body, remaining)

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

            def _send(
                self,
                code: int,
                payload: Any,
                remaining: int,
                reset: int | None = None,
                body: bytes | None = None,
            ) -> None:
                data = body if body is not None else json.dumps(payload).encode()
                resets = datetime.now(UTC) + timedelta(seconds=reset or fake.reset_seconds)
                self.send_response(code)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("X-RateLimit-Limit", "300")
                self.send_header("X-RateLimit-Remaining", str(remaining))
                self.send_header("X-RateLimit-Reset", resets.isoformat().replace("+00:00", "Z"))
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def gets(self, path_part: str) -> list[dict[str, str]]:
        """The parameters of every GET whose path contains ``path_part``."""
        return [p for m, path, p in self.requests if m == "GET" and path_part in path]
