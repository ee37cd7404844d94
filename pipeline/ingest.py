"""The one path from a connector to the backlog: store, analyse, update cases, commit with cursor.

Sync, import and the demo all call ``Ingest.batch``; each batch is one transaction holding its
posts, their analysis, the cases they open or answer and the cursor that covers them, so a crash
at any moment resumes with no gap and no duplicate.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DataError

from analysis import model
from analysis.calendar import add_working_days
from analysis.channel import channel_of
from analysis.people import mentioned_identities
from analysis.text import (
    ANSWERED_BY_BRAND,
    TextFacts,
    analyse_many,
    analyse_text,
    needing_response,
)
from analysis.threads import Run, RunPost, SlaPolicy, author_runs, case_priority, first_answers
from connectors import mail
from connectors.base import Batch, Post, Problem
from store import cases as case_store
from store import people, sync_state
from store import posts as post_store
from store.accounts import BrandIdentities, brand_identities
from store.case_actions import LABEL_ACTION, CaseActionError
from store.events import log_event

# A picklable callable that reads or maps one batch; see ``Ingest.run``.
Job = Callable[[], Batch]
# Text facts computed ahead (in a pool process), keyed by what they assumed: the post, whether
# it is a brand post, and the channel it came on.
FactsKey = tuple[str, str, bool, str | None]


@dataclass
class IngestTotals:
    """What a run of batches did, for progress bars and the sync report."""

    read: int = 0
    new_posts: int = 0
    duplicates: int = 0
    cases_opened: int = 0
    cases_answered: int = 0
    problems: int = 0

    def add(self, other: IngestTotals) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Entry:
    post: Post
    facts: TextFacts
    post_id: int
    is_brand: bool
    case_id: int | None = None
    channel: str | None = None


@dataclass
class _BatchState:
    """Cases and promises touched by one batch, kept in memory and written back in bulk."""

    cases: dict[int, dict[str, Any]] = field(default_factory=dict)
    new_case_ids: list[int] = field(default_factory=list)
    changed_case_ids: set[int] = field(default_factory=set)
    cases_by_author: dict[str, list[int]] = field(default_factory=dict)
    new_promises: list[dict[str, Any]] = field(default_factory=list)
    kept_promises: list[dict[str, Any]] = field(default_factory=list)
    case_of_post: dict[int, int] = field(default_factory=dict)
    answered_threads: set[str] = field(default_factory=set)
    next_temp_id: int = -1


def post_row(post: Post, facts: TextFacts, is_brand: bool, fetched_at: datetime,
             channel: str | None = None) -> dict:
    """The ``posts`` row for a normalised post and its analysis."""
    return {
        "platform": post.platform, "external_id": post.external_id, "url": post.url,
        "author_id": post.author_id, "author_handle": post.author_handle,
        "author_name": post.author_name, "author_reach": post.author_reach,
        "text": post.text, "subject": post.subject, "created_at": post.created_at,
        "parent_external_id": post.parent_external_id, "thread_key": post.thread_key,
        "reply_to": " ".join(post.reply_to) or None,
        "is_brand": is_brand, "is_auto_reply": post.is_auto_reply, "lang": post.lang,
        "raw": post.raw, "source": post.source, "fetched_at": fetched_at,
        "needs_response": facts.needs_response, "intent": facts.intent,
        "sentiment": facts.sentiment, "sentiment_label": facts.sentiment_label,
        "promise_hours": facts.promise.hours if facts.promise else None,
        "channel": None if is_brand else channel, "reason": facts.reason,
    }


class Ingest:
    """Turns batches into stored posts and up-to-date cases for one workspace."""

    def __init__(self, engine: Engine, policy: SlaPolicy, workers: int = 1) -> None:
        self.engine = engine
        self.policy = policy
        self.workers = workers

    def run(self, batches: Iterable[Batch | Job],
            on_batch: Callable[[IngestTotals], None] | None = None) -> IngestTotals:
        """Ingest every batch. A job (a picklable callable returning a batch: the demo maps
        its payloads so) runs where the analysis runs: with ``workers`` > 1, mapping and text
        analysis of the next batches happen in ``workers - 1`` other processes while this
        one stores the current batch."""
        totals = IngestTotals()
        for batch, facts in self._prepared(batches):
            result = self._commit(batch, facts)
            totals.add(result)
            if on_batch:
                on_batch(result)
        return totals

    def _prepared(self, batches: Iterable[Batch | Job]
                  ) -> Iterator[tuple[Batch, dict[FactsKey, TextFacts] | None]]:
        if self.workers <= 1:
            for batch in batches:
                yield _as_batch(batch), None
            return
        with self.engine.connect() as conn:
            brand = brand_identities(conn)
        helpers = self.workers - 1
        with ProcessPoolExecutor(helpers, mp_context=get_context("spawn"),
                                 initializer=model.use, initargs=(model.model_path(),)) as pool:
            pending: deque = deque()
            for batch in batches:
                pending.append(pool.submit(_prepare, batch, brand))
                if len(pending) > helpers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def batch(self, batch: Batch) -> IngestTotals:
        return self._commit(batch, None)

    def _commit(self, batch: Batch,
                facts: dict[FactsKey, TextFacts] | None) -> IngestTotals:
        """Store the batch in one transaction; when the store refuses it for a post's content,
        store it again without the posts it refuses on their own, each recorded as a problem.

        The mappings already clean what a store cannot hold (``connectors.base``); this is the
        last guard. Refusing the whole batch would leave its cursor behind, so every later sync
        would read the same page again (and, on X, pay for it again) and fail again. When no
        single post is to blame (the cursor itself, say), the error is raised as before.
        """
        try:
            with self.engine.begin() as conn:
                return self._batch(conn, batch, facts)
        except _CONTENT_ERRORS:
            refused = self._refused_posts(batch)
            if not refused:
                raise
        kept = [p for p in batch.posts if id(p) not in refused]
        skipped = [Problem(batch.source, post.external_id, f"{post.platform} post could not be "
                           f"stored ({_error_kind(exc)}); skipped, the rest of its batch is kept")
                   for post, exc in refused.values()]
        with self.engine.begin() as conn:
            return self._batch(conn, replace(batch, posts=kept,
                                             problems=[*batch.problems, *skipped]), facts)

    def _refused_posts(self, batch: Batch) -> dict[int, tuple[Post, BaseException]]:
        """The posts the store refuses on their own, each tried in a rolled-back transaction."""
        refused: dict[int, tuple[Post, BaseException]] = {}
        with self.engine.connect() as conn:
            for post in batch.posts:
                trial = conn.begin()
                try:
                    self._batch(conn, Batch(batch.source, [post]), None)
                except _CONTENT_ERRORS as exc:
                    refused[id(post)] = (post, exc)
                finally:
                    trial.rollback()
        return refused

    def _batch(self, conn: Connection, batch: Batch,
               facts: dict[FactsKey, TextFacts] | None) -> IngestTotals:
        brand = brand_identities(conn)
        unique = list({(p.platform, p.external_id): p for p in batch.posts}.values())
        stored = post_store.existing_ids(conn, [(p.platform, p.external_id) for p in unique])
        new = sorted((p for p in unique if (p.platform, p.external_id) not in stored),
                     key=lambda p: p.created_at)
        new = _link_mail_by_subject(conn, new, brand)
        entries = self._store_posts(conn, new, brand, facts)
        _link_people(conn, entries, brand)
        opened, answered = 0, 0
        for platform in sorted({e.post.platform for e in entries}):
            part = [e for e in entries if e.post.platform == platform]
            opened_now, answered_now = _CaseUpdater(conn, self.policy, platform).apply(part)
            opened += opened_now
            answered += answered_now
        sync_state.save_progress(conn, batch.source, batch.cursor, batch.items_read,
                                 batch.users_read, batch.units)
        problems = sync_state.record_problems(conn, batch.problems)
        return IngestTotals(read=len(batch.posts), new_posts=len(new),
                            duplicates=len(batch.posts) - len(new), cases_opened=opened,
                            cases_answered=answered, problems=problems)

    def _store_posts(self, conn: Connection, new: list[Post], brand: BrandIdentities,
                     known: dict[FactsKey, TextFacts] | None) -> list[_Entry]:
        flags = [brand.is_brand(p.platform, p.author_id, p.author_handle) for p in new]
        channels = post_channels(new, flags, brand, post_store.brand_flags(
            conn, _thread_refs(new) - {(p.platform, p.external_id) for p in new}))
        facts = [(known or {}).get((p.platform, p.external_id, flag, channel))
                 or analyse_text(p.text, flag, p.lang, channel, p.is_auto_reply)
                 for p, flag, channel in zip(new, flags, channels, strict=True)]
        facts = _answered_in_batch(conn, new, flags, channels, facts)
        now = datetime.now(UTC)
        rows = [post_row(p, f, flag, now, channel)
                for p, f, flag, channel in zip(new, facts, flags, channels, strict=True)]
        ids = post_store.insert_posts(conn, rows)
        return [_Entry(p, f, ids[(p.platform, p.external_id)], flag, channel=channel)
                for p, f, flag, channel in zip(new, facts, flags, channels, strict=True)]


def _thread_refs(posts: list[Post]) -> set[tuple[str, str]]:
    """The posts whose authorship settles a post's channel: its parent and its thread's root."""
    return {(p.platform, ref) for p in posts for ref in (p.parent_external_id, p.thread_key)
            if ref}


def post_channels(posts: list[Post], flags: list[bool], brand: BrandIdentities,
                  stored_brand: dict[tuple[str, str], bool]) -> list[str | None]:
    """The channel of each post (None for brand posts): ``stored_brand`` says which of the
    parents and thread roots outside ``posts`` are brand posts."""
    known = {**stored_brand, **{(p.platform, p.external_id): flag
                                for p, flag in zip(posts, flags, strict=True)}}
    platforms_with_brand = {platform for platform, _ in brand.keys}
    channels: list[str | None] = []
    for post, flag in zip(posts, flags, strict=True):
        if flag:
            channels.append(None)
            continue
        platform = post.platform
        channels.append(channel_of(
            platform, post.text,
            replies_to_brand=known.get((platform, post.parent_external_id or ""), False),
            on_brand_thread=(post.thread_key != post.external_id
                             and known.get((platform, post.thread_key), False)),
            to_brand=bool(post.to_account) and brand.is_brand(
                platform, post.to_account or "", post.to_account or ""),
            is_brand_handle=lambda handle, platform=platform: brand.is_brand(
                platform, handle, handle),
            brand_known=platform in platforms_with_brand))
    return channels


def _answered_in_batch(conn: Connection, new: list[Post], flags: list[bool],
                       channels: list[str | None], facts: list[TextFacts]) -> list[TextFacts]:
    """An inbound post that a brand post (not an automatic reply) answers needs a response,
    whatever its words: the team's own reply is the strongest label there is. The answer may be
    in this batch or stored already (X pages come newest first)."""
    waiting = {(p.platform, p.external_id): i
               for i, (p, flag, f) in enumerate(zip(new, flags, facts, strict=True))
               if not flag and not f.needs_response and not p.is_auto_reply}
    if not waiting:
        return facts
    answered: set[int] = set()
    for post, flag in zip(new, flags, strict=True):
        if flag and not post.is_auto_reply:
            for ref in post.reply_to:
                i = waiting.get((post.platform, ref))
                if i is not None and new[i].created_at <= post.created_at:
                    answered.add(i)
    by_platform: dict[str, list[str]] = {}
    for platform, external_id in waiting:
        by_platform.setdefault(platform, []).append(external_id)
    for platform, external_ids in by_platform.items():
        for parent, (_, at) in post_store.earliest_brand_replies(
                conn, platform, external_ids).items():
            i = waiting[(platform, parent)]
            if at >= new[i].created_at:
                answered.add(i)
    facts = list(facts)
    for i in answered:
        facts[i] = needing_response(facts[i], new[i].text, channels[i])
    return facts


# What a store raises for a value it cannot hold: PostgreSQL's DataError (NUL in text, a
# VARCHAR overflow, NaN in JSON, an INTEGER overflow), a driver's UnicodeEncodeError (a lone
# surrogate), SQLite's OverflowError (an integer beyond 64 bits).
_CONTENT_ERRORS = (DataError, UnicodeEncodeError, OverflowError)


def _error_kind(exc: BaseException) -> str:
    """The error's class, never its message: a database error quotes the refused value."""
    return type(getattr(exc, "orig", None) or exc).__name__


