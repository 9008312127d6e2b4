"""Staffing: the simulated answer agrees with Erlang A where Erlang A applies, meets its targets
at the confidence bound, reacts to load, and refuses impossible targets."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import load_scenario, simulate, theory
from sim.loader import derive
from sim.paths import shipped_scenarios
from sim.staffing import StaffingError, Targets, staffing
from tests.sim.conftest import queue_scenario


@pytest.fixture(scope="module")
def reference_plan():
    """The brief's case as M/M/n+M: 100 calls per 30 min, AHT 3, patience 5, 80% in 20 s."""
    scenario = queue_scenario(100 / 30, 3.0, 12, patience_minutes=5.0, days=2, warmup_minutes=0)
    targets = Targets(transfer_completion=None, service_level=0.80, answer_within_seconds=20)
    return staffing(scenario, targets, interval_minutes=60, replications=10, seed=5)


def test_reference_case_equals_erlang_a_within_one(reference_plan):
    want = theory.staff_erlang_a(
        arrival_rate=100 / 30, handle_minutes=3, patience_minutes=5,
        target_service_level=0.8, answer_within_minutes=1 / 3,
    )  # fmt: skip
    assert want == 13
    table = reference_plan.table
    assert (table["erlang_a"].between(12, 13)).all()
    assert (np.abs(table["producers"] - want) <= 1).all(), table[["interval", "producers"]]
    # ... and every interval meets the target at the lower confidence bound.
    assert (table["service_level_low"] >= 0.80).all()


def test_one_producer_fewer_misses_somewhere(reference_plan):
    """Minimality: taking one producer from every interval breaks the target (by simulation,
    with the same seed the search used)."""
    roster = np.asarray(reference_plan.roster("Producers")) - 1
    fewer = derive(reference_plan.scenario, {
        "destinations.0.roster": {"interval_minutes": 60, "producers": roster.tolist()}
    })  # fmt: skip
    results = simulate(fewer, replications=10, seed=5)
    sl = results.summary().loc["service_level", "mean"]
    assert sl < 0.80 + 0.02


def test_plan_meets_targets_when_simulated(reference_plan):
    """The roster the plan hands over, simulated with a new seed, meets the target on average."""
    planned = derive(reference_plan.scenario, reference_plan.roster_overrides())
    results = simulate(planned, replications=6, seed=99)
    assert results.summary().loc["service_level", "mean"] >= 0.80


def test_headcount_adds_shrinkage(reference_plan):
    table = reference_plan.table
    expected = [math.ceil(n / 0.7) for n in table["producers"]]
    assert table["headcount"].tolist() == expected


def test_intraday_load_drives_the_roster():
    """A business-day curve needs more producers at the peak than at opening."""
    scenario = load_scenario(shipped_scenarios()["small_agency"], {"days": 3})
    plan = staffing(scenario, Targets(transfer_completion=0.8), interval_minutes=60,
                    replications=4, seed=1)  # fmt: skip
    table = plan.table.set_index("interval")
    assert table.loc["10:00", "offered_per_day"] > 2 * table.loc["08:00", "offered_per_day"]
    assert table.loc["10:00", "producers"] > table.loc["08:00", "producers"]
    assert (plan.table["transfer_completion_low"].fillna(1) >= 0.8).all()


def test_groups_off_shift_need_nobody():
    scenario = load_scenario(shipped_scenarios()["regional_call_center"], {"days": 1})
    plan = staffing(scenario, Targets(transfer_completion=0.8), interval_minutes=60,
                    replications=3, seed=2)  # fmt: skip
    service = plan.table[plan.table["group"] == "Service"].set_index("interval")
    assert not service.loc["19:00", "on_shift"]
    assert service.loc["19:00", "erlang_a"] == 0
    assert set(plan.totals()["group"]) == {"Sales", "Service", "Overflow"}


