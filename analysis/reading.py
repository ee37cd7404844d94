"""One post read once: normalised text, its words and tokens, its language and VADER score.

Every rule and model reads a ``Reading``, so the costly steps (normalising a mail, tokenising,
the VADER pass) happen once per post however many decisions use them.
"""

from __future__ import annotations

from typing import NamedTuple

from analysis import features
from analysis import sentiment as _sentiment
from analysis.language import normalise_lang
from analysis.normalise import for_rules

# The rules and models read this much of a post. A candidate says what they want long before
# it (a long cover letter is 5,000 characters); a pasted log or a hostile 1 MB line only costs.
MAX_READ_CHARS = 20_000


class Reading(NamedTuple):
    text: str  # what the author wrote: quotes, signature and hard wraps undone
    words: frozenset[str]  # for the rules' trigger tests
    tokens: list[str]  # for the models
    names: frozenset[str]  # the models' word and word-pair features
    compound: float  # VADER, domain-adjusted
    lang: str


def read(text: str, lang: str | None = None) -> Reading:
    text = for_rules(_sentiment.normalise((text or "")[:MAX_READ_CHARS]))
    words = _sentiment.word_set(text)
    code = normalise_lang(words, lang)
    tokens = features.tokens(text)
    return Reading(
        text, words, tokens, features.lexical(tokens), _sentiment.score(text, code, words), code
    )
