"""The learned part of the analysis: linear models over words and the rules' verdicts.

Rules say what a post does ("asks a question", "chases"); where that stops generalising (a
problem report without "?", a complaint without a negative word, a crowd question about the
employer) three small linear models trained on the labelled corpus (``corpus/``, rebuilt by
``python corpus/train.py``) decide:

- **needs** — does an inbound post on a non-direct channel need an answer (a probability, with
  a threshold per channel chosen by cross-validation);
- **intent** — what kind of answer, when the rules name none;
- **sentiment** — negative / neutral / positive, with VADER's score among its features.

They are plain weight tables, scored here in pure Python: no library to import at start and a few
dictionary look-ups per post, so analysis stays about as fast as VADER alone. The tables load
once per process, on first use. The setting ``FULLCIRCLE_MODEL`` (read by ``settings``, handed
here through ``use``) points at another file: a workspace's model retrained on its own
corrections (``cli.py labels train``).
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from analysis import features
from analysis import sentiment as _sentiment
from analysis.reading import Reading

SHIPPED = Path(__file__).with_name("models") / "text_model.json"
MODEL_SETTING = "FULLCIRCLE_MODEL"
FORMAT = 1
_chosen: list[Path] = [SHIPPED]


class ModelFileError(ValueError):
    """The model file is missing, unreadable or of another format; the message names it."""


def use(path: Path | str | None) -> None:
    """Score with the model at ``path`` from now on (None: the shipped one). Checked at once, so
    a wrong setting stops the start with its name, not the first post."""
    _chosen[0] = Path(path) if path else SHIPPED
    loaded.cache_clear()
    loaded()


def model_path() -> Path:
    return _chosen[0]


@cache
def loaded() -> dict[str, Any] | None:
    """The weight tables, read once per process; None when no model file is shipped."""
    path = model_path()
    if not path.is_file():
        if path != SHIPPED:
            raise ModelFileError(
                f"{MODEL_SETTING}={path}: no such file; unset it to use the "
                f"shipped model or run `cli.py labels train`"
            )
        return None
    try:
        table = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFileError(
            f"{path}: not a model file ({exc.__class__.__name__}); rebuild "
            "it with `python corpus/train.py`"
        ) from exc
    if not isinstance(table, dict) or table.get("format") != FORMAT:
        raise ModelFileError(
            f"{path}: model format {table.get('format')!r}, expected "
            f"{FORMAT}; rebuild it with `python corpus/train.py`"
        )
    return table


def _logit(part: dict[str, Any], names: frozenset[str], extras: list[str]) -> float:
    weights = part["weights"]
    total = part["bias"]
    for group in (names, extras):
        for name in group:
            weight = weights.get(name)
            if weight is not None:
                total += weight
    return total


def _logits(
    part: dict[str, Any], names: frozenset[str], extras: list[str], values: dict[str, float]
) -> list[float]:
    totals = list(part["bias"])
    weights = part["weights"]
    for group in (names, extras):
        for name in group:
            row = weights.get(name)
            if row is not None:
                for k, weight in enumerate(row):
                    totals[k] += weight
    for name, value in values.items():
        row = part["value_weights"].get(name)
        if row is not None and value:
            for k, weight in enumerate(row):
                totals[k] += weight * value
    return totals


def uses_rule_signals() -> bool:
    """Whether the needs model reads the rules' signals (so they must be computed)."""
    table = loaded()
    return table is not None and bool(table["needs"].get("with_rules", True))


class Judgement(NamedTuple):
    needs_response: bool | None  # None without a model: the rules' verdict stands
    score: float
    label: str


