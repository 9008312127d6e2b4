"""``handoff-lab scenarios``: the shipped scenarios are listed, named by their bare name in any
command, and copied out to edit without ever overwriting a file; a missing optional extra is
one clear message (exit 2), never a traceback."""

from __future__ import annotations

import json
import sys

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.paths import shipped_scenarios

runner = CliRunner(env={"COLUMNS": "200"})


def test_scenarios_lists_the_shipped_ones():
    result = runner.invoke(app, ["scenarios"])
    assert result.exit_code == 0, result.output
    for stem in shipped_scenarios():
        assert stem in result.output
    listed = json.loads(runner.invoke(app, ["scenarios", "--json"]).stdout)
    assert [row["name"] for row in listed] == list(shipped_scenarios())
    assert {row["scenario"] for row in listed} >= {"Small life agency", "Minimal queue"}


def test_a_bare_name_runs_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["simulate", "minimal_queue", "-r", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["scenario"] == "Minimal queue"
    ok = runner.invoke(app, ["validate", "small_agency", "small_agency_pilot_10.toml"])
    assert ok.exit_code == 0, ok.output


def test_copy_writes_an_editable_file_and_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["scenarios", "copy", "small_agency", "my.toml"])
    assert result.exit_code == 0, result.output
    shipped = shipped_scenarios()["small_agency"].read_text(encoding="utf-8")
    assert (tmp_path / "my.toml").read_text(encoding="utf-8") == shipped
    (tmp_path / "my.toml").write_text("edited", encoding="utf-8")
    again = runner.invoke(app, ["scenarios", "copy", "small_agency", "my.toml"])
    assert again.exit_code == 2
    assert "already exists" in again.output
    assert (tmp_path / "my.toml").read_text(encoding="utf-8") == "edited"
    # No destination: ./NAME.toml; a folder: NAME.toml inside it.
    assert runner.invoke(app, ["scenarios", "copy", "minimal_queue"]).exit_code == 0
    assert (tmp_path / "minimal_queue.toml").is_file()
    (tmp_path / "mine").mkdir()
    pilot = runner.invoke(app, ["scenarios", "copy", "small_agency_pilot_10", "mine"])
    assert pilot.exit_code == 0, pilot.output
    assert "extends" in pilot.output
    copied = tmp_path / "mine" / "small_agency_pilot_10.toml"
    ran = runner.invoke(app, ["simulate", str(copied), "-r", "2", "--json"])  # base: shipped
    assert ran.exit_code == 0, ran.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scenarios", "copy", "no_such"], "no shipped scenario is called 'no_such'"),
        (["scenarios", "copy", "small_agency", "missing/dir/x.toml"], "no such folder"),
        (["scenarios", "show", "no_such"], "shipped: minimal_queue"),
        (["simulate", "no_such"], "no shipped scenario has that name"),
    ],
    ids=["unknown", "no folder", "show unknown", "simulate unknown"],
)
def test_scenario_mistakes_exit_2(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_show_prints_the_toml():
    result = runner.invoke(app, ["scenarios", "show", "minimal_queue"])
    assert result.exit_code == 0
    assert result.stdout == shipped_scenarios()["minimal_queue"].read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "module", "extra"),
    [
        (["simulate", "minimal_queue", "--out", "{tmp}/out"], "pyarrow", "parquet"),
        (
            ["sweep", "minimal_queue", "--grid", "days=1", "--out", "{tmp}/x.parquet"],
            "pyarrow",
            "parquet",
        ),
        (["dashboard"], "streamlit", "dashboard"),
        (["roi", "minimal_queue", "--scheduler", "tcp://127.0.0.1:1"], "distributed", "dask"),
    ],
    ids=["simulate --out", "sweep --out", "dashboard", "roi --scheduler"],
)
def test_a_missing_extra_names_the_extra(tmp_path, monkeypatch, args, module, extra):
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    result = runner.invoke(app, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 2, result.output
    assert f"warm-handoff-lab[{extra}]" in result.output
    assert not (tmp_path / "out").exists()


def test_without_the_roleplay_extra_its_commands_say_what_to_install():
    """Stand-ins replace ``roleplay`` and ``scores`` (checked in a fresh interpreter where the
    role-play libraries cannot be imported); every other command still works."""
    import subprocess

    code = (
        "import sys\n"
        "sys.modules['faker'] = None\n"  # as if not installed
        "from typer.testing import CliRunner\n"
        "from sim.cli import app\n"
        "r = CliRunner()\n"
        "for args in (['roleplay', '--trigger', 'x'], ['scores'], ['scenarios']):\n"
        "    out = r.invoke(app, args)\n"
        "    print(out.exit_code, out.output.replace(chr(10), ' '))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    roleplay, scores, scenarios = done.stdout.splitlines()
    for line in (roleplay, scores):
        assert line.startswith("2 ")
        assert "warm-handoff-lab[roleplay]" in line
    assert scenarios.startswith("0 ")
