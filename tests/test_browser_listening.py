"""Listening in headless Chromium: a click on a day of the volume chart lists that day's posts."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from pipeline.workspace import open_workspace
from tests.conftest import workspace_settings
from tests.support.browser import browser_page, chromium_path, make_run, rendered, screenshot
from tests.support.factories import batch, post

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SPIKE_POSTS = 30


def _spike_workspace(url: str) -> datetime:
    """Two posts a day for three weeks and 30 on one day five days ago; returns that day."""
    day = datetime.combine(datetime.now(UTC).date(), time(), UTC) - timedelta(days=5)
    calm = [
        post(f"calm-{n}-{k}", f"Calm day {n} post {k}", author=f"c{k}", at=day - timedelta(days=n))
        for n in range(1, 22)
        for k in range(2)
    ]
    burst = [
        post(
            f"burst-{k}",
            f"Spike post {k}",
            author=f"b{k}",
            at=day + timedelta(minutes=40 * k),
            thread=f"burst-{k}",
        )
        for k in range(SPIKE_POSTS)
    ]
    ws = open_workspace(workspace_settings(url))
    ws.ingest().batch(batch(*calm, *burst))
    ws.engine.dispose()
    return day


def test_clicking_the_spike_bar_lists_that_days_posts(tmp_path):
    chromium_path()
    url = f"sqlite:///{tmp_path / 'spike.db'}"
    day = _spike_workspace(url)
    with make_run(url) as base, browser_page() as page:
        page.set_viewport_size({"width": 1440, "height": 1000})
        page.goto(f"{base}/listening")
        rendered(page)
        chart = page.locator("[data-testid='stPlotlyChart']").first
        chart.scroll_into_view_if_needed()
        bars = chart.locator("g.trace.bars g.point path")
        bars.first.wait_for()
        boxes = [bars.nth(i).bounding_box() for i in range(bars.count())]
        tallest = max((b for b in boxes if b), key=lambda b: b["height"])
        page.mouse.click(tallest["x"] + tallest["width"] / 2, tallest["y"] + tallest["height"] / 2)
        rendered(page)
        page.get_by_text(
            f"Showing {SPIKE_POSTS} of {SPIKE_POSTS} inbound posts of {day:%a %d %b %Y}"
        ).wait_for(timeout=60_000)
        screenshot(page, "listening-spike-day")
