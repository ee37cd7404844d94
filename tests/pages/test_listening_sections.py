"""Listening draws its lower sections one tab at a time: the open tab is computed and drawn, the
others wait until opened. Every chart and table is still there under its own name, with the
same figures as before."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import numpy as np
import pytest

from tests.pages.conftest import run_app, store, today_midnight
from tests.pages.test_pages import shown_text
from tests.support.factories import post

SECTIONS = ["Sentiment", "What they ask · Where", "Top terms and topics", "Most-reached authors"]


@pytest.fixture
def talk(env):
    """Nine posts on X and four on Reddit over the last week, by authors of known reach."""
    day = today_midnight() - timedelta(days=6)
    on_x = [
        post(
            f"x-{k}",
            f"Is the Berlin office hiring engineers? question {k}",
            author=f"x{k}",
            at=day + timedelta(hours=10 * k),
            author_reach=100 * (k + 1),
        )
        for k in range(9)
    ]
    on_reddit = [
        post(
            f"r-{k}",
            f"Great interview experience at the Berlin office {k}",
            author=f"r{k}",
            platform="reddit",
            at=day + timedelta(hours=7 * k),
            author_reach=5,
        )
        for k in range(4)
    ]
    store(env, *on_x, *on_reddit)


def _values(column) -> list:
    """A trace's values as the browser reads them (plotly sends numbers as typed base64)."""
    if isinstance(column, dict) and "bdata" in column:
        return np.frombuffer(base64.b64decode(column["bdata"]), dtype=column["dtype"]).tolist()
    return list(column)


def _charts(at) -> list[list[dict]]:
    """Each chart's title and traces, their x and y as plain lists."""
    charts = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec["layout"].get("title", {}).get("text")
        traces = [
            {"x": _values(t.get("x", [])), "y": _values(t.get("y", []))} for t in spec["data"]
        ]
        charts.append({"title": title, "traces": traces})
    return charts


def _open(at, section: str):
    at.session_state["listening_section"] = section
    return at.run()


def test_only_the_open_section_is_drawn(talk):
    at = run_app("pages/listening.py")
    assert [tab.label for tab in at.tabs] == SECTIONS
    assert [s.value for s in at.subheader] == ["Volume", "Sentiment"]
    sentiment = _charts(at)[1]
    assert (
        sum(sum(trace["y"]) for trace in sentiment["traces"]) == 13
    )  # every inbound post, by mood
    assert len(at.dataframe) == 0  # the authors table waits for its tab


def test_each_section_appears_with_its_figures_when_opened(talk):
    at = run_app("pages/listening.py")
    at = _open(at, "What they ask · Where")
    assert not at.exception
    assert {"What they ask", "Where"} <= {s.value for s in at.subheader}
    [bars] = _charts(at)[-1]["traces"]
    assert dict(zip(bars["y"], bars["x"], strict=True)) == {"Reddit": 4, "X": 9}

    at = _open(at, "Top terms and topics")
    words, phrases = _charts(at)[1:]
    assert (words["title"], phrases["title"]) == ("Words", "Phrases")
    counted = dict(zip(words["traces"][0]["y"], words["traces"][0]["x"], strict=True))
    assert counted["office"] == 13 and counted["hiring"] == 9

    at = _open(at, "Most-reached authors")
    authors = at.dataframe[0].value
    assert list(authors["author"][:3]) == ["x8", "x7", "x6"]
    assert len(authors) == 13
    assert "Most-reached authors" in shown_text(at)


def test_the_open_section_stays_open_across_reruns(talk):
    at = _open(run_app("pages/listening.py"), "Most-reached authors")
    at.run()
    assert len(at.dataframe) == 1
    assert [s.value for s in at.subheader] == ["Volume", "Most-reached authors"]
