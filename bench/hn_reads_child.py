"""Child of bench/run.py: items read from a replayed Algolia HN Search API ÷ new posts stored.

An initial sync of the brand query and the brand account reads 900 items; 300 newer ones appear;
a second sync must read only those. The window stays under Algolia's 1,000-hit ceiling, past
which one boundary item is read twice by design (README, Hacker News).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bench.reads import print_figures, reads_over_two_syncs
from connectors.hn_api import hn_sources
from tests.support.fake_hn_api import BRAND_USER, FakeHnApi, conversation


def hn_reads_per_new_post() -> float:
    now = datetime.now(UTC)
    api = FakeHnApi(conversation(900, now - timedelta(days=10)))
    base = api.start()
    try:
        figures = reads_over_two_syncs(
            lambda: hn_sources("Northwind Labs", [BRAND_USER], base),
            lambda: api.add(conversation(300, now - timedelta(days=2), first_id=47000000)),
            lambda: api.items_served,
        )
    finally:
        api.stop()
    return figures["reads_per_new_post"]


def main() -> None:
    print_figures({"reads_per_new_post": hn_reads_per_new_post()})


if __name__ == "__main__":
    main()
