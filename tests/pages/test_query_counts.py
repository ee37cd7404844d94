"""How many SQL statements each page run sends: a page that grows a query per row or per case
would be felt by everyone at once, so each page keeps to a budget.

Counted with SQLAlchemy's ``before_cursor_execute`` on every engine, for a rerun with the
report cache warm (what a person clicking around meets) and one with it cleared (the first
visitor after an action or after the cache's minute). The budgets are today's counts rounded up;
lower them when a page gets cheaper. Response rates counts one range query per ISO week and
table (see store/report_frames.py), so its cold count grows with the weeks of the period: the
budget is for the sidebar's default 84 days.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import streamlit as st
from sqlalchemy import event
from sqlalchemy.engine import Engine

from tests.pages.conftest import expected_backlog, run_app

BUDGETS = {  # page -> (warm rerun, cold rerun)
    "pages/backlog.py": (16, 16),
    "pages/conversation.py": (12, 12),
    "pages/rates.py": (4, 55),
    "pages/listening.py": (4, 9),
    "pages/sources.py": (12, 12),
}


@contextmanager
def counted():
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


@pytest.mark.parametrize("page", list(BUDGETS))
def test_each_page_run_keeps_to_its_query_budget(demo, page):
    case_id = int(expected_backlog(demo).iloc[0]["id"])
    at = run_app(page, case_id=case_id)
    at.switch_page(page).run()  # caches warm
    with counted() as warm:
        at.switch_page(page).run()
    st.cache_data.clear()
    with counted() as cold:
        at.switch_page(page).run()
    assert not at.exception
    assert len(warm) <= BUDGETS[page][0] and len(cold) <= BUDGETS[page][1], (
        f"{page}: {len(warm)} warm, {len(cold)} cold statements; budget {BUDGETS[page]}"
    )
