"""Accuracy and speed of the text analysis, on our labelled corpus and on public sets.

    python bench/accuracy.py [--json] [--skip-speed] [--skip-cv]

Prints one JSON object:

- ``cross_validated`` — grouped 5-fold cross-validation on the corpus's training rows, with the
  shipped model's choices (rules and words, regularisation); each fold sets its channel
  thresholds on its own training part only, so the figure is what an unseen fold gets.
- ``heldout`` — the corpus's held-out rows, labelled before any tuning and never used to fit
  or choose anything: needs-response (with the channel each post came on, and without it, as
  ``cli.py analyze`` sees a bare text), intent, sentiment (macro-F1, against plain VADER),
  promises.
- ``ibm_heldout_openings`` — recall of the opening customer posts of the real X conversations
  of the held-out companies (``corpus/extract.py`` splits the IBM set by company).
- ``tweeteval`` (macro recall, and the share of its tweets flagged as needing an answer),
  ``vader_tweets`` (Pearson r), ``email_intent`` (F1) — public sets in ``../shared`` that are
  never trained on.
- ``analyze_speed`` — ``cli.py analyze`` end to end (process start included) on 60,000 tweets
  against a plain VADER script doing the same JSONL in and out, same run, best of three.

Public sets are read from ../shared; when it is missing they are reported as skipped.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

import corpus
from analysis import sentiment, training
from analysis.model import guarded_label, loaded
from analysis.text import analyse_many, analyse_text

ROOT = Path(__file__).resolve().parents[1]

SHARED = ROOT.parent / "shared"
VADER_TWEETS = SHARED / "benchmarks" / "sentiment" / "vader_tweets_groundtruth.tsv"
TWEETEVAL_TEXT = SHARED / "benchmarks" / "sentiment" / "tweeteval_test_text.txt"
TWEETEVAL_LABELS = SHARED / "benchmarks" / "sentiment" / "tweeteval_test_labels.txt"
EMAIL_INTENT = SHARED / "benchmarks" / "requests" / "email_intent_test.tsv"
CLASSES = ("negative", "neutral", "positive")
PROMISE_TOLERANCE = 0.25
SPEED_POSTS = 60_000
# Real text of another genre, trained on for breadth; the domain figure leaves it out.
AUXILIARY_SOURCES = frozenset({"enron-email-intent"})

_PLAIN = SentimentIntensityAnalyzer()


def plain_compound(text: str) -> float:
    return _PLAIN.polarity_scores(text)["compound"]


def three_class(value: float) -> str:
    """VADER's ±0.05 convention, used for gold means and plain VADER alike."""
    return sentiment.label(value)


def accuracy(gold: Sequence, predicted: Sequence) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold) if gold else 0.0


def macro_recall(gold: Sequence[str], predicted: Sequence[str]) -> float:
    recalls = []
    for cls in CLASSES:
        hits = [p == cls for g, p in zip(gold, predicted, strict=True) if g == cls]
        if hits:
            recalls.append(sum(hits) / len(hits))
    return statistics.fmean(recalls)


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return statistics.fmean(
        training.f1_score([g == c for g in gold], [p == c for p in predicted]) for c in CLASSES
    )


