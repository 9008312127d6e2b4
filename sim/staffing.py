"""How many producers each group needs, interval by interval.

``staffing(scenario, targets)`` finds, for every interval of the open day and every destination
group, the fewest producers on duty such that the calls first offered to that group in that
interval meet every target **at the confidence bound** of the replications (the lower bound for
completion and service level, the upper bound for abandonment and occupancy), not only on
average. Then it adds shrinkage (breaks, training, absence) to turn producers on duty into
headcount, and puts the Erlang A answer for the same interval beside it.

How it searches (at most about four simulations of the scenario, so it stays interactive):

1. **The load, from the scenario.** Each group's expected transfers per interval and its time
   per call come from the scenario itself, not from a simulation (:mod:`sim.staffing_load`):
   the Erlang A column is the analytic answer to that forecast, and does not move with noise.
2. **Start from Erlang A, correct by simulation.** A first round simulates Erlang A's roster
   with half the replications, only to measure how far the model is from the simulation in
   each cell. In each cell, each figure's shortfall (1 − completion, 1 − service level,
   abandonment, occupancy) at the simulation's confidence bound, divided by Erlang A's own at
   the count simulated, scales Erlang A's curve, and the scaled curve proposes the count (a
   secant step: the simulation says how far off the model is here, the model how the figures
   move with one producer more or fewer). Later rounds simulate whole plans at the full
   replications on common random numbers (same seed every round, so a change in a result is
   caused by the change in staffing): failing cells rise to the corrected count, and once
   every cell passes, cells the corrected model says could do with one fewer are tried lower
   while the budget (``max_simulations``) leaves a round to repair a step too far.
3. **Smooth.** A plan that drops for one interval between two higher ones while the load does
   not drop is noise, not need, and a planner would not roster it: each cell's margin over
   Erlang A is raised to at least the median of its own and its neighbours' margins. This only
   adds producers, never removes them; a spike the simulation needed stays.
4. **Verified as a whole.** The plan returned is a roster simulated as a whole in which every
   cell passed (groups and intervals interact through ring-over and queues carried across
   interval boundaries, so cells are never judged one at a time).

**Weekdays.** A scenario with ``[hours.weekdays]`` gets one plan per weekday pattern
(:attr:`StaffingPlan.weekdays`): weekdays sharing hours, volume, profile and campaign share a
plan; closed weekdays get none. Each pattern is searched as above on the scenario whose every
simulated day is that weekday (:func:`sim.staffing_cells.day_scenario`), its Erlang A column
from that weekday's load (:func:`sim.staffing_load.offered_load` with the weekday), and
:meth:`StaffingPlan.roster_overrides` writes the plans back as one roster per group with
``weekdays.<day>`` for the weekdays that differ from the default day.

Each cell is judged on the calls offered in it and in the neighbouring intervals of the same
group (a rolling window of three intervals, as planners read interval service levels): it
triples the calls behind each confidence bound, so a thin half hour does not swing the plan.
The plan's table gives each interval's own figures (means) beside the window's bounds the
targets were checked at, and :meth:`StaffingPlan.warnings` names intervals whose intervals are
still too wide to decide.
Figures are judged on the calls counted in the KPIs (arriving after the warm-up,
:func:`sim.kpis.counted_calls`). The cells, their evaluation and the plan's table are in
:mod:`sim.staffing_cells`; the corrected Erlang A curve and the smoothing in
:mod:`sim.staffing_load`; the targets and the plan's types in :mod:`sim.staffing_plan`.

A cell in which no caller waited or hung up, in any replication, meets its completion, service
level and abandonment targets by definition of what staffing can do: more producers cannot
change it. (Its bound can still be below a target through bridge failures or a handful of calls;
the table's ``nobody_waited`` column shows such cells.)

Where simulation and Erlang A part, the reasons are the model's departures from M/M/n+M:
non-exponential handle or patience times, the AI whisper and wrap-up in the time per call,
ring-over between groups, shift edges, arrivals that vary within an interval, callbacks using
producer time, bridge failures, and queues carried from one interval to the next.
"""

from __future__ import annotations

import time

import numpy as np

from sim._api import callable_module
from sim.execution import Progress
from sim.loader import ScenarioError, derive
from sim.options import DEFAULT_INTERVAL_MINUTES, DEFAULT_REPLICATIONS, DEFAULT_SHRINKAGE
from sim.results import Results, simulate
from sim.scenario import Scenario
from sim.staffing_cells import (
    Grid,
    day_scenario,
    weekday_patterns,
    within_minutes,
)
from sim.staffing_load import (
    CellLoad,
    corrected,
    erlang_a_column,
    fill_dips,
    meets_targets,
    offered_load,
    predicted,
)
from sim.staffing_plan import StaffingError, StaffingPlan, Targets, WeekdayPlan
from sim.staffing_report import planning_notes, targets_phrase

