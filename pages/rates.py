"""Response rates: are we answering, how fast, where, and which promises did we break."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, display, session
from store import queries

BREAKDOWNS = {"platform": "Channel", "assignee": "Assignee", "lang": "Language"}
session.require("rates")
ws = session.workspace()
picked = session.choices()
period, now, sla = picked.period, datetime.now(UTC), ws.settings.sla_hours
st.title("Response rates")
st.caption(
    f"{picked.period_label} · SLA: first response within {sla:g} business hours · the "
    f"numbers of `python cli.py report --since {picked.start} --until "
    f"{period.until:%Y-%m-%d}`"
)
if picked.platforms or picked.assignee:
    st.caption("These figures cover every channel and assignee; split them below.")
url = ws.settings.database_url
weekly = charts.report(ws, url, period.since, period.until, "week")
overall = weekly["overall"]
if overall["needs_response"] == 0 and overall["inbound"] == 0:
    st.info(
        "No posts in this period. Widen the period in the sidebar, or bring posts in: "
        "Sources & settings → Sync now, or `python cli.py import FILE --format FORMAT`.",
        icon=":material/calendar_month:",
    )
    st.stop()
weeks = charts.report_table(weekly["groups"])


def spark(column: str) -> list[float]:
    return weeks[column].fillna(0).tolist()


first = overall["first_response_business_hours"]
row = st.columns(4, border=True)
row[0].metric(
    "Response rate",
    display.percent(overall["response_rate"]),
    chart_data=spark("response_rate"),
    help=f"{overall['answered']} answered of "
    f"{overall['needs_response'] - overall['pending']} settled cases ({overall['pending']} "
    "still inside their SLA window are not counted).",
)
row[1].metric(
    "Answered within SLA",
    display.percent(overall["sla_met_rate"]),
    chart_data=spark("sla_met_rate"),
    help="Answered by the due time ÷ settled cases.",
)
row[2].metric(
    "Median first response, business h",
    display.business(first["median"]),
    chart_data=spark("first_response_business_hours_median"),
    chart_type="bar",
    help=f"Calendar time: {display.hours(overall['first_response_hours']['median'])}.",
)
late = first["p90"] is not None and first["p90"] > sla
row[3].metric(
    "p90 first response, business h",
    display.business(first["p90"]),
    delta=None if first["p90"] is None else "beyond SLA" if late else "within SLA",
    delta_color="inverse" if late else "normal",
    delta_arrow="off",
    help="9 in 10 answered cases got their answer within this.",
)
row = st.columns(4, border=True)
row[0].metric("Overdue now", overall["overdue"], help="Unanswered, not closed, past due.")
row[1].metric(
    "Broken promises",
    overall["broken_promises"],
    help="Deadline passed before any brand post reached the person.",
)
row[2].metric(
    "Ghosted candidates",
    overall["ghosted"],
    help="Latest case late and unanswered, and nobody touched any of their cases.",
)
row[3].metric(
    "Conversation ratio",
    "–" if overall["conversation_ratio"] is None else f"{overall['conversation_ratio']:.1f}",
    help="Brand replies ÷ brand broadcast posts: conversing or only pushing?",
)


def response_times(frame: pd.DataFrame, **layout: str) -> None:
    """Median and p90 first response per row of a report table, against the SLA line."""
    fig = go.Figure()
    fig.add_bar(
        x=frame["key"],
        y=frame["first_response_business_hours_median"],
        name="Median",
        marker_color=charts.COLORS["primary"],
    )
    fig.add_bar(
        x=frame["key"],
        y=frame["first_response_business_hours_p90"],
        name="p90",
        marker_color=charts.COLORS["light"],
    )
    charts.sla_line(fig, frame["key"], sla)
    fig.update_layout(
        title="First response, business hours (log scale)",
        barmode="group",
        yaxis=dict(type="log", dtick=1, ticksuffix=" h"),
        **layout,
    )
    charts.plot(fig)


st.subheader("Week by week")
left, right = st.columns(2)
with left:
    fig = go.Figure()
    for column, name, color in (
        ("response_rate", "Response rate", charts.COLORS["primary"]),
        ("sla_met_rate", "Within SLA", charts.COLORS["light"]),
    ):
        fig.add_scatter(
            x=weeks["key"],
            y=weeks[column],
            name=name,
            mode="lines+markers",
            line=dict(color=color, width=3),
        )
    fig.update_layout(
        title="Answered (share of settled cases)",
        yaxis_tickformat=".0%",
        yaxis_range=[0, 1.05],
        xaxis_title="week starting",
    )
    charts.plot(fig)
with right:
    response_times(weeks, xaxis_title="week starting")
charts.csv_download(weeks, "response-rates-by-week", "Weekly figures (CSV)")


def breakdown(by: str) -> None:
    """The report split by one dimension: a second pass over the period, so only on request."""
    groups = charts.report_table(charts.report(ws, url, period.since, period.until, by)["groups"])
    if by == "platform":
        groups["key"] = groups["key"].map(display.platform_label)
    elif by == "lang":
        groups["key"] = groups["key"].map(display.language_label)
    left, right = st.columns(2)
    with left:
        fig = go.Figure()
        fig.add_bar(
            x=groups["key"],
            y=groups["response_rate"],
            name="Response rate",
            marker_color=charts.COLORS["primary"],
        )
        fig.add_bar(
            x=groups["key"],
            y=groups["sla_met_rate"],
            name="Within SLA",
            marker_color=charts.COLORS["light"],
        )
        fig.update_layout(
            title=f"Answered, by {BREAKDOWNS[by].lower()}", yaxis_tickformat=".0%", barmode="group"
        )
        charts.plot(fig)
    with right:
        response_times(groups)
    charts.csv_download(
        groups, f"response-rates-by-{by}", f"Figures by {BREAKDOWNS[by].lower()} (CSV)"
    )


st.subheader("Breakdown")
session.remember({"rates_by": None})
by = st.segmented_control("Split by", list(BREAKDOWNS), format_func=BREAKDOWNS.get, key="rates_by")
session.keep("rates_by")
if by:
    breakdown(by)
else:
    st.caption("Choose a split to compare channels, assignees or languages against the SLA.")

with ws.engine.connect() as conn:
    bands = queries.response_histogram(conn, period)
    broken = queries.broken_promise_rows(conn, period, now)
    ghosted = queries.ghosted_rows(conn, period, now)
left, right = st.columns(2)
with left:
    st.subheader("How long people waited")
    fig = go.Figure(
        go.Bar(
            x=bands["band"],
            y=bands["cases"],
            marker_color=[
                charts.COLORS["bad" if lo >= sla else "primary"] for lo in bands["from_hours"]
            ],
        )
    )
    fig.update_layout(title="Answered cases by first response (business hours; red: past SLA)")
    charts.plot(fig)
    charts.csv_download(bands, "first-response-distribution", "Distribution (CSV)")
with right:
    st.subheader("Conversation ratio")
    fig = go.Figure(
        go.Bar(x=weeks["key"], y=weeks["conversation_ratio"], marker_color=charts.COLORS["primary"])
    )
    fig.add_hline(y=1, line_dash="dot", line_color=charts.COLORS["muted"])
    fig.update_layout(title="Brand replies per broadcast post, by week (dotted: 1 to 1)")
    charts.plot(fig)

st.subheader(f"Broken promises · {overall['broken_promises']}")
charts.rows_table(broken, "broken-promises", "Broken promises (CSV)")
st.subheader(f"Ghosted candidates · {overall['ghosted']}")
charts.rows_table(ghosted, "ghosted-candidates", "Ghosted candidates (CSV)", hide=["case_id"])
