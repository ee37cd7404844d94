"""Importing a mailbox saved as ``mbox`` (one file) or ``Maildir`` (one directory).

Both go message by message through ``mail.post_from_message``, the mapping the IMAP sync uses,
so an imported mail is the same post a live sync would have stored, and importing a mailbox the
sync already read adds nothing. Only one message is in memory at a time. A message that cannot
be mapped is reported with its position (its number in the mbox, its file in the Maildir) and
the others are kept; bounces are left out, as in the sync.

A Maildir++ mailbox keeps its sent mail in a subfolder (``Maildir/.Sent``), itself a Maildir:
import it as a second directory. Subfolders are not walked on purpose, since drafts, trash and
spam live there too and a draft must never count as an answer.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from pathlib import Path

from connectors.base import ImportFormatError, MalformedPayloadError, Post, Problem
from connectors.mail import IgnoredMessage, post_from_message

Mapped = tuple[list[Post], list[Problem]]


def _mapped(data: bytes, source: str, position: str) -> Mapped:
    try:
        return [post_from_message(data, source)], []
    except IgnoredMessage:
        return [], []
    except MalformedPayloadError as exc:
        return [], [Problem(source, None, f"{position}: {exc}")]


def recognise_mbox(path: Path) -> None:
    """An mbox file starts with a ``From `` line; any other file (empty, binary, another
    format) is refused before anything is written."""
    with path.open("rb") as handle:
        start = handle.read(5)
    if not start:
        raise ImportFormatError(f"{path.name} is empty: an mbox file starts with a 'From ' line")
    if start != b"From ":
        raise ImportFormatError(
            f"{path.name} is not an mbox file: it must start with a 'From ' line"
        )


def read_mbox(path: Path, source: str) -> Iterator[Mapped]:
    """Messages of an mbox file (``From `` separated, as Thunderbird and Google export)."""
    recognise_mbox(path)
    box = mailbox.mbox(path, create=False)
    try:
        for number, key in enumerate(box.iterkeys(), start=1):
            yield _mapped(box.get_bytes(key), source, f"message {number}")
    finally:
        box.close()


def recognise_maildir(path: Path) -> None:
    """A Maildir is a folder with ``cur``, ``new`` and ``tmp``; an empty one is a mailbox with
    no mail, not a wrong file."""
    missing = [sub for sub in ("cur", "new", "tmp") if not (path / sub).is_dir()]
    if missing:
        raise ImportFormatError(
            f"{path} is not a Maildir: it has no {', '.join(missing)} subdirectory"
        )


def read_maildir(path: Path, source: str) -> Iterator[Mapped]:
    """Messages in a Maildir's ``new`` and ``cur``, in file-name (delivery) order."""
    recognise_maildir(path)
    box = mailbox.Maildir(path, factory=None, create=False)
    for key in sorted(box.iterkeys()):
        try:
            data = box.get_bytes(key)
        except FileNotFoundError:  # delivered elsewhere or deleted while we read
            continue
        yield _mapped(data, source, f"message file {key}")