__all__ = ["StaffingError", "StaffingPlan", "Targets", "WeekdayPlan", "staffing"]

_Grid = Grid
"""The cells of a plan (:class:`sim.staffing_cells.Grid`), under the name older code imports."""


# ---------------------------------------------------------------------------------- search
def staffing(
    scenario: Scenario,
    targets: Targets | None = None,
    interval_minutes: int = DEFAULT_INTERVAL_MINUTES,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int | None = None,
    shrinkage: float = DEFAULT_SHRINKAGE,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    max_rounds: int = 12,
    max_producers: int | None = None,
    max_simulations: int = 4,
) -> StaffingPlan:
    """The fewest producers per interval and group that meet ``targets`` (default: the
    scenario's ``[targets]``) at the confidence bound over ``replications`` replications (see
    the module docstring for the search).

    ``max_simulations`` is the budget of whole-day simulations the search aims for (the last
    one verifies the plan; a plan that fails verification gets up to ``max_rounds`` more).
    ``max_producers`` caps any group in any interval (e.g. the seats available); a target that
    needs more raises :class:`StaffingError`. ``progress(done, total)`` counts replications
    simulated against the budget."""
    targets = targets or Targets.from_scenario(scenario)
    targets.check(scenario)
    if interval_minutes not in (15, 30, 60):
        raise StaffingError(f"interval_minutes must be 15, 30 or 60, got {interval_minutes}")
    if not 0 <= shrinkage < 1:
        raise StaffingError(f"shrinkage must be in [0, 1), got {shrinkage}")
    if replications < 2:
        raise StaffingError("need at least 2 replications for a confidence bound")
    if max_simulations < 2:
        raise StaffingError(f"max_simulations must be at least 2, got {max_simulations}")
    if max_producers is not None and max_producers < 1:
        raise StaffingError(f"max_producers must be at least 1, got {max_producers}")
    options = dict(interval_minutes=interval_minutes, replications=replications, seed=seed,
                   shrinkage=shrinkage, workers=workers, scheduler=scheduler,
                   max_rounds=max_rounds, max_producers=max_producers,
                   max_simulations=max_simulations)  # fmt: skip
    if scenario.hours.by_weekday:
        return _weekly(scenario, targets, progress, options)
    return _search(scenario, targets, None, progress=progress, **options)  # type: ignore[arg-type]


def _weekly(scenario: Scenario, targets: Targets, progress: Progress | None,
            options: dict) -> StaffingPlan:  # fmt: skip
    """One plan per weekday pattern (:func:`sim.staffing_cells.weekday_patterns`), each
    searched on the scenario whose every day is that weekday, its load that weekday's."""
    started = time.perf_counter()
    patterns = weekday_patterns(scenario)
    per_pattern = options["max_simulations"] * options["replications"]
    parts = []
    for i, days in enumerate(patterns):

        def step(done: int, total: int, offset: int = i * per_pattern,
                 after: int = (len(patterns) - i - 1) * per_pattern) -> None:  # fmt: skip
            if progress:
                progress(offset + done, offset + total + after)

        try:
            simulated = day_scenario(scenario, days[0])
        except ScenarioError as err:  # pragma: no cover - the scenario validated its weekdays
            raise StaffingError(f"{days[0]}: {err}") from err
        plan = _search(simulated, targets, (scenario, days[0]), progress=step, **options)
        parts.append(WeekdayPlan(days, plan))
    return StaffingPlan.of_weekdays(scenario, targets, parts, time.perf_counter() - started)