def prf(gold: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n": len(gold)}


# ----------------------------------------------------------------------------- our corpus


def _facts(rows: list[dict], with_channel: bool = True) -> list:
    return analyse_many(
        (
            r["text"],
            bool(r.get("is_brand")),
            r.get("lang"),
            r.get("channel") if with_channel else None,
            bool(r.get("automated")) if with_channel else False,
        )
        for r in rows
    )


def _inbound(rows: list[dict]) -> list[dict]:
    return [r for r in rows if not r.get("is_brand") and r.get("needs_response") is not None]


def _close(found: float, labelled: float) -> bool:
    return abs(found - labelled) <= PROMISE_TOLERANCE * labelled


def promise_scores(rows: list[dict]) -> dict:
    brand = [r for r in rows if r.get("is_brand")]
    facts = _facts(brand)
    promised = [(r, f) for r, f in zip(brand, facts, strict=True) if r["promise_hours"]]
    unpromised = [f for r, f in zip(brand, facts, strict=True) if not r["promise_hours"]]
    found = sum(
        f.promise is not None and _close(f.promise.hours, r["promise_hours"]) for r, f in promised
    )
    return {
        "recall_within_25pct": found / len(promised) if promised else None,
        "n_promises": len(promised),
        "false_promise_rate": (
            sum(f.promise is not None for f in unpromised) / len(unpromised) if unpromised else None
        ),
        "n_brand_without_promise": len(unpromised),
    }


def needs_scores(rows: list[dict], with_channel: bool = True) -> dict:
    inbound = _inbound(rows)
    facts = _facts(inbound, with_channel)
    return prf([bool(r["needs_response"]) for r in inbound], [f.needs_response for f in facts])


def sentiment_scores(rows: list[dict]) -> dict:
    labelled = [r for r in rows if r.get("sentiment_label") in CLASSES]
    gold = [r["sentiment_label"] for r in labelled]
    ours = [f.sentiment_label for f in _facts(labelled)]
    plain = [three_class(plain_compound(r["text"])) for r in labelled]
    return {
        "n": len(gold),
        "macro_f1": macro_f1(gold, ours),
        "plain_vader_macro_f1": macro_f1(gold, plain),
        "accuracy": accuracy(gold, ours),
        "plain_vader_accuracy": accuracy(gold, plain),
    }


def intent_accuracy(rows: list[dict]) -> float:
    needing = [r for r in _inbound(rows) if r["needs_response"] and r.get("intent")]
    facts = _facts(needing)
    return accuracy([r["intent"] for r in needing], [f.intent for f in facts])


def heldout() -> dict:
    rows = list(corpus.rows("heldout"))
    by_source: dict[str, dict] = {}
    for source in sorted({r["source"] for r in rows}):
        part = [r for r in rows if r["source"] == source]
        by_source[source] = {
            "needs_response": needs_scores(part),
            "needs_response_without_channel": needs_scores(part, False),
        }
    by_channel = {
        channel: needs_scores([r for r in rows if r.get("channel") == channel])
        for channel in ("direct", "addressed", "public")
    }
    return {
        "rows": len(rows),
        "needs_response": needs_scores(rows),
        "needs_response_without_channel": needs_scores(rows, False),
        "by_channel": by_channel,
        "by_source": by_source,
        "intent_accuracy": intent_accuracy(rows),
        "sentiment": sentiment_scores(rows),
        "promises": promise_scores(rows),
    }


def ibm_heldout_openings() -> dict:
    openings = [r for r in corpus.rows("heldout") if r.get("opening")]
    if not openings:
        return {"skipped": "no IBM rows in the held-out corpus"}
    with_channel = _facts(openings)
    without = _facts(openings, with_channel=False)
    return {
        "n": len(openings),
        "recall": sum(f.needs_response for f in with_channel) / len(openings),
        "recall_without_channel": sum(f.needs_response for f in without) / len(openings),
    }


# ----------------------------------------------------------------------------- cross-validation


def cross_validated() -> dict:
    """The shipped model's choices, refitted fold by fold; thresholds from inner folds."""
    table = loaded()
    if table is None:
        return {"skipped": "no model file shipped"}
    chosen = table["meta"]["needs"]
    examples = training.read_rows(list(corpus.rows("train")))
    needs_rows = training.needs_examples(examples)
    pairs: list[tuple[training.Example, bool]] = []
    for train_part, test_part in training.folds(needs_rows):
        thresholds = _inner_thresholds(train_part, chosen["C"], chosen["with_rules"])
        fitted = training.fit_needs(train_part, chosen["C"], chosen["with_rules"])
        probabilities = training.needs_probabilities(fitted, test_part, chosen["with_rules"])
        pairs += [
            (e, p >= thresholds[e.channel or "none"])
            for e, p in zip(test_part, probabilities, strict=True)
        ]
    labelled = [e for e in examples if e.row.get("sentiment_label") in CLASSES]
    gold, predicted, sentiment_order = [], [], []
    sentiment_choice = table["meta"]["sentiment"]
    for train_part, test_part in training.folds(labelled):
        fitted = training.fit_sentiment(train_part, sentiment_choice["C"])
        gold += [e.row["sentiment_label"] for e in test_part]
        sentiment_order += test_part
        predicted += [
            guarded_label(
                label,
                e.reading.compound,
                sentiment_choice.get("guard"),
                sentiment_choice.get("lift", True),
            )
            for label, e in zip(
                training.predict_sentiment(fitted, test_part), test_part, strict=True
            )
        ]
    by_channel = {
        key: prf(
            [bool(e.needs) for e, _ in pairs if (e.channel or "none") == key],
            [p for e, p in pairs if (e.channel or "none") == key],
        )
        for key in ("addressed", "public", "none")
    }
    by_source = {
        source: prf(
            [bool(e.needs) for e, _ in pairs if e.row["source"] == source],
            [p for e, p in pairs if e.row["source"] == source],
        )
        for source in sorted({e.row["source"] for e, _ in pairs})
    }
    domain = [(e, p) for e, p in pairs if _domain(e)]
    return {
        "folds": 5,
        "needs_response": prf([bool(e.needs) for e, _ in pairs], [p for _, p in pairs]),
        "needs_response_domain": prf([bool(e.needs) for e, _ in domain], [p for _, p in domain]),
        "needs_response_by_channel": by_channel,
        "needs_response_by_source": by_source,
        "needs_response_rules_only": prf(
            [bool(e.needs) for e, _ in pairs], [e.kind is not None for e, _ in pairs]
        ),
        "sentiment_macro_f1": macro_f1(gold, predicted),
        "sentiment_macro_f1_domain": macro_f1(
            [g for g, e in zip(gold, sentiment_order, strict=True) if _domain(e)],
            [p for p, e in zip(predicted, sentiment_order, strict=True) if _domain(e)],
        ),
        "sentiment_plain_vader_macro_f1": macro_f1(
            gold, [three_class(plain_compound(e.row["text"])) for e in labelled]
        ),
    }


def _domain(example: training.Example) -> bool:
    return example.row["source"] not in AUXILIARY_SOURCES


def _inner_thresholds(examples: list, c: float, with_rules: bool) -> dict[str, float]:
    predictions: list[tuple[training.Example, float]] = []
    for train_part, test_part in training.folds(examples, k=3, seed=7):
        fitted = training.fit_needs(train_part, c, with_rules)
        predictions += zip(
            test_part, training.needs_probabilities(fitted, test_part, with_rules), strict=True
        )
    return {
        key: training.best_threshold(
            [(p, bool(e.needs)) for e, p in predictions if (e.channel or "none") == key]
        )
        for key in ("addressed", "public", "none")
    }


# ----------------------------------------------------------------------------- public sets


def vader_tweets() -> dict:
    rows = []
    with VADER_TWEETS.open(encoding="latin-1") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                rows.append((float(parts[1]), parts[2]))
    gold = [mean for mean, _ in rows]
    gold_class = [three_class(mean / 4) for mean in gold]
    ours = analyse_many((text, False, None) for _, text in rows)
    result: dict[str, object] = {"n": len(rows)}
    for name, scores, labels in (
        ("ours", [f.sentiment for f in ours], [f.sentiment_label for f in ours]),
        ("plain_vader", [plain_compound(t) for _, t in rows], None),
    ):
        labels = labels or [three_class(s) for s in scores]
        result[name] = {
            "pearson_r": statistics.correlation(gold, scores),
            "accuracy_3class": accuracy(gold_class, labels),
        }
    return result


def tweeteval_texts() -> tuple[list[str], list[str]]:
    """One tweet per line; split on newlines only, as str.splitlines also breaks on U+2028."""
    texts = TWEETEVAL_TEXT.read_text(encoding="utf-8").rstrip("\n").split("\n")
    labels = TWEETEVAL_LABELS.read_text(encoding="utf-8").split()
    if len(texts) != len(labels):
        raise ValueError(f"TweetEval: {len(texts)} texts but {len(labels)} labels")
    return texts, [CLASSES[int(label)] for label in labels]


def tweeteval() -> dict:
    texts, gold = tweeteval_texts()
    facts = analyse_many((t, False, None) for t in texts)
    plain = [three_class(plain_compound(t)) for t in texts]
    return {
        "n": len(texts),
        "ours": {"macro_recall": macro_recall(gold, [f.sentiment_label for f in facts])},
        "plain_vader": {"macro_recall": macro_recall(gold, plain)},
        "flagged_share": sum(f.needs_response for f in facts) / len(facts),
    }


def email_intent() -> dict:
    gold, sentences = [], []
    with EMAIL_INTENT.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            label, _, sentence = line.rstrip("\r\n").partition("\t")
            if label in ("Yes", "No"):
                gold.append(label == "Yes")
                sentences.append(sentence)
    addressed = [analyse_text(s, channel="addressed").needs_response for s in sentences]
    bare = [analyse_text(s).needs_response for s in sentences]
    return {
        "yes_class": prf(gold, addressed),
        "yes_class_without_channel": prf(gold, bare),
        "keyword_baseline_f1": 0.63,
    }


# ----------------------------------------------------------------------------- speed

PLAIN_STREAM = """
import json, sys
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
analyzer = SentimentIntensityAnalyzer()
out = sys.stdout
for line in sys.stdin.buffer:
    item = json.loads(line)
    score = analyzer.polarity_scores(item["text"])["compound"]
    out.write(json.dumps({"id": item["id"], "sentiment": round(score, 4)}) + "\\n")
    out.flush()
"""


def _seconds(command: list[str], source: Path) -> float:
    with source.open("rb") as stdin:
        start = time.perf_counter()
        subprocess.run(
            command,
            stdin=stdin,
            stdout=subprocess.DEVNULL,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        return time.perf_counter() - start


def analyze_speed(texts: Sequence[str], rounds: int = 3) -> dict:
    """``cli.py analyze`` against plain VADER, both as processes reading the same JSONL."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "posts.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for number in range(SPEED_POSTS):
                handle.write(json.dumps({"id": number, "text": texts[number % len(texts)]}) + "\n")
        ours_command = [sys.executable, "cli.py", "analyze"]
        plain_command = [sys.executable, "-c", PLAIN_STREAM]
        ours, plain = float("inf"), float("inf")
        for _ in range(rounds):
            ours = min(ours, _seconds(ours_command, source))
            plain = min(plain, _seconds(plain_command, source))
    return {
        "posts": SPEED_POSTS,
        "analyze_s": round(ours, 2),
        "plain_vader_s": round(plain, 2),
        "analyze_posts_per_s": round(SPEED_POSTS / ours),
        "vader_posts_per_s": round(SPEED_POSTS / plain),
        "ratio": plain / ours,
    }


# ----------------------------------------------------------------------------- report


def _timed(name: str, part: Callable[[], dict], report: dict) -> None:
    start = time.perf_counter()
    report[name] = part()
    print(f"{name}: {time.perf_counter() - start:.1f} s", file=sys.stderr)


def run(speed: bool = True, cv: bool = True) -> dict:
    report: dict = {}
    if cv:
        _timed("cross_validated", cross_validated, report)
    _timed("heldout", heldout, report)
    _timed("ibm_heldout_openings", ibm_heldout_openings, report)
    if not SHARED.is_dir():
        report["skipped"] = f"{SHARED} not found: public benchmark sets skipped"
        return report
    _timed("tweeteval", tweeteval, report)
    _timed("vader_tweets", vader_tweets, report)
    _timed("email_intent", email_intent, report)
    if speed:
        _timed("analyze_speed", lambda: analyze_speed(tweeteval_texts()[0]), report)
    return report


def rounded(value: object, digits: int = 4) -> object:
    """Figures are computed at full precision (tests compare those) and rounded for reading."""
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {key: rounded(item, digits) for key, item in value.items()}
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="compact one-line JSON")
    parser.add_argument("--skip-speed", action="store_true", help="leave out analyze_speed")
    parser.add_argument("--skip-cv", action="store_true", help="leave out cross_validated")
    args = parser.parse_args(argv)
    report = run(speed=not args.skip_speed, cv=not args.skip_cv)
    if "skipped" in report:
        print(report["skipped"], file=sys.stderr)
    print(json.dumps(rounded(report), indent=None if args.json else 2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
