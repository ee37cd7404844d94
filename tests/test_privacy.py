"""A person's data: exported whole, erased on every linked channel, old data retained no longer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from engagement.actions import reply_to_case
from engagement.senders import SandboxSender
from store import people
from store.accounts import add_account
from store.privacy import PersonNotFound, apply_retention, erase_person, export_person
from store.schema import cases, events, identities, posts, promises
from tests.support.cli import Ran, run_cli
from tests.support.factories import MONDAY, batch, post
from tests.support.rows import count_rows


def _seed(ws):
    with ws.engine.begin() as conn:
        add_account(conn, "x", "NorthwindLabs", "100")
        add_account(conn, "email", "no-reply@northwind.example")
    ws.ingest().batch(
        batch(
            post(
                "1",
                "@NorthwindLabs is the Berlin role remote? mail me at sam@example.com",
                author="Sam_Dev",
                raw={"id": "1"},
            ),
            post(
                "m1",
                "Could you tell me when the interviews are?",
                author="sam@example.com",
                platform="email",
                thread="m1",
                at=MONDAY + timedelta(days=1),
                raw={"secret": 1},
            ),
            post(
                "m2",
                "Thanks! We'll get back to you within two weeks.",
                author="no-reply@northwind.example",
                platform="email",
                thread="m1",
                parent="m1",
                is_auto_reply=True,
                at=MONDAY + timedelta(days=1, minutes=1),
                raw={"id": "m2"},
            ),
            post("2", "@NorthwindLabs any news on the Berlin role?", author="ria", raw={"id": "2"}),
        )
    )
    with ws.engine.connect() as conn:
        sam_case = conn.execute(select(cases.c.id).where(cases.c.author_id == "Sam_Dev")).scalar()
    reply_to_case(ws, sam_case, "Hi Sam, yes!", actor="lena", key="r1", sender=SandboxSender())


def test_an_export_holds_every_channel_of_the_person(workspace):
    _seed(workspace)
    with workspace.engine.connect() as conn:
        data = export_person(conn, "@sam_dev")
    assert {(i["platform"], i["handle"]) for i in data["identities"]} == {
        ("x", "sam_dev"),
        ("email", "sam@example.com"),
    }
    assert sorted(p["external_id"] for p in data["posts"]) == ["1", "m1"]
    assert len(data["cases"]) == 2 and len(data["promises_to_them"]) == 1
    assert [e["action"] for e in data["case_events"]] == ["reply"]
    json.dumps(data)


@pytest.mark.parametrize("written", ["jobhunter42", "u/jobhunter42", "/u/JobHunter42"])
def test_a_reddit_user_is_found_as_reddit_writes_them(workspace, written):
    workspace.ingest().batch(
        batch(
            post(
                "r1", "How long is the interview process?", author="jobhunter42", platform="reddit"
            )
        )
    )
    with workspace.engine.connect() as conn:
        assert [p["external_id"] for p in export_person(conn, written)["posts"]] == ["r1"]


def test_erasing_removes_the_person_everywhere_and_leaves_only_a_tombstone(workspace):
    _seed(workspace)
    with workspace.engine.begin() as conn:
        removed = erase_person(conn, "sam@example.com", actor="dpo")
    assert removed["posts"] == 2 and removed["cases"] == 2 and removed["promises"] == 1
    with workspace.engine.connect() as conn:
        assert (
            count_rows(conn, posts, posts.c.author_handle.in_(["Sam_Dev", "sam@example.com"])) == 0
        )
        assert count_rows(conn, cases) == 1 and count_rows(conn, promises) == 0
        assert count_rows(conn, identities) == 0
        assert people.identities_of(conn, ("x", "sam_dev")) == [("x", "sam_dev")]
        [tombstone] = conn.execute(select(events.c.action, events.c.detail)).all()
    assert tombstone.action == "erased_person"
    assert "sam" not in json.dumps(tombstone.detail).lower()


def test_an_unknown_person_is_refused_and_nothing_is_erased(workspace):
    _seed(workspace)
    with workspace.engine.begin() as conn, pytest.raises(PersonNotFound):
        erase_person(conn, "nobody", actor="dpo")
    with workspace.engine.connect() as conn:
        assert count_rows(conn, posts) == 5


def test_retention_drops_old_raw_payloads_and_closed_cases(workspace):
    _seed(workspace)
    with workspace.engine.begin() as conn:
        conn.execute(
            cases.update()
            .where(cases.c.author_id == "ria")
            .values(status="closed", closed_at=MONDAY)
        )
        removed = apply_retention(conn, 30, now=datetime(2026, 12, 31, tzinfo=UTC))
    assert removed == {"raw_payloads": 4, "closed_cases": 1}
    with workspace.engine.connect() as conn:
        assert count_rows(conn, posts, posts.c.raw.is_not(None)) == 0
        assert count_rows(conn, cases) == 2


def test_the_cli_exports_and_erases_a_person(tmp_path):
    from pipeline.workspace import open_workspace
    from tests.conftest import workspace_settings

    url = f"sqlite:///{tmp_path / 'w.db'}"
    _seed(open_workspace(workspace_settings(url)))

    def run(*a: str) -> Ran:
        return run_cli(*a, DATABASE_URL=url)

    exported = run("export", "--person", "sam_dev", "--output", str(tmp_path / "sam.json"))
    assert exported.returncode == 0
    assert len(json.loads((tmp_path / "sam.json").read_text())["posts"]) == 2
    erased = run("erase", "--person", "sam_dev")
    assert erased.returncode == 0 and "2 posts" in erased.stderr
    gone = run("export", "--person", "sam_dev")
    assert gone.returncode == 2 and "nothing is held about 'sam_dev'" in gone.stderr
    assert run("erase", "--person", "nobody").returncode == 2
