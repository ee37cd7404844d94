"""Full Circle's dashboard: navigation, the shared sidebar and the demo banner."""

from __future__ import annotations

import streamlit as st

import ui

st.set_page_config(page_title="Full Circle", page_icon=":material/autorenew:", layout="wide")

PAGES = [
    st.Page("pages/backlog.py", title="Backlog", icon=":material/inbox:", default=True),
]

navigation = st.navigation(PAGES)
ws = ui.workspace()
ui.demo_banner(ws)
navigation.run()
