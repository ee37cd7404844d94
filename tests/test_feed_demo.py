"""The demo's feeds: Google Alerts Atom and RSS 2.0 documents, mapped by the live mapping."""

from __future__ import annotations

from datetime import UTC, datetime

import feedparser

from demo.batches import map_payload
from demo.payloads import generate
from store.schema import posts
from tests.support.rows import table_rows

END = datetime(2026, 11, 1, tzinfo=UTC)


def _feeds() -> list:
    return [p for p in generate(posts=3000, seed=7, end=END) if p.kind == "feed_document"]


def test_demo_feeds_are_real_atom_and_rss_documents_mapped_without_problems():
    documents = _feeds()
    versions = {feedparser.parse(d.payload).version for d in documents}
    assert versions == {"atom10", "rss20"}
    mapped = [map_payload(d) for d in documents]
    assert all(problems == [] for _, problems in mapped)
    found = [post for posts, _ in mapped for post in posts]
    assert 60 <= len(found) <= 120 and all(p.platform == "feed" for p in found)
    assert len({p.external_id for p in found}) == len(found)


def test_demo_alerts_link_to_the_article_and_name_its_site():
    alerts = [
        post
        for document in _feeds()
        if b"googlealerts" in document.payload
        for post in map_payload(document)[0]
    ]
    assert alerts and all("google.com" not in (p.url or "") for p in alerts)
    assert all(p.author_handle == p.url.split("/")[2] for p in alerts)
    assert all("<b>" not in p.text and "&nbsp;" not in p.text for p in alerts)


def test_demo_feed_posts_land_in_the_backlog_on_the_public_channel(workspace):
    workspace.seed_demo(600, end=END)
    rows = table_rows(workspace, posts, posts.c.platform == "feed")
    assert len(rows) >= 10 and {r["channel"] for r in rows} == {"public"}
    flagged = [r for r in rows if r["needs_response"]]
    assert 0 < len(flagged) < len(rows)  # blog complaints and questions, not the news


def test_a_demo_feed_case_is_answered_from_the_sandbox(workspace):
    from engagement.actions import reply_to_case
    from store.schema import cases

    workspace.seed_demo(600, end=END)
    [case] = table_rows(
        workspace, cases, cases.c.platform == "feed", cases.c.first_response_at.is_(None)
    )[:1]
    sent = reply_to_case(
        workspace, case["id"], "Thank you, we will call you.", actor="Ben", key="k"
    )
    assert sent.sandbox
    [after] = table_rows(workspace, cases, cases.c.id == case["id"])
    assert after["first_response_at"] is not None
