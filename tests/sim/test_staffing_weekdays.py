"""Staffing a scenario with weekdays: one plan per weekday pattern, each weekday's Erlang A from
that weekday's own load, closed weekdays without a plan, and the plan written back as rosters
per weekday that simulate to the targets on every weekday."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special

from sim import load_scenario, simulate, theory
from sim.loader import derive
from sim.paths import shipped_scenarios
from sim.results import Results
from sim.staffing import StaffingError, Targets, staffing
from sim.staffing_cells import Grid, day_scenario, weekday_patterns
from sim.staffing_growth import _per_open_day
from sim.staffing_load import offered_load
from sim.weekdays import counted_days_by_weekday
from tests.sim.conftest import queue_scenario

SL = Targets(transfer_completion=None, service_level=0.80, answer_within_seconds=20)


def _saturday_desk(patience: float | None):
    """M/M/n(+M) at one call a minute all day, and a Saturday 09:00-13:00 at 40% of a day's
    calls (flat), closed on Sunday."""
    return queue_scenario(
        1.0, 3.0, 6, patience_minutes=patience, days=7, warmup_minutes=0,
        hours={"open": "00:00", "close": "24:00", "first_weekday": "mon",
               "weekdays": {"sat": {"open": "09:00", "close": "13:00", "volume": 0.4},
                            "sun": {"closed": True}}},
    )  # fmt: skip


@pytest.mark.parametrize("patience", [5.0, None])
def test_saturday_at_constant_rate_is_erlang_a_or_c(patience):
    """Saturday's 576 calls over 4 hours are 2.4 a minute: its Erlang A column is sim.theory's
    head count for that load (Erlang C without patience), not the weekday's 1 a minute."""
    scenario = _saturday_desk(patience)
    plan = staffing(scenario, SL, interval_minutes=60, replications=4, seed=3)
    assert [p.days for p in plan.weekdays] == [("mon", "tue", "wed", "thu", "fri"), ("sat",)]
    saturday = plan.weekday_plan("sat").table
    assert list(saturday["interval"]) == ["09:00", "10:00", "11:00", "12:00"]
    assert np.allclose(saturday["offered_per_day"], 0.4 * 1440 / 4)
    if patience is None:
        want = theory.staff_erlang_c(2.4, 3.0, 0.8, 1 / 3)
        weekday = theory.staff_erlang_c(1.0, 3.0, 0.8, 1 / 3)
    else:
        want = theory.staff_erlang_a(2.4, 3.0, patience, 0.8, 1 / 3)
        weekday = theory.staff_erlang_a(1.0, 3.0, patience, 0.8, 1 / 3)
    assert want > weekday  # the Saturday is busier per minute: a Monday plan would be short
    assert (saturday["erlang_a"] == want).all()
    assert (plan.weekday_plan("mon").table["erlang_a"] == weekday).all()
    assert (saturday["service_level_low"] >= 0.80).all()
    # closed days none: no plan, no rows, no roster
    assert "sun" not in {d for p in plan.weekdays for d in p.days}
    with pytest.raises(StaffingError, match="sun has no plan"):
        plan.weekday_plan("sun")
    assert set(plan.table["weekdays"]) == {"mon–fri", "sat"}
    roster = plan.roster_overrides()["destinations.0.roster"]
    assert set(roster["weekdays"]) == {"sat"}  # own hours; the default day needs no entry
    assert roster["weekdays"]["sat"] == plan.roster("Producers", "sat")
    assert roster["producers"] == plan.roster("Producers")


def test_weekday_load_is_the_day_scenarios_load():
    """One source of truth: the load of a weekday equals the default-day load of the scenario
    whose every day is that weekday, and a closed weekday offers nothing."""
    scenario = load_scenario(shipped_scenarios()["weekend_desk"])
    for day in ("mon", "wed", "sat"):
        alone = day_scenario(scenario, day)
        grid = Grid(alone, 30)
        mine = offered_load(scenario, grid.starts, grid.lengths, day)
        theirs = offered_load(alone, grid.starts, grid.lengths)
        assert np.allclose(mine.offered_per_day, theirs.offered_per_day)
        assert np.allclose(mine.minutes_per_call, theirs.minutes_per_call)
    # Saturday: no campaign (it dials Monday to Friday), so its load is the inbound calls'
    inbound_only = derive(scenario, {"outbound.contacts_per_week": 0})
    sat = Grid(day_scenario(scenario, "sat"), 60)
    load = offered_load(scenario, sat.starts, sat.lengths, "sat").offered_per_day
    assert np.allclose(load, offered_load(inbound_only, sat.starts, sat.lengths, "sat")
                       .offered_per_day)  # fmt: skip
    weekday = Grid(scenario, 60)
    mon = offered_load(scenario, weekday.starts, weekday.lengths, "mon").offered_per_day
    mon_in = offered_load(inbound_only, weekday.starts, weekday.lengths, "mon").offered_per_day
    assert mon.sum() > mon_in.sum()  # ... and Monday's is not
    sunday = offered_load(scenario, weekday.starts, weekday.lengths, "sun")
    assert sunday.offered_per_day.sum() == 0
    assert [names for names in weekday_patterns(scenario)] == [
        ("mon",),
        ("tue", "wed", "thu"),
        ("fri",),
        ("sat",),
    ]


