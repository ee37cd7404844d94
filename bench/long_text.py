"""How ``analyse_text`` scales with the length of one text: seconds per text from 1 KB to 256 KB.

    python bench/long_text.py [--max-kb 256] [--give-up 60]

Prints one JSON object: for each kind of text, the seconds ``analyse_text`` took at each size
(characters, in KB). The cost should grow linearly: doubling the size about doubles the time.
A quadratic step (VADER 3.3.2 lower-cases the whole word list once per sentiment word) shows as
a fourfold jump per doubling. Sizes after one that took longer than ``--give-up`` seconds are
reported as ``null`` instead of measured, so a slow version still finishes.

The kinds: ``update_emoji`` is the hostile-input case ("any update? 😊" lines: a sentiment word
every few words); ``prose`` mixes praise, complaints, negations and "but" (VADER's contrastive
rule); ``dutch`` goes through the nl translation step first; ``signoff_line`` is one long line of
questions and "thanks, cheers" (the sign-off rule's regex once walked the rest of the line from
every "?"); ``spaced_thanks`` puts long runs of spaces after "thanks" (where that regex once
backtracked once per space).

Sentiment scores only the first ``analysis.sentiment.MAX_SCORED_CHARS`` characters (100,000), so
above about 100 KB the time is that of the rest of ``analyse_text`` (word set, intent, promises),
which is linear too.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from pathlib import Path

from analysis.text import analyse_text

ROOT = Path(__file__).resolve().parents[1]

UNITS = {
    "update_emoji": "@NorthwindLabs any update? 😊\n",
    "prose": (
        "The interview was great and the team was kind, but I never heard back. "
        "Not bad at all, yet still no reply after three weeks; really disappointing! "
    ),
    "dutch": "Geen reactie op mijn sollicitatie, echt jammer maar het gesprek was leuk. ",
    "signoff_line": "please is there any update? thanks for nothing, cheers ",
    "spaced_thanks": "thanks" + " " * 500 + "? ",
}


def text_of(kind: str, size: int) -> str:
    """``size`` characters of repeated ``kind`` text."""
    unit = UNITS[kind]
    return (unit * (size // len(unit) + 1))[:size]


def seconds(text: str, is_brand: bool) -> float:
    started = time.perf_counter()
    analyse_text(text, is_brand)
    return time.perf_counter() - started


def run(max_kb: int, give_up: float) -> dict:
    sizes = [2**n for n in range(0, max_kb.bit_length()) if 2**n <= max_kb]
    report: dict = {"sizes_kb": sizes, "seconds": {}}
    for kind in UNITS:
        taken: dict[str, float | None] = {}
        slow = False
        for kb in sizes:
            if slow:
                taken[str(kb)] = None
                continue
            text = text_of(kind, kb * 1024)
            took = max(seconds(text, False), seconds(text, True))
            taken[str(kb)] = round(took, 4)
            slow = took > give_up
        report["seconds"][kind] = taken
    return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-kb", type=int, default=256, help="largest text, in KB")
    parser.add_argument(
        "--give-up", type=float, default=60.0, help="seconds after which larger sizes are skipped"
    )
    args = parser.parse_args(argv)
    print(json.dumps(run(args.max_kb, args.give_up), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
