"""Response-rate report: every definition checked on a small hand-built frame."""

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from analysis.metrics import DIMENSIONS, METRIC_NAMES, build_report, report_from_counts, summarise

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)
UTC_DT = "datetime64[ns, UTC]"


def case(
    key="x",
    author="a",
    opened=-48,
    due=-24,
    answered=None,
    status="open",
    touched=False,
    business=None,
):
    """One case row; times are hours relative to NOW, ``answered`` None means unanswered."""
    first = NOW + answered * HOUR if answered is not None else None
    hours = float(answered - opened) if answered is not None else np.nan
    return {
        "key": key,
        "author_key": author,
        "opened_at": NOW + opened * HOUR,
        "due_at": NOW + due * HOUR,
        "first_response_at": first,
        "response_hours": hours,
        "response_business_hours": business if business is not None else hours / 3,
        "status": status,
        "touched": touched,
    }


def cases_frame(*rows) -> pd.DataFrame:
    frame = pd.DataFrame(list(rows), columns=list(case().keys()))
    for column in ("opened_at", "due_at", "first_response_at"):
        frame[column] = frame[column].astype(UTC_DT)
    return frame


def promises_frame(*rows) -> pd.DataFrame:
    """Rows of (key, due hours, kept hours or None) relative to NOW."""
    return pd.DataFrame(
        {
            "key": [key for key, _, _ in rows],
            "due_at": pd.Series([NOW + d * HOUR for _, d, _ in rows], dtype=UTC_DT),
            "kept_at": pd.Series(
                [NOW + k * HOUR if k is not None else None for _, _, k in rows], dtype=UTC_DT
            ),
        }
    )


def inbound_frame(**counts) -> pd.DataFrame:
    return pd.DataFrame({"key": list(counts), "inbound": list(counts.values())})


def brand_frame(**pairs) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "key": list(pairs),
            "replies": [r for r, _ in pairs.values()],
            "broadcasts": [b for _, b in pairs.values()],
        }
    )


NO_PROMISES = promises_frame()
NO_BRAND = brand_frame()


def report(cases, promises=NO_PROMISES, brand=NO_BRAND, inbound=None, by=None):
    inbound = inbound if inbound is not None else inbound_frame(x=len(cases))
    return build_report(inbound, cases, promises, brand, NOW, by=by)


def overall(cases, **kwargs):
    return report(cases, **kwargs)["overall"]


# --- case definitions ------------------------------------------------------------------------


def test_each_case_definition():
    metrics = overall(
        cases_frame(
            case(author="a", due=-24, answered=-30),  # answered within SLA
            case(author="b", due=-24, answered=-10),  # answered late
            case(author="c", due=+5),  # pending: window still open
            case(author="d", due=-1),  # overdue
            case(author="e", due=-1, status="closed"),  # closed unanswered: settled, not overdue
            case(author="f", due=+5, status="closed"),  # closed before due: settled, not pending
        )
    )
    assert metrics["needs_response"] == 6
    assert metrics["answered"] == 2
    assert metrics["pending"] == 1
    assert metrics["overdue"] == 1
    assert metrics["response_rate"] == 0.4  # 2 answered / (6 - 1 pending)
    assert metrics["sla_met_rate"] == 0.2  # 1 on time / 5 settled
    assert metrics["inbound"] == 6


def test_due_exactly_now_is_overdue_not_pending():
    metrics = overall(cases_frame(case(due=0)))
    assert (metrics["pending"], metrics["overdue"]) == (0, 1)
    assert metrics["response_rate"] == 0.0


def test_snoozed_and_pending_statuses_still_count_as_overdue():
    metrics = overall(cases_frame(case(status="snoozed"), case(status="pending", author="b")))
    assert metrics["overdue"] == 2


def test_answered_exactly_at_due_meets_sla():
    metrics = overall(cases_frame(case(due=-24, answered=-24)))
    assert metrics["sla_met_rate"] == 1.0


def test_only_pending_cases_give_no_rates():
    metrics = overall(cases_frame(case(due=+1), case(due=+2, author="b")))
    assert metrics["pending"] == 2
    assert metrics["response_rate"] is None
    assert metrics["sla_met_rate"] is None


