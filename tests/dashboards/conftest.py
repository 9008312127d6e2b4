"""Shared set-up of the dashboard tests: a fresh practice store and a fresh AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
APP = DASHBOARDS / "app.py"
TIMEOUT = 60


@pytest.fixture(autouse=True)
def practice_db(tmp_path, monkeypatch) -> str:
    """Practice records in a fresh SQLite file per test, never the user's data directory."""
    url = f"sqlite:///{tmp_path / 'practice.sqlite3'}"
    monkeypatch.setenv("HANDOFF_LAB_DB", url)
    return url


@pytest.fixture
def app() -> AppTest:
    """The lab, run once on its default page (Scenario)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    return at


@pytest.fixture
def simulate_page(app: AppTest) -> AppTest:
    """The lab switched to the Simulate page, with few replications to keep tests quick."""
    app.session_state["lever.replications"] = 3
    app.switch_page("views/simulate.py").run()
    assert not app.exception
    return app
