"""The dashboard's shared pieces: the workspace, the shared sidebar, safe text, charts, actions.

With ``app.py`` and ``pages/`` this is the only module that imports Streamlit. Post text is
untrusted: it is shown with ``st.text``/``st.dataframe`` or escaped by ``md`` before it reaches
markdown, and links from posts pass ``safe_url`` first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy import Connection
from streamlit.errors import StreamlitSecretNotFoundError
from streamlit.runtime.pages_manager import PagesManager

from access import AccessConfigError, AccessPolicy, may_open, policy_from_secrets
from pipeline.reports import workspace_report
from pipeline.workspace import Workspace, open_workspace
from settings import ConfigError
from store.case_actions import CaseActionError, team_members
from store.db import StoreError
from store.queries import UNASSIGNED
from store.report_frames import Period

PLATFORMS = {"x": "X", "reddit": "Reddit", "youtube": "YouTube", "email": "E-mail"}
COLORS = {"primary": "#0f766e", "light": "#5eead4", "target": "#d97706", "bad": "#dc2626",
          "muted": "#94a3b8", "positive": "#16a34a", "neutral": "#94a3b8", "negative": "#dc2626"}
ANYONE = "Anyone"
ENTERED_VIA_APP = "_entered_via_app"
PERIOD_DAYS = 84
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


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


def sign_in(policy: AccessPolicy) -> str:
    """The signed-in person's role; everyone else sees the sign-in page and stops here."""
    if not policy.sign_in:
        st.session_state["signed_in_as"] = None
        return "admin"
    if not st.user.is_logged_in:
        st.title("Full Circle")
        st.write("Sign in with your work account to see the backlog.")
        provider = policy.providers[0] if len(policy.providers) == 1 else None
        st.button("Sign in", type="primary", icon=":material/login:",
                  on_click=st.login, args=(provider,) if provider else ())
        st.stop()
    email = str(st.user.get("email") or "")
    role = policy.role_for(email)
    if role is None:
        st.error(f"{md(email) or 'This account'} may not use this workspace. Ask an admin to "
                 "add your address or domain.", icon=":material/block:")
        st.button("Sign out", on_click=st.logout)
        st.stop()
    st.session_state["signed_in_as"] = email
    with st.sidebar:
        st.caption(f"Signed in as {md(email)} · {role}")
        st.button("Sign out", on_click=st.logout, key="sign_out")
    return role


def require(page: str) -> None:
    """Refuse a page the signed-in role may not open (a deep link cannot get around it)."""
    if not may_open(st.session_state.get("role", "admin"), page):
        st.error("Your role may not open this page.", icon=":material/block:")
        st.stop()


def demo_banner(ws: Workspace) -> None:
    if ws.is_demo():
        st.info("Demo data: a fictional employer, Northwind Labs. Configure a connector on "
                "**Sources & settings** to listen to your own channels.",
                icon=":material/science:")


def hours(value: float | None) -> str:
    """Durations the way people say them: minutes, hours, days."""
    if value is None or pd.isna(value):
        return "–"
    if value < 1:
        return f"{value * 60:.0f} min"
    if value < 48:
        return f"{value:.1f} h"
    return f"{value / 24:.1f} d"


def business(value: float | None) -> str:
    """Business hours stay hours (a "day" of business hours would be ambiguous)."""
    if value is None or pd.isna(value):
        return "–"
    return f"{value * 60:.0f} min" if value < 1 else f"{value:.1f} h"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def md(text: object) -> str:
    """Text made inert for st.markdown: punctuation becomes character references, so no
    markdown, HTML, directive (``:red[...]``) or auto-link (e-mail, URL) can form."""
    flat = " ".join(str(text).split())
    # Streamlit links e-mail addresses and URLs after parsing; a word joiner breaks them up.
    flat = flat.replace("@", "@\u2060").replace(":", ":\u2060").replace(".", ".\u2060")
    return _PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", flat)


