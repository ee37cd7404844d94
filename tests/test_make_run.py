"""`make run` on an empty workspace serves the dashboard with the demo, seen in a real browser."""

from __future__ import annotations

import pytest

from tests.support.browser import ROOT, browser_page, chromium_path, make_run, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_make_run_seeds_the_demo_and_serves_the_backlog(tmp_path):
    chromium_path()
    (ROOT / "artifacts").mkdir(exist_ok=True)
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    with make_run(url, FULLCIRCLE_DEMO_POSTS="600") as base, browser_page() as page:
        page.goto(base)
        page.get_by_text("Demo data").first.wait_for(timeout=60_000)
        page.get_by_role("heading", name="Backlog").wait_for(timeout=30_000)
        page.get_by_text("Needs an answer").first.wait_for(timeout=30_000)
        screenshot(page, "make-run-backlog")
