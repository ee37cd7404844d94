"""E-mail mapping, pure: threading, automatic replies, bounces, bodies, headers, charsets."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors.base import MalformedPayloadError
from connectors.mail import (
    EarlierMail,
    IgnoredMessage,
    fallback_thread_key,
    html_to_text,
    is_reply_subject,
    link_subject_replies,
    normalise_subject,
    post_from_message,
    strip_quoted,
)

CANDIDATE = "jan.jansen@example.com"
CAREERS = "careers@northwind.example"
RECRUITER = "petra@northwind.example"
BRAND = {CAREERS, RECRUITER, "no-reply@northwind.example"}


def raw(
    *headers: str,
    body: str | bytes = "Hello, when are the interviews?",
    content_type: str = "text/plain; charset=utf-8",
) -> bytes:
    """A message from header lines; From, Date and Message-ID are added unless given."""
    names = {h.split(":", 1)[0].lower() for h in headers}
    defaults = {
        "from": f"From: Jan Jansen <{CANDIDATE}>",
        "to": f"To: {CAREERS}",
        "date": "Date: Mon, 02 Nov 2026 10:00:00 +0100",
        "message-id": "Message-ID: <m1@mail.example.com>",
        "content-type": f"Content-Type: {content_type}",
    }
    lines = [*headers, *(line for name, line in defaults.items() if name not in names)]
    body_bytes = body if isinstance(body, bytes) else body.encode("utf-8")
    return "\r\n".join(lines).encode("utf-8") + b"\r\n\r\n" + body_bytes


# ------------------------------------------------------------------ threading headers


def test_a_reply_answers_its_whole_references_chain_in_the_roots_thread():
    post = post_from_message(
        raw(
            "Message-ID: <m3@x.example>",
            "References: <m1@x.example> <m2@x.example>",
            "In-Reply-To: <m2@x.example>",
        )
    )
    assert post.reply_to == ("m1@x.example", "m2@x.example")
    assert post.thread_key == "m1@x.example" and post.parent_external_id == "m2@x.example"


def test_in_reply_to_alone_threads_the_reply():
    post = post_from_message(raw("Message-ID: <m2@x.example>", "In-Reply-To: <m1@x.example>"))
    assert post.reply_to == ("m1@x.example",) and post.thread_key == "m1@x.example"


def test_a_new_mail_is_its_own_thread_with_time_in_utc():
    post = post_from_message(raw("Subject: Application backend engineer"))
    assert post.thread_key == post.external_id == "m1@mail.example.com"
    assert post.reply_to == () and post.parent_external_id is None
    assert post.created_at == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    assert post.author_id == CANDIDATE and post.author_name == "Jan Jansen"
    assert post.recipients == (CAREERS,) and not post.is_auto_reply


# ------------------------------------------------------------------ automatic replies


@pytest.mark.parametrize(
    "header",
    [
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated",
        "X-Autoreply: yes",
        "X-Autorespond: Thank you",
        "Precedence: auto_reply",
        "From: Northwind Labs <no-reply@northwind.example>",
        "From: Jobs <noreply@jobs.northwind.example>",
        "From: donotreply@ats.example",
        "From: do-not-reply@ats.example",
        "Subject: Automatic reply: Application",
        "Subject: Out of Office: Application",
        "Subject: Abwesenheitsnotiz: Bewerbung",
        "Subject: Automatisch antwoord: Sollicitatie",
    ],
)
def test_automatic_replies_are_flagged(header):
    assert post_from_message(raw(header)).is_auto_reply


@pytest.mark.parametrize(
    "header",
    [
        "Auto-Submitted: no",
        "Precedence: bulk",
        "Subject: Re: Automation engineer role",
        "From: Reply Team <reply@northwind.example>",
    ],
)
def test_ordinary_mails_are_not_automatic(header):
    assert not post_from_message(raw(header)).is_auto_reply


def test_a_recruiters_own_promise_is_an_answer_not_an_automatic_reply():
    post = post_from_message(
        raw(
            f"From: {RECRUITER}",
            "In-Reply-To: <m0@x.example>",
            body="Thanks Jan! We'll get back to you within a week.",
        )
    )
    assert not post.is_auto_reply and post.reply_to == ("m0@x.example",)


# ------------------------------------------------------------------ bounces


@pytest.mark.parametrize(
    "headers",
    [
        ("From: MAILER-DAEMON@mx.example.com (Mail Delivery System)",),
        ("From: Postmaster <postmaster@northwind.example>",),
        ("From: gateway@northwind.example", "X-Failed-Recipients: x@example.com"),
        ("Content-Type: multipart/report; report-type=delivery-status; boundary=B",),
    ],
)
def test_bounces_are_ignored(headers):
    with pytest.raises(IgnoredMessage):
        post_from_message(
            raw(*headers, body="--B\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--B--\r\n")
        )


def test_a_delivery_status_part_inside_a_mixed_mail_is_a_bounce():
    body = (
        "--B\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n--B\r\n"
        "Content-Type: message/delivery-status\r\n\r\nAction: failed\r\n\r\n--B--\r\n"
    )
    with pytest.raises(IgnoredMessage):
        post_from_message(
            raw("From: relay@mx.example.com", content_type="multipart/mixed; boundary=B", body=body)
        )


# ------------------------------------------------------------------ bodies

OUTLOOK_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style><!-- p.MsoNormal {margin:0cm; font-family:"Calibri";} --></style>
<!--[if gte mso 9]><xml><o:shapedefaults v:ext="edit" spidmax="1026" /></xml><![endif]-->
</head><body lang="EN-US"><div class="WordSection1">
<p class="MsoNormal">Dear Jan,<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p>
<p class="MsoNormal">Thank you for applying for the <b>Backend&nbsp;Engineer</b> role.
We&#8217;ll get back to you within two weeks. Next steps:<o:p></o:p></p>
<ul><li>CV review &amp; a short call</li><li>An <a href="https://northwind.example/x">interview</a>
</li></ul>
<p class="MsoNormal">Kind regards,<br>Petra<o:p></o:p></p>
<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">
<p class="MsoNormal"><b>From:</b> Jan Jansen &lt;jan.jansen@example.com&gt;<br>
<b>Sent:</b> Monday, 2 November 2026 10:00<br><b>To:</b> Careers<br>
<b>Subject:</b> Application backend engineer</p></div>
<p class="MsoNormal">Hello, when are the interviews?</p></div></body></html>"""


