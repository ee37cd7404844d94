"""The demo workspace speaks Bluesky: searchPosts responses mapped by the real mapping, with
the brand's Bluesky account answering candidates there."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from demo.payloads import generate
from store.schema import cases, posts
from tests.support.rows import table_rows

END = datetime(2026, 11, 20, tzinfo=UTC)


def test_demo_bluesky_pages_are_search_responses_with_reply_refs():
    pages = [p.payload for p in generate(posts=2000, seed=7, end=END) if p.kind == "bluesky_page"]
    views = [v for page in pages for v in page["posts"]]
    assert len(views) > 100
    by_uri = {v["uri"]: v for v in views}
    replies = [v for v in views if "reply" in v["record"]]
    assert replies
    for view in replies:
        parent = view["record"]["reply"]["parent"]
        assert by_uri[parent["uri"]]["cid"] == parent["cid"]  # a strong ref: uri and cid
    for page in pages:
        times = [v["indexedAt"] for v in page["posts"]]
        assert times == sorted(times, reverse=True)  # sort=latest


def test_the_demo_brand_answers_candidates_on_bluesky(workspace):
    workspace.seed_demo(2000, end=END)
    with workspace.engine.connect() as conn:
        stored = conn.execute(
            select(posts.c.is_brand, posts.c.url).where(posts.c.platform == "bluesky")
        ).all()
    assert any(brand for brand, _ in stored) and any(not brand for brand, _ in stored)
    assert all(url.startswith("https://bsky.app/profile/") for _, url in stored)
    bluesky_cases = [c for c in table_rows(workspace, cases) if c["platform"] == "bluesky"]
    assert any(c["first_response_at"] for c in bluesky_cases)
    assert any(c["first_response_at"] is None for c in bluesky_cases)
