"""All 20 rounds of the SIGKILL test (CI runs 5): prints JSON with the outcome.

python bench/kill_test.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    env = {**os.environ, "FULLCIRCLE_KILL_ROUNDS": str(args.rounds)}
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_reliability.py",
            "-k",
            "sigkill",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    print(
        json.dumps(
            {
                "rounds": args.rounds,
                "posts": 10_000,
                "passed": done.returncode == 0,
                "seconds": round(time.perf_counter() - start, 1),
                "summary": done.stdout.strip().splitlines()[-1:],
            }
        )
    )
    raise SystemExit(done.returncode)


if __name__ == "__main__":
    main()
