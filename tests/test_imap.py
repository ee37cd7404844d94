"""The recruiting mailbox over IMAP, against a real Dovecot on 127.0.0.1 with appended mail.

Every test that stores posts runs on SQLite and PostgreSQL (the ``workspace`` fixture).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from connectors.base import NotConfiguredError, PlatformError
from connectors.imap_api import ImapAccount, ImapMailbox, imap_sources
from connectors.retry import RetryPolicy
from pipeline.sync import sync_source
from store.accounts import add_account
from store.schema import cases, posts, promises, sync_errors
from store.sync_state import get_state
from tests.support.imap_server import PASSWORD, SENT_FOLDER, Dovecot, dovecot_available, free_port
from tests.support.mails import (
    ANSWER,
    ANSWER_AT,
    APPLICATION,
    APPLIED_AT,
    AUTO_AT,
    AUTO_REPLY,
    CANDIDATE,
    CAREERS,
    NO_REPLY,
    mail,
)
from tests.support.rows import count_rows, table_rows

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def dovecot():
    if not dovecot_available():
        pytest.skip("Dovecot is not installed: apt-get install dovecot-imapd (make test does)")
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def user(dovecot):
    return dovecot.new_user()


@pytest.fixture
def ws(workspace):
    with workspace.engine.begin() as conn:
        add_account(conn, "email", CAREERS)
        add_account(conn, "email", NO_REPLY)
    return workspace


def mailbox(dovecot: Dovecot, user: str, password: str = PASSWORD, **options) -> ImapMailbox:
    account = ImapAccount(
        "127.0.0.1", user, password, dovecot.port, "false", options.pop("folders", ())
    )
    return ImapMailbox(account, RetryPolicy(attempts=2, sleep=lambda s: None), **options)


# ------------------------------------------------------------------ the candidate's story


def test_an_automatic_reply_is_a_promise_and_leaves_the_application_unanswered(ws, dovecot, user):
    dovecot.append(user, "INBOX", APPLICATION)
    dovecot.append(user, SENT_FOLDER, AUTO_REPLY)
    result = sync_source(ws, mailbox(dovecot, user))
    assert result.error is None and result.totals.new_posts == 2
    [case] = table_rows(ws, cases)
    assert case["author_id"] == CANDIDATE and case["first_response_at"] is None
    [promise] = table_rows(ws, promises)
    assert promise["to_author_id"] == CANDIDATE and promise["kept_at"] is None
    assert promise["due_at"] == AUTO_AT + timedelta(days=14)
    auto = table_rows(ws, posts, posts.c.external_id == "auto-1@northwind.example")[0]
    assert auto["is_brand"] and auto["is_auto_reply"]


def test_the_recruiters_answer_in_the_sent_folder_answers_and_keeps_the_promise(ws, dovecot, user):
    dovecot.append(user, "INBOX", APPLICATION)
    dovecot.append(user, SENT_FOLDER, AUTO_REPLY)
    sync_source(ws, mailbox(dovecot, user))
    dovecot.append(user, SENT_FOLDER, ANSWER)
    result = sync_source(ws, mailbox(dovecot, user))
    assert result.totals.new_posts == 1 and result.totals.cases_answered == 1
    [case] = table_rows(ws, cases)
    assert case["first_response_at"] == ANSWER_AT
    assert case["response_hours"] == pytest.approx(52.0)
    [promise] = table_rows(ws, promises)
    assert promise["kept_at"] == ANSWER_AT
    answer = table_rows(ws, posts, posts.c.external_id == "answer-1@northwind.example")[0]
    assert answer["is_brand"] and not answer["is_auto_reply"]
    assert answer["text"] == (
        "Hi Jan, the interviews are on 12 November. An invitation follows today."
    )  # the quoted application is not repeated


def test_a_second_sync_reads_nothing_and_no_mail_is_marked_read(ws, dovecot, user):
    dovecot.append(user, "INBOX", APPLICATION)
    dovecot.append(user, SENT_FOLDER, AUTO_REPLY, ANSWER)
    source = mailbox(dovecot, user)
    assert sync_source(ws, source).totals.read == 3
    again = sync_source(ws, source)
    assert again.error is None and again.totals.read == 0 and again.totals.new_posts == 0
    with ws.engine.connect() as conn:
        state = get_state(conn, source.name)
    assert state["items_read"] == 3
    assert state["cursor"] == {
        "folders": {
            "INBOX": {"uidvalidity": dovecot.uidvalidity(user, "INBOX"), "last_uid": 1},
            SENT_FOLDER: {"uidvalidity": dovecot.uidvalidity(user, SENT_FOLDER), "last_uid": 2},
        }
    }
    flags = dovecot.flags(user, "INBOX") + dovecot.flags(user, SENT_FOLDER)
    assert len(flags) == 3 and not any(b"\\Seen" in f for f in flags)


def test_a_changed_uidvalidity_reads_the_folder_again_without_duplicates(ws, dovecot, user):
    dovecot.append(user, "INBOX", APPLICATION)
    dovecot.append(user, SENT_FOLDER, AUTO_REPLY)
    source = mailbox(dovecot, user)
    sync_source(ws, source)
    before = dovecot.uidvalidity(user, SENT_FOLDER)
    dovecot.recreate(user, SENT_FOLDER)
    dovecot.append(user, SENT_FOLDER, ANSWER)
    assert dovecot.uidvalidity(user, SENT_FOLDER) != before
    result = sync_source(ws, source)
    assert result.error is None
    assert (result.totals.read, result.totals.new_posts, result.totals.duplicates) == (2, 1, 1)
    assert count_rows(ws, posts) == 3
    [case] = table_rows(ws, cases)
    assert case["first_response_at"] == ANSWER_AT
    with ws.engine.connect() as conn:
        cursor = get_state(conn, source.name)["cursor"]
    assert cursor["folders"][SENT_FOLDER] == {
        "uidvalidity": dovecot.uidvalidity(user, SENT_FOLDER),
        "last_uid": 2,
    }


# ------------------------------------------------------------------ bad and unwanted mail


def test_a_malformed_message_is_recorded_and_the_others_are_stored(ws, dovecot, user):
    broken = (
        b"From: Someone <someone@example.org>\r\nSubject: hello\r\n"
        b"Message-ID: <broken-1@example.org>\r\nDate: the day after tomorrow\r\n\r\nhi\r\n"
    )
    chase = mail(
        CANDIDATE,
        CAREERS,
        "Any update?",
        "Any update on my application?",
        APPLIED_AT + timedelta(days=8),
        "chase-1@mail.example.com",
    )
    dovecot.append(user, "INBOX", APPLICATION, broken, chase)
    source = mailbox(dovecot, user)
    result = sync_source(ws, source)
    assert result.error is None and result.totals.problems == 1
    assert count_rows(ws, posts) == 2
    [error] = table_rows(ws, sync_errors)
    assert error["item_id"] == "INBOX UID 2" and "no readable Date" in error["reason"]
    assert sync_source(ws, source).totals.problems == 0  # skipped, not read again


def test_bounces_are_ignored_and_are_not_problems(ws, dovecot, user):
    report = (  # as Postfix sends it
        b"From: MAILER-DAEMON@mx.example.com (Mail Delivery System)\r\n"
        b"Subject: Undelivered Mail Returned to Sender\r\nTo: careers@northwind.example\r\n"
        b"Date: Mon, 2 Nov 2026 10:01:00 +0000\r\nMessage-Id: <bounce-1@mx.example.com>\r\n"
        b"Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"\r\n\r\n'
        b"--B1\r\nContent-Type: text/plain\r\n\r\nThis is the mail system at host "
        b"mx.example.com.\r\n--B1\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.com\r\n\r\nFinal-Recipient: rfc822; x@example.com"
        b"\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--B1--\r\n"
    )
    failed = mail(
        "Mail Gateway <gateway@northwind.example>",
        CAREERS,
        "Delivery failure",
        "Your message could not be delivered.",
        AUTO_AT,
        "bounce-2@northwind.example",
        X_Failed_Recipients="nobody@example.com",
    )
    dovecot.append(user, "INBOX", APPLICATION, report, failed)
    source = mailbox(dovecot, user)
    result = sync_source(ws, source)
    assert result.totals.new_posts == 1 and count_rows(ws, posts) == 1
    assert result.totals.problems == 0 and table_rows(ws, sync_errors) == []
    with ws.engine.connect() as conn:
        assert get_state(conn, source.name)["items_read"] == 3


# ------------------------------------------------------------------ chunks and cursors


def test_each_chunk_carries_its_cursor_so_an_interrupted_sync_resumes(ws, dovecot, user):
    dovecot.append(
        user,
        "INBOX",
        *[
            mail(
                f"c{i}@example.com",
                CAREERS,
                f"Question {i}",
                "When do interviews start?",
                APPLIED_AT + timedelta(hours=i),
                f"q{i}@example.com",
            )
            for i in range(7)
        ],
    )
    source = mailbox(dovecot, user, chunk_messages=3)
    batches = source.fetch(None)
    first = next(batches)
    assert len(first.posts) == 3 and first.items_read == 3
    assert first.cursor["folders"]["INBOX"]["last_uid"] == 3
    ws.ingest().batch(first)  # posts and cursor committed together
    batches.close()  # ... and then the worker dies
    result = sync_source(ws, source)
    assert (result.totals.read, result.totals.new_posts) == (4, 4)
    assert count_rows(ws, posts) == 7


def test_without_a_sent_folder_the_inbox_is_read_and_the_gap_reported(ws, dovecot):
    user = dovecot.new_user(with_sent_folder=False)
    dovecot.append(user, "INBOX", APPLICATION)
    result = sync_source(ws, mailbox(dovecot, user))
    assert result.error is None and result.totals.new_posts == 1
    [error] = table_rows(ws, sync_errors)
    assert "no sent folder found" in error["reason"] and "IMAP_FOLDERS" in error["reason"]


def test_configured_folders_are_read_and_a_missing_one_is_named(ws, dovecot, user):
    dovecot.append(user, "INBOX", APPLICATION)
    dovecot.append(user, SENT_FOLDER, ANSWER)
    settings = {
        "IMAP_HOST": "127.0.0.1",
        "IMAP_PORT": str(dovecot.port),
        "IMAP_USER": user,
        "IMAP_PASSWORD": PASSWORD,
        "IMAP_SSL": "false",
        "IMAP_FOLDERS": "INBOX, Sent",
    }
    [wrong] = imap_sources(settings)
    result = sync_source(ws, wrong)
    assert "'Sent'" in result.error and f"INBOX, {SENT_FOLDER}" in result.error
    [right] = imap_sources({**settings, "IMAP_FOLDERS": f"{SENT_FOLDER},INBOX"})
    assert sync_source(ws, right).error is None
    assert [c["first_response_at"] for c in table_rows(ws, cases)] == [ANSWER_AT]


# ------------------------------------------------------------------ connection and login


def test_a_wrong_password_is_a_sync_error_that_never_shows_the_password(ws, dovecot, user):
    secret = "Wr0ng-but-secret-pw"
    result = sync_source(ws, mailbox(dovecot, user, password=secret))
    assert "refused" in result.error and "IMAP_PASSWORD" in result.error
    [error] = table_rows(ws, sync_errors)
    assert secret not in error["reason"] and secret not in result.error
    assert count_rows(ws, posts) == 0


def test_an_unreachable_server_is_a_platform_error_after_bounded_retries():
    slept: list[float] = []
    account = ImapAccount("127.0.0.1", CAREERS, "pw-never-shown", free_port(), "false", timeout=5)
    source = ImapMailbox(account, RetryPolicy(attempts=3, sleep=slept.append))
    with pytest.raises(PlatformError, match="unreachable") as caught:
        list(source.fetch(None))
    assert len(slept) == 2 and "pw-never-shown" not in str(caught.value)


@pytest.mark.parametrize("tls", ["true", "starttls"])
def test_tls_and_starttls_verify_the_server_certificate(dovecot, user, tls):
    dovecot.append(user, "INBOX", APPLICATION)
    port = dovecot.tls_port if tls == "true" else dovecot.port
    trusted = ImapAccount("127.0.0.1", user, PASSWORD, port, tls, ssl_context=dovecot.tls_context())
    [batch, _sent] = list(ImapMailbox(trusted).fetch(None))
    assert [p.external_id for p in batch.posts] == ["app-1@mail.example.com"]
    untrusted = ImapAccount("127.0.0.1", user, PASSWORD, port, tls)
    with pytest.raises(PlatformError, match="TLS with IMAP server"):
        list(ImapMailbox(untrusted).fetch(None))


# ------------------------------------------------------------------ settings


def test_settings_make_one_source_named_after_the_mailbox_and_hide_the_password():
    assert imap_sources({}) == [] and imap_sources({"IMAP_HOST": " "}) == []
    [source] = imap_sources(
        {
            "IMAP_HOST": "imap.northwind.example",
            "IMAP_USER": CAREERS,
            "IMAP_PASSWORD": "hunter2-secret",
            "IMAP_FOLDERS": "INBOX,Sent",
        }
    )
    assert source.name == f"email:imap:{CAREERS}@imap.northwind.example"
    assert source.account.address == "imap.northwind.example:993"
    assert source.account.folders == ("INBOX", "Sent")
    assert "hunter2-secret" not in repr(source)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"IMAP_USER": CAREERS}, "IMAP_PASSWORD is not"),
        ({"IMAP_PASSWORD": "x"}, "IMAP_USER is not"),
        ({"IMAP_USER": CAREERS, "IMAP_PASSWORD": "x", "IMAP_SSL": "maybe"}, "IMAP_SSL must be"),
        ({"IMAP_USER": CAREERS, "IMAP_PASSWORD": "x", "IMAP_SSL": "false"}, "unencrypted"),
        ({"IMAP_USER": CAREERS, "IMAP_PASSWORD": "x", "IMAP_PORT": "imaps"}, "IMAP_PORT must be"),
    ],
)
def test_incomplete_or_unsafe_settings_are_refused_by_name(values, message):
    with pytest.raises(NotConfiguredError, match=message):
        imap_sources({"IMAP_HOST": "imap.northwind.example", **values})
