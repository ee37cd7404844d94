"""Which weeks of a chart are whole, and how a figure moved against the period before.

A week the period covers only in part (the period starts on a Sunday) or that is still running
holds a few cases, most of them still inside their SLA window: drawn like a whole week its rate
jumps to 33 % or 70 % and reads as news. The Response rates page draws such weeks apart and says
why; its tiles compare each figure with the same number of days just before the period.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd

from store.report_frames import Period

WEEK = timedelta(days=7)


def previous_period(period: Period) -> Period | None:
    """As many days just before ``period``, same channels and assignee (None when open)."""
    if period.since is None or period.until is None:
        return None
    return replace(period, since=period.since - (period.until - period.since), until=period.since)


def week_days_covered(monday: str, period: Period, now: datetime) -> float:
    """Days of the week starting ``monday`` (ISO date) inside the period and already past."""
    start = datetime.combine(date.fromisoformat(monday), time(), UTC)
    end = min(start + WEEK, period.until or now, now)
    start = max(start, period.since or start)
    return max((end - start) / timedelta(days=1), 0.0)


def mark_weeks(weeks: pd.DataFrame, period: Period, now: datetime) -> pd.DataFrame:
    """``weeks`` (the report's rows by week) with ``days``, ``whole`` and ``settled`` columns:
    a week is whole when all its 7 days are inside the period and past."""
    if weeks.empty:
        return weeks.assign(days=[], whole=[], settled=[])
    days = [week_days_covered(key, period, now) for key in weeks["key"]]
    return weeks.assign(
        days=days,
        whole=[d >= 7 for d in days],
        settled=weeks["needs_response"] - weeks["pending"],
    )


def outcomes(weeks: pd.DataFrame) -> dict[str, pd.Series]:
    """Cases per week by where they stand: answered in time, answered late, not answered
    (closed unanswered or overdue), and pending (unanswered, still inside the SLA window)."""
    late = weeks["answered"] - weeks["sla_met"]
    unanswered = weeks["needs_response"] - weeks["answered"] - weeks["pending"]
    return {
        "Answered within SLA": weeks["sla_met"],
        "Answered late": late,
        "Not answered": unanswered,
        "Pending (inside SLA)": weeks["pending"],
    }


def change(now: float | int | None, before: float | int | None, unit: str) -> str | None:
    """The tile's delta text: points for rates, hours for times, one decimal for a ratio, a
    count otherwise; None when
    either side has nothing to measure."""
    if now is None or before is None:
        return None
    if unit == "rate":
        return f"{(now - before) * 100:+.0f} pts"
    if unit == "hours":
        return f"{now - before:+.1f} h"
    if unit == "ratio":
        return f"{now - before:+.1f}"
    return f"{int(now) - int(before):+d}"
