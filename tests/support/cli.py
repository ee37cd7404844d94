"""Running ``cli.py`` commands in the test's own process (Typer's runner): the same code path as
a shell, without a Python start per call. Tests that need a real process (pipes that stream, a
kill, a second worker) start one themselves."""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from commands import app


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, **env: str) -> Ran:
    """Run ``cli.py ARGS`` with these environment variables set for the call."""
    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    return Ran(result.exit_code, result.stdout, result.stderr)
