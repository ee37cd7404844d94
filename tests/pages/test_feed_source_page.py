"""Sources & settings shows the feed connector: missing setting, each feed, usage, last error."""

from __future__ import annotations

from pipeline.sources import configured_sources
from pipeline.sync import sync_source
from pipeline.workspace import open_workspace
from tests.conftest import workspace_settings
from tests.pages.conftest import run_app
from tests.support.fake_feed_server import FakeFeedServer, feed_file


def _feeds_expander(at):
    [label] = [e.label for e in at.expander if e.label.startswith("**Feeds**")]
    return label


def test_the_sources_page_names_the_missing_feed_setting(env):
    at = run_app("pages/sources.py")
    assert "missing FEED_URLS" in _feeds_expander(at)


def test_the_sources_page_lists_each_feed_with_posts_read_and_its_last_error(env, monkeypatch):
    server = FakeFeedServer()
    server.start()
    try:
        good = server.serve("/alerts", feed_file("google_alerts_atom.xml"))
        bad = server.serve("/broken?key=private-alert-key", b"<html>gone</html>", "text/html")
        monkeypatch.setenv("FEED_URLS", f"{good}\n{bad}")
        ws = open_workspace(workspace_settings(env, FEED_URLS=f"{good}\n{bad}"))
        names = [sync_source(ws, s).source for s in configured_sources(ws, "feed")]
        ws.engine.dispose()
        at = run_app("pages/sources.py")
    finally:
        server.stop()
    assert "configured] · 2 source(s) · 2 posts read" in _feeds_expander(at)
    [history] = [d.value for d in at.dataframe if "last error" in d.value.columns]
    rows = history.set_index("source").loc[names]
    assert list(rows["posts read"]) == [2, 0]
    assert rows["last error"].iloc[0] == ""
    assert "not an RSS or Atom feed" in rows["last error"].iloc[1]
    assert "private-alert-key" not in history.to_string()  # an alert's address is its key
