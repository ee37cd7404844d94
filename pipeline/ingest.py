"""The one path from a connector to the backlog: store, analyse, update cases, commit with cursor.

Sync, import and the demo all call ``Ingest.batch``; each batch is one transaction holding its
posts, their analysis, the cases they open or answer and the cursor that covers them, so a crash
at any moment resumes with no gap and no duplicate.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from multiprocessing import get_context

from sqlalchemy import Connection, Engine

from analysis import model, reviews
from analysis.cases import SlaPolicy
from analysis.channel import channel_of
from analysis.people import mentioned_identities
from analysis.text import (
    TextFacts,
    analyse_post,
    needing_response,
)
from connectors import mail
from connectors.base import Batch, Post, Problem
from pipeline.cases import CaseUpdater, Entry
from settings import redact
from store import people, sync_state
from store import posts as post_store
from store.accounts import BrandIdentities, brand_identities
from store.posts import REFUSED_VALUE_ERRORS

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


def post_row(
    post: Post, facts: TextFacts, is_brand: bool, fetched_at: datetime, channel: str | None = None
) -> dict:
    """The ``posts`` row for a normalised post and its analysis."""
    return {
        "platform": post.platform,
        "external_id": post.external_id,
        "url": post.url,
        "author_id": post.author_id,
        "author_handle": post.author_handle,
        "author_name": post.author_name,
        "author_reach": post.author_reach,
        "text": post.text,
        "subject": post.subject,
        "created_at": post.created_at,
        "parent_external_id": post.parent_external_id,
        "thread_key": post.thread_key,
        "reply_to": " ".join(post.reply_to) or None,
        "is_brand": is_brand,
        "is_auto_reply": post.is_auto_reply,
        "lang": facts.lang or post.lang,
        "raw": post.raw,
        "source": post.source,
        "fetched_at": fetched_at,
        "needs_response": facts.needs_response,
        "intent": facts.intent,
        "sentiment": facts.sentiment,
        "sentiment_label": facts.sentiment_label,
        "promise_hours": facts.promise.hours if facts.promise else None,
        "channel": None if is_brand else channel,
        "reason": facts.reason,
        "rating": post.rating,
    }


class Ingest:
    """Turns batches into stored posts and up-to-date cases for one workspace."""

    def __init__(self, engine: Engine, policy: SlaPolicy, workers: int = 1) -> None:
        self.engine = engine
        self.policy = policy
        self.workers = workers

    def run(
        self, batches: Iterable[Batch | Job], on_batch: Callable[[IngestTotals], None] | None = None
    ) -> IngestTotals:
        """Ingest every batch. A job (a picklable callable returning a batch: the demo maps
        its payloads so) runs where the analysis runs: with ``workers`` > 1, mapping and text
        analysis of the next batches happen in ``workers - 1`` other processes while this
        one stores the current batch; when this one would wait for them, it maps and analyses
        a batch itself."""
        totals = IngestTotals()
        for batch, facts in self._prepared(batches):
            result = self._commit(batch, facts)
            totals.add(result)
            if on_batch:
                on_batch(result)
        return totals

    def _prepared(
        self, batches: Iterable[Batch | Job]
    ) -> Iterator[tuple[Batch, dict[FactsKey, TextFacts] | None]]:
        if self.workers <= 1:
            for batch in batches:
                yield _as_batch(batch), None
            return
        with self.engine.connect() as conn:
            brand = brand_identities(conn)
        helpers = self.workers - 1
        jobs = iter(batches)
        with ProcessPoolExecutor(
            helpers,
            mp_context=get_context("spawn"),
            initializer=model.use,
            initargs=(model.model_path(),),
        ) as pool:
            pending: deque[tuple[Future, Batch | Job]] = deque()
            while True:
                # the pool starts a job per process and queues one more; one further job
                # waits here, where this process can take it back (``_take_back``)
                while len(pending) < helpers + 2 and (job := next(jobs, None)) is not None:
                    pending.append((pool.submit(_prepare, job, brand), job))
                if not pending:
                    return
                while not pending[0][0].done() and _take_back(pending, brand):
                    pass
                yield pending.popleft()[0].result()

    def batch(self, batch: Batch) -> IngestTotals:
        return self._commit(batch, None)

    def _commit(self, batch: Batch, facts: dict[FactsKey, TextFacts] | None) -> IngestTotals:
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
        except REFUSED_VALUE_ERRORS:
            refused = self._refused_posts(batch)
            if not refused:
                raise
        kept = [p for p in batch.posts if id(p) not in refused]
        skipped = [
            Problem(
                batch.source,
                post.external_id,
                f"{post.platform} post could not be "
                f"stored ({_error_kind(exc)}); skipped, the rest of its batch is kept",
            )
            for post, exc in refused.values()
        ]
        with self.engine.begin() as conn:
            return self._batch(
                conn, replace(batch, posts=kept, problems=[*batch.problems, *skipped]), facts
            )

    def _refused_posts(self, batch: Batch) -> dict[int, tuple[Post, BaseException]]:
        """The posts the store refuses on their own, each tried in a rolled-back transaction."""
        refused: dict[int, tuple[Post, BaseException]] = {}
        with self.engine.connect() as conn:
            for post in batch.posts:
                trial = conn.begin()
                try:
                    self._batch(conn, Batch(batch.source, [post]), None)
                except REFUSED_VALUE_ERRORS as exc:
                    refused[id(post)] = (post, exc)
                finally:
                    trial.rollback()
        return refused

    def _batch(
        self, conn: Connection, batch: Batch, facts: dict[FactsKey, TextFacts] | None
    ) -> IngestTotals:
        brand = brand_identities(conn)
        unique, repeated = first_read(batch.posts)
        stored = post_store.stored_texts(conn, [(p.platform, p.external_id) for p in unique])
        repeated += [
            p
            for p in unique
            if (p.platform, p.external_id) in stored
            and stored[(p.platform, p.external_id)][0] != p.text
            and stored[(p.platform, p.external_id)][1] not in OWN_REPLY_SOURCES
        ]
        new = sorted(
            (p for p in unique if (p.platform, p.external_id) not in stored),
            key=lambda p: p.created_at,
        )
        new = _link_mail_by_subject(conn, new, brand)
        entries = self._store_posts(conn, new, brand, facts)
        _link_people(conn, entries, brand)
        opened, answered = 0, 0
        for platform in sorted({e.post.platform for e in entries}):
            part = [e for e in entries if e.post.platform == platform]
            opened_now, answered_now = CaseUpdater(conn, self.policy, platform).apply(part)
            opened += opened_now
            answered += answered_now
        sync_state.save_progress(
            conn, batch.source, batch.cursor, batch.items_read, batch.users_read, batch.units
        )
        problems = sync_state.record_problems(
            conn,
            [
                replace(p, reason=redact(p.reason))
                for p in (
                    *batch.problems,
                    *_repeat_problems(batch, repeated),
                    *_cut_problems(batch, new),
                )
            ],
        )
        return IngestTotals(
            read=len(batch.posts),
            new_posts=len(new),
            duplicates=len(batch.posts) - len(new),
            cases_opened=opened,
            cases_answered=answered,
            problems=problems,
        )

    def _store_posts(
        self,
        conn: Connection,
        new: list[Post],
        brand: BrandIdentities,
        known: dict[FactsKey, TextFacts] | None,
    ) -> list[Entry]:
        flags = [brand.is_brand(p.platform, p.author_id, p.author_handle) for p in new]
        channels = post_channels(
            new,
            flags,
            brand,
            post_store.brand_flags(
                conn, _thread_refs(new) - {(p.platform, p.external_id) for p in new}
            ),
        )
        facts = [
            (known or {}).get((p.platform, p.external_id, flag, channel))
            or analyse_post(p.text, flag, p.lang, channel, p.is_auto_reply)
            for p, flag, channel in zip(new, flags, channels, strict=True)
        ]
        facts = [
            reviews.settle(p.platform, flag, f, p.text, p.rating)
            for p, f, flag in zip(new, facts, flags, strict=True)
        ]
        facts = _answered_in_batch(conn, new, flags, channels, facts)
        now = datetime.now(UTC)
        rows = [
            post_row(p, f, flag, now, channel)
            for p, f, flag, channel in zip(new, facts, flags, channels, strict=True)
        ]
        ids = post_store.insert_posts(conn, rows)
        return [
            Entry(p, f, ids[(p.platform, p.external_id)], flag, channel=channel)
            for p, f, flag, channel in zip(new, facts, flags, channels, strict=True)
        ]


def _thread_refs(posts: list[Post]) -> set[tuple[str, str]]:
    """The posts whose authorship settles a post's channel: its parent and its thread's root."""
    return {(p.platform, ref) for p in posts for ref in (p.parent_external_id, p.thread_key) if ref}


def post_channels(
    posts: list[Post],
    flags: list[bool],
    brand: BrandIdentities,
    stored_brand: dict[tuple[str, str], bool],
) -> list[str | None]:
    """The channel of each post (None for brand posts): ``stored_brand`` says which of the
    parents and thread roots outside ``posts`` are brand posts."""
    known = {
        **stored_brand,
        **{(p.platform, p.external_id): flag for p, flag in zip(posts, flags, strict=True)},
    }
    platforms_with_brand = {platform for platform, _ in brand.keys}
    channels: list[str | None] = []
    for post, flag in zip(posts, flags, strict=True):
        if flag:
            channels.append(None)
            continue
        platform = post.platform

        def is_brand_handle(handle: str, platform: str = platform) -> bool:
            return brand.is_brand(platform, handle, handle)

        channels.append(
            channel_of(
                platform,
                post.text,
                replies_to_brand=known.get((platform, post.parent_external_id or ""), False),
                on_brand_thread=(
                    post.thread_key != post.external_id
                    and known.get((platform, post.thread_key), False)
                ),
                to_brand=bool(post.to_account)
                and brand.is_brand(platform, post.to_account or "", post.to_account or ""),
                is_brand_handle=is_brand_handle,
                brand_known=platform in platforms_with_brand,
            )
        )
    return channels


def _answered_in_batch(
    conn: Connection,
    new: list[Post],
    flags: list[bool],
    channels: list[str | None],
    facts: list[TextFacts],
) -> list[TextFacts]:
    """An inbound post that a brand post (not an automatic reply) answers needs a response,
    whatever its words: the team's own reply is the strongest label there is. The answer may be
    in this batch or stored already (X pages come newest first)."""
    waiting = {
        (p.platform, p.external_id): i
        for i, (p, flag, f) in enumerate(zip(new, flags, facts, strict=True))
        if not flag and not f.needs_response and not p.is_auto_reply
    }
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
            conn, platform, external_ids
        ).items():
            i = waiting[(platform, parent)]
            if at >= new[i].created_at:
                answered.add(i)
    facts = list(facts)
    for i in answered:
        facts[i] = needing_response(facts[i], new[i].text, channels[i])
    return facts


# Sources of the replies we store the moment we send them (``engagement.actions``): the sync
# reads them back as the platform re-encodes them (X escapes "&"), which is no conflict.
OWN_REPLY_SOURCES = frozenset({"reply", "demo:sandbox"})


def first_read(posts: list[Post]) -> tuple[list[Post], list[Post]]:
    """(the first post read for each id, the later copies whose text differs from it).

    One rule for a batch, a file and across files: the post read first is the one kept,
    because the store never overwrites a stored post (a re-import adds nothing) and a batch
    must not differ from it. Copies with another text are reported, never dropped silently.
    """
    first: dict[tuple[str, str], Post] = {}
    differing: list[Post] = []
    for post in posts:
        key = (post.platform, post.external_id)
        kept = first.setdefault(key, post)
        if kept is not post and kept.text != post.text:
            differing.append(post)
    return list(first.values()), differing


def _repeat_problems(batch: Batch, repeated: list[Post]) -> list[Problem]:
    return [
        Problem(
            batch.source,
            post.external_id,
            f"{post.platform} post {post.external_id} read again with another text; "
            "the one read first is kept",
        )
        for post in repeated
    ]


def _cut_problems(batch: Batch, new: list[Post]) -> list[Problem]:
    """What the mappings cut from the posts stored now (``Post.notes``, e.g. a text over
    64 KB), as problems of the source: recorded once, with the post they concern."""
    return [
        Problem(batch.source, post.external_id, f"{post.platform} post {post.external_id}: {note}")
        for post in new
        for note in post.notes
    ]


def _error_kind(exc: BaseException) -> str:
    """The error's class, never its message: a database error quotes the refused value."""
    return type(getattr(exc, "orig", None) or exc).__name__


