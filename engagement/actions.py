"""Answering from Full Circle: reply on the post's channel, or carry the case to e-mail.

A sent reply is stored at once as a brand post through ``ingest`` — the same path a sync takes —
so the case is answered immediately and the next sync finds the post already stored.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from connectors.base import Batch, NotConfiguredError, Post
from engagement.once import send_once
from engagement.senders import OutgoingReply, Sender, sender_for
from pipeline.workspace import Workspace
from store import cases as case_store
from store.accounts import list_accounts
from store.events import log_event

TEMPLATE_VARIABLES = ("first_name", "role", "recruiter")
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class CaseNotFound(LookupError):
    """No case with that id (it may have been erased)."""


class TemplateError(ValueError):
    """A saved reply names a variable we do not know or that has no value."""


@dataclass(frozen=True)
class SentReply:
    post_id: str
    via: str
    sandbox: bool


def render_template(template: str, values: dict[str, str]) -> str:
    """Fill ``{first_name}``, ``{role}``, ``{recruiter}``; refuse unknown or empty ones."""
    names = {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
    unknown = sorted(names - set(TEMPLATE_VARIABLES))
    if unknown:
        raise TemplateError(f"unknown variable(s) {', '.join(unknown)}; use {variables_hint()}")
    empty = sorted(name for name in names if not (values.get(name) or "").strip())
    if empty:
        raise TemplateError(f"fill in {', '.join(empty)} before sending")
    return template.format(**{name: values[name] for name in names})


def template_problem(template: str) -> str | None:
    """Why a saved reply cannot be stored: a variable we cannot fill (the editor and the
    composer accept the same ones, ``TEMPLATE_VARIABLES``)."""
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError as exc:
        return f"unbalanced braces ({exc})"
    unknown = sorted(names - set(TEMPLATE_VARIABLES))
    if unknown:
        return f"unknown variable(s) {', '.join(unknown)}; use {variables_hint()}"
    return None


def fill_known(template: str, values: dict[str, str]) -> str:
    """The template with every variable that has a value filled in; the others stay as
    ``{name}`` for the person to see, and ``outgoing_problem`` stops them from leaving."""
    return _PLACEHOLDER.sub(
        lambda m: (values.get(m.group(0)[1:-1]) or "").strip() or m.group(0), template
    )


def variables_hint() -> str:
    return ", ".join("{" + v + "}" for v in TEMPLATE_VARIABLES)


_PLACEHOLDER = re.compile(r"\{[A-Za-z_]+\}")


def outgoing_problem(text: str) -> str | None:
    """Why a reply must not leave: an empty body, or a template variable still unfilled (a
    public "Hi {first_name}" is worse than no answer)."""
    if not text.strip():
        return "the reply is empty"
    left = sorted(set(_PLACEHOLDER.findall(text)))
    if left:
        return f"fill in {', '.join(left)} first"
    return None


def first_name(author_name: str | None, handle: str) -> str:
    """A greeting name: the display name's first word, else the handle without decoration."""
    if author_name and author_name.strip():
        return author_name.split()[0]
    return handle.split("@")[0].lstrip("@").split(".")[0].split("_")[0].capitalize()


def _brand_account(conn: Connection, platform: str, settings) -> dict[str, Any]:
    accounts = [a for a in list_accounts(conn) if a["platform"] == platform]
    if platform == "email" and settings.is_set("SMTP_FROM"):
        wanted = settings.get("SMTP_FROM").lower()
        accounts = [a for a in accounts if a["handle"].lower() == wanted] or accounts
    if not accounts:
        raise NotConfiguredError(
            f"no brand account on {platform}: add one with "
            f"`python cli.py brand add {platform} HANDLE`"
        )
    return accounts[0]


def _load(ws: Workspace, case_id: int) -> tuple[dict, list[dict], dict]:
    with ws.engine.connect() as conn:
        case = case_store.cases_by_id(conn, [case_id]).get(case_id)
        if case is None:
            raise CaseNotFound(f"case {case_id} does not exist")
        posts = case_store.case_posts(conn, case_id)
        brand = _brand_account(conn, case["platform"], ws.settings)
    return case, posts, brand


