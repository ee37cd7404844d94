"""YouTube Data API v3 payloads for tests, shaped like the reference: ``youtube#comment``,
``youtube#commentThread``, ``commentThreadListResponse``, ``commentListResponse`` and the
JSON error body, plus the ``(headers, body)`` pairs ``HttpMockSequence`` replays."""

from __future__ import annotations

import json
from datetime import datetime
from itertools import count
from typing import Any

BRAND_CHANNEL = "UCnorthwindLabs000000001"
VIDEO = "dQw4w9WgXcQ"
PEOPLE = {
    BRAND_CHANNEL: "@NorthwindLabs",
    "UCsamDev000000000000000a": "@sam_dev",
    "UCriaCodes0000000000000b": "@ria_codes",
    "UCjonasK000000000000000c": "@jonas_k",
}
SAM, RIA, JONAS = "UCsamDev000000000000000a", "UCriaCodes0000000000000b", "UCjonasK000000000000000c"
_etags = count(1)


def _etag() -> str:
    return f"etag{next(_etags):023d}"


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def comment(
    comment_id: str,
    author: str,
    text: str,
    at: datetime,
    parent: str | None = None,
    video: str = VIDEO,
) -> dict[str, Any]:
    """One ``youtube#comment`` as ``textFormat=plainText`` returns it to an API-key caller
    (``textOriginal`` only reaches the comment's author, so it is absent)."""
    snippet: dict[str, Any] = {
        "channelId": BRAND_CHANNEL,
        "videoId": video,
        "textDisplay": text,
        "authorDisplayName": PEOPLE[author],
        "authorProfileImageUrl": f"https://yt3.ggpht.com/ytc/{author}=s48-c-k-c0x00ffffff-no-rj",
        "authorChannelUrl": f"http://www.youtube.com/{PEOPLE[author]}",
        "authorChannelId": {"value": author},
        "canRate": True,
        "viewerRating": "none",
        "likeCount": 0,
        "publishedAt": stamp(at),
        "updatedAt": stamp(at),
    }
    if parent:
        snippet["parentId"] = parent
    return {"kind": "youtube#comment", "etag": _etag(), "id": comment_id, "snippet": snippet}


def reply(thread_id: str, suffix: str, author: str, text: str, at: datetime) -> dict[str, Any]:
    """A reply: its id is ``<thread id>.<suffix>`` and its parent the thread's top comment."""
    return comment(f"{thread_id}.{suffix}", author, text, at, parent=thread_id)


def thread(
    top: dict[str, Any],
    replies: list[dict[str, Any]] | None = None,
    total_replies: int | None = None,
) -> dict[str, Any]:
    """A ``youtube#commentThread`` whose id is its top-level comment's id, as on YouTube.

    ``replies`` are the embedded ones; ``total_replies`` may say there are more.
    """
    replies = replies or []
    item: dict[str, Any] = {
        "kind": "youtube#commentThread",
        "etag": _etag(),
        "id": top["id"],
        "snippet": {
            "channelId": BRAND_CHANNEL,
            "videoId": top["snippet"]["videoId"],
            "topLevelComment": top,
            "canReply": True,
            "totalReplyCount": len(replies) if total_replies is None else total_replies,
            "isPublic": True,
        },
    }
    if replies:
        item["replies"] = {"comments": replies}
    return item


def thread_page(threads: list[dict[str, Any]], next_token: str | None = None) -> dict[str, Any]:
    """A ``commentThreadListResponse`` page (threads given newest activity first)."""
    page: dict[str, Any] = {"kind": "youtube#commentThreadListResponse", "etag": _etag()}
    if next_token:
        page["nextPageToken"] = next_token
    page["pageInfo"] = {"totalResults": len(threads), "resultsPerPage": 100}
    page["items"] = threads
    return page


def comment_page(comments: list[dict[str, Any]], next_token: str | None = None) -> dict[str, Any]:
    """A ``commentListResponse`` page, as ``comments.list(parentId=…)`` returns replies."""
    page: dict[str, Any] = {"kind": "youtube#commentListResponse", "etag": _etag()}
    if next_token:
        page["nextPageToken"] = next_token
    page["pageInfo"] = {"totalResults": len(comments), "resultsPerPage": 100}
    page["items"] = comments
    return page


def error_body(
    code: int,
    reason: str,
    message: str,
    domain: str = "youtube.quota",
    details: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Google's JSON error body: ``error.errors[]`` (and ``details[]`` on newer front ends)."""
    error: dict[str, Any] = {
        "code": code,
        "message": message,
        "errors": [{"message": message, "domain": domain, "reason": reason}],
    }
    if details:
        error["details"] = details
    return {"error": error}


QUOTA_EXCEEDED = error_body(
    403,
    "quotaExceeded",
    "The request cannot be completed because you have exceeded your "
    '<a href="/youtube/v3/getting-started#quota">quota</a>.',
)
KEY_INVALID = {
    "error": {
        "code": 400,
        "message": "API key not valid. Please pass a valid API key.",
        "errors": [
            {
                "message": "API key not valid. Please pass a valid API key.",
                "domain": "global",
                "reason": "badRequest",
            }
        ],
        "status": "INVALID_ARGUMENT",
        "details": [
            {
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "API_KEY_INVALID",
                "domain": "googleapis.com",
                "metadata": {"service": "youtube.googleapis.com"},
            }
        ],
    }
}
RATE_LIMITED = error_body(
    403,
    "rateLimitExceeded",
    "The request could not be completed due to rate limiting.",
    domain="usageLimits",
)
BACKEND_ERROR = error_body(503, "backendError", "Backend Error", domain="global")


def ok(body: dict[str, Any]) -> tuple[dict[str, str], str]:
    return {"status": "200", "content-type": "application/json; charset=UTF-8"}, json.dumps(body)


def fail(status: int, body: dict[str, Any], **headers: str) -> tuple[dict[str, str], str]:
    return (
        {"status": str(status), "content-type": "application/json; charset=UTF-8", **headers},
        json.dumps(body),
    )
