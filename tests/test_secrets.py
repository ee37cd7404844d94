"""Credentials never reach the logs, the sync status, error messages or the pages."""

from __future__ import annotations

import logging

import pytest
import responses
from streamlit.testing.v1 import AppTest

from connectors.base import PlatformError
from engagement.actions import reply_to_case
from pipeline.sources import configured_sources
from pipeline.sync import sync_source
from pipeline.workspace import open_workspace
from settings import SETTINGS
from store.accounts import add_account
from store.sync_state import all_states, recent_errors
from tests.conftest import ROOT, workspace_settings
from tests.pages.test_pages import shown_text
from tests.support.factories import batch, post

SENTINELS = {s.env: f"sentinel-{s.env.lower()}-7f3a9c" for s in SETTINGS if s.secret}


def _leaks(text: str) -> list[str]:
    return [name for name, value in SENTINELS.items() if value in text]


@responses.activate
def test_a_failing_sync_and_send_leak_no_credential(db_url, caplog):
    caplog.set_level(logging.DEBUG)
    settings = workspace_settings(
        db_url,
        X_QUERY="Northwind",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT="1",
        SMTP_FROM="careers@northwind.example",
        SMTP_USER="careers",
        **SENTINELS,
    )
    ws = open_workspace(settings)
    responses.add(
        responses.GET,
        "https://api.twitter.com/2/tweets/search/recent",
        status=401,
        json={"title": "Unauthorized", "detail": "Unauthorized", "status": 401},
    )
    [source] = configured_sources(ws, "x:search")
    result = sync_source(ws, source)
    assert result.error and "401" in result.error
    with ws.engine.begin() as conn:
        add_account(conn, "email", "careers@northwind.example")
    ws.ingest().batch(
        batch(
            post(
                "m1",
                "Could you tell me when the interviews are?",
                author="jan@example.com",
                platform="email",
                thread="m1",
            )
        )
    )
    with pytest.raises(PlatformError) as failed:
        reply_to_case(ws, 1, "Hi Jan", actor="lena", key="k1")
    with ws.engine.connect() as conn:
        stored = repr(all_states(conn)) + repr(recent_errors(conn))
    said = caplog.text + str(result.error) + str(failed.value) + stored + repr(ws.settings)
    assert "Authorization" in caplog.text or "api.twitter.com" in caplog.text  # logs were on
    assert _leaks(said) == []


def test_no_page_shows_a_credential(db_url, monkeypatch):
    for name, value in SENTINELS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("DATABASE_URL", db_url)
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    pages = [
        "pages/backlog.py",
        "pages/conversation.py",
        "pages/rates.py",
        "pages/listening.py",
        "pages/sources.py",
    ]
    for page in pages:
        at.switch_page(page).run()
        assert not at.exception, page
        assert _leaks(shown_text(at)) == [], page
    st.cache_resource.clear()
