"""Child of bench/run.py: seed a demo workspace of N posts; print its ingest rate and memory.

The demo generator's own time is measured first and subtracted: what remains is mapping the
platform payloads, analysis, storing and case updates — the import path end to end.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from demo.payloads import generate
from pipeline.workspace import open_workspace

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    size = int(sys.argv[1])
    ws = open_workspace()
    start = time.perf_counter()
    for _ in generate(posts=size):
        pass
    generating = time.perf_counter() - start
    start = time.perf_counter()
    ws.seed_demo(size, reset=True)
    seeding = time.perf_counter() - start
    peak_kb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    print(
        json.dumps(
            {
                "posts_per_s": size / max(seeding - generating, 1e-9),
                "peak_rss_mb": round(peak_kb / 1024),
                "workers": ws.settings.workers,
                "seconds": round(seeding, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
