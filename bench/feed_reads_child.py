"""Child of bench/run.py: feed entries handed on for analysis ÷ new posts stored.

A feed lists its newest entries whatever was read before, so without the cursor each sync would
hand every listed entry on again. A first sync reads a 500-entry feed; an unchanged feed answers
304; then 100 newer entries push 100 old ones out and a third sync must hand on only those 100.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from connectors.feed_api import FeedSource
from pipeline.sync import sync_source
from pipeline.workspace import open_workspace
from settings import load_settings
from store.schema import posts
from store.sync_state import get_state
from tests.support.fake_feed_server import RSS, FakeFeedServer

LISTED = 500


def rss(first: int, count: int) -> bytes:
    """An RSS 2.0 feed listing entries ``first + count - 1`` down to ``first``, newest first."""
    start = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
    items = "".join(
        f"<item><title>Interview day {n} at Northwind Labs</title>"
        f"<link>https://blog.example.com/{n}</link><guid>https://blog.example.com/{n}</guid>"
        f"<description>Has anyone heard back after round {n}?</description>"
        f"<pubDate>{(start + timedelta(hours=n)).strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate>"
        "</item>"
        for n in range(first + count - 1, first - 1, -1)
    )
    return f"<rss version='2.0'><channel><title>Blog</title>{items}</channel></rss>".encode()


def measure() -> dict:
    server = FakeFeedServer()
    server.start()
    try:
        url = server.serve("/feed.xml", rss(0, LISTED), RSS)
        with tempfile.TemporaryDirectory() as folder:
            settings = load_settings(
                {"DATABASE_URL": f"sqlite:///{folder}/reads.db"}, Path("/nonexistent")
            )
            ws = open_workspace(settings)
            source = FeedSource(url)
            sync_source(ws, source)
            sync_source(ws, source)  # unchanged: 304
            server.serve("/feed.xml", rss(100, LISTED), RSS)
            sync_source(ws, source)
            with ws.engine.connect() as conn:
                read = get_state(conn, source.name)["items_read"]
                stored = conn.execute(select(func.count()).select_from(posts)).scalar_one()
            ws.engine.dispose()
    finally:
        server.stop()
    return {
        "read": read,
        "stored": stored,
        "requests": len(server.requests),
        "reads_per_new_post": round(read / stored, 4),
    }


if __name__ == "__main__":
    print(json.dumps(measure()))
