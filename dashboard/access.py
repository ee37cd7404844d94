"""Who may see what: sign-in configuration, roles and the pages each role may open.

Roles grow: a ``member`` works the backlog and conversations and replies; a ``manager`` also
reads the reports and exports them; an ``admin`` also manages sources, credentials, the team and
retention. With no ``[auth]`` section the dashboard is a single-user tool: it listens on
127.0.0.1 only and everyone who can reach it is an admin.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

ROLES = ("member", "manager", "admin")
PAGE_ROLES = {
    "backlog": "member",
    "conversation": "member",
    "rates": "manager",
    "listening": "manager",
    "sources": "admin",
}


class AccessConfigError(ValueError):
    """The access section of secrets.toml is not usable; the message says what to fix."""


@dataclass(frozen=True)
class AccessPolicy:
    """Sign-in and roles as configured in ``.streamlit/secrets.toml``."""

    sign_in: bool
    allowed_domains: frozenset[str] = frozenset()
    allowed_emails: frozenset[str] = frozenset()
    managers: frozenset[str] = frozenset()
    admins: frozenset[str] = frozenset()
    default_role: str = "member"
    providers: tuple[str, ...] = field(default=())

    def role_for(self, email: str | None) -> str | None:
        """The role of a signed-in address, or None when it may not enter at all."""
        if not self.sign_in:
            return "admin"
        address = (email or "").strip().lower()
        if "@" not in address:
            return None
        if address in self.admins:
            return "admin"
        if address in self.managers:
            return "manager"
        domain = address.rpartition("@")[2]
        if address in self.allowed_emails or domain in self.allowed_domains:
            return self.default_role
        return None


def may_open(role: str | None, page: str) -> bool:
    """Whether ``role`` may open ``page`` (a key of PAGE_ROLES)."""
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(PAGE_ROLES[page])


def _addresses(value: Any, name: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise AccessConfigError(f"[access] {name} must be a list of strings in secrets.toml")
    return frozenset(v.strip().lower().lstrip("@") for v in value if v.strip())


def policy_from_secrets(secrets: Mapping[str, Any]) -> AccessPolicy:
    """Read ``[auth]`` (Streamlit's OIDC settings) and ``[access]`` (who may enter, roles)."""
    auth = secrets.get("auth")
    if not auth:
        return AccessPolicy(sign_in=False)
    access = secrets.get("access") or {}
    default_role = access.get("default_role", "member")
    if default_role not in ROLES:
        raise AccessConfigError(f"[access] default_role must be one of {', '.join(ROLES)}")
    policy = AccessPolicy(
        sign_in=True,
        allowed_domains=_addresses(access.get("allowed_domains"), "allowed_domains"),
        allowed_emails=_addresses(access.get("allowed_emails"), "allowed_emails"),
        managers=_addresses(access.get("managers"), "managers"),
        admins=_addresses(access.get("admins"), "admins"),
        default_role=default_role,
        providers=tuple(k for k, v in auth.items() if isinstance(v, Mapping)),
    )
    if not (policy.allowed_domains or policy.allowed_emails or policy.admins):
        raise AccessConfigError(
            "sign-in is on ([auth]) but nobody may enter: set "
            "[access] allowed_domains or allowed_emails in secrets.toml"
        )
    return policy
