"""The team's corrections to the needs-response decision, as training rows.

Two kinds of evidence: a person's correction (``label`` events: "no answer needed", "add to the
backlog"), and the brand's own reply to a post the text rules passed over (posts whose reason is
"answered by the brand"). Each becomes one row in the corpus's format (``corpus/GUIDE.md``), so
``corpus/train.py --corrections`` can retrain on a workspace's own material.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from store.schema import events, posts
from store.upsert import chunked

ANSWERED_BY_BRAND = "answered by the brand"


def _row(post: dict[str, Any], needs: bool, source: str) -> dict[str, Any]:
    return {
        "id": f"ws-{post['platform']}-{post['external_id']}",
        "source": source,
        "split": "train",
        "platform": post["platform"],
        "channel": post["channel"],
        "is_brand": False,
        "automated": bool(post["is_auto_reply"]),
        "lang": post["lang"] or "en",
        "text": post["text"],
        "needs_response": needs,
        "intent": post["intent"] if needs else None,
        "sentiment_label": None,
        "promise_hours": None,
    }


def _posts(conn: Connection, ids: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    columns = (
        posts.c.id,
        posts.c.platform,
        posts.c.external_id,
        posts.c.channel,
        posts.c.is_auto_reply,
        posts.c.lang,
        posts.c.text,
        posts.c.intent,
        posts.c.is_brand,
    )
    for chunk in chunked(ids):
        found.update(
            {
                row.id: dict(row._mapping)
                for row in conn.execute(select(*columns).where(posts.c.id.in_(chunk)))
            }
        )
    return found


def training_rows(conn: Connection, answered: bool = True) -> list[dict[str, Any]]:
    """Every correction as a corpus row; the latest word on a post wins. With ``answered``,
    also the posts the brand answered although the text rules did not flag them."""
    decided: dict[int, bool] = {}
    for detail in conn.execute(
        select(events.c.detail).where(events.c.action == "label").order_by(events.c.at, events.c.id)
    ).scalars():
        if isinstance(detail, dict):
            for post_id in detail.get("posts") or []:
                decided[int(post_id)] = detail.get("label") == "needs_answer"
    rows = [
        _row(post, decided[post_id], "workspace-correction")
        for post_id, post in sorted(_posts(conn, list(decided)).items())
        if not post["is_brand"]
    ]
    if answered:
        for row in conn.execute(
            select(posts.c.id).where(posts.c.reason == ANSWERED_BY_BRAND).order_by(posts.c.id)
        ).scalars():
            if row not in decided:
                post = _posts(conn, [row])[row]
                rows.append(_row(post, True, "workspace-answered"))
    return rows
