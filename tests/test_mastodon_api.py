"""Mastodon connector against a local fake instance on 127.0.0.1 (Mastodon.py pointed at it):
paging, cursors, rate limits, server errors, a crash between pages, malformed items, threads,
and replies sent once per draft."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from connectors.base import NotConfiguredError, PlatformError
from connectors.mastodon_api import (
    PAGE_SIZE,
    MastodonTimeline,
    make_client,
    mastodon_sources,
    parse_hashtags,
    send_reply,
)
from connectors.retry import RetryPolicy
from engagement.actions import reply_to_case
from engagement.mastodon_sender import MastodonSender
from pipeline.sync import sync_source
from pipeline.workspace import open_workspace
from store.accounts import add_account, list_accounts
from store.schema import cases, posts, sync_errors
from store.sync_state import get_state
from store.threads import stored_thread_keys
from tests.conftest import workspace_settings
from tests.support.cli import run_cli
from tests.support.fake_mastodon import FakeMastodon
from tests.support.mastodon_statuses import (
    BRAND,
    BRAND_ID,
    account,
    candidate,
    conversation,
    notification,
    status,
)
from tests.support.rows import count_rows

TOKEN = "mastodon-test-token-5f3c9a"


class FakeTime:
    """A clock and a sleep that only record what they were asked."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def fake() -> Iterator[FakeMastodon]:
    server = FakeMastodon()
    server.base = server.start()  # type: ignore[attr-defined]
    yield server
    server.stop()


def _tag(fake: FakeMastodon, retry: RetryPolicy | None = None, **kw) -> MastodonTimeline:
    client = make_client(fake.base, TOKEN)  # type: ignore[attr-defined]
    return MastodonTimeline(
        "mastodon:tag:NorthwindJobs", "tag", "NorthwindJobs", client, retry or RetryPolicy(), **kw
    )


def _brand(ws) -> None:
    with ws.engine.begin() as conn:
        add_account(conn, "mastodon", "@careers@northwind.social", BRAND_ID)


def _stored_ids(ws) -> list[str]:
    with ws.engine.connect() as conn:
        return sorted(conn.execute(select(posts.c.external_id)).scalars())


def test_a_sync_stores_statuses_answers_the_case_and_a_second_sync_reads_nothing(workspace, fake):
    _brand(workspace)
    fake.statuses = conversation(6)  # questions 0, 1, 2, 3 and the brand's answers to 0 and 3
    first = sync_source(workspace, _tag(fake))
    assert (first.totals.new_posts, first.totals.read, first.error) == (6, 6, None)
    newest = max(fake.statuses, key=lambda s: int(s["id"]))["id"]
    with workspace.engine.connect() as conn:
        state = get_state(conn, "mastodon:tag:NorthwindJobs")
        answered = conn.execute(
            select(cases.c.author_handle).where(cases.c.first_response_at.is_not(None))
        ).scalars()
        handles = sorted(answered)
        brand_posts = conn.execute(select(posts.c.text).where(posts.c.is_brand)).scalars().all()
    assert state["cursor"] == {"since_id": newest, "newest_id": None, "max_id": None}
    assert handles == ["candidate0@mastodon.example", "candidate3@mastodon.example"]
    assert brand_posts[0] == ("@candidate0@mastodon.example yes, remote within the EU is fine!")
    second = sync_source(workspace, _tag(fake))
    assert second.totals.read == 0
    assert fake.gets("/timelines/tag/")[-1]["since_id"] == newest


def test_a_first_sync_reads_only_the_newest_page_not_the_hashtags_history(workspace, fake):
    fake.statuses = conversation(100)
    result = sync_source(workspace, _tag(fake))
    assert result.totals.read == PAGE_SIZE == count_rows(workspace, posts)
    assert len(fake.gets("/timelines/tag/")) == 1
    newest = sorted(fake.statuses, key=lambda s: int(s["id"]))[-PAGE_SIZE:]
    assert _stored_ids(workspace) == sorted(s["id"] for s in newest)


