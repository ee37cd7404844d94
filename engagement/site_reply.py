"""Recording a reply the team published on a review site, as the brand's answer to the review.

Glassdoor, Indeed and kununu let an employer answer a review on the site only; no API takes
the reply from us. So the team answers there and tells Full Circle what it published: the
text, when, and the link. That is stored as a brand post replying to the review, through
ingest like every other post, so the case is answered at the reply's time and its response
time runs from the review to the reply, exactly as for a reply sent from the dashboard.
Each review has one employer reply on these sites, so the reply is recorded once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from connectors.base import MAX_URL, Batch, NotConfiguredError, clean_text, post_text
from connectors.reviews import PLATFORM, employer_reply, reply_id
from engagement.actions import CaseNotFound
from pipeline.workspace import Workspace
from settings import redact
from store import cases as case_store
from store import events
from store import posts as post_store
from store.accounts import list_accounts

ACTION = "replied_on_site"
SOURCE = "site-reply"
_LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
CLOCK_SLACK = timedelta(minutes=5)  # a reply "now" on a clock a little ahead is still now


class SiteReplyError(ValueError):
    """The reply cannot be recorded as given; the message says what to correct."""


@dataclass(frozen=True)
class SiteReply:
    """What the team published: the reply's text, when it went up, and its link (optional)."""

    text: str
    at: datetime
    url: str | None = None


def reply_problem(reply: SiteReply, review_at: datetime, now: datetime) -> str | None:
    """Why this reply cannot be the answer to a review written at ``review_at``, or None."""
    if not reply.text.strip():
        return "enter the reply as it was published on the site"
    if reply.at.tzinfo is None:
        return "the reply time needs a time zone"
    if reply.at < review_at:
        return f"the reply time is before the review ({review_at:%d %b %Y %H:%M} UTC)"
    if reply.at > now + CLOCK_SLACK:
        return "the reply time is in the future"
    if reply.url:
        if not _LINK.fullmatch(reply.url):
            return "the link must be one web address starting with https:// or http://"
        if len(reply.url) > MAX_URL:
            return f"the link is longer than {MAX_URL} characters"
    return None


def _brand(ws: Workspace) -> dict:
    with ws.engine.connect() as conn:
        accounts = [a for a in list_accounts(conn) if a["platform"] == PLATFORM]
    if not accounts:
        raise NotConfiguredError(
            "no employer name on the review sites: add it with "
            "`python cli.py brand add reviews NAME`"
        )
    return accounts[0]


def record_site_reply(
    ws: Workspace, case_id: int, reply: SiteReply, *, actor: str, now: datetime
) -> str:
    """Store ``reply`` as the brand's answer to the review of case ``case_id``, audited as
    ``replied_on_site`` under ``actor``; returns the reply's post id."""
    with ws.engine.connect() as conn:
        case = case_store.cases_by_id(conn, [case_id]).get(case_id)
        if case is None:
            raise CaseNotFound(f"case {case_id} does not exist")
        if case["platform"] != PLATFORM:
            raise SiteReplyError("only review cases are answered on a review site")
        review = case_store.case_posts(conn, case_id)[-1]
        external_id = reply_id(review["external_id"])
        if post_store.ids_for(conn, [(PLATFORM, external_id)]):
            raise SiteReplyError("the reply to this review is already recorded")
    brand = _brand(ws)
    url = (reply.url or "").strip() or None
    reply = SiteReply(clean_text(reply.text).strip(), reply.at, url)
    if problem := reply_problem(reply, review["created_at"], now):
        raise SiteReplyError(problem)
    text, _ = post_text(reply.text)
    detail = {"text": text, "replied_at": reply.at.isoformat(), "url": url}
    key = f"{ACTION}:{external_id}"
    with ws.engine.begin() as conn:
        try:
            events.claim(conn, key, actor, ACTION, case_id, detail)
        except events.AlreadyInFlight:
            raise SiteReplyError("the reply to this review is already recorded") from None
    post = employer_reply(
        review["external_id"],
        brand["external_user_id"] or brand["handle"],
        brand["handle"],
        text,
        reply.at,
        url,
        SOURCE,
    )
    try:
        ws.ingest().batch(Batch("replies", [post]))
    except Exception as exc:  # the key is freed so the team can record it again
        with ws.engine.begin() as conn:
            events.release(conn, key, detail, redact(str(exc)), action=f"{ACTION}_failed")
        raise
    with ws.engine.begin() as conn:
        events.complete(conn, key, external_id, detail)
    return external_id
