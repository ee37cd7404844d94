"""The Backlog's search on PostgreSQL finds posts through a trigram index (migration 0012):
the index is built, it serves the search's own expression, the search finds the same cases with
it as without it (also for %, _ and letters beyond ASCII), and a role that may not install
pg_trgm still gets a migrated workspace and a working search, with one line saying what to run.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from pipeline import workspace as workspace_module
from pipeline.workspace import open_workspace
from store import queries, text_search
from store.schema import cases, posts
from tests.conftest import _fresh_postgres_database, workspace_settings
from tests.support.factories import MONDAY, batch, post

NOW = datetime.now(UTC) + timedelta(hours=2)

# One question per author, each its own case; a follow-up in a case's second post.
QUESTIONS = {
    "pct": "Is the 100% remote role still open?",
    "hundred": "Is the 100 remote role still open?",
    "under": "Can a senior_dev apply for the Berlin role?",
    "dash": "Can a senior-dev apply for the Berlin role?",
    "krakow": "Is the Kraków office hiring juniors?",
    "zurich": "Any news about the Zürich team's interviews?",
    "laeuft": "Wie läuft das Bewerbungsgespräch ab?",
    "later": "Hello, a question about the graduate programme?",
}
FOLLOW_UP = ("later", "Also: is relocation to Málaga paid?")

SEARCHES = {
    "100%": ["pct"],  # % is a character here, not LIKE's wildcard
    "senior_dev": ["under"],  # _ likewise
    "%": ["pct"],
    "_": ["under"],
    "kraków": ["krakow"],
    "KRAKÓW": ["krakow"],
    "zürich team": ["zurich"],
    "läuft": ["laeuft"],
    "gespräch": ["laeuft"],
    "ffice": ["krakow"],  # inside a word
    "málaga": ["later"],  # a case's later post
    "remote role": ["hundred", "pct"],
    "nowhere-to-be-found": [],
}


def _searchable(url: str):
    ws = open_workspace(workspace_settings(url))
    items = [
        post(str(i), question, author=author, thread=f"t{i}", at=MONDAY + timedelta(minutes=i))
        for i, (author, question) in enumerate(QUESTIONS.items())
    ]
    later = list(QUESTIONS).index(FOLLOW_UP[0])
    items.append(
        post(
            "99",
            FOLLOW_UP[1],
            author=FOLLOW_UP[0],
            thread=f"t{later}",
            at=MONDAY + timedelta(hours=1),
        )
    )
    ws.ingest().batch(batch(*items))
    return ws


@pytest.fixture
def searchable(db_url):
    ws = _searchable(db_url)
    yield ws
    ws.engine.dispose()


@pytest.fixture
def pg_searchable(postgres_server_url):
    url, drop = _fresh_postgres_database(postgres_server_url)
    ws = _searchable(url)
    yield ws
    ws.engine.dispose()
    drop()


def found(engine, search: str, *settings: str) -> list[str]:
    """The authors of the unanswered cases the Backlog's search finds (page and count agree),
    with the planner ``settings`` (``SET ...``) applied first."""
    filt = queries.CaseFilter(view="all", search=search)
    with engine.connect() as conn:
        for setting in settings:
            conn.execute(text(setting))
        page = queries.backlog(conn, NOW, filt=filt)
        assert queries.backlog_count(conn, NOW, filt) == len(page)
    return sorted(page["author_handle"])


def every_search(engine, *settings: str) -> dict[str, list[str]]:
    return {search: found(engine, search, *settings) for search in SEARCHES}


def trigram_indexes(engine) -> list[str]:
    """The definitions of the search's trigram indexes the database holds."""
    with engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT indexdef FROM pg_indexes WHERE indexname IN (:posts, :authors) "
                    "ORDER BY indexname DESC"
                ),
                {"posts": text_search.INDEX, "authors": text_search.AUTHOR_INDEX},
            ).scalars()
        )


def test_the_search_finds_the_cases_the_words_are_in(searchable):
    assert every_search(searchable.engine) == SEARCHES


def test_postgres_builds_the_trigram_index_and_finds_the_same_cases_with_and_without_it(
    pg_searchable, monkeypatch
):
    """Both ways the search can go on PostgreSQL: a rare word's cases looked up through the
    index (the planner sent to it, as a large workspace's statistics would), a common word's
    checked case by case (every word common), and without the index at all."""
    engine = pg_searchable.engine
    texts, authors = trigram_indexes(engine)
    assert "ON public.posts USING gin (lower(text) gin_trgm_ops)" in texts
    assert "ON public.cases USING gin (lower((author_handle)::text) gin_trgm_ops)" in authors
    looked_up: list[list[int] | None] = []  # what each search's look-up gave
    look_up = text_search.few_cases

    def recorded(conn, holds, for_page):
        looked_up.append(look_up(conn, holds, for_page))
        return looked_up[-1]

    monkeypatch.setattr(text_search, "few_cases", recorded)
    by_index = every_search(engine, "SET enable_seqscan = off")
    assert len(looked_up) == 2 * len(SEARCHES) and None not in looked_up
    looked_up.clear()
    monkeypatch.setattr(text_search, "FEW_POSTS", 0)
    case_by_case = every_search(engine, "SET enable_seqscan = off")
    pages = looked_up[::2]  # found() asks for a page, then for the count
    assert pages == [None] * len(SEARCHES)
    with engine.begin() as conn:
        text_search.drop_index(conn)
    assert trigram_indexes(engine) == []
    assert by_index == case_by_case == every_search(engine) == SEARCHES


