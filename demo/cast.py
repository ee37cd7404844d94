"""The demo's world: how it behaves, its cast (one identity per channel each), and its clock.

Every choice comes from the ``random.Random`` the caller passes in, so one seed gives one cast.
"""

from __future__ import annotations

import base64
import bisect
import itertools
import math
import random
from dataclasses import dataclass
from datetime import UTC, datetime

from demo.words import (
    ASCII_FOLD,
    CAREERS,
    FIRST,
    LAST,
    MAIL_DOMAINS,
    MONTHS,
    NO_REPLY,
    REDDIT_NOUNS,
    REDDIT_WORDS,
    VOICES,
)

# How the story world behaves: tuned so about a third of what needs an answer never gets one.
NL_SHARE, DE_SHARE = 9, 7  # percent of the cast writing Dutch / German
P_ANSWER = 0.65  # the brand answers before any chase
CHASES = (0.55, 0.4, 0.25)  # the asker writes again (1st, 2nd, 3rd time)
P_LATE = 0.35  # a chase finally gets an answer
P_KEPT = 0.55  # a promise is kept before its deadline
P_THANKS = 0.35  # the asker says thanks after an answer
BRAND_MEDIAN_S, BRAND_SIGMA = 3 * 3600, 1.5  # lognormal brand reply delay
P_OFFICE = 0.85  # share of brand replies moved into office hours
HOUR, DAY = 3600, 86400
NAME_BLOCK = 1024  # <= 32 x 32 name pairs: unique names within each block


# ------------------------------------------------------------------------------------ the cast


@dataclass(slots=True)
class Person:
    """Someone who posts, with one identity per channel.

    A candidate keeps the same name, X handle, Reddit account, mailbox and YouTube channel in
    every story, so the product can link a tweet and a later e-mail to one person.
    """

    key: int
    first: str
    name: str
    handle: str
    reddit: str
    email: str
    lang: str
    uid: str
    rid: str
    ucid: str
    followers: int
    fmt: str = "plain"
    brand: bool = False


BRAND_CHANNEL = "UCnW7Lb3Ams0Ber1nDemo4Qx"
BRAND = Person(
    -100,
    "Northwind",
    "Northwind Labs",
    "NorthwindLabs",
    "NorthwindLabs_HR",
    CAREERS,
    "en",
    "1432987650112345088",
    "t2_9nwlb4hr",
    BRAND_CHANNEL,
    48_210,
    "plain",
    True,
)
BRAND_CAREERS_X = Person(
    -101,
    "Northwind",
    "Northwind Labs Careers",
    "NorthwindCareers",
    "",
    CAREERS,
    "en",
    "1587345098765432321",
    "",
    "",
    9_370,
    "alt",
    True,
)
BRAND_NO_REPLY = Person(
    -102, "Northwind", "Northwind Labs", "", "", NO_REPLY, "en", "", "", "", 0, "alt", True
)


