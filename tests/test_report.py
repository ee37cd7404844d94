"""The response-rate report on a small workspace whose every figure is worked out by hand.

The workspace (built through ``workspace.ingest()``, the one path real data takes):

=====  ========  ======================  ======================================================
who    channel   when (UTC)              what happens
=====  ========  ======================  ======================================================
ana    X search  Mon 2 Nov 10:00         asks; NorthwindLabs answers 13:00: 3 h, 3 business h
ben    X search  Mon 2 Nov 15:00         asks; answered Tue 09:00: 18 h, 2 business h
                                         (16-17 and 9-10 Amsterdam time)
fay    X search  Mon 2 Nov 12:00         praise: inbound, but no case
cara   X ments.  Tue 27 Oct 10:00 (nl)   asks, never answered: overdue, ghosted
dan    X ments.  one hour ago            asks: pending (inside its 24 business hour window)
eve    e-mail    Mon 5 Oct 08:00         applies; the no-reply auto-reply promises "within two
                                         weeks" and no brand mail follows: a broken promise, an
                                         overdue case (auto-replies never answer), ghosted
brand  X         Mon 9 Nov 09:00         one broadcast; with the two replies: ratio 2.0
=====  ========  ======================  ======================================================

Medians and p90 use numpy's linear interpolation: of 3 h and 18 h, the median is 10.5 and the
p90 is 3 + 0.9 * 15 = 16.5; of 3 and 2 business hours, 2.5 and 2 + 0.9 * 1 = 2.9.
"""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

import pandas as pd
import pytest
from sqlalchemy import select, update

from analysis.metrics import build_report
from connectors.base import Post
from connectors.mail import post_from_message
from pipeline.reports import workspace_report
from pipeline.workspace import open_workspace
from store.accounts import add_account
from store.report_frames import Period
from store.schema import cases, posts, promises
from tests.conftest import workspace_settings
from tests.support.cli import Ran, run_cli
from tests.support.factories import batch, post

BRAND = "NorthwindLabs"
CAREERS = "careers@northwind.example"
NO_REPLY = "no-reply@northwind.example"
EVE = "eve@mail.example"
FIELDS = {
    "inbound",
    "needs_response",
    "answered",
    "pending",
    "sla_met",
    "response_rate",
    "first_response_hours",
    "first_response_business_hours",
    "sla_met_rate",
    "overdue",
    "broken_promises",
    "ghosted",
    "conversation_ratio",
}


