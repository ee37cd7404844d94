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
    done = _bench("--sizes", "10k")
    assert done.returncode == 2
    assert "--sizes: '10k': give whole numbers of posts" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_postgresql_run_can_leave_out_the_long_steps(postgres_server_url, tmp_path):
    """A run at a million posts on PostgreSQL wants its ingest and query figures without the
    browser, load and reads steps: ``--postgres-only --skip`` gives those figures alone."""
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--sizes", "2000", "--postgres", postgres_server_url,
         "--postgres-only", "--skip", "reads,one_core,browser,load", "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    [figures] = json.loads(out.read_text())
    assert figures["backend"].startswith("postgresql") and figures["posts"] == 2000
    assert figures["skipped"] == ["browser", "load", "one_core", "reads"]
    assert figures["ingest_posts_per_s"] > 0 and figures["report_ms"] > 0
    assert not any(key.startswith(("browser_", "load_", "one_core_")) for key in figures)
    assert "reads_per_new_post" not in figures


def test_an_unknown_step_to_skip_names_the_choices():
    done = _bench("--skip", "browsr")
    assert done.returncode == 2
    assert "unknown step browsr: choose from reads, one_core, browser, load" in done.stderr


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    """``bench/run.py ARGS`` for an argument check: it refuses before measuring anything."""
    return subprocess.run(
        [sys.executable, "bench/run.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
