"""Importing a saved Reddit thread (``…/comments/ID.json``) built from a recorded API answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.files import import_batches

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "reddit"


def _recorded_thread(cassette: str) -> list:
    """The ``/comments/ID/`` answer PRAW recorded: [submission Listing, comment Listing]."""
    path = FIXTURES / cassette
    if not path.is_file():
        pytest.skip(f"{path} is absent: the recorded Reddit cassettes live in ../shared")
    interactions = json.loads(path.read_text(encoding="utf-8"))["interactions"]
    answer = next(
        i["response"]["body"]["string"] for i in interactions if "/comments/" in i["request"]["uri"]
    )
    thread = json.loads(answer)
    assert isinstance(thread, list) and [part["kind"] for part in thread] == ["Listing"] * 2
    return thread


def _saved(tmp_path: Path, cassette: str) -> Path:
    path = tmp_path / "thread.json"
    path.write_text(json.dumps(_recorded_thread(cassette)), encoding="utf-8")
    return path


def _import(path: Path):
    batches = list(import_batches(path, "reddit-json"))
    return (
        [post for batch in batches for post in batch.posts],
        [problem for batch in batches for problem in batch.problems],
    )


def test_saved_thread_maps_the_submission_and_every_comment(tmp_path):
    posts, problems = _import(_saved(tmp_path, "TestSubmission.test_comments.json"))
    assert problems == []
    assert [
        (p.external_id, p.parent_external_id, p.thread_key, p.author_handle) for p in posts
    ] == [
        ("t3_2gmzqe", None, "t3_2gmzqe", "bboe"),
        ("t1_cklfmye", "t3_2gmzqe", "t3_2gmzqe", "paneer_burrito"),
        ("t1_cklhv0f", "t1_cklfmye", "t3_2gmzqe", "bboe"),
    ]
    submission = posts[0]
    assert submission.url == (
        "https://www.reddit.com/r/redditdev/comments/2gmzqe/praw_https_enabled_praw_testing_needed/"
    )
    assert submission.created_at == datetime.fromtimestamp(1410935671.0, tz=UTC)
    assert submission.text.startswith(submission.subject)
    assert {p.source for p in posts} == {"import:reddit-json"}


def test_large_saved_thread_keeps_every_comment_in_its_thread(tmp_path):
    thread = _recorded_thread("TestCommentForest.test_replace__all.json")
    posts, problems = _import(_saved(tmp_path, "TestCommentForest.test_replace__all.json"))
    assert problems == []
    text = json.dumps(thread)
    assert len(posts) == text.count('"kind": "t1"') + 1
    assert {p.thread_key for p in posts} == {"t3_3hahrw"}
    names = {p.external_id for p in posts}
    assert len(names) == len(posts)


def test_a_second_pass_yields_the_same_external_ids(tmp_path):
    path = _saved(tmp_path, "TestSubmission.test_comments.json")
    first, _ = _import(path)
    second, _ = _import(path)
    assert [p.external_id for p in first] == [p.external_id for p in second]
    assert first == second
