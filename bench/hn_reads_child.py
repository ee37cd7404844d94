"""Child of bench/run.py: items read from a replayed Algolia HN Search API ÷ new posts stored.

An initial sync of the brand query and the brand account reads 900 items; 300 newer ones appear;
a second sync must read only those. The window stays under Algolia's 1,000-hit ceiling, past
which one boundary item is read twice by design (README, Hacker News).
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from connectors.hn_api import hn_sources
from pipeline.sync import sync_source
from pipeline.workspace import open_workspace
from settings import load_settings
from store.schema import posts
from tests.support.fake_hn_api import BRAND_USER, FakeHnApi, conversation


def hn_reads_per_new_post() -> float:
    now = datetime.now(UTC)
    api = FakeHnApi(conversation(900, now - timedelta(days=10)))
    base = api.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            ws = open_workspace(
                load_settings({"DATABASE_URL": f"sqlite:///{folder}/hn.db"}, Path("/nonexistent"))
            )
            for source in hn_sources("Northwind Labs", [BRAND_USER], base):
                sync_source(ws, source)
            api.add(conversation(300, now - timedelta(days=2), first_id=47000000))
            for source in hn_sources("Northwind Labs", [BRAND_USER], base):
                sync_source(ws, source)
            with ws.engine.connect() as conn:
                stored = conn.execute(select(func.count()).select_from(posts)).scalar_one()
            ws.engine.dispose()
    finally:
        api.stop()
    return round(api.items_served / stored, 4)


def main() -> None:
    print(json.dumps({"reads_per_new_post": hn_reads_per_new_post()}))


if __name__ == "__main__":
    main()
