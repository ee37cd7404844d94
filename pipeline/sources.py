"""Which live sources this workspace runs, built from settings and the brand accounts.

Also answers the Sources page's questions per connector: configured or not (and which setting is
missing), last success, last error, posts read and the estimated cost.
"""

from __future__ import annotations

from typing import Any

from connectors.base import Connector, ConnectorError
from connectors.bluesky_api import LoginFailed, bluesky_sources, resolve_handle
from connectors.bluesky_api import login as bluesky_login
from connectors.feed_api import feed_sources
from connectors.hn_api import hn_sources
from connectors.imap_api import imap_sources
from connectors.mastodon_api import lookup_account_id, mastodon_sources
from connectors.mastodon_api import make_client as make_mastodon_client
from connectors.reddit_api import make_reddit, reddit_sources
from connectors.x_api import lookup_user_id, make_client, x_sources
from connectors.youtube_api import youtube_sources
from pipeline.workspace import Workspace
from settings import CONNECTOR_REQUIREMENTS, Settings
from store.accounts import add_account, list_accounts, set_user_id
from store.sync_state import all_states
from store.threads import stored_thread_keys


def _x_sources(ws: Workspace) -> list[Connector]:
    settings = ws.settings
    client = make_client(settings.get("X_BEARER_TOKEN"), settings.get("X_API_BASE_URL"))
    user_ids = _x_user_ids(ws, client)
    return list(x_sources(client, settings.get("X_QUERY"), user_ids))


def _x_user_ids(ws: Workspace, client) -> list[str]:
    """The brand's X user ids; handles registered without one are looked up once and stored."""
    with ws.engine.begin() as conn:
        ids = []
        for account in list_accounts(conn):
            if account["platform"] != "x":
                continue
            user_id = account["external_user_id"]
            if not user_id:
                user_id = lookup_user_id(client, account["handle"])
                set_user_id(conn, account["id"], user_id)
            ids.append(user_id)
    return ids


def _reddit_sources(ws: Workspace) -> list[Connector]:
    settings = ws.settings
    reddit = make_reddit(
        settings.get("REDDIT_CLIENT_ID"),
        settings.get("REDDIT_CLIENT_SECRET"),
        settings.get("REDDIT_USER_AGENT"),
        settings.get("REDDIT_USERNAME") or None,
        settings.get("REDDIT_PASSWORD") or None,
    )
    return list(
        reddit_sources(
            reddit,
            settings.get("REDDIT_QUERY"),
            settings.get("REDDIT_SUBREDDITS"),
            settings.get("REDDIT_USERNAME") or None,
        )
    )


def _youtube_sources(ws: Workspace) -> list[Connector]:
    settings = ws.settings
    return list(
        youtube_sources(settings.get("YOUTUBE_API_KEY"), settings.get("YOUTUBE_CHANNEL_IDS"))
    )


def _email_sources(ws: Workspace) -> list[Connector]:
    return list(imap_sources(ws.settings.values))


def _feed_sources(ws: Workspace) -> list[Connector]:
    return list(feed_sources(ws.settings.get("FEED_URLS")))


def _mastodon_sources(ws: Workspace) -> list[Connector]:
    settings = ws.settings
    client = make_mastodon_client(
        settings.get("MASTODON_API_BASE_URL"), settings.get("MASTODON_ACCESS_TOKEN")
    )
    with ws.engine.begin() as conn:
        account_ids = []
        for account in list_accounts(conn):
            if account["platform"] != "mastodon":
                continue
            account_id = account["external_user_id"]
            if not account_id:
                account_id = lookup_account_id(client, account["handle"])
                set_user_id(conn, account["id"], account_id)
            account_ids.append(account_id)

    def known_threads(parents: set[str]) -> dict[str, str]:
        with ws.engine.connect() as conn:
            return stored_thread_keys(conn, "mastodon", parents)

    return list(
        mastodon_sources(
            client,
            settings.get("MASTODON_HASHTAGS"),
            settings.get("MASTODON_QUERY"),
            account_ids,
            known_threads=known_threads,
        )
    )


