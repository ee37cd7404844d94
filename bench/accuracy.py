"""Accuracy and speed of analysis/text.py against public sets and our labelled domain set.

    python bench/accuracy.py [--json]

Prints one JSON object. Public sets are read from ../shared (relative to the repository root);
when it is missing they are reported as skipped and only the domain set is measured. Plain VADER
is always measured on the same texts with the same convention, so every figure of ours has its
baseline next to it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

from analysis import sentiment  # noqa: E402
from analysis.text import analyse_many, analyse_text  # noqa: E402

SHARED = ROOT.parent / "shared"
LABELLED = ROOT / "tests" / "data" / "labelled_posts.jsonl"
VADER_TWEETS = SHARED / "benchmarks" / "sentiment" / "vader_tweets_groundtruth.tsv"
TWEETEVAL_TEXT = SHARED / "benchmarks" / "sentiment" / "tweeteval_test_text.txt"
TWEETEVAL_LABELS = SHARED / "benchmarks" / "sentiment" / "tweeteval_test_labels.txt"
EMAIL_INTENT = SHARED / "benchmarks" / "requests" / "email_intent_test.tsv"
CLASSES = ("negative", "neutral", "positive")
PROMISE_TOLERANCE = 0.25

_PLAIN = SentimentIntensityAnalyzer()


def plain_compound(text: str) -> float:
    return _PLAIN.polarity_scores(text)["compound"]


def ours_compound(text: str) -> float:
    return analyse_text(text).sentiment


def three_class(value: float) -> str:
    """VADER's ±0.05 convention, used for gold means and both systems alike."""
    return sentiment.label(value)


def accuracy(gold: Sequence[str], predicted: Sequence[str]) -> float:
    return sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)


def macro_recall(gold: Sequence[str], predicted: Sequence[str]) -> float:
    recalls = []
    for cls in CLASSES:
        hits = [p == cls for g, p in zip(gold, predicted, strict=True) if g == cls]
        if hits:
            recalls.append(sum(hits) / len(hits))
    return statistics.fmean(recalls)


