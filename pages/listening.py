"""Listening: how much people talk about the employer, in what mood, about what, and who."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import listening as themes
from dashboard import charts, day_posts, display, session
from store import listening
from store.accounts import list_accounts
from store.report_frames import Period

session.require("listening")
ws = session.workspace()
picked = session.choices()
period, channels = picked.period, picked.platforms
st.title("Listening")
st.caption(
    f"Inbound posts (not the brand's own) · {picked.period_label} · "
    + (", ".join(map(display.platform_label, channels)) if channels else "all channels")
)


@st.cache_data(ttl=120, show_spinner="Counting posts…")
def load(_ws, url: str, period: Period, channels: tuple[str, ...]) -> tuple:
    """The page's data, cached two minutes per database, period and channels (a full scan).
    The top terms are counted here too: counting them in the sampled texts took longer than
    the rest of a rerun."""
    with _ws.engine.connect() as conn:
        counted = listening.summary(
            conn,
            Period(period.since - timedelta(days=themes.SPIKE_WINDOW_DAYS), period.until),
            channels,
        )
        brand = " ".join(f"{a['handle']} {a['display_name'] or ''}" for a in list_accounts(conn))
        texts = listening.recent_texts(conn, period, channels)
        return (
            counted,
            listening.top_authors(conn, period, channels),
            themes.top_terms(texts, ignore=frozenset(themes.tokens(brand))),
            len(texts),
        )


def day_posts_list(days: pd.DataFrame, picked_point: object) -> None:
    """The posts behind one day of the volume chart: a click on the chart picks the day, and
    the box below does the same from the keyboard (type "spike" to find the spike days)."""
    posts_on = {d.date(): (int(n), bool(s)) for d, n, s in days[["day", "posts", "spike"]].values}
    options = sorted(posts_on, reverse=True)
    clicked = day_posts.clicked_day(picked_point)
    if clicked is not None and clicked != st.session_state.get("listening_clicked"):
        st.session_state["listening_clicked"] = clicked  # a new click, not the standing one
        st.session_state["listening_day"] = clicked
    if st.session_state.get("listening_day") not in posts_on:
        st.session_state.pop("listening_day", None)  # a day outside the period now chosen
    day = st.selectbox(
        "Posts of one day",
        options,
        index=None,
        format_func=lambda d: day_posts.day_label(d, *posts_on[d]),
        key="listening_day",
        placeholder="Click a day on the chart, or choose one here (type “spike”)",
    )
    if day is None:
        return
    with ws.engine.connect() as conn:
        rows, total = listening.day_posts(
            conn, day, period, channels, limit=listening.DAY_POSTS_ROWS
        )
    st.caption(
        f"Showing {len(rows):,} of {total:,} inbound posts of {day:%a %d %b %Y} (UTC), "
        "oldest first. Select a row to open its conversation."
    )
    if rows.empty:
        return
    table_key = f"listening-day-{day}-{hash(tuple(rows['id']))}"
    st.session_state["listening_day_table_key"] = table_key
    event = st.dataframe(
        day_posts.display(rows),
        key=table_key,
        on_select="rerun",
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        column_config=day_posts.COLUMNS,
    )
    chosen = [rows.iloc[i]["case_id"] for i in event.selection.rows if i < len(rows)]
    if chosen and pd.isna(chosen[0]):
        st.info("This post is in no case: it needed no answer. Its link opens it on the platform.")
    elif chosen:
        st.session_state["case_id"] = int(chosen[0])
        st.switch_page("pages/conversation.py", query_params={"case": str(int(chosen[0]))})


counted, authors, terms, sampled = load(ws, ws.settings.database_url, period, channels)
in_period = counted[counted["day"] >= period.since.replace(tzinfo=None)]
if in_period.empty:
    st.info(
        "Nobody wrote about the employer in this period on these channels. Widen the period "
        "or the channels in the sidebar, or bring posts in on Sources & settings.",
        icon=":material/hearing_disabled:",
    )
    st.stop()
days = themes.mark_spikes(themes.per_day(counted), period.since)
shown = themes.per_day(in_period)
intents = themes.counts_by(in_period, "intent")
shares = themes.counts_by(in_period, "platform")

total = int(shown["posts"].sum())
asks = int(intents.loc[intents["intent"] != "(none)", "posts"].sum())
spikes = days[days["spike"]]
strip = st.columns(4, border=True)
strip[0].metric("Inbound posts", f"{total:,}", chart_data=days["posts"].tolist(), chart_type="bar")
strip[1].metric(
    "Negative",
    f"{shown['negative'].sum() / total:.0%}",
    help="Share of posts whose sentiment is negative (VADER with domain terms).",
)
strip[2].metric(
    "Ask something",
    f"{asks / total:.0%}",
    help="Questions, requests, complaints and chases: posts that need a response.",
)
strip[3].metric("Spike days", len(spikes), help=themes.SPIKE_RULE.replace("**", ""))

st.subheader("Volume")
fig = go.Figure()
fig.add_bar(
    x=days["day"],
    y=days["posts"],
    name="Posts per day",
    marker_color=charts.COLORS["primary"],
    hovertemplate="%{x|%a %d %b %Y}: %{y} posts · click to list them<extra></extra>",
)
fig.add_scatter(
    x=days["day"],
    y=days["threshold"],
    name="Spike threshold",
    mode="lines",
    line=dict(color=charts.COLORS["muted"], dash="dot", width=1),
    hoverinfo="skip",
)
fig.add_scatter(
    x=spikes["day"],
    y=spikes["posts"],
    name="Spike",
    mode="markers",
    marker=dict(color=charts.COLORS["bad"], size=11, symbol="circle-open-dot"),
    hovertemplate="%{x|%a %d %b %Y}: spike, %{y} posts<extra></extra>",
)
picked_point = charts.plot(fig, height=300, pick="listening_volume")
st.caption(themes.SPIKE_RULE)
day_posts_list(days, picked_point)

# Below the fold, one section at a time: only the open tab is computed and drawn, and
# switching tabs reruns only this part of the page.
SECTIONS = ("Sentiment", "What they ask · Where", "Top terms and topics", "Most-reached authors")


@st.fragment
def sections() -> None:
    """The page's lower sections as tabs that load when opened (the first one open)."""
    tabs = dict(
        zip(SECTIONS, st.tabs(SECTIONS, key="listening_section", on_change="rerun"), strict=True)
    )
    for name, tab in tabs.items():
        if tab.open:
            with tab:
                SECTION_DRAWERS[name]()


