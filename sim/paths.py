"""Where the lab's files live: the shipped scenarios and the dashboard app.

The lab is installed from its source checkout (``pip install -e .``), so both sit beside the
``sim`` package: ``scenarios/`` and ``dashboards/app.py`` at the top of the repository.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""Top of the lab's checkout."""
SCENARIOS_DIR = ROOT / "scenarios"
"""The shipped scenario files."""
DASHBOARD_APP = ROOT / "dashboards" / "app.py"
"""The Streamlit router started by ``handoff-lab dashboard``."""


def shipped_scenarios() -> dict[str, Path]:
    """Shipped scenario files by file stem, sorted by name."""
    return {p.stem: p for p in sorted(SCENARIOS_DIR.glob("*.toml"))}
