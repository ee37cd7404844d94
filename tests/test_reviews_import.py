"""Review sites: the ``reviews`` CSV import, which reviews need an answer, the employer's name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from analysis.reviews import review_facts
from analysis.text import analyse_text
from connectors.base import MalformedPayloadError
from connectors.files import ImportFormatError, import_batches
from connectors.reviews import review_from_row
from store.schema import accounts, cases, posts, sync_errors
from tests.support.cli import run_cli

HEADER = "site,id,created_at,rating,title,pros,cons,text,url,author\n"
ROWS = (
    "glassdoor,101,2026-11-02T09:00:00Z,2,Silent after the interview,,"
    '"Applied six weeks ago, no answer at all",,https://www.glassdoor.example/r/101,'
    "Anonymous Employee\n"
    'kununu,abc,2026-11-03,"4,6",Super Team,Tolle Kollegen,Parkplätze,,,\n'
    "indeed,7,last tuesday,3,Slow,Pay,Process,,,\n"
    "indeed,8,2026-11-04T12:00:00+01:00,7,Odd,Pay,,,,\n"
    "indeed,9,2026-11-04T12:00:00Z,,,,,,,\n"
    "glassdoor,102,2026-11-05T08:00:00Z,5,Great place,Mentoring,Long commute,"
    "Is the Berlin office hiring juniors?,,\n"
)


def _csv(tmp_path, body: str = ROWS, header: str = HEADER, name: str = "reviews.csv"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def _stored(ws) -> dict[str, dict]:
    with ws.engine.connect() as conn:
        rows = conn.execute(select(posts).order_by(posts.c.external_id)).all()
    return {row.external_id: dict(row._mapping) for row in rows}


def test_a_reviews_csv_imports_each_review_once_and_names_each_bad_line(workspace, tmp_path):
    path = _csv(tmp_path)
    first = workspace.ingest().run(import_batches(path, "reviews"))
    again = workspace.ingest().run(import_batches(path, "reviews"))
    assert (first.new_posts, first.problems) == (3, 3)
    assert (again.new_posts, again.duplicates) == (0, 3)
    stored = _stored(workspace)
    assert set(stored) == {"glassdoor:101", "glassdoor:102", "kununu:abc"}
    with workspace.engine.connect() as conn:
        reasons = sorted(set(conn.execute(select(sync_errors.c.reason)).scalars()))
    assert [r.split(":")[0] for r in reasons] == ["line 4", "line 5", "line 6"]
    assert "last tuesday" in reasons[0] and "'7' is not a number from 1 to 5" in reasons[1]
    assert "empty text/pros/cons" in reasons[2]

    silent = stored["glassdoor:101"]
    assert silent["platform"] == "reviews" and silent["rating"] == 2.0
    assert silent["thread_key"] == silent["author_id"] == "glassdoor:101"
    assert silent["source"] == "import:reviews:glassdoor"
    assert silent["subject"] == "Glassdoor review: Silent after the interview"
    assert silent["text"] == (
        "Silent after the interview\n\nCons: Applied six weeks ago, no answer at all"
    )
    assert silent["url"] == "https://www.glassdoor.example/r/101"
    assert silent["author_handle"] == "Anonymous Employee" and silent["channel"] == "addressed"
    assert stored["kununu:abc"]["rating"] == 4.6
    assert stored["kununu:abc"]["created_at"] == datetime(2026, 11, 3, tzinfo=UTC)


def test_every_review_needs_an_answer_but_pure_praise(workspace, tmp_path):
    workspace.ingest().run(import_batches(_csv(tmp_path), "reviews"))
    stored = _stored(workspace)
    answer = {key: row["needs_response"] for key, row in stored.items()}
    # 2 stars: a complaint; 4.6 stars with nothing asked: praise; 5 stars with a question.
    assert answer == {"glassdoor:101": True, "kununu:abc": False, "glassdoor:102": True}
    assert stored["kununu:abc"]["reason"] == "praise (4.6/5), nothing asked"
    with workspace.engine.connect() as conn:
        opened = conn.execute(select(cases.c.thread_key).order_by(cases.c.thread_key)).scalars()
        assert list(opened) == ["glassdoor:101", "glassdoor:102"]


@pytest.mark.parametrize(
    ("text", "rating", "needs", "reason"),
    [
        ("Great colleagues and a fair boss", 5.0, False, "praise (5/5), nothing asked"),
        ("Great colleagues and a fair boss", 3.0, True, "review rated 3/5"),
        ("Great colleagues and a fair boss", None, True, "review without stars"),
        ("Nice people", 4.0, False, "praise (4/5), nothing asked"),
    ],
)
def test_praise_is_only_a_review_rated_4_or_more_that_asks_nothing(text, rating, needs, reason):
    facts = review_facts(analyse_text(text, channel="addressed"), text, rating)
    assert (facts.needs_response, facts.reason) == (needs, reason)
    assert (facts.intent is None) == (not needs)


def test_a_review_that_asks_or_complains_needs_an_answer_whatever_its_stars():
    text = "Lovely team. Why did nobody answer my application for three weeks?"
    facts = review_facts(analyse_text(text, channel="addressed"), text, 5.0)
    assert facts.needs_response and facts.intent in {"question", "complaint", "chase"}


def test_the_sites_export_column_names_are_read_as_ours(workspace, tmp_path):
    header = "Site,Review Id,Review Date Time,Rating Overall,Summary,Pros,Cons,Advice,Review URL\n"
    body = "glassdoor,555,2026-11-06T10:00:00Z,1,Never again,,Chaotic interviews,Reply!,\n"
    workspace.ingest().run(import_batches(_csv(tmp_path, body, header), "reviews"))
    [review] = _stored(workspace).values()
    assert review["external_id"] == "glassdoor:555" and review["rating"] == 1.0
    assert review["text"] == "Never again\n\nCons: Chaotic interviews\n\nReply!"


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ('{"data": [{"id": "1", "text": "a tweet"}]}\n', "lacks the column(s) site; id;"),
        (
            "platform,id,author,created_at,text\nx,1,sam,2026-11-02T09:00:00Z,hi\n",
            "lacks the column(s) site;",
        ),
        ("site,id,created_at,rating\nglassdoor,1,2026-11-02,3\n", "text, pros or cons"),
    ],
    ids=["jsonl", "generic-csv", "no-review-text"],
)
def test_a_file_that_is_not_a_reviews_csv_is_refused_in_one_line(tmp_path, content, why):
    path = tmp_path / "export.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFormatError, match="is not a reviews CSV") as refused:
        list(import_batches(path, "reviews"))
    assert why in str(refused.value)
    ran = run_cli(
        "import", str(path), "--format", "reviews", DATABASE_URL=f"sqlite:///{tmp_path / 'w.db'}"
    )
    lines = [line for line in ran.stderr.splitlines() if "error" in line]
    assert ran.returncode == 2 and len(lines) == 1 and "is not a reviews CSV" in lines[0]


def test_the_cli_imports_reviews_and_registers_the_employer_name(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}"}
    path = _csv(tmp_path)
    added = run_cli("brand", "add", "reviews", "Northwind Labs", **env)
    first = run_cli("import", str(path), "--format", "reviews", **env)
    again = run_cli("import", str(path), "--format", "reviews", **env)
    assert added.returncode == 0 and "Added 1 reviews brand account(s)" in added.stderr
    assert first.returncode == 0 and "Imported 3 new posts" in first.stderr
    assert "line 4:" in first.stderr
    assert "Imported 0 new posts (3 already stored)" in again.stderr
    listed = run_cli("brand", "list", **env)
    assert "reviews\tNorthwind Labs" in listed.stdout


def test_the_employer_name_is_stored_as_the_review_sites_brand_account(workspace):
    from store.accounts import add_account

    with workspace.engine.begin() as conn:
        add_account(conn, "reviews", "Northwind Labs")
        rows = conn.execute(select(accounts.c.platform, accounts.c.handle)).all()
    assert [tuple(r) for r in rows] == [("reviews", "Northwind Labs")]


@pytest.mark.parametrize(
    ("row", "why"),
    [
        ({"site": "glass door"}, "is not a site name"),
        ({"rating": "nan"}, "is not a number from 1 to 5"),
        ({"rating": "0"}, "is not a number from 1 to 5"),
        ({"created_at": "0001-01-01T00:00:00Z"}, "out of range"),
        ({"id": ""}, "empty id"),
    ],
)
def test_a_bad_review_row_says_what_is_wrong(row, why):
    good = {"site": "indeed", "id": "1", "created_at": "2026-11-02", "pros": "Pay"}
    with pytest.raises(MalformedPayloadError, match=why):
        review_from_row({**good, **row})


def test_reviews_of_one_anonymous_signature_stay_separate_cases(workspace, tmp_path):
    at = datetime(2026, 11, 2, 9, tzinfo=UTC)
    body = "".join(
        f"glassdoor,{n},{(at + timedelta(hours=n)).isoformat()},1,Bad,,Awful,,,Anonymous\n"
        for n in range(3)
    )
    workspace.ingest().run(import_batches(_csv(tmp_path, body), "reviews"))
    with workspace.engine.connect() as conn:
        chases = conn.execute(select(cases.c.chase_count)).scalars().all()
    assert chases == [0, 0, 0]
