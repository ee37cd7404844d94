"""A file that is not the format asked for is refused in one line and writes nothing.

A binary file imported as ``--format twarc2`` once exited 0 after writing 31 sync errors and a
sync record, while the other formats refused it. Every format now recognises its file first:
binary, empty and another format's file are refused for each of them, on SQLite and PostgreSQL,
and the database keeps no post, no problem and no sync record of the attempt. A file that is
the format but has a bad item still stores the good ones and records the bad.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.files import FORMATS
from pipeline.workspace import open_workspace
from store.schema import posts, sync_errors, sync_state
from tests.conftest import workspace_settings
from tests.support.cli import run_cli
from tests.support.fake_reddit import listing
from tests.support.mails import APPLICATION
from tests.support.rows import count_rows
from tests.support.x_pages import thread_pages

BINARY = bytes(range(256)) * 40 + b"\n\x7fELF\x02\x01\x01\n" + bytes(range(255, -1, -1)) * 40

# One small valid file of each format, so "another format's file" is a real file of that one.
SUBMISSION = {
    "kind": "t3",
    "data": {
        "id": "abc123",
        "name": "t3_abc123",
        "author": "ria",
        "created_utc": 1793610000.0,
        "title": "Is the Berlin role at Northwind remote?",
        "selftext": "Asking before I apply.",
        "permalink": "/r/cscareerquestions/comments/abc123/berlin_role/",
        "subreddit": "cscareerquestions",
    },
}
SAMPLES: dict[str, bytes] = {
    # one page: a file that is also valid JSON, so reddit-json must look at its shape
    "twarc2": json.dumps(thread_pages()[0]).encode() + b"\n",
    "reddit-json": json.dumps([listing([SUBMISSION]), listing([])]).encode(),
    "csv": (
        b"platform,id,parent_id,thread_id,author,created_at,text,url\n"
        b"x,1,,1,sam,2026-11-02T09:00:00Z,Is the Berlin role remote?,\n"
    ),
    "mbox": b"From jan@example.com Mon Nov  2 10:00:00 2026\n" + APPLICATION + b"\n",
}
# Whose file to offer each format as "another format": one that parses as something.
OTHER = {
    "twarc2": "csv",
    "reddit-json": "twarc2",
    "csv": "reddit-json",
    "mbox": "twarc2",
    "maildir": "mbox",
    "feed": "twarc2",
    "reviews": "csv",
    "mastodon": "twarc2",
    "bluesky": "twarc2",
    "hn": "twarc2",
}


def _place(tmp_path: Path, file_format: str, content: bytes) -> Path:
    """The path to import: the file itself, or for ``maildir`` a folder holding it."""
    folder = tmp_path / "export"
    folder.mkdir()
    path = folder / "export.dat"
    path.write_bytes(content)
    return folder if file_format == "maildir" else path


def _written(url: str) -> tuple[int, int, int]:
    ws = open_workspace(workspace_settings(url))
    try:
        return count_rows(ws, posts), count_rows(ws, sync_state), count_rows(ws, sync_errors)
    finally:
        ws.engine.dispose()


def test_every_format_is_covered():
    assert set(OTHER) == set(FORMATS) and set(OTHER.values()) <= set(SAMPLES)


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("kind", ["binary", "empty", "another-format"])
def test_a_file_that_is_not_the_format_is_refused_in_one_line_and_writes_nothing(
    db_url, tmp_path, file_format, kind
):
    content = {"binary": BINARY, "empty": b"", "another-format": SAMPLES[OTHER[file_format]]}
    path = _place(tmp_path, file_format, content[kind])
    run_cli("brand", "list", DATABASE_URL=db_url)  # the workspace exists: no "created" note
    ran = run_cli("import", str(path), "--format", file_format, DATABASE_URL=db_url)
    shown = [line.strip() for line in ran.stderr.splitlines() if line.strip()]
    assert ran.returncode == 2, ran.stderr
    assert len(shown) == 1 and shown[0].startswith("error: "), ran.stderr
    assert path.name in shown[0]
    assert _written(db_url) == (0, 0, 0)


@pytest.mark.parametrize("file_format", sorted(SAMPLES))
def test_each_other_format_file_used_above_imports_under_its_own_format(
    db_url, tmp_path, file_format
):
    """The refusals above are about the format, not a broken sample."""
    path = _place(tmp_path, file_format, SAMPLES[file_format])
    ran = run_cli("import", str(path), "--format", file_format, DATABASE_URL=db_url)
    assert ran.returncode == 0, ran.stderr
    stored, synced, problems = _written(db_url)
    assert stored >= 1 and synced == 1 and problems == 0


@pytest.mark.parametrize(
    ("file_format", "content"),
    [
        pytest.param(
            "twarc2", BINARY + b"\nnot json\n" + SAMPLES["twarc2"], id="twarc2-junk-lines-first"
        ),
        pytest.param(
            "reddit-json",
            json.dumps([listing([SUBMISSION]), {"kind": "t1"}, 5]).encode(),
            id="reddit-json-odd-parts",
        ),
    ],
)
def test_a_file_of_the_format_with_bad_items_keeps_the_good_and_records_the_bad(
    db_url, tmp_path, file_format, content
):
    path = _place(tmp_path, file_format, content)
    ran = run_cli("import", str(path), "--format", file_format, DATABASE_URL=db_url)
    assert ran.returncode == 0, ran.stderr
    stored, synced, problems = _written(db_url)
    assert stored >= 1 and synced == 1 and problems >= 2