def _at(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def _mail(
    message_id: str,
    sender: str,
    to: str,
    at: datetime,
    body: str,
    in_reply_to: str | None = None,
    auto: bool = False,
) -> Post:
    """A real RFC 5322 message through the e-mail mapping, as the mailbox connector sees it."""
    message = EmailMessage()
    message["From"], message["To"] = sender, to
    message["Subject"] = "Re: Your application" if in_reply_to else "Application: Berlin role"
    message["Date"] = format_datetime(at)
    message["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        message["In-Reply-To"] = message["References"] = f"<{in_reply_to}>"
    if auto:
        message["Auto-Submitted"] = "auto-replied"
    message.set_content(body)
    return post_from_message(message, source="email:careers")


def _x(
    external_id: str,
    text: str,
    author: str,
    at: datetime,
    source: str,
    lang: str = "en",
    parent: str | None = None,
) -> Post:
    return post(
        external_id,
        text,
        author=author,
        at=at,
        thread=parent or external_id,
        parent=parent,
        lang=lang,
        source=source,
    )


def scenario(now: datetime) -> list[Post]:
    """The posts of the table in the module docstring; ``now`` only places dan's question."""
    return [
        _x(
            "1",
            "@NorthwindLabs how long does your hiring process take for the backend role?",
            "ana",
            _at(2, 10),
            "x:search",
        ),
        _x(
            "2",
            "@ana Usually about three weeks from first call to offer.",
            BRAND,
            _at(2, 13),
            "x:timeline",
            parent="1",
        ),
        _x("3", "@NorthwindLabs is the Berlin role remote?", "ben", _at(2, 15), "x:search"),
        _x(
            "4",
            "@ben Hybrid or fully remote within the EU.",
            BRAND,
            _at(3, 9),
            "x:timeline",
            parent="3",
        ),
        _x("8", "Great culture video, love the team at Northwind!", "fay", _at(2, 12), "x:search"),
        _x(
            "5",
            "@NorthwindLabs wanneer hoor ik iets over mijn sollicitatie? Ik wacht al twee weken.",
            "cara",
            _at(27, 10, month=10),
            "x:mentions",
            lang="nl",
        ),
        _x(
            "6",
            "@NorthwindLabs could you tell me if the Amsterdam internship is still open?",
            "dan",
            now - timedelta(hours=1),
            "x:mentions",
        ),
        _x(
            "7",
            "We are hiring backend engineers in Berlin! Apply on our careers site.",
            BRAND,
            _at(9, 9),
            "x:timeline",
        ),
        _mail(
            "e1@mail.example",
            EVE,
            CAREERS,
            _at(5, 8, month=10),
            "I applied for the Berlin role last week. Could you tell me what the next steps are?",
        ),
        _mail(
            "e2@northwind.example",
            NO_REPLY,
            EVE,
            _at(5, 8, month=10) + timedelta(minutes=1),
            "Thank you for applying. We will get back to you within two weeks.",
            in_reply_to="e1@mail.example",
            auto=True,
        ),
    ]


def build(ws, now: datetime) -> None:
    with ws.engine.begin() as conn:
        add_account(conn, "x", BRAND)
        add_account(conn, "email", CAREERS)
        add_account(conn, "email", NO_REPLY)
    ws.ingest().batch(batch(*scenario(now)))


def metrics(**values) -> dict:
    """A full metrics object: zero counts and empty rates unless given."""
    empty = {"median": None, "p90": None}
    base = {
        "inbound": 0,
        "needs_response": 0,
        "answered": 0,
        "pending": 0,
        "response_rate": None,
        "first_response_hours": empty,
        "first_response_business_hours": empty,
        "sla_met_rate": None,
        "overdue": 0,
        "broken_promises": 0,
        "ghosted": 0,
        "conversation_ratio": None,
    }
    assert set(values) <= set(base)
    full = {**base, **values}
    # The count behind the hand-counted rate: answered in time of the settled cases.
    settled = full["needs_response"] - full["pending"]
    sla_met = round((full["sla_met_rate"] or 0) * settled)
    return {**full, "sla_met": sla_met}


ANSWERED_TIMES = {
    "first_response_hours": {"median": 10.5, "p90": 16.5},
    "first_response_business_hours": {"median": 2.5, "p90": 2.9},
}
OVERALL = metrics(
    inbound=6,
    needs_response=5,
    answered=2,
    pending=1,
    response_rate=0.5,
    sla_met_rate=0.5,
    overdue=2,
    broken_promises=1,
    ghosted=2,
    conversation_ratio=2.0,
    **ANSWERED_TIMES,
)
UNANSWERED_MAIL = metrics(
    inbound=1,
    needs_response=1,
    response_rate=0.0,
    sla_met_rate=0.0,
    overdue=1,
    broken_promises=1,
    ghosted=1,
)
UNANSWERED_CARA = metrics(
    inbound=1, needs_response=1, response_rate=0.0, sla_met_rate=0.0, overdue=1, ghosted=1
)
OCTOBER = metrics(
    inbound=2,
    needs_response=2,
    response_rate=0.0,
    sla_met_rate=0.0,
    overdue=2,
    broken_promises=1,
    ghosted=2,
)
FIRST_NOVEMBER_WEEK = metrics(
    inbound=3, needs_response=2, answered=2, response_rate=1.0, sla_met_rate=1.0, **ANSWERED_TIMES
)


def monday_of(moment: datetime) -> str:
    day = moment.astimezone(UTC).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def expected_groups(by: str, now: datetime) -> dict[str, dict]:
    """Every group of each dimension, by hand (the table in the module docstring)."""
    dan = metrics(inbound=1, needs_response=1, pending=1)
    return {
        "platform": {
            "email": UNANSWERED_MAIL,
            "x": metrics(
                inbound=5,
                needs_response=4,
                answered=2,
                pending=1,
                response_rate=0.6667,
                sla_met_rate=0.6667,
                overdue=1,
                ghosted=1,
                conversation_ratio=2.0,
                **ANSWERED_TIMES,
            ),
        },
        "week": {
            "2026-10-05": UNANSWERED_MAIL,
            "2026-10-26": UNANSWERED_CARA,
            "2026-11-02": FIRST_NOVEMBER_WEEK,
            "2026-11-09": metrics(conversation_ratio=0.0),
            monday_of(now - timedelta(hours=1)): dan,
        },
        "lang": {
            "(none)": UNANSWERED_MAIL,
            "nl": UNANSWERED_CARA,
            "en": metrics(
                inbound=4,
                needs_response=3,
                answered=2,
                pending=1,
                response_rate=1.0,
                sla_met_rate=1.0,
                conversation_ratio=2.0,
                **ANSWERED_TIMES,
            ),
        },
        "account": {
            "email:careers": UNANSWERED_MAIL,
            "x:mentions": metrics(
                inbound=2,
                needs_response=2,
                pending=1,
                response_rate=0.0,
                sla_met_rate=0.0,
                overdue=1,
                ghosted=1,
            ),
            "x:search": FIRST_NOVEMBER_WEEK,
            "x:timeline": metrics(conversation_ratio=2.0),
        },
    }[by]


@pytest.fixture
def built(workspace):
    now = datetime.now(UTC)
    build(workspace, now)
    return workspace, now


def _report(ws, now: datetime, period: Period = Period(), by: str | None = None) -> dict:
    with ws.engine.connect() as conn:
        return workspace_report(conn, period, by, now=now)


def test_overall_figures_match_the_hand_count(built):
    ws, now = built
    report = _report(ws, now)
    assert set(report) == {"overall"}
    assert set(report["overall"]) == FIELDS
    assert report["overall"] == OVERALL


def test_an_hour_old_case_is_pending_and_last_months_is_overdue(built):
    ws, now = built
    mentions = {g["key"]: g for g in _report(ws, now, by="account")["groups"]}["x:mentions"]
    assert (mentions["pending"], mentions["overdue"]) == (1, 1)
    # A day later dan's case is still inside its window; four weeks later it is overdue too.
    later = {g["key"]: g for g in _report(ws, now + timedelta(days=28), by="account")["groups"]}[
        "x:mentions"
    ]
    assert (later["pending"], later["overdue"], later["ghosted"]) == (0, 2, 2)


def test_an_auto_reply_promise_without_a_later_brand_mail_is_broken(built):
    ws, now = built
    email = {g["key"]: g for g in _report(ws, now, by="platform")["groups"]}["email"]
    assert email["broken_promises"] == 1
    # Before its two weeks had passed the same promise was not broken yet.
    before = _report(ws, _at(12, 8, month=10), Period(until=_at(13, 0, month=10)))
    assert before["overall"]["broken_promises"] == 0


def test_a_later_brand_mail_keeps_the_promise_and_answers_the_case(built):
    ws, now = built
    ws.ingest().batch(
        batch(
            _mail(
                "e3@northwind.example",
                CAREERS,
                EVE,
                _at(7, 14, month=10),
                "Hi Eve, we would like to invite you for a first call next week.",
                in_reply_to="e1@mail.example",
            )
        )
    )
    email = {g["key"]: g for g in _report(ws, now, by="platform")["groups"]}["email"]
    assert email["broken_promises"] == 0
    assert (email["answered"], email["overdue"], email["ghosted"]) == (1, 0, 0)
    # Mon 10:00 CEST to Wed 16:00 CEST: 54 calendar hours, 7 + 8 + 7 = 22 business hours.
    assert email["first_response_hours"] == {"median": 54.0, "p90": 54.0}
    assert email["first_response_business_hours"] == {"median": 22.0, "p90": 22.0}
    assert email["conversation_ratio"] is None  # a reply, but no broadcast on e-mail


def test_conversation_ratio_is_brand_replies_over_broadcasts(built):
    ws, now = built
    assert _report(ws, now)["overall"]["conversation_ratio"] == 2.0
    ws.ingest().batch(
        batch(
            _x(
                "9",
                "Meet our Berlin team at the open day on Friday!",
                BRAND,
                _at(10, 9),
                "x:timeline",
            )
        )
    )
    assert _report(ws, now)["overall"]["conversation_ratio"] == 1.0


@pytest.mark.parametrize("by", ["platform", "week", "lang", "account"])
def test_groups_by_dimension_match_the_hand_count(built, by):
    ws, now = built
    report = _report(ws, now, by=by)
    assert report["overall"] == OVERALL
    assert [g["key"] for g in report["groups"]] == sorted(expected_groups(by, now))
    for group in report["groups"]:
        assert set(group) == FIELDS | {"key"}
        assert {k: v for k, v in group.items() if k != "key"} == expected_groups(by, now)[
            group["key"]
        ], group["key"]


def _assign(ws, author: str, assignee: str) -> None:
    """Assign as the backlog would: the case gets an owner and counts as touched."""
    with ws.engine.begin() as conn:
        conn.execute(
            update(cases)
            .where(cases.c.author_handle == author)
            .values(assignee=assignee, touched=True)
        )


def test_groups_by_assignee(built):
    ws, now = built
    for author, assignee in (("ana", "mila"), ("cara", "mila"), ("ben", "joe")):
        _assign(ws, author, assignee)
    report = _report(ws, now, by="assignee")
    groups = {g.pop("key"): g for g in report["groups"]}
    assert list(groups) == ["(none)", "joe", "mila"]
    # Posts have no assignee: every inbound post and brand post counts under "(none)".
    assert groups["(none)"] == metrics(
        inbound=6,
        needs_response=2,
        pending=1,
        response_rate=0.0,
        sla_met_rate=0.0,
        overdue=1,
        broken_promises=1,
        ghosted=1,
        conversation_ratio=2.0,
    )
    assert groups["joe"] == metrics(
        needs_response=1,
        answered=1,
        response_rate=1.0,
        sla_met_rate=1.0,
        first_response_hours={"median": 18.0, "p90": 18.0},
        first_response_business_hours={"median": 2.0, "p90": 2.0},
    )
    # cara's case is overdue but someone took it: not ghosted.
    assert groups["mila"] == metrics(
        needs_response=2,
        answered=1,
        response_rate=0.5,
        sla_met_rate=0.5,
        overdue=1,
        first_response_hours={"median": 3.0, "p90": 3.0},
        first_response_business_hours={"median": 3.0, "p90": 3.0},
    )
    assert report["overall"]["ghosted"] == 1


PERIODS = {
    "first November week": (Period(_at(1, 0), _at(8, 0)), FIRST_NOVEMBER_WEEK),
    "October": (Period(_at(1, 0, month=10), _at(1, 0)), OCTOBER),
    "until November": (Period(until=_at(1, 0)), OCTOBER),
    "since 20 November": (
        Period(since=_at(20, 0)),
        metrics(inbound=1, needs_response=1, pending=1),
    ),
    "no period": (Period(), OVERALL),
}


@pytest.mark.parametrize("name", list(PERIODS))
def test_a_period_keeps_only_what_happened_in_it(built, name):
    ws, now = built
    period, expected = PERIODS[name]
    assert _report(ws, now, period)["overall"] == expected


def test_an_unknown_dimension_is_refused(built):
    ws, now = built
    with pytest.raises(ValueError, match="platform, account, assignee, week, lang"):
        _report(ws, now, by="country")


# The SQL counts against the row-level rules of analysis.metrics, on rows built to hit the edges:
# one author with several cases (some opened at the same instant), touched and closed cases,
# answers exactly at the due time, due times exactly at ``now``, promises kept late, weeks
# with nothing in them, periods that start and end inside a week. Rows go straight into the
# tables (the report reads only those), so every edge is there on purpose.

EDGE_START = datetime(2026, 9, 2, 9, 0, tzinfo=UTC)  # a Wednesday
STEP = timedelta(hours=7)
SOURCES = {"x": ("x:search", "x:mentions"), "email": ("email:careers",)}


def _edge_time(rng: random.Random) -> datetime:
    """On a coarse grid, so instants repeat; steps 40-69 (weeks 2-4) stay empty."""
    return EDGE_START + STEP * rng.choice([*range(0, 40), *range(70, 110)])


def _edge_posts(rng: random.Random) -> list[dict]:
    rows = []
    for number in range(1, 241):
        platform = rng.choice(list(SOURCES))
        brand = number > 170
        rows.append(
            {
                "id": number,
                "platform": platform,
                "external_id": f"p{number}",
                "author_id": "brand" if brand else f"a{rng.randrange(6)}",
                "author_handle": "brand" if brand else f"a{number % 6}",
                "text": "text",
                "created_at": _edge_time(rng),
                "thread_key": f"t{number}",
                "parent_external_id": rng.choice([None, "p1"]) if brand else None,
                "is_brand": brand,
                "is_auto_reply": brand and rng.random() < 0.2,
                "lang": rng.choice([None, "en", "nl"]),
                "source": rng.choice(SOURCES[platform]),
                "fetched_at": EDGE_START,
            }
        )
    return rows


def _edge_cases(rng: random.Random, inbound: list[dict]) -> list[dict]:
    rows = []
    for number in range(1, 161):
        first_post = rng.choice(inbound)
        opened = _edge_time(rng)
        answered = opened + STEP * rng.choice([0, 1, 2, 4, 9]) if rng.random() < 0.5 else None
        hours = (answered - opened).total_seconds() / 3600 if answered else None
        rows.append(
            {
                "id": number,
                "platform": first_post["platform"],
                "thread_key": f"c{number}",
                "author_id": f"a{rng.randrange(40)}",
                "author_handle": "someone",
                "first_post_id": first_post["id"],
                "account": first_post["source"],
                "lang": rng.choice([None, "en", "nl"]),
                "status": rng.choice(["open", "open", "pending", "snoozed", "closed"]),
                "assignee": rng.choice([None, None, "mila", "joe"]),
                "touched": rng.random() < 0.2,
                "opened_at": opened,
                "last_inbound_at": opened,
                "due_at": opened + STEP * rng.choice([1, 2, 4]),
                "first_response_at": answered,
                "response_hours": hours,
                "response_business_hours": None
                if hours is None or rng.random() < 0.1
                else hours / 3,
                "updated_at": opened,
            }
        )
    rows[1].update({key: rows[0][key] for key in ("platform", "author_id", "opened_at")})
    return rows


def _edge_promises(rng: random.Random, brand: list[dict]) -> list[dict]:
    rows = []
    for number, made_by in enumerate(rng.sample(brand, 40), start=1):
        due = made_by["created_at"] + STEP * rng.choice([1, 3])
        rows.append(
            {
                "id": number,
                "post_id": made_by["id"],
                "platform": made_by["platform"],
                "to_author_id": f"a{rng.randrange(6)}",
                "made_at": made_by["created_at"],
                "due_at": due,
                "kept_at": rng.choice([None, due - STEP, due, due + STEP]),
            }
        )
    return rows


@pytest.fixture
def edge_workspace(workspace):
    rng = random.Random(20261102)
    post_rows = _edge_posts(rng)
    with workspace.engine.begin() as conn:
        conn.execute(posts.insert(), post_rows)
        conn.execute(cases.insert(), _edge_cases(rng, [p for p in post_rows if not p["is_brand"]]))
        conn.execute(
            promises.insert(), _edge_promises(rng, [p for p in post_rows if p["is_brand"]])
        )
    return workspace


def _monday(moment: datetime) -> str:
    day = moment.astimezone(UTC).date()
    return (day - timedelta(days=day.weekday())).isoformat()


def _group(by: str | None, row, time_column: str, columns: dict[str, str]) -> str:
    """The group of one row, worked out here in Python, apart from the store's SQL."""
    if by == "week":
        return _monday(row[time_column])
    value = row[columns[by]] if by in columns else None
    return "(none)" if value is None else value


def _row_frames(conn, period: Period, by: str | None):
    """The report's four input frames, one row per post, case and promise of the period."""

    def inside(moment: datetime) -> bool:
        return (period.since is None or moment >= period.since) and (
            period.until is None or moment < period.until
        )

    post_rows = [p for p in conn.execute(select(posts)).mappings() if inside(p["created_at"])]
    post_keys = {"platform": "platform", "account": "source", "lang": "lang"}
    inbound = pd.DataFrame(
        [
            {"key": _group(by, p, "created_at", post_keys), "inbound": 1}
            for p in post_rows
            if not p["is_brand"]
        ],
        columns=["key", "inbound"],
    )
    brand = pd.DataFrame(
        [
            {
                "key": _group(by, p, "created_at", post_keys),
                "replies": int(p["parent_external_id"] is not None),
                "broadcasts": int(p["parent_external_id"] is None),
            }
            for p in post_rows
            if p["is_brand"] and not p["is_auto_reply"]
        ],
        columns=["key", "replies", "broadcasts"],
    )
    case_keys = {
        "platform": "platform",
        "account": "account",
        "lang": "lang",
        "assignee": "assignee",
    }
    case_frame = pd.DataFrame(
        [
            {
                "key": _group(by, c, "opened_at", case_keys),
                "author_key": f"{c['platform']}:{c['author_id']}",
                **{
                    k: c[k]
                    for k in (
                        "opened_at",
                        "due_at",
                        "first_response_at",
                        "response_hours",
                        "response_business_hours",
                        "status",
                        "touched",
                    )
                },
            }
            for c in conn.execute(select(cases).order_by(cases.c.id)).mappings()
            if inside(c["opened_at"])
        ]
    )
    for column in ("opened_at", "due_at", "first_response_at"):
        case_frame[column] = pd.to_datetime(case_frame[column], utc=True)
    made = select(promises, posts.c.source, posts.c.lang).join(
        posts, posts.c.id == promises.c.post_id
    )
    promise_frame = pd.DataFrame(
        [
            {
                "key": _group(
                    by, p, "made_at", {"platform": "platform", "account": "source", "lang": "lang"}
                ),
                "due_at": p["due_at"],
                "kept_at": p["kept_at"],
            }
            for p in conn.execute(made).mappings()
            if inside(p["made_at"])
        ]
    )
    for column in ("due_at", "kept_at"):
        promise_frame[column] = pd.to_datetime(promise_frame[column], utc=True)
    return inbound, case_frame, promise_frame, brand


EDGE_PERIODS = [
    Period(),
    Period(EDGE_START + timedelta(days=3, hours=5), EDGE_START + timedelta(days=30, hours=2)),
    Period(since=EDGE_START + timedelta(days=26)),
]
EDGE_NOWS = [EDGE_START + STEP * steps for steps in (20, 75, 200)]  # on the grid: due == now


@pytest.mark.parametrize("by", [None, "platform", "week", "lang", "account", "assignee"])
def test_sql_counts_match_the_row_level_definitions(edge_workspace, by):
    with edge_workspace.engine.connect() as conn:
        for period in EDGE_PERIODS:
            frames = _row_frames(conn, period, by)
            for now in EDGE_NOWS:
                expected = build_report(*frames, now=now, by=by)
                assert workspace_report(conn, period, by, now=now) == expected, (period, now)


def test_the_edge_rows_reach_every_edge(edge_workspace):
    """Guards the test above: the rows hold the cases the rules must tell apart."""
    with edge_workspace.engine.connect() as conn:
        _, case_frame, promise_frame, _ = _row_frames(conn, Period(), None)
        overall = [workspace_report(conn, now=now)["overall"] for now in EDGE_NOWS]
        weekly = workspace_report(conn, by="week", now=EDGE_NOWS[-1])
    assert (case_frame.groupby(["author_key", "opened_at"]).size() > 1).any()
    assert case_frame["due_at"].isin(EDGE_NOWS).any()
    assert (case_frame["first_response_at"] == case_frame["due_at"]).any()
    assert (promise_frame["kept_at"] > promise_frame["due_at"]).any()
    for name in ("pending", "overdue", "ghosted", "broken_promises", "answered"):
        assert any(figures[name] > 0 for figures in overall), name
    assert 0 < overall[-1]["ghosted"] < overall[-1]["overdue"]  # touched, answered later
    # An author can be ghosted in two weeks: the groups do not add up to the overall figure.
    assert sum(g["ghosted"] for g in weekly["groups"]) > weekly["overall"]["ghosted"]
    assert _monday(EDGE_START + STEP * 50) not in [g["key"] for g in weekly["groups"]]


# The command line (SQLite file only: the CLI opens the workspace from DATABASE_URL).


@pytest.fixture
def cli_workspace(tmp_path):
    url = f"sqlite:///{tmp_path / 'report.db'}"
    ws = open_workspace(workspace_settings(url))
    now = datetime.now(UTC)
    build(ws, now)
    ws.engine.dispose()
    return url, now


def _cli(url: str, *args: str) -> Ran:
    return run_cli("report", *args, DATABASE_URL=url, FULLCIRCLE_HOLIDAYS="NL")


def _json(url: str, *args: str) -> dict:
    result = _cli(url, "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_cli_report_json_without_a_period_counts_every_post(cli_workspace):
    url, _ = cli_workspace
    report = _json(url)
    assert report == {"overall": OVERALL}


@pytest.mark.parametrize("by", ["platform", "week", "lang", "account", "assignee"])
def test_cli_report_by_gives_keyed_groups(cli_workspace, by):
    url, now = cli_workspace
    report = _json(url, "--by", by)
    assert report["overall"] == OVERALL
    keys = [g["key"] for g in report["groups"]]
    if by == "assignee":
        assert keys == ["(none)"]
        assert {k: v for k, v in report["groups"][0].items() if k != "key"} == OVERALL
        return
    assert keys == sorted(expected_groups(by, now))
    for group in report["groups"]:
        assert set(group) == FIELDS | {"key"}
        assert {k: v for k, v in group.items() if k != "key"} == expected_groups(by, now)[
            group["key"]
        ]


def _table(url: str, *args: str) -> dict[str, dict[str, str]]:
    """``report --table`` read back: {column: {metric: cell}}; cells are split on 2+ spaces."""
    result = _cli(url, "--table", *args)
    assert result.returncode == 0, result.stderr
    header, *rows = [re.split(r"\s{2,}", line.strip()) for line in result.stdout.splitlines()]
    assert all(len(row) == len(header) for row in rows), result.stdout
    return {column: {row[0]: row[i] for row in rows} for i, column in enumerate(header) if i}


def _cells(figures: dict) -> dict[str, str]:
    """The report's figures as the table shows them: hours as two rows, nothing as "–"."""
    flat: dict[str, object] = {}
    for name, value in figures.items():
        if isinstance(value, dict):
            flat.update({f"{name} {k}": v for k, v in value.items()})
        else:
            flat[name] = value
    return {name: "–" if value is None else str(value) for name, value in flat.items()}


@pytest.mark.parametrize("by", ["platform", "week", "account"])
def test_cli_report_table_by_shows_every_group_beside_the_total(cli_workspace, by):
    url, _ = cli_workspace
    report = _json(url, "--by", by)
    table = _table(url, "--by", by)
    assert list(table) == ["all", *(g["key"] for g in report["groups"])]
    assert table["all"] == _cells(report["overall"])
    for group in report["groups"]:
        assert table[group["key"]] == _cells({k: v for k, v in group.items() if k != "key"})


def test_cli_report_table_without_by_shows_the_total(cli_workspace):
    url, _ = cli_workspace
    assert _table(url) == {"all": _cells(OVERALL)}


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--since", "2026-11-01", "--until", "2026-11-08"), FIRST_NOVEMBER_WEEK),
        (("--since", "2026-10-01", "--until", "2026-11-01"), OCTOBER),
        (("--until", "2026-11-01"), OCTOBER),
    ],
)
def test_cli_since_and_until_exclude_cases_outside_the_period(cli_workspace, args, expected):
    url, _ = cli_workspace
    assert _json(url, *args)["overall"] == expected


def test_cli_since_today_keeps_only_the_pending_case(cli_workspace):
    url, now = cli_workspace
    since = (now - timedelta(hours=1)).date()
    report = _json(
        url, "--since", since.isoformat(), "--until", (now.date() + timedelta(days=2)).isoformat()
    )
    assert report["overall"] == metrics(inbound=1, needs_response=1, pending=1)


def test_cli_unknown_by_exits_2_with_a_clear_message(cli_workspace):
    url, _ = cli_workspace
    result = _cli(url, "--json", "--by", "country")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "--by must be one of platform, account, assignee, week, lang" in result.stderr
