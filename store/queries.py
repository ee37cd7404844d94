"""Read queries behind the dashboard: aggregate in SQL, fetch one page of rows.

Nothing here loads every post: counts and buckets are computed by the database, lists are
limited, and medians read only the few thousand values of one week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Integer,
    Row,
    Select,
    and_,
    any_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from analysis.cases import CaseStatus
from store import people, text_search
from store.report_frames import UNASSIGNED, Period, broken_promise
from store.schema import cases, events, posts, promises

OPEN_UNANSWERED = and_(cases.c.first_response_at.is_(None), cases.c.status != CaseStatus.CLOSED)
VIEWS = {
    "now": "Needs an answer",
    "pending": "Waiting on the candidate",
    "snoozed": "Snoozed",
    "all": "All unanswered",
    "closed": "Closed",
}
HISTOGRAM_EDGES = (1, 4, 8, 16, 24, 40, 80)


@dataclass(frozen=True)
class CaseFilter:
    """What the backlog shows: which view, channels, assignee, words, intents, mood."""

    view: str = "now"
    platforms: tuple[str, ...] = ()
    assignee: str | None = None  # a name, UNASSIGNED, or None for anyone
    search: str = ""
    intents: tuple[str, ...] = ()
    negative_only: bool = False


def actionable(now: datetime) -> ColumnElement[bool]:
    """Unanswered, not closed, not waiting on the candidate, not snoozed into the future."""
    awake = or_(
        cases.c.status != CaseStatus.SNOOZED,
        cases.c.snoozed_until.is_(None),
        cases.c.snoozed_until <= now,
    )
    return and_(OPEN_UNANSWERED, cases.c.status != CaseStatus.PENDING, awake)


def _view(view: str, now: datetime) -> ColumnElement[bool]:
    if view not in VIEWS:
        raise ValueError(f"unknown backlog view {view!r}; use one of {', '.join(VIEWS)}")
    return {
        "now": actionable(now),
        "pending": and_(OPEN_UNANSWERED, cases.c.status == CaseStatus.PENDING),
        "snoozed": and_(
            OPEN_UNANSWERED, cases.c.status == CaseStatus.SNOOZED, cases.c.snoozed_until > now
        ),
        "all": OPEN_UNANSWERED,
        "closed": cases.c.status == CaseStatus.CLOSED,
    }[view]


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains_words(column: ColumnElement[str], words: str) -> ColumnElement[bool]:
    """``column`` holds ``words`` as typed, in any case. On PostgreSQL the trigram index of
    ``store.text_search`` serves exactly this expression on posts' text."""
    return func.lower(column).like(_like(words), escape="\\")


def _search(conn: Connection, words: str, for_page: bool) -> ColumnElement[bool]:
    """Cases whose author's handle or any post holds ``words``.

    Texts are searched for the words as typed ("@sam_dev" as a mention); authors for the
    handle without the "@" or "u/" people type before it, which the author field lacks. A rare
    word's cases come by id from PostgreSQL's trigram index (``store.text_search``). Otherwise,
    for one page (``for_page``), each case's posts are checked as the backlog walks its cases,
    and on PostgreSQL that check is kept per case (the OFFSET), where the planner would collect
    every matching post of the workspace first; a count, which visits every case of its view,
    lets the planner collect them (through the index, where there is one).
    """
    author = func.lower(cases.c.author_handle).like(
        _like(people.bare_handle(words) or words), escape="\\"
    )
    few = text_search.few_cases(conn, contains_words(posts.c.text, words), for_page)
    if few is not None:
        return or_(author, cases.c.id == any_(literal(few, ARRAY(Integer))))
    searched = aliased(posts)
    probe = select(literal(1)).where(
        searched.c.case_id == cases.c.id, contains_words(searched.c.text, words)
    )
    if for_page and conn.dialect.name == "postgresql":
        probe = probe.offset(0)
    return or_(author, probe.exists())


