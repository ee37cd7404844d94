"""Erasing a person (GDPR art. 17) reaches what others wrote about them, and an export
(art. 15) shows it. The workspace is Sam's history on X and by e-mail, the
brand's messages to Sam and Ria's posts naming Sam (``tests/support/erasure.py``).
"""

from __future__ import annotations

import json

from sqlalchemy import Text, cast, func, or_, select

from pipeline.workspace import open_workspace
from store.naming import Names
from store.schema import cases, posts
from tests.conftest import workspace_settings
from tests.support import erasure
from tests.support.cli import run_cli


def _naming_rows(conn) -> list[str]:
    """Texts of stored posts whose text, subject or raw payload still name Sam."""
    columns = (posts.c.text, posts.c.subject, cast(posts.c.raw, Text))
    clauses = [
        func.lower(column).contains(secret.lower(), autoescape=True)
        for column in columns
        for secret in erasure.SECRETS
    ]
    return list(conn.execute(select(posts.c.text).where(or_(*clauses))).scalars())


def test_an_export_holds_the_brand_messages_to_a_person_and_posts_naming_them(tmp_path, db_url):
    erasure.build(tmp_path, db_url)

    exported = run_cli("export", "--person", erasure.HANDLE, DATABASE_URL=db_url)

    assert exported.returncode == 0, exported.stderr
    data = json.loads(exported.stdout)
    assert sorted(p["text"] for p in data["posts"]) == sorted([erasure.SAM_TWEET, erasure.SAM_MAIL])
    assert sorted(p["text"] for p in data["messages_to_them"]) == sorted(
        [erasure.BRAND_TO_SAM_X, erasure.BRAND_TO_SAM_MAIL, erasure.BRAND_OFFER_MAIL]
    )
    naming = data["posts_naming_them"]
    assert sorted(p["text"] for p in naming) == sorted(
        [erasure.RIA_TWEET, erasure.BRAND_TO_RIA_X, erasure.RIA_MAIL]
    )
    # others' posts are theirs too: the export shows what names Sam, not who wrote it
    assert not any({"author_id", "author_handle", "author_name", "raw"} & p.keys() for p in naming)


def test_erase_takes_the_brand_messages_to_a_person_and_redacts_posts_naming_them(tmp_path, db_url):
    erasure.build(tmp_path, db_url)

    erased = run_cli("erase", "--person", erasure.HANDLE, DATABASE_URL=db_url)

    assert erased.returncode == 0, erased.stderr
    assert "2 posts, 3 messages to them, 3 posts redacted" in erased.stderr
    ws = open_workspace(workspace_settings(db_url))
    with ws.engine.connect() as conn:
        assert _naming_rows(conn) == []
        left = {
            r.external_id: r
            for r in conn.execute(select(posts).where(posts.c.author_id.not_like("3%")))
        }
        ria_case = conn.execute(
            select(cases.c.first_response_post_id).where(cases.c.author_id == erasure.RIA_X_ID)
        ).scalar_one()
    ws.engine.dispose()
    by_text = {r.text: r for r in left.values()}
    assert set(by_text) == {
        "@[erased] @NorthwindLabs I asked the same last week and heard nothing yet",
        "@ria_codes @[erased] we answer every question within one working day.",
        "I would like to refer my friend [erased] for the Lisbon role; she tweets as @[erased].",
    }
    ria_tweet = by_text["@[erased] @NorthwindLabs I asked the same last week and heard nothing yet"]
    assert ria_tweet.raw["in_reply_to_user_id"] == "[erased]"
    assert ria_tweet.raw["entities"]["mentions"][0]["username"] == "[erased]"
    ria_mail = by_text[
        erasure.RIA_MAIL.replace(erasure.ADDRESS, "[erased]").replace("@sam_dev", "@[erased]")
    ]
    assert ria_mail.raw["headers"]["Cc"] == "[erased]"
    # Ria's conversation keeps the brand's answer to her
    assert (
        ria_case
        == by_text["@ria_codes @[erased] we answer every question within one working day."].id
    )


def test_redaction_replaces_the_persons_names_and_leaves_look_alikes():
    names = Names.of([("x", "sam_dev"), ("email", "sam@example.com")], ["4015550123"])

    assert (
        names.redact_text(
            "@Sam_Dev, .@sam_dev and x.com/sam_dev/status/1 — cc sam@example.com or SAM@EXAMPLE.COM."
        )
        == "@[erased], .@[erased] and x.com/[erased]/status/1 — cc [erased] or [erased]."
    )
    untouched = "@sam_devops, sam_dev said, xsam@example.com, sam@example.com.au, u/sam_devs"
    assert names.redact_text(untouched) == untouched
    assert names.redact_json(
        {"in_reply_to_user_id": "4015550123", "id": "40155501234", "to": ["Sam <sam@example.com>"]}
    ) == {"in_reply_to_user_id": "[erased]", "id": "40155501234", "to": ["Sam <[erased]>"]}
