"""Performance figures per workspace size, as JSON: ingest against plain VADER, queries, pages
(run in AppTest, and settled in Chromium: ``bench/browser.py``), and pages under load (20
sessions while a sync writes: ``bench/load.py``).

    python bench/run.py [--sizes 10000,100000,1000000] [--json PATH] [--postgres URL]

Every ratio is taken in the same run on the same texts, because the machines are noisy. The
ingest runs in a child process so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, select, text
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from pipeline.reports import workspace_report
from store import queries
from store.schema import posts

ROOT = Path(__file__).resolve().parents[1]

# The pages bench/browser.py times in Chromium (keys browser_<page>_ms and _warm_ms), and
# its baseline: the smallest Streamlit page, Streamlit's own cost in the same run.
BROWSER_PAGES = ("backlog", "conversation", "rates", "listening", "sources", "baseline")
KEYS = (
    "posts",
    "ingest_posts_per_s",
    "vader_posts_per_s",
    "ratio_vs_vader",
    "peak_rss_mb",
    "backlog_ms",
    "report_ms",
    "backlog_page_ms",
    "rates_page_ms",
    "reads_per_new_post",
    "feed_reads_per_new_post",
    "bluesky_reads_per_new_post",
    "hn_reads_per_new_post",
    "one_core_posts",
    "one_core_posts_per_s",
    "one_core_vader_posts_per_s",
    "one_core_ratio_vs_vader",
    *(f"browser_{page}_{kind}" for page in BROWSER_PAGES for kind in ("ms", "warm_ms", "warm_kb")),
    # bench/load.py: 20 sessions at once while a sync writes, against one session alone.
    "load_sessions",
    "load_backlog_p50_ms",
    "load_backlog_p95_ms",
    "load_rates_p50_ms",
    "load_rates_p95_ms",
    "load_single_backlog_ms",
    "load_single_rates_ms",
)
# The single-process ingest is measured on a workspace of at most this many posts: at a
# million it would add ten minutes to a run that should stay under fifteen, and its rate is
# already flat from 100,000 on.
ONE_CORE_POSTS = 100_000


def _median_ms(action, repeat: int = 5) -> float:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(timings), 1)


def _child(module: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """Run ``python -m MODULE ARGS`` from the repository; the JSON object its last line prints.
    Every figure that needs its own process (its own peak memory, server or fake) comes so."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def ingest(url: str, size: int, workers: str) -> dict:
    """Seed the demo workspace in a child process; its own time and peak memory."""
    return _child(
        "bench.ingest_child", str(size), env={"DATABASE_URL": url, "FULLCIRCLE_WORKERS": workers}
    )


def vader_rate(url: str) -> float:
    """Plain VADER over every stored text, streamed."""
    analyser = SentimentIntensityAnalyzer()
    engine = create_engine(url)
    count, spent = 0, 0.0
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=5000).execute(
            select(posts.c.text)
        )
        for chunk in result.partitions(5000):
            texts = [row.text for row in chunk]
            start = time.perf_counter()
            for one in texts:
                analyser.polarity_scores(one)
            spent += time.perf_counter() - start
            count += len(texts)
    engine.dispose()
    return count / spent


def query_timings(url: str) -> tuple[float, float]:
    from store.db import create_store_engine

    engine = create_store_engine(url)
    now = datetime.now(UTC)
    with engine.connect() as conn:
        backlog = _median_ms(
            lambda: (
                queries.key_figures(conn, now),
                queries.backlog(conn, now, limit=100, platform="x", search="role"),
            )
        )
        report = _median_ms(lambda: workspace_report(conn), repeat=3)
    engine.dispose()
    return backlog, report


def page_ms(url: str, page: str) -> float:
    """One AppTest run of a page, after one warm-up run that fills the caches' code paths."""
    return _child("bench.page_child", page, env={"DATABASE_URL": url})["ms"]


def browser_timings(url: str) -> dict:
    """Every page settled in Chromium against a real ``streamlit run`` (bench/browser.py)."""
    return _child("bench.browser", url, env={"DATABASE_URL": url})


def load_timings(url: str) -> dict:
    """20 sessions on the Backlog and Response rates while a sync writes (``bench/load.py``).
    The sync adds posts, so this runs after every other figure of the workspace."""
    return _child("bench.load", url, env={"DATABASE_URL": url})


