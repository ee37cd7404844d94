"""Deadlines the employer commits to in its own posts and automatic mails.

A promise is only a promise when the company says *it* will act ("we'll get back to you within
two weeks", "you'll hear from us tomorrow", "expect a reply in 5 working days"). Times in other
brand posts ("join us at next week's event", "applications close in two weeks") are schedules,
not commitments, so a time counts only when it stands in a sentence that carries a commitment.

Deadlines are calendar hours after the post because the post's weekday is unknown here. Working
days are converted at 7/5 calendar days each (5 working days = one calendar week) and also
returned as a count, so a caller with a working calendar can compute the exact due time. A named
weekday or "end of the week" is on average four days away, hence 96 hours.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

_I = re.IGNORECASE

_COMMITMENT = re.compile(
    r"\b(?:we|i)\s*(?:'ll|will|shall|aim\s+to|try\s+to|promise\s+to|commit\s+to|hope\s+to|"
    r"are\s+going\s+to|'re\s+going\s+to|'ll\s+try\s+to|will\s+try\s+to)\b|"
    r"\byou\s*(?:'ll|will|should|can\s+expect\s+to)\s+(?:hear|receive|get|have)\b|"
    r"\bexpect\s+(?:to\s+hear|(?:a|an|our)\s+(?:reply|response|call|decision|answer|update|"
    r"e-?mail|message))\b|"
    r"\b(?:a|one\s+of\s+our|our|the|a\s+member\s+of\s+our)\s+(?:recruit(?:er|ers|ing\s+team|"
    r"ment\s+team)|team|hiring\s+(?:team|manager)|colleague|hr\s+team|people\s+team|talent\s+"
    r"team)\b[^.!?]{0,40}?\b(?:will|'ll|aims?\s+to|is\s+going\s+to)\b|"
    r"\bsomeone\s+(?:from\s+[\w&]+\s+)?will\b|"
    r"\b(?:will|'ll)\s+(?:get\s+back|respond|reply|answer|contact|reach\s+out|be\s+in\s+touch|"
    r"follow\s+up|let\s+you\s+know|update\s+you|send\s+you|call\s+you|e-?mail\s+you|dm\s+you|"
    r"confirm)\b|"
    # Dutch
    r"\b(?:we|wij|ik)\s+(?:nemen|komen|reageren|sturen|bellen|laten|mailen|antwoorden|kijken|"
    r"zullen|streven)\b|\b(?:je|u|jij)\s+(?:hoort|ontvangt|krijgt)\b|"
    # German
    r"\b(?:wir|ich)\s+(?:melden|antworten|kontaktieren|schicken|senden|rufen|geben|werden|"
    r"prüfen)\b|\b(?:Sie|du)\s+(?:hören|erhalten|bekommen)\b|"
    r"\b(?:unser|das)\s+team\s+(?:meldet|wird)\b",
    _I,
)

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 3,
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "veertien": 14,
    "een paar": 3,
    "enkele": 3,
    "ein": 1,
    "eine": 1,
    "einer": 1,
    "einem": 1,
    "einen": 1,
    "zwei": 2,
    "drei": 3,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "neun": 9,
    "zehn": 10,
    "vierzehn": 14,
    "ein paar": 3,
    "wenigen": 3,
    "weniger": 3,
    "einigen": 3,
}
_NUM = r"\d+(?:[.,]\d+)?|" + "|".join(
    re.escape(w).replace(r"\ ", r"\s+") for w in sorted(_NUMBER_WORDS, key=len, reverse=True)
)
_UNIT_HOURS = {"h": 1, "d": 24, "w": 168, "m": 720, "f": 336}
_UNITS = (
    ("h", r"hours?|hrs?|h|uur|uren|stunden?|std"),
    ("d", r"days?|dagen|dag|tagen?"),
    ("w", r"weeks?|weken|wochen?"),
    ("m", r"months?|maanden|maand|monaten?|monat"),
    ("f", r"fortnights?"),
)
_UNIT = "|".join(f"(?P<u{key}>{alts})" for key, alts in _UNITS)
_AMOUNT = (
    rf"\b(?P<n>{_NUM})(?:\s*(?:-|–|to|tot|bis)\s*(?P<m>{_NUM}))?\s*"
    rf"(?P<wd>working|business|werk|arbeits|werk-)?\s*(?:{_UNIT})\b"
)
# "within the hour", "in the next week": a unit with no number means one of it.
_SINGLE = (
    r"\b(?:within|in|binnen|innerhalb)\s+(?:the\s+next\s+|the\s+|de\s+|den\s+nächsten\s+)"
    r"(?P<su>hour|day|week|month|uur|dag|week|woche|stunde)\b"
)
_SINGLE_HOURS = {
    "hour": 1.0,
    "uur": 1.0,
    "stunde": 1.0,
    "day": 24.0,
    "dag": 24.0,
    "week": 168.0,
    "woche": 168.0,
    "month": 720.0,
}
_NAMED = (
    ("fortnight", 336.0, r"\b(?:a|one)\s+fortnight\b"),
    ("overmorrow", 48.0, r"\b(?:overmorgen|übermorgen|the\s+day\s+after\s+tomorrow)\b"),
    ("tomorrow", 24.0, r"\b(?:tomorrow|morgen)\b"),
    (
        "today",
        8.0,
        r"\b(?:later\s+today|today|tonight|end\s+of\s+(?:the\s+)?day|eod|vandaag|"
        r"vanmiddag|vanavond|heute|noch\s+heute)\b",
    ),
    (
        "nextweek",
        168.0,
        r"\b(?:next\s+week|volgende\s+week|nächste(?:n)?\s+woche|kommende(?:n)?"
        r"\s+woche|komende\s+week)\b",
    ),
    (
        "thisweek",
        96.0,
        r"\b(?:this\s+week|(?:the\s+)?end\s+of\s+(?:the|this)\s+week|deze\s+week|"
        r"eind\s+van\s+de\s+week|diese(?:r)?\s+woche|ende\s+der\s+woche)\b",
    ),
    (
        "weekday",
        96.0,
        r"\b(?:by|on|before|until|op|voor|uiterlich|bis|am)\s+(?:next\s+)?"
        r"(?:monday|tuesday|wednesday|thursday|friday|maandag|dinsdag|woensdag|"
        r"donderdag|vrijdag|montag|dienstag|mittwoch|donnerstag|freitag)\b",
    ),
    ("nextmonth", 720.0, r"\b(?:next\s+month|volgende\s+maand|nächste(?:n)?\s+monat)\b"),
    (
        "monthend",
        360.0,
        r"\b(?:the\s+)?end\s+of\s+(?:the|this)\s+month\b|\beind\s+van\s+de\s+"
        r"maand\b|\bende\s+des\s+monats\b",
    ),
)
_NAMED_HOURS = {name: hours for name, hours, _ in _NAMED}
_TIME = re.compile(
    "|".join([_AMOUNT, _SINGLE] + [f"(?P<{name}>{rx})" for name, _, rx in _NAMED]), _I
)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


class Deadline(NamedTuple):
    hours: float
    working_days: int | None


def _number(word: str) -> float:
    word = re.sub(r"\s+", " ", word.lower())
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    return float(word.replace(",", "."))


def _amount(match: re.Match[str]) -> Deadline:
    count = _number(match.group("m") or match.group("n"))
    unit = next(key for key, _ in _UNITS if match.group(f"u{key}"))
    if not match.group("wd"):
        return Deadline(count * _UNIT_HOURS[unit], None)
    days = count / 8 if unit == "h" else count
    return Deadline(round(days * 7 / 5 * 24, 2), math.ceil(days))


def _deadline(match: re.Match[str]) -> Deadline:
    if match.group("n"):
        return _amount(match)
    if match.group("su"):
        return Deadline(_SINGLE_HOURS[match.group("su").lower()], None)
    return Deadline(_NAMED_HOURS[match.lastgroup or ""], None)


def _sentence_deadline(sentence: str) -> Deadline | None:
    """The time that follows the commitment; a time before it ("Tomorrow we'll...") otherwise."""
    commitment = _COMMITMENT.search(sentence)
    if commitment is None:
        return None
    times = list(_TIME.finditer(sentence))
    if not times:
        return None
    after = [t for t in times if t.start() >= commitment.start()]
    return _deadline(after[0] if after else times[-1])


def extract(text: str) -> Deadline | None:
    """First committed deadline in a brand post, or None when the post promises no time."""
    for sentence in _SENTENCE.findall(text):
        found = _sentence_deadline(sentence)
        if found is not None:
            return found
    return None
