"""The labelled corpus (see README.md here): reading its files."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = ("train", "heldout")


def files(folder: Path = HERE) -> list[Path]:
    """The labelled files: every ``*.jsonl`` here (``todo/`` holds unlabelled extracts)."""
    return sorted(folder.glob("*.jsonl"))


def rows(split: str | None = None, folder: Path = HERE) -> Iterator[dict]:
    """Every labelled row, or those of one split."""
    for path in files(folder):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                row = json.loads(line)
                if row.get("split") not in SPLITS:
                    raise ValueError(f"{path.name}:{number}: split {row.get('split')!r}")
                if split is None or row["split"] == split:
                    yield row
