"""Importing mbox files and Maildir directories, written by the stdlib ``mailbox`` module."""

from __future__ import annotations

import json
import mailbox
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from connectors.base import Batch
from connectors.files import ImportFormatError, import_batches
from connectors.mail import link_subject_replies
from connectors.mailbox_files import read_maildir, read_mbox
from store.accounts import add_account
from store.schema import cases, posts, promises, sync_errors
from tests.support.mails import (
    ANSWER,
    ANSWER_AT,
    APPLICATION,
    APPLIED_AT,
    AUTO_REPLY,
    CANDIDATE,
    CAREERS,
    NO_REPLY,
    mail,
)
from tests.support.rows import table_rows

BOUNCE = (
    b"From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\r\n"
    b"To: careers@northwind.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
    b"Date: Mon, 2 Nov 2026 10:05:00 +0000\r\nMessage-ID: <b1@mx.example.com>\r\n\r\n"
    b"Could not deliver.\r\n"
)
BROKEN = (
    b"From: Someone <someone@example.org>\r\nSubject: hi\r\n"
    b"Message-ID: <broken@example.org>\r\n\r\nA mail without a date.\r\n"
)


@pytest.fixture
def ws(workspace):
    with workspace.engine.begin() as conn:
        add_account(conn, "email", CAREERS)
        add_account(conn, "email", NO_REPLY)
    return workspace


def write_mbox(path: Path, *messages: bytes) -> Path:
    box = mailbox.mbox(path, create=True)
    for message in messages:
        box.add(message)
    box.close()
    return path


def write_maildir(path: Path, *messages: bytes) -> mailbox.Maildir:
    box = mailbox.Maildir(path, create=True)
    for message in messages:
        box.add(message)
    return box


def batches(reader: Callable, path: Path, source: str) -> Iterator[Batch]:
    """What ``files.import_batches`` makes of a reader (one batch per message here)."""
    for found, problems in reader(path, source):
        yield Batch(source, found, None, problems, items_read=len(found))


# ------------------------------------------------------------------ mbox


def test_an_mbox_imports_the_conversation_its_case_and_kept_promise(ws, tmp_path):
    path = write_mbox(tmp_path / "careers.mbox", APPLICATION, AUTO_REPLY, BOUNCE, ANSWER)
    totals = ws.ingest().run(batches(read_mbox, path, "import:mbox"))
    assert (totals.new_posts, totals.problems) == (3, 0)
    assert {p["external_id"]: p["is_brand"] for p in table_rows(ws, posts)} == {
        "app-1@mail.example.com": False,
        "auto-1@northwind.example": True,
        "answer-1@northwind.example": True,
    }
    [case] = table_rows(ws, cases)
    assert case["author_id"] == CANDIDATE and case["first_response_at"] == ANSWER_AT
    [promise] = table_rows(ws, promises)
    assert promise["kept_at"] == ANSWER_AT


def test_importing_the_same_mbox_again_adds_nothing(ws, tmp_path):
    path = write_mbox(tmp_path / "careers.mbox", APPLICATION, AUTO_REPLY, ANSWER)
    ws.ingest().run(batches(read_mbox, path, "import:mbox"))
    again = ws.ingest().run(batches(read_mbox, path, "import:mbox"))
    assert (again.new_posts, again.duplicates) == (0, 3)
    assert len(table_rows(ws, posts)) == 3 and len(table_rows(ws, cases)) == 1


def test_a_broken_mbox_message_is_reported_by_position_and_the_rest_kept(ws, tmp_path):
    path = write_mbox(tmp_path / "careers.mbox", APPLICATION, BROKEN, ANSWER)
    totals = ws.ingest().run(batches(read_mbox, path, "import:mbox"))
    assert (totals.new_posts, totals.problems) == (2, 1)
    [error] = table_rows(ws, sync_errors)
    assert error["reason"] == "message 2: message broken@example.org has no readable Date"
    assert error["source"] == "import:mbox"


def test_a_file_that_is_not_an_mbox_is_refused_before_anything_is_stored(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"data": []}), encoding="utf-8")
    with pytest.raises(ImportFormatError, match="not an mbox file"):
        list(read_mbox(path, "import:mbox"))


# ------------------------------------------------------------------ Maildir


def test_a_maildir_and_its_sent_subfolder_import_as_one_conversation(ws, tmp_path):
    inbox = write_maildir(tmp_path / "Maildir", APPLICATION, BOUNCE)
    sent = inbox.add_folder("Sent")
    sent.add(AUTO_REPLY)
    sent.add(ANSWER)
    first = ws.ingest().run(batches(read_maildir, tmp_path / "Maildir", "import:maildir"))
    assert first.new_posts == 1  # the Sent subfolder is not walked: drafts live beside it
    second = ws.ingest().run(
        batches(read_maildir, tmp_path / "Maildir" / ".Sent", "import:maildir")
    )
    assert second.new_posts == 2 and second.cases_answered == 1
    [case] = table_rows(ws, cases)
    assert case["first_response_at"] == ANSWER_AT


