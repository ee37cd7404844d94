"""Live feeds from a local feed server on 127.0.0.1: conditional GET, waits, errors, the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import connectors.feed_api as feed_api
from connectors.base import NotConfiguredError, PlatformError
from connectors.feed_api import FeedSource, feed_sources, parse_feed_urls, source_name
from connectors.retry import RetryPolicy
from pipeline.sources import configured_sources, connector_status
from pipeline.sync import sync_source
from pipeline.workspace import open_workspace
from store.schema import cases, posts, sync_errors
from store.sync_state import get_state
from tests.conftest import workspace_settings
from tests.support.cli import run_cli
from tests.support.fake_feed_server import RSS, FakeFeedServer, Fault, feed_file
from tests.support.rows import count_rows, table_rows


class FakeTime:
    """A clock and a sleep that only record what they were asked."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds

    def policy(self, **kwargs) -> RetryPolicy:
        return RetryPolicy(sleep=self.sleep, clock=lambda: self.now, **kwargs)


@pytest.fixture
def server():
    fake = FakeFeedServer()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def parses(monkeypatch):
    """How many documents the connector handed to the parser (the real one)."""
    calls: list[int] = []
    real = feed_api.posts_from_document

    def counted(document, *args, **kwargs):
        calls.append(len(document))
        return real(document, *args, **kwargs)

    monkeypatch.setattr(feed_api, "posts_from_document", counted)
    return calls


def test_an_unchanged_feed_costs_one_request_answered_304_and_no_parsing(workspace, server, parses):
    url = server.serve("/alerts.atom", feed_file("google_alerts_atom.xml"))
    first = sync_source(workspace, FeedSource(url))
    assert (first.error, first.totals.new_posts, len(parses)) == (None, 2, 1)
    second = sync_source(workspace, FeedSource(url))
    assert second.error is None and second.totals.read == 0
    assert len(server.requests) == 2 and len(parses) == 1  # the second GET was not parsed
    revalidation = server.requests[1]
    assert revalidation.status == 304
    assert revalidation.headers["if-none-match"] == server.documents["/alerts.atom"].etag
    assert revalidation.headers["if-modified-since"] == "Mon, 02 Nov 2026 12:00:00 GMT"
    with workspace.engine.connect() as conn:
        state = get_state(conn, source_name(url))
    assert state["last_success_at"] is not None and state["units_used"] == 2
    assert count_rows(workspace, posts) == 2


def test_a_changed_feed_hands_on_only_its_new_entries(workspace, server):
    blog = feed_file("candidate_blog_rss20.xml")
    url = server.serve("/feed", blog.replace(b"<item>", b"<!--", 1).replace(b"</item>", b"-->", 1))
    assert sync_source(workspace, FeedSource(url)).totals.new_posts == 1
    server.serve("/feed", blog, RSS)  # the newest post appears on top
    again = sync_source(workspace, FeedSource(url))
    assert (again.totals.read, again.totals.new_posts, again.totals.duplicates) == (1, 1, 0)
    with workspace.engine.connect() as conn:
        state = get_state(conn, source_name(url))
    assert state["items_read"] == 2 == count_rows(workspace, posts)
    assert state["cursor"]["seen"] == [
        "https://jobhunt.example.org/2026/11/northwind-silence",
        "jobhunt-2026-10-take-home",
    ]


def test_a_feed_without_validators_is_read_whole_and_nothing_is_stored_twice(workspace, server):
    url = server.serve("/plain", feed_file("google_alerts_atom.xml"), validators=False)
    sync_source(workspace, FeedSource(url))
    again = sync_source(workspace, FeedSource(url))
    assert "if-none-match" not in server.requests[1].headers
    assert (again.totals.read, again.totals.new_posts) == (0, 0)
    assert count_rows(workspace, posts) == 2


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_waited_out_then_the_feed_is_read(server, status):
    clock = FakeTime()
    url = server.serve("/alerts.atom", feed_file("google_alerts_atom.xml"))
    server.faults.append(Fault(status, {"Retry-After": "120"}))
    [batch] = list(FeedSource(url, retry=clock.policy()).fetch(None))
    assert clock.slept == [121.0] and len(batch.posts) == 2
    assert [p.reason for p in batch.problems] == [f"{source_name(url)}: rate limited (attempt 1)"]


