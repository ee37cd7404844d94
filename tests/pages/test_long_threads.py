"""A long thread draws its newest posts first and every earlier one is a click away: a thread
of a hundred posts drawn post by post made the Conversation page slow to settle."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from dashboard.views import THREAD_PAGE
from pipeline.workspace import open_workspace
from store.schema import posts
from tests.conftest import workspace_settings
from tests.pages.conftest import run_app, today_midnight
from tests.support.factories import batch, post

POSTS = THREAD_PAGE + 15


def _long_thread(env) -> int:
    """A candidate's question and 39 more posts in the same thread; returns its case id."""
    ws = open_workspace(workspace_settings(env))
    start = today_midnight() - timedelta(days=2)
    first = post("p0", "When will I hear back about my application?", at=start, thread="long")
    more = [
        post(f"p{k}", f"Follow-up number {k}", at=start + timedelta(minutes=k), thread="long")
        for k in range(1, POSTS)
    ]
    ws.ingest().batch(batch(first, *more))
    with ws.engine.connect() as conn:
        case_id = conn.execute(select(posts.c.case_id).where(posts.c.external_id == "p0"))
        found = int(case_id.scalar_one())
    ws.engine.dispose()
    return found


def _shown(at) -> list[str]:
    return [t.value for t in at.text]


def test_a_long_thread_shows_its_newest_posts_and_reaches_every_earlier_one(env):
    case_id = _long_thread(env)
    at = run_app("pages/conversation.py", case_id=case_id)
    assert f"Thread · {POSTS} post(s)" in [s.value for s in at.subheader]
    assert _shown(at) == [
        "When will I hear back about my application?",  # the case's own post leads
        *(f"Follow-up number {k}" for k in range(POSTS - THREAD_PAGE, POSTS)),
    ]
    assert f"Showing the case's first post and the latest {THREAD_PAGE} of {POSTS} posts." in [
        c.value for c in at.caption
    ]

    at.button(key=f"thread_earlier_{case_id}").click().run()
    assert not at.exception
    assert _shown(at) == [
        "When will I hear back about my application?",
        *(f"Follow-up number {k}" for k in range(1, POSTS)),
    ]
    assert not [b for b in at.button if b.key == f"thread_earlier_{case_id}"]
    at.run()
    assert len(_shown(at)) == POSTS  # what was opened stays open
