"""Erasing a person (GDPR art. 17) leaves nothing to find, and an export (art. 15) shows it all.

"Nothing to find" is checked where it matters: the bytes of the SQLite file and its WAL, read
while the dashboard still holds the database open, and on PostgreSQL the rows and (after
``--vacuum``) the table files themselves. The workspace is Sam's history on X and by e-mail, the
brand's messages to Sam and Ria's posts naming Sam (``tests/support/erasure.py``).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import Text, cast, func, or_, select, text

import store.db
from pipeline.workspace import open_workspace
from store.naming import Names
from store.privacy import erase_person
from store.remnants import clear_remnants
from store.schema import cases, posts
from tests.conftest import _fresh_postgres_database, workspace_settings
from tests.support import erasure
from tests.support.cli import run_cli


def _naming_rows(conn) -> list[str]:
    """Texts of stored posts whose text, subject or raw payload still name Sam."""
    columns = (posts.c.text, posts.c.subject, cast(posts.c.raw, Text))
    clauses = [
        func.lower(column).contains(secret.lower(), autoescape=True)
        for column in columns
        for secret in erasure.SECRETS
    ]
    return list(conn.execute(select(posts.c.text).where(or_(*clauses))).scalars())


def test_an_export_holds_the_brand_messages_to_a_person_and_posts_naming_them(tmp_path, db_url):
    erasure.build(tmp_path, db_url)

    exported = run_cli("export", "--person", erasure.HANDLE, DATABASE_URL=db_url)

    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert sorted(p["text"] for p in data["posts"]) == sorted([erasure.SAM_TWEET, erasure.SAM_MAIL])
    assert sorted(p["text"] for p in data["messages_to_them"]) == sorted(
        [erasure.BRAND_TO_SAM_X, erasure.BRAND_TO_SAM_MAIL, erasure.BRAND_OFFER_MAIL]
    )
    naming = data["posts_naming_them"]
    assert sorted(p["text"] for p in naming) == sorted(
        [erasure.RIA_TWEET, erasure.BRAND_TO_RIA_X, erasure.RIA_MAIL]
    )
    # others' posts are theirs too: the export shows what names Sam, not who wrote it
    assert not any({"author_id", "author_handle", "author_name", "raw"} & p.keys() for p in naming)


def test_erase_takes_the_brand_messages_to_a_person_and_redacts_posts_naming_them(tmp_path, db_url):
    erasure.build(tmp_path, db_url)

    erased = run_cli("erase", "--person", erasure.HANDLE, DATABASE_URL=db_url)

    assert erased.returncode == 0, erased.stderr
    assert "2 posts, 3 messages to them, 3 posts redacted" in erased.stderr
    ws = open_workspace(workspace_settings(db_url))
    with ws.engine.connect() as conn:
        assert _naming_rows(conn) == []
        left = {
            r.external_id: r
            for r in conn.execute(select(posts).where(posts.c.author_id.not_like("3%")))
        }
        ria_case = conn.execute(
            select(cases.c.first_response_post_id).where(cases.c.author_id == erasure.RIA_X_ID)
        ).scalar_one()
    ws.engine.dispose()
    by_text = {r.text: r for r in left.values()}
    assert set(by_text) == {
        "@[erased] @NorthwindLabs I asked the same last week and heard nothing yet",
        "@ria_codes @[erased] we answer every question within one working day.",
        "I would like to refer my friend [erased] for the Lisbon role; she tweets as @[erased].",
    }
    ria_tweet = by_text["@[erased] @NorthwindLabs I asked the same last week and heard nothing yet"]
    assert ria_tweet.raw["in_reply_to_user_id"] == "[erased]"
    assert ria_tweet.raw["entities"]["mentions"][0]["username"] == "[erased]"
    ria_mail = by_text[
        erasure.RIA_MAIL.replace(erasure.ADDRESS, "[erased]").replace("@sam_dev", "@[erased]")
    ]
    assert ria_mail.raw["headers"]["Cc"] == "[erased]"
    # Ria's conversation keeps the brand's answer to her
    assert (
        ria_case
        == by_text["@ria_codes @[erased] we answer every question within one working day."].id
    )


def test_redaction_replaces_the_persons_names_and_leaves_look_alikes():
    names = Names.of([("x", "sam_dev"), ("email", "sam@example.com")], ["4015550123"])

    assert (
        names.redact_text(
            "@Sam_Dev, .@sam_dev and x.com/sam_dev/status/1 — cc sam@example.com or SAM@EXAMPLE.COM."
        )
        == "@[erased], .@[erased] and x.com/[erased]/status/1 — cc [erased] or [erased]."
    )
    untouched = "@sam_devops, sam_dev said, xsam@example.com, sam@example.com.au, u/sam_devs"
    assert names.redact_text(untouched) == untouched
    assert names.redact_json(
        {"in_reply_to_user_id": "4015550123", "id": "40155501234", "to": ["Sam <sam@example.com>"]}
    ) == {"in_reply_to_user_id": "[erased]", "id": "40155501234", "to": ["Sam <[erased]>"]}


def _left_in(files: list[Path]) -> dict[str, list[str]]:
    """Which of the erased person's strings each file still holds, as ``grep -a`` would find."""
    found = {}
    for path in files:
        data = path.read_bytes().lower() if path.exists() else b""
        hits = [s for s in erasure.SECRETS if s.lower().encode() in data]
        if hits:
            found[path.name] = hits
    return found


