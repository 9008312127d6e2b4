"""``dashboard``: start the Streamlit lab (``dashboards/app.py``, shipped in the package) as
this process, so Ctrl-C and SIGTERM reach the server directly."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from sim.cli.shared import app, console, need_modules
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
        env["HANDOFF_LAB_DB"] = db
    command = [
        sys.executable, "-m", "streamlit", "run", str(DASHBOARD_APP),
        "--server.address", address, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    console.print(f"Warm Handoff Lab on http://{address}:{port} (Ctrl-C to stop)")
    sys.stdout.flush()
    # Become the Streamlit server (no child process): Ctrl-C and SIGTERM reach it directly and
    # nothing is left running when the command is stopped.
    os.execve(sys.executable, command, env)
