"""YouTube connector replayed at the HTTP boundary (``HttpMockSequence``) with pages shaped like
the Data API v3 reference; store effects checked on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from google.oauth2.credentials import Credentials
from googleapiclient.http import HttpMockSequence
from sqlalchemy import select

from connectors.base import NotConfiguredError, PlatformError
from connectors.retry import RetryPolicy
from connectors.youtube import posts_from_comment_threads
from connectors.youtube_api import (
    QuotaMeter,
    YouTubeComments,
    load_oauth_credentials,
    make_youtube,
    make_youtube_writer,
    quota_resets_at,
    send_reply,
    youtube_sources,
)
from demo.payloads import BRAND_CHANNEL as DEMO_CHANNEL
from demo.payloads import generate
from engagement.once import send_once
from pipeline.sync import sync_source
from store.accounts import add_account
from store.schema import cases, posts, sync_errors
from store.sync_state import get_state
from tests.support.rows import count_rows
from tests.support.youtube_pages import (
    BACKEND_ERROR,
    BRAND_CHANNEL,
    JONAS,
    KEY_INVALID,
    QUOTA_EXCEEDED,
    RATE_LIMITED,
    RIA,
    SAM,
    comment,
    comment_page,
    error_body,
    fail,
    ok,
    reply,
    stamp,
    thread,
    thread_page,
)

KEY = "AIzaSyTEST-not-a-real-key-0123456789abc"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
A, B, C, X = ("Ugz" + name * 19 + "4AaABAg" for name in "ABCX")


class FakeTime:
    """A clock and a sleep that only record what they were asked."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now.timestamp()
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _source(http: HttpMockSequence, retry: RetryPolicy | None = None) -> YouTubeComments:
    return YouTubeComments(
        make_youtube(KEY, http), BRAND_CHANNEL, retry or RetryPolicy(sleep=lambda s: None)
    )


def _params(http: HttpMockSequence) -> list[dict[str, str]]:
    """Path and query of every request the client made, in order."""
    seen = []
    for uri, _method, _body, _headers in http.request_sequence:
        url = urlparse(uri)
        seen.append({"path": url.path, **{k: v[0] for k, v in parse_qs(url.query).items()}})
    return seen


def _state(ws) -> dict:
    with ws.engine.connect() as conn:
        return get_state(conn, f"youtube:{BRAND_CHANNEL}")


# ---------------------------------------------------------------------------- the channel's story
# Newest activity first: A (Sam asks, the brand answers), C (praise), X (chatter), B (Ria asks;
# the brand's answer is among replies the page does not embed).


def _thread_a() -> dict:
    return thread(
        comment(A, SAM, "Is the Berlin backend role still open to remote applicants?", START),
        [
            reply(
                A,
                "brand1",
                BRAND_CHANNEL,
                "@sam_dev Yes, remote within the EU is fine. Apply via the careers page!",
                START + timedelta(hours=3),
            )
        ],
    )


def _thread_c(*replies: dict) -> dict:
    return thread(
        comment(C, JONAS, "Great video, love the office tour!", START - timedelta(hours=1)),
        list(replies),
    )


def _thread_x() -> dict:
    return thread(comment(X, JONAS, "First!", START - timedelta(days=1)))


def _b_replies() -> list[dict]:
    t0 = START - timedelta(days=2)
    return [
        reply(B, "r1", JONAS, "Good luck!", t0 + timedelta(hours=1)),
        reply(B, "r2", JONAS, "Mine took a month, hang in there", t0 + timedelta(hours=2)),
        reply(
            B,
            "r3",
            BRAND_CHANNEL,
            "@ria_codes Sorry for the wait! The team answers "
            "within 5 working days, I have pinged them for you.",
            t0 + timedelta(hours=3),
        ),
        reply(B, "r4", RIA, "Thanks, that helps", t0 + timedelta(hours=4)),
    ]


