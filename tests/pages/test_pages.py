"""Every dashboard page, run with Streamlit's AppTest through app.py on a seeded workspace.

The workspace is the 600-post demo ending today, on SQLite and on PostgreSQL (``db_url``).
Page tests read the database directly to check that what the page shows, and what its buttons
change, is what is stored.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import responses
import streamlit as st
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from analysis import listening as themes
from dashboard import case_history, display
from engagement.actions import TEMPLATE_VARIABLES, first_name
from pipeline.reports import workspace_report
from pipeline.workspace import open_workspace
from store import case_actions, listening, queries
from store.schema import cases, events, posts
from tests.conftest import ROOT, workspace_settings
from tests.pages.conftest import (
    default_period,
    expected_backlog,
    run_app,
    select_rows,
    store,
)
from tests.support.factories import post
from tests.support.x_pages import page, snowflake, tweet

XSS = "<img src=x onerror=alert(1)> and [x](javascript:alert(1)) **bold** :red[hi]"
PAGE_TESTS = {
    "pages/backlog.py": [
        "test_backlog_shows_key_figures_and_overdue_cases_first",
        "test_the_backlog_pages_through_every_case_beyond_the_first_hundred",
        "test_selecting_a_backlog_row_opens_its_conversation",
        "test_bulk_assign_snooze_and_close_change_the_database",
    ],
    "pages/conversation.py": [
        "test_conversation_shows_thread_history_panel_and_trail",
        "test_conversation_without_a_case_says_where_to_pick_one",
    ],
    "pages/rates.py": ["test_response_rates_show_the_report_numbers"],
    "pages/listening.py": ["test_listening_shows_volume_spike_rule_and_terms"],
    "pages/sources.py": [
        "test_sources_show_whether_credentials_are_set_never_their_values",
        "test_sync_now_reads_the_configured_sources_and_shows_what_it_read",
        "test_team_and_saved_replies_are_edited_on_the_sources_page",
    ],
}


def shown_text(at: AppTest) -> str:
    """Everything the page renders as text, tables included."""
    parts = [
        e.value
        for kind in (
            "title",
            "header",
            "subheader",
            "markdown",
            "caption",
            "text",
            "info",
            "success",
            "warning",
            "error",
        )
        for e in getattr(at, kind)
    ]
    parts += [str(m.value) for m in at.metric] + [str(m.label) for m in at.metric]
    parts += [d.value.to_csv() for d in at.dataframe] + [e.label for e in at.expander]
    return "\n".join(map(str, parts))


def test_every_page_in_the_navigation_has_an_apptest():
    pages = set(re.findall(r'st\.Page\("([^"]+)"', (ROOT / "app.py").read_text()))
    assert pages == set(PAGE_TESTS), "add the new page to PAGE_TESTS with its tests"
    for names in PAGE_TESTS.values():
        for name in names:
            assert callable(globals().get(name)), f"{name} is listed but does not exist"


def test_backlog_shows_key_figures_and_overdue_cases_first(demo):
    at = run_app()
    now = datetime.now(UTC)
    with demo.engine.connect() as conn:
        figures = queries.key_figures(conn, now)
        needs = conn.execute(
            select(func.count()).select_from(cases).where(queries.actionable(now))
        ).scalar_one()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Needs an answer now"] == str(needs) and needs > 0
    assert metrics["Overdue now"] == str(figures["overdue"])
    # The demo's automatic replies promise an answer within two weeks; some run out unkept.
    assert metrics["Promises broken, still unkept"] == str(figures["promises_unkept"])
    assert figures["promises_unkept"] > 0
    table = at.dataframe[0].value
    expected = expected_backlog(demo)
    assert list(table["Author"]) == list(expected["author_handle"])
    due = list(table["Due"])
    first_on_time = next((i for i, d in enumerate(due) if not d.startswith("overdue")), len(due))
    assert all(d.startswith("overdue") for d in due[:first_on_time])
    assert not any(d.startswith("overdue") for d in due[first_on_time:])


def test_backlog_search_finds_words_in_posts_and_authors(demo):
    at = run_app()
    at.text_input(key="backlog_search").set_value("feedback").run()
    expected = expected_backlog(demo, queries.CaseFilter(search="feedback"))
    assert len(expected) > 0
    assert list(at.dataframe[0].value["Author"]) == list(expected["author_handle"])
    at.text_input(key="backlog_search").set_value("no such words anywhere 100%").run()
    assert "No case matches these filters" in shown_text(at)


def test_backlog_search_finds_an_author_written_as_the_search_box_suggests(demo):
    """The box's placeholder says "@handle": typed that way it finds the author's cases."""
    backlog = expected_backlog(demo)
    handle = backlog[backlog["platform"] == "x"].iloc[0]["author_handle"]
    at = run_app()
    at.text_input(key="backlog_search").set_value(f"@{handle}").run()
    assert "No case matches these filters" not in shown_text(at)
    authors = list(at.dataframe[0].value["Author"])
    assert handle in authors
    assert authors == list(
        expected_backlog(demo, queries.CaseFilter(search=handle))["author_handle"]
    )


def test_the_backlog_pages_through_every_case_beyond_the_first_hundred(demo):
    with demo.engine.connect() as conn:
        every = queries.backlog(conn, datetime.now(UTC), limit=10**6, filt=queries.CaseFilter())
    assert len(every) > 100
    at = run_app()
    assert f"Cases 1–100 of {len(every)}." in shown_text(at)
    at.number_input(key="backlog_page").set_value(2).run()
    assert list(at.dataframe[0].value["Author"]) == list(every["author_handle"][100:200])
    assert f"Cases 101–{min(200, len(every))} of {len(every)}." in shown_text(at)
    # Another filter is another list: back to its first page.
    at.toggle(key="backlog_negative").set_value(True).run()
    assert at.session_state["backlog_page"] == 1


def test_selecting_a_backlog_row_opens_its_conversation(demo):
    at = run_app()
    expected = int(expected_backlog(demo).iloc[1]["id"])
    at = select_rows(at, [1])
    assert not at.exception
    assert at.session_state["case_id"] == expected
    assert at.query_params["case"] == [str(expected)] or at.query_params["case"] == str(expected)
    assert any(f"Case {expected} ·" in c.value for c in at.caption)
    assert at.subheader[0].value.startswith("Thread")


def test_bulk_assign_snooze_and_close_change_the_database(demo):
    at = run_app()
    at.toggle(key="backlog_bulk").set_value(True).run()
    at.selectbox(key="actor").set_value("Ben Okafor").run()
    first_two = [int(i) for i in expected_backlog(demo)["id"][:2]]
    at = select_rows(at, [0, 1])
    at.selectbox(key="bulk_assignee").set_value("Chloé Martin")
    at.button(key="bulk_assign").click().run()
    assert not at.exception
    with demo.engine.connect() as conn:
        rows = conn.execute(
            select(cases.c.assignee, cases.c.touched).where(cases.c.id.in_(first_two))
        ).all()
        logged = conn.execute(
            select(events.c.case_id, events.c.actor, events.c.action).where(
                events.c.action == "assign"
            )
        ).all()
    assert set(rows) == {("Chloé Martin", True)}
    assert sorted(logged) == [(i, "Ben Okafor", "assign") for i in sorted(first_two)]

    at = select_rows(at, [0])
    at.button(key="bulk_snooze").click().run()
    snoozed = first_two[0]
    with demo.engine.connect() as conn:
        status, until = conn.execute(
            select(cases.c.status, cases.c.snoozed_until).where(cases.c.id == snoozed)
        ).one()
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    assert status == "snoozed"
    assert until == case_actions.wake_time(tomorrow, demo.policy.calendar)
    assert snoozed not in set(expected_backlog(demo)["id"])

    remaining = int(expected_backlog(demo)["id"][0])
    at = select_rows(at, [0])
    at.selectbox(key="bulk_reason").set_value("Spam or abuse")
    at.button(key="bulk_close").click().run()
    with demo.engine.connect() as conn:
        closed = conn.execute(
            select(cases.c.status, cases.c.close_reason).where(cases.c.id == remaining)
        ).one()
    assert tuple(closed) == ("closed", "Spam or abuse")


def test_sidebar_and_filters_survive_opening_a_conversation(demo):
    at = run_app()
    at.selectbox(key="actor").set_value("Ben Okafor").run()
    at.multiselect(key="channels").set_value(["email"]).run()
    at.text_input(key="backlog_search").set_value("application").run()
    assert len(at.dataframe) == 1, "the demo has e-mailed applications waiting"
    at = select_rows(at, [0])
    assert at.session_state["choices"].actor == "Ben Okafor"
    # One case: the channel filter does not apply, is not drawn, and is kept for the Backlog.
    assert not [m for m in at.multiselect if m.key == "channels"]
    at.switch_page("pages/backlog.py").run()
    assert at.session_state["choices"].platforms == ("email",)
    assert at.text_input(key="backlog_search").value == "application"
    assert set(at.dataframe[0].value["Channel"]) == {"E-mail"}


def test_bulk_action_without_a_name_changes_nothing(demo):
    at = run_app()
    at.toggle(key="backlog_bulk").set_value(True).run()
    at = select_rows(at, [0])
    at.button(key="bulk_assign").click().run()
    assert any("Working as" in w.value for w in at.warning)
    with demo.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == 0


def pick_case_with_history(ws) -> dict:
    """An answered case whose author also has other cases on the same platform."""
    with ws.engine.connect() as conn:
        others = (
            select(cases.c.platform, cases.c.author_id)
            .group_by(cases.c.platform, cases.c.author_id)
            .having(func.count() > 1)
            .subquery()
        )
        row = conn.execute(
            select(cases.c.id)
            .join(
                others,
                (others.c.platform == cases.c.platform) & (others.c.author_id == cases.c.author_id),
            )
            .where(cases.c.first_response_at.is_not(None))
            .order_by(cases.c.id)
            .limit(1)
        ).scalar_one()
        return queries.case_detail(conn, row)


def test_conversation_shows_thread_history_panel_and_trail(demo):
    case = pick_case_with_history(demo)
    with demo.engine.connect() as conn:
        thread = queries.thread(conn, case)
        history = queries.author_cases(conn, case["platform"], case["author_id"], case["id"])
    at = run_app("pages/conversation.py", case_id=case["id"])
    assert [t.value for t in at.text if not t.value.startswith("Subject: ")] == list(thread["text"])
    assert list(thread["created_at"]) == sorted(thread["created_at"])
    assert thread["is_brand"].any() and not thread["is_brand"].all()
    brand_headers = [m.value for m in at.markdown if "brand" in m.value and "badge" in m.value]
    assert len(brand_headers) == int(thread["is_brand"].sum())
    at = open_history_and_trail(at)
    assert len(at.dataframe[0].value) == len(history) > 0
    assert "Nothing done by hand yet" in shown_text(at)

    at.selectbox(key="actor").set_value("Anna de Vries").run()
    at.text_area(key=f"note-{case['id']}").set_value("Called them; CV follows by mail.")
    at.button(key="case_add_note").click().run()
    assert not at.exception
    trail = at.dataframe[-1].value
    assert list(trail["actor"]) == ["Anna de Vries"]
    assert list(trail["what"]) == ["note: Called them; CV follows by mail."]
    assert at.text_area(key=f"note-{case['id']}").value == ""

    key = f"others-{case['id']}"
    at.session_state[key] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert any(f"Case {int(history.iloc[0]['id'])} ·" in c.value for c in at.caption)


def open_history_and_trail(at: AppTest) -> AppTest:
    """Open the Conversation page's "Their other conversations" and "Audit trail", which are
    drawn only while open."""
    at.session_state[case_history.OTHERS_KEY] = True
    at.session_state[case_history.TRAIL_KEY] = True
    return at.run()


def test_conversation_actions_close_and_reopen(demo):
    case_id = int(expected_backlog(demo).iloc[0]["id"])
    at = run_app("pages/conversation.py", case_id=case_id)
    at.selectbox(key="actor").set_value("Ben Okafor").run()
    at.selectbox(key="case_reason").set_value("Duplicate of another case")
    at.button(key="case_close").click().run()
    assert any(":green-badge[closed]" in m.value for m in at.markdown)
    at.button(key="case_reopen").click().run()
    with demo.engine.connect() as conn:
        actions = (
            conn.execute(
                select(events.c.action).where(events.c.case_id == case_id).order_by(events.c.id)
            )
            .scalars()
            .all()
        )
        status = conn.execute(select(cases.c.status).where(cases.c.id == case_id)).scalar_one()
    assert (actions, status) == (["close", "reopen"], "open")


def test_reply_draft_starts_from_a_saved_reply_and_is_kept_per_case(demo):
    first = int(expected_backlog(demo)["id"][0])
    at = run_app("pages/conversation.py", case_id=first)
    case = queries_case(demo, first)
    at.selectbox(key="actor").set_value("Ben Okafor").run()
    at.text_input(key=f"role-{first}").set_value("backend").run()
    at.selectbox(key=f"template-{first}").set_value("Application status").run()
    draft = at.text_area(key=f"draft-{first}").value
    name = first_name(case["author_name"], case["author_handle"])
    assert draft.startswith(f"Hi {name}, sorry for the wait. Your application for the backend")
    assert draft.endswith("— Ben Okafor")
    at.text_area(key=f"draft-{first}").set_value(draft + " Kind regards")
    at.button(key=f"save-{first}").click().run()
    at.switch_page("pages/backlog.py").run()
    at.switch_page("pages/conversation.py").run()
    assert any(f"Case {first} ·" in c.value for c in at.caption)
    assert at.text_area(key=f"draft-{first}").value == draft + " Kind regards"


def queries_case(ws, case_id: int) -> dict:
    with ws.engine.connect() as conn:
        return queries.case_detail(conn, case_id)


def test_conversation_without_a_case_says_where_to_pick_one(env):
    at = run_app("pages/conversation.py")
    assert "Pick a case in the Backlog" in shown_text(at)


def test_conversation_of_a_missing_case_names_it(demo):
    at = run_app("pages/conversation.py", case_id=987654)
    assert "There is no case 987654" in at.error[0].value


def test_response_rates_show_the_report_numbers(demo):
    at = run_app("pages/rates.py")
    with demo.engine.connect() as conn:
        overall = workspace_report(conn, default_period())["overall"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Response rate"] == display.percent(overall["response_rate"])
    assert metrics["Answered within SLA"] == display.percent(overall["sla_met_rate"])
    assert metrics["Median first response, business h"] == display.business(
        overall["first_response_business_hours"]["median"]
    )
    assert metrics["Overdue, opened in period"] == str(overall["overdue"])
    assert metrics["Broken promises"] == str(overall["broken_promises"])
    assert metrics["Ghosted candidates"] == str(overall["ghosted"])
    assert f"Broken promises · {overall['broken_promises']}" in shown_text(at)
    labels = {b.label for b in at.get("download_button")}
    assert {
        "Weekly figures (CSV)",
        "Distribution (CSV)",
        "Broken promises (CSV)",
        "Ghosted candidates (CSV)",
    } <= labels
    for by, label in (
        ("platform", "Figures by channel (CSV)"),
        ("assignee", "Figures by assignee (CSV)"),
        ("lang", "Figures by language (CSV)"),
    ):
        at.segmented_control(key="rates_by").set_value(by).run()
        assert not at.exception
        assert label in {b.label for b in at.get("download_button")}


def test_listening_shows_volume_spike_rule_and_terms(demo):
    at = run_app("pages/listening.py")
    period = default_period()
    with demo.engine.connect() as conn:
        inbound = conn.execute(
            select(func.count())
            .select_from(posts)
            .where(posts.c.is_brand.is_(False), *period.where(posts.c.created_at))
        ).scalar_one()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Inbound posts"] == f"{inbound:,}"
    assert themes.SPIKE_RULE in shown_text(at)
    at.session_state["listening_section"] = "Most-reached authors"
    at.run()
    assert "Most-reached authors" in shown_text(at)
    authors = at.dataframe[0].value
    assert list(authors["reach"]) == sorted(authors["reach"], reverse=True)


def test_sources_show_whether_credentials_are_set_never_their_values(demo, monkeypatch):
    token = "AAAA-very-secret-bearer-token-1234"
    monkeypatch.setenv("X_BEARER_TOKEN", token)
    monkeypatch.setenv("X_QUERY", '"Northwind Labs" jobs')
    st.cache_resource.clear()
    at = run_app("pages/sources.py")
    text = shown_text(at)
    assert token not in text
    x_settings = at.dataframe[0].value.set_index("setting")["value"]
    assert x_settings["X_BEARER_TOKEN"] == "set"
    assert x_settings["X_API_KEY"] == "not set"
    assert x_settings["X_QUERY"] == '"Northwind Labs" jobs'
    assert "missing REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET" in text
    sync = [b for b in at.button if b.label == "Sync now"]
    assert len(sync) == 1 and not sync[0].disabled
    [history] = [d.value for d in at.dataframe if "posts read" in d.value.columns]
    assert history.set_index("source").loc["demo", "posts read"] == 600


@responses.activate
def test_sync_now_reads_the_configured_sources_and_shows_what_it_read(env, monkeypatch):
    """X answers at the HTTP boundary (responses) with two posts in the reference shape."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=5)
    ask = tweet(snowflake(start), "201", "@NorthwindLabs is the Berlin role open to remote?", start)
    other = tweet(
        snowflake(start + timedelta(hours=1)),
        "202",
        "How long does Northwind take to reply to applications?",
        start + timedelta(hours=1),
    )
    responses.add(
        responses.GET, "https://api.twitter.com/2/tweets/search/recent", json=page([other, ask])
    )
    monkeypatch.setenv("X_BEARER_TOKEN", "test-bearer-token")
    monkeypatch.setenv("X_QUERY", "Northwind")
    at = run_app("pages/sources.py")
    [sync] = [b for b in at.button if b.label == "Sync now"]
    sync.click().run()
    assert not at.exception
    assert "Sync finished." in shown_text(at)
    result = next(d.value for d in at.dataframe if "new posts" in d.value.columns)
    assert result.to_dict("records") == [
        {"source": "x:search", "read": 2, "new posts": 2, "cases opened": 2, "result": "ok"}
    ]
    history = next(d.value for d in at.dataframe if "posts read" in d.value.columns)
    row = history.set_index("source").loc["x:search"]
    assert (row["posts read"], row["estimated cost (USD)"]) == (2, 0.01)
    ws = open_workspace(workspace_settings(env))
    with ws.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(posts)).scalar_one() == 2
    ws.engine.dispose()


