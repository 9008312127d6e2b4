"""Sweeps over scenario keys: parsing ``--grid``, validating every cell before running,
common random numbers, identical results wherever they run, and atomic exports."""

from __future__ import annotations

import json
import math
import socket

import pandas as pd
import pytest

import sim
from sim import overrides
from sim.execution import ExecutionError
from sim.kpis import EXTRA_KPIS, KPI_NAMES
from sim.loader import ScenarioError, derive
from sim.paths import SCENARIOS_DIR
from sim.sweep import SweepResult, parse_grid, sweep

PRODUCERS = "destinations.0.producers"
GRID = {PRODUCERS: [2, 4], "ai.enabled": [True, False]}
REPLICATIONS = 2


@pytest.fixture(scope="module")
def scenario():
    """One day of the small agency: ~150 calls, a few milliseconds per replication."""
    return derive(sim.load_scenario(SCENARIOS_DIR / "small_agency.toml"), {"days": 1})


@pytest.fixture(scope="module")
def result(scenario) -> SweepResult:
    return sweep(scenario, GRID, replications=REPLICATIONS, seed=11)


# --- parse_grid ---------------------------------------------------------------------------


def test_parse_grid_reads_values_as_toml():
    grid = parse_grid(
        [
            "destinations.0.producers=3,4,5",
            "ai.rollout = 0.1, 0.2",
            "ai.enabled=true,false",
            "hours.timezone=ET,CT",
            'name="a, b","c"',
        ]
    )
    assert grid == {
        "destinations.0.producers": [3, 4, 5],
        "ai.rollout": [0.1, 0.2],
        "ai.enabled": [True, False],
        "hours.timezone": ["ET", "CT"],
        "name": ["a, b", "c"],
    }
    assert [type(v) for v in grid["destinations.0.producers"]] == [int, int, int]


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["ai.rollout"], "must look like key=value1,value2"),
        (["=1,2"], "must look like key=value1,value2"),
        (["ai.rollout="], "no values"),
        (["ai.rollout=0.1,,0.2"], "empty value"),
        (["ai.rollout=0.1", "ai.rollout=0.2"], "given twice"),
        (["ai.rollout=0.1,0.1"], "listed twice"),
    ],
)
def test_parse_grid_rejects_malformed_items(items, message):
    with pytest.raises(ScenarioError, match=message):
        parse_grid(items)


def test_parse_grid_errors_are_value_errors():
    with pytest.raises(ValueError, match=r"ai\.rollout"):
        parse_grid(["ai.rollout="])


def test_parse_grid_keeps_one_and_true_apart():
    assert parse_grid(["x=1,true,1.0"]) == {"x": [1, True, 1.0]}


# --- validation before anything runs ------------------------------------------------------


@pytest.fixture
def nothing_runs(monkeypatch):
    """Fail the test if any simulation task is started."""

    def refuse(*args, **kwargs):
        raise AssertionError("tasks were run before the grid was validated")

    monkeypatch.setattr("sim.sweep.run_tasks", refuse)


def test_unknown_grid_key_fails_before_anything_runs(scenario, nothing_runs):
    with pytest.raises(ScenarioError) as caught:
        sweep(scenario, {PRODUCERS: [2, 3], "ai.rolout": [0.1, 0.2]})
    message = str(caught.value)
    assert "ai.rolout: unknown key" in message
    assert "allowed keys here: cost_per_minute, enabled, lines, rollout" in message
    assert message.count("ai.rolout") == 1  # one problem, not one per cell


def test_unknown_top_level_key_names_the_grid_key(scenario, nothing_runs):
    with pytest.raises(ScenarioError, match=r"staff\.size: staff: unknown key; allowed keys"):
        sweep(scenario, {"staff.size": [1]})


def test_bad_value_in_one_cell_fails_before_anything_runs(scenario, nothing_runs):
    with pytest.raises(ScenarioError) as caught:
        sweep(scenario, {PRODUCERS: [2, 3], "ai.rollout": [0.5, 1.5]})
    message = str(caught.value)
    assert "ai.rollout: Input should be less than or equal to 1 (got 1.5)" in message
    assert f"in the cell {PRODUCERS}=2, ai.rollout=1.5 and 1 more" in message


def test_list_index_out_of_range_fails_before_anything_runs(scenario, nothing_runs):
    with pytest.raises(ScenarioError, match="index 3 out of range"):
        sweep(scenario, {"destinations.3.producers": [1]})


@pytest.mark.parametrize("grid", [{PRODUCERS: []}, {PRODUCERS: 3}])
def test_grid_values_must_be_a_non_empty_list(scenario, grid, nothing_runs):
    with pytest.raises(ScenarioError, match=PRODUCERS):
        sweep(scenario, grid)


