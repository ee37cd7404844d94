"""A local fake of the Bluesky XRPC API on 127.0.0.1, for the ``atproto`` SDK's ``Client``.

It logs in (``createSession``, with JWT-shaped tokens the SDK can read), serves ``searchPosts``
(``sort=latest``, ``since`` on sortAt, ``cursor``), ``listNotifications`` (``reasons``),
``getAuthorFeed``, ``getPosts`` and ``resolveHandle``, and creates posts (``createRecord``).
Every answer carries the ``ratelimit-*`` headers; faults are scripted per method: ``"429"``,
``"500"``, ``"remaining0"`` (a normal answer that uses up the window), ``"garbage"``.

Its views are written by hand in the shape of the app.bsky lexicons (``postView``,
``notification``, ``feedViewPost``) as the atproto SDK 0.0.73 models them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BRAND_DID, BRAND_HANDLE, BRAND_PASSWORD = (
    "did:plc:northwindlabs0000000000",
    "northwind.bsky.social",
    "abcd-efgh-ijkl-mnop",
)


def stamp(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def did_for(handle: str) -> str:
    return (
        BRAND_DID
        if handle == BRAND_HANDLE
        else f"did:plc:{hashlib.sha1(handle.encode()).hexdigest()[:24]}"
    )


def post_view(
    rkey: str,
    handle: str,
    text: str,
    at: datetime,
    parent: dict | None = None,
    root: dict | None = None,
    display_name: str | None = None,
) -> dict[str, Any]:
    """A ``app.bsky.feed.defs#postView``; ``parent``/``root`` are the views it replies to."""
    did = did_for(handle)
    uri = f"at://{did}/app.bsky.feed.post/{rkey}"
    record: dict[str, Any] = {
        "$type": "app.bsky.feed.post",
        "createdAt": stamp(at),
        "langs": ["en"],
        "text": text,
    }
    if parent is not None:
        top = root or parent
        record["reply"] = {
            "parent": {"cid": parent["cid"], "uri": parent["uri"]},
            "root": {"cid": top["cid"], "uri": top["uri"]},
        }
    return {
        "uri": uri,
        "cid": "bafyrei" + hashlib.sha256(uri.encode()).hexdigest()[:52],
        "author": {
            "did": did,
            "handle": handle,
            "displayName": display_name or handle.split(".")[0].title(),
            "avatar": f"https://cdn.bsky.app/img/avatar/plain/{did}/bafkrei@jpeg",
            "labels": [],
            "createdAt": "2024-03-01T10:00:00.000Z",
        },
        "record": record,
        "replyCount": 0,
        "repostCount": 0,
        "likeCount": 0,
        "quoteCount": 0,
        "indexedAt": stamp(at),
        "labels": [],
    }


def notification(view: dict[str, Any], reason: str, subject: str | None = None) -> dict:
    """A ``app.bsky.notification.listNotifications#notification`` for a post view."""
    found = {
        "uri": view["uri"],
        "cid": view["cid"],
        "author": view["author"],
        "reason": reason,
        "record": view["record"],
        "isRead": False,
        "indexedAt": view["indexedAt"],
        "labels": [],
    }
    if subject:
        found["reasonSubject"] = subject
    return found


def _jwt(did: str, scope: str, lifetime: int) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {"scope": scope, "sub": did, "iat": now, "exp": now + lifetime, "aud": "did:web:x"}
    return f"{part({'typ': 'at+jwt', 'alg': 'ES256K'})}.{part(claims)}.c2lnbmF0dXJl"


def _sort_at(view: dict) -> str:
    created = view.get("record", {}).get("createdAt", "")
    return min(created, view.get("indexedAt", "")) or created


