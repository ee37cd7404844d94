"""CSV for spreadsheets: the rows behind a chart or a list, safe to open in Excel or Sheets.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and a
leading tab or carriage return can hide such a start; ``=HYPERLINK(…)`` then sends the sheet's
contents to a stranger and DDE formulas start programs. Author handles, post texts and even
team names reach our CSVs from people outside the company, so every text cell that starts so
gets a single quote in front (OWASP's "CSV injection" advice): the spreadsheet shows it as text,
and a person reading the file still sees what was written. Numbers are left alone: a negative
rate is our own value, not someone's formula.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run, prefixed with ``'``; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) neutralised."""
    safe = frame.rename(columns=neutralise_cell)
    for column in safe.columns:
        if safe[column].dtype == object or isinstance(safe[column].dtype, pd.StringDtype):
            safe[column] = safe[column].map(neutralise_cell)
    return safe


def spreadsheet_csv(frame: pd.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV (no index) with no cell a spreadsheet would run as a formula.

    Rows end in CRLF as RFC 4180 has it, which also makes the writer quote any cell holding a
    bare carriage return (with pandas' default ``\\n`` such a cell split its row in two).
    """
    return neutralised(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8")
