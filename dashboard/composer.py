"""The reply composer of the Conversation page: send on the post's channel or by e-mail.

Sending goes through ``engagement.actions`` with one idempotency key per draft, so a double
click or a rerun posts once; a failure shows the platform's reason and keeps the draft.
"""

from __future__ import annotations

import uuid

import streamlit as st
from sqlalchemy import Connection

from connectors.base import ConnectorError
from dashboard import charts, display, session
from engagement.actions import (
    CaseNotFound,
    TemplateError,
    fill_known,
    first_name,
    move_to_email,
    render_template,
    reply_to_case,
)
from engagement.senders import sender_for
from pipeline.workspace import Workspace
from settings import redact
from store import people, presence
from store.events import log_event


def _send_key(case_id: int) -> str:
    """One idempotency key per draft: a double click or a rerun sends the same reply once."""
    return st.session_state.setdefault(f"send-key-{case_id}", uuid.uuid4().hex)


def _refill(ws: Workspace, case: dict, replies: list[dict[str, str]], key: str) -> None:
    """A role typed after the saved reply was chosen fills it in, unless the draft has been
    edited since (the person's own words are never overwritten)."""
    if st.session_state.get(f"template-{case['id']}") and st.session_state.get(
        key
    ) == st.session_state.get(f"filled-{case['id']}"):
        _fill(ws, case, replies, key)


def _fill(ws: Workspace, case: dict, replies: list[dict[str, str]], key: str) -> None:
    chosen = st.session_state[f"template-{case['id']}"]
    template = next((r["text"] for r in replies if r["title"] == chosen), "")
    values = {
        "first_name": first_name(case["author_name"], case["author_handle"]),
        "role": st.session_state.get(f"role-{case['id']}", ""),
        "recruiter": session.choices().actor or "",
    }
    try:
        st.session_state[key] = render_template(template, values)
    except TemplateError as exc:
        st.session_state[key] = fill_known(template, values)
        st.session_state["composer_hint"] = str(exc)
    st.session_state[f"filled-{case['id']}"] = st.session_state[key]


def _send(ws: Workspace, case: dict, text: str, by_email: bool, address: str) -> None:
    """Send where the button said: by e-mail when it says so, never on the public post
    instead; a refused send keeps the draft."""
    actor = session.choices().actor
    if not actor:
        st.warning(
            "Choose your name under **Working as** in the sidebar first.", icon=":material/person:"
        )
        return
    key = _send_key(case["id"])
    try:
        if by_email:
            sent = move_to_email(ws, case["id"], address, text, actor=actor, key=key)
        else:
            sent = reply_to_case(ws, case["id"], text, actor=actor, key=key)
    except (ConnectorError, TemplateError, CaseNotFound) as exc:
        reason = display.escape_markdown(redact(str(exc)))
        st.error(f"Not sent — {reason}. Your draft is kept.", icon=":material/error:")
        return
    st.session_state.pop(f"send-key-{case['id']}", None)
    st.session_state["sent_case"] = case["id"]  # the text box is emptied on the next run
    st.session_state.setdefault("drafts", {}).pop(case["id"], None)
    charts.clear_reports()
    where = "into the sandbox (nothing left Full Circle)" if sent.sandbox else f"on {sent.via}"
    st.session_state["flash"] = f"Reply sent {where}."
    st.rerun()


def render_composer(ws: Workspace, case: dict, replies: list[dict[str, str]]) -> None:
    """Reply on the post's own channel, or carry the conversation to e-mail; drafts persist."""
    key, drafts = f"draft-{case['id']}", st.session_state.setdefault("drafts", {})
    if st.session_state.get("sent_case") == case["id"]:
        st.session_state[key] = ""
        del st.session_state["sent_case"]
    st.session_state.setdefault(key, drafts.get(case["id"], ""))
    _send_key(case["id"])
    st.subheader("Reply")
    try:
        sender = sender_for(case["platform"], ws.settings, ws.is_demo())
    except ConnectorError as exc:
        sender = None
        st.warning(
            f"Sending on {display.platform_label(case['platform'])} is not set up: {exc}.",
            icon=":material/key_off:",
        )
    if sender is not None and sender.sandbox:
        st.info(
            "Sandbox: replies are recorded in this demo workspace and sent nowhere.",
            icon=":material/science:",
        )
    left, right = st.columns(2)
    right.text_input(
        "Role (for {role})",
        key=f"role-{case['id']}",
        placeholder="e.g. backend",
        on_change=_refill,
        args=(ws, case, replies, key),
    )
    left.selectbox(
        "Start from a saved reply",
        [r["title"] for r in replies],
        index=None,
        key=f"template-{case['id']}",
        on_change=_fill,
        args=(ws, case, replies, key),
        placeholder="Choose a saved reply (edit them on Sources & settings)",
    )
    if hint := st.session_state.pop("composer_hint", None):
        st.caption(f":orange[{hint}]")
    text = st.text_area(
        "Your reply", key=key, height=140, placeholder=f"Write to {case['author_handle']}…"
    )
    _presence(ws, case, "drafting" if text.strip() else "viewing")
    move = st.toggle("Move to e-mail (a private channel)", key=f"move-{case['id']}")
    address = ""
    if move:
        address = st.text_input(
            "Candidate's e-mail address",
            key=f"address-{case['id']}",
            value=case["author_id"] if case["platform"] == "email" else "",
        )
    send, save = st.columns(2)
    label = "Send by e-mail" if move else f"Send on {display.platform_label(case['platform'])}"
    if send.button(
        label,
        key=f"send-{case['id']}",
        type="primary",
        icon=":material/send:",
        disabled=sender is None and not move,
    ):
        _send(ws, case, text, move, address)
    if save.button("Save draft", key=f"save-{case['id']}", icon=":material/save:"):
        drafts[case["id"]] = text
        st.toast("Draft saved for this case.", icon=":material/save:")
    link = display.safe_url(case.get("url"))
    if link:
        st.link_button(
            f"Open on {display.platform_label(case['platform'])}",
            link,
            icon=":material/open_in_new:",
        )


def _presence(ws: Workspace, case: dict, state: str) -> None:
    """Tell the others we are here, and show who else is on this case right now."""
    actor = session.choices().actor
    with ws.engine.begin() as conn:
        if actor:
            presence.beat(conn, case["id"], actor, state)
        around = presence.others(conn, case["id"], actor or "")
    for who, doing in around:
        verb = "is writing a reply" if doing == "drafting" else "has this case open"
        st.warning(
            f"{display.escape_markdown(who)} {verb} right now — check before you answer.",
            icon=":material/group:",
        )


def render_link(ws: Workspace, case: dict) -> None:
    """Link this person to their identity on another channel, by hand (a popover: it sits in
    the collapsible "Their other conversations", and expanders do not nest well)."""
    with st.popover("Same person elsewhere?", icon=":material/link:"):
        platform = st.selectbox(
            "Channel",
            list(display.PLATFORMS),  # every channel a person can write on
            key=f"link-platform-{case['id']}",
            format_func=display.platform_label,
        )
        handle = st.text_input("Their handle or address there", key=f"link-handle-{case['id']}")
        if st.button("Link", key=f"link-{case['id']}") and handle.strip():

            def link(c: Connection, a: str) -> None:
                people.link(
                    c,
                    (case["platform"], case["author_handle"]),
                    (platform, handle),
                    f"by hand: {a}",
                )
                log_event(c, a, "linked_person", case["id"], {"to": f"{platform}:{handle}"})

            session.run_action(ws, f"Linked to {handle}", link)
