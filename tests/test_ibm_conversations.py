"""525 real customer-care conversations from X, imported as twarc2 pages, give the right report.

The IBM set (``../shared/fixtures/conversations/ibm_customer_care_dev.json``) holds each
conversation as a reply chain: customer tweets (``client``), other people joining in
(``client1``), the company's own turns (``agent``) and, last, the company's answer
(``agentURL``), whose time is read from its snowflake id. We turn it into the X API v2 pages
``twarc2`` writes (newest first, as the API serves them, so answers are stored before their
questions), import them through the real import path, and compare the report with a count made
here, from the README's definitions, without any of the project's case or report code. Only the
one bit "do its words need a response" comes from ``analysis.text`` -- it is the input of the
definitions, not what is under test. Every post the company answered needs a response whatever
its words, so every answered conversation is an answered case.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from analysis.text import analyse_text
from connectors.files import import_batches
from pipeline.reports import workspace_report
from store.accounts import add_account
from store.schema import cases, posts
from tests.conftest import ROOT

FIXTURE = Path("fixtures/conversations/ibm_customer_care_dev.json")
SNOWFLAKE_EPOCH_MS = 1288834974657
PAGE_SIZE = 100


@dataclass(frozen=True)
class Tweet:
    """One post of the set, with the reply it continues (the previous turn of its chain)."""

    id: str
    handle: str
    at: datetime
    text: str
    parent: str | None
    root: str
    is_brand: bool


def _snowflake_time(tweet_id: str) -> datetime:
    return datetime.fromtimestamp(((int(tweet_id) >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, tz=UTC)


def _iso(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _turns(conversation: dict) -> list[tuple[str, str, datetime, str, bool]]:
    """(id, handle, time, text, is_brand) per turn, the company's final answer last."""
    turns = []
    for message in conversation["dialogContent"]:
        brand = "agent" in message
        handle = message.get("agent") or message.get("client") or message["client1"]
        turns.append(
            (message["tweet_ID"], handle, _iso(message["datetime"]), message["message"], brand)
        )
    answer = conversation["agentURL"]
    turns.append(
        (
            answer["tweet_ID"],
            conversation["dialogHeader"]["company"],
            _snowflake_time(answer["tweet_ID"]),
            answer["url_utterance"],
            True,
        )
    )
    return turns


def load_tweets(path: Path) -> dict[str, Tweet]:
    """Every distinct post of the set; a post shared by two conversations must agree."""
    tweets: dict[str, Tweet] = {}
    for conversation in json.loads(path.read_text(encoding="utf-8")):
        turns = _turns(conversation)
        root, parent = turns[0][0], None
        for tweet_id, handle, at, text, brand in turns:
            tweet = Tweet(tweet_id, handle, at, text, parent, root, brand)
            assert tweets.setdefault(tweet_id, tweet) == tweet, f"{tweet_id} differs"
            parent = tweet_id
    return tweets


def company_handles(path: Path) -> list[str]:
    return sorted(
        {c["dialogHeader"]["company"] for c in json.loads(path.read_text(encoding="utf-8"))}
    )


def user_ids(tweets: dict[str, Tweet]) -> dict[str, str]:
    """A stable numeric user id per handle (the set has handles only; X ids are numbers)."""
    handles = sorted({t.handle.lower() for t in tweets.values()})
    return {handle: str(10_000 + number) for number, handle in enumerate(handles)}


def _v2_tweet(tweet: Tweet, ids: dict[str, str]) -> dict:
    item = {
        "id": tweet.id,
        "text": tweet.text,
        "author_id": ids[tweet.handle.lower()],
        "created_at": tweet.at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "conversation_id": tweet.root,
        "edit_history_tweet_ids": [tweet.id],
    }
    if tweet.parent:
        item["referenced_tweets"] = [{"type": "replied_to", "id": tweet.parent}]
    return item


