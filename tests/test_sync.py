"""Running sources: leases keep workers apart, status tells what was read and what it cost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import responses
from sqlalchemy import update

from pipeline.sources import configured_sources, connector_status, estimated_cost
from pipeline.sync import sync_source
from pipeline.workspace import open_workspace
from store.schema import sync_state
from store.sync_state import acquire_lease, release_lease
from tests.conftest import workspace_settings
from tests.support.x_pages import SEARCH_URL, search_timeline, thread_pages


def test_a_lease_keeps_a_second_worker_out_until_released_or_expired(workspace):
    with workspace.engine.begin() as conn:
        assert acquire_lease(conn, "x:search", "worker-a")
        assert not acquire_lease(conn, "x:search", "worker-b")
        assert acquire_lease(conn, "x:search", "worker-a")  # renewing one's own lease
        release_lease(conn, "x:search", "worker-a")
        assert acquire_lease(conn, "x:search", "worker-b")
        conn.execute(
            update(sync_state).values(lease_expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        assert acquire_lease(conn, "x:search", "worker-c")


def test_a_source_leased_by_another_worker_is_skipped_and_not_read(workspace):
    with workspace.engine.begin() as conn:
        acquire_lease(conn, "x:search", "someone-else")
    result = sync_source(workspace, search_timeline())
    assert result.skipped and result.totals.read == 0


def test_status_names_the_missing_settings_of_unconfigured_connectors(db_url):
    ws = open_workspace(workspace_settings(db_url))
    status = {row["connector"]: row for row in connector_status(ws)}
    assert status["x"]["configured"] is False and status["x"]["missing"] == ["X_BEARER_TOKEN"]
    assert status["reddit"]["missing"] == ["REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET"]
    assert configured_sources(ws) == []


@responses.activate
def test_status_reports_posts_read_and_their_estimated_cost(db_url):
    ws = open_workspace(
        workspace_settings(
            db_url, X_BEARER_TOKEN="sentinel-token", X_QUERY="Northwind", X_POST_PRICE="0.005"
        )
    )
    pages = thread_pages()
    responses.add(responses.GET, SEARCH_URL, json=pages[0])
    responses.add(responses.GET, SEARCH_URL, json=pages[1])
    [source] = configured_sources(ws)  # no brand accounts: only the query
    assert source.name == "x:search"
    sync_source(ws, source)
    [x_row] = [row for row in connector_status(ws) if row["connector"] == "x"]
    assert x_row["configured"] and x_row["sources"][0]["items_read"] == 4
    assert x_row["sources"][0]["estimated_cost"] == 0.02
    assert "sentinel-token" not in repr(ws.settings) and "sentinel-token" not in str(x_row)


def test_only_x_reads_cost_money():
    settings = workspace_settings("sqlite://", X_POST_PRICE="0.01")
    assert estimated_cost("x:search", 250, settings) == 2.5
    assert estimated_cost("reddit:search", 250, settings) == 0.0
