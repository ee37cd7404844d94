"""The numbers behind the response-rate report, counted in the database per group.

A million posts and a quarter of a million cases never reach pandas: every count of
``analysis.metrics`` (inbound, brand replies and broadcasts, cases, answered, pending, SLA met,
overdue, ghosted, broken promises) is a ``COUNT(*) FILTER (WHERE ...)`` per group (on
PostgreSQL ghosted is a grouped count of its own, ``_ghosted_by_group``), and only the
two hour columns of answered cases come back as rows, as floats, because medians and p90 need
the values. ``now`` is a bound parameter, so what is pending, overdue, broken or ghosted is
decided at query time, never stored.

Groups: one per value of the dimension's column; a group exists when a row was counted in it.
Posts and cases are counted one ISO week (Monday, UTC) at a time, as a range of their time
column that an index of migration 0006 holds with every column the counts read, rather than
sorting a million rows by a key computed per row; the few promises are grouped per row.

The rules here are the SQL twin of the row-level rules in ``analysis.metrics`` (its module
docstring); ``tests/test_report.py`` checks that both give the same figures on the same cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta

import pandas as pd
from sqlalchemy import ColumnElement, Connection, and_, func, literal, or_, select
from sqlalchemy.sql import FromClause, Select
from sqlalchemy.sql.elements import BindParameter

from analysis.cases import CaseStatus
from store.schema import cases, posts, promises

__all__ = [
    "UNASSIGNED",
    "NONE_KEY",
    "Period",
    "case_counts",
    "ghosted_count",
    "post_counts",
    "promise_counts",
    "response_hours",
]

NONE_KEY = "(none)"
ALL_KEY = "all"
# The column each dimension groups by, per table; a dimension a table lacks puts every row
# of that table under "(none)" (posts and promises have no assignee).
_POST_KEYS = {"platform": "platform", "account": "source", "lang": "lang"}
_CASE_KEYS = {"platform": "platform", "account": "account", "lang": "lang", "assignee": "assignee"}


UNASSIGNED = "(unassigned)"


@dataclass(frozen=True)
class Period:
    """The slice of the workspace a figure covers: a time range and the sidebar's channels and
    assignee.

    Every count, median and list takes its WHERE clauses from ``where``, so a figure that two
    pages (or a page and ``cli.py report``) show for the same slice cannot differ: the channel
    and assignee travel with the time range instead of being re-applied, or forgotten, per query.
    """

    since: datetime | None = None
    until: datetime | None = None
    platforms: tuple[str, ...] = ()
    assignee: str | None = None  # a name, UNASSIGNED, or None for anyone

    def where(self, column: ColumnElement) -> list[ColumnElement]:
        """The time range on ``column`` and the channels and assignee on its table."""
        clauses = []
        if self.since is not None:
            clauses.append(column >= self.since)
        if self.until is not None:
            clauses.append(column < self.until)
        return clauses + self.scope(column.table)

    def _assigned(self, table: FromClause) -> ColumnElement:
        if self.assignee == UNASSIGNED:
            return table.c.assignee.is_(None)
        return table.c.assignee == self.assignee

    def scope(self, table: FromClause) -> list[ColumnElement]:
        """Channels and assignee on ``cases``, ``posts`` or ``promises`` (or an alias of one).

        Posts and promises have no assignee of their own: a post counts under the assignee of
        its case (a post outside any case under none), a promise under the assignee of a case
        of the person it was made to.
        """
        clauses: list[ColumnElement] = []
        if self.platforms and "platform" in table.c:
            clauses.append(table.c.platform.in_(self.platforms))
        if self.assignee is None:
            return clauses
        if "assignee" in table.c:
            return [*clauses, self._assigned(table)]
        owner = cases.alias("owner")
        if "case_id" in table.c:
            same_case = [owner.c.id == table.c.case_id]
        elif "to_author_id" in table.c:
            same_case = [
                owner.c.platform == table.c.platform,
                owner.c.author_id == table.c.to_author_id,
            ]
        else:
            raise ValueError(f"{table} has no assignee to filter by")
        clauses.append(select(literal(1)).where(*same_case, self._assigned(owner)).exists())
        return clauses


Counts = Callable[[Period], Sequence[ColumnElement]]


def _week(conn: Connection, moment: ColumnElement) -> ColumnElement:
    """The Monday (UTC) of a timestamp's ISO week, as 'YYYY-MM-DD', computed per row."""
    if conn.dialect.name == "postgresql":
        return func.to_char(func.date_trunc("week", func.timezone("UTC", moment)), "YYYY-MM-DD")
    return func.date(moment, "-6 days", "weekday 1")