def test_a_word_in_more_posts_than_the_look_up_reads_is_checked_case_by_case(
    pg_searchable, monkeypatch
):
    monkeypatch.setattr(text_search, "FEW_POSTS", 2)
    holds = queries.contains_words(posts.c.text, "role")  # in 4 posts
    with pg_searchable.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        assert text_search.few_cases(conn, holds) is None
        assert len(text_search.few_cases(conn, queries.contains_words(posts.c.text, "100"))) == 2
    assert found(pg_searchable.engine, "role") == ["dash", "hundred", "pct", "under"]


def test_the_trigram_index_serves_the_searchs_own_expression(pg_searchable):
    """Were the search to lower-case or match differently from the index's expression,
    PostgreSQL could not use the index and would read every post again."""
    query = select(posts.c.id).where(queries.contains_words(posts.c.text, "Kraków office"))
    with pg_searchable.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))
        statement = str(query.compile(conn, compile_kwargs={"literal_binds": True}))
        plan = "\n".join(conn.execute(text(f"EXPLAIN {statement}")).scalars())
    assert text_search.INDEX in plan


@pytest.fixture
def limited_role_url(postgres_server_url):
    """A database in which a role may create tables but not install extensions (no CREATE
    privilege on the database), as a hosted PostgreSQL often hands out."""
    suffix = uuid.uuid4().hex[:10]
    role, database, password = f"fc_limited_{suffix}", f"fc_limited_{suffix}", "limited-pass"
    server = make_url(postgres_server_url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    owner = create_engine(server.set(database=database), isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text(f"GRANT USAGE, CREATE ON SCHEMA public TO {role}"))
    owner.dispose()
    yield server.set(username=role, password=password, database=database).render_as_string(
        hide_password=False
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
    admin.dispose()


def test_a_role_that_may_not_install_pg_trgm_gets_a_working_search_and_one_clear_line(
    limited_role_url, postgres_server_url, caplog
):
    caplog.set_level(logging.WARNING, logger="fullcircle.store")
    ws = open_workspace(workspace_settings(limited_role_url))
    try:
        with ws.engine.connect() as conn:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            installed = conn.execute(
                text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")
            ).scalar()
        assert (revision, installed) == ("0012", 0)
        assert trigram_indexes(ws.engine) == []
        (line,) = [r.getMessage() for r in caplog.records if "pg_trgm" in r.getMessage()]
        database = make_url(limited_role_url).database
        assert f"database {database}" in line and "permission denied" in line
        assert "CREATE EXTENSION pg_trgm;" in line and "gin_trgm_ops" in line
        assert f"CREATE INDEX {text_search.INDEX} ON posts" in line
        assert f"CREATE INDEX {text_search.AUTHOR_INDEX} ON cases" in line
        assert "limited-pass" not in line
        items = [
            post(str(i), q, author=a, thread=f"t{i}", at=MONDAY + timedelta(minutes=i))
            for i, (a, q) in enumerate(QUESTIONS.items())
        ]
        ws.ingest().batch(batch(*items))
        assert found(ws.engine, "kraków") == ["krakow"]
        assert found(ws.engine, "100%") == ["pct"]
        # The administrator runs what the line says, and the search has both of its indexes.
        database_url = make_url(postgres_server_url).set(database=database)
        admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(line[line.index("CREATE EXTENSION") :])
        admin.dispose()
        assert len(trigram_indexes(ws.engine)) == 2
        assert found(ws.engine, "kraków") == ["krakow"]
    finally:
        ws.engine.dispose()


def test_a_bulk_import_builds_the_trigram_index_once_at_its_end(postgres_server_url, monkeypatch):
    """Like the dashboard's other indexes (``store.bulk``), the trigram index is not kept up
    batch by batch during a large import, and is there when the import ends."""
    url, drop = _fresh_postgres_database(postgres_server_url)
    monkeypatch.setattr(workspace_module, "BULK_THRESHOLD_POSTS", 1000)
    ws = open_workspace(workspace_settings(url))
    held_meanwhile: list[list[str]] = []
    try:
        assert len(trigram_indexes(ws.engine)) == 2
        ws.seed_demo(
            3000, end=MONDAY, on_batch=lambda _: held_meanwhile.append(trigram_indexes(ws.engine))
        )
        assert held_meanwhile and all(held == [] for held in held_meanwhile)
        assert len(trigram_indexes(ws.engine)) == 2
        assert found(ws.engine, "interview") == found_by_reading(ws.engine, "interview") != []
    finally:
        ws.engine.dispose()
        drop()


def found_by_reading(engine, word: str) -> list[str]:
    """The authors of unanswered open cases whose handle or any post holds ``word``, read
    row by row in Python."""
    with engine.connect() as conn:
        open_cases = conn.execute(
            select(cases.c.id, cases.c.author_handle).where(
                cases.c.first_response_at.is_(None), cases.c.status != "closed"
            )
        ).all()
        texts = conn.execute(select(posts.c.case_id, posts.c.text)).all()
    holding = {case_id for case_id, body in texts if word in body.lower()}
    return sorted(
        handle for case_id, handle in open_cases if case_id in holding or word in handle.lower()
    )