def safe_url(url: object) -> str | None:
    """A link taken from a post, only when it is plain http(s) (never ``javascript:``)."""
    if isinstance(url, str) and re.match(r"^https?://[^\s<>\"']+$", url.strip()):
        return url.strip()
    return None


def platform_label(platform: str) -> str:
    return PLATFORMS.get(platform, platform)


@dataclass(frozen=True)
class Shared:
    """The sidebar's choices every page reads: period, channels, assignee, and who acts."""

    start: date
    end: date
    platforms: tuple[str, ...]
    assignee: str | None
    actor: str | None

    @property
    def period(self) -> Period:
        return Period(datetime.combine(self.start, time(), UTC),
                      datetime.combine(self.end + timedelta(days=1), time(), UTC))

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


def sidebar(ws: Workspace) -> Shared:
    """Draw the shared sidebar (from app.py, so its widgets keep their state across pages)."""
    with ws.engine.connect() as conn:
        team = team_members(conn)
    today = datetime.now(UTC).date()
    who = [ANYONE, UNASSIGNED, *team]
    remember({"period": (today - timedelta(days=PERIOD_DAYS - 1), today), "channels": [],
              "assignee": ANYONE, "actor": None, "actor_name": ""},
             {"assignee": who, "actor": [None, *team]})
    with st.sidebar:
        picked = st.date_input("Period", max_value=today, key="period", format="YYYY-MM-DD",
                               help="Response rates and Listening cover this period (UTC days). "
                                    "The backlog always shows every open case.")
        start, end = (picked if len(picked) == 2 else (picked[0], picked[0])) if isinstance(
            picked, tuple) else (picked, picked)
        platforms = st.multiselect("Channels", list(PLATFORMS), format_func=platform_label,
                                   key="channels", placeholder="All channels")
        assignee = st.selectbox("Assignee", who, key="assignee")
        why = "Your name goes into the audit trail of what you change."
        signed_in = st.session_state.get("signed_in_as")
        if signed_in:
            actor = signed_in
        elif team:
            actor = st.selectbox("Working as", team, key="actor", placeholder="Choose your name",
                                 help=f"{why} Edit the team on Sources & settings.")
        else:
            actor = st.text_input("Working as", key="actor_name", placeholder="Your name",
                                  help=f"{why} Add the team on Sources & settings to assign "
                                       "cases.").strip() or None
    keep("period", "channels", "assignee", "actor", "actor_name")
    shared = Shared(start, end, tuple(platforms), None if assignee == ANYONE else assignee, actor)
    st.session_state["shared"] = shared
    return shared


def shared() -> Shared:
    """The sidebar's current choices (app.py draws the sidebar before any page runs).

    Until app.py has called ``st.navigation`` once, Streamlit runs in its old ``pages/``
    directory mode, where a deep link (or AppTest's next run) runs the page without app.py.
    Leaving that mode, as ``st.navigation`` would, and rerunning goes through app.py.
    """
    if not st.session_state.get(ENTERED_VIA_APP) and PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    if "shared" not in st.session_state:
        return sidebar(workspace())
    return st.session_state["shared"]


def act(ws: Workspace, done: str, action: Callable[[Connection, str], object],
        fallback_actor: str | None = None) -> bool:
    """Run an action in one transaction as the sidebar's actor; report the outcome.

    ``fallback_actor`` names who acts when nobody is chosen yet (setting up the team itself).
    """
    actor = shared().actor or fallback_actor
    if not actor:
        st.warning("Choose your name under **Working as** in the sidebar first: every change "
                   "is recorded with who made it.", icon=":material/person:")
        return False
    try:
        with ws.engine.begin() as conn:
            action(conn, actor)
    except CaseActionError as exc:
        st.error(f"Nothing changed: {exc}.", icon=":material/error:")
        return False
    report.clear()  # overdue, ghosted and the rest change with what was just done
    st.session_state["flash"] = done
    st.rerun()
    return True


