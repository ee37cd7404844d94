"""Which reviews need an answer: nearly all, because a team answers reviews on the site.

Candidates read an employer's replies under its reviews; an unanswered 2-star review about a
silent hiring process says the same thing again to every reader. So every review needs an
answer except pure praise: rated 4 stars or more, not negative in tone, and with nothing the
words ask or complain about (the addressed-channel rules decide that, as for an @mention). A
thank-you for praise stays the team's choice ("Needs an answer: add to the backlog").
"""

from __future__ import annotations

from dataclasses import replace

from analysis.text import TextFacts, needing_response

PLATFORM = "reviews"
PRAISE_FROM = 4.0  # stars from which a review without a question or complaint is praise


def stars(rating: float) -> str:
    """ "4/5", "3.6/5"."""
    return f"{rating:g}/5"


def review_facts(facts: TextFacts, text: str, rating: float | None) -> TextFacts:
    """The facts of one review, given what its words alone said (``facts``, read as addressed
    to the brand) and its stars. An unrated review is never taken for praise."""
    if facts.needs_response:
        return facts
    if rating is not None and rating >= PRAISE_FROM and facts.sentiment_label != "negative":
        return replace(facts, reason=f"praise ({stars(rating)}), nothing asked")
    reason = f"review rated {stars(rating)}" if rating is not None else "review without stars"
    return needing_response(facts, text, "addressed", reason)


def settle(
    platform: str, is_brand: bool, facts: TextFacts, text: str, rating: float | None
) -> TextFacts:
    """``review_facts`` for an inbound review; any other post's facts unchanged (ingest)."""
    if platform != PLATFORM or is_brand:
        return facts
    return review_facts(facts, text, rating)
