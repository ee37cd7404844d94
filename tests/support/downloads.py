"""What a page offers for download, captured as the bytes a browser would save.

AppTest keeps download buttons' files in a throw-away in-memory store; recording what goes into
that store lets a test open a CSV exactly as a manager's spreadsheet would receive it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage


@contextmanager
def captured_downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """Yields {file name: bytes} of every file a page run hands to the browser."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, path_or_data, mimetype, kind, filename=None):
        if filename is not None and isinstance(path_or_data, bytes):
            files[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", record)
    yield files


def csv_cells(data: bytes) -> list[list[str]]:
    """A downloaded CSV's rows as a spreadsheet would read them (header included)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