def _as_batch(batch: Batch | Job) -> Batch:
    return batch if isinstance(batch, Batch) else batch()


def _prepare(batch: Batch | Job, brand: BrandIdentities
             ) -> tuple[Batch, dict[FactsKey, TextFacts]]:
    """Runs in a pool process: map the job's payloads and analyse the texts. The facts are
    keyed with the brand flag and channel they assumed (the channel from this batch alone), so
    a post whose flag or channel the store changes is analysed again when stored."""
    batch = _as_batch(batch)
    flags = [brand.is_brand(p.platform, p.author_id, p.author_handle) for p in batch.posts]
    channels = post_channels(batch.posts, flags, brand, {})
    facts = analyse_many([(p.text, flag, p.lang, channel, p.is_auto_reply)
                          for p, flag, channel in zip(batch.posts, flags, channels, strict=True)])
    return batch, {(p.platform, p.external_id, flag, channel): fact
                   for p, flag, channel, fact in zip(batch.posts, flags, channels, facts,
                                                     strict=True)}


def _wake(case: dict[str, Any]) -> None:
    """The candidate wrote again: a case waiting on them or snoozed needs the team again."""
    if case["status"] in ("pending", "snoozed"):
        case.update(status="open", snoozed_until=None)


class _AuthorRebuild:
    """Recompute one author's open cases from their posts and the brand's answers.

    Used when a batch reaches back before what the author's cases already know (X pages come
    newest first; imports come in any order), so the cases never depend on arrival order.
    Existing cases keep their id, assignee and status when they keep any of their posts.
    """

    def __init__(self, conn: Connection, policy: SlaPolicy, platform: str, author: str,
                 since: datetime) -> None:
        self.conn, self.policy, self.platform, self.author = conn, policy, platform, author
        self.since = since

    def run(self) -> None:
        existing = case_store.open_cases_of(self.conn, self.platform, self.author, self.since)
        start = min([self.since, *(case["opened_at"] for case in existing.values())])
        rows = case_store.author_open_posts(self.conn, self.platform, self.author, self.since,
                                            start)
        if not rows:
            return
        by_id = {row["id"]: row for row in rows}
        times = {row["external_id"]: row["created_at"] for row in rows}
        answers = first_answers(times, case_store.brand_replies_in(
            self.conn, self.platform, {row["thread_key"] for row in rows}))
        runs = author_runs([RunPost(row["id"], row["created_at"],
                                    *answers.get(row["external_id"], (None, None)))
                            for row in rows])
        self._write(runs, by_id, existing)

    def _write(self, runs: list[Run], by_id: dict[int, dict], existing: dict[int, dict]) -> None:
        kept: set[int] = set()
        assignments: dict[int, int] = {}
        updates, new_rows, new_runs = [], [], []
        for run in runs:
            owners = sorted({by_id[p.post_id]["case_id"] for p in run.posts} & set(existing)
                            - kept, key=lambda c: existing[c]["opened_at"])
            fields = self._fields(run, by_id)
            if owners:
                kept.add(owners[0])
                case = {**existing[owners[0]], **fields}
                if fields["last_inbound_at"] > existing[owners[0]]["last_inbound_at"]:
                    _wake(case)
                updates.append(case)
                assignments.update({p.post_id: owners[0] for p in run.posts})
            else:
                new_rows.append({**self._new_case(by_id[run.posts[0].post_id]), **fields})
                new_runs.append(run)
        case_store.update_cases(self.conn, updates)
        ids = case_store.insert_cases(self.conn, new_rows)
        for run in new_runs:
            case_id = ids[run.posts[0].post_id]
            assignments.update({p.post_id: case_id for p in run.posts})
        post_store.set_case_ids(self.conn, assignments)
        gone = set(existing) - kept
        case_store.merge_into(self.conn, gone, {
            c: assignments.get(existing[c]["first_post_id"]) for c in gone})

    def _fields(self, run: Run, by_id: dict[int, dict]) -> dict[str, Any]:
        members = [by_id[p.post_id] for p in run.posts]
        first, chases = members[0], len(members) - 1
        sentiment = min(m["sentiment"] or 0.0 for m in members)
        intent = first["intent"]
        fields = {
            "first_post_id": first["id"], "thread_key": first["thread_key"],
            "opened_at": first["created_at"], "due_at": self.policy.due_at(first["created_at"]),
            "last_inbound_at": members[-1]["created_at"], "chase_count": chases,
            "intent": intent, "reason": first["reason"], "sentiment": sentiment,
            "priority": case_priority(intent or "chase", sentiment, chases,
                                      first["author_reach"]),
            "first_response_at": run.answered_at, "first_response_post_id": run.answer_post_id,
            "response_hours": None, "response_business_hours": None,
            "updated_at": datetime.now(UTC),
        }
        if run.answered_at is not None:
            hours, business = self.policy.response_hours(first["created_at"], run.answered_at)
            fields.update(response_hours=hours, response_business_hours=business)
        return fields

    def _new_case(self, first: dict) -> dict[str, Any]:
        return {"platform": self.platform, "author_id": self.author,
                "author_handle": first["author_handle"],
                "account": first["source"] or self.platform, "lang": first["lang"],
                "status": "open", "touched": False}


