"""Who may see what: sign-in configuration, roles and the pages each role may open.

Roles grow: a ``member`` works the backlog and conversations and replies; a ``manager`` also
reads the reports and exports them; an ``admin`` also manages sources, credentials, the team and
retention. With no ``[auth]`` section the dashboard is a single-user tool: it listens on
127.0.0.1 only and everyone who can reach it is an admin.
"""

from __future__ import annotations

import re
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


_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}")
# Secrets that appear in documentation anyone can read: a cookie signed with one is forgeable.
DOCUMENTED_COOKIE_SECRETS = frozenset({"a long random string", "change-me", "secret"})
MIN_COOKIE_SECRET_BYTES = 32
MAKE_A_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(48))"'


def normal_address(raw: str | None) -> str | None:
    """The address in the one form roles compare, or None when it is not exactly one plain
    address: one "@", a local part, a domain (compared in lower case, as DNS does). Nothing is
    stripped or guessed, so " ada@x" or "ada@evil.com@x" never turn into "ada@x"."""
    if not raw or raw.count("@") != 1:
        return None
    local, domain = raw.split("@")
    domain = domain.lower()
    if not _LOCAL.fullmatch(local) or not _DOMAIN.fullmatch(domain):
        return None
    return f"{local}@{domain}"


def cookie_secret_problem(auth: Mapping[str, Any]) -> str | None:
    """Why the session cookie's secret would let a stranger forge a session, if it would."""
    secret = auth.get("cookie_secret")
    fix = f"make one with {MAKE_A_SECRET} and put it in [auth] cookie_secret"
    if not isinstance(secret, str) or not secret:
        return f"[auth] cookie_secret is missing: {fix}"
    if secret.strip().lower() in DOCUMENTED_COOKIE_SECRETS:
        return (
            f"[auth] cookie_secret is the documented example, so anyone can forge a session: {fix}"
        )
    if len(secret.encode()) < MIN_COOKIE_SECRET_BYTES:
        return f"[auth] cookie_secret is shorter than {MIN_COOKIE_SECRET_BYTES} bytes: {fix}"
    return None


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

    def role_for(self, email: str | None, verified: object = None) -> str | None:
        """The role of a signed-in address, or None when it may not enter at all. An address
        the provider says it has not verified (``email_verified`` false) enters nowhere."""
        if not self.sign_in:
            return "admin"
        if verified is not None and verified not in (True, "true", "True"):
            return None
        address = normal_address(email)
        if address is None:
            return None
        if address in self.admins:
            return "admin"
        if address in self.managers:
            return "manager"
        domain = address.rpartition("@")[2]
        if address in self.allowed_emails or domain in self.allowed_domains:
            return self.default_role
        return None


LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
ALLOW_OPEN_SETTING = "FULLCIRCLE_ALLOW_OPEN"


def is_loopback(address: str | None) -> bool:
    """Whether the server listens on this machine only. No address means every interface:
    that is what Streamlit binds when ``server.address`` is unset."""
    return bool(address) and (address in LOOPBACK or str(address).startswith("127."))


def open_admin_problem(policy: AccessPolicy, address: str | None, allow_open: bool) -> str | None:
    """Why the pages must not be served: without sign-in everyone is an admin, which is only
    safe on this machine. None when sign-in is on, the address is local, or the operator has
    said, by name, that an open admin is what they want."""
    if policy.sign_in or is_loopback(address) or allow_open:
        return None
    where = address or "every network interface"
    return (
        f"Full Circle is listening on {where} without sign-in, so anyone who reaches it would "
        "be an admin. Add [auth] and [access] to .streamlit/secrets.toml, or listen on "
        f"127.0.0.1 only, or set {ALLOW_OPEN_SETTING}=1 if an open admin is really meant."
    )


def may_open(role: str | None, page: str) -> bool:
    """Whether ``role`` may open ``page`` (a key of PAGE_ROLES)."""
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(PAGE_ROLES[page])


def _listed(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise AccessConfigError(f"[access] {name} must be a list of strings in secrets.toml")
    return [v.strip() for v in value if v.strip()]


def _addresses(value: Any, name: str) -> frozenset[str]:
    found = set()
    for raw in _listed(value, name):
        address = normal_address(raw)
        if address is None:
            raise AccessConfigError(f"[access] {name}: {raw!r} is not one e-mail address")
        found.add(address)
    return frozenset(found)


def _domains(value: Any, name: str) -> frozenset[str]:
    found = set()
    for raw in _listed(value, name):
        domain = raw.lstrip("@").lower()
        if not _DOMAIN.fullmatch(domain):
            raise AccessConfigError(f"[access] {name}: {raw!r} is not a domain")
        found.add(domain)
    return frozenset(found)


def policy_from_secrets(secrets: Mapping[str, Any]) -> AccessPolicy:
    """Read ``[auth]`` (Streamlit's OIDC settings) and ``[access]`` (who may enter, roles)."""
    auth = secrets.get("auth")
    if not auth:
        return AccessPolicy(sign_in=False)
    if problem := cookie_secret_problem(auth):
        raise AccessConfigError(problem)
    access = secrets.get("access") or {}
    default_role = access.get("default_role", "member")
    if default_role not in ROLES:
        raise AccessConfigError(f"[access] default_role must be one of {', '.join(ROLES)}")
    policy = AccessPolicy(
        sign_in=True,
        allowed_domains=_domains(access.get("allowed_domains"), "allowed_domains"),
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
