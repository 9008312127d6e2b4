"""The ``handoff-lab`` command line: readable tables, JSON, output files, exit code 2 on user
mistakes (never a traceback)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from sim import KPI_NAMES
from sim.cli import app
from sim.paths import shipped_scenarios

runner = CliRunner(env={"COLUMNS": "200"})
QUEUE = """
name = "CLI queue"
days = 1
[inbound]
calls_per_day = 150
[[destinations]]
name = "Producers"
producers = 3
handle_minutes = { dist = "exponential", mean = 8 }
[transfer]
patience_minutes = { dist = "exponential", mean = 2 }
"""


@pytest.fixture
def queue_file(tmp_path):
    path = tmp_path / "queue.toml"
    path.write_text(QUEUE, encoding="utf-8")
    return path


def test_simulate_prints_a_kpi_table(queue_file):
    result = runner.invoke(app, ["simulate", str(queue_file), "-r", "3"])
    assert result.exit_code == 0, result.output
    assert "CLI queue" in result.output
    # labels for people (from the KPI registry), not column names
    for label in ("Transfer completion", "Abandonment", "Cost per sale"):
        assert label in result.output
    assert "transfer_completion_rate" not in result.output
    assert "95% CI" in result.output


def test_simulate_json_matches_the_api(queue_file):
    import sim

    result = runner.invoke(app, ["simulate", str(queue_file), "-r", "3", "--seed", "5", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["scenario"] == "CLI queue"
    assert payload["replications"] == 3
    assert set(payload["kpis"]) == set(KPI_NAMES)
    direct = sim.simulate(sim.load_scenario(queue_file), replications=3, seed=5).summary()
    for name in ("abandonment_rate", "mean_wait_minutes", "total_cost"):
        got = payload["kpis"][name]
        assert got["mean"] == pytest.approx(direct.loc[name, "mean"])
        assert got["ci_low"] <= got["mean"] <= got["ci_high"]


def test_set_overrides_change_the_run(queue_file):
    def completion(*extra):
        out = runner.invoke(app, ["simulate", str(queue_file), "-r", "2", "--json", *extra])
        assert out.exit_code == 0, out.output
        return json.loads(out.stdout)["kpis"]["transfer_completion_rate"]["mean"]

    assert completion("--set", "destinations.0.producers=8") > completion()


def test_out_writes_calls_and_kpis(queue_file, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["simulate", str(queue_file), "-r", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    calls = pd.read_parquet(out / "calls.parquet")
    kpis = pd.read_csv(out / "kpis.csv")
    assert len(kpis) == 2
    assert set(KPI_NAMES) <= set(kpis.columns)
    assert set(calls["replication"]) == {0, 1}
    # The calls file is complete: each replication's calls match its KPI row.
    for rep, row in kpis.set_index("replication").iterrows():
        part = calls[calls["replication"] == rep]
        assert (part["outcome"] == "abandoned").sum() == row["abandoned"]
    assert not [p.name for p in out.iterdir() if p.name.startswith(".partial")]


def test_validate_reports_ok_and_broken(queue_file, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(QUEUE.replace("producers = 3", "producers = -1"), encoding="utf-8")
    ok = runner.invoke(app, ["validate", str(queue_file), *map(str, shipped_scenarios().values())])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["validate", str(queue_file), str(broken)])
    assert bad.exit_code == 2
    assert "destinations.0.producers" in bad.output
    assert "Traceback" not in bad.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["simulate", "{missing}"], "file not found"),
        (["simulate", "{file}", "--set", "destinations.5.producers=1"], "out of range"),
        (["simulate", "{file}", "--set", "ai.rollout=2"], "ai.rollout"),
        (["simulate", "{file}", "--set", "nonsense=1"], "unknown key"),
        (["simulate", "{file}", "-r", "0"], "--replications"),
        (["simulate", "{file}", "--out", "{file}"], "not a directory"),
    ],
    ids=["missing", "bad index", "bad rollout", "unknown key", "zero reps", "out is a file"],
)
def test_user_mistakes_exit_2_without_traceback(queue_file, tmp_path, args, message):
    args = [a.format(file=queue_file, missing=tmp_path / "nope.toml") for a in args]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_reference_command_prints_markdown():
    result = runner.invoke(app, ["reference"])
    assert result.exit_code == 0
    assert "`transfer.patience_minutes`" in result.output
