"""What every page test needs: a seeded workspace, fresh caches, app.py's navigation."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from dashboard import session
from pipeline.workspace import open_workspace
from settings import SETTINGS
from store import queries
from store.report_frames import Period
from tests.conftest import ROOT, workspace_settings
from tests.support.factories import batch


def today_midnight() -> datetime:
    return datetime.combine(datetime.now(UTC).date(), time(), UTC)


def default_period() -> Period:
    """The sidebar's default period: the last 84 UTC days including today."""
    start = today_midnight() - timedelta(days=session.PERIOD_DAYS - 1)
    return Period(start, today_midnight() + timedelta(days=1))


@pytest.fixture(autouse=True)
def served_navigation(monkeypatch):
    """Run pages as the server does once app.py has run: through app.py's st.navigation.

    AppTest resets Streamlit's legacy ``pages/`` directory mode before every run, so each run
    would start outside app.py and ``session.choices`` would reroute it, dropping a button's click.
    The server leaves that mode for good after app.py's first run (the browser tests cover the
    very first request, which the reroute handles).
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture
def env(monkeypatch, db_url):
    """DATABASE_URL for the app, no live connector, fresh Streamlit caches."""
    for setting in SETTINGS:
        if setting.secret:
            monkeypatch.setenv(setting.env, "")
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("FULLCIRCLE_HOLIDAYS", "NL")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield db_url
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def demo(env):
    ws = open_workspace(workspace_settings(env))
    ws.seed_demo(600, end=today_midnight())
    yield ws
    ws.engine.dispose()


def store(env: str, *found) -> None:
    """Bring these posts in as one sync's batch and let go of the workspace: the page under
    test opens its own, as a visitor's session would."""
    ws = open_workspace(workspace_settings(env))
    try:
        ws.ingest().batch(batch(*found))
    finally:
        ws.engine.dispose()


def run_app(page: str | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def expected_backlog(ws, filt=None):
    with ws.engine.connect() as conn:
        return queries.backlog(conn, datetime.now(UTC), filt=filt or queries.CaseFilter())


def select_rows(at: AppTest, rows: list[int]) -> AppTest:
    key = at.session_state["backlog_table_key"]
    at.session_state[key] = {"selection": {"rows": rows, "columns": []}}
    return at.run()
