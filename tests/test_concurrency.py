"""Twenty dashboard sessions and a running sync on one database: nobody sees "locked"."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime, time
from multiprocessing import get_context

import pytest
from sqlalchemy import func, select

from pipeline.workspace import open_workspace
from store import case_actions
from store.accounts import add_account
from store.schema import cases, events, posts
from tests.conftest import ROOT, _fresh_postgres_database, workspace_settings
from tests.support.concurrent_session import session
from tests.support.fake_x_api import BRAND_HANDLE, BRAND_ID, FakeXApi, conversation_tweets

pytestmark = pytest.mark.slow

SESSIONS = 20


def _prepare(url: str) -> int:
    ws = open_workspace(workspace_settings(url))
    ws.seed_demo(600, end=datetime.combine(datetime.now(UTC).date(), time(), UTC))
    with ws.engine.begin() as conn:
        add_account(conn, "x", BRAND_HANDLE, BRAND_ID)
        case_actions.set_team_members(conn, ["Ben Okafor", "Chloé Martin"], "setup")
        case_id = conn.execute(select(func.min(cases.c.id))).scalar_one()
    ws.engine.dispose()
    return case_id


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_twenty_sessions_and_a_sync_at_once_never_meet_a_locked_database(
    backend, tmp_path, request
):
    if backend == "sqlite":
        url, drop = f"sqlite:///{tmp_path / 'shared.db'}", lambda: None
    else:
        url, drop = _fresh_postgres_database(request.getfixturevalue("postgres_server_url"))
    case_id = _prepare(url)
    api = FakeXApi(conversation_tweets(4000))
    base = api.start()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "X_BEARER_TOKEN": "fake",
        "X_QUERY": "Northwind",
        "X_API_BASE_URL": base,
    }
    try:
        sync = subprocess.Popen(
            [sys.executable, "cli.py", "sync", "--source", "x:search"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        with ProcessPoolExecutor(SESSIONS, mp_context=get_context("spawn")) as pool:
            results = list(pool.map(session, [url] * SESSIONS, [case_id] * SESSIONS))
        out, err = sync.communicate(timeout=600)
    finally:
        api.stop()
    failures = [f for result in results for f in result]
    assert not [f for f in failures if "locked" in f.lower()], failures
    assert failures == []
    assert sync.returncode == 0, err
    ws = open_workspace(workspace_settings(url))
    with ws.engine.connect() as conn:
        notes = conn.execute(
            select(func.count()).select_from(events).where(events.c.action == "note")
        ).scalar_one()
        synced = conn.execute(
            select(func.count()).select_from(posts).where(posts.c.source == "x:search")
        ).scalar_one()
    ws.engine.dispose()
    drop()
    assert notes == SESSIONS * 3 and synced == 4000
