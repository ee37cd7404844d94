"""The case rules, in one place: what a case is, when it is due, how urgent, what answers it.

Ingest's incremental path and its rebuild of an author's cases (``pipeline.cases``) both move a
case only through the methods here, so a rule changes in one place. The definitions (see the
README) in code:

- a case opens for an inbound post that needs a response, unless its author already has an
  unanswered case on that channel: then the post is a **chase** and joins that case;
- a case is **answered** by the first later brand post, not an automatic reply, whose reply
  chain reaches one of the case's posts (for e-mail: ``In-Reply-To``/``References``);
- it is **due** ``sla_hours`` business hours after it opened, on the workspace calendar;
- a **promise** is kept by the first later brand post that reaches the same person.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from enum import StrEnum
from typing import Any

from analysis.calendar import WorkingCalendar, add_business_hours, business_hours_between

# What kind of ask weighs how much in the queue. An application is the most important thing a
# recruiting mailbox receives; a complaint is the most urgent thing a public channel carries.
INTENT_WEIGHT = {
    "application": 30,
    "complaint": 30,
    "chase": 25,
    "problem": 25,
    "request": 20,
    "question": 15,
    "message": 15,
}
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


def case_priority(
    intent: str | None, sentiment: float | None, chase_count: int, reach: int | None
) -> int:
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


class CaseStatus(StrEnum):
    """Where a case stands with the team (answered or not is ``first_response_at``)."""

    OPEN = "open"
    PENDING = "pending"  # waiting on the candidate
    SNOOZED = "snoozed"
    CLOSED = "closed"


@dataclass(slots=True)
class Case:
    """One case, as the ``cases`` table holds it. A case not stored yet has no ``id``."""

    platform: str
    thread_key: str
    author_id: str
    author_handle: str
    first_post_id: int
    account: str
    lang: str | None
    intent: str | None
    reason: str | None
    sentiment: float | None
    opened_at: datetime
    last_inbound_at: datetime
    due_at: datetime
    priority: int
    updated_at: datetime
    status: str = CaseStatus.OPEN
    chase_count: int = 0
    touched: bool = False
    id: int | None = None
    assignee: str | None = None
    snoozed_until: datetime | None = None
    first_response_at: datetime | None = None
    first_response_post_id: int | None = None
    response_hours: float | None = None
    response_business_hours: float | None = None
    closed_at: datetime | None = None
    close_reason: str | None = None
    linked_thread_key: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Case:
        return cls(**{f.name: row[f.name] for f in fields(cls) if f.name in row})

    def as_row(self) -> dict[str, Any]:
        """The table row; without ``id`` for a case not stored yet. Every value is immutable
        (text, numbers, times), so a shallow copy is the row: ``asdict`` deep-copies each
        value, which cost ingest more than writing the cases."""
        row = {name: getattr(self, name) for name in _CASE_COLUMNS}
        if row["id"] is None:
            del row["id"]
        return row

    @property
    def answered(self) -> bool:
        return self.first_response_at is not None

    def answer(self, policy: SlaPolicy, post_id: int | None, at: datetime | None) -> None:
        """The first brand answer (or none): the response times follow from it."""
        self.first_response_at, self.first_response_post_id = at, post_id
        self.response_hours = self.response_business_hours = None
        if at is not None:
            self.response_hours, self.response_business_hours = policy.response_hours(
                self.opened_at, at
            )

    def starts_earlier(
        self,
        policy: SlaPolicy,
        post_id: int,
        at: datetime,
        thread_key: str,
        intent: str | None,
        reason: str | None,
    ) -> None:
        """A post of the run older than its first (posts arrive in any order) opens it."""
        self.opened_at, self.first_post_id, self.thread_key = at, post_id, thread_key
        self.intent, self.reason = intent or self.intent, reason or self.reason
        self.due_at = policy.due_at(at)
        self.answer(policy, self.first_response_post_id, self.first_response_at)

    def chase(
        self,
        policy: SlaPolicy,
        post_id: int,
        at: datetime,
        thread_key: str,
        intent: str | None,
        reason: str | None,
        sentiment: float,
        reach: int | None,
    ) -> None:
        """A further post of the author's run joins the case and raises its priority."""
        self.chase_count += 1
        self.sentiment = min(self.sentiment or 0.0, sentiment)
        if at < self.opened_at:
            self.starts_earlier(policy, post_id, at, thread_key, intent, reason)
        self.last_inbound_at = max(self.last_inbound_at, at)
        self.wake()
        self.priority = case_priority(
            self.intent or "chase", self.sentiment, self.chase_count, reach
        )

    def wake(self) -> None:
        """The candidate wrote again: a case waiting on them or snoozed needs the team again."""
        if self.status in (CaseStatus.PENDING, CaseStatus.SNOOZED):
            self.status, self.snoozed_until = CaseStatus.OPEN, None


