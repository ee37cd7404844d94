"""The response-rate report: one code path for the CLI and the dashboard.

Managers ask "are we answering, how fast, on which channel, which promises did we break?".
Every figure is either a count per group or a quantile of answered cases' hours, so the report
is built from two things: count frames per group key, and the hours of answered cases.
``report_from_counts`` turns those into plain, JSON-ready numbers; the store counts in SQL
(``store.report_frames``), and ``build_report`` counts the same from row frames with the rules
below, row by row. The overall figures and the per-group figures go through the same
aggregation (counts add up over groups; quantiles and ghosted authors are taken over all rows),
so they cannot disagree.

Definitions, per group of cases and at the instant ``now``:

- **inbound**: inbound posts in the period (counted by the store).
- **needs_response**: number of cases.
- **answered**: cases with ``first_response_at`` set.
- **pending**: unanswered, ``status != "closed"`` and ``due_at > now`` -- the SLA window is
  still open, so the case is not a failure yet.
- **settled**: ``needs_response - pending``.
- **response_rate**: ``answered / settled``.
- **sla_met_rate**: cases answered with ``first_response_at <= due_at``, divided by ``settled``.
- **overdue**: unanswered, ``status != "closed"`` and ``due_at <= now``.
- **first_response_hours** / **first_response_business_hours**: median and p90 (linear
  interpolation, numpy's default) over answered cases only; never the mean alone, because a few
  very late answers would hide how most people are treated.
- **broken_promises**: promises with ``due_at <= now`` and ``kept_at`` missing or later than
  ``due_at``.
- **ghosted**: distinct ``author_key`` whose latest case (by ``opened_at``; ties go to the later
  row, in the store the higher case id) is unanswered and past due (``due_at <= now``), where
  none of that author's unanswered cases was touched. Within a group only that group's cases
  count.
- **conversation_ratio**: brand ``replies / broadcasts``.

Rates are None when their denominator is 0, medians are None without answered cases. Hours are
rounded to 2 decimals and rates to 4; every value is a plain Python type.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import pandas as pd

from analysis.cases import CaseStatus
from analysis.dimensions import DIMENSIONS

__all__ = ["DIMENSIONS", "METRIC_NAMES", "build_report", "report_from_counts", "summarise"]

METRIC_NAMES = (
    "inbound",
    "needs_response",
    "answered",
    "pending",
    "sla_met",
    "response_rate",
    "first_response_hours",
    "first_response_business_hours",
    "sla_met_rate",
    "overdue",
    "broken_promises",
    "ghosted",
    "conversation_ratio",
)

_CASE_COLUMNS = (
    "key",
    "author_key",
    "opened_at",
    "due_at",
    "first_response_at",
    "response_hours",
    "response_business_hours",
    "status",
    "touched",
)
_PROMISE_COLUMNS = ("key", "due_at", "kept_at")
_COUNT_COLUMNS = (
    "inbound",
    "needs_response",
    "answered",
    "pending",
    "sla_met",
    "overdue",
    "broken_promises",
    "ghosted",
    "replies",
    "broadcasts",
)
_HOUR_COLUMNS = {
    "first_response_hours": "response_hours",
    "first_response_business_hours": "response_business_hours",
}
_ALL = "(all)"


def build_report(
    inbound: pd.DataFrame,
    cases: pd.DataFrame,
    promises: pd.DataFrame,
    brand: pd.DataFrame,
    now: datetime,
    by: str | None = None,
) -> dict:
    """The report from row frames: one row per case and per promise, counts of posts.

    ``{"overall": metrics}`` plus, when ``by`` names a dimension, ``"groups"`` sorted by key;
    without ``by`` every ``key`` column is ignored.
    """
    _check_dimension(by)
    now_ts = _utc_now(now)
    key = ("key",) if by is not None else ()
    inbound = _with_columns(inbound, (*key, "inbound"), "inbound")
    brand = _with_columns(brand, (*key, "replies", "broadcasts"), "brand")
    cases = _with_columns(cases, _CASE_COLUMNS[1:], "cases")
    promises = _with_columns(promises, _PROMISE_COLUMNS[1:], "promises")
    if by is None:
        inbound, brand, cases, promises = (
            frame.assign(key=_ALL) for frame in (inbound, brand, cases, promises)
        )
    cases = _prepare_cases(_with_columns(cases, _CASE_COLUMNS, "cases"), now_ts)
    promises = _with_columns(promises, _PROMISE_COLUMNS, "promises")
    parts = [
        inbound[["key", "inbound"]],
        brand[["key", "replies", "broadcasts"]],
        cases[["key", "needs_response", "answered", "pending", "sla_met", "overdue"]],
        _broken_promises(promises, now_ts),
        _ghosted(cases),
    ]
    answered = cases.loc[cases["answered"], ["key", *_HOUR_COLUMNS.values()]]
    return report_from_counts(parts, answered, by, ghosted=_ghosted_overall(cases))


def summarise(
    inbound_count: int,
    cases: pd.DataFrame,
    promises: pd.DataFrame,
    replies: int,
    broadcasts: int,
    now: datetime,
) -> dict:
    """One metrics object over all the rows given, ignoring any ``key`` column."""
    inbound = pd.DataFrame({"inbound": [int(inbound_count)]})
    brand = pd.DataFrame({"replies": [int(replies)], "broadcasts": [int(broadcasts)]})
    return build_report(inbound, cases, promises, brand, now)["overall"]


def report_from_counts(
    counts: Iterable[pd.DataFrame],
    hours: pd.DataFrame,
    by: str | None = None,
    ghosted: int | None = None,
) -> dict:
    """The report from counts per group and the hours of every answered case.

    Each frame of ``counts`` has a ``key`` column and some of the columns ``inbound``,
    ``replies``, ``broadcasts``, ``needs_response``, ``answered``, ``pending``, ``sla_met``,
    ``overdue``, ``broken_promises`` and ``ghosted`` (absent ones are 0). ``hours`` has ``key``,
    ``response_hours`` and ``response_business_hours``, one row per answered case. A key in any
    frame is a group; groups are sorted by key. Counts add up over groups, except ghosted
    authors (one author can be ghosted in two groups): ``ghosted`` is the overall figure,
    required with ``by``.
    """
    _check_dimension(by)
    if by is not None and ghosted is None:
        raise ValueError("with groups, the overall ghosted count must be given")
    table = _metrics_table(list(counts), hours)
    overall = table[list(_COUNT_COLUMNS)].sum()
    if ghosted is not None:
        overall["ghosted"] = ghosted
    everything = _hour_quantiles(hours.assign(key=_ALL))
    if not everything.empty:
        overall = pd.concat([overall, everything.loc[_ALL]])
    report: dict[str, Any] = {"overall": _metrics(overall)}
    if by is not None:
        report["groups"] = [{"key": key, **_metrics(row)} for key, row in table.iterrows()]
    return report


def _check_dimension(by: str | None) -> None:
    if by is not None and by not in DIMENSIONS:
        raise ValueError(f"cannot group by {by!r}; choose one of {', '.join(DIMENSIONS)}")


def _metrics_table(counts: list[pd.DataFrame], hours: pd.DataFrame) -> pd.DataFrame:
    """Raw counts and hour quantiles per key, one row per key seen in any frame, sorted."""
    parts = [frame.groupby(_keys(frame, "counts")).sum(numeric_only=True) for frame in counts]
    hours = _with_columns(hours, ("key", *_HOUR_COLUMNS.values()), "hours")
    parts.append(_hour_quantiles(hours))
    table = pd.concat(parts, axis=1).sort_index()
    table = table.reindex(
        columns=[*table.columns, *(c for c in _COUNT_COLUMNS if c not in table.columns)]
    )
    counts_only = list(_COUNT_COLUMNS)
    table[counts_only] = table[counts_only].fillna(0).astype("int64")
    return table


def _with_columns(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> pd.DataFrame:
    """Check the store's contract; an empty frame may come without columns (nothing to count)."""
    missing = [c for c in columns if c not in frame.columns]
    if not missing:
        return frame
    if frame.empty:
        return frame.reindex(columns=[*frame.columns, *missing])
    raise ValueError(f"{name} frame lacks columns: {', '.join(missing)}")


