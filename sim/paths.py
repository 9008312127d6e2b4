"""Where the lab's shipped files live: the example scenarios and the dashboard app.

Both ship inside the installed packages and are found with :mod:`importlib.resources`, so they
are there whether the lab runs from a source checkout (``pip install -e .``) or from a wheel:
the scenarios are ``sim/scenarios/*.toml``, the dashboard router is ``dashboards/app.py``.

A shipped scenario can be named by its bare file stem (``small_agency``) wherever a scenario
path is taken (:func:`resolve_scenario`): ``handoff-lab simulate small_agency`` works from any
folder, and a path to a file of your own still works as before.
"""

from __future__ import annotations

import importlib.util
from importlib.resources import files
from pathlib import Path

__all__ = [
    "DASHBOARD_APP",
    "SCENARIOS_DIR",
    "is_bare_name",
    "resolve_scenario",
    "shipped_scenario",
    "shipped_scenarios",
]

SCENARIOS_DIR = Path(str(files("sim") / "scenarios"))
"""The folder of the shipped scenario files (inside the installed ``sim`` package)."""


def _package_dir(name: str) -> Path:
    """Folder of the installed top-level package ``name``, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the {name!r} package of the lab is not installed", name=name)
    return Path(next(iter(spec.submodule_search_locations)))


DASHBOARD_APP = _package_dir("dashboards") / "app.py"
"""The Streamlit router started by ``handoff-lab dashboard`` (inside the installed
``dashboards`` package, found without importing it or Streamlit)."""


def shipped_scenarios() -> dict[str, Path]:
    """Shipped scenario files by file stem, sorted by name."""
    return {p.stem: p for p in sorted(SCENARIOS_DIR.glob("*.toml"))}


def shipped_scenario(name: str) -> Path | None:
    """The shipped scenario called ``name`` (a file stem such as ``small_agency``, or that stem
    with ``.toml``), or ``None`` if no shipped scenario has that name."""
    stem = name[: -len(".toml")] if name.endswith(".toml") else name
    return shipped_scenarios().get(stem)


def is_bare_name(name: str | Path) -> bool:
    """True for a plain name without a folder part (``small_agency``, ``small_agency.toml``)."""
    text = str(name)
    return bool(text) and "/" not in text and "\\" not in text and text not in (".", "..")


def resolve_scenario(path: str | Path) -> Path:
    """The file a scenario argument names: ``path`` itself if it exists; otherwise, for a bare
    name without a folder part (``small_agency`` or ``small_agency.toml``), the shipped
    scenario of that name; otherwise ``path`` unchanged (the loader then reports it missing)."""
    candidate = Path(path)
    if candidate.exists() or not is_bare_name(path):
        return candidate
    return shipped_scenario(str(path)) or candidate
