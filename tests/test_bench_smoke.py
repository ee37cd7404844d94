"""The benchmark suite runs at a small size and prints every key (speed is not judged here)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bench.run import KEYS
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def test_bench_prints_every_key_at_ten_thousand_posts(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--sizes", "10000", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,  # every size step, the browser and the load test: minutes, not hours
    )
    assert done.returncode == 0, done.stderr[-2000:]
    [figures] = json.loads(out.read_text())
    assert set(KEYS) <= set(figures)
    assert figures["posts"] == 10000 and figures["reads_per_new_post"] == 1.0
    assert figures["feed_reads_per_new_post"] == 1.0
    assert figures["hn_reads_per_new_post"] == 1.0
    assert all(figures[key] > 0 for key in KEYS)


def test_bad_sizes_name_the_option_and_the_fix():
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--sizes", "10k"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "--sizes: '10k': give whole numbers of posts" in done.stderr
    assert "Traceback" not in done.stderr
