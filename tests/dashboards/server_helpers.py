"""Start the lab's Streamlit server for a test the way a user does (``handoff-lab dashboard``),
wait until it is healthy, and stop it with everything it started."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dashboard_command(port: int, db: str | None = None) -> list[str]:
    """``handoff-lab dashboard --port PORT [--db URL]`` through this interpreter."""
    cli = "import sys; from sim.cli import main; sys.argv[0] = 'handoff-lab'; main()"
    command = [sys.executable, "-c", cli, "dashboard", "--port", str(port)]
    return command + (["--db", db] if db else [])


@contextmanager
def running_server(command: list[str], port: int, log_path: Path, env=None) -> Iterator[float]:
    """Run ``command`` until the server on ``port`` answers its health check; yields the start
    time (``time.perf_counter``). The server runs in its own process group, stopped at the end."""
    with log_path.open("w") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)  # fmt: skip
        try:
            deadline = start + 60
            while True:
                try:
                    url = f"http://127.0.0.1:{port}/_stcore/health"
                    with urllib.request.urlopen(url, timeout=1):
                        break
                except OSError:
                    if time.perf_counter() > deadline or proc.poll() is not None:
                        pytest.fail(f"server did not come up:\n{log_path.read_text()}")
                    time.sleep(0.05)
            yield start
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


# --- in the browser (Playwright pages; Playwright itself is imported by the browser tests) ---

GREETING = "Hello, this is Dana, a licensed agent. Thanks for holding."
"""The model producer's opening line in the browser tests: no re-ask in it."""


def idle(page, timeout: float = 60_000) -> None:
    """Wait until the Streamlit script run the last action started has finished."""
    page.wait_for_timeout(150)  # let the rerun request reach the server
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout
    )


def take_a_call(page, expect, producer: str):
    """On the Role-play page: sign in as ``producer``, take caller seed 1, greet them (the
    caller answers); returns the chat box."""
    page.get_by_label("Your name (as your manager knows you)", exact=True).fill(producer)
    seed = page.get_by_label("Caller (seed)", exact=True)
    seed.fill("1")
    seed.press("Tab")
    page.get_by_role("button", name="Take the call").click()
    idle(page)
    expect(page.get_by_text("Intake packet")).to_be_visible()
    chat = page.locator('[data-testid="stChatInputTextArea"]')
    chat.fill(GREETING)
    chat.press("Enter")
    idle(page)
    expect(page.locator('[data-testid="stChatMessage"]')).to_have_count(3)
    return chat
