"""A very long post opens on the Conversation page: its start in the thread, the rest on demand.

Before the caps a 200 MB post made Streamlit refuse the page (``MessageSizeError``); now a post
holds at most 64 KB, and the thread shows its first characters with the whole stored text in
an expander, so one long post does not bury the conversation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from connectors import x
from connectors.base import Batch
from pipeline.workspace import open_workspace
from store.schema import cases, posts
from tests.conftest import workspace_settings
from tests.pages.conftest import run_app
from tests.support.x_pages import snowflake, tweet

LONG = "@NorthwindLabs any update on my application? " + "I waited so long. " * 70_000  # 1.2 MB


def test_a_long_post_shows_its_start_and_the_whole_text_in_an_expander(env):
    at_time = datetime.now(UTC) - timedelta(hours=3)
    found, _ = x.posts_from_page({"data": [tweet(snowflake(at_time), "201", LONG, at_time)]})
    ws = open_workspace(workspace_settings(env))
    ws.ingest().batch(Batch("x:search", found))
    with ws.engine.connect() as conn:
        case_id = conn.execute(select(cases.c.id)).scalar_one()
        stored = conn.execute(select(posts.c.text)).scalar_one()
    ws.engine.dispose()
    assert LONG.startswith(stored) and len(stored.encode()) <= 64 * 1024

    at = run_app("pages/conversation.py", case_id=case_id)
    [shown, whole] = [t.value for t in at.text if t.value.startswith("@NorthwindLabs")]
    assert whole == stored
    assert stored.startswith(shown.removesuffix("…")) and len(shown) <= 2_000
    [more] = [e for e in at.expander if e.label.startswith("Show the whole post")]
    assert f"{len(stored):,} characters" in more.label
    assert [t.value for t in more.text] == [stored]