def _as_batch(batch: Batch | Job) -> Batch:
    return batch if isinstance(batch, Batch) else batch()


def _take_back(pending: deque[tuple[Future, Batch | Job]], brand: BrandIdentities) -> bool:
    """While the next batch is still in the pool, this process would wait: it prepares the
    newest job the pool has not started instead, so both cores work whichever of storing and
    analysing is the slower. False when every job has started."""
    for index in range(len(pending) - 1, 0, -1):
        future, job = pending[index]
        if future.cancel():
            done: Future = Future()
            done.set_result(_prepare(job, brand))
            pending[index] = (done, job)
            return True
    return False


def _prepare(batch: Batch | Job, brand: BrandIdentities) -> tuple[Batch, dict[FactsKey, TextFacts]]:
    """Runs in a pool process: map the job's payloads and analyse the texts, their language
    included. The facts are
    keyed with the brand flag and channel they assumed (the channel from this batch alone), so
    a post whose flag or channel the store changes is analysed again when stored."""
    batch = _as_batch(batch)
    flags = [brand.is_brand(p.platform, p.author_id, p.author_handle) for p in batch.posts]
    channels = post_channels(batch.posts, flags, brand, {})
    facts = [
        analyse_post(p.text, flag, p.lang, channel, p.is_auto_reply)
        for p, flag, channel in zip(batch.posts, flags, channels, strict=True)
    ]
    ahead: dict[FactsKey, TextFacts] = {}
    for p, flag, channel, fact in zip(batch.posts, flags, channels, facts, strict=True):
        ahead.setdefault((p.platform, p.external_id, flag, channel), fact)  # the first read
    return batch, ahead


