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
from typing import Any

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


def _logit(part: dict[str, Any], names: set[str]) -> float:
    weights = part["weights"]
    total = part["bias"]
    for name in names:
        weight = weights.get(name)
        if weight is not None:
            total += weight
    return total


def _logits(part: dict[str, Any], names: set[str], values: dict[str, float]) -> list[float]:
    totals = list(part["bias"])
    weights = part["weights"]
    for name in names:
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


def needs_probability(
    reading: Reading, channel: str | None, kind: str | None, fired: frozenset[str]
) -> float | None:
    table = loaded()
    if table is None:
        return None
    if not table["needs"].get("with_rules", True):
        kind, fired = None, frozenset()
    names = features.needs_features(reading.tokens, reading.compound, channel, kind, fired)
    return 1.0 / (1.0 + math.exp(-_logit(table["needs"], names)))


def needs_response(
    reading: Reading, channel: str | None, kind: str | None, fired: frozenset[str]
) -> bool | None:
    """The model's verdict, or None without a model (the rules' verdict stands)."""
    probability = needs_probability(reading, channel, kind, fired)
    if probability is None:
        return None
    thresholds = loaded()["needs"]["thresholds"]  # type: ignore[index]
    return probability >= thresholds.get(channel or "none", thresholds["none"])


def likely_intent(
    reading: Reading, channel: str | None, kind: str | None, fired: frozenset[str]
) -> str:
    """The most likely kind of answer a post needs, when the rules name none."""
    table = loaded()
    if table is None:
        return "question"
    part = table["intent"]
    names = features.needs_features(reading.tokens, reading.compound, channel, kind, fired)
    scores = _logits(part, names, {})
    return part["classes"][max(range(len(scores)), key=scores.__getitem__)]


def sentiment(reading: Reading, fired: frozenset[str]) -> tuple[float, str]:
    """(score in -1..1, label). The label is the model's; the score is VADER's, moved just
    inside the label's band when the two disagree ("Great, another ghosting. Typical." keeps
    VADER's strength of feeling but not its sign), so the two never contradict each other."""
    compound = reading.compound
    table = loaded()
    if table is None:
        return compound, _sentiment.label(compound)
    part = table["sentiment"]
    names, values = features.sentiment_features(reading.tokens, compound, fired)
    scores = _logits(part, names, values)
    label = part["classes"][max(range(len(scores)), key=scores.__getitem__)]
    return consistent_score(compound, label), label


def consistent_score(compound: float, label: str) -> float:
    """VADER's score, or the nearest score inside the label's band when it lies outside it."""
    if label == "negative":
        return min(compound, -_sentiment.POSITIVE_THRESHOLD)
    if label == "positive":
        return max(compound, _sentiment.POSITIVE_THRESHOLD)
    return max(min(compound, 0.0499), -0.0499)
