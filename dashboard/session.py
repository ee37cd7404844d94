"""The dashboard's session: its workspace, sign-in and roles, the shared sidebar, and actions.

The sidebar is drawn by ``app.py`` before any page runs, so its choices (period, channels,
assignee, who is working) survive moving between pages; ``choices`` hands them to a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import streamlit as st
from sqlalchemy import Connection
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.runtime.pages_manager import PagesManager

from dashboard.access import (
    ALLOW_OPEN_SETTING,
    AccessConfigError,
    AccessPolicy,
    is_loopback,
    may_open,
    open_admin_problem,
    policy_from_secrets,
)
from dashboard.charts import clear_reports
from dashboard.display import PLATFORMS, escape_markdown, platform_label
from pipeline.workspace import Workspace, open_workspace
from settings import ConfigError, load_settings
from store.case_actions import CaseActionError, team_members
from store.db import StoreError
from store.queries import UNASSIGNED
from store.report_frames import Period

ANYONE = "Anyone"


ENTERED_VIA_APP = "_entered_via_app"


PERIOD_DAYS = 84


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


def reload_settings() -> None:
    """Read the settings again on the next run: the workspace, and the settings it holds, are
    opened once per server, so an edited ``.streamlit/secrets.toml`` would otherwise wait for a
    restart. The process's own environment cannot change; that still needs one."""
    try:
        old = _cached_workspace()
    except (ConfigError, StoreError):
        old = None  # nothing was cached: the next run reads the settings anyway
    _cached_workspace.clear()
    st.cache_data.clear()  # reports depend on the SLA and calendar settings
    if old is not None:
        old.engine.dispose()  # sessions still inside a query finish on their connection
    st.session_state["flash"] = "Settings read again"
    st.rerun()


def access_policy() -> AccessPolicy:
    """Sign-in and roles from ``.streamlit/secrets.toml`` (no file: single-user mode)."""
    try:
        secrets = st.secrets.to_dict()
    except (FileNotFoundError, StreamlitSecretNotFoundError):
        secrets = {}
    try:
        return policy_from_secrets(secrets)
    except AccessConfigError as exc:
        st.error(f"Sign-in is misconfigured: {exc}", icon=":material/lock:")
        st.stop()
        raise


def listening_address() -> str:
    """Where this server listens, as Streamlit was told (empty: every interface)."""
    return str(st.get_option("server.address") or "")


def open_admin_allowed() -> bool:
    return load_settings().get(ALLOW_OPEN_SETTING).strip() == "1"


def refuse_open_admin(policy: AccessPolicy) -> None:
    """Stop every page when an admin without sign-in would be reachable from the network; when
    the operator allowed it by name, say so on every page."""
    address = listening_address()
    problem = open_admin_problem(policy, address, open_admin_allowed())
    if problem:
        st.error(problem, icon=":material/lock_open:")
        st.stop()
    if not policy.sign_in and not is_loopback(address):
        st.warning(
            f"{ALLOW_OPEN_SETTING}=1: no sign-in, listening on {address or 'every interface'}"
            " — everyone who reaches this page is an admin.",
            icon=":material/warning:",
        )


def sign_in(policy: AccessPolicy) -> str:
    """The signed-in person's role; everyone else sees the sign-in page and stops here."""
    refuse_open_admin(policy)
    if not policy.sign_in:
        st.session_state["signed_in_as"] = None
        return "admin"
    if not st.user.is_logged_in:
        st.title("Full Circle")
        st.write("Sign in with your work account to see the backlog.")
        provider = policy.providers[0] if len(policy.providers) == 1 else None
        st.button(
            "Sign in",
            type="primary",
            icon=":material/login:",
            on_click=st.login,
            args=(provider,) if provider else (),
        )
        st.stop()
    email = str(st.user.get("email") or "")
    role = policy.role_for(email, st.user.get("email_verified"))
    if role is None:
        st.error(
            f"{escape_markdown(email) or 'This account'} may not use this workspace. Ask an "
            "admin to add your address or domain.",
            icon=":material/block:",
        )
        st.button("Sign out", on_click=st.logout)
        st.stop()
    st.session_state["signed_in_as"] = email
    with st.sidebar:
        st.caption(f"Signed in as {escape_markdown(email)} · {role}")
        st.button("Sign out", on_click=st.logout, key="sign_out")
    return role


