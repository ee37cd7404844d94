"""How the dashboard's server is configured when started from the repository (``make run``,
``streamlit run app.py``, the benchmark): read by Streamlit itself, as the server reads it."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _served_option(name: str) -> str:
    """The option's value as a ``streamlit run`` in the repository's root sees it."""
    code = (
        "from streamlit import config; config.get_config_options(force_reparse=True); "
        f"print(config.get_option({name!r}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_server_does_not_watch_the_source_files():
    """With a file watcher every new browser session walks the path of each imported module
    (pandas, SQLAlchemy, plotly, …) on the server's event loop before its page is done: about a
    third of a second of every fresh page, the Conversation page's last miss at 1,000,000 posts."""
    assert _served_option("server.fileWatcherType") == "none"
    assert _served_option("server.address") == "127.0.0.1"  # the file was read at all


def test_a_run_ends_without_a_forced_garbage_collection():
    """Streamlit collects all garbage after each run before the browser hears the run is over:
    about 0.2 s of every rerun with pandas, SQLAlchemy and plotly loaded. Python's own collector
    still runs between runs."""
    assert _served_option("runner.postScriptGC") == "False"
