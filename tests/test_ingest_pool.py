"""Analysis in a process pool stores exactly what the single-process ingest stores."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from connectors.base import Batch
from demo.batches import demo_batches
from demo.payloads import BRAND_ACCOUNTS
from pipeline.ingest import Ingest
from pipeline.workspace import open_workspace
from store.accounts import add_account
from store.schema import cases, posts
from tests.conftest import workspace_settings

END = datetime(2026, 11, 1, tzinfo=UTC)


def _ingest(url: str, workers: int) -> tuple[list, list]:
    ws = open_workspace(workspace_settings(url))
    with ws.engine.begin() as conn:
        for account in BRAND_ACCOUNTS:
            add_account(conn, account.platform, account.handle, account.external_user_id)
    ws.ingest(workers).run(demo_batches(1500, 7, END, batch_size=300))
    with ws.engine.connect() as conn:
        stored = conn.execute(
            select(
                posts.c.external_id,
                posts.c.needs_response,
                posts.c.intent,
                posts.c.sentiment,
                posts.c.promise_hours,
            ).order_by(posts.c.platform, posts.c.external_id)
        ).all()
        opened = conn.execute(
            select(cases.c.author_id, cases.c.opened_at, cases.c.first_response_at).order_by(
                cases.c.id
            )
        ).all()
    return stored, opened


def test_pool_and_single_process_agree(tmp_path):
    single = _ingest(f"sqlite:///{tmp_path / 'one.db'}", 1)
    pooled = _ingest(f"sqlite:///{tmp_path / 'two.db'}", 2)
    assert pooled == single and len(single[0]) == 1500


@dataclass(frozen=True)
class _NamedJob:
    """A job whose batch says which process prepared it."""

    index: int

    def __call__(self) -> Batch:
        return Batch(f"job {self.index} in {os.getpid()}", [])


def test_the_writer_prepares_batches_itself_while_the_pool_is_behind(tmp_path):
    """Two processes: while the pool is still starting (or slower than storing), the writer
    maps and analyses a queued batch itself, and batches still reach the store in order."""
    ws = open_workspace(workspace_settings(f"sqlite:///{tmp_path / 'w.db'}"))
    jobs = [_NamedJob(i) for i in range(6)]
    prepared = [batch.source for batch, _ in Ingest(ws.engine, ws.policy, 2)._prepared(jobs)]
    ws.engine.dispose()
    assert [source.split()[1] for source in prepared] == [str(i) for i in range(6)]
    here = f"in {os.getpid()}"
    assert any(source.endswith(here) for source in prepared)
    assert not prepared[0].endswith(here)