def require(page: str) -> None:
    """Refuse a page the signed-in role may not open (a deep link cannot get around it). A
    session without a role (the page run without app.py's sign-in) is refused too."""
    _enter_via_app()
    role = st.session_state.get("role")
    if role is None or not may_open(role, page):
        st.error("Your role may not open this page.", icon=":material/block:")
        st.stop()


def demo_banner(ws: Workspace) -> None:
    if ws.is_demo():
        st.info(
            "Demo data: a fictional employer, Northwind Labs. Configure a connector on "
            "**Sources & settings** to listen to your own channels.",
            icon=":material/science:",
        )


@dataclass(frozen=True)
class SidebarChoices:
    """The sidebar's choices every page reads: period, channels, assignee, and who acts."""

    start: date
    end: date
    platforms: tuple[str, ...]
    assignee: str | None
    actor: str | None

    @property
    def period(self) -> Period:
        """The period with the sidebar's channels and assignee: the slice every figure of a
        page covers."""
        return Period(
            datetime.combine(self.start, time(), UTC),
            datetime.combine(self.end + timedelta(days=1), time(), UTC),
            self.platforms,
            self.assignee,
        )

    @property
    def period_label(self) -> str:
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"


def remember(defaults: dict[str, object], allowed: dict[str, list] | None = None) -> None:
    """Give widgets their last value (or a default) through session state, before they exist.

    ``st.switch_page`` starts the next page without the browser's widget values, so widgets
    would fall back to their defaults; a plain copy kept beside them survives that. ``allowed``
    drops a remembered choice that is no longer an option (a team member removed).
    """
    kept = st.session_state.setdefault("_kept", {})
    for key, default in defaults.items():
        if key not in st.session_state:
            value = kept.get(key, default)
            if allowed and key in allowed and value not in allowed[key]:
                value = default
            st.session_state[key] = value


def keep(*keys: str) -> None:
    """Copy the widgets' current values where ``remember`` finds them on the next page."""
    kept = st.session_state.setdefault("_kept", {})
    kept.update({key: st.session_state[key] for key in keys if key in st.session_state})


# The sidebar filters each page applies; the others are hidden there (their choice is kept for
# the pages that use it). The backlog and a conversation are "now" views of every open case,
# whatever the period; Listening counts posts, which have no assignee; Sources has no figures.
FILTERS = ("period", "channels", "assignee")
PAGE_FILTERS: dict[str, tuple[str, ...]] = {
    "backlog": ("channels", "assignee"),
    "conversation": (),
    "rates": FILTERS,
    "listening": ("period", "channels"),
    "sources": (),
}