def _bluesky_sources(ws: Workspace) -> list[Connector]:
    settings = ws.settings
    handle = settings.get("BLUESKY_HANDLE").strip().lstrip("@")
    try:
        session = bluesky_login(
            handle, settings.get("BLUESKY_APP_PASSWORD"), settings.get("BLUESKY_SERVICE_URL")
        )
    except ConnectorError as exc:  # recorded as the source's last error by the sync
        return [LoginFailed(f"bluesky:notifications:{handle}", exc)]
    with ws.engine.begin() as conn:
        # The login account is the brand's voice on Bluesky: its posts are answers.
        known = [a for a in list_accounts(conn) if a["platform"] == "bluesky"]
        if not any(a["handle"].lower() == session.handle.lower() for a in known):
            add_account(conn, "bluesky", session.handle, session.did)
        accounts = []
        for account in list_accounts(conn):
            if account["platform"] != "bluesky":
                continue
            did = account["external_user_id"]
            if not did:
                did = resolve_handle(session, account["handle"])
                set_user_id(conn, account["id"], did)
            accounts.append((account["handle"], did))
    return list(bluesky_sources(session, settings.get("BLUESKY_QUERY"), accounts))


def _hn_sources(ws: Workspace) -> list[Connector]:
    """The brand query, and the items of each HN brand account (so answers are seen)."""
    with ws.engine.connect() as conn:
        users = [a["handle"] for a in list_accounts(conn) if a["platform"] == "hn"]
    settings = ws.settings
    return list(hn_sources(settings.get("HN_QUERY"), users, settings.get("HN_API_BASE_URL")))


BUILDERS = {
    "x": _x_sources,
    "reddit": _reddit_sources,
    "youtube": _youtube_sources,
    "email": _email_sources,
    "feed": _feed_sources,
    "mastodon": _mastodon_sources,
    "bluesky": _bluesky_sources,
    "hn": _hn_sources,
}


def configured_sources(ws: Workspace, only: str | None = None) -> list[Connector]:
    """Every source of every configured connector (or the one named by ``only``)."""
    sources: list[Connector] = []
    for connector in ws.settings.connectors_configured():
        if only and only != connector and not only.startswith(f"{connector}:"):
            continue
        sources.extend(BUILDERS[connector](ws))
    if only:
        sources = [s for s in sources if s.name == only or s.name.split(":")[0] == only]
    return sources


def estimated_cost(source: str, items_read: int, settings: Settings) -> float:
    """Money spent reading: X bills per post read; the others bill nothing per read."""
    if source.startswith("x:"):
        return round(items_read * float(settings.get("X_POST_PRICE")), 4)
    return 0.0


def connector_status(ws: Workspace) -> list[dict[str, Any]]:
    """Per connector: configured or the missing settings, and each source's sync state."""
    with ws.engine.connect() as conn:
        states = all_states(conn)
    rows = []
    for connector in CONNECTOR_REQUIREMENTS:
        sources = [
            {
                "source": s["source"],
                "last_success_at": s["last_success_at"],
                "last_error": s["last_error"],
                "last_error_at": s["last_error_at"],
                "items_read": s["items_read"],
                "users_read": s["users_read"],
                "units_used": s["units_used"],
                "units_today": s["units_today"],
                "estimated_cost": estimated_cost(s["source"], s["items_read"], ws.settings),
            }
            for s in states
            if s["source"].split(":")[0] == connector
        ]
        missing = ws.settings.missing_for(connector)
        rows.append(
            {
                "connector": connector,
                "configured": not missing,
                "missing": missing,
                "sources": sources,
                "daily_quota": int(ws.settings.get("YOUTUBE_DAILY_QUOTA"))
                if connector == "youtube"
                else None,
            }
        )
    return rows


__all__ = ["ConnectorError", "configured_sources", "connector_status", "estimated_cost"]
