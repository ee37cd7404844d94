"""Does an inbound post need an answer, of what kind, and why — by the channel it came on.

DESIGN.md's definition depends on where a post was written:

- **direct** (the recruiting mailbox, DMs): every human message needs an answer unless it is
  automated, bulk or a closing courtesy; an application above all;
- **addressed** (an @mention, a reply to a brand post, a comment on the brand's own thread): a
  question, request, problem report, complaint or chase;
- **public** (about the employer, not addressed): questions and complaints about its hiring,
  process, pay, policies, openings or culture;
- unknown (``None``, e.g. ``cli.py analyze`` without a channel): the text decides whom it speaks
  to.

The rules in ``intent`` say what a post does; ``model`` (a linear model trained on the labelled
corpus, with the rules' verdicts among its features) decides whether that needs an answer where
rules alone do not generalise. Every verdict carries a short reason for the team.
"""

from __future__ import annotations

from typing import NamedTuple

from analysis import direct, model
from analysis.reading import Reading

CHANNELS = ("direct", "addressed", "public")
INTENTS = ("application", "chase", "request", "question", "problem", "complaint", "message")


class Verdict(NamedTuple):
    needs_response: bool
    intent: str | None
    reason: str


_REASONS = {
    "application": "application",
    "chase": "chases an earlier message",
    "request": "asks the company to act",
    "question": "asks a question",
    "problem": "reports a problem",
    "complaint": "complains",
    "message": "personal message on a direct channel",
}
_PUBLIC_REASONS = {
    "question": "asks about the employer in public",
    "complaint": "complains about the employer in public",
    "problem": "reports a problem in public",
}
_STATUS_WORDS = frozenset(
    {
        "application",
        "applied",
        "apply",
        "interview",
        "interviews",
        "cv",
        "resume",
        "offer",
        "decision",
        "feedback",
        "sollicitatie",
        "gesolliciteerd",
        "bewerbung",
        "beworben",
        "vorstellungsgespräch",
    }
)
NOTHING_ASKED = "nothing asked"


def reason_for(kind: str, channel: str | None, words: frozenset[str] = frozenset()) -> str:
    """The few words shown beside a flag on the Backlog and the Conversation page."""
    if kind == "chase" and not words.isdisjoint(_STATUS_WORDS):
        return "asks about application status"
    if kind == "application" and channel == "direct":
        return "application e-mail"
    if channel == "public" and kind in _PUBLIC_REASONS:
        return _PUBLIC_REASONS[kind]
    return _REASONS.get(kind, kind)


def inbound(
    reading: Reading,
    channel: str | None,
    automated: bool,
    kind: str | None,
    fired: frozenset[str],
    model_says: bool | None,
) -> Verdict:
    """The verdict on an inbound post; ``kind`` and ``fired`` are the rules' (``intent.signals``
    for this channel), ``model_says`` the model's (None without a model)."""
    if channel not in CHANNELS:
        channel = None
    if automated or direct.is_automated(reading.text):
        return Verdict(False, None, "automatic reply")
    if channel == "direct":
        return _direct(reading, kind)
    needed = kind is not None if model_says is None else model_says
    if not needed:
        return Verdict(False, None, NOTHING_ASKED)
    kind = kind or model.likely_intent(reading, channel, kind, fired)
    return Verdict(True, kind, reason_for(kind, channel, reading.words))


def _direct(reading: Reading, kind: str | None) -> Verdict:
    if direct.is_bulk(reading.text):
        return Verdict(False, None, "bulk mail")
    if kind != "chase" and direct.is_application(reading.text):
        kind = "application"
    if kind is None and direct.is_courtesy(reading.text):
        return Verdict(False, None, "closing courtesy")
    kind = kind or "message"
    return Verdict(True, kind, reason_for(kind, "direct", reading.words))


def likely_intent(
    reading: Reading, channel: str | None, kind: str | None, fired: frozenset[str]
) -> str:
    """The kind of answer a post is owed when something else (the brand's own reply, a team
    member) has decided that it needs one."""
    if channel == "direct" and direct.is_application(reading.text):
        return "application"
    return kind or model.likely_intent(reading, channel, kind, fired)