def _weeks(conn: Connection, period: Period, column: ColumnElement) -> Iterator[tuple[str, Period]]:
    """Each ISO week (its Monday, UTC, as 'YYYY-MM-DD') from the first to the last value of
    ``column`` in ``period``, clipped to the period."""
    # Two subqueries: SQLite reads min() or max() off an index only when each stands alone.
    first, last = conn.execute(
        select(
            select(func.min(column)).where(*period.where(column)).scalar_subquery(),
            select(func.max(column)).where(*period.where(column)).scalar_subquery(),
        )
    ).one()
    if first is None:
        return
    monday = datetime.combine(first.date() - timedelta(days=first.weekday()), time(), UTC)
    while monday <= last:
        end = monday + timedelta(days=7)
        yield (
            monday.date().isoformat(),
            replace(
                period,
                since=max(monday, period.since or monday),
                until=min(end, period.until or end),
            ),
        )
        monday = end


def _column_key(table: FromClause, column: str | None) -> ColumnElement:
    return func.coalesce(table.c[column], NONE_KEY) if column else literal(NONE_KEY)


def _rows(conn: Connection, query: Select) -> list[tuple]:
    """Plain tuples, as the driver gives them: pandas reads SQLAlchemy rows ten times slower
    (one sequence at a time), and making SQLAlchemy's rows first cost about as much again as
    the statement for the 170,000 hours of a weekly report at 1,000,000 posts on PostgreSQL
    (400 against 210 ms). Only for numbers and text, which SQLAlchemy would not convert."""
    result = conn.execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _counted(
    conn: Connection,
    period: Period,
    by: str | None,
    key: ColumnElement,
    time_column: ColumnElement,
    counts: Counts,
    names: list[str],
    source: FromClause,
    where: Sequence[ColumnElement] = (),
    week_by_row: bool = False,
) -> pd.DataFrame:
    """``counts`` per group of ``key`` (per week of ``time_column`` for "week": one range
    query a week, unless ``week_by_row`` groups by the week computed per row).

    Without a dimension, or when the table lacks the dimension's column, there is one group
    and no GROUP BY, which SQLite would answer by sorting every row by a constant.
    """

    def query(scope: Period) -> Select:
        return select(*counts(scope)).select_from(source).where(*scope.where(time_column), *where)

    if by == "week" and not week_by_row:
        rows = []
        for monday, week in _weeks(conn, period, time_column):
            *values, matched = conn.execute(query(week).add_columns(func.count())).one()
            if matched:
                rows.append((monday, *values))
    elif by is None or isinstance(key, BindParameter):  # one group: totals, when any matched
        *values, matched = conn.execute(query(period).add_columns(func.count())).one()
        rows = [(key.value, *values)] if matched or by is None else []
    else:
        rows = [
            (row[-1], *row[:-1])
            for row in _rows(conn, query(period).add_columns(key).group_by(key))
        ]
    return pd.DataFrame.from_records(rows, columns=["key", *names])


