"""PostgreSQL reads the reports need: statements run without the JIT compiler, and a large
import leaves its rows marked visible, so the reports' covering indexes are read alone."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.engine import make_url

from pipeline import workspace as workspace_module
from pipeline.workspace import open_workspace
from store.db import create_store_engine
from tests.conftest import _fresh_postgres_database, workspace_settings


def test_postgres_statements_run_without_jit_and_keep_the_urls_own_options(
    postgres_server_url,
):
    url, drop = _fresh_postgres_database(postgres_server_url)
    given = make_url(url).update_query_dict({"options": "-c statement_timeout=4321"})
    engine = create_store_engine(given.render_as_string(hide_password=False))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SHOW jit")).scalar() == "off"
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "4321ms"
    finally:
        engine.dispose()
        drop()


def test_a_bulk_import_leaves_every_page_of_posts_and_cases_visible(
    postgres_server_url, monkeypatch
):
    """Index-only reads skip the table only for pages the visibility map marks all-visible;
    rows an import just wrote are not, until a VACUUM."""
    url, drop = _fresh_postgres_database(postgres_server_url)
    monkeypatch.setattr(workspace_module, "BULK_THRESHOLD_POSTS", 1000)
    ws = open_workspace(workspace_settings(url))
    try:
        ws.seed_demo(3000, end=datetime(2026, 11, 1, tzinfo=UTC))
        with ws.engine.connect() as conn:
            pages = dict(
                conn.execute(
                    text(
                        "SELECT relname, relpages - relallvisible FROM pg_class "
                        "WHERE relname IN ('posts', 'cases') AND relpages > 0"
                    )
                ).all()
            )
        assert pages == {"posts": 0, "cases": 0}
    finally:
        ws.engine.dispose()
        drop()
