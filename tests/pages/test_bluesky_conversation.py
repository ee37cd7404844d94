"""A Bluesky case of the demo answered from the Conversation page: the reply lands in the
thread (in the demo's sandbox) and the case counts as answered."""

from __future__ import annotations

from sqlalchemy import select

from store.schema import cases, posts
from tests.pages.conftest import expected_backlog, run_app, select_rows


def test_a_demo_bluesky_case_is_answered_from_the_conversation_page(demo):
    at = run_app()
    at.selectbox(key="actor").set_value("Ben Okafor").run()
    backlog = expected_backlog(demo)
    [row] = [i for i, platform in enumerate(backlog["platform"]) if platform == "bluesky"][:1]
    case_id = int(backlog["id"][row])
    at = select_rows(at, [row])
    assert at.session_state["case_id"] == case_id
    at.text_area(key=f"draft-{case_id}").set_value("Hi, thanks for asking, we are on it!").run()
    at.button(key=f"send-{case_id}").click().run()
    assert not at.exception
    with demo.engine.connect() as conn:
        answered = conn.execute(
            select(cases.c.first_response_post_id).where(cases.c.id == case_id)
        ).one()
        reply = conn.execute(
            select(
                posts.c.platform, posts.c.is_brand, posts.c.thread_key, posts.c.parent_external_id
            ).where(posts.c.id == answered.first_response_post_id)
        ).one()
        answered_post = conn.execute(
            select(posts.c.author_handle, posts.c.thread_key).where(
                posts.c.external_id == reply.parent_external_id
            )
        ).one()
    assert reply.platform == "bluesky" and reply.is_brand
    assert reply.thread_key == answered_post.thread_key  # in the thread of the post it answers
    assert answered_post.author_handle == backlog["author_handle"][row]
    assert case_id not in set(expected_backlog(demo)["id"])
