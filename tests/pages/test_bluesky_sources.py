"""Sources & settings lists Bluesky: its missing settings, then a sync from the page with what
it read (against the local XRPC server on 127.0.0.1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from connectors.bluesky_api import _forget_sessions
from tests.pages.conftest import run_app
from tests.pages.test_pages import shown_text
from tests.support.fake_bluesky import (
    BRAND_HANDLE,
    BRAND_PASSWORD,
    FakeBluesky,
    notification,
    post_view,
)


@pytest.fixture
def api():
    asked = post_view(
        "3lpq1",
        "noor.bsky.social",
        "@northwind.bsky.social did you get my application?",
        datetime.now(UTC) - timedelta(hours=1),
    )
    server = FakeBluesky(posts=[asked], notifications=[notification(asked, "mention")])
    base = server.start()
    yield base
    server.stop()
    _forget_sessions()


def test_sources_list_bluesky_with_its_missing_settings(env):
    text = shown_text(run_app("pages/sources.py"))
    assert "Bluesky" in text
    assert "missing BLUESKY_HANDLE, BLUESKY_APP_PASSWORD" in text
    assert BRAND_PASSWORD not in text


def test_sync_now_reads_bluesky_and_the_history_shows_it(env, api, monkeypatch):
    monkeypatch.setenv("BLUESKY_HANDLE", BRAND_HANDLE)
    monkeypatch.setenv("BLUESKY_APP_PASSWORD", BRAND_PASSWORD)
    monkeypatch.setenv("BLUESKY_SERVICE_URL", api)
    at = run_app("pages/sources.py")
    assert BRAND_PASSWORD not in shown_text(at)
    [sync] = [b for b in at.button if b.label == "Sync now"]
    sync.click().run()
    assert not at.exception
    history = next(d.value for d in at.dataframe if "posts read" in d.value.columns)
    read = history.set_index("source")["posts read"]
    assert read[f"bluesky:notifications:{BRAND_HANDLE}"] == 1
    assert read[f"bluesky:posts:{BRAND_HANDLE}"] == 0
