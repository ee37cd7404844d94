"""Child of bench/run.py: posts read from a local Bluesky XRPC server ÷ new posts stored.

An initial sync of ``bluesky:search`` reads 3,000 posts; 1,000 newer ones appear; the second
sync asks from its cursor on (``since``, two minutes behind the newest stored post) and reads
the new ones plus the posts of that overlap: here only the newest stored post, once.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from connectors.bluesky_api import bluesky_sources, login
from pipeline.sync import sync_source
from pipeline.workspace import open_workspace
from settings import load_settings
from store.schema import posts
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
    with tempfile.TemporaryDirectory() as folder:
        ws = open_workspace(
            load_settings({"DATABASE_URL": f"sqlite:///{folder}/reads.db"}, Path("/nonexistent"))
        )
        session = login(BRAND_HANDLE, BRAND_PASSWORD, base)
        [search] = [s for s in bluesky_sources(session, "northwind", []) if s.kind == "search"]
        sync_source(ws, search)
        api.posts += _posts(1000, start + timedelta(seconds=150 * 3000), 3000)
        sync_source(ws, search)
        with ws.engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(posts)).scalar_one()
        ws.engine.dispose()
    api.stop()
    print(
        json.dumps(
            {
                "read": api.items_served,
                "stored": stored,
                "reads_per_new_post": round(api.items_served / stored, 4),
            }
        )
    )


if __name__ == "__main__":
    main()
