"""A large import builds the dashboard's indexes once at its end: it stores the same posts and
cases as an import that keeps them up batch by batch, every index is there afterwards, and an
import killed between batches leaves a workspace whose indexes come back when it is next
opened and whose import resumes with no gap and no duplicate."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select

from pipeline import workspace as workspace_module
from pipeline.ingest import IngestTotals
from pipeline.workspace import open_workspace
from store import bulk
from store.schema import cases, metadata, posts
from tests.conftest import workspace_settings
from tests.support.cli import run_cli

ROOT = Path(__file__).resolve().parents[1]
END = datetime(2026, 11, 1, tzinfo=UTC)
# Columns that say when a row was written, not what it holds.
WRITTEN_AT = {"fetched_at", "updated_at"}


def _index_names(engine: Engine) -> set[str]:
    """The schema's indexes on posts and cases that the database holds (PostgreSQL also lists
    the index behind a unique constraint)."""
    found = inspect(engine)
    held = {
        str(index["name"]) for table in ("posts", "cases") for index in found.get_indexes(table)
    }
    return held & _schema_index_names()


def _schema_index_names() -> set[str]:
    return {
        str(index.name)
        for table in (metadata.tables["posts"], metadata.tables["cases"])
        for index in table.indexes
    }


def _content(engine: Engine) -> tuple[list[tuple], list[tuple]]:
    """Every post and case, with row ids replaced by the external id of the post they name,
    so two databases (or one before and after a reset) compare by what they hold."""
    with engine.connect() as conn:
        post_rows = [dict(row._mapping) for row in conn.execute(select(posts))]
        case_rows = [dict(row._mapping) for row in conn.execute(select(cases))]
    external = {row["id"]: (row["platform"], row["external_id"]) for row in post_rows}
    case_key = {row["id"]: external[row["first_post_id"]] for row in case_rows}
    stored_posts = sorted(
        tuple(
            (name, case_key.get(value) if name == "case_id" else value)
            for name, value in row.items()
            if name not in WRITTEN_AT and name != "id"
        )
        for row in post_rows
    )
    stored_cases = sorted(
        tuple(
            (name, external.get(value) if name.endswith("post_id") else value)
            for name, value in row.items()
            if name not in WRITTEN_AT and name != "id"
        )
        for row in case_rows
    )
    return stored_posts, stored_cases


def _seed(url: str, monkeypatch, bulk_from: int, posts_wanted: int, on_batch=None):
    monkeypatch.setattr(workspace_module, "BULK_THRESHOLD_POSTS", bulk_from)
    ws = open_workspace(workspace_settings(url))
    try:
        ws.seed_demo(posts_wanted, end=END, reset=True, on_batch=on_batch)
        return _content(ws.engine), _index_names(ws.engine)
    finally:
        ws.engine.dispose()


def test_bulk_seed_stores_the_same_posts_and_cases_with_every_index_back(db_url, monkeypatch):
    calm, calm_indexes = _seed(db_url, monkeypatch, bulk_from=10**9, posts_wanted=3000)
    missing_meanwhile: list[set[str]] = []

    def look(_: IngestTotals) -> None:
        ws = open_workspace(workspace_settings(db_url))
        missing_meanwhile.append(_schema_index_names() - _index_names(ws.engine))
        ws.engine.dispose()

    bulk_seeded, bulk_indexes = _seed(
        db_url, monkeypatch, bulk_from=1000, posts_wanted=3000, on_batch=look
    )
    assert missing_meanwhile and all(m == set(bulk.DEFERRABLE) for m in missing_meanwhile)
    assert bulk_indexes == calm_indexes == _schema_index_names()
    assert len(calm[0]) == 3000 and len(calm[1]) > 100
    assert bulk_seeded == calm


def test_a_small_import_into_a_large_workspace_keeps_its_indexes(db_url, monkeypatch):
    monkeypatch.setattr(workspace_module, "BULK_THRESHOLD_POSTS", 1000)
    ws = open_workspace(workspace_settings(db_url))
    try:
        ws.seed_demo(5000, end=END)
        with ws.bulk_import(1000):
            assert _index_names(ws.engine) == _schema_index_names()
        with ws.bulk_import(2000):
            assert not _index_names(ws.engine) & bulk.DEFERRABLE
        assert _index_names(ws.engine) == _schema_index_names()
    finally:
        ws.engine.dispose()


def test_a_bulk_import_killed_between_batches_resumes_with_its_indexes_back(db_url, monkeypatch):
    wanted = 11_000
    calm, _ = _seed(db_url, monkeypatch, bulk_from=10**9, posts_wanted=wanted)
    ws = open_workspace(workspace_settings(db_url))
    ws.reset()
    ws.engine.dispose()
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.support.bulk_seed_child", str(wanted)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": db_url, "FULLCIRCLE_HOLIDAYS": "NL"},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("committed "), line
        first_batch = int(line.split()[1])
    finally:
        child.kill()
        child.wait()
    assert 0 < first_batch < wanted

    ws = open_workspace(workspace_settings(db_url))
    try:
        assert _index_names(ws.engine) == _schema_index_names()
        with ws.engine.connect() as conn:
            assert bulk.deferring_owner(conn) is None
        assert ws.counts()[0] == first_batch
        monkeypatch.setattr(workspace_module, "BULK_THRESHOLD_POSTS", 1000)
        totals = ws.seed_demo(wanted, end=END)
        assert totals.new_posts == wanted - first_batch
        assert totals.duplicates == first_batch
        assert _index_names(ws.engine) == _schema_index_names()
        assert _content(ws.engine) == calm
    finally:
        ws.engine.dispose()


@pytest.mark.parametrize("owner_alive", [True, False])
def test_only_a_gone_importers_indexes_are_built_on_opening(db_url, owner_alive):
    ws = open_workspace(workspace_settings(db_url))
    try:
        owner = f"{socket.gethostname()}:{os.getpid() if owner_alive else _gone_pid()}"
        with ws.engine.begin() as conn:
            bulk.drop_deferrable(conn, owner)
        workspace_module.build_abandoned_indexes(ws.engine)
        missing = _schema_index_names() - _index_names(ws.engine)
        assert missing == (set(bulk.DEFERRABLE) if owner_alive else set())
    finally:
        ws.engine.dispose()


def _gone_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_importing_a_large_file_builds_the_dashboards_indexes_once_at_its_end(
    db_url, tmp_path, monkeypatch
):
    path = tmp_path / "posts.csv"
    path.write_text(
        "platform,id,parent_id,thread_id,author,created_at,text,url,extra\n"
        + "".join(
            f"x,{i},,{i},person{i % 97},2026-11-02T09:{i % 60:02d}:00Z,"
            f"@NorthwindLabs is role {i} remote?,,\n"
            for i in range(1200)
        ),
        encoding="utf-8",
    )
    # a file this size counts as large, and as more posts than a bulk import needs
    monkeypatch.setattr(workspace_module, "POOL_THRESHOLD_BYTES", 1)
    monkeypatch.setattr(workspace_module, "BYTES_PER_POST", 10)
    monkeypatch.setattr(workspace_module, "BULK_THRESHOLD_POSTS", 1000)
    missing_when_built: list[set[str]] = []
    build = bulk.build_deferred

    def watched_build(conn) -> None:
        held = {str(i["name"]) for t in ("posts", "cases") for i in inspect(conn).get_indexes(t)}
        missing_when_built.append(_schema_index_names() - held)
        build(conn)

    monkeypatch.setattr(bulk, "build_deferred", watched_build)
    ran = run_cli(
        "import", str(path), "--format", "csv", DATABASE_URL=db_url, FULLCIRCLE_WORKERS="1"
    )
    assert ran.returncode == 0, ran.stderr
    assert "Imported 1200 new posts" in ran.stderr
    assert missing_when_built == [set(bulk.DEFERRABLE)]
    ws = open_workspace(workspace_settings(db_url))
    try:
        assert _index_names(ws.engine) == _schema_index_names()
        assert ws.counts()[0] == 1200
    finally:
        ws.engine.dispose()
