"""What people say about the employer: volume, mood, asks, voices and words over a period.

The counting happens in SQL (per day, per intent, per channel, per author); only the words need
texts, and those come as a bounded sample of the most recent posts. ``analysis.listening`` turns
these into spikes, shares and terms.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
from sqlalchemy import ColumnElement, Connection, func, select, tuple_

from analysis.listening import per_day
from store.report_frames import Period
from store.schema import posts

TEXT_SAMPLE_DAYS = 30
TEXT_SAMPLE_ROWS = 20_000
DAY_POSTS_ROWS = 200  # a day's posts shown at once: a spike day can hold thousands
DAY_POST_COLUMNS = [
    "id",
    "case_id",
    "created_at",
    "platform",
    "author_handle",
    "text",
    "needs_response",
    "sentiment",
    "url",
]


def _day(conn: Connection, column: ColumnElement) -> ColumnElement:
    """The UTC calendar day of a timestamp as 'YYYY-MM-DD' on both backends."""
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.date(column)


def _inbound(period: Period, platforms: tuple[str, ...]) -> list[ColumnElement[bool]]:
    clauses = [posts.c.is_brand.is_(False), *period.where(posts.c.created_at)]
    if platforms:
        clauses.append(posts.c.platform.in_(platforms))
    return clauses


def summary(conn: Connection, period: Period, platforms: tuple[str, ...] = ()) -> pd.DataFrame:
    """Inbound posts counted per UTC day, channel, intent and sentiment label: one scan.

    Every chart of the page is a sum over this small frame (days × channels × intents × 3).
    """
    day = _day(conn, posts.c.created_at).label("day")
    keys = (
        day,
        posts.c.platform,
        func.coalesce(posts.c.intent, "(none)"),
        func.coalesce(posts.c.sentiment_label, "neutral"),
    )
    query = (
        select(*keys, func.count(), func.coalesce(func.sum(posts.c.sentiment), 0.0))
        .where(*_inbound(period, platforms))
        .group_by(*keys)
    )
    frame = pd.DataFrame(
        conn.execute(query).all(),
        columns=["day", "platform", "intent", "label", "posts", "sentiment"],
    )
    frame["day"] = pd.to_datetime(frame["day"])
    frame["sentiment"] = frame["sentiment"].astype(float)
    return frame


def daily_volume(conn: Connection, period: Period, platforms: tuple[str, ...] = ()) -> pd.DataFrame:
    """Inbound posts per UTC day: posts, negative, neutral, positive, mean_sentiment."""
    return per_day(summary(conn, period, platforms))


def top_authors(
    conn: Connection, period: Period, platforms: tuple[str, ...] = (), limit: int = 15
) -> pd.DataFrame:
    """The inbound voices with the largest audience, with how much and how they wrote.

    Two steps so the database never groups every author: the posts with the highest reach
    name the authors, then only their posts are counted (through ix_posts_author).
    """
    where = [*_inbound(period, platforms), posts.c.author_reach.is_not(None)]
    loudest = conn.execute(
        select(posts.c.platform, posts.c.author_id)
        .where(*where)
        .order_by(posts.c.author_reach.desc())
        .limit(limit * 50)
    ).all()
    authors = list(dict.fromkeys(map(tuple, loudest)))[:limit]
    columns = ["platform", "author", "reach", "posts", "asks", "mean_sentiment"]
    if not authors:
        return pd.DataFrame(columns=columns)
    reach = func.max(posts.c.author_reach)
    query = (
        select(
            posts.c.platform,
            func.max(posts.c.author_handle),
            reach,
            func.count(),
            func.count().filter(posts.c.needs_response.is_(True)),
            func.avg(posts.c.sentiment),
        )
        .where(*where, tuple_(posts.c.platform, posts.c.author_id).in_(authors))
        .group_by(posts.c.platform, posts.c.author_id)
        .order_by(reach.desc(), func.count().desc())
    )
    frame = pd.DataFrame(conn.execute(query).all(), columns=columns)
    frame["mean_sentiment"] = frame["mean_sentiment"].astype(float)
    return frame


def recent_texts(
    conn: Connection,
    period: Period,
    platforms: tuple[str, ...] = (),
    days: int = TEXT_SAMPLE_DAYS,
    limit: int = TEXT_SAMPLE_ROWS,
) -> list[str]:
    """The newest inbound texts of the period's last ``days`` days, at most ``limit``."""
    end = period.until or datetime.now(UTC)
    since = end - timedelta(days=days)
    if period.since is not None:
        since = max(since, period.since)
    query = (
        select(posts.c.text)
        .where(*_inbound(Period(since, period.until), platforms))
        .order_by(posts.c.created_at.desc())
        .limit(limit)
    )
    return list(conn.execute(query).scalars())


def _on_day(period: Period, day: date) -> Period:
    """``period`` narrowed to one UTC calendar day (the chart's days are UTC days)."""
    start = datetime.combine(day, time(), UTC)
    end = start + timedelta(days=1)
    since = start if period.since is None else max(start, period.since)
    until = end if period.until is None else min(end, period.until)
    return Period(since, until, period.platforms, period.assignee)


def day_posts(
    conn: Connection,
    day: date,
    period: Period,
    platforms: tuple[str, ...] = (),
    limit: int = DAY_POSTS_ROWS,
) -> tuple[pd.DataFrame, int]:
    """The inbound posts of one UTC day that the volume chart counts for it (same period and
    channels), oldest first and at most ``limit``, with how many there are in all.

    A spike is only a number until its posts can be read: this is the list behind one bar.
    """
    where = _inbound(_on_day(period, day), platforms)
    total = conn.execute(select(func.count()).select_from(posts).where(*where)).scalar_one()
    query = (
        select(*(posts.c[name] for name in DAY_POST_COLUMNS))
        .where(*where)
        .order_by(posts.c.created_at, posts.c.id)
        .limit(limit)
    )
    frame = pd.DataFrame(conn.execute(query).all(), columns=DAY_POST_COLUMNS)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    return frame, int(total)
