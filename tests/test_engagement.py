"""Answering from Full Circle: every channel's reply path, once per key, and the move to e-mail."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import responses
from sqlalchemy import select

from connectors.base import NotConfiguredError, PlatformError
from engagement.actions import (
    TemplateError,
    fill_known,
    first_name,
    move_to_email,
    outgoing_problem,
    render_template,
    reply_to_case,
)
from engagement.senders import SandboxSender, SmtpSender
from pipeline.workspace import open_workspace
from store.accounts import add_account
from store.schema import cases, events, posts
from tests.conftest import workspace_settings
from tests.support.factories import batch, post
from tests.support.smtp_server import smtp_server

RECENT = datetime.now(UTC) - timedelta(hours=2)


def _case(
    ws, platform="x", author="sam_dev", text="@NorthwindLabs is the Berlin role remote?", **extra
):
    ws.ingest().batch(
        batch(post("q1", text, author=author, platform=platform, at=RECENT, thread="q1", **extra))
    )
    with ws.engine.connect() as conn:
        return conn.execute(select(cases)).mappings().one()


def _with_brand(ws):
    with ws.engine.begin() as conn:
        add_account(conn, "x", "NorthwindLabs", "100")
        add_account(conn, "email", "careers@northwind.example")
    return ws


def _smtp_ws(db_url, port, **extra):
    ws = open_workspace(
        workspace_settings(
            db_url,
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(port),
            SMTP_STARTTLS="false",
            SMTP_FROM="careers@northwind.example",
            **extra,
        )
    )
    return _with_brand(ws)


def _events(ws, case_id):
    with ws.engine.connect() as conn:
        return conn.execute(
            select(events.c.action, events.c.detail)
            .where(events.c.case_id == case_id)
            .order_by(events.c.id)
        ).all()


def test_a_sandbox_reply_answers_the_case_at_once_and_only_once(workspace):
    ws = _with_brand(workspace)
    case = _case(ws)
    first = reply_to_case(
        ws, case["id"], "Yes, hybrid!", actor="lena", key="k1", sender=SandboxSender()
    )
    again = reply_to_case(
        ws, case["id"], "Yes, hybrid!", actor="lena", key="k1", sender=SandboxSender()
    )
    assert first == again and first.sandbox
    with ws.engine.connect() as conn:
        answered = conn.execute(select(cases.c.first_response_at)).scalar_one()
        brand_posts = conn.execute(
            select(posts.c.external_id, posts.c.is_brand).where(posts.c.is_brand)
        ).all()
    assert answered is not None and brand_posts == [(first.post_id, True)]
    assert [(a, d["state"]) for a, d in _events(ws, case["id"])] == [("reply", "sent")]


def test_without_credentials_outside_the_demo_the_missing_settings_are_named(workspace):
    ws = _with_brand(workspace)
    case = _case(ws)
    with pytest.raises(NotConfiguredError, match="X_API_KEY"):
        reply_to_case(ws, case["id"], "Hello", actor="lena", key="k1")


def test_the_demo_workspace_replies_through_the_sandbox(db_url):
    ws = open_workspace(workspace_settings(db_url))
    ws.seed_demo(300, end=datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0))
    with ws.engine.connect() as conn:
        case_id = conn.execute(
            select(cases.c.id).where(cases.c.first_response_at.is_(None)).limit(1)
        ).scalar_one()
    sent = reply_to_case(ws, case_id, "Thanks for asking!", actor="lena", key="demo-1")
    assert sent.sandbox and "Sandbox" in sent.via
    assert ws.counts()[1] == 0  # the sandbox reply keeps the workspace a demo


def test_an_email_reply_is_threaded_and_sent_through_smtp(db_url):
    with smtp_server() as (port, inbox):
        ws = _smtp_ws(db_url, port)
        case = _case(
            ws,
            platform="email",
            author="jan@example.com",
            text="Could you tell me when the interviews are?",
            subject="Application",
        )
        sent = reply_to_case(ws, case["id"], "Hi Jan, next Tuesday.", actor="lena", key="m1")
    [message] = inbox.messages
    assert message["In-Reply-To"] == "<q1>" and "<q1>" in message["References"]
    assert message["Subject"] == "Re: Application" and message["To"] == "jan@example.com"
    assert message["Message-ID"].strip("<>") == sent.post_id
    with ws.engine.connect() as conn:
        assert conn.execute(select(cases.c.first_response_at)).scalar_one() is not None


def test_a_failed_send_keeps_nothing_half_done_and_may_be_retried(db_url):
    ws = _smtp_ws(db_url, 1)  # nothing listens on port 1
    case = _case(
        ws,
        platform="email",
        author="jan@example.com",
        text="Could you tell me when the interviews are?",
    )
    with pytest.raises(PlatformError, match="not sent"):
        reply_to_case(ws, case["id"], "Hi Jan", actor="lena", key="m1")
    assert [a for a, _ in _events(ws, case["id"])] == ["reply_failed"]
    with ws.engine.connect() as conn:
        assert conn.execute(select(cases.c.first_response_at)).scalar_one() is None
    with smtp_server() as (port, inbox):
        retry = SmtpSender(
            workspace_settings(
                db_url,
                SMTP_HOST="127.0.0.1",
                SMTP_PORT=str(port),
                SMTP_STARTTLS="false",
                SMTP_FROM="careers@northwind.example",
            )
        )
        reply_to_case(ws, case["id"], "Hi Jan", actor="lena", key="m1", sender=retry)
    assert len(inbox.messages) == 1


@responses.activate
def test_an_x_reply_posts_in_reply_to_the_candidate(db_url):
    body = {"data": {"id": "1456012973835788293", "text": "Yes, hybrid!"}}
    responses.add(responses.POST, "https://api.twitter.com/2/tweets", json=body, status=201)
    ws = _with_brand(
        open_workspace(
            workspace_settings(
                db_url,
                X_API_KEY="k",
                X_API_SECRET="s",
                X_ACCESS_TOKEN="t",
                X_ACCESS_TOKEN_SECRET="ts",
            )
        )
    )
    case = _case(ws)
    sent = reply_to_case(ws, case["id"], "Yes, hybrid!", actor="lena", key="x1")
    assert sent.post_id == "1456012973835788293" and not sent.sandbox
    sent_body = json.loads(responses.calls[0].request.body)
    assert sent_body == {"text": "Yes, hybrid!", "reply": {"in_reply_to_tweet_id": "q1"}}


@responses.activate
def test_an_x_failure_shows_the_platform_reason_and_is_not_retried(db_url):
    responses.add(
        responses.POST,
        "https://api.twitter.com/2/tweets",
        status=403,
        json={"detail": "You are not allowed to reply to this post.", "title": "x"},
    )
    ws = _with_brand(
        open_workspace(
            workspace_settings(
                db_url,
                X_API_KEY="k",
                X_API_SECRET="s",
                X_ACCESS_TOKEN="t",
                X_ACCESS_TOKEN_SECRET="ts",
            )
        )
    )
    case = _case(ws)
    with pytest.raises(PlatformError, match="403"):
        reply_to_case(ws, case["id"], "Yes", actor="lena", key="x1")
    assert len(responses.calls) == 1


def test_moving_to_email_links_the_thread_and_closes_when_answered_there(db_url):
    with smtp_server() as (port, inbox):
        ws = _smtp_ws(db_url, port)
        case = _case(ws)
        moved = move_to_email(
            ws,
            case["id"],
            "sam@example.com",
            "Hi Sam, let's continue by mail.",
            actor="lena",
            key="mv1",
        )
        with ws.engine.connect() as conn:
            linked = conn.execute(
                select(cases.c.status, cases.c.linked_thread_key, cases.c.first_response_at).where(
                    cases.c.id == case["id"]
                )
            ).one()
        assert linked[0] == "pending" and linked[1] == moved.post_id and linked[2] is not None
        later = datetime.now(UTC)
        candidate = post(
            "c1",
            "Thanks! Could you send me the salary range?",
            author="sam@example.com",
            platform="email",
            thread=moved.post_id,
            parent=moved.post_id,
            at=later - timedelta(minutes=30),
        )
        ws.ingest().batch(batch(candidate))
        answer = post(
            "a1",
            "Hi Sam, 70-80k.",
            author="careers@northwind.example",
            platform="email",
            thread=moved.post_id,
            parent="c1",
            reply_to=(moved.post_id, "c1"),
            at=later - timedelta(minutes=5),
        )
        ws.ingest().batch(batch(answer))
    assert inbox.messages[0]["To"] == "sam@example.com"
    with ws.engine.connect() as conn:
        status = conn.execute(
            select(cases.c.status, cases.c.close_reason).where(cases.c.id == case["id"])
        ).one()
    assert tuple(status) == ("closed", "answered by e-mail")
    assert [a for a, _ in _events(ws, case["id"])] == ["reply", "moved_to_email"]


def test_saved_replies_fill_their_variables_and_refuse_unknown_ones():
    template = "Hi {first_name}, thanks for asking about the {role} role. — {recruiter}"
    values = {"first_name": "Sam", "role": "backend", "recruiter": "Lena"}
    assert render_template(template, values).startswith("Hi Sam, thanks")
    with pytest.raises(TemplateError, match="fill in role"):
        render_template(template, {**values, "role": ""})
    with pytest.raises(TemplateError, match="unknown variable"):
        render_template("Hi {name}", values)
    assert first_name("Sam de Vries", "sam_dev") == "Sam"
    assert first_name(None, "jan.jansen@example.com") == "Jan"


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "the reply is empty"),
        ("   \n", "the reply is empty"),
        ("Hi {first_name}, let's continue by mail about the {role} role.", "fill in"),
    ],
)
def test_an_empty_or_unfilled_reply_is_sent_nowhere(workspace, text, message):
    ws = _with_brand(workspace)
    case = _case(ws)
    sender = SandboxSender()
    with pytest.raises(TemplateError, match=message):
        reply_to_case(ws, case["id"], text, actor="lena", key="k1", sender=sender)
    with pytest.raises(TemplateError, match=message):
        move_to_email(
            ws, case["id"], "sam@example.com", text, actor="lena", key="k2", sender=sender
        )
    with ws.engine.connect() as conn:
        assert conn.execute(select(posts.c.id).where(posts.c.is_brand)).all() == []
    assert _events(ws, case["id"]) == []


@pytest.mark.parametrize("address", ["", "  ", "sam", "sam@", "@example.com"])
def test_moving_to_email_without_an_address_sends_nothing_anywhere(workspace, address):
    ws = _with_brand(workspace)
    case = _case(ws)
    with pytest.raises(TemplateError, match="address"):
        move_to_email(
            ws,
            case["id"],
            address,
            "Hi Sam, by mail?",
            actor="lena",
            key="k",
            sender=SandboxSender(),
        )
    with ws.engine.connect() as conn:
        assert conn.execute(select(posts.c.id).where(posts.c.is_brand)).all() == []


def test_a_template_missing_one_value_fills_the_others():
    template = "Hi {first_name}, about the {role} role. — {recruiter}"
    filled = fill_known(template, {"first_name": "Sam", "role": " ", "recruiter": "Lena"})
    assert filled == "Hi Sam, about the {role} role. — Lena"
    assert outgoing_problem(filled) == "fill in {role} first"
