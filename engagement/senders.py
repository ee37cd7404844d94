"""Posting a reply on the post's own channel, or into the sandbox when nothing is configured.

Each sender returns the platform's id of what it posted; the idempotency around it lives in
``replies.send_once`` so no sender needs to care about double clicks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from hashlib import sha256
from typing import Protocol

from connectors import bluesky_api, reddit_api, x_api, youtube_api
from connectors.base import NotConfiguredError, PlatformError
from engagement.mastodon_sender import MastodonSender
from engagement.smtp import SMTP_ERRORS, send_mail
from settings import SENDER_REQUIREMENTS, Settings


@dataclass(frozen=True)
class OutgoingReply:
    """What to send: the text and where it belongs on its platform."""

    platform: str
    text: str
    in_reply_to: str | None
    thread_key: str
    to_address: str | None = None
    subject: str | None = None
    references: tuple[str, ...] = ()


class Sender(Protocol):
    label: str
    sandbox: bool

    def send(self, reply: OutgoingReply, key: str) -> str: ...


@dataclass
class SandboxSender:
    """The demo's sender: records the reply, posts nothing anywhere, and says so."""

    label: str = "Sandbox — nothing leaves Full Circle"
    sandbox: bool = True

    def send(self, reply: OutgoingReply, key: str) -> str:
        return f"sandbox-{sha256(key.encode()).hexdigest()[:20]}"


@dataclass
class SmtpSender:
    """Mail from the recruiting mailbox, threaded with In-Reply-To and References."""

    settings: Settings
    label: str = "E-mail"
    sandbox: bool = False

    def message(self, reply: OutgoingReply) -> EmailMessage:
        if not reply.to_address:
            raise PlatformError("an e-mail reply needs the candidate's address")
        sender = self.settings.get("SMTP_FROM")
        message = EmailMessage()
        message["From"] = sender
        message["To"] = reply.to_address
        subject = reply.subject or "Your message to our recruiting team"
        message["Subject"] = subject if subject.lower().startswith("re:") else f"Re: {subject}"
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
        if reply.in_reply_to:
            message["In-Reply-To"] = f"<{reply.in_reply_to}>"
            chain = list(dict.fromkeys([*reply.references, reply.in_reply_to]))
            message["References"] = " ".join(f"<{ref}>" for ref in chain)
        message.set_content(reply.text)
        return message

    def send(self, reply: OutgoingReply, key: str) -> str:
        message = self.message(reply)
        try:
            send_mail(self.settings, message)
        except SMTP_ERRORS as exc:
            raise PlatformError(
                f"mail to {reply.to_address} not sent: {type(exc).__name__} "
                f"{getattr(exc, 'smtp_code', '')}".strip()
            ) from None
        return message["Message-ID"].strip("<>")


def _target(reply: OutgoingReply) -> str:
    """The post a public reply answers; one without it is refused before any call."""
    if not reply.in_reply_to:
        raise PlatformError(f"a reply on {reply.platform} needs the post it answers")
    return reply.in_reply_to


def _reply_on_x(settings: Settings, reply: OutgoingReply) -> str:
    client = x_api.make_client(
        settings.get("X_BEARER_TOKEN"),
        consumer_key=settings.get("X_API_KEY"),
        consumer_secret=settings.get("X_API_SECRET"),
        access_token=settings.get("X_ACCESS_TOKEN"),
        access_token_secret=settings.get("X_ACCESS_TOKEN_SECRET"),
    )
    return x_api.send_reply(client, reply.text, _target(reply))


def _reply_on_reddit(settings: Settings, reply: OutgoingReply) -> str:
    reddit = reddit_api.make_reddit(
        settings.get("REDDIT_CLIENT_ID"),
        settings.get("REDDIT_CLIENT_SECRET"),
        settings.get("REDDIT_USER_AGENT"),
        settings.get("REDDIT_USERNAME"),
        settings.get("REDDIT_PASSWORD"),
    )
    return reddit_api.send_reply(reddit, _target(reply), reply.text)


def _reply_on_youtube(settings: Settings, reply: OutgoingReply) -> str:
    credentials = youtube_api.load_oauth_credentials(settings.get("YOUTUBE_OAUTH_TOKEN_FILE"))
    writer = youtube_api.make_youtube_writer(credentials)
    return youtube_api.send_reply(writer, _target(reply), reply.text)


def _reply_on_bluesky(settings: Settings, reply: OutgoingReply) -> str:
    session = bluesky_api.login(
        settings.get("BLUESKY_HANDLE"),
        settings.get("BLUESKY_APP_PASSWORD"),
        settings.get("BLUESKY_SERVICE_URL"),
    )
    return bluesky_api.send_reply(session, _target(reply), reply.text)


@dataclass
class ApiSender:
    """A reply posted through a platform's API client (X, Reddit, YouTube)."""

    settings: Settings
    label: str
    reply_with: Callable[[Settings, OutgoingReply], str]
    sandbox: bool = False

    def send(self, reply: OutgoingReply, key: str) -> str:
        return self.reply_with(self.settings, reply)


LIVE_SENDERS: dict[str, Callable[[Settings], Sender]] = {
    "x": lambda settings: ApiSender(settings, "X", _reply_on_x),
    "reddit": lambda settings: ApiSender(settings, "Reddit", _reply_on_reddit),
    "youtube": lambda settings: ApiSender(settings, "YouTube", _reply_on_youtube),
    "email": SmtpSender,
    "mastodon": MastodonSender,
    "bluesky": lambda settings: ApiSender(settings, "Bluesky", _reply_on_bluesky),
}


# Channels whose API cannot post: the answer is written on the platform itself (as a brand
# account, where the next sync reads it as the brand's answer).
READ_ONLY: dict[str, str] = {
    "feed": "feeds are read-only: answer on the site itself (Open on Feeds), then close the case",
    "hn": "Hacker News is read-only here (its API cannot post): answer on news.ycombinator.com "
    "as a brand account registered with `cli.py brand add hn USER`; the next sync sees it",
}


def sender_for(platform: str, settings: Settings, demo: bool) -> Sender:
    """The live sender when its settings are complete; the sandbox in the demo workspace."""
    if platform in LIVE_SENDERS and platform in SENDER_REQUIREMENTS:
        missing = settings.missing_for_sending(platform)
        if not missing:
            return LIVE_SENDERS[platform](settings)
    else:
        missing = [f"{platform} replies"]
    if demo:
        return SandboxSender()
    if platform in READ_ONLY:
        raise NotConfiguredError(READ_ONLY[platform])
    raise NotConfiguredError(f"cannot reply on {platform}: set {', '.join(missing)}")