class NotAddableError(CaseActionError):
    """A post that cannot go into the backlog (a brand post, or no such post)."""


def add_to_backlog(conn: Connection, policy: SlaPolicy, post_id: int, actor: str) -> int:
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
        entry = _answered_entry(row, reason=f"added by {actor}"[:64])
        post_store.set_needs_response(conn, [{"id": post_id, "needs_response": True,
                                              "intent": entry.facts.intent,
                                              "reason": entry.facts.reason}])
        _AuthorRebuild(conn, policy, row["platform"], row["author_id"], row["created_at"]).run()
    case_id = post_store.posts_by_id(conn, [post_id])[0]["case_id"]
    log_event(conn, actor, LABEL_ACTION, case_id, {"label": "needs_answer", "posts": [post_id]})
    return case_id


def _link_mail_by_subject(conn: Connection, new: list[Post],
                          brand: BrandIdentities) -> list[Post]:
    """A brand "Re:" mail without threading headers answers the candidate's mail with that
    subject; the inbox and the sent folder arrive in separate batches, so look in the store."""
    addresses = {handle for platform, handle in brand.keys if platform == "email"}
    waiting = [p for p in new if p.platform == "email" and not p.reply_to
               and p.author_id.lower() in addresses and mail.is_reply_subject(p.subject)]
    if not waiting:
        return new
    recipients = {r for p in waiting for r in p.recipients if r not in addresses}
    earlier = post_store.inbound_mails_by_authors(conn, recipients,
                                                  max(p.created_at for p in waiting))
    return mail.link_subject_replies(new, addresses,
                                     [mail.EarlierMail(**row) for row in earlier])