def test_outlook_html_only_mail_becomes_clean_text_without_the_quoted_mail():
    post = post_from_message(
        raw(f"From: {RECRUITER}", body=OUTLOOK_HTML, content_type="text/html; charset=utf-8")
    )
    assert post.text == (
        "Dear Jan,\n\nThank you for applying for the Backend Engineer role. "
        "We\u2019ll get back to you within two weeks. Next steps:\n\n"
        "- CV review & a short call\n- An interview\n\nKind regards,\nPetra"
    )


def test_gmail_html_keeps_the_new_text_and_drops_the_quote():
    markup = (
        '<div dir="ltr">Thanks, see you on <i>Monday</i>!<div><br></div></div><br>'
        '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, 2 Nov 2026 '
        "at 10:00, Petra &lt;petra@northwind.example&gt; wrote:<br></div>"
        '<blockquote class="gmail_quote">Can you <div>come</div> Monday?</blockquote>'
        "</div><script>alert(1)</script>"
    )
    assert html_to_text(markup) == "Thanks, see you on Monday!"


def test_the_plain_part_is_preferred_over_html():
    body = (
        "--A\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlain words\r\n"
        "--A\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Rich words</p>\r\n--A--\r\n"
    )
    post = post_from_message(raw(content_type="multipart/alternative; boundary=A", body=body))
    assert post.text == "Plain words"


def test_attachments_are_listed_by_name_and_never_stored():
    body = (
        "--M\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease find my CV attached."
        "\r\n--M\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        'Content-Disposition: attachment; filename="CV Jan Jansen.pdf"\r\n\r\n'
        "JVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoKPDwvTGVuZ3RoIDMgMCBSPj4Kc3RyZWFtCg==\r\n"
        "--M\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename*=utf-8''Zeugnis%20M%C3%BCller.pdf\r\n\r\n"
        "JVBERi0xLjQK\r\n--M\r\nContent-Type: image/png\r\nContent-Disposition: attachment"
        "\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--M--\r\n"
    )
    post = post_from_message(raw(content_type="multipart/mixed; boundary=M", body=body))
    assert post.text == "Please find my CV attached."
    assert post.raw["attachments"] == ["CV Jan Jansen.pdf", "Zeugnis Müller.pdf", "image/png"]
    stored = json.dumps(post.raw)
    assert "JVBERi0" not in stored and "iVBORw0KGgo" not in stored


