"""Suite-wide test habits: the markers are applied by rule here, so a test's kind does not
depend on each file remembering to mark itself.

- ``browser``: drives a real headless Chromium (``tests/dashboards/test_browser*.py``);
- ``voice``: speech recognition or synthesis (the ``voice`` extra, flite or espeak-ng);
- ``dask``: starts a local Dask cluster (uses the ``cluster`` fixture, or "dask" in its name);
- ``slow``: long statistical, end-to-end or packaging checks (the modules in :data:`SLOW`, plus
  any test marked ``slow`` itself);
- ``benchmark``: performance benchmarks (``tests/test_benchmarks.py``), left out unless the
  ``-m`` expression names them (``pytest -m benchmark``).

Every kind still runs in the default run (and in CI) except ``benchmark``; select with ``-m``,
e.g. ``pytest -m "not slow and not browser"`` for a quick run.
"""

from __future__ import annotations

import pytest

BROWSER = {"tests/dashboards/test_browser.py", "tests/dashboards/test_browser_voice.py"}
"""Modules whose tests drive a real browser."""
VOICE = {"tests/roleplay/test_speech.py", "tests/dashboards/test_browser_voice.py"}
"""Modules whose tests listen or speak (spoken role-play)."""
SLOW = {
    "tests/test_notebooks.py",
    "tests/test_packaging.py",
    "tests/dashboards/test_browser.py",
    "tests/dashboards/test_browser_voice.py",
    "tests/sim/test_model_vs_theory.py",
    "tests/sim/test_properties.py",
}
"""Modules whose tests are long (statistical checks, notebooks, browser, wheel building)."""
DASK_FIXTURES = {"cluster"}
"""Fixtures that start a Dask cluster."""


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        module = _module(item)
        if module in BROWSER:
            item.add_marker(pytest.mark.browser)
        if module in VOICE:
            item.add_marker(pytest.mark.voice)
        if module in SLOW:
            item.add_marker(pytest.mark.slow)
        if DASK_FIXTURES & set(getattr(item, "fixturenames", ())) or "dask" in item.name.lower():
            item.add_marker(pytest.mark.dask)
    if "benchmark" in (config.getoption("markexpr", "") or ""):
        return
    benchmarks = [item for item in items if item.get_closest_marker("benchmark") is not None]
    if benchmarks:
        config.hook.pytest_deselected(items=benchmarks)
        items[:] = [item for item in items if item.get_closest_marker("benchmark") is None]


@pytest.fixture(scope="session", autouse=True)
def _lab_key_outside_the_users_data(tmp_path_factory: pytest.TempPathFactory):
    """Call-log hashing creates the lab's secret (``calllog.key``) on first use: in the tests it
    goes to a temporary folder (every process the tests start inherits the variable), never
    into the user's own data folder. A test of the key sets its own path over this one."""
    import os

    key = tmp_path_factory.mktemp("lab_key") / "calllog.key"
    before = os.environ.get("HANDOFF_LAB_KEY_FILE")
    os.environ["HANDOFF_LAB_KEY_FILE"] = str(key)
    yield key
    if before is None:
        os.environ.pop("HANDOFF_LAB_KEY_FILE", None)
    else:
        os.environ["HANDOFF_LAB_KEY_FILE"] = before
