"""X API v2 pages for tests, shaped like the reference: data, includes.users, meta."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from connectors.retry import RetryPolicy
from connectors.x import SNOWFLAKE_EPOCH_MS
from connectors.x_api import XTimeline, make_client

USERS = {
    "100": {
        "id": "100",
        "username": "NorthwindLabs",
        "name": "Northwind Labs",
        "public_metrics": {"followers_count": 12000},
    },
    "201": {
        "id": "201",
        "username": "sam_dev",
        "name": "Sam",
        "public_metrics": {"followers_count": 340},
    },
    "202": {
        "id": "202",
        "username": "ria_codes",
        "name": "Ria",
        "public_metrics": {"followers_count": 80},
    },
}


def snowflake(at: datetime, sequence: int = 0) -> str:
    return str((int(at.timestamp() * 1000) - SNOWFLAKE_EPOCH_MS) << 22 | sequence)


def tweet(
    tweet_id: str,
    author: str,
    text: str,
    at: datetime,
    conversation: str | None = None,
    replied_to: str | None = None,
) -> dict:
    item = {
        "id": tweet_id,
        "author_id": author,
        "text": text,
        "created_at": at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "conversation_id": conversation or tweet_id,
        "lang": "en",
        "edit_history_tweet_ids": [tweet_id],
        "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 1, "quote_count": 0},
    }
    if replied_to:
        item["referenced_tweets"] = [{"type": "replied_to", "id": replied_to}]
        item["in_reply_to_user_id"] = "100"
    return item


def page(tweets: list[dict], next_token: str | None = None) -> dict:
    """One response page, newest first, with every author expanded."""
    ordered = sorted(tweets, key=lambda t: int(t["id"]), reverse=True)
    meta = {"result_count": len(ordered)}
    if ordered:
        meta.update(newest_id=ordered[0]["id"], oldest_id=ordered[-1]["id"])
    if next_token:
        meta["next_token"] = next_token
    users = [USERS[a] for a in sorted({t["author_id"] for t in ordered})]
    body = {"meta": meta}
    if ordered:
        body.update(data=ordered, includes={"users": users})
    return body


SEARCH_URL = "https://api.twitter.com/2/tweets/search/recent"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def dummy_client():
    """A tweepy client with dummy credentials (the HTTP boundary is faked)."""
    return make_client(
        "test-bearer",
        consumer_key="ck",
        consumer_secret="cs",
        access_token="at",
        access_token_secret="ats",
    )


def thread_pages() -> list[dict]:
    """A question, its chase and the brand's answer, and another question: two pages,
    newest first, as the search API serves them."""
    question = tweet(
        snowflake(START), "201", "@NorthwindLabs is the Berlin role open to remote?", START
    )
    chase = tweet(
        snowflake(START + timedelta(hours=3)),
        "201",
        "Any update on this?",
        START + timedelta(hours=3),
        conversation=question["id"],
        replied_to=question["id"],
    )
    answer = tweet(
        snowflake(START + timedelta(hours=5)),
        "100",
        "@sam_dev Yes, hybrid or remote within the EU!",
        START + timedelta(hours=5),
        conversation=question["id"],
        replied_to=chase["id"],
    )
    other = tweet(
        snowflake(START + timedelta(hours=1)),
        "202",
        "How long does Northwind take to reply to applications?",
        START + timedelta(hours=1),
    )
    return [page([answer, chase], next_token="p2"), page([other, question])]


def search_timeline(retry: RetryPolicy | None = None) -> XTimeline:
    """The brand-query search source, over the test client, without real waits."""
    return XTimeline(
        "x:search",
        "search",
        '"Northwind" careers',
        dummy_client(),
        retry or RetryPolicy(sleep=lambda s: None),
    )