def test_first_response_median_and_p90_over_answered_cases_only():
    rows = [
        case(author=str(i), opened=-100, answered=-100 + h, due=0, business=b)
        for i, (h, b) in enumerate([(2, 1), (30, 8), (10, 4)])
    ]
    metrics = overall(cases_frame(*rows, case(author="late", opened=-500, due=-400)))
    hours = [2, 30, 10]
    assert metrics["first_response_hours"] == {
        "median": 10.0,
        "p90": round(float(np.percentile(hours, 90)), 2),
    }
    assert metrics["first_response_hours"]["p90"] == 26.0  # 10 + 0.8 * (30 - 10)
    assert metrics["first_response_business_hours"] == {"median": 4.0, "p90": 7.2}


def test_hours_and_rates_are_rounded():
    rows = [case(author=str(i), opened=-10, answered=-10 + 1 / 3, due=-5) for i in range(3)]
    metrics = overall(cases_frame(*rows, case(author="z", due=-1)))
    assert metrics["first_response_hours"]["median"] == 0.33
    assert metrics["response_rate"] == 0.75
    metrics = overall(cases_frame(case(due=-24, answered=-30), case(author="b"), case(author="c")))
    assert metrics["response_rate"] == 0.3333


# --- promises ----------------------------------------------------------------------------------


def test_broken_versus_kept_promises():
    promises = promises_frame(
        ("x", -10, None),  # due, nobody wrote back: broken
        ("x", -10, -12),  # kept before the deadline
        ("x", -10, -10),  # kept exactly at the deadline
        ("x", -10, -2),  # kept too late: broken
        ("x", +10, None),  # not due yet: not broken (yet)
    )
    assert overall(cases_frame(), promises=promises)["broken_promises"] == 2


# --- ghosted -----------------------------------------------------------------------------------


def test_ghosted_authors():
    metrics = overall(
        cases_frame(
            # a: latest case unanswered and past due, nobody touched it -> ghosted (once).
            case(author="a", opened=-100, due=-80),
            case(author="a", opened=-50, due=-30),
            # b: same, but an earlier unanswered case was touched -> not ghosted.
            case(author="b", opened=-100, due=-80, touched=True),
            case(author="b", opened=-50, due=-30),
            # c: latest case answered -> not ghosted, even with an old unanswered one.
            case(author="c", opened=-100, due=-80),
            case(author="c", opened=-50, due=-30, answered=-40),
            # d: latest case still inside its window -> not ghosted.
            case(author="d", opened=-100, due=-80),
            case(author="d", opened=-5, due=+10),
            # e: only the answered case was touched; the latest is late -> ghosted.
            case(author="e", opened=-100, due=-80, answered=-90, touched=True),
            case(author="e", opened=-50, due=-30),
            # f: rows out of order; the latest by opened_at is answered -> not ghosted.
            case(author="f", opened=-20, due=-10, answered=-15),
            case(author="f", opened=-60, due=-50),
        )
    )
    assert metrics["ghosted"] == 2


def test_ghosted_counts_closed_unanswered_latest_case():
    assert overall(cases_frame(case(status="closed")))["ghosted"] == 1
    assert overall(cases_frame(case(status="closed", touched=True)))["ghosted"] == 0


# --- conversation ratio ------------------------------------------------------------------------


def test_conversation_ratio():
    assert overall(cases_frame(), brand=brand_frame(x=(6, 4)))["conversation_ratio"] == 1.5
    assert overall(cases_frame(), brand=brand_frame(x=(6, 0)))["conversation_ratio"] is None


# --- grouping ----------------------------------------------------------------------------------


def grouped_report():
    cases = cases_frame(
        case(key="x", author="a", opened=-10, due=+14, answered=-5),
        case(key="reddit", author="a", due=-1),
        case(key="reddit", author="b", due=-1),
        case(key="reddit", author="c", due=-1, answered=-2),
        case(key="(none)", author="d", due=+3),
    )
    promises = promises_frame(("x", -1, None), ("email", -1, -5))
    brand = brand_frame(x=(3, 1), email=(1, 0))
    inbound = inbound_frame(x=4, reddit=3, email=2)
    return report(cases, promises, brand, inbound, by="platform")