@pytest.mark.parametrize("others", [1, 40])
def test_every_recipient_is_kept_in_a_short_and_in_a_long_address_list(others):
    """A To of many recipients (past the length whose parse is remembered) reads as a short
    one does, and a second mail with the same headers reads the same."""
    crowd = [f"Person {n} <person.{n}@example.com>" for n in range(others)]
    headers = (
        f"To: {', '.join([CAREERS, *crowd])}",
        f'Cc: "Vries, Petra de" <{RECRUITER}>',
    )
    first = post_from_message(raw(*headers))
    again = post_from_message(raw(*headers, "Message-ID: <m2@mail.example.com>"))
    expected = (CAREERS, *(f"person.{n}@example.com" for n in range(others)), RECRUITER)
    assert first.recipients == expected
    assert first.recipients == again.recipients
    assert (first.author_id, first.author_name) == (CANDIDATE, "Jan Jansen")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Yes, Monday works.\n\nOn Mon, 2 Nov 2026 at 10:00, Northwind Labs Careers <\n"
            "careers@northwind.example> wrote:\n> Can you come on Monday?\n>\n> Petra",
            "Yes, Monday works.",
        ),
        (
            "Ja, gerne.\n\nAm Mo., 2. Nov. 2026 um 10:00 Uhr schrieb Petra <p@n.example>:\n> Termin?",
            "Ja, gerne.",
        ),
        ("Prima!\n\nOp ma 2 nov 2026 om 10:00 schreef Petra <p@n.example>:\n> Maandag?", "Prima!"),
        (
            "Works for me.\n\n-----Original Message-----\nFrom: Petra\nSent: Monday\n\nCan you come?",
            "Works for me.",
        ),
        (
            "Works for me.\n\n________________________________\nFrom: Petra <p@n.example>\n"
            "Sent: Monday, 2 November 2026 10:00\nSubject: Interview\n\nCan you come?",
            "Works for me.",
        ),
        (
            "On Mon, 2 Nov 2026, Petra wrote:\n> Can you come on Monday?\n\nYes, I can.",
            "Yes, I can.",
        ),
    ],
)
def test_quoted_text_is_stripped(text, expected):
    assert strip_quoted(text) == expected


def test_a_forwarded_mail_is_kept_whole():
    text = "From: Jan <jan@example.com>\nSent: Monday\nSubject: CV\n\nMy CV for the role."
    assert strip_quoted(text) == text


# ------------------------------------------------------------------ subject fallback


@pytest.mark.parametrize(
    ("subject", "normal", "is_reply"),
    [
        ("Re: Application backend engineer", "application backend engineer", True),
        ("AW: RE: [EXT] Application  Backend engineer", "application backend engineer", True),
        ("SV: Ansökan", "ansökan", True),
        ("Re[2]: hi", "hi", True),
        ("Antw: Sollicitatie", "sollicitatie", True),
        ("Fwd: Application", "application", False),
        ("Réunion mardi", "réunion mardi", False),
        ("Regarding: the role", "regarding: the role", False),
        (None, "", False),
    ],
)
def test_subjects_are_normalised_without_reply_and_forward_prefixes(subject, normal, is_reply):
    assert normalise_subject(subject) == normal
    assert is_reply_subject(subject) is is_reply


def test_the_fallback_key_is_the_same_for_both_directions_and_bounded():
    there = fallback_thread_key("Application backend engineer", [CANDIDATE, CAREERS])
    back = fallback_thread_key("RE: application  BACKEND engineer", [CAREERS.upper(), CANDIDATE])
    assert there == back and len(there) <= 255
    assert there != fallback_thread_key("Application backend engineer", ["x@example.com", CAREERS])
    assert there != fallback_thread_key("Application frontend engineer", [CANDIDATE, CAREERS])


