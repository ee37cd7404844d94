"""Conversation: the whole thread, the case panel, a reply; the person's history and the trail
when opened."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from analysis.cases import CaseStatus
from dashboard import case_controls, case_history, display, session, views
from dashboard.composer import render_composer
from dashboard.site_reply import render_site_reply
from pipeline.cases import add_to_backlog
from pipeline.workspace import Workspace
from store import case_actions, queries

STATUS_COLORS = {
    CaseStatus.OPEN: "blue",
    CaseStatus.PENDING: "violet",
    CaseStatus.SNOOZED: "orange",
    CaseStatus.CLOSED: "green",
}


def render_panel(ws: Workspace, case: dict, team: list[str], now: datetime) -> None:
    """Status, owner, due time and the actions that change them."""
    answered = case["first_response_at"] is not None
    due = display.due_text(case["due_at"], now, answered)
    # Overdue in red only where someone must act: a closed case is done, and a waiting or
    # snoozed one is not ours to answer now (the Backlog's "overdue, actionable").
    late = due.startswith("overdue") and case["status"] == CaseStatus.OPEN
    if case["status"] == CaseStatus.CLOSED:
        due = "closed"
    with st.container(border=True):
        st.markdown(
            f":{STATUS_COLORS.get(case['status'], 'gray')}-badge[{case['status']}] "
            f":{'red' if late else 'gray'}-badge[:material/schedule: "
            f"{due if late or answered or due == 'closed' else 'due ' + due}] "
            f":gray-badge[:material/person: "
            f"{display.escape_markdown(case['assignee'] or 'unassigned')}]"
            + (
                f" :gray-badge[until {display.when(case['snoozed_until'])}]"
                if case["status"] == CaseStatus.SNOOZED
                else ""
            )
        )
        st.caption(
            f"Priority {case['priority']} · {case['chase_count']} chase(s) · opened "
            f"{display.when(case['opened_at'])} · first response "
            f"{display.when(case['first_response_at'])}"
            + (
                f" · closed: {display.escape_markdown(case['close_reason'])}"
                if case["close_reason"]
                else ""
            )
        )
        ids = [case["id"]]
        assign, snooze, wait, close, note, dismiss = st.tabs(
            ["Assign", "Snooze", "Waiting", "Close", "Note", "No answer needed"]
        )
        case_controls.assign(
            assign, ws, ids, team, case["assignee"], "case", f"assignee-{case['id']}"
        )
        case_controls.snooze(snooze, ws, ids, now, "case")
        wait.caption("We asked the candidate something: the case leaves “Needs an answer”.")
        if wait.button("Waiting on the candidate", key="case_pending"):
            session.run_action(
                ws,
                "Marked as waiting on the candidate",
                lambda c, a: case_actions.set_pending(c, ids, a),
            )
        case_controls.close(close, ws, ids, "case", "Close case")
        note_key = f"note-{case['id']}"
        if st.session_state.pop("note_added", False):
            st.session_state[note_key] = ""  # a fresh box once the note is stored
        text = note.text_area("Internal note (never sent)", key=note_key, height=80)
        if note.button("Add note", key="case_add_note"):
            session.run_action(
                ws,
                "Note added",
                lambda c, a: (
                    case_actions.add_note(c, case["id"], text, a),
                    st.session_state.update(note_added=True),
                ),
            )
        dismiss.caption(
            "The flag was wrong: nothing here needs an answer. The case is removed "
            "from every count; the correction is kept for retraining "
            "(`cli.py labels export`)."
        )
        if dismiss.button(
            "No answer needed", key="case_dismiss", icon=":material/do_not_disturb_on:"
        ):
            session.run_action(
                ws,
                "Marked: no answer needed",
                lambda c, a: (
                    case_actions.mark_no_answer_needed(c, ids, a),
                    st.session_state.pop("case_id", None),
                    st.query_params.clear(),
                ),
            )
        if case["status"] != CaseStatus.OPEN and st.button(
            "Reopen", key="case_reopen", icon=":material/undo:"
        ):
            session.run_action(ws, "Case reopened", lambda c, a: case_actions.reopen(c, ids, a))


session.require("conversation")
ws = session.workspace()
session.choices()
now = datetime.now(UTC)
case_id = st.query_params.get("case") or st.session_state.get("case_id")
if case_id is None or not str(case_id).isdigit():
    st.title("Conversation")
    st.info("Pick a case in the Backlog to see its conversation here.", icon=":material/forum:")
    st.page_link("pages/backlog.py", label="Go to the Backlog", icon=":material/inbox:")
    st.stop()
with ws.engine.connect() as conn:
    case = queries.case_detail(conn, int(case_id))
    if case is None:
        st.error(
            f"There is no case {case_id} in this workspace (erased, or a link from another "
            "workspace).",
            icon=":material/error:",
        )
        st.stop()
    posts = queries.thread(conn, case)
    team, replies = case_actions.team_members(conn), case_actions.saved_replies(conn)
st.session_state["case_id"] = case["id"]
st.query_params["case"] = str(case["id"])

named = case["author_name"] and case["author_name"] != case["author_handle"]
name = f" ({display.escape_markdown(case['author_name'])})" if named else ""
st.title(f"{display.escape_markdown(case['author_handle'])}{name}")
st.caption(
    f"Case {case['id']} · {display.platform_label(case['platform'])} · "
    f"{case['intent'] or 'no intent'} · {display.mood(case['sentiment'])}"
    + display.stars(case.get("rating"))
    + (f" · why: {display.escape_markdown(case['reason'])}" if case.get("reason") else "")
)
# The title's address carries invisible word joiners (so Streamlit cannot turn it into a
# link); this one is the exact text, with a copy button, for pasting into a mail client.
st.code(display.visible(case["author_handle"]), language=None)
left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(f"Thread · {len(posts)} post(s)")
    shown_key = f"thread_shown_{case['id']}"
    shown = st.session_state.get(shown_key, views.THREAD_PAGE)
    window = views.latest_posts(posts, shown, case["id"])
    earlier = len(posts) - shown
    if earlier > 0:
        lead = "the case's first post and " if len(window) > shown else ""
        st.caption(f"Showing {lead}the latest {shown} of {len(posts)} posts.")
        more = min(earlier, views.THREAD_PAGE)
        if st.button(
            f"Show {more} earlier post(s)",
            key=f"thread_earlier_{case['id']}",
            icon=":material/expand_less:",
            type="tertiary",
        ):
            st.session_state[shown_key] = shown + views.THREAD_PAGE
            st.rerun()
    views.thread(
        window,
        case["id"],
        on_add=lambda post_id: session.run_action(
            ws, "Added to the backlog", lambda c, a: add_to_backlog(c, ws.policy, post_id, a)
        ),
    )
    if case["platform"] == "reviews":
        render_site_reply(ws, case, now)  # review sites take replies on the site only
    else:
        render_composer(ws, case, replies)
with right:
    render_panel(ws, case, team, now)
    case_history.render_others(ws, case)
    case_history.render_trail(ws, case["id"])
