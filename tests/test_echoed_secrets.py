"""A platform (or a proxy before it) that echoes the request's credentials into its error body
must not get them printed, stored or shown: a local X API on 127.0.0.1 answers 401 with the
Authorization header it received, and a webhook's secret path is logged by urllib3."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from settings import load_settings, redact, redact_in_logs
from store.schema import sync_errors, sync_state
from tests.conftest import ROOT
from tests.support.cli import run_cli

TOKEN = "AAAAAAAAAAAAAAAAAAAAAsentinel0echoed0bearer0token7f3a"


class _Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server protocol)
        body = json.dumps(
            {
                "title": "Unauthorized",
                "detail": f"gateway saw Authorization: {self.headers.get('Authorization')}",
                "status": 401,
            }
        ).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, *args: object) -> None:
        return None


@contextmanager
def echoing_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_token_echoed_by_the_api_is_not_printed_stored_or_shown(tmp_path, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    url = f"sqlite:///{tmp_path / 'echo.db'}"
    with echoing_server() as base:
        env = {
            "DATABASE_URL": url,
            "X_BEARER_TOKEN": TOKEN,
            "X_QUERY": "Northwind",
            "X_API_BASE_URL": base,
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        assert run_cli("init").returncode == 0
        ran = run_cli("sync", "--source", "x:search")
    printed = ran.stdout + ran.stderr
    assert "401" in printed or "Unauthorized" in printed  # the failure itself is reported
    assert TOKEN not in printed
    assert TOKEN[:24] not in printed

    from pipeline.workspace import open_workspace

    ws = open_workspace(load_settings())
    with ws.engine.connect() as conn:
        rows = [
            dict(row)
            for table in (sync_state, sync_errors)
            for row in conn.execute(select(table)).mappings()
        ]
    stored = json.dumps(rows, default=str)
    assert "Authorization" in stored  # the echo was recorded, the credential was not
    assert TOKEN not in stored and TOKEN[:24] not in stored

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/sources.py").run()
    assert not at.exception
    shown = json.dumps(
        [e.value for e in (*at.markdown, *at.caption, *at.error, *at.warning, *at.info)]
        + [d.value.to_json() for d in at.dataframe],
        default=str,
    )
    assert "Bearer ***" in shown or "Authorization" in shown
    assert TOKEN not in shown and TOKEN[:24] not in shown
    assert TOKEN not in caplog.text


def test_credential_shapes_are_redacted_whoever_they_belong_to():
    echoed = (
        "Authorization: Bearer abcdefghijklmnop1234 / Basic dXNlcjpwYXNzd29yZA== / "
        "https://api.example/v1?access_token=tok_12345678&page=2 / password=hunter22"
    )
    cleaned = redact(echoed)
    for secret in ("abcdefghijklmnop1234", "dXNlcjpwYXNzd29yZA==", "tok_12345678", "hunter22"):
        assert secret not in cleaned
    assert "page=2" in cleaned and "https://api.example/v1" in cleaned
    assert redact("the token expired; ask for a new key") == "the token expired; ask for a new key"


def test_a_webhooks_secret_path_never_reaches_any_log(caplog):
    hook_path = "/hooks/T0001/B0002/sentinelWebhookSecret77"
    with echoing_server() as base:
        redact_in_logs(load_settings({"ALERT_WEBHOOK_URL": base + hook_path}))
        caplog.set_level(logging.DEBUG)  # urllib3 logs "POST /hooks/… HTTP/1.1" at DEBUG
        requests.post(base + hook_path, json={"text": "hi"}, timeout=5)
    assert any("urllib3" in r.name for r in caplog.records)
    assert "sentinelWebhookSecret77" not in caplog.text


def test_a_failed_send_stores_its_reason_without_the_echoed_token(workspace):
    """The audit trail keeps why a reply failed, never the credential a platform echoed."""
    from connectors.base import PlatformError
    from engagement.once import send_once
    from store.schema import events

    def echoing_send() -> str:
        raise PlatformError(f"X answered 401: gateway saw Authorization: Bearer {TOKEN}")

    with pytest.raises(PlatformError):
        send_once(workspace, "k1", echoing_send, actor="lena", case_id=None, detail={})
    with workspace.engine.connect() as conn:
        stored = json.dumps([dict(r) for r in conn.execute(select(events)).mappings()], default=str)
    assert "401" in stored and TOKEN not in stored