def test_sources_without_connectors_explain_how_to_configure_one(demo):
    at = run_app("pages/sources.py")
    assert "No live connector is configured" in shown_text(at)
    assert [b.disabled for b in at.button if b.label == "Sync now"] == [True]


def test_sources_say_where_each_credential_is_obtained(demo):
    from settings import CONNECTOR_REQUIREMENTS, CREDENTIAL_PAGES

    assert set(CREDENTIAL_PAGES) == set(CONNECTOR_REQUIREMENTS)  # a new connector needs its page
    at = run_app("pages/sources.py")
    expanders = {e.label: "\n".join(m.value for m in e.markdown) for e in at.expander}
    for connector, (where, url) in CREDENTIAL_PAGES.items():
        label = display.platform_label(connector)
        [shown] = [text for title, text in expanders.items() if f"**{label}**" in title]
        assert f"[{where}]({url})" in shown, connector


def test_sources_say_settings_are_read_at_start_and_reload_them(demo, monkeypatch):
    """A running dashboard keeps the settings it started with until asked to read them again
    (here the environment stands in for an edited .streamlit/secrets.toml)."""
    at = run_app("pages/sources.py")
    assert "read when Full Circle starts" in shown_text(at)
    assert "No live connector is configured" in shown_text(at)
    monkeypatch.setenv("X_BEARER_TOKEN", "new-token-from-secrets")
    at.run()
    assert "No live connector is configured" in shown_text(at)
    at.button(key="reload_settings").click().run()
    assert not at.exception
    assert "No live connector is configured" not in shown_text(at)
    assert [b.disabled for b in at.button if b.label == "Sync now"] == [False]
    assert [t.value for t in at.toast] == ["Settings read again"]


