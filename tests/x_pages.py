"""X API v2 pages for tests, shaped like the reference: data, includes.users, meta."""

from __future__ import annotations

from datetime import datetime

from connectors.x import SNOWFLAKE_EPOCH_MS

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