def test_a_retry_after_given_as_a_date_is_honoured(server):
    clock = FakeTime()
    url = server.serve("/a", feed_file("google_alerts_atom.xml"))
    server.faults.append(Fault(429, {"Retry-After": "Fri, 15 Jan 2027 08:01:00 GMT"}))
    clock.now = 1_800_000_000.0  # 2027-01-15T08:00:00Z
    list(FeedSource(url, retry=clock.policy()).fetch(None))
    assert clock.slept == [61.0]


def test_a_wait_longer_than_the_bound_is_the_source_s_error_and_keeps_its_cursor(workspace, server):
    clock = FakeTime()
    url = server.serve("/a", feed_file("google_alerts_atom.xml"))
    sync_source(workspace, FeedSource(url))
    with workspace.engine.connect() as conn:
        cursor = get_state(conn, source_name(url))["cursor"]
    server.serve("/a", feed_file("candidate_blog_rss20.xml"), RSS)
    server.faults.append(Fault(503, {"Retry-After": "86400"}))
    result = sync_source(workspace, FeedSource(url, retry=clock.policy(max_wait=900)))
    assert clock.slept == [] and "rate limited for 86401 s" in (result.error or "")
    with workspace.engine.connect() as conn:
        state = get_state(conn, source_name(url))
    assert state["cursor"] == cursor and "rate limited" in state["last_error"]


def test_server_errors_are_backed_off_then_reported(workspace, server):
    clock = FakeTime()
    url = server.serve("/a", feed_file("google_alerts_atom.xml"))
    server.faults += [Fault(500), Fault(503), Fault(502)]
    result = sync_source(workspace, FeedSource(url, retry=clock.policy(attempts=3)))
    assert clock.slept == [2.0, 4.0]
    assert result.error == f"{source_name(url)}: the feed answered 502 (gave up after 3 attempts)"
    assert count_rows(workspace, posts) == 0


def test_a_malformed_entry_is_recorded_and_the_rest_stored(workspace, server):
    url = server.serve("/blog", feed_file("candidate_blog_rss20.xml"), RSS)
    result = sync_source(workspace, FeedSource(url))
    assert (result.error, result.totals.new_posts, result.totals.problems) == (None, 2, 1)
    [problem] = table_rows(workspace, sync_errors)
    assert problem["source"] == source_name(url)
    assert problem["reason"] == "entry has neither an id nor an http(s) link"


def test_a_document_that_is_no_feed_is_the_source_s_error_without_the_feed_s_token(
    workspace, server
):
    url = server.serve("/private?token=s3cr3t-alert-key", b"<<< upstream hiccup", "text/html")
    result = sync_source(workspace, FeedSource(url))
    with workspace.engine.connect() as conn:
        state = get_state(conn, source_name(url))
    assert state["last_error"] == result.error
    assert result.error.startswith(
        f"{source_name(url)} (http://127.0.0.1:{url.split(':')[2].split('/')[0]}/private): "
        "not an RSS or Atom feed: line"
    )
    assert "s3cr3t" not in result.error and state["cursor"] is None


def test_a_missing_feed_names_the_status_and_the_setting(workspace, server):
    # the server answers 404 for any path it does not serve
    result = sync_source(workspace, FeedSource(server.base + "/gone.xml"))
    assert result.error and "answered 404 Not Found; check the address in FEED_URLS" in result.error


