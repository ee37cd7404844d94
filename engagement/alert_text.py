"""Alert text that carries strangers' names without obeying them.

An alert names the person waiting ("Case 12 (x, sam_dev) breaches its SLA…"), and that name is
whatever the person chose. Two things keep it a name:

* ``one_line`` — a name is flattened to one short line, so a line break in it cannot forge a
  further alert line (or a mail subject) and a direction override cannot reorder the sentence.
* ``slack_escape`` — Slack reads ``<!channel>`` as "notify everyone", ``<@U123>`` as a mention
  and ``<http://…|Click here>`` as a link that hides its address. Slack's rule is to escape
  ``&``, ``<`` and ``>`` as ``&amp;``, ``&lt;`` and ``&gt;`` in any text it should show as
  written; the webhook text gets exactly that. The mail alert is plain text and needs none.
"""

from __future__ import annotations

import re

MAX_NAME = 100  # characters of a name in an alert line; the case link has the rest
# Line breaks and other C0/C1 controls, Unicode line and paragraph separators, and the bidi
# embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069).
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]+")


def one_line(value: object, limit: int = MAX_NAME) -> str:
    """``value`` as one line of at most ``limit`` characters: breaks and controls become a
    space, and a longer value ends in "…"."""
    text = " ".join(_BREAKS.sub(" ", str(value)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_escape(text: str) -> str:
    """``text`` as Slack shows it literally: ``&``, ``<``, ``>`` escaped (``&`` first)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
