"""The language a post is written in, as the team sees it in the language split.

The platform's own code wins when it names a language (X's ``lang``); otherwise the text is read
by lingua, an offline n-gram detector, restricted to ``DETECTED`` — after a vote of function
words (``sure_language``) that settles a plain English, Dutch or German text for a fraction of
lingua's cost. A text lingua cannot tell apart
with confidence (a link, an emoji, "ok", "got it, thanks") is ``UNDETECTED`` ("und", BCP 47's
"undetermined"): shown as such, never a guess, and never confused with a post not yet read.

This is not ``analysis.language``: that cheap en/nl/de vote only picks the sentiment lexicon.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from analysis.language import DE_WORDS, NL_WORDS

if TYPE_CHECKING:
    from lingua import LanguageDetector

UNDETECTED = "und"

# The languages lingua chooses between, by ISO 639-1 code: those candidates and employees write
# in for an employer in Europe or North America. English, the large EU and Nordic labour markets
# (Bokmål for Norwegian) and Turkish; Russian, Ukrainian, Greek and Arabic, large communities of
# job seekers whose scripts lingua tells apart by their letters, at no cost to a Latin text. Each
# further Latin-script language costs every post a few more microseconds and is one more
# language a short English post can be mistaken for.
NAMES = {
    "en": "English",
    "nl": "Dutch",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "pl": "Polish",
    "sv": "Swedish",
    "da": "Danish",
    "nb": "Norwegian",
    "fi": "Finnish",
    "cs": "Czech",
    "tr": "Turkish",
    "ru": "Russian",
    "uk": "Ukrainian",
    "el": "Greek",
    "ar": "Arabic",
}
DETECTED = tuple(NAMES)

# lingua reads this many characters of a post's cleaned text: its cost grows with the length, and
# the opening tells the language as well as the whole post (on our corpus 120 characters get as
# many right as 200).
MAX_CHARS = 120

# How far ahead of the runner-up lingua's best language must be (0..1) before it is named.
MIN_DISTANCE = 0.1

# A shorter text ("Haha same.", "got it, thanks") gives trigrams too few to go by distance alone:
# its best language must have this share of lingua's confidence, or it is undetected.
SHORT_CHARS = 60
SHORT_CONFIDENCE = 0.6
# Together, on 5,847 labelled English, Dutch and German posts of our corpus: 95 % named right,
# 1 % wrong, 4 % undetected (without the short-text rule: 96 %, 2 %, 2 %; a wrong language is a
# false bar in the split, an undetected one says what it is).
# With ``sure_language`` in front, on the corpus's 7,509 distinct English, Dutch and German
# posts: 96.1 % named right, 1.0 % wrong, 2.9 % undetected (lingua alone: 96.0 %, 1.1 %, 2.9 %).

# Codes that say "no language": undetermined, no linguistic content, several, not coded.
# ISO 639's private-use range qaa..qtz is added below (X: qme media, qht hashtags, qam mentions,
# qct cashtags, qst very short).
_NO_LANGUAGE = frozenset({"und", "zxx", "mul", "mis"})
_CODE = re.compile(r"[a-z]{2,3}")

# A word that names or points rather than speaks: a link, an address, an @mention, a #tag, an
# r/ or u/ reference, an HTML entity, a number. It would only pull a short post towards some
# language. A word with a lone surrogate goes too: lingua (Rust) takes only valid UTF-8.
_NOISE = re.compile(r"[@#/\d\ud800-\udfff]|&#?\w+;")


def language_name(code: str) -> str:
    """How the language split names a stored code: "German", "undetected", or the code itself
    for a language a platform named that we do not detect ("ja")."""
    return "undetected" if code == UNDETECTED else NAMES.get(code, code)


def given_language(code: str | None) -> str | None:
    """A platform's code as the language split shows it ("nl-NL" -> "nl"), or None when it
    names no language ("und", "qme", "zxx", a malformed value)."""
    if not code:
        return None
    primary = re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower()
    if not _CODE.fullmatch(primary) or primary in _NO_LANGUAGE or "qaa" <= primary <= "qtz":
        return None
    return primary


def speech(text: str) -> str:
    """The words of a post lingua should read: its opening, without links, handles and digits."""
    words = (text or "")[: MAX_CHARS * 3].split()
    return " ".join(word for word in words if not _NOISE.search(word))[:MAX_CHARS]


# Function words that each mark one of English, Dutch and German, and no other language lingua
# chooses between (Swedish "nog" and "just", Danish "mit" and "der", Czech and French "je",
# Turkish "can", Polish "my", German "also" and "will", Dutch "we", "want" and "had" are left out
# for that reason).
def _marker_set(spec: str) -> frozenset[str]:
    return frozenset(spec.split())


_MARKERS = {
    "en": _marker_set(
        "the and you your what when with this that have are does would could should there their "
        "they them been about which but our please any some after"
    ),
    "nl": _marker_set(
        "het een niet ik jullie mijn geen wat hoe bij naar heb ook maar dat zijn wij hebben heeft "
        "wordt gaat moet zou deze waarom wanneer graag bedankt"
    ),
    "de": _marker_set(
        "und ich nicht ist ein eine auf für noch kein keine bei nach habe schon auch aber dass "
        "wir uns sich wird werden gibt bitte danke sehr"
    ),
}
# A marker of another language rules the shortcut out: for English, every word the cheap
# en/nl/de vote (``analysis.language``) counts as Dutch or German, "de", "en", "op" included.
_AGAINST = {
    "en": _MARKERS["nl"] | _MARKERS["de"] | NL_WORDS | DE_WORDS,
    "nl": _MARKERS["en"] | _MARKERS["de"],
    "de": _MARKERS["en"] | _MARKERS["nl"],
}
# How many distinct markers of one language, and none of another, settle a text without lingua.
SURE_MARKERS = 2
_WORD = re.compile(r"\w+")
_UMLAUTS = str.maketrans("äöüß", "aous")


def sure_language(words: str) -> str | None:
    """English, Dutch or German when the cleaned text says so beyond doubt, else None.

    lingua costs about a microsecond per character; this vote costs a few for a whole post.
    It answers only for a text lingua would read in full (``SHORT_CHARS`` or more), written in
    plain ASCII (umlauts and ß allowed for German), with at least ``SURE_MARKERS`` function
    words of one of the three languages and none of another. On the labelled corpus it answers
    for about half of the posts; where it differs from lingua (10 of 4,000 there), lingua
    misread an English post as French, Danish or Dutch, and the labels side with this vote.
    """
    if len(words) < SHORT_CHARS:
        return None
    lowered = words.lower()
    ascii_only = lowered.isascii()
    if not ascii_only and not lowered.translate(_UMLAUTS).isascii():
        return None
    found = set(_WORD.findall(lowered))
    for code in ("en", "nl", "de") if ascii_only else ("de",):
        if len(found & _MARKERS[code]) >= SURE_MARKERS and not found & _AGAINST[code]:
            return code
    return None


def detect(text: str) -> str:
    """The ISO 639-1 code of the language read in ``text``, or ``UNDETECTED``:
    ``sure_language`` answers for a plain English, Dutch or German text, lingua for the rest."""
    words = speech(text)
    if not words:
        return UNDETECTED
    return sure_language(words) or read_by_lingua(words)


def read_by_lingua(words: str) -> str:
    """What lingua reads in a post's cleaned words (``speech``)."""
    detector = _detector()
    if len(words) >= SHORT_CHARS:
        found = detector.detect_language_of(words)
        return found.iso_code_639_1.name.lower() if found is not None else UNDETECTED
    values = detector.compute_language_confidence_values(words)
    if not values or values[0].value < SHORT_CONFIDENCE:
        return UNDETECTED
    return values[0].language.iso_code_639_1.name.lower()


def post_language(text: str, given: str | None = None) -> str:
    """The language shown for a post: the platform's when it names one, else detected."""
    return given_language(given) or detect(text)


@cache
def _detector() -> LanguageDetector:
    """One detector per process, built on first use (a pool process builds its own). Low-accuracy
    mode reads trigrams only: 40 MB for every language here, where the full mode takes 400 MB
    more and four times as long; ``MIN_DISTANCE`` turns the guesses that costs on short posts
    into "undetected"."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in DETECTED]
    return (
        LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
        .with_low_accuracy_mode()
        .with_minimum_relative_distance(MIN_DISTANCE)
        .build()
    )
