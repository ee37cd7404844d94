"""How values read on a page: durations, rates, moods, due times, audit lines, platform names.

Post text is untrusted: it is shown with ``st.text``/``st.dataframe`` or escaped by
``escape_markdown`` before it reaches markdown, and links from posts pass ``safe_url`` first.
Names and texts also pass ``visible`` (``escape_markdown`` and ``snippet`` call it), which shows
direction overrides instead of obeying them.
"""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd

from analysis.language_id import language_name

PLATFORMS = {
    "x": "X",
    "reddit": "Reddit",
    "youtube": "YouTube",
    "email": "E-mail",
    "bluesky": "Bluesky",
    "mastodon": "Mastodon",
    "hn": "Hacker News",
    "feed": "Feeds",
    "reviews": "Review sites",
}


_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
# Bidi embeddings, overrides and isolates: U+202A–U+202E and U+2066–U+2069.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def visible(text: object) -> str:
    """``text`` with each direction control shown as ``[U+202E]`` and the like.

    A right-to-left override makes "sam\u202egnp.exe" read as "samexe.png" and can dress a
    link or a file name as another; shown as a mark, it can reorder nothing and the team sees
    that someone tried. Right-to-left text itself (Hebrew, Arabic) needs none of these
    characters and is left alone.
    """
    return _BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", str(text))


def visible_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for ``st.dataframe`` with ``visible`` applied to every text cell."""
    shown = frame.copy()
    for column in shown.columns:
        if shown[column].dtype == object or isinstance(shown[column].dtype, pd.StringDtype):
            shown[column] = shown[column].map(lambda v: visible(v) if isinstance(v, str) else v)
    return shown


def hours(value: float | None) -> str:
    """Durations the way people say them: minutes, hours, days."""
    if value is None or pd.isna(value):
        return "–"
    if value < 1:
        return f"{value * 60:.0f} min"
    if value < 48:
        return f"{value:.1f} h"
    return f"{value / 24:.1f} d"


def business(value: float | None) -> str:
    """Business hours stay hours (a "day" of business hours would be ambiguous)."""
    if value is None or pd.isna(value):
        return "–"
    return f"{value * 60:.0f} min" if value < 1 else f"{value:.1f} h"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def escape_markdown(text: object) -> str:
    """Text made inert for st.markdown: punctuation becomes character references, so no
    markdown, HTML, directive (``:red[...]``) or auto-link (e-mail, URL) can form."""
    flat = " ".join(visible(text).split())
    # Streamlit links e-mail addresses and URLs after parsing; a word joiner breaks them up.
    flat = flat.replace("@", "@\u2060").replace(":", ":\u2060").replace(".", ".\u2060")
    return _PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", flat)


def safe_url(url: object) -> str | None:
    """A link taken from a post, only when it is plain http(s) (never ``javascript:``)."""
    if isinstance(url, str) and re.match(r"^https?://[^\s<>\"']+$", url.strip()):
        return url.strip()
    return None


def platform_label(platform: str) -> str:
    return PLATFORMS.get(platform, platform)


def language_label(code: str) -> str:
    return language_name(code)


def snippet(text: object, length: int = 160) -> str:
    flat = " ".join(visible(text or "").split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def mood(score: float | None, exact: bool = True) -> str:
    """VADER's compound score as a word (the thresholds the analysis uses), with the number."""
    if score is None or pd.isna(score):
        return "–"
    label = "negative" if score <= -0.05 else "positive" if score >= 0.05 else "neutral"
    return f"{label} ({score:+.2f})" if exact else label


def stars(rating: float | None) -> str:
    """ " · ★ 2/5" after a mood for a review with stars (review sites); nothing otherwise."""
    if rating is None or pd.isna(rating):
        return ""
    return f" · ★ {rating:g}/5"


def due_text(due_at: datetime, now: datetime, answered: bool = False) -> str:
    """ "overdue 2.1 d" or "in 5.0 h": the one thing people scan the backlog for."""
    if answered:
        return "answered"
    left = (due_at - now).total_seconds() / 3600
    return f"overdue {hours(-left)}" if left <= 0 else f"in {hours(left)}"


def event_text(action: str, detail: object) -> str:
    """One line per audit event, e.g. "assign → Anna" or "close: Spam or abuse"."""
    detail = detail if isinstance(detail, dict) else {}
    if action == "assign":
        return f"assigned to {detail.get('assignee') or 'nobody'}"
    if action == "snooze":
        return f"snoozed until {str(detail.get('until', ''))[:16].replace('T', ' ')} UTC"
    if action == "close":
        return f"closed: {detail.get('reason', '')}"
    if action == "note":
        return f"note: {detail.get('text', '')}"
    if action == "pending":
        return "waiting on the candidate"
    if action == "replied_on_site":
        return f"replied on the site at {str(detail.get('replied_at', ''))[:16].replace('T', ' ')}"
    if action == "label":
        posts = len(detail.get("posts") or [])
        if detail.get("label") == "no_answer_needed":
            return f"marked no answer needed ({posts} post(s))"
        return "added to the backlog by hand"
    extra = ", ".join(f"{k}={v}" for k, v in detail.items() if k != "text")
    return f"{action} {extra}".strip()


def when(value: object) -> str:
    """A UTC timestamp as people read it, or a dash."""
    if value is None or pd.isna(value):
        return "–"
    return pd.Timestamp(value).tz_convert("UTC").strftime("%d %b %Y %H:%M UTC")


def why(needs_response: object, reason: object) -> str:
    """ "needs an answer: asks a question" / "no answer needed: closing courtesy"."""
    head = "needs an answer" if needs_response else "no answer needed"
    return f"{head}: {reason}" if isinstance(reason, str) and reason else head