def flash() -> None:
    """Show the message an action left before its rerun."""
    message = st.session_state.pop("flash", None)
    if message:
        st.toast(message, icon=":material/check_circle:")


@st.cache_data(ttl=60, show_spinner="Computing the report…")
def report(_ws: Workspace, url: str, since: datetime, until: datetime,
           by: str | None) -> dict:
    """``reports.workspace_report`` (the code behind ``cli.py report``), cached for a minute."""
    with _ws.engine.connect() as conn:
        return workspace_report(conn, Period(since, until), by)


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


def plot(fig: go.Figure, height: int = 320) -> None:
    fig.update_layout(template="plotly_white", height=height, margin=dict(l=8, r=8, t=48, b=8),
                      title=dict(x=0, xanchor="left", y=0.98, yanchor="top",
                                 font=dict(size=14)),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1,
                                  xanchor="right", bgcolor="rgba(0,0,0,0)"),
                      font=dict(family="Inter, system-ui, sans-serif", size=13),
                      hoverlabel=dict(font_size=12))
    st.plotly_chart(fig, width="stretch", config={"displaylogo": False})


def sla_line(fig: go.Figure, keys: pd.Series, sla: float) -> None:
    """The SLA target as a dashed trace (an annotation would misplace itself on a log axis)."""
    fig.add_scatter(x=list(keys), y=[sla] * len(keys), mode="lines", name=f"SLA {sla:g} h",
                    line=dict(color=COLORS["target"], dash="dash", width=2))


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A store frame for people: times as text, platforms by name, headings in words."""
    shown = frame.copy()
    for column in shown.columns:
        if isinstance(shown[column].dtype, pd.DatetimeTZDtype) or column.endswith("_at") \
                or column.endswith("_opened"):
            shown[column] = shown[column].map(when)
    if "platform" in shown:
        shown["platform"] = shown["platform"].map(platform_label)
    if "text" in shown:
        shown["text"] = shown["text"].map(snippet)
    return shown.rename(columns=lambda c: c.replace("_", " ").capitalize())


def rows_table(frame: pd.DataFrame, name: str, label: str, hide: list[str] | None = None) -> None:
    """One page of rows for people, and the same rows as CSV for a spreadsheet."""
    st.dataframe(readable(frame.drop(columns=hide or [])), hide_index=True, width="stretch")
    csv_download(frame, name, label)


def csv_download(frame: pd.DataFrame, name: str, label: str = "Download CSV") -> None:
    st.download_button(label, frame.to_csv(index=False).encode("utf-8"), f"{name}.csv",
                       "text/csv", key=f"csv-{name}", icon=":material/download:")


def snippet(text: object, length: int = 160) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def mood(score: float | None, exact: bool = True) -> str:
    """VADER's compound score as a word (the thresholds the analysis uses), with the number."""
    if score is None or pd.isna(score):
        return "–"
    label = "negative" if score <= -0.05 else "positive" if score >= 0.05 else "neutral"
    return f"{label} ({score:+.2f})" if exact else label


def due_text(due_at: datetime, now: datetime, answered: bool = False) -> str:
    """"overdue 2.1 d" or "in 5.0 h": the one thing people scan the backlog for."""
    if answered:
        return "answered"
    left = (due_at - now).total_seconds() / 3600
    return f"overdue {hours(-left)}" if left <= 0 else f"in {hours(left)}"


BACKLOG_COLUMNS = {
    "Due": st.column_config.TextColumn(width=105), "Waiting": st.column_config.TextColumn(width=70),
    "Channel": st.column_config.TextColumn(width=70),
    "Author": st.column_config.TextColumn(width=140),
    "Post": st.column_config.TextColumn(width=330),
    "Intent": st.column_config.TextColumn(width=80),
    "Why": st.column_config.TextColumn(width=150, help="Why this needs an answer"),
    "Sentiment": st.column_config.TextColumn(width=80),
    "Chases": st.column_config.NumberColumn(width=60),
    "Assignee": st.column_config.TextColumn(width=110),
}


