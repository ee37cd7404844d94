"""The demo's review sites: rows of the ``reviews`` import, mapped by the real mapping."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

from sqlalchemy import select

from connectors.files import import_batches
from connectors.reviews import COLUMNS
from demo import reviews_payloads
from store.schema import cases, posts

END = datetime(2026, 11, 1, tzinfo=UTC)


def test_the_demo_reviews_are_rows_the_reviews_import_reads_alike(tmp_path):
    """The demo's payload is the import's own shape: written to a CSV and imported, the rows
    give the very posts the demo maps."""
    payload, count = reviews_payloads.review_payload(3000, 7, END)
    demo_posts, problems = reviews_payloads.map_reviews(payload, "import:reviews")
    path = tmp_path / "reviews.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(reviews_payloads.review_rows(*payload))
    imported = [p for b in import_batches(path, "reviews") for p in b.posts]
    reviews = [p for p in demo_posts if not p.external_id.endswith(":reply")]
    assert problems == [] and count == len(demo_posts) and len(reviews) == 18
    assert imported == reviews
    assert [(p.rating, p.url) for p in imported] == [(p.rating, p.url) for p in reviews]
    assert {p.external_id.split(":")[0] for p in reviews} == {"glassdoor", "indeed", "kununu"}


def test_the_demo_workspace_holds_answered_and_waiting_reviews(workspace):
    totals = workspace.seed_demo(1000, end=END)
    with workspace.engine.connect() as conn:
        review_cases = conn.execute(
            select(cases.c.first_response_at, cases.c.response_hours, cases.c.opened_at).where(
                cases.c.platform == "reviews"
            )
        ).all()
        replies = conn.execute(
            select(posts.c.external_id, posts.c.source).where(
                posts.c.platform == "reviews", posts.c.is_brand
            )
        ).all()
    assert totals.read == 1000
    answered = [c for c in review_cases if c.first_response_at is not None]
    waiting = [c for c in review_cases if c.first_response_at is None]
    assert answered and waiting and len(replies) == len(answered)
    assert all(c.response_hours > 0 for c in answered)
    assert max(c.opened_at for c in waiting) > max(c.opened_at for c in answered)
    assert {r.source for r in replies} == {"demo:reviews"}