@pytest.mark.parametrize(
    ("targets", "message"),
    [
        (Targets(transfer_completion=1.0), "cannot be met by any number of producers"),
        (Targets(transfer_completion=None, service_level=1.0), "cannot be met"),
        (Targets(transfer_completion=1.2), "between 0 and 1"),
        (Targets(transfer_completion=None), "at least one target"),
        (Targets(transfer_completion=0.99), "failure_rate"),
    ],
)
def test_impossible_targets_are_refused(targets, message):
    scenario = load_scenario(shipped_scenarios()["small_agency"])  # failure_rate 0.02
    with pytest.raises(StaffingError, match=message):
        staffing(scenario, targets)


def test_zero_patience_is_erlang_b():
    """Callers who hang up the moment they would wait make the queue M/M/n/n: completion is
    1 − Erlang B, and the search agrees with the Erlang B staffing within one producer. (The
    target is checked at the lower confidence bound, so a target with no slack over Erlang B's
    answer would need a very tight interval; 0.94 leaves Erlang B's 10 producers some.)"""
    lam, aht, target = 2.0, 3.0, 0.94
    scenario = queue_scenario(lam, aht, 4, days=4, warmup_minutes=0,
                              transfer={"patience_minutes": {"dist": "fixed", "value": 0},
                                        "fallback": "drop"})  # fmt: skip
    plan = staffing(scenario, Targets(transfer_completion=target), interval_minutes=60,
                    replications=8, seed=1)  # fmt: skip
    erlang_b = next(n for n in range(1, 50) if 1 - theory.erlang_b(n, lam * aht) >= target)
    assert erlang_b == 10
    assert (plan.table["erlang_a"] == erlang_b).all()  # Erlang A with zero patience is Erlang B
    assert (np.abs(plan.table["producers"] - erlang_b) <= 1).all()
    assert (plan.table["transfer_completion_low"] >= target).all()


def test_seat_limit_makes_targets_unreachable():
    """With only three seats, a load that needs about ten producers cannot meet the target:
    a clear error, not an endless search."""
    scenario = queue_scenario(100 / 30, 3.0, 12, patience_minutes=5.0, days=1, warmup_minutes=0)
    with pytest.raises(StaffingError, match="no number of producers up to 3 meets"):
        staffing(scenario, Targets(transfer_completion=0.8), interval_minutes=60,
                 replications=3, seed=1, max_producers=3)  # fmt: skip


@pytest.mark.parametrize("bad", [{"interval_minutes": 45}, {"shrinkage": 1.0},
                                 {"replications": 1}])  # fmt: skip
def test_bad_options(bad):
    scenario = queue_scenario(1.0, 3.0, 4, days=1)
    with pytest.raises(StaffingError):
        staffing(scenario, Targets(), **bad)


# --- the analytic load, Erlang A's figures, the search's budget and smoothing ---------------


@pytest.mark.parametrize(
    "args",
    [
        (100 / 30, 3.0, 5.0, 12, 1 / 3),  # the brief's reference case
        (3.0, 9.0, 2.5, 30, 1 / 3),
        (0.15, 14.0, 2.0, 4, 1 / 3),
        (0.15, 14.0, 2.0, 1, 1 / 3),
        (5.0, 3.0, 50.0, 14, 1 / 3),  # patient callers, heavy load
        (0.5, 10.0, 0.2, 2, 0.1),  # impatient callers
        (2.0, 3.0, 0.0, 5, 1 / 3),  # Erlang B
        (2.0, 3.0, math.inf, 8, 1 / 3),  # Erlang C
    ],
)
def test_fast_erlang_a_figures_equal_theory(args):
    """The search's own Erlang A (uniformization) agrees with sim.theory's exact figures."""
    from sim.staffing_load import erlang_a_figures

    m = theory.erlang_a_metrics(*args)
    p_ab, sl, occ = erlang_a_figures(*args)
    assert p_ab == pytest.approx(m.p_abandon, abs=1e-9)
    assert sl == pytest.approx(m.service_level_answered, abs=1e-9)
    assert occ == pytest.approx(m.occupancy, abs=1e-9)