def _link_mail_by_subject(conn: Connection, new: list[Post], brand: BrandIdentities) -> list[Post]:
    """A brand "Re:" mail without threading headers answers the candidate's mail with that
    subject; the inbox and the sent folder arrive in separate batches, so look in the store."""
    addresses = {handle for platform, handle in brand.keys if platform == "email"}
    waiting = [
        p
        for p in new
        if p.platform == "email"
        and not p.reply_to
        and p.author_id.lower() in addresses
        and mail.is_reply_subject(p.subject)
    ]
    if not waiting:
        return new
    recipients = {r for p in waiting for r in p.recipients if r not in addresses}
    earlier = post_store.inbound_mails_by_authors(
        conn, recipients, max(p.created_at for p in waiting)
    )
    return mail.link_subject_replies(new, addresses, [mail.EarlierMail(**row) for row in earlier])


def _link_people(conn: Connection, entries: list[Entry], brand: BrandIdentities) -> None:
    """An inbound post that names its author's address or handle elsewhere links the two."""
    for entry in entries:
        if entry.is_brand:
            continue
        post = entry.post
        for platform, handle in mentioned_identities(post.platform, post.text):
            if brand.is_brand(platform, handle, handle):
                continue
            people.link(
                conn,
                (post.platform, post.author_handle),
                (platform, handle),
                f"post {post.platform}:{post.external_id}",
            )
