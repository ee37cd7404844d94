"""`.ci/prerequisites`: what `make test` and CI install before the tests, so that nothing skips.

The script is run for real with ``--dry-run`` (it prints the commands it would run) against a
made-up machine: ``PREREQUISITES_ROOT`` puts its file checks under a temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / ".ci" / "prerequisites"
EVERYTHING = (
    "usr/bin/chromium",
    "usr/sbin/dovecot",
    "usr/lib/postgresql/15/bin/initdb",
    "usr/sbin/runuser",
    "usr/bin/python3.11",
    "usr/share/zoneinfo/Europe/Amsterdam",
)


def machine(tmp_path: Path, without: tuple[str, ...] = (), postgres_user: bool = True) -> Path:
    """A folder that looks like a machine's / with everything but ``without`` installed."""
    for name in EVERYTHING:
        if name not in without:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text("")
    (tmp_path / "etc").mkdir(exist_ok=True)
    users = "root:x:0:0::/root:/bin/bash\n"
    if postgres_user:
        users += "postgres:x:105:107::/var/lib/postgresql:/bin/bash\n"
    (tmp_path / "etc" / "passwd").write_text(users)
    return tmp_path


def run(
    root: Path, *args: str, user: str | None = None, script: Path = SCRIPT
) -> subprocess.CompletedProcess[str]:
    command = ["bash", str(script), *args]
    if user:
        command = ["runuser", "-u", user, "--", *command]
    env = {**os.environ, "PREREQUISITES_ROOT": str(root)}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)


def test_a_machine_with_everything_needs_nothing(tmp_path):
    done = run(machine(tmp_path), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize(
    ("without", "packages"),
    [
        (("usr/sbin/dovecot",), "dovecot-imapd"),
        (("usr/bin/chromium", "usr/lib/postgresql/15/bin/initdb"), "chromium postgresql"),
        (("usr/bin/python3.11",), "python3.11 python3.11-venv"),
        (("usr/share/zoneinfo/Europe/Amsterdam",), "tzdata"),
        (("usr/sbin/runuser",), "util-linux"),
    ],
)
def test_as_root_the_missing_packages_are_installed(tmp_path, without, packages):
    done = run(machine(tmp_path, without), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "apt-get update -qq",
        f"apt-get install -y -qq --no-install-recommends {packages}",
    ]


def test_as_root_a_missing_postgres_user_is_made(tmp_path):
    done = run(machine(tmp_path, postgres_user=False), "--dry-run")
    assert done.stdout.splitlines() == ["useradd --system --home /var/lib/postgresql postgres"]


def test_as_another_user_it_names_the_one_time_step_and_fails():
    with tempfile.TemporaryDirectory() as folder:  # pytest's tmp_path is root's alone
        Path(folder).chmod(0o755)
        # The checkout may sit in a folder only root can enter (a clone under `mktemp -d`):
        # the other user runs a copy of the script that it can read.
        script = Path(shutil.copy(SCRIPT, Path(folder) / "prerequisites"))
        script.chmod(0o755)
        without = ("usr/sbin/dovecot", "usr/bin/chromium")
        done = run(machine(Path(folder), without), user="nobody", script=script)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Run once, as root" in done.stderr
    assert (
        "  apt-get install -y -qq --no-install-recommends chromium dovecot-imapd\n" in done.stderr
    )
    assert "the IMAP tests" in done.stderr and "the browser tests" in done.stderr


def test_make_test_installs_the_prerequisites_and_ci_is_make_test():
    """`make -n` prints what `make test` would run, without running it: the prerequisites
    first (python3.11 among them, before the virtualenv is made), every test last."""
    # Run inside `make test` itself, make would report entering the directory: ask it not to.
    outer = {k: v for k, v in os.environ.items() if k not in ("MAKELEVEL", "MAKEFLAGS", "MFLAGS")}
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=outer,
    )
    assert done.returncode == 0, done.stderr
    steps = done.stdout.splitlines()
    assert steps[0] == "bash .ci/prerequisites"
    assert steps[-1] == ".venv/bin/python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "export FULLCIRCLE_NO_SKIPS=1\nmake test\n" in ci
