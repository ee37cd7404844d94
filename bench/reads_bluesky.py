"""Child of bench/run.py: posts read from a local Bluesky XRPC server ÷ new posts stored.

An initial sync of ``bluesky:search`` reads 3,000 posts; 1,000 newer ones appear; the second
sync asks from its cursor on (``since``, two minutes behind the newest stored post) and reads
the new ones plus the posts of that overlap: here only the newest stored post, once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bench.reads import print_figures, reads_over_two_syncs
from connectors.bluesky_api import bluesky_sources, login
from tests.support.fake_bluesky import BRAND_HANDLE, BRAND_PASSWORD, FakeBluesky, post_view


def _posts(count: int, start: datetime, offset: int) -> list[dict]:
    return [
        post_view(
            f"3kb{offset + index:010d}",
            f"candidate{(offset + index) % 700}.bsky.social",
            f"Is Northwind hiring for role {offset + index}?",
            start + timedelta(seconds=150 * index),
        )
        for index in range(count)
    ]


def main() -> None:
    start = datetime.now(UTC) - timedelta(days=6.95)  # 4,000 posts 150 s apart end before now
    api = FakeBluesky(posts=_posts(3000, start, 0))
    base = api.start()
    session = login(BRAND_HANDLE, BRAND_PASSWORD, base)
    [search] = [s for s in bluesky_sources(session, "northwind", []) if s.kind == "search"]

    def grow() -> None:
        api.posts += _posts(1000, start + timedelta(seconds=150 * 3000), 3000)

    try:
        figures = reads_over_two_syncs(lambda: [search], grow, lambda: api.items_served)
    finally:
        api.stop()
    print_figures(figures)


if __name__ == "__main__":
    main()
