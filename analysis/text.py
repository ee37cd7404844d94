"""Text facts for one post: does it need an answer, what kind, how does it feel, what was promised.

This is the only entry point the rest of the app uses; `intent`, `sentiment` and `promises` hold
the rules. Everything here is pure and cheap enough to run on every ingested post (one VADER pass
per post plus a handful of precompiled regexes), so ingest can analyse a batch inline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from analysis import decide as _decide
from analysis import intent as _intent
from analysis import model as _model
from analysis import promises as _promises
from analysis.language import LANGUAGES, detect_lang
from analysis.language_id import post_language
from analysis.reading import Reading, read

__all__ = [
    "LANGUAGES",
    "Promise",
    "TextFacts",
    "analyse_many",
    "analyse_post",
    "analyse_text",
    "detect_lang",
    "needing_response",
]


@dataclass(frozen=True, slots=True)
class Promise:
    """A deadline the company set itself.

    `hours` counts calendar hours after the post (5 working days -> 168.0). `working_days` is set
    when the text counted working days, so a caller with a working calendar can be exact.
    """

    hours: float
    working_days: int | None


@dataclass(frozen=True, slots=True)
class TextFacts:
    """What one post says, as stored beside it.

    `intent` is "question", "request", "complaint", "chase" or None, and is None exactly when
    `needs_response` is False. `sentiment` is the domain-adjusted VADER compound (-1..1) and
    `sentiment_label` its three-class label at ±0.05. `promise` is only ever set on brand posts.
    `reason` says in a few words why an inbound post does or does not need an answer
    ("application", "asks about application status", "automatic reply"). `lang` is the language
    the post is shown in (``analysis.language_id``), set by ``analyse_post``.
    """

    needs_response: bool
    intent: str | None
    sentiment: float
    sentiment_label: str
    promise: Promise | None
    reason: str | None = None
    lang: str | None = None


def analyse_text(
    text: str,
    is_brand: bool = False,
    lang: str | None = None,
    channel: str | None = None,
    automated: bool = False,
) -> TextFacts:
    """All text facts for one post; brand posts never need a response but may promise one.

    ``channel`` is how the post reached the company ("direct", "addressed", "public"; None when
    unknown: then the text alone decides whom it speaks to). ``automated`` is what the transport
    already knows (an ``Auto-Submitted`` header): such a post never needs an answer.
    """
    reading = read(text, lang)
    if channel not in _decide.CHANNELS:
        channel = None
    if is_brand:
        _, score, label = _model.judge(reading, None, None, frozenset())
        found = _promises.extract(reading.text)
        promise = Promise(found.hours, found.working_days) if found else None
        return TextFacts(False, None, score, label, promise, None)
    kind, fired = _rules(reading, channel)
    model_says, score, label = _model.judge(reading, channel, kind, fired)
    verdict = _decide.inbound(reading, channel, automated, kind, fired, model_says)
    return TextFacts(verdict.needs_response, verdict.intent, score, label, None, verdict.reason)


def analyse_post(
    text: str,
    is_brand: bool = False,
    lang: str | None = None,
    channel: str | None = None,
    automated: bool = False,
) -> TextFacts:
    """What ingest stores for a post: ``analyse_text`` and the language the post is shown in,
    the platform's ``lang`` when it names one, else detected. ``cli.py analyze`` answers
    without the detection, which would only slow it down."""
    facts = analyse_text(text, is_brand, lang, channel, automated)
    return replace(facts, lang=post_language(text, lang))


def _rules(reading: Reading, channel: str | None) -> tuple[str | None, frozenset[str]]:
    """The rules' verdict, and every rule that fired when the model reads them too."""
    if _model.uses_rule_signals():
        return _intent.signals(reading.text, reading.compound, reading.words, channel)
    return _intent.detect(reading.text, reading.compound, reading.words, channel), frozenset()


ANSWERED_BY_BRAND = "answered by the brand"


def needing_response(
    facts: TextFacts, text: str, channel: str | None, reason: str = ANSWERED_BY_BRAND
) -> TextFacts:
    """The facts of an inbound post that something stronger than its text showed needs an
    answer: the brand's own reply to it, or a team member adding it to the backlog. Its intent
    is the kind of answer its words ask for most."""
    if facts.needs_response:
        return facts
    reading = read(text)
    kind, fired = _rules(reading, channel)
    intent = _decide.likely_intent(reading, channel, kind, fired)
    return replace(facts, needs_response=True, intent=intent, reason=reason)


def analyse_many(items: Iterable[tuple]) -> list[TextFacts]:
    """Batch form of `analyse_text` for ingest and benchmarks: tuples of its arguments,
    (text, is_brand, lang[, channel[, automated]])."""
    return [analyse_text(*item) for item in items]
