"""Which of the languages we analyse a post is in, when the platform does not say.

A stop-word vote between English, Dutch and German: cheap enough for every post, and the
languages a Benelux/DACH employer's candidates write in.
"""

from __future__ import annotations

from analysis import sentiment as _sentiment

LANGUAGES = ("en", "nl", "de")


def _words(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


# Function words that are frequent in Dutch or German and rare in English. Words the two share
# ("die", "was", "wie") would only blur the vote and are left out.
NL_WORDS = _words(
    "het een niet ik je jullie mijn nog geen wat hoe bij naar heb ook maar dat met voor zijn wij "
    "hebben heeft wordt gaat kan moet zou al dit deze waarom wanneer hoeveel graag bedankt dank "
    "jammer mij ons onze uw hoor echt heel nu nooit iets niets wel even op uit en de van tot aan "
    "mee te om"
)
DE_WORDS = _words(
    "der das und ich nicht ist ein eine einen mit auf für noch kein keine bei nach ihnen mein "
    "meine habe schon auch aber dass zu von wir uns sich wird werden gibt es wann warum bitte "
    "danke sehr meinem meiner ihr ihre vom zum zur über nur mich mir hat sind haben viele einer "
    "oder"
)
EN_WORDS = _words(
    "the and to of a is you i my for on it that this with be are have not what how when why do "
    "does can your we our in at from just so me was"
)


def detect_lang(text: str, words: frozenset[str] | None = None) -> str:
    """Cheap stop-word vote between English, Dutch and German; English when in doubt."""
    words = _sentiment.word_set(text) if words is None else words
    nl = len(words & NL_WORDS)
    de = len(words & DE_WORDS)
    if not nl and not de:
        return "en"
    en = len(words & EN_WORDS)
    best, hits = ("nl", nl) if nl > de else ("de", de)
    if hits >= 2 and hits > en or hits == 1 and en == 0:
        return best
    return "en"


def normalise_lang(words: frozenset[str], lang: str | None) -> str:
    """Platform codes vary ("nl-NL", "und", "qme"): keep what we know, detect the rest."""
    code = (lang or "")[:2].lower()
    return code if code in LANGUAGES else detect_lang("", words)