def _case_clauses(
    conn: Connection, filt: CaseFilter, for_page: bool = False
) -> list[ColumnElement[bool]]:
    """Channel, assignee, search, intent and sentiment conditions on ``cases`` (``for_page``:
    for one page of them rather than a count, see ``_search``)."""
    clauses: list[ColumnElement[bool]] = []
    if filt.platforms:
        clauses.append(cases.c.platform.in_(filt.platforms))
    if filt.assignee == UNASSIGNED:
        clauses.append(cases.c.assignee.is_(None))
    elif filt.assignee:
        clauses.append(cases.c.assignee == filt.assignee)
    if filt.intents:
        clauses.append(cases.c.intent.in_(filt.intents))
    if filt.negative_only:
        clauses.append(cases.c.sentiment <= -0.05)
    if filt.search.strip():
        clauses.append(_search(conn, filt.search.strip(), for_page))
    return clauses


def first_post_at(conn: Connection) -> datetime | None:
    """When the workspace's history starts: a comparison with days before it would compare
    with nothing."""
    return conn.execute(select(func.min(posts.c.created_at))).scalar_one()


def key_figures(
    conn: Connection, now: datetime, filt: CaseFilter | None = None
) -> dict[str, float | int | None]:
    """The backlog's strip, a picture of now over every open case whatever its age: what
    needs an answer, what is late, which promises are broken and still unkept, and how fast
    we answered this week. ``overdue`` is ``cli.py report``'s without --since/--until."""
    filt = filt or CaseFilter()
    clauses = _case_clauses(conn, filt)
    # Every count is of unanswered open cases: say so in WHERE, so the database reads only
    # those entries of ix_cases_queue instead of every case ever opened.
    late = cases.c.due_at <= now
    needs_answer, overdue, overdue_actionable = conn.execute(
        select(
            func.count().filter(actionable(now)),
            func.count().filter(late),
            func.count().filter(and_(actionable(now), late)),
        )
        .select_from(cases)
        .where(OPEN_UNANSWERED, *clauses)
    ).one()
    scope = Period(platforms=filt.platforms, assignee=filt.assignee)
    unkept = (
        select(func.count())
        .select_from(promises)
        .where(promises.c.due_at <= now, promises.c.kept_at.is_(None), *scope.scope(promises))
    )
    week, before = now - timedelta(days=7), now - timedelta(days=14)
    return {
        "needs_answer": needs_answer,
        "overdue": overdue,
        "overdue_actionable": overdue_actionable,
        "promises_unkept": conn.execute(unkept).scalar_one(),
        "median_business_7d": _median_response(conn, week, now, clauses, business=True),
        "median_business_prev_7d": _median_response(conn, before, week, clauses, business=True),
        "median_response_7d": _median_response(conn, week, now, clauses),
    }


