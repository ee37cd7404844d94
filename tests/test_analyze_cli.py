"""``python cli.py analyze``: JSONL posts in, one JSONL analysis out per post, streaming.

Run as a user runs it: a subprocess of the real CLI, fed through a pipe. The environment drops
``PYTHONUNBUFFERED`` (a developer's or CI's setting, not a user's), so output buffering is what
a user gets.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys

import pytest

from tests.conftest import ROOT

FIELDS = {
    "id",
    "needs_response",
    "intent",
    "sentiment",
    "sentiment_label",
    "promise_hours",
    "reason",
}
INTENTS = {"application", "chase", "request", "question", "problem", "complaint", "message"}
QUESTION = {"id": 1, "text": "@NorthwindLabs is the Berlin role remote?", "lang": "en"}
PRAISE = {"id": "p-2", "text": "Great culture video, love the team at Northwind!"}
COMPLAINT = {
    "id": 3,
    "text": "Applied six weeks ago and still no answer. Terrible, unprofessional "
    "recruiting process.",
}
PROMISE = {
    "id": 4,
    "text": "Thanks for applying! We'll get back to you within two weeks.",
    "is_brand": True,
}
# Deadline for each kind of brand promise, in calendar hours after the post.
PROMISES = [
    ("We'll get back to you within two weeks.", 336.0),
    ("You can expect a reply in 5 working days.", 168.0),
    ("Our recruiter will call you tomorrow.", 24.0),
    ("Join us at next week's open day!", None),
]
# Lines 2-6 are bad: not JSON, no text, text of the wrong type, not an object, no id.
MIXED = (
    "\n".join(
        [
            json.dumps(QUESTION),
            "{not json",
            json.dumps({"id": 7}),
            json.dumps({"id": 8, "text": 42}),
            json.dumps([1, 2]),
            json.dumps({"text": "no id here?"}),
            json.dumps(PROMISE),
        ]
    )
    + "\n"
)


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return {**env, **extra}


def _analyze(data: str | bytes, **env: str) -> subprocess.CompletedProcess:
    text = isinstance(data, str)
    result = subprocess.run(
        [sys.executable, "cli.py", "analyze"],
        cwd=ROOT,
        env=_env(**env),
        input=data,
        capture_output=True,
        text=text,
        timeout=300,
    )
    if not text:
        result.stdout = result.stdout.decode("utf-8", "replace")
        result.stderr = result.stderr.decode("utf-8", "replace")
    return result


def _lines(data: str | bytes, **env: str) -> tuple[list[dict], subprocess.CompletedProcess]:
    result = _analyze(data, **env)
    return [json.loads(line) for line in result.stdout.splitlines()], result


def _jsonl(*items: dict) -> str:
    return "".join(json.dumps(item) + "\n" for item in items)


def test_every_post_gets_one_analysis_line_in_order_with_the_documented_fields():
    out, result = _lines(_jsonl(QUESTION, PRAISE, COMPLAINT, PROMISE))
    assert result.returncode == 0 and result.stderr == ""
    assert [item["id"] for item in out] == [1, "p-2", 3, 4]
    for item in out:
        assert set(item) == FIELDS
        assert isinstance(item["needs_response"], bool)
        assert (item["intent"] in INTENTS) if item["needs_response"] else item["intent"] is None
        assert isinstance(item["sentiment"], float) and -1.0 <= item["sentiment"] <= 1.0
        label = (
            "positive"
            if item["sentiment"] >= 0.05
            else "negative"
            if item["sentiment"] <= -0.05
            else "neutral"
        )
        assert item["sentiment_label"] == label


def test_questions_and_complaints_need_a_response_praise_and_brand_posts_do_not():
    question, praise, complaint, promise = _lines(_jsonl(QUESTION, PRAISE, COMPLAINT, PROMISE))[0]
    assert question["needs_response"] and question["intent"] == "question"
    assert not praise["needs_response"] and praise["sentiment_label"] == "positive"
    assert complaint["needs_response"] and complaint["sentiment"] < 0
    assert not promise["needs_response"]


@pytest.mark.parametrize(("text", "hours"), PROMISES)
def test_a_brand_promise_gives_its_deadline_in_hours(text, hours):
    [brand], _ = _lines(_jsonl({"id": 1, "text": text, "is_brand": True}))
    assert brand["promise_hours"] == hours


def test_only_brand_posts_promise():
    [inbound], _ = _lines(_jsonl({"id": 1, "text": PROMISE["text"]}))
    assert inbound["promise_hours"] is None


def test_bad_lines_are_reported_by_number_and_the_rest_is_still_analysed():
    out, result = _lines(MIXED)
    assert [item["id"] for item in out] == [1, 4]
    assert out[1]["promise_hours"] == 336.0
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert [line.split(":")[0] for line in errors] == [f"line {n}" for n in range(2, 7)]
    assert "JSON" in errors[0] and "text" in errors[1] and "text" in errors[2]
    assert result.returncode == 1


def test_wrong_types_of_optional_fields_are_bad_lines():
    data = _jsonl(
        {"id": 1, "text": "Hi", "is_brand": "yes"},
        {"id": 2, "text": "Hi", "lang": 3},
        {"id": 3, "text": "Is the role remote?", "is_brand": False, "lang": None},
    )
    out, result = _lines(data)
    assert [item["id"] for item in out] == [3]
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["line 1", "line 2"]
    assert result.returncode == 1


def test_all_good_input_and_blank_lines_exit_0():
    out, result = _lines("\n" + _jsonl(QUESTION) + "\n\n" + _jsonl(PRAISE))
    assert [item["id"] for item in out] == [1, "p-2"]
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize(
    "stdin_encoding", [None, "utf-8:strict"], ids=["posix-locale", "utf8-locale"]
)
def test_a_line_that_is_not_utf8_is_a_bad_line_and_the_rest_is_kept(stdin_encoding):
    """JSON text is UTF-8: a Latin-1 byte is a bad line, whatever the user's locale.

    Under a UTF-8 locale (en_US.UTF-8) Python decodes stdin strictly; under C/POSIX it smuggles
    the byte through as a surrogate. ``PYTHONIOENCODING`` reproduces both here.
    """
    env = {"PYTHONIOENCODING": stdin_encoding} if stdin_encoding else {}
    data = b'{"id": 9, "text": "caf\xe9 in Berlin?"}\n' + _jsonl(QUESTION).encode()
    result = _analyze(data, **env)
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [1]
    assert result.stderr.startswith("line 1:"), result.stderr[-400:]
    assert result.returncode == 1


def test_answers_stream_one_line_at_a_time():
    """The answer to the first post arrives before the second post is written.

    A caller piping posts one by one (a queue consumer, a notebook) must not wait for EOF; the
    60 s limit only guards against a deadlock, it measures nothing.
    """
    process = subprocess.Popen(
        [sys.executable, "cli.py", "analyze"],
        cwd=ROOT,
        env=_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    try:
        process.stdin.write(json.dumps(QUESTION) + "\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], 60)
        assert ready, "no answer to line 1 while the pipe stays open: stdout is block-buffered"
        first = json.loads(process.stdout.readline())
        assert first["id"] == 1 and first["needs_response"]
        rest, errors = process.communicate(json.dumps(PROMISE) + "\n", timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert [json.loads(line)["id"] for line in rest.splitlines()] == [4]
    assert (process.returncode, errors) == (0, "")


def test_a_line_may_say_its_channel_and_a_mail_is_a_direct_channel():
    """A bare text lets the words decide; the channel (or a mail's platform) settles it."""
    lines = [
        {"id": 1, "text": "Attached is my CV for the nurse role", "platform": "email"},
        {"id": 2, "text": "@Acme my order is missing", "channel": "addressed"},
        {"id": 3, "text": "Out of office until Monday", "channel": "direct", "automated": True},
    ]
    out, result = _lines("".join(json.dumps(line) + "\n" for line in lines))
    assert result.returncode == 0, result.stderr
    assert [(o["needs_response"], o["intent"], o["reason"]) for o in out] == [
        (True, "application", "application e-mail"),
        (True, "problem", "reports a problem"),
        (False, None, "automatic reply"),
    ]


def test_an_unknown_channel_is_refused_with_its_line_number():
    out, result = _lines(json.dumps({"id": 1, "text": "hi", "channel": "dm"}) + "\n")
    assert out == [] and result.returncode == 1
    assert 'line 1: "channel" must be one of direct, addressed, public or null' in result.stderr


def test_bulk_input_on_two_processes_answers_exactly_as_one_process_in_order():
    """A file is spread over the pool (each read of 64 KB is a block); the answers, the
    errors and their line numbers are those of a single process, in input order."""
    lines = [
        json.dumps({"id": n, "text": f"@NorthwindLabs any update on application {n}?"})
        for n in range(3000)
    ]
    lines[1234] = "{broken"
    lines[2900] = json.dumps({"id": 2900, "text": 7})
    data = "\n".join(lines) + "\n"
    pooled = _analyze(data, FULLCIRCLE_WORKERS="2")
    single = _analyze(data, FULLCIRCLE_WORKERS="1")
    assert pooled.returncode == single.returncode == 1
    assert pooled.stdout == single.stdout and pooled.stderr == single.stderr
    assert [json.loads(line)["id"] for line in pooled.stdout.splitlines()] == [
        n for n in range(3000) if n not in (1234, 2900)
    ]
    assert "line 1235: not JSON" in pooled.stderr and "line 2901:" in pooled.stderr
