"""Thread facts as pure decisions: when a case is due, how urgent it is, what answers what.

The definitions (see the README) in code:

- a case opens for an inbound post that needs a response, unless its author already has an
  unanswered case on that channel: then the post is a **chase** and joins that case;
- a case is **answered** by the first later brand post, not an automatic reply, whose reply
  chain reaches one of the case's posts (for e-mail: ``In-Reply-To``/``References``);
- it is **due** ``sla_hours`` business hours after it opened, on the workspace calendar;
- a **promise** is kept by the first later brand post that reaches the same person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from analysis.calendar import WorkingCalendar, add_business_hours, business_hours_between

INTENT_WEIGHT = {"complaint": 30, "chase": 25, "request": 20, "question": 15}
CHASE_WEIGHT = 25
NEGATIVE_WEIGHT = 20


@dataclass(frozen=True)
class SlaPolicy:
    """The workspace's target first response time on its working calendar."""

    calendar: WorkingCalendar
    sla_hours: float

    def due_at(self, opened_at: datetime) -> datetime:
        return add_business_hours(opened_at, self.sla_hours, self.calendar)

    def response_hours(self, opened_at: datetime, answered_at: datetime) -> tuple[float, float]:
        """(calendar hours, business hours) from the case's first post to its first answer."""
        calendar_hours = (answered_at - opened_at).total_seconds() / 3600
        return calendar_hours, business_hours_between(opened_at, answered_at, self.calendar)


def case_priority(intent: str | None, sentiment: float | None, chase_count: int,
                  reach: int | None) -> int:
    """Higher is more urgent: chases first, then anger, then what kind of ask, then reach.

    Overdue-ness is not stored here: it changes with the clock, so the backlog query orders by
    it at read time.
    """
    score = INTENT_WEIGHT.get(intent or "", 10) + CHASE_WEIGHT * chase_count
    if sentiment is not None and sentiment <= -0.05:
        score += round(NEGATIVE_WEIGHT * min(1.0, -sentiment * 2))
    if reach:
        score += min(15, len(str(int(reach))) * 2)
    return score


@dataclass(frozen=True)
class RunPost:
    """An inbound post that needs a response, with the first brand answer that reached it."""

    post_id: int
    created_at: datetime
    answered_at: datetime | None = None
    answer_post_id: int | None = None


@dataclass
class Run:
    """One case: an author's posts until the company answers any of them."""

    posts: list[RunPost]
    answered_at: datetime | None
    answer_post_id: int | None


def author_runs(posts: list[RunPost]) -> list[Run]:
    """Split an author's posts into cases, whatever order they were stored in.

    A post joins the current run while that run is unanswered at the post's time; a run is
    answered by the earliest answer to any of its posts.
    """
    runs: list[Run] = []
    for post in sorted(posts, key=lambda p: (p.created_at, p.post_id)):
        current = runs[-1] if runs else None
        if current and (current.answered_at is None or post.created_at < current.answered_at):
            current.posts.append(post)
            if post.answered_at and (current.answered_at is None
                                     or post.answered_at < current.answered_at):
                current.answered_at, current.answer_post_id = (post.answered_at,
                                                               post.answer_post_id)
        else:
            runs.append(Run([post], post.answered_at, post.answer_post_id))
    return runs


def first_answers(post_times: dict[str, datetime],
                  brand_replies: list[tuple[int, datetime, tuple[str, ...]]]
                  ) -> dict[str, tuple[datetime, int]]:
    """For each post, the earliest brand reply (id, time, targets) that answers it."""
    answers: dict[str, tuple[datetime, int]] = {}
    for brand_id, at, targets in sorted(brand_replies, key=lambda b: (b[1], b[0])):
        for target in targets:
            if target in post_times and post_times[target] <= at and target not in answers:
                answers[target] = (at, brand_id)
    return answers