def post_counts(conn: Connection, period: Period, by: str | None) -> pd.DataFrame:
    """Inbound posts, brand replies and brand broadcasts; automatic replies are neither."""
    brand = posts.c.is_brand.is_(True)
    is_reply = posts.c.parent_external_id.is_not(None)
    counts = (
        func.count().filter(~brand),
        func.count().filter(and_(brand, is_reply)),
        func.count().filter(and_(brand, ~is_reply)),
    )
    key = literal(ALL_KEY) if by is None else _column_key(posts, _POST_KEYS.get(by))
    countable = or_(~brand, posts.c.is_auto_reply.is_(False))
    return _counted(
        conn,
        period,
        by,
        key,
        posts.c.created_at,
        lambda _: counts,
        ["inbound", "replies", "broadcasts"],
        posts,
        [countable],
    )


def _case_key(by: str | None, table: FromClause = cases) -> ColumnElement:
    """The group of a case (of ``cases`` or an alias of it) for a dimension other than week."""
    return literal(ALL_KEY) if by is None else _column_key(table, _CASE_KEYS.get(by))


def case_counts(conn: Connection, period: Period, by: str | None, now: datetime) -> pd.DataFrame:
    """Per group: needs_response, answered, pending, sla_met, overdue and ghosted."""
    unanswered = cases.c.first_response_at.is_(None)
    live = cases.c.status != CaseStatus.CLOSED
    same_key = (
        None if by in (None, "week") else (lambda other: _case_key(by, other) == _case_key(by))
    )
    apart = conn.dialect.name == "postgresql"  # ghosted comes from _ghosted_by_group there

    def counts(scope: Period) -> list[ColumnElement]:
        return [
            func.count(),
            func.count(cases.c.first_response_at),
            func.count().filter(and_(unanswered, live, cases.c.due_at > now)),
            func.count().filter(cases.c.first_response_at <= cases.c.due_at),
            func.count().filter(and_(unanswered, live, cases.c.due_at <= now)),
            *([] if apart else [func.count().filter(_ghosted(scope, now, same_key))]),
        ]

    names = ["needs_response", "answered", "pending", "sla_met", "overdue"]
    counted = _counted(
        conn,
        period,
        by,
        _case_key(by),
        cases.c.opened_at,
        counts,
        names if apart else [*names, "ghosted"],
        cases,
    )
    if not apart:
        return counted
    ghosted = _ghosted_by_group(conn, period, by, now)
    return counted.assign(ghosted=[ghosted.get(key, 0) for key in counted["key"]])


def ghosted_count(conn: Connection, period: Period, now: datetime) -> int:
    """Ghosted authors over all the period's cases: the overall figure beside any grouping
    (one author can be ghosted in two groups, so group counts do not add up to it)."""
    if conn.dialect.name == "postgresql":
        return _ghosted_by_group(conn, period, None, now).get(ALL_KEY, 0)
    return conn.execute(
        select(func.count().filter(_ghosted(period, now))).where(*period.where(cases.c.opened_at))
    ).scalar_one()


def _ghosted_by_group(
    conn: Connection, period: Period, by: str | None, now: datetime
) -> dict[str, int]:
    """Ghosted authors per group of the period's cases (``_ghosted``'s rule), one statement.

    The rule in WHERE rather than in a count's FILTER: PostgreSQL then answers "no later or
    touched case of this author" for every late unanswered case at once, as a hash anti-join
    over the period's cases (about 270 ms at 1,000,000 posts), instead of one index lookup per
    case (600 ms there, 150,000 of them in the default 84 days; per week, 12 statements of
    about 80 ms). SQLite keeps the lookups in ``case_counts``, which its covering index answers.
    """
    if by == "week":
        group = _week(conn, cases.c.opened_at)

        def monday(table: FromClause) -> ColumnElement:  # as _week, without formatting it
            return func.date_trunc("week", func.timezone("UTC", table.c.opened_at))

        def same_key(other: FromClause) -> ColumnElement:
            return monday(other) == monday(cases)

    else:
        group = _case_key(by)

        def same_key(other: FromClause) -> ColumnElement:
            return _case_key(by, other) == group

    query = select(group, func.count()).where(
        *period.where(cases.c.opened_at), _ghosted(period, now, same_key if by else None)
    )
    if by is not None:
        query = query.group_by(group)
    return {key: count for key, count in conn.execute(query).all() if count}


