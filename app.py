"""Full Circle's dashboard: navigation, the shared sidebar and the demo banner.

The sidebar is drawn here, before the page runs, so its choices (period, channels, assignee,
who is working) survive moving between pages.
"""

from __future__ import annotations

import streamlit as st

from dashboard import session
from dashboard.access import may_open

st.set_page_config(
    page_title="Full Circle",
    page_icon=":material/autorenew:",
    layout="wide",
    initial_sidebar_state="expanded",
)

PAGES = {  # section -> (access key, page)
    "Work": [
        (
            "backlog",
            st.Page("pages/backlog.py", title="Backlog", icon=":material/inbox:", default=True),
        ),
        (
            "conversation",
            st.Page("pages/conversation.py", title="Conversation", icon=":material/forum:"),
        ),
    ],
    "Insight": [
        ("rates", st.Page("pages/rates.py", title="Response rates", icon=":material/speed:")),
        ("listening", st.Page("pages/listening.py", title="Listening", icon=":material/hearing:")),
    ],
    "Set-up": [
        (
            "sources",
            st.Page("pages/sources.py", title="Sources & settings", icon=":material/tune:"),
        ),
    ],
}

# Layout only (no content): a tighter page frame than Streamlit's default margins.
STYLE = """<style>
[data-testid="stMainBlockContainer"] {padding: 2.2rem 2.6rem 4rem 2.6rem; max-width: 1560px}
[data-testid="stMetricValue"] {font-size: 2rem}
</style>"""

role = session.sign_in(session.access_policy())
st.session_state["role"] = role
allowed = {
    section: [page for key, page in entries if may_open(role, key)]
    for section, entries in PAGES.items()
}
navigation = st.navigation({section: pages for section, pages in allowed.items() if pages})
st.html(STYLE)
ws = session.workspace()
# The page st.navigation chose is one of PAGES' own objects. Compared by identity, not by
# url_path: a process pool that re-runs this file outside Streamlit (spawn re-imports the
# main module, which AppTest leaves pointing here) gets pages without one.
current = next(
    (key for entries in PAGES.values() for key, page in entries if page is navigation), None
)
session.sidebar(ws, current)
session.demo_banner(ws)
session.show_flash()
st.session_state[session.ENTERED_VIA_APP] = True
try:
    navigation.run()
finally:
    st.session_state[session.ENTERED_VIA_APP] = False
