"""What the alerts read: cases and promises whose deadline runs out within a window."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, Row, and_, select

from analysis.cases import CaseStatus
from store.schema import cases, promises


def cases_due_within(conn: Connection, now: datetime, window: timedelta) -> Sequence[Row]:
    """Unanswered open cases whose SLA runs out after ``now`` and within ``window``."""
    return conn.execute(
        select(cases.c.id, cases.c.platform, cases.c.author_handle, cases.c.due_at)
        .where(
            cases.c.first_response_at.is_(None),
            cases.c.status != CaseStatus.CLOSED,
            cases.c.due_at > now,
            cases.c.due_at <= now + window,
        )
        .order_by(cases.c.due_at)
    ).all()


def promises_due_within(conn: Connection, now: datetime, window: timedelta) -> Sequence[Row]:
    """Promises not kept yet whose deadline runs out after ``now`` and within ``window``."""
    return conn.execute(
        select(promises.c.id, promises.c.platform, promises.c.to_author_id, promises.c.due_at)
        .where(
            and_(
                promises.c.kept_at.is_(None),
                promises.c.due_at > now,
                promises.c.due_at <= now + window,
            )
        )
        .order_by(promises.c.due_at)
    ).all()
