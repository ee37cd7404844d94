"""Direction overrides in names and posts are shown, not obeyed.

U+202E (RIGHT-TO-LEFT OVERRIDE) and its kin reorder what follows: a handle
``sam\u202egnp.exe`` reads "samexe.png" and a post can make a link or a file name look like
another. The dashboard shows each such character as a visible ``[U+202E]`` wherever a name or
a text appears.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from dashboard import display
from tests.pages.conftest import run_app, select_rows, store
from tests.pages.test_pages import shown_text
from tests.support.factories import post

AUTHOR = "sam\u202egnp.exe"
TEXT = "@NorthwindLabs my CV \u2066cv\u202efdp.exe\u202c\u2069 is attached, any update?"
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def test_the_helper_shows_every_direction_control_and_nothing_else():
    assert display.visible(AUTHOR) == "sam[U+202E]gnp.exe"
    assert display.visible("שלום, any update?") == "שלום, any update?"
    controls = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
    assert not BIDI.search(display.visible(controls))
    assert not BIDI.search(display.escape_markdown(TEXT)) and not BIDI.search(display.snippet(TEXT))


def test_backlog_conversation_and_listening_show_overrides_as_visible_marks(env):
    store(
        env,
        post("1", TEXT, author=AUTHOR, at=datetime.now(UTC) - timedelta(hours=2), author_reach=340),
    )
    backlog = run_app()
    conversation = select_rows(run_app(), [0])
    listening = run_app("pages/listening.py", listening_section="Most-reached authors")
    for at in (backlog, conversation, listening):
        shown = shown_text(at)
        marked = "sam[U+202E]gnp.exe"  # in a table, or as markdown's character references
        assert marked in shown or display.escape_markdown(marked) in shown
        assert not BIDI.search(shown), BIDI.findall(shown)
    assert "[U+2066]cv[U+202E]fdp.exe[U+202C][U+2069]" in shown_text(conversation)
