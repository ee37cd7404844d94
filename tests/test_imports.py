"""Export files: twarc2 JSONL and the generic CSV, idempotent, broken lines reported."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from connectors.files import ImportFormatError, import_batches
from store.schema import posts, sync_errors
from tests.support.cli import Ran, run_cli
from tests.support.rows import count_rows
from tests.support.x_pages import thread_pages

CSV_HEADER = "platform,id,parent_id,thread_id,author,created_at,text,url,extra\n"


def _twarc2_file(tmp_path, broken: bool = False):
    lines = [json.dumps(p) for p in thread_pages()]
    if broken:
        lines.insert(1, '{"data": [ truncated')
    path = tmp_path / "search.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_twarc2_import_stores_every_post_once_and_again_adds_nothing(workspace, tmp_path):
    path = _twarc2_file(tmp_path)
    first = workspace.ingest().run(import_batches(path, "twarc2"))
    again = workspace.ingest().run(import_batches(path, "twarc2"))
    assert (first.new_posts, again.new_posts, again.duplicates) == (4, 0, 4)
    assert count_rows(workspace, posts) == 4


def test_twarc2_broken_line_is_reported_with_its_number_and_the_rest_kept(workspace, tmp_path):
    totals = workspace.ingest().run(import_batches(_twarc2_file(tmp_path, broken=True), "twarc2"))
    assert totals.new_posts == 4 and totals.problems == 1
    with workspace.engine.connect() as conn:
        assert conn.execute(select(sync_errors.c.reason)).scalar_one().startswith("line 2:")


def test_csv_import_keeps_good_rows_and_names_the_bad_line(workspace, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text(
        CSV_HEADER + "x,1,,1,sam,2026-11-02T09:00:00Z,@NorthwindLabs is the role remote?,,a\n"
        "x,2,1,1,NorthwindLabs,not-a-date,Yes!,,b\n"
        'reddit,t3_a,,,ria,2026-11-02T10:00:00+01:00,"Any news, Northwind?",,c\n',
        encoding="utf-8",
    )
    totals = workspace.ingest().run(import_batches(path, "csv"))
    assert totals.new_posts == 2 and totals.problems == 1
    with workspace.engine.connect() as conn:
        reason = conn.execute(select(sync_errors.c.reason)).scalar_one()
        stored = conn.execute(
            select(posts.c.external_id, posts.c.thread_key).order_by(posts.c.external_id)
        ).all()
    assert reason.startswith("line 3:") and "not-a-date" in reason
    assert stored == [("1", "1"), ("t3_a", "t3_a")]


def test_csv_without_a_required_column_names_it(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("platform,id,author,text\nx,1,sam,hello\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="created_at"):
        list(import_batches(path, "csv"))


def test_the_cli_imports_and_reports_an_unknown_format(tmp_path):
    path = _twarc2_file(tmp_path)

    def run(*args: str) -> Ran:
        return run_cli(*args, DATABASE_URL=f"sqlite:///{tmp_path / 'w.db'}")

    imported = run("import", str(path), "--format", "twarc2")
    assert imported.returncode == 0 and "Imported 4 new posts" in imported.stderr
    again = run("import", str(path), "--format", "twarc2")
    assert "Imported 0 new posts (4 already stored)" in again.stderr
    unknown = run("import", str(path), "--format", "tweets")
    assert unknown.returncode == 2
    assert "unknown format 'tweets'; use one of twarc2" in unknown.stderr


def test_the_readme_describes_every_import_format():
    from connectors.files import FORMATS
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Import formats", 1)[1].split("\n## ", 1)[0]
    for name in FORMATS:
        assert f"`{name}` —" in section, name
