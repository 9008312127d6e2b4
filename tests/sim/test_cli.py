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


# --- --json on every command that reports: the JSON says what the Python API says ----------


def test_validate_json_matches_the_loader(queue_file, tmp_path):
    from sim.loader import ScenarioError, load_scenario

    gap = tmp_path / "gap.toml"  # the one group takes one trigger: the others can fire unrouted
    only = 'name = "Producers"\ntriggers = ["human_request"]'
    gap.write_text(QUEUE.replace('name = "Producers"', only), encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text(QUEUE.replace("producers = 3", "producers = -1"), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(queue_file), str(gap), str(broken), "--json"])
    assert result.exit_code == 2
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    ok, gapped, bad = payload["files"]
    assert ok == {"path": str(queue_file), "valid": True, "scenario": "CLI queue",
                  "unrouted_triggers": [], "warnings": []}  # fmt: skip
    assert gapped["unrouted_triggers"] == list(load_scenario(gap).routable_gaps())
    assert gapped["unrouted_triggers"]  # the case is a real gap
    assert len(gapped["warnings"]) == len(gapped["unrouted_triggers"])
    with pytest.raises(ScenarioError) as info:
        load_scenario(broken)
    assert bad == {"path": str(broken), "valid": False, "error": str(info.value)}
    assert "destinations.0.producers" in result.stderr  # the message still on stderr
    everything_ok = runner.invoke(app, ["validate", str(queue_file), "--json"])
    assert everything_ok.exit_code == 0
    assert json.loads(everything_ok.stdout)["valid"] is True