def _keys(frame: pd.DataFrame, name: str) -> pd.Series:
    """Group values as strings, so "(none)" and real values sort together predictably."""
    if "key" not in frame.columns:
        raise ValueError(f"{name} frame lacks column: key")
    return frame["key"].fillna("(none)").astype(str).rename("key")


def _utc_now(now: datetime) -> pd.Timestamp:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"now must be time-zone aware (UTC), got naive {now!r}")
    return pd.Timestamp(now).tz_convert("UTC")


def _utc(column: pd.Series, name: str) -> pd.Series:
    """A UTC datetime column; naive datetimes are refused rather than guessed."""
    if isinstance(column.dtype, pd.DatetimeTZDtype):
        return column.dt.tz_convert("UTC")
    if column.dtype.kind == "M":
        raise ValueError(f"{name} must be time-zone aware (UTC), got naive datetimes")
    return pd.to_datetime(column, utc=True)


def _prepare_cases(cases: pd.DataFrame, now: pd.Timestamp) -> pd.DataFrame:
    """Per-case flags, computed once for every row so grouping is a plain sum."""
    due = _utc(cases["due_at"], "cases.due_at")
    first = _utc(cases["first_response_at"], "cases.first_response_at")
    answered = first.notna()
    live = cases["status"] != CaseStatus.CLOSED
    past_due = due <= now
    return pd.DataFrame(
        {
            "key": _keys(cases, "cases"),
            "author_key": cases["author_key"],
            "opened_at": _utc(cases["opened_at"], "cases.opened_at"),
            "needs_response": 1,
            "answered": answered,
            "pending": ~answered & live & (due > now),
            "sla_met": answered & (first <= due),
            "overdue": ~answered & live & past_due,
            "late_unanswered": ~answered & past_due,
            "touched_unanswered": ~answered & cases["touched"].fillna(False).astype(bool),
            "response_hours": _hours(cases["response_hours"], answered),
            "response_business_hours": _hours(cases["response_business_hours"], answered),
        },
        index=cases.index,
    )