def test_weekdays_equal_to_the_default_day_give_the_default_plan():
    """Every weekday listed as the default day (volume 1, same hours): one pattern, the same
    plan as the scenario without weekdays (same seed, same simulations)."""
    hours = {"open": "08:00", "close": "16:00", "days_per_week": 7}
    base = queue_scenario(0.5, 3.0, 4, patience_minutes=5.0, days=3, warmup_minutes=0, hours=hours)
    weekly = derive(base, {"hours.weekdays": {"mon": {"volume": 1.0}, "sat": {"volume": 1.0}}})
    assert weekly.hours.by_weekday
    plain = staffing(base, SL, interval_minutes=60, replications=4, seed=2)
    plan = staffing(weekly, SL, interval_minutes=60, replications=4, seed=2)
    assert [p.days for p in plan.weekdays] == [("mon", "tue", "wed", "thu", "fri", "sat", "sun")]
    pd.testing.assert_frame_equal(plan.table.drop(columns="weekdays"), plain.table)
    assert plan.roster("Producers", "sat") == plain.roster("Producers")
    roster = plan.roster_overrides()["destinations.0.roster"]
    assert roster["producers"] == plain.roster("Producers")
    assert roster["weekdays"] == {}


def _replication(results: Results, i: int) -> Results:
    """Replication ``i`` alone, as a one-replication result."""
    calls = results.calls[results.calls["replication"] == i].assign(replication=0)
    groups = results.groups[results.groups["replication"] == i].assign(replication=0)
    return Results(results.scenario, results.seed, calls, results.kpis.iloc[[i]], groups)


def test_planned_weekend_desk_meets_its_targets_every_weekday():
    """Round trip: the plan written into the scenario (rosters per weekday) loads, simulates,
    and every open weekday meets the targets at the plan's confidence (Student t over
    replications of the weekday's figures, on another seed). Each weekday's plan rests on
    ``replications × days`` such days; the check simulates the week until its rarest weekday
    (Saturday, twice a fortnight) has as many."""
    scenario = load_scenario(shipped_scenarios()["weekend_desk"])
    plan = staffing(scenario, interval_minutes=60, replications=6)
    roster = plan.roster_overrides()["destinations.0.roster"]
    assert set(roster["weekdays"]) <= {"mon", "fri", "sat"}
    assert "sat" in roster["weekdays"]
    planned = derive(scenario, plan.roster_overrides())
    per_replication = counted_days_by_weekday(planned)
    n = int(np.ceil(plan.replications * plan.days / per_replication[per_replication > 0].min()))
    assert n == 42
    results = simulate(planned, n, scenario.seed + 1)
    reps = [_replication(results, i).by_weekday().set_index("weekday") for i in range(n)]
    assert list(reps[0].index) == ["mon", "tue", "wed", "thu", "fri", "sat"]
    t = plan.targets
    z = special.stdtrit(n - 1, 0.5 + t.confidence / 2)
    checks = {"transfer_completion_rate": (t.transfer_completion, -1),
              "service_level": (t.service_level, -1),
              "abandonment_rate": (t.max_abandonment, +1),
              "producer_occupancy": (t.max_occupancy, +1)}  # fmt: skip
    for column, (target, sign) in checks.items():
        values = pd.concat([r[column] for r in reps], axis=1)
        bound = values.mean(axis=1) + sign * z * values.std(axis=1) / np.sqrt(n)
        ok = bound >= target if sign < 0 else bound <= target
        assert ok.all(), (column, bound)
    # the Saturday plan is not a Monday's: fewer producer-hours on a 4-hour day at 40%
    totals = plan.totals().set_index("weekdays")
    assert totals.loc["sat", "producer_hours_per_day"] < totals.loc["mon", "producer_hours_per_day"]
    assert totals["days_per_week"].sum() == 6


def test_growth_counts_a_week_of_weekday_plans_per_open_day():
    """Hand-computed: five weekdays of 10 producer-hours and a Saturday of 4 are 9 hours per
    open day (not 14, the two plans added); the peak is the busiest pattern's."""
    totals = pd.DataFrame({
        "weekdays": ["mon–fri", "sat"], "group": ["Producers"] * 2,
        "producer_hours_per_day": [10.0, 4.0], "erlang_a_hours_per_day": [8.0, 2.0],
        "peak_producers": [3, 2], "peak_erlang_a": [2, 1], "peak_headcount": [5, 3],
        "days_per_week": [5, 1],
    })  # fmt: skip
    got = _per_open_day(totals)
    assert got == {"producer_hours_per_day": 9.0, "peak_producers": 3, "peak_headcount": 5,
                   "erlang_a_hours_per_day": 7.0}  # fmt: skip
    # without weekdays: the groups' sums, as before
    plain = totals.drop(columns=["weekdays", "days_per_week"]).assign(group=["A", "B"])
    assert _per_open_day(plain)["producer_hours_per_day"] == 14.0
    assert _per_open_day(plain)["peak_producers"] == 5
