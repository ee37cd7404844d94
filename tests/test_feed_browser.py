"""Feeds in headless Chromium, served as `make run` serves them: a hostile summary stays inert,
and a demo feed case is answered from its Conversation page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from connectors.files import import_batches
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
HOSTILE = (
    "Northwind Labs ghosted me after three interviews, does anyone know who to contact there? "
    "<script>alert('feed')</script><img src=x onerror=alert(1)>"
    '<a href="javascript:alert(2)">read more</a> [x](javascript:alert(3))'
)


def _hostile_feed(at: datetime) -> bytes:
    from html import escape

    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Blog</title>"
        "<item><title>Northwind &lt;b&gt;Labs&lt;/b&gt;, why?</title>"
        "<link>https://jobhunt.example.org/2026/ghosted</link>"
        f"<description>{escape(HOSTILE)}</description>"
        f"<pubDate>{at.strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate></item>"
        "</channel></rss>"
    ).encode()


def _case(url: str, *where) -> int:
    ws = open_workspace(workspace_settings(url))
    with ws.engine.connect() as conn:
        case_id = (
            conn.execute(
                select(cases.c.id).where(cases.c.platform == "feed", *where).order_by(cases.c.id)
            )
            .scalars()
            .first()
        )
    ws.engine.dispose()
    assert case_id is not None
    return case_id


def test_a_feed_summary_stays_inert_and_a_feed_case_is_answered_in_the_browser(tmp_path):
    chromium_path()
    (ROOT / "artifacts").mkdir(exist_ok=True)
    url = f"sqlite:///{tmp_path / 'feeds.db'}"
    ws = open_workspace(workspace_settings(url))
    ws.seed_demo(600)
    saved = tmp_path / "blog.xml"
    saved.write_bytes(_hostile_feed(datetime.now(UTC) - timedelta(hours=2)))
    ws.ingest().run(import_batches(saved, "feed"))
    ws.engine.dispose()
    hostile = _case(url, cases.c.author_handle == "jobhunt.example.org")
    demo_case = _case(
        url, cases.c.first_response_at.is_(None), cases.c.author_handle != "jobhunt.example.org"
    )
    with make_run(url) as base, browser_page() as page:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.set_viewport_size({"width": 1440, "height": 1100})
        page.goto(f"{base}/conversation?case={hostile}")
        rendered(page)
        page.get_by_text("Northwind Labs, why?").first.wait_for()
        page.get_by_text(
            "does anyone know who to contact there? read more [x](javascript:alert(3))"
        ).first.wait_for()
        screenshot(page, "feed-hostile-conversation")
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        assert dialogs == []

        page.goto(f"{base}/conversation?case={demo_case}")
        rendered(page)
        reply_in_sandbox(page, "Thank you for writing about us; we will call you.", "Send on Feeds")
        screenshot(page, "feed-reply-sent")
    ws = open_workspace(workspace_settings(url))
    with ws.engine.connect() as conn:
        answered = conn.execute(
            select(cases.c.first_response_at).where(cases.c.id == demo_case)
        ).scalar()
    ws.engine.dispose()
    assert answered is not None
