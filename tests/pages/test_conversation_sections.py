"""The Conversation page's look back — "Their other conversations" and "Audit trail" — is drawn
only while open: a closed section reads nothing and mounts no table, and an opened one shows the
same rows as before, lets a person open another of their cases and stays open from case to case.
Run on SQLite and PostgreSQL (``demo``)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from dashboard import case_history, display
from store import queries
from tests.pages.conftest import run_app
from tests.pages.test_pages import pick_case_with_history, shown_text

SECTIONS = ["Their other conversations", "Audit trail"]


def _open(at: AppTest, *keys: str) -> AppTest:
    for key in keys:
        at.session_state[key] = True
    return at.run()


def _history(ws, case: dict):
    with ws.engine.connect() as conn:
        return queries.author_cases(
            conn, case["platform"], case["author_id"], case["id"], handle=case["author_handle"]
        )


def test_the_history_and_the_trail_wait_closed_until_opened(demo):
    case = pick_case_with_history(demo)
    at = run_app("pages/conversation.py", case_id=case["id"])
    assert [e.label for e in at.expander if e.label in SECTIONS] == SECTIONS
    assert len(at.dataframe) == 0, "a closed section draws no table"
    assert f"link-platform-{case['id']}" not in [s.key for s in at.selectbox]
    assert "Nothing done by hand yet" not in shown_text(at)


def test_opened_history_lists_the_persons_other_cases_and_a_pick_opens_one(demo):
    case = pick_case_with_history(demo)
    history = _history(demo, case)
    at = _open(run_app("pages/conversation.py", case_id=case["id"]), case_history.OTHERS_KEY)
    [table] = at.dataframe
    shown = table.value
    assert len(shown) == len(history) > 0
    assert list(shown["status"]) == list(history["status"])
    assert list(shown["post"]) == [display.snippet(t) for t in history["text"]]
    assert list(shown["answered"]) == list(history["first_response_at"].notna())
    assert f"link-platform-{case['id']}" in [s.key for s in at.selectbox]  # linking lives here

    picked = int(history.iloc[0]["id"])
    at.session_state[f"others-{case['id']}"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert any(c.value.startswith(f"Case {picked} ·") for c in at.caption)
    [table] = at.dataframe  # still open on the case just opened: its own other cases
    assert len(table.value) == len(_history(demo, queries_case(demo, picked)))


def queries_case(ws, case_id: int) -> dict:
    with ws.engine.connect() as conn:
        return queries.case_detail(conn, case_id)


def test_opened_trail_shows_each_change_with_who_made_it(demo):
    case = pick_case_with_history(demo)
    at = _open(run_app("pages/conversation.py", case_id=case["id"]), case_history.TRAIL_KEY)
    assert "Nothing done by hand yet" in shown_text(at) and len(at.dataframe) == 0
    at.selectbox(key="actor").set_value("Anna de Vries").run()
    at.text_area(key=f"note-{case['id']}").set_value("Phoned; CV follows.")
    at.button(key="case_add_note").click().run()
    [trail] = at.dataframe
    assert list(trail.value["actor"]) == ["Anna de Vries"]
    assert list(trail.value["what"]) == ["note: Phoned; CV follows."]


def test_opened_sections_stay_open_after_a_visit_to_the_backlog(demo):
    case = pick_case_with_history(demo)
    at = run_app("pages/conversation.py", case_id=case["id"])
    at = _open(at, case_history.OTHERS_KEY, case_history.TRAIL_KEY)
    at.switch_page("pages/backlog.py").run()
    at.switch_page("pages/conversation.py").run()
    assert not at.exception
    assert "Nothing done by hand yet" in shown_text(at)
    assert len(at.dataframe[0].value) == len(_history(demo, case))
