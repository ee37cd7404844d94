"""Charts and tables on the report pages: the cached report, Plotly styling, CSV downloads."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any, NamedTuple

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from dashboard.display import platform_label, snippet, visible_frame, when
from pipeline.reports import workspace_report
from pipeline.spreadsheet import spreadsheet_csv
from pipeline.workspace import Workspace
from store import queries
from store.report_frames import Period


class RatesRows(NamedTuple):
    """What Response rates reads beside the report (``store.queries``)."""

    history_starts: datetime | None  # the workspace's first post
    bands: pd.DataFrame  # answered cases per band of first-response time
    broken: pd.DataFrame  # a page of broken promises
    ghosted: pd.DataFrame  # a page of ghosted candidates


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
def _report(_ws: Workspace, url: str, period: Period, by: str | None) -> dict:
    with _ws.engine.connect() as conn:
        return workspace_report(conn, period, by)


def report(ws: Workspace, period: Period, by: str | None) -> dict:
    """``reports.workspace_report`` (the code behind ``cli.py report``) for the sidebar's
    slice, cached for a minute per database and slice (``Period`` is a frozen dataclass, which
    Streamlit's cache hashes by its fields)."""
    return _report(ws, ws.settings.database_url, period, by)


@st.cache_data(ttl=60, show_spinner="Reading the period's cases…")
def _rates_rows(_ws: Workspace, url: str, period: Period) -> RatesRows:
    now = datetime.now(UTC)
    with _ws.engine.connect() as conn:
        return RatesRows(
            queries.first_post_at(conn),
            queries.response_histogram(conn, period),
            queries.broken_promise_rows(conn, period, now),
            queries.ghosted_rows(conn, period, now),
        )


def rates_rows(ws: Workspace, period: Period) -> RatesRows:
    """The Response rates page's rows besides the report, cached with it for a minute per
    slice: a rerun (a click, a tab, another visitor) reads none of them again."""
    return _rates_rows(ws, ws.settings.database_url, period)


def clear_reports() -> None:
    """Forget every cached report: an action just changed what is answered or overdue."""
    _report.clear()
    _rates_rows.clear()


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


# The dashboard's chart style, merged into each figure's layout as plotly's ``update_layout``
# would merge it: plain nested dicts, so no property needs plotly's validation again.
STYLE: dict[str, Any] = {
    "margin": {"l": 8, "r": 8, "t": 48, "b": 8},
    "title": {"x": 0, "xanchor": "left", "y": 0.98, "yanchor": "top", "font": {"size": 14}},
    "legend": {
        "orientation": "h",
        "yanchor": "bottom",
        "y": 1.0,
        "x": 1,
        "xanchor": "right",
        "bgcolor": "rgba(0,0,0,0)",
    },
    "font": {"family": "Inter, system-ui, sans-serif", "size": 13},
    "hoverlabel": {"font": {"size": 12}},
}
PICKABLE = {"clickmode": "event+select", "dragmode": False}


@cache
def _template() -> dict[str, Any]:
    """plotly's ``plotly_white`` template as plain data, validated once per process."""
    return pio.templates["plotly_white"].to_plotly_json()


def _merged(base: dict[str, Any], style: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``style`` laid over it, nested dicts merged key by key."""
    merged = dict(base)
    for key, value in style.items():
        below = merged.get(key)
        if isinstance(value, dict) and isinstance(below, dict):
            merged[key] = _merged(below, value)
        else:
            merged[key] = value
    return merged


def styled(fig: go.Figure, height: int, pickable: bool = False) -> go.Figure:
    """``fig`` in the dashboard's style. The same figure as ``fig.update_layout(template=
    "plotly_white", height=height, **STYLE)``, built without plotly validating its template
    again: that validation cost about 25 ms per chart, most of a chart page's script run."""
    spec = fig.to_plotly_json()
    style = {**STYLE, "height": height, **(PICKABLE if pickable else {})}
    layout = _merged(spec["layout"], style) | {"template": _template()}
    return go.Figure(data=spec["data"], layout=layout, _validate=False)


def plot(fig: go.Figure, height: int = 320, pick: str | None = None) -> Any:
    """Draw ``fig`` in the dashboard's style. With ``pick`` (a widget key) a click on a point
    selects it and reruns the page, and the selection state is returned; else None."""
    shown = styled(fig, height, pickable=pick is not None)
    config = {"displaylogo": False}
    if pick is None:
        st.plotly_chart(shown, width="stretch", config=config)
        return None
    return st.plotly_chart(
        shown, width="stretch", config=config, key=pick, on_select="rerun", selection_mode="points"
    )


def ranked_bars(labels: pd.Series, counts: pd.Series, **bar: Any) -> go.Figure:
    """Horizontal bars in the order given, the first on top: the shape of every "which are
    most" chart (asks, channels, terms), so they read alike."""
    fig = go.Figure(
        go.Bar(x=counts, y=labels, orientation="h", marker_color=COLORS["primary"], **bar)
    )
    fig.update_layout(yaxis_autorange="reversed")
    return fig


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
