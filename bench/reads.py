"""The measurement every reads child shares: posts a platform served ÷ new posts stored, over a
first sync and a second one after newer posts appeared. 1.0 means no post was read twice, which
on a pay-per-read API is money."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import func, select

from pipeline.sync import sync_source
from pipeline.workspace import open_workspace
from settings import load_settings
from store.schema import posts


def reads_over_two_syncs(
    sources: Callable[[], Sequence], grow: Callable[[], None], served: Callable[[], int]
) -> dict:
    """Sync ``sources()`` into a new workspace, ``grow()`` the fake's posts, sync again."""
    with tempfile.TemporaryDirectory() as folder:
        ws = open_workspace(
            load_settings({"DATABASE_URL": f"sqlite:///{folder}/reads.db"}, Path("/nonexistent"))
        )
        for source in sources():
            sync_source(ws, source)
        grow()
        for source in sources():
            sync_source(ws, source)
        with ws.engine.connect() as conn:
            stored = conn.execute(select(func.count()).select_from(posts)).scalar_one()
        ws.engine.dispose()
    read = served()
    return {"read": read, "stored": stored, "reads_per_new_post": round(read / stored, 4)}


def print_figures(figures: dict) -> None:
    """The child's one line of output, read by bench/run.py."""
    print(json.dumps(figures))
