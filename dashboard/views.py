"""How cases and threads look: the Backlog's table and a conversation's posts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
import streamlit as st

from dashboard.display import (
    due_text,
    escape_markdown,
    hours,
    mood,
    platform_label,
    snippet,
    stars,
    visible,
    when,
    why,
)

BACKLOG_COLUMNS = {
    "Due": st.column_config.TextColumn(width=105),
    "Waiting": st.column_config.TextColumn(width=70),
    "Channel": st.column_config.TextColumn(width=70),
    "Author": st.column_config.TextColumn(width=140),
    "Post": st.column_config.TextColumn(width=330),
    "Intent": st.column_config.TextColumn(width=80),
    "Why": st.column_config.TextColumn(width=150, help="Why this needs an answer"),
    "Sentiment": st.column_config.TextColumn(width=80, help="A review's stars beside it"),
    "Chases": st.column_config.NumberColumn(width=60),
    "Assignee": st.column_config.TextColumn(width=110),
}


PAGE_SIZE = 100  # rows of the Backlog at once: a table people scan, and one page of the index


@dataclass(frozen=True)
class BacklogPage:
    number: int
    pages: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * PAGE_SIZE


def backlog_page(total: int, filters: object) -> BacklogPage:
    """Which ``PAGE_SIZE`` rows of ``total`` to show (the pager below the table sets it).
    Other filters are other cases, so a change of ``filters`` starts again at page 1; a page
    beyond the last (cases were answered meanwhile) becomes the last."""
    pages = max(1, -(-total // PAGE_SIZE))
    state = st.session_state
    if state.get("backlog_page_of") != filters:
        state["backlog_page"] = 1
    state["backlog_page"] = min(max(int(state.get("backlog_page", 1)), 1), pages)
    state["backlog_page_of"] = filters
    return BacklogPage(state["backlog_page"], pages)


def pager(page: BacklogPage) -> None:
    """The page number under the Backlog's table, when there is more than one page."""
    if page.pages > 1:
        st.columns([1, 4])[0].number_input(
            f"Page (of {page.pages})", min_value=1, max_value=page.pages, step=1, key="backlog_page"
        )


def backlog_display(rows: pd.DataFrame, now: datetime) -> pd.DataFrame:
    """The backlog rows as people read them (all text; nothing here is rendered as markup)."""
    age = (now - pd.to_datetime(rows["opened_at"], utc=True)).dt.total_seconds() / 3600
    return pd.DataFrame(
        {
            "Due": [due_text(d, now) for d in rows["due_at"]],
            "Waiting": [hours(h) for h in age],
            "Channel": rows["platform"].map(platform_label),
            "Author": rows["author_handle"].map(visible),
            "Post": rows["text"].map(snippet),
            "Intent": rows["intent"].fillna("–"),
            "Why": rows["reason"].fillna("–").map(visible),
            "Sentiment": [
                mood(s, exact=False) + stars(r)
                for s, r in zip(rows["sentiment"], rows["rating"], strict=True)
            ],
            "Chases": rows["chase_count"].astype(int),
            "Assignee": rows["assignee"].fillna("–").map(visible),
        }
    ).assign(**({"Status": rows["status"]} if rows["status"].nunique() > 1 else {}))


SHOWN_CHARS = 2_000  # of a post in the thread; the rest is one click away
THREAD_PAGE = 25  # posts of a thread drawn at first; earlier ones a click each page away


def latest_posts(frame: pd.DataFrame, shown: int, case_id: int) -> pd.DataFrame:
    """The newest ``shown`` posts of a thread in time order: a long thread (the demo has
    threads of a hundred posts) would otherwise be drawn post by post on every rerun. The
    case's first post leads them when it is older: whoever opens a case sees what it asks."""
    window = frame.tail(max(shown, 0))
    opening = frame[frame["case_id"] == case_id].head(1)
    if len(opening) and opening.index[0] not in window.index:
        return pd.concat([opening, window])
    return window


def post_body(text: str) -> None:
    """A post's text with ``st.text``; a long one (up to the 64 KB a post holds) shows its
    first ``SHOWN_CHARS`` characters and the whole text in an expander, so one long post
    neither buries the conversation nor hides what it says. Direction controls are shown
    (``display.visible``), never obeyed."""
    text = visible(text)
    if len(text) <= SHOWN_CHARS:
        st.text(text)
        return
    st.text(text[: SHOWN_CHARS - 1] + "…")
    with st.expander(f"Show the whole post ({len(text):,} characters)"):
        st.text(text)


def thread(
    frame: pd.DataFrame, case_id: int, on_add: Callable[[int], object] | None = None
) -> None:
    """The posts in time order; brand posts marked, and for every inbound post whether it needs
    an answer and why. ``on_add`` puts a post the rules passed over into the backlog. Post text
    goes through ``st.text`` only."""
    for post in frame.itertuples():
        brand = bool(post.is_brand)
        with st.chat_message(
            "assistant" if brand else "user",
            avatar=":material/apartment:" if brand else ":material/person:",
        ):
            tags = ["brand" + (" · automatic" if post.is_auto_reply else "")] if brand else []
            if post.case_id == case_id:
                tags.append("this case")
            if not brand:
                tags.append(why(post.needs_response, post.reason))
            badges = "".join(f" · :gray-badge[{escape_markdown(t)}]" for t in tags)
            st.markdown(
                f"**{escape_markdown(post.author_handle)}** · "
                f"{platform_label(post.platform)} · {when(post.created_at)}{badges}"
            )
            subject = post.subject if isinstance(post.subject, str) else ""
            if subject and not post.text.startswith(subject):
                st.text(f"Subject: {visible(subject)}")
            post_body(post.text)
            if (
                on_add
                and not brand
                and not post.needs_response
                and st.button(
                    "Needs an answer: add to the backlog",
                    key=f"add-post-{post.id}",
                    icon=":material/add_task:",
                    type="tertiary",
                )
            ):
                on_add(int(post.id))