def _secure_delete_off_as_upstream_builds_it(monkeypatch) -> None:
    """SQLite's own default is secure_delete=OFF; this machine's build happens to turn it on.
    Switching it off before the workspace's pragmas run shows what most installs would do."""
    pragmas = store.db._sqlite_pragmas

    def upstream_default(dbapi_connection, record) -> None:
        dbapi_connection.execute("PRAGMA secure_delete=OFF")
        pragmas(dbapi_connection, record)

    monkeypatch.setattr(store.db, "_sqlite_pragmas", upstream_default)


def _dashboard_reading_for(seconds: float, url: str, started: threading.Event) -> threading.Thread:
    """A dashboard page in the middle of a read: a transaction open on its own connection."""
    engine = open_workspace(workspace_settings(url)).engine

    def read() -> None:
        with engine.connect() as conn:
            conn.exec_driver_sql("BEGIN")
            conn.execute(select(func.count()).select_from(posts)).scalar_one()
            started.set()
            threading.Event().wait(seconds)
            conn.exec_driver_sql("COMMIT")
        engine.dispose()

    thread = threading.Thread(target=read)
    thread.start()
    return thread


@pytest.mark.parametrize("secure_delete", ["as built", "off, as upstream SQLite"])
def test_erase_leaves_no_trace_in_the_sqlite_file_the_dashboard_holds_open(
    tmp_path, monkeypatch, secure_delete
):
    if secure_delete != "as built":
        _secure_delete_off_as_upstream_builds_it(monkeypatch)
    db = tmp_path / "workspace.db"
    url = f"sqlite:///{db}"
    erasure.build(tmp_path, url)
    dashboard = open_workspace(workspace_settings(url))
    held = dashboard.engine.connect()  # the dashboard's connection, kept open throughout
    assert len(_naming_rows(held)) == 8
    started = threading.Event()
    reader = _dashboard_reading_for(1.5, url, started)
    started.wait(10)

    erased = run_cli("erase", "--person", erasure.HANDLE, DATABASE_URL=url)
    reader.join()

    assert erased.returncode == 0, erased.stderr
    assert "2 identities" in erased.stderr and "3 messages to them" in erased.stderr
    files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
    assert _left_in(files) == {}
    assert all(kept.lower().encode() in db.read_bytes().lower() for kept in erasure.RIA_KEPT)
    assert _naming_rows(held) == []
    kept = list(held.execute(select(posts.c.text).where(posts.c.author_handle == "ria_codes")))
    assert kept == [(erasure.RIA_TWEET.replace("@sam_dev", "@[erased]"),)]
    held.close()
    dashboard.engine.dispose()