def test_a_dropped_connection_stores_nothing_and_the_next_sync_reads_everything_once(
    workspace, server
):
    url = server.serve("/a", feed_file("google_alerts_atom.xml"))
    dead = "http://127.0.0.1:9/a"  # nothing listens on the discard port
    broken = sync_source(workspace, FeedSource(dead, retry=RetryPolicy(attempts=2, sleep=float)))
    assert broken.error and "ConnectionError" in broken.error
    first, again = (sync_source(workspace, FeedSource(url)) for _ in range(2))
    assert (first.totals.new_posts, again.totals.new_posts, again.totals.duplicates) == (2, 0, 0)


def test_feed_urls_are_split_on_spaces_and_commas_and_each_feed_is_its_own_source():
    one = "https://www.google.com/alerts/feeds/0000/1111"
    two = "https://www.google.com/alerts/feeds/0000/2222"
    urls = parse_feed_urls(f" {one},{two}\n  https://blog.example.com/feed {one}")
    assert urls == [one, two, "https://blog.example.com/feed"]
    names = [s.name for s in feed_sources(" ".join(urls))]
    assert len(set(names)) == 3 and all(n.startswith("feed:") for n in names)
    assert names[0].startswith("feed:www.google.com-") and names[0] == source_name(one)


@pytest.mark.parametrize("value", ["", "  ,  ", "blog.example.com/feed", "ftp://x.example/f"])
def test_a_bad_feed_list_names_the_setting_and_the_fix(value):
    with pytest.raises(NotConfiguredError, match="FEED_URLS"):
        parse_feed_urls(value)


def test_a_feed_larger_than_the_cap_is_refused(server, monkeypatch):
    monkeypatch.setattr(feed_api, "MAX_FEED_BYTES", 1000)
    url = server.serve("/big", feed_file("google_alerts_atom.xml"))
    with pytest.raises(PlatformError, match="larger than"):
        list(FeedSource(url).fetch(None))


def test_sources_page_lists_feeds_with_their_missing_setting_usage_and_error(db_url, server):
    ws = open_workspace(workspace_settings(db_url))
    [feed] = [c for c in connector_status(ws) if c["connector"] == "feed"]
    assert (feed["configured"], feed["missing"], feed["sources"]) == (False, ["FEED_URLS"], [])
    ws.engine.dispose()
    good = server.serve("/a", feed_file("google_alerts_atom.xml"))
    bad = server.serve("/b", b"not xml", "text/plain")
    ws = open_workspace(workspace_settings(db_url, FEED_URLS=f"{good} {bad}"))
    for source in configured_sources(ws, "feed"):
        sync_source(ws, source)
    [feed] = [c for c in connector_status(ws) if c["connector"] == "feed"]
    shown = {s["source"]: s for s in feed["sources"]}
    assert feed["configured"] and set(shown) == {source_name(good), source_name(bad)}
    assert (
        shown[source_name(good)]["items_read"] == 2 and not shown[source_name(good)]["last_error"]
    )
    assert "not an RSS or Atom feed" in shown[source_name(bad)]["last_error"]
    assert shown[source_name(good)]["estimated_cost"] == 0.0
    ws.engine.dispose()


def test_cli_sync_reads_feeds_and_a_blog_post_about_the_employer_lands_in_the_backlog(
    db_url, server
):
    alerts = server.serve("/alerts", feed_file("google_alerts_atom.xml"))
    forum = server.serve("/forum", feed_file("job_forum_atom10.xml"))
    env = {"DATABASE_URL": db_url, "FEED_URLS": f"{alerts},{forum}"}
    ran = run_cli("sync", "--source", "feed", **env)
    assert ran.returncode == 0, ran.stderr
    assert f"{source_name(alerts)}: 2 read, 2 new, 0 problems, est. $0.00 — ok" in ran.stderr
    assert f"{source_name(forum)}: 3 read, 3 new, 0 problems" in ran.stderr  # undated: read time
    again = run_cli("sync", "--source", "feed", **env)
    assert f"{source_name(alerts)}: 0 read, 0 new, 0 problems" in again.stderr
    ws = open_workspace(workspace_settings(db_url))
    with ws.engine.connect() as conn:
        medium = conn.execute(
            select(posts.c.channel, posts.c.needs_response, posts.c.url).where(
                posts.c.author_handle == "medium.example.com"
            )
        ).one()
        opened = conn.execute(select(cases.c.platform, cases.c.author_handle)).all()
    # A candidate's blog post about the employer is public and analysed like a tweet: it asks
    # for nothing of the brand directly, yet the team should see it.
    assert medium == (
        "public",
        True,
        "https://medium.example.com/@dana/why-i-turned-down-northwind-labs-3f9a",
    )
    assert ("feed", "medium.example.com") in opened and ("feed", "priya_k") in opened
    ws.engine.dispose()