def test_groups_are_sorted_by_key_and_cover_every_frame():
    groups = grouped_report()["groups"]
    assert [g["key"] for g in groups] == ["(none)", "email", "reddit", "x"]
    assert all(list(g) == ["key", *METRIC_NAMES] for g in groups)


def test_group_values():
    groups = {g.pop("key"): g for g in grouped_report()["groups"]}
    assert groups["x"]["response_rate"] == 1.0
    assert groups["x"]["conversation_ratio"] == 3.0
    assert groups["x"]["broken_promises"] == 1
    assert groups["reddit"]["response_rate"] == 0.3333
    assert groups["reddit"]["overdue"] == 2
    assert groups["email"] == {
        "inbound": 2,
        "needs_response": 0,
        "answered": 0,
        "pending": 0,
        "sla_met": 0,
        "response_rate": None,
        "first_response_hours": {"median": None, "p90": None},
        "first_response_business_hours": {"median": None, "p90": None},
        "sla_met_rate": None,
        "overdue": 0,
        "broken_promises": 0,
        "ghosted": 0,
        "conversation_ratio": None,
    }
    assert groups["(none)"]["pending"] == 1
    assert groups["(none)"]["inbound"] == 0


def test_overall_aggregates_rows_not_group_averages():
    result = grouped_report()
    metrics = result["overall"]
    assert metrics["response_rate"] == 0.5  # 2 answered / 4 settled; mean of groups is 0.67
    assert metrics["inbound"] == 9
    # a's latest case (on x) is answered, so only b is ghosted overall, though reddit counts both.
    assert metrics["ghosted"] == 1
    assert metrics["conversation_ratio"] == 4.0
    assert metrics["broken_promises"] == 1


def test_ghosted_per_group_uses_the_groups_own_cases():
    groups = {g["key"]: g for g in grouped_report()["groups"]}
    # Within reddit, a's latest case is the late unanswered one; x only sees the answered one.
    assert groups["reddit"]["ghosted"] == 2
    assert groups["x"]["ghosted"] == 0


def test_week_keys_sort_chronologically():
    cases = cases_frame(case(key="2026-03-09"), case(key="2026-02-23"), case(key="2026-03-02"))
    groups = report(cases, inbound=inbound_frame(), by="week")["groups"]
    assert [g["key"] for g in groups] == ["2026-02-23", "2026-03-02", "2026-03-09"]


def test_without_by_the_key_column_is_ignored_and_no_groups():
    result = report(cases_frame(case()))
    assert list(result) == ["overall"]
    frame = cases_frame(case()).drop(columns="key")
    inbound = pd.DataFrame({"inbound": [1]})
    brand = pd.DataFrame({"replies": [1], "broadcasts": [2]})
    result = build_report(inbound, frame, promises_frame().drop(columns="key"), brand, NOW)
    assert result["overall"]["overdue"] == 1
    assert result["overall"]["conversation_ratio"] == 0.5


def test_unknown_dimension_is_rejected():
    with pytest.raises(ValueError, match="platform"):
        report(cases_frame(), by="colour")
    assert set(DIMENSIONS) == {"platform", "account", "assignee", "week", "lang"}


def test_naive_now_is_rejected():
    naive = NOW.replace(tzinfo=None)
    with pytest.raises(ValueError, match="aware"):
        build_report(inbound_frame(), cases_frame(), NO_PROMISES, NO_BRAND, naive)


def test_missing_column_on_non_empty_frame_is_an_error():
    with pytest.raises(ValueError, match="touched"):
        overall(cases_frame(case()).drop(columns="touched"))


# --- from counts (what the store hands over) ----------------------------------------------------