def test_a_reply_without_threading_headers_is_threaded_by_subject_and_people():
    reply = post_from_message(
        raw(f"From: {CAREERS}", f"To: {CANDIDATE}", "Subject: Re: Application backend engineer")
    )
    assert reply.reply_to == ()
    assert reply.thread_key == fallback_thread_key(
        "Application backend engineer", [CANDIDATE, CAREERS]
    )


def _mail(message_id: str, sender: str, to: str, subject: str, at: datetime, *headers: str):
    return post_from_message(
        raw(
            f"Message-ID: <{message_id}>",
            f"From: {sender}",
            f"To: {to}",
            f"Subject: {subject}",
            f"Date: {at:%a, %d %b %Y %H:%M:%S} +0000",
            *headers,
        )
    )


MONDAY = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def test_a_brand_re_mail_answers_the_latest_earlier_mail_of_that_candidate():
    first = _mail("a1@x", CANDIDATE, CAREERS, "Application backend engineer", MONDAY)
    chase = _mail(
        "a2@x", CANDIDATE, CAREERS, "Re: Application backend engineer", MONDAY + timedelta(days=7)
    )
    answer = _mail(
        "b1@x", RECRUITER, CANDIDATE, "RE: Application backend engineer", MONDAY + timedelta(days=8)
    )
    later = _mail(
        "a3@x", CANDIDATE, CAREERS, "Application backend engineer", MONDAY + timedelta(days=9)
    )
    linked = link_subject_replies([first, chase, answer, later], BRAND)
    assert linked[2].reply_to == ("a2@x",) and linked[2].parent_external_id == "a2@x"
    assert linked[2].thread_key == chase.thread_key
    assert [linked[i] is p for i, p in enumerate([first, chase, answer, later])] == [
        True,
        True,
        False,
        True,
    ]


def test_subject_links_reach_mails_stored_before_the_batch():
    stored = EarlierMail("a1@x", CANDIDATE, "Application backend engineer", MONDAY, "a1@x")
    answer = _mail(
        "b1@x", CAREERS, CANDIDATE, "Re: Application backend engineer", MONDAY + timedelta(days=2)
    )
    [linked] = link_subject_replies([answer], BRAND, earlier=[stored])
    assert linked.reply_to == ("a1@x",) and linked.thread_key == "a1@x"


@pytest.mark.parametrize(
    "answer",
    [
        _mail(
            "b1@x", CAREERS, CANDIDATE, "Re: Application frontend engineer", MONDAY + timedelta(1)
        ),
        _mail(
            "b1@x",
            CAREERS,
            "someone@example.com",
            "Re: Application backend engineer",
            MONDAY + timedelta(1),
        ),
        _mail("b1@x", CAREERS, CANDIDATE, "Application backend engineer", MONDAY + timedelta(1)),
        _mail(
            "b1@x", CAREERS, CANDIDATE, "Re: Application backend engineer", MONDAY - timedelta(1)
        ),
        _mail(
            "b1@x",
            CAREERS,
            CANDIDATE,
            "Re: Application backend engineer",
            MONDAY + timedelta(1),
            "In-Reply-To: <other@x>",
        ),
        _mail(
            "b1@x",
            "friend@example.org",
            CANDIDATE,
            "Re: Application backend engineer",
            MONDAY + timedelta(1),
        ),
    ],
    ids=["other subject", "other person", "not a reply", "earlier", "has headers", "not brand"],
)
def test_subject_links_need_a_brand_re_mail_to_the_same_candidate_after_the_mail(answer):
    first = _mail("a1@x", CANDIDATE, CAREERS, "Application backend engineer", MONDAY)
    assert link_subject_replies([first, answer], BRAND)[1] is answer


def test_linked_brand_answers_keep_their_other_fields():
    first = _mail("a1@x", CANDIDATE, CAREERS, "Application backend engineer", MONDAY)
    answer = _mail(
        "b1@x", CAREERS, CANDIDATE, "Re: Application backend engineer", MONDAY + timedelta(days=1)
    )
    linked = link_subject_replies([answer, first], BRAND)[0]
    assert linked == replace(
        answer, reply_to=("a1@x",), parent_external_id="a1@x", thread_key="a1@x"
    )


