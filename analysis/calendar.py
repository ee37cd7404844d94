"""The workspace's working calendar: business hours and working days.

Response times are reported in business hours because "answered in 20 hours" means something
different when a post arrives on Friday at 16:00 than on Tuesday at 09:00. One calendar per
workspace (time zone, working days, opening hours, holidays) makes every figure comparable.

Rules that all functions share:

- All inputs are time-zone-aware datetimes; naive ones raise ``ValueError`` because guessing the
  zone silently shifts every response time. Results are UTC.
- A working interval is ``[day_start, day_end)`` in local wall-clock time on every local date
  whose weekday is in ``workdays`` and that is not in ``holidays``. Both ends are converted to UTC
  with :mod:`zoneinfo`, so durations are real elapsed time: on a day when a DST change falls
  inside the opening hours, that day is an hour shorter or longer. A wall-clock time that does
  not exist or occurs twice is resolved the way ``zoneinfo`` does with ``fold=0``.
- Business hours between two instants are the elapsed time they share with working intervals.

``business_hours_between`` is the readable reference, one local day at a time.
``business_hours_between_many`` serves report-sized inputs: it builds the working intervals of
the covered dates once, keeps a running total of working time, and answers each pair with two
``searchsorted`` look-ups. That is exact under DST, unlike counting whole days times a fixed day
length, and stays linear in the number of pairs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib
import numpy as np
import pandas as pd

__all__ = [
    "HOLIDAYS_SETTING",
    "WorkingCalendar",
    "add_business_hours",
    "add_working_days",
    "business_hours_between",
    "business_hours_between_many",
]

HOLIDAYS_SETTING = "FULLCIRCLE_HOLIDAYS"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NS_PER_HOUR = 3_600_000_000_000
_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkingCalendar:
    """When the team is expected to answer; hashable so interval tables can be cached."""

    timezone: str = "Europe/Amsterdam"
    workdays: tuple[int, ...] = (0, 1, 2, 3, 4)  # Monday=0
    day_start: time = time(9, 0)
    day_end: time = time(17, 0)
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        """Reject calendars that would make every figure wrong or loop forever."""
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.timezone!r}") from exc
        workdays = tuple(sorted(set(self.workdays)))
        if not workdays or any(d not in range(7) for d in workdays):
            raise ValueError(f"workdays must be a non-empty subset of 0..6 (Monday=0): {workdays}")
        if self.day_start.tzinfo is not None or self.day_end.tzinfo is not None:
            raise ValueError("day_start and day_end are local wall-clock times without tzinfo")
        if not self.day_start < self.day_end:
            raise ValueError(f"day_start {self.day_start} must be before day_end {self.day_end}")
        object.__setattr__(self, "workdays", workdays)
        object.__setattr__(self, "holidays", frozenset(self.holidays))

    @classmethod
    def for_country(cls, country: str | None, years: Iterable[int], **kwargs) -> WorkingCalendar:
        """Calendar with the public holidays of ``country`` (ISO code such as "NL" or "DE").

        ``None`` or an empty code means no holidays. Extra ``holidays=`` passed in ``kwargs``
        (company days off) are added to the country's.
        """
        extra = frozenset(kwargs.pop("holidays", frozenset()))
        if country is None or not country.strip():
            return cls(holidays=extra, **kwargs)
        code = country.strip().upper()
        try:
            found = holidays_lib.country_holidays(code, years=sorted(set(years)))
        except NotImplementedError as exc:
            raise ValueError(
                f"{HOLIDAYS_SETTING}={country!r} is not a country the holidays package knows; "
                "use an ISO 3166 code such as NL, DE, GB, US or FR, or leave it empty for none"
            ) from exc
        return cls(holidays=extra | frozenset(found.keys()), **kwargs)

    @property
    def zone(self) -> ZoneInfo:
        """The time zone object (ZoneInfo caches instances, so this is cheap)."""
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        """True when ``day`` (a local date) has opening hours."""
        return day.weekday() in self.workdays and day not in self.holidays

    def working_interval(self, day: date) -> tuple[datetime, datetime] | None:
        """UTC ``(open, close)`` of a local date, or None on a day off."""
        if not self.is_working_day(day):
            return None
        opens = datetime.combine(day, self.day_start, tzinfo=self.zone).astimezone(UTC)
        closes = datetime.combine(day, self.day_end, tzinfo=self.zone).astimezone(UTC)
        return opens, max(opens, closes)

    @property
    def weekmask(self) -> list[bool]:
        """The working weekdays in numpy's ``busday`` form, Monday first."""
        return [d in self.workdays for d in range(7)]


def _require_aware(value: datetime, name: str) -> datetime:
    """Return ``value`` in UTC; naive datetimes are refused rather than guessed."""
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be time-zone aware (UTC), got naive {value!r}")
    return value.astimezone(UTC)


def _local_date(instant: datetime, cal: WorkingCalendar) -> date:
    return instant.astimezone(cal.zone).date()