def test_sources_list_every_import_format(demo):
    from connectors.files import FORMATS, IMPORT_FORMATS

    at = run_app("pages/sources.py")
    [formats] = [d.value for d in at.dataframe if "format" in d.value.columns]
    assert list(formats["format"]) == list(FORMATS)
    assert list(formats["what it is"]) == [f.what for f in IMPORT_FORMATS]
    assert "cli.py import FILE --format FORMAT" in shown_text(at)


def test_team_and_saved_replies_are_edited_on_the_sources_page(demo):
    at = run_app("pages/sources.py")
    at.text_area(key="team_text").set_value("Dana Smit\nEli Cohen\n\nDana Smit")
    at.button(key="team_save").click().run()
    assert not at.exception
    at.selectbox(key="reply_pick").set_value("＋ New saved reply").run()
    at.text_input(key="reply_title_＋ New saved reply").set_value("Thanks")
    at.text_area(key="reply_text_＋ New saved reply").set_value("Thanks {author}!")
    at.run()
    # The composer could never fill {author}: the editor says so and will not store it.
    assert at.button(key="reply_save").disabled
    assert any("Cannot be saved: unknown variable" in c.value for c in at.caption)
    label = at.text_area(key="reply_text_＋ New saved reply").label
    assert all("{" + name + "}" in label for name in TEMPLATE_VARIABLES)
    at.text_area(key="reply_text_＋ New saved reply").set_value("Thanks {first_name}!").run()
    at.button(key="reply_save").click().run()
    with demo.engine.connect() as conn:
        assert case_actions.team_members(conn) == ["Dana Smit", "Eli Cohen"]
        stored = case_actions.saved_replies(conn)
    assert {"title": "Thanks", "text": "Thanks {first_name}!"} in stored
    assert not any("{author}" in reply["text"] for reply in stored)
    at.switch_page("pages/backlog.py").run()  # the sidebar's Assignee lists the new team
    assert at.selectbox(key="assignee").options == [
        "Anyone",
        queries.UNASSIGNED,
        "Dana Smit",
        "Eli Cohen",
    ]


