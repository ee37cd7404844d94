"""Case actions by hand: each changes the case, marks it touched and leaves an audit event.

Every test runs on SQLite and on PostgreSQL (the ``workspace`` fixture).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from pipeline.reports import workspace_report
from store import case_actions, queries
from store.case_actions import CaseActionError, CaseNotFoundError
from store.schema import cases, events
from tests.support.factories import MONDAY, batch, hours_after, post

ASKS = (
    "@acme when will I hear back about my application?",
    "@acme is the Berlin role remote? Nobody answers my e-mails.",
    "@acme could you send me feedback on my interview?",
)


@pytest.fixture
def three_cases(workspace) -> list[int]:
    """Three open, unanswered, overdue cases by three candidates (ann, bob, cem)."""
    posts = [
        post(str(i), text, author=author, thread=f"t{i}", at=hours_after(MONDAY, i))
        for i, (text, author) in enumerate(zip(ASKS, ("ann", "bob", "cem"), strict=True))
    ]
    workspace.ingest().batch(batch(*posts))
    with workspace.engine.connect() as conn:
        return list(conn.execute(select(cases.c.id).order_by(cases.c.id)).scalars())


def case_row(ws, case_id: int) -> dict:
    with ws.engine.connect() as conn:
        return dict(conn.execute(select(cases).where(cases.c.id == case_id)).one()._mapping)


def trail(ws, case_id: int) -> list[dict]:
    with ws.engine.connect() as conn:
        rows = conn.execute(select(events).where(events.c.case_id == case_id).order_by(events.c.id))
        return [dict(r._mapping) for r in rows]


def needs_answer_ids(ws, now: datetime) -> set[int]:
    with ws.engine.connect() as conn:
        return set(queries.backlog(conn, now, filt=queries.CaseFilter())["id"])


def test_assign_sets_owner_marks_touched_and_logs_who_and_when(workspace, three_cases):
    before = datetime.now(UTC)
    with workspace.engine.begin() as conn:
        assert case_actions.assign(conn, three_cases[:2], "Anna", "Ben") == 2
    for case_id in three_cases[:2]:
        row = case_row(workspace, case_id)
        assert (row["assignee"], row["touched"]) == ("Anna", True)
        [event] = trail(workspace, case_id)
        assert (event["actor"], event["action"], event["detail"]) == (
            "Ben",
            "assign",
            {"assignee": "Anna"},
        )
        assert before <= event["at"] <= datetime.now(UTC)
    untouched = case_row(workspace, three_cases[2])
    assert (untouched["assignee"], untouched["touched"]) == (None, False)
    assert trail(workspace, three_cases[2]) == []


def test_unassigning_clears_the_owner(workspace, three_cases):
    with workspace.engine.begin() as conn:
        case_actions.assign(conn, three_cases[:1], "Anna", "Ben")
        case_actions.assign(conn, three_cases[:1], "  ", "Ben")
    assert case_row(workspace, three_cases[0])["assignee"] is None
    assert [e["detail"] for e in trail(workspace, three_cases[0])] == [
        {"assignee": "Anna"},
        {"assignee": None},
    ]


def test_snoozed_case_leaves_the_backlog_and_comes_back_when_the_snooze_ends(
    workspace, three_cases
):
    now = datetime.now(UTC)
    until = now + timedelta(days=2)
    with workspace.engine.begin() as conn:
        case_actions.snooze(conn, [three_cases[0]], until, "Ben")
    row = case_row(workspace, three_cases[0])
    assert (row["status"], row["snoozed_until"], row["touched"]) == ("snoozed", until, True)
    assert three_cases[0] not in needs_answer_ids(workspace, now)
    assert three_cases[0] in needs_answer_ids(workspace, until + timedelta(minutes=1))
    assert trail(workspace, three_cases[0])[0]["detail"] == {"until": until.isoformat()}


def test_snooze_into_the_past_is_refused_and_changes_nothing(workspace, three_cases):
    with pytest.raises(CaseActionError, match="in the past"), workspace.engine.begin() as conn:
        case_actions.snooze(conn, three_cases, datetime.now(UTC) - timedelta(hours=1), "Ben")
    assert {case_row(workspace, i)["status"] for i in three_cases} == {"open"}
    assert all(trail(workspace, i) == [] for i in three_cases)


def test_pending_on_the_candidate_leaves_needs_answer_and_reopen_brings_it_back(
    workspace, three_cases
):
    now = datetime.now(UTC)
    with workspace.engine.begin() as conn:
        case_actions.set_pending(conn, [three_cases[1]], "Ben")
    assert case_row(workspace, three_cases[1])["status"] == "pending"
    assert three_cases[1] not in needs_answer_ids(workspace, now)
    with workspace.engine.connect() as conn:
        waiting = queries.backlog(conn, now, filt=queries.CaseFilter(view="pending"))
    assert list(waiting["id"]) == [three_cases[1]]
    with workspace.engine.begin() as conn:
        case_actions.reopen(conn, [three_cases[1]], "Ben")
    assert three_cases[1] in needs_answer_ids(workspace, now)
    assert [e["action"] for e in trail(workspace, three_cases[1])] == ["pending", "reopen"]


def test_close_needs_a_reason_and_records_it(workspace, three_cases):
    with pytest.raises(CaseActionError, match="reason"), workspace.engine.begin() as conn:
        case_actions.close(conn, [three_cases[0]], " ", "Ben")
    assert case_row(workspace, three_cases[0])["status"] == "open"
    with workspace.engine.begin() as conn:
        case_actions.close(conn, [three_cases[0]], "Spam or abuse", "Ben")
    row = case_row(workspace, three_cases[0])
    assert (row["status"], row["close_reason"]) == ("closed", "Spam or abuse")
    assert row["closed_at"] is not None
    assert three_cases[0] not in needs_answer_ids(workspace, datetime.now(UTC))
    with workspace.engine.begin() as conn:
        case_actions.reopen(conn, [three_cases[0]], "Ben")
    row = case_row(workspace, three_cases[0])
    assert (row["status"], row["closed_at"], row["close_reason"]) == ("open", None, None)


def test_internal_note_is_logged_and_touches_the_case(workspace, three_cases):
    with workspace.engine.begin() as conn:
        case_actions.add_note(conn, three_cases[2], "Called her, she'll mail the CV.", "Anna")
    [event] = trail(workspace, three_cases[2])
    assert (event["action"], event["detail"]) == (
        "note",
        {"text": "Called her, she'll mail the CV."},
    )
    assert case_row(workspace, three_cases[2])["touched"] is True
    with pytest.raises(CaseActionError, match="text"), workspace.engine.begin() as conn:
        case_actions.add_note(conn, three_cases[2], "   ", "Anna")


def test_unknown_case_fails_the_whole_action(workspace, three_cases):
    with pytest.raises(CaseNotFoundError, match="99999"), workspace.engine.begin() as conn:
        case_actions.assign(conn, [three_cases[0], 99999], "Anna", "Ben")
    assert case_row(workspace, three_cases[0])["assignee"] is None
    with workspace.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 0


@pytest.mark.parametrize("actor", ["", "   "])
def test_an_action_without_an_actor_is_refused(workspace, three_cases, actor):
    with pytest.raises(CaseActionError, match="actor"), workspace.engine.begin() as conn:
        case_actions.assign(conn, three_cases, "Anna", actor)
    assert case_row(workspace, three_cases[0])["touched"] is False


def test_touching_a_case_means_its_author_is_no_longer_ghosted(workspace, three_cases):
    def ghosted() -> int:
        with workspace.engine.connect() as conn:
            return workspace_report(conn)["overall"]["ghosted"]

    assert ghosted() == 3
    with workspace.engine.begin() as conn:
        case_actions.add_note(conn, three_cases[0], "On it", "Anna")
    assert ghosted() == 2


def test_team_starts_empty_then_keeps_names_in_order_without_repeats(workspace):
    with workspace.engine.begin() as conn:
        assert case_actions.team_members(conn) == []
        case_actions.set_team_members(conn, ["Dana", " Eli ", "", "Dana"], "set-up")
    with workspace.engine.connect() as conn:
        assert case_actions.team_members(conn) == ["Dana", "Eli"]


def test_demo_workspace_starts_with_the_demo_team(workspace):
    workspace.seed_demo(30, end=datetime(2026, 11, 20, tzinfo=UTC))
    with workspace.engine.connect() as conn:
        assert case_actions.team_members(conn) == list(case_actions.DEMO_TEAM)


def test_saved_replies_default_then_stored_and_validated(workspace):
    with workspace.engine.begin() as conn:
        assert [r["title"] for r in case_actions.saved_replies(conn)] == [
            r["title"] for r in case_actions.DEFAULT_REPLIES
        ]
        case_actions.set_saved_replies(conn, [{"title": "Hi", "text": "Hi {author}!"}], "Anna")
    with workspace.engine.connect() as conn:
        assert case_actions.saved_replies(conn) == [{"title": "Hi", "text": "Hi {author}!"}]
    with pytest.raises(CaseActionError, match="title and a text"), workspace.engine.begin() as conn:
        case_actions.set_saved_replies(conn, [{"title": "Empty", "text": " "}], "Anna")
    with workspace.engine.connect() as conn:
        assert case_actions.saved_replies(conn) == [{"title": "Hi", "text": "Hi {author}!"}]


def test_a_snooze_ends_at_the_start_of_the_next_working_day(workspace):
    calendar = workspace.policy.calendar  # Amsterdam, Mon-Fri 09:00-17:00, NL holidays
    saturday, christmas = date(2026, 11, 7), date(2026, 12, 25)
    assert case_actions.wake_time(saturday, calendar) == datetime(2026, 11, 9, 8, 0, tzinfo=UTC)
    assert case_actions.wake_time(christmas, calendar) == datetime(2026, 12, 28, 8, 0, tzinfo=UTC)