def _thread_b(total_replies: int = 4) -> dict:
    top = comment(
        B,
        RIA,
        "How long does it take to hear back after the interview? I applied three weeks ago.",
        START - timedelta(days=2),
    )
    return thread(top, _b_replies()[:2], total_replies=total_replies)


def _first_sync_responses() -> list:
    """Two thread pages, then B's replies in two ``comments.list`` pages."""
    replies = _b_replies()
    return [
        ok(thread_page([_thread_a(), _thread_c()], next_token="p2")),
        ok(thread_page([_thread_x(), _thread_b()])),
        ok(comment_page(replies[:2], next_token="c2")),
        ok(comment_page(replies[2:])),
    ]


def _brand(ws) -> None:
    with ws.engine.begin() as conn:
        add_account(conn, "youtube", "NorthwindLabs", BRAND_CHANNEL)


# ---------------------------------------------------------------------------- client


def test_the_client_is_built_offline_and_sends_the_key_only_in_a_header():
    http = HttpMockSequence([ok(thread_page([]))])
    source = _source(http)
    assert http.request_sequence == []  # static discovery: building asked nothing
    [batch] = list(source.fetch(None))
    [(uri, method, _body, headers)] = http.request_sequence
    assert method == "GET" and KEY not in uri and headers["x-goog-api-key"] == KEY
    assert _params(http) == [
        {
            "path": "/youtube/v3/commentThreads",
            "part": "snippet,replies",
            "allThreadsRelatedToChannelId": BRAND_CHANNEL,
            "order": "time",
            "maxResults": "100",
            "textFormat": "plainText",
            "alt": "json",
        }
    ]
    assert batch.posts == [] and batch.cursor == {"newest": None, "seen": []}
    assert source.units_used == 1


def test_settings_errors_name_the_setting():
    with pytest.raises(NotConfiguredError, match="YOUTUBE_API_KEY is not set"):
        make_youtube("  ")
    with pytest.raises(NotConfiguredError, match="YOUTUBE_CHANNEL_IDS holds '@northwind'"):
        youtube_sources(KEY, "@northwind", http=HttpMockSequence([]))
    with pytest.raises(NotConfiguredError, match="YOUTUBE_CHANNEL_IDS is empty"):
        youtube_sources(KEY, " , ", http=HttpMockSequence([]))
    sources = youtube_sources(
        KEY, f"{BRAND_CHANNEL}, {SAM},{BRAND_CHANNEL}", http=HttpMockSequence([])
    )
    assert [s.name for s in sources] == [f"youtube:{BRAND_CHANNEL}", f"youtube:{SAM}"]


def test_the_quota_resets_at_midnight_pacific_time():
    assert quota_resets_at(START) == datetime(2026, 11, 3, 8, 0, tzinfo=UTC)  # PST, UTC-8
    summer = datetime(2026, 7, 1, 6, 59, tzinfo=UTC)  # still 23:59 on 30 June in PDT
    assert quota_resets_at(summer) == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)


# ---------------------------------------------------------------------------- reading


def test_pages_are_followed_and_replies_beyond_the_embedded_ones_are_read():
    http = HttpMockSequence(_first_sync_responses())
    source = _source(http)
    batches = list(source.fetch(None))
    assert [p.get("pageToken") for p in _params(http)] == [None, "p2", None, "c2"]
    assert [p["path"].rsplit("/", 1)[1] for p in _params(http)] == [
        "commentThreads",
        "commentThreads",
        "comments",
        "comments",
    ]
    assert _params(http)[2]["parentId"] == B and _params(http)[2]["part"] == "snippet"
    ids = [[p.external_id for p in batch.posts] for batch in batches]
    assert ids == [[A, f"{A}.brand1", C], [X, B] + [f"{B}.r{i}" for i in range(1, 5)]]
    assert {p.thread_key for p in batches[1].posts[1:]} == {B}
    assert [b.items_read for b in batches] == [3, 4 + 4]  # comments in pages, then replies
    assert source.units_used == 4  # two thread pages, two reply pages
    assert batches[0].cursor["page_token"] == "p2" and batches[0].cursor["newest"] is None
    assert batches[1].cursor == {
        "newest": stamp(START + timedelta(hours=3)),
        "seen": [f"{A}.brand1"],
    }


