"""The command line, one module per group of commands (``cli.py`` runs ``app``).

Heavy modules (the store, pandas, the platform clients) are imported inside the commands that
use them, so ``cli.py analyze`` in a pipe starts about as fast as a plain VADER script.
"""

from __future__ import annotations

from commands import analysis, data, privacy, reporting, setup  # noqa: F401  (they register)
from commands.common import app

__all__ = ["app"]
