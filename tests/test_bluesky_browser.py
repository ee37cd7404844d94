"""A demo Bluesky case answered from its Conversation page in headless Chromium, served as
`make run` serves it: the reply goes into the sandbox and the case leaves the backlog."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from pipeline.workspace import open_workspace
from store.schema import cases
from tests.conftest import workspace_settings
from tests.support.browser import (
    ROOT,
    browser_page,
    chromium_path,
    make_run,
    rendered,
    reply_in_sandbox,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_a_demo_bluesky_case_is_answered_from_its_conversation_page(tmp_path):
    chromium_path()
    (ROOT / "artifacts").mkdir(exist_ok=True)
    url = f"sqlite:///{tmp_path / 'bluesky.db'}"
    ws = open_workspace(workspace_settings(url))
    ws.seed_demo(600)
    with ws.engine.connect() as conn:
        case_id = (
            conn.execute(
                select(cases.c.id)
                .where(cases.c.platform == "bluesky", cases.c.first_response_at.is_(None))
                .order_by(cases.c.id)
            )
            .scalars()
            .first()
        )
    ws.engine.dispose()
    assert case_id is not None, "the demo holds unanswered Bluesky cases"
    with make_run(url) as base, browser_page() as page:
        page.set_viewport_size({"width": 1440, "height": 1100})
        page.goto(f"{base}/conversation?case={case_id}")
        rendered(page)
        reply_in_sandbox(
            page, "Thanks for asking! The role is hybrid, two days.", "Send on Bluesky"
        )
        screenshot(page, "bluesky-reply-sent")
    ws = open_workspace(workspace_settings(url))
    with ws.engine.connect() as conn:
        answered = conn.execute(
            select(cases.c.first_response_at).where(cases.c.id == case_id)
        ).scalar()
    ws.engine.dispose()
    assert answered is not None
