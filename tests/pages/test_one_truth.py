"""The same label shows the same number on every page and in ``cli.py report``.

A team once read "Overdue 278 / Broken promises 34" on the Backlog, "259 / 44" on Response rates
and "278 / 47" from the CLI: the Backlog ignored the period, Response rates the channel filter.
Here each page is rendered for one period, channel and assignee, and every figure it shares with
the CLI is compared with what the CLI prints for the command the page itself names.
"""

from __future__ import annotations

import json
import re
import shlex
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import select, update

from dashboard import display, trends
from dashboard.session import PAGE_FILTERS
from store.schema import cases, promises
from tests.pages.conftest import run_app
from tests.support.cli import run_cli


def _cli_report(db_url: str, *args: str) -> dict:
    ran = run_cli("report", "--json", *args, DATABASE_URL=db_url, FULLCIRCLE_HOLIDAYS="NL")
    assert ran.returncode == 0, ran.stderr
    return json.loads(ran.stdout)["overall"]


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _named_command(at) -> list[str]:
    """The `python cli.py report …` the Response rates page says its numbers come from."""
    caption = next(c.value for c in at.caption if "cli.py report" in c.value)
    command = re.search(r"`python cli\.py (report[^`]*)`", caption)
    assert command, caption
    return shlex.split(command.group(1))[1:]


def _assign_every_third_case(ws, name: str) -> None:
    with ws.engine.begin() as conn:
        conn.execute(update(cases).where(cases.c.id % 3 == 0).values(assignee=name))


@pytest.mark.parametrize("channel", ["email", "x"])
def test_rates_tiles_are_the_cli_report_for_the_same_period_channel_and_assignee(demo, channel):
    at = run_app()
    at.multiselect(key="channels").set_value([channel]).run()
    at.switch_page("pages/rates.py").run()
    args = _named_command(at)
    assert args[args.index("--platform") + 1] == channel
    shown = _metrics(at)
    cli = _cli_report(demo.settings.database_url, *args)
    assert cli["needs_response"] > 0
    business = cli["first_response_business_hours"]
    ratio = cli["conversation_ratio"]
    assert shown["Response rate"] == display.percent(cli["response_rate"])
    assert shown["Answered within SLA"] == display.percent(cli["sla_met_rate"])
    assert shown["Median first response, business h"] == display.business(business["median"])
    assert shown["p90 first response, business h"] == display.business(business["p90"])
    assert shown["Overdue, opened in period"] == str(cli["overdue"])
    assert shown["Broken promises"] == str(cli["broken_promises"])
    assert shown["Ghosted candidates"] == str(cli["ghosted"])
    assert shown["Conversation ratio"] == ("–" if ratio is None else f"{ratio:.1f}")
    subheaders = [s.value for s in at.subheader]
    assert f"Broken promises · {cli['broken_promises']}" in subheaders
    assert f"Ghosted candidates · {cli['ghosted']}" in subheaders
    # The channel filter is applied, not ignored: every channel together differs.
    everything = _cli_report(demo.settings.database_url, *args[:4])
    assert everything["needs_response"] > cli["needs_response"]


def test_rates_recompute_when_the_sidebar_slice_changes_in_the_same_session(demo):
    """The report is cached per slice: after a change of channel the tiles are that channel's
    report, not the one cached for every channel a moment before."""
    at = run_app()
    at.switch_page("pages/rates.py").run()
    every_channel = _metrics(at)["Response rate"]
    at.multiselect(key="channels").set_value(["email"]).run()
    args = _named_command(at)
    assert args[args.index("--platform") + 1] == "email"
    cli = _cli_report(demo.settings.database_url, *args)
    assert _metrics(at)["Response rate"] == display.percent(cli["response_rate"])
    assert every_channel != display.percent(cli["response_rate"])