def test_the_brand_reply_answers_the_case_and_a_second_sync_reads_one_page(workspace):
    _brand(workspace)
    first = sync_source(workspace, _source(HttpMockSequence(_first_sync_responses())))
    assert first.error is None
    assert (first.totals.new_posts, first.totals.problems) == (9, 0)
    with workspace.engine.connect() as conn:
        answered = {
            handle: at
            for handle, at in conn.execute(select(cases.c.author_handle, cases.c.first_response_at))
        }
        brand_posts = (
            conn.execute(
                select(posts.c.external_id).where(posts.c.is_brand).order_by(posts.c.external_id)
            )
            .scalars()
            .all()
        )
    assert answered == {
        "@sam_dev": START + timedelta(hours=3),
        "@ria_codes": START - timedelta(days=2) + timedelta(hours=3),
    }
    assert brand_posts == [f"{A}.brand1", f"{B}.r3"]
    assert _state(workspace)["items_read"] == 11
    first_units = _state(workspace)["units_used"]
    assert first_units == 4 and _state(workspace)["units_today"] == first_units

    http = HttpMockSequence([ok(thread_page([_thread_a(), _thread_c()], next_token="p2"))])
    second_source = _source(http)
    second = sync_source(workspace, second_source)
    assert (second.totals.read, second.totals.new_posts, second.error) == (0, 0, None)
    assert len(http.request_sequence) == 1 and second_source.units_used == 1
    assert _state(workspace)["units_used"] == first_units + 1
    assert _state(workspace)["cursor"] == {
        "newest": stamp(START + timedelta(hours=3)),
        "seen": [f"{A}.brand1"],
    }


def test_a_crash_between_pages_resumes_without_gap_or_duplicate(workspace):
    responses = _first_sync_responses()
    broken_http = HttpMockSequence(
        [responses[0], fail(503, BACKEND_ERROR), fail(503, BACKEND_ERROR)]
    )
    broken = sync_source(
        workspace, _source(broken_http, RetryPolicy(attempts=2, sleep=lambda s: None))
    )
    assert "YouTube answered 503" in broken.error and broken.totals.new_posts == 3
    assert _state(workspace)["cursor"]["page_token"] == "p2"

    http = HttpMockSequence(responses[1:])
    resumed = sync_source(workspace, _source(http))
    assert _params(http)[0].get("pageToken") == "p2"
    assert (resumed.totals.new_posts, resumed.totals.duplicates) == (6, 0)
    assert count_rows(workspace, posts) == 9
    assert _state(workspace)["cursor"] == {
        "newest": stamp(START + timedelta(hours=3)),
        "seen": [f"{A}.brand1"],
    }


def test_a_new_reply_in_an_old_thread_is_stored_once(workspace):
    _brand(workspace)
    sync_source(workspace, _source(HttpMockSequence(_first_sync_responses())))
    thanks = reply(
        C, "brand2", BRAND_CHANNEL, "Thanks Jonas, glad you liked it!", START + timedelta(hours=5)
    )
    bumped = thread_page([_thread_c(thanks), _thread_a(), _thread_x(), _thread_b()])
    for expected_new, expected_duplicates in ((1, 1), (0, 0)):
        http = HttpMockSequence([ok(bumped)])
        result = sync_source(workspace, _source(http))
        assert (result.totals.new_posts, result.totals.duplicates) == (
            expected_new,
            expected_duplicates,
        )
        assert len(http.request_sequence) == 1  # stopped at X: B's replies not re-read
    assert count_rows(workspace, posts, posts.c.external_id == thanks["id"]) == 1
    assert count_rows(workspace, posts) == 10
    assert _state(workspace)["cursor"]["newest"] == stamp(START + timedelta(hours=5))


