"""The dashboard's chart style is laid over each figure without plotly validating it again:
the chart a person sees must be exactly the one plotly's own ``update_layout`` would draw."""

from __future__ import annotations

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from dashboard import charts


def _figure() -> go.Figure:
    """A figure as the pages build them: bars, a dashed line, a title and axis settings."""
    fig = go.Figure()
    fig.add_bar(x=["Mon", "Tue"], y=[3, 5], name="Posts per day", marker_color="#0f766e")
    fig.add_scatter(x=["Mon", "Tue"], y=[4, 4], mode="lines", line=dict(dash="dot", width=1))
    fig.update_layout(
        title="Words",
        yaxis_autorange="reversed",
        legend=dict(traceorder="reversed"),
        barmode="stack",
    )
    return fig


def _validated(fig: go.Figure, height: int, pickable: bool) -> dict:
    """The style applied the slow way, through plotly's validation."""
    fig.update_layout(
        template="plotly_white",
        height=height,
        margin=dict(l=8, r=8, t=48, b=8),
        title=dict(x=0, xanchor="left", y=0.98, yanchor="top", font=dict(size=14)),
        legend=dict(
            orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right", bgcolor="rgba(0,0,0,0)"
        ),
        font=dict(family="Inter, system-ui, sans-serif", size=13),
        hoverlabel=dict(font_size=12),
    )
    if pickable:
        fig.update_layout(clickmode="event+select", dragmode=False)
    return json.loads(pio.to_json(fig, validate=False))


@pytest.mark.parametrize("pickable", [False, True])
def test_a_styled_chart_is_the_figure_plotly_would_draw(pickable):
    shown = json.loads(pio.to_json(charts.styled(_figure(), 280, pickable), validate=False))
    assert shown == _validated(_figure(), 280, pickable)
    assert shown["layout"]["title"]["text"] == "Words"  # the page's own settings survive
    assert shown["layout"]["legend"]["traceorder"] == "reversed"
    assert shown["layout"]["template"]["layout"]["plot_bgcolor"] == "white"


def test_styling_leaves_the_pages_figure_as_it_was():
    fig = _figure()
    before = fig.to_plotly_json()
    charts.styled(fig, 300)
    assert fig.to_plotly_json() == before