def test_replications_must_be_positive(scenario, nothing_runs):
    with pytest.raises(ValueError, match="replications must be at least 1"):
        sweep(scenario, GRID, replications=0)


# --- the result ---------------------------------------------------------------------------


def test_table_is_one_row_per_cell_and_replication(result):
    table = result.table
    assert list(table.columns) == [
        "cell",
        PRODUCERS,
        "ai.enabled",
        "replication",
        *KPI_NAMES,
        *EXTRA_KPIS,
    ]
    assert len(table) == 4 * REPLICATIONS
    # The first key varies slowest.
    assert table[PRODUCERS].tolist() == [2, 2, 2, 2, 4, 4, 4, 4]
    assert table["ai.enabled"].tolist() == [True, True, False, False] * 2
    assert table["replication"].tolist() == [0, 1] * 4
    assert result.cells.to_dict(orient="list") == {
        "cell": [0, 1, 2, 3],
        PRODUCERS: [2, 2, 4, 4],
        "ai.enabled": [True, False, True, False],
    }


def test_groups_hold_occupancy_per_cell_replication_and_group(result):
    assert len(result.groups) == 4 * REPLICATIONS  # one producer group
    assert result.groups["producers"].tolist() == [2.0] * 4 + [4.0] * 4


def test_every_cell_uses_the_same_seed_as_simulate(scenario, result):
    """Common random numbers: a cell is exactly ``simulate`` of its variant, same seed."""
    variant = derive(scenario, {PRODUCERS: 4, "ai.enabled": False})
    alone = sim.simulate(variant, replications=REPLICATIONS, seed=11)
    cell = result.table[result.table["cell"] == 3]
    pd.testing.assert_frame_equal(
        cell[["replication", *KPI_NAMES, *EXTRA_KPIS]].reset_index(drop=True),
        alone.kpis[["replication", *KPI_NAMES, *EXTRA_KPIS]],
        check_exact=True,
    )


def test_a_grid_over_lever_keys_gives_the_levers_figures(scenario):
    """A sweep over the keys a lever sets runs the lever's scenario: the same figures, same seed."""
    over = overrides.containment_overrides(scenario, 0.8)
    grid = {key: [value] for key, value in {**over, **overrides.rollout_overrides(0.2)}.items()}
    swept = sweep(scenario, grid, replications=REPLICATIONS, seed=11)
    lever = overrides.with_rollout(overrides.scale_containment(scenario, 0.8), 0.2)
    alone = sim.simulate(lever, replications=REPLICATIONS, seed=11)
    pd.testing.assert_frame_equal(
        swept.table[["replication", *KPI_NAMES, *EXTRA_KPIS]],
        alone.kpis[["replication", *KPI_NAMES, *EXTRA_KPIS]],
        check_exact=True,
    )


def test_the_grid_parser_is_the_one_of_sim_overrides():
    assert parse_grid is overrides.parse_grid


def test_summary_is_tidy_one_row_per_cell_and_kpi(result):
    summary = result.summary()
    assert list(summary.columns) == [
        "cell",
        PRODUCERS,
        "ai.enabled",
        "kpi",
        "mean",
        "ci_low",
        "ci_high",
        "sd",
        "n",
    ]
    assert len(summary) == 4 * len(KPI_NAMES)
    means = result.table.groupby("cell")["transfer_completion_rate"].mean()
    picked = summary[summary["kpi"] == "transfer_completion_rate"].set_index("cell")["mean"]
    pd.testing.assert_series_equal(picked, means, check_names=False)
    assert (summary.loc[summary["kpi"] == "calls", "n"] == REPLICATIONS).all()
    no_ai = summary[(summary["kpi"] == "repeat_explain_rate") & ~summary["ai.enabled"]]
    assert (no_ai["n"] == 0).all()  # NaN replications are left out, not counted
    assert len(result.summary(extra=True)) == 4 * (len(KPI_NAMES) + len(EXTRA_KPIS))
    assert result.summary(kpis=["calls"])["kpi"].unique().tolist() == ["calls"]
    with pytest.raises(ValueError, match="unknown KPI"):
        result.summary(kpis=["nope"])


def test_completion_increases_with_producers(scenario):
    result = sweep(scenario, {PRODUCERS: [1, 2, 3, 5]}, replications=3)
    completion = result.summary(kpis=["transfer_completion_rate"])["mean"].tolist()
    assert completion == sorted(completion)
    assert completion[-1] - completion[0] > 0.2