def test_a_window_is_paged_down_and_the_cursor_moves_only_once_it_is_stored(fake):
    statuses = sorted(conversation(130), key=lambda s: int(s["id"]))
    fake.statuses = statuses
    since = statuses[29]["id"]  # 100 statuses are newer than the cursor
    batches = list(_tag(fake).fetch({"since_id": since, "newest_id": None, "max_id": None}))
    assert [len(b.posts) for b in batches] == [40, 40, 20]
    assert [b.cursor["since_id"] for b in batches] == [since, since, statuses[-1]["id"]]
    assert [b.cursor["max_id"] for b in batches] == [statuses[90]["id"], statuses[50]["id"], None]
    assert {p.external_id for b in batches for p in b.posts} == {s["id"] for s in statuses[30:]}
    requests = fake.gets("/timelines/tag/")
    assert [r.get("since_id") for r in requests] == [since] * 3
    assert [r.get("max_id") for r in requests] == [None, statuses[90]["id"], statuses[50]["id"]]


def test_a_crash_between_pages_resumes_without_gap_or_duplicate(workspace, fake):
    statuses = sorted(conversation(130), key=lambda s: int(s["id"]))
    fake.statuses = statuses[:30]
    sync_source(workspace, _tag(fake))
    fake.statuses = statuses
    fake.faults = [("ok",), ("drop",), ("drop",)]
    broken = sync_source(workspace, _tag(fake, RetryPolicy(attempts=2, sleep=lambda s: None)))
    assert broken.error and broken.totals.new_posts == 40
    with workspace.engine.connect() as conn:
        cursor = get_state(conn, "mastodon:tag:NorthwindJobs")["cursor"]
    assert cursor["max_id"] == statuses[90]["id"] and cursor["since_id"] == statuses[29]["id"]
    resumed = sync_source(workspace, _tag(fake))
    assert fake.gets("/timelines/tag/")[-2]["max_id"] == statuses[90]["id"]
    assert resumed.totals.new_posts == 60 and resumed.totals.duplicates == 0
    assert _stored_ids(workspace) == sorted(s["id"] for s in statuses)
    with workspace.engine.connect() as conn:
        state = get_state(conn, "mastodon:tag:NorthwindJobs")
    assert state["cursor"]["since_id"] == statuses[-1]["id"] and state["items_read"] == 130


def test_a_rate_limit_is_waited_out_until_the_instances_reset(fake):
    fake.statuses = conversation(3)
    fake.faults = [("429", 30)]
    clock = FakeTime(1_800_000_000.0)
    source = _tag(fake, RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now))
    [batch] = list(source.fetch(None))
    assert len(batch.posts) == 3
    assert len(clock.slept) == 1 and 30 <= clock.slept[0] <= 32
    assert "rate limited" in batch.problems[0].reason


def test_no_request_is_sent_while_the_instance_says_none_are_left(fake):
    statuses = sorted(conversation(60), key=lambda s: int(s["id"]))
    fake.statuses, fake.remaining, fake.reset_seconds = statuses, 1, 120
    clock = FakeTime(1_800_000_000.0)
    source = _tag(fake, RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now))
    cursor = {"since_id": statuses[0]["id"], "newest_id": None, "max_id": None}
    batches = list(source.fetch(cursor))
    assert [len(b.posts) for b in batches] == [40, 19]
    assert len(clock.slept) == 1 and 119 <= clock.slept[0] <= 122  # before page 2, no 429
    assert len(fake.gets("/timelines/tag/")) == 2


def test_a_rate_limit_longer_than_we_wait_is_reported_not_slept(fake):
    fake.faults = [("429", 5000)]
    clock = FakeTime(1_800_000_000.0)
    source = _tag(fake, RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now, max_wait=900))
    with pytest.raises(PlatformError, match=r"rate limited for 500\d s"):
        list(source.fetch(None))
    assert clock.slept == []


def test_server_errors_and_garbage_are_retried_with_growing_back_off(fake):
    fake.statuses = conversation(2)
    fake.faults = [("500",), ("503",), ("garbage",)]
    clock = FakeTime(1_800_000_000.0)
    source = _tag(fake, RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now))
    [batch] = list(source.fetch(None))
    assert len(batch.posts) == 2 and clock.slept == [2.0, 4.0, 8.0]
    reasons = [p.reason for p in batch.problems]
    assert any("500" in r for r in reasons) and any("not JSON" in r for r in reasons)


def test_a_malformed_item_is_recorded_and_the_rest_stored(workspace, fake):
    good = conversation(2)
    undated = {**status(900, candidate(7), "no date"), "created_at": None}
    no_text = {**status(901, candidate(8), "gone"), "content": 42}
    fake.statuses = [*good, undated, no_text]
    result = sync_source(workspace, _tag(fake))
    assert result.totals.new_posts == 2 and result.totals.problems == 2
    with workspace.engine.connect() as conn:
        reasons = sorted(conn.execute(select(sync_errors.c.reason)).scalars())
    assert any(undated["id"] in r and "created_at" in r for r in reasons)
    assert any(no_text["id"] in r and "content" in r for r in reasons)


