"""The load test runs its sessions against a workspace a sync is writing to, on each backend
(speed is not judged here)."""

from __future__ import annotations

import pytest

from bench import load
from pipeline.workspace import open_workspace
from tests.conftest import workspace_settings

pytestmark = pytest.mark.slow


def test_sessions_read_both_pages_while_a_sync_stores_new_posts(db_url):
    ws = open_workspace(workspace_settings(db_url))
    ws.seed_demo(300)
    before = ws.counts()[0]

    figures = load.measure(db_url, sessions=2)

    assert figures["load_sessions"] == 2
    assert all(figures[key] > 0 for key in figures if key.startswith("load_"))
    # The readers contended with a writer: the sync stored new posts during the run.
    assert figures["load_sync_new_posts"] > 0
    assert ws.counts()[0] == before + figures["load_sync_new_posts"]
    ws.engine.dispose()