def _store_brand_post(
    ws: Workspace, reply: OutgoingReply, post_id: str, brand: dict, sandbox: bool
) -> None:
    parent = reply.in_reply_to
    post = Post(
        platform=reply.platform,
        external_id=post_id,
        author_id=brand["external_user_id"] or brand["handle"],
        author_handle=brand["handle"],
        text=reply.text,
        created_at=datetime.now(UTC),
        thread_key=reply.thread_key,
        parent_external_id=parent,
        reply_to=(*reply.references, parent) if parent else (),
        recipients=(reply.to_address,) if reply.to_address else (),
        subject=reply.subject,
        source="demo:sandbox" if sandbox else "reply",
    )
    ws.ingest().batch(Batch("replies", [post]))


def reply_to_case(
    ws: Workspace, case_id: int, text: str, *, actor: str, key: str, sender: Sender | None = None
) -> SentReply:
    """Answer the case's latest post on its own channel, once per ``key``."""
    if problem := outgoing_problem(text):
        raise TemplateError(problem)
    case, posts, brand = _load(ws, case_id)
    target = posts[-1]
    platform = case["platform"]
    email = platform == "email"
    reply = OutgoingReply(
        platform=platform,
        text=text,
        in_reply_to=target["external_id"],
        thread_key=target["thread_key"],
        to_address=target["author_id"] if email else None,
        subject=target["subject"],
        references=tuple(r for r in (target["thread_key"], target["parent_external_id"]) if r)
        if email
        else (),
    )
    sender = sender or sender_for(platform, ws.settings, ws.is_demo())
    post_id = send_once(
        ws,
        key,
        lambda: sender.send(reply, key),
        actor=actor,
        case_id=case_id,
        detail={"text": text, "via": sender.label, "sandbox": sender.sandbox},
    )
    _store_brand_post(ws, reply, post_id, brand, sender.sandbox)
    return SentReply(post_id, sender.label, sender.sandbox)


def move_to_email(
    ws: Workspace,
    case_id: int,
    to_address: str,
    text: str,
    *,
    actor: str,
    key: str,
    subject: str | None = None,
    sender: Sender | None = None,
) -> SentReply:
    """Carry the case to a private channel: mail the candidate and link that thread.

    The mail is a personal response (it sets the first response time if none yet); the case
    then waits, status ``pending``, until a brand mail answers in that thread.
    """
    if not to_address.strip():
        raise TemplateError("enter the candidate's e-mail address")
    if not _ADDRESS.fullmatch(to_address.strip()):
        raise TemplateError(f"{to_address!r} is not an e-mail address")
    if problem := outgoing_problem(text):
        raise TemplateError(problem)
    to_address = to_address.strip()
    case, _, _ = _load(ws, case_id)
    with ws.engine.connect() as conn:
        brand = _brand_account(conn, "email", ws.settings)
    reply = OutgoingReply(
        platform="email",
        text=text,
        in_reply_to=None,
        thread_key="",
        to_address=to_address,
        subject=subject or "Your question to us",
    )
    sender = sender or sender_for("email", ws.settings, ws.is_demo())
    message_id = send_once(
        ws,
        key,
        lambda: sender.send(reply, key),
        actor=actor,
        case_id=case_id,
        detail={"to": to_address, "via": sender.label, "sandbox": sender.sandbox},
    )
    reply = OutgoingReply("email", text, None, message_id, to_address, reply.subject)
    _store_brand_post(ws, reply, message_id, brand, sender.sandbox)
    now = datetime.now(UTC)
    hours = None if case["first_response_at"] else ws.policy.response_hours(case["opened_at"], now)
    with ws.engine.begin() as conn:
        case_store.link_to_private_thread(conn, case_id, message_id, now, hours)
        log_event(conn, actor, "moved_to_email", case_id, {"thread": message_id})
    return SentReply(message_id, sender.label, sender.sandbox)
