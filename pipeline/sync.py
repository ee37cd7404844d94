"""Running connectors: lease the source, resume from its cursor, ingest page by page.

Two workers may run at once (several machines on one PostgreSQL): the lease in ``sync_state``
lets only one of them read a source, so no post is read — and paid for — twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from connectors.base import Connector, ConnectorError, Problem
from pipeline.ingest import IngestTotals
from pipeline.owners import holder_is_dead, worker_id
from pipeline.workspace import Workspace
from settings import redact
from store import sync_state

log = logging.getLogger("fullcircle.sync")
LEASE_SECONDS = 600


@dataclass
class SourceResult:
    source: str
    totals: IngestTotals
    skipped: str | None = None
    error: str | None = None


def sync_source(ws: Workspace, source: Connector, owner: str | None = None) -> SourceResult:
    """Sync one source under its lease; platform failures are recorded, never raised."""
    owner = owner or worker_id()
    with ws.engine.begin() as conn:
        held = sync_state.get_state(conn, source.name)
        if held and held["lease_owner"] != owner and holder_is_dead(held["lease_owner"]):
            sync_state.release_lease(conn, source.name, held["lease_owner"])
        if not sync_state.acquire_lease(conn, source.name, owner, LEASE_SECONDS):
            return SourceResult(source.name, IngestTotals(), skipped="another worker holds it")
        state = sync_state.get_state(conn, source.name) or {}
    ingest = ws.ingest()
    totals = IngestTotals()
    try:
        for batch in source.fetch(state.get("cursor")):
            totals.add(ingest.batch(batch))
            with ws.engine.begin() as conn:
                sync_state.acquire_lease(conn, source.name, owner, LEASE_SECONDS)
    except ConnectorError as exc:
        retry = getattr(source, "retry", None)
        faults = retry.take_faults() if retry is not None else []
        reason = redact(str(exc))  # an API may echo the request's credentials
        with ws.engine.begin() as conn:
            sync_state.record_problems(
                conn, [Problem(source.name, None, redact(f)) for f in faults]
            )
            sync_state.record_failure(conn, source.name, reason)
        log.warning("sync of %s failed: %s", source.name, reason)
        return SourceResult(source.name, totals, error=reason)
    finally:
        with ws.engine.begin() as conn:
            sync_state.release_lease(conn, source.name, owner)
    return SourceResult(source.name, totals)


def sync_all(ws: Workspace, sources: Iterable[Connector]) -> list[SourceResult]:
    return [sync_source(ws, source) for source in sources]