@pytest.mark.parametrize(
    "page, message",
    [
        (None, "Nothing waits for an answer"),
        ("pages/rates.py", "No posts in this period"),
        ("pages/listening.py", "Nobody wrote about the employer"),
        ("pages/sources.py", "No brand account yet"),
    ],
)
def test_an_empty_workspace_says_what_to_do(env, page, message):
    at = run_app(page)
    assert message in shown_text(at)


def test_a_database_url_at_a_file_that_is_not_a_database_is_shown_as_one_error(
    tmp_path, monkeypatch
):
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting notes, not a database\n")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{notes}")
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
    st.cache_resource.clear()
    assert not at.exception, [e.value for e in at.exception]
    [error] = [e.value for e in at.error]
    assert "DATABASE_URL" in error and "is not a SQLite database" in error
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_post_text_with_html_and_markdown_is_shown_literally(env):
    store(
        env,
        post(
            "1",
            f"@acme why no answer? {XSS}",
            author="<b>mallory</b>",
            at=datetime.now(UTC) - timedelta(hours=2),
        ),
    )
    at = run_app()
    assert XSS in at.dataframe[0].value["Post"].iloc[0]
    at = select_rows(at, [0])
    assert [t.value for t in at.text] == [f"@acme why no answer? {XSS}"]
    rendered = "\n".join(m.value for m in at.markdown) + "\n".join(t.value for t in at.title)
    assert "<b>" not in rendered and "javascript:" not in rendered and "<img" not in rendered


