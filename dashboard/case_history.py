"""The Conversation page's look back: the person's other conversations and the audit trail.

Both are drawn only while their section is open. Closed, a section is one line: the page
neither reads its rows (the person's other conversations are a search over every case on each
linked channel) nor has the browser mount a table for them, which a fresh session felt. A
section's key is the same for every case and kept across pages, so once opened it stays open
from case to case until closed.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import display, session
from dashboard.composer import render_link
from pipeline.workspace import Workspace
from store import queries

OTHERS_KEY = "conversation_others_open"
TRAIL_KEY = "conversation_trail_open"


def render_others(ws: Workspace, case: dict) -> None:
    """The same person's other cases on every linked channel, and linking another channel;
    picking a row opens that case."""
    session.remember({OTHERS_KEY: False})
    section = st.expander(
        "Their other conversations",
        key=OTHERS_KEY,
        on_change="rerun",
        icon=":material/history:",
    )
    session.keep(OTHERS_KEY)
    with section:
        if not section.open:
            return
        render_link(ws, case)
        with ws.engine.connect() as conn:
            others = queries.author_cases(
                conn, case["platform"], case["author_id"], case["id"], handle=case["author_handle"]
            )
        if others.empty:
            st.caption("None yet on any linked channel.")
            return
        picked = st.dataframe(
            others_view(others),
            hide_index=True,
            on_select="rerun",
            selection_mode="single-row",
            key=f"others-{case['id']}",
            width="stretch",
            column_config={"answered": st.column_config.CheckboxColumn("answered", width="small")},
        )
        if picked.selection.rows:
            chosen = int(others.iloc[picked.selection.rows[0]]["id"])
            st.session_state["case_id"] = chosen
            st.query_params["case"] = str(chosen)
            st.rerun()


def others_view(others: pd.DataFrame) -> pd.DataFrame:
    """The other cases as the table shows them: channel, when, answered, status, the post."""
    return others.assign(
        channel=others["platform"].map(display.platform_label),
        opened=others["opened_at"].dt.strftime("%d %b %Y"),
        answered=others["first_response_at"].notna(),
        post=others["text"].map(display.snippet),
    )[["channel", "opened", "answered", "status", "post"]]


def render_trail(ws: Workspace, case_id: int) -> None:
    """Every change made to the case by hand, with who and when."""
    session.remember({TRAIL_KEY: False})
    section = st.expander(
        "Audit trail", key=TRAIL_KEY, on_change="rerun", icon=":material/fact_check:"
    )
    session.keep(TRAIL_KEY)
    with section:
        if not section.open:
            return
        with ws.engine.connect() as conn:
            trail = queries.case_events(conn, case_id)
        if trail.empty:
            st.caption("Nothing done by hand yet. Every change here is recorded with who and when.")
            return
        st.dataframe(
            display.visible_frame(trail).assign(
                at=trail["at"].map(display.when),
                what=[
                    display.event_text(a, d)
                    for a, d in zip(trail["action"], trail["detail"], strict=True)
                ],
            )[["at", "actor", "what"]],
            hide_index=True,
        )
