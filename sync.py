"""Running connectors: lease the source, resume from its cursor, ingest page by page.

Two workers may run at once (several machines on one PostgreSQL): the lease in ``sync_state``
lets only one of them read a source, so no post is read — and paid for — twice.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass

from connectors.base import Connector, ConnectorError
from ingest import IngestTotals
from store import sync_state
from workspace import Workspace

log = logging.getLogger("fullcircle.sync")
LEASE_SECONDS = 600


@dataclass
class SourceResult:
    source: str
    totals: IngestTotals
    skipped: str | None = None
    error: str | None = None


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def sync_source(ws: Workspace, source: Connector, owner: str | None = None) -> SourceResult:
    """Sync one source under its lease; platform failures are recorded, never raised."""
    owner = owner or worker_id()
    with ws.engine.begin() as conn:
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
        with ws.engine.begin() as conn:
            sync_state.record_failure(conn, source.name, str(exc))
        log.warning("sync of %s failed: %s", source.name, exc)
        return SourceResult(source.name, totals, error=str(exc))
    finally:
        with ws.engine.begin() as conn:
            sync_state.release_lease(conn, source.name, owner)
    return SourceResult(source.name, totals)


def sync_all(ws: Workspace, sources: Iterable[Connector]) -> list[SourceResult]:
    return [sync_source(ws, source) for source in sources]
