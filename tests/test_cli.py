"""The command line: documented, and clear about bad input."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest
import typer.main

from cli import app
from settings import CREDENTIAL_PAGES, SETTINGS
from tests.conftest import ROOT
from tests.support.cli import run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, command in group.commands.items():
        names.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            names.extend(_commands(command, f"{prefix}{name} "))
    return names


_run_cli = run_cli


def test_every_command_is_in_the_readme_and_has_help():
    group = typer.main.get_command(app)
    for name in _commands(group):
        assert f"cli.py {name}" in README, f"`cli.py {name}` is not documented in README.md"
    for command in group.commands.values():
        assert command.help, f"{command.name} has no help text"
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{command.name} {param.opts} has no help text"


def test_every_setting_is_in_the_readme_configuration_table():
    for setting in SETTINGS:
        assert re.search(rf"^\| `{setting.env}` \|", README, re.M), (
            f"{setting.env} is not in the README configuration table"
        )


def test_the_readme_links_where_each_connector_s_credentials_are_made():
    for connector, (_, url) in CREDENTIAL_PAGES.items():
        assert f"]({url})" in README, connector


def test_an_unknown_database_scheme_is_one_clear_line(tmp_path):
    result = _run_cli("brand", "list", DATABASE_URL="mysql://root@localhost/fc")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "DATABASE_URL" in lines[0], result.stderr


def test_a_database_url_at_a_file_that_is_not_a_database_is_one_clear_line(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting notes, not a database\n")
    result = _run_cli("report", "--table", DATABASE_URL=f"sqlite:///{notes}")
    assert result.returncode == 2 and result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL" in lines[0] and "is not a SQLite database" in lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_a_mistyped_database_folder_is_refused_instead_of_reporting_zeros(tmp_path):
    url = f"sqlite:///{tmp_path / 'nonexistent' / 'dir' / 'x.db'}"
    result = _run_cli("report", "--table", DATABASE_URL=url)
    assert result.returncode == 2 and result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "DATABASE_URL" in lines[0] and "does not exist" in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_a_new_database_file_is_announced_once(tmp_path):
    """A mistyped file name in an existing folder makes a new, empty workspace: say so."""
    url = f"sqlite:///{tmp_path / 'fullcricle.db'}"
    first = _run_cli("brand", "list", DATABASE_URL=url)
    assert first.returncode == 0
    assert f"new, empty workspace database at {tmp_path / 'fullcricle.db'}" in first.stderr
    assert "DATABASE_URL" in first.stderr
    again = _run_cli("brand", "list", DATABASE_URL=url)
    assert again.returncode == 0 and "new, empty" not in again.stderr


def test_brand_accounts_are_added_and_listed(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert (
        _run_cli(
            "brand", "add", "x", "@NorthwindLabs", "NorthwindCareers", DATABASE_URL=url
        ).returncode
        == 0
    )
    listed = _run_cli("brand", "list", DATABASE_URL=url)
    assert listed.stdout.splitlines() == ["x\tNorthwindCareers\t", "x\tNorthwindLabs\t"]


def test_a_reddit_brand_account_typed_as_u_slash_name_marks_its_posts(tmp_path):
    """Reddit writes its users as u/name; the author field holds the name alone."""
    from pipeline.workspace import open_workspace
    from store.schema import posts
    from tests.conftest import workspace_settings
    from tests.support.factories import batch, post
    from tests.support.rows import table_rows

    url = f"sqlite:///{tmp_path / 'w.db'}"
    ws = open_workspace(workspace_settings(url))
    ws.ingest().batch(
        batch(post("1", "We are hiring in Berlin!", author="NorthwindHR", platform="reddit"))
    )
    assert _run_cli("brand", "add", "reddit", "u/NorthwindHR", DATABASE_URL=url).returncode == 0
    assert _run_cli("brand", "list", DATABASE_URL=url).stdout.splitlines() == [
        "reddit\tNorthwindHR\t"
    ]
    assert [row["is_brand"] for row in table_rows(ws, posts)] == [True]


def test_demo_over_real_data_is_refused_and_touches_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    from pipeline.workspace import open_workspace
    from tests.conftest import workspace_settings
    from tests.support.factories import batch, post

    ws = open_workspace(workspace_settings(url))
    ws.ingest().batch(batch(post("1", "Is the Berlin role remote?", source="x:search")))
    result = _run_cli("demo", "--posts", "50", DATABASE_URL=url)
    assert result.returncode == 2 and "--reset" in result.stderr
    assert _shown(result) == [result.stderr.strip()]  # the error alone, no empty progress bar
    assert ws.counts() == (1, 1)


def _shown(result) -> list[str]:
    return [line.strip() for line in result.stderr.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("name", "content", "file_format", "error"),
    [
        ("posts.csv", "platform,id\nx,1\n", "csv", "lacks the required column(s) author"),
        ("posts.csv", "platform,id\nx,1\n", "tweets", "unknown format 'tweets'"),
        ("absent.jsonl", None, "twarc2", "does not exist or is not a file"),
    ],
)
def test_an_import_that_fails_before_reading_a_post_prints_only_the_error(
    tmp_path, name, content, file_format, error
):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    _run_cli("brand", "list", DATABASE_URL=url)  # the workspace exists: no "created" note
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = _run_cli("import", str(path), "--format", file_format, DATABASE_URL=url)
    assert result.returncode == 2
    [line] = _shown(result)
    assert line.startswith("error:") and error in line


def test_an_import_that_reads_posts_shows_its_progress(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    path = tmp_path / "posts.csv"
    path.write_text(
        "platform,id,author,created_at,text\n"
        "x,1,sam,2026-11-02T09:00:00Z,Is the Berlin role remote?\n"
        "x,2,ola,2026-11-02T10:00:00Z,Any update on my application?\n",
        encoding="utf-8",
    )
    result = _run_cli("import", str(path), "--format", "csv", DATABASE_URL=url)
    assert result.returncode == 0
    assert any(line.startswith("Importing posts.csv") and "2/" in line for line in _shown(result))
    assert "Imported 2 new posts" in result.stderr


def test_sync_without_any_connector_names_the_settings_of_each(tmp_path):
    result = _run_cli("sync", DATABASE_URL=f"sqlite:///{tmp_path / 'w.db'}")
    assert result.returncode == 2
    line = _shown(result)[-1]
    for setting in ("X_BEARER_TOKEN", "REDDIT_CLIENT_ID", "YOUTUBE_API_KEY", "IMAP_HOST"):
        assert setting in line
    assert "cli.py import" in line


def test_sync_of_a_source_that_is_not_configured_says_which_setting_is_missing(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    result = _run_cli("sync", "--source", "reddit", DATABASE_URL=url, X_BEARER_TOKEN="t")
    assert result.returncode == 2
    assert _shown(result)[-1] == (
        "error: reddit is not configured: set REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET "
        "(see README, Configuration)"
    )


def test_sync_of_an_unknown_source_lists_the_configured_ones(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    result = _run_cli(
        "sync", "--source", "x:serach", DATABASE_URL=url, X_BEARER_TOKEN="t", X_QUERY="jobs"
    )
    assert result.returncode == 2
    assert _shown(result)[-1] == (
        "error: no configured source is named 'x:serach'; use a connector (x) or a source "
        "(x:search)"
    )


def test_cli_py_runs_as_a_script_and_lists_its_commands():
    """The in-process runner covers the commands; this covers the entry point a shell uses."""
    done = subprocess.run(
        [sys.executable, "cli.py", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0
    assert all(name in done.stdout for name in ("import", "sync", "analyze", "labels", "report"))
