"""X connector by replay at the HTTP boundary: real recordings, and reference-shaped pages."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlparse

import pytest
import requests
import responses
import vcr
import yaml
from sqlalchemy import select

from connectors.base import PlatformError
from connectors.retry import RetryPolicy
from connectors.x import snowflake_time
from connectors.x_api import XTimeline, send_reply
from engagement.once import send_once
from pipeline.sync import sync_source
from store.accounts import add_account
from store.schema import cases, posts, sync_errors
from store.sync_state import get_state
from tests.support.rows import count_rows
from tests.support.x_pages import (
    SEARCH_URL,
    dummy_client,
    page,
    search_timeline,
    thread_pages,
)


class FakeTime:
    """A clock and a sleep that only record what they were asked."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _replay(shared, name: str):
    return vcr.VCR(
        record_mode="none",
        decode_compressed_response=True,
        match_on=["method", "scheme", "host", "path"],
    ).use_cassette(str(shared / "fixtures" / "x-api-v2" / name))


def _replay_body(shared, name: str) -> dict:
    cassette = yaml.safe_load((shared / "fixtures" / "x-api-v2" / name).read_text())
    return json.loads(gzip.decompress(cassette["interactions"][0]["response"]["body"]["string"]))


def test_recorded_user_timeline_maps_posts_with_their_snowflake_time(shared):
    source = XTimeline("x:posts:783214", "posts", "783214", dummy_client(), max_pages=1)
    with _replay(shared, "test_client_get_users_tweets.yaml"):
        [batch] = list(source.fetch(None))
    assert [p.external_id for p in batch.posts] == ["1577730467436138524", "1565318587736285184"]
    assert all(p.author_id == "783214" for p in batch.posts)
    assert batch.items_read == 2 and batch.cursor["next_token"]


def test_snowflake_times_match_the_times_written_in_recorded_posts(shared):
    """The recorded search posts carry their own send time in their text: a real check."""
    source = XTimeline("x:search", "search", "Tweepy", dummy_client(), max_pages=1)
    with _replay(shared, "test_client_search_recent_tweets.yaml"):
        [batch] = list(source.fetch(None))
    assert batch.items_read == 10 and len(batch.problems) == 10  # no author without expansion
    recorded = _replay_body(shared, "test_client_search_recent_tweets.yaml")["data"]
    for item in recorded:
        written = datetime.fromisoformat(item["text"].removesuffix(" tweepy")).replace(tzinfo=UTC)
        assert abs((snowflake_time(item["id"]) - written).total_seconds()) < 2


def test_recorded_mentions_without_authors_are_recorded_and_never_reread(shared, workspace):
    source = XTimeline("x:mentions:783214", "mentions", "783214", dummy_client(), max_pages=1)
    with _replay(shared, "test_client_get_users_mentions.yaml"):
        result = sync_source(workspace, source)
    read = result.totals.read
    with workspace.engine.connect() as conn:
        state = get_state(conn, "x:mentions:783214")
    assert state["items_read"] > 0 and read == 0
    assert count_rows(workspace, sync_errors) == state["items_read"]
    assert state["cursor"]["next_token"] or state["cursor"]["since_id"]


def _serve(pages, seen: list[dict]):
    def callback(request):
        params = dict(parse_qsl(urlparse(request.url).query))
        seen.append(params)
        body = pages[1] if params.get("next_token") == "p2" else pages[0]
        if params.get("since_id") and not params.get("next_token"):
            body = page([])
        return 200, {"content-type": "application/json"}, json.dumps(body)

    responses.add_callback(responses.GET, SEARCH_URL, callback=callback)


@responses.activate
def test_a_sync_stores_a_thread_answers_the_case_and_a_second_sync_reads_nothing(workspace):
    with workspace.engine.begin() as conn:
        add_account(conn, "x", "NorthwindLabs", "100")
    pages, seen = thread_pages(), []
    _serve(pages, seen)
    first = sync_source(workspace, search_timeline())
    assert (first.totals.new_posts, first.totals.read) == (4, 4)
    newest = pages[0]["meta"]["newest_id"]
    with workspace.engine.connect() as conn:
        state = get_state(conn, "x:search")
        answered = conn.execute(
            select(cases.c.author_handle, cases.c.chase_count).where(
                cases.c.first_response_at.is_not(None)
            )
        ).all()
    assert state["cursor"] == {"since_id": newest, "newest_id": None, "next_token": None}
    assert answered == [("sam_dev", 1)]
    second = sync_source(workspace, search_timeline())
    assert second.totals.read == 0 and seen[-1]["since_id"] == newest
    assert [params.get("expansions") for params in seen[:1]] == ["author_id"]


