"""Cases do not depend on the order posts arrive in (X pages come newest first)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from pipeline.workspace import open_workspace
from store.accounts import add_account
from store.schema import cases
from tests.conftest import workspace_settings
from tests.support.factories import MONDAY, batch, post

pytestmark = pytest.mark.slow

BRAND = "NorthwindLabs"


def _conversation() -> list:
    """Two candidates who write, chase and are answered at different moments."""
    at = lambda hours: MONDAY + timedelta(hours=hours)  # noqa: E731
    return [
        post("s1", "@NorthwindLabs is the Berlin role remote?", author="sam", at=at(0)),
        post("s2", "@NorthwindLabs any update on this?", author="sam", at=at(5), parent="s1"),
        post("b1", "Yes it is!", author=BRAND, at=at(6), parent="s2"),
        post(
            "s3",
            "@NorthwindLabs and can I apply for two roles at once?",
            author="sam",
            at=at(30),
            thread="t2",
        ),
        post(
            "s4",
            "@NorthwindLabs hello? still waiting for an answer",
            author="sam",
            at=at(50),
            thread="t2",
            parent="s3",
        ),
        post("b2", "Sorry! Yes you can.", author=BRAND, at=at(51), thread="t2", parent="s4"),
        post(
            "s5",
            "@NorthwindLabs when will I hear back about my application?",
            author="sam",
            at=at(80),
            thread="t3",
        ),
        post(
            "r1",
            "@NorthwindLabs how long does your hiring process take?",
            author="ria",
            at=at(2),
            thread="t4",
        ),
        post("b3", "About three weeks.", author=BRAND, at=at(3), thread="t4", parent="r1"),
        post(
            "r2",
            "@NorthwindLabs any update on my application?",
            author="ria",
            at=at(40),
            thread="t4",
            parent="b3",
        ),
    ]


def _facts(posts_in_batches: list[list], tmp_path, name: str) -> list[tuple]:
    ws = open_workspace(workspace_settings(f"sqlite:///{tmp_path / name}"))
    with ws.engine.begin() as conn:
        add_account(conn, "x", BRAND)
    for part in posts_in_batches:
        ws.ingest().batch(batch(*part))
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(
                cases.c.author_id,
                cases.c.opened_at,
                cases.c.first_response_at,
                cases.c.chase_count,
                cases.c.response_hours,
            )
        ).all()
    ws.engine.dispose()
    return sorted(tuple(row) for row in rows)


def test_newest_first_pages_give_the_same_cases_as_time_order(tmp_path):
    posts = _conversation()
    in_order = _facts([sorted(posts, key=lambda p: p.created_at)], tmp_path, "a.db")
    newest_first = sorted(posts, key=lambda p: p.created_at, reverse=True)
    pages = [newest_first[i : i + 2] for i in range(0, len(newest_first), 2)]
    assert _facts(pages, tmp_path, "b.db") == in_order
    assert [(a, c) for a, _, _, c, _ in in_order] == [
        ("ria", 0),
        ("ria", 0),
        ("sam", 1),
        ("sam", 1),
        ("sam", 0),
    ]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=st.permutations(range(10)), cuts=st.sets(st.integers(1, 9), max_size=6))
def test_any_arrival_order_and_batching_gives_the_same_cases(tmp_path_factory, order, cuts):
    posts = _conversation()
    folder = tmp_path_factory.mktemp("order")
    expected = _facts([sorted(posts, key=lambda p: p.created_at)], folder, "calm.db")
    shuffled = [posts[i] for i in order]
    bounds = [0, *sorted(cuts), len(shuffled)]
    parts = [shuffled[a:b] for a, b in itertools.pairwise(bounds) if shuffled[a:b]]
    assert _facts(parts, folder, "shuffled.db") == expected
