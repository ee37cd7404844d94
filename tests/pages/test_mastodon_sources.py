"""The Sources page lists Mastodon: its missing settings, then what a sync read and its last
error, the access token never shown (a local fake instance on 127.0.0.1 answers)."""

from __future__ import annotations

import pytest

from tests.pages.conftest import run_app
from tests.pages.test_pages import shown_text
from tests.support.fake_mastodon import FakeMastodon
from tests.support.mastodon_statuses import conversation

TOKEN = "mastodon-page-token-8c1d2e"


@pytest.fixture
def instance():
    fake = FakeMastodon(statuses=conversation(5))
    base = fake.start()
    yield fake, base
    fake.stop()


def test_sources_list_mastodon_with_its_missing_settings(demo):
    text = shown_text(run_app("pages/sources.py"))
    assert "**Mastodon** · :orange[:material/warning: missing MASTODON_API_BASE_URL, " in text
    assert "MASTODON_ACCESS_TOKEN]" in text


def test_a_mastodon_sync_shows_what_it_read_and_its_last_error(env, monkeypatch, instance):
    fake, base = instance
    monkeypatch.setenv("MASTODON_API_BASE_URL", base)
    monkeypatch.setenv("MASTODON_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("MASTODON_HASHTAGS", "NorthwindJobs")
    at = run_app("pages/sources.py")
    settings = next(
        d.value
        for d in at.dataframe
        if "setting" in d.value.columns and "MASTODON_ACCESS_TOKEN" in set(d.value["setting"])
    ).set_index("setting")["value"]
    assert settings["MASTODON_ACCESS_TOKEN"] == "set"
    assert settings["MASTODON_HASHTAGS"] == "NorthwindJobs"
    fake.faults = [("ok",), ("429", 5000)]  # the hashtag is read, the mentions refused
    [sync] = [b for b in at.button if b.label == "Sync now"]
    sync.click().run()
    assert not at.exception
    text = shown_text(at)
    assert TOKEN not in text
    history = next(d.value for d in at.dataframe if "posts read" in d.value.columns)
    rows = history.set_index("source")
    assert rows.loc["mastodon:tag:NorthwindJobs", "posts read"] == 5
    assert "rate limited for 500" in rows.loc["mastodon:mentions", "last error"]
    assert rows.loc["mastodon:tag:NorthwindJobs", "last error"] == ""
