"""Rebuild the shipped text model from the corpus's training rows, choosing by cross-validation.

    python corpus/train.py [--corrections FILE] [--output PATH] [--json]

Reads every ``train`` row of ``corpus/*.jsonl`` (never a ``heldout`` row), and optionally a
workspace's corrections (``cli.py labels export``). For needs-response it compares, by grouped
5-fold cross-validation, the rules alone, a model over words alone, and a model over words and the
rules' verdicts, at three strengths of regularisation; picks the best; sets each channel's
threshold on the out-of-fold predictions; then fits that choice on all training rows. Sentiment
and intent are fitted the same way. Prints the cross-validated figures as JSON and writes the
model (default ``analysis/models/text_model.json``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import corpus
from analysis import training
from analysis.model import SHIPPED, guarded_label

ROOT = Path(__file__).resolve().parents[1]

C_GRID = (0.3, 1.0, 3.0)
CHANNEL_KEYS = ("addressed", "public", "none")
GUARD_GRID = (None, 0.5, 0.75)


def _channel_key(example: training.Example) -> str:
    return example.channel or "none"


def _scores(pairs: Sequence[tuple[bool, bool]]) -> dict[str, float]:
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "n": len(pairs),
    }


def out_of_fold(
    examples: list[training.Example], c: float, with_rules: bool
) -> list[tuple[training.Example, float]]:
    found: list[tuple[training.Example, float]] = []
    for train_part, test_part in training.folds(examples):
        fitted = training.fit_needs(train_part, c, with_rules)
        found.extend(
            zip(test_part, training.needs_probabilities(fitted, test_part, with_rules), strict=True)
        )
    return found


def thresholds_for(predictions: list[tuple[training.Example, float]]) -> dict[str, float]:
    return {
        key: training.best_threshold(
            [(p, bool(e.needs)) for e, p in predictions if _channel_key(e) == key]
        )
        for key in CHANNEL_KEYS
    }


def judged(
    predictions: list[tuple[training.Example, float]], thresholds: dict[str, float]
) -> list[tuple[bool, bool]]:
    return [(bool(e.needs), p >= thresholds[_channel_key(e)]) for e, p in predictions]


def choose_needs(examples: list[training.Example]) -> dict:
    """Every candidate's cross-validated F1 (thresholds set inside the same out-of-fold run,
    so the figure is optimistic by the same small amount for each) and the winner."""
    rules = [(bool(e.needs), e.kind is not None) for e in examples]
    report: dict = {"rules": _scores(rules), "candidates": {}}
    best: tuple[float, bool, float, dict[str, float], list] | None = None
    for with_rules in (False, True):
        for c in C_GRID:
            predictions = out_of_fold(examples, c, with_rules)
            thresholds = thresholds_for(predictions)
            scores = _scores(judged(predictions, thresholds))
            name = f"{'words+rules' if with_rules else 'words'} C={c}"
            report["candidates"][name] = scores
            if best is None or scores["f1"] > best[0]:
                best = (scores["f1"], with_rules, c, thresholds, predictions)
    assert best is not None
    _, with_rules, c, thresholds, predictions = best
    report["chosen"] = {"with_rules": with_rules, "C": c, "thresholds": thresholds}
    report["chosen_by_channel"] = {
        key: _scores(
            [
                (bool(e.needs), p >= thresholds[key])
                for e, p in predictions
                if _channel_key(e) == key
            ]
        )
        for key in CHANNEL_KEYS
    }
    return report


def choose_sentiment(examples: list[training.Example]) -> dict:
    """Regularisation, guard and lift by cross-validated macro-F1. The guard leaves VADER's own
    label standing where its score is at least that strong, so the model only settles what VADER
    is unsure of (None: the model decides every post); without lift the model may not call a post
    positive that VADER reads as negative."""
    chosen = [e for e in examples if e.row.get("sentiment_label") in training.SENTIMENTS]
    report: dict = {"candidates": {}}
    best: tuple[float, float, float | None, bool] | None = None
    for c in C_GRID:
        gold, predicted, compounds = [], [], []
        for train_part, test_part in training.folds(chosen):
            fitted = training.fit_sentiment(train_part, c)
            gold += [e.row["sentiment_label"] for e in test_part]
            predicted += training.predict_sentiment(fitted, test_part)
            compounds += [e.reading.compound for e in test_part]
        for guard in GUARD_GRID:
            for lift in (True, False):
                labels = [
                    guarded_label(label, compound, guard, lift)
                    for label, compound in zip(predicted, compounds, strict=True)
                ]
                score = macro_f1(gold, labels)
                report["candidates"][f"C={c} guard={guard} lift={lift}"] = round(score, 4)
                if best is None or score > best[0]:
                    best = (score, c, guard, lift)
    assert best is not None
    report["chosen"] = {"C": best[1], "guard": best[2], "lift": best[3]}
    return report


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    scores = []
    for label in training.SENTIMENTS:
        pairs = [(g == label, p == label) for g, p in zip(gold, predicted, strict=True)]
        scores.append(training.f1_score([g for g, _ in pairs], [p for _, p in pairs]))
    return sum(scores) / len(scores)


def build(rows: list[dict]) -> tuple[dict, dict]:
    """(model table, cross-validation report) from training rows."""
    examples = training.read_rows(rows)
    needs_rows = training.needs_examples(examples)
    needs_report = choose_needs(needs_rows)
    sentiment_report = choose_sentiment(examples)
    chosen = needs_report["chosen"]
    needs = training.needs_table(
        training.fit_needs(needs_rows, chosen["C"], chosen["with_rules"]),
        chosen["thresholds"],
        chosen["with_rules"],
    )
    intent_part = training.multiclass_table(training.fit_intent(examples, 1.0))
    sentiment_part = training.multiclass_table(
        training.fit_sentiment(examples, sentiment_report["chosen"]["C"])
    )
    report = {
        "rows": len(rows),
        "needs_rows": len(needs_rows),
        "needs": needs_report,
        "sentiment": sentiment_report,
    }
    meta = {"rows": len(rows), "needs": chosen, "sentiment": sentiment_report["chosen"]}
    return training.model_table(needs, intent_part, sentiment_part, meta), report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corrections", type=Path, help="JSONL from `cli.py labels export`")
    parser.add_argument("--output", type=Path, default=SHIPPED, help="where to write the model")
    parser.add_argument("--json", action="store_true", help="compact one-line JSON")
    args = parser.parse_args(argv)
    rows = list(corpus.rows("train"))
    if args.corrections:
        rows += [
            json.loads(line)
            for line in args.corrections.read_text("utf-8").splitlines()
            if line.strip()
        ]
    table, report = build(rows)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(table, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8"
    )
    report["written"] = str(args.output)
    print(json.dumps(report, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
