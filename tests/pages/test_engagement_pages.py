"""Answering from the dashboard: open a case, pick a saved reply, send, see it answered."""

from __future__ import annotations

from sqlalchemy import select

from store import presence
from store.schema import cases, events, posts
from tests.pages.conftest import expected_backlog, run_app, select_rows


def _open_first_case(demo):
    at = run_app()
    at.selectbox(key="actor").set_value("Ben Okafor").run()
    case_id = int(expected_backlog(demo)["id"][0])
    at = select_rows(at, [0])
    return at, case_id


def test_the_whole_flow_from_backlog_to_answered_case_in_the_sandbox(demo):
    at, case_id = _open_first_case(demo)
    assert at.session_state["case_id"] == case_id
    assert any("Sandbox" in i.value for i in at.info)
    at.text_input(key=f"role-{case_id}").set_value("backend").run()
    at.selectbox(key=f"template-{case_id}").set_value("Thanks, we're on it").run()
    at.button(key=f"send-{case_id}").click().run()
    assert not at.exception
    with demo.engine.connect() as conn:
        answered = conn.execute(
            select(cases.c.first_response_at, cases.c.first_response_post_id).where(
                cases.c.id == case_id
            )
        ).one()
        trail = conn.execute(
            select(events.c.action, events.c.actor, events.c.detail).where(
                events.c.case_id == case_id
            )
        ).all()
        reply = conn.execute(
            select(posts.c.text, posts.c.is_brand, posts.c.source).where(
                posts.c.id == answered.first_response_post_id
            )
        ).one()
    assert answered.first_response_at is not None
    assert [(t.action, t.actor, t.detail["state"]) for t in trail] == [
        ("reply", "Ben Okafor", "sent")
    ]
    assert reply.is_brand and reply.source == "demo:sandbox"
    assert "We're looking into this" in reply.text and reply.text.endswith("— Ben Okafor")
    assert case_id not in set(expected_backlog(demo)["id"])
    shown = [*map(str, (e.value for e in at.success)), *(str(t.value) for t in at.toast)]
    assert any("Reply sent into the sandbox" in text for text in shown), shown


def test_a_double_click_sends_one_reply(demo):
    at, case_id = _open_first_case(demo)
    at.text_area(key=f"draft-{case_id}").set_value("Hi, we are on it.").run()
    key = at.session_state[f"send-key-{case_id}"]
    at.button(key=f"send-{case_id}").click().run()
    from engagement.actions import reply_to_case  # the same key again: a second click

    again = reply_to_case(demo, case_id, "Hi, we are on it.", actor="Ben Okafor", key=key)
    with demo.engine.connect() as conn:
        replies = (
            conn.execute(select(posts.c.external_id).where(posts.c.source == "demo:sandbox"))
            .scalars()
            .all()
        )
    assert replies == [again.post_id]


def test_an_empty_reply_is_refused_and_nothing_changes(demo):
    at, case_id = _open_first_case(demo)
    at.button(key=f"send-{case_id}").click().run()
    assert any("Not sent" in e.value and "empty" in e.value for e in at.error)
    with demo.engine.connect() as conn:
        assert (
            conn.execute(select(cases.c.first_response_at).where(cases.c.id == case_id)).scalar()
            is None
        )


def test_moving_to_email_links_the_case_and_waits_for_the_mail_thread(demo):
    at, case_id = _open_first_case(demo)
    at.toggle(key=f"move-{case_id}").set_value(True).run()
    at.text_input(key=f"address-{case_id}").set_value("sam@example.com").run()
    at.text_area(key=f"draft-{case_id}").set_value("Hi Sam, let's continue by mail.").run()
    at.button(key=f"send-{case_id}").click().run()
    with demo.engine.connect() as conn:
        status, linked = conn.execute(
            select(cases.c.status, cases.c.linked_thread_key).where(cases.c.id == case_id)
        ).one()
        actions = (
            conn.execute(
                select(events.c.action).where(events.c.case_id == case_id).order_by(events.c.id)
            )
            .scalars()
            .all()
        )
    assert status == "pending" and linked and actions == ["reply", "moved_to_email"]


def test_two_people_on_one_case_see_each_other(demo):
    at, case_id = _open_first_case(demo)
    with demo.engine.begin() as conn:
        presence.beat(conn, case_id, "Chloé Martin", "drafting")
    at.run()
    assert any("Chloé Martin is writing a reply right now" in w.value for w in at.warning)
    with demo.engine.connect() as conn:
        seen = presence.others(conn, case_id, "Chloé Martin")
    assert seen == [("Ben Okafor", "viewing")]
