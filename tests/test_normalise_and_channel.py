"""What the rules read (quotes, signatures and hard wraps undone) and which channel a post is on."""

from __future__ import annotations

import pytest

from analysis.channel import channel_of, mentioned_handles
from analysis.direct import is_application, is_automated, is_bulk, is_courtesy
from analysis.normalise import for_rules, strip_signature, unwrap
from analysis.text import analyse_text

WRAPPED_AUTO_REPLY = (
    "Hi Mei,\n\nThank you for applying for the engineering manager role at Northwind\n"
    "Labs. We have received your application and we'll\nget back to you within two weeks.\n\n"
    "This is an automatic message, please do not reply to it.\n\nNorthwind Labs Talent Team"
)


def test_a_hard_wrapped_paragraph_is_one_line_again():
    assert "we'll get back to you within two weeks." in unwrap(WRAPPED_AUTO_REPLY)
    assert unwrap(WRAPPED_AUTO_REPLY).count("\n\n") == WRAPPED_AUTO_REPLY.count("\n\n")


@pytest.mark.parametrize(
    "text",
    [
        "Still no reply\nTypical",
        "Questions:\n- Is it remote?\n- What is the salary?",
        "Three rounds.\nNo feedback.\nNothing.",
    ],
)
def test_lines_people_break_on_purpose_stay_apart(text):
    assert unwrap(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "We will\nget back to you within two weeks.",
        "Wij nemen binnen vijf werkdagen\ncontact met je op.",
        "Sie erhalten innerhalb von zwei\nWochen eine Rückmeldung von uns, versprochen und bis dahin.",
    ],
)
def test_a_promise_wrapped_across_lines_is_found(text):
    assert analyse_text(text, is_brand=True).promise is not None


def test_the_candidates_quoted_words_are_not_the_brands_promise():
    reply = (
        "Thanks Sam, noted.\n\nOn Mon, 2 Nov 2026 at 10:00, Sam <sam@example.org> wrote:\n"
        "> You said you would get back to me within two weeks."
    )
    assert analyse_text(reply, is_brand=True).promise is None


def test_a_signature_block_is_dropped_but_a_message_that_is_only_thanks_is_kept():
    mail = "Could you send the contract?\n\nKind regards,\nAnna de Vries\nSenior Engineer\n+31 6"
    assert strip_signature(mail) == "Could you send the contract?"
    assert strip_signature("Thanks,\nAnna") == "Thanks,\nAnna"
    body = "Hi,\nThanks\nI applied last week and still have not heard anything from you."
    assert strip_signature(body) == body  # a sentence after "Thanks" is no signature
    assert "iPhone" not in for_rules("Is it remote?\n\nSent from my iPhone")


@pytest.mark.parametrize(
    "text",
    [
        "I would like to apply for the Data Engineer role. My CV is attached.",
        "Attached is my CV for the warehouse supervisor position.",
        "Please find enclosed my application for the junior accountant vacancy.",
        "Hierbij solliciteer ik naar de functie van verpleegkundige.",
        "Bijgaand mijn cv voor de functie van data-analist.",
        "Anbei erhalten Sie meine Bewerbungsunterlagen für die Position Data Analyst.",
        "Hallo zusammen, gerne möchte ich mich als Werkstudent bei euch bewerben.",
    ],
)
def test_applications_in_the_words_people_use(text):
    assert is_application(text)
    facts = analyse_text(text, channel="direct")
    assert (facts.needs_response, facts.intent, facts.reason) == (
        True,
        "application",
        "application e-mail",
    )


@pytest.mark.parametrize("text", ["Can I apply for two roles?", "Wie kann ich mich bewerben?"])
def test_a_question_about_applying_is_not_an_application(text):
    assert not is_application(text)


@pytest.mark.parametrize(
    "text, reason",
    [
        ("Thanks, that's all!", "closing courtesy"),
        ("Great, thank you so much! See you on Thursday.\n\nLena", "closing courtesy"),
        ("Top, bedankt!", "closing courtesy"),
        (
            "I am out of the office until 16 November with limited access to e-mail.",
            "automatic reply",
        ),
        (
            "12 new jobs matching your search. Manage your e-mail preferences or unsubscribe.",
            "bulk mail",
        ),
    ],
)
def test_on_a_direct_channel_only_machines_and_courtesies_need_no_answer(text, reason):
    facts = analyse_text(text, channel="direct")
    assert (facts.needs_response, facts.reason) == (False, reason)


@pytest.mark.parametrize(
    "text",
    [
        "Here are the documents you asked for.",
        "Tuesday at 10 works for me.",
        "Thanks! I'll send the signed contract tomorrow.",
    ],
)
def test_on_a_direct_channel_every_other_human_message_needs_an_answer(text):
    assert analyse_text(text, channel="direct").needs_response


def test_the_transport_knows_an_automatic_mail_before_its_text_does():
    assert not analyse_text(
        "Any update on my application?", channel="direct", automated=True
    ).needs_response
    assert is_automated("Automatic reply: I am away") and not is_automated("Any update?")
    assert is_bulk("Click to unsubscribe") and not is_courtesy("Thanks, but any update?")


def _channel(text: str = "", **facts: bool) -> str | None:
    flags = {"replies_to_brand": False, "on_brand_thread": False, "to_brand": False} | facts
    return channel_of("x", text, is_brand_handle=lambda h: h == "acmejobs", **flags)


def test_a_post_is_addressed_when_it_answers_mentions_or_sits_under_the_brand():
    assert (
        channel_of(
            "email",
            "hi",
            replies_to_brand=False,
            on_brand_thread=False,
            to_brand=False,
            is_brand_handle=lambda h: False,
        )
        == "direct"
    )
    assert _channel(replies_to_brand=True) == "addressed"
    assert _channel(on_brand_thread=True) == "addressed"
    assert _channel(to_brand=True) == "addressed"
    assert _channel("@AcmeJobs my upload fails") == "addressed"
    assert _channel("@someoneelse my upload fails") == "public"
    assert (
        channel_of(
            "x",
            "@x hi",
            replies_to_brand=False,
            on_brand_thread=False,
            to_brand=False,
            is_brand_handle=lambda h: False,
            brand_known=False,
        )
        is None
    )
    assert mentioned_handles("cc @AcmeJobs and u/acme_hr, mail me@x.org") == ["acmejobs", "acme_hr"]
