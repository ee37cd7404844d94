"""Listening lists the posts behind a day of its volume chart, a spike day first of all.

The page marked a spike and offered no way to read it. A click on the chart picks the day;
the "Posts of one day" box does the same from the keyboard, which is what these tests drive
(AppTest cannot click a Plotly point; tests/test_browser_pages.py clicks one in Chromium).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from pipeline.workspace import open_workspace
from store.schema import posts
from tests.conftest import workspace_settings
from tests.pages.conftest import run_app, today_midnight
from tests.support.factories import batch, post

SPIKE_POSTS = 30


@pytest.fixture
def spike(env):
    """Two calm posts a day for three weeks, then one day with a spike of 30 (18 on X, 12 on
    Reddit), a post a second before and one at the first second after that day."""
    ws = open_workspace(workspace_settings(env))
    day = today_midnight() - timedelta(days=5)
    calm = [
        post(f"calm-{n}-{k}", f"Calm day {n} post {k}", author=f"c{k}", at=day - timedelta(days=n))
        for n in range(1, 22)
        for k in range(2)
    ]
    burst = [
        post(
            f"burst-{k}",
            f"Spike post {k}: is the Berlin office closing?",
            author=f"b{k}",
            at=day + timedelta(minutes=40 * k),
            platform="x" if k < 18 else "reddit",
            thread=f"burst-{k}",
        )
        for k in range(SPIKE_POSTS)
    ]
    edges = [
        post("before", "Just before the spike", at=day - timedelta(seconds=1)),
        post("after", "Just after the spike", at=day + timedelta(days=1)),
    ]
    ws.ingest().batch(batch(*calm, *burst, *edges))
    yield ws, day
    ws.engine.dispose()


def _choose(at, mark: str = "spike"):
    """Pick the one day of the box whose label holds ``mark`` (the box's own text)."""
    box = at.selectbox(key="listening_day")
    [index] = [i for i, label in enumerate(box.options) if mark in label]
    return box.select_index(index).run()


def _listed(at) -> list[str]:
    [table] = [d for d in at.dataframe if "Needs an answer" in d.value.columns]
    return list(table.value["Post"])


def test_choosing_the_spike_day_lists_exactly_that_days_posts(spike):
    _, day = spike
    at = run_app("pages/listening.py")
    assert at.metric[3].value == "1"  # the page marks one spike day
    at = _choose(at)
    assert not at.exception, [e.value for e in at.exception]
    listed = _listed(at)
    assert sorted(listed) == sorted(
        f"Spike post {k}: is the Berlin office closing?" for k in range(SPIKE_POSTS)
    )
    assert at.selectbox(key="listening_day").value == day.date()
    assert any(
        f"Showing {SPIKE_POSTS} of {SPIKE_POSTS} inbound posts of {day:%a %d %b %Y}" in c.value
        for c in at.caption
    )


def test_the_days_posts_follow_the_sidebar_channels(spike):
    _, day = spike
    at = run_app("pages/listening.py")
    at.multiselect(key="channels").set_value(["reddit"]).run()
    at = _choose(at, f"{day:%a %d %b %Y} · 12 posts")
    listed = _listed(at)
    assert sorted(listed) == sorted(
        f"Spike post {k}: is the Berlin office closing?" for k in range(18, SPIKE_POSTS)
    )


def test_a_long_day_shows_how_many_of_its_posts_are_listed(spike, monkeypatch):
    from store import listening

    monkeypatch.setattr(listening, "DAY_POSTS_ROWS", 10)
    at = _choose(run_app("pages/listening.py"))
    assert len(_listed(at)) == 10
    assert any(f"Showing 10 of {SPIKE_POSTS} inbound posts" in c.value for c in at.caption)


def test_selecting_a_listed_post_opens_its_conversation(spike):
    ws, day = spike
    question = post(
        "mail-1",
        "Hi, when will I hear back about my application for the backend role?",
        author="jan@example.com",
        at=day + timedelta(hours=23),
        platform="email",
        thread="mail-1",
    )
    ws.ingest().batch(batch(question))
    with ws.engine.connect() as conn:
        case_id = conn.execute(
            select(posts.c.case_id).where(posts.c.external_id == "mail-1")
        ).scalar_one()
    assert case_id is not None
    at = _choose(run_app("pages/listening.py"), f"{day:%a %d %b %Y} · {SPIKE_POSTS + 1} posts")
    assert _listed(at)[-1].startswith("Hi, when will I hear back")  # the day's last post
    key = at.session_state["listening_day_table_key"]
    at.session_state[key] = {"selection": {"rows": [SPIKE_POSTS], "columns": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["case_id"] == case_id
    assert any(f"Case {case_id} ·" in c.value for c in at.caption)