def test_erasing_the_whole_workspace_leaves_nothing_in_the_files_the_dashboard_holds_open(
    tmp_path, monkeypatch
):
    _secure_delete_off_as_upstream_builds_it(monkeypatch)
    db = tmp_path / "workspace.db"
    url = f"sqlite:///{db}"
    erasure.build(tmp_path, url)
    dashboard = open_workspace(workspace_settings(url))
    with dashboard.engine.connect() as held:
        assert len(_naming_rows(held)) == 8

        erased = run_cli("erase", "--yes", DATABASE_URL=url)

        assert erased.returncode == 0, erased.stderr
        assert "Workspace erased." in erased.stderr and "emptied its WAL" in erased.stderr
        assert _left_in([db, Path(f"{db}-wal"), Path(f"{db}-shm")]) == {}
        assert not any(k.lower().encode() in db.read_bytes().lower() for k in erasure.RIA_KEPT)
    dashboard.engine.dispose()


def test_a_reader_that_never_finishes_is_named_and_erase_vacuum_clears_the_wal_later(tmp_path):
    db = tmp_path / "workspace.db"
    url = f"sqlite:///{db}"
    erasure.build(tmp_path, url)
    ws = open_workspace(workspace_settings(url))
    reader = ws.engine.connect()
    reader.exec_driver_sql("BEGIN")
    reader.execute(select(func.count()).select_from(posts)).scalar_one()
    with ws.engine.begin() as conn:
        erase_person(conn, erasure.HANDLE, actor="dpo")

    left = clear_remnants(ws.engine, wait_seconds=0.2)

    assert not left.cleared and "WAL" in left.message and "erase --vacuum" in left.message
    assert _left_in([db, Path(f"{db}-wal")]) != {}  # the warning is true: copies remain
    reader.exec_driver_sql("COMMIT")
    reader.close()
    vacuumed = run_cli("erase", "--vacuum", DATABASE_URL=url)
    assert vacuumed.returncode == 0, vacuumed.stderr
    assert _left_in([db, Path(f"{db}-wal"), Path(f"{db}-shm")]) == {}
    ws.engine.dispose()


def test_erase_on_postgresql_removes_redacts_and_says_what_vacuum_does(
    tmp_path, postgres_server_url
):
    url, drop = _fresh_postgres_database(postgres_server_url)
    try:
        erasure.build(tmp_path, url)
        erased = run_cli("erase", "--person", erasure.ADDRESS, DATABASE_URL=url)
        assert erased.returncode == 0, erased.stderr
        assert "3 messages to them" in erased.stderr
        assert "until VACUUM" in erased.stderr and "erase --vacuum" in erased.stderr
        ws = open_workspace(workspace_settings(url))
        with ws.engine.connect() as conn:
            assert _naming_rows(conn) == []
            kept = conn.execute(
                select(posts.c.text).where(posts.c.author_id == erasure.RIA_X_ID)
            ).scalar_one()
        assert kept == erasure.RIA_TWEET.replace("@sam_dev", "@[erased]")

        vacuumed = run_cli("erase", "--vacuum", DATABASE_URL=url)
        assert vacuumed.returncode == 0, vacuumed.stderr
        assert "VACUUM FULL" in vacuumed.stderr
        with ws.engine.connect() as conn:
            conn.execute(text("CHECKPOINT"))
            files = conn.execute(
                text(
                    "SELECT pg_read_binary_file(pg_relation_filepath(c.oid)) FROM pg_class c "
                    "WHERE c.relname = ANY(:tables) OR c.oid IN (SELECT indexrelid FROM "
                    "pg_index WHERE indrelid = ANY(SELECT oid FROM pg_class WHERE relname = "
                    "ANY(:tables))) OR c.oid IN (SELECT reltoastrelid FROM pg_class WHERE "
                    "relname = ANY(:tables))"
                ),
                {"tables": ["posts", "cases", "events", "promises", "identities", "people"]},
            ).scalars()
            held = b"".join(bytes(f) for f in files).lower()
        ws.engine.dispose()
        assert all(kept.lower().encode() in held for kept in erasure.RIA_KEPT)
        assert [s for s in erasure.SECRETS if s.lower().encode() in held] == []
    finally:
        drop()
