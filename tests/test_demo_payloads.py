"""The demo generator: deterministic, exact, streaming, and faithful to each platform's format.

These tests read the payloads directly (not through the connectors), so a mapping bug and a
generator bug can never hide each other.
"""

from __future__ import annotations

import collections
import email
import email.policy
import itertools
import json
import re
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from demo import payloads as demo_payloads
from demo.cast import BRAND_CHANNEL, amsterdam_offset, make_person
from demo.payloads import (
    BRAND_ACCOUNTS,
    EPOCH_MS,
    MailSpec,
    build_message,
    day_quotas,
    fast_bytes,
    generate,
)
from demo.words import PHRASES

END = datetime(2026, 11, 1, tzinfo=UTC)
BRAND_X_IDS = {a.external_user_id for a in BRAND_ACCOUNTS if a.platform == "x"}
RESERVED = re.compile(r"@(example\.(com|org|net)|[a-z0-9.-]+\.example)>?$")


@pytest.fixture(scope="module")
def workspace() -> list:
    return list(generate(posts=3000, seed=7, end=END))


def _of(payloads, kind):
    return [p.payload for p in payloads if p.kind == kind]


def _reddit_things(thread: list) -> list[dict]:
    """Submission and every comment of a saved thread, depth first."""

    def walk(children):
        for child in children:
            yield child["data"]
            if child["data"]["replies"]:
                yield from walk(child["data"]["replies"]["data"]["children"])

    submission = thread[0]["data"]["children"][0]["data"]
    return [submission, *walk(thread[1]["data"]["children"])]


def _youtube_comments(page: dict) -> list[dict]:
    return [
        c
        for item in page["items"]
        for c in [item["snippet"]["topLevelComment"], *item.get("replies", {}).get("comments", [])]
    ]


def _timeline(payloads) -> list[tuple[str, datetime]]:
    """(platform, created_at) of every post in the workspace, read from the raw payloads."""
    out = []
    for payload in payloads:
        if payload.kind == "x_page":
            out += [("x", _iso(t["created_at"])) for t in payload.payload["data"]]
        elif payload.kind == "reddit_thread":
            out += [
                ("reddit", datetime.fromtimestamp(thing["created_utc"], UTC))
                for thing in _reddit_things(payload.payload)
            ]
        elif payload.kind == "mastodon_page":
            out += [("mastodon", _iso(status["created_at"])) for status in payload.payload]
        elif payload.kind == "bluesky_page":
            out += [("bluesky", _iso(v["record"]["createdAt"])) for v in payload.payload["posts"]]
        elif payload.kind == "youtube_page":
            out += [
                ("youtube", _iso(c["snippet"]["publishedAt"]))
                for c in _youtube_comments(payload.payload)
            ]
        elif payload.kind == "feed_document":
            out += [("feed", when) for when in _feed_times(payload.payload)]
        elif payload.kind == "hn_search":
            out += [("hn", _iso(h["created_at"])) for h in payload.payload["hits"]]
        else:
            message = email.message_from_bytes(payload.payload, policy=email.policy.default)
            out.append(("email", parsedate_to_datetime(str(message["Date"]))))
    return out


def _feed_times(document: bytes) -> list[datetime]:
    """The entry times of a demo feed, read from its XML (RSS pubDate or Atom published)."""
    root = ElementTree.fromstring(document)
    atom = "{http://www.w3.org/2005/Atom}"
    if root.tag == f"{atom}feed":
        return [_iso(e.findtext(f"{atom}published")) for e in root.iter(f"{atom}entry")]
    return [parsedate_to_datetime(i.findtext("pubDate")) for i in root.iter("item")]


def _iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _serialise(payloads) -> list[bytes]:
    return [
        p.payload
        if isinstance(p.payload, bytes)
        else json.dumps(p.payload, sort_keys=True).encode()
        for p in payloads
    ]


def _messages(payloads):
    return [
        email.message_from_bytes(b, policy=email.policy.default) for b in _of(payloads, "email")
    ]


# -------------------------------------------------------------------- determinism and budget


def test_the_same_arguments_give_byte_identical_payloads(workspace):
    assert _serialise(generate(posts=3000, seed=7, end=END)) == _serialise(workspace)
    assert _serialise(generate(posts=3000, seed=8, end=END)) != _serialise(workspace)


