"""Charts and tables on the report pages: the cached report, Plotly styling, CSV downloads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.display import platform_label, snippet, visible_frame, when
from pipeline.reports import workspace_report
from pipeline.spreadsheet import spreadsheet_csv
from pipeline.workspace import Workspace
from store.report_frames import Period

COLORS = {
    "primary": "#0f766e",
    "light": "#5eead4",
    "target": "#d97706",
    "bad": "#dc2626",
    "muted": "#94a3b8",
    "positive": "#16a34a",
    "neutral": "#94a3b8",
    "negative": "#dc2626",
}


@st.cache_data(ttl=60, show_spinner="Computing the report…")
def _report(
    _ws: Workspace,
    url: str,
    since: datetime | None,
    until: datetime | None,
    platforms: tuple[str, ...],
    assignee: str | None,
    by: str | None,
) -> dict:
    with _ws.engine.connect() as conn:
        return workspace_report(conn, Period(since, until, platforms, assignee), by)


def report(ws: Workspace, period: Period, by: str | None) -> dict:
    """``reports.workspace_report`` (the code behind ``cli.py report``) for the sidebar's
    slice, cached for a minute per slice (the cache keys on plain values, hence the spread)."""
    return _report(
        ws,
        ws.settings.database_url,
        period.since,
        period.until,
        period.platforms,
        period.assignee,
        by,
    )


def clear_reports() -> None:
    """Forget every cached report: an action just changed what is answered or overdue."""
    _report.clear()


def report_table(groups: list[dict]) -> pd.DataFrame:
    """The report's groups as one flat row each (the rows behind a chart, for CSV too)."""
    rows = []
    for group in groups:
        row = {k: v for k, v in group.items() if not isinstance(v, dict)}
        for name in ("first_response_hours", "first_response_business_hours"):
            row[f"{name}_median"] = group[name]["median"]
            row[f"{name}_p90"] = group[name]["p90"]
        rows.append(row)
    return pd.DataFrame(rows)


def plot(fig: go.Figure, height: int = 320, pick: str | None = None) -> Any:
    """Draw ``fig`` in the dashboard's style. With ``pick`` (a widget key) a click on a point
    selects it and reruns the page, and the selection state is returned; else None."""
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin=dict(l=8, r=8, t=48, b=8),
        title=dict(x=0, xanchor="left", y=0.98, yanchor="top", font=dict(size=14)),
        legend=dict(
            orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right", bgcolor="rgba(0,0,0,0)"
        ),
        font=dict(family="Inter, system-ui, sans-serif", size=13),
        hoverlabel=dict(font_size=12),
    )
    config = {"displaylogo": False}
    if pick is None:
        st.plotly_chart(fig, width="stretch", config=config)
        return None
    fig.update_layout(clickmode="event+select", dragmode=False)
    return st.plotly_chart(
        fig, width="stretch", config=config, key=pick, on_select="rerun", selection_mode="points"
    )


def sla_line(fig: go.Figure, keys: pd.Series, sla: float) -> None:
    """The SLA target as a dashed trace (an annotation would misplace itself on a log axis)."""
    fig.add_scatter(
        x=list(keys),
        y=[sla] * len(keys),
        mode="lines",
        name=f"SLA {sla:g} h",
        line=dict(color=COLORS["target"], dash="dash", width=2),
    )


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A store frame for people: times as text, platforms by name, headings in words."""
    shown = frame.copy()
    for column in shown.columns:
        if (
            isinstance(shown[column].dtype, pd.DatetimeTZDtype)
            or column.endswith("_at")
            or column.endswith("_opened")
        ):
            shown[column] = shown[column].map(when)
    if "platform" in shown:
        shown["platform"] = shown["platform"].map(platform_label)
    if "text" in shown:
        shown["text"] = shown["text"].map(snippet)
    return visible_frame(shown).rename(columns=lambda c: c.replace("_", " ").capitalize())


def rows_table(frame: pd.DataFrame, name: str, label: str, hide: list[str] | None = None) -> None:
    """One page of rows for people, and the same rows as CSV for a spreadsheet."""
    st.dataframe(readable(frame.drop(columns=hide or [])), hide_index=True, width="stretch")
    csv_download(frame, name, label)


def csv_download(frame: pd.DataFrame, name: str, label: str = "Download CSV") -> None:
    """The dashboard's one CSV download: cells that a spreadsheet would run as formulas are
    neutralised (``pipeline.spreadsheet``), since handles and texts come from strangers."""
    st.download_button(
        label,
        spreadsheet_csv(frame),
        f"{name}.csv",
        "text/csv",
        key=f"csv-{name}",
        icon=":material/download:",
    )
