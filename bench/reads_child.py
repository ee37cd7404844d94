"""Child of bench/run.py: posts read from a replayed X API ÷ new posts stored.

An initial sync reads 3,000 posts; 1,000 newer ones appear; a second sync must read only those.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bench.reads import print_figures, reads_over_two_syncs
from connectors.x_api import XTimeline, make_client
from tests.support.fake_x_api import FakeXApi, conversation_tweets


def main() -> None:
    api = FakeXApi(conversation_tweets(3000))
    base = api.start()
    source = XTimeline("x:search", "search", "Northwind", make_client("t", base_url=base))

    def grow() -> None:
        newer = conversation_tweets(1000, start=datetime(2026, 11, 20, tzinfo=UTC))
        api.tweets = sorted(api.tweets + newer, key=lambda t: int(t["id"]), reverse=True)

    try:
        figures = reads_over_two_syncs(lambda: [source], grow, lambda: api.items_served)
    finally:
        api.stop()
    print_figures(figures)


if __name__ == "__main__":
    main()