def test_store_rows_behind_the_charts_agree_with_the_report(demo):
    """Histogram, broken promises and ghosted lists are SQL of their own: same counts."""
    period, now = default_period(), datetime.now(UTC)
    with demo.engine.connect() as conn:
        overall = workspace_report(conn, period, now=now)["overall"]
        bands = queries.response_histogram(conn, period)
        broken = queries.broken_promise_rows(conn, period, now, limit=10_000)
        ghosted = queries.ghosted_rows(conn, period, now, limit=10_000)
    assert bands["cases"].sum() == overall["answered"]
    assert len(broken) == overall["broken_promises"] > 0
    assert len(ghosted) == overall["ghosted"] > 0


def test_listening_counts_in_sql_on_both_backends(demo):
    period = default_period()
    inbound = [posts.c.is_brand.is_(False), *period.where(posts.c.created_at)]
    with demo.engine.connect() as conn:
        counted = listening.summary(conn, period)
        on_x = listening.summary(conn, period, ("x",))
        authors = listening.top_authors(conn, period, limit=5)
        texts = listening.recent_texts(conn, period, limit=50)
        total = conn.execute(select(func.count()).select_from(posts).where(*inbound)).scalar_one()
        x_total = conn.execute(
            select(func.count()).select_from(posts).where(*inbound, posts.c.platform == "x")
        ).scalar_one()
        # The same story is told on X and Mastodon by one reach: compare reach, not who.
        loudest = conn.execute(select(func.max(posts.c.author_reach)).where(*inbound)).scalar_one()
        daily = listening.daily_volume(conn, period)
    assert daily.equals(themes.per_day(counted))
    assert daily["posts"].sum() == themes.counts_by(counted, "platform")["posts"].sum() == total
    assert (daily["negative"] + daily["neutral"] + daily["positive"] == daily["posts"]).all()
    assert themes.counts_by(on_x, "intent")["posts"].sum() == x_total
    assert set(on_x["platform"]) == {"x"}
    assert authors["reach"].iloc[0] == loudest and len(authors) == 5
    assert list(authors["reach"]) == sorted(authors["reach"], reverse=True)
    assert len(texts) == 50


