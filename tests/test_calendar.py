"""Working calendar: hand-computed cases, DST, holidays, and scalar/vectorised agreement."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.calendar import (
    HOLIDAYS_SETTING,
    WorkingCalendar,
    add_business_hours,
    add_working_days,
    business_hours_between,
    business_hours_between_many,
)

AMS = ZoneInfo("Europe/Amsterdam")
NL = WorkingCalendar.for_country("NL", [2025, 2026, 2027])
PLAIN = WorkingCalendar()
# Opening hours that contain the DST change (02:00 -> 03:00 in March, 03:00 -> 02:00 in October).
NIGHT = WorkingCalendar(workdays=tuple(range(7)), day_start=time(1), day_end=time(4))
CALENDARS = [
    NL,
    NIGHT,
    WorkingCalendar.for_country("US", [2025, 2026, 2027], timezone="America/New_York"),
    WorkingCalendar(timezone="Asia/Jerusalem", workdays=(6, 0, 1, 2, 3)),
    # Half-hour DST shift at 02:00, inside these hours.
    WorkingCalendar(
        timezone="Australia/Lord_Howe", workdays=(5, 6), day_start=time(1), day_end=time(3)
    ),
]


def ams(*args) -> datetime:
    """A Europe/Amsterdam wall-clock time as the UTC instant the functions take and return."""
    return datetime(*args, tzinfo=AMS).astimezone(UTC)


# --- hand-computed cases ---------------------------------------------------------------------


def test_friday_afternoon_to_monday_morning_is_two_hours():
    assert business_hours_between(ams(2026, 3, 6, 16), ams(2026, 3, 9, 10), PLAIN) == 2.0


def test_full_week_is_forty_hours():
    assert business_hours_between(ams(2026, 3, 2), ams(2026, 3, 9), PLAIN) == 40.0


def test_end_not_after_start_is_zero():
    assert business_hours_between(ams(2026, 3, 9, 12), ams(2026, 3, 9, 10), PLAIN) == 0.0
    assert business_hours_between(ams(2026, 3, 9, 12), ams(2026, 3, 9, 12), PLAIN) == 0.0


def test_outside_hours_counts_nothing():
    assert business_hours_between(ams(2026, 3, 9, 17), ams(2026, 3, 10, 9), PLAIN) == 0.0
    assert business_hours_between(ams(2026, 3, 7, 10), ams(2026, 3, 7, 15), PLAIN) == 0.0


def test_kings_day_is_skipped_with_nl_holidays():
    cal = WorkingCalendar.for_country("NL", [2026])
    assert date(2026, 4, 27) in cal.holidays
    assert business_hours_between(ams(2026, 4, 24, 16), ams(2026, 4, 28, 10), cal) == 2.0
    assert business_hours_between(ams(2026, 4, 24, 16), ams(2026, 4, 28, 10), PLAIN) == 10.0


def test_spring_dst_weekend_uses_local_opening_hours():
    # Clocks go forward on Sunday 29 March 2026; Monday 10:00 CEST is 08:00 UTC.
    start, end = ams(2026, 3, 27, 16), ams(2026, 3, 30, 10)
    assert (start.hour, end.hour) == (15, 8)
    assert business_hours_between(start, end, PLAIN) == 2.0


def test_autumn_dst_weekend_uses_local_opening_hours():
    # Clocks go back on Sunday 25 October 2026; Monday 10:00 CET is 09:00 UTC.
    assert business_hours_between(ams(2026, 10, 23, 16), ams(2026, 10, 26, 10), PLAIN) == 2.0


def test_dst_change_inside_opening_hours_counts_elapsed_time():
    spring = (ams(2026, 3, 29), ams(2026, 3, 30))
    autumn = (ams(2026, 10, 25), ams(2026, 10, 26))
    assert business_hours_between(*spring, NIGHT) == 2.0
    assert business_hours_between(*autumn, NIGHT) == 4.0
    many = business_hours_between_many(
        pd.Series([spring[0], autumn[0]]), pd.Series([spring[1], autumn[1]]), NIGHT
    )
    assert many.tolist() == [2.0, 4.0]


def test_add_business_hours_across_a_weekend():
    assert add_business_hours(ams(2026, 3, 6, 16), 3, PLAIN) == ams(2026, 3, 9, 11)


def test_add_business_hours_over_spring_dst_weekend():
    assert add_business_hours(ams(2026, 3, 27, 16), 2, PLAIN) == ams(2026, 3, 30, 10)


def test_add_business_hours_starting_outside_hours_begins_at_next_opening():
    assert add_business_hours(ams(2026, 3, 7, 12), 1, PLAIN) == ams(2026, 3, 9, 10)
    assert add_business_hours(ams(2026, 3, 9, 7), 0, PLAIN) == ams(2026, 3, 9, 9)
    assert add_business_hours(ams(2026, 3, 9, 18), 0.5, PLAIN) == ams(2026, 3, 10, 9, 30)


def test_add_business_hours_that_fill_a_day_end_at_closing():
    assert add_business_hours(ams(2026, 3, 6, 16), 1, PLAIN) == ams(2026, 3, 6, 17)


def test_add_business_hours_skips_holidays():
    assert add_business_hours(ams(2026, 4, 24, 16), 2, NL) == ams(2026, 4, 28, 10)


def test_add_business_hours_rejects_negative_or_nan():
    with pytest.raises(ValueError):
        add_business_hours(ams(2026, 3, 9, 10), -1, PLAIN)
    with pytest.raises(ValueError):
        add_business_hours(ams(2026, 3, 9, 10), float("nan"), PLAIN)


def test_add_working_days_over_a_holiday():
    assert add_working_days(ams(2026, 4, 24, 10), 1, NL) == ams(2026, 4, 28, 10)
    assert add_working_days(ams(2026, 4, 23, 10), 5, NL) == ams(2026, 5, 1, 10)
    assert add_working_days(ams(2026, 4, 28, 10), -1, NL) == ams(2026, 4, 24, 10)


def test_add_working_days_from_a_weekend_and_zero():
    assert add_working_days(ams(2026, 3, 7, 11), 1, PLAIN) == ams(2026, 3, 9, 11)
    assert add_working_days(ams(2026, 3, 7, 11), 0, PLAIN) == ams(2026, 3, 7, 11)


def test_add_working_days_keeps_local_time_across_dst():
    result = add_working_days(ams(2026, 3, 27, 10), 1, PLAIN)
    assert result == ams(2026, 3, 30, 10)
    assert result.tzinfo is UTC and result.hour == 8


# --- calendar construction and input checks --------------------------------------------------


def test_for_country_none_or_empty_means_no_holidays():
    assert WorkingCalendar.for_country(None, [2026]).holidays == frozenset()
    assert WorkingCalendar.for_country("", [2026]).holidays == frozenset()


def test_for_country_accepts_lowercase_and_extra_settings():
    cal = WorkingCalendar.for_country(
        "de", [2026], timezone="Europe/Berlin", holidays={date(2026, 7, 1)}
    )
    assert cal.timezone == "Europe/Berlin"
    assert {date(2026, 10, 3), date(2026, 7, 1)} <= cal.holidays


def test_for_country_unknown_code_names_the_setting():
    with pytest.raises(ValueError, match=HOLIDAYS_SETTING) as info:
        WorkingCalendar.for_country("XX", [2026])
    assert "NL" in str(info.value)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timezone": "Mars/Olympus"},
        {"workdays": ()},
        {"workdays": (0, 7)},
        {"day_start": time(17), "day_end": time(9)},
        {"day_start": time(9), "day_end": time(9)},
    ],
)
def test_invalid_calendars_are_rejected(kwargs):
    with pytest.raises(ValueError):
        WorkingCalendar(**kwargs)


def test_naive_datetimes_are_rejected():
    naive = datetime(2026, 3, 9, 10)
    with pytest.raises(ValueError, match="aware"):
        business_hours_between(naive, ams(2026, 3, 9, 12), PLAIN)
    with pytest.raises(ValueError, match="aware"):
        add_business_hours(naive, 1, PLAIN)
    with pytest.raises(ValueError, match="aware"):
        add_working_days(naive, 1, PLAIN)
    with pytest.raises(ValueError, match="aware"):
        business_hours_between_many(pd.Series([naive]), pd.Series([naive]), PLAIN)


def test_results_are_utc_even_for_other_input_zones():
    start = datetime(2026, 3, 6, 16, tzinfo=AMS)
    assert add_business_hours(start, 3, PLAIN).tzinfo is UTC
    assert business_hours_between(start, datetime(2026, 3, 9, 10, tzinfo=AMS), PLAIN) == 2.0


# --- vectorised form ---------------------------------------------------------------------------


def test_many_gives_nan_where_an_end_is_missing():
    utc = "datetime64[ns, UTC]"
    starts = pd.Series([ams(2026, 3, 6, 16), ams(2026, 3, 6, 16), pd.NaT], dtype=utc)
    ends = pd.Series([ams(2026, 3, 9, 10), pd.NaT, ams(2026, 3, 9, 10)], dtype=utc)
    result = business_hours_between_many(starts, ends, PLAIN)
    assert result[0] == 2.0
    assert np.isnan(result[1:]).all()


def test_many_accepts_numpy_datetime64_as_utc():
    starts = np.array(["2026-03-06T15:00", "2026-03-09T12:00"], dtype="datetime64[ns]")
    ends = np.array(["2026-03-09T09:00", "2026-03-09T10:00"], dtype="datetime64[ns]")
    assert business_hours_between_many(starts, ends, PLAIN).tolist() == [2.0, 0.0]


def test_many_handles_empty_and_mismatched_input():
    empty = pd.Series([], dtype="datetime64[ns, UTC]")
    assert business_hours_between_many(empty, empty, PLAIN).shape == (0,)
    with pytest.raises(ValueError, match="length"):
        business_hours_between_many(empty, pd.Series([ams(2026, 3, 9)]), PLAIN)


# --- properties --------------------------------------------------------------------------------

calendars = st.sampled_from(CALENDARS)
instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 10, 1), timezones=st.just(UTC)
)
spans = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=60))


@settings(max_examples=150, deadline=None)
@given(
    cal=calendars,
    pairs=st.lists(st.tuples(instants, spans, st.booleans()), min_size=1, max_size=30),
)
def test_vectorised_equals_scalar(cal, pairs):
    starts = [start for start, _, _ in pairs]
    ends = [start + span if present else None for start, span, present in pairs]
    expected = [
        business_hours_between(s, e, cal) if e is not None else np.nan
        for s, e in zip(starts, ends, strict=True)
    ]
    result = business_hours_between_many(
        pd.Series(starts, dtype="datetime64[ns, UTC]"),
        pd.Series(ends, dtype="datetime64[ns, UTC]"),
        cal,
    )
    np.testing.assert_allclose(result, expected, rtol=0, atol=1e-9)


@settings(max_examples=150, deadline=None)
@given(cal=calendars, start=instants, span=spans)
def test_business_hours_never_exceed_calendar_hours(cal, start, span):
    hours = business_hours_between(start, start + span, cal)
    assert 0.0 <= hours <= span / timedelta(hours=1) + 1e-9


@settings(max_examples=150, deadline=None)
@given(cal=calendars, a=instants, first=spans, second=spans)
def test_business_hours_are_additive(cal, a, first, second):
    b, c = a + first, a + first + second
    joined = business_hours_between(a, b, cal) + business_hours_between(b, c, cal)
    assert joined == pytest.approx(business_hours_between(a, c, cal), abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(cal=calendars, start=instants, hours=st.floats(min_value=0, max_value=300))
def test_add_then_measure_gives_the_hours_back(cal, start, hours):
    end = add_business_hours(start, hours, cal)
    assert end >= start
    assert end.tzinfo is UTC
    assert business_hours_between(start, end, cal) == pytest.approx(hours, abs=1e-6)


@settings(max_examples=100, deadline=None)
@given(cal=calendars, start=instants, first=st.floats(0, 100), second=st.floats(0, 100))
def test_adding_in_two_steps_equals_one_step(cal, start, first, second):
    direct = add_business_hours(start, first + second, cal)
    two_steps = add_business_hours(add_business_hours(start, first, cal), second, cal)
    # Equal up to microsecond rounding, or a closing time vs the next opening (no hours between).
    assert business_hours_between(two_steps, direct, cal) == pytest.approx(0, abs=1e-6)
    assert business_hours_between(direct, two_steps, cal) == pytest.approx(0, abs=1e-6)
