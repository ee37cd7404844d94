"""Review cases on the dashboard: stars beside sentiment, "Replied on the site", the channel's
response rate and time, and review text shown as text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from connectors.reviews import review_from_row
from dashboard import case_history
from pipeline.workspace import open_workspace
from store.accounts import add_account
from store.schema import accounts, cases, events, posts
from tests.conftest import workspace_settings
from tests.pages.conftest import expected_backlog, run_app
from tests.support.downloads import captured_downloads, csv_cells
from tests.support.factories import batch

HTML = '<b>bold</b><img src=x onerror="alert(1)"><a href="javascript:alert(2)">x</a>'
FORMULA = "=cmd|' /C calc'!A0"


def _review_workspace(db_url: str, *rows: dict[str, str]) -> datetime:
    """The employer's name on the sites and these reviews (by default one 2-star review that
    complains, written 30 hours ago); returns the first review's time."""
    at = (datetime.now(UTC) - timedelta(hours=30)).replace(second=0, microsecond=0)
    rows = rows or (
        {
            "site": "glassdoor",
            "id": "101",
            "created_at": at.isoformat(),
            "rating": "2",
            "title": "Silent after the interview",
            "cons": "Applied six weeks ago and nobody answered.",
            "url": "https://www.glassdoor.example/r/101",
        },
    )
    ws = open_workspace(workspace_settings(db_url))
    with ws.engine.begin() as conn:
        add_account(conn, "reviews", "Northwind Labs")
    ws.ingest().batch(batch(*(review_from_row(row, "import:reviews") for row in rows)))
    ws.engine.dispose()
    return at


def _case_id(ws_url: str) -> int:
    ws = open_workspace(workspace_settings(ws_url))
    try:
        return int(expected_backlog(ws)["id"][0])
    finally:
        ws.engine.dispose()


def _record_reply(at, case_id: int, replied: datetime, text: str, link: str = ""):
    at.text_input(key="actor_name").set_value("Ben Okafor").run()
    at.text_area(key=f"site-text-{case_id}").set_value(text)
    at.date_input(key=f"site-day-{case_id}").set_value(replied.date())
    at.time_input(key=f"site-time-{case_id}").set_value(replied.time())
    at.text_input(key=f"site-url-{case_id}").set_value(link)
    return at.button(key=f"site-reply-{case_id}").click().run()


def test_replied_on_the_site_answers_the_review_with_its_response_time(env):
    written = _review_workspace(env)
    case_id = _case_id(env)
    at = run_app("pages/conversation.py", case_id=case_id)
    assert not [b for b in at.button if b.key == f"send-{case_id}"]  # no composer: no API
    caption = next(c.value for c in at.caption if c.value.startswith(f"Case {case_id} ·"))
    assert "Review sites" in caption and "negative" in caption and "★ 2/5" in caption

    replied = written + timedelta(hours=26)
    link = "https://www.glassdoor.example/r/101#employer-response"
    at = _record_reply(at, case_id, replied, "Thank you, we are sorry. Please mail us.", link)
    assert not at.exception and not at.error
    ws = open_workspace(workspace_settings(env))
    with ws.engine.connect() as conn:
        case = conn.execute(select(cases).where(cases.c.id == case_id)).one()
        reply = conn.execute(select(posts).where(posts.c.id == case.first_response_post_id)).one()
        trail = conn.execute(
            select(events.c.action, events.c.actor, events.c.detail).where(
                events.c.case_id == case_id
            )
        ).all()
    expected = ws.policy.response_hours(written, replied)
    ws.engine.dispose()
    assert case.first_response_at == replied
    assert (case.response_hours, case.response_business_hours) == expected
    assert case.response_hours == 26.0
    assert reply.is_brand and reply.author_handle == "Northwind Labs"
    assert (reply.external_id, reply.parent_external_id) == ("glassdoor:101:reply", "glassdoor:101")
    assert reply.url == link and reply.text == "Thank you, we are sorry. Please mail us."
    assert [(t.action, t.actor, t.detail["state"]) for t in trail] == [
        ("replied_on_site", "Ben Okafor", "sent")
    ]
    assert trail[0].detail["url"] == link
    assert trail[0].detail["replied_at"] == replied.isoformat()
    at.session_state[case_history.TRAIL_KEY] = True  # the trail is drawn once opened
    assert at.run().dataframe[-1].value["what"].iloc[0].startswith("replied on the site at")
    assert not [b for b in at.button if b.key == f"site-reply-{case_id}"]  # answered: no form


