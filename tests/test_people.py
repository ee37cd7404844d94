"""One person across channels: linked by an address or handle in a post, or by hand."""

from __future__ import annotations

from analysis.people import mentioned_identities
from store import people
from store.accounts import add_account
from tests.support.factories import batch, post


def test_addresses_and_handles_in_text_are_found():
    assert mentioned_identities("x", "Mail me at Sam.Dev@Example.com please") == [
        ("email", "sam.dev@example.com")
    ]
    assert mentioned_identities("email", "Best, Sam (@sam_dev on X)") == [("x", "sam_dev")]
    assert mentioned_identities("email", "see x.com/ria_codes and u/ria_r") == [
        ("x", "ria_codes"),
        ("reddit", "ria_r"),
    ]
    assert mentioned_identities("x", "no clue here @someone") == []


def test_a_signature_links_a_candidates_mail_to_their_tweets(workspace):
    with workspace.engine.begin() as conn:
        add_account(conn, "email", "careers@northwind.example")
    workspace.ingest().batch(
        batch(
            post("1", "@NorthwindLabs is the Berlin role remote?", author="sam_dev"),
            post(
                "m1",
                "Dear team, following up on my tweet.\nSam (@sam_dev on X)",
                author="sam@example.com",
                platform="email",
                thread="m1",
            ),
            post("2", "I mailed careers@northwind.example twice", author="ria_codes"),
        )
    )
    with workspace.engine.connect() as conn:
        assert people.identities_of(conn, ("x", "@Sam_Dev")) == [
            ("email", "sam@example.com"),
            ("x", "sam_dev"),
        ]
        assert people.identities_of(conn, ("x", "ria_codes")) == [("x", "ria_codes")]


def test_linking_by_hand_merges_two_people(workspace):
    with workspace.engine.begin() as conn:
        people.link(conn, ("x", "sam_dev"), ("email", "sam@example.com"), "lena")
        people.link(conn, ("reddit", "samdev"), ("youtube", "@SamDev"), "lena")
        people.link(conn, ("email", "sam@example.com"), ("youtube", "@samdev"), "lena")
        assert len(people.identities_of(conn, ("reddit", "samdev"))) == 4
