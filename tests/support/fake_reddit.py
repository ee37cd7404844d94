"""A local stand-in for Reddit that replays PRAW's recorded cassettes; no network.

The cassettes in ``../shared/fixtures/reddit`` are betamax JSON: ``interactions[]`` of a
``request {method, uri, body}`` and a ``response {status {code}, headers, body {string}}``. The
server answers a request with the recording of the same method and path. The query string and
form body are ignored except for the parameters that select a different page or different
content (``after``, ``before``, ``children``), so PRAW's paging and "load more comments"
requests get the answer recorded for them. A request nothing answers gets a 404 and is listed in
``unmatched``, so a test can assert the replay was complete.

How it is wired into PRAW: ``praw.Reddit`` accepts ``oauth_url`` and ``reddit_url`` as ordinary
config settings and hands them to prawcore's ``Requestor``. prawcore 4 joins API paths onto
``oauth_url`` and posts token requests to ``reddit_url + /api/v1/access_token`` without checking
the scheme, so ``http://127.0.0.1:PORT`` works as is: no custom requestor or ``requests.Session``
is needed. (PRAW only warns when a ``praw.ini`` in the working directory overrides them.)
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from connectors.reddit_api import make_reddit

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FIXTURES = SHARED / "fixtures" / "reddit"
TOKEN_PATH = "/api/v1/access_token"
SELECTING = ("after", "before", "children")
FORWARDED_HEADERS = (
    "content-type",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-used",
)
CLIENT = {
    "client_id": "test-client-id",
    "client_secret": "test-client-secret",
    "user_agent": "fullcircle-tests/0.1 by u/fullcircle",
}
DEFAULT_TOKEN = (
    '{"access_token": "<ACCESS_TOKEN>", "token_type": "bearer", "expires_in": 3600, "scope": "*"}'
)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, str]
    answer: Answer


@dataclass
class Seen:
    """A request the server received: the test's view of what PRAW sent."""

    method: str
    path: str
    params: dict[str, str]


@dataclass
class _State:
    recorded: list[Recorded] = field(default_factory=list)
    routes: dict[tuple[str, str], Answer] = field(default_factory=dict)
    failures: dict[tuple[str, str], list[Answer]] = field(default_factory=dict)
    requests: list[Seen] = field(default_factory=list)
    unmatched: list[Seen] = field(default_factory=list)


def _norm(path: str) -> str:
    return path.rstrip("/") or "/"


def _params(query: str, body: str) -> dict[str, str]:
    return dict(parse_qsl(query) + parse_qsl(body))


def _selecting(params: dict[str, str]) -> dict[str, Any]:
    """The parameters that pick a different answer; ``children`` compared as a set."""
    return {
        key: frozenset(value.split(",")) if key == "children" else value
        for key, value in params.items()
        if key in SELECTING
    }


def load_cassette(name: str) -> list[Recorded]:
    """The interactions of one recorded cassette."""
    document = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    recorded = []
    for interaction in document["interactions"]:
        request, response = interaction["request"], interaction["response"]
        body = request.get("body")
        body = body.get("string", "") if isinstance(body, dict) else body or ""
        url = urlsplit(request["uri"])
        headers = {
            key.lower(): values[0]
            for key, values in response["headers"].items()
            if key.lower() in FORWARDED_HEADERS and values
        }
        recorded.append(
            Recorded(
                request["method"].upper(),
                _norm(url.path),
                _params(url.query, body),
                Answer(response["status"]["code"], headers, response["body"]["string"]),
            )
        )
    return recorded


def cassette_body(name: str, index: int) -> Any:
    """The parsed response body of one recorded interaction."""
    return json.loads(load_cassette(name)[index].answer.body)


def listing(children: list[dict[str, Any]]) -> dict[str, Any]:
    """A one-page Listing of the given things."""
    return {"kind": "Listing", "data": {"children": children, "after": None, "before": None}}


class FakeReddit:
    """Replays cassettes on 127.0.0.1; ``route`` and ``fail`` let a test change the answers."""

    def __init__(self, *cassettes: str) -> None:
        self._state = _State([item for name in cassettes for item in load_cassette(name)])
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[Seen]:
        return list(self._state.requests)

    @property
    def unmatched(self) -> list[Seen]:
        return list(self._state.unmatched)

    def __enter__(self) -> FakeReddit:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reddit(self, **settings: Any):
        """A PRAW client for the brand account, pointed at this server."""
        options = {**CLIENT, "username": "brand", "password": "brand-password", **settings}
        return make_reddit(oauth_url=self.url, reddit_url=self.url, **options)

    def route(
        self,
        method: str,
        path: str,
        body: Any,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer ``method path`` with ``body`` (JSON-encoded unless a string) from now on."""
        text = body if isinstance(body, str) else json.dumps(body)
        answer = Answer(status, {"content-type": "application/json", **(headers or {})}, text)
        with self._lock:
            self._state.routes[(method.upper(), _norm(path))] = answer

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` requests to ``method path`` with ``status``."""
        answer = Answer(
            status,
            {"content-type": "application/json", **(headers or {})},
            json.dumps({"message": "injected failure", "error": status}),
        )
        with self._lock:
            self._state.failures.setdefault((method.upper(), _norm(path)), []).extend(
                [answer] * times
            )

    def answer(self, method: str, path: str, query: str, body: str) -> Answer:
        """Pick the answer for one request and log it."""
        key, params = (method, _norm(path)), _params(query, body)
        seen = Seen(method, key[1], params)
        with self._lock:
            self._state.requests.append(seen)
            if self._state.failures.get(key):
                return self._state.failures[key].pop(0)
            if key in self._state.routes:
                return self._state.routes[key]
            found = self._recorded(key, params)
            if found is None:
                self._state.unmatched.append(seen)
                return Answer(
                    404,
                    {"content-type": "application/json"},
                    '{"message": "Not Found", "error": 404}',
                )
            return found

    def _recorded(self, key: tuple[str, str], params: dict[str, str]) -> Answer | None:
        candidates = [r for r in self._state.recorded if (r.method, r.path) == key]
        if key[1] == TOKEN_PATH:
            token = candidates[0].answer if candidates else None
            return token or Answer(200, {"content-type": "application/json"}, DEFAULT_TOKEN)
        wanted = _selecting(params)
        return next((r.answer for r in candidates if _selecting(r.params) == wanted), None)


class _Handler(BaseHTTPRequestHandler):
    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        url = urlsplit(self.path)
        answer = self.server.fake.answer(self.command, url.path, url.query, body)
        payload = answer.body.encode("utf-8")
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _serve

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Keep test output quiet; the fake's ``requests`` list is the log."""
