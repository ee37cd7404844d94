"""Child of bench/run.py: posts read from a replayed X API ÷ new posts stored.

An initial sync reads 3,000 posts; 1,000 newer ones appear; a second sync must read only those.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from connectors.x_api import XTimeline, make_client
from pipeline.sync import sync_source
from pipeline.workspace import open_workspace
from settings import load_settings
from store.schema import posts
from tests.support.fake_x_api import FakeXApi, conversation_tweets

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    api = FakeXApi(conversation_tweets(3000))
    base = api.start()
    with tempfile.TemporaryDirectory() as folder:
        ws = open_workspace(
            load_settings({"DATABASE_URL": f"sqlite:///{folder}/reads.db"}, Path("/nonexistent"))
        )
        source = XTimeline("x:search", "search", "Northwind", make_client("t", base_url=base))
        sync_source(ws, source)
        newer = conversation_tweets(1000, start=datetime(2026, 11, 20, tzinfo=UTC))
        api.tweets = sorted(api.tweets + newer, key=lambda t: int(t["id"]), reverse=True)
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
