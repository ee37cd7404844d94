"""The load test runs its sessions against a workspace a sync is writing to, on each backend
(speed is not judged here)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline.workspace import open_workspace
from tests.conftest import ROOT, workspace_settings

pytestmark = pytest.mark.slow


def test_sessions_read_both_pages_while_a_sync_stores_new_posts(db_url):
    ws = open_workspace(workspace_settings(db_url))
    ws.seed_demo(300)
    before = ws.counts()[0]

    # In its own process, as bench/run.py runs it: never in the test process, whose earlier
    # tests leave state (Streamlit's runtime, patched classes) the spawned sessions must not meet.
    done = subprocess.run(
        [sys.executable, "-m", "bench.load", db_url, "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])

    assert figures["load_sessions"] == 2
    assert all(figures[key] > 0 for key in figures if key.startswith("load_"))
    # The readers contended with a writer: the sync stored new posts during the run.
    assert figures["load_sync_new_posts"] > 0
    assert ws.counts()[0] == before + figures["load_sync_new_posts"]
    ws.engine.dispose()