def _median_response(
    conn: Connection,
    since: datetime,
    until: datetime,
    clauses: list[ColumnElement[bool]],
    business: bool = False,
) -> float | None:
    """The median hours of cases first answered in a window, found by the database: it counts
    the window in ix_cases_answered and reads back the middle one or two values only, where
    fetching every value of a busy week costs more than the whole rest of the strip."""
    column = cases.c.response_business_hours if business else cases.c.response_hours
    where = (
        cases.c.first_response_at >= since,
        cases.c.first_response_at < until,
        column.is_not(None),
        *clauses,
    )
    count = conn.execute(select(func.count()).select_from(cases).where(*where)).scalar_one()
    if not count:
        return None
    middle = (
        conn.execute(
            select(column)
            .where(*where)
            .order_by(column)
            .offset((count - 1) // 2)
            .limit(2 - count % 2)
        )
        .scalars()
        .all()
    )
    return float(sum(middle) / len(middle))


BACKLOG_COLUMNS = (
    cases.c.id,
    cases.c.platform,
    cases.c.author_handle,
    cases.c.intent,
    cases.c.reason,
    cases.c.sentiment,
    cases.c.priority,
    cases.c.chase_count,
    cases.c.assignee,
    cases.c.status,
    cases.c.opened_at,
    cases.c.due_at,
    cases.c.snoozed_until,
    cases.c.closed_at,
    cases.c.last_inbound_at,
)


def backlog(
    conn: Connection,
    now: datetime,
    limit: int = 100,
    platform: str | None = None,
    search: str | None = None,
    filt: CaseFilter | None = None,
    offset: int = 0,
) -> pd.DataFrame:
    """One page of cases (``limit`` from ``offset``): overdue first, then by priority (chases,
    anger, reach) and age.

    Overdue and on-time cases are read as two queries, each in the order of ix_cases_queue,
    so the database stops after one page instead of sorting every open case: whether a case
    is overdue depends on the time of reading, which no index can hold.
    """
    filt = filt or CaseFilter(platforms=(platform,) if platform else (), search=search or "")
    late = and_(cases.c.due_at <= now, cases.c.first_response_at.is_(None))
    clauses = _case_clauses(conn, filt, for_page=True)

    def page(overdue: ColumnElement, *where: ColumnElement[bool]) -> Select:
        return (
            select(
                *BACKLOG_COLUMNS,
                overdue.label("overdue"),
                posts.c.text,
                posts.c.url,
                posts.c.author_name,
                posts.c.author_reach,
                posts.c.rating,
            )
            .join(posts, posts.c.id == cases.c.first_post_id)
            .where(_view(filt.view, now), *clauses, *where)
        )

    if filt.view == "closed":
        queries = [page(case((late, 1), else_=0)).order_by(cases.c.closed_at.desc(), cases.c.id)]
    else:
        # first_response_at is NULL in every row here, so sorting by it changes nothing; it
        # spells out the index's order, which PostgreSQL needs to walk it instead of sorting.
        queue = (cases.c.first_response_at, cases.c.priority.desc(), cases.c.opened_at, cases.c.id)
        queries = [
            page(literal(1), cases.c.due_at <= now).order_by(*queue),
            page(literal(0), cases.c.due_at > now).order_by(*queue),
        ]
    rows: list[Row] = []
    skip = offset
    for query in queries:
        if len(rows) >= limit:
            break
        if skip and query is not queries[-1]:  # a page past this part skips all of it
            size = conn.execute(
                select(func.count()).select_from(query.order_by(None).subquery())
            ).scalar_one()
            if skip >= size:
                skip -= size
                continue
        rows.extend(conn.execute(query.offset(skip).limit(limit - len(rows))))
        skip = 0
    columns = [c.name for c in BACKLOG_COLUMNS] + [
        "overdue",
        "text",
        "url",
        "author_name",
        "author_reach",
        "rating",
    ]
    return pd.DataFrame(rows, columns=columns)


def backlog_count(conn: Connection, now: datetime, filt: CaseFilter) -> int:
    return conn.execute(
        select(func.count())
        .select_from(cases)
        .where(_view(filt.view, now), *_case_clauses(conn, filt))
    ).scalar_one()


def case_detail(conn: Connection, case_id: int) -> dict[str, Any] | None:
    """The case with its first post's author name and link, or None when it does not exist."""
    row = conn.execute(
        select(cases, posts.c.author_name, posts.c.url, posts.c.subject, posts.c.rating)
        .join(posts, posts.c.id == cases.c.first_post_id)
        .where(cases.c.id == case_id)
    ).first()
    return dict(row._mapping) if row else None


THREAD_COLUMNS = (
    posts.c.id,
    posts.c.platform,
    posts.c.author_handle,
    posts.c.author_name,
    posts.c.is_brand,
    posts.c.is_auto_reply,
    posts.c.text,
    posts.c.subject,
    posts.c.created_at,
    posts.c.url,
    posts.c.case_id,
    posts.c.intent,
    posts.c.sentiment_label,
    posts.c.needs_response,
    posts.c.reason,
    posts.c.channel,
)


def thread(conn: Connection, case_row: dict[str, Any], limit: int = 300) -> pd.DataFrame:
    """Every post of the case's threads (and of a linked e-mail thread) in time order."""
    keys = set(
        conn.execute(
            select(posts.c.thread_key).where(posts.c.case_id == case_row["id"]).distinct()
        ).scalars()
    )
    keys.add(case_row["thread_key"])
    where = and_(posts.c.platform == case_row["platform"], posts.c.thread_key.in_(keys))
    if case_row.get("linked_thread_key"):
        where = or_(where, posts.c.thread_key == case_row["linked_thread_key"])
    query = select(*THREAD_COLUMNS).where(where).order_by(posts.c.created_at, posts.c.id)
    return pd.DataFrame(
        conn.execute(query.limit(limit)).all(), columns=[c.name for c in THREAD_COLUMNS]
    )


def author_cases(
    conn: Connection,
    platform: str,
    author_id: str,
    exclude: int | None = None,
    limit: int = 50,
    handle: str | None = None,
) -> pd.DataFrame:
    """The same person's other conversations, on every channel linked to them, newest first."""
    who = people.identities_of(conn, (platform, handle or author_id))
    mine = or_(
        and_(cases.c.platform == platform, cases.c.author_id == author_id),
        *[and_(cases.c.platform == p, func.lower(cases.c.author_handle) == h) for p, h in who],
    )
    query = (
        select(
            cases.c.id,
            cases.c.platform,
            cases.c.opened_at,
            cases.c.status,
            cases.c.intent,
            cases.c.first_response_at,
            cases.c.assignee,
            posts.c.text,
        )
        .join(posts, posts.c.id == cases.c.first_post_id)
        .where(mine, cases.c.id != (exclude if exclude is not None else -1))
        .order_by(cases.c.opened_at.desc())
        .limit(limit)
    )
    return pd.DataFrame(
        conn.execute(query).all(),
        columns=[
            "id",
            "platform",
            "opened_at",
            "status",
            "intent",
            "first_response_at",
            "assignee",
            "text",
        ],
    )


def alert_log(conn: Connection, limit: int = 50) -> pd.DataFrame:
    """Alerts sent or failed, newest first: what the team was told, and when."""
    query = (
        select(events.c.at, events.c.action, events.c.platform_post_id, events.c.detail)
        .where(events.c.action.in_(("alert", "alert_failed")))
        .order_by(events.c.at.desc(), events.c.id.desc())
        .limit(limit)
    )
    rows = conn.execute(query).all()
    return pd.DataFrame(
        [
            {
                "at": row.at,
                "kind": (row.detail or {}).get("kind"),
                "sent to": row.platform_post_id or "",
                "state": (row.detail or {}).get("state"),
                "alert": (row.detail or {}).get("text"),
                "why not sent": (row.detail or {}).get("reason", ""),
            }
            for row in rows
        ],
        columns=["at", "kind", "sent to", "state", "alert", "why not sent"],
    )


def case_events(conn: Connection, case_id: int, limit: int = 200) -> pd.DataFrame:
    """The case's audit trail, newest first."""
    query = (
        select(events.c.at, events.c.actor, events.c.action, events.c.detail)
        .where(events.c.case_id == case_id)
        .order_by(events.c.at.desc(), events.c.id.desc())
        .limit(limit)
    )
    return pd.DataFrame(conn.execute(query).all(), columns=["at", "actor", "action", "detail"])


def response_histogram(
    conn: Connection, period: Period, edges: tuple[float, ...] = HISTOGRAM_EDGES
) -> pd.DataFrame:
    """Answered cases opened in the period, counted per band of business hours (in SQL)."""
    hours = cases.c.response_business_hours
    band = case(
        *[(hours < edge, index) for index, edge in enumerate(edges)], else_=len(edges)
    ).label("band")
    rows: dict[int, int] = dict(
        conn.execute(
            select(band, func.count())
            .where(cases.c.first_response_at.is_not(None), *period.where(cases.c.opened_at))
            .group_by(band)
        ).all()
    )
    bounds = (0.0, *edges)
    labels = [f"{lo:g}–{hi:g} h" for lo, hi in zip(bounds, edges, strict=False)]
    labels.append(f"over {edges[-1]:g} h")
    return pd.DataFrame(
        {
            "band": labels,
            "from_hours": list(bounds),
            "to_hours": [*edges, None],
            "cases": [int(rows.get(i, 0)) for i in range(len(labels))],
        }
    )


def broken_promise_rows(
    conn: Connection, period: Period, now: datetime, limit: int = 200
) -> pd.DataFrame:
    """Promises made in the period whose deadline passed without a brand post reaching them."""
    made_by = aliased(posts)
    to_handle = (
        select(posts.c.author_handle)
        .where(
            posts.c.platform == promises.c.platform, posts.c.author_id == promises.c.to_author_id
        )
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(
            promises.c.made_at,
            promises.c.platform,
            to_handle.label("to_author"),
            made_by.c.text.label("promise"),
            promises.c.due_at,
            promises.c.kept_at,
        )
        .join(made_by, made_by.c.id == promises.c.post_id)
        .where(
            broken_promise(now),
            *period.where(promises.c.made_at),
        )
        .order_by(promises.c.due_at.desc())
        .limit(limit)
    )
    return pd.DataFrame(
        conn.execute(query).all(),
        columns=["made_at", "platform", "to_author", "promise", "due_at", "kept_at"],
    )


def ghosted_rows(conn: Connection, period: Period, now: datetime, limit: int = 200) -> pd.DataFrame:
    """Authors whose latest case in the period is late and unanswered and nobody touched.

    The rule of ``analysis.metrics`` (ghosted; ties on ``opened_at`` go to the later case),
    written in SQL that walks cases oldest first and stops after one page, so a million-post
    workspace answers at once. The count on the page comes from the report itself.
    """
    later, touched = aliased(cases), aliased(cases)
    # Wrapped so the planner walks ix_cases_opened oldest first and stops after one page,
    # instead of collecting every unanswered case through ix_cases_backlog and sorting them.
    unanswered = func.coalesce(cases.c.first_response_at, cases.c.first_response_at).is_(None)
    same_author = [later.c.platform == cases.c.platform, later.c.author_id == cases.c.author_id]
    newer = exists().where(
        *same_author,
        *period.where(later.c.opened_at),
        or_(
            later.c.opened_at > cases.c.opened_at,
            and_(later.c.opened_at == cases.c.opened_at, later.c.id > cases.c.id),
        ),
    )
    handled = exists().where(
        touched.c.platform == cases.c.platform,
        touched.c.author_id == cases.c.author_id,
        touched.c.first_response_at.is_(None),
        touched.c.touched.is_(True),
        *period.where(touched.c.opened_at),
    )
    count = (
        select(func.count())
        .select_from(later)
        .where(*same_author, *period.where(later.c.opened_at))
        .scalar_subquery()
    )
    query = (
        select(
            cases.c.id,
            cases.c.platform,
            cases.c.author_handle,
            cases.c.opened_at,
            cases.c.due_at,
            count.label("cases"),
            posts.c.text,
        )
        .join(posts, posts.c.id == cases.c.first_post_id)
        .where(
            *period.where(cases.c.opened_at), unanswered, cases.c.due_at <= now, ~newer, ~handled
        )
        .order_by(cases.c.opened_at, cases.c.id)
        .limit(limit)
    )
    return pd.DataFrame(
        conn.execute(query).all(),
        columns=["case_id", "platform", "author", "last_case_opened", "due_at", "cases", "text"],
    )