def sentiment() -> None:
    st.subheader("Sentiment")
    fig = go.Figure()
    for label in ("negative", "neutral", "positive"):
        fig.add_bar(x=shown["day"], y=shown[label], name=label, marker_color=charts.COLORS[label])
    fig.update_layout(barmode="stack")
    charts.plot(fig, height=280)


def asks_and_channels() -> None:
    left, right = st.columns(2)
    with left:
        st.subheader("What they ask")
        named = intents.replace({"intent": {"(none)": "no ask (talk, news, praise)"}})
        charts.plot(charts.ranked_bars(named["intent"], named["posts"]), height=260)
    with right:
        st.subheader("Where")
        # Bars, not a pie: nine channels, some of a few percent, read at a glance only as bars.
        ordered = shares.sort_values("posts", ascending=False)
        share = ordered["posts"] / max(int(ordered["posts"].sum()), 1)
        fig = charts.ranked_bars(
            ordered["platform"].map(display.platform_label),
            ordered["posts"],
            text=[f"{value:.0%}" for value in share],
            textposition="outside",
            cliponaxis=False,
        )
        charts.plot(fig, height=260)


def top_terms() -> None:
    st.subheader("Top terms and topics")
    st.caption(
        f"Words and two-word phrases in the newest {sampled:,} posts of the period's last "
        f"{listening.TEXT_SAMPLE_DAYS} days, counted once per post; stop words, links and "
        "@handles left out."
    )
    left, right = st.columns(2)
    for column, kind, title in ((left, "word", "Words"), (right, "phrase", "Phrases")):
        rows = terms[terms["kind"] == kind].head(15)
        with column:
            fig = charts.ranked_bars(rows["term"], rows["posts"])
            fig.update_layout(title=title)
            charts.plot(fig, height=420)


def top_authors() -> None:
    st.subheader("Most-reached authors")
    st.dataframe(
        display.visible_frame(authors).assign(
            platform=authors["platform"].map(display.platform_label),
            mean_sentiment=authors["mean_sentiment"].map(display.mood),
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "platform": "Channel",
            "author": "Author",
            "reach": st.column_config.NumberColumn("Reach", format="localized"),
            "posts": "Posts",
            "asks": "Posts asking something",
            "mean_sentiment": "Mood",
        },
    )


SECTION_DRAWERS = dict(
    zip(SECTIONS, (sentiment, asks_and_channels, top_terms, top_authors), strict=True)
)
sections()
