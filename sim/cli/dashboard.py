"""``dashboard``: start the Streamlit lab (``dashboards/app.py``, shipped in the package) as
this process, so Ctrl-C and SIGTERM reach the server directly. A ``--db`` SQLite file that
cannot be a record store (its folder is a file or missing, or it is not a SQLite database) is
refused with exit 2 before the server starts, rather than failing in every tab."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.shared import app, console, fail, need_modules
from sim.paths import DASHBOARD_APP

DASHBOARD_MODULES = ("streamlit", "plotly", "sqlalchemy", "alembic", "faker", "platformdirs")
"""What the dashboard imports beyond the core (its pages include role-play)."""


@app.command()
def dashboard(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    db: Annotated[
        str | None,
        typer.Option(help="SQLAlchemy URL of the role-play store (default: embedded SQLite)."),
    ] = None,
) -> None:
    """Start the Streamlit lab in the browser (http://127.0.0.1:8501)."""
    need_modules("the dashboard", "dashboard", *DASHBOARD_MODULES)
    env = dict(os.environ)
    if db:
        _check_sqlite(db)
        env["HANDOFF_LAB_DB"] = db
    command = [
        sys.executable, "-m", "streamlit", "run", str(DASHBOARD_APP),
        "--server.address", address, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",  # no Deploy button or developer menu
    ]  # fmt: skip
    console.print(f"Warm Handoff Lab on http://{address}:{port} (Ctrl-C to stop)")
    sys.stdout.flush()
    # Become the Streamlit server (no child process): Ctrl-C and SIGTERM reach it directly and
    # nothing is left running when the command is stopped.
    os.execve(sys.executable, command, env)


SQLITE_MAGIC = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file."""


def _check_sqlite(url: str) -> None:
    """Exit 2 if ``url`` is a SQLite file URL whose file cannot be a record store."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or url == prefix or ":memory:" in url:
        return
    path = Path(url[len(prefix) :].split("?", 1)[0])
    for above in path.parents:
        if above.exists():
            if not above.is_dir():
                fail(f"--db {url}: {above} is a file, so {path} cannot be created")
            break
    if not path.parent.is_dir():
        fail(f"--db {url}: no such folder {path.parent}")
    if path.is_dir():
        fail(f"--db {url}: {path} is a directory, not a database file")
    if path.is_file() and path.stat().st_size > 0:
        with path.open("rb") as file:
            if file.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
                fail(f"--db {url}: {path} is not a SQLite database")
