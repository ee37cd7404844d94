"""The Backlog's queries against an independent reading of every case, on both backends.

The queries walk indexes in pieces (overdue, then on time) and let the database find the
medians; these tests hold them to the plain definition: filter all cases, sort, take a page.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import select

from pipeline.workspace import open_workspace
from store import case_actions, queries
from store.schema import cases, posts, promises
from tests.conftest import workspace_settings
from tests.support.factories import batch, post

# The queries are asked two hours from now: a snooze (which must end in the future when it is
# set) can then have ended, and the demo's newest cases are still on time.
STARTED = datetime.now(UTC).replace(second=0, microsecond=0)
NOW = STARTED + timedelta(hours=2)


@pytest.fixture
def seeded(db_url):
    """A demo workspace with cases in every state the Backlog's views separate."""
    ws = open_workspace(workspace_settings(db_url))
    ws.seed_demo(1500, end=STARTED - timedelta(hours=1))
    with ws.engine.begin() as conn:
        unanswered = (
            conn.execute(
                select(cases.c.id).where(cases.c.first_response_at.is_(None)).order_by(cases.c.id)
            )
            .scalars()
            .all()
        )
        case_actions.snooze(conn, unanswered[0:6], NOW + timedelta(days=2), "Ben")
        case_actions.snooze(conn, unanswered[6:9], STARTED + timedelta(hours=1), "Ben")
        case_actions.set_pending(conn, unanswered[9:14], "Ben")
        case_actions.close(conn, unanswered[14:20], "spam", "Ben")
        case_actions.assign(conn, unanswered[20:40], "Anna", "Ben")
    yield ws
    ws.engine.dispose()


def every_case(ws) -> pd.DataFrame:
    with ws.engine.connect() as conn:
        rows = conn.execute(
            select(cases, posts.c.text.label("post_text")).join(
                posts, posts.c.id == cases.c.first_post_id
            )
        ).all()
        texts = conn.execute(
            select(posts.c.case_id, posts.c.text).where(posts.c.case_id.is_not(None))
        ).all()
    frame = pd.DataFrame([dict(r._mapping) for r in rows])
    words = pd.DataFrame(texts, columns=["case_id", "text"])
    frame["all_text"] = frame["id"].map(words.groupby("case_id")["text"].agg(" ".join)).fillna("")
    return frame


def in_view(frame: pd.DataFrame, view: str) -> pd.Series:
    unanswered = frame["first_response_at"].isna() & (frame["status"] != "closed")
    asleep = (frame["status"] == "snoozed") & (frame["snoozed_until"] > NOW)
    return {
        "now": unanswered & (frame["status"] != "pending") & ~asleep,
        "pending": unanswered & (frame["status"] == "pending"),
        "snoozed": unanswered & asleep,
        "all": unanswered,
        "closed": frame["status"] == "closed",
    }[view]


def expected_page(frame: pd.DataFrame, filt: queries.CaseFilter, limit: int) -> list[int]:
    chosen = frame[in_view(frame, filt.view)].copy()
    if filt.platforms:
        chosen = chosen[chosen["platform"].isin(filt.platforms)]
    if filt.assignee:
        chosen = chosen[chosen["assignee"] == filt.assignee]
    if filt.search:
        word = filt.search.lower()
        chosen = chosen[
            chosen["author_handle"].str.lower().str.contains(word, regex=False)
            | chosen["all_text"].str.lower().str.contains(word, regex=False)
        ]
    if filt.view == "closed":
        chosen = chosen.sort_values(["closed_at", "id"], ascending=[False, True])
    else:
        chosen["late"] = chosen["due_at"] <= NOW
        chosen = chosen.sort_values(
            ["late", "priority", "opened_at", "id"], ascending=[False, False, True, True]
        )
    return chosen["id"].head(limit).tolist()


FILTERS = [
    queries.CaseFilter(),
    queries.CaseFilter(view="all"),
    queries.CaseFilter(view="pending"),
    queries.CaseFilter(view="snoozed"),
    queries.CaseFilter(view="closed"),
    queries.CaseFilter(platforms=("x",), search="role"),
    queries.CaseFilter(platforms=("reddit", "email")),
    queries.CaseFilter(assignee="Anna"),
]


@pytest.mark.parametrize("filt", FILTERS, ids=lambda f: f"{f.view}-{f.platforms}-{f.search}")
def test_backlog_pages_match_the_plain_definition(seeded, filt):
    frame = every_case(seeded)
    late = int((in_view(frame, filt.view) & (frame["due_at"] <= NOW)).sum())
    with seeded.engine.connect() as conn:
        # A page ending inside the overdue cases, one crossing into the on-time cases, all.
        for limit in (5, late + 7, 100_000):
            page = queries.backlog(conn, NOW, limit=limit, filt=filt)
            assert page["id"].tolist() == expected_page(frame, filt, limit), limit
            shown = frame.set_index("id").loc[page["id"]]
            late_now = (shown["due_at"] <= NOW) & shown["first_response_at"].isna()
            assert page["overdue"].tolist() == late_now.astype(int).tolist()
        assert queries.backlog_count(conn, NOW, filt) == len(expected_page(frame, filt, 10**9))


