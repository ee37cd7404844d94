"""Backlog: what must we answer now, oldest and angriest first."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

import ui
from store import queries

ws = ui.workspace()
now = datetime.now(UTC)
st.title("Backlog")

with ws.engine.connect() as conn:
    figures = queries.key_figures(conn, now)
    rows = queries.backlog(conn, now, limit=100)

needs, overdue, recent, previous = (figures["needs_answer"], figures["overdue"],
                                    figures["median_response_7d"],
                                    figures["median_response_prev_7d"])
columns = st.columns(3)
columns[0].metric("Needs an answer", needs)
columns[1].metric("Overdue", overdue)
columns[2].metric("Median first response (7 days)", ui.hours(recent),
                  help=f"The 7 days before: {ui.hours(previous)}")

if rows.empty:
    st.success("Nothing waits for an answer. Run a sync to look for new posts.")
    st.stop()

rows["age_hours"] = (now - rows["opened_at"]).dt.total_seconds() / 3600
st.dataframe(
    rows[["platform", "author_handle", "text", "intent", "sentiment", "age_hours", "due_at",
          "assignee", "overdue"]],
    hide_index=True,
    column_config={
        "author_handle": "Author", "text": st.column_config.TextColumn("Post", width="large"),
        "age_hours": st.column_config.NumberColumn("Age (h)", format="%.0f"),
        "sentiment": st.column_config.NumberColumn("Sentiment", format="%.2f"),
        "overdue": st.column_config.CheckboxColumn("Overdue"),
    },
)
