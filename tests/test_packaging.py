"""The lab as a user installs it: build the wheel, install it (not editable) into a fresh virtual
environment, and from an empty folder list the shipped scenarios, simulate one by its bare name
and start the dashboard, which must serve its pages from the installed package.

Nothing is downloaded: the wheel is built without build isolation (setuptools from this
environment) and the fresh environment reuses this one's installed libraries through a ``.pth``
file written after the wheel is installed (so pip never sees, let alone touches, this
environment's own copy of the lab). Marked ``slow`` (by ``tests/conftest.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import urllib.request
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.dashboards.server_helpers import free_port, running_server

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "sim", "roleplay", "dashboards")
"""What the wheel is built from (copied, so the build never writes into the checkout)."""


def _setuptools_is_recent() -> bool:
    major = int(version("setuptools").split(".")[0])
    return major >= 77


pytestmark = pytest.mark.skipif(
    not _setuptools_is_recent(), reason="needs setuptools>=77 here (the `test` extra brings it)"
)


def run(*command: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The lab's wheel, built from a copy of the sources without network."""
    tmp = tmp_path_factory.mktemp("build")
    src = tmp / "src"
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
            shutil.copytree(source, src / name, ignore=ignore)
        else:
            src.mkdir(exist_ok=True)
            shutil.copy2(source, src / name)
    dist = tmp / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "--quiet", "-w", dist, src, cwd=tmp)  # fmt: skip
    (built,) = dist.glob("warm_handoff_lab-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed (not editable); this environment's
    libraries are reachable after the lab's own, through a ``.pth`` file."""
    env = tmp_path_factory.mktemp("venv") / "venv"
    home = env.parent
    run(sys.executable, "-m", "venv", env, cwd=home)
    python = env / "bin" / "python"
    run(python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", wheel, cwd=home)
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                  cwd=home).stdout.strip()  # fmt: skip
    reused = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (Path(purelib) / "zz_reuse_test_environment.pth").write_text("\n".join(reused) + "\n")
    return env


@pytest.fixture
def empty(tmp_path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def test_the_wheel_holds_the_dashboard_and_the_scenarios(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for stem in ("small_agency", "small_agency_pilot_10", "regional_call_center"):
        assert f"sim/scenarios/{stem}.toml" in names
    assert {"dashboards/__init__.py", "dashboards/app.py", "dashboards/views/simulate.py",
            "sim/cli/__init__.py", "roleplay/cli.py"} <= names  # fmt: skip
    assert any(n.startswith("roleplay/data/scripts/") and n.endswith(".toml") for n in names)
    # the detector's labelled tuning lines and its fitted model (read with importlib.resources)
    assert {"roleplay/data/labelled_lines.jsonl", "roleplay/data/request_model.json"} <= names
    if (ROOT / "roleplay" / "migrations").is_dir():  # the store's schema migrations
        assert "roleplay/migrations/script.py.mako" in names
        assert any(n.startswith("roleplay/migrations/versions/0001") for n in names)
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n]


def test_installed_lab_runs_from_an_empty_folder(venv, empty):
    bin_dir = venv / "bin"
    where = run(bin_dir / "python", "-c", "import sim, dashboards; print(sim.__file__); "
                "print(dashboards.__file__)", cwd=empty).stdout.split()  # fmt: skip
    assert all(Path(p).is_relative_to(venv) for p in where), where  # the wheel, not the checkout

    listed = run(bin_dir / "handoff-lab", "scenarios", cwd=empty).stdout
    for stem in ("small_agency", "small_agency_pilot_10", "regional_call_center", "minimal_queue"):
        assert stem in listed
    rows = json.loads(run(bin_dir / "handoff-lab", "scenarios", "--json", cwd=empty).stdout)
    assert all(Path(row["path"]).is_relative_to(venv) for row in rows)

    result = run(bin_dir / "handoff-lab", "simulate", "small_agency", "--json", cwd=empty)
    payload = json.loads(result.stdout)
    assert payload["scenario"] == "Small life agency"
    assert 0 <= payload["kpis"]["transfer_completion_rate"]["mean"] <= 1
    assert list(empty.iterdir()) == []  # wrote nothing where it ran


def test_installed_dashboard_serves_its_pages(venv, empty, tmp_path, monkeypatch):
    monkeypatch.chdir(empty)  # the server's working folder: nothing of the checkout on its path
    port = free_port()
    command = [str(venv / "bin" / "handoff-lab"), "dashboard", "--port", str(port),
               "--db", f"sqlite:///{tmp_path / 'practice.sqlite3'}"]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    with running_server(command, port, tmp_path / "server.log", env=env):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
            assert b"<html" in response.read().lower()
        elements = _run_page(port, "scenario")
    assert "exception" not in elements, (tmp_path / "server.log").read_text()
    assert "selectbox" in elements  # the scenario picker: the page ran from the installed app


def _run_page(port: int, page: str) -> list[str]:
    """Ask the server for one page run over its websocket, as a browser tab does; the kinds of
    the elements it sent until the run finished."""
    client = pytest.importorskip("websockets.sync.client")
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ClientState_pb2 import ClientState
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    kinds: list[str] = []
    with client.connect(f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"],
                        origin=f"http://127.0.0.1:{port}", max_size=None) as ws:  # fmt: skip
        ws.send(BackMsg(rerun_script=ClientState(page_name=page)).SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=60))
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                kinds.append(msg.delta.new_element.WhichOneof("type"))
            elif kind == "script_finished":
                return kinds