def test_spikes_follow_the_stated_rule():
    import pandas as pd

    days = pd.date_range("2026-11-01", periods=10, freq="D")
    counts = [10, 12, 10, 11, 9, 10, 12, 40, 13, 3]
    frame = pd.DataFrame({"day": days, "posts": counts}).drop(index=8)  # a day with no posts
    marked = themes.mark_spikes(frame)
    assert list(marked["posts"]) == [*counts[:8], 0, 3]
    assert list(marked["spike"]) == [False] * 7 + [True, False, False]
    window = pd.Series(counts[:7], dtype=float)
    assert marked.loc[7, "threshold"] == pytest.approx(window.mean() + 3 * window.std(ddof=0))
    quiet = themes.mark_spikes(pd.DataFrame({"day": days[:8], "posts": [0] * 7 + [4]}))
    assert not quiet["spike"].any(), "fewer than 5 posts is never a spike"


def test_top_terms_drop_stop_words_links_and_handles_and_count_posts():
    texts = [
        "@NorthwindLabs Any update on my interview feedback? https://x.co/abc",
        "Interview feedback never came, interview was weeks ago",
        "Love the office dog",
    ]
    terms = themes.top_terms(texts, ignore=frozenset({"northwindlabs"}))
    words = dict(
        zip(
            terms.loc[terms["kind"] == "word", "term"],
            terms.loc[terms["kind"] == "word", "posts"],
            strict=True,
        )
    )
    assert words["interview"] == 2 and words["feedback"] == 2
    assert not {"any", "on", "my", "https", "northwindlabs", "abc"} & set(words)
    phrases = terms.loc[terms["kind"] == "phrase", "term"].tolist()
    assert phrases == ["interview feedback"]


