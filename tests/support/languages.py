"""Posts in five languages, each as its platform sends it, and none with a language the
platform named except X's: a German application mail (mbox), a Dutch Reddit thread (a saved
``…/comments/ID.json``), a French YouTube comment (a ``commentThreads`` page), a Spanish tweet
X marked ``und`` and a Swedish "Tack!" X marked ``sv`` (twarc2 JSONL).

The payloads are written by hand in the shapes of the builders beside this module
(``mails``, ``youtube_pages``, ``x_pages``) and of a reddit.com thread answer.
"""

from __future__ import annotations

import json
import mailbox
from datetime import datetime, timedelta
from pathlib import Path

from connectors.base import Batch
from connectors.files import import_batches
from connectors.youtube import posts_from_comment_threads
from pipeline.workspace import Workspace
from tests.support import youtube_pages
from tests.support.mails import mail
from tests.support.x_pages import USERS, snowflake, tweet

GERMAN_MAIL = (
    "Sehr geehrte Damen und Herren,\n\nich habe mich vor drei Wochen auf die Stelle als "
    "Entwicklerin beworben und noch keine Antwort erhalten. Können Sie mir sagen, wie der "
    "Stand meiner Bewerbung ist?\n\nMit freundlichen Grüßen\nLena Vogel"
)
DUTCH_TITLE = "Ervaringen met solliciteren bij Northwind?"
DUTCH_BODY = (
    "Ik heb twee weken geleden gesolliciteerd en nog niets gehoord. Hoe lang duurt het "
    "meestal voordat ze reageren?"
)
FRENCH_COMMENT = (
    "Bonjour, est-ce que le poste de développeur à Paris est toujours ouvert ? Je n'ai "
    "toujours pas reçu de réponse à ma candidature."
)
SPANISH_TWEET = (
    "@NorthwindLabs hola, ¿sigue abierta la vacante de ingeniera en Madrid? Envié mi "
    "solicitud hace un mes y no he recibido respuesta."
)
SWEDISH_TWEET = "@NorthwindLabs Tack!"

# The language split's names for the stored codes, one per post above.
EXPECTED = {
    "email": "de",
    "reddit": "nl",
    "youtube": "fr",
    "x:und": "es",
    "x:sv": "sv",
}


def german_mbox(folder: Path, at: datetime) -> Path:
    path = folder / "careers.mbox"
    box = mailbox.mbox(path, create=True)
    box.add(
        mail(
            "Lena Vogel <lena.vogel@example.de>",
            "careers@northwind.example",
            "Meine Bewerbung als Entwicklerin",
            GERMAN_MAIL,
            at,
            "bewerbung-1@example.de",
        )
    )
    box.close()
    return path


def dutch_reddit_thread(folder: Path, at: datetime) -> Path:
    """A thread as reddit.com's ``/comments/ID.json`` answers: [submission, comments]."""
    submission = {
        "kind": "t3",
        "data": {
            "id": "1h2lang",
            "name": "t3_1h2lang",
            "author": "jdevries",
            "author_fullname": "t2_9ab12",
            "title": DUTCH_TITLE,
            "selftext": DUTCH_BODY,
            "subreddit": "werkzoeken",
            "created_utc": at.timestamp(),
            "permalink": "/r/werkzoeken/comments/1h2lang/ervaringen_met_solliciteren/",
            "num_comments": 0,
        },
    }
    thread = [
        {"kind": "Listing", "data": {"after": None, "before": None, "children": [submission]}},
        {"kind": "Listing", "data": {"after": None, "before": None, "children": []}},
    ]
    path = folder / "thread.json"
    path.write_text(json.dumps(thread), encoding="utf-8")
    return path


def tweets_file(folder: Path, at: datetime) -> Path:
    """One twarc2 line: an X API v2 search page with a tweet X marked ``und`` and one ``sv``."""
    spanish = tweet(snowflake(at, 1), "201", SPANISH_TWEET, at)
    spanish["lang"] = "und"
    swedish = tweet(snowflake(at, 2), "202", SWEDISH_TWEET, at + timedelta(minutes=5))
    swedish["lang"] = "sv"
    page = {
        "data": [swedish, spanish],
        "includes": {"users": [USERS["201"], USERS["202"]]},
        "meta": {"result_count": 2, "newest_id": swedish["id"], "oldest_id": spanish["id"]},
    }
    path = folder / "tweets.jsonl"
    path.write_text(json.dumps(page) + "\n", encoding="utf-8")
    return path


def french_youtube_batch(at: datetime) -> Batch:
    """The French comment as the YouTube sync maps it from a ``commentThreads`` page."""
    top = youtube_pages.comment("UgzFrLang1", youtube_pages.SAM, FRENCH_COMMENT, at)
    posts, problems = posts_from_comment_threads(
        youtube_pages.thread_page([youtube_pages.thread(top)]), "youtube:channel"
    )
    assert problems == []
    return Batch("youtube:channel", posts, None, items_read=len(posts))


def ingest_every_language(ws: Workspace, folder: Path, at: datetime) -> None:
    """Each post through the path a team uses for it: imports for mail, Reddit and X, the
    YouTube sync's mapping for the comment."""
    for path, file_format in (
        (german_mbox(folder, at), "mbox"),
        (dutch_reddit_thread(folder, at), "reddit-json"),
        (tweets_file(folder, at), "twarc2"),
    ):
        ws.ingest().run(import_batches(path, file_format))
    ws.ingest().batch(french_youtube_batch(at))
