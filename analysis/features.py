"""The features the learned models read: words, word pairs and the rules' own verdicts.

A post's words and word pairs (``lexical``) are computed once, when it is read, and both models
read them; each model adds a few names of its own (``needs_extras``, ``sentiment_extras``). So
training (``analysis.training``) and the running product (``analysis.model``) cannot see a post
differently. Features are binary names ("w:update", "b:any_update", "rule:chase",
"ch:addressed|rule:question") except the few numbers VADER gives, which are named values.
"""

from __future__ import annotations

import re

MAX_TOKENS = 160  # a long mail says what it wants early; the rest only costs time

_TOKEN = re.compile(r"https?://\S+|[@#]?\w[\w'-]*|[?!]")


def tokens(text: str) -> list[str]:
    """Lower-cased words; links, @handles and numbers folded to one token each, so a model
    learns "mentions someone" rather than a particular handle."""
    out: list[str] = []
    for token in _TOKEN.findall(text.lower(), 0, 4 * MAX_TOKENS * 8)[:MAX_TOKENS]:
        first = token[0]
        if first == "h" and token.startswith(("http://", "https://")):
            out.append("<url>")
        elif first == "@":
            out.append("<at>")
        elif token.isdigit():
            out.append("<num>")
        else:
            out.append(token)
    return out


def lexical(words: list[str]) -> frozenset[str]:
    """Word and word-pair features; the first word is marked, since openings carry intent
    ("any update", "hierbij solliciteer")."""
    found = {"w:" + w for w in words}
    found.update("b:" + a + "_" + b for a, b in zip(words, words[1:], strict=False))
    if words:
        found.add("first:" + words[0])
    return frozenset(found)


def _sentiment_bin(compound: float) -> str:
    if compound <= -0.5:
        return "vader:--"
    if compound <= -0.05:
        return "vader:-"
    if compound < 0.05:
        return "vader:0"
    if compound < 0.5:
        return "vader:+"
    return "vader:++"


def _length_bin(count: int) -> str:
    if count <= 3:
        return "len:1-3"
    if count <= 8:
        return "len:4-8"
    if count <= 25:
        return "len:9-25"
    return "len:26+"


def needs_extras(
    reading_tokens: int,
    compound: float,
    channel: str | None,
    kind: str | None,
    fired: frozenset[str],
) -> list[str]:
    """What the needs-response model reads besides the words: the channel, the rules' verdict
    and signals, and the rules crossed with the channel (a crowd question means one thing in
    public and another said to the brand)."""
    ch = "ch:" + (channel or "none")
    rule = "rule:" + (kind or "none")
    extras = [ch, rule, f"{ch}|{rule}", _sentiment_bin(compound), _length_bin(reading_tokens)]
    for name in fired:
        extras.append("sig:" + name)
        extras.append(f"{ch}|sig:{name}")
    return extras


def sentiment_extras(compound: float) -> tuple[list[str], dict[str, float]]:
    """What the sentiment model reads besides the words: VADER's domain-adjusted score, as a
    band and as values."""
    values = {"vader": compound, "vader_pos": max(compound, 0.0), "vader_neg": min(compound, 0.0)}
    return [_sentiment_bin(compound)], values
