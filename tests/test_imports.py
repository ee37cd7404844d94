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


def test_problems_are_printed_as_written_not_as_terminal_markup(tmp_path):
    """A problem quotes the bad value; rich markup in it (``[/red]``, ``[link=…]``) is shown as
    text, never styled or turned into a hidden terminal link, and never stops the command."""
    path = tmp_path / "posts.csv"
    path.write_text(
        CSV_HEADER + "x,1,,1,sam,2026-11-02T09:00:00Z,@NorthwindLabs is the role remote?,,a\n"
        "x,2,,2,ria,[/red],any update?,,b\n"
        "x,3,,3,ria,[link=http://evil.example]2026[/link],any update?,,c\n",
        encoding="utf-8",
    )
    ran = run_cli(
        "import", str(path), "--format", "csv", DATABASE_URL=f"sqlite:///{tmp_path / 'w.db'}"
    )
    assert ran.returncode == 0, ran.stderr
    assert "'[/red]'" in ran.stderr
    assert "'[link=http://evil.example]2026[/link]'" in ran.stderr
    assert "Imported 1 new posts" in ran.stderr


def test_a_file_that_yields_only_problems_exits_non_zero(tmp_path):
    """Nothing imported and every item a problem is a failed import for a script or a CI job,
    not a success with a footnote."""
    path = tmp_path / "posts.csv"
    path.write_text(
        CSV_HEADER + "x,1,,1,sam,not-a-date,hello,,a\nx,2,,2,ria,,any update?,,b\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'w.db'}"
    ran = run_cli("import", str(path), "--format", "csv", DATABASE_URL=url)
    assert ran.returncode == 1, ran.stderr
    assert "nothing imported from posts.csv: all 2 item(s) were problems" in ran.stderr
    empty = tmp_path / "empty.csv"
    empty.write_text(CSV_HEADER, encoding="utf-8")
    assert run_cli("import", str(empty), "--format", "csv", DATABASE_URL=url).returncode == 0


def _csv(tmp_path, name: str, *rows: str):
    path = tmp_path / name
    path.write_text(CSV_HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_the_same_id_with_another_text_is_reported_and_the_first_read_is_kept(workspace, tmp_path):
    """One rule within a file and across files: the post read first stays; any later copy
    with another text is a problem naming the id (a copy with the same text is no problem)."""
    at = "2026-11-02T09:00:00Z"
    first = _csv(
        tmp_path,
        "first.csv",
        f"x,1,,1,sam,{at},Is the Berlin role remote?,,a",
        f"x,2,,2,ria,{at},Any update?,,b",
        f"x,1,,1,sam,{at},Is the Berlin role remote? (edited),,c",
        f"x,2,,2,ria,{at},Any update?,,d",
    )
    second = _csv(tmp_path, "second.csv", f"x,2,,2,ria,{at},Any update on my interview?,,e")
    workspace.ingest().run(import_batches(first, "csv"))
    workspace.ingest().run(import_batches(second, "csv"))
    with workspace.engine.connect() as conn:
        texts = dict(conn.execute(select(posts.c.external_id, posts.c.text)).all())
        reasons = conn.execute(select(sync_errors.c.reason).order_by(sync_errors.c.id)).scalars()
        reasons = list(reasons)
    assert texts == {"1": "Is the Berlin role remote?", "2": "Any update?"}
    assert reasons == [
        "x post 1 read again with another text; the one read first is kept",
        "x post 2 read again with another text; the one read first is kept",
    ]


def test_a_pool_analyses_the_copy_it_keeps(tmp_path):
    """With FULLCIRCLE_WORKERS > 1 texts are analysed ahead in other processes; a duplicate id
    must not lend the kept post the analysis of its other copy."""
    from pipeline.ingest import _prepare
    from store.accounts import BrandIdentities
    from tests.support.factories import batch, post

    kept = post("1", "When do the interviews for the backend role take place?")
    copy = post("1", "Thanks, great event yesterday!")
    _, facts = _prepare(batch(kept, copy), BrandIdentities(frozenset()))
    [(key, fact)] = facts.items()
    assert fact.needs_response and fact.intent == "question", fact


def test_an_unterminated_quote_is_reported_and_the_rows_after_it_are_kept(workspace, tmp_path):
    """A quote that never closes made the csv module read every later line into one field:
    the rest of the file vanished into one post's text without a word."""
    at = "2026-11-02T09:00:00Z"
    path = _csv(
        tmp_path,
        "posts.csv",
        f"x,1,,1,sam,{at},Is the Berlin role remote?,,a",
        f'x,2,,2,ria,{at},"He said ""soon"" and then nothing,,b',
        f'x,3,,3,jo,{at},"A text over\ntwo lines",,c',
        f"x,4,,4,lu,{at},Any update on my interview?,,d",
    )
    totals = workspace.ingest().run(import_batches(path, "csv"))
    with workspace.engine.connect() as conn:
        texts = dict(conn.execute(select(posts.c.external_id, posts.c.text)).all())
        reasons = list(conn.execute(select(sync_errors.c.reason)).scalars())
    assert texts == {
        "1": "Is the Berlin role remote?",
        "3": "A text over\ntwo lines",
        "4": "Any update on my interview?",
    }
    assert totals.problems == 1 and reasons[0].startswith("line 3: a quoted field opens")
    assert "never closes" in reasons[0] and "read again from line 4" in reasons[0]


def test_a_malformed_quote_is_a_problem_not_a_silently_mended_text(workspace, tmp_path):
    at = "2026-11-02T09:00:00Z"
    path = _csv(
        tmp_path,
        "posts.csv",
        f'x,1,,1,sam,{at},"Is the role remote?"maybe,,a',
        f"x,2,,2,ria,{at},Any update?,,b",
    )
    workspace.ingest().run(import_batches(path, "csv"))
    with workspace.engine.connect() as conn:
        ids = list(conn.execute(select(posts.c.external_id)).scalars())
        reasons = list(conn.execute(select(sync_errors.c.reason)).scalars())
    assert ids == ["2"] and reasons == ["line 2: ',' expected after '\"'"]


def test_a_quote_open_to_the_end_of_the_file_loses_only_its_own_row(workspace, tmp_path):
    at = "2026-11-02T09:00:00Z"
    rows = [f"x,{n},,{n},sam,{at},Question {n}?,,a" for n in range(1, 40)]
    rows[4] = f'x,5,,5,ria,{at},"I asked twice,,b'
    workspace.ingest().run(import_batches(_csv(tmp_path, "posts.csv", *rows), "csv"))
    with workspace.engine.connect() as conn:
        ids = set(conn.execute(select(posts.c.external_id)).scalars())
        [reason] = conn.execute(select(sync_errors.c.reason)).scalars()
    assert ids == {str(n) for n in range(1, 40)} - {"5"}
    assert reason.startswith("line 6: a quoted field opens here and never closes properly")
    assert "unexpected end of data" in reason


def test_an_unknown_platform_is_refused_naming_the_ones_allowed(workspace, tmp_path):
    """A platform no connector knows has no reply route, no brand accounts and no label: it was
    stored anyway and then shown and alerted as written."""
    at = "2026-11-02T09:00:00Z"
    path = _csv(
        tmp_path,
        "posts.csv",
        f"tiktok,1,,1,sam,{at},Is the role remote?,,a",
        f"<!channel>,2,,2,ria,{at},Any update?,,b",
        f"X ,3,,3,jo,{at},When do interviews start?,,c",
    )
    workspace.ingest().run(import_batches(path, "csv"))
    with workspace.engine.connect() as conn:
        stored = conn.execute(select(posts.c.platform, posts.c.external_id)).all()
        reasons = list(conn.execute(select(sync_errors.c.reason).order_by(sync_errors.c.id)))
    assert stored == [("x", "3")]
    allowed = "bluesky, email, feed, hn, mastodon, reddit, reviews, x, youtube"
    assert [r.reason for r in reasons] == [
        f"line 2: platform 'tiktok' is not one of {allowed}",
        f"line 3: platform '<!channel>' is not one of {allowed}",
    ]


def test_the_readme_describes_every_import_format():
    from connectors.files import FORMATS
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Import formats", 1)[1].split("\n## ", 1)[0]
    for name in FORMATS:
        assert f"`{name}` —" in section, name