def test_cli_import_of_a_saved_feed_then_again_adds_nothing(db_url, tmp_path):
    path = tmp_path / "alerts.xml"
    path.write_bytes(feed_file("google_alerts_atom.xml"))
    ran = run_cli("import", str(path), "--format", "feed", DATABASE_URL=db_url)
    assert ran.returncode == 0, ran.stderr
    assert "Imported 2 new posts (0 already stored)" in ran.stderr
    again = run_cli("import", str(path), "--format", "feed", DATABASE_URL=db_url)
    assert "Imported 0 new posts (2 already stored)" in again.stderr


def test_cli_import_names_the_entry_problems_and_refuses_a_file_that_is_no_feed(db_url, tmp_path):
    blog = tmp_path / "blog.rss"
    blog.write_bytes(feed_file("candidate_blog_rss20.xml"))
    ran = run_cli("import", str(blog), "--format", "feed", DATABASE_URL=db_url)
    assert (
        "Imported 2 new posts" in ran.stderr and "neither an id nor an http(s) link" in ran.stderr
    )
    page = tmp_path / "page.html"
    page.write_text("<html><body>Sign in to continue</body></html>")
    refused = run_cli("import", str(page), "--format", "feed", DATABASE_URL=db_url)
    assert refused.returncode != 0
    assert "page.html cannot be imported as a feed: not an RSS or Atom feed" in refused.stderr


def test_the_benchmark_s_feed_reads_hand_on_each_entry_once():
    """bench/run.py's feed_reads_per_new_post: 1.00 needs the 304 and the ids in the cursor."""
    from bench.feed_reads_child import measure

    assert measure() == {"read": 600, "stored": 600, "requests": 3, "reads_per_new_post": 1.0}


def test_replying_on_a_feed_says_it_is_read_only_and_where_to_answer(db_url):
    from engagement.senders import sender_for

    settings = workspace_settings(db_url, FEED_URLS="https://blog.example.com/feed")
    with pytest.raises(NotConfiguredError, match="feeds are read-only: answer on the site"):
        sender_for("feed", settings, demo=False)


def test_a_broken_entry_is_reported_once_not_on_every_change_of_its_feed(workspace, server):
    entry = (
        b"<entry><id>tag:forum.example.com,2026:post:empty</id>"
        b"<updated>2026-11-02T08:00:00Z</updated></entry>"
    )
    forum = feed_file("job_forum_atom10.xml").replace(b"</feed>", entry + b"</feed>")
    url = server.serve("/forum", forum)
    first = sync_source(workspace, FeedSource(url))
    server.serve(
        "/forum", forum.replace(b"<updated>2026-11-02T12:00:00Z", b"<updated>2026-11-03T08:00:00Z")
    )
    again = sync_source(workspace, FeedSource(url))
    assert server.requests[1].status == 200  # the feed changed, so it was read again
    assert (first.totals.problems, again.totals.problems) == (1, 0)
    [problem] = table_rows(workspace, sync_errors)
    assert problem["item_id"] == "tag:forum.example.com,2026:post:empty"
    assert problem["reason"].endswith("has neither a title nor a summary")
