"""The response-rate report on an existing workspace: whole report and its SQL parts, as JSON.

    DATABASE_URL=sqlite:////path/to/db python bench/report_bench.py [--repeat 3] [--by week] [--cpu]

Prints one JSON object: the median milliseconds of ``reports.workspace_report`` over the whole
period (what ``bench/run.py`` reports as ``report_ms``), of the same report grouped by week (what
the Response rates page asks for first), and of each store function behind it, so a slow part
can be named rather than guessed. The database must already be migrated (open it once with the
CLI or the dashboard); this script never writes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from pipeline.reports import workspace_report
from store import report_frames
from store.db import create_store_engine
from store.report_frames import Period

ROOT = Path(__file__).resolve().parents[1]

CPU = "--cpu" in sys.argv


def median_ms(action, repeat: int) -> float:
    """Median wall-clock milliseconds; with ``--cpu``, CPU milliseconds of this process
    (SQLite runs inside it), which a busy machine disturbs less."""
    timings = []
    clock = time.process_time if CPU else time.perf_counter
    for _ in range(repeat):
        start = clock()
        action()
        timings.append((clock() - start) * 1000)
    return round(statistics.median(timings), 1)


def parts(conn, now: datetime, by: str | None, repeat: int) -> dict[str, float]:
    """Each query of ``store.report_frames`` on its own, over the whole period."""
    period = Period()
    calls = {
        "post_counts": lambda: report_frames.post_counts(conn, period, by),
        "case_counts": lambda: report_frames.case_counts(conn, period, by, now),
        "promise_counts": lambda: report_frames.promise_counts(conn, period, by, now),
        "ghosted_count": lambda: report_frames.ghosted_count(conn, period, now),
        "response_hours": lambda: report_frames.response_hours(conn, period, by),
    }
    return {f"{name}_{by or 'all'}_ms": median_ms(call, repeat) for name, call in calls.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--by", default="week", help="dimension of the grouped run")
    parser.add_argument("--cpu", action="store_true", help="CPU time instead of wall time")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("set DATABASE_URL to the workspace to measure")
    engine = create_store_engine(url)
    now = datetime.now(UTC)
    with engine.connect() as conn:
        result = {
            "report_ms": median_ms(lambda: workspace_report(conn, now=now), args.repeat),
            f"report_by_{args.by}_ms": median_ms(
                lambda: workspace_report(conn, by=args.by, now=now), args.repeat
            ),
            **parts(conn, now, None, args.repeat),
            **parts(conn, now, args.by, args.repeat),
            "cases": workspace_report(conn, now=now)["overall"]["needs_response"],
        }
    engine.dispose()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