# Posts read from a local fake of the platform ÷ new posts stored, over an initial and an
# overlapping second sync: 1.00 means no post is read twice. Key -> the children that print it
# (each its own platform); a key with several reports the worst.
READS_CHILDREN: dict[str, tuple[str, ...]] = {
    "reads_per_new_post": ("bench.reads_child", "bench.reads_mastodon"),  # X, Mastodon
    # A feed read, then unchanged (one 304), then with newer entries.
    "feed_reads_per_new_post": ("bench.feed_reads_child",),
    # Bluesky reads its newest stored post again once per sync (the cursor's overlap):
    # 4,001 reads for 4,000 posts, 1.0002.
    "bluesky_reads_per_new_post": ("bench.reads_bluesky",),
    # The brand query and a brand account against a replayed Algolia API.
    "hn_reads_per_new_post": ("bench.hn_reads_child",),
}


def reads_per_new_post() -> dict[str, float]:
    """Every reads key: the highest ratio among its children."""
    return {
        key: max(_child(child)["reads_per_new_post"] for child in children)
        for key, children in READS_CHILDREN.items()
    }


def _postgres_database(server_url: str) -> str:
    name = f"fc_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server_url.rpartition('/')[0]}/{name}"


def one_core(size: int, url: str) -> dict:
    """The same ingest in a single process (``FULLCIRCLE_WORKERS=1``), against plain VADER on
    that workspace's texts."""
    posts = min(size, ONE_CORE_POSTS)
    loaded = ingest(url, posts, "1")
    vader = vader_rate(url)
    return {
        "one_core_posts": posts,
        "one_core_posts_per_s": round(loaded["posts_per_s"]),
        "one_core_vader_posts_per_s": round(vader),
        "one_core_ratio_vs_vader": round(loaded["posts_per_s"] / vader, 3),
    }


# Figures that can be left out of a run (``--skip``), each with what it costs: a PostgreSQL run
# at a million posts wants its ingest and query figures without another hour of the rest.
OPTIONAL_STEPS = ("reads", "one_core", "browser", "load")


def measure(
    size: int, url: str, one_core_url: str, workers: str, skip: frozenset[str] = frozenset()
) -> dict:
    started = time.perf_counter()
    loaded = ingest(url, size, workers)
    vader = vader_rate(url)
    backlog, report = query_timings(url)
    figures = {
        "posts": size,
        "ingest_posts_per_s": round(loaded["posts_per_s"]),
        "vader_posts_per_s": round(vader),
        "ratio_vs_vader": round(loaded["posts_per_s"] / vader, 3),
        "peak_rss_mb": loaded["peak_rss_mb"],
        "backlog_ms": backlog,
        "report_ms": report,
        "backlog_page_ms": page_ms(url, "pages/backlog.py"),
        "rates_page_ms": page_ms(url, "pages/rates.py"),
    }
    steps = {
        "reads": reads_per_new_post,
        "one_core": lambda: one_core(size, one_core_url),
        "browser": lambda: browser_timings(url),
        "load": lambda: load_timings(url),  # last: its sync adds posts
    }
    for step in OPTIONAL_STEPS:
        if step not in skip:
            figures |= steps[step]()
    return figures | {
        "workers": loaded["workers"],
        "backend": url.split(":")[0],
        "skipped": sorted(skip),
        "measured_in_s": round(time.perf_counter() - started),
    }


def _skip(text: str) -> frozenset[str]:
    """``--skip``: optional steps, comma-separated."""
    steps = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = steps - set(OPTIONAL_STEPS)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown step {', '.join(sorted(unknown))}: choose from {', '.join(OPTIONAL_STEPS)}"
        )
    return steps


def _sizes(text: str) -> list[int]:
    """``--sizes``: whole numbers of posts, comma-separated."""
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r}: give whole numbers of posts separated by commas, e.g. 10000,100000"
        ) from None
    if any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError(f"{text!r}: every size must be at least 1 post")
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_sizes, default="10000,100000,1000000")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--postgres", help="a PostgreSQL server URL: measure there too")
    parser.add_argument("--workers", default="auto", help="FULLCIRCLE_WORKERS for the ingest")
    parser.add_argument(
        "--skip", type=_skip, default=frozenset(), help=f"leave out: {', '.join(OPTIONAL_STEPS)}"
    )
    parser.add_argument(
        "--postgres-only", action="store_true", help="with --postgres: measure PostgreSQL alone"
    )
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="fullcircle-bench-") as folder:
        for size in args.sizes:
            targets = []
            if not (args.postgres and args.postgres_only):
                targets.append(
                    (
                        f"sqlite:///{Path(folder) / f'bench-{size}.db'}",
                        f"sqlite:///{Path(folder) / f'bench-{size}-one-core.db'}",
                    )
                )
            if args.postgres:
                targets.append(
                    (_postgres_database(args.postgres), _postgres_database(args.postgres))
                )
            for url, one_core_url in targets:
                figures = measure(size, url, one_core_url, args.workers, args.skip)
                print(json.dumps(figures), flush=True)
                results.append(figures)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
