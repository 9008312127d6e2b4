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
