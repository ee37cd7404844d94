"""Child of tests/test_bulk_import.py: seed the demo as a bulk import and stop for good after
the first batch is committed, so the test can kill it between batches.

usage: python -m tests.support.bulk_seed_child POSTS (DATABASE_URL names the workspace)
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from pipeline import workspace
from pipeline.ingest import IngestTotals

END = datetime(2026, 11, 1, tzinfo=UTC)


def main() -> None:
    workspace.BULK_THRESHOLD_POSTS = 1_000
    ws = workspace.open_workspace()

    def stop_after_first(totals: IngestTotals) -> None:
        print(f"committed {totals.new_posts}", flush=True)
        time.sleep(600)

    ws.seed_demo(int(sys.argv[1]), end=END, on_batch=stop_after_first)


if __name__ == "__main__":
    main()