@dataclass
class FakeBluesky:
    posts: list[dict] = field(default_factory=list)  # every post view, searchable
    notifications: list[dict] = field(default_factory=list)
    page_size: int = 100
    faults: dict[str, list[str]] = field(default_factory=dict)  # per method, served in order
    reset_in: int = 30
    logins: int = 0
    items_served: int = 0
    created: list[dict] = field(default_factory=list)  # createRecord bodies
    calls: list[tuple[str, dict]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.access = _jwt(BRAND_DID, "com.atproto.appPass", 7200)
        self.refresh = _jwt(BRAND_DID, "com.atproto.refresh", 86400)

    # -------------------------------------------------------------------- pages

    def _page(self, items: list[dict], params: dict[str, list[str]], key: str) -> dict:
        offset = int((params.get("cursor") or ["0"])[0])
        size = min(int((params.get("limit") or ["50"])[0]), self.page_size)
        chunk = items[offset : offset + size]
        body: dict[str, Any] = {key: chunk}
        if offset + size < len(items):
            body["cursor"] = str(offset + size)
        with self._lock:
            self.items_served += len(chunk)
        return body

    def search(self, params: dict[str, list[str]]) -> dict:
        words = (params.get("q") or [""])[0].lower()
        since = (params.get("since") or [""])[0]
        found = [
            p
            for p in self.posts
            if isinstance(p, dict)
            and words in json.dumps(p.get("record", {})).lower()
            or not isinstance(p, dict)
        ]
        found = [p for p in found if not since or not isinstance(p, dict) or _sort_at(p) >= since]
        found.sort(key=lambda p: _sort_at(p) if isinstance(p, dict) else "9", reverse=True)
        return self._page(found, params, "posts")

    def list_notifications(self, params: dict[str, list[str]]) -> dict:
        reasons = params.get("reasons") or []
        found = [n for n in self.notifications if not reasons or n.get("reason") in reasons]
        found.sort(key=lambda n: n["indexedAt"], reverse=True)
        return self._page(found, params, "notifications")

    def author_feed(self, params: dict[str, list[str]]) -> dict:
        actor = (params.get("actor") or [""])[0]
        mine = [p for p in self.posts if isinstance(p, dict) and p["author"]["did"] == actor]
        mine.sort(key=_sort_at, reverse=True)
        return self._page([{"post": p} for p in mine], params, "feed")

    def get_posts(self, params: dict[str, list[str]]) -> dict:
        uris = params.get("uris") or []
        return {"posts": [p for p in self.posts if isinstance(p, dict) and p["uri"] in uris]}

    def create_record(self, body: dict) -> dict:
        record = body["record"]
        rkey = f"3m{len(self.created):011d}"
        uri = f"at://{body['repo']}/app.bsky.feed.post/{rkey}"
        view = {
            **post_view(rkey, BRAND_HANDLE, record["text"], datetime.now(UTC)),
            "record": record,
        }
        with self._lock:
            self.created.append(body)
            self.posts.append(view)
        return {
            "uri": uri,
            "cid": view["cid"],
            "commit": {"cid": "bafyreicommit", "rev": "3m0000000000a"},
            "validationStatus": "valid",
        }

    # -------------------------------------------------------------------- server

    def _fault(self, method: str) -> str | None:
        with self._lock:
            queue = self.faults.get(method) or []
            return queue.pop(0) if queue else None

    def start(self) -> str:
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                self._answer(None)

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                self._answer(json.loads(self.rfile.read(length) or b"{}"))

            def _answer(self, body: dict | None) -> None:
                url = urlparse(self.path)
                method = url.path.removeprefix("/xrpc/")
                params = parse_qs(url.query)
                with api._lock:
                    api.calls.append((method, {**params, **(body or {})}))
                if method == "com.atproto.server.createSession":
                    return self._login(body or {})
                if self.headers.get("Authorization") != f"Bearer {api.access}":
                    return self._send(401, {"error": "AuthenticationRequired"})
                fault = api._fault(method)
                reset = str(int(time.time()) + api.reset_in)
                if fault == "429":
                    return self._send(
                        429,
                        {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
                        {"ratelimit-remaining": "0", "ratelimit-reset": reset},
                    )
                if fault == "500":
                    return self._send(500, {"error": "InternalServerError"})
                if fault == "garbage":
                    return self._send(200, None, raw=b"<html>Bad gateway</html>")
                handlers = {
                    "app.bsky.feed.searchPosts": api.search,
                    "app.bsky.notification.listNotifications": api.list_notifications,
                    "app.bsky.feed.getAuthorFeed": api.author_feed,
                    "app.bsky.feed.getPosts": api.get_posts,
                    "com.atproto.identity.resolveHandle": lambda p: {
                        "did": did_for((p.get("handle") or [""])[0])
                    },
                }
                if method == "com.atproto.repo.createRecord":
                    answer = api.create_record(body or {})
                elif method in handlers:
                    answer = handlers[method](params)
                else:
                    return self._send(501, {"error": "MethodNotImplemented"})
                remaining = "0" if fault == "remaining0" else "2999"
                self._send(
                    200, answer, {"ratelimit-remaining": remaining, "ratelimit-reset": reset}
                )

            def _login(self, body: dict) -> None:
                with api._lock:
                    api.logins += 1
                if (
                    body.get("identifier") not in (BRAND_HANDLE, BRAND_DID)
                    or body.get("password") != BRAND_PASSWORD
                ):
                    return self._send(
                        401,
                        {
                            "error": "AuthenticationRequired",
                            "message": "Invalid identifier or password",
                        },
                    )
                self._send(
                    200,
                    {
                        "accessJwt": api.access,
                        "refreshJwt": api.refresh,
                        "handle": BRAND_HANDLE,
                        "did": BRAND_DID,
                        "active": True,
                    },
                )

            def _send(
                self, status: int, body: Any, headers: dict | None = None, raw: bytes = b""
            ) -> None:
                data = raw or json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("ratelimit-limit", "3000")
                self.send_header("ratelimit-policy", "3000;w=300")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep test output quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