def _hours(column: pd.Series, answered: pd.Series) -> pd.Series:
    """Hours of answered cases only; NaN elsewhere so quantiles skip them."""
    return pd.to_numeric(column).astype("float64").where(answered)


def _broken_promises(promises: pd.DataFrame, now: pd.Timestamp) -> pd.DataFrame:
    due = _utc(promises["due_at"], "promises.due_at")
    kept = _utc(promises["kept_at"], "promises.kept_at")
    broken = (due <= now) & (kept.isna() | (kept > due))
    keys = _keys(promises, "promises")
    return broken.groupby(keys).sum().rename("broken_promises").reset_index()


def _ghosted(cases: pd.DataFrame) -> pd.DataFrame:
    """Authors per key whose latest case is late and unanswered and nobody touched them."""
    per_author = _latest_first(cases).groupby(["key", "author_key"], sort=False, dropna=False)
    ghosted = _ghosted_authors(per_author).groupby(level="key").sum()
    return ghosted.rename("ghosted").reset_index()


def _ghosted_overall(cases: pd.DataFrame) -> int:
    """The same over every key at once: an author counts once, by all their cases."""
    per_author = _latest_first(cases).groupby("author_key", sort=False, dropna=False)
    return int(_ghosted_authors(per_author).sum())


def _latest_first(cases: pd.DataFrame) -> pd.DataFrame:
    columns = ["key", "author_key", "opened_at", "late_unanswered", "touched_unanswered"]
    return cases[columns].sort_values("opened_at", kind="stable")


def _ghosted_authors(per_author) -> pd.Series:
    """True per author group whose latest case is late and unanswered and none touched."""
    return per_author["late_unanswered"].last() & ~per_author["touched_unanswered"].max()


def _hour_quantiles(hours: pd.DataFrame) -> pd.DataFrame:
    """Median and p90 per key of both hour columns (linear interpolation, as numpy)."""
    values = hours[list(_HOUR_COLUMNS.values())].astype("float64")
    grouped = values.groupby(_keys(hours, "hours"))
    median = grouped.quantile(0.5).add_prefix("median|")
    return pd.concat([median, grouped.quantile(0.9).add_prefix("p90|")], axis=1)


def _metrics(row: pd.Series) -> dict:
    """The public metrics object from one table row: exactly METRIC_NAMES, plain types."""
    settled = int(row["needs_response"]) - int(row["pending"])
    return {
        "inbound": int(row["inbound"]),
        "needs_response": int(row["needs_response"]),
        "answered": int(row["answered"]),
        "pending": int(row["pending"]),
        "sla_met": int(row["sla_met"]),
        "response_rate": _rate(row["answered"], settled),
        **{name: _quantiles(row, column) for name, column in _HOUR_COLUMNS.items()},
        "sla_met_rate": _rate(row["sla_met"], settled),
        "overdue": int(row["overdue"]),
        "broken_promises": int(row["broken_promises"]),
        "ghosted": int(row["ghosted"]),
        "conversation_ratio": _rate(row["replies"], int(row["broadcasts"])),
    }


def _quantiles(row: pd.Series, column: str) -> dict:
    return {
        "median": _round(row.get(f"median|{column}"), 2),
        "p90": _round(row.get(f"p90|{column}"), 2),
    }


def _rate(numerator, denominator: int) -> float | None:
    if denominator == 0:
        return None
    return round(float(numerator) / denominator, 4)


def _round(value, digits: int) -> float | None:
    if value is None or pd.isna(value) or not math.isfinite(float(value)):
        return None
    return round(float(value), digits)
