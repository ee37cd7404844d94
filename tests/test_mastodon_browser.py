"""HTML in a Mastodon status reaches the browser as text: nothing of it renders or runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from connectors.base import Batch
from connectors.mastodon import posts_from_page
from pipeline.workspace import open_workspace
from store.accounts import add_account
from store.schema import cases
from tests.conftest import workspace_settings
from tests.support.browser import browser_page, chromium_path, make_run, rendered, screenshot
from tests.support.mastodon_statuses import BRAND, BRAND_ID, account, stamp, status

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HOSTILE = (
    "why no answer? &lt;img src=x onerror=alert(1)&gt; "
    '<img src=x onerror="alert(2)"><script>alert(3)</script>'
    '<a href="javascript:alert(4)">details</a> [x](javascript:alert(5))'
)


def test_html_in_a_status_is_shown_as_text_and_runs_nothing(tmp_path):
    chromium_path()
    url = f"sqlite:///{tmp_path / 'mastodon-xss.db'}"
    ws = open_workspace(workspace_settings(url))
    with ws.engine.begin() as conn:
        add_account(conn, "mastodon", "@careers@northwind.social", BRAND_ID)
    toot = status(1, account("66", "mallory", "evil.example"), HOSTILE, mentions=(BRAND,))
    toot["created_at"] = stamp(datetime.now(UTC) - timedelta(hours=3))
    posts, problems = posts_from_page([toot], "import:mastodon")
    assert problems == []
    ws.ingest().batch(Batch("import:mastodon", posts))
    with ws.engine.connect() as conn:
        case_id = conn.execute(select(cases.c.id)).scalar_one()
    ws.engine.dispose()
    shown = (
        "@careers@northwind.social why no answer? <img src=x onerror=alert(1)> details "
        "[x](javascript:alert(5))"
    )
    with make_run(url) as base, browser_page() as page:
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(f"{base}/conversation?case={case_id}")
        rendered(page)
        page.get_by_text(shown, exact=True).first.wait_for()
        screenshot(page, "mastodon-xss-conversation")
        assert page.locator("img[src='x']").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        assert dialogs == []