def test_reimporting_a_maildir_adds_nothing_and_reports_a_broken_file(ws, tmp_path):
    box = write_maildir(tmp_path / "Maildir", APPLICATION, ANSWER)
    broken_key = box.add(BROKEN)
    ws.ingest().run(batches(read_maildir, tmp_path / "Maildir", "import:maildir"))
    again = ws.ingest().run(batches(read_maildir, tmp_path / "Maildir", "import:maildir"))
    assert (again.new_posts, again.duplicates) == (0, 2)
    reasons = [e["reason"] for e in table_rows(ws, sync_errors)]
    assert (
        reasons
        == [f"message file {broken_key}: message broken@example.org has no readable Date"] * 2
    )
    assert len(table_rows(ws, posts)) == 2


def test_a_directory_that_is_not_a_maildir_is_refused_by_name(tmp_path):
    (tmp_path / "cur").mkdir()
    with pytest.raises(ImportFormatError, match="has no new, tmp subdirectory"):
        list(read_maildir(tmp_path, "import:maildir"))


# ------------------------------------------------------------------ subject fallback in ingest


def test_a_brand_reply_without_threading_headers_answers_once_linked_by_subject(ws, tmp_path):
    bare_answer = mail(
        CAREERS,
        CANDIDATE,
        "Re: Application backend engineer",
        "Hi Jan, the interviews are on 12 November.",
        ANSWER_AT,
        "answer-2@northwind.example",
    )
    path = write_mbox(tmp_path / "careers.mbox", APPLICATION, bare_answer)
    found = [post for batch in batches(read_mbox, path, "import:mbox") for post in batch.posts]
    assert found[1].reply_to == ()
    linked = link_subject_replies(sorted(found, key=lambda p: p.created_at), [CAREERS, NO_REPLY])
    ws.ingest().batch(Batch("import:mbox", linked, items_read=len(linked)))
    [case] = table_rows(ws, cases)
    assert case["opened_at"] == APPLIED_AT and case["first_response_at"] == ANSWER_AT
    assert {p["thread_key"] for p in table_rows(ws, posts)} == {"app-1@mail.example.com"}


def test_nul_characters_and_undecodable_bytes_are_stored_cleanly(ws, tmp_path):
    """PostgreSQL refuses NUL characters and lone surrogates; one such mail must not stop an
    import (or a sync chunk) for everyone else."""
    dirty = (
        b"From: J\xf6rg <jorg@example.de>\r\nTo: careers@northwind.example\r\n"
        b"Subject: Bewerbung K\xf6ln\r\nMessage-ID: <dirty@example.de>\r\n"
        b"Date: Mon, 2 Nov 2026 10:00:00 +0000\r\n"
        b"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
        b"Content-Type: text/plain\r\n\r\nMein Lebenslauf.\r\n--B\r\n"
        b"Content-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="CV\xff.pdf"\r\n\r\nx\r\n--B--\r\n'
    )
    nul = mail(
        CANDIDATE,
        CAREERS,
        "Question",
        "When is the interview?\x00\x00 Thanks",
        APPLIED_AT,
        "nul@mail.example.com",
    )
    path = write_mbox(tmp_path / "careers.mbox", dirty, nul)
    totals = ws.ingest().run(batches(read_mbox, path, "import:mbox"))
    assert (totals.new_posts, totals.problems) == (2, 0)
    stored = {p["external_id"]: p for p in table_rows(ws, posts)}
    assert stored["nul@mail.example.com"]["text"] == "When is the interview? Thanks"
    assert stored["dirty@example.de"]["subject"] == "Bewerbung Köln"  # read as Windows-1252
    assert stored["dirty@example.de"]["raw"]["attachments"] == ["CV\ufffd.pdf"]


def test_ingest_links_a_bare_re_mail_from_the_sent_folder_to_the_stored_application(ws, tmp_path):
    """Inbox and sent folder arrive as separate batches: ingest finds the application in the
    store by subject and people."""
    bare_answer = mail(
        CAREERS,
        CANDIDATE,
        "Re: Application backend engineer",
        "Hi Jan, the interviews are on 12 November.",
        ANSWER_AT,
        "answer-3@northwind.example",
    )
    inbox = write_mbox(tmp_path / "inbox.mbox", APPLICATION)
    sent = write_mbox(tmp_path / "sent.mbox", bare_answer)
    for path in (inbox, sent):
        ws.ingest().run(import_batches(path, "mbox"))
    [case] = table_rows(ws, cases)
    assert case["first_response_at"] == ANSWER_AT