def test_a_new_reply_the_page_does_not_embed_is_still_found():
    """The first thread below the cursor is completed before the walk trusts its time."""
    late = reply(B, "r5", RIA, "Any update? It has been a month now.", START + timedelta(hours=6))
    http = HttpMockSequence(
        [
            ok(thread_page([_thread_b(5), _thread_a(), _thread_c()])),
            ok(comment_page([*_b_replies(), late])),
        ]
    )
    source = _source(http)
    cursor = {"newest": stamp(START + timedelta(hours=3)), "seen": [f"{A}.brand1"]}
    [batch] = list(source.fetch(cursor))
    assert late["id"] in [p.external_id for p in batch.posts]
    assert {p.thread_key for p in batch.posts} == {B}  # A not new, C below the cursor
    assert batch.cursor == {"newest": stamp(START + timedelta(hours=6)), "seen": [late["id"]]}
    assert source.units_used == 2


def test_a_comment_in_the_cursors_own_second_is_not_lost():
    other = comment(
        "Ugz" + "S" * 19 + "4AaABAg", RIA, "Is there a Berlin meetup?", START + timedelta(hours=3)
    )
    http = HttpMockSequence([ok(thread_page([thread(other), _thread_a(), _thread_c()]))])
    cursor = {"newest": stamp(START + timedelta(hours=3)), "seen": [f"{A}.brand1"]}
    [batch] = list(_source(http).fetch(cursor))
    assert [p.external_id for p in batch.posts] == [other["id"]]
    assert batch.cursor["seen"] == sorted([f"{A}.brand1", other["id"]])


def test_a_thread_without_readable_times_is_reported_only_once_the_walk_passes_it():
    """Its place in the list is all we know: above a new thread it is new, else it is old."""
    undated = _thread_x()
    for name in ("publishedAt", "updatedAt"):
        del undated["snippet"]["topLevelComment"]["snippet"][name]
    cursor = {"newest": stamp(START + timedelta(hours=3)), "seen": [f"{A}.brand1"]}
    quiet = HttpMockSequence([ok(thread_page([undated, _thread_a(), _thread_c()]))])
    [batch] = list(_source(quiet).fetch(cursor))
    assert (batch.posts, batch.problems) == ([], [])
    fresh = thread(
        comment(
            "Ugz" + "N" * 19 + "4AaABAg",
            RIA,
            "Any news on the Berlin role?",
            START + timedelta(hours=4),
        )
    )
    busy = HttpMockSequence([ok(thread_page([undated, fresh, _thread_a(), _thread_c()]))])
    [batch] = list(_source(busy).fetch(cursor))
    assert [p.external_id for p in batch.posts] == [fresh["id"]]
    assert [(p.item_id, "publishedAt" in p.reason) for p in batch.problems] == [(X, True)]


def test_max_pages_leaves_the_window_open_for_the_next_sync():
    http = HttpMockSequence(_first_sync_responses()[:1])
    source = YouTubeComments(make_youtube(KEY, http), BRAND_CHANNEL, max_pages=1)
    [batch] = list(source.fetch(None))
    assert batch.cursor == {
        "newest": None,
        "seen": [],
        "page_token": "p2",
        "window_newest": stamp(START + timedelta(hours=3)),
        "window_seen": [f"{A}.brand1"],
    }


def test_a_malformed_item_is_recorded_and_the_rest_stored(workspace):
    broken = _thread_a()
    del broken["replies"]["comments"][0]["snippet"]["publishedAt"]
    http = HttpMockSequence([ok(thread_page([broken, _thread_c()]))])
    result = sync_source(workspace, _source(http))
    assert (result.totals.new_posts, result.totals.problems, result.error) == (2, 1, None)
    with workspace.engine.connect() as conn:
        reason, item = conn.execute(select(sync_errors.c.reason, sync_errors.c.item_id)).one()
    assert item == f"{A}.brand1" and "publishedAt" in reason
    assert _state(workspace)["last_error"] == reason


