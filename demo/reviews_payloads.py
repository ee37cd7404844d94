"""The demo's employer reviews: Glassdoor, Indeed and kununu reviews of Northwind Labs.

Each review is a row of the ``reviews`` import (the review sites have no API, so their rows are
their shape here), mapped by ``connectors.reviews.review_from_row``; the replies the team
already published on the sites are mapped by ``connectors.reviews.employer_reply``, as
"Replied on the site" stores them. Deterministic for a seed and an end, like the rest of the
demo: about one review every five days, older critical ones answered within days, the newest
ones still waiting.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from connectors import reviews
from connectors.base import Post, Problem
from demo.cast import BRAND

BRAND_NAME = BRAND.name  # the employer's name on the review sites (``brand add reviews``)
EVERY_DAYS = 5
PRAISE_FROM = 4.0  # below this the team answers every review (analysis.reviews)
ANSWERED_BEFORE_DAYS = 10  # reviews older than this were answered (all but the praise)
SITE_URLS = {
    "glassdoor": "https://www.glassdoor.example/Reviews/northwind-labs-{id}.htm",
    "indeed": "https://www.indeed.example/cmp/Northwind-Labs/reviews/{id}",
    "kununu": "https://www.kununu.example/de/northwind-labs/kommentare/{id}",
}
# (site, stars, title, pros, cons, text, author)
REVIEWS: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (
        "glassdoor",
        "2",
        "Applied and never heard back",
        "Interesting products",
        "I applied for the backend role six weeks ago and still have no answer.",
        "",
        "Candidate",
    ),
    (
        "glassdoor",
        "5",
        "Great team, real mentoring",
        "Kind colleagues, a mentor from day one, learning budget",
        "The office coffee could be better",
        "",
        "Software Engineer",
    ),
    (
        "indeed",
        "3",
        "Good place, slow hiring",
        "Flexible hours",
        "The interview process dragged on for two months",
        "Is the process faster now?",
        "Data Analyst in Amsterdam",
    ),
    (
        "kununu",
        "4,2",
        "Solider Arbeitgeber",
        "Gutes Team, flexible Arbeitszeiten",
        "Parkplätze sind knapp",
        "",
        "Angestellte/r",
    ),
    (
        "kununu",
        "1,8",
        "Keine Rückmeldung nach dem Interview",
        "",
        "Nach dem zweiten Gespräch kam nichts mehr, auch nicht auf Nachfrage.",
        "",
        "Bewerber/in",
    ),
    (
        "indeed",
        "4",
        "Friendly and fair",
        "Fair pay, friendly managers",
        "",
        "I would recommend it to friends.",
        "Support Specialist",
    ),
    (
        "glassdoor",
        "1",
        "Ghosted after the final round",
        "",
        "Final round in person, then silence. Rude.",
        "Why does nobody answer candidates?",
        "Anonymous Interview Candidate",
    ),
)
REPLY = (
    "Thank you for telling us. This is not the experience we want anyone to have: please write "
    "to careers@northwind.example so we can look into it."
)


def review_count(posts: int, days: int = 90) -> int:
    """How many reviews a demo of ``posts`` posts holds: one per 100 posts, at most one every
    ``EVERY_DAYS`` days (a review is rarer than a tweet)."""
    return min(posts // 100, days // EVERY_DAYS)


def review_rows(seed: int, end: datetime, count: int) -> Iterator[dict[str, str]]:
    """``count`` reviews, one every ``EVERY_DAYS`` days up to ``end``, oldest first, as
    ``reviews`` CSV rows."""
    rng = random.Random(f"reviews:{seed}")
    start = end - timedelta(days=count * EVERY_DAYS)
    for number in range(count):
        site, stars, title, pros, cons, text, author = REVIEWS[number % len(REVIEWS)]
        at = start + timedelta(days=number * EVERY_DAYS, seconds=rng.randrange(86_400))
        review_id = f"{100_000 + number * 37 + rng.randrange(30)}"
        yield {
            "site": site,
            "id": review_id,
            "created_at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "rating": stars,
            "title": title,
            "pros": pros,
            "cons": cons,
            "text": text,
            "url": SITE_URLS[site].format(id=review_id),
            "author": author,
        }


def _reply(row: dict[str, str], end: datetime, rng: random.Random) -> Post | None:
    """The team's published reply to an older critical review, a few days after it."""
    at = datetime.fromisoformat(row["created_at"].replace("Z", "+00:00"))
    critical = float(row["rating"].replace(",", ".")) < PRAISE_FROM
    if not critical or at > end - timedelta(days=ANSWERED_BEFORE_DAYS):
        return None
    review_id = f"{row['site']}:{row['id']}"
    return reviews.employer_reply(
        review_id,
        BRAND_NAME,
        BRAND_NAME,
        REPLY,
        at + timedelta(hours=rng.randrange(6, 140)),
        f"{row['url']}#employer-response",
        "demo:reviews",
    )


def map_reviews(payload: Any, source: str) -> tuple[list[Post], list[Problem]]:
    """Map the demo's review rows and the replies published to them (``payload``: seed, end
    and number of reviews, from ``review_payload``)."""
    seed, end, count = payload
    rng = random.Random(f"replies:{seed}")
    posts: list[Post] = []
    for row in review_rows(seed, end, count):
        posts.append(reviews.review_from_row(row, source))
        reply = _reply(row, end, rng)
        if reply is not None:
            posts.append(reply)
    return posts, []


def review_payload(posts: int, seed: int, end: datetime | None) -> tuple[tuple, int]:
    """(what ``map_reviews`` reads, how many posts it maps to) for a demo of ``posts`` posts,
    so the other platforms fill the rest and the demo holds exactly ``posts``. ``end`` is
    today's 00:00 UTC by default, as for the other platforms."""
    if end is None:
        end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    payload = (seed, end if end.tzinfo else end.replace(tzinfo=UTC), review_count(posts))
    return payload, len(map_reviews(payload, "count")[0])
