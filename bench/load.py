"""Many people at once: 20 sessions on the Backlog and Response rates while a sync writes.

    python -m bench.load DATABASE_URL      # prints one JSON object of load_* keys

Each session is its own process (``multiprocessing``, spawn) driving Streamlit's AppTest of
app.py, as one browser tab would: it opens the dashboard, visits both pages once to load its
code, waits until every session and the writer are ready, then switches between ``pages/backlog.py`` and
``pages/rates.py`` ``RUNS`` times, timing each page run. Every timed run starts with Streamlit's
data cache cleared, as right after a sync (the Sources page clears it so reports include the
new posts), so every visit queries the database. Meanwhile one writer process runs syncs in a
loop: it ingests ``SYNC_POSTS`` freshly generated demo posts (a new seed each time, so most
are new and a few are repeats, as in an overlapping sync) through the workspace's own ingest,
holding write transactions while the readers read.

The keys: ``load_sessions``; ``load_backlog_p50_ms``/``_p95_ms`` and ``load_rates_p50_ms``/
``_p95_ms`` over every timed run of every session under the sync; and the same run's baseline,
``load_single_backlog_ms``/``load_single_rates_ms``, the medians of one session alone with no
sync, so the ratios can be read on a noisy machine. ``load_sync_batches`` and
``load_sync_new_posts`` show how much the writer did meanwhile.

Twenty processes on two cores is heavy: each session's work is kept small (``RUNS`` runs of
each page) so the whole step stays under about two minutes at 10,000 posts (75 s measured,
71 s at 100,000). A real ``streamlit run`` shares one cache, and one Python process, between
its sessions; here every session is its own process and every visit pays for its own queries.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import statistics
import sys
import time
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from queue import Empty
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SESSIONS = 20
RUNS = 3
SYNC_POSTS = 500
FIRST_SYNC_SEED = 1000  # the demo workspace itself is seed 7: later seeds make new posts
PAGES = {"backlog": "pages/backlog.py", "rates": "pages/rates.py"}
TITLES = {"backlog": "Backlog", "rates": "Response rates"}
# A session that has not reported by then has hung; the step fails rather than wait forever.
SESSION_TIMEOUT_S = 1200


def _serve_through_app() -> None:
    """Keep every AppTest run inside app.py's ``st.navigation``, as the server does after a
    session's first run (AppTest would otherwise reset Streamlit's ``pages/`` directory mode
    before each run and the page would reroute through app.py)."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]


def _run_page(app: Any, key: str) -> float:
    """One run of a page with empty data caches; its time in ms. A page that raised or did
    not draw its title fails the step: a fast error is not a fast page."""
    import streamlit as st

    st.cache_data.clear()
    start = time.perf_counter()
    app.switch_page(PAGES[key]).run()
    elapsed = (time.perf_counter() - start) * 1000
    if app.exception:
        raise RuntimeError(f"{PAGES[key]} raised: {app.exception[0].message}")
    titles = [title.value for title in app.title]
    if TITLES[key] not in titles:
        raise RuntimeError(f"{PAGES[key]} drew {titles}, not its title {TITLES[key]!r}")
    return elapsed


def session(url: str, runs: int, ready: Barrier | None, results: Any) -> None:
    """One person: open the dashboard, warm up, then time ``runs`` visits of each page."""
    os.environ["DATABASE_URL"] = url
    try:
        from streamlit.testing.v1 import AppTest

        _serve_through_app()
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=SESSION_TIMEOUT_S)
        app.run()
        for key in PAGES:
            _run_page(app, key)
        if ready is not None:
            ready.wait()
        timings: dict[str, list[float]] = {key: [] for key in PAGES}
        for _ in range(runs):
            for key in PAGES:
                timings[key].append(_run_page(app, key))
        results.put(timings)
    except BaseException as exc:  # the parent reports it; a dead child would only time out
        if ready is not None:
            ready.abort()  # the others stop waiting for this session
        results.put({"error": f"{type(exc).__name__}: {exc}"})
        raise


