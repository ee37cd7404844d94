"""No field of an imported post is unbounded: a 1 MB+ text is cut to 64 KB with a problem.

A valid file can hold a 200 MB post: it used to be stored whole (420 MB of database with its raw
payload) and then broke the Conversation page. Every import format is checked here with a text
over 1 MB (multi-byte characters, so the cut must land between characters) and, where the
format has them, an author, ids, a URL, a title or subject and a References chain far over any
real value. The post is kept, cut, and the cut is recorded as a problem of the import.
"""

from __future__ import annotations

import json
import mailbox
from datetime import UTC, datetime
from pathlib import Path

import pytest

from connectors.base import clean_raw, post_text
from connectors.files import import_batches
from store.schema import posts, sync_errors
from tests.support.mails import CAREERS, mail
from tests.support.rows import table_rows
from tests.support.x_pages import snowflake

# The caps the README documents (Import formats).
MAX_TEXT_BYTES = 64 * 1024  # a post's text, in UTF-8 bytes
MAX_ID = 255  # ids, authors, names, thread keys
MAX_URL = 2048
MAX_SUBJECT = 1000  # a Reddit title, a mail subject
MAX_REFERENCES = 100  # ids a mail answers (its References chain)
AT = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
BIG = ("Any update on my application? 面接はいつですか 😊\n" * 40_000)[:1_200_000]
LONG = "ö" + "n" * 20_000  # an author, id, URL or title no platform would send


def _twarc2(tmp_path: Path) -> Path:
    tweet = {
        "id": snowflake(AT),
        "author_id": LONG,
        "text": BIG,
        "created_at": "2026-11-02T10:00:00.000Z",
        "conversation_id": LONG + "c",
        "in_reply_to_user_id": LONG + "u",
        "referenced_tweets": [{"type": "replied_to", "id": LONG + "p"}],
    }
    users = [{"id": LONG, "username": LONG, "name": LONG}]
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"data": [tweet], "includes": {"users": users}}) + "\n")
    return path


def _reddit(tmp_path: Path) -> Path:
    data = {
        "name": "t3_" + LONG,
        "author": LONG,
        "author_fullname": "t2_" + LONG,
        "title": LONG,
        "selftext": BIG,
        "permalink": "/r/cscareerquestions/comments/" + LONG,
        "created_utc": AT.timestamp(),
    }
    listing = {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": data}]}}
    path = tmp_path / "thread.json"
    path.write_text(json.dumps([listing]))
    return path


def _mastodon(tmp_path: Path) -> Path:
    author = {"id": LONG, "acct": LONG, "display_name": LONG[:300]}
    toot = {
        "id": LONG,
        "created_at": "2026-11-02T10:00:00.000Z",
        "content": f"<p>{BIG}</p>",
        "in_reply_to_id": LONG + "p",
        "url": "https://" + LONG[:3000],
        "account": author,
    }
    path = tmp_path / "mastodon.jsonl"
    path.write_text(json.dumps([toot]) + "\n", encoding="utf-8")
    return path


def _csv(tmp_path: Path) -> Path:
    row = ["x", LONG, LONG + "p", LONG + "t", LONG, "2026-11-02T10:00:00Z", BIG, "https://" + LONG]
    path = tmp_path / "posts.csv"
    header = "platform,id,parent_id,thread_id,author,created_at,text,url\n"
    path.write_text(header + ",".join(f'"{value}"' for value in row) + "\n", encoding="utf-8")
    return path


def _message() -> bytes:
    references = " ".join(f"<ref-{n}@mail.example.com>" for n in range(2_000))
    return mail(
        f"{LONG[:5000]} <jan@example.com>",
        CAREERS,
        LONG,
        BIG,
        AT,
        "big-1@mail.example.com",
        References=references,
    )


def _mbox(tmp_path: Path) -> Path:
    box = mailbox.mbox(tmp_path / "inbox.mbox", create=True)
    box.add(_message())
    box.close()
    return tmp_path / "inbox.mbox"


def _maildir(tmp_path: Path) -> Path:
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    box.add(_message())
    return tmp_path / "Maildir"


FILES = {
    "twarc2": _twarc2,
    "reddit-json": _reddit,
    "mastodon": _mastodon,
    "csv": _csv,
    "mbox": _mbox,
    "maildir": _maildir,
}


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_strings(v)]]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize("file_format", sorted(FILES))
def test_a_1mb_post_is_kept_cut_to_64kb_and_the_cut_is_a_problem(workspace, tmp_path, file_format):
    path = FILES[file_format](tmp_path)
    totals = workspace.ingest().run(import_batches(path, file_format))
    [row] = table_rows(workspace, posts)
    stored = row["text"].encode("utf-8")
    assert totals.new_posts == 1
    assert MAX_TEXT_BYTES - 4 < len(stored) <= MAX_TEXT_BYTES == 64 * 1024
    assert BIG.startswith(row["text"].split("\n\n", 1)[-1])  # after a Reddit title
    for column in ("external_id", "author_id", "author_handle", "author_name", "thread_key"):
        assert len(row[column] or "") <= MAX_ID, column
    assert len(row["parent_external_id"] or "") <= MAX_ID
    assert row["url"] is None or len(row["url"]) <= MAX_URL
    assert len(row["subject"] or "") <= MAX_SUBJECT
    assert len((row["reply_to"] or "").split()) <= MAX_REFERENCES
    assert all(len(s) <= MAX_TEXT_BYTES for s in _strings(row["raw"]))
    assert len(json.dumps(row["raw"])) < 4 * MAX_TEXT_BYTES
    reasons = [r["reason"] for r in table_rows(workspace, sync_errors)]
    assert any("text cut to its first 64 KB" in reason for reason in reasons), reasons


def test_a_cut_never_halves_a_character():
    """64 KB of UTF-8 may end inside an emoji or a CJK character; the cut goes before it."""
    for filler in ("a", "ab", "abc"):
        text = filler + "😊" * 20_000
        kept, notes = post_text(text)
        assert text.startswith(kept) and len(kept.encode()) > MAX_TEXT_BYTES - 4
        assert len(kept.encode()) <= MAX_TEXT_BYTES and len(notes) == 1
    exact = "a" * (MAX_TEXT_BYTES - 3) + "面"
    assert post_text(exact) == (exact, ())


def test_a_raw_payload_keeps_short_strings_and_a_huge_one_becomes_a_note():
    payload = {"id": "1", "text": "n" * 100_000, "lang": "en"}
    assert clean_raw(payload) == {"id": "1", "text": "n" * MAX_TEXT_BYTES, "lang": "en"}
    small = {"id": "1", "entities": {"mentions": [{"username": "sam"}]}}
    assert clean_raw(small) is small  # nothing to change: the same object, no copy
    huge = {"id": "1", "entities": {"urls": [{"url": "https://t.co/" + "x" * 1000}] * 1000}}
    assert list(clean_raw(huge)) == ["not_kept"]
    assert "over 262,144" in clean_raw(huge)["not_kept"]
