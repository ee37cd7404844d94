"""Partial weeks are told apart, pending cases are shown, and each tile says how it moved."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from dashboard import trends
from store.report_frames import Period

# A period from Sunday 1 November to Saturday 5 December 2026 (exclusive end 6 December),
# read on Thursday 3 December at noon: the first week holds one day, the last is running.
PERIOD = Period(datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 12, 6, tzinfo=UTC), ("x",))
NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


def weeks(*rows: tuple[str, int, int, int, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["key", "needs_response", "answered", "sla_met", "pending"])


def test_a_week_the_period_starts_in_on_sunday_is_one_day_and_not_whole():
    marked = trends.mark_weeks(
        weeks(
            ("2026-10-26", 3, 1, 1, 0),
            ("2026-11-02", 40, 30, 25, 0),
            ("2026-11-30", 69, 30, 28, 32),
        ),
        PERIOD,
        NOW,
    )
    assert marked["days"].tolist() == [1.0, 7.0, 3.5]
    assert marked["whole"].tolist() == [False, True, False]
    assert marked["settled"].tolist() == [3, 40, 37]


def test_a_week_that_ended_before_now_inside_the_period_is_whole():
    assert trends.week_days_covered("2026-11-23", PERIOD, NOW) == 7.0


def test_outcomes_add_up_to_the_cases_and_keep_pending_apart():
    frame = weeks(("2026-11-30", 69, 30, 28, 32))
    parts = trends.outcomes(frame)
    assert {name: int(values.iloc[0]) for name, values in parts.items()} == {
        "Answered within SLA": 28,
        "Answered late": 2,
        "Not answered": 7,
        "Pending (inside SLA)": 32,
    }
    assert sum(int(v.iloc[0]) for v in parts.values()) == 69


def test_the_previous_period_is_as_long_and_just_before_with_the_same_filters():
    before = trends.previous_period(PERIOD)
    assert before == Period(
        datetime(2026, 9, 27, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC), ("x",)
    )
    assert trends.previous_period(Period()) is None


@pytest.mark.parametrize(
    "now, before, unit, text",
    [
        (0.75, 0.5, "rate", "+25 pts"),
        (3.0, 4.25, "hours", "-1.2 h"),
        (12, 9, "count", "+3"),
        (1.5, 2.0, "ratio", "-0.5"),
        (None, 2, "count", None),
        (2, None, "rate", None),
    ],
)
def test_a_tile_change_is_in_the_figures_own_unit(now, before, unit, text):
    assert trends.change(now, before, unit) == text
