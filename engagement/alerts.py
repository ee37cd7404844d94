"""Telling the team before it is too late: SLA about to breach, promise about to break, anger.

Alerts go to an e-mail address and to a Slack-compatible incoming webhook. Each alert has a key
(kind + case, promise or day) reserved in the audit log, so it is sent at most once; a failed
send frees its key and is tried again on the next run. With ``digest`` every new alert of a run
travels in one message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pandas as pd
import requests
from sqlalchemy import Connection

from analysis.listening import mark_spikes
from engagement.alert_text import one_line, slack_escape
from engagement.smtp import SMTP_ERRORS, send_mail
from pipeline.workspace import Workspace
from settings import Settings
from store import alerts, events
from store.listening import daily_volume
from store.report_frames import Period


class AlertDeliveryError(Exception):
    """An alert channel refused the message (the reason names the channel, never a secret)."""


@dataclass(frozen=True)
class Alert:
    kind: str
    subject: str
    text: str
    case_id: int | None = None

    @property
    def key(self) -> str:
        return f"alert:{self.kind}:{self.subject}"


def _sla_alerts(conn: Connection, now: datetime, window: timedelta) -> list[Alert]:
    return [
        Alert(
            "sla_breach",
            str(r.id),
            f"Case {r.id} ({one_line(r.platform)}, {one_line(r.author_handle)}) "
            f"breaches its SLA at {r.due_at:%Y-%m-%d %H:%M} UTC",
            r.id,
        )
        for r in alerts.cases_due_within(conn, now, window)
    ]


def _promise_alerts(conn: Connection, now: datetime, window: timedelta) -> list[Alert]:
    return [
        Alert(
            "promise_due",
            str(r.id),
            f"A promise to {one_line(r.to_author_id)} on {one_line(r.platform)} "
            f"runs out at {r.due_at:%Y-%m-%d %H:%M} UTC with no word from us",
        )
        for r in alerts.promises_due_within(conn, now, window)
    ]


def _spike_alerts(conn: Connection, now: datetime) -> list[Alert]:
    daily = daily_volume(conn, Period(now - timedelta(days=8), now))
    negative = daily[["day", "negative"]].rename(columns={"negative": "posts"})
    marked = mark_spikes(negative)
    today = marked[(marked["day"] == pd.Timestamp(now.date())) & marked["spike"]]
    return [
        Alert(
            "negative_spike",
            f"{now:%Y-%m-%d}",
            f"Negative posts spike today: {int(row.posts)} so far, against a usual "
            f"{row.baseline:.1f} a day",
        )
        for row in today.itertuples()
    ]


def due_alerts(conn: Connection, now: datetime, window_hours: float) -> list[Alert]:
    window = timedelta(hours=window_hours)
    return (
        _sla_alerts(conn, now, window)
        + _promise_alerts(conn, now, window)
        + _spike_alerts(conn, now)
    )


def _digest(alerts: list[Alert]) -> str:
    lines = [f"Full Circle: {len(alerts)} thing(s) need attention"]
    return "\n".join(lines + [f"• {alert.text}" for alert in alerts])


@dataclass
class AlertChannels:
    """Where alerts go; either may be absent."""

    settings: Settings
    post: Callable[..., requests.Response] = requests.post

    @property
    def configured(self) -> bool:
        return self.settings.is_set("ALERT_WEBHOOK_URL") or self.settings.is_set("ALERT_EMAIL")

    def deliver(self, text: str) -> list[str]:
        """Send ``text`` to every configured channel; returns the channels used."""
        used = []
        if self.settings.is_set("ALERT_WEBHOOK_URL"):
            self._webhook(text)
            used.append("webhook")
        if self.settings.is_set("ALERT_EMAIL"):
            self._mail(text)
            used.append("email")
        return used

    def _webhook(self, text: str) -> None:
        """Post ``text`` Slack-escaped: names in it can neither mention nor mask a link."""
        try:
            response = self.post(
                self.settings.get("ALERT_WEBHOOK_URL"),
                json={"text": slack_escape(text)},
                timeout=10,
            )
        except requests.RequestException as exc:
            raise AlertDeliveryError(f"webhook unreachable ({type(exc).__name__})") from None
        if response.status_code >= 300:
            raise AlertDeliveryError(f"webhook answered {response.status_code}")

    def _mail(self, text: str) -> None:
        """Mail ``text`` as a single text/plain part: nothing in it is markup to a mail client."""
        s = self.settings
        message = EmailMessage()
        message["From"] = s.get("SMTP_FROM") or "full-circle@localhost"
        message["To"] = s.get("ALERT_EMAIL")
        message["Subject"] = text.splitlines()[0][:120]
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid()
        message.set_content(text)
        try:
            send_mail(s, message)
        except SMTP_ERRORS as exc:
            raise AlertDeliveryError(f"alert mail not sent ({type(exc).__name__})") from None


@dataclass
class AlertRun:
    sent: list[Alert]
    failed: list[tuple[Alert, str]]


def _claim_new(ws: Workspace, alerts: list[Alert]) -> list[Alert]:
    """Reserve each alert's key; those already sent (or being sent) are dropped."""
    claimed = []
    with ws.engine.begin() as conn:
        for alert in alerts:
            if events.sent_post_id(conn, alert.key):
                continue
            try:
                events.claim(
                    conn,
                    alert.key,
                    "full-circle",
                    "alert",
                    alert.case_id,
                    {"kind": alert.kind, "text": alert.text},
                )
            except events.AlreadyInFlight:
                continue
            claimed.append(alert)
    return claimed


def _settle(
    ws: Workspace, alerts: list[Alert], channels: list[str] | None, error: str | None
) -> None:
    with ws.engine.begin() as conn:
        for alert in alerts:
            detail = {"kind": alert.kind, "text": alert.text}
            if error is None:
                events.complete(conn, alert.key, ",".join(channels or []), detail)
            else:
                events.release(conn, alert.key, detail, error, action="alert_failed")


def run_alerts(
    ws: Workspace,
    now: datetime | None = None,
    digest: bool = False,
    channels: AlertChannels | None = None,
) -> AlertRun:
    """Send every alert that is due and was not sent before."""
    now = now or datetime.now(UTC)
    channels = channels or AlertChannels(ws.settings)
    if not channels.configured:
        return AlertRun([], [])
    with ws.engine.connect() as conn:
        found = due_alerts(conn, now, float(ws.settings.get("ALERT_WINDOW_HOURS")))
    fresh = _claim_new(ws, found)
    groups = [fresh] if digest and fresh else [[alert] for alert in fresh]
    run = AlertRun([], [])
    for group in groups:
        text = _digest(group) if digest else group[0].text
        try:
            used = channels.deliver(text)
        except AlertDeliveryError as exc:
            _settle(ws, group, None, str(exc))
            run.failed.extend((alert, str(exc)) for alert in group)
            continue
        _settle(ws, group, used, None)
        run.sent.extend(group)
    return run
