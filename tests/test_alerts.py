"""Alerts reach the webhook and the mailbox, once per case and kind, digest on request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from engagement.alerts import run_alerts
from pipeline.workspace import open_workspace
from store.accounts import add_account
from store.schema import events
from tests.conftest import workspace_settings
from tests.support.factories import batch, post
from tests.support.smtp_server import smtp_server
from tests.support.webhook_server import webhook_receiver

NOW = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)  # a Wednesday


def _ws(db_url, **env):
    ws = open_workspace(workspace_settings(db_url, ALERT_WINDOW_HOURS="4", **env))
    with ws.engine.begin() as conn:
        add_account(conn, "email", "no-reply@northwind.example")
    return ws


def _seed(ws):
    """One case due in 2 business hours, one due in days, and a promise running out soon."""
    due_soon = datetime(2026, 10, 30, 13, 0, tzinfo=UTC)  # Fri 14:00 local: due Wed 14:00
    ws.ingest().batch(
        batch(
            post(
                "1", "@NorthwindLabs is the Berlin role open to remote?", author="sam", at=due_soon
            ),
            post(
                "2",
                "@NorthwindLabs how long does your hiring process take?",
                author="ria",
                at=NOW - timedelta(hours=1),
            ),
            post(
                "a",
                "Could you confirm you received my application?",
                author="jan@example.com",
                platform="email",
                thread="a",
                at=NOW - timedelta(days=14, hours=-2),
            ),
            post(
                "b",
                "Thanks for applying! We'll get back to you within two weeks.",
                author="no-reply@northwind.example",
                platform="email",
                thread="a",
                parent="a",
                is_auto_reply=True,
                at=NOW - timedelta(days=14, hours=-3),
            ),
        )
    )


def test_due_alerts_go_to_the_webhook_once_each(db_url):
    with webhook_receiver() as (url, received):
        ws = _ws(db_url, ALERT_WEBHOOK_URL=url)
        _seed(ws)
        first = run_alerts(ws, now=NOW)
        again = run_alerts(ws, now=NOW + timedelta(minutes=30))
    kinds = sorted(alert.kind for alert in first.sent)
    assert kinds == ["promise_due", "sla_breach"] and again.sent == []
    assert len(received) == 2 and any("SLA" in body["text"] for body in received)


def test_a_digest_sends_everything_in_one_message_by_mail(db_url):
    with smtp_server() as (port, inbox):
        ws = _ws(
            db_url,
            ALERT_EMAIL="lead@northwind.example",
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(port),
            SMTP_STARTTLS="false",
        )
        _seed(ws)
        run = run_alerts(ws, now=NOW, digest=True)
    [message] = inbox.messages
    assert len(run.sent) == 2 and message["To"] == "lead@northwind.example"
    assert "2 thing(s) need attention" in message["Subject"]


def test_a_failed_webhook_is_logged_and_retried_next_run(db_url):
    with webhook_receiver(status=500) as (url, _):
        ws = _ws(db_url, ALERT_WEBHOOK_URL=url)
        _seed(ws)
        failed = run_alerts(ws, now=NOW)
    assert failed.sent == [] and "webhook answered 500" in failed.failed[0][1]
    with webhook_receiver() as (url, received):
        ws = open_workspace(
            workspace_settings(db_url, ALERT_WEBHOOK_URL=url, ALERT_WINDOW_HOURS="4")
        )
        retried = run_alerts(ws, now=NOW)
    assert len(retried.sent) == 2 and len(received) == 2
    with ws.engine.connect() as conn:
        actions = sorted(conn.execute(select(events.c.action)).scalars())
    assert actions == ["alert", "alert", "alert_failed", "alert_failed"]


def test_a_negative_spike_today_is_alerted(db_url):
    with webhook_receiver() as (url, received):
        ws = _ws(db_url, ALERT_WEBHOOK_URL=url)
        calm = [
            post(
                f"c{d}",
                "Ghosted again by Northwind, terrible experience.",
                author=f"a{d}",
                at=NOW - timedelta(days=d),
            )
            for d in range(1, 8)
        ]
        angry = [
            post(
                f"s{i}",
                "Northwind ghosted me, awful and rude recruiters!",
                author=f"s{i}",
                at=NOW - timedelta(hours=1, minutes=i),
            )
            for i in range(8)
        ]
        ws.ingest().batch(batch(*calm, *angry))
        run = run_alerts(ws, now=NOW)
    spikes = [alert for alert in run.sent if alert.kind == "negative_spike"]
    assert len(spikes) == 1 and "8 so far" in spikes[0].text
    assert any("spike" in body["text"] for body in received)


def test_the_sources_page_lists_what_was_alerted(db_url, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    with webhook_receiver() as (url, _):
        ws = _ws(db_url, ALERT_WEBHOOK_URL=url)
        _seed(ws)
        run_alerts(ws, now=NOW)
    monkeypatch.setenv("DATABASE_URL", db_url)
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/sources.py").run()
    table = next(d.value for d in at.dataframe if "alert" in d.value.columns)
    assert sorted(table["kind"]) == ["promise_due", "sla_breach"]
    assert set(table["sent to"]) == {"webhook"}
    st.cache_resource.clear()


# Strangers choose their names: a quoted e-mail local part, an X-like handle, a CSV author.
MENTION = '"<!channel>"@evil.example'
MASKED_LINK = "<http://evil.example/login|Click here to keep your job>"
AMPERSAND = "Tom &lt;!here&gt; & Jerry"
FORGED_LINE = "sam\n• Case 7 (x, ceo) was answered, nothing to do"


def _seed_hostile(ws):
    """Four cases whose SLA runs out within the window, opened by hostile names."""
    due_soon = datetime(2026, 10, 30, 13, 0, tzinfo=UTC)  # due Wed 14:00 local
    ws.ingest().batch(
        batch(
            post(
                "m1",
                "Could you confirm you got my CV?",
                author=MENTION,
                platform="email",
                thread="m1",
                at=due_soon,
            ),
            post(
                "x1",
                "@NorthwindLabs is the Berlin role remote?",
                author=MASKED_LINK,
                thread="x1",
                at=due_soon,
            ),
            post(
                "x2",
                "@NorthwindLabs when will I hear back?",
                author=AMPERSAND,
                thread="x2",
                at=due_soon,
            ),
            post(
                "x3",
                "@NorthwindLabs any update on my interview?",
                author=FORGED_LINE,
                thread="x3",
                at=due_soon,
            ),
        )
    )


def test_webhook_alerts_cannot_page_the_channel_or_mask_a_link(db_url):
    """Slack reads ``<!channel>`` as "notify everyone" and ``<url|text>`` as a link that hides
    its address; ``&``, ``<`` and ``>`` are escaped as Slack asks, so names arrive as text."""
    with webhook_receiver() as (url, received):
        ws = _ws(db_url, ALERT_WEBHOOK_URL=url)
        _seed_hostile(ws)
        run = run_alerts(ws, now=NOW)
    texts = [body["text"] for body in received]
    assert len(run.sent) == len(texts) == 4
    joined = "\n".join(texts)
    assert "<" not in joined and ">" not in joined
    assert "&lt;!channel&gt;" in joined
    assert "&lt;http://evil.example/login|Click here to keep your job&gt;" in joined
    assert "Tom &amp;lt;!here&amp;gt; &amp; Jerry" in joined
    assert all(len(text.splitlines()) == 1 for text in texts), texts


def test_mail_alerts_are_plain_text_with_one_line_per_alert(db_url):
    """The mail carries what people wrote as plain text (no markup to interpret), and a name
    with a line break cannot add a forged alert line or a second subject line."""
    with smtp_server() as (port, inbox):
        ws = _ws(
            db_url,
            ALERT_EMAIL="lead@northwind.example",
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(port),
            SMTP_STARTTLS="false",
        )
        _seed_hostile(ws)
        run = run_alerts(ws, now=NOW, digest=True)
    [message] = inbox.messages
    body = message.get_content()
    assert not message.is_multipart() and message.get_content_type() == "text/plain"
    lines = body.strip().splitlines()
    assert len(run.sent) == 4 and len(lines) == 5  # the heading and one line per alert
    assert all(line.startswith("• Case ") for line in lines[1:])
    assert MENTION in body and MASKED_LINK in body and AMPERSAND in body
    assert "sam • Case 7 (x, ceo) was answered" in body
