"""Cases follow the definitions: opened, chased, answered, due, promised — on both backends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from store.accounts import add_account
from store.schema import cases, promises
from tests.support.factories import MONDAY, batch, hours_after, post

BRAND = "NorthwindLabs"
QUESTION = "@NorthwindLabs how long does your hiring process take for the backend role?"


@pytest.fixture
def ws(workspace):
    with workspace.engine.begin() as conn:
        add_account(conn, "x", BRAND)
        add_account(conn, "email", "careers@northwind.example")
        add_account(conn, "email", "no-reply@northwind.example")
    return workspace


def _cases(ws) -> list[dict]:
    with ws.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(cases).order_by(cases.c.id))]


def _promises(ws) -> list[dict]:
    with ws.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(promises))]


def test_a_question_opens_a_case_due_after_the_sla_in_business_hours(ws):
    ws.ingest().batch(batch(post("1", QUESTION)))
    [case] = _cases(ws)
    # Monday 11:00 Amsterdam + 24 working hours of 8 = Thursday 11:00 Amsterdam (10:00 UTC)
    assert case["due_at"] == datetime(2026, 11, 5, 10, 0, tzinfo=UTC)
    assert case["first_response_at"] is None and case["status"] == "open"


def test_praise_opens_no_case(ws):
    ws.ingest().batch(batch(post("1", "Great culture video, love the team at Northwind!")))
    assert _cases(ws) == []


def test_a_brand_reply_answers_the_case_with_calendar_and_business_hours(ws):
    reply = post(
        "2",
        "Usually three weeks, we'll keep you posted!",
        author=BRAND,
        at=hours_after(MONDAY, 3),
        parent="1",
    )
    ws.ingest().batch(batch(post("1", QUESTION), reply))
    [case] = _cases(ws)
    assert case["first_response_at"] == reply.created_at
    assert case["response_hours"] == pytest.approx(3.0)
    assert case["response_business_hours"] == pytest.approx(3.0)


def test_friday_evening_to_monday_morning_counts_only_working_hours(ws):
    friday = datetime(2026, 11, 6, 15, 0, tzinfo=UTC)  # 16:00 Amsterdam
    monday = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)  # 10:00 Amsterdam
    ws.ingest().batch(
        batch(
            post("1", QUESTION, at=friday),
            post("2", "Hi! About four weeks.", author=BRAND, at=monday, parent="1"),
        )
    )
    [case] = _cases(ws)
    assert case["response_hours"] == pytest.approx(66.0)
    assert case["response_business_hours"] == pytest.approx(2.0)


def test_a_chase_joins_the_open_case_and_raises_its_priority(ws):
    ingest = ws.ingest()
    ingest.batch(batch(post("1", QUESTION)))
    before = _cases(ws)[0]["priority"]
    ingest.batch(
        batch(
            post("3", "Any update? Third time asking...", at=MONDAY + timedelta(days=3), parent="1")
        )
    )
    [case] = _cases(ws)
    assert case["chase_count"] == 1 and case["priority"] > before


def test_a_chase_in_a_new_thread_joins_the_same_case(ws):
    ingest = ws.ingest()
    ingest.batch(batch(post("1", QUESTION)))
    ingest.batch(
        batch(
            post(
                "9",
                "Still waiting for an answer about my application?",
                thread="t9",
                at=MONDAY + timedelta(days=2),
            )
        )
    )
    [case] = _cases(ws)
    assert case["chase_count"] == 1
    answer = post(
        "10",
        "Sorry for the wait! Replied by mail.",
        author=BRAND,
        thread="t9",
        parent="9",
        at=MONDAY + timedelta(days=2, hours=1),
    )
    ingest.batch(batch(answer))
    assert _cases(ws)[0]["first_response_at"] == answer.created_at


def test_a_reply_answers_a_follow_up_of_the_same_author(ws):
    follow_up = post(
        "3", "@NorthwindLabs any update on this?", at=hours_after(MONDAY, 1), parent="1"
    )
    reply = post("4", "Sorry! Three weeks.", author=BRAND, at=hours_after(MONDAY, 2), parent="3")
    ws.ingest().batch(batch(post("1", QUESTION), follow_up, reply))
    [case] = _cases(ws)
    assert case["first_response_at"] == reply.created_at


def test_a_brand_reply_to_someone_else_does_not_answer(ws):
    other = post(
        "5",
        "I had my interview last week, it was fine",
        author="other",
        at=hours_after(MONDAY, 1),
        parent="1",
    )
    reply = post("6", "Thanks for sharing!", author=BRAND, at=hours_after(MONDAY, 2), parent="5")
    ws.ingest().batch(batch(post("1", QUESTION), other, reply))
    assert _cases(ws)[0]["first_response_at"] is None


def test_an_answer_stored_before_its_question_still_counts(ws):
    reply = post(
        "2", "Three weeks on average.", author=BRAND, at=hours_after(MONDAY, 5), parent="1"
    )
    ingest = ws.ingest()
    ingest.batch(batch(reply))
    ingest.batch(batch(post("1", QUESTION)))
    assert _cases(ws)[0]["first_response_at"] == reply.created_at


def test_after_an_answer_a_new_question_opens_a_new_case(ws):
    ingest = ws.ingest()
    ingest.batch(
        batch(
            post("1", QUESTION),
            post("2", "Three weeks.", author=BRAND, at=hours_after(MONDAY, 1), parent="1"),
        )
    )
    ingest.batch(
        batch(
            post(
                "3", "@NorthwindLabs can I apply for two roles at once?", at=hours_after(MONDAY, 30)
            )
        )
    )
    assert [c["chase_count"] for c in _cases(ws)] == [0, 0]
    assert len(_cases(ws)) == 2


def _mail(external_id, text, sender, at, reply_to=(), auto=False):
    return post(
        external_id,
        text,
        author=sender,
        at=at,
        platform="email",
        thread=reply_to[0] if reply_to else external_id,
        parent=reply_to[-1] if reply_to else None,
        reply_to=tuple(reply_to),
        is_auto_reply=auto,
        recipients=("jan@example.com",) if auto else (),
    )


def test_an_automatic_reply_is_a_promise_never_an_answer(ws):
    application = _mail(
        "a@x", "Could you tell me when the interviews for the role are?", "jan@example.com", MONDAY
    )
    auto = _mail(
        "b@x",
        "Thank you for applying. We'll get back to you within two weeks.",
        "no-reply@northwind.example",
        hours_after(MONDAY, 0.01),
        ("a@x",),
        auto=True,
    )
    ws.ingest().batch(batch(application, auto))
    [case] = _cases(ws)
    assert case["first_response_at"] is None
    [promise] = _promises(ws)
    assert promise["due_at"] == auto.created_at + timedelta(days=14)
    assert promise["kept_at"] is None and promise["to_author_id"] == "jan@example.com"


def test_a_later_mail_in_the_references_chain_answers_and_keeps_the_promise(ws):
    application = _mail(
        "a@x", "Could you tell me when the interviews are?", "jan@example.com", MONDAY
    )
    auto = _mail(
        "b@x",
        "Thanks! We'll get back to you within two weeks.",
        "no-reply@northwind.example",
        hours_after(MONDAY, 0.01),
        ("a@x",),
        auto=True,
    )
    chase = _mail(
        "c@x",
        "Any update on my application?",
        "jan@example.com",
        MONDAY + timedelta(days=10),
        ("a@x", "b@x"),
    )
    answer = _mail(
        "d@x",
        "Hi Jan, interviews are next Tuesday.",
        "careers@northwind.example",
        MONDAY + timedelta(days=11),
        ("a@x", "b@x", "c@x"),
    )
    ws.ingest().batch(batch(application, auto, chase, answer))
    [case] = _cases(ws)
    assert case["chase_count"] == 1 and case["first_response_at"] == answer.created_at
    [promise] = _promises(ws)
    assert promise["kept_at"] == answer.created_at


@pytest.mark.parametrize("status", ["pending", "snoozed"])
def test_a_new_post_wakes_a_case_waiting_on_the_candidate_or_snoozed(ws, status):
    ingest = ws.ingest()
    ingest.batch(batch(post("1", QUESTION)))
    with ws.engine.begin() as conn:
        conn.execute(
            cases.update().values(status=status, snoozed_until=MONDAY + timedelta(days=30))
        )
    ingest.batch(
        batch(post("2", "@NorthwindLabs any update?", at=hours_after(MONDAY, 4), parent="1"))
    )
    [case] = _cases(ws)
    assert (case["status"], case["snoozed_until"], case["chase_count"]) == ("open", None, 1)