def test_mentions_come_from_notifications_and_open_cases_addressed_to_the_brand(workspace, fake):
    _brand(workspace)
    sam = candidate(1)
    question = status(10, sam, "any news on my application from last month?", mentions=(BRAND,))
    fake.notifications = [
        notification(1, question),
        {**notification(2, question, "favourite")},
        {"id": "30003", "type": "follow", "created_at": question["created_at"], "account": sam},
    ]
    client = make_client(fake.base, TOKEN)  # type: ignore[attr-defined]
    [mentions] = [s for s in mastodon_sources(client, "", "", []) if s.kind == "mentions"]
    result = sync_source(workspace, mentions)
    assert result.totals.new_posts == 1 and result.totals.problems == 0
    with workspace.engine.connect() as conn:
        row = conn.execute(select(posts.c.text, posts.c.channel, posts.c.case_id)).one()
        cursor = get_state(conn, "mastodon:mentions")["cursor"]
    assert row.text.startswith("@careers@northwind.social any news")
    assert row.channel == "addressed" and row.case_id is not None
    assert cursor["since_id"] == "30003"  # notifications page by their own ids
    assert fake.gets("/notifications")[0]["types"] == "mention"


def test_threads_follow_in_reply_to_through_the_page_and_stored_parents(workspace, fake):
    sam, ria = candidate(1), candidate(2)
    root = status(1, sam, "How long does the hiring process take at Northwind?")
    fake.statuses = [root]
    client = make_client(fake.base, TOKEN)  # type: ignore[attr-defined]

    def known(parents: set[str]) -> dict[str, str]:
        with workspace.engine.connect() as conn:
            return stored_thread_keys(conn, "mastodon", parents)

    def source() -> MastodonTimeline:
        return MastodonTimeline(
            "mastodon:tag:NorthwindJobs", "tag", "NorthwindJobs", client, known_threads=known
        )

    sync_source(workspace, source())
    middle = status(2, ria, "I waited six weeks", minutes=5, parent=root)
    leaf = status(3, sam, "six weeks?! that is long", minutes=9, parent=middle)
    fake.statuses = [root, middle, leaf]
    result = sync_source(workspace, source())  # one page: the leaf, then its parent
    assert result.totals.new_posts == 2
    with workspace.engine.connect() as conn:
        rows = dict(conn.execute(select(posts.c.external_id, posts.c.thread_key)).all())
    assert rows == {root["id"]: root["id"], middle["id"]: root["id"], leaf["id"]: root["id"]}


def test_a_reply_keeps_the_originals_visibility_mentions_its_author_and_is_sent_once(
    workspace, fake
):
    _brand(workspace)
    sam = candidate(4)
    question = status(
        20, sam, "can you tell me why I was rejected?", mentions=(BRAND,), visibility="direct"
    )
    fake.notifications = [notification(1, question)]
    client = make_client(fake.base, TOKEN)  # type: ignore[attr-defined]
    [mentions] = [s for s in mastodon_sources(client, "", "", []) if s.kind == "mentions"]
    fake.statuses = [question]
    sync_source(workspace, mentions)
    with workspace.engine.connect() as conn:
        case_id = conn.execute(select(cases.c.id)).scalar_one()
    settings = workspace_settings(
        "sqlite://",
        MASTODON_API_BASE_URL=fake.base,  # type: ignore[attr-defined]
        MASTODON_ACCESS_TOKEN=TOKEN,
    )
    sender = MastodonSender(settings)
    text = "Hi Sam, we will send your feedback by e-mail today."
    first = reply_to_case(workspace, case_id, text, actor="ada", key="draft-1", sender=sender)
    again = reply_to_case(workspace, case_id, text, actor="ada", key="draft-1", sender=sender)
    assert first.post_id == again.post_id
    posted = [p for m, path, p in fake.requests if m == "POST"]
    assert len(posted) == 1
    assert posted[0]["visibility"] == "direct"
    assert posted[0]["in_reply_to_id"] == question["id"]
    assert posted[0]["status"] == f"@candidate4@mastodon.example {text}"
    assert len(posted[0]["Idempotency-Key"]) == 64  # the draft's key, hashed
    with workspace.engine.connect() as conn:
        answered = conn.execute(select(cases.c.first_response_at)).scalar_one()
    assert answered is not None


