"""Keeping cases and promises up to date as posts arrive: the one writer of the case rules.

``CaseUpdater`` applies a batch's posts in time order (open, chase, answer, promise, keep);
``AuthorRebuild`` recomputes an author's cases from their posts when a batch reaches back in
time; ``add_to_backlog`` places a post a person flagged. All three move cases only through
``analysis.cases`` (``Case`` and its methods), so a rule lives in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from analysis.calendar import add_working_days
from analysis.cases import (
    Case,
    CaseStatus,
    Run,
    RunPost,
    SlaPolicy,
    author_runs,
    case_of_run,
    first_answers,
    open_case,
)
from analysis.text import ANSWERED_BY_BRAND, TextFacts, needing_response
from connectors.base import Post
from store import cases as case_store
from store import posts as post_store
from store.case_actions import LABEL_ACTION, CaseActionError
from store.events import log_event


@dataclass
class Entry:
    """A post of the batch as the case rules see it: the post, its analysis, its row id."""

    post: Post
    facts: TextFacts
    post_id: int
    is_brand: bool
    case_id: int | None = None
    channel: str | None = None


@dataclass
class _BatchState:
    """Cases and promises touched by one batch, kept in memory and written back in bulk.

    A case opened in this batch has a negative key until it is stored."""

    cases: dict[int, Case] = field(default_factory=dict)
    new_case_ids: list[int] = field(default_factory=list)
    changed_case_ids: set[int] = field(default_factory=set)
    cases_by_author: dict[str, list[int]] = field(default_factory=dict)
    new_promises: list[dict[str, Any]] = field(default_factory=list)
    kept_promises: list[dict[str, Any]] = field(default_factory=list)
    case_of_post: dict[int, int] = field(default_factory=dict)
    answered_threads: set[str] = field(default_factory=set)
    next_temp_id: int = -1


class AuthorRebuild:
    """Recompute one author's open cases from their posts and the brand's answers.

    Used when a batch reaches back before what the author's cases already know (X pages come
    newest first; imports come in any order), so the cases never depend on arrival order.
    Existing cases keep their id, assignee and status when they keep any of their posts.
    """

    def __init__(
        self, conn: Connection, policy: SlaPolicy, platform: str, author: str, since: datetime
    ) -> None:
        self.conn, self.policy, self.platform, self.author = conn, policy, platform, author
        self.since = since

    def run(self) -> None:
        existing = {
            case_id: Case.from_row(row)
            for case_id, row in case_store.open_cases_of(
                self.conn, self.platform, self.author, self.since
            ).items()
        }
        start = min([self.since, *(case.opened_at for case in existing.values())])
        rows = case_store.author_open_posts(
            self.conn, self.platform, self.author, self.since, start
        )
        if not rows:
            return
        by_id = {row["id"]: row for row in rows}
        times = {row["external_id"]: row["created_at"] for row in rows}
        answers = first_answers(
            times,
            case_store.brand_replies_in(
                self.conn, self.platform, {row["thread_key"] for row in rows}
            ),
        )
        runs = author_runs(
            [
                RunPost(
                    row["id"], row["created_at"], *answers.get(row["external_id"], (None, None))
                )
                for row in rows
            ]
        )
        self._write(runs, by_id, existing)

    def _write(
        self, runs: list[Run], by_id: dict[int, dict[str, Any]], existing: dict[int, Case]
    ) -> None:
        kept: set[int] = set()
        assignments: dict[int, int] = {}
        updates: list[Case] = []
        new: list[tuple[Case, Run]] = []
        now = datetime.now(UTC)
        for run in runs:
            members = [by_id[p.post_id] for p in run.posts]
            owners = sorted(
                {m["case_id"] for m in members} & set(existing) - kept,
                key=lambda c: existing[c].opened_at,
            )
            owner = existing[owners[0]] if owners else None
            case = case_of_run(self.policy, run, members, owner, now)
            if owner is not None:
                kept.add(owners[0])
                updates.append(case)
                assignments.update({p.post_id: owners[0] for p in run.posts})
            else:
                new.append((case, run))
        case_store.update_cases(self.conn, [case.as_row() for case in updates])
        ids = case_store.insert_cases(self.conn, [case.as_row() for case, _ in new])
        for _, run in new:
            case_id = ids[run.posts[0].post_id]
            assignments.update({p.post_id: case_id for p in run.posts})
        post_store.set_case_ids(self.conn, assignments)
        gone = set(existing) - kept
        case_store.merge_into(
            self.conn, gone, {c: assignments.get(existing[c].first_post_id) for c in gone}
        )


class NotAddableError(CaseActionError):
    """A post that cannot go into the backlog (a brand post, or no such post)."""


def add_to_backlog(conn: Connection, policy: SlaPolicy, post_id: int, actor: str) -> int | None:
    """A team member says this stored post needs an answer: flag it, let the case rules place
    it (a new case, or a chase of the author's open one), audit the correction, and return its
    case id. The correction is exported by ``cli.py labels export`` as a training row."""
    rows = post_store.posts_by_id(conn, [post_id])
    if not rows:
        raise NotAddableError(f"no post with id {post_id}")
    row = rows[0]
    if row["is_brand"]:
        raise NotAddableError("a brand post never needs an answer from the brand")
    if not row["needs_response"]:
        entry = answered_entry(row, reason=f"added by {actor}"[:64])
        post_store.set_needs_response(
            conn,
            [
                {
                    "id": post_id,
                    "needs_response": True,
                    "intent": entry.facts.intent,
                    "reason": entry.facts.reason,
                }
            ],
        )
        AuthorRebuild(conn, policy, row["platform"], row["author_id"], row["created_at"]).run()
    case_id: int | None = post_store.posts_by_id(conn, [post_id])[0]["case_id"]
    log_event(conn, actor, LABEL_ACTION, case_id, {"label": "needs_answer", "posts": [post_id]})
    return case_id


def answered_entry(row: Mapping[str, Any], reason: str = ANSWERED_BY_BRAND) -> Entry:
    """A stored inbound post that an answer (or a person) just showed needs a response, as
    ingest holds it."""
    post = Post(
        platform=row["platform"],
        external_id=row["external_id"],
        author_id=row["author_id"],
        author_handle=row["author_handle"],
        text=row["text"],
        created_at=row["created_at"],
        thread_key=row["thread_key"],
        parent_external_id=row["parent_external_id"],
        reply_to=tuple((row["reply_to"] or "").split()),
        author_name=row["author_name"],
        author_reach=row["author_reach"],
        url=row["url"],
        lang=row["lang"],
        subject=row["subject"],
        is_auto_reply=row["is_auto_reply"],
        source=row["source"],
    )
    stored = TextFacts(
        False,
        None,
        row["sentiment"] or 0.0,
        row["sentiment_label"] or "neutral",
        None,
        row["reason"],
        row["lang"],
    )
    facts = needing_response(stored, row["text"], row["channel"], reason)
    return Entry(post, facts, row["id"], False, channel=row["channel"])


class CaseUpdater:
    """Applies one platform's new posts of a batch to cases and promises, in time order."""

    def __init__(self, conn: Connection, policy: SlaPolicy, platform: str) -> None:
        self.conn = conn
        self.policy = policy
        self.platform = platform
        self.state = _BatchState()

    def apply(self, entries: list[Entry]) -> tuple[int, int]:
        entries = self._with_answered_stored_posts(entries)
        inbound = [e for e in entries if not e.is_brand and e.facts.needs_response]
        brand_posts = [e for e in entries if e.is_brand]
        self._preload(inbound, brand_posts, entries)
        answered = 0
        for entry in entries:
            if entry.is_brand:
                answered += self._brand_post(entry)
            elif entry.facts.needs_response:
                answered += self._inbound_post(entry)
        self._write_back()
        for author, since in sorted(self._late_authors(entries).items()):
            AuthorRebuild(self.conn, self.policy, self.platform, author, since).run()
        return len(self.state.new_case_ids), answered

    def _with_answered_stored_posts(self, entries: list[Entry]) -> list[Entry]:
        """Stored inbound posts that a brand post of this batch answers, flagged as needing a
        response and handed to the case rules in time order beside the batch's own posts."""
        earliest: dict[str, datetime] = {}
        for entry in entries:
            if entry.is_brand and not entry.post.is_auto_reply:
                for ref in entry.post.reply_to:
                    earliest[ref] = min(
                        earliest.get(ref, entry.post.created_at), entry.post.created_at
                    )
        for entry in entries:
            earliest.pop(entry.post.external_id, None)
        if not earliest:
            return entries
        found = post_store.referenced_posts(self.conn, self.platform, earliest)
        wanted = [
            row["id"]
            for ref, row in found.items()
            if not row["is_brand"]
            and not row["needs_response"]
            and not row["is_auto_reply"]
            and row["created_at"] <= earliest[ref]
        ]
        if not wanted:
            return entries
        promoted = [answered_entry(row) for row in post_store.posts_by_id(self.conn, wanted)]
        post_store.set_needs_response(
            self.conn,
            [
                {
                    "id": e.post_id,
                    "needs_response": True,
                    "intent": e.facts.intent,
                    "reason": e.facts.reason,
                }
                for e in promoted
            ],
        )
        return sorted([*entries, *promoted], key=lambda e: e.post.created_at)

    def _preload(
        self, inbound: list[Entry], brand_posts: list[Entry], entries: list[Entry]
    ) -> None:
        conn, platform = self.conn, self.platform
        earliest = min((e.post.created_at for e in inbound), default=None)
        for row in case_store.joinable_cases(
            conn, platform, {e.post.author_id for e in inbound}, earliest
        ):
            self.state.cases[row["id"]] = Case.from_row(row)
            self.state.cases_by_author.setdefault(row["author_id"], []).append(row["id"])
        refs = {ref for e in brand_posts for ref in e.post.reply_to}
        self.referenced = post_store.referenced_posts(conn, platform, refs)
        self.batch_posts = {e.post.external_id: e for e in entries}
        wanted = {r["case_id"] for r in self.referenced.values() if r["case_id"]}
        for case_id, row in case_store.cases_by_id(conn, wanted - set(self.state.cases)).items():
            self.state.cases[case_id] = Case.from_row(row)
        reached = {r["author_id"] for r in self.referenced.values() if not r["is_brand"]}
        reached |= {a for e in brand_posts for a in e.post.recipients}
        self.promises = case_store.open_promises(conn, platform, reached)
        self.early_replies = post_store.earliest_brand_replies(
            conn, platform, [e.post.external_id for e in inbound]
        )
        answered_authors = {r["author_id"] for r in self.referenced.values() if not r["is_brand"]}
        answered_authors |= {
            self.batch_posts[ref].post.author_id
            for e in brand_posts
            for ref in e.post.reply_to
            if ref in self.batch_posts
        }
        self.latest = case_store.latest_activity(
            conn, platform, {e.post.author_id for e in inbound} | answered_authors
        )

    def _late_authors(self, entries: list[Entry]) -> dict[str, datetime]:
        """Authors a post of this batch reaches back in time for, with the earliest such
        moment: their cases from there on are rebuilt."""
        late: dict[str, datetime] = {}
        for entry in entries:
            if entry.is_brand:
                authors = {
                    info["author_id"]
                    for ref in entry.post.reply_to
                    if (info := self._reference(ref)) and not info["is_brand"]
                }
            elif entry.facts.needs_response:
                authors = {entry.post.author_id}
            else:
                continue
            at = entry.post.created_at
            for author in authors:
                if author in self.latest and at < self.latest[author]:
                    late[author] = min(late.get(author, at), at)
        return late

    def _inbound_post(self, entry: Entry) -> int:
        post = entry.post
        key = self._joinable_case(post)
        if key is not None:
            self._join(key, entry)
        else:
            key = self._open_case(entry)
        case = self.state.cases[key]
        early = self.early_replies.get(post.external_id)
        answered_later = (
            case.first_response_at is None or early and (early[1] < case.first_response_at)
        )
        if early and early[1] >= post.created_at and answered_later:
            self._answer(key, early[0], early[1])
            return 1
        return 0

    def _joinable_case(self, post: Post) -> int | None:
        """The author's case whose first answer came after this post (or has not come yet).

        Posts may arrive out of time order (X pages are newest first), so a post can also join
        a case that opened after it: it then becomes the case's first post.
        """
        never = datetime.max.replace(tzinfo=UTC)
        candidates = [
            (key, self.state.cases[key])
            for key in self.state.cases_by_author.get(post.author_id, [])
        ]
        candidates = [
            (key, c)
            for key, c in candidates
            if c.status != CaseStatus.CLOSED
            and (c.first_response_at is None or c.first_response_at > post.created_at)
        ]
        if not candidates:
            return None
        return min(candidates, key=lambda kc: (kc[1].first_response_at or never, kc[1].opened_at))[
            0
        ]

    def _join(self, key: int, entry: Entry) -> None:
        """A further post of the same run: a chase, or an earlier post arriving late."""
        post, facts = entry.post, entry.facts
        self.state.cases[key].chase(
            self.policy,
            entry.post_id,
            post.created_at,
            post.thread_key,
            facts.intent,
            facts.reason,
            facts.sentiment,
            post.author_reach,
        )
        self._attach(entry, key)

    def _open_case(self, entry: Entry) -> int:
        post, facts = entry.post, entry.facts
        key = self.state.next_temp_id
        self.state.next_temp_id -= 1
        self.state.cases[key] = open_case(
            self.policy,
            platform=post.platform,
            thread_key=post.thread_key,
            author_id=post.author_id,
            author_handle=post.author_handle,
            post_id=entry.post_id,
            account=post.source or post.platform,
            lang=facts.lang or post.lang,
            intent=facts.intent,
            reason=facts.reason,
            sentiment=facts.sentiment,
            at=post.created_at,
            reach=post.author_reach,
            now=datetime.now(UTC),
        )
        self.state.new_case_ids.append(key)
        self.state.cases_by_author.setdefault(post.author_id, []).append(key)
        self._attach(entry, key)
        return key

    def _attach(self, entry: Entry, key: int) -> None:
        entry.case_id = key
        self.state.case_of_post[entry.post_id] = key
        self.state.changed_case_ids.add(key)

    def _brand_post(self, entry: Entry) -> int:
        post = entry.post
        answered = 0
        reached: list[str] = []
        for ref in post.reply_to:
            info = self._reference(ref)
            if info is None or info["is_brand"]:
                continue
            reached.append(info["author_id"])
            key = info["case_id"]
            case = self.state.cases.get(key) if key else None
            if (
                case
                and not post.is_auto_reply
                and case.first_response_at is None
                and info["created_at"] <= post.created_at
            ):
                self._answer(key, entry.post_id, post.created_at)
                answered += 1
        if reached and not post.is_auto_reply:
            self.state.answered_threads.add(post.thread_key)
        reached.extend(post.recipients)
        if not post.is_auto_reply:
            self._keep_promises(set(reached), entry.post_id, post.created_at)
        if entry.facts.promise and reached:
            self._make_promise(entry, reached[0])
        return answered

    def _reference(self, external_id: str) -> dict[str, Any] | None:
        in_batch = self.batch_posts.get(external_id)
        if in_batch is not None:
            return {
                "author_id": in_batch.post.author_id,
                "is_brand": in_batch.is_brand,
                "case_id": in_batch.case_id,
                "created_at": in_batch.post.created_at,
            }
        return self.referenced.get(external_id)

    def _answer(self, key: int, post_id: int, at: datetime) -> None:
        self.state.cases[key].answer(self.policy, post_id, at)
        self.state.changed_case_ids.add(key)

    def _keep_promises(self, people: set[str], post_id: int, at: datetime) -> None:
        for promise in self.promises:
            if (
                promise["kept_at"] is None
                and promise["to_author_id"] in people
                and promise["made_at"] < at
            ):
                promise.update(kept_at=at, kept_by_post_id=post_id)
                if "id" in promise:
                    self.state.kept_promises.append(promise)

    def _make_promise(self, entry: Entry, person: str) -> None:
        post, promise = entry.post, entry.facts.promise
        assert promise is not None
        if promise.working_days:
            due = add_working_days(post.created_at, promise.working_days, self.policy.calendar)
        else:
            due = post.created_at + timedelta(hours=promise.hours)
        row = {
            "post_id": entry.post_id,
            "platform": post.platform,
            "to_author_id": person,
            "made_at": post.created_at,
            "due_at": due,
            "kept_at": None,
            "kept_by_post_id": None,
        }
        self.state.new_promises.append(row)
        self.promises.append(row)

    def _write_back(self) -> None:
        state = self.state
        new = [(key, state.cases[key]) for key in state.new_case_ids]
        ids = case_store.insert_cases(self.conn, [case.as_row() for _, case in new])
        real_id = {key: ids[case.first_post_id] for key, case in new}
        for key, case in new:
            case.id = real_id[key]
        case_store.update_cases(
            self.conn, [state.cases[key].as_row() for key in state.changed_case_ids if key > 0]
        )
        post_store.set_case_ids(
            self.conn, {post: real_id.get(key, key) for post, key in state.case_of_post.items()}
        )
        case_store.insert_promises(self.conn, state.new_promises)
        case_store.mark_promises_kept(self.conn, state.kept_promises)
        if self.platform == "email" and state.answered_threads:
            case_store.close_linked(self.conn, state.answered_threads, datetime.now(UTC))
