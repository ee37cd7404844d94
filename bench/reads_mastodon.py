"""Child of bench/run.py: statuses read from a local fake Mastodon instance ÷ new posts stored.

A first sync finds 3,000 statuses on the hashtag and reads its newest page only; 1,000 newer ones
appear; a second sync must read exactly those, paging down to the cursor.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from sqlalchemy import func, select

from connectors.mastodon_api import MastodonTimeline, make_client
from pipeline.sync import sync_source
from pipeline.workspace import open_workspace
from settings import load_settings
from store.schema import posts
from tests.support.fake_mastodon import FakeMastodon
from tests.support.mastodon_statuses import conversation


def main() -> None:
    statuses = sorted(conversation(4000), key=lambda s: int(s["id"]))
    api = FakeMastodon(statuses=statuses[:3000])
    base = api.start()
    with tempfile.TemporaryDirectory() as folder:
        ws = open_workspace(
            load_settings({"DATABASE_URL": f"sqlite:///{folder}/reads.db"}, Path("/nonexistent"))
        )
        source = MastodonTimeline(
            "mastodon:tag:NorthwindJobs", "tag", "NorthwindJobs", make_client(base, "t")
        )
        sync_source(ws, source)
        api.statuses = statuses
        sync_source(ws, source)
        with ws.engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(posts)).scalar_one()
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