@cache
def _joined() -> tuple[dict[str, tuple[float, float, float]], list[str]] | None:
    """Every word feature's weights for both models in one row: (needs, negative - neutral,
    positive - neutral), so a post's words are looked up once for the two decisions."""
    table = loaded()
    if table is None:
        return None
    needs, sentiment = table["needs"]["weights"], table["sentiment"]
    classes = sentiment["classes"]
    neg, neu, pos = (classes.index(c) for c in ("negative", "neutral", "positive"))
    rows: dict[str, tuple[float, float, float]] = {}
    for name in set(needs) | set(sentiment["weights"]):
        w = sentiment["weights"].get(name, (0.0, 0.0, 0.0))
        rows[name] = (needs.get(name, 0.0), w[neg] - w[neu], w[pos] - w[neu])
    return rows, classes


def judge(
    reading: Reading, channel: str | None, kind: str | None, fired: frozenset[str]
) -> Judgement:
    """Sentiment for any post and, for an inbound one, whether it needs an answer: one pass
    over the post's words for both models."""
    table, joined = loaded(), _joined()
    compound = reading.compound
    if table is None or joined is None:
        return Judgement(None, compound, _sentiment.label(compound))
    rows, _ = joined
    part = table["sentiment"]
    bias = part["bias"]
    classes = part["classes"]
    neg, neu, pos = (classes.index(c) for c in ("negative", "neutral", "positive"))
    n = table["needs"]["bias"]
    a, b = bias[neg] - bias[neu], bias[pos] - bias[neu]
    for name in reading.names:
        row = rows.get(name)
        if row is not None:
            n += row[0]
            a += row[1]
            b += row[2]
    extras, values = features.sentiment_extras(compound)
    for name in extras:
        w = part["weights"].get(name)
        if w is not None:
            a += w[neg] - w[neu]
            b += w[pos] - w[neu]
    for name, value in values.items():
        w = part["value_weights"].get(name)
        if w is not None:
            a += (w[neg] - w[neu]) * value
            b += (w[pos] - w[neu]) * value
    label = "negative" if a > max(b, 0.0) else "positive" if b > max(a, 0.0) else "neutral"
    choice = table["meta"].get("sentiment", {})
    label = guarded_label(label, compound, choice.get("guard"), choice.get("lift", True))
    if not table["needs"].get("with_rules", True):
        kind, fired = None, frozenset()
    needs_weights = table["needs"]["weights"]
    for name in features.needs_extras(len(reading.tokens), compound, channel, kind, fired):
        n += needs_weights.get(name, 0.0)
    thresholds = table["needs"]["thresholds"]
    needed = 1.0 / (1.0 + math.exp(-n)) >= thresholds.get(channel or "none", thresholds["none"])
    return Judgement(needed, consistent_score(compound, label), label)


def likely_intent(
    reading: Reading, channel: str | None, kind: str | None, fired: frozenset[str]
) -> str:
    """The most likely kind of answer a post needs, when the rules name none."""
    table = loaded()
    if table is None:
        return "question"
    part = table["intent"]
    extras = features.needs_extras(len(reading.tokens), reading.compound, channel, kind, fired)
    scores = _logits(part, reading.names, extras, {})
    return str(part["classes"][max(range(len(scores)), key=scores.__getitem__)])


def guarded_label(label: str, compound: float, guard: float | None, lift: bool = True) -> str:
    """VADER's own label where its score is at least ``guard`` strong, else the model's; without
    ``lift`` the model may not turn a post VADER reads as negative into a positive one (it may
    still call it neutral). Both are chosen by cross-validation in ``corpus/train.py``."""
    if guard is not None and abs(compound) >= guard:
        return _sentiment.label(compound)
    if not lift and label == "positive" and _sentiment.label(compound) == "negative":
        return "neutral"
    return label


def consistent_score(compound: float, label: str) -> float:
    """VADER's score, or the nearest score inside the label's band when it lies outside it."""
    if label == "negative":
        return min(compound, -_sentiment.POSITIVE_THRESHOLD)
    if label == "positive":
        return max(compound, _sentiment.POSITIVE_THRESHOLD)
    return max(min(compound, 0.0499), -0.0499)
