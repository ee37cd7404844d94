"""The response-rate report as the CLI prints it and the dashboard draws it: one code path."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection

from analysis.metrics import DIMENSIONS, report_from_counts
from store import report_frames
from store.report_frames import Period


def workspace_report(
    conn: Connection, period: Period = Period(), by: str | None = None, now: datetime | None = None
) -> dict:
    """Metrics for every post in ``period`` (all time when open), optionally per dimension.

    The database counts (``store.report_frames``); only the hours of answered cases come
    back as rows, for their medians and p90.
    """
    if by is not None and by not in DIMENSIONS:
        raise ValueError(f"unknown dimension {by!r}; use one of {', '.join(DIMENSIONS)}")
    now = now or datetime.now(UTC)
    counts = [
        report_frames.post_counts(conn, period, by),
        report_frames.case_counts(conn, period, by, now),
        report_frames.promise_counts(conn, period, by, now),
    ]
    ghosted = None if by is None else report_frames.ghosted_count(conn, period, now)
    return report_from_counts(counts, report_frames.response_hours(conn, period, by), by, ghosted)