def _ghosted(
    scope: Period, now: datetime, same_key: Callable[[FromClause], ColumnElement] | None = None
) -> ColumnElement:
    """True on the case that makes its author ghosted within its group.

    The case is unanswered and past due, and no other case of the author in the group (the
    ``scope`` and, for a dimension, ``same_key``) is later -- by ``opened_at``, ties to the
    higher id -- or unanswered and touched. The cheap test comes first, so the one lookup (an
    index holding every column it reads) runs only for late unanswered cases.
    """
    other = cases.alias()
    later = or_(
        other.c.opened_at > cases.c.opened_at,
        and_(other.c.opened_at == cases.c.opened_at, other.c.id > cases.c.id),
    )
    touched = and_(other.c.first_response_at.is_(None), other.c.touched.is_(True))
    # SELECT 1, not SELECT *: SQLite counts "*" as reading every column, so the lookup
    # would leave the index for the table.
    spoiler = (
        select(literal(1))
        .select_from(other)
        .where(
            other.c.platform == cases.c.platform,
            other.c.author_id == cases.c.author_id,
            *scope.where(other.c.opened_at),
            *([same_key(other)] if same_key else []),
            or_(later, touched),
        )
        .exists()
    )
    return and_(cases.c.first_response_at.is_(None), cases.c.due_at <= now, ~spoiler)


def response_hours(conn: Connection, period: Period, by: str | None) -> pd.DataFrame:
    """Calendar and business hours to the first response of every answered case, as floats.

    A key that is the same for every row of a query (no dimension, or one week) is added here
    rather than sent along with each of a hundred thousand rows.
    """
    hours = ["response_hours", "response_business_hours"]

    def frame(scope: Period, key: ColumnElement | str) -> pd.DataFrame:
        keyed = not isinstance(key, str)
        keys: list[ColumnElement] = [key] if isinstance(key, ColumnElement) else []
        query = select(*keys, cases.c.response_hours, cases.c.response_business_hours).where(
            cases.c.first_response_at.is_not(None), *scope.where(cases.c.opened_at)
        )
        rows = pd.DataFrame.from_records(
            _rows(conn, query), columns=["key", *hours] if keyed else hours
        )
        return rows if keyed else rows.assign(key=key)[["key", *hours]]

    if by == "week":
        frames = [frame(week, monday) for monday, week in _weeks(conn, period, cases.c.opened_at)]
    else:
        frames = [frame(period, ALL_KEY if by is None else _case_key(by))]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["key", *hours])
    return rows.astype(dict.fromkeys(hours, "float64"))


def broken_promise(now: datetime) -> ColumnElement[bool]:
    """A promise is broken when its deadline passed (``due_at <= now``) and it was not kept by
    then: never, or later. Every page and the report count with this one predicate."""
    return and_(
        promises.c.due_at <= now,
        or_(promises.c.kept_at.is_(None), promises.c.kept_at > promises.c.due_at),
    )


def promise_counts(conn: Connection, period: Period, by: str | None, now: datetime) -> pd.DataFrame:
    """Broken promises made in the period (``broken_promise``)."""
    broken = broken_promise(now)
    source: FromClause = promises
    if by in ("account", "lang"):  # the promise's own post tells its account and language
        key = _column_key(posts, _POST_KEYS[by])
        source = promises.join(posts, posts.c.id == promises.c.post_id)
    elif by == "week":  # few rows and no index on made_at: one pass, grouped per row
        key = _week(conn, promises.c.made_at)
    elif by is None:
        key = literal(ALL_KEY)
    else:
        key = _column_key(promises, "platform" if by == "platform" else None)
    return _counted(
        conn,
        period,
        by,
        key,
        promises.c.made_at,
        lambda _: [func.count().filter(broken)],
        ["broken_promises"],
        source,
        week_by_row=True,
    )
