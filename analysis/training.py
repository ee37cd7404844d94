"""Fitting the weight tables of ``analysis.model`` from labelled rows, and judging them fairly.

Rows are the corpus's (``corpus/GUIDE.md``): text, channel, labels. Fitting uses scikit-learn's
logistic regression (imported only here, never by the running product); the result is the plain
table ``analysis.model`` scores. Choices — rules, words, or both; the regularisation; each
channel's threshold — are made by grouped cross-validation on the training rows only, so a
conversation's posts never sit on both sides of a fold and no held-out row is ever looked at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from analysis import direct, features, intent
from analysis.decide import INTENTS
from analysis.model import FORMAT
from analysis.reading import Reading, read

SENTIMENTS = ("negative", "neutral", "positive")
# Rows of a source that is large and of another genre count for less than the posts we serve.
SOURCE_WEIGHTS = {"enron-email-intent": 0.3}
# Sentences cut out of e-mails are not posts: they get no unknown-channel copy, which stands for
# a whole post handed to ``cli.py analyze`` without its channel.
NOT_POSTS = frozenset({"enron-email-intent"})
UNKNOWN_CHANNEL_WEIGHT = 0.5
DIGITS = 3
# Weights this small change no decision; dropping them keeps the shipped file small and quick
# to load.
PRUNE = 0.02


@dataclass(frozen=True)
class Example:
    """A labelled row, read the way the product reads a post."""

    row: dict[str, Any]
    reading: Reading
    channel: str | None
    kind: str | None
    fired: frozenset[str]
    weight: float
    group: str

    @property
    def needs(self) -> bool | None:
        return self.row.get("needs_response")


def read_rows(rows: Iterable[dict[str, Any]]) -> list[Example]:
    examples = []
    for row in rows:
        reading = read(row["text"], row.get("lang"))
        channel = row.get("channel")
        kind, fired = intent.signals(reading.text, reading.compound, reading.words, channel)
        weight = SOURCE_WEIGHTS.get(row.get("source", ""), 1.0)
        examples.append(Example(row, reading, channel, kind, fired, weight, group_of(row)))
    return examples


def group_of(row: dict[str, Any]) -> str:
    """Rows that must stay on one side of a fold: a company's threads, else the row itself."""
    return f"company:{row['company']}" if row.get("company") else f"row:{row['id']}"


def unknown_channel(example: Example) -> Example:
    """The same post as ``cli.py analyze`` sees it without a channel."""
    reading = example.reading
    kind, fired = intent.signals(reading.text, reading.compound, reading.words, None)
    return Example(
        example.row,
        reading,
        None,
        kind,
        fired,
        example.weight * UNKNOWN_CHANNEL_WEIGHT,
        example.group,
    )


def needs_examples(examples: Sequence[Example]) -> list[Example]:
    """Inbound rows the model decides (direct channels are the rules'), plus each social post
    once more without its channel."""
    chosen = [
        e
        for e in examples
        if not e.row.get("is_brand")
        and e.needs is not None
        and e.channel != "direct"
        and not e.row.get("automated")
    ]
    return chosen + [
        unknown_channel(e)
        for e in chosen
        if e.channel is not None and e.row.get("source") not in NOT_POSTS
    ]


def needs_names(example: Example, with_rules: bool = True) -> set[str]:
    kind, fired = (example.kind, example.fired) if with_rules else (None, frozenset())
    reading = example.reading
    extras = features.needs_extras(
        len(reading.tokens), reading.compound, example.channel, kind, fired
    )
    return set(reading.names).union(extras)


def sentiment_names(example: Example) -> tuple[set[str], dict[str, float]]:
    extras, values = features.sentiment_extras(example.reading.compound)
    return set(example.reading.names).union(extras), values


def _vectorise(dicts: list[dict[str, float]], vectoriser: Any = None) -> tuple[Any, Any]:
    from sklearn.feature_extraction import DictVectorizer

    if vectoriser is None:
        vectoriser = DictVectorizer()
        return vectoriser.fit_transform(dicts), vectoriser
    return vectoriser.transform(dicts), vectoriser


def _as_dict(names: set[str], values: dict[str, float] | None = None) -> dict[str, float]:
    found = dict.fromkeys(names, 1.0)
    if values:
        found.update({f"value:{k}": v for k, v in values.items()})
    return found


def _regression(c: float) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced")


def fit_needs(examples: Sequence[Example], c: float, with_rules: bool = True) -> Any:
    """(vectoriser, regression) for needs-response on these examples."""
    matrix, vectoriser = _vectorise([_as_dict(needs_names(e, with_rules)) for e in examples])
    model = _regression(c)
    model.fit(matrix, [bool(e.needs) for e in examples], sample_weight=[e.weight for e in examples])
    return vectoriser, model


