"""Child of bench/run.py: one AppTest run of a dashboard page, after a warm-up run."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    page = sys.argv[1]
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    app.run()
    app.switch_page(page).run()
    st.cache_data.clear()  # time the page as a user first meets it, not from the cache
    start = time.perf_counter()
    app.switch_page(page).run()
    elapsed = (time.perf_counter() - start) * 1000
    if app.exception:
        raise SystemExit(f"{page} raised: {app.exception[0].message}")
    print(json.dumps({"page": page, "ms": round(elapsed, 1)}))


if __name__ == "__main__":
    main()
