"""The demo workspace: deterministic, realistic, and made by the connectors' own mappings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from demo import batches as demo
from pipeline.workspace import RealDataError
from store.schema import cases, posts, promises
from tests.support.factories import batch, post

END = datetime(2026, 11, 1, tzinfo=UTC)


def _post_fingerprint(ws) -> list[tuple]:
    with ws.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                select(
                    posts.c.platform,
                    posts.c.external_id,
                    posts.c.author_handle,
                    posts.c.text,
                    posts.c.created_at,
                    posts.c.is_brand,
                ).order_by(posts.c.platform, posts.c.external_id)
            )
        ]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A default-size demo workspace on SQLite, shared by the read-only checks below."""
    from pipeline.workspace import open_workspace
    from tests.conftest import workspace_settings

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    ws = open_workspace(workspace_settings(url))
    ws.seed_demo(3000, end=END)
    return ws


def test_the_same_seed_gives_the_same_posts(workspace, seeded):
    workspace.seed_demo(3000, end=END)
    assert _post_fingerprint(workspace) == _post_fingerprint(seeded)


def test_running_the_demo_twice_adds_nothing(seeded):
    before = _post_fingerprint(seeded)
    totals = seeded.seed_demo(3000, end=END)
    assert totals.new_posts == 0 and _post_fingerprint(seeded) == before


def test_demo_posts_go_through_the_connector_mappings(monkeypatch, tmp_path):
    from pipeline.workspace import open_workspace
    from tests.conftest import workspace_settings

    calls: dict[str, int] = {}
    for kind, (source, mapper) in list(demo.MAPPERS.items()):

        def spy(payload, src, _mapper=mapper, _kind=kind):
            mapped, problems = _mapper(payload, src)
            calls[_kind] = calls.get(_kind, 0) + len(mapped)
            return mapped, problems

        monkeypatch.setitem(demo.MAPPERS, kind, (source, spy))
    ws = open_workspace(workspace_settings(f"sqlite:///{tmp_path / 'spy.db'}"))
    totals = ws.seed_demo(1000, end=END)
    assert set(calls) == {
        "x_page",
        "reddit_thread",
        "email",
        "youtube_page",
        "feed_document",
        "reviews",
        "mastodon_page",
        "bluesky_page",
        "hn_search",
    }
    assert sum(calls.values()) == totals.read == 1000


def test_demo_holds_what_the_product_exists_to_find(seeded):
    now = datetime.now(UTC)
    with seeded.engine.connect() as conn:
        count = lambda *where: conn.execute(  # noqa: E731
            select(func.count()).select_from(cases).where(*where)
        ).scalar_one()
        total_posts = conn.execute(select(func.count()).select_from(posts)).scalar_one()
        oldest, newest = conn.execute(
            select(func.min(posts.c.created_at), func.max(posts.c.created_at))
        ).one()
        langs = set(conn.execute(select(posts.c.lang).distinct()).scalars())
        platforms = set(conn.execute(select(posts.c.platform).distinct()).scalars())
        broken = conn.execute(
            select(func.count())
            .select_from(promises)
            .where(promises.c.kept_at.is_(None), promises.c.due_at < now)
        ).scalar_one()
        kept = conn.execute(
            select(func.count()).select_from(promises).where(promises.c.kept_at.is_not(None))
        ).scalar_one()
        broadcasts = conn.execute(
            select(func.count())
            .select_from(posts)
            .where(posts.c.is_brand, posts.c.parent_external_id.is_(None))
        ).scalar_one()
        answered = count(cases.c.first_response_at.is_not(None))
        unanswered = count(cases.c.first_response_at.is_(None))
        chased = count(cases.c.chase_count > 0)
    assert total_posts == 3000
    assert END - oldest <= timedelta(days=90) and newest < END
    assert platforms == {
        "x",
        "reddit",
        "email",
        "youtube",
        "feed",
        "reviews",
        "mastodon",
        "bluesky",
        "hn",
    }
    assert {"nl", "de"} <= langs
    assert answered > 100 and unanswered > 100 and chased > 20
    assert broken > 5 and kept > 5 and broadcasts > 20


def test_demo_refuses_a_workspace_with_real_data(workspace):
    workspace.ingest().batch(batch(post("1", "Is the Berlin role remote?", source="x:search")))
    with pytest.raises(RealDataError, match="--reset"):
        workspace.seed_demo(100, end=END)
    assert workspace.counts() == (1, 1)


def test_every_automatic_reply_to_an_applicant_is_a_two_week_promise(seeded):
    """The founding story: the automatic "we'll get back to you within two weeks" mail is a
    promise, even hard-wrapped by the mail client across "we'll" and "get back"."""
    with seeded.engine.connect() as conn:
        automatic = conn.execute(
            select(posts.c.id, posts.c.created_at).where(
                posts.c.platform == "email",
                posts.c.is_brand.is_(True),
                posts.c.is_auto_reply.is_(True),
            )
        ).all()
        made = dict(conn.execute(select(promises.c.post_id, promises.c.due_at)).all())
    assert len(automatic) > 20
    assert all(made.get(post_id) == at + timedelta(days=14) for post_id, at in automatic)
