"""What people say about the employer: volume, mood, asks, voices and words over a period.

The counting happens in SQL (per day, per intent, per channel, per author); only the words need
texts, and those come as a bounded sample of the most recent posts. The two small pure helpers
at the end (spikes and terms) take those frames and texts and do no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import ColumnElement, Connection, func, select, tuple_

from store.report_frames import Period
from store.schema import posts

SPIKE_SIGMAS = 3.0
SPIKE_WINDOW_DAYS = 7
SPIKE_MIN_POSTS = 5
SPIKE_RULE = (f"A **spike** is a day (UTC) with at least {SPIKE_MIN_POSTS} inbound posts and "
              f"more than the mean of the {SPIKE_WINDOW_DAYS} days before it plus "
              f"{SPIKE_SIGMAS:g} standard deviations.")
TEXT_SAMPLE_DAYS = 30
TEXT_SAMPLE_ROWS = 20_000


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
    keys = (day, posts.c.platform, func.coalesce(posts.c.intent, "(none)"),
            func.coalesce(posts.c.sentiment_label, "neutral"))
    query = (select(*keys, func.count(), func.coalesce(func.sum(posts.c.sentiment), 0.0))
             .where(*_inbound(period, platforms)).group_by(*keys))
    frame = pd.DataFrame(conn.execute(query).all(),
                         columns=["day", "platform", "intent", "label", "posts", "sentiment"])
    frame["day"] = pd.to_datetime(frame["day"])
    frame["sentiment"] = frame["sentiment"].astype(float)
    return frame


def daily_volume(conn: Connection, period: Period, platforms: tuple[str, ...] = ()
                 ) -> pd.DataFrame:
    """Inbound posts per UTC day: posts, negative, neutral, positive, mean_sentiment."""
    return per_day(summary(conn, period, platforms))


def per_day(frame: pd.DataFrame) -> pd.DataFrame:
    """A ``summary`` frame as posts per day with their sentiment labels and mean score."""
    labels = (frame.pivot_table(index="day", columns="label", values="posts", aggfunc="sum")
              .reindex(columns=["negative", "neutral", "positive"]).fillna(0).astype(int))
    totals = frame.groupby("day")[["posts", "sentiment"]].sum()
    daily = totals.join(labels, how="left").reset_index()
    daily["mean_sentiment"] = daily["sentiment"] / daily["posts"]
    return daily[["day", "posts", "negative", "neutral", "positive", "mean_sentiment"]]


def counts_by(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Posts per intent or per channel, most first."""
    grouped = frame.groupby(column, as_index=False)["posts"].sum()
    return grouped.sort_values(["posts", column], ascending=[False, True], ignore_index=True)


def top_authors(conn: Connection, period: Period, platforms: tuple[str, ...] = (),
                limit: int = 15) -> pd.DataFrame:
    """The inbound voices with the largest audience, with how much and how they wrote.

    Two steps so the database never groups every author: the posts with the highest reach
    name the authors, then only their posts are counted (through ix_posts_author).
    """
    where = [*_inbound(period, platforms), posts.c.author_reach.is_not(None)]
    loudest = conn.execute(select(posts.c.platform, posts.c.author_id).where(*where)
                           .order_by(posts.c.author_reach.desc()).limit(limit * 50)).all()
    authors = list(dict.fromkeys(map(tuple, loudest)))[:limit]
    columns = ["platform", "author", "reach", "posts", "asks", "mean_sentiment"]
    if not authors:
        return pd.DataFrame(columns=columns)
    reach = func.max(posts.c.author_reach)
    query = (select(posts.c.platform, func.max(posts.c.author_handle), reach, func.count(),
                    func.count().filter(posts.c.needs_response.is_(True)),
                    func.avg(posts.c.sentiment))
             .where(*where, tuple_(posts.c.platform, posts.c.author_id).in_(authors))
             .group_by(posts.c.platform, posts.c.author_id)
             .order_by(reach.desc(), func.count().desc()))
    frame = pd.DataFrame(conn.execute(query).all(), columns=columns)
    frame["mean_sentiment"] = frame["mean_sentiment"].astype(float)
    return frame


