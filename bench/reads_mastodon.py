"""Child of bench/run.py: statuses read from a local fake Mastodon instance ÷ new posts stored.

A first sync finds 3,000 statuses on the hashtag and reads its newest page only; 1,000 newer ones
appear; a second sync must read exactly those, paging down to the cursor.
"""

from __future__ import annotations

from bench.reads import print_figures, reads_over_two_syncs
from connectors.mastodon_api import MastodonTimeline, make_client
from tests.support.fake_mastodon import FakeMastodon
from tests.support.mastodon_statuses import conversation


def main() -> None:
    statuses = sorted(conversation(4000), key=lambda s: int(s["id"]))
    api = FakeMastodon(statuses=statuses[:3000])
    base = api.start()
    source = MastodonTimeline(
        "mastodon:tag:NorthwindJobs", "tag", "NorthwindJobs", make_client(base, "t")
    )

    def grow() -> None:
        api.statuses = statuses

    try:
        figures = reads_over_two_syncs(lambda: [source], grow, lambda: api.items_served)
    finally:
        api.stop()
    print_figures(figures)


if __name__ == "__main__":
    main()