def _search(
    scenario: Scenario,
    targets: Targets,
    load_of: tuple[Scenario, str] | None,
    interval_minutes: int,
    replications: int,
    seed: int | None,
    shrinkage: float,
    workers: int,
    scheduler: str | None,
    progress: Progress | None,
    max_rounds: int,
    max_producers: int | None,
    max_simulations: int,
) -> StaffingPlan:
    """The search of one open day (the module docstring), simulating ``scenario``; the load
    is ``scenario``'s default day's, or ``load_of``'s weekday of that scenario."""
    started = time.perf_counter()
    seed = scenario.seed if seed is None else seed
    grid = Grid(scenario, interval_minutes)
    within = within_minutes(targets, scenario)
    failure = scenario.transfer.failure_rate
    source, weekday = load_of if load_of is not None else (scenario, None)
    load = offered_load(source, grid.starts, grid.lengths, weekday)
    active = grid.on_shift & (load.offered_per_day > 0)

    def meets(cell: CellLoad, n: int) -> bool:
        return meets_targets(predicted(cell, n, within, failure), targets, None)

    erlang = erlang_a_column(load, grid.on_shift, meets)
    cap = np.maximum(erlang * 3 + 20, 50)
    if max_producers is not None:
        cap = np.minimum(cap, max_producers)
    budget = float(max_simulations)
    done_reps = [0]
    total = [max_simulations * replications]

    def run(roster: np.ndarray, reps: int) -> Results:
        def step(done: int, _total: int) -> None:
            if progress:
                total[0] = max(total[0], done_reps[0] + reps)
                progress(done_reps[0] + done, total[0])

        results = simulate(derive(scenario, grid.overrides(roster)), reps, seed, workers,
                           scheduler, step)  # fmt: skip
        done_reps[0] += reps
        return results

    # Round 1 simulates Erlang A's roster with half the replications: it only measures how far
    # the model is from the simulation in each cell (the correction), it never passes a plan.
    # Every later roster is a whole plan (dips filled) at the full replications, so the round
    # in which every cell passes has verified the plan it returns.
    lo = np.full(grid.shape, -1)  # largest count known to fail (at full replications)
    n = fill_dips(np.where(active, np.minimum(erlang, cap), 0), erlang, active, cap)
    first = run(n, max(2, replications // 2))
    evaluation = grid.evaluate(first, targets, scenario, judged_as=replications)
    simulations = rounds = 1
    proposal = corrected(grid, load, n, evaluation, active, targets, within, failure, cap)
    failing = ~evaluation["passed"] & active
    n = fill_dips(np.where(failing, np.maximum(proposal, n + 1), np.maximum(proposal, 1) * active),
                   erlang, active, cap)  # fmt: skip
    best: tuple[np.ndarray, dict] | None = None  # the last roster in which every cell passed
    while True:
        evaluation = grid.evaluate(run(n, replications), targets, scenario)
        simulations += 1
        rounds += 1
        failing = ~evaluation["passed"] & active
        lo = np.where(failing & (n > lo), n, lo)
        if (failing & (n >= cap)).any():
            stuck = np.where(failing & (n >= cap), n, -1)
            raise StaffingError(_unreachable(grid, stuck, np.full(grid.shape, -1), cap, targets))
        proposal = corrected(grid, load, n, evaluation, active, targets, within, failure, cap)
        left = budget - done_reps[0] / replications
        if not failing.any():
            best = (n, evaluation)
            # fewer where the corrected model says one fewer still passes (and it was not
            # seen failing), while budget remains to repair a step too far
            lower = active & (proposal < n) & (lo < n - 1)
            if not lower.any() or left < 2:
                break
            n = fill_dips(np.where(lower, np.maximum(proposal, lo + 1), n), erlang, active, cap)
            continue
        if best is not None and left < 1:
            n, evaluation = best  # a step down failed and no budget is left: the verified plan
            break
        if simulations > max_simulations + max_rounds:
            raise StaffingError(
                "the staffing search did not settle (groups and intervals keep pushing load "
                "onto each other); try 30- or 60-minute intervals or more replications"
            )
        # raise failing cells to the corrected count; a cell is judged with its neighbours, so
        # a failing window also lifts its staffed neighbours by one
        window = (grid.pool(failing[None].astype(float))[0] > 0) & active
        up = np.where(failing, np.maximum(proposal, n + 1), np.where(window, n + 1, n))
        n = fill_dips(np.minimum(up, cap), erlang, active, cap)
    table = grid.table(n, erlang, load, evaluation, shrinkage)
    return StaffingPlan(
        scenario, targets, interval_minutes, shrinkage, table, rounds,
        done_reps[0] / replications, time.perf_counter() - started, planning_notes(scenario),
        replications,
    )  # fmt: skip


def _unreachable(grid: Grid, lo, hi, cap, targets: Targets) -> str:
    g, k = np.argwhere((lo >= cap) & (hi < 0))[0]
    asked = targets_phrase(targets, within_minutes(targets, grid.scenario) * 60)
    return (
        f"no number of producers up to {int(cap[g, k])} meets the targets for "
        f"{grid.groups[g]} at {grid.label(k)} ({asked}); the targets are "
        "unreachable for this scenario (e.g. callers too impatient for the completion asked)"
    )


# `sim.staffing(...)` calls staffing() (see sim/_api.py).
callable_module(__name__, staffing)