def test_offered_load_from_the_scenario_matches_the_simulation():
    """The analytic load per group and interval is what the simulation offers on average:
    every cell and each group's day within 4.5 Poisson standard deviations of the simulated
    count."""
    from sim.staffing_cells import Grid
    from sim.staffing_load import offered_load

    scenario = load_scenario(shipped_scenarios()["regional_call_center"], {"days": 2})
    grid = Grid(scenario, 30)
    load = offered_load(scenario, grid.starts, grid.lengths)
    results = simulate(scenario, replications=4, seed=3)
    calls = results.calls[results.calls["transfer_at"].notna()]
    g, k = grid._cells(calls)
    counted = np.zeros(grid.shape)
    np.add.at(counted, (g[g >= 0], k[g >= 0]), 1)
    days = scenario.days * results.replications
    expected = load.offered_per_day * days
    assert (np.abs(counted - expected) <= 4.5 * np.sqrt(expected) + 2).all()
    day, want = counted.sum(axis=1), expected.sum(axis=1)
    assert (np.abs(day - want) <= 4.5 * np.sqrt(want)).all(), (day, want)


@pytest.fixture(scope="module")
def regional_plan():
    scenario = load_scenario(shipped_scenarios()["regional_call_center"], {"days": 2})
    return staffing(scenario, replications=5, seed=7)


def test_defaults_are_the_scenario_targets(regional_plan):
    t = regional_plan.scenario.targets
    assert regional_plan.targets == Targets.from_scenario(regional_plan.scenario)
    assert (regional_plan.targets.max_abandonment, regional_plan.targets.service_level) == (
        t.max_abandonment,
        t.service_level,
    )
    table = regional_plan.table[regional_plan.table["producers"] > 0]
    assert (table["abandonment_high"].fillna(0) <= t.max_abandonment + 1e-9).all()
    assert (table["service_level_low"].fillna(1) >= t.service_level - 1e-9).all()


def test_plan_costs_at_most_four_simulations(regional_plan):
    assert regional_plan.simulations <= 4
    assert regional_plan.replications == 5


def test_plan_has_no_dip_the_load_does_not_show(regional_plan):
    """Within a group's staffed run of intervals, no cell's margin over Erlang A is below both
    neighbours' margins (the noise a planner would smooth away)."""
    for _, part in regional_plan.table.groupby("group", sort=False):
        margin = (part["producers"] - part["erlang_a"]).to_numpy()
        staffed = (part["erlang_a"] > 0).to_numpy()
        for k in range(1, len(margin) - 1):
            if staffed[k - 1 : k + 2].all():
                assert margin[k] >= min(margin[k - 1], margin[k + 1]), part
    # ... and it follows the analytic load: never more than 6 producers from Erlang A
    assert (np.abs(regional_plan.table["producers"] - regional_plan.table["erlang_a"]) <= 6).all()


def test_calls_before_the_warm_up_are_not_judged():
    scenario = queue_scenario(1.0, 3.0, 6, patience_minutes=5.0, days=2, warmup_minutes=0)
    warm = derive(scenario, {"warmup_minutes": 1440})
    targets = Targets(transfer_completion=0.8)
    cold_plan = staffing(scenario, targets, interval_minutes=60, replications=3, seed=1)
    warm_plan = staffing(warm, targets, interval_minutes=60, replications=3, seed=1)
    ratio = warm_plan.table["judged_calls"].sum() / cold_plan.table["judged_calls"].sum()
    assert 0.4 < ratio < 0.6


def test_wide_bounds_are_said_out_loud():
    """A thin plan (few replications, a few calls per interval) warns where its bounds are too
    wide to decide, naming the intervals; the same plan judged with a loose width does not."""
    scenario = load_scenario(shipped_scenarios()["small_agency"], {"days": 2})
    plan = staffing(scenario, interval_minutes=60, replications=3, seed=4)
    spread = plan.table["widest_half_width"].where(plan.table["offered_per_day"] > 0)
    warnings = plan.warnings(width=0.02)
    assert (spread > 0.02).any()  # three replications of two days are thin
    assert "points from its mean" in warnings[0]
    assert plan.table.loc[spread.idxmax(), "interval"] in warnings[0]
    assert plan.warnings(width=1.0) == []
    assert plan.to_dict()["warnings"] == plan.warnings()
