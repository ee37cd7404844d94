"""Bluesky through the atproto SDK against a local XRPC server on 127.0.0.1: paging, the cursor,
rate limits, server errors, a crash between pages, malformed items, answers and replies."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from connectors.base import NotConfiguredError, PlatformError
from connectors.bluesky_api import _forget_sessions, bluesky_sources, login, send_reply
from connectors.retry import RetryPolicy
from engagement.actions import reply_to_case
from pipeline.sync import sync_source
from store.accounts import add_account
from store.schema import cases, posts, sync_errors
from store.sync_state import get_state
from tests.support.fake_bluesky import (
    BRAND_DID,
    BRAND_HANDLE,
    BRAND_PASSWORD,
    FakeBluesky,
    notification,
    post_view,
)
from tests.support.rows import count_rows, table_rows

NOW = datetime.now(UTC).replace(microsecond=0)


class FakeTime:
    """A clock and a sleep that only record what they were asked (starting at the real time,
    which the fake server's ``ratelimit-reset`` is counted from)."""

    def __init__(self) -> None:
        self.now = time.time()
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _questions(count: int, start: datetime) -> list[dict]:
    return [
        post_view(
            f"3kq{index:010d}",
            f"candidate{index}.bsky.social",
            f"Is Northwind still hiring for role {index}? I applied weeks ago",
            start + timedelta(minutes=5 * index),
        )
        for index in range(count)
    ]


@pytest.fixture
def api():
    server = FakeBluesky(page_size=2)
    server.base = server.start()
    yield server
    server.stop()
    _forget_sessions()  # the next server may get this one's port; its tokens differ


def _source(api, kind: str = "search", clock: FakeTime | None = None, **policy):
    clock = clock or FakeTime()
    retry = RetryPolicy(sleep=clock.sleep, clock=clock.clock, **policy)
    session = login(BRAND_HANDLE, BRAND_PASSWORD, api.base, retry)
    found = {s.kind: s for s in bluesky_sources(session, "northwind", [])}
    return found[kind]


def test_search_pages_are_read_once_and_the_next_sync_reads_only_new_posts(api, workspace):
    api.posts = _questions(5, NOW - timedelta(days=2))
    first = sync_source(workspace, _source(api))
    assert first.error is None and first.totals.new_posts == 5
    assert api.items_served == 5  # three pages of two
    api.posts += _questions(8, NOW - timedelta(hours=1))[5:]
    second = sync_source(workspace, _source(api))
    assert second.totals.new_posts == 3 and second.totals.duplicates == 0
    # searchPosts was asked from the cursor on: only the newest stored post is read again
    assert api.items_served == 5 + 3 + 1
    since = [c[1]["since"][0] for c in api.calls if c[0] == "app.bsky.feed.searchPosts"]
    assert since[-1] < api.posts[4]["indexedAt"]
    with workspace.engine.connect() as conn:
        state = get_state(conn, "bluesky:search")
    assert state["cursor"]["newest"].startswith(api.posts[-1]["indexedAt"][:19])
    assert count_rows(workspace, posts) == 8


def test_posts_map_to_their_thread_parent_author_and_bsky_app_link(api, workspace):
    question = post_view("3kqa", "sam.bsky.social", "northwind: do you sponsor visas?", NOW)
    follow_up = post_view(
        "3kqb", "sam.bsky.social", "northwind any news?", NOW + timedelta(minutes=1), question
    )
    api.posts = [question, follow_up]
    sync_source(workspace, _source(api))
    stored = {row["external_id"]: row for row in table_rows(workspace, posts)}
    child = stored[follow_up["uri"]]
    assert child["thread_key"] == question["uri"] == child["parent_external_id"]
    assert child["author_handle"] == "sam.bsky.social"
    assert child["author_id"] == question["author"]["did"]
    assert child["url"] == "https://bsky.app/profile/sam.bsky.social/post/3kqb"
    assert stored[question["uri"]]["thread_key"] == question["uri"]


def test_the_brand_answer_in_its_own_feed_answers_the_mention(api, workspace):
    question = post_view(
        "3kqq", "ana.bsky.social", "@northwind.bsky.social when will I hear back?", NOW
    )
    answer = post_view(
        "3kqr", BRAND_HANDLE, "Hi Ana, this week!", NOW + timedelta(hours=2), question
    )
    api.posts, api.notifications = [question, answer], [notification(question, "mention")]
    session = login(BRAND_HANDLE, BRAND_PASSWORD, api.base)
    with workspace.engine.begin() as conn:
        add_account(conn, "bluesky", BRAND_HANDLE, BRAND_DID)
    for source in bluesky_sources(session, "", []):
        assert sync_source(workspace, source).error is None
    [case] = table_rows(workspace, cases)
    assert case["author_handle"] == "ana.bsky.social"
    assert case["first_response_at"] is not None
    assert 1.9 < case["response_hours"] < 2.1


def test_notifications_ask_only_for_mentions_replies_and_quotes(api, workspace):
    mention = post_view("3kqm", "lee.bsky.social", "@northwind.bsky.social hello?", NOW)
    api.notifications = [
        notification(mention, "mention"),
        {**notification(mention, "like"), "uri": "at://x/app.bsky.feed.like/1"},
    ]
    result = sync_source(workspace, _source(api, "notifications"))
    assert result.totals.new_posts == 1
    [(_, params)] = [c for c in api.calls if c[0].endswith("listNotifications")]
    assert sorted(params["reasons"]) == ["mention", "quote", "reply"]


def test_a_rate_limit_is_waited_out_until_its_reset(api, workspace):
    api.posts, api.faults = _questions(3, NOW), {"app.bsky.feed.searchPosts": ["429"]}
    clock = FakeTime()
    result = sync_source(workspace, _source(api, clock=clock))
    assert result.error is None and result.totals.new_posts == 3
    assert len(clock.slept) == 1 and 25 <= clock.slept[0] <= 35  # reset_in is 30 s


def test_a_used_up_window_makes_the_next_request_wait_for_its_reset(api, workspace):
    api.posts = _questions(3, NOW)
    api.faults = {"app.bsky.feed.searchPosts": ["remaining0"]}
    clock = FakeTime()
    result = sync_source(workspace, _source(api, clock=clock))
    assert result.error is None and result.totals.new_posts == 3
    assert len(clock.slept) == 1 and 25 <= clock.slept[0] <= 35
    with workspace.engine.connect() as conn:
        reasons = conn.execute(select(sync_errors.c.reason)).scalars().all()
    assert any("waited" in r for r in reasons)


def test_a_reset_beyond_the_bounded_wait_is_reported_not_slept(api, workspace):
    api.posts, api.reset_in = _questions(3, NOW), 3600
    api.faults = {"app.bsky.feed.searchPosts": ["remaining0"]}
    clock = FakeTime()
    result = sync_source(workspace, _source(api, clock=clock))
    assert result.error and "more than the 900 s we wait" in result.error
    assert clock.slept == [] and result.totals.new_posts == 2  # the first page is kept


def test_server_errors_are_retried_and_recorded(api, workspace):
    api.posts = _questions(2, NOW)
    api.faults = {"app.bsky.feed.searchPosts": ["500", "garbage"]}
    result = sync_source(workspace, _source(api))
    assert result.error is None and result.totals.new_posts == 2
    with workspace.engine.connect() as conn:
        reasons = conn.execute(select(sync_errors.c.reason)).scalars().all()
    assert any("500" in r for r in reasons) and any("not JSON" in r for r in reasons)


def test_a_crash_between_pages_resumes_without_gap_or_duplicate(api, workspace):
    api.posts = _questions(6, NOW - timedelta(days=1))
    api.faults = {"app.bsky.feed.searchPosts": ["none", "500", "500"]}  # page 1, then down
    broken = sync_source(workspace, _source(api, attempts=2))
    assert broken.error and broken.totals.new_posts == 2
    with workspace.engine.connect() as conn:
        assert get_state(conn, "bluesky:search")["cursor"]["page"] == "2"
    resumed = sync_source(workspace, _source(api))
    assert resumed.error is None
    assert resumed.totals.new_posts == 4 and resumed.totals.duplicates == 0
    assert count_rows(workspace, posts) == 6 and api.items_served == 6


def test_a_malformed_item_is_recorded_and_the_rest_stored(api, workspace):
    good = _questions(2, NOW)
    broken = {**_questions(3, NOW)[2], "record": {"createdAt": "yesterday", "text": "northwind"}}
    api.posts = [*good, broken, "not a post"]
    api.page_size = 10
    result = sync_source(workspace, _source(api))
    assert result.error is None and result.totals.new_posts == 2
    assert result.totals.problems == 2
    with workspace.engine.connect() as conn:
        reasons = conn.execute(select(sync_errors.c.reason)).scalars().all()
    assert any(broken["uri"] in r and "createdAt" in r for r in reasons)


def test_the_session_is_made_once_and_reused(api):
    first = login(BRAND_HANDLE, BRAND_PASSWORD, api.base)
    again = login(BRAND_HANDLE, BRAND_PASSWORD, api.base)
    assert first is again and api.logins == 1


def test_a_wrong_app_password_names_the_settings_and_never_the_password(api):
    with pytest.raises(NotConfiguredError) as refused:
        login(BRAND_HANDLE, "wrong-pass-word-0000", api.base)
    assert "BLUESKY_APP_PASSWORD" in str(refused.value)
    assert "wrong-pass-word-0000" not in str(refused.value)
    with pytest.raises(NotConfiguredError, match="BLUESKY_HANDLE is not set"):
        login("", "x", api.base)


def test_a_reply_carries_root_and_parent_refs_and_is_sent_once_per_draft(api, workspace):
    root = post_view(
        "3kqs", "kim.bsky.social", "Applied at Northwind in May", NOW - timedelta(hours=1)
    )
    question = post_view(
        "3kqt",
        "kim.bsky.social",
        "@northwind.bsky.social any update on my application?",
        NOW - timedelta(minutes=50),
        root,
    )
    api.posts, api.notifications = [root, question], [notification(question, "mention")]
    with workspace.engine.begin() as conn:
        add_account(conn, "bluesky", BRAND_HANDLE, BRAND_DID)
    session = login(BRAND_HANDLE, BRAND_PASSWORD, api.base)
    [mentions] = [s for s in bluesky_sources(session, "", []) if s.kind == "notifications"]
    sync_source(workspace, mentions)
    [case] = table_rows(workspace, cases)

    class Sender:
        label, sandbox = "Bluesky", False

        def send(self, reply, key):
            return send_reply(session, reply.in_reply_to, reply.text)

    for _ in range(2):
        sent = reply_to_case(
            workspace,
            case["id"],
            "Hi Kim, we reply this week",
            actor="ada",
            key="draft-1",
            sender=Sender(),
        )
    assert len(api.created) == 1
    reply = api.created[0]["record"]["reply"]
    assert reply["parent"] == {
        "uri": question["uri"],
        "cid": question["cid"],
        "$type": "com.atproto.repo.strongRef",
    }
    assert reply["root"]["uri"] == root["uri"] and reply["root"]["cid"] == root["cid"]
    assert api.created[0]["repo"] == BRAND_DID
    assert sent.post_id.startswith(f"at://{BRAND_DID}/app.bsky.feed.post/")
    [case] = table_rows(workspace, cases)
    assert case["first_response_at"] is not None


def test_a_reply_to_a_post_that_is_gone_is_refused_before_posting(api):
    session = login(BRAND_HANDLE, BRAND_PASSWORD, api.base)
    with pytest.raises(PlatformError, match="gone"):
        send_reply(session, "at://did:plc:zzz/app.bsky.feed.post/3kgone", "Hello")
    assert api.created == []


def test_links_and_mentions_in_a_reply_become_facets(api):
    asked = post_view("3kqf", "kim.bsky.social", "northwind where are the jobs?", NOW)
    api.posts = [asked]
    session = login(BRAND_HANDLE, BRAND_PASSWORD, api.base)
    text = "Hi @kim.bsky.social: https://northwind.example/jobs #hiring"
    send_reply(session, asked["uri"], text)
    [created] = api.created
    found = {
        feature["$type"]: (facet["index"], feature)
        for facet in created["record"]["facets"]
        for feature in facet["features"]
    }
    index, mention = found["app.bsky.richtext.facet#mention"]
    assert mention["did"] == asked["author"]["did"]
    assert text.encode()[index["byteStart"] : index["byteEnd"]] == b"@kim.bsky.social"
    assert found["app.bsky.richtext.facet#link"][1]["uri"] == "https://northwind.example/jobs"
    assert found["app.bsky.richtext.facet#tag"][1]["tag"] == "hiring"