def test_the_demo_youtube_pages_map_like_live_pages():
    pages = [
        p.payload
        for p in generate(posts=1500, seed=7, end=datetime(2026, 10, 1, tzinfo=UTC), days=30)
        if p.kind == "youtube_page"
    ]
    assert len(pages) >= 2
    mapped, threads, comments = [], 0, 0
    for page in pages:
        found, problems = posts_from_comment_threads(page, "demo:youtube")
        assert problems == []
        mapped += found
        threads += len(page["items"])
        comments += sum(
            1 + len((item.get("replies") or {}).get("comments", [])) for item in page["items"]
        )
    assert len(mapped) == comments and len({p.thread_key for p in mapped}) == threads
    for post in mapped:
        if post.parent_external_id is None:
            assert post.external_id == post.thread_key
        else:
            assert post.parent_external_id == post.thread_key
            assert post.external_id.startswith(post.thread_key + ".")
    assert any(p.author_id == DEMO_CHANNEL for p in mapped if p.parent_external_id)

    served = [dict(page, nextPageToken=f"t{i}") for i, page in enumerate(reversed(pages))]
    served[-1].pop("nextPageToken")
    live = [
        p
        for batch in _source(HttpMockSequence([ok(p) for p in served])).fetch(None)
        for p in batch.posts
    ]
    assert sorted((p.external_id, p.thread_key, p.text) for p in live) == sorted(
        (p.external_id, p.thread_key, p.text) for p in mapped
    )


# ---------------------------------------------------------------------------- errors and quota


def test_quota_exceeded_is_recorded_with_the_reset_time(workspace):
    clock = FakeTime()
    source = _source(
        HttpMockSequence([fail(403, QUOTA_EXCEEDED)]),
        RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now),
    )
    result = sync_source(workspace, source)
    assert result.error == (
        f"youtube:{BRAND_CHANNEL}: the YouTube Data API daily quota is used up; it resets at "
        "midnight Pacific time (2026-11-03 08:00 UTC, in 23 h 0 min). Sync less often, or ask "
        "Google for a larger quota"
    )
    assert _state(workspace)["last_error"] == result.error and clock.slept == []
    assert count_rows(workspace, posts) == 0


def test_a_bad_key_names_the_setting_and_never_the_key(workspace, caplog):
    caplog.set_level(logging.DEBUG)
    http = HttpMockSequence([fail(400, KEY_INVALID)])
    result = sync_source(workspace, _source(http))
    assert "check YOUTUBE_API_KEY" in result.error and "API key not valid" in result.error
    assert KEY not in result.error + str(_state(workspace)) + caplog.text
    assert caplog.text  # the client library did log the request, without the key
    unauthorised = HttpMockSequence(
        [fail(401, error_body(401, "unauthorized", "Unauthorized", domain="global"))]
    )
    with pytest.raises(NotConfiguredError, match="check YOUTUBE_API_KEY"):
        list(_source(unauthorised).fetch(None))


def test_a_key_echoed_by_the_server_is_scrubbed_from_errors():
    echoed = error_body(400, "badRequest", f"Bad key {KEY}", domain="global")
    with pytest.raises(PlatformError) as caught:
        list(_source(HttpMockSequence([fail(400, echoed)])).fetch(None))
    assert KEY not in str(caught.value) and "Bad key ***" in str(caught.value)