def test_end_defaults_to_today_at_midnight_utc():
    today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    assert _serialise(generate(posts=200)) == _serialise(generate(posts=200, end=today))


@pytest.mark.parametrize("posts", [0, 1, 1237, 3000])
def test_the_post_count_is_exact(posts, workspace):
    payloads = workspace if posts == 3000 else list(generate(posts=posts, end=END))
    assert len(_timeline(payloads)) == posts


def test_the_mix_follows_the_platform_shares(workspace):
    counts = collections.Counter(platform for platform, _ in _timeline(workspace))
    for platform, share in demo_payloads.SHARES.items():
        assert abs(counts[platform] / 3000 - share) < 0.03, counts


@pytest.mark.parametrize(
    "end, days", [(END, 90), (datetime(2026, 3, 29, 14, 30, 15, 500_000, tzinfo=UTC), 30)]
)
def test_every_post_falls_in_the_window(end, days):
    stamps = [when for _, when in _timeline(generate(posts=1500, end=end, days=days))]
    assert min(stamps) >= end - timedelta(days=days) and max(stamps) < end


def test_day_quotas_sum_exactly_and_keep_a_weekly_rhythm():
    import random

    start = int((END - timedelta(days=91)).timestamp())  # a Friday
    quotas = day_quotas(100_000, start, 91, random.Random(1))
    assert sum(quotas) == 100_000
    weekday = [q for d, q in enumerate(quotas) if (start // 86400 + d + 3) % 7 < 5]
    weekend = [q for d, q in enumerate(quotas) if (start // 86400 + d + 3) % 7 >= 5]
    assert sum(weekday) / len(weekday) > 1.5 * sum(weekend) / len(weekend)


def test_generation_streams_instead_of_building_the_workspace():
    started = time.perf_counter()
    first = list(itertools.islice(generate(posts=1_000_000, end=END), 5))
    assert len(first) == 5 and time.perf_counter() - started < 2.0


# ------------------------------------------------------------------------------------------ X


def test_x_pages_look_like_recent_search_responses(workspace):
    for page in _of(workspace, "x_page"):
        ids = [int(t["id"]) for t in page["data"]]
        assert 0 < len(ids) <= 100 and ids == sorted(ids, reverse=True)
        assert page["meta"]["result_count"] == len(ids)
        assert (page["meta"]["newest_id"], page["meta"]["oldest_id"]) == (str(ids[0]), str(ids[-1]))
        assert {t["lang"] for t in page["data"]} <= {"en", "nl", "de"}
        assert all(len(t["text"]) <= 280 for t in page["data"])
    pages = _of(workspace, "x_page")
    assert all("next_token" in p["meta"] for p in pages[:-1])
    assert "next_token" not in pages[-1]["meta"]


def test_snowflake_ids_decode_to_created_at(workspace):
    for page in _of(workspace, "x_page"):
        for tweet in page["data"]:
            ms = (int(tweet["id"]) >> 22) + EPOCH_MS
            assert ms == _iso(tweet["created_at"]).timestamp() * 1000
            assert tweet["created_at"].endswith(".000Z")


def test_every_x_author_is_expanded_in_its_page(workspace):
    for page in _of(workspace, "x_page"):
        users = {u["id"]: u for u in page["includes"]["users"]}
        assert {t["author_id"] for t in page["data"]} == set(users)
        assert all({"username", "name", "public_metrics"} <= set(u) for u in users.values())


def test_x_replies_stay_in_their_conversation(workspace):
    for page in _of(workspace, "x_page"):
        by_id = {t["id"]: t for t in page["data"]}
        for tweet in page["data"]:
            if "referenced_tweets" not in tweet:
                assert tweet["conversation_id"] == tweet["id"]
                continue
            parent = by_id[tweet["referenced_tweets"][0]["id"]]
            assert tweet["referenced_tweets"][0]["type"] == "replied_to"
            assert tweet["in_reply_to_user_id"] == parent["author_id"]
            assert tweet["conversation_id"] == parent["conversation_id"]
            assert int(tweet["id"]) > int(parent["id"])


def test_x_holds_brand_replies_broadcasts_and_careers_posts(workspace):
    tweets = [t for p in _of(workspace, "x_page") for t in p["data"]]
    brand = [t for t in tweets if t["author_id"] in BRAND_X_IDS]
    assert sum("referenced_tweets" in t for t in brand) > 100
    assert sum("referenced_tweets" not in t for t in brand) > 20
    careers = next(a.external_user_id for a in BRAND_ACCOUNTS if a.handle == "NorthwindCareers")
    assert any(t["author_id"] == careers for t in brand)


def test_dutch_and_german_posts_are_labelled(workspace):
    tweets = [t for p in _of(workspace, "x_page") for t in p["data"]]
    langs = collections.Counter(t["lang"] for t in tweets)
    assert 0.04 < langs["nl"] / len(tweets) < 0.14 and 0.04 < langs["de"] / len(tweets) < 0.12
    dutch_chases = set(PHRASES["chase1"]["nl"] + PHRASES["chase2"]["nl"])
    assert any(t["lang"] == "nl" and t["text"].split(" ", 1)[-1] in dutch_chases for t in tweets)


def test_some_candidates_chase_in_their_own_thread(workspace):
    chases = 0
    for page in _of(workspace, "x_page"):
        by_id = {t["id"]: t for t in page["data"]}
        for tweet in page["data"]:
            ref = tweet.get("referenced_tweets")
            if ref and by_id[ref[0]["id"]]["author_id"] == tweet["author_id"] not in BRAND_X_IDS:
                chases += 1
    assert chases > 20


# ------------------------------------------------------------------------------------- Reddit


def test_reddit_threads_are_saved_comment_listings(workspace):
    for thread in _of(workspace, "reddit_thread"):
        assert [listing["kind"] for listing in thread] == ["Listing", "Listing"]
        things = _reddit_things(thread)
        submission = things[0]
        assert submission["name"] == f"t3_{submission['id']}"
        assert submission["permalink"].startswith(
            f"/r/{submission['subreddit']}/comments/{submission['id']}/"
        )
        assert submission["num_comments"] == len(things) - 1
        seen = {submission["name"]: submission["created_utc"]}
        for comment in things[1:]:
            assert comment["name"] == f"t1_{comment['id']}"
            assert comment["link_id"] == submission["name"]
            assert comment["parent_id"] in seen
            assert comment["created_utc"] > seen[comment["parent_id"]]
            assert comment["author_fullname"].startswith("t2_")
            seen[comment["name"]] = comment["created_utc"]


def test_reddit_brand_comments_come_from_the_hr_account(workspace):
    authors = collections.Counter(
        thing["author"]
        for thread in _of(workspace, "reddit_thread")
        for thing in _reddit_things(thread)[1:]
    )
    assert authors["NorthwindLabs_HR"] > 10


# ------------------------------------------------------------------------------------ YouTube


def test_youtube_pages_are_comment_thread_lists(workspace):
    pages = _of(workspace, "youtube_page")
    for page in pages:
        assert page["kind"] == "youtube#commentThreadListResponse"
        assert page["pageInfo"]["totalResults"] == len(page["items"]) <= 20
        for item in page["items"]:
            top = item["snippet"]["topLevelComment"]
            replies = item.get("replies", {}).get("comments", [])
            assert item["id"] == top["id"] and item["snippet"]["totalReplyCount"] == len(replies)
            assert top["snippet"]["authorChannelId"]["value"].startswith("UC")
            assert "parentId" not in top["snippet"]
            for reply in replies:
                assert reply["snippet"]["parentId"] == item["id"]
                assert reply["id"].startswith(item["id"] + ".")
                assert reply["snippet"]["publishedAt"] > top["snippet"]["publishedAt"]
    assert all("nextPageToken" in p for p in pages[:-1]) and "nextPageToken" not in pages[-1]


def test_youtube_brand_replies_come_from_the_brand_channel(workspace):
    assert len(BRAND_CHANNEL) == 24
    brand = [
        c
        for page in _of(workspace, "youtube_page")
        for c in _youtube_comments(page)
        if c["snippet"]["authorChannelId"]["value"] == BRAND_CHANNEL
    ]
    assert len(brand) > 10 and all("parentId" in c["snippet"] for c in brand)


# -------------------------------------------------------------------------------- Hacker News


def test_hn_responses_are_algolia_answers_mapped_into_story_threads(workspace):
    from connectors.hn import posts_from_search
    from demo.hn_payloads import BRAND_HN_USER

    responses = _of(workspace, "hn_search")
    hits = [hit for response in responses for hit in response["hits"]]
    assert len(hits) > 50 and all(r["nbPages"] == 1 and r["page"] == 0 for r in responses)
    assert all(
        [h["created_at_i"] for h in r["hits"]]
        == sorted((h["created_at_i"] for h in r["hits"]), reverse=True)
        for r in responses
    )
    by_id = {h["objectID"]: h for h in hits}
    comments = [h for h in hits if "comment" in h["_tags"]]
    assert comments and all(str(h["parent_id"]) in by_id for h in comments)
    assert all("story" in by_id[str(h["story_id"])]["_tags"] for h in comments)
    brand = [h for h in comments if h["author"] == BRAND_HN_USER]
    assert len(brand) > 5
    mapped = [p for r in responses for p in posts_from_search(r, "demo:hn")[0]]
    assert len(mapped) == len(hits)
    assert {p.thread_key for p in mapped if p.author_handle == BRAND_HN_USER} <= {
        str(h["story_id"]) for h in brand
    }


# ------------------------------------------------------------------------------------- e-mail


def test_mails_parse_and_replies_point_to_earlier_messages(workspace):
    seen: dict[str, datetime] = {}
    replies = 0
    for message in _messages(workspace):
        when = parsedate_to_datetime(str(message["Date"]))
        own = str(message["Message-ID"])
        assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", own) and own not in seen
        if message["In-Reply-To"]:
            replies += 1
            parent = str(message["In-Reply-To"])
            assert parent in seen and seen[parent] < when
            assert str(message["References"]).split()[-1] == parent
            assert str(message["Subject"]).startswith(
                ("Re: ", "Automatic reply: ", "Thank you for applying")
            )
        seen[own] = when
        assert message.get_body(preferencelist=("plain", "html")) is not None
    assert replies > 200


def test_mail_addresses_use_reserved_domains_only(workspace):
    for message in _messages(workspace):
        for field in ("From", "To"):
            assert RESERVED.search(str(message[field])), message[field]


def test_applications_get_the_automatic_two_week_promise(workspace):
    automatic = [
        m
        for m in _messages(workspace)
        if m["Auto-Submitted"] == "auto-replied"
        and "no-reply@northwindlabs.example" in str(m["From"])
    ]
    assert len(automatic) > 30
    assert all(
        "get back to you within two weeks" in m.get_body(("plain",)).get_content()
        for m in automatic
    )


def test_mails_come_as_plain_text_alternative_and_html_only(workspace):
    types = collections.Counter(m.get_content_type() for m in _messages(workspace))
    assert types["text/plain"] > types["multipart/alternative"] > types["text/html"] > 0


def test_brand_mails_are_signed_by_a_recruiter(workspace):
    brand = [m for m in _messages(workspace) if "careers@northwindlabs.example" in str(m["From"])]
    assert brand and all(
        "Talent Acquisition, Northwind Labs" in m.get_body(("plain", "html")).get_content()
        for m in brand
    )


def test_conversations_move_from_x_to_mail_with_the_handle(workspace):
    handles = {u["username"] for p in _of(workspace, "x_page") for u in p["includes"]["users"]}
    bodies = [m.get_body(("plain", "html")).get_content() for m in _messages(workspace)]
    signed = [h for body in bodies for h in re.findall(r"\(@(\w+) on X\)", body)]
    asked = [
        t
        for p in _of(workspace, "x_page")
        for t in p["data"]
        if "e-mail careers@northwindlabs.example" in t["text"]
    ]
    assert asked and signed and set(signed) <= handles


def test_the_fast_mail_writer_matches_email_message_byte_for_byte(monkeypatch, workspace):
    """The speed-up may never change a byte: render everything again the slow way."""
    monkeypatch.setattr(demo_payloads, "fast_bytes", lambda spec: None)
    slow = _of(generate(posts=3000, seed=7, end=END), "email")
    assert slow == _of(workspace, "email")


@pytest.mark.parametrize(
    "sender, subject, fmt",
    [
        ("Jörg Müller <joerg.mueller@example.com>", "Bewerbung als backend engineer", "plain"),
        ("Anna de Vries <anna.devries@example.org>", "Re: " + "very long subject " * 8, "alt"),
        ("Olga Brandt <olga.brandt@hirefast.example>", "Top Python talent", "html"),
    ],
)
def test_fast_writer_edge_cases_match_email_message(sender, subject, fmt):
    spec = MailSpec(
        sender,
        "Northwind Labs Careers <careers@northwindlabs.example>",
        subject,
        datetime(2026, 10, 5, 9, 30, tzinfo=UTC),
        "<a1@mail.example.com>",
        "<a0@northwindlabs.example>",
        (
            "<a00000000000000000000@mail.example.com>",
            "<b1111111111111111111111@northwindlabs.example>",
            "<a0@northwindlabs.example>",
        ),
        False,
        "Hallo,\n\nGrüße aus Berlin.\n",
        "<p>Grüße</p>\n",
        fmt,
        "000000000000abcdef012345",
    )
    fast = fast_bytes(spec)
    assert fast is not None and fast == build_message(spec).as_bytes()


# --------------------------------------------------------------------------------- the story


def test_brand_x_replies_mostly_fall_in_amsterdam_office_hours(workspace):
    try:
        zone = ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:
        pytest.skip("no time-zone database on this machine")
    replies = [
        _iso(t["created_at"]).astimezone(zone)
        for p in _of(workspace, "x_page")
        for t in p["data"]
        if t["author_id"] in BRAND_X_IDS and "referenced_tweets" in t
    ]
    inside = [r for r in replies if r.weekday() < 5 and 9 <= r.hour < 17]
    assert len(inside) / len(replies) > 0.75


def test_the_offset_rule_agrees_with_the_time_zone_database():
    try:
        zone = ZoneInfo("Europe/Amsterdam")
    except ZoneInfoNotFoundError:
        pytest.skip("no time-zone database on this machine")
    for t in range(1_700_000_000, 1_830_000_000, 3_607):
        assert amsterdam_offset(t) == datetime.fromtimestamp(t, zone).utcoffset().seconds


def test_the_newest_days_hold_unanswered_questions(workspace):
    """The backlog is live: recent inbound tweets with no brand reply yet."""
    tweets = [t for p in _of(workspace, "x_page") for t in p["data"]]
    answered = {
        t["referenced_tweets"][0]["id"]
        for t in tweets
        if t["author_id"] in BRAND_X_IDS and "referenced_tweets" in t
    }
    recent = [
        t
        for t in tweets
        if _iso(t["created_at"]) > END - timedelta(days=3)
        and t["author_id"] not in BRAND_X_IDS
        and "?" in t["text"]
    ]
    assert sum(t["id"] not in answered for t in recent) >= 5


def test_promises_with_deadlines_are_made(workspace):
    texts = [t["text"] for p in _of(workspace, "x_page") for t in p["data"]]
    texts += [m.get_body(("plain", "html")).get_content() for m in _messages(workspace)]
    for promise in ("DM you tomorrow", "within 5 working days", "within two weeks"):
        assert any(promise in text for text in texts), promise


def test_recurring_authors_write_many_times(workspace):
    authors = collections.Counter(
        t["author_id"]
        for p in _of(workspace, "x_page")
        for t in p["data"]
        if t["author_id"] not in BRAND_X_IDS
    )
    assert authors.most_common(1)[0][1] >= 8
    reach = [
        u["public_metrics"]["followers_count"]
        for p in _of(workspace, "x_page")
        for u in p["includes"]["users"]
    ]
    assert max(reach) > 50_000


def test_the_cast_has_unique_platform_shaped_identities():
    """People are derived from a number; no two may share a mailbox, handle or account."""
    people = [make_person(i, 12_345) for i in range(0, 400_000, 53)]
    for field in ("email", "handle", "reddit", "uid", "rid", "ucid"):
        assert len({getattr(p, field) for p in people}) == len(people), field
    assert all(re.fullmatch(r"\w{1,15}", p.handle) for p in people)
    assert all(re.fullmatch(r"UC[\w-]{22}", p.ucid) for p in people)
    assert all(RESERVED.search(p.email) for p in people)
