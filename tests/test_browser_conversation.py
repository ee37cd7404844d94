"""The Conversation page's sections that load when opened, in headless Debian Chromium served
as `make run` serves it: closed they draw no table; opened, the person's other conversations
appear and a click on one opens that case."""

from __future__ import annotations

import pytest

from pipeline.workspace import open_workspace
from store import queries
from tests.conftest import workspace_settings
from tests.pages.test_pages import pick_case_with_history
from tests.support.browser import browser_page, chromium_path, click_first_row, make_run, rendered

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _case_and_history(url: str) -> tuple[int, list[int]]:
    ws = open_workspace(workspace_settings(url))
    case = pick_case_with_history(ws)
    with ws.engine.connect() as conn:
        history = queries.author_cases(
            conn, case["platform"], case["author_id"], case["id"], handle=case["author_handle"]
        )
    ws.engine.dispose()
    return case["id"], [int(i) for i in history["id"]]


def test_their_other_conversations_open_on_a_click_and_a_row_opens_that_case(tmp_path):
    chromium_path()
    url = f"sqlite:///{tmp_path / 'sections.db'}"
    with make_run(url, FULLCIRCLE_DEMO_POSTS="600") as base, browser_page() as page:
        case_id, history = _case_and_history(url)
        page.goto(f"{base}/conversation?case={case_id}")
        rendered(page)
        page.get_by_text(f"Case {case_id} ·").first.wait_for()
        assert page.locator("[data-testid='stDataFrame']").count() == 0

        page.get_by_text("Audit trail").first.click()
        rendered(page)
        page.get_by_text("Nothing done by hand yet").first.wait_for()
        page.get_by_text("Their other conversations").first.click()
        rendered(page)
        page.get_by_role("button", name="Same person elsewhere?").first.wait_for()
        grid = page.locator("[data-testid='stDataFrame']")
        grid.first.wait_for()
        assert grid.count() == 1

        click_first_row(page)
        page.wait_for_url(f"**/conversation?case={history[0]}", timeout=60_000)
        rendered(page)
        page.get_by_text(f"Case {history[0]} ·").first.wait_for()
        grid.first.wait_for()  # the section stays open on the case just opened
