"""Nothing lost, nothing twice: SIGKILL mid-sync, and a fault-injecting API, against a local fake.

CI runs FULLCIRCLE_KILL_ROUNDS kills (default 5); `bench/kill_test.py` runs all 20.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from connectors.base import Batch
from connectors.retry import RetryPolicy
from connectors.x import posts_from_page
from connectors.x_api import XTimeline, make_client
from pipeline.sync import sync_source
from pipeline.workspace import open_workspace
from store.accounts import add_account
from store.schema import cases, posts, sync_errors
from tests.conftest import ROOT, workspace_settings
from tests.support.fake_x_api import BRAND_HANDLE, BRAND_ID, FakeXApi, conversation_tweets, page_of
from tests.support.rows import count_rows

pytestmark = pytest.mark.slow

KILL_ROUNDS = int(os.environ.get("FULLCIRCLE_KILL_ROUNDS", "5"))


def _case_facts(ws) -> list[tuple]:
    with ws.engine.connect() as conn:
        return sorted(
            tuple(r)
            for r in conn.execute(
                select(
                    cases.c.author_id,
                    cases.c.opened_at,
                    cases.c.first_response_at,
                    cases.c.chase_count,
                )
            )
        )


def _reference_cases(tweets, url) -> list[tuple]:
    """The cases of the same tweets ingested in one calm pass."""
    ws = open_workspace(workspace_settings(url))
    with ws.engine.begin() as conn:
        add_account(conn, "x", BRAND_HANDLE, BRAND_ID)
    ordered = sorted(tweets, key=lambda t: int(t["id"]))
    for start in range(0, len(ordered), 1000):
        mapped, _ = posts_from_page(page_of(ordered[start : start + 1000]), "x:search")
        ws.ingest().batch(Batch("x:search", mapped))
    return _case_facts(ws)


def test_sigkill_at_random_moments_loses_nothing_and_stores_nothing_twice(tmp_path):
    tweets = conversation_tweets(10_000)
    api = FakeXApi(tweets)
    base = api.start()
    url = f"sqlite:///{tmp_path / 'crash.db'}"
    ws = open_workspace(workspace_settings(url))
    with ws.engine.begin() as conn:
        add_account(conn, "x", BRAND_HANDLE, BRAND_ID)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "X_BEARER_TOKEN": "fake-token",
        "X_QUERY": "Northwind",
        "X_API_BASE_URL": base,
    }
    rng = random.Random(20261129)
    command = [sys.executable, "cli.py", "sync", "--source", "x:search"]
    try:
        killed = 0
        for _ in range(KILL_ROUNDS):
            process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(rng.uniform(0.5, 6.0))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed += 1
            process.wait()
        final = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
        )
    finally:
        api.stop()
    assert final.returncode == 0, final.stderr
    assert killed >= 1
    assert count_rows(ws, posts) == 10_000
    with ws.engine.connect() as conn:
        distinct = conn.execute(select(func.count(func.distinct(posts.c.external_id)))).scalar()
    assert distinct == 10_000
    assert _case_facts(ws) == _reference_cases(tweets, f"sqlite:///{tmp_path / 'calm.db'}")


def test_injected_faults_are_all_recorded_and_nothing_valid_is_lost(workspace):
    tweets = conversation_tweets(1_500)
    api = FakeXApi(tweets, fault_rate=0.3, seed=7, slow_seconds=1.5)
    base = api.start()
    with workspace.engine.begin() as conn:
        add_account(conn, "x", BRAND_HANDLE, BRAND_ID)
    client = make_client("fake-token", base_url=base, timeout=0.5)
    retry = RetryPolicy(attempts=4, base_delay=0.01, max_wait=5)
    source = XTimeline("x:search", "search", "Northwind", client, retry)
    try:
        for _ in range(60):
            if sync_source(workspace, source).error is None:
                break
        else:
            pytest.fail("the sync never finished")
    finally:
        api.stop()
    assert api.faults_served, "the fake API injected no fault"
    assert count_rows(workspace, posts) == 1_500
    recorded = count_rows(workspace, sync_errors)
    assert recorded >= len(api.faults_served)
    with workspace.engine.connect() as conn:
        reasons = conn.execute(select(sync_errors.c.reason)).scalars().all()
    assert any("rate limited" in r for r in reasons) == ("429" in api.faults_served)
    assert any("Timeout" in r for r in reasons) == ("slow" in api.faults_served)
