"""Full Circle on the command line: set up, seed, import, sync, analyse, report.

    python cli.py --help

Every command that touches data opens the workspace (which migrates the schema), so the CLI,
the sync worker and the dashboard always agree on the data. The commands live in ``commands/``.
"""

from __future__ import annotations

import sys

from commands import app

if __name__ == "__main__":
    sys.exit(app())