def sidebar(ws: Workspace, page: str | None = None) -> SidebarChoices:
    """Draw the shared sidebar (from app.py, so its widgets keep their state across pages)
    with the filters ``page`` applies (every filter for an unknown page)."""
    with ws.engine.connect() as conn:
        team = team_members(conn)
    today = datetime.now(UTC).date()
    who = [ANYONE, UNASSIGNED, *team]
    shown = PAGE_FILTERS.get(page or "", FILTERS)
    remember(
        {
            "period": (today - timedelta(days=PERIOD_DAYS - 1), today),
            "channels": [],
            "assignee": ANYONE,
            "actor": None,
            "actor_name": "",
        },
        {"assignee": who, "actor": [None, *team]},
    )
    with st.sidebar:
        if "period" in shown:
            st.date_input(
                "Period",
                max_value=today,
                key="period",
                format="YYYY-MM-DD",
                help="The figures and charts of this page cover these days (UTC).",
            )
        if "channels" in shown:
            st.multiselect(
                "Channels",
                list(PLATFORMS),
                format_func=platform_label,
                key="channels",
                placeholder="All channels",
            )
        if "assignee" in shown:
            st.selectbox("Assignee", who, key="assignee")
        if not shown:
            st.caption("This page shows one case or the set-up: no filters apply.")
        elif len(shown) < len(FILTERS):
            st.caption(_hidden_note(shown))
        actor = _working_as(team)
    keep(*(name for name in FILTERS if name in shown), "actor", "actor_name")
    start, end = _days(st.session_state["period"])
    choice = SidebarChoices(
        start,
        end,
        tuple(st.session_state["channels"]) if "channels" in shown else (),
        None
        if "assignee" not in shown or st.session_state["assignee"] == ANYONE
        else st.session_state["assignee"],
        actor,
    )
    st.session_state["choices"] = choice
    return choice


def _hidden_note(shown: tuple[str, ...]) -> str:
    if "period" not in shown:
        return (
            "Every open case, whatever its age: the period applies to Response rates and Listening."
        )
    return "Posts have no assignee: the assignee applies to the Backlog and Response rates."


def _days(picked: object) -> tuple[date, date]:
    """The date input's value as (first, last): one day while a range is half picked."""
    if isinstance(picked, tuple | list):
        return (picked[0], picked[-1]) if picked else _days(None)
    if picked is None:
        today = datetime.now(UTC).date()
        return today - timedelta(days=PERIOD_DAYS - 1), today
    assert isinstance(picked, date)
    return picked, picked


def _working_as(team: list[str]) -> str | None:
    """Who acts: the signed-in person, else a team member picked, else a typed name."""
    why = "Your name goes into the audit trail of what you change."
    signed_in = st.session_state.get("signed_in_as")
    if signed_in:
        return signed_in
    if team:
        return st.selectbox(
            "Working as",
            team,
            key="actor",
            placeholder="Choose your name",
            help=f"{why} Edit the team on Sources & settings.",
        )
    return (
        st.text_input(
            "Working as",
            key="actor_name",
            placeholder="Your name",
            help=f"{why} Add the team on Sources & settings to assign cases.",
        ).strip()
        or None
    )


def _enter_via_app() -> None:
    """Until app.py has called ``st.navigation`` once, Streamlit runs in its old ``pages/``
    directory mode, where a deep link (or AppTest's next run) runs the page without app.py.
    Leaving that mode, as ``st.navigation`` would, and rerunning goes through app.py."""
    if not st.session_state.get(ENTERED_VIA_APP) and PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def choices() -> SidebarChoices:
    """The sidebar's current choices (app.py draws the sidebar before any page runs)."""
    _enter_via_app()
    if "choices" not in st.session_state:
        return sidebar(workspace())
    return st.session_state["choices"]


def run_action(
    ws: Workspace,
    done: str,
    action: Callable[[Connection, str], object],
    fallback_actor: str | None = None,
) -> bool:
    """Run an action in one transaction as the sidebar's actor; report the outcome.

    ``fallback_actor`` names who acts when nobody is chosen yet (setting up the team itself).
    """
    actor = choices().actor or fallback_actor
    if not actor:
        st.warning(
            "Choose your name under **Working as** in the sidebar first: every change "
            "is recorded with who made it.",
            icon=":material/person:",
        )
        return False
    try:
        with ws.engine.begin() as conn:
            action(conn, actor)
    except CaseActionError as exc:
        st.error(f"Nothing changed: {exc}.", icon=":material/error:")
        return False
    clear_reports()  # overdue, ghosted and the rest change with what was just done
    st.session_state["flash"] = done
    st.rerun()
    return True


def show_flash() -> None:
    """Show the message an action left before its rerun."""
    message = st.session_state.pop("flash", None)
    if message:
        st.toast(message, icon=":material/check_circle:")
