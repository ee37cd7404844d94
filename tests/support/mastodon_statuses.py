"""Hand-written Mastodon statuses, accounts and notifications in the exact JSON shape a Mastodon
4.x server sends (modelled on the recordings in Mastodon.py's test cassettes; see
tests/data/README.md). Tests and the fake server build their payloads from these."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

INSTANCE = "northwind.social"
BASE = f"https://{INSTANCE}"
BRAND_ID, BRAND_USER = "109440137734600341", "careers"
FIRST_ID = 109440142472665266
START = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


def status_id(n: int) -> str:
    """The n-th status id: Mastodon ids are decimal snowflakes, later ones larger."""
    return str(FIRST_ID + n * 65536)


def stamp(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"


def account(account_id: str, username: str, domain: str | None = None, **extra: Any) -> dict:
    """An ``Account``; ``domain`` None means local to the instance (``acct`` is the bare name)."""
    host = domain or INSTANCE
    return {
        "id": account_id,
        "username": username,
        "acct": username if domain is None else f"{username}@{domain}",
        "display_name": extra.pop("display_name", username.replace("_", " ").title()),
        "locked": False,
        "bot": False,
        "discoverable": True,
        "group": False,
        "created_at": "2022-12-01T00:00:00.000Z",
        "note": "<p>Software engineer</p>",
        "url": f"https://{host}/@{username}",
        "avatar": f"https://{host}/system/accounts/avatars/original/missing.png",
        "avatar_static": f"https://{host}/system/accounts/avatars/original/missing.png",
        "header": f"https://{host}/headers/original/missing.png",
        "header_static": f"https://{host}/headers/original/missing.png",
        "followers_count": extra.pop("followers_count", 12),
        "following_count": 40,
        "statuses_count": 3,
        "last_status_at": "2026-10-01",
        "noindex": False,
        "emojis": [],
        "fields": [],
        **extra,
    }


BRAND = account(BRAND_ID, BRAND_USER, display_name="Northwind Labs Careers", followers_count=900)


def mention_of(who: dict) -> dict:
    return {"id": who["id"], "username": who["username"], "url": who["url"], "acct": who["acct"]}


def mention_html(who: dict) -> str:
    return (
        f'<span class="h-card" translate="no"><a href="{who["url"]}" class="u-url mention">'
        f"@<span>{who['username']}</span></a></span>"
    )


def status(
    n: int,
    author: dict,
    content: str,
    *,
    minutes: int = 0,
    parent: dict | None = None,
    mentions: tuple[dict, ...] = (),
    visibility: str = "public",
    language: str | None = "en",
    tags: tuple[str, ...] = ("northwindjobs",),
) -> dict:
    """A ``Status``; ``content`` is the HTML inside ``<p>``; a reply mentions its parent's
    author first, as Mastodon's composer writes it."""
    sid = status_id(n)
    at = START + timedelta(minutes=minutes)
    people = [m for m in mentions if parent is None or m["id"] != parent["account"]["id"]]
    if parent is not None and parent["account"]["id"] != author["id"]:
        people.insert(0, parent["account"])
    prefix = " ".join(mention_html(p) for p in people)
    html = f"<p>{prefix + ' ' if prefix else ''}{content}</p>"
    host = author["url"].split("/")[2]
    return {
        "id": sid,
        "created_at": stamp(at),
        "in_reply_to_id": parent["id"] if parent else None,
        "in_reply_to_account_id": parent["account"]["id"] if parent else None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": visibility,
        "language": language,
        "uri": f"https://{host}/users/{author['username']}/statuses/{sid}",
        "url": f"https://{host}/@{author['username']}/{sid}",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 0,
        "edited_at": None,
        "favourited": False,
        "reblogged": False,
        "muted": False,
        "bookmarked": False,
        "pinned": False,
        "content": html,
        "filtered": [],
        "reblog": None,
        "application": {"name": "Web", "website": None},
        "account": author,
        "media_attachments": [],
        "mentions": [mention_of(p) for p in people],
        "tags": [{"name": tag, "url": f"{BASE}/tags/{tag}"} for tag in tags],
        "emojis": [],
        "card": None,
        "poll": None,
    }


def notification(n: int, item: dict, kind: str = "mention") -> dict:
    """A ``Notification`` carrying ``item`` (its id is a notification id, not the status's)."""
    return {
        "id": str(30000 + n),
        "type": kind,
        "created_at": item["created_at"],
        "group_key": f"ungrouped-{30000 + n}",
        "account": item["account"],
        "status": item,
    }


def candidate(n: int, domain: str | None = "mastodon.example") -> dict:
    return account(str(200000 + n), f"candidate{n}", domain)


def conversation(count: int, brand: dict = BRAND) -> list[dict]:
    """``count`` statuses on #NorthwindJobs: questions, every third answered by the brand an
    hour later (ids grow with time, as Mastodon's do)."""
    statuses: list[dict] = []
    index = 0
    while len(statuses) < count:
        who = candidate(index % 50)
        question = status(
            70 * index,
            who,
            f'Is the role {index} at <a href="{BASE}/tags/northwindjobs" class="mention hashtag" '
            f'rel="tag">#<span>NorthwindJobs</span></a> open to remote workers?',
            minutes=7 * index,
            mentions=(brand,),
        )
        statuses.append(question)
        if index % 3 == 0 and len(statuses) < count:
            statuses.append(
                status(
                    70 * index + 601,
                    brand,
                    "yes, remote within the EU is fine!",
                    minutes=7 * index + 60,
                    parent=question,
                )
            )
        index += 1
    return statuses