def test_markdown_helpers_make_post_text_inert():
    for text in (XSS, "chloe.petrov@example.net", "https://evil.example/x", "$x^2$"):
        escaped = display.escape_markdown(text)
        assert not re.search(r"[\[\]()<>*:$@]", escaped.replace("&#", "").replace(";", ""))
    assert display.safe_url("javascript:alert(1)") is None
    assert display.safe_url("https://x.com/a/status/1") == "https://x.com/a/status/1"
    assert display.safe_url('https://x.com/"onmouseover=alert(1)') is None


def test_without_a_team_people_sign_changes_with_their_own_name(env):
    store(
        env,
        post(
            "1",
            "@acme when will I hear back?",
            author="sam",
            at=datetime.now(UTC) - timedelta(hours=2),
        ),
    )
    at = run_app()
    at.text_input(key="actor_name").set_value("  Priya  ").run()
    at = open_history_and_trail(select_rows(at, [0]))
    at.text_area(key="note-1").set_value("Asked the hiring manager.")
    at.button(key="case_add_note").click().run()
    assert list(at.dataframe[-1].value["actor"]) == ["Priya"]


def test_backlog_and_conversation_say_why_and_take_the_teams_corrections(demo):
    """Every flag says why; a wrong flag is removed and a missed post added from the page, each
    audited as a training row."""
    backlog = expected_backlog(demo)
    at = run_app("pages/backlog.py")
    shown = at.dataframe[0].value
    assert set(shown["Why"]) <= set(backlog["reason"].fillna("–"))
    assert (shown["Why"] != "–").all()

    case_id = int(backlog.iloc[0]["id"])
    reason = backlog.iloc[0]["reason"]
    at = run_app("pages/conversation.py", case_id=case_id)
    assert any(f"why: {display.escape_markdown(reason)}" in c.value for c in at.caption)
    at.selectbox(key="actor").set_value("Anna de Vries").run()
    at.button(key="case_dismiss").click().run()
    assert not at.exception
    assert case_id not in set(expected_backlog(demo)["id"])

    with demo.engine.connect() as conn:
        flagged_threads = select(posts.c.thread_key).where(posts.c.case_id.is_not(None))
        missed = conn.execute(
            select(posts.c.id, posts.c.thread_key)
            .where(
                posts.c.needs_response.is_(False),
                posts.c.is_brand.is_(False),
                posts.c.thread_key.in_(flagged_threads),
            )
            .order_by(posts.c.id)
            .limit(1)
        ).one()
        host = conn.execute(
            select(posts.c.case_id)
            .where(posts.c.thread_key == missed.thread_key, posts.c.case_id.is_not(None))
            .limit(1)
        ).scalar_one()
    at = run_app("pages/conversation.py", case_id=host)
    at.selectbox(key="actor").set_value("Ben Okafor").run()
    at.button(key=f"add-post-{missed.id}").click().run()
    assert not at.exception
    with demo.engine.connect() as conn:
        added = conn.execute(
            select(posts.c.needs_response, posts.c.reason, posts.c.case_id).where(
                posts.c.id == missed.id
            )
        ).one()
        labels = conn.execute(
            select(events.c.actor, events.c.detail).where(events.c.action == "label")
        ).all()
    assert added.needs_response and added.reason == "added by Ben Okafor"
    assert added.case_id is not None
    assert {(actor, detail["label"]) for actor, detail in labels} == {
        ("Anna de Vries", "no_answer_needed"),
        ("Ben Okafor", "needs_answer"),
    }


