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
:mod:`sim.staffing_load`.

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
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim._api import callable_module
from sim.execution import Progress
from sim.loader import ScenarioError, derive
from sim.overrides import roster_overrides
from sim.results import Results, json_safe, simulate
from sim.scenario import Scenario
from sim.staffing_cells import (
    Grid,
    day_scenario,
    default_pattern,
    weekday_patterns,
    weekly_roster_overrides,
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
from sim.staffing_report import planning_notes, targets_phrase
from sim.weekdays import WEEKDAYS

__all__ = ["StaffingError", "StaffingPlan", "Targets", "WeekdayPlan", "staffing"]

_Grid = Grid
"""The cells of a plan (:class:`sim.staffing_cells.Grid`), under the name older code imports."""


class StaffingError(ValueError):
    """Targets that no number of producers can meet, or bad staffing options."""


@dataclass(frozen=True)
class Targets:
    """What every interval must achieve, for the calls first offered to each group."""

    transfer_completion: float | None = 0.80
    """Minimum share of offered transfers that reach a producer (the field's high-performer
    benchmark is 0.80)."""
    service_level: float | None = None
    """Minimum share answered within ``answer_within_seconds`` (e.g. 0.80)."""
    answer_within_seconds: float | None = None
    """Service-level threshold; default the scenario's ``service_level_seconds``."""
    max_abandonment: float | None = None
    """Maximum share of offered callers who hang up waiting."""
    max_occupancy: float | None = None
    """Maximum producer occupancy (busy share of time on duty)."""
    confidence: float = 0.95
    """Confidence level of the bound the targets are checked at."""

    @classmethod
    def from_scenario(cls, scenario: Scenario, **changes: float | None) -> Targets:
        """The scenario's ``[targets]`` (all four), with ``changes`` (e.g.
        ``service_level=None`` to drop one, or another value)."""
        t = scenario.targets
        values: dict[str, float | None] = {
            "transfer_completion": t.transfer_completion, "service_level": t.service_level,
            "max_abandonment": t.max_abandonment, "max_occupancy": t.max_occupancy,
        }  # fmt: skip
        values.update(changes)
        return cls(**values)  # type: ignore[arg-type]

    def check(self, scenario: Scenario) -> None:
        """Refuse targets that cannot be met or are not rates."""
        problems = []
        for name in ("transfer_completion", "service_level", "max_abandonment", "max_occupancy"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 1:
                problems.append(f"{name} must be between 0 and 1, got {value}")
        for name in ("transfer_completion", "service_level"):
            value = getattr(self, name)
            if value is not None and value >= 1:
                problems.append(
                    f"{name} = {value:g} cannot be met by any number of producers: every caller "
                    "would have to be answered at once, every time. Use a target below 1, "
                    "e.g. 0.95."
                )
        failure = scenario.transfer.failure_rate
        if self.transfer_completion is not None and self.transfer_completion > 1 - failure:
            problems.append(
                f"transfer_completion = {self.transfer_completion:g} is above what the bridge "
                f"allows: with transfer.failure_rate = {failure:g}, at most {1 - failure:.3g} of "
                "transfers can complete however many producers answer"
            )
        if self.max_occupancy is not None and self.max_occupancy <= 0:
            problems.append("max_occupancy must be above 0")
        if not 0.5 <= self.confidence < 1:
            problems.append(f"confidence must be in [0.5, 1), got {self.confidence}")
        if (
            self.transfer_completion is None
            and self.service_level is None
            and self.max_abandonment is None
            and self.max_occupancy is None
        ):
            problems.append("give at least one target")
        if problems:
            raise StaffingError("; ".join(problems))


@dataclass
class StaffingPlan:
    """Producers needed per interval and group, with the evidence for each number."""

    scenario: Scenario
    targets: Targets
    interval_minutes: int
    shrinkage: float
    table: pd.DataFrame
    """One row per group and interval: load, simulated and Erlang A staffing, achieved KPIs."""
    rounds: int
    simulations: float
    """Simulations of the scenario the search ran, in whole-scenario equivalents (a round at
    half the replications counts one half)."""
    seconds: float
    notes: list[str] = field(default_factory=list)
    """Why simulation and Erlang A may part for this scenario."""
    replications: int = 0
    """Replications every simulation of the search ran (the plan's evidence)."""
    weekdays: list[WeekdayPlan] = field(default_factory=list)
    """With ``[hours.weekdays]``: one plan per weekday pattern, Monday first (closed weekdays
    have none); ``table`` is then theirs one after another, with a ``weekdays`` column."""

    @classmethod
    def of_weekdays(cls, scenario: Scenario, targets: Targets, parts: list[WeekdayPlan],
                    seconds: float) -> StaffingPlan:  # fmt: skip
        """The week's plan from its weekday patterns' plans."""
        first = parts[0].plan
        table = pd.concat([p.plan.table.assign(weekdays=p.label) for p in parts],
                          ignore_index=True)  # fmt: skip
        table = table[["weekdays", *first.table.columns]]
        notes = [*first.notes, "each weekday pattern is planned on its own simulated days; "
                 "Erlang A takes that weekday's hours, volume and profile"]  # fmt: skip
        return cls(scenario, targets, first.interval_minutes, first.shrinkage, table,
                   sum(p.plan.rounds for p in parts), sum(p.plan.simulations for p in parts),
                   seconds, notes, first.replications, parts)  # fmt: skip

    @property
    def days(self) -> int:
        """Simulated days per replication."""
        return self.scenario.days

    def weekday_plan(self, weekday: str | None = None) -> StaffingPlan:
        """The plan of ``weekday`` ("sat"), or of the default day (None); this plan itself
        without weekdays."""
        if not self.weekdays:
            return self
        if weekday is None:
            index = default_pattern(self.scenario, [p.days for p in self.weekdays])
            if index is None:
                raise StaffingError("no weekday of this scenario runs the default day; name one")
            return self.weekdays[index].plan
        for part in self.weekdays:
            if weekday in part.days:
                return part.plan
        raise StaffingError(f"{weekday} has no plan (it is closed, or not a weekday name)")

    def roster(self, group: str, weekday: str | None = None) -> list[int]:
        """The simulated producers on duty per interval for ``group`` (on ``weekday``, or the
        default day)."""
        plan = self.weekday_plan(weekday)
        rows = plan.table[plan.table["group"] == group]
        return [int(n) for n in rows["producers"]]

    def roster_overrides(self) -> dict[str, dict]:
        """Overrides that give the scenario this plan's rosters (to simulate the plan): with
        weekdays, ``destinations.N.roster.weekdays.<day>`` for each weekday whose hours or
        counts differ from the default day's."""
        names = [dest.name for dest in self.scenario.destinations]
        if self.weekdays:
            rosters = [[p.plan.roster(name) for name in names] for p in self.weekdays]
            return weekly_roster_overrides(self.scenario, [p.days for p in self.weekdays],
                                           rosters, self.interval_minutes)  # fmt: skip
        return roster_overrides([self.roster(name) for name in names], self.interval_minutes)

    def totals(self) -> pd.DataFrame:
        """Per group: producer-hours on duty per day, peak producers and peak headcount, for
        simulation and for Erlang A. With weekdays, per weekday pattern and group, with the
        pattern's ``days_per_week`` (its open weekdays)."""
        if self.weekdays:
            frames = [p.plan.totals().assign(weekdays=p.label, days_per_week=len(p.days))
                      for p in self.weekdays]  # fmt: skip
            t = pd.concat(frames, ignore_index=True)
            return t[["weekdays", *frames[0].columns[:-2], "days_per_week"]]
        hours = self.interval_minutes / 60
        t = self.table.groupby("group", sort=False).agg(
            producer_hours_per_day=("producers", "sum"),
            erlang_a_hours_per_day=("erlang_a", "sum"),
            peak_producers=("producers", "max"),
            peak_erlang_a=("erlang_a", "max"),
            peak_headcount=("headcount", "max"),
        )
        t["producer_hours_per_day"] *= hours
        t["erlang_a_hours_per_day"] *= hours
        return t.reset_index()

    def warnings(self, width: float = 0.10) -> list[str]:
        """Where the confidence interval is too wide to decide: intervals where some target's
        95% interval reaches more than ``width`` from its mean (few calls behind it)."""
        if self.weekdays:
            return [f"{p.label}: {w}" for p in self.weekdays for w in p.plan.warnings(width)]
        t = self.table[self.table["on_shift"] & (self.table["offered_per_day"] > 0)]
        if t.empty:
            return []
        wide = t[t["widest_half_width"] > width]
        if wide.empty:
            return []
        cells = ", ".join(f"{g} {i}" for g, i in zip(wide["group"], wide["interval"], strict=True))
        return [
            f"{len(wide)} of {len(t)} intervals rest on so few calls that a 95% interval "
            f"reaches more than {width * 100:.0f} points from its mean ({cells}); their counts "
            "may be higher than needed. More replications narrow the intervals"
        ]

    def to_dict(self) -> dict:
        """JSON-safe form (NaN → None)."""
        patterns = [p.days for p in self.weekdays]
        default = default_pattern(self.scenario, patterns) if patterns else None
        return json_safe(
            {
                "scenario": self.scenario.name,
                "interval_minutes": self.interval_minutes,
                "shrinkage": self.shrinkage,
                "targets": dict(self.targets.__dict__),
                "replications": self.replications,
                "days": self.days,
                "rounds": self.rounds,
                "simulations": self.simulations,
                "seconds": round(self.seconds, 2),
                "intervals": self.table,
                "totals": self.totals(),
                "notes": self.notes,
                "warnings": self.warnings(),
                "weekdays": [
                    {"weekdays": list(p.days), "label": p.label, "default_day": i == default}
                    for i, p in enumerate(self.weekdays)
                ],
            }
        )


@dataclass
class WeekdayPlan:
    """The plan of the weekdays that share hours, volume, profile and campaign."""

    days: tuple[str, ...]
    """The weekdays it plans ("tue", "wed", "thu"), Monday first."""
    plan: StaffingPlan
    """Their plan, searched on a scenario whose every day is such a weekday."""

    @property
    def label(self) -> str:
        """The weekdays, runs of three or more shortened: "tue–thu", "mon, wed", "sat"."""
        index = [WEEKDAYS.index(d) for d in self.days]
        runs: list[list[int]] = []
        for k in index:
            if runs and k == runs[-1][-1] + 1:
                runs[-1].append(k)
            else:
                runs.append([k])
        parts = [f"{WEEKDAYS[r[0]]}–{WEEKDAYS[r[-1]]}" if len(r) > 2 else
                 ", ".join(WEEKDAYS[k] for k in r) for r in runs]  # fmt: skip
        return ", ".join(parts)


# ---------------------------------------------------------------------------------- search
def staffing(
    scenario: Scenario,
    targets: Targets | None = None,
    interval_minutes: int = 30,
    replications: int = 10,
    seed: int | None = None,
    shrinkage: float = 0.30,
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
