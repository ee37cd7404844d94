"""Read queries behind the dashboard and the report: aggregate in SQL, fetch one page of rows."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Connection, and_, case, func, or_, select

from store.schema import cases, posts

OPEN_UNANSWERED = and_(cases.c.first_response_at.is_(None), cases.c.status != "closed")


def key_figures(conn: Connection, now: datetime) -> dict[str, float | int | None]:
    """The backlog's strip: what needs an answer now, and how fast we were lately."""
    counts = conn.execute(select(
        func.count().filter(OPEN_UNANSWERED),
        func.count().filter(and_(OPEN_UNANSWERED, cases.c.due_at <= now)),
    ).select_from(cases)).one()
    return {"needs_answer": counts[0], "overdue": counts[1],
            "median_response_7d": _median_response(conn, now - timedelta(days=7), now),
            "median_response_prev_7d": _median_response(
                conn, now - timedelta(days=14), now - timedelta(days=7))}


def _median_response(conn: Connection, since: datetime, until: datetime) -> float | None:
    values = conn.execute(select(cases.c.response_hours).where(
        cases.c.first_response_at >= since, cases.c.first_response_at < until)).scalars().all()
    return float(pd.Series(values, dtype=float).median()) if values else None


def backlog(conn: Connection, now: datetime, limit: int = 100, platform: str | None = None,
            search: str | None = None) -> pd.DataFrame:
    """The open unanswered cases, overdue first, then by priority and age."""
    overdue = case((cases.c.due_at <= now, 1), else_=0)
    query = (select(cases.c.id, cases.c.platform, cases.c.author_handle, cases.c.intent,
                    cases.c.sentiment, cases.c.priority, cases.c.chase_count,
                    cases.c.assignee, cases.c.opened_at, cases.c.due_at,
                    overdue.label("overdue"), posts.c.text, posts.c.url)
             .join(posts, posts.c.id == cases.c.first_post_id)
             .where(OPEN_UNANSWERED)
             .order_by(overdue.desc(), cases.c.priority.desc(), cases.c.opened_at)
             .limit(limit))
    if platform:
        query = query.where(cases.c.platform == platform)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(func.lower(posts.c.text).like(pattern),
                                func.lower(cases.c.author_handle).like(pattern)))
    return pd.DataFrame(conn.execute(query).mappings().all())
