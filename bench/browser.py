"""Page times as a person feels them: from navigation to the page settled in Chromium.

    python -m bench.browser DATABASE_URL                  # one JSON object of browser_* keys
    python -m bench.browser DATABASE_URL listening sources  # only these pages (and the baseline)

A real ``streamlit run app.py`` serves the workspace on 127.0.0.1; Playwright drives Debian's
Chromium (never a downloaded browser). A page is *settled* when the server has sent Streamlit's
``script_finished`` message for the run, the running indicator is gone and every Plotly chart
has drawn its SVG. Each page is timed in 5 fresh sessions (a new browser context: a new
websocket session, the server's caches as the previous visitors left them) and in 5 warm
reruns in one session (Streamlit's rerun, the ``r`` key), and the medians are reported as
``browser_<page>_ms`` (fresh) and ``browser_<page>_warm_ms``.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine

from store import queries
from tests.support.browser import free_port, serving

ROOT = Path(__file__).resolve().parents[1]
PAGES: dict[str, tuple[str, str | None]] = {  # key -> (URL path, title the page draws)
    "backlog": ("", "Backlog"),
    "conversation": ("conversation", None),  # the case's author
    "rates": ("rates", "Response rates"),
    "listening": ("listening", "Listening"),
    "sources": ("sources", "Sources & settings"),
}
SAMPLES = 5
TIMEOUT_MS = 180_000
# True once the run's content is on screen: no running indicator, a title, every chart drawn.
SETTLED = """() => {
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (!document.querySelector('h1')) return false;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  return charts.every(c => c.querySelector('.main-svg'));
}"""


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise SystemExit("Debian's chromium is not installed (apt-get install chromium)")
    return path


@contextmanager
def served(database_url: str, app: str = "app.py") -> Iterator[str]:
    """``streamlit run APP`` on a free local port for the workspace; yields its base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", app, "--server.address", "127.0.0.1",
        "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with serving(command, port, {"DATABASE_URL": database_url}, subprocess.DEVNULL) as url:
        yield url


class RunWatch:
    """Counts Streamlit's ``script_finished`` messages on a page's websocket."""

    def __init__(self, page) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.finished = 0
        self.received = 0  # bytes of every websocket message, for the profile of a page's run
        self._message = ForwardMsg

        def frames(socket) -> None:
            socket.on("framereceived", self._frame)

        page.on("websocket", frames)

    def _frame(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.received += len(payload)
            message = self._message.FromString(payload)
            if message.WhichOneof("type") == "script_finished":
                self.finished += 1


def _settle(page, watch: RunWatch, runs_before: int, title: str | None) -> None:
    if title:
        page.wait_for_function(
            "t => [...document.querySelectorAll('h1')].some(h => h.innerText.trim() === t)",
            arg=title,
            timeout=TIMEOUT_MS,
        )
    while watch.finished <= runs_before:
        page.wait_for_timeout(5)
    page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)


def _fresh_ms(browser, address: str, title: str | None) -> float:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        page = context.new_page()
        watch = RunWatch(page)
        start = time.perf_counter()
        page.goto(address)
        _settle(page, watch, 0, title)
        return (time.perf_counter() - start) * 1000
    finally:
        context.close()


def _warm_ms(browser, address: str, title: str | None) -> tuple[list[float], float]:
    """Timings of the warm reruns, and the median bytes one rerun received."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    try:
        page = context.new_page()
        watch = RunWatch(page)
        page.goto(address)
        _settle(page, watch, 0, title)
        timings, sizes = [], []
        for _ in range(SAMPLES):
            runs, received = watch.finished, watch.received
            page.locator("h1").first.click()  # focus the app, not an input, for the shortcut
            start = time.perf_counter()
            page.keyboard.press("r")
            _settle(page, watch, runs, title)
            timings.append((time.perf_counter() - start) * 1000)
            sizes.append(watch.received - received)
        return timings, statistics.median(sizes)
    finally:
        context.close()


def _first_case(database_url: str) -> int | None:
    from datetime import UTC, datetime

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = queries.backlog(conn, datetime.now(UTC), limit=1)
    finally:
        engine.dispose()
    return int(rows["id"].iloc[0]) if len(rows) else None


def _medians(browser, address: str, title: str | None, key: str) -> dict[str, float]:
    fresh = [_fresh_ms(browser, address, title) for _ in range(SAMPLES)]
    warm, sent = _warm_ms(browser, address, title)
    return {
        f"browser_{key}_ms": round(statistics.median(fresh), 1),
        f"browser_{key}_warm_ms": round(statistics.median(warm), 1),
        f"browser_{key}_warm_kb": round(sent / 1024, 1),
    }


def browser_timings(database_url: str, only: tuple[str, ...] = ()) -> dict[str, float]:
    """``browser_<page>_ms`` (fresh sessions) and ``browser_<page>_warm_ms`` per page, and the
    same for ``bench/baseline_app.py`` (``browser_baseline_*``): Streamlit's own cost.
    ``browser_<page>_warm_kb`` is what one warm rerun sent over the websocket. ``only`` names
    the pages to time (all when empty): a quicker loop while working on one page."""
    unknown = set(only) - set(PAGES)
    if unknown:
        raise SystemExit(f"unknown page(s) {', '.join(sorted(unknown))}; pages: {', '.join(PAGES)}")
    from playwright.sync_api import sync_playwright

    case = _first_case(database_url)
    figures: dict[str, float] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            with served(database_url, "bench/baseline_app.py") as url:
                _fresh_ms(browser, url, "Baseline")
                figures |= _medians(browser, url, "Baseline", "baseline")
            with served(database_url) as url:
                figures |= _pages(browser, url, case, only or tuple(PAGES))
        finally:
            browser.close()
    return figures


def _pages(browser, url: str, case: int | None, keys: tuple[str, ...]) -> dict[str, float]:
    """The pages named by ``keys``, after one run that warms the server's caches."""
    _fresh_ms(browser, url, "Backlog")
    figures: dict[str, float] = {}
    for key in keys:
        path, title = PAGES[key]
        address = f"{url}/{path}"
        if key == "conversation" and case is not None:
            address += f"?case={case}"
        figures |= _medians(browser, address, title, key)
    return figures


if __name__ == "__main__":
    print(json.dumps(browser_timings(sys.argv[1], tuple(sys.argv[2:]))))
