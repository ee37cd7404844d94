"""The pins and the audit that checks them: every package pinned, the audit failing closed."""

from __future__ import annotations

import re
import subprocess

from tests.conftest import ROOT

PIN = re.compile(r"^[A-Za-z0-9_.\-]+(\[[a-z,]+\])?==[0-9][\w.]*(\s+#.*)?$")


def _requirement_lines(name: str) -> list[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith(("#", "-r "))]


def test_every_requirement_is_pinned_to_one_version():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in _requirement_lines(name):
            assert PIN.match(line), f"{name}: {line!r} is not pinned with =="


def test_the_audit_treats_unreachable_advisory_data_as_a_failure():
    """pip-audit without --strict reports "No known vulnerabilities found" for packages it
    could not look up at all; the recipe must not."""
    recipe = subprocess.run(
        ["make", "-n", "audit", "AUDIT_VENV=/nonexistent"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    audit = next(line for line in recipe.splitlines() if "pip-audit --" in line)
    assert "--strict" in audit.split()
    assert "requirements-dev.txt" in audit
