"""Shared fixtures: every store test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pipeline.workspace import open_workspace
from settings import load_settings
from tests.support.pg_server import LocalPostgres

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: the shared fixtures and benchmark sets are not here")
    return SHARED


@pytest.fixture(scope="session")
def postgres_server_url():
    url = os.environ.get("FULLCIRCLE_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    server = LocalPostgres()
    if not server.available:
        pytest.skip(
            "no PostgreSQL: set FULLCIRCLE_TEST_POSTGRES_URL or install postgresql "
            "(make test does, as root)"
        )
    url = server.start()
    yield url
    server.stop()


def _fresh_postgres_database(server_url: str) -> tuple[str, callable]:
    name = f"fc_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base, _, _ = server_url.rpartition("/")

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{base}/{name}", drop


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    """A new, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'workspace.db'}"
        return
    url, drop = _fresh_postgres_database(request.getfixturevalue("postgres_server_url"))
    yield url
    drop()


def workspace_settings(url: str, **extra: str):
    env = {"DATABASE_URL": url, "FULLCIRCLE_HOLIDAYS": "NL", **extra}
    return load_settings(env, secrets_file=Path("/nonexistent"))


@pytest.fixture
def workspace(db_url):
    ws = open_workspace(workspace_settings(db_url))
    yield ws
    ws.engine.dispose()


def pytest_sessionfinish(session, exitstatus):
    """In CI a skipped test is a failure: nothing may pass by not running."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("FULLCIRCLE_NO_SKIPS") == "1" and skipped and exitstatus == 0:
        reporter.write_line(f"FULLCIRCLE_NO_SKIPS=1 and {len(skipped)} test(s) skipped: failing")
        session.exitstatus = 1
