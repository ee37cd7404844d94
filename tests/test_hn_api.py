"""Hacker News through the Algolia HN Search API: mapping, incremental paging, faults, the CLI.

The API is faked on 127.0.0.1 (tests/support/fake_hn_api.py) with hits hand-written in the
shape of real Algolia answers; the databases are real (SQLite and PostgreSQL).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from connectors.base import NotConfiguredError, PlatformError
from connectors.files import import_batches
from connectors.hn import posts_from_search
from connectors.hn_api import HnSearch, hn_sources, make_session
from connectors.retry import RetryPolicy
from pipeline.sources import connector_status
from pipeline.sync import sync_source
from store.accounts import add_account
from store.schema import cases, posts, sync_errors
from store.sync_state import get_state
from tests.support.cli import run_cli
from tests.support.fake_hn_api import (
    BRAND_USER,
    NOW,
    START,
    FakeHnApi,
    comment,
    conversation,
    story,
)
from tests.support.rows import count_rows

QUERY = "Northwind Labs"


class FakeTime:
    """A clock at ``NOW`` and a sleep that only records what it was asked."""

    def __init__(self) -> None:
        self.now = NOW.timestamp()
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def api():
    fake = FakeHnApi(conversation(9, START))
    fake.start()
    yield fake
    fake.stop()


def _sources(api: FakeHnApi, users=(BRAND_USER,), **retry) -> list[HnSearch]:
    clock = FakeTime()
    policy = RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now, **retry)
    return hn_sources(QUERY, list(users), api.base, make_session(), policy)


def _sync(workspace, api: FakeHnApi, **retry):
    return [sync_source(workspace, source) for source in _sources(api, **retry)]


# ---------------------------------------------------------------------------- mapping


def test_a_comment_hit_maps_to_inert_text_in_its_story_thread():
    hit = comment(
        9999999,
        datetime(2015, 8, 3, 21, 32, 1, tzinfo=UTC),
        "tcas",
        'Is <i>Northwind</i> remote &amp; open?<p>See <a href="https:&#x2F;&#x2F;x.example">'
        "link</a> &lt;script&gt;alert(1)&lt;&#x2F;script&gt;",
        9999826,
        9998227,
        "Why Write Python in Visual Studio?",
    )
    found, problems = posts_from_search({"hits": [hit], "nbPages": 1, "page": 0})
    assert problems == []
    (post,) = found
    assert post.text == "Is Northwind remote & open?\nSee link <script>alert(1)</script>"
    assert (post.external_id, post.thread_key, post.parent_external_id, post.reply_to) == (
        "9999999",
        "9998227",
        "9999826",
        ("9999826",),
    )
    assert post.author_handle == "tcas" and post.platform == "hn"
    assert post.created_at == datetime(2015, 8, 3, 21, 32, 1, tzinfo=UTC)
    assert post.url == "https://news.ycombinator.com/item?id=9999999"
    assert "_highlightResult" not in (post.raw or {})


def test_a_story_hit_is_its_own_thread_with_its_title_as_subject():
    ask = story(
        4242, START, "pat", "Ask HN: Is Northwind Labs a good employer?", "Asking <b>for real</b>"
    )
    (post,), _ = posts_from_search({"hits": [ask]})
    assert (post.thread_key, post.parent_external_id, post.subject) == (
        "4242",
        None,
        "Ask HN: Is Northwind Labs a good employer?",
    )
    assert post.text == "Ask HN: Is Northwind Labs a good employer?\n\nAsking for real"


def test_broken_hits_are_problems_and_the_others_posts():
    good = story(1, START, "pat", "Northwind Labs")
    found, problems = posts_from_search(
        {"hits": [good, {"objectID": "2", "author": None}, "junk", {"objectID": "3"}]}
    )
    assert [p.external_id for p in found] == ["1"]
    assert [(p.item_id, p.reason) for p in problems] == [
        ("2", "HN item 2 lacks field 'author'"),
        (None, "HN hit is a str, not an object"),
        ("3", "HN item 3 lacks field 'author'"),
    ]
    assert posts_from_search({"hits": 5})[1][0].reason == "HN search response hits is 5, not a list"


# ---------------------------------------------------------------------------- live sync


def test_a_sync_pages_through_and_the_brand_comment_answers_the_question(workspace, api):
    api.hits = conversation(250, START)
    with workspace.engine.begin() as conn:
        add_account(conn, "hn", BRAND_USER)
    results = _sync(workspace, api)
    assert [r.error for r in results] == [None, None]
    search = [r for r in api.requests if "query" in r]
    assert [r["page"] for r in search] == ["0", "1", "2"]
    newest = max(h["created_at_i"] for h in api.hits if h["author"] != BRAND_USER)
    assert search[1]["numericFilters"] == (
        f"created_at_i>{int(NOW.timestamp()) - 30 * 86400},created_at_i<={newest}"
    )
    brand_answers = [h for h in api.hits if h["author"] == BRAND_USER]
    assert count_rows(workspace, posts) == 250
    with workspace.engine.connect() as conn:
        answered = conn.execute(
            select(cases.c.thread_key, cases.c.author_handle).where(
                cases.c.first_response_at.is_not(None)
            )
        ).all()
        state = get_state(conn, "hn:search")
    by_id = {h["objectID"]: h for h in api.hits}
    assert sorted(answered) == sorted(
        (str(h["story_id"]), by_id[str(h["parent_id"])]["author"]) for h in brand_answers
    )
    assert state["cursor"] == {"since": newest}


def test_a_second_sync_reads_only_what_is_new(workspace, api):
    _sync(workspace, api)
    asked = [h for h in api.hits if h["author"] != BRAND_USER]
    served = api.items_served
    newer = conversation(4, START + timedelta(days=5), first_id=47000000)
    api.add(newer)
    api.requests.clear()
    second = _sync(workspace, api)
    assert sum(r.totals.new_posts for r in second) == 4
    assert api.items_served - served == 4  # three by the query, the brand's answer by its own
    assert count_rows(workspace, posts) == 13
    assert api.requests[0]["numericFilters"] == (
        f"created_at_i>{max(h['created_at_i'] for h in asked)}"
    )


def test_a_crash_between_pages_resumes_without_gap_or_duplicate(workspace, api):
    api.hits = conversation(250, START)
    api.stop_after = 1  # page 0 is served, then every request fails
    (source, _) = _sources(api, attempts=2)
    broken = sync_source(workspace, source)
    assert broken.error and "gave up after 2 attempts" in broken.error
    assert broken.totals.new_posts == 100
    (row,) = [r for r in connector_status(workspace) if r["connector"] == "hn"]
    (shown,) = row["sources"]  # what the Sources page lists: usage and the last error
    assert shown["source"] == "hn:search" and shown["items_read"] == 100
    assert "Algolia HN Search answered 500" in shown["last_error"]
    api.stop_after, api.requests = None, []
    resumed = sync_source(workspace, _sources(api)[0])
    assert resumed.error is None and resumed.totals.duplicates == 0
    assert api.requests[0]["page"] == "1"
    with workspace.engine.connect() as conn:
        state = get_state(conn, "hn:search")
    asked = sum(h["author"] != BRAND_USER for h in api.hits)  # what the query finds
    assert count_rows(workspace, posts) == asked == state["items_read"]
    assert set(state["cursor"]) == {"since"}


def test_more_hits_than_algolia_serves_are_read_below_the_oldest_second(workspace, api):
    api.hits = conversation(1500, START - timedelta(days=15))
    asked = sum(h["author"] != BRAND_USER for h in api.hits)
    assert asked > 1000
    result = sync_source(workspace, _sources(api, users=())[0])
    assert result.error is None and result.totals.problems == 0
    assert count_rows(workspace, posts) == asked
    assert api.items_served == asked + 1  # the hit at the boundary second is read twice
    assert [r["page"] for r in api.requests][9:12] == ["9", "0", "1"]


def test_rate_limits_are_waited_out_and_server_errors_backed_off(api):
    api.faults = ["429", "429-bare", "500", "garbage"]
    clock = FakeTime()
    policy = RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now)
    (source,) = hn_sources(QUERY, [], api.base, make_session(), policy)
    batches = list(source.fetch(None))
    assert sum(b.items_read for b in batches) == 8
    assert clock.slept == [8.0, 61.0, 8.0, 16.0]  # Retry-After + 1, a minute + 1, back-off
    assert batches[0].units == 5  # requests, the unit of Algolia's 10,000 an hour
    assert len(batches[0].problems) == 4  # each fault shows on the Sources page


def test_a_rate_limit_longer_than_we_wait_is_reported_not_slept(api):
    api.faults = ["429"]
    clock = FakeTime()
    policy = RetryPolicy(sleep=clock.sleep, clock=lambda: clock.now, max_wait=5)
    (source,) = hn_sources(QUERY, [], api.base, make_session(), policy)
    with pytest.raises(PlatformError, match="rate limited for 8 s"):
        list(source.fetch(None))
    assert clock.slept == []


def test_a_refused_request_is_reported_with_algolias_message_and_not_retried(api):
    api.faults = ["400"]
    (source,) = _sources(api, users=())
    with pytest.raises(PlatformError, match="hn:search: Algolia HN Search answered 400 Invalid"):
        list(source.fetch(None))
    assert len(api.requests) == 1


def test_a_malformed_item_is_recorded_and_the_rest_stored(workspace, api):
    api.faults = ["malformed"]
    result = sync_source(workspace, _sources(api, users=())[0])
    assert (result.totals.new_posts, result.totals.problems) == (8, 1)
    with workspace.engine.connect() as conn:
        reason, item = conn.execute(select(sync_errors.c.reason, sync_errors.c.item_id)).one()
    assert (item, reason) == ("bad", "HN item bad lacks field 'author'")


def test_a_reply_on_hn_is_refused_with_where_to_answer_instead(workspace):
    from engagement.senders import sender_for

    with pytest.raises(NotConfiguredError, match="read-only.*news.ycombinator.com"):
        sender_for("hn", workspace.settings, demo=False)


def test_settings_problems_name_the_setting(workspace):
    with pytest.raises(NotConfiguredError, match="HN_QUERY is not set"):
        hn_sources("  ", [])
    with pytest.raises(NotConfiguredError, match="HN_API_BASE_URL='ftp://x' is not an http"):
        hn_sources(QUERY, [], "ftp://x")
    (row,) = [r for r in connector_status(workspace) if r["connector"] == "hn"]
    assert (row["configured"], row["missing"]) == (False, ["HN_QUERY"])


# ---------------------------------------------------------------------------- command line


def test_cli_sync_reads_hn_from_the_fake_server_and_brand_add_registers_the_account(tmp_path):
    fake = FakeHnApi(conversation(6, datetime.now(UTC) - timedelta(days=2)))
    base = fake.start()
    try:
        url = f"sqlite:///{tmp_path / 'w.db'}"
        env = {"DATABASE_URL": url, "HN_QUERY": QUERY, "HN_API_BASE_URL": base}
        assert run_cli("brand", "add", "hn", BRAND_USER, **env).returncode == 0
        ran = run_cli("sync", **env)
        again = run_cli("sync", "--source", "hn:search", **env)
    finally:
        fake.stop()
    assert ran.returncode == 0, ran.stderr
    assert again.returncode == 0, again.stderr
    assert {r.get("tags") for r in fake.requests} == {
        "(story,comment)",
        f"(story,comment),author_{BRAND_USER}",
    }
    assert fake.items_served == 6  # five by the query, the brand's answer by its own; once


def _saved_responses(tmp_path):
    """Three saved answers (the query's two pages, the brand's comments) and a broken line."""
    api = FakeHnApi(conversation(9, START))
    lines = [
        json.dumps(api.search({"query": QUERY, "hitsPerPage": "5", "page": "0"})),
        "{not json",
        json.dumps(api.search({"query": QUERY, "hitsPerPage": "5", "page": "1"})),
        json.dumps(api.search({"tags": f"(story,comment),author_{BRAND_USER}"})),
    ]
    path = tmp_path / "hn.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_import_hn_reads_saved_responses_and_a_reimport_adds_nothing(tmp_path):
    path = _saved_responses(tmp_path)
    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert run_cli("brand", "add", "hn", BRAND_USER, DATABASE_URL=url).returncode == 0
    first = run_cli("import", str(path), "--format", "hn", DATABASE_URL=url)
    again = run_cli("import", str(path), "--format", "hn", DATABASE_URL=url)
    assert first.returncode == 0 == again.returncode, first.stderr
    assert "problem: line 2: not JSON" in first.stdout + first.stderr
    assert "Imported 9 new posts (0 already stored)" in first.stdout + first.stderr
    assert "Imported 0 new posts (9 already stored)" in again.stdout + again.stderr
    assert {p.source for b in import_batches(path, "hn") for p in b.posts} == {"import:hn"}


def test_each_item_is_read_once_over_two_syncs_as_the_bench_measures():
    from bench.hn_reads_child import hn_reads_per_new_post

    assert hn_reads_per_new_post() == 1.0
