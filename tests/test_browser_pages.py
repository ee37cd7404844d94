"""Every page in headless Debian Chromium, served exactly as `make run` serves it.

Screenshots land in artifacts/screenshots/; with FULLCIRCLE_DOCS_SCREENSHOTS=1 the backlog,
conversation and response-rate shots are also copied to docs/ for the README.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from pipeline.workspace import open_workspace
from store.schema import cases, posts
from tests.conftest import workspace_settings
from tests.support.browser import (
    ROOT,
    browser_page,
    choose,
    chromium_path,
    click_first_row,
    make_run,
    rendered,
    screenshot,
)
from tests.support.factories import batch, post

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAGES = [  # sidebar link, heading, something only that page shows
    ("Response rates", "Response rates", "Answered within SLA"),
    ("Listening", "Listening", "Spike days"),
    ("Sources & settings", "Sources & settings", "Brand accounts"),
    ("Conversation", "Conversation", "Pick a case in the Backlog"),
    ("Backlog", "Backlog", "Needs an answer now"),
]
PAYLOAD = "<img src=x onerror=alert(1)> [x](javascript:alert(1))"


def to_docs(path, name: str) -> None:
    if os.environ.get("FULLCIRCLE_DOCS_SCREENSHOTS") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(path, ROOT / "docs" / f"{name}.png")


def story_case(url: str) -> int:
    """The case that tells the story best: an automatic "we'll get back to you", then chases."""
    ws = open_workspace(workspace_settings(url))
    auto = select(posts.c.thread_key).where(posts.c.is_auto_reply.is_(True)).scalar_subquery()
    with ws.engine.connect() as conn:
        case_id = conn.execute(
            select(cases.c.id)
            .where(cases.c.thread_key.in_(auto), cases.c.first_response_at.is_(None))
            .order_by(cases.c.chase_count.desc(), cases.c.id)
            .limit(1)
        ).scalar_one()
    ws.engine.dispose()
    return case_id


def test_every_page_renders_and_a_backlog_row_opens_its_conversation(tmp_path):
    chromium_path()
    (ROOT / "artifacts").mkdir(exist_ok=True)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    with make_run(url, FULLCIRCLE_DEMO_POSTS="600") as base, browser_page() as page:
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_viewport_size({"width": 1440, "height": 1000})
        page.goto(f"{base}/rates")  # the first request after start-up is a deep link
        rendered(page)
        page.get_by_text("Demo data").first.wait_for()
        for link, heading, content in PAGES:
            page.get_by_role("link", name=link, exact=True).click()
            rendered(page)
            page.get_by_role("heading", name=heading).first.wait_for()
            page.get_by_text(content).first.wait_for()
            shot = screenshot(page, f"page-{link.split()[0].lower()}")
            if link == "Response rates":
                to_docs(shot, "rates")
        to_docs(screenshot(page, "backlog"), "backlog")

        click_first_row(page)
        page.wait_for_url("**/conversation?case=*", timeout=60_000)
        rendered(page)
        page.get_by_role("heading", name="Thread").first.wait_for()
        page.get_by_text("Their other conversations").wait_for()
        screenshot(page, "conversation-selected")
        page.goto(f"{base}/conversation?case={story_case(url)}")
        rendered(page)
        page.get_by_text("brand · automatic").first.wait_for()
        to_docs(screenshot(page, "conversation"), "conversation")

        page.get_by_role("link", name="Backlog", exact=True).click()
        rendered(page)
        page.get_by_text("Needs an answer now").first.wait_for()
        assert "conversation" not in page.url, "the old selection must not reopen the case"
        assert errors == []


def test_post_with_html_and_markdown_is_shown_literally_and_runs_nothing(tmp_path):
    chromium_path()
    url = f"sqlite:///{tmp_path / 'xss.db'}"
    ws = open_workspace(workspace_settings(url))
    ws.ingest().batch(
        batch(
            post(
                "1",
                f"@acme why no answer? {PAYLOAD}",
                author="mallory",
                at=datetime.now(UTC) - timedelta(hours=3),
            )
        )
    )
    with ws.engine.connect() as conn:
        case_id = conn.execute(select(cases.c.id)).scalar_one()
    ws.engine.dispose()
    with make_run(url) as base, browser_page() as page:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{base}/conversation?case={case_id}")
        rendered(page)
        page.get_by_text(f"@acme why no answer? {PAYLOAD}", exact=True).wait_for()
        page.get_by_role("link", name="Backlog", exact=True).click()
        rendered(page)
        page.get_by_text("Needs an answer now").first.wait_for()
        click_first_row(page)
        page.wait_for_url("**/conversation?case=*", timeout=60_000)
        rendered(page)
        page.get_by_text(f"@acme why no answer? {PAYLOAD}", exact=True).wait_for()
        screenshot(page, "xss-conversation")
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        assert dialogs == []


def test_answering_a_case_from_the_backlog_in_the_browser(tmp_path):
    """The whole flow: open a case from the backlog, pick a saved reply, send, see it answered."""
    chromium_path()
    url = f"sqlite:///{tmp_path / 'flow.db'}"
    with make_run(url, FULLCIRCLE_DEMO_POSTS="600") as base, browser_page() as page:
        page.set_viewport_size({"width": 1440, "height": 1100})
        page.goto(base)
        rendered(page)
        choose(page, "Working as", "Ben Okafor")
        click_first_row(page)
        page.wait_for_url("**/conversation?case=*", timeout=60_000)
        rendered(page)
        case_id = int(page.url.rsplit("case=", 1)[1].split("&")[0])
        page.get_by_text("Sandbox: replies are recorded").first.wait_for()
        page.get_by_label("Role (for {role})").fill("backend")
        page.keyboard.press("Enter")
        rendered(page)
        choose(page, "Start from a saved reply", "Thanks, we're on it")
        page.get_by_role("button", name="Send on").first.click()
        rendered(page)
        page.get_by_text("Reply sent into the sandbox").first.wait_for(timeout=60_000)
        screenshot(page, "reply-sent")
    ws = open_workspace(workspace_settings(url))
    with ws.engine.connect() as conn:
        answered = conn.execute(
            select(cases.c.first_response_at).where(cases.c.id == case_id)
        ).scalar()
    ws.engine.dispose()
    assert answered is not None


def _open_x_case(url: str) -> int:
    ws = open_workspace(workspace_settings(url))
    with ws.engine.connect() as conn:
        case_id = conn.execute(
            select(cases.c.id)
            .where(cases.c.platform == "x", cases.c.first_response_at.is_(None))
            .order_by(cases.c.id)
            .limit(1)
        ).scalar_one()
    ws.engine.dispose()
    return case_id


def _brand_posts(url: str) -> list[tuple[str, str]]:
    ws = open_workspace(workspace_settings(url))
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(posts.c.platform, posts.c.text).where(
                posts.c.is_brand.is_(True), posts.c.is_auto_reply.is_(False)
            )
        ).all()
    ws.engine.dispose()
    return [tuple(row) for row in rows]


def test_send_by_email_never_posts_publicly_and_keeps_the_draft(tmp_path):
    """On an X case with Move to e-mail on and no address yet, the saved reply is sent
    nowhere, the draft stays; with the address it goes by e-mail, whole."""
    chromium_path()
    url = f"sqlite:///{tmp_path / 'move.db'}"
    with make_run(url, FULLCIRCLE_DEMO_POSTS="600") as base, browser_page() as page:
        case_id = _open_x_case(url)
        before = _brand_posts(url)
        page.set_viewport_size({"width": 1440, "height": 1400})
        page.goto(f"{base}/conversation?case={case_id}")
        rendered(page)
        choose(page, "Working as", "Ben Okafor")
        page.get_by_text("Move to e-mail (a private channel)").click()
        rendered(page)
        choose(page, "Start from a saved reply", "Move to e-mail")
        draft = page.get_by_label("Your reply").input_value()
        assert "{role}" in draft  # the hint asks for a role; nothing filled it
        page.get_by_role("button", name="Send by e-mail").click()
        rendered(page)
        page.get_by_text("Not sent").first.wait_for(timeout=30_000)
        assert page.get_by_label("Your reply").input_value() == draft
        assert _brand_posts(url) == before

        page.get_by_label("Candidate's e-mail address").fill("sam@example.com")
        page.keyboard.press("Enter")
        rendered(page)
        page.get_by_role("button", name="Send by e-mail").click()
        rendered(page)
        refused = page.get_by_text("Not sent").first
        refused.wait_for(timeout=30_000)
        assert "fill in {role} first" in refused.inner_text()
        assert _brand_posts(url) == before

        page.get_by_label("Your reply").fill("Hi, shall we continue by e-mail? — Ben")
        page.get_by_role("button", name="Send by e-mail").click()
        rendered(page)
        page.get_by_text("Reply sent").first.wait_for(timeout=60_000)
        screenshot(page, "moved-to-email")
    sent = [row for row in _brand_posts(url) if row not in before]
    assert sent == [("email", "Hi, shall we continue by e-mail? — Ben")]
