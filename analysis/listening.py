"""What people say about the employer, from counts and texts already read: spikes, shares, words.

Pure pandas over the frames ``store.listening`` counts in SQL; no I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime

import pandas as pd

SPIKE_SIGMAS = 3.0


SPIKE_WINDOW_DAYS = 7


SPIKE_MIN_POSTS = 5


SPIKE_RULE = (
    f"A **spike** is a day (UTC) with at least {SPIKE_MIN_POSTS} inbound posts and "
    f"more than the mean of the {SPIKE_WINDOW_DAYS} days before it plus "
    f"{SPIKE_SIGMAS:g} standard deviations."
)


def per_day(frame: pd.DataFrame) -> pd.DataFrame:
    """A ``summary`` frame as posts per day with their sentiment labels and mean score."""
    labels = (
        frame.pivot_table(index="day", columns="label", values="posts", aggfunc="sum")
        .reindex(columns=["negative", "neutral", "positive"])
        .fillna(0)
        .astype(int)
    )
    totals = frame.groupby("day")[["posts", "sentiment"]].sum()
    daily = totals.join(labels, how="left").reset_index()
    daily["mean_sentiment"] = daily["sentiment"] / daily["posts"]
    return daily[["day", "posts", "negative", "neutral", "positive", "mean_sentiment"]]


def counts_by(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """Posts per intent or per channel, most first."""
    grouped = frame.groupby(column, as_index=False)["posts"].sum()
    return grouped.sort_values(["posts", column], ascending=[False, True], ignore_index=True)


def mark_spikes(daily: pd.DataFrame, since: datetime | None = None) -> pd.DataFrame:
    """Fill missing days with 0 and flag each day above its trailing mean + 3σ (SPIKE_RULE).

    ``daily`` should start ``SPIKE_WINDOW_DAYS`` before ``since`` so the first shown day has a
    full window; rows before ``since`` are dropped from the result.
    """
    columns = ["day", "posts", "baseline", "threshold", "spike"]
    if daily.empty:
        return pd.DataFrame(columns=columns)
    series = daily.set_index("day")["posts"].astype(float)
    series = series.reindex(
        pd.date_range(series.index.min(), series.index.max(), freq="D"), fill_value=0.0
    )
    trailing = series.shift(1).rolling(SPIKE_WINDOW_DAYS, min_periods=SPIKE_WINDOW_DAYS)
    baseline, sigma = trailing.mean(), trailing.std(ddof=0)
    threshold = baseline + SPIKE_SIGMAS * sigma
    spike = (series > threshold) & (series >= SPIKE_MIN_POSTS) & threshold.notna()
    frame = pd.DataFrame(
        {
            "day": series.index,
            "posts": series.astype(int).values,
            "baseline": baseline.values,
            "threshold": threshold.values,
            "spike": spike.values,
        }
    )
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


def top_terms(
    texts: Iterable[str], limit: int = 20, ignore: frozenset[str] = frozenset()
) -> pd.DataFrame:
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
