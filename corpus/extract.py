"""Rows of real text taken from ../shared, with the labels the sources carry, for labelling.

    python corpus/extract.py OUT_DIR

Writes one JSONL file per source into OUT_DIR (every label the source does not carry is null):

- ``ibm.jsonl`` — every post of the IBM customer-care conversations. The split is by company, so
  the held-out companies' threads are never seen in training. An opening post that the company
  answered needs a response (the company's own answer is the label); the other labels are filled
  by hand.
- ``praw.jsonl`` — the comments, submissions and inbox messages of PRAW's recorded responses.
- ``enron.jsonl`` — the Enron request sentences of the *train* split, with the set's own label
  ("asks the reader to do something") as ``needs_response``. The test split stays evaluation-only.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
IBM = SHARED / "fixtures" / "conversations" / "ibm_customer_care_dev.json"
PRAW = SHARED / "fixtures" / "reddit"
ENRON_TRAIN = SHARED / "benchmarks" / "requests" / "email_intent_train.tsv"


def row(**fields: object) -> dict:
    base = {
        "id": None,
        "source": None,
        "split": "train",
        "platform": None,
        "channel": None,
        "is_brand": False,
        "automated": False,
        "lang": "en",
        "text": None,
        "needs_response": None,
        "intent": None,
        "sentiment_label": None,
        "promise_hours": None,
    }
    return base | fields


def ibm_heldout_companies(conversations: list[dict]) -> set[str]:
    """Companies ranked by size, every second one held out: both halves get big and small."""
    sizes = Counter(c["dialogHeader"]["company"] for c in conversations)
    ranked = sorted(sizes, key=lambda name: (-sizes[name], name))
    return set(ranked[1::2])


def _mentions(text: str, handle: str) -> bool:
    return re.search(rf"@{re.escape(handle)}\b", text, re.IGNORECASE) is not None


def ibm_rows() -> list[dict]:
    conversations = json.loads(IBM.read_text(encoding="utf-8"))
    heldout = ibm_heldout_companies(conversations)
    rows: dict[str, dict] = {}
    for conversation in conversations:
        company = conversation["dialogHeader"]["company"]
        split = "heldout" if company in heldout else "train"
        turns = [
            *conversation["dialogContent"],
            {
                "agent": company,
                "tweet_ID": conversation["agentURL"]["tweet_ID"],
                "message": conversation["agentURL"]["url_utterance"],
            },
        ]
        previous_is_brand = False
        for position, turn in enumerate(turns):
            brand = "agent" in turn
            text = turn["message"]
            addressed = brand or previous_is_brand or _mentions(text, company)
            item = row(
                id=f"ibm-{turn['tweet_ID']}",
                source="ibm-customer-care",
                split=split,
                platform="x",
                channel="addressed" if addressed else "public",
                is_brand=brand,
                text=text,
                company=company,
                opening=position == 0 and not brand,
            )
            if position == 0 and not brand:
                item["needs_response"] = True  # the company answered this conversation
            rows.setdefault(item["id"], item)
            previous_is_brand = brand
    return list(rows.values())


def _praw_texts(node: object, found: list[tuple[str, str, str]]) -> None:
    """(kind, id, text) of every comment, submission and message in a Reddit payload."""
    if isinstance(node, dict):
        data, kind = node.get("data"), node.get("kind")
        if kind in ("t1", "t3", "t4") and isinstance(data, dict):
            if kind == "t3":
                text = "\n\n".join(p for p in (data.get("title"), data.get("selftext")) if p)
            else:
                text = data.get("body") or ""
            if text.strip() and text.strip() not in ("[deleted]", "[removed]"):
                found.append((kind, str(data.get("name") or data.get("id")), text))
        for value in node.values():
            _praw_texts(value, found)
    elif isinstance(node, list):
        for value in node:
            _praw_texts(value, found)


def praw_rows() -> list[dict]:
    rows: dict[str, dict] = {}
    for path in sorted(PRAW.glob("*.json")):
        cassette = json.loads(path.read_text(encoding="utf-8"))
        found: list[tuple[str, str, str]] = []
        for interaction in cassette["interactions"]:
            body = interaction["response"]["body"].get("string") or ""
            try:
                _praw_texts(json.loads(body), found)
            except json.JSONDecodeError:
                continue
        for kind, name, text in found:
            channel = "direct" if kind == "t4" else "public"
            rows.setdefault(
                name,
                row(
                    id=f"praw-{name}",
                    source="praw-recordings",
                    platform="reddit",
                    channel=channel,
                    text=text,
                    recording=path.name,
                ),
            )
    return list(rows.values())


def enron_rows() -> list[dict]:
    rows = []
    lines = ENRON_TRAIN.read_text(encoding="utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, start=1):
        label, _, sentence = line.partition("\t")
        if label in ("Yes", "No") and sentence.strip():
            rows.append(
                row(
                    id=f"enron-train-{number}",
                    source="enron-email-intent",
                    platform="email",
                    channel="addressed",
                    text=sentence.strip(),
                    needs_response=label == "Yes",
                )
            )
    return rows


def main(out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("ibm", ibm_rows()), ("praw", praw_rows()), ("enron", enron_rows())):
        with (out / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            for item in rows:
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
        print(f"{name}: {len(rows)} rows", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "corpus/todo")
