"""The analysis notebooks in ``notebooks/``: each runs top to bottom in a fresh kernel without an
error or a warning, and each is committed without outputs.

The kernel is this interpreter: a ``python3`` kernel spec pointing at ``sys.executable`` is
written to a temporary folder that is searched first (``JUPYTER_PATH``), so a user-level
``python3`` kernel of another Python can never be picked up. The kernel runs in a temporary
working directory with temporary Jupyter, IPython and role-play store locations, so executing
the notebooks writes nothing into the repository or the user's folders.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
REQUIRED = {
    "staffing_what_if", "pilot_sizing", "roleplay_review", "calibration_from_call_log",
    "backtest_against_history",
}  # fmt: skip
CELL_TIMEOUT = 600
"""Seconds any one cell may take (generous: the notebooks take seconds on a laptop)."""


def test_the_analysis_notebooks_exist():
    assert REQUIRED <= {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}, cell {k}: outputs committed; strip them"
            assert cell.execution_count is None, f"{path.name}, cell {k}: execution count"
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.fixture
def kernel_env(tmp_path, monkeypatch):
    """A ``python3`` kernel spec for this interpreter and throw-away Jupyter folders."""
    from ipykernel.kernelspec import write_kernel_spec

    jupyter = tmp_path / "jupyter"
    write_kernel_spec(jupyter / "kernels" / "python3")  # argv[0] = sys.executable
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter))
    # jupyter_core warns (DeprecationWarning, an error under our filterwarnings) that its
    # folders move to platformdirs unless this opt-in is set; opting in silences it and is
    # what the next jupyter_core will do anyway.
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "jupyter-config"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "jupyter-runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("HANDOFF_LAB_DB", f"sqlite:///{tmp_path / 'roleplay.sqlite3'}")
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    return workdir


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, kernel_env):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    # One extra cell at the end reports which Python ran the notebook.
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable, end='')"))
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(kernel_env)}},
    )
    started = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as exc:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # the traceback's terminal colours
        pytest.fail(f"{path.name} failed:\n{plain}", pytrace=False)
    seconds = time.perf_counter() - started

    ran_with = nb.cells[-1].outputs[0]["text"]
    assert Path(ran_with).resolve() == Path(sys.executable).resolve()
    warnings = [
        f"cell {k}: {out['text']}"
        for k, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for out in cell.outputs
        if out.get("name") == "stderr"
    ]
    assert not warnings, f"{path.name} wrote to stderr (warnings?):\n" + "\n".join(warnings)
    print(f"{path.name}: {seconds:.1f} s")
