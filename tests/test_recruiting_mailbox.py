"""A recruiting mailbox, imported as an mbox, gives the figures a person counts by hand.

Fourteen candidates apply in English, Dutch and German, each in their own words; every
application gets the automatic "we will⏎get back to you within two weeks" (wrapped by the mail
client, as real ones are). Four get a human answer at a known delay, one of them after the two
weeks; one chases; one says thanks after the answer; an out-of-office and a job-board newsletter
arrive too. The expected figures below are worked out by hand from that story, not by the
project's code.
"""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from connectors.files import import_batches
from pipeline.reports import workspace_report
from store.accounts import add_account
from store.schema import cases, posts, promises

JOBS = "jobs@brightwave.example"
RECRUITER = "anna.kowalski@brightwave.example"
MONDAY = datetime(2026, 11, 2, tzinfo=UTC)  # Monday; CET (UTC+1) in Amsterdam
NOW = datetime(2026, 12, 15, 12, 0, tzinfo=UTC)

# (address, name, language, hour applied on Monday 2 Nov in UTC, subject, body)
APPLICATIONS = [
    (
        "lena.m@example.org",
        "Lena Meyer",
        "en",
        9,
        "Data Engineer",
        "Hello,\n\nI would like to apply for the Data Engineer role. My CV is attached.\n\n"
        "Best regards,\nLena Meyer",
    ),
    (
        "omar.h@example.org",
        "Omar Haddad",
        "en",
        11,
        "Warehouse Supervisor",
        "Attached is my CV for the Warehouse Supervisor position.",
    ),
    (
        "p.nowak@example.org",
        "Piotr Nowak",
        "en",
        12,
        "Junior accountant",
        "Dear Sir or Madam,\n\nPlease find enclosed my application for the junior accountant\n"
        "vacancy advertised on your careers site.\n\nYours faithfully,\nPiotr Nowak",
    ),
    (
        "grace.o@example.org",
        "Grace Obi",
        "en",
        13,
        "Nurse practitioner, Leeds",
        "Hi there, I'm writing to express my interest in the nurse practitioner opening in\n"
        "Leeds. Resume attached, happy to talk anytime.\n\nGrace\nSent from my iPhone",
    ),
    (
        "tom.r@example.org",
        "Tom Reyes",
        "en",
        14,
        "Logistics planner",
        "Dear hiring team,\n\nMy former colleague Dana suggested I send you my CV for the logistics\n"
        "planner job. I have six years of experience in route planning.\n\nKind regards,\nTom",
    ),
    (
        "sanne.devries@example.nl",
        "Sanne de Vries",
        "nl",
        8,
        "Verpleegkundige",
        "Beste recruiter,\n\nHierbij solliciteer ik naar de functie van verpleegkundige.\n\n"
        "Met vriendelijke groet,\nSanne de Vries",
    ),
    (
        "bram.j@example.nl",
        "Bram Jansen",
        "nl",
        15,
        "Logistiek medewerker",
        "Geachte heer, mevrouw,\n\nGraag wil ik reageren op uw vacature voor logistiek medewerker.\n"
        "In de bijlage vindt u mijn cv en motivatiebrief.\n\nMet vriendelijke groet,\nBram Jansen",
    ),
    (
        "fleur.b@example.nl",
        "Fleur Bakker",
        "nl",
        16,
        "Data-analist",
        "Bijgaand mijn cv voor de functie van data-analist.",
    ),
    (
        "daan.v@example.nl",
        "Daan Visser",
        "nl",
        17,
        "Junior developer",
        "Hoi,\n\nMet veel interesse las ik de vacature voor een junior developer. Mijn cv zit\n"
        "in de bijlage.\n\nGroetjes,\nDaan",
    ),
    (
        "emma.s@example.nl",
        "Emma Smit",
        "nl",
        18,
        "Magazijnmedewerker",
        "Hallo, ik wil graag solliciteren als magazijnmedewerker. Groetjes, Emma",
    ),
    (
        "jonas.w@example.de",
        "Jonas Weber",
        "de",
        10,
        "Pflegefachkraft",
        "Sehr geehrte Damen und Herren,\n\nhiermit bewerbe ich mich um die Stelle als "
        "Pflegefachkraft.\n\nMit freundlichen Grüßen\nJonas Weber",
    ),
    (
        "mia.k@example.de",
        "Mia Koch",
        "de",
        19,
        "Data Analyst",
        "Anbei erhalten Sie meine Bewerbungsunterlagen für die Position Data Analyst.",
    ),
    (
        "leon.f@example.de",
        "Leon Fischer",
        "de",
        20,
        "Lagerist",
        "Guten Tag,\n\nich interessiere mich für die ausgeschriebene Stelle als Lagerist und sende\n"
        "Ihnen meinen Lebenslauf.\n\nViele Grüße\nLeon Fischer",
    ),
    (
        "hannah.s@example.de",
        "Hannah Schulz",
        "de",
        21,
        "Werkstudentin",
        "Hallo zusammen,\n\ngerne möchte ich mich als Werkstudentin bei euch bewerben. "
        "Lebenslauf im Anhang.\n\nLG Hannah",
    ),
]
AUTO_REPLY = (
    "Dear {name},\n\nThank you for applying for the {role} role at Brightwave. We "
    "have received your application and we will\nget back to you within two weeks.\n\n"
    "This is an automatic message, please do not reply.\n\nBrightwave Talent Team"
)
# Human answers: (candidate, hours after the application)
ANSWERS = {
    "lena.m@example.org": 26,
    "sanne.devries@example.nl": 5,
    "jonas.w@example.de": 50,
    "omar.h@example.org": 480,
}