def test_a_repeated_request_with_the_same_key_creates_one_status(fake):
    question = status(21, candidate(5), "Is there a dress code?")
    fake.statuses = [question]
    client = make_client(fake.base, TOKEN)  # type: ignore[attr-defined]
    first = send_reply(client, question["id"], "No dress code!", "key-1")
    again = send_reply(client, question["id"], "No dress code!", "key-1")
    assert first == again and len(fake.posted) == 1
    with pytest.raises(PlatformError, match="1 to 500 characters"):
        send_reply(client, question["id"], "x" * 501, "key-2")


def test_settings_errors_name_the_setting_and_never_the_token(fake):
    with pytest.raises(NotConfiguredError, match="MASTODON_API_BASE_URL is not set"):
        make_client("", TOKEN)
    with pytest.raises(NotConfiguredError, match="MASTODON_API_BASE_URL='mastodon.social'"):
        make_client("mastodon.social", TOKEN)
    with pytest.raises(NotConfiguredError, match="MASTODON_HASHTAGS holds 'jobs/../admin'"):
        parse_hashtags("#NorthwindJobs, jobs/../admin")
    assert parse_hashtags("#NorthwindJobs, Ärzte_2026 NorthwindJobs") == [
        "NorthwindJobs",
        "Ärzte_2026",
    ]
    with pytest.raises(NotConfiguredError, match="MASTODON_ACCESS_TOKEN is not set"):
        make_client(fake.base, " ")  # type: ignore[attr-defined]
    fake.answer = lambda *a: (401, {"error": f"The access token {TOKEN} is invalid"})  # type: ignore[method-assign]
    source = _tag(fake, RetryPolicy(sleep=lambda s: None))
    with pytest.raises(NotConfiguredError) as refused:
        list(source.fetch(None))
    assert "MASTODON_ACCESS_TOKEN" in str(refused.value) and TOKEN not in str(refused.value)


def test_cli_sync_reads_every_mastodon_source_from_the_instance(tmp_path, fake):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {
        "DATABASE_URL": url,
        "MASTODON_API_BASE_URL": fake.base,  # type: ignore[attr-defined]
        "MASTODON_ACCESS_TOKEN": TOKEN,
        "MASTODON_HASHTAGS": "#NorthwindJobs, NorthwindLife",
        "MASTODON_QUERY": "remote",
    }
    statuses = conversation(6)
    mention = status(
        50, candidate(9), "when do interviews start?", minutes=500, mentions=(BRAND,), tags=()
    )
    fake.statuses = statuses
    fake.notifications = [notification(1, mention)]
    fake.accounts["other"] = account("555", "other")
    added = run_cli("brand", "add", "mastodon", "@careers@northwind.social", **env)
    assert added.returncode == 0, added.stderr
    ran = run_cli("sync", **env)
    assert ran.returncode == 0, ran.stderr
    for name in ("mastodon:tag:NorthwindJobs", "mastodon:tag:NorthwindLife", "mastodon:search"):
        assert name in ran.stdout + ran.stderr
    assert f"mastodon:posts:{BRAND_ID}" in ran.stdout + ran.stderr
    ws = open_workspace(workspace_settings(url))
    try:
        with ws.engine.connect() as conn:
            [brand] = list_accounts(conn)
            stored = set(conn.execute(select(posts.c.external_id)).scalars())
        assert brand["handle"] == "careers@northwind.social"
        assert brand["external_user_id"] == BRAND_ID  # looked up once, then kept
        assert stored == {s["id"] for s in statuses} | {mention["id"]}
    finally:
        ws.engine.dispose()
    again = run_cli("sync", **env)
    assert again.returncode == 0
    assert len(fake.gets("/accounts/lookup")) == 1


def test_max_pages_leaves_the_window_open_for_the_next_sync(fake):
    statuses = sorted(conversation(130), key=lambda s: int(s["id"]))
    fake.statuses = statuses
    since = statuses[29]["id"]
    start = {"since_id": since, "newest_id": None, "max_id": None}
    [first] = list(_tag(fake, max_pages=1).fetch(start))
    assert first.cursor == {
        "since_id": since,
        "newest_id": statuses[-1]["id"],
        "max_id": statuses[90]["id"],
    }
    rest = list(_tag(fake).fetch(first.cursor))
    assert [len(b.posts) for b in rest] == [40, 20]
    assert rest[-1].cursor == {"since_id": statuses[-1]["id"], "newest_id": None, "max_id": None}