def _link_people(conn: Connection, entries: list[_Entry], brand: BrandIdentities) -> None:
    """An inbound post that names its author's address or handle elsewhere links the two."""
    for entry in entries:
        if entry.is_brand:
            continue
        post = entry.post
        for platform, handle in mentioned_identities(post.platform, post.text):
            if brand.is_brand(platform, handle, handle):
                continue
            people.link(conn, (post.platform, post.author_handle), (platform, handle),
                        f"post {post.platform}:{post.external_id}")


def _answered_entry(row: dict[str, Any], reason: str = ANSWERED_BY_BRAND) -> _Entry:
    """A stored inbound post that an answer (or a person) just showed needs a response, as
    ingest holds it."""
    post = Post(platform=row["platform"], external_id=row["external_id"],
                author_id=row["author_id"], author_handle=row["author_handle"], text=row["text"],
                created_at=row["created_at"], thread_key=row["thread_key"],
                parent_external_id=row["parent_external_id"],
                reply_to=tuple((row["reply_to"] or "").split()), author_name=row["author_name"],
                author_reach=row["author_reach"], url=row["url"], lang=row["lang"],
                subject=row["subject"], is_auto_reply=row["is_auto_reply"],
                source=row["source"])
    stored = TextFacts(False, None, row["sentiment"] or 0.0, row["sentiment_label"] or "neutral",
                       None, row["reason"])
    facts = needing_response(stored, row["text"], row["channel"], reason)
    return _Entry(post, facts, row["id"], False, channel=row["channel"])