_CASE_COLUMNS = tuple(f.name for f in fields(Case))


def open_case(
    policy: SlaPolicy,
    *,
    platform: str,
    thread_key: str,
    author_id: str,
    author_handle: str,
    post_id: int,
    account: str,
    lang: str | None,
    intent: str | None,
    reason: str | None,
    sentiment: float,
    at: datetime,
    reach: int | None,
    now: datetime,
) -> Case:
    """A new case for the first needs-response post of an author's run."""
    return Case(
        platform=platform,
        thread_key=thread_key,
        author_id=author_id,
        author_handle=author_handle,
        first_post_id=post_id,
        account=account,
        lang=lang,
        intent=intent,
        reason=reason,
        sentiment=sentiment,
        opened_at=at,
        last_inbound_at=at,
        due_at=policy.due_at(at),
        priority=case_priority(intent, sentiment, 0, reach),
        updated_at=now,
    )


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
            if post.answered_at and (
                current.answered_at is None or post.answered_at < current.answered_at
            ):
                current.answered_at, current.answer_post_id = (
                    post.answered_at,
                    post.answer_post_id,
                )
        else:
            runs.append(Run([post], post.answered_at, post.answer_post_id))
    return runs


def first_answers(
    post_times: dict[str, datetime], brand_replies: list[tuple[int, datetime, tuple[str, ...]]]
) -> dict[str, tuple[datetime, int]]:
    """For each post, the earliest brand reply (id, time, targets) that answers it."""
    answers: dict[str, tuple[datetime, int]] = {}
    for brand_id, at, targets in sorted(brand_replies, key=lambda b: (b[1], b[0])):
        for target in targets:
            if target in post_times and post_times[target] <= at and target not in answers:
                answers[target] = (at, brand_id)
    return answers


def case_of_run(
    policy: SlaPolicy,
    run: Run,
    members: Sequence[Mapping[str, Any]],
    existing: Case | None,
    now: datetime,
) -> Case:
    """The case a rebuilt run makes: ``members`` are its posts' rows in time order; an
    ``existing`` case that keeps posts of the run keeps its id, assignee and status (and wakes
    when the run now reaches past what it knew)."""
    first, chases = members[0], len(members) - 1
    sentiment = min(m["sentiment"] or 0.0 for m in members)
    case = existing or open_case(
        policy,
        platform=first["platform"],
        thread_key=first["thread_key"],
        author_id=first["author_id"],
        author_handle=first["author_handle"],
        post_id=first["id"],
        account=first["source"] or first["platform"],
        lang=first["lang"],
        intent=first["intent"],
        reason=first["reason"],
        sentiment=sentiment,
        at=first["created_at"],
        reach=first["author_reach"],
        now=now,
    )
    last_known = case.last_inbound_at
    case.first_post_id, case.thread_key = first["id"], first["thread_key"]
    case.opened_at, case.due_at = first["created_at"], policy.due_at(first["created_at"])
    case.last_inbound_at, case.chase_count = members[-1]["created_at"], chases
    case.intent, case.reason, case.sentiment = first["intent"], first["reason"], sentiment
    case.priority = case_priority(
        first["intent"] or "chase", sentiment, chases, first["author_reach"]
    )
    case.answer(policy, run.answer_post_id, run.answered_at)
    case.updated_at = now
    if existing is not None and case.last_inbound_at > last_known:
        case.wake()
    return case
