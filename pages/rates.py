"""Response rates: are we answering, how fast, where, and which promises did we break."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, display, session, trends

BREAKDOWNS = {"platform": "Channel", "assignee": "Assignee", "lang": "Language"}
session.require("rates")
ws = session.workspace()
picked = session.choices()
period, now, sla = picked.period, datetime.now(UTC), ws.settings.sla_hours
st.title("Response rates")
command = f"python cli.py report --since {picked.start} --until {period.until:%Y-%m-%d}"
command += "".join(f" --platform {p}" for p in picked.platforms)
command += f" --assignee '{picked.assignee}'" if picked.assignee else ""
st.caption(
    f"{picked.period_label} · SLA: first response within {sla:g} business hours · the "
    f"numbers of `{command}`"
)
weekly = charts.report(ws, period, "week")
overall = weekly["overall"]
if overall["needs_response"] == 0 and overall["inbound"] == 0:
    st.info(
        "No posts in this period. Widen the period in the sidebar, or bring posts in: "
        "Sources & settings → Sync now, or `python cli.py import FILE --format FORMAT`.",
        icon=":material/calendar_month:",
    )
    st.stop()
weeks = trends.mark_weeks(charts.report_table(weekly["groups"]), period, now)
rows = charts.rates_rows(ws, period)
history_starts = rows.history_starts
before_period = trends.previous_period(period)
# No change against days the workspace holds no history for: +400 against an empty period is
# not news.
comparable = before_period is not None and history_starts is not None
comparable = comparable and history_starts <= before_period.since
before = charts.report(ws, before_period, None)["overall"] if comparable else {}


def spark(column: str) -> list[float]:
    """A tile's sparkline over the whole weeks only: a partial week's rate is noise."""
    return weeks.loc[weeks["whole"], column].fillna(0).tolist()


def moved(name: str, unit: str, part: str | None = None) -> str | None:
    """The change of a figure against the period before (None when nothing to compare)."""
    value, old = overall.get(name), before.get(name)
    if part:
        value = value[part] if value else None
        old = old[part] if old else None
    return trends.change(value, old, unit)


if comparable:
    st.caption(
        f"Each tile's change is against the {(picked.end - picked.start).days + 1} days before "
        f"({before_period.since:%d %b} – {before_period.until - timedelta(days=1):%d %b})."
    )
elif history_starts is not None:
    st.caption(
        f"No change shown: the workspace's posts start on {history_starts:%d %b %Y}, so there "
        "is no whole period before this one to compare with. Pick a later or shorter period."
    )
first = overall["first_response_business_hours"]
row = st.columns(4, border=True)
row[0].metric(
    "Response rate",
    display.percent(overall["response_rate"]),
    moved("response_rate", "rate"),
    chart_data=spark("response_rate"),
    help=f"{overall['answered']} answered of "
    f"{overall['needs_response'] - overall['pending']} settled cases ({overall['pending']} "
    "still inside their SLA window are pending, not counted).",
)
row[1].metric(
    "Answered within SLA",
    display.percent(overall["sla_met_rate"]),
    moved("sla_met_rate", "rate"),
    chart_data=spark("sla_met_rate"),
    help="Answered by the due time ÷ settled cases.",
)
row[2].metric(
    "Median first response, business h",
    display.business(first["median"]),
    moved("first_response_business_hours", "hours", "median"),
    delta_color="inverse",
    chart_data=spark("first_response_business_hours_median"),
    chart_type="bar",
    help=f"Cases opened in the period. Calendar time: "
    f"{display.hours(overall['first_response_hours']['median'])}.",
)
late = first["p90"] is not None and first["p90"] > sla
row[3].metric(
    "p90 first response, business h",
    display.business(first["p90"]),
    moved("first_response_business_hours", "hours", "p90"),
    delta_color="inverse",
    help="9 in 10 answered cases got their answer within this"
    + (f"; beyond the {sla:g} h SLA." if late else f"; within the {sla:g} h SLA."),
)
row = st.columns(4, border=True)
row[0].metric(
    "Overdue, opened in period",
    overall["overdue"],
    moved("overdue", "count"),
    delta_color="inverse",
    help="Cases opened in the period, unanswered, not closed and past due now. The Backlog's "
    "Overdue now counts every open case, whatever its age.",
)
row[1].metric(
    "Broken promises",
    overall["broken_promises"],
    moved("broken_promises", "count"),
    delta_color="inverse",
    help="Promises made in the period whose deadline passed before any brand post reached "
    "the person.",
)
row[2].metric(
    "Ghosted candidates",
    overall["ghosted"],
    moved("ghosted", "count"),
    delta_color="inverse",
    help="Latest case late and unanswered, and nobody touched any of their cases.",
)
row[3].metric(
    "Conversation ratio",
    "–" if overall["conversation_ratio"] is None else f"{overall['conversation_ratio']:.1f}",
    None if picked.assignee else moved("conversation_ratio", "ratio"),
    help="Brand replies ÷ brand broadcast posts: conversing or only pushing?"
    + (" Broadcasts belong to no case, so no assignee has one." if picked.assignee else ""),
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


def answered_share(weeks: pd.DataFrame) -> None:
    """Response rate and SLA share per whole week as lines; partial weeks as hollow markers
    apart from the lines, with their days and pending cases on hover."""
    whole, partial = weeks[weeks["whole"]], weeks[~weeks["whole"]]
    fig = go.Figure()
    for column, name, color in (
        ("response_rate", "Response rate", charts.COLORS["primary"]),
        ("sla_met_rate", "Within SLA", charts.COLORS["light"]),
    ):
        fig.add_scatter(
            x=whole["key"],
            y=whole[column],
            name=name,
            mode="lines+markers",
            line=dict(color=color, width=3),
        )
    if not partial.empty:
        fig.add_scatter(
            x=partial["key"],
            y=partial["response_rate"],
            name="Response rate, partial week",
            mode="markers",
            marker=dict(symbol="circle-open", size=11, color=charts.COLORS["muted"]),
            customdata=partial[["days", "pending", "needs_response"]],
            hovertemplate="week of %{x}: %{customdata[0]:.1f} of 7 days, "
            "%{customdata[1]} of %{customdata[2]} cases pending<extra></extra>",
        )
    fig.update_layout(
        title="Answered (share of settled cases; hollow: partial week)",
        yaxis_tickformat=".0%",
        yaxis_range=[0, 1.05],
        xaxis_title="week starting",
    )
    charts.plot(fig)


def week_outcomes(weeks: pd.DataFrame) -> None:
    """Cases per week stacked by outcome, pending apart: what the rates leave out is seen."""
    fig = go.Figure()
    colors = (charts.COLORS["primary"], charts.COLORS["light"], charts.COLORS["bad"], "#cbd5e1")
    for (name, values), color in zip(trends.outcomes(weeks).items(), colors, strict=True):
        fig.add_bar(x=weeks["key"], y=values, name=name, marker_color=color)
    fig.update_layout(
        title="Cases per week by outcome (pending: still inside the SLA window)",
        barmode="stack",
        xaxis_title="week starting",
    )
    charts.plot(fig)


st.subheader("Week by week")
partial = weeks.loc[~weeks["whole"], "key"].tolist()
if partial:
    st.caption(
        "Partial weeks (the period covers part of them, or they are still running): "
        + ", ".join(partial)
        + ". They are drawn apart and left out of the tiles' sparklines."
    )
left, right = st.columns(2)
with left:
    answered_share(weeks)
with right:
    week_outcomes(weeks)
left, right = st.columns(2)
with left:
    response_times(weeks, xaxis_title="week starting")
with right:
    fig = go.Figure(
        go.Bar(x=weeks["key"], y=weeks["conversation_ratio"], marker_color=charts.COLORS["primary"])
    )
    fig.add_hline(y=1, line_dash="dot", line_color=charts.COLORS["muted"])
    fig.update_layout(title="Brand replies per broadcast post, by week (dotted: 1 to 1)")
    charts.plot(fig)
charts.csv_download(weeks, "response-rates-by-week", "Weekly figures (CSV)")


def breakdown(by: str) -> None:
    """The report split by one dimension: a second pass over the period, so only on request."""
    groups = charts.report_table(charts.report(ws, period, by)["groups"])
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

bands, broken, ghosted = rows.bands, rows.broken, rows.ghosted
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

st.subheader(f"Broken promises · {overall['broken_promises']}")
charts.rows_table(broken, "broken-promises", "Broken promises (CSV)")
st.subheader(f"Ghosted candidates · {overall['ghosted']}")
charts.rows_table(ghosted, "ghosted-candidates", "Ghosted candidates (CSV)", hide=["case_id"])
