"""The Conversation page's "Replied on the site" form for review cases.

A review is answered on Glassdoor, Indeed or kununu, never from here; this records what the
team published there (``engagement.site_reply``), so the case counts as answered at that time.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from connectors.base import ConnectorError
from connectors.reviews import site_label
from dashboard import charts, display, session
from engagement.actions import CaseNotFound
from engagement.site_reply import SiteReply, SiteReplyError, record_site_reply
from pipeline.workspace import Workspace
from settings import redact


def review_site(case: dict) -> str:
    """The site a review case came from, as named on a page (its id is "site:review-id")."""
    return site_label(str(case["thread_key"]).partition(":")[0])


def render_site_reply(ws: Workspace, case: dict, now: datetime) -> None:
    """Where a reply would be composed: the link to the review and the form that records the
    employer's public reply (text, time, link). Answered cases show no form."""
    site = review_site(case)
    st.subheader(f"Reply on {display.escape_markdown(site)}")
    link = display.safe_url(case.get("url"))
    if link:
        st.link_button(f"Open the review on {site}", link, icon=":material/open_in_new:")
    if case["first_response_at"] is not None:
        st.caption(f"Answered {display.when(case['first_response_at'])}.")
        return
    st.caption(
        f"{site} takes replies on its own site only. Answer there, then record the reply "
        "here: the case is answered at the time you give, and its response time counts "
        "from the review to your reply."
    )
    case_id = case["id"]
    text = st.text_area("The reply as published", key=f"site-text-{case_id}", height=120)
    day_col, time_col = st.columns(2)
    day = day_col.date_input(
        "Replied on (UTC)", now.date(), max_value=now.date(), key=f"site-day-{case_id}"
    )
    clock = time_col.time_input(
        "at (UTC)", now.time().replace(second=0, microsecond=0), key=f"site-time-{case_id}"
    )
    url = st.text_input(
        "Link to the reply (optional)", key=f"site-url-{case_id}", placeholder="https://…"
    )
    if st.button(
        "Replied on the site", key=f"site-reply-{case_id}", type="primary", icon=":material/done:"
    ):
        at = datetime.combine(day, clock, UTC)
        _record(ws, case_id, SiteReply(text, at, url or None), now)


def _record(ws: Workspace, case_id: int, reply: SiteReply, now: datetime) -> None:
    actor = session.choices().actor
    if not actor:
        st.warning(
            "Choose your name under **Working as** in the sidebar first: every change "
            "is recorded with who made it.",
            icon=":material/person:",
        )
        return
    try:
        record_site_reply(ws, case_id, reply, actor=actor, now=now)
    except (SiteReplyError, ConnectorError, CaseNotFound) as exc:
        reason = display.escape_markdown(redact(str(exc)))
        st.error(f"Not recorded — {reason}. Your text is kept.", icon=":material/error:")
        return
    charts.clear_reports()
    st.session_state["flash"] = f"Reply on the site recorded ({display.when(reply.at)})."
    st.rerun()
