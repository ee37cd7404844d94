"""Roles and sign-in rules, independent of the dashboard."""

from __future__ import annotations

import pytest

from dashboard.access import AccessConfigError, may_open, policy_from_secrets

SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x",
        "client_id": "id",
        "client_secret": "s",
        "server_metadata_url": "https://id.example/.well-known/openid-configuration",
    },
    "access": {
        "allowed_domains": ["northwind.example"],
        "allowed_emails": ["ext@agency.example"],
        "managers": ["mia@northwind.example"],
        "admins": ["ada@northwind.example"],
    },
}


def test_without_auth_everyone_on_the_machine_is_admin():
    policy = policy_from_secrets({})
    assert not policy.sign_in and policy.role_for(None) == "admin"


def test_roles_follow_the_lists_and_strangers_stay_out():
    policy = policy_from_secrets(SECRETS)
    assert policy.role_for("Ada@Northwind.example") == "admin"
    assert policy.role_for("mia@northwind.example") == "manager"
    assert policy.role_for("lena@northwind.example") == "member"
    assert policy.role_for("ext@agency.example") == "member"
    assert policy.role_for("eve@elsewhere.example") is None
    assert policy.role_for("") is None


def test_pages_open_by_role():
    assert may_open("member", "backlog") and may_open("member", "conversation")
    assert not may_open("member", "rates") and not may_open("member", "sources")
    assert may_open("manager", "rates") and not may_open("manager", "sources")
    assert may_open("admin", "sources")
    assert not may_open(None, "backlog")


def test_a_sign_in_that_lets_nobody_in_is_refused():
    with pytest.raises(AccessConfigError, match="allowed_domains"):
        policy_from_secrets({"auth": SECRETS["auth"]})
    with pytest.raises(AccessConfigError, match="default_role"):
        policy_from_secrets({**SECRETS, "access": {**SECRETS["access"], "default_role": "boss"}})
