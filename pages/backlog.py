"""Backlog: what must we answer now, oldest and angriest first."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from analysis.decide import INTENTS
from dashboard import case_controls, display, session, views
from store import case_actions, queries

session.require("backlog")
ws = session.workspace()
picked = session.choices()
now = datetime.now(UTC)
st.title("Backlog")
st.caption("Every case still waiting for us: overdue first, then chases, anger, age and reach.")

scope = queries.CaseFilter(platforms=picked.platforms, assignee=picked.assignee)
with ws.engine.connect() as conn:
    figures = queries.key_figures(conn, now, scope)
    team = case_actions.team_members(conn)
recent, previous = figures["median_business_7d"], figures["median_business_prev_7d"]
change = None if recent is None or previous is None else f"{recent - previous:+.1f} h"
strip = st.columns(4, border=True)
strip[0].metric(
    "Needs an answer now",
    figures["needs_answer"],
    help="Unanswered cases that are not closed, snoozed or waiting on the candidate.",
)
strip[1].metric(
    "Overdue now",
    figures["overdue"],
    help="Every unanswered case that is not closed and is past its SLA due time, whatever its "
    "age (snoozed and waiting ones too): `cli.py report`'s overdue without --since/--until. "
    "Response rates counts the ones opened in its period.",
)
strip[2].metric(
    "Promises broken, still unkept",
    figures["promises_unkept"],
    help="Deadlines we gave that passed with no brand post to the person since, whatever "
    "their age: write to them now.",
)
strip[3].metric(
    "7-day median response, business h",
    display.business(recent),
    change,
    delta_color="inverse",
    help=f"Cases first answered in the last 7 days, in business hours. The 7 days before: "
    f"{display.business(previous)}. Calendar time: "
    f"{display.hours(figures['median_response_7d'])}.",
)

FILTERS = {
    "backlog_search": "",
    "backlog_view": "now",
    "backlog_intents": [],
    "backlog_negative": False,
    "backlog_page": 1,
}
session.remember(FILTERS)
search_col, view_col, intent_col, mood_col = st.columns([3, 2, 2, 1.4], vertical_alignment="bottom")
search = search_col.text_input(
    "Search posts and authors",
    key="backlog_search",
    placeholder="e.g. feedback, interview, @handle",
)
view = view_col.selectbox(
    "Show", list(queries.VIEWS), format_func=queries.VIEWS.get, key="backlog_view"
)
intents = intent_col.multiselect(
    "Intent", list(INTENTS), key="backlog_intents", placeholder="Any intent"
)
negative = mood_col.toggle("Negative only", key="backlog_negative")
session.keep(*FILTERS)
filt = queries.CaseFilter(view, picked.platforms, picked.assignee, search, tuple(intents), negative)
with ws.engine.connect() as conn:
    total = queries.backlog_count(conn, now, filt)
    page = views.backlog_page(total, filt)
    rows = queries.backlog(conn, now, limit=views.PAGE_SIZE, filt=filt, offset=page.offset)

if rows.empty:
    if view == "now" and not (search or intents or negative or picked.platforms):
        st.success(
            "Nothing waits for an answer. New posts arrive with the next sync "
            "(Sources & settings → Sync now).",
            icon=":material/task_alt:",
        )
    else:
        st.info(
            "No case matches these filters. Clear the search or pick another view.",
            icon=":material/filter_alt_off:",
        )
    st.stop()

bulk = st.toggle(
    "Bulk edit: select several cases, then assign, snooze or close them", key="backlog_bulk"
)
st.caption(
    f"Cases {page.offset + 1}–{page.offset + len(rows)} of {total}. "
    + ("Select rows for the actions below." if bulk else "Select a row to open its conversation.")
)
table_key = f"backlog-{hash(tuple(rows['id']))}"
st.session_state["backlog_table_key"] = table_key
event = st.dataframe(
    views.backlog_display(rows, now),
    key=table_key,
    on_select="rerun",
    selection_mode="multi-row",
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(rows), 640),
    column_config=views.BACKLOG_COLUMNS,
)
views.pager(page)
selected = [int(rows.iloc[i]["id"]) for i in event.selection.rows if i < len(rows)]

if selected and not bulk:
    st.session_state["case_id"] = selected[0]
    st.switch_page("pages/conversation.py", query_params={"case": str(selected[0])})

if bulk:
    with st.container(border=True):
        st.markdown(f"**{len(selected)} selected**" if selected else "**Select rows above**")
        assign_col, snooze_col, close_col = st.columns(3, vertical_alignment="bottom")
        case_controls.assign(assign_col, ws, selected, team, None, "bulk")
        case_controls.snooze(snooze_col, ws, selected, now, "bulk")
        case_controls.close(close_col, ws, selected, "bulk")
