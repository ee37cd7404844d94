"""The live Reddit connector against PRAW's own recorded Reddit answers, replayed locally.

A fake Reddit on 127.0.0.1 (``tests/fake_reddit.py``) serves the cassettes from
``../shared/fixtures/reddit``; PRAW talks to it over plain HTTP, so the real PRAW and prawcore
code paths run (auth, listings, paging, "load more comments", replies) without the network.
"""

from __future__ import annotations

import copy
import json
import socket
from datetime import UTC, datetime

import pytest

from connectors.base import NotConfiguredError, PlatformError
from connectors.files import import_batches
from connectors.reddit_api import (
    RedditInbox,
    RedditOwnComments,
    RedditSearch,
    RedditSubmissions,
    make_reddit,
    reddit_sources,
    send_reply,
)
from connectors.retry import RetryPolicy
from tests.support.fake_reddit import CLIENT, FIXTURES, FakeReddit, cassette_body, listing

SEARCH = "TestSubreddit.test_search.json"
THREAD = "TestSubmission.test_comments.json"
FOREST = "TestCommentForest.test_replace__all.json"
INBOX = "TestInbox.test_stream.json"
STREAM = "TestSubredditStreams.test_submissions.json"
SECRETS = ("test-client-secret", "brand-password", "<ACCESS_TOKEN>")
NOW = 1_700_000_000.0


@pytest.fixture
def serve():
    """Start fake Reddit servers for a test; each must have answered every request."""
    if not FIXTURES.is_dir():
        pytest.skip(f"{FIXTURES} is absent: the recorded Reddit cassettes live in ../shared")
    started: list[FakeReddit] = []

    def start(*cassettes: str) -> FakeReddit:
        fake = FakeReddit(*cassettes).__enter__()
        started.append(fake)
        return fake

    yield start
    for fake in started:
        fake.__exit__()
        assert not fake.unmatched, f"requests the recordings do not answer: {fake.unmatched}"


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def retry(sleeps) -> RetryPolicy:
    """A retry policy that records its waits instead of sleeping, on a frozen clock."""
    return RetryPolicy(sleep=sleeps.append, clock=lambda: NOW)


def _posts(batches):
    return [post for batch in batches for post in batch.posts]


def _children(cassette: str, index: int) -> list[dict]:
    return cassette_body(cassette, index)["data"]["children"]


def _submission_thing(cassette: str) -> dict:
    """The submission of a recorded ``/comments/ID/`` answer."""
    return cassette_body(cassette, 1)[0]["data"]["children"][0]


def _search_requests(fake: FakeReddit) -> list:
    return [r for r in fake.requests if r.path == "/r/all/search"]


# ---------------------------------------------------------------------------- configuration


def test_missing_credentials_name_the_settings():
    with pytest.raises(NotConfiguredError) as caught:
        make_reddit("", "", "")
    for setting in ("REDDIT_CLIENT_ID", "REDDIT_CLIENT_SECRET", "REDDIT_USER_AGENT"):
        assert setting in str(caught.value)


def test_missing_client_id_alone_is_named():
    with pytest.raises(NotConfiguredError) as caught:
        make_reddit(None, "secret", CLIENT["user_agent"])
    assert str(caught.value).startswith("REDDIT_CLIENT_ID not set:")


def test_username_without_password_names_the_password():
    with pytest.raises(NotConfiguredError, match="REDDIT_PASSWORD"):
        make_reddit(**CLIENT, username="brand")


def test_unknown_praw_ini_site_is_not_configured():
    with pytest.raises(NotConfiguredError, match="no-such-fullcircle-site"):
        make_reddit(site="no-such-fullcircle-site")


def test_sources_follow_the_settings():
    reddit = make_reddit(**CLIENT, username="brand", password="pw")
    sources = reddit_sources(reddit, "acme jobs", ["r/cscareerquestions", "jobs"], "brand")
    assert [s.name for s in sources] == ["reddit:search", "reddit:inbox", "reddit:comments:brand"]
    assert sources[0].subreddits == "cscareerquestions+jobs"
    assert [s.name for s in reddit_sources(make_reddit(**CLIENT), "acme", "all", None)] == [
        "reddit:search"
    ]