def business_hours_between(start: datetime, end: datetime, cal: WorkingCalendar) -> float:
    """Working hours in ``[start, end)``; 0 when ``end <= start``."""
    start = _require_aware(start, "start")
    end = _require_aware(end, "end")
    if end <= start:
        return 0.0
    total = timedelta(0)
    day = _local_date(start, cal)
    last = _local_date(end, cal)
    while day <= last:
        interval = cal.working_interval(day)
        if interval is not None:
            overlap = min(end, interval[1]) - max(start, interval[0])
            total += max(overlap, timedelta(0))
        day += _ONE_DAY
    return (total // timedelta(microseconds=1)) / 3_600_000_000


def add_business_hours(start: datetime, hours: float, cal: WorkingCalendar) -> datetime:
    """The UTC instant at which ``hours`` working hours have elapsed after ``start``.

    Counting begins at ``start`` when it falls inside opening hours, else at the next opening,
    so ``add_business_hours(friday_evening, 0, cal)`` is Monday's opening. A deadline that uses
    up a day exactly ends at that day's closing time, not at the next opening.
    """
    start = _require_aware(start, "start")
    if not math.isfinite(hours) or hours < 0:
        raise ValueError(f"hours must be a finite number >= 0, got {hours!r}")
    remaining = timedelta(hours=hours)
    day = _local_date(start, cal)
    while True:
        interval = cal.working_interval(day)
        if interval is not None and interval[1] > start:
            begin = max(start, interval[0])
            if remaining <= interval[1] - begin:
                return begin + remaining
            remaining -= interval[1] - begin
        day += _ONE_DAY


def add_working_days(start: datetime, days: int, cal: WorkingCalendar) -> datetime:
    """Same local time of day ``days`` working days later (negative: earlier).

    Used for promises such as "within 5 working days": a Saturday start counts Monday as the
    first working day, and a holiday is skipped like a weekend.
    """
    start = _require_aware(start, "start")
    if days == 0:
        return start
    local = start.astimezone(cal.zone)
    target = np.busday_offset(
        np.datetime64(local.date(), "D"),
        int(days),
        roll="backward" if days > 0 else "forward",
        weekmask=cal.weekmask,
        holidays=sorted(cal.holidays),
    )
    target_day = target.astype(object)
    wall = datetime.combine(target_day, local.time(), tzinfo=cal.zone)
    return wall.astimezone(UTC)


def _to_ns(values, name: str) -> np.ndarray:
    """UTC nanoseconds as int64 (NaT -> the int64 minimum); numpy datetime64 counts as UTC."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return values.astype("datetime64[ns]").view("int64")
    index = pd.DatetimeIndex(pd.to_datetime(pd.Series(values), utc=False))
    if index.tz is None and not index.isna().all():
        raise ValueError(f"{name} must be time-zone aware (UTC); got naive datetimes")
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    return index.as_unit("ns").asi8


def _ns(instant: datetime) -> int:
    return (instant - _EPOCH) // timedelta(microseconds=1) * 1000


@lru_cache(maxsize=64)
def _interval_table(
    cal: WorkingCalendar, first: date, last: date
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Opens, closes (UTC ns) and working ns before each interval, for local dates first..last."""
    opens, closes = [], []
    day = first
    while day <= last:
        interval = cal.working_interval(day)
        if interval is not None:
            opens.append(_ns(interval[0]))
            closes.append(_ns(interval[1]))
        day += _ONE_DAY
    opens_arr = np.array(opens, dtype="int64")
    closes_arr = np.array(closes, dtype="int64")
    before = np.concatenate([[0], np.cumsum(closes_arr - opens_arr)])[:-1].astype("int64")
    return opens_arr, closes_arr, before


def _working_ns_before(instants: np.ndarray, table: tuple[np.ndarray, ...]) -> np.ndarray:
    """Working nanoseconds from the table's start up to each instant (a running total)."""
    opens, closes, before = table
    idx = np.searchsorted(opens, instants, side="right") - 1
    safe = np.clip(idx, 0, None)
    inside = np.minimum(instants, closes[safe]) - opens[safe]
    return np.where(idx >= 0, before[safe] + inside, 0)


def business_hours_between_many(starts, ends, cal: WorkingCalendar) -> np.ndarray:
    """Vectorised :func:`business_hours_between` over equal-length columns of instants.

    Accepts pandas Series / DatetimeIndex (tz-aware) or numpy ``datetime64`` (taken as UTC).
    Returns float hours, NaN where either end is missing, 0 where ``end <= start``.
    """
    start_ns = _to_ns(starts, "starts")
    end_ns = _to_ns(ends, "ends")
    if start_ns.shape != end_ns.shape:
        raise ValueError(f"starts and ends differ in length: {start_ns.size} != {end_ns.size}")
    nat = np.iinfo("int64").min
    valid = (start_ns != nat) & (end_ns != nat)
    result = np.full(start_ns.shape, np.nan)
    if not valid.any():
        return result
    lo = min(start_ns[valid].min(), end_ns[valid].min())
    hi = max(start_ns[valid].max(), end_ns[valid].max())
    first = _local_date(_EPOCH + timedelta(microseconds=int(lo) // 1000), cal) - _ONE_DAY
    last = _local_date(_EPOCH + timedelta(microseconds=int(hi) // 1000), cal) + _ONE_DAY
    table = _interval_table(cal, first, last)
    if table[0].size == 0:
        result[valid] = 0.0
        return result
    s, e = start_ns[valid], end_ns[valid]
    worked = _working_ns_before(e, table) - _working_ns_before(s, table)
    result[valid] = np.where(e > s, worked, 0) / _NS_PER_HOUR
    return result
