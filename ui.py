"""The dashboard's shared pieces: the cached workspace, the demo banner, safe text display.

With ``app.py`` and ``pages/`` this is the only module that imports Streamlit.
"""

from __future__ import annotations

import streamlit as st

from settings import ConfigError
from store.db import StoreError
from workspace import Workspace, open_workspace


@st.cache_resource(show_spinner=False)
def _cached_workspace() -> Workspace:
    return open_workspace()


def workspace() -> Workspace:
    """The workspace, or a clear error naming the setting, and the page stops."""
    try:
        return _cached_workspace()
    except (ConfigError, StoreError) as exc:
        st.error(f"Full Circle cannot open its workspace: {exc}")
        st.stop()
        raise


def demo_banner(ws: Workspace) -> None:
    if ws.is_demo():
        st.info("Demo data: a fictional employer, Northwind Labs. Configure a connector and run "
                "`python cli.py sync` to listen to your own channels.", icon=":material/science:")


def hours(value: float | None) -> str:
    """Durations the way people say them: minutes, hours, days."""
    if value is None:
        return "–"
    if value < 1:
        return f"{value * 60:.0f} min"
    if value < 48:
        return f"{value:.1f} h"
    return f"{value / 24:.1f} d"
