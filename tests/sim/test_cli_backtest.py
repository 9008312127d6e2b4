"""``handoff-lab backtest``: the JSON contract, the tables at 80 columns, and user mistakes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sim.calllog import synthetic_log, write_call_log
from sim.cli import app
from sim.loader import derive, load_scenario
from sim.paths import resolve_scenario

wide = CliRunner(env={"COLUMNS": "200"})
narrow = CliRunner(env={"COLUMNS": "80"})


@pytest.fixture(scope="module")
def calls_csv(tmp_path_factory):
    truth = derive(load_scenario(resolve_scenario("small_agency")), {"days": 6})
    path = tmp_path_factory.mktemp("backtest") / "calls.csv"
    write_call_log(synthetic_log(truth, seed=8), path)
    return path


def test_json_contract(calls_csv):
    out = wide.invoke(app, ["backtest", str(calls_csv), "-r", "4", "--seed", "1", "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["days"] == 6
    assert data["replications"] == 4
    assert data["fitted"] is True
    figures = [r["figure"] for r in data["overall"]]
    assert figures == [
        "abandonment_rate", "p_wait", "mean_wait_minutes", "service_level", "producer_occupancy"
    ]  # fmt: skip
    for row in data["overall"]:
        assert row["verdict"] in ("consistent", "close", "misses", "too few calls")
        assert row["predicted_low"] is None or row["predicted_low"] >= 0
    assert data["verdict"].startswith("The model")


def test_given_scenario_and_tables_at_80_columns(calls_csv):
    args = ["backtest", str(calls_csv), "-r", "3", "--scenario", "small_agency", "--by", "weekday"]
    full, cut = wide.invoke(app, args), narrow.invoke(app, args)
    assert full.exit_code == 0, full.output
    assert cut.exit_code == 0, cut.output
    assert "scenario" in full.stdout
    assert "By weekday" in full.stdout
    for word in ("Abandonment", "Service level", "Producer occupancy", "consistent", "Monday"):
        assert word in full.stdout
    assert set(full.stdout.split()) - set(cut.stdout.split()) <= set("│┃━─┏┓┗┛┡┩└┘╇┳┻")
    assert all(len(line) <= 80 for line in cut.stdout.splitlines())
    assert "…" not in cut.stdout


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--by", "month"], "--by"),
        (["--interval-minutes", "7"], "--interval-minutes"),
        (["--scenario", "no_such_scenario"], "no_such_scenario"),
        (["--chart", "/nonexistent-folder/x.html"], "--chart"),
    ],
)
def test_mistakes_exit_2_naming_the_option(calls_csv, args, named):
    out = wide.invoke(app, ["backtest", str(calls_csv), "-r", "2", *args])
    assert out.exit_code == 2, out.output
    assert named in out.output
    assert "Traceback" not in out.output


def test_missing_log(tmp_path):
    out = wide.invoke(app, ["backtest", str(tmp_path / "none.csv")])
    assert out.exit_code == 2
    assert "none.csv" in out.output
