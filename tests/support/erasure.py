"""A person to erase: Sam on X and by e-mail, the brand's messages to Sam, Ria's posts naming Sam.

The workspace is built the way a real one is, with ``cli.py brand add`` and ``cli.py import`` of
a twarc2 file and an mbox, so the raw payloads hold what the platforms send (X's
``in_reply_to_user_id``, the mail headers ``To`` and ``Cc``). ``SECRETS`` are the strings that
must be nowhere in the workspace after Sam is erased; ``RIA_*`` what must stay.
"""

from __future__ import annotations

import json
import mailbox
from datetime import timedelta
from pathlib import Path

from tests.support.cli import run_cli
from tests.support.mails import mail
from tests.support.x_pages import START, snowflake, tweet

HANDLE = "sam_dev"
ADDRESS = "sam.jansen@example.com"
SAM_X_ID = "4015550123"  # Sam's X user id: Ria's reply names it in in_reply_to_user_id
CAREERS = "careers@northwind.example"
BRAND_X_ID = "100"
RIA_X_ID = "202"

SAM_TWEET = "@NorthwindLabs is the Lisbon platform role open to remote? Mail me at " + ADDRESS
BRAND_TO_SAM_X = "@sam_dev Yes, remote within the EU works for the Lisbon team."
RIA_TWEET = "@sam_dev @NorthwindLabs I asked the same last week and heard nothing yet"
BRAND_TO_RIA_X = "@ria_codes @sam_dev we answer every question within one working day."
SAM_MAIL = "Hello, I applied for the Lisbon platform engineer role. My portfolio: quokka-builds."
BRAND_TO_SAM_MAIL = "Hi Sam, thank you. Your interview is on 12 November at 10:00 in Lisbon."
BRAND_OFFER_MAIL = "Dear Sam, please find the offer details for the platform engineer role."
RIA_MAIL = f"I would like to refer my friend {ADDRESS} for the Lisbon role; she tweets as @sam_dev."

SECRETS = (
    HANDLE,
    ADDRESS,
    SAM_X_ID,
    "Sam Jansen",
    "open to remote? Mail me",
    "remote within the EU works",
    "quokka-builds",
    "Your interview is on 12 November",
    "please find the offer details",
    "Your offer letter",
)
RIA_KEPT = ("I asked the same last week", "I would like to refer my friend")
FILLER_AUTHORS = {str(300 + n): f"applicant_{n}" for n in range(12)}
FILLER_POSTS = 240  # enough rows that posts and their indexes span many pages


def _users() -> list[dict]:
    named = {
        BRAND_X_ID: ("NorthwindLabs", "Northwind Labs"),
        SAM_X_ID: (HANDLE, "Sam Jansen"),
        RIA_X_ID: ("ria_codes", "Ria"),
    }
    named.update({uid: (handle, handle.title()) for uid, handle in FILLER_AUTHORS.items()})
    return [
        {"id": uid, "username": handle, "name": name, "public_metrics": {"followers_count": 50}}
        for uid, (handle, name) in named.items()
    ]


def _tweets() -> list[dict]:
    at = START
    sam = tweet(snowflake(at), SAM_X_ID, SAM_TWEET, at)
    sam.pop("in_reply_to_user_id", None)
    to_sam = tweet(
        snowflake(at + timedelta(hours=2)),
        BRAND_X_ID,
        BRAND_TO_SAM_X,
        at + timedelta(hours=2),
        conversation=sam["id"],
        replied_to=sam["id"],
    )
    to_sam["in_reply_to_user_id"] = SAM_X_ID
    ria = tweet(
        snowflake(at + timedelta(hours=3)),
        RIA_X_ID,
        RIA_TWEET,
        at + timedelta(hours=3),
        conversation=sam["id"],
        replied_to=sam["id"],
    )
    ria["in_reply_to_user_id"] = SAM_X_ID
    ria["entities"] = {"mentions": [{"start": 0, "end": 8, "username": HANDLE, "id": SAM_X_ID}]}
    to_ria = tweet(
        snowflake(at + timedelta(hours=4)),
        BRAND_X_ID,
        BRAND_TO_RIA_X,
        at + timedelta(hours=4),
        conversation=sam["id"],
        replied_to=ria["id"],
    )
    to_ria["in_reply_to_user_id"] = RIA_X_ID
    filler = []
    for n in range(FILLER_POSTS):
        when = at + timedelta(days=1, minutes=7 * n)
        author = str(300 + n % len(FILLER_AUTHORS))
        text = f"@NorthwindLabs how long does the hiring process take for opening {n}?"
        filler.append(tweet(snowflake(when, n), author, text, when))
    return [sam, to_sam, ria, to_ria, *filler]


def _mails() -> list[bytes]:
    at = START + timedelta(days=2)
    return [
        mail(
            f"Sam Jansen <{ADDRESS}>",
            CAREERS,
            "Application Lisbon platform engineer",
            SAM_MAIL,
            at,
            "sam-1@mail.example.com",
        ),
        mail(
            f"Northwind Careers <{CAREERS}>",
            f"Sam Jansen <{ADDRESS}>",
            "Re: Application Lisbon platform engineer",
            BRAND_TO_SAM_MAIL,
            at + timedelta(hours=5),
            "careers-1@northwind.example",
            "sam-1@mail.example.com",
        ),
        mail(
            f"Northwind Careers <{CAREERS}>",
            f"Sam Jansen <{ADDRESS}>",
            "Your offer letter",
            BRAND_OFFER_MAIL,
            at + timedelta(days=3),
            "careers-2@northwind.example",
        ),
        mail(
            "Ria <ria@example.com>",
            CAREERS,
            "Referral for the Lisbon team",
            RIA_MAIL,
            at + timedelta(days=1),
            "ria-1@mail.example.com",
            Cc=ADDRESS,
        ),
    ]


def build(folder: Path, database_url: str) -> None:
    """Fill the workspace at ``database_url`` through the command line, as a team would."""
    tweets = sorted(_tweets(), key=lambda t: int(t["id"]), reverse=True)
    page = {
        "data": tweets,
        "includes": {"users": _users()},
        "meta": {"result_count": len(tweets)},
    }
    x_file = folder / "x.jsonl"
    x_file.write_text(json.dumps(page) + "\n", encoding="utf-8")
    mbox_path = folder / "careers.mbox"
    box = mailbox.mbox(mbox_path)
    for message in _mails():
        box.add(message)
    box.close()
    for args in (
        ("brand", "add", "x", "NorthwindLabs", "--user-id", BRAND_X_ID),
        ("brand", "add", "email", CAREERS),
        ("import", str(x_file), "--format", "twarc2"),
        ("import", str(mbox_path), "--format", "mbox"),
    ):
        ran = run_cli(*args, DATABASE_URL=database_url)
        assert ran.returncode == 0, (args, ran.stderr)