def test_an_address_on_the_conversation_page_copies_exactly(demo):
    """The title breaks the address up with invisible word joiners so Streamlit makes no link
    of it; the copy target beside it is the address itself."""
    with demo.engine.connect() as conn:
        case_id, address = conn.execute(
            select(cases.c.id, cases.c.author_id).where(cases.c.platform == "email").limit(1)
        ).one()
    at = run_app("pages/conversation.py", case_id=case_id)
    assert not at.exception
    copyable = [c.value for c in at.code]
    assert address in copyable
    assert all("\u2060" not in value for value in copyable)


def test_the_panel_shows_overdue_only_where_someone_must_act(demo):
    """A late case that is closed, waiting or unassigned reads as what it is."""
    backlog = expected_backlog(demo)
    late = backlog[backlog["due_at"] < datetime.now(UTC)]
    case_id = int(late.iloc[0]["id"])
    with demo.engine.begin() as conn:
        conn.execute(cases.update().where(cases.c.id == case_id).values(assignee=None))
    at = run_app("pages/conversation.py", case_id=case_id)
    assert any(":red-badge[:material/schedule: overdue" in m.value for m in at.markdown)
    assert at.selectbox(key=f"assignee-{case_id}").value == queries.UNASSIGNED

    at.selectbox(key="actor").set_value("Ben Okafor").run()
    at.button(key="case_pending").click().run()
    assert not any(":red-badge" in m.value for m in at.markdown)
    at.selectbox(key="case_reason").set_value("Duplicate of another case")
    at.button(key="case_close").click().run()
    badges = " ".join(m.value for m in at.markdown)
    assert ":red-badge" not in badges and "overdue" not in badges


@pytest.mark.parametrize("where", ["conversation", "bulk"])
def test_a_snooze_says_when_it_really_ends(demo, where):
    case_id = int(expected_backlog(demo).iloc[0]["id"])
    today = datetime.now(UTC).date()
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
    if where == "conversation":
        at = run_app("pages/conversation.py", case_id=case_id)
        at.selectbox(key="actor").set_value("Ben Okafor").run()
        at.date_input(key="case_until").set_value(sunday).run()
        at.button(key="case_snooze").click().run()
    else:
        at = run_app()
        at.selectbox(key="actor").set_value("Ben Okafor").run()
        at.toggle(key="backlog_bulk").set_value(True).run()
        at = select_rows(at, [0])
        at.date_input(key="bulk_until").set_value(sunday).run()
        at.button(key="bulk_snooze").click().run()
    with demo.engine.connect() as conn:
        until = conn.execute(select(cases.c.snoozed_until).where(cases.c.id == case_id)).scalar()
    shown = " ".join(t.value for t in (*at.toast, *at.success, *at.info, *at.markdown))
    assert display.when(until) in shown
    assert f"{sunday:%a %d %b} is not a working day" in shown


def test_a_role_typed_after_the_saved_reply_fills_it_but_never_overwrites_edits(demo):
    first = int(expected_backlog(demo)["id"][0])
    at = run_app("pages/conversation.py", case_id=first)
    at.selectbox(key="actor").set_value("Ben Okafor").run()
    at.selectbox(key=f"template-{first}").set_value("Application status").run()
    assert "{role}" in at.text_area(key=f"draft-{first}").value
    at.text_input(key=f"role-{first}").set_value("backend").run()
    filled = at.text_area(key=f"draft-{first}").value
    assert "{role}" not in filled and "backend" in filled
    at.text_area(key=f"draft-{first}").set_value(filled + " P.S. mine").run()
    at.text_input(key=f"role-{first}").set_value("frontend").run()
    assert at.text_area(key=f"draft-{first}").value == filled + " P.S. mine"


def test_a_person_can_be_linked_on_every_channel_we_listen_on(demo):
    """ "Same person elsewhere?" once offered only e-mail, X, Reddit and YouTube."""
    case_id = int(expected_backlog(demo).iloc[0]["id"])
    at = open_history_and_trail(run_app("pages/conversation.py", case_id=case_id))
    offered = at.selectbox(key=f"link-platform-{case_id}").options
    assert {"Bluesky", "Mastodon", "Hacker News", "Feeds"} <= set(offered)