def _mix(value: int) -> int:
    """A 32-bit integer hash: stable across runs and machines, unlike ``hash()`` of a string."""
    x = value & 0xFFFFFFFF
    x = ((x ^ (x >> 16)) * 0x7FEB352D) & 0xFFFFFFFF
    x = ((x ^ (x >> 15)) * 0x846CA68B) & 0xFFFFFFFF
    return x ^ (x >> 16)


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def encode(value: int, width: int, alphabet: str = _B64) -> str:
    """``value`` as ``width`` digits of ``alphabet``: ids that look like the platform's own."""
    if alphabet is _B64 and width % 4 == 0:  # same digits, computed in C
        return base64.urlsafe_b64encode(value.to_bytes(width * 3 // 4, "big")).decode()
    base = len(alphabet)
    digits = []
    for _ in range(width):
        value, rest = divmod(value, base)
        digits.append(alphabet[rest])
    return "".join(reversed(digits))


def scramble(n: int, width: int, alphabet: str = _B64) -> str:
    """``n`` as ``width`` digits that look random but stay unique (an odd multiplier that no
    prime of the base divides is a bijection modulo ``len(alphabet) ** width``)."""
    return encode(n * 0x9E3779B1 % len(alphabet) ** width, width, alphabet)


def fold(text: str) -> str:
    return text.lower().translate(ASCII_FOLD)


def _handle(first: str, last: str, style: int, suffix: str) -> str:
    """An X handle of at most 15 characters; the numeric suffix after a letter keeps it unique."""
    bases = (
        fold(first) + fold(last),
        fold(first) + "_" + fold(last)[0],
        fold(first)[0].upper() + fold(last).capitalize(),
    )
    return bases[style][: 15 - len(suffix)].rstrip("_") + suffix


def make_person(i: int, salt: int) -> Person:
    """Candidate number ``i``: derived, not stored, so a million-post cast costs no memory."""
    h = _mix(i * 0x9E3779B1 + salt)
    roll = h % 100
    lang = "nl" if roll < NL_SHARE else "de" if roll < NL_SHARE + DE_SHARE else "en"
    firsts, lasts = FIRST[lang], LAST[lang]
    pair, block = (i * 7919) % NAME_BLOCK, i // NAME_BLOCK
    first, last = firsts[pair % len(firsts)], lasts[(pair // len(firsts)) % len(lasts)]
    mailbox = f"{fold(first)}.{fold(last)}{block or ''}@{MAIL_DOMAINS[(h >> 7) % 3]}"
    reddit = (
        f"{REDDIT_WORDS[(h >> 9) % 12]}_{REDDIT_NOUNS[(h >> 13) % 12]}{i}"
        if h & 1
        else f"{fold(first)}{fold(last)[:1]}_{i}"
    )
    fmt_roll = (h >> 20) % 20  # mail client: 65 % plain text, 30 % webmail HTML
    return Person(
        key=i,
        first=first,
        name=f"{first} {last}",
        handle=_handle(first, last, (h >> 5) % 3, str(i)),
        reddit=reddit,
        email=mailbox,
        lang=lang,
        uid=str(1_000_000_000 + (i * 2654435761) % 9_000_000_000),
        rid="t2_" + encode(36**7 + (i * 2654435761) % (35 * 36**7), 8, BASE36),
        ucid="UC" + encode(_mix(h) << 64 | _mix(h + 1) << 32 | h, 16) + scramble(i, 6),
        followers=int(25 * math.exp(((h >> 12) % 1000) / 1000 * 5.5)),
        fmt="plain" if fmt_roll < 13 else "alt" if fmt_roll < 19 else "html",
    )


VOICE_PEOPLE = tuple(
    Person(
        -(j + 1),
        name.split()[0],
        name,
        handle,
        handle,
        f"{handle.lower()}@example.net",
        "en",
        str(90_000_000 + j * 104_729),
        f"t2_v{j}{handle[:5].lower()}",
        "UC" + encode(_mix(j) << 64 | _mix(j + 7) << 32 | _mix(j + 9), 16) + scramble(j, 6),
        followers,
    )
    for j, (name, handle, followers) in enumerate(VOICES)
)


class Cast:
    """The recurring people of one workspace: a few write a lot, most only once or twice."""

    def __init__(self, seed: int, size: int) -> None:
        self.salt = _mix(seed ^ (seed >> 32))
        self.size = max(size, 1)
        self._known: dict[int, Person] = {}

    def person(self, i: int) -> Person:
        found = self._known.get(i)
        if found is None:
            if len(self._known) >= 20_000:  # bounded: memory stays flat at any size
                self._known.clear()
            found = self._known[i] = make_person(i, self.salt)
        return found

    def candidate(self, rng: random.Random) -> Person:
        """Skewed to the head of the cast, so some candidates write many times."""
        return self.person(int(self.size * rng.random() ** 1.7))

    def anyone(self, rng: random.Random) -> Person:
        return self.person(int(self.size * rng.random()))

    def voice(self, rng: random.Random) -> Person:
        return VOICE_PEOPLE[int(rng.random() * len(VOICE_PEOPLE))]


# ----------------------------------------------------------------------------------- the clock

_SUMMER: dict[int, tuple[int, int]] = {}


def _last_sunday(year: int, month: int) -> int:
    """01:00 UTC on the last Sunday of a 31-day month: when EU summer time starts or ends."""
    last = datetime(year, month, 31, 1, tzinfo=UTC)
    return int(last.timestamp()) - ((last.weekday() + 1) % 7) * DAY


def amsterdam_offset(t: int) -> int:
    """Europe/Amsterdam's UTC offset at ``t`` by the EU rule, with no time-zone database."""
    year = 1970 + t // 31_556_952
    bounds = _SUMMER.get(year)
    if bounds is None:
        bounds = _SUMMER[year] = (_last_sunday(year, 3), _last_sunday(year, 10))
    return 7200 if bounds[0] <= t < bounds[1] else 3600


def office_hours(rng: random.Random, t: int) -> int:
    """``t`` if it falls Mon-Fri 9-17 in Amsterdam, else soon after 9:00 the next working day."""
    offset = amsterdam_offset(t)
    day, sec = divmod(t + offset, DAY)
    if (day + 3) % 7 < 5 and 9 * HOUR <= sec < 17 * HOUR:
        return t
    if (day + 3) % 7 >= 5 or sec >= 17 * HOUR:
        day += 1
        while (day + 3) % 7 >= 5:
            day += 1
    return day * DAY + 9 * HOUR + int(rng.random() ** 2 * 3 * HOUR) - offset


def brand_time(rng: random.Random, t: int) -> int:
    """When the brand answers something posted at ``t``: minutes to days, mostly office hours."""
    delay = 90 + int(BRAND_MEDIAN_S * math.exp(rng.gauss(0.0, BRAND_SIGMA)))
    return office_hours(rng, t + delay) if rng.random() < P_OFFICE else t + delay


def later(rng: random.Random, t: int, low: float, high: float) -> int:
    """A moment between ``low`` and ``high`` seconds after ``t`` (never the same second)."""
    return t + max(1, int(low + (high - low) * rng.random()))


_HOUR_WEIGHTS = (
    2,
    1,
    1,
    1,
    1,
    2,
    4,
    7,
    10,
    12,
    12,
    11,
    11,
    12,
    12,
    11,
    10,
    10,
    11,
    12,
    12,
    10,
    7,
    4,
)
_HOUR_CUM = tuple(itertools.accumulate(_HOUR_WEIGHTS))


def local_time(rng: random.Random, day0: int, office: bool = False) -> int:
    """A moment of the UTC day starting at ``day0`` that people (or an office) would post at."""
    if office:
        hour = 9 + int(rng.random() * 8)
    else:
        hour = bisect.bisect_right(_HOUR_CUM, rng.random() * _HOUR_CUM[-1])
    t = day0 + hour * HOUR + int(rng.random() * HOUR) - amsterdam_offset(day0)
    return day0 + (t - day0) % DAY


def date_text(t: int, lang: str) -> str:
    when = datetime.fromtimestamp(t, tz=UTC)
    month = MONTHS[lang][when.month - 1]
    return f"{when.day}. {month}" if lang == "de" else f"{when.day} {month}"