def test_a_reply_before_the_review_or_recorded_twice_changes_nothing(env):
    from engagement.site_reply import SiteReply, SiteReplyError, record_site_reply

    written = _review_workspace(env)
    case_id = _case_id(env)
    at = run_app("pages/conversation.py", case_id=case_id)
    at = _record_reply(at, case_id, written - timedelta(hours=1), "Thanks!")
    assert "the reply time is before the review" in at.error[0].value
    assert at.text_area(key=f"site-text-{case_id}").value == "Thanks!"  # kept
    at = _record_reply(at, case_id, written + timedelta(hours=1), "Thanks!", "javascript:x")
    assert "the link must be one web address" in at.error[0].value
    ws = open_workspace(workspace_settings(env))
    with ws.engine.connect() as conn:
        assert conn.execute(select(cases.c.first_response_at)).scalar_one() is None
        assert conn.execute(select(events.c.id)).all() == []
    now = datetime.now(UTC)
    reply = SiteReply("Thanks!", written + timedelta(hours=2))
    record_site_reply(ws, case_id, reply, actor="Ben Okafor", now=now)
    try:
        record_site_reply(ws, case_id, reply, actor="Chloé Martin", now=now)
        raise AssertionError("a second record of the reply was accepted")
    except SiteReplyError as exc:
        assert "already recorded" in str(exc)
    with ws.engine.connect() as conn:
        assert len(conn.execute(select(events.c.id)).all()) == 1
        assert len(conn.execute(select(posts.c.id).where(posts.c.is_brand)).all()) == 1
    ws.engine.dispose()


def test_the_backlog_shows_a_reviews_stars_beside_its_sentiment(env):
    _review_workspace(env)
    at = run_app()
    table = at.dataframe[0].value
    assert list(table["Channel"]) == ["Review sites"]
    assert list(table["Sentiment"]) == ["negative · ★ 2/5"]


def test_response_rates_show_the_review_sites_channel(env, monkeypatch):
    written = _review_workspace(env)
    case_id = _case_id(env)
    at = run_app("pages/conversation.py", case_id=case_id)
    _record_reply(at, case_id, written + timedelta(hours=5), "Thank you for the review.")
    with captured_downloads(monkeypatch) as files:
        at = run_app("pages/rates.py")
        at.segmented_control(key="rates_by").set_value("platform").run()
        assert not at.exception
    rows = csv_cells(files["response-rates-by-platform.csv"])
    header, *body = rows
    [reviews] = [dict(zip(header, row, strict=True)) for row in body]
    assert reviews["key"] == "Review sites"
    assert (reviews["answered"], reviews["response_rate"]) == ("1", "1.0")
    assert float(reviews["first_response_hours_median"]) == 5.0


def test_review_text_with_html_and_formulas_is_shown_as_text(env):
    at_time = (datetime.now(UTC) - timedelta(hours=3)).isoformat()
    _review_workspace(
        env,
        {
            "site": "kununu",
            "id": "x1",
            "created_at": at_time,
            "rating": "1",
            "title": FORMULA,
            "pros": HTML,
            "cons": f"**not bold** :red[not red] {HTML}",
            "author": "<b>mallory</b>",
        },
    )
    at = run_app("pages/conversation.py", case_id=_case_id(env))
    review = f"{FORMULA}\n\nPros: {HTML}\n\nCons: **not bold** :red[not red] {HTML}"
    assert review in [t.value for t in at.text]
    rendered = "\n".join(m.value for m in at.markdown) + "\n".join(t.value for t in at.title)
    assert "<b>" not in rendered and "<img" not in rendered and "javascript:" not in rendered


def test_without_the_employers_name_the_page_says_how_to_add_it(env):
    written = _review_workspace(env)
    ws = open_workspace(workspace_settings(env))
    with ws.engine.begin() as conn:
        conn.execute(accounts.delete())
    ws.engine.dispose()
    case_id = _case_id(env)
    at = run_app("pages/conversation.py", case_id=case_id)
    assert [b.url for b in at.get("link_button")] == ["https://www.glassdoor.example/r/101"]
    at = _record_reply(at, case_id, written + timedelta(hours=1), "Thank you!")
    assert "brand add reviews NAME" in at.error[0].value
    with open_workspace(workspace_settings(env)).engine.connect() as conn:
        assert conn.execute(select(cases.c.first_response_at)).scalar_one() is None