def test_rates_follow_the_sidebar_assignee_as_the_cli_does(demo):
    name = "Ben Okafor"
    _assign_every_third_case(demo, name)
    at = run_app()
    at.selectbox(key="assignee").set_value(name).run()
    at.switch_page("pages/rates.py").run()
    args = _named_command(at)
    assert args[args.index("--assignee") + 1] == name
    cli = _cli_report(demo.settings.database_url, *args)
    shown = _metrics(at)
    assert (
        0
        < cli["needs_response"]
        < _cli_report(demo.settings.database_url, *args[:4])["needs_response"]
    )
    assert shown["Response rate"] == display.percent(cli["response_rate"])
    assert shown["Overdue, opened in period"] == str(cli["overdue"])
    assert shown["Ghosted candidates"] == str(cli["ghosted"])
    assert shown["Broken promises"] == str(cli["broken_promises"])


@pytest.mark.parametrize("channel", ["email", "x"])
def test_backlog_overdue_now_is_the_cli_report_over_all_time(demo, channel):
    """The Backlog is a picture of now: every open case whatever its age, the CLI's report
    without --since/--until for the same channel; it hides the period it does not use."""
    at = run_app()
    at.multiselect(key="channels").set_value([channel]).run()
    assert not [d for d in at.date_input if d.key == "period"]
    cli = _cli_report(demo.settings.database_url, "--platform", channel)
    shown = _metrics(at)
    assert shown["Overdue now"] == str(cli["overdue"]) and cli["overdue"] > 0
    now = datetime.now(UTC)
    with demo.engine.connect() as conn:
        made = pd.DataFrame(conn.execute(select(promises)).mappings().all())
    made = made[made["platform"] == channel]
    unkept = int(((made["due_at"] <= now) & made["kept_at"].isna()).sum())
    assert shown["Promises broken, still unkept"] == str(unkept)


def test_each_page_draws_exactly_the_filters_it_applies(demo):
    at = run_app()
    for page, key in (
        ("pages/backlog.py", "backlog"),
        ("pages/rates.py", "rates"),
        ("pages/listening.py", "listening"),
        ("pages/sources.py", "sources"),
    ):
        at.switch_page(page).run()
        drawn = {
            "period": any(d.key == "period" for d in at.date_input),
            "channels": any(m.key == "channels" for m in at.multiselect),
            "assignee": any(s.key == "assignee" for s in at.selectbox),
        }
        assert {name for name, on in drawn.items() if on} == set(PAGE_FILTERS[key]), page


def test_each_rates_tile_gives_its_change_against_the_days_before(demo):
    at = run_app()
    at.switch_page("pages/rates.py").run()
    # The demo holds 90 days: the default 84 have no whole period before them.
    assert any(c.value.startswith("No change shown") for c in at.caption)
    assert not any(m.delta for m in at.metric)
    today = datetime.now(UTC).date()
    at.date_input(key="period").set_value((today - timedelta(days=27), today)).run()
    args = _named_command(at)
    since = datetime.fromisoformat(args[1]).date()
    until = datetime.fromisoformat(args[3]).date()
    earlier = since - (until - since)
    now = _cli_report(demo.settings.database_url, *args)
    before = _cli_report(demo.settings.database_url, "--since", str(earlier), "--until", str(since))
    assert before["needs_response"] > 0
    deltas = {m.label: m.delta for m in at.metric}
    assert deltas["Response rate"] == trends.change(
        now["response_rate"], before["response_rate"], "rate"
    )
    assert deltas["Overdue, opened in period"] == trends.change(
        now["overdue"], before["overdue"], "count"
    )
    assert deltas["Median first response, business h"] == trends.change(
        now["first_response_business_hours"]["median"],
        before["first_response_business_hours"]["median"],
        "hours",
    )


def test_partial_weeks_are_named_and_pending_cases_charted_apart(demo):
    at = run_app()
    at.switch_page("pages/rates.py").run()
    # The default period ends today: its last week is still running.
    note = next(c.value for c in at.caption if c.value.startswith("Partial weeks"))
    today = datetime.now(UTC).date()
    monday = today.toordinal() - today.weekday()
    assert date.fromordinal(monday).isoformat() in note
    charts = [json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart")]
    assert any(t.startswith("Cases per week by outcome") for t in charts), charts
