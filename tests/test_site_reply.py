"""What a reply recorded from a review site must be before it can answer the review."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from engagement.site_reply import SiteReply, reply_problem

REVIEW = datetime(2026, 11, 2, 9, tzinfo=UTC)
NOW = datetime(2026, 11, 5, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (SiteReply("Thank you!", REVIEW + timedelta(hours=3)), None),
        (SiteReply("Thanks", NOW + timedelta(minutes=4), "https://x.example/r#1"), None),
        (SiteReply("  ", REVIEW + timedelta(hours=3)), "enter the reply as it was published"),
        (SiteReply("Thanks", REVIEW - timedelta(minutes=1)), "before the review (02 Nov 2026"),
        (SiteReply("Thanks", NOW + timedelta(hours=1)), "the reply time is in the future"),
        (SiteReply("Thanks", datetime(2026, 11, 3, 9)), "needs a time zone"),
        (SiteReply("Thanks", NOW, "javascript:alert(1)"), "one web address"),
        (SiteReply("Thanks", NOW, "https://x.example/a b"), "one web address"),
        (SiteReply("Thanks", NOW, "https://x.example/" + "a" * 2100), "longer than 2048"),
    ],
)
def test_a_site_reply_is_refused_with_what_to_correct(reply, problem):
    found = reply_problem(reply, REVIEW, NOW)
    assert found == problem if problem is None else problem in (found or "")
