"""Sources & settings: what we listen to, whether it works, what it costs; team and replies."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from connectors.base import ConnectorError
from connectors.files import IMPORT_FORMATS
from dashboard import charts, display, session
from engagement.actions import template_problem, variables_hint
from pipeline.sources import configured_sources, connector_status, estimated_cost
from pipeline.sync import sync_all
from settings import CONNECTOR_REQUIREMENTS, CREDENTIAL_PAGES, SENDER_REQUIREMENTS, SETTINGS
from store import case_actions, queries
from store.accounts import list_accounts
from store.db import shown_url
from store.sync_state import all_states, recent_errors

session.require("sources")
ws = session.workspace()
session.choices()
settings = ws.settings
st.title("Sources & settings")
if not st.session_state.get("signed_in_as"):
    where = session.listening_address() or "every network interface"
    st.info(
        f"No sign-in is configured and Full Circle listens on {where}: whoever reaches it is "
        "an admin. Add `[auth]` (OIDC) and `[access]` (allowed domains, managers, admins) to "
        "`.streamlit/secrets.toml` before sharing it.",
        icon=":material/lock_open:",
    )


def setting_rows(connector: str) -> pd.DataFrame:
    """A connector's settings: secrets show only whether they are set, never their value."""
    wanted = {*CONNECTOR_REQUIREMENTS.get(connector, ()), *SENDER_REQUIREMENTS.get(connector, ())}
    rows = []
    for s in (s for s in SETTINGS if s.env.startswith(f"{connector.upper()}_") or s.env in wanted):
        value = settings.get(s.env)
        state = ("set" if value.strip() else "not set") if s.secret else (value or "not set")
        rows.append({"setting": s.env, "value": state, "meaning": s.meaning})
    return pd.DataFrame(rows)


def sync_now() -> None:
    """Sync every configured source, then rerun so the history below shows the new state."""
    try:
        with st.spinner("Syncing every configured source…"):
            results = sync_all(ws, configured_sources(ws))
    except ConnectorError as exc:
        st.error(f"Sync could not start: {exc}", icon=":material/error:")
        return
    st.cache_data.clear()  # reports and listening counts include the new posts at once
    st.session_state["sync_results"] = pd.DataFrame(
        [
            {
                "source": r.source,
                "read": r.totals.read,
                "new posts": r.totals.new_posts,
                "cases opened": r.totals.cases_opened,
                "result": r.error or r.skipped or "ok",
            }
            for r in results
        ]
    )
    st.rerun()


with ws.engine.connect() as conn:
    accounts = pd.DataFrame(list_accounts(conn))
    states, errors = all_states(conn), recent_errors(conn, 20)
    team, replies = case_actions.team_members(conn), case_actions.saved_replies(conn)
status = connector_status(ws)

st.subheader("Connectors")
note, reload = st.columns([5, 1], vertical_alignment="center")
note.caption(
    "Settings are read when Full Circle starts, from the environment and then "
    "`.streamlit/secrets.toml` (README → Configuration). After editing secrets.toml, "
    "**Reload settings**; a changed environment variable needs a restart, and so does a "
    "running `cli.py sync --every` worker."
)
if reload.button("Reload settings", key="reload_settings", icon=":material/refresh:"):
    session.reload_settings()
configured = [c["connector"] for c in status if c["configured"]]
for connector in status:
    name = display.platform_label(connector["connector"])
    state = (
        ":green[:material/check_circle: configured]"
        if connector["configured"]
        else f":orange[:material/warning: missing {', '.join(connector['missing'])}]"
    )
    read = sum(s["items_read"] for s in connector["sources"])
    with st.expander(
        f"**{name}** · {state} · {len(connector['sources'])} source(s) · {read:,} posts read"
    ):
        where, url = CREDENTIAL_PAGES[connector["connector"]]
        st.markdown(f"Get the credentials at [{where}]({url}).")
        st.dataframe(
            setting_rows(connector["connector"]),
            hide_index=True,
            width="stretch",
            column_config={"meaning": st.column_config.TextColumn(width="large")},
        )
if configured:
    if st.button("Sync now", type="primary", icon=":material/sync:"):
        sync_now()
    if "sync_results" in st.session_state:
        st.success("Sync finished.", icon=":material/sync:")
        st.dataframe(st.session_state.pop("sync_results"), hide_index=True)
else:
    st.info(
        "No live connector is configured, so there is nothing to sync. Set the missing "
        "settings above in the environment or in `.streamlit/secrets.toml` and restart or "
        "reload (see README → Configuration), or import export files (below).",
        icon=":material/power_off:",
    )
    st.button(
        "Sync now", disabled=True, icon=":material/sync:", help="Configure a connector first."
    )

