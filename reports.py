"""The response-rate report as the CLI prints it and the dashboard draws it: one code path."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection

from analysis.metrics import DIMENSIONS, build_report
from store import report_frames
from store.report_frames import Period


def workspace_report(conn: Connection, period: Period = Period(), by: str | None = None,
                     now: datetime | None = None) -> dict:
    """Metrics for every post in ``period`` (all time when open), optionally per dimension."""
    if by is not None and by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}; use one of {', '.join(DIMENSIONS)}")
    now = now or datetime.now(UTC)
    return build_report(
        report_frames.inbound_counts(conn, period, by),
        report_frames.case_rows(conn, period, by),
        report_frames.promise_rows(conn, period, by),
        report_frames.brand_counts(conn, period, by),
        now=now, by=by)