def test_empty_grid_is_the_scenario_itself(scenario):
    result = sweep(scenario, {}, replications=2, seed=5)
    alone = sim.simulate(scenario, replications=2, seed=5)
    assert result.keys == []
    assert result.table["cell"].tolist() == [0, 0]
    assert result.table["calls"].tolist() == alone.kpis["calls"].tolist()


# --- where it runs ------------------------------------------------------------------------


def test_identical_with_two_worker_processes(scenario, result):
    parallel = sweep(scenario, GRID, replications=REPLICATIONS, seed=11, workers=2)
    pd.testing.assert_frame_equal(parallel.table, result.table, check_exact=True)
    pd.testing.assert_frame_equal(parallel.groups, result.groups, check_exact=True)


def test_identical_on_a_dask_cluster(scenario, result):
    distributed = pytest.importorskip(
        "distributed", reason='needs the dask extra (pip install "warm-handoff-lab[dask]")'
    )
    # Threads on loopback TCP (test_execution uses worker processes).
    with distributed.LocalCluster(
        n_workers=2,
        processes=False,
        threads_per_worker=1,
        host="127.0.0.1",
        protocol="tcp://",
        dashboard_address=None,
    ) as cluster:
        on_dask = sweep(
            scenario, GRID, replications=REPLICATIONS, seed=11, scheduler=cluster.scheduler_address
        )
    pd.testing.assert_frame_equal(on_dask.table, result.table, check_exact=True)
    pd.testing.assert_frame_equal(on_dask.groups, result.groups, check_exact=True)


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_counts_replications_over_all_cells(scenario, workers):
    seen: list[tuple[int, int]] = []
    sweep(
        scenario,
        {PRODUCERS: [2, 3, 4]},
        replications=2,
        workers=workers,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(done, 6) for done in range(1, 7)]


def test_unreachable_scheduler_is_an_execution_error(scenario):
    pytest.importorskip(
        "distributed", reason='needs the dask extra (pip install "warm-handoff-lab[dask]")'
    )
    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ExecutionError, match=f"cannot reach the Dask scheduler at .*:{port}"):
        sweep(scenario, GRID, scheduler=f"tcp://127.0.0.1:{port}", connect_timeout=0.5)


# --- exports ------------------------------------------------------------------------------


def test_csv_round_trip(result, tmp_path):
    path = result.to_csv(tmp_path / "sweep.csv")
    back = pd.read_csv(path)
    pd.testing.assert_frame_equal(back, result.table, check_exact=False, rtol=1e-12)
    summary = pd.read_csv(result.to_csv(tmp_path / "summary.csv", summary=True))
    assert len(summary) == len(result.summary())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.csv", "sweep.csv"]


def test_parquet_round_trip(result, tmp_path):
    path = result.to_parquet(tmp_path / "sweep.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(path), result.table, check_exact=True)
    assert [p.name for p in tmp_path.iterdir()] == ["sweep.parquet"]


def test_parquet_writes_mixed_type_keys_as_text(result, tmp_path):
    table = result.table.copy()
    table[PRODUCERS] = table[PRODUCERS].astype(object)
    table.loc[0, PRODUCERS] = "two"
    mixed = SweepResult(result.scenario, result.seed, result.grid, 2, table, result.groups)
    back = pd.read_parquet(mixed.to_parquet(tmp_path / "mixed.parquet"))
    assert back[PRODUCERS].tolist()[:2] == ["two", "2"]


def test_failed_export_leaves_the_old_file_and_no_temporary(result, tmp_path, monkeypatch):
    path = tmp_path / "sweep.csv"
    path.write_text("old\n")

    def half_then_fail(self, target, **kwargs):
        with open(target, "w") as out:
            out.write("cell,half")
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        result.to_csv(path)
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["sweep.csv"]


def test_to_dict_is_json_safe_with_nan_as_none(result):
    data = result.to_dict()
    text = json.dumps(data, allow_nan=False)  # raises on NaN or numpy types
    assert json.loads(text)["grid"] == {PRODUCERS: [2, 4], "ai.enabled": [True, False]}
    human = [row for row in data["table"] if row["ai.enabled"] is False]
    assert all(row["repeat_explain_rate"] is None for row in human)  # NaN without AI
    assert math.isnan(result.table.loc[~result.table["ai.enabled"], "repeat_explain_rate"].iloc[0])
    assert len(data["table"]) == len(result.table)
    assert len(data["summary"]) == len(result.summary())


def test_a_grid_over_the_seed_key_varies_the_random_numbers(scenario):
    result = sweep(scenario, {"seed": [1, 2]}, replications=1)
    first, second = (sim.simulate(scenario, replications=1, seed=s) for s in (1, 2))
    assert result.table["calls"].tolist() == [first.kpis["calls"][0], second.kpis["calls"][0]]
