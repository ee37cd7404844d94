"""The four frames behind the response-rate report, grouped by one dimension in SQL.

Inbound and brand posts are counted in the database (millions of rows never reach pandas);
cases and promises come as one narrow row each, because medians and p90 need the values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import ColumnElement, Connection, func, literal, select
from sqlalchemy.sql import Select

from store.schema import cases, posts, promises

NONE_KEY = "(none)"


@dataclass(frozen=True)
class Period:
    since: datetime | None = None
    until: datetime | None = None

    def where(self, column: ColumnElement) -> list[ColumnElement]:
        clauses = []
        if self.since is not None:
            clauses.append(column >= self.since)
        if self.until is not None:
            clauses.append(column < self.until)
        return clauses


def _week(conn: Connection, column: ColumnElement) -> ColumnElement:
    """The Monday (UTC) of the timestamp's ISO week, as 'YYYY-MM-DD'."""
    if conn.dialect.name == "postgresql":
        return func.to_char(func.date_trunc("week", func.timezone("UTC", column)), "YYYY-MM-DD")
    return func.date(column, "-6 days", "weekday 1")


def _key(conn: Connection, by: str | None, table) -> ColumnElement:
    """The grouping column of ``table`` for dimension ``by`` (a constant without one)."""
    if by is None:
        return literal("all")
    if by == "week":
        time_column = {"posts": posts.c.created_at, "cases": cases.c.opened_at,
                       "promises": promises.c.made_at}[table.name]
        return _week(conn, time_column)
    column = {
        ("posts", "platform"): posts.c.platform, ("cases", "platform"): cases.c.platform,
        ("promises", "platform"): promises.c.platform,
        ("posts", "account"): posts.c.source, ("cases", "account"): cases.c.account,
        ("posts", "lang"): posts.c.lang, ("cases", "lang"): cases.c.lang,
        ("cases", "assignee"): cases.c.assignee,
    }.get((table.name, by))
    return func.coalesce(column, NONE_KEY) if column is not None else literal(NONE_KEY)


def _frame(conn: Connection, query: Select, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(conn.execute(query).all(), columns=columns)


def inbound_counts(conn: Connection, period: Period, by: str | None) -> pd.DataFrame:
    key = _key(conn, by, posts).label("key")
    query = (select(key, func.count().label("inbound"))
             .where(posts.c.is_brand.is_(False), *period.where(posts.c.created_at))
             .group_by(key))
    return _frame(conn, query, ["key", "inbound"])


def brand_counts(conn: Connection, period: Period, by: str | None) -> pd.DataFrame:
    key = _key(conn, by, posts).label("key")
    is_reply = posts.c.parent_external_id.is_not(None)
    query = (select(key, func.count().filter(is_reply).label("replies"),
                    func.count().filter(~is_reply).label("broadcasts"))
             .where(posts.c.is_brand.is_(True), posts.c.is_auto_reply.is_(False),
                    *period.where(posts.c.created_at))
             .group_by(key))
    return _frame(conn, query, ["key", "replies", "broadcasts"])


def case_rows(conn: Connection, period: Period, by: str | None) -> pd.DataFrame:
    author_key = (cases.c.platform + ":" + cases.c.author_id).label("author_key")
    query = (select(_key(conn, by, cases).label("key"), author_key, cases.c.opened_at,
                    cases.c.due_at, cases.c.first_response_at, cases.c.response_hours,
                    cases.c.response_business_hours, cases.c.status, cases.c.touched)
             .where(*period.where(cases.c.opened_at)))
    columns = ["key", "author_key", "opened_at", "due_at", "first_response_at",
               "response_hours", "response_business_hours", "status", "touched"]
    frame = _frame(conn, query, columns)
    for column in ("opened_at", "due_at", "first_response_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def promise_rows(conn: Connection, period: Period, by: str | None) -> pd.DataFrame:
    if by in ("account", "lang"):
        key = func.coalesce(posts.c.source if by == "account" else posts.c.lang, NONE_KEY)
    else:
        key = _key(conn, by, promises)
    query = (select(key.label("key"), promises.c.due_at, promises.c.kept_at)
             .join(posts, posts.c.id == promises.c.post_id)
             .where(*period.where(promises.c.made_at)))
    frame = _frame(conn, query, ["key", "due_at", "kept_at"])
    for column in ("due_at", "kept_at"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame
