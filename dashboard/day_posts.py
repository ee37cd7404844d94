"""Listening's list of one day's posts: which day a chart click names, and the rows to read."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.display import mood, platform_label, safe_url, snippet, visible

COLUMNS = {
    "Time": st.column_config.TextColumn(width=80, help="UTC"),
    "Channel": st.column_config.TextColumn(width=70),
    "Author": st.column_config.TextColumn(width=140),
    "Post": st.column_config.TextColumn(width=380),
    "Needs an answer": st.column_config.CheckboxColumn(width=115),
    "Sentiment": st.column_config.TextColumn(width=110),
    "Case": st.column_config.TextColumn(width=70, help="Select the row to open its conversation"),
    "Link": st.column_config.LinkColumn(width=70, display_text="open"),
}


def clicked_day(event: Any) -> date | None:
    """The day of the first point picked on a daily chart (every trace's x is a day), or None.

    Plotly hands a date axis's x back as text ("2026-11-03" or with a time), or as epoch
    milliseconds when the axis was drawn from numbers.
    """
    points = (getattr(event, "selection", None) or {}).get("points") or []
    for point in points:
        x = point.get("x") if isinstance(point, dict) else None
        if x is None:
            continue
        try:
            stamp = pd.Timestamp(x, unit="ms") if isinstance(x, (int, float)) else pd.Timestamp(x)
        except ValueError:
            continue
        return stamp.date()
    return None


def day_label(day: date, posts: int, spike: bool) -> str:
    """ "Tue 03 Nov 2026 · 57 posts · spike": typing "spike" in the box finds the spike days."""
    return f"{day:%a %d %b %Y} · {posts:,} posts" + (" · spike" if spike else "")


def display(rows: pd.DataFrame) -> pd.DataFrame:
    """A day's posts as people read them (all text; nothing here is rendered as markup)."""
    return pd.DataFrame(
        {
            "Time": rows["created_at"].dt.strftime("%H:%M"),
            "Channel": rows["platform"].map(platform_label),
            "Author": rows["author_handle"].map(visible),
            "Post": rows["text"].map(snippet),
            "Needs an answer": rows["needs_response"].astype(bool),
            "Sentiment": [mood(s, exact=False) for s in rows["sentiment"]],
            "Case": [("–" if pd.isna(c) else f"#{int(c)}") for c in rows["case_id"]],
            "Link": rows["url"].map(safe_url),
        }
    )