def test_rate_limits_are_waited_out_and_server_errors_backed_off():
    clock = FakeTime()
    retry = RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now)
    http = HttpMockSequence(
        [
            fail(429, RATE_LIMITED, **{"retry-after": "30"}),
            fail(403, RATE_LIMITED),
            fail(500, BACKEND_ERROR),
            fail(503, BACKEND_ERROR),
            ok(thread_page([_thread_x()])),
        ]
    )
    source = _source(http, retry)
    assert [len(b.posts) for b in source.fetch(None)] == [1]
    assert clock.slept == [31.0, 2.0, 8.0, 16.0]  # reset + 1 s, then base delay 2 · 2^attempt
    assert source.units_used == 5  # every answered request counts


# ---------------------------------------------------------------------------- replies


def _created(parent: str, text: str) -> dict:
    made = reply(parent, "new1", BRAND_CHANNEL, text, START)
    made["snippet"]["textOriginal"] = text
    return made


def test_a_reply_is_posted_as_the_brand_channel_and_costs_50_units():
    http = HttpMockSequence([ok(_created(A, "Thanks Sam!"))])
    writer = make_youtube_writer(Credentials(token="ya29.brand-token"), http=http)
    meter = QuotaMeter()
    new_id = send_reply(writer, f"{A}.brand1", "Thanks Sam!", meter)
    [(uri, method, body, headers)] = http.request_sequence
    assert new_id == f"{A}.new1" and meter.units == 50
    assert method == "POST" and urlparse(uri).path == "/youtube/v3/comments"
    assert parse_qs(urlparse(uri).query)["part"] == ["snippet"]
    assert headers["authorization"] == "Bearer ya29.brand-token"
    assert json.loads(body) == {"snippet": {"parentId": A, "textOriginal": "Thanks Sam!"}}


def test_a_failed_reply_is_never_retried():
    http = HttpMockSequence([fail(503, BACKEND_ERROR), ok(_created(A, "again"))])
    writer = make_youtube_writer(Credentials(token="ya29.brand-token"), http=http)
    with pytest.raises(PlatformError, match="may have been posted"):
        send_reply(writer, A, "Thanks Sam!")
    assert len(http.request_sequence) == 1
    with pytest.raises(PlatformError, match="1 to 10000 characters"):
        send_reply(writer, A, "   ")
    assert len(http.request_sequence) == 1


def test_a_reply_is_posted_once_even_when_the_request_is_repeated(workspace):
    http = HttpMockSequence([ok(_created(A, "Yes, remote is fine!"))])
    writer = make_youtube_writer(Credentials(token="ya29.brand-token"), http=http)
    meter = QuotaMeter()

    def send() -> str:
        return send_reply(writer, A, "Yes, remote is fine!", meter)

    first = send_once(workspace, "case-7:reply-1", send, actor="sam@northwind.example")
    again = send_once(workspace, "case-7:reply-1", send, actor="sam@northwind.example")
    assert first == again == f"{A}.new1" and meter.units == 50


def test_the_oauth_token_file_is_read_and_problems_name_the_setting(tmp_path):
    with pytest.raises(NotConfiguredError, match="YOUTUBE_OAUTH_TOKEN_FILE is not set"):
        load_oauth_credentials("")
    with pytest.raises(NotConfiguredError, match="YOUTUBE_OAUTH_TOKEN_FILE points to"):
        load_oauth_credentials(str(tmp_path / "absent.json"))
    partial = tmp_path / "partial.json"
    partial.write_text(json.dumps({"client_id": "id", "refresh_token": "do-not-print"}))
    with pytest.raises(NotConfiguredError, match="missing fields client_secret") as caught:
        load_oauth_credentials(str(partial))
    assert "do-not-print" not in str(caught.value)
    token = tmp_path / "token.json"
    token.write_text(
        json.dumps(
            {
                "client_id": "id.apps.googleusercontent.com",
                "client_secret": "s3cret",
                "refresh_token": "1//refresh",
                "token": "ya29.current",
            }
        )
    )
    credentials = load_oauth_credentials(str(token))
    assert credentials.refresh_token == "1//refresh" and credentials.token == "ya29.current"
