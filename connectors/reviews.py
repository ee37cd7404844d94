"""Employer review sites (Glassdoor, Indeed, kununu): mapping review rows to posts.

None of these sites opens an API to an employer's own tools, so reviews arrive as a CSV (the
``reviews`` import) and as demo payloads, both mapped here. A review is about the employer and
read by its candidates, so it is treated as addressed to the brand; the team answers it on the
site and records that answer with "Replied on the site" (``engagement.site_reply``).

Every review is its own thread and its own author: the sites publish reviews anonymously
("Anonymous Employee", a job title), so two reviews signed alike are still two people and must
never merge into one case as "chases".
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from connectors.base import (
    MAX_ID,
    MAX_SUBJECT,
    MalformedPayloadError,
    Post,
    cap_id,
    check_time,
    clean_raw,
    clean_text,
    parse_timestamp,
    post_text,
    shown,
    url_or_none,
)

PLATFORM = "reviews"
COLUMNS = ("site", "id", "created_at", "rating", "title", "pros", "cons", "text", "url", "author")
REQUIRED = ("site", "id", "created_at")
BODY = ("text", "pros", "cons")  # a review needs at least one of these
SITES = {"glassdoor": "Glassdoor", "indeed": "Indeed", "kununu": "kununu"}
ANONYMOUS = "anonymous reviewer"
MAX_SITE = 64
_SITE = re.compile(r"[a-z0-9][a-z0-9._-]*")

# Other names for our columns, as review exports spell them (compared lower-case, ignoring
# spaces, "_" and "-"). No site documents its employer-centre export's columns (checked
# 2026-12-05, see README "Review sites"); these are the labels the common review exports use.
ALIASES = {
    "reviewid": "id",
    "reviewdate": "created_at",
    "reviewdatetime": "created_at",
    "date": "created_at",
    "ratingoverall": "rating",
    "overallrating": "rating",
    "score": "rating",
    "summary": "title",
    "reviewtitle": "title",
    "headline": "title",
    "advice": "text",
    "advicetomanagement": "text",
    "suggestions": "text",
    "reviewtext": "text",
    "reviewurl": "url",
    "jobtitle": "author",
    "reviewer": "author",
}


def _key(name: str) -> str:
    return re.sub(r"[\s_-]+", "", name.strip().lower())


def canonical_header(header: list[str]) -> list[str]:
    """The header with each column renamed to ours (``COLUMNS``) where it is ours or an alias;
    the first column to claim a name wins, later ones keep their own names (and are ignored)."""
    ours = {_key(c): c for c in COLUMNS}
    taken: set[str] = set()
    renamed: list[str] = []
    for name in header:
        column = ours.get(_key(name)) or ALIASES.get(_key(name))
        if column is None or column in taken:
            renamed.append(name)
        else:
            taken.add(column)
            renamed.append(column)
    return renamed


def header_problem(header: list[str]) -> str | None:
    """Why a header (already ``canonical_header``) is not a reviews CSV, or None."""
    missing = [c for c in REQUIRED if c not in header]
    if not any(c in header for c in BODY):
        missing.append("text, pros or cons")
    if not missing:
        return None
    return (
        f"is not a reviews CSV: it lacks the column(s) {'; '.join(missing)}; "
        f"expected {','.join(COLUMNS)}"
    )


def site_label(site: str) -> str:
    """How a site is named on a page: "Glassdoor" for "glassdoor", others as written."""
    return SITES.get(site, site)


def parse_rating(value: str) -> float | None:
    """Stars from 1 to 5 ("4", "3.6", kununu's "3,6"); empty is no rating; anything else is a
    broken row (a shifted column would otherwise put a date or a word where the stars go)."""
    text = value.strip()
    if not text:
        return None
    try:
        stars = float(text.replace(",", "."))
    except ValueError:
        stars = math.nan
    if not 1 <= stars <= 5:  # NaN fails too
        raise MalformedPayloadError(f"rating {shown(text)} is not a number from 1 to 5")
    return round(stars, 2)


def _site(value: str) -> str:
    site = value.strip().lower()
    if len(site) > MAX_SITE or not _SITE.fullmatch(site):
        raise MalformedPayloadError(
            f"site {shown(value)} is not a site name (e.g. glassdoor, indeed, kununu)"
        )
    return site


def review_text(title: str, pros: str, cons: str, text: str) -> str:
    """The words of a review in one text, as the team reads them and the analysis scores them."""
    parts = [title, f"Pros: {pros}" if pros else "", f"Cons: {cons}" if cons else "", text]
    return "\n\n".join(part for part in parts if part)


def review_from_row(row: Mapping[Any, Any], source: str = "reviews") -> Post:
    """Map one review (a dict by ``COLUMNS``; values str or None); every field cleaned and
    capped as the other mappings do (``connectors.base``)."""
    values = {c: clean_text(v).strip() if isinstance(v := row.get(c), str) else "" for c in COLUMNS}
    missing = [c for c in REQUIRED if not values[c]]
    if not any(values[c] for c in BODY):
        missing.append("text/pros/cons")
    if missing:
        raise MalformedPayloadError(f"empty {', '.join(missing)}")
    site = _site(values["site"])
    external_id = cap_id(f"{site}:{values['id']}")
    created_at = parse_timestamp(values["created_at"])
    rating = parse_rating(values["rating"])
    title = values["title"][:MAX_SUBJECT]
    text, notes = post_text(review_text(title, values["pros"], values["cons"], values["text"]))
    label = site_label(site)
    return Post(
        platform=PLATFORM,
        external_id=external_id,
        author_id=external_id,
        author_handle=values["author"][:MAX_ID] or ANONYMOUS,
        text=text,
        created_at=created_at,
        thread_key=external_id,
        url=url_or_none(values["url"] or None),
        subject=f"{label} review: {title}"[:MAX_SUBJECT] if title else f"{label} review",
        source=f"{source}:{site}"[:128],
        raw=clean_raw({c: values[c] for c in COLUMNS if values[c]}),
        notes=notes,
        rating=rating,
    )


def reply_id(review_external_id: str) -> str:
    """The id of the employer's reply to a review: the sites allow one per review, so a
    second record of the same reply is a duplicate the store skips."""
    return cap_id(f"{review_external_id}:reply")


def employer_reply(
    review_external_id: str,
    brand_id: str,
    brand_handle: str,
    text: str,
    at: datetime,
    url: str | None = None,
    source: str = "site-reply",
) -> Post:
    """The employer's public reply under a review, as a brand post answering it (its author
    is the brand's account on the review sites, ``cli.py brand add reviews NAME``)."""
    kept, notes = post_text(text)
    return Post(
        platform=PLATFORM,
        external_id=reply_id(review_external_id),
        author_id=brand_id,
        author_handle=brand_handle[:MAX_ID],
        text=kept,
        created_at=check_time(at),
        thread_key=review_external_id,
        parent_external_id=review_external_id,
        reply_to=(review_external_id,),
        url=url_or_none(url),
        source=source,
        notes=notes,
    )