def twarc2_pages(tweets: dict[str, Tweet], ids: dict[str, str]) -> list[dict]:
    """X API v2 search pages, newest first, each with its authors expanded and a meta block."""
    ordered = sorted(tweets.values(), key=lambda t: int(t.id), reverse=True)
    pages = []
    for start in range(0, len(ordered), PAGE_SIZE):
        chunk = ordered[start : start + PAGE_SIZE]
        handles = {t.handle.lower(): t.handle for t in chunk}
        users = [
            {"id": ids[key], "username": handles[key], "name": handles[key]}
            for key in sorted(handles)
        ]
        meta = {"result_count": len(chunk), "newest_id": chunk[0].id, "oldest_id": chunk[-1].id}
        if start + PAGE_SIZE < len(ordered):
            meta["next_token"] = f"page{start // PAGE_SIZE + 1}"
        pages.append(
            {"data": [_v2_tweet(t, ids) for t in chunk], "includes": {"users": users}, "meta": meta}
        )
    return pages


def channel(tweet: Tweet, tweets: dict[str, Tweet], companies: list[str]) -> str:
    """Addressed when it replies to a company post or @mentions a company; public otherwise."""
    parent = tweets.get(tweet.parent or "")
    if parent is not None and parent.is_brand:
        return "addressed"
    mentioned = {m.lower() for m in re.findall(r"@(\w+)", tweet.text)}
    return "addressed" if mentioned & {c.lower() for c in companies} else "public"


def answered_by_company(tweets: dict[str, Tweet]) -> set[str]:
    """The customer posts a later company post replies to."""
    return {
        t.parent
        for t in tweets.values()
        if t.is_brand and t.parent and not tweets[t.parent].is_brand and tweets[t.parent].at <= t.at
    }


def expected_figures(tweets: dict[str, Tweet], companies: list[str]) -> dict:
    """The README's definitions, applied in time order with no project code but the text bit.

    A post needs a response when the company answered it or its words ask for one (on the
    channel it came on). A case is a run of needs-response posts by one author before the
    company answers; the company answers when one of its posts replies to a post of the run;
    first response time is that answer's time minus the run's first post time, in calendar
    hours.
    """
    answered = answered_by_company(tweets)
    open_case: dict[str, dict] = {}
    case_of_post: dict[str, dict] = {}
    cases: list[dict] = []
    for tweet in sorted(tweets.values(), key=lambda t: (t.at, int(t.id))):
        if tweet.is_brand:
            case = case_of_post.get(tweet.parent or "")
            if case is not None and case["answered_at"] is None:
                case["answered_at"] = tweet.at
                open_case.pop(case["author"], None)
            continue
        if (
            tweet.id not in answered
            and not analyse_text(
                tweet.text, False, None, channel(tweet, tweets, companies)
            ).needs_response
        ):
            continue
        author = tweet.handle.lower()
        case = open_case.get(author)
        if case is None:
            case = {"author": author, "first_at": tweet.at, "answered_at": None}
            open_case[author] = case
            cases.append(case)
        case_of_post[tweet.id] = case
    hours = [
        (c["answered_at"] - c["first_at"]).total_seconds() / 3600
        for c in cases
        if c["answered_at"] is not None
    ]
    return {
        "cases": len(cases),
        "answered": len(hours),
        "median": float(np.percentile(hours, 50)),
        "p90": float(np.percentile(hours, 90)),
    }


@pytest.fixture(scope="module")
def ibm(shared) -> dict:
    """The set as posts, user ids, company handles and the independently computed figures."""
    path = shared / FIXTURE
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    tweets = load_tweets(path)
    expected = expected_figures(tweets, company_handles(path))
    print(
        f"\nIBM customer care, independent count: {expected['cases']} cases, "
        f"{expected['answered']} answered, first response median "
        f"{expected['median']:.2f} h, p90 {expected['p90']:.2f} h"
    )
    return {
        "tweets": tweets,
        "ids": user_ids(tweets),
        "companies": company_handles(path),
        "expected": expected,
        "path": path,
    }


def _write_jsonl(path: Path, pages: list[dict]) -> Path:
    path.write_text("".join(json.dumps(page) + "\n" for page in pages), encoding="utf-8")
    return path