def _closed_port_url() -> str:
    """An address nothing listens on: the port was free a moment ago and is closed again."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_connection_failure_is_retried_then_reported_without_credentials(sleeps):
    url = _closed_port_url()
    reddit = make_reddit(
        **CLIENT, username="brand", password="brand-password", oauth_url=url, reddit_url=url
    )
    policy = RetryPolicy(attempts=2, sleep=sleeps.append, clock=lambda: NOW)
    source = RedditSearch(reddit, "acme", with_comments=False, retry=policy)
    with pytest.raises(PlatformError, match="ConnectionError talking to Reddit") as caught:
        list(source.fetch(None))
    assert sleeps == [2.0]
    assert not any(secret in str(caught.value) for secret in SECRETS)


# ---------------------------------------------------------------------------- search


def test_search_replay_maps_submissions(serve, retry):
    fake = serve(SEARCH)
    source = RedditSearch(fake.reddit(), "praw oauth search", with_comments=False, retry=retry)
    batches = list(source.fetch(None))
    recorded = [child["data"] for child in _children(SEARCH, 1)]
    posts = {post.external_id: post for post in _posts(batches)}
    assert set(posts) == {data["name"] for data in recorded}
    for data in recorded:
        post = posts[data["name"]]
        assert post.external_id.startswith("t3_") and post.thread_key == post.external_id
        assert post.author_handle == data["author"]
        assert post.created_at == datetime.fromtimestamp(data["created_utc"], tz=UTC)
        assert post.url == "https://www.reddit.com" + data["permalink"].split("?")[0]
        assert post.subject == data["title"] and post.source == "reddit:search"
    assert posts["t3_3gpbiu"].url == (
        "https://www.reddit.com/r/redditdev/comments/3gpbiu/"
        "prawoauth2util_problem_using_get_banned_raise/"
    )
    assert sum(batch.items_read for batch in batches) == len(recorded) == 6
    newest = max(recorded, key=lambda data: data["created_utc"])
    assert batches[-1].cursor == {"after_utc": newest["created_utc"], "seen": [newest["name"]]}
    (request,) = _search_requests(fake)
    assert request.params["q"] == "praw oauth search" and request.params["sort"] == "new"


def test_second_search_with_the_cursor_reads_nothing_new(serve, retry):
    fake = serve(SEARCH)
    source = RedditSearch(fake.reddit(), "praw oauth search", with_comments=False, retry=retry)
    first = list(source.fetch(None))
    second = list(source.fetch(first[-1].cursor))
    assert _posts(second) == [] and second[-1].cursor == first[-1].cursor
    assert sum(batch.items_read for batch in second) <= 1


def test_search_reads_each_new_thread_completely(serve, retry):
    fake = serve(THREAD, FOREST)
    fake.route(
        "GET", "/r/all/search/", listing([_submission_thing(FOREST), _submission_thing(THREAD)])
    )
    source = RedditSearch(fake.reddit(), "praw", more_limit=None, retry=retry)
    first, second = list(source.fetch(None))
    assert [p.external_id for p in first.posts[:1]] == ["t3_2gmzqe"]
    assert {(p.external_id, p.parent_external_id, p.thread_key) for p in first.posts[1:]} == {
        ("t1_cklfmye", "t3_2gmzqe", "t3_2gmzqe"),
        ("t1_cklhv0f", "t1_cklfmye", "t3_2gmzqe"),
    }
    assert first.posts[1].url == (
        "https://www.reddit.com/r/redditdev/comments/2gmzqe/"
        "praw_https_enabled_praw_testing_needed/cklfmye/"
    )
    comments = second.posts[1:]
    names = {post.external_id for post in second.posts}
    assert len(names) == len(second.posts) and len(comments) > 500
    assert {post.thread_key for post in comments} == {"t3_3hahrw"}
    assert {post.parent_external_id for post in comments} <= names, "a parent was not loaded"
    assert first.items_read == 2 + 2 and second.items_read == len(comments)
    assert second.cursor["seen"] == ["t3_3hahrw"]
    assert sum(r.path == "/api/morechildren" for r in fake.requests) == 12


def test_comment_loading_is_bounded(serve, retry):
    fake = serve(FOREST)
    fake.route("GET", "/r/all/search/", listing([_submission_thing(FOREST)]))
    (batch,) = RedditSearch(fake.reddit(), "praw", more_limit=0, retry=retry).fetch(None)
    top_level = cassette_body(FOREST, 1)[1]["data"]["children"]
    assert 0 < len(batch.posts) - 1 < 541
    assert len(batch.posts) - 1 >= sum(child["kind"] == "t1" for child in top_level)
    assert not any(r.path == "/api/morechildren" for r in fake.requests)


def test_live_thread_and_saved_thread_import_give_the_same_posts(serve, retry, tmp_path):
    fake = serve(THREAD)
    fake.route("GET", "/r/all/search/", listing([_submission_thing(THREAD)]))
    (live,) = RedditSearch(fake.reddit(), "praw", retry=retry).fetch(None)
    saved = tmp_path / "2gmzqe.json"
    saved.write_text(json.dumps(cassette_body(THREAD, 1)), encoding="utf-8")
    imported = _posts(import_batches(saved, "reddit-json"))

    def key(post):
        return (
            post.external_id,
            post.parent_external_id,
            post.thread_key,
            post.author_handle,
            post.text,
            post.created_at,
        )

    assert sorted(map(key, live.posts)) == sorted(map(key, imported))


def test_malformed_item_is_a_problem_and_the_rest_are_kept(serve, retry):
    fake = serve(SEARCH)
    children = copy.deepcopy(_children(SEARCH, 1))
    del children[1]["data"]["created_utc"]
    fake.route("GET", "/r/all/search/", listing(children))
    batches = list(
        RedditSearch(fake.reddit(), "praw", with_comments=False, retry=retry).fetch(None)
    )
    assert len(_posts(batches)) == 5
    problems = [p for batch in batches for p in batch.problems]
    assert [p.item_id for p in problems] == [children[1]["data"]["name"]]
    assert "created_utc" in problems[0].reason
    assert sum(batch.items_read for batch in batches) == 6


# ---------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("headers", "wait"), [({"retry-after": "30"}, 31.0), ({"x-ratelimit-reset": "12"}, 13.0)]
)
def test_rate_limit_is_waited_out(serve, retry, sleeps, headers, wait):
    fake = serve(SEARCH)
    fake.fail("GET", "/r/all/search/", 429, headers)
    batches = list(
        RedditSearch(fake.reddit(), "praw", with_comments=False, retry=retry).fetch(None)
    )
    assert sleeps == [wait]
    assert len(_posts(batches)) == 6 and len(_search_requests(fake)) == 2


def test_server_error_is_retried_by_our_policy_alone(serve, retry, sleeps):
    fake = serve(SEARCH)
    fake.fail("GET", "/r/all/search/", 503, times=2)
    batches = list(
        RedditSearch(fake.reddit(), "praw", with_comments=False, retry=retry).fetch(None)
    )
    assert sleeps == [2.0, 4.0]
    assert len(_posts(batches)) == 6 and len(_search_requests(fake)) == 3


def test_server_errors_give_up_after_the_bounded_attempts(serve, sleeps):
    fake = serve(SEARCH)
    fake.fail("GET", "/r/all/search/", 500, times=5)
    policy = RetryPolicy(attempts=3, sleep=sleeps.append, clock=lambda: NOW)
    source = RedditSearch(fake.reddit(), "praw", with_comments=False, retry=policy)
    with pytest.raises(PlatformError, match="500") as caught:
        list(source.fetch(None))
    assert len(_search_requests(fake)) == 3 and len(sleeps) == 2
    assert not any(secret in str(caught.value) for secret in SECRETS)


def test_refused_app_credentials_name_the_settings_not_the_values(serve, retry):
    fake = serve(SEARCH)
    fake.fail("POST", "/api/v1/access_token", 401)
    source = RedditSearch(fake.reddit(), "praw", with_comments=False, retry=retry)
    with pytest.raises(PlatformError, match="REDDIT_CLIENT_ID") as caught:
        list(source.fetch(None))
    assert not any(secret in str(caught.value) for secret in (*SECRETS, "test-client-id"))


# ---------------------------------------------------------------------------- inbox, own comments


def test_inbox_replay_maps_comments_and_reports_private_messages(serve, retry):
    fake = serve(INBOX)
    source = RedditInbox(fake.reddit(), listings=("unread",), max_items=100, retry=retry)
    (batch,) = source.fetch(None)
    by_id = {post.external_id: post for post in batch.posts}
    assert set(by_id) == {"t1_myngt77", "t1_m30xcs6"}
    reply = by_id["t1_myngt77"]
    assert (reply.parent_external_id, reply.thread_key) == ("t1_mynfuan", "t3_1j7g9uj")
    assert reply.url == (
        "https://www.reddit.com/r/Lil_SpazJoekp/comments/1j7g9uj/test_post_pls_ignore/myngt77/"
    )
    assert reply.author_handle == "Lil_SpazTest" and reply.source == "reddit:inbox"
    assert [p.reason for p in batch.problems] == [
        "98 private message(s) skipped: only comments and submissions are tracked"
    ]
    assert batch.items_read == 100
    assert batch.cursor == {"after_utc": 1750348671.0, "seen": ["t1_myngt77"]}
    again = list(source.fetch(batch.cursor))
    assert _posts(again) == [] and again[-1].cursor == batch.cursor


def test_inbox_reads_mentions_and_comment_replies_once_each(serve, retry):
    fake = serve(INBOX)
    recorded = json.dumps(cassette_body(INBOX, 1))  # the same page answers both listings
    fake.route("GET", "/message/mentions", recorded)
    fake.route("GET", "/message/comments/", recorded)
    (batch,) = RedditInbox(fake.reddit(), max_items=100, retry=retry).fetch(None)
    assert sorted(p.external_id for p in batch.posts) == ["t1_m30xcs6", "t1_myngt77"]
    assert batch.items_read == 200
    paths = {r.path for r in fake.requests}
    assert {"/message/mentions", "/message/comments"} <= paths


def test_own_comments_are_read_from_the_account(serve, retry):
    fake = serve(THREAD)
    forest = cassette_body(THREAD, 1)[1]["data"]["children"]
    top = copy.deepcopy(forest[0])
    nested = top["data"].pop("replies")["data"]["children"][0]
    fake.route("GET", "/user/brand/comments/", listing([nested, top]))
    (batch,) = RedditOwnComments(fake.reddit(), "brand", retry=retry).fetch(None)
    assert [(p.external_id, p.parent_external_id, p.thread_key) for p in batch.posts] == [
        ("t1_cklfmye", "t3_2gmzqe", "t3_2gmzqe"),
        ("t1_cklhv0f", "t1_cklfmye", "t3_2gmzqe"),
    ]
    assert batch.source == "reddit:comments:brand"


# ---------------------------------------------------------------------------- incremental


def test_submissions_replay_then_only_new_ones(serve, retry):
    fake = serve(STREAM)
    page, newer = _children(STREAM, 1), _children(STREAM, 2)
    source = RedditSubmissions(fake.reddit(), "all", max_items=100, retry=retry)
    first = list(source.fetch(None))
    assert len(_posts(first)) == 100 == sum(batch.items_read for batch in first)
    newest_second = page[0]["data"]["created_utc"]
    at_newest = sorted(c["data"]["name"] for c in page if c["data"]["created_utc"] == newest_second)
    assert len(at_newest) == 6
    assert first[-1].cursor == {"after_utc": newest_second, "seen": at_newest}
    fake.route("GET", "/r/all/new", listing(newer + page))
    second = list(source.fetch(first[-1].cursor))
    assert sorted(p.external_id for p in _posts(second)) == sorted(c["data"]["name"] for c in newer)
    assert sum(batch.items_read for batch in second) == 4 + 6 + 1
    third = list(source.fetch(second[-1].cursor))
    assert _posts(third) == []


def test_items_at_the_cursor_second_are_not_lost(serve, retry):
    fake = serve(STREAM)
    page = _children(STREAM, 1)
    late = page[2]
    fake.route("GET", "/r/all/new", listing([c for c in page if c is not late]))
    source = RedditSubmissions(fake.reddit(), "all", max_items=100, retry=retry)
    first = list(source.fetch(None))
    assert first[-1].cursor["after_utc"] == late["data"]["created_utc"]
    assert late["data"]["name"] not in first[-1].cursor["seen"]
    fake.route("GET", "/r/all/new", listing(page))
    second = list(source.fetch(first[-1].cursor))
    assert [p.external_id for p in _posts(second)] == [late["data"]["name"]]
    assert late["data"]["name"] in second[-1].cursor["seen"]


def test_batches_are_oldest_first_with_a_cursor_each(serve, retry):
    fake = serve(STREAM)
    source = RedditSubmissions(fake.reddit(), "all", max_items=100, retry=retry)
    source.batch_size = 30
    batches = list(source.fetch(None))
    assert [len(b.posts) for b in batches] == [30, 30, 30, 10]
    times = [p.created_at for p in _posts(batches)]
    assert times == sorted(times)
    afters = [b.cursor["after_utc"] for b in batches]
    assert afters == sorted(afters)
    assert batches[0].items_read == 100 and all(b.items_read == 0 for b in batches[1:])


# ---------------------------------------------------------------------------- replies


@pytest.mark.parametrize(
    ("cassette", "parent", "created"),
    [
        ("TestComment.test_reply.json", "t1_d1616q2", "t1_d1680wu"),
        ("TestSubmission.test_reply.json", "t3_4b1tfm", "t1_d162ara"),
    ],
)
def test_reply_returns_the_new_comment(serve, retry, cassette, parent, created):
    fake = serve(cassette)
    text = "Thanks for asking! We answer every application within 10 working days."
    assert send_reply(fake.reddit(), parent, text, retry=retry) == created
    (request,) = [r for r in fake.requests if r.path == "/api/comment"]
    assert request.method == "POST"
    assert request.params["text"] == text and request.params["thing_id"] == parent


def test_reply_waits_out_a_rate_limit(serve, retry, sleeps):
    fake = serve("TestComment.test_reply.json")
    fake.fail("POST", "/api/comment/", 429, {"retry-after": "5"})
    assert send_reply(fake.reddit(), "t1_d1616q2", "Hello", retry=retry) == "t1_d1680wu"
    assert sleeps == [6.0]


def test_reply_is_not_retried_after_a_server_error(serve, retry, sleeps):
    fake = serve("TestComment.test_reply.json")
    fake.fail("POST", "/api/comment/", 503)
    with pytest.raises(PlatformError, match="not retried"):
        send_reply(fake.reddit(), "t1_d1616q2", "Hello", retry=retry)
    assert sum(r.path == "/api/comment" for r in fake.requests) == 1 and sleeps == []


def test_reply_needs_the_brand_account_and_a_real_target():
    read_only = make_reddit(**CLIENT)
    with pytest.raises(NotConfiguredError, match="REDDIT_USERNAME"):
        send_reply(read_only, "t1_abc", "Hello")
    brand = make_reddit(**CLIENT, username="brand", password="pw")
    with pytest.raises(ValueError, match="fullname"):
        send_reply(brand, "t4_abc", "Hello")
    with pytest.raises(ValueError, match="empty"):
        send_reply(brand, "t1_abc", "  ")
