"""Who else a post says its author is: an e-mail address or a handle written in the text.

Candidates sign mails with "(@sam_dev on X)" and tweet "mail me at sam@example.com"; those are
the clues that make a tweet and later e-mails one person's history.
"""

from __future__ import annotations

import re

# Not after "@": "@sam@mastodon.social" is a Mastodon handle (mentioning someone), no address.
_EMAIL = re.compile(r"(?<!@)\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,240}\.[A-Za-z]{2,12}\b")
_X_HANDLE = re.compile(
    r"(?:@(\w{1,15})\s+on\s+(?:x|twitter)\b|(?:x|twitter)\.com/(\w{1,15})\b|"
    r"\b(?:x|twitter)\s*(?:handle)?\s*:\s*@(\w{1,15}))",
    re.I,
)
_REDDIT_USER = re.compile(r"\bu/([A-Za-z0-9_-]{3,20})\b")


def mentioned_identities(platform: str, text: str) -> list[tuple[str, str]]:
    """(platform, handle) pairs the author names as their own elsewhere, lower-cased."""
    found: list[tuple[str, str]] = []
    if platform != "email":
        found += [("email", address.lower()) for address in _EMAIL.findall(text)]
    if platform != "x":
        for groups in _X_HANDLE.findall(text):
            handle = next(g for g in groups if g)
            found.append(("x", handle.lower()))
    if platform != "reddit":
        found += [("reddit", user.lower()) for user in _REDDIT_USER.findall(text)]
    return list(dict.fromkeys(found))