def _assert_matches(overall: dict, expected: dict) -> None:
    assert overall["needs_response"] == expected["cases"]
    assert overall["answered"] == expected["answered"]
    hours = overall["first_response_hours"]
    assert hours["median"] == pytest.approx(expected["median"], abs=0.005 + 1e-9)
    assert hours["p90"] == pytest.approx(expected["p90"], abs=0.005 + 1e-9)


def test_the_set_is_a_plausible_customer_care_sample(ibm):
    """Guards the independent count itself: hundreds of cases, most answered, within days."""
    expected, tweets = ibm["expected"], ibm["tweets"]
    assert len(tweets) > 1100
    assert 100 < expected["cases"] < 600
    assert expected["answered"] > 0.8 * expected["cases"]
    assert 0 < expected["median"] < expected["p90"] < 24 * 14


def test_imported_twarc2_pages_give_the_independently_counted_report(workspace, ibm, tmp_path):
    ids = ibm["ids"]
    with workspace.engine.begin() as conn:
        for handle in ibm["companies"]:
            add_account(conn, "x", handle, ids[handle.lower()])
    path = _write_jsonl(tmp_path / "ibm.jsonl", twarc2_pages(ibm["tweets"], ids))
    totals = workspace.ingest().run(import_batches(path, "twarc2"))
    assert totals.new_posts == len(ibm["tweets"]) and totals.problems == 0
    with workspace.engine.connect() as conn:
        overall = workspace_report(conn)["overall"]
    print(
        f"\n{workspace.engine.dialect.name}: report {overall['needs_response']} cases, "
        f"{overall['answered']} answered, median {overall['first_response_hours']['median']}"
        f" h, p90 {overall['first_response_hours']['p90']} h"
    )
    _assert_matches(overall, ibm["expected"])
    assert overall["inbound"] == sum(not t.is_brand for t in ibm["tweets"].values())
    _assert_every_answered_conversation_is_an_answered_case(workspace, ibm)


def _assert_every_answered_conversation_is_an_answered_case(workspace, ibm) -> None:
    """Each conversation's final company answer replies to a customer post; that post is in a
    case, answered no later than that answer. (Two of the 525 conversations share their final
    answer, so 524 answers are checked.)"""
    tweets = ibm["tweets"]
    conversations = json.loads(ibm["path"].read_text(encoding="utf-8"))
    finals = {tweets[c["agentURL"]["tweet_ID"]] for c in conversations}
    assert len(finals) == 524 and all(not tweets[t.parent].is_brand for t in finals)
    with workspace.engine.connect() as conn:
        rows = conn.execute(
            select(posts.c.external_id, cases.c.first_response_at)
            .join(cases, cases.c.id == posts.c.case_id)
            .where(posts.c.external_id.in_([t.parent for t in finals]))
        )
        answered_at = {row.external_id: row.first_response_at for row in rows}
    unanswered = [
        t.parent
        for t in finals
        if answered_at.get(t.parent) is None or answered_at[t.parent] > t.at
    ]
    assert unanswered == []


def _cli(*args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "FULLCIRCLE_HOLIDAYS": "NL"}
    result = subprocess.run(
        [sys.executable, "cli.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.slow
def test_cli_import_and_report_json_agree_with_the_independent_count(ibm, tmp_path):
    """The user's path: `brand add`, `import --format twarc2`, `report --json` (SQLite file)."""
    url = f"sqlite:///{tmp_path / 'ibm.db'}"
    _cli("brand", "add", "x", *ibm["companies"], url=url)
    path = _write_jsonl(tmp_path / "ibm.jsonl", twarc2_pages(ibm["tweets"], ibm["ids"]))
    _cli("import", str(path), "--format", "twarc2", url=url)
    report = json.loads(_cli("report", "--json", url=url).stdout)
    _assert_matches(report["overall"], ibm["expected"])
    again = _cli("import", str(path), "--format", "twarc2", url=url)
    assert "Imported 0 new posts" in again.stderr
    assert json.loads(_cli("report", "--json", url=url).stdout)["overall"] == report["overall"]