# ------------------------------------------------------------------ broken and missing headers


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (("Message-ID: ",), "no usable Message-ID"),
        (("Message-ID: <" + "x" * 300 + "@example.com>",), "no usable Message-ID"),
        (("Date: ",), "no readable Date"),
        (("Date: next Tuesday",), "no readable Date"),
        (("From: ",), "without a usable From"),
        (("From: Jan Jansen",), "without a usable From"),
    ],
)
def test_missing_or_broken_headers_raise_malformed_payload(headers, reason):
    with pytest.raises(MalformedPayloadError, match=reason):
        post_from_message(raw(*headers))


def test_a_date_in_an_unknown_zone_is_read_as_utc():
    post = post_from_message(raw("Date: Mon, 02 Nov 2026 10:00:00 -0000"))
    assert post.created_at == datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


def test_encoded_words_in_headers_are_decoded():
    post = post_from_message(
        raw(
            "From: =?iso-8859-1?q?J=F6rg_M=FCller?= <jorg@example.de>",
            "Subject: =?utf-8?b?QmV3ZXJidW5nOiBFbnR3aWNrbGVyaW4gKG0vdy9kKQ==?="
            " =?utf-8?q?_=E2=80=93_K=C3=B6ln?=",
        )
    )
    assert post.author_name == "Jörg Müller"
    assert post.subject == "Bewerbung: Entwicklerin (m/w/d) – Köln"


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_raw_8bit_headers_are_read_as_utf8_or_windows_1252(encoding):
    message = raw(body="Hallo").replace(b"From: Jan Jansen", "From: Jörg Müller".encode(encoding))
    message = message.replace(b"To: ", "Subject: Grüße – Köln\r\nTo: ".encode(encoding), 1)
    post = post_from_message(message)
    assert (post.author_name, post.subject) == ("Jörg Müller", "Grüße – Köln")
    assert post.raw["headers"]["From"] == f"Jörg Müller <{CANDIDATE}>"


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("text/plain; charset=iso-8859-1", "Grüße aus Köln".encode("iso-8859-1"), "Grüße aus Köln"),
        (
            "text/plain; charset=windows-1252",
            "\u201cDank je\u201d \u2013 Jörg".encode("cp1252"),
            "\u201cDank je\u201d \u2013 Jörg",
        ),
        ("text/plain; charset=iso-2022-jp", "面接の日程".encode("iso-2022-jp"), "面接の日程"),
        ("text/plain; charset=koi8-r", "Здравствуйте".encode("koi8-r"), "Здравствуйте"),
        ("text/plain", "Ça va très bien".encode(), "Ça va très bien"),
        ("text/plain", "Ça va très bien".encode("cp1252"), "Ça va très bien"),
        ("text/plain; charset=x-unknown-8bit", "naïve café".encode(), "naïve café"),
    ],
)
def test_bodies_in_other_charsets_are_decoded(content_type, body, expected):
    assert post_from_message(raw(body=body, content_type=content_type)).text == expected


def test_quoted_printable_utf8_html_is_decoded():
    body = b"<p>Gr=C3=BC=C3=9Fe,<br>Anna</p>"
    message = raw(
        "Content-Transfer-Encoding: quoted-printable",
        body=body,
        content_type="text/html; charset=utf-8",
    )
    assert post_from_message(message).text == "Grüße,\nAnna"


_PIECES = st.sampled_from(
    [
        b"From: ",
        b"To: ",
        b"Subject: ",
        b"Date: ",
        b"Message-ID: ",
        b"References: ",
        b"Content-Type: ",
        b"Content-Transfer-Encoding: ",
        b"In-Reply-To: ",
        b"MIME-Version: 1.0",
        b"\r\n",
        b"--b\r\n",
        b"=?utf-8?q?",
        b"?=",
        b"<",
        b">",
        b"@",
        b"a@b.example",
        b"multipart/mixed; boundary=b",
        b"text/html; charset=x-foo",
        b"base64",
        b"Mon, 2 Nov 2026",
    ]
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(_PIECES, st.binary(max_size=6)), max_size=40))
def test_any_bytes_map_to_a_post_or_to_one_of_our_errors(pieces):
    try:
        post = post_from_message(b"".join(pieces))
    except (IgnoredMessage, MalformedPayloadError):
        return
    assert post.external_id and post.created_at.tzinfo is not None
