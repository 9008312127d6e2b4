"""Where the lab's files live: the shipped example scenarios and dashboard app, and the lab's
own data folder (the default record store, the call-log key).

Both ship inside the installed packages and are found with :mod:`importlib.resources`, so they
are there whether the lab runs from a source checkout (``pip install -e .``) or from a wheel:
the scenarios are ``sim/scenarios/*.toml``, the dashboard router is ``dashboards/app.py``.

A shipped scenario can be named by its bare file stem (``small_agency``) wherever a scenario
path is taken (:func:`resolve_scenario`): ``handoff-lab simulate small_agency`` works from any
folder, and a path to a file of your own still works as before.

**The lab's data folder** (:func:`data_dir`) is the folder of the role-play store when
``HANDOFF_LAB_DB`` names a SQLite file, else the user's data folder (``~/.local/share/handoff-lab``
on Linux, as :mod:`platformdirs` has it). The call-log key (:func:`key_file`, the secret that
keys the hashes of call ids and callers, see :mod:`sim.calllog.privacy`) lives there as
``calllog.key``, unless ``HANDOFF_LAB_KEY_FILE`` names another file.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from importlib.resources import files
from pathlib import Path

__all__ = [
    "DASHBOARD_APP",
    "DB_ENV",
    "KEY_FILE_ENV",
    "KEY_FILE_NAME",
    "SCENARIOS_DIR",
    "data_dir",
    "is_bare_name",
    "key_file",
    "resolve_scenario",
    "shipped_scenario",
    "shipped_scenarios",
    "sqlite_file",
    "user_data_dir",
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


DB_ENV = "HANDOFF_LAB_DB"
"""Environment variable naming the role-play store (a SQLAlchemy URL)."""
KEY_FILE_ENV = "HANDOFF_LAB_KEY_FILE"
"""Environment variable naming the call-log key file, instead of the one in :func:`data_dir`."""
KEY_FILE_NAME = "calllog.key"
"""The call-log key's file name in the lab's data folder."""
APP_NAME = "handoff-lab"


def user_data_dir() -> Path:
    """The user's data folder for the lab, where :mod:`platformdirs` puts it (the default store
    is ``roleplay.sqlite3`` in it); worked out the same way without platformdirs, which only
    the role-play extra installs."""
    try:
        import platformdirs
    except ModuleNotFoundError:
        pass
    else:
        return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / APP_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_NAME
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / APP_NAME


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (``sqlite:///records.sqlite3``,
    ``sqlite+pysqlite:////srv/lab/records.sqlite3?timeout=30``), or None for another database or
    an in-memory one."""
    scheme, sep, rest = url.partition(":///")
    if not sep or scheme.split("+")[0] != "sqlite":
        return None
    database = rest.split("?", 1)[0]
    if not database or database.startswith((":memory:", "file::memory:")):
        return None
    return Path(database).expanduser()


def data_dir() -> Path:
    """The lab's data folder: the folder of ``HANDOFF_LAB_DB`` when that is a SQLite file (so
    the lab's files stay beside its records), else :func:`user_data_dir`."""
    database = sqlite_file(os.environ.get(DB_ENV, "").strip())
    return database.parent if database is not None else user_data_dir()


def key_file() -> Path:
    """The call-log key file: ``HANDOFF_LAB_KEY_FILE`` if set, else ``calllog.key`` in
    :func:`data_dir` (created on first use by :func:`sim.calllog.privacy.lab_key`)."""
    given = os.environ.get(KEY_FILE_ENV, "").strip()
    return Path(given).expanduser() if given else data_dir() / KEY_FILE_NAME
