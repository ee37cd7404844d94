"""Sign-in and roles in the dashboard: what each role sees, and what it may not open."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.pages.conftest import expected_backlog

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "c" * 32,
    "client_id": "full-circle",
    "client_secret": "sentinel-client-secret",
    "server_metadata_url": "https://id.northwind.example/.well-known/openid-configuration",
}
ACCESS = {
    "allowed_domains": ["northwind.example"],
    "managers": ["mia@northwind.example"],
    "admins": ["ada@northwind.example"],
}


def _app(email: str | None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets["auth"] = AUTH
    at.secrets["access"] = ACCESS
    at.user = {"is_logged_in": email is not None, **({"email": email} if email else {})}
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def _titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_a_visitor_sees_only_the_sign_in(demo):
    at = _app(None)
    assert [b.label for b in at.button] == ["Sign in"]
    assert "Backlog" not in _titles(at) and not at.dataframe


def test_a_stranger_is_refused(demo):
    at = _app("eve@elsewhere.example")
    assert any("may not use this workspace" in e.value for e in at.error)
    assert "Backlog" not in _titles(at)


def _not_in_navigation(at: AppTest, page: str) -> bool:
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)
    return True


def test_a_member_works_the_backlog_but_not_the_reports_or_sources(demo):
    at = _app("lena@northwind.example")
    assert "Backlog" in _titles(at)
    assert at.session_state["signed_in_as"] == "lena@northwind.example"
    assert any(
        c.value.startswith("Signed in as") and c.value.endswith("· member")
        for c in at.sidebar.caption
    )
    for page in ("pages/rates.py", "pages/sources.py", "pages/listening.py"):
        assert _not_in_navigation(at, page)


def test_a_manager_reads_reports_but_not_sources(demo):
    at = _app("mia@northwind.example", "pages/rates.py")
    assert "Response rates" in _titles(at)
    assert _not_in_navigation(at, "pages/sources.py")


def _guarded(page: str) -> None:
    from dashboard import session

    session.require(page)
    import streamlit as st

    st.title("secret page content")


@pytest.mark.parametrize(
    ("role", "page", "allowed"),
    [
        ("member", "rates", False),
        ("member", "sources", False),
        ("manager", "sources", False),
        ("manager", "rates", True),
        ("admin", "sources", True),
    ],
)
def test_a_page_refuses_a_role_even_when_reached_directly(role, page, allowed):
    at = AppTest.from_function(_guarded, args=(page,))
    at.session_state["role"] = role
    at.run()
    assert ("secret page content" in _titles(at)) is allowed
    assert bool(at.error) is not allowed


@pytest.mark.parametrize("page", ["backlog", "rates", "sources"])
def test_a_session_without_a_role_is_refused_every_page(page):
    """No role means app.py's sign-in never ran for this session: refuse, never assume admin."""
    at = AppTest.from_function(_guarded, args=(page,))
    at.run()
    assert "secret page content" not in _titles(at)
    assert "Your role may not open this page." in at.error[0].value


def test_an_admin_opens_sources_and_no_secret_is_shown(demo):
    at = _app("ada@northwind.example", "pages/sources.py")
    assert "Sources & settings" in _titles(at)
    shown = "\n".join(
        str(e.value)
        for kind in ("markdown", "caption", "text", "info", "warning", "error")
        for e in getattr(at, kind)
    )
    assert "sentinel-client-secret" not in shown


def test_actions_are_signed_with_the_signed_in_address(demo):
    at = _app("lena@northwind.example")
    case_id = int(expected_backlog(demo)["id"][0])
    at.session_state["case_id"] = case_id
    at.switch_page("pages/conversation.py").run()
    assert at.session_state["choices"].actor == "lena@northwind.example"


def test_without_sign_in_the_sources_page_says_it_listens_locally_only(demo):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/sources.py").run()
    assert any("listens on 127.0.0.1:" in i.value for i in at.info)


@pytest.fixture
def served_on():
    """Run pages as if Streamlit listened on another address (no socket is opened)."""
    from streamlit import config

    before = config.get_option("server.address")
    yield lambda address: config.set_option("server.address", address)
    config.set_option("server.address", before)


@pytest.mark.parametrize("address", ["0.0.0.0", "192.168.1.20", ""])
def test_without_sign_in_a_network_address_serves_no_page(demo, served_on, address, monkeypatch):
    monkeypatch.delenv("FULLCIRCLE_ALLOW_OPEN", raising=False)
    served_on(address)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert any("without sign-in" in e.value for e in at.error)
    assert not at.dataframe and not at.metric  # the backlog was never drawn
    at.switch_page("pages/sources.py").run()
    assert any("without sign-in" in e.value for e in at.error)
    assert not any(t.value == "Sources & settings" for t in at.title)


def test_an_open_admin_allowed_by_name_says_so_on_every_page(demo, served_on, monkeypatch):
    monkeypatch.setenv("FULLCIRCLE_ALLOW_OPEN", "1")
    served_on("0.0.0.0")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    assert not at.exception and not at.error
    assert any("FULLCIRCLE_ALLOW_OPEN=1" in w.value for w in at.warning)
    at.switch_page("pages/sources.py").run()
    assert any("listens on 0.0.0.0" in i.value for i in at.info)


def test_with_sign_in_a_network_address_shows_the_sign_in(demo, served_on):
    served_on("0.0.0.0")
    at = _app(None)
    assert not at.error and "Full Circle" in _titles(at)
