"""Corrections to the needs-response decision: made by the team, audited, exported for training."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from pipeline.cases import NotAddableError, add_to_backlog
from pipeline.reports import workspace_report
from store import case_actions
from store.accounts import add_account
from store.labels import training_rows
from store.schema import cases, events, posts
from tests.support.cli import run_cli
from tests.support.factories import MONDAY, batch, post


def _ids(ws) -> dict[str, int]:
    with ws.engine.connect() as conn:
        return dict(conn.execute(select(posts.c.external_id, posts.c.id)).all())


@pytest.fixture
def ws(workspace):
    with workspace.engine.begin() as conn:
        add_account(conn, "x", "acme")
    workspace.ingest().batch(
        batch(
            post("1", "@acme is the Berlin role remote?", author="sam"),
            post(
                "2", "@acme love the new office pics", author="kim", at=MONDAY + timedelta(hours=1)
            ),
            post(
                "3",
                "@acme congrats on the award, well deserved",
                author="lee",
                at=MONDAY + timedelta(hours=2),
            ),
            post(
                "4",
                "@lee thanks! Yes, shot on site",
                author="acme",
                thread="t1",
                parent="3",
                at=MONDAY + timedelta(hours=3),
            ),
        )
    )
    return workspace


def test_the_brands_reply_makes_a_case_of_a_post_the_words_did_not_flag(ws):
    with ws.engine.connect() as conn:
        flagged = dict(
            conn.execute(
                select(posts.c.external_id, posts.c.reason).where(posts.c.needs_response.is_(True))
            ).all()
        )
        answered = conn.execute(select(cases.c.author_id, cases.c.first_response_at)).all()
    assert flagged == {"1": "asks a question", "3": "answered by the brand"}
    assert {author for author, at in answered if at is not None} == {"lee"}


def test_no_answer_needed_removes_the_case_from_every_count_and_is_audited(ws):
    with ws.engine.begin() as conn:
        [case_id] = conn.execute(select(cases.c.id).where(cases.c.author_id == "sam")).scalars()
        case_actions.mark_no_answer_needed(conn, [case_id], "Anna")
    with ws.engine.connect() as conn:
        assert workspace_report(conn)["overall"]["needs_response"] == 1  # lee's only
        row = conn.execute(
            select(posts.c.needs_response, posts.c.case_id, posts.c.reason).where(
                posts.c.external_id == "1"
            )
        ).one()
        event = conn.execute(select(events.c.actor, events.c.action, events.c.detail)).one()
        exported = training_rows(conn, answered=False)
    assert tuple(row) == (False, None, "no answer needed (Anna)")
    assert (event.actor, event.action, event.detail["label"]) == (
        "Anna",
        "label",
        "no_answer_needed",
    )
    assert [(r["text"], r["needs_response"], r["channel"]) for r in exported] == [
        ("@acme is the Berlin role remote?", False, "addressed")
    ]


def test_adding_a_missed_post_opens_its_case_through_the_case_rules(ws):
    ids = _ids(ws)
    with ws.engine.begin() as conn:
        case_id = add_to_backlog(conn, ws.policy, ids["2"], "Ben")
    with ws.engine.connect() as conn:
        case = conn.execute(select(cases).where(cases.c.id == case_id)).one()
        exported = training_rows(conn)
    assert (case.author_id, case.reason, case.first_response_at) == ("kim", "added by Ben", None)
    assert case.due_at == ws.policy.due_at(MONDAY + timedelta(hours=1))
    assert {(r["text"], r["needs_response"], r["source"]) for r in exported} == {
        ("@acme love the new office pics", True, "workspace-correction"),
        ("@acme congrats on the award, well deserved", True, "workspace-answered"),
    }


def test_a_brand_post_cannot_be_added(ws):
    with ws.engine.begin() as conn, pytest.raises(NotAddableError, match="brand post"):
        add_to_backlog(conn, ws.policy, _ids(ws)["4"], "Ben")


def test_cli_exports_the_rows_as_jsonl(ws, tmp_path, db_url):
    with ws.engine.begin() as conn:
        add_to_backlog(conn, ws.policy, _ids(ws)["2"], "Ben")
    out = tmp_path / "labels.jsonl"
    result = run_cli("labels", "export", "--output", str(out), DATABASE_URL=db_url)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert "Exported 2 training row(s)." in result.stderr
    assert {r["id"] for r in rows} == {"ws-x-2", "ws-x-3"}
    assert set(rows[0]) >= {"text", "channel", "needs_response", "split", "source"}