def test_reference_json_holds_every_key_of_the_models():
    from sim.reference import scenario_reference
    from sim.scenario import Scenario

    result = runner.invoke(app, ["reference", "--json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    top = payload["sections"][0]
    assert top["title"] == "Top level"
    assert [k["key"] for k in top["keys"]] == list(Scenario.model_fields)
    # one record per table row of the Markdown (keys and distributions alike)
    rows = [line for line in scenario_reference().splitlines() if line.startswith("| `")]
    keys = [k for s in payload["sections"] for k in s["keys"]]
    assert len(keys) + len(payload["distributions"]) == len(rows)
    patience = next(k for k in keys if k["key"] == "transfer.patience_minutes")
    assert set(patience) == {"key", "allowed", "default", "meaning"}
    assert {d["dist"] for d in payload["distributions"]} >= {"exponential", "lognormal"}


@pytest.fixture(scope="module")
def sample_log(tmp_path_factory):
    """A call log written by ``sample-log`` (two days of the small agency, seed 3)."""
    pytest.importorskip("faker")
    path = tmp_path_factory.mktemp("log") / "calls.csv"
    result = runner.invoke(app, ["sample-log", str(path), "--days", "2", "--seed", "3", "--json"])
    assert result.exit_code == 0, result.output
    return path, json.loads(result.stdout)


def test_sample_log_is_the_synthetic_log_of_the_shipped_scenario(sample_log, tmp_path):
    from sim.calllog import synthetic_log, write_call_log
    from sim.loader import load_scenario

    path, payload = sample_log
    by_hand = tmp_path / "by_hand.csv"
    write_call_log(synthetic_log(load_scenario("small_agency", ["days=2"]), seed=3), by_hand)
    assert path.read_bytes() == by_hand.read_bytes()
    frame = pd.read_csv(path)
    assert payload == {"file": str(path), "scenario": "Small life agency", "seed": 3, "days": 2,
                       "calls": len(frame), "first_day": "2024-03-04",
                       "last_day": "2024-03-05"}  # fmt: skip
    again = runner.invoke(app, ["sample-log", str(path)])
    assert again.exit_code == 2
    assert "already exists" in again.stderr


def test_calibrate_json_is_the_calibration(sample_log, tmp_path, monkeypatch):
    from sim.calibrate import calibrate_file

    monkeypatch.setenv("HANDOFF_LAB_KEY_FILE", str(tmp_path / "calllog.key"))
    path, _ = sample_log
    out = tmp_path / "fitted.toml"
    result = runner.invoke(app, ["calibrate", str(path), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    direct = calibrate_file(path)
    assert payload["output"] == str(out)
    assert out.read_text(encoding="utf-8") == direct.to_toml()
    assert (payload["rows_read"], payload["rows_used"], payload["rows_left_out"]) == (
        direct.log.rows_read, direct.log.rows_used, direct.log.rows_with_problems
    )  # fmt: skip
    assert payload["scenario"] == json.loads(
        json.dumps(direct.scenario.model_dump(mode="json", exclude_none=True))
    )
    params = {p["parameter"]: p for p in payload["parameters"]}
    for row in direct.report.parameters.itertuples():
        assert isinstance(params[row.parameter]["estimate"], int | float)
        assert params[row.parameter]["estimate"] == pytest.approx(row.estimate)
    assert sorted(payload["personal_columns_dropped"]) == sorted(direct.log.personal_columns)
    text = result.stdout
    frame = pd.read_csv(path)
    for planted in (frame["caller_name"].iloc[0], frame["caller_email"].iloc[0]):
        assert planted not in text  # no personal data in the JSON either


def test_calibrate_check_json_lists_the_rows_as_read(sample_log):
    from sim.calllog import check_mapping

    path, _ = sample_log
    result = runner.invoke(app, ["calibrate", str(path), "--check", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    direct = check_mapping(path, None)
    assert payload["columns"] == direct.columns
    assert len(payload["rows"]) == len(direct.rows)
    assert payload["rows_read"] == direct.log.rows_read


def test_json_errors_still_exit_2_with_the_message_on_stderr(tmp_path):
    for args in (
        ["calibrate", str(tmp_path / "nope.csv"), "--json"],
        ["validate", str(tmp_path / "nope.toml"), "--json"],
        ["simulate", str(tmp_path / "nope.toml"), "--json"],
        ["sample-log", str(tmp_path / "no" / "such" / "calls.csv"), "--json"],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert "nope" in result.stderr or "no such folder" in result.stderr, args
        assert "Traceback" not in result.output
        if args[0] != "validate":
            assert result.stdout == "", args


def test_every_reporting_command_takes_json():
    """The README's promise, checked against the app itself: every command but the interactive
    and server ones, and the scenario-file helpers, has --json."""
    import typer.main

    click_app = typer.main.get_command(app)
    without = {"dashboard", "roleplay"}
    for name, command in click_app.commands.items():
        if name in without or name == "scenarios":
            continue
        assert "--json" in {o for p in command.params for o in p.opts}, name
    assert "--json" in {o for p in click_app.commands["scenarios"].params for o in p.opts}


@pytest.fixture(scope="module")
def segment_file(tmp_path_factory):
    """The small agency with two caller segments (40% priority), as a TOML file."""
    from sim.loader import derive, load_scenario, scenario_to_toml

    segments = [{"name": "priority", "share": 0.4, "priority": 1},
                {"name": "standard", "share": 0.6}]  # fmt: skip
    scenario = derive(load_scenario("small_agency", ["days=2"]), {"segments": segments})
    path = tmp_path_factory.mktemp("segments") / "segments.toml"
    path.write_text(scenario_to_toml(scenario), encoding="utf-8")
    return path


def _table_rows(text: str, first: str) -> list[list[str]]:
    """The words of each table row of ``text`` that opens with ``first``."""
    boxes = {c: " " for c in range(0x2500, 0x2580)}
    rows = [line.translate(boxes).split() for line in text.splitlines()]
    return [row for row in rows if row and row[0] == first]


def test_simulate_shows_the_segments_unasked_with_the_apis_figures(segment_file):
    import sim
    from sim.kpis import format as fmt

    result = runner.invoke(app, ["simulate", str(segment_file), "-r", "2", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "KPIs by segment" in result.output
    direct = sim.simulate(sim.load_scenario(segment_file), replications=2, seed=5).by_segment()
    assert list(direct["segment"]) == ["priority", "standard"]
    for row in direct.to_dict(orient="records"):
        (shown,) = _table_rows(result.stdout, row["segment"])
        expected = [str(int(row["offered"]))] + [
            fmt(name, row[name])
            for name in ("transfer_completion_rate", "abandonment_rate", "p_wait")
        ]
        assert shown[1:5] == expected
    args = ["simulate", str(segment_file), "-r", "2", "--seed", "5", "--json"]
    payload = json.loads(runner.invoke(app, args).stdout)
    assert [r["offered"] for r in payload["by_segment"]] == list(direct["offered"])
    asked = runner.invoke(app, ["simulate", str(segment_file), "-r", "2", "--by", "trigger"])
    assert "KPIs by trigger" in asked.output
    assert "KPIs by segment" not in asked.output  # --by given: only what it asks


def test_simulate_says_when_a_breakdown_is_not_in_the_scenario(queue_file):
    result = runner.invoke(app, ["simulate", str(queue_file), "-r", "2", "--by", "segment"])
    assert result.exit_code == 0, result.output
    assert "this scenario has no caller segments" in result.output
    assert "KPIs by segment" not in result.output
    assert "Segment" not in result.output
    result = runner.invoke(app, ["simulate", str(queue_file), "-r", "2", "--by", "weekday"])
    assert result.exit_code == 0, result.output
    assert "this scenario has no weekday pattern" in " ".join(result.output.split())
    weekend = runner.invoke(app, ["simulate", "weekend_desk", "-r", "2", "--set", "days=7",
                                  "--by", "weekday", "--by", "segment"])  # fmt: skip
    assert weekend.exit_code == 0, weekend.output
    assert "no weekday pattern" not in weekend.output
    assert _table_rows(weekend.stdout, "sat")  # Saturday's own row
    assert not _table_rows(weekend.stdout, "sun")  # closed on Sunday: no row
    assert "this scenario has no caller segments" in weekend.output
