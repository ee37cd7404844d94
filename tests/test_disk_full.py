"""A full disk is one line naming the database and its free space, and loses nothing stored.

The disk is "full" by SQLite's own limit (``PRAGMA max_page_count`` on every connection of the
real database file), so a write fails exactly as on a full disk: "database or disk is full"."""

from __future__ import annotations

import sqlite3

from sqlalchemy import event, func, select

import store.db
from pipeline.workspace import open_workspace
from store.schema import posts
from tests.conftest import workspace_settings
from tests.support.cli import run_cli

CSV_HEADER = "platform,id,parent_id,thread_id,author,created_at,text,url,extra\n"


def _csv(path, first: int, count: int):
    rows = [
        f"x,{i},,{i},user{i},2026-11-02T09:00:00Z,@NorthwindLabs is the role {i} remote? "
        + "tell me more " * 40
        + ",,a\n"
        for i in range(first, first + count)
    ]
    path.write_text(CSV_HEADER + "".join(rows), encoding="utf-8")
    return path


def _page_count(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("PRAGMA page_count").fetchone()[0]


def test_a_full_disk_is_one_line_and_what_was_stored_stays(tmp_path, monkeypatch):
    db = tmp_path / "full.db"
    url = f"sqlite:///{db}"
    monkeypatch.setenv("DATABASE_URL", url)
    first = run_cli("import", str(_csv(tmp_path / "a.csv", 1, 50)), "--format", "csv")
    assert first.returncode == 0, first.stderr
    limit = _page_count(db) + 8
    made = store.db.create_store_engine

    def cramped(url_: str, *args, **kwargs):
        engine = made(url_, *args, **kwargs)

        @event.listens_for(engine, "connect")
        def _limit(dbapi_connection, _record):
            dbapi_connection.execute(f"PRAGMA max_page_count = {limit}")

        return engine

    monkeypatch.setattr(store.db, "create_store_engine", cramped)
    ran = run_cli("import", str(_csv(tmp_path / "b.csv", 1000, 3000)), "--format", "csv")

    assert ran.returncode != 0
    lines = [line for line in ran.stderr.splitlines() if line.strip()]
    assert lines[-1].startswith("error: the database ") and str(db) in lines[-1]
    assert "MB free" in lines[-1]
    assert "Traceback" not in ran.stderr and len(lines) <= 3
    ws = open_workspace(workspace_settings(url))
    with ws.engine.connect() as conn:
        earlier = conn.execute(
            select(func.count()).where(posts.c.external_id.in_([str(i) for i in range(1, 51)]))
        ).scalar()
    assert earlier == 50
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
