"""The Response rates page's language split names each post's language, whichever platform it
came from, instead of "(none)" for every e-mail, Reddit and YouTube post."""

from __future__ import annotations

from datetime import timedelta

from pipeline.workspace import open_workspace
from tests.conftest import workspace_settings
from tests.pages.conftest import run_app, today_midnight
from tests.support.downloads import captured_downloads, csv_cells
from tests.support.languages import ingest_every_language


def test_the_language_split_shows_each_posts_language(env, tmp_path, monkeypatch):
    ws = open_workspace(workspace_settings(env))
    ingest_every_language(ws, tmp_path, today_midnight() - timedelta(days=3))
    ws.engine.dispose()
    with captured_downloads(monkeypatch) as files:
        at = run_app("pages/rates.py")
        at.segmented_control(key="rates_by").set_value("lang").run()
        assert not at.exception, [e.value for e in at.exception]
    header, *rows = csv_cells(files["response-rates-by-lang.csv"])
    split = {row[header.index("key")]: int(row[header.index("inbound")]) for row in rows}
    assert split == {"German": 1, "Dutch": 1, "French": 1, "Spanish": 1, "Swedish": 1}
