"""How a post reached the company: on a direct line, addressed to it in public, or about it.

The same words need an answer on one channel and not on another: "my order is missing" said to
``@Brand`` is a problem report the team owns; said to one's followers it is not. Ingest knows
what the text cannot (who a reply answers, whose thread a comment sits in), so it settles the
channel here and hands it to the analysis.
"""

from __future__ import annotations

import re
from collections.abc import Callable

DIRECT_PLATFORMS = frozenset({"email"})
# Published to readers, never to a brand account: a blog post or news item about the employer.
PUBLIC_PLATFORMS = frozenset({"feed"})
# A review on Glassdoor, Indeed or kununu is written about the employer, under its name, for its
# candidates to read, and the employer answers it there in public: spoken to the brand.
ADDRESSED_PLATFORMS = frozenset({"reviews"})
# @handle on X, Bluesky-style @handle.domain, u/name on Reddit; Mastodon's @user@domain is
# one handle (the same user name on another server is someone else).
_MENTION = re.compile(
    r"(?<![\w@/])(?:@|\bu/)([A-Za-z0-9_][A-Za-z0-9_.-]{0,99}(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)"
)


def mentioned_handles(text: str) -> list[str]:
    """Every handle the text mentions, lower-cased, without the "@" or "u/"."""
    if "@" not in text and "u/" not in text:
        return []
    return [match.group(1).rstrip(".").lower() for match in _MENTION.finditer(text)]


def channel_of(
    platform: str,
    text: str,
    *,
    replies_to_brand: bool,
    on_brand_thread: bool,
    to_brand: bool,
    is_brand_handle: Callable[[str], bool],
    brand_known: bool = True,
) -> str | None:
    """ "direct", "addressed" or "public" for one inbound post; None when it cannot be told.

    Addressed means spoken to the brand: it replies to a brand post, sits in a thread the brand
    started (a comment under its video or submission), names a brand account as the one it is
    written to, or @mentions one. Without any brand account on the platform (``brand_known``
    false) a post that names nobody of ours may still be spoken to us: the text decides.
    """
    if platform in DIRECT_PLATFORMS:
        return "direct"
    if platform in PUBLIC_PLATFORMS:
        return "public"
    if platform in ADDRESSED_PLATFORMS:
        return "addressed"
    if replies_to_brand or on_brand_thread or to_brand:
        return "addressed"
    if any(is_brand_handle(handle) for handle in mentioned_handles(text)):
        return "addressed"
    return "public" if brand_known else None