class _CaseUpdater:
    """Applies one platform's new posts of a batch to cases and promises, in time order."""

    def __init__(self, conn: Connection, policy: SlaPolicy, platform: str) -> None:
        self.conn = conn
        self.policy = policy
        self.platform = platform
        self.state = _BatchState()

    def apply(self, entries: list[_Entry]) -> tuple[int, int]:
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
            _AuthorRebuild(self.conn, self.policy, self.platform, author, since).run()
        return len(self.state.new_case_ids), answered

    def _with_answered_stored_posts(self, entries: list[_Entry]) -> list[_Entry]:
        """Stored inbound posts that a brand post of this batch answers, flagged as needing a
        response and handed to the case rules in time order beside the batch's own posts."""
        earliest: dict[str, datetime] = {}
        for entry in entries:
            if entry.is_brand and not entry.post.is_auto_reply:
                for ref in entry.post.reply_to:
                    earliest[ref] = min(earliest.get(ref, entry.post.created_at),
                                        entry.post.created_at)
        for entry in entries:
            earliest.pop(entry.post.external_id, None)
        if not earliest:
            return entries
        found = post_store.referenced_posts(self.conn, self.platform, earliest)
        wanted = [row["id"] for ref, row in found.items()
                  if not row["is_brand"] and not row["needs_response"]
                  and not row["is_auto_reply"] and row["created_at"] <= earliest[ref]]
        if not wanted:
            return entries
        promoted = [_answered_entry(row) for row in post_store.posts_by_id(self.conn, wanted)]
        post_store.set_needs_response(self.conn, [
            {"id": e.post_id, "needs_response": True, "intent": e.facts.intent,
             "reason": e.facts.reason} for e in promoted])
        return sorted([*entries, *promoted], key=lambda e: e.post.created_at)

    def _preload(self, inbound: list[_Entry], brand_posts: list[_Entry],
                 entries: list[_Entry]) -> None:
        conn, platform = self.conn, self.platform
        earliest = min((e.post.created_at for e in inbound), default=None)
        for case in case_store.joinable_cases(conn, platform, {e.post.author_id for e in inbound},
                                              earliest):
            self.state.cases[case["id"]] = case
            self.state.cases_by_author.setdefault(case["author_id"], []).append(case["id"])
        refs = {ref for e in brand_posts for ref in e.post.reply_to}
        self.referenced = post_store.referenced_posts(conn, platform, refs)
        self.batch_posts = {e.post.external_id: e for e in entries}
        wanted = {r["case_id"] for r in self.referenced.values() if r["case_id"]}
        for case_id, case in case_store.cases_by_id(conn, wanted - set(self.state.cases)).items():
            self.state.cases[case_id] = case
        reached = {r["author_id"] for r in self.referenced.values() if not r["is_brand"]}
        reached |= {a for e in brand_posts for a in e.post.recipients}
        self.promises = case_store.open_promises(conn, platform, reached)
        self.early_replies = post_store.earliest_brand_replies(
            conn, platform, [e.post.external_id for e in inbound])
        answered_authors = {r["author_id"] for r in self.referenced.values() if not r["is_brand"]}
        answered_authors |= {self.batch_posts[ref].post.author_id for e in brand_posts
                             for ref in e.post.reply_to if ref in self.batch_posts}
        self.latest = case_store.latest_activity(
            conn, platform, {e.post.author_id for e in inbound} | answered_authors)

    def _late_authors(self, entries: list[_Entry]) -> dict[str, datetime]:
        """Authors a post of this batch reaches back in time for, with the earliest such
        moment: their cases from there on are rebuilt."""
        late: dict[str, datetime] = {}
        for entry in entries:
            if entry.is_brand:
                authors = {info["author_id"] for ref in entry.post.reply_to
                           if (info := self._reference(ref)) and not info["is_brand"]}
            elif entry.facts.needs_response:
                authors = {entry.post.author_id}
            else:
                continue
            at = entry.post.created_at
            for author in authors:
                if author in self.latest and at < self.latest[author]:
                    late[author] = min(late.get(author, at), at)
        return late

    def _inbound_post(self, entry: _Entry) -> int:
        post = entry.post
        case = self._joinable_case(post)
        if case is not None:
            self._join(case, entry)
        else:
            case = self.state.cases[self._open_case(entry)]
        early = self.early_replies.get(post.external_id)
        answered_later = case["first_response_at"] is None or early and (
            early[1] < case["first_response_at"])
        if early and early[1] >= post.created_at and answered_later:
            self._answer(case, early[0], early[1])
            return 1
        return 0

    def _joinable_case(self, post: Post) -> dict[str, Any] | None:
        """The author's case whose first answer came after this post (or has not come yet).

        Posts may arrive out of time order (X pages are newest first), so a post can also join
        a case that opened after it: it then becomes the case's first post.
        """
        never = datetime.max.replace(tzinfo=UTC)
        candidates = [self.state.cases[i] for i in self.state.cases_by_author.get(
            post.author_id, [])]
        candidates = [c for c in candidates if c["status"] != "closed" and (
            c["first_response_at"] is None or c["first_response_at"] > post.created_at)]
        if not candidates:
            return None
        return min(candidates, key=lambda c: (c["first_response_at"] or never, c["opened_at"]))

    def _join(self, case: dict[str, Any], entry: _Entry) -> None:
        """A further post of the same run: a chase, or an earlier post arriving late."""
        post, facts = entry.post, entry.facts
        case["chase_count"] += 1
        case["sentiment"] = min(case["sentiment"] or 0.0, facts.sentiment)
        if post.created_at < case["opened_at"]:
            case.update(opened_at=post.created_at, first_post_id=entry.post_id,
                        thread_key=post.thread_key, intent=facts.intent or case["intent"],
                        reason=facts.reason or case["reason"],
                        due_at=self.policy.due_at(post.created_at))
            if case["first_response_at"] is not None:
                hours, business = self.policy.response_hours(post.created_at,
                                                              case["first_response_at"])
                case.update(response_hours=hours, response_business_hours=business)
        case["last_inbound_at"] = max(case["last_inbound_at"], post.created_at)
        _wake(case)
        self._reprioritise(case, post)
        self._attach(entry, case["id"])

    def _open_case(self, entry: _Entry) -> int:
        post, facts, now = entry.post, entry.facts, datetime.now(UTC)
        case_id = self.state.next_temp_id
        self.state.next_temp_id -= 1
        self.state.cases[case_id] = {
            "id": case_id, "platform": post.platform, "thread_key": post.thread_key,
            "author_id": post.author_id, "author_handle": post.author_handle,
            "first_post_id": entry.post_id, "account": post.source or post.platform,
            "lang": post.lang, "intent": facts.intent, "reason": facts.reason,
            "sentiment": facts.sentiment, "status": "open", "snoozed_until": None,
            "chase_count": 0, "touched": False,
            "priority": case_priority(facts.intent, facts.sentiment, 0, post.author_reach),
            "opened_at": post.created_at, "last_inbound_at": post.created_at,
            "due_at": self.policy.due_at(post.created_at), "first_response_at": None,
            "first_response_post_id": None, "response_hours": None,
            "response_business_hours": None, "updated_at": now,
        }
        self.state.new_case_ids.append(case_id)
        self.state.cases_by_author.setdefault(post.author_id, []).append(case_id)
        self._attach(entry, case_id)
        return case_id

    def _attach(self, entry: _Entry, case_id: int) -> None:
        entry.case_id = case_id
        self.state.case_of_post[entry.post_id] = case_id
        self.state.changed_case_ids.add(case_id)

    def _reprioritise(self, case: dict[str, Any], post: Post) -> None:
        intent = case["intent"] or "chase"
        case["priority"] = case_priority(intent, case["sentiment"], case["chase_count"],
                                         post.author_reach)

    def _brand_post(self, entry: _Entry) -> int:
        post = entry.post
        answered = 0
        reached: list[str] = []
        for ref in post.reply_to:
            info = self._reference(ref)
            if info is None or info["is_brand"]:
                continue
            reached.append(info["author_id"])
            case = self.state.cases.get(info["case_id"]) if info["case_id"] else None
            if (case and not post.is_auto_reply and case["first_response_at"] is None
                    and info["created_at"] <= post.created_at):
                self._answer(case, entry.post_id, post.created_at)
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
            return {"author_id": in_batch.post.author_id, "is_brand": in_batch.is_brand,
                    "case_id": in_batch.case_id, "created_at": in_batch.post.created_at}
        return self.referenced.get(external_id)

    def _answer(self, case: dict[str, Any], post_id: int, at: datetime) -> None:
        hours, business = self.policy.response_hours(case["opened_at"], at)
        case.update(first_response_at=at, first_response_post_id=post_id,
                    response_hours=hours, response_business_hours=business)
        self.state.changed_case_ids.add(case["id"])

    def _keep_promises(self, people: set[str], post_id: int, at: datetime) -> None:
        for promise in self.promises:
            if (promise["kept_at"] is None and promise["to_author_id"] in people
                    and promise["made_at"] < at):
                promise.update(kept_at=at, kept_by_post_id=post_id)
                if "id" in promise:
                    self.state.kept_promises.append(promise)

    def _make_promise(self, entry: _Entry, person: str) -> None:
        post, promise = entry.post, entry.facts.promise
        if promise.working_days:
            due = add_working_days(post.created_at, promise.working_days, self.policy.calendar)
        else:
            due = post.created_at + timedelta(hours=promise.hours)
        row = {"post_id": entry.post_id, "platform": post.platform, "to_author_id": person,
               "made_at": post.created_at, "due_at": due, "kept_at": None,
               "kept_by_post_id": None}
        self.state.new_promises.append(row)
        self.promises.append(row)

    def _write_back(self) -> None:
        state = self.state
        new_rows = [state.cases[i] for i in state.new_case_ids]
        ids = case_store.insert_cases(self.conn, [{k: v for k, v in row.items() if k != "id"}
                                                  for row in new_rows])
        real_id = {row["id"]: ids[row["first_post_id"]] for row in new_rows}
        case_store.update_cases(self.conn, [
            state.cases[i] for i in state.changed_case_ids if i > 0])
        post_store.set_case_ids(self.conn, {
            post: real_id.get(case, case) for post, case in state.case_of_post.items()})
        case_store.insert_promises(self.conn, state.new_promises)
        case_store.mark_promises_kept(self.conn, state.kept_promises)
        if self.platform == "email" and state.answered_threads:
            case_store.close_linked(self.conn, state.answered_threads, datetime.now(UTC))
