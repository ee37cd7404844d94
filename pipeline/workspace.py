"""A workspace: the migrated database, its SLA policy and working calendar, and its settings.

The CLI, the sync worker and the dashboard all start from ``open_workspace`` so they agree on
the database and on what "due" means.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path

from sqlalchemy import Engine

from analysis.calendar import WorkingCalendar
from analysis.cases import SlaPolicy
from demo import DEMO_SEED
from demo.batches import BRAND_ACCOUNTS, demo_batches
from pipeline.ingest import Ingest, IngestTotals
from pipeline.model_choice import use_model
from pipeline.owners import holder_is_dead, worker_id
from settings import ConfigError, Settings, load_settings, redact_in_logs
from store import bulk
from store import posts as post_store
from store.accounts import add_account
from store.db import erase_everything, open_store, sqlite_path
from store.values import get_value, set_value

POOL_THRESHOLD_POSTS = 20_000  # below this, starting analysis processes costs more than it saves
POOL_THRESHOLD_BYTES = 20_000_000
# An import of at least this many posts, and at least a quarter of what is stored, builds the
# reports' indexes once at its end rather than updating them batch by batch (``store.bulk``).
BULK_THRESHOLD_POSTS = 20_000
# What an export file holds per post, about (a tweet's JSON with its expansions is 1–3 KB):
# how many posts a file's size promises.
BYTES_PER_POST = 1_000


class RealDataError(Exception):
    """The demo would overwrite a workspace that holds real data."""


def calendar_from_settings(settings: Settings) -> WorkingCalendar:
    start, end = settings.working_hours
    year = datetime.now(UTC).year
    country = settings.get("FULLCIRCLE_HOLIDAYS").strip() or None
    try:
        return WorkingCalendar.for_country(
            country,
            range(year - 3, year + 2),
            timezone=settings.get("FULLCIRCLE_TIMEZONE"),
            workdays=settings.workdays,
            day_start=time.fromisoformat(start),
            day_end=time.fromisoformat(end),
        )
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


@dataclass
class Workspace:
    settings: Settings
    engine: Engine
    policy: SlaPolicy
    # The SQLite file this opening created: a mistyped file name makes a new, empty
    # workspace, so the CLI says so rather than report zeros as if they were the data.
    created_file: Path | None = None

    def ingest(self, workers: int = 1) -> Ingest:
        """Single-process for syncs; large imports pass ``settings.workers``."""
        return Ingest(self.engine, self.policy, workers)

    def bulk_import(self, expected_posts: int) -> AbstractContextManager[None]:
        """Where an import of about ``expected_posts`` runs: large against the store, with the
        indexes only the dashboard reads built once at its end (``store.bulk``)."""
        if expected_posts < BULK_THRESHOLD_POSTS or expected_posts * 4 < self.counts()[0]:
            return nullcontext()
        return bulk.indexes_deferred(self.engine, worker_id())

    def counts(self) -> tuple[int, int]:
        """(all posts, posts that did not come from the demo)."""
        with self.engine.connect() as conn:
            return post_store.count_posts(conn), post_store.count_posts(conn, only_demo=False)

    def is_demo(self) -> bool:
        with self.engine.connect() as conn:
            return get_value(conn, "demo_seeded_at") is not None

    def reset(self) -> None:
        """Delete every row of the workspace (the schema stays)."""
        with self.engine.begin() as conn:
            erase_everything(conn)

    def seed_demo(
        self,
        posts: int,
        seed: int = DEMO_SEED,
        end: datetime | None = None,
        reset: bool = False,
        on_batch: Callable[[IngestTotals], None] | None = None,
        on_start: Callable[[], None] | None = None,
    ) -> IngestTotals:
        """Fill the workspace with the generated employer; never over real data unasked.
        ``on_start`` is called once the checks have passed and generating begins."""
        real = self.counts()[1]
        if real and not reset:
            raise RealDataError(
                f"the workspace holds {real} real posts; the demo would mix with them. "
                "Use --reset to erase the workspace first, or point DATABASE_URL elsewhere"
            )
        if reset:
            self.reset()
        with self.engine.begin() as conn:
            for account in BRAND_ACCOUNTS:
                add_account(
                    conn,
                    account.platform,
                    account.handle,
                    account.external_user_id,
                    account.display_name,
                )
            set_value(conn, "demo_seeded_at", datetime.now(UTC).isoformat())
            set_value(conn, "demo_posts", str(posts))
        workers = self.settings.workers if posts >= POOL_THRESHOLD_POSTS else 1
        if on_start:
            on_start()
        with self.bulk_import(posts):
            return self.ingest(workers).run(demo_batches(posts, seed, end), on_batch)


def build_abandoned_indexes(engine: Engine) -> None:
    """Indexes a bulk import dropped and could not build, killed before its end, are built by
    the next process to open the workspace (a running import builds its own)."""
    with engine.connect() as conn:
        owner = bulk.deferring_owner(conn)
    if owner is None or not holder_is_dead(owner):
        return
    with engine.begin() as conn:
        if bulk.deferring_owner(conn) == owner:
            bulk.build_deferred(conn)


def open_workspace(settings: Settings | None = None) -> Workspace:
    settings = settings or load_settings()
    redact_in_logs(settings)
    use_model(settings)
    policy = SlaPolicy(calendar_from_settings(settings), settings.sla_hours)
    path = sqlite_path(settings.database_url)
    new = path if path is not None and not path.exists() else None
    engine = open_store(settings.database_url, create_folder=settings.uses_default_database)
    build_abandoned_indexes(engine)
    return Workspace(settings, engine, policy, new.resolve() if new else None)
