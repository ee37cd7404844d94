"""The store on SQLite and PostgreSQL: migrations, idempotent writes, clear failures."""

from __future__ import annotations

import pytest
from sqlalchemy import func, inspect, select, text

from store.db import DatabaseConfigError, SchemaTooNewError, create_store_engine, open_store
from store.schema import posts
from tests.support.factories import batch, post


def test_migrations_create_every_table(workspace):
    tables = set(inspect(workspace.engine).get_table_names())
    assert {
        "accounts",
        "posts",
        "cases",
        "promises",
        "sync_state",
        "sync_errors",
        "events",
        "people",
        "workspace",
        "alembic_version",
    } <= tables


def test_reopening_a_migrated_database_changes_nothing(db_url, workspace):
    workspace.ingest().batch(batch(post("1", "When will I hear back about my application?")))
    again = open_store(db_url)
    with again.connect() as conn:
        assert conn.execute(select(func.count()).select_from(posts)).scalar_one() == 1
    again.dispose()


def test_writing_the_same_posts_twice_stores_them_once(workspace):
    first = batch(post("1", "Is the Berlin role remote?"), post("2", "Love this team!"))
    ingest = workspace.ingest()
    assert ingest.batch(first).new_posts == 2
    result = ingest.batch(first)
    assert (result.new_posts, result.duplicates) == (0, 2)
    with workspace.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(posts)).scalar_one() == 2


def test_a_batch_repeating_a_post_stores_it_once(workspace):
    same = post("7", "Any update on my application?")
    assert workspace.ingest().batch(batch(same, same)).new_posts == 1


def test_timestamps_come_back_as_utc(workspace):
    original = post("1", "hello")
    workspace.ingest().batch(batch(original))
    with workspace.engine.connect() as conn:
        stored = conn.execute(select(posts.c.created_at)).scalar_one()
    assert stored == original.created_at and stored.utcoffset().total_seconds() == 0


def test_a_database_from_a_newer_version_is_refused(db_url, workspace):
    with workspace.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(SchemaTooNewError, match="newer than this Full Circle knows"):
        open_store(db_url)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = open_store(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30000


@pytest.mark.parametrize("url", ["mysql://u@h/db", "mongodb://localhost/x", "not a url"])
def test_an_unknown_database_scheme_names_the_setting(url):
    with pytest.raises(DatabaseConfigError, match="DATABASE_URL"):
        create_store_engine(url)


def test_an_unreachable_database_names_the_setting_and_hides_the_password():
    url = "postgresql+psycopg://fc:hunter2secret@127.0.0.1:1/fullcircle?connect_timeout=2"
    with pytest.raises(DatabaseConfigError, match="cannot reach the database") as caught:
        open_store(url)
    assert "DATABASE_URL" in str(caught.value)
    assert "hunter2secret" not in str(caught.value)


def test_processes_starting_at_once_migrate_once(db_url):
    """Workers and dashboards start together in a deployment: no migration race."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        engines = list(pool.map(lambda _: open_store(db_url), range(4)))
    with engines[0].connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    for engine in engines:
        engine.dispose()


def test_upgrading_an_old_workspace_keeps_its_cases(db_url):
    """Batch migrations rebuild tables on SQLite; rows that reference them must survive."""
    from alembic import command

    from store.db import _alembic_config, _foreign_keys_off, create_store_engine

    engine = create_store_engine(db_url)
    config = _alembic_config()
    with engine.connect() as conn, _foreign_keys_off(conn), conn.begin():
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO posts (id, platform, external_id, author_id, author_handle, text, "
                "created_at, thread_key, is_brand, is_auto_reply, source, fetched_at, "
                "needs_response) VALUES (1, 'x', '1', 'a', 'a', 'hi?', '2026-11-02 10:00:00', '1', "
                "false, false, 'x', '2026-11-02 10:00:00', true)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO cases (id, platform, thread_key, author_id, author_handle, "
                "first_post_id, account, status, priority, chase_count, touched, opened_at, "
                "last_inbound_at, due_at, updated_at) VALUES (1, 'x', '1', 'a', 'a', 1, 'x', "
                "'open', 1, 0, false, '2026-11-02 10:00:00', '2026-11-02 10:00:00', "
                "'2026-11-05 10:00:00', '2026-11-02 10:00:00')"
            )
        )
    engine.dispose()
    upgraded = open_store(db_url)
    with upgraded.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM cases")).scalar() == 1
        if upgraded.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    upgraded.dispose()


# DATABASE_URL naming a SQLite file that cannot be the workspace: one clear error, nothing made.


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting notes, not a database\n")
    with pytest.raises(DatabaseConfigError) as caught:
        open_store(f"sqlite:///{notes}")
    message = str(caught.value)
    assert "DATABASE_URL" in message and str(notes) in message
    assert "is not a SQLite database" in message
    assert notes.read_text() == "meeting notes, not a database\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # no lock, WAL or SHM


def test_a_folder_is_refused_as_the_database_file(tmp_path):
    with pytest.raises(DatabaseConfigError, match="DATABASE_URL .* is a folder"):
        open_store(f"sqlite:///{tmp_path}")
    assert list(tmp_path.iterdir()) == []


def test_a_database_in_a_missing_folder_is_refused_and_no_folder_is_made(tmp_path):
    url = f"sqlite:///{tmp_path / 'nonexistent' / 'dir' / 'x.db'}"
    with pytest.raises(DatabaseConfigError) as caught:
        open_store(url)
    message = str(caught.value)
    assert "DATABASE_URL" in message
    assert f"the folder {tmp_path / 'nonexistent' / 'dir'} does not exist" in message
    assert list(tmp_path.iterdir()) == []


def test_the_default_database_folder_is_made_when_asked(tmp_path):
    """`make run` on a fresh clone: data/ does not exist yet, and is ours to create."""
    engine = open_store(f"sqlite:///{tmp_path / 'data' / 'fullcircle.db'}", create_folder=True)
    engine.dispose()
    assert (tmp_path / "data" / "fullcircle.db").is_file()


def test_opening_a_sqlite_workspace_leaves_no_lock_file(tmp_path):
    for _ in range(2):  # creating it, then opening it again
        open_store(f"sqlite:///{tmp_path / 'w.db'}").dispose()
    assert not list(tmp_path.glob("*.migrate-lock"))


def test_a_damaged_database_file_names_the_setting(tmp_path):
    """It starts like a SQLite file, but its pages are garbage."""
    damaged = tmp_path / "w.db"
    damaged.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)
    with pytest.raises(DatabaseConfigError, match="DATABASE_URL names .* which SQLite cannot"):
        open_store(f"sqlite:///{damaged}")
    assert not list(tmp_path.glob("*.migrate-lock"))


def test_only_the_default_database_location_has_its_folder_made():
    from pathlib import Path

    from settings import load_settings

    nothing = Path("/nonexistent")
    assert load_settings({}, secrets_file=nothing).uses_default_database
    chosen = load_settings({"DATABASE_URL": "sqlite:///elsewhere/x.db"}, secrets_file=nothing)
    assert not chosen.uses_default_database