def needs_probabilities(
    fitted: Any, examples: Sequence[Example], with_rules: bool = True
) -> list[float]:
    vectoriser, model = fitted
    matrix, _ = _vectorise([_as_dict(needs_names(e, with_rules)) for e in examples], vectoriser)
    return [float(p) for p in model.predict_proba(matrix)[:, 1]]


def fit_intent(examples: Sequence[Example], c: float) -> Any:
    chosen = [e for e in examples if e.needs and e.row.get("intent") in INTENTS]
    matrix, vectoriser = _vectorise([_as_dict(needs_names(e)) for e in chosen])
    model = _regression(c)
    model.fit(matrix, [e.row["intent"] for e in chosen], sample_weight=[e.weight for e in chosen])
    return vectoriser, model


def fit_sentiment(examples: Sequence[Example], c: float) -> Any:
    chosen = [e for e in examples if e.row.get("sentiment_label") in SENTIMENTS]
    matrix, vectoriser = _vectorise([_as_dict(*sentiment_names(e)) for e in chosen])
    model = _regression(c)
    model.fit(
        matrix, [e.row["sentiment_label"] for e in chosen], sample_weight=[e.weight for e in chosen]
    )
    return vectoriser, model


def predict_sentiment(fitted: Any, examples: Sequence[Example]) -> list[str]:
    vectoriser, model = fitted
    matrix, _ = _vectorise([_as_dict(*sentiment_names(e)) for e in examples], vectoriser)
    return [str(label) for label in model.predict(matrix)]


def folds(examples: Sequence[Example], k: int = 5, seed: int = 13) -> list[tuple[list, list]]:
    """Grouped k-fold: every group (a company's threads, a row and its unknown-channel copy)
    falls in one fold."""
    import random

    groups = sorted({e.group for e in examples})
    random.Random(seed).shuffle(groups)
    fold_of = {group: i % k for i, group in enumerate(groups)}
    return [
        (
            [e for e in examples if fold_of[e.group] != i],
            [e for e in examples if fold_of[e.group] == i],
        )
        for i in range(k)
    ]


def best_threshold(pairs: Sequence[tuple[float, bool]]) -> float:
    """The probability cut that maximises F1 on out-of-fold predictions."""
    best, best_f1 = 0.5, -1.0
    for step in range(10, 91):
        cut = step / 100
        f1 = f1_score([gold for _, gold in pairs], [p >= cut for p, _ in pairs])
        if f1 > best_f1:
            best, best_f1 = cut, f1
    return best


def f1_score(gold: Sequence[bool], predicted: Sequence[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def _weights(vectoriser: Any, coefficients: Any) -> dict[str, Any]:
    names = vectoriser.get_feature_names_out()
    table: dict[str, Any] = {}
    for index, name in enumerate(names):
        column = coefficients[:, index]
        rounded = [round(float(w), DIGITS) for w in column]
        if max(abs(w) for w in rounded) >= PRUNE:
            table[str(name)] = rounded if len(rounded) > 1 else rounded[0]
    return table


def needs_table(fitted: Any, thresholds: dict[str, float], with_rules: bool) -> dict[str, Any]:
    vectoriser, model = fitted
    return {
        "bias": round(float(model.intercept_[0]), DIGITS),
        "weights": _weights(vectoriser, model.coef_),
        "thresholds": thresholds,
        "with_rules": with_rules,
    }


def multiclass_table(fitted: Any) -> dict[str, Any]:
    vectoriser, model = fitted
    weights = _weights(vectoriser, model.coef_)
    values = {
        name[len("value:") :]: weights.pop(name)
        for name in list(weights)
        if name.startswith("value:")
    }
    return {
        "classes": [str(c) for c in model.classes_],
        "bias": [round(float(b), DIGITS) for b in model.intercept_],
        "weights": weights,
        "value_weights": values,
    }


def model_table(
    needs: dict[str, Any],
    intent_part: dict[str, Any],
    sentiment_part: dict[str, Any],
    meta: dict[str, Any],
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "meta": meta,
        "needs": needs,
        "intent": intent_part,
        "sentiment": sentiment_part,
    }


def direct_verdicts(examples: Sequence[Example]) -> list[tuple[bool, bool]]:
    """(gold, rules) for direct-channel rows: what the direct rules decide there."""
    from analysis.decide import inbound

    pairs = []
    for e in examples:
        if e.channel == "direct" and not e.row.get("is_brand") and e.needs is not None:
            verdict = inbound(
                e.reading, "direct", bool(e.row.get("automated")), e.kind, e.fired, None
            )
            pairs.append((bool(e.needs), verdict.needs_response))
    return pairs


__all__ = [
    "INTENTS",
    "SENTIMENTS",
    "Example",
    "best_threshold",
    "direct",
    "direct_verdicts",
    "f1_score",
    "fit_intent",
    "fit_needs",
    "fit_sentiment",
    "folds",
    "model_table",
    "multiclass_table",
    "needs_examples",
    "needs_probabilities",
    "needs_table",
    "predict_sentiment",
    "read_rows",
]