def backlog_display(rows: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """The backlog rows as people read them (all text; nothing here is rendered as markup)."""
    age = (now - pd.to_datetime(rows["opened_at"], utc=True)).dt.total_seconds() / 3600
    return pd.DataFrame({
        "Due": [due_text(d, now) for d in rows["due_at"]],
        "Waiting": [hours(h) for h in age],
        "Channel": rows["platform"].map(platform_label),
        "Author": rows["author_handle"],
        "Post": rows["text"].map(snippet),
        "Intent": rows["intent"].fillna("–"),
        "Why": rows["reason"].fillna("–"),
        "Sentiment": [mood(s, exact=False) for s in rows["sentiment"]],
        "Chases": rows["chase_count"].astype(int),
        "Assignee": rows["assignee"].fillna("–"),
    }).assign(**({"Status": rows["status"]} if rows["status"].nunique() > 1 else {}))


def event_text(action: str, detail: object) -> str:
    """One line per audit event, e.g. "assign → Anna" or "close: Spam or abuse"."""
    detail = detail if isinstance(detail, dict) else {}
    if action == "assign":
        return f"assigned to {detail.get('assignee') or 'nobody'}"
    if action == "snooze":
        return f"snoozed until {str(detail.get('until', ''))[:16].replace('T', ' ')} UTC"
    if action == "close":
        return f"closed: {detail.get('reason', '')}"
    if action == "note":
        return f"note: {detail.get('text', '')}"
    if action == "pending":
        return "waiting on the candidate"
    if action == "label":
        posts = len(detail.get("posts") or [])
        if detail.get("label") == "no_answer_needed":
            return f"marked no answer needed ({posts} post(s))"
        return "added to the backlog by hand"
    extra = ", ".join(f"{k}={v}" for k, v in detail.items() if k != "text")
    return f"{action} {extra}".strip()


def when(value: object) -> str:
    """A UTC timestamp as people read it, or a dash."""
    if value is None or pd.isna(value):
        return "–"
    return pd.Timestamp(value).tz_convert("UTC").strftime("%d %b %Y %H:%M UTC")


def thread(frame: pd.DataFrame, case_id: int,
           on_add: Callable[[int], object] | None = None) -> None:
    """The posts in time order; brand posts marked, and for every inbound post whether it needs
    an answer and why. ``on_add`` puts a post the rules passed over into the backlog. Post text
    goes through ``st.text`` only."""
    for post in frame.itertuples():
        brand = bool(post.is_brand)
        with st.chat_message("assistant" if brand else "user",
                             avatar=":material/apartment:" if brand else ":material/person:"):
            tags = ["brand" + (" · automatic" if post.is_auto_reply else "")] if brand else []
            if post.case_id == case_id:
                tags.append("this case")
            if not brand:
                tags.append(why(post.needs_response, post.reason))
            st.markdown(f"**{md(post.author_handle)}** · {platform_label(post.platform)}"
                        f" · {when(post.created_at)}" + "".join(f" · :gray-badge[{md(t)}]"
                                                                  for t in tags))
            subject = post.subject if isinstance(post.subject, str) else ""
            if subject and not post.text.startswith(subject):
                st.text(f"Subject: {subject}")
            st.text(post.text)
            if on_add and not brand and not post.needs_response and st.button(
                    "Needs an answer: add to the backlog", key=f"add-post-{post.id}",
                    icon=":material/add_task:", type="tertiary"):
                on_add(int(post.id))


def why(needs_response: object, reason: object) -> str:
    """"needs an answer: asks a question" / "no answer needed: closing courtesy"."""
    head = "needs an answer" if needs_response else "no answer needed"
    return f"{head}: {reason}" if isinstance(reason, str) and reason else head