@responses.activate
def test_a_rate_limit_is_waited_out_until_its_reset():
    clock = FakeTime()
    responses.add(
        responses.GET,
        SEARCH_URL,
        status=429,
        json={"title": "Too Many Requests"},
        headers={"x-rate-limit-reset": str(int(clock.now) + 30)},
    )
    responses.add(responses.GET, SEARCH_URL, json=page([]))
    source = search_timeline(RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now))
    assert [b.items_read for b in source.fetch(None)] == [0]
    assert clock.slept == [31.0]


@responses.activate
def test_server_errors_are_retried_with_growing_back_off():
    clock = FakeTime()
    for _ in range(2):
        responses.add(responses.GET, SEARCH_URL, status=503, json={"title": "Unavailable"})
    responses.add(responses.GET, SEARCH_URL, json=thread_pages()[1])
    source = search_timeline(RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now))
    assert [b.items_read for b in source.fetch(None)] == [2]
    assert clock.slept == [2.0, 4.0]


@responses.activate
def test_a_rate_limit_longer_than_we_wait_is_reported_not_slept():
    clock = FakeTime()
    responses.add(
        responses.GET,
        SEARCH_URL,
        status=429,
        json={},
        headers={"x-rate-limit-reset": str(int(clock.now) + 5000)},
    )
    source = search_timeline(RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now, max_wait=900))
    with pytest.raises(PlatformError, match="rate limited for 5001 s"):
        list(source.fetch(None))
    assert clock.slept == []


@responses.activate
def test_a_crash_between_pages_resumes_without_gap_or_duplicate(workspace):
    pages, seen = thread_pages(), []
    responses.add(responses.GET, SEARCH_URL, json=pages[0])
    responses.add(responses.GET, SEARCH_URL, body=requests.ConnectionError("connection reset"))
    responses.add(responses.GET, SEARCH_URL, body=requests.ConnectionError("connection reset"))
    broken = sync_source(workspace, search_timeline(RetryPolicy(attempts=2, sleep=lambda s: None)))
    assert broken.error and broken.totals.new_posts == 2
    responses.reset()
    _serve(pages, seen)
    resumed = sync_source(workspace, search_timeline())
    assert seen[0].get("next_token") == "p2" and "since_id" not in seen[0]
    assert resumed.totals.new_posts == 2 and resumed.totals.duplicates == 0
    with workspace.engine.connect() as conn:
        state = get_state(conn, "x:search")
    assert count_rows(workspace, posts) == 4 == state["items_read"]
    assert state["cursor"]["since_id"] == pages[0]["meta"]["newest_id"]


@responses.activate
def test_a_malformed_item_is_recorded_and_the_rest_stored(workspace):
    good = thread_pages()[1]
    good["data"].append({"id": "999", "author_id": "202"})  # no text
    responses.add(responses.GET, SEARCH_URL, json=good)
    result = sync_source(workspace, search_timeline())
    assert result.totals.new_posts == 2 and result.totals.problems == 1
    with workspace.engine.connect() as conn:
        reason = conn.execute(select(sync_errors.c.reason)).scalar_one()
        state = get_state(conn, "x:search")
    assert "999" in reason and "text" in reason and state["last_error"] == reason


def test_a_reply_is_posted_once_even_when_the_request_is_repeated(shared, workspace):
    client, calls = dummy_client(), []

    def send():
        calls.append(1)
        return send_reply(client, "Test Tweet", "1456012973835788200")

    with _replay(shared, "test_client_create_and_delete_tweet.yaml"):
        first = send_once(workspace, "case-1:reply-1", send, actor="sam@northwind.example")
        again = send_once(workspace, "case-1:reply-1", send, actor="sam@northwind.example")
    assert first == again == "1456012973835788293" and len(calls) == 1
