"""Text facts for one post: does it need an answer, what kind, how does it feel, what was promised.

This is the only entry point the rest of the app uses; `intent`, `sentiment` and `promises` hold
the rules. Everything here is pure and cheap enough to run on every ingested post (one VADER pass
per post plus a handful of precompiled regexes), so ingest can analyse a batch inline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from analysis import intent as _intent
from analysis import promises as _promises
from analysis import sentiment as _sentiment

LANGUAGES = ("en", "nl", "de")


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


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
    """

    needs_response: bool
    intent: str | None
    sentiment: float
    sentiment_label: str
    promise: Promise | None


# Function words that are frequent in Dutch or German and rare in English. Words the two share
# ("die", "was", "wie") would only blur the vote and are left out.
_NL_WORDS = _words(
    "het een niet ik je jullie mijn nog geen wat hoe bij naar heb ook maar dat met voor zijn wij "
    "hebben heeft wordt gaat kan moet zou al dit deze waarom wanneer hoeveel graag bedankt dank "
    "jammer mij ons onze uw hoor echt heel nu nooit iets niets wel even op uit en de van tot aan "
    "mee te om")
_DE_WORDS = _words(
    "der das und ich nicht ist ein eine einen mit auf für noch kein keine bei nach ihnen mein "
    "meine habe schon auch aber dass zu von wir uns sich wird werden gibt es wann warum bitte "
    "danke sehr meinem meiner ihr ihre vom zum zur über nur mich mir hat sind haben viele einer "
    "oder")
_EN_WORDS = _words(
    "the and to of a is you i my for on it that this with be are have not what how when why do "
    "does can your we our in at from just so me was")


def detect_lang(text: str, words: frozenset[str] | None = None) -> str:
    """Cheap stop-word vote between English, Dutch and German; English when in doubt."""
    words = _sentiment.word_set(text) if words is None else words
    nl = len(words & _NL_WORDS)
    de = len(words & _DE_WORDS)
    if not nl and not de:
        return "en"
    en = len(words & _EN_WORDS)
    best, hits = ("nl", nl) if nl > de else ("de", de)
    if hits >= 2 and hits > en or hits == 1 and en == 0:
        return best
    return "en"


def _normalise_lang(words: frozenset[str], lang: str | None) -> str:
    """Platform codes vary ("nl-NL", "und", "qme"): keep what we know, detect the rest."""
    code = (lang or "")[:2].lower()
    return code if code in LANGUAGES else detect_lang("", words)


def analyse_text(text: str, is_brand: bool = False, lang: str | None = None) -> TextFacts:
    """All text facts for one post; brand posts never need a response but may promise one."""
    text = _sentiment.normalise(text or "")
    words = _sentiment.word_set(text)
    code = _normalise_lang(words, lang)
    compound = _sentiment.score(text, code, words)
    label = _sentiment.label(compound)
    if is_brand:
        found = _promises.extract(text)
        promise = Promise(found.hours, found.working_days) if found else None
        return TextFacts(False, None, compound, label, promise)
    kind = _intent.detect(text, compound, words)
    return TextFacts(kind is not None, kind, compound, label, None)


def analyse_many(texts: Iterable[tuple[str, bool, str | None]]) -> list[TextFacts]:
    """Batch form of `analyse_text` for ingest and benchmarks: (text, is_brand, lang) tuples."""
    return [analyse_text(text, is_brand, lang) for text, is_brand, lang in texts]
