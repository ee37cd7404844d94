"""One dashboard session for the concurrency test: run in its own process, report failures."""

from __future__ import annotations

import os
import sys
import traceback

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _serve_through_app() -> None:
    """As the server does after app.py's first run (see tests/pages/conftest.py)."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def _sign(at: AppTest) -> None:
    """Choose who works: the team's first name, or a typed name when no team is set."""
    keys = {w.key for w in at.sidebar.selectbox} | {w.key for w in at.sidebar.text_input}
    if "actor" in keys:
        at.selectbox(key="actor").set_value(at.selectbox(key="actor").options[0]).run()
    elif "actor_name" in keys:
        at.text_input(key="actor_name").set_value(f"session {os.getpid()}").run()
    else:
        shown = [t.value for t in at.title] + [e.value for e in at.error]
        raise AssertionError(f"no 'Working as' in the sidebar; the page shows {shown}")


def session(database_url: str, case_id: int, rounds: int = 3) -> list[str]:
    """Read the backlog, open a case, add a note: what many people do at once."""
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, ROOT)
    _serve_through_app()
    import streamlit as st

    st.cache_resource.clear()  # a pool process may have served another test before
    failures: list[str] = []
    at = None
    try:
        at = AppTest.from_file(os.path.join(ROOT, "app.py"), default_timeout=120)
        at.run()
        failures += [f"start: {e.value}" for e in [*at.exception, *at.error]]
        if failures:
            return failures
        for turn in range(rounds):
            at.session_state["case_id"] = case_id
            at.switch_page("pages/conversation.py").run()
            _sign(at)
            at.text_area(key=f"note-{case_id}").set_value(f"note {os.getpid()} {turn}").run()
            at.button(key="case_add_note").click().run()
            at.switch_page("pages/backlog.py").run()
            failures += [str(e.value) for e in at.exception]
            failures += [e.value for e in at.error]
    except Exception:  # noqa: BLE001 — the test reports whatever a session met
        shown = [t.value for t in at.title] + [e.value for e in [*at.error, *at.warning]]
        from dashboard import session

        ws = session.workspace()
        with ws.engine.connect() as conn:
            seen = conn.exec_driver_sql("SELECT count(*), min(id) FROM cases").one()
        failures.append(
            f"{traceback.format_exc()}\npage shows: {shown} "
            f"db: {ws.settings.database_url} cases: {tuple(seen)} env: "
            f"{os.environ.get('DATABASE_URL')}"
        )
    return failures
