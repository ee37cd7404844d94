"""Starting the dashboard exactly as ``make run`` does, and driving it in Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the dashboard exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"the dashboard did not answer at {url} within {seconds} s")


@contextmanager
def serving(command: list[str], port: int, env: dict[str, str], log: IO | int) -> Iterator[str]:
    """Run a command that serves the dashboard on ``port``; yield its base URL once healthy,
    then stop its whole process group (``make`` and Streamlit beneath it alike)."""
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@contextmanager
def make_run(database_url: str, **env: str) -> Iterator[str]:
    """``make run`` on a free port; yields the base URL."""
    port = free_port()
    with (
        open(ROOT / "artifacts" / f"make-run-{port}.log", "w") as log,
        serving(
            ["make", "run", f"PORT={port}"], port, {"DATABASE_URL": database_url, **env}, log
        ) as url,
    ):
        yield url


@contextmanager
def browser_page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_FLAGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        try:
            yield page
        finally:
            browser.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def rendered(page) -> None:
    """Wait until the script run is over and no chart or table is still a placeholder."""
    page.wait_for_selector("[data-test-script-state='notRunning']", timeout=90_000)
    for _ in range(120):
        if not page.locator("[data-testid='stSkeleton']").count():
            break
        page.wait_for_timeout(250)
    page.wait_for_timeout(800)


def click_first_row(page) -> None:
    """Tick the first row's selection box (the table is drawn on a canvas)."""
    grid = page.locator("[data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)


def choose(page, label: str, option: str) -> None:
    """Pick a selectbox option by typing it, as a keyboard user would (robust to reruns)."""
    box = page.get_by_role("combobox", name=label).first
    box.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option).first.wait_for()
    page.keyboard.press("Enter")
    rendered(page)


def reply_in_sandbox(page, text: str, send: str) -> None:
    """Work as Ben Okafor, write ``text`` and press the ``send`` button (say "Send on Bluesky"),
    then wait for the sandbox to confirm: the steps every answered-in-the-browser test takes."""
    choose(page, "Working as", "Ben Okafor")
    page.get_by_text("Sandbox: replies are recorded").first.wait_for()
    page.get_by_label("Your reply").fill(text)
    page.keyboard.press("Control+Enter")  # a text area hands its value over on submit
    rendered(page)
    page.get_by_role("button", name=send).first.click()
    rendered(page)
    page.get_by_text("Reply sent into the sandbox").first.wait_for(timeout=60_000)