@pytest.mark.parametrize("filt", FILTERS[:5], ids=lambda f: f.view)
def test_paging_through_the_backlog_shows_every_case_once_in_order(seeded, filt):
    """Page after page, across the seam between overdue and on-time cases, to the last one."""
    frame = every_case(seeded)
    expected = expected_page(frame, filt, 10**9)
    late = int((in_view(frame, filt.view) & (frame["due_at"] <= NOW)).sum())
    size = max(3, late // 2 - 1)  # pages that end inside the overdue part and cross the seam
    seen: list[int] = []
    with seeded.engine.connect() as conn:
        for offset in range(0, len(expected) + size, size):
            seen += queries.backlog(conn, NOW, limit=size, filt=filt, offset=offset)["id"].tolist()
    assert seen == expected and len(expected) > size


def test_the_views_the_fixture_builds_are_not_empty(seeded):
    frame = every_case(seeded)
    late = frame["due_at"] <= NOW
    for view in ("now", "pending", "snoozed", "closed"):
        assert in_view(frame, view).sum() > 0, view
    assert (in_view(frame, "now") & late).sum() > 0
    assert (in_view(frame, "now") & ~late).sum() > 0


@pytest.mark.parametrize("platforms", [(), ("x",)])
def test_key_figures_match_the_plain_definition(seeded, platforms):
    frame = every_case(seeded)
    if platforms:
        frame = frame[frame["platform"].isin(platforms)]
    late = frame["due_at"] <= NOW
    answered = frame["first_response_at"]

    def median(since, until, column="response_hours"):
        values = frame.loc[(answered >= since) & (answered < until), column].dropna()
        return float(values.median()) if len(values) else None

    week, before = NOW - timedelta(days=7), NOW - timedelta(days=14)
    with seeded.engine.connect() as conn:
        figures = queries.key_figures(conn, NOW, queries.CaseFilter(platforms=platforms))
    assert figures["needs_answer"] == in_view(frame, "now").sum()
    assert figures["overdue"] == (in_view(frame, "all") & late).sum()
    assert figures["overdue_actionable"] == (in_view(frame, "now") & late).sum()
    assert figures["median_response_7d"] == pytest.approx(median(week, NOW))
    assert figures["median_business_7d"] == pytest.approx(
        median(week, NOW, "response_business_hours")
    )
    assert figures["median_business_prev_7d"] == pytest.approx(
        median(before, week, "response_business_hours")
    )
    assert figures["median_response_7d"] is not None
    with seeded.engine.connect() as conn:
        made = pd.DataFrame(conn.execute(select(promises)).mappings().all())
    if platforms:
        made = made[made["platform"].isin(platforms)]
    unkept = (made["due_at"] <= NOW) & made["kept_at"].isna()
    assert figures["promises_unkept"] == unkept.sum()


@pytest.fixture
def two_authors(workspace):
    """An X candidate, a Reddit candidate and a third author who mentions the first one."""
    workspace.ingest().batch(
        batch(
            post("1", "Is the Berlin role open to remote engineers?", author="Sam_Dev"),
            post(
                "2",
                "How long does the interview process take?",
                author="jobhunter42",
                platform="reddit",
                thread="r1",
            ),
            post("3", "@sam_dev did you hear back about the interview?", author="ola", thread="t3"),
        )
    )
    yield workspace


def authors_found(ws, search: str) -> list[str]:
    """The authors of the unanswered cases the Backlog finds (its page and its count agree)."""
    filt = queries.CaseFilter(view="all", search=search)
    with ws.engine.connect() as conn:
        page = queries.backlog(conn, NOW, filt=filt)
        assert queries.backlog_count(conn, NOW, filt) == len(page)
    return sorted(page["author_handle"])


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("sam_dev", ["Sam_Dev", "ola"]),  # the author, and the post that names them
        ("@sam_dev", ["Sam_Dev", "ola"]),  # as the search box's own example writes it
        ("@SAM_DEV", ["Sam_Dev", "ola"]),
        (" @sam_dev ", ["Sam_Dev", "ola"]),
        ("u/jobhunter42", ["jobhunter42"]),  # a Reddit handle as Reddit writes it
        ("@jobhunter", ["jobhunter42"]),
        ("@nobody", []),
        ("@", ["ola"]),  # a bare "@" names nobody: it finds the texts that hold one
    ],
)
def test_search_finds_an_author_written_with_at_or_u_slash(two_authors, search, expected):
    assert authors_found(two_authors, search) == expected
