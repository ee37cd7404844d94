"""Bluesky from the command line: `cli.py sync` against the local XRPC server, `cli.py import
--format bluesky` of saved responses, and `cli.py brand add bluesky`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from connectors.bluesky_api import _forget_sessions
from store.accounts import list_accounts
from store.schema import cases, posts
from store.sync_state import get_state
from tests.conftest import workspace_settings
from tests.support.cli import run_cli
from tests.support.fake_bluesky import (
    BRAND_DID,
    BRAND_HANDLE,
    BRAND_PASSWORD,
    FakeBluesky,
    notification,
    post_view,
)
from tests.support.rows import count_rows, table_rows

NOW = datetime.now(UTC).replace(microsecond=0)
QUESTION = post_view(
    "3lbq1",
    "mira.bsky.social",
    "@northwind.bsky.social is the data role still open?",
    NOW - timedelta(hours=2),
)
ANSWER = post_view(
    "3lbq2", BRAND_HANDLE, "Hi Mira, yes until Friday!", NOW - timedelta(minutes=80), QUESTION
)
CHATTER = post_view(
    "3lbq3",
    "tom.bsky.social",
    "Anyone interviewed at Northwind recently?",
    NOW - timedelta(hours=1),
)


@pytest.fixture
def api():
    server = FakeBluesky(posts=[QUESTION, ANSWER, CHATTER])
    server.notifications = [notification(QUESTION, "mention")]
    base = server.start()
    yield server, base
    server.stop()
    _forget_sessions()


def _env(db_url: str, base: str) -> dict[str, str]:
    return {
        "DATABASE_URL": db_url,
        "BLUESKY_HANDLE": BRAND_HANDLE,
        "BLUESKY_APP_PASSWORD": BRAND_PASSWORD,
        "BLUESKY_QUERY": "northwind",
        "BLUESKY_SERVICE_URL": base,
    }


def test_cli_sync_reads_bluesky_and_the_brand_answer_closes_the_loop(api, db_url, workspace):
    server, base = api
    done = run_cli("sync", **_env(db_url, base))
    assert done.returncode == 0, done.stderr
    for source in ("bluesky:search", "bluesky:notifications:", "bluesky:posts:"):
        assert source in done.stdout + done.stderr
    assert count_rows(workspace, posts) == 3
    with workspace.engine.connect() as conn:
        accounts = [
            (a["platform"], a["handle"], a["external_user_id"]) for a in list_accounts(conn)
        ]
    assert ("bluesky", BRAND_HANDLE, BRAND_DID) in accounts  # the login is the brand's voice
    [case] = [c for c in table_rows(workspace, cases) if c["author_handle"] == "mira.bsky.social"]
    assert case["first_response_at"] is not None
    again = run_cli("sync", **_env(db_url, base))
    assert again.returncode == 0 and count_rows(workspace, posts) == 3
    assert server.logins == 1  # the session is reused across syncs of one process


def test_cli_sync_with_a_wrong_app_password_names_the_setting_not_the_secret(
    api, db_url, workspace
):
    _, base = api
    env = {**_env(db_url, base), "BLUESKY_APP_PASSWORD": "secret-wrong-1234"}
    done = run_cli("sync", "--source", "bluesky", **env)
    said = done.stdout + done.stderr
    assert done.returncode != 0
    assert "BLUESKY_APP_PASSWORD" in said and "secret-wrong-1234" not in said
    with workspace.engine.connect() as conn:  # the Sources page shows it as the last error
        state = get_state(conn, f"bluesky:notifications:{BRAND_HANDLE}")
    assert "BLUESKY_APP_PASSWORD" in state["last_error"]
    assert "secret-wrong-1234" not in state["last_error"]


def _saved(tmp_path, broken: bool = False):
    thread = {
        "thread": {
            "$type": "app.bsky.feed.defs#threadViewPost",
            "post": ANSWER,
            "parent": {"$type": "app.bsky.feed.defs#threadViewPost", "post": QUESTION},
            "replies": [],
        }
    }
    search = {"posts": [CHATTER, QUESTION], "hitsTotal": 2}
    lines = [json.dumps(search), json.dumps(thread)]
    if broken:
        lines.insert(1, '{"posts": [ truncated')
    path = tmp_path / "bluesky.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_import_of_saved_responses_stores_each_post_once_and_again_adds_nothing(
    db_url, workspace, tmp_path
):
    path = _saved(tmp_path)
    added = run_cli("brand", "add", "bluesky", f"@{BRAND_HANDLE}", DATABASE_URL=db_url)
    assert added.returncode == 0, added.stderr
    first = run_cli("import", str(path), "--format", "bluesky", DATABASE_URL=db_url)
    assert first.returncode == 0, first.stderr
    again = run_cli("import", str(path), "--format", "bluesky", DATABASE_URL=db_url)
    assert again.returncode == 0
    assert count_rows(workspace, posts) == 3
    stored = {row["external_id"]: row for row in table_rows(workspace, posts)}
    assert stored[ANSWER["uri"]]["is_brand"] is True
    assert stored[ANSWER["uri"]]["parent_external_id"] == QUESTION["uri"]
    [case] = [c for c in table_rows(workspace, cases) if c["author_handle"] == "mira.bsky.social"]
    assert case["first_response_at"] is not None


def test_a_broken_line_of_a_bluesky_file_is_named_and_the_rest_kept(db_url, workspace, tmp_path):
    done = run_cli(
        "import", str(_saved(tmp_path, broken=True)), "--format", "bluesky", DATABASE_URL=db_url
    )
    assert "line 2: not JSON" in done.stdout + done.stderr
    assert count_rows(workspace, posts) == 3


def test_bluesky_is_listed_with_its_missing_settings(db_url):
    from pipeline.sources import connector_status
    from pipeline.workspace import open_workspace

    ws = open_workspace(workspace_settings(db_url))
    [row] = [r for r in connector_status(ws) if r["connector"] == "bluesky"]
    ws.engine.dispose()
    assert row["missing"] == ["BLUESKY_HANDLE", "BLUESKY_APP_PASSWORD"]