def sync_loop(url: str, ready: Barrier, stop: Event, results: Any) -> None:
    """The writer: once every session is ready, ingest a new batch of generated posts, again
    and again, until stopped (at least one, so the readers always met a writer)."""
    os.environ["DATABASE_URL"] = url
    try:
        from demo.batches import demo_batches
        from pipeline.workspace import open_workspace

        ws = open_workspace()
        batches = new_posts = 0
        ready.wait()
        while True:
            totals = ws.ingest().run(demo_batches(SYNC_POSTS, FIRST_SYNC_SEED + batches))
            batches, new_posts = batches + 1, new_posts + totals.new_posts
            if stop.is_set():
                break
        ws.engine.dispose()
        results.put({"batches": batches, "new_posts": new_posts})
    except BaseException as exc:
        ready.abort()
        results.put({"error": f"{type(exc).__name__}: {exc}"})
        raise


def _collect(results: Any, count: int) -> list[dict]:
    collected: list[dict] = []
    deadline = time.monotonic() + SESSION_TIMEOUT_S
    while len(collected) < count:
        try:
            item = results.get(timeout=max(deadline - time.monotonic(), 0.1))
        except Empty:
            raise SystemExit(
                f"load test: {count - len(collected)} processes did not report"
            ) from None
        if "error" in item:
            raise SystemExit(f"load test: a process failed: {item['error']}")
        collected.append(item)
    return collected


def p95(values: list[float]) -> float:
    """The 95th percentile, interpolated between the runs either side of it."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def alone(url: str) -> dict[str, float]:
    """The baseline: one session, no sync; the median of its runs per page."""
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    one = ctx.Process(target=session, args=(url, RUNS, None, results), daemon=True)
    one.start()
    [timings] = _collect(results, 1)
    one.join()
    return {key: statistics.median(timings[key]) for key in PAGES}


def crowd(url: str, sessions: int) -> tuple[dict[str, list[float]], dict]:
    """``sessions`` sessions at once while the writer syncs; every timed run per page."""
    ctx = multiprocessing.get_context("spawn")
    results, synced = ctx.Queue(), ctx.Queue()
    stop, ready = ctx.Event(), ctx.Barrier(sessions + 1)  # and the writer
    writer = ctx.Process(target=sync_loop, args=(url, ready, stop, synced), daemon=True)
    people = [
        ctx.Process(target=session, args=(url, RUNS, ready, results), daemon=True)
        for _ in range(sessions)
    ]
    writer.start()
    for person in people:
        person.start()
    try:
        reports = _collect(results, sessions)
    finally:
        stop.set()
    [sync] = _collect(synced, 1)
    for process in (*people, writer):
        process.join()
    timings = {key: [ms for report in reports for ms in report[key]] for key in PAGES}
    return timings, sync


def measure(url: str, sessions: int = SESSIONS) -> dict:
    single = alone(url)
    timings, sync = crowd(url, sessions)
    figures: dict[str, float] = {"load_sessions": sessions}
    for key in PAGES:
        figures[f"load_{key}_p50_ms"] = round(statistics.median(timings[key]), 1)
        figures[f"load_{key}_p95_ms"] = round(p95(timings[key]), 1)
    for key in PAGES:
        figures[f"load_single_{key}_ms"] = round(single[key], 1)
    figures["load_sync_batches"] = sync["batches"]
    figures["load_sync_new_posts"] = sync["new_posts"]
    return figures


def main() -> None:
    if len(sys.argv) not in (2, 3):
        raise SystemExit("usage: python -m bench.load DATABASE_URL [SESSIONS]")
    sessions = int(sys.argv[2]) if len(sys.argv) == 3 else SESSIONS
    print(json.dumps(measure(sys.argv[1], sessions)))


if __name__ == "__main__":
    main()
