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


SEGMENTS = [{"name": "priority", "share": 0.4, "priority": 1}, {"name": "standard", "share": 0.6}]


@pytest.fixture(scope="module")
def segmented(tmp_path_factory):
    """Six days of a small agency with two caller segments: its scenario file and its log
    (which names each caller's segment)."""
    from sim.loader import scenario_to_toml

    truth = derive(load_scenario("small_agency"), {"days": 6, "segments": SEGMENTS})
    folder = tmp_path_factory.mktemp("segments")
    (folder / "truth.toml").write_text(scenario_to_toml(truth), encoding="utf-8")
    write_call_log(synthetic_log(truth, seed=8), folder / "calls.csv")
    return folder / "truth.toml", folder / "calls.csv"


def test_by_segment_prints_the_apis_comparison_and_the_breakdown(segmented):
    from sim.backtest import backtest
    from sim.calllog import read_call_log
    from sim.kpis import format as fmt

    scenario_file, calls = segmented
    direct = backtest(read_call_log(calls), load_scenario(scenario_file), replications=3, seed=1)
    assert list(direct.by_segment["segment"].unique()) == ["priority", "standard"]
    args = ["backtest", str(calls), "-r", "3", "--seed", "1", "--scenario", str(scenario_file)]
    out = wide.invoke(app, [*args, "--by", "segment"])
    assert out.exit_code == 0, out.output
    assert "By caller segment" in out.stdout
    boxes = {c: " " for c in range(0x2500, 0x2580)}
    lines = [" ".join(line.translate(boxes).split()) for line in out.stdout.splitlines()]
    start = lines.index("By caller segment")
    shown = [line for line in lines[start:] if line.split()[:1] in (["priority"], ["standard"])]
    assert [line.split()[0] for line in shown] == ["priority", "standard"]
    for line, segment in zip(shown, ["priority", "standard"], strict=True):
        first = direct.by_segment[direct.by_segment["segment"] == segment].iloc[0]
        name = first["figure"]
        assert line.split()[-3:] == [fmt(name, first["observed"]),
                                     fmt(name, first["predicted"]), first["verdict"]]  # fmt: skip
    assert direct.breakdown.startswith("Per interval")
    assert direct.breakdown in " ".join(out.stdout.split())
    assert " ".join(direct.verdict.split()) in " ".join(out.stdout.split())
    data = json.loads(wide.invoke(app, [*args, "--json"]).stdout)
    assert data["breakdown"] == direct.breakdown
    assert data["by_segment"] == direct.to_dict()["by_segment"]


def test_by_segment_without_segments_says_so(calls_csv):
    args = ["backtest", str(calls_csv), "-r", "2", "--scenario", "small_agency", "--by", "segment"]
    out = wide.invoke(app, args)
    assert out.exit_code == 0, out.output
    assert "No per-segment comparison" in out.stdout
    assert "By caller segment" not in out.stdout


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
