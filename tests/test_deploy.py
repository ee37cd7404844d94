"""deploy/: what its containers run, run here against a real PostgreSQL server.

This machine kind has no Docker engine, so the image is not built and no container starts.
What each service runs is run instead, as written in compose.yaml and the Dockerfile: the
worker's `cli.py init` and `sync --every`, then the dashboard's `streamlit run`, both on the
database URL compose gives them (host `db` replaced by the local server), with the platform
API served by a local fake. The dashboard is then opened in Debian's Chromium.
"""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from sqlalchemy import create_engine, func, make_url, select

from pipeline.workspace import open_workspace
from store.accounts import add_account
from store.schema import posts
from tests.conftest import _fresh_postgres_database, workspace_settings
from tests.support.browser import (
    ROOT,
    _wait_healthy,
    browser_page,
    chromium_path,
    free_port,
    screenshot,
)
from tests.support.fake_x_api import BRAND_HANDLE, BRAND_ID, FakeXApi, conversation_tweets

pytestmark = pytest.mark.slow

DEPLOY = ROOT / "deploy"
POSTS = 400


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def dockerfile_command() -> list[str]:
    lines = (DEPLOY / "Dockerfile").read_text().splitlines()
    [command] = [line.removeprefix("CMD ") for line in lines if line.startswith("CMD ")]
    return json.loads(command)


def local_url(service: dict, server_url: str) -> str:
    """The service's DATABASE_URL with compose's host, user and database replaced by ours."""
    theirs = make_url(service["environment"]["DATABASE_URL"].replace("${POSTGRES_PASSWORD}", "x"))
    ours = make_url(server_url)
    assert (theirs.drivername, theirs.host) == ("postgresql+psycopg", "db")
    return ours.render_as_string(hide_password=False)


def in_this_checkout(command: list[str]) -> list[str]:
    """The container runs `python` from /app; here it is this interpreter in this checkout,
    and the dashboard listens on 127.0.0.1 (services on this machine never listen wider)."""
    script = command[2].replace("python ", f"{shlex.quote(sys.executable)} ")
    script = script.replace("--server.address 0.0.0.0", "--server.address 127.0.0.1")
    return [*command[:2], script]


def test_compose_runs_postgres_a_worker_and_the_dashboard_from_one_image():
    services = compose()["services"]
    assert set(services) == {"db", "worker", "dashboard"}
    assert services["db"]["image"].startswith("postgres:")
    for name in ("worker", "dashboard"):
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile"
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert "postgresql+psycopg://" in services[name]["environment"]["DATABASE_URL"]
    assert "sync --every" in services["worker"]["command"][2]
    assert services["dashboard"]["ports"] == ["8501:8501"]
    assert "streamlit run app.py" in dockerfile_command()[2]


def _stored(url: str) -> int:
    """Posts in the database so far (the test migrated it before the worker started)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(posts)).scalar_one()
    finally:
        engine.dispose()


def _wait_for_posts(url: str, worker: subprocess.Popen, log: Path, seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert worker.poll() is None, log.read_text()[-3000:]
        if _stored(url) == POSTS:
            return
        time.sleep(1)
    raise TimeoutError(
        f"the worker stored {_stored(url)} of {POSTS} posts: {log.read_text()[-3000:]}"
    )


@pytest.mark.browser
def test_the_services_commands_sync_and_serve_from_postgres(postgres_server_url, tmp_path):
    chromium_path()
    services = compose()["services"]
    url, drop = _fresh_postgres_database(postgres_server_url)
    api = FakeXApi(conversation_tweets(POSTS))
    base = api.start()
    env = {
        **os.environ,
        "DATABASE_URL": local_url(services["worker"], url),
        "X_BEARER_TOKEN": "fake-token",
        "X_QUERY": "Northwind",
        "X_API_BASE_URL": base,
    }
    ws = open_workspace(workspace_settings(url))
    with ws.engine.begin() as conn:
        add_account(conn, "x", BRAND_HANDLE, BRAND_ID)
    ws.engine.dispose()
    port = free_port()
    dashboard_command = in_this_checkout(dockerfile_command())
    dashboard_command[2] = dashboard_command[2].replace(
        "--server.port 8501", f"--server.port {port}"
    )
    worker_log, dashboard_log = tmp_path / "worker.log", tmp_path / "dashboard.log"
    processes = []
    try:
        with open(worker_log, "w") as out:
            processes.append(
                subprocess.Popen(
                    in_this_checkout(services["worker"]["command"]),
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        _wait_for_posts(url, processes[0], worker_log)
        with open(dashboard_log, "w") as out:
            processes.append(
                subprocess.Popen(
                    dashboard_command,
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        base_url = f"http://127.0.0.1:{port}"
        _wait_healthy(base_url, processes[1])
        with browser_page() as page:
            page.goto(base_url)
            page.get_by_role("heading", name="Backlog").wait_for(timeout=60_000)
            page.get_by_text("Needs an answer").first.wait_for(timeout=30_000)
            assert page.get_by_text("Demo data").count() == 0
            screenshot(page, "deploy-dashboard-on-postgres")
        assert processes[0].poll() is None, "the worker stopped instead of waiting for its round"
        assert api.items_served == POSTS
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
        api.stop()
        drop()


def test_no_secret_or_workspace_data_enters_an_image():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {"deploy/.env", ".streamlit/secrets.toml", "data/", ".git/", ".venv/"} <= ignored
