"""Mastodon statuses to posts: HTML to inert text, accounts, threads, boosts and notifications,
and ``cli.py import --format mastodon``."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from connectors.mastodon import html_to_text, post_from_status, posts_from_page, thread_keys
from demo.payloads import generate
from pipeline.workspace import open_workspace
from store.schema import cases, posts
from tests.conftest import workspace_settings
from tests.support.cli import run_cli
from tests.support.mastodon_statuses import (
    BRAND,
    account,
    candidate,
    mention_html,
    notification,
    status,
)


def test_html_content_becomes_plain_text_with_mentions_and_full_links():
    sam = candidate(1)
    content = (
        f"<p>{mention_html(BRAND)} Hi &amp; thanks!<br>Is the job at "
        '<a href="https://northwind.example/jobs/42-backend" rel="nofollow noopener" '
        'target="_blank"><span class="invisible">https://</span><span class="ellipsis">'
        'northwind.example/jobs/42-ba</span><span class="invisible">ckend</span></a> '
        "still open?</p><p>Second paragraph</p>"
    )
    text = html_to_text(content, {BRAND["url"]: "careers@northwind.social"})
    assert text == (
        "@careers@northwind.social Hi & thanks!\n"
        "Is the job at https://northwind.example/jobs/42-backend still open?\n\n"
        "Second paragraph"
    )
    assert sam["acct"] == "candidate1@mastodon.example"


def test_markup_in_a_status_stays_text_and_scripts_leave_nothing():
    hostile = (
        '<p>&lt;img src=x onerror="alert(1)"&gt; <script>alert("x")</script>'
        "<style>p{display:none}</style><b>bold</b> <unclosed</p>"
    )
    text = html_to_text(hostile)
    assert text.startswith('<img src=x onerror="alert(1)"> bold')
    assert 'alert("x")' not in text and "display:none" not in text


def test_a_status_maps_its_author_thread_visibility_and_language():
    sam = candidate(2)
    question = status(1, sam, "Is the internship paid?", mentions=(BRAND,), language="de")
    reply = status(2, BRAND, "yes, it is paid.", minutes=30, parent=question)
    reply["spoiler_text"] = "pay"
    post = post_from_status(reply, "mastodon:tag:x", thread_key="777")
    assert post.author_handle == "careers@northwind.social"
    assert post.author_name == "Northwind Labs Careers" and post.author_reach == 900
    assert post.parent_external_id == question["id"] and post.reply_to == (question["id"],)
    assert post.to_account == sam["id"] and post.thread_key == "777"
    assert post.text == "pay\n\n@candidate2@mastodon.example yes, it is paid."
    assert post.url == reply["url"] and post.raw["visibility"] == "public"
    first = post_from_status(question)
    assert first.lang == "de" and first.thread_key == question["id"]
    assert first.text == "@careers@northwind.social Is the internship paid?"


def test_a_boost_is_the_boosted_status_and_a_local_account_gets_its_server():
    original = status(3, account("77", "ria"), "Northwind pays well")
    boost = {**status(4, candidate(5), ""), "reblog": original, "content": ""}
    post = post_from_status(boost)
    assert post.external_id == original["id"] and post.author_handle == "ria@northwind.social"


def test_notifications_give_the_statuses_of_mentions_only_and_pages_of_any_shape():
    question = status(5, candidate(6), "when is the next open day?", mentions=(BRAND,))
    page = [notification(1, question), notification(2, question, "favourite")]
    posts_, problems = posts_from_page(page, "mastodon:mentions")
    assert [p.external_id for p in posts_] == [question["id"]] and problems == []
    search = {"accounts": [], "statuses": [question], "hashtags": []}
    assert [p.external_id for p in posts_from_page(search)[0]] == [question["id"]]
    context = {"ancestors": [question], "descendants": []}
    assert [p.external_id for p in posts_from_page(context)[0]] == [question["id"]]
    _, wrong = posts_from_page({"error": "Record not found"})
    assert wrong[0].reason == "Mastodon page is an object without statuses"


def test_thread_roots_follow_the_chain_and_survive_a_loop():
    a = status(10, candidate(1), "root")
    b = status(11, candidate(2), "b", parent=a)
    c = status(12, candidate(3), "c", parent=b)
    orphan = status(13, candidate(4), "d", parent={"id": "999", "account": candidate(9)})
    assert thread_keys([c, b, a, orphan]) == {
        a["id"]: a["id"],
        b["id"]: a["id"],
        c["id"]: a["id"],
        orphan["id"]: "999",
    }
    assert thread_keys([c], {b["id"]: "root-key"}) == {c["id"]: "root-key"}
    loop_x = {**status(20, candidate(1), "x"), "in_reply_to_id": status(21, BRAND, "")["id"]}
    loop_y = {**status(21, candidate(2), "y"), "in_reply_to_id": loop_x["id"]}
    roots = thread_keys([loop_x, loop_y])
    assert set(roots) == {loop_x["id"], loop_y["id"]}  # ends, whatever the answer


def _jsonl(path: Path, *pages: object) -> Path:
    path.write_text("".join(json.dumps(page) + "\n" for page in pages), encoding="utf-8")
    return path


def test_import_reads_saved_pages_keeps_threads_across_lines_and_adds_nothing_again(tmp_path):
    sam = candidate(1)
    question = status(1, sam, "How long does the process take?", mentions=(BRAND,))
    answer = status(2, BRAND, "about three weeks", minutes=60, parent=question)
    follow_up = status(3, sam, "thanks! and after that?", minutes=90, parent=answer)
    broken = {**status(4, sam, "x"), "created_at": "yesterday"}
    path = _jsonl(
        tmp_path / "mastodon.jsonl",
        [question],
        [follow_up, answer, broken],
        [notification(1, question)],
        "not a page",
    )
    path.write_text(path.read_text() + "{broken json\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'w.db'}"
    bare = run_cli("brand", "add", "mastodon", "@careers", DATABASE_URL=url)
    assert bare.returncode != 0 and "as @user@instance" in bare.stderr
    added = run_cli("brand", "add", "mastodon", "@careers@northwind.social", DATABASE_URL=url)
    assert added.returncode == 0
    first = run_cli("import", str(path), "--format", "mastodon", DATABASE_URL=url)
    assert first.returncode == 0, first.stderr
    assert "Imported 3 new posts (1 already stored)" in first.stderr
    assert "line 2" in first.stderr and "created_at" in first.stderr
    assert "line 5: not JSON" in first.stderr
    again = run_cli("import", str(path), "--format", "mastodon", DATABASE_URL=url)
    assert "Imported 0 new posts (4 already stored)" in again.stderr
    ws = open_workspace(workspace_settings(url))
    try:
        with ws.engine.connect() as conn:
            rows = dict(conn.execute(select(posts.c.external_id, posts.c.thread_key)).all())
            brand = conn.execute(
                select(posts.c.is_brand).where(posts.c.external_id == answer["id"])
            ).scalar_one()
            answered = conn.execute(
                select(cases.c.first_response_at).order_by(cases.c.opened_at)
            ).scalars()
            answered_first = [moment is not None for moment in answered]
    finally:
        ws.engine.dispose()
    assert set(rows.values()) == {question["id"]}
    assert brand is True
    assert answered_first == [True, False]  # the question answered, the follow-up waiting


DEMO_END = datetime(2026, 11, 30, tzinfo=UTC)


def test_the_demo_speaks_mastodon_through_the_real_mapping(tmp_path):
    """The demo's pages carry every field a live status has, map without a problem, and its
    brand answers on Mastodon answer cases there."""
    pages = [p.payload for p in generate(posts=3000, end=DEMO_END) if p.kind == "mastodon_page"]
    live = status(1, candidate(1), "hi")
    viewer_only = {"favourited", "reblogged", "muted", "bookmarked", "pinned", "filtered"}
    assert pages and all(set(live) - viewer_only <= set(s) for page in pages for s in page)
    for page in pages:
        mapped, problems = posts_from_page(page, "demo:mastodon")
        assert problems == [] and len(mapped) == len(page)
    ws = open_workspace(workspace_settings(f"sqlite:///{tmp_path / 'demo.db'}"))
    try:
        ws.seed_demo(3000, end=DEMO_END)
        with ws.engine.connect() as conn:
            answered = conn.execute(
                select(cases.c.id).where(
                    cases.c.platform == "mastodon", cases.c.first_response_at.is_not(None)
                )
            ).all()
            brand = (
                conn.execute(
                    select(posts.c.author_handle).where(
                        posts.c.platform == "mastodon", posts.c.is_brand
                    )
                )
                .scalars()
                .all()
            )
    finally:
        ws.engine.dispose()
    assert answered and set(brand) <= {
        "NorthwindLabs@northwind.social",
        "NorthwindCareers@northwind.social",
    }


def test_erasing_a_mastodon_person_reaches_mentions_profile_links_and_raw_payloads(tmp_path):
    """user@server is a Mastodon handle, not an address: it names the person to erase, and a
    mention of the brand (@careers@northwind.social) links nobody to an e-mail address."""
    sam, ria = candidate(1), candidate(2)
    question = status(1, sam, "Is the job open?", mentions=(BRAND,))
    answer = status(2, BRAND, "yes it is", minutes=30, parent=question)
    aside = status(3, ria, "me too", minutes=40, parent=question)
    path = _jsonl(tmp_path / "m.jsonl", [question, answer, aside])
    url = f"sqlite:///{tmp_path / 'w.db'}"
    run_cli("brand", "add", "mastodon", "@careers@northwind.social", DATABASE_URL=url)
    run_cli("import", str(path), "--format", "mastodon", DATABASE_URL=url)
    erased = run_cli("erase", "--person", "candidate1@mastodon.example", DATABASE_URL=url)
    assert erased.returncode == 0, erased.stderr
    assert "Erased: 1 identities" in erased.stderr
    ws = open_workspace(workspace_settings(url))
    try:
        with ws.engine.connect() as conn:
            rows = conn.execute(select(posts.c.external_id, posts.c.text, posts.c.raw)).all()
    finally:
        ws.engine.dispose()
    assert [row.external_id for row in rows] == [aside["id"]]  # Ria's post stays
    assert rows[0].text == "@[erased] me too"
    assert "candidate1" not in json.dumps(rows[0].raw)
    assert ria["acct"] in json.dumps(rows[0].raw)