def prf(gold: Sequence[bool], predicted: Sequence[bool]) -> dict[str, float]:
    tp = sum(g and p for g, p in zip(gold, predicted, strict=True))
    fp = sum(p and not g for g, p in zip(gold, predicted, strict=True))
    fn = sum(g and not p for g, p in zip(gold, predicted, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "n": len(gold)}


def load_labelled(path: Path = LABELLED) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def vader_tweets() -> dict:
    rows = []
    with VADER_TWEETS.open(encoding="latin-1") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                rows.append((float(parts[1]), parts[2]))
    gold = [mean for mean, _ in rows]
    gold_class = [three_class(mean / 4) for mean in gold]
    result = {"n": len(rows)}
    for name, scorer in (("ours", ours_compound), ("plain_vader", plain_compound)):
        scores = [scorer(text) for _, text in rows]
        result[name] = {
            "pearson_r": statistics.correlation(gold, scores),
            "accuracy_3class": accuracy(gold_class, [three_class(s) for s in scores]),
        }
    return result


def _tweeteval() -> tuple[list[str], list[str]]:
    """One tweet per line; split on newlines only, as str.splitlines also breaks on U+2028."""
    texts = TWEETEVAL_TEXT.read_text(encoding="utf-8").rstrip("\n").split("\n")
    labels = TWEETEVAL_LABELS.read_text(encoding="utf-8").split()
    if len(texts) != len(labels):
        raise ValueError(f"TweetEval: {len(texts)} texts but {len(labels)} labels")
    return texts, [CLASSES[int(label)] for label in labels]


def tweeteval() -> dict:
    texts, gold = _tweeteval()
    ours = [facts.sentiment_label for facts in analyse_many((t, False, None) for t in texts)]
    plain = [three_class(plain_compound(t)) for t in texts]
    return {"n": len(texts), "ours": {"macro_recall": macro_recall(gold, ours)},
            "plain_vader": {"macro_recall": macro_recall(gold, plain)}}


def email_intent() -> dict:
    gold, predicted = [], []
    with EMAIL_INTENT.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            label, _, sentence = line.rstrip("\r\n").partition("\t")
            if label in ("Yes", "No"):
                gold.append(label == "Yes")
                predicted.append(analyse_text(sentence).needs_response)
    return {"yes_class": prf(gold, predicted), "keyword_baseline_f1": 0.63}


def _seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def throughput(texts: Sequence[str], rounds: int = 5) -> dict:
    """Best of interleaved rounds, so a busy machine penalises neither side unfairly."""
    batch = [(t, False, None) for t in texts]
    ours, plain = float("inf"), float("inf")
    for _ in range(rounds):
        ours = min(ours, _seconds(lambda: analyse_many(batch)))
        plain = min(plain, _seconds(lambda: [_PLAIN.polarity_scores(t) for t in texts]))
    return {"n": len(texts), "analyse_posts_per_s": round(len(texts) / ours),
            "vader_posts_per_s": round(len(texts) / plain), "ratio": plain / ours}


def _close(found: float, labelled: float) -> bool:
    return abs(found - labelled) <= PROMISE_TOLERANCE * labelled


def _promise_scores(rows: list[dict], facts: list) -> dict:
    promised = [(r, f) for r, f in zip(rows, facts, strict=True)
                if r["is_brand"] and r["promise_hours"] is not None]
    unpromised = [f for r, f in zip(rows, facts, strict=True)
                  if r["is_brand"] and r["promise_hours"] is None]
    found = sum(f.promise is not None and _close(f.promise.hours, r["promise_hours"])
                for r, f in promised)
    false = sum(f.promise is not None for f in unpromised)
    return {"recall_within_25pct": found / len(promised) if promised else None,
            "n_promises": len(promised),
            "false_promise_rate": false / len(unpromised) if unpromised else None,
            "n_brand_without_promise": len(unpromised)}


def domain_split(rows: list[dict]) -> dict:
    facts = analyse_many((r["text"], r["is_brand"], None) for r in rows)
    inbound = [(r, f) for r, f in zip(rows, facts, strict=True) if not r["is_brand"]]
    needing = [(r, f) for r, f in inbound if r["needs_response"]]
    gold_sent = [r["sentiment_label"] for r in rows]
    plain_sent = [three_class(plain_compound(r["text"])) for r in rows]
    return {
        "n": len(rows),
        "needs_response": prf([r["needs_response"] for r, _ in inbound],
                              [f.needs_response for _, f in inbound]),
        "intent_accuracy": accuracy([r["intent"] for r, _ in needing],
                                    [f.intent for _, f in needing]),
        "sentiment_accuracy": {"ours": accuracy(gold_sent, [f.sentiment_label for f in facts]),
                               "plain_vader": accuracy(gold_sent, plain_sent)},
        "promises": _promise_scores(rows, facts),
    }


def domain() -> dict:
    rows = load_labelled()
    return {split: domain_split([r for r in rows if r["split"] == split])
            for split in ("heldout", "tune")} | {"all": domain_split(rows)}


def run() -> dict:
    report: dict = {"domain": domain()}
    if not SHARED.is_dir():
        report["skipped"] = f"{SHARED} not found: public benchmark sets skipped"
        report["throughput"] = throughput([r["text"] for r in load_labelled()])
        return report
    report["vader_tweets"] = vader_tweets()
    report["tweeteval"] = tweeteval()
    report["email_intent"] = email_intent()
    report["throughput"] = throughput(_tweeteval()[0])
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
    args = parser.parse_args(argv)
    report = run()
    if not SHARED.is_dir():
        print(report["skipped"], file=sys.stderr)
    print(json.dumps(rounded(report), indent=None if args.json else 2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