def counted_groups():
    counts = [
        pd.DataFrame(
            {
                "key": ["x", "reddit"],
                "inbound": [3, 4],
                "needs_response": [2, 3],
                "answered": [1, 2],
                "pending": [0, 1],
                "sla_met": [1, 1],
                "overdue": [1, 0],
                "ghosted": [1, 1],
            }
        ),
        pd.DataFrame({"key": ["email"], "broken_promises": [2]}),
        pd.DataFrame({"key": ["x"], "replies": [3], "broadcasts": [2]}),
    ]
    hours = pd.DataFrame(
        {
            "key": ["x", "reddit", "reddit"],
            "response_hours": [2.0, 30.0, 10.0],
            "response_business_hours": [1.0, 8.0, 4.0],
        }
    )
    return report_from_counts(counts, hours, by="platform", ghosted=1)


def test_counts_add_up_over_groups_and_quantiles_take_every_answered_case():
    overall = counted_groups()["overall"]
    assert (overall["inbound"], overall["needs_response"], overall["answered"]) == (7, 5, 3)
    assert overall["response_rate"] == 0.75  # 3 answered / (5 - 1 pending)
    assert overall["sla_met_rate"] == 0.5
    assert overall["broken_promises"] == 2
    assert overall["conversation_ratio"] == 1.5
    # Over all three answered cases, not a median of the groups' medians.
    assert overall["first_response_hours"] == {"median": 10.0, "p90": 26.0}
    assert overall["first_response_business_hours"] == {"median": 4.0, "p90": 7.2}


def test_overall_ghosted_is_the_given_count_not_the_sum_of_groups():
    result = counted_groups()
    assert [g["ghosted"] for g in result["groups"]] == [0, 1, 1]  # email, reddit, x
    assert result["overall"]["ghosted"] == 1  # the same author, ghosted on both channels


def test_groups_from_counts_are_sorted_and_complete():
    groups = {g.pop("key"): g for g in counted_groups()["groups"]}
    assert list(groups) == ["email", "reddit", "x"]
    assert groups["email"] == {**EMPTY_METRICS, "broken_promises": 2}
    assert groups["reddit"]["first_response_hours"] == {"median": 20.0, "p90": 28.0}
    assert groups["x"]["conversation_ratio"] == 1.5


def test_groups_from_counts_need_the_overall_ghosted_count():
    hours = pd.DataFrame(columns=["key", "response_hours", "response_business_hours"])
    with pytest.raises(ValueError, match="ghosted"):
        report_from_counts([], hours, by="platform")
    assert report_from_counts([], hours)["overall"] == EMPTY_METRICS


# --- empty input and output shape --------------------------------------------------------------

EMPTY_METRICS = {
    "inbound": 0,
    "needs_response": 0,
    "answered": 0,
    "pending": 0,
    "sla_met": 0,
    "response_rate": None,
    "first_response_hours": {"median": None, "p90": None},
    "first_response_business_hours": {"median": None, "p90": None},
    "sla_met_rate": None,
    "overdue": 0,
    "broken_promises": 0,
    "ghosted": 0,
    "conversation_ratio": None,
}


@pytest.mark.parametrize("by", [None, "platform"])
def test_empty_typed_frames_give_zeros_and_none(by):
    result = report(cases_frame(), inbound=inbound_frame(), by=by)
    assert result["overall"] == EMPTY_METRICS
    assert result.get("groups", []) == []


def test_empty_frames_without_columns_give_zeros_and_none():
    empty = pd.DataFrame()
    result = build_report(empty, empty, empty, empty, NOW, by="lang")
    assert result == {"overall": EMPTY_METRICS, "groups": []}


def test_summarise_is_one_metrics_object():
    cases = cases_frame(case(), case(author="b", answered=-30)).drop(columns="key")
    metrics = summarise(7, cases, promises_frame(("x", -1, None)), 2, 4, NOW)
    assert tuple(metrics) == METRIC_NAMES
    assert metrics["inbound"] == 7
    assert metrics["response_rate"] == 0.5
    assert metrics["broken_promises"] == 1
    assert metrics["conversation_ratio"] == 0.5


def plain(value) -> bool:
    """True when the value is built only from JSON's own Python types."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or type(value) in (int, float, str)


def test_output_is_json_serialisable_plain_python():
    result = grouped_report()
    assert plain(result)
    assert json.loads(json.dumps(result, allow_nan=False)) == result
    assert tuple(result["overall"]) == METRIC_NAMES