def recent_texts(conn: Connection, period: Period, platforms: tuple[str, ...] = (),
                 days: int = TEXT_SAMPLE_DAYS, limit: int = TEXT_SAMPLE_ROWS) -> list[str]:
    """The newest inbound texts of the period's last ``days`` days, at most ``limit``."""
    end = period.until or datetime.now(UTC)
    since = end - timedelta(days=days)
    if period.since is not None:
        since = max(since, period.since)
    query = (select(posts.c.text).where(*_inbound(Period(since, period.until), platforms))
             .order_by(posts.c.created_at.desc()).limit(limit))
    return list(conn.execute(query).scalars())


def mark_spikes(daily: pd.DataFrame, since: datetime | None = None) -> pd.DataFrame:
    """Fill missing days with 0 and flag each day above its trailing mean + 3σ (SPIKE_RULE).

    ``daily`` should start ``SPIKE_WINDOW_DAYS`` before ``since`` so the first shown day has a
    full window; rows before ``since`` are dropped from the result.
    """
    columns = ["day", "posts", "baseline", "threshold", "spike"]
    if daily.empty:
        return pd.DataFrame(columns=columns)
    series = daily.set_index("day")["posts"].astype(float)
    series = series.reindex(pd.date_range(series.index.min(), series.index.max(), freq="D"),
                            fill_value=0.0)
    trailing = series.shift(1).rolling(SPIKE_WINDOW_DAYS, min_periods=SPIKE_WINDOW_DAYS)
    baseline, sigma = trailing.mean(), trailing.std(ddof=0)
    threshold = baseline + SPIKE_SIGMAS * sigma
    spike = (series > threshold) & (series >= SPIKE_MIN_POSTS) & threshold.notna()
    frame = pd.DataFrame({"day": series.index, "posts": series.astype(int).values,
                          "baseline": baseline.values, "threshold": threshold.values,
                          "spike": spike.values})
    if since is not None:
        frame = frame[frame["day"] >= pd.Timestamp(since.date())]
    return frame.reset_index(drop=True)


_STOP_TEXT = """
a about above after again against all also am an and any are aren as at be because been before
being below between both but by can cannot could did didn do does doesn doing don down during each
few for from further get got had has have having he her here hers him his how i if in into is isn
it its itself just let like me more most my no nor not now of off on once only or other our ours
out over own really same she should so some still such than that the their theirs them then there
these they this those through to too under until up very via was wasn we were what when where
which while who whom why will with won would you your yours yourself yet one two three amp
http https www com rt im ive dont cant thats youre weve theyre ill id
dear regards kind best thanks thank hello hi hey cheers please sincerely greetings team
de het een en van ik je jullie niet voor met op dat die is zijn te er maar nog al wel ook
der die das und ich sie wir nicht mit auf ein eine ist zu es von
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"[@#]\w+")
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*", re.UNICODE)


def tokens(text: str, ignore: frozenset[str] = frozenset()) -> list[str]:
    """Lower-case words of 3+ letters, without links, @handles, #tags and stop words."""
    text = _MENTION.sub(" ", _URL.sub(" ", text.lower()))
    words = (w.replace("’", "'") for w in _WORD.findall(text))
    return [w for w in words if len(w) >= 3 and w not in STOP_WORDS and w not in ignore]


def top_terms(texts: Iterable[str], limit: int = 20,
              ignore: frozenset[str] = frozenset()) -> pd.DataFrame:
    """The words and two-word phrases found in most posts (each counts once per post)."""
    words: Counter[str] = Counter()
    phrases: Counter[str] = Counter()
    for text in texts:
        found = tokens(text, ignore)
        words.update(set(found))
        phrases.update({f"{a} {b}" for a, b in zip(found, found[1:], strict=False)})
    rows = [("word", term, n) for term, n in words.most_common(limit)]
    rows += [("phrase", term, n) for term, n in phrases.most_common(limit) if n > 1]
    return pd.DataFrame(rows, columns=["kind", "term", "posts"])
