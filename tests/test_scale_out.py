"""Two sync workers started at once on one PostgreSQL database: one reads, each post stored once."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from pipeline.workspace import open_workspace
from store.accounts import add_account
from store.schema import posts
from tests.conftest import ROOT, _fresh_postgres_database, workspace_settings
from tests.support.fake_x_api import BRAND_HANDLE, BRAND_ID, FakeXApi, conversation_tweets

pytestmark = pytest.mark.slow


def test_two_workers_never_read_a_source_twice(postgres_server_url):
    url, drop = _fresh_postgres_database(postgres_server_url)
    api = FakeXApi(conversation_tweets(3000))
    base = api.start()
    try:
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
        command = [sys.executable, "cli.py", "sync", "--source", "x:search"]
        workers = [
            subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [worker.communicate(timeout=600) for worker in workers]
        assert all(worker.returncode == 0 for worker in workers), outputs
        with ws.engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(posts)).scalar_one()
        ws.engine.dispose()
    finally:
        api.stop()
        drop()
    assert stored == 3000
    assert api.items_served == 3000, "a post was read (and paid for) twice"
    said = " ".join(err for _, err in outputs)
    assert "another worker holds it" in said or "0 read" in said
