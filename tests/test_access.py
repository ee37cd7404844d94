"""Roles and sign-in rules, independent of the dashboard."""

from __future__ import annotations

import re

import pytest

from dashboard.access import AccessConfigError, may_open, policy_from_secrets
from tests.conftest import ROOT

README = ROOT / "README.md"

SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "k7Qd-2vXn9L0pRw4sT8yB1mZc6fHj3Ga5Ue",
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
    assert policy.role_for("ada@Northwind.EXAMPLE") == "admin"  # a domain has no case
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


@pytest.mark.parametrize(
    "email",
    [
        "ada@evil.com@northwind.example",  # the text after the last "@" is not the domain
        "@northwind.example",
        " ada@northwind.example",
        "ada@northwind.example ",
        "ada@northwind.example\n",
        "ada\u202e@northwind.example",
        "ada@northwind.example.",
        "ada@@northwind.example",
        "ada northwind.example",
    ],
)
def test_only_one_plain_address_is_an_address(email):
    assert policy_from_secrets(SECRETS).role_for(email) is None


def test_the_local_part_is_compared_as_written():
    """Mailbox names may be case-sensitive (RFC 5321): "Ada" is not the admin "ada"; her
    domain still lets her in as a member."""
    assert policy_from_secrets(SECRETS).role_for("Ada@northwind.example") == "member"


@pytest.mark.parametrize("verified", [False, "false", 0])
def test_an_address_the_provider_has_not_verified_enters_nowhere(verified):
    policy = policy_from_secrets(SECRETS)
    assert policy.role_for("ada@northwind.example", verified) is None
    assert policy.role_for("ada@northwind.example", True) == "admin"
    assert policy.role_for("ada@northwind.example") == "admin"  # provider says nothing


@pytest.mark.parametrize(
    "secret, problem",
    [
        (None, "missing"),
        ("", "missing"),
        ("a long random string", "documented example"),
        ("too-short-0123456789", "shorter than 32 bytes"),
    ],
)
def test_a_forgeable_cookie_secret_stops_the_start_with_the_fix(secret, problem):
    auth = {**SECRETS["auth"], "cookie_secret": secret}
    with pytest.raises(AccessConfigError, match=problem) as raised:
        policy_from_secrets({**SECRETS, "auth": auth})
    assert "secrets.token_urlsafe(48)" in str(raised.value)


def test_the_readmes_example_cookie_secret_is_refused():
    example = re.search(r'cookie_secret = "([^"]*)"', README.read_text(encoding="utf-8"))
    assert example is not None
    auth = {**SECRETS["auth"], "cookie_secret": example.group(1)}
    with pytest.raises(AccessConfigError, match="cookie_secret"):
        policy_from_secrets({**SECRETS, "auth": auth})


def test_a_listed_address_that_is_not_one_address_is_a_config_error():
    access = {**SECRETS["access"], "admins": ["ada@evil.com@northwind.example"]}
    with pytest.raises(AccessConfigError, match="admins"):
        policy_from_secrets({**SECRETS, "access": access})