def _mail(
    sender: str,
    name: str,
    to: str,
    at: datetime,
    subject: str,
    body: str,
    message_id: str,
    reply_to: str | None = None,
    auto: bool = False,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"{name} <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = f"<{message_id}>"
    if reply_to:
        message["In-Reply-To"] = f"<{reply_to}>"
        message["References"] = f"<{reply_to}>"
    if auto:
        message["Auto-Submitted"] = "auto-replied"
    message.set_content(body)
    return message.as_bytes()


def mailbox_messages() -> list[bytes]:
    messages = []
    for address, name, lang, hour, role, body in APPLICATIONS:
        applied = MONDAY + timedelta(hours=hour)
        app_id = f"app-{address}"
        subject = {
            "en": f"Application: {role}",
            "nl": f"Sollicitatie: {role}",
            "de": f"Bewerbung: {role}",
        }[lang]
        messages.append(_mail(address, name, JOBS, applied, subject, body, app_id))
        messages.append(
            _mail(
                JOBS,
                "Brightwave Careers",
                address,
                applied + timedelta(minutes=2),
                f"Automatic reply: {subject}",
                AUTO_REPLY.format(name=name.split()[0], role=role),
                f"auto-{address}",
                reply_to=app_id,
                auto=True,
            )
        )
        if address in ANSWERS:
            messages.append(
                _mail(
                    RECRUITER,
                    "Anna Kowalski",
                    address,
                    applied + timedelta(hours=ANSWERS[address]),
                    f"Re: {subject}",
                    f"Hi {name.split()[0]},\n\nthanks for your application. Could "
                    "we talk on Thursday?\n\nAnna",
                    f"answer-{address}",
                    reply_to=app_id,
                )
            )
    lena_answer = MONDAY + timedelta(hours=9 + 26)
    messages.append(
        _mail(
            "lena.m@example.org",
            "Lena Meyer",
            RECRUITER,
            lena_answer + timedelta(hours=3),
            "Re: Application: Data Engineer",
            "Great, thank you so much! See you on Thursday.\n\nLena",
            "thanks-lena",
            reply_to="answer-lena.m@example.org",
        )
    )
    messages.append(
        _mail(
            "bram.j@example.nl",
            "Bram Jansen",
            JOBS,
            MONDAY + timedelta(days=16, hours=10),
            "Re: Sollicitatie: Logistiek medewerker",
            "Goedemiddag,\n\nIk heb nog niets gehoord over mijn "
            "sollicitatie van 2 november.\nIs er al nieuws?\n\nBram",
            "chase-bram",
            reply_to="app-bram.j@example.nl",
        )
    )
    messages.append(
        _mail(
            "grace.o@example.org",
            "Grace Obi",
            JOBS,
            MONDAY + timedelta(days=3),
            "Out of Office: Application received",
            "I am out of the office until 16 November with limited access to "
            "e-mail. For urgent matters contact my colleague.",
            "ooo-grace",
            auto=True,
        )
    )
    messages.append(
        _mail(
            "alerts@jobboard.example",
            "JobBoard",
            JOBS,
            MONDAY + timedelta(days=4),
            "12 new jobs matching your search",
            "New jobs for you this week: Data Engineer, Nurse, Planner.\n\n"
            "Manage your e-mail preferences or unsubscribe here.",
            "news-1",
        )
    )
    return messages


@pytest.fixture
def imported(workspace, tmp_path: Path):
    with workspace.engine.begin() as conn:
        add_account(conn, "email", JOBS)
        add_account(conn, "email", RECRUITER)
    box = mailbox.mbox(tmp_path / "careers.mbox", create=True)
    for message in mailbox_messages():
        box.add(message)
    box.close()
    totals = workspace.ingest().run(import_batches(tmp_path / "careers.mbox", "mbox"))
    assert totals.problems == 0
    return workspace


def test_every_application_opens_one_case_and_nothing_else_does(imported):
    with imported.engine.connect() as conn:
        opened = conn.execute(
            select(cases.c.author_id, cases.c.intent, cases.c.chase_count, cases.c.reason)
        ).all()
        flagged = (
            conn.execute(select(posts.c.external_id).where(posts.c.needs_response.is_(True)))
            .scalars()
            .all()
        )
    assert sorted(author for author, *_ in opened) == sorted(a[0] for a in APPLICATIONS)
    assert {intent for _, intent, _, _ in opened} == {"application"}
    assert {reason for *_, reason in opened} == {"application e-mail"}
    assert {author: chases for author, _, chases, _ in opened if chases} == {"bram.j@example.nl": 1}
    assert len(flagged) == 15  # 14 applications and Bram's chase; not the thanks, OoO, alert


def test_the_report_gives_the_hand_counted_figures(imported):
    with imported.engine.connect() as conn:
        overall = workspace_report(conn, now=NOW)["overall"]
    # 14 cases; answered after 5, 26, 50 and 480 hours; median (26 + 50) / 2; p90 by linear
    # interpolation between 50 and 480 at 0.7: 351.
    assert (overall["needs_response"], overall["answered"], overall["pending"]) == (14, 4, 0)
    assert overall["first_response_hours"] == {"median": 38.0, "p90": 351.0}
    # Business hours, Amsterdam 9-17 on weekdays (UTC+1): Sanne 09:00-14:00 Mon = 5; Lena
    # Mon 10-17 + Tue 9-12 = 10; Jonas Mon 11-17 + Tue + Wed 9-13 = 18; Omar Mon 12-17 and
    # 14 working days = 117. Median (10 + 18) / 2 = 14; p90 18 + 0.7 * 99 = 87.3.
    assert overall["first_response_business_hours"] == {"median": 14.0, "p90": 87.3}
    # 14 automatic promises of two weeks: kept by Sanne's, Lena's and Jonas's answers; Omar's
    # came after the deadline; the other ten never came.
    assert overall["broken_promises"] == 11
    assert overall["overdue"] == 10
    with imported.engine.connect() as conn:
        by_platform = workspace_report(conn, by="platform", now=NOW)["overall"]
    assert by_platform["ghosted"] == 10  # the ten never answered; nobody touched their cases


def test_the_wrapped_automatic_replies_are_two_week_promises(imported):
    with imported.engine.connect() as conn:
        rows = conn.execute(
            select(
                promises.c.to_author_id, promises.c.made_at, promises.c.due_at, promises.c.kept_at
            )
        ).all()
    assert len(rows) == 14
    assert {due - made for _, made, due, _ in rows} == {timedelta(days=14)}
    kept = {author for author, _, due, kept in rows if kept is not None and kept <= due}
    assert kept == {"lena.m@example.org", "sanne.devries@example.nl", "jonas.w@example.de"}