st.subheader("Import files")
st.markdown(
    "Posts from export files go in with `python cli.py import FILE --format FORMAT`; "
    "importing a file again adds nothing."
)
st.dataframe(
    pd.DataFrame([{"format": f.name, "what it is": f.what} for f in IMPORT_FORMATS]),
    hide_index=True,
    width="stretch",
)

st.subheader("Sync history")
if states:
    history = pd.DataFrame(
        [
            {
                "source": s["source"],
                "last success": display.when(s["last_success_at"]),
                "posts read": s["items_read"],
                "estimated cost (USD)": estimated_cost(s["source"], s["items_read"], settings),
                "last error": s["last_error"] or "",
                "error at": display.when(s["last_error_at"]),
            }
            for s in states
        ]
    )
    st.dataframe(display.visible_frame(history), hide_index=True, width="stretch")
else:
    st.caption("Nothing synced yet.")
if errors:
    st.markdown("**Recent problems**")
    st.dataframe(
        display.visible_frame(pd.DataFrame(errors)[["at", "source", "item_id", "reason"]]).assign(
            at=lambda f: f["at"].map(display.when)
        ),
        hide_index=True,
        width="stretch",
    )

st.subheader("Alerts")
with ws.engine.connect() as conn:
    alerts = queries.alert_log(conn)
if alerts.empty:
    st.caption(
        "No alert sent yet. Set ALERT_EMAIL and/or ALERT_WEBHOOK_URL and run "
        "`python cli.py alerts` beside the sync."
    )
else:
    st.dataframe(
        display.visible_frame(alerts).assign(at=alerts["at"].map(display.when)),
        hide_index=True,
        width="stretch",
    )

left, right = st.columns(2, gap="large")
with left:
    st.subheader("Brand accounts")
    if accounts.empty:
        st.info(
            "No brand account yet: posts by them count as the brand's. Add one with "
            "`python cli.py brand add x YourHandle`.",
            icon=":material/badge:",
        )
    else:
        shown = accounts[["platform", "handle", "display_name", "external_user_id"]]
        st.dataframe(charts.readable(shown), hide_index=True, width="stretch")
    st.subheader("SLA and working calendar")
    start, end = settings.working_hours
    days = settings.get("FULLCIRCLE_WORKDAYS")
    st.markdown(
        f"First response within **{settings.sla_hours:g} business hours** · "
        f"{days} {start}–{end} · {settings.get('FULLCIRCLE_TIMEZONE')} · public holidays "
        f"of {settings.get('FULLCIRCLE_HOLIDAYS') or 'no country'}"
    )
    st.caption(
        "Change them with FULLCIRCLE_SLA_HOURS, FULLCIRCLE_WORKDAYS, "
        "FULLCIRCLE_WORKING_HOURS, FULLCIRCLE_TIMEZONE and FULLCIRCLE_HOLIDAYS."
    )
    st.caption(f"Database: {shown_url(settings.database_url)}")
with right:
    st.subheader("Team")
    names = st.text_area("One name per line", "\n".join(team), key="team_text", height=120)
    if st.button("Save team", key="team_save"):
        session.run_action(
            ws,
            "Team saved",
            lambda c, a: case_actions.set_team_members(c, names.splitlines(), a),
            fallback_actor="set-up",
        )
    st.subheader("Saved replies")
    titles = [r["title"] for r in replies]
    pick = st.selectbox("Reply", [*titles, "＋ New saved reply"], key="reply_pick")
    current = next((r for r in replies if r["title"] == pick), {"title": "", "text": ""})
    title = st.text_input("Title", current["title"], key=f"reply_title_{pick}")
    body = st.text_area(
        f"Text (variables: {variables_hint()})",
        current["text"],
        key=f"reply_text_{pick}",
        height=110,
    )
    others = [r for r in replies if r["title"] != pick]
    save, drop = st.columns(2)
    problem = template_problem(body)
    if problem:
        st.caption(f":orange[Cannot be saved: {display.escape_markdown(problem)}]")
    if save.button("Save reply", key="reply_save", disabled=problem is not None):
        session.run_action(
            ws,
            f"Saved reply “{title}” stored",
            lambda c, a: case_actions.set_saved_replies(
                c, [*others, {"title": title, "text": body}], a
            ),
            fallback_actor="set-up",
        )
    if drop.button("Delete reply", key="reply_delete", disabled=pick not in titles):
        session.run_action(
            ws,
            f"Saved reply “{pick}” deleted",
            lambda c, a: case_actions.set_saved_replies(c, others, a),
            fallback_actor="set-up",
        )
