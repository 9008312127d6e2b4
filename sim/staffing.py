"""How many producers each group needs, interval by interval.

``staffing(scenario, targets)`` finds, for every interval of the open day and every destination
group, the fewest producers on duty such that the calls first offered to that group in that
interval meet every target **at the confidence bound** of the replications (the lower bound for
completion and service level, the upper bound for abandonment and occupancy), not only on
average. Then it adds shrinkage (breaks, training, absence) to turn producers on duty into
headcount, and puts the Erlang A answer for the same interval beside it.

How it searches (fast enough for a dashboard):

1. **Measure the load.** One run with ample producers everywhere gives each group's offered
   calls per interval (by the group a transfer rings first), its time per call (whisper +
   handle + wrap-up) and the callers' patience.
2. **Start from Erlang A.** Each cell starts at the Erlang A (M/M/n+M) staffing for its load.
3. **Refine by simulation on common random numbers.** Every round simulates the whole day with
   the candidate roster (same seed each round, so a change in the result is caused by the change
   in staffing, not by noise) and bisects each cell between the largest count known to fail and
   the smallest known to pass, stepping out from the Erlang A start with doubling steps.
4. **Verify.** The final roster is simulated once more; any cell that misses its target (groups
   and intervals interact through ring-over and queues carried across interval boundaries) gets
   one more producer until all pass.

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

import math
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

from sim import capacity, theory
from sim._api import callable_module
from sim.execution import Progress
from sim.loader import derive
from sim.overrides import roster_overrides
from sim.results import Results, json_safe, simulate
from sim.scenario import Scenario

__all__ = ["StaffingError", "StaffingPlan", "Targets", "staffing"]

AMPLE = 2_000
"""Producers per group for the load-measuring run (effectively unlimited)."""


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
    simulations: int
    seconds: float
    notes: list[str] = field(default_factory=list)
    """Why simulation and Erlang A may part for this scenario."""

    def roster(self, group: str) -> list[int]:
        """The simulated producers on duty per interval for ``group``."""
        rows = self.table[self.table["group"] == group]
        return [int(n) for n in rows["producers"]]

    def roster_overrides(self) -> dict[str, dict]:
        """Overrides that give the scenario this plan's rosters (to simulate the plan)."""
        rosters = [self.roster(dest.name) for dest in self.scenario.destinations]
        return roster_overrides(rosters, self.interval_minutes)

    def totals(self) -> pd.DataFrame:
        """Per group: producer-hours on duty per day, peak producers and peak headcount, for
        simulation and for Erlang A."""
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

    def to_dict(self) -> dict:
        """JSON-safe form (NaN → None)."""
        return json_safe(
            {
                "scenario": self.scenario.name,
                "interval_minutes": self.interval_minutes,
                "shrinkage": self.shrinkage,
                "targets": dict(self.targets.__dict__),
                "rounds": self.rounds,
                "simulations": self.simulations,
                "seconds": round(self.seconds, 2),
                "intervals": self.table,
                "totals": self.totals(),
                "notes": self.notes,
            }
        )


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
) -> StaffingPlan:
    """The fewest producers per interval and group that meet ``targets`` at the confidence
    bound over ``replications`` replications (see the module docstring for the search).

    ``max_producers`` caps any group in any interval (e.g. the seats available); a target that
    needs more raises :class:`StaffingError`."""
    targets = targets or Targets()
    targets.check(scenario)
    if interval_minutes not in (15, 30, 60):
        raise StaffingError(f"interval_minutes must be 15, 30 or 60, got {interval_minutes}")
    if not 0 <= shrinkage < 1:
        raise StaffingError(f"shrinkage must be in [0, 1), got {shrinkage}")
    if replications < 2:
        raise StaffingError("need at least 2 replications for a confidence bound")
    started = time.perf_counter()
    seed = scenario.seed if seed is None else seed
    grid = _Grid(scenario, interval_minutes)
    run_args = {"replications": replications, "seed": seed, "workers": workers,
                "scheduler": scheduler}  # fmt: skip

    def run(roster: np.ndarray) -> Results:
        return simulate(derive(scenario, grid.overrides(roster)), **run_args)

    # 1. load with ample producers
    load = run(np.full(grid.shape, AMPLE))
    simulations = 1
    offered, work, patience = grid.load(load)
    # 2. Erlang A start
    erlang = grid.erlang(offered, work, patience, targets, scenario)
    cap = np.maximum(erlang * 3 + 20, 50)
    if max_producers is not None:
        if max_producers < 1:
            raise StaffingError(f"max_producers must be at least 1, got {max_producers}")
        cap = np.minimum(cap, max_producers)
        erlang_start = np.minimum(erlang, cap)
    else:
        erlang_start = erlang
    # 3. bisect on common random numbers
    lo = np.full(grid.shape, -1)  # largest count known to fail
    hi = np.full(grid.shape, -1)  # smallest count known to pass (-1: none yet)
    step = np.ones(grid.shape, dtype=int)
    n = erlang_start.copy()
    rounds = 0
    evaluation = None
    while rounds < max_rounds:
        rounds += 1
        results = run(n)
        simulations += 1
        evaluation = grid.evaluate(results, targets, scenario)
        passed = evaluation["passed"]
        hi = np.where(passed & ((hi < 0) | (n < hi)), n, hi)
        lo = np.where(~passed & (n > lo), n, lo)
        done = (hi >= 0) & ((hi - lo <= 1) | (hi == 0))
        if progress:
            progress(int(done.sum()), done.size)
        if done.all():
            break
        if ((lo >= cap) & (hi < 0)).any():
            raise StaffingError(_unreachable(grid, lo, hi, cap, targets))
        up = hi < 0
        down = (lo < 0) & ~up
        stepped_up = np.minimum(lo + step, cap)
        stepped_down = np.maximum(hi - step, 0)
        middle = (lo + hi) // 2
        n = np.where(done, hi, np.where(up, stepped_up, np.where(down, stepped_down, middle)))
        step = np.where(up | down, step * 2, step)
    # 4. verify the final roster; raise any cell that misses
    n = np.where(hi >= 0, hi, np.minimum(lo + 1, cap))
    for _ in range(max_rounds):
        results = run(n)
        simulations += 1
        evaluation = grid.evaluate(results, targets, scenario)
        failing = ~evaluation["passed"]
        if not failing.any():
            break
        if (n[failing] >= cap[failing]).any():
            stuck = np.where(failing & (n >= cap), n, -1)
            raise StaffingError(_unreachable(grid, stuck, np.full(grid.shape, -1), cap, targets))
        n = n + failing
    else:
        raise StaffingError(
            "the staffing search did not settle (groups and intervals keep pushing load onto "
            "each other); try 30- or 60-minute intervals or more replications"
        )
    table = grid.table(n, erlang, offered, work, patience, evaluation, shrinkage)
    return StaffingPlan(
        scenario, targets, interval_minutes, shrinkage, table, rounds, simulations,
        time.perf_counter() - started, _notes(scenario),
    )  # fmt: skip


def _unreachable(grid: _Grid, lo, hi, cap, targets: Targets) -> str:
    g, k = np.argwhere((lo >= cap) & (hi < 0))[0]
    return (
        f"no number of producers up to {int(cap[g, k])} meets the targets for "
        f"{grid.groups[g]} at {grid.label(k)} ({_describe(targets)}); the targets are "
        "unreachable for this scenario (e.g. callers too impatient for the completion asked)"
    )


def _describe(targets: Targets) -> str:
    parts = []
    if targets.transfer_completion is not None:
        parts.append(f"completion ≥ {targets.transfer_completion:g}")
    if targets.service_level is not None:
        parts.append(f"service level ≥ {targets.service_level:g}")
    if targets.max_abandonment is not None:
        parts.append(f"abandonment ≤ {targets.max_abandonment:g}")
    if targets.max_occupancy is not None:
        parts.append(f"occupancy ≤ {targets.max_occupancy:g}")
    return ", ".join(parts)


def _notes(scenario: Scenario) -> list[str]:
    notes = []
    for d in scenario.destinations:
        if d.handle_minutes.dist != "exponential":
            notes.append(f"{d.name}: handle time is {d.handle_minutes.dist}, not exponential")
        if d.wrap_up_minutes.mean_value > 0:
            notes.append(f"{d.name}: wrap-up is part of the time per call")
        if d.shift is not None:
            notes.append(f"{d.name}: shift {d.shift.start}–{d.shift.end} differs from open hours")
    patience = scenario.transfer.patience_minutes
    if patience is not None and patience.dist != "exponential":
        notes.append(f"patience is {patience.dist}, not exponential")
    if scenario.ai.enabled and scenario.transfer.whisper_seconds > 0:
        notes.append("the AI whisper keeps producers busy before each bridge")
    if len(scenario.destinations) > 1:
        notes.append("callers ring over between groups, which Erlang A treats as independent")
    if scenario.transfer.fallback in ("callback", "voicemail"):
        notes.append("callbacks use producer time between live calls")
    if scenario.transfer.failure_rate > 0:
        notes.append("failed bridges release the producer early")
    notes.append(
        "queues carry over from one interval to the next; Erlang A assumes each "
        "interval is in steady state"
    )
    return notes


# ---------------------------------------------------------------------------------- the grid
class _Grid:
    """Groups × intervals of the open day, and the per-cell measurements."""

    def __init__(self, scenario: Scenario, interval_minutes: int):
        self.scenario = scenario
        self.step = interval_minutes
        self.open = scenario.hours.open_minute
        self.close = scenario.hours.close_minute
        self.intervals = capacity.day_intervals(interval_minutes, self.open, self.close)
        self.k = len(self.intervals)
        self.groups = [d.name for d in scenario.destinations]
        self.shape = (len(self.groups), self.k)
        self.starts = starts = self.intervals.lo
        self.lengths = self.intervals.lengths
        self.on_shift = np.array(
            [[_shift_covers(scenario, g, s, e) for s, e in
              zip(starts, starts + self.lengths, strict=True)]
             for g in range(len(self.groups))]
        )  # fmt: skip

    def label(self, k: int) -> str:
        s = int(self.starts[k])
        return f"{s // 60:02d}:{s % 60:02d}"

    def overrides(self, roster: np.ndarray) -> dict:
        return roster_overrides(roster, self.step)

    def _cells(self, calls: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Cell (group, interval) of each offered call, by first group and transfer time."""
        group = calls["first_group"].cat.codes.to_numpy()
        minute = calls["transfer_at"].to_numpy() % 1440
        k = np.floor((minute - self.open) / self.step).astype(int)
        ok = (group >= 0) & (k >= 0) & (k < self.k)
        return np.where(ok, group, -1), np.where(ok, k, -1)

    def load(self, results: Results):
        """Offered calls per day, time per call (minutes) and mean patience per cell."""
        calls = results.calls
        offered_calls = calls[calls["transfer_at"].notna()]
        g, k = self._cells(offered_calls)
        ok = g >= 0
        days = self.scenario.days * results.replications
        offered = np.zeros(self.shape)
        np.add.at(offered, (g[ok], k[ok]), 1)
        offered /= days
        busy = (offered_calls["release_at"] - offered_calls["answer_at"]).to_numpy()
        work = np.zeros(self.shape)
        for gi in range(len(self.groups)):
            mine = ok & (g == gi) & ~np.isnan(busy)
            mean = (
                float(busy[mine].mean())
                if mine.any()
                else (self.scenario.destinations[gi].handle_minutes.mean_value)
            )
            work[gi, :] = mean
        p = self.scenario.transfer.patience_minutes
        patience = np.full(self.shape, math.inf if p is None else p.mean_value)
        return offered, work, patience

    def erlang(self, offered, work, patience, targets: Targets, scenario: Scenario) -> np.ndarray:
        """Erlang A (Erlang C without patience) staffing per cell, capped at 0 off shift."""
        within = _within_minutes(targets, scenario)
        n = np.zeros(self.shape, dtype=int)
        failure = scenario.transfer.failure_rate
        for g in range(self.shape[0]):
            for k in range(self.k):
                lam = offered[g, k] / self.lengths[k]
                if lam <= 0 or not self.on_shift[g, k]:
                    continue
                n[g, k] = _erlang_staff(lam, work[g, k], patience[g, k], targets, within, failure)
        return n

    def evaluate(self, results: Results, targets: Targets,
                 scenario: Scenario) -> dict[str, np.ndarray]:  # fmt: skip
        """Per cell and replication the KPIs, their mean and bound, and whether targets pass."""
        calls = results.calls
        reps = results.replications
        offered_calls = calls[calls["transfer_at"].notna()]
        g, k = self._cells(offered_calls)
        rep = offered_calls["replication"].to_numpy()
        ok = g >= 0
        shape = (reps, *self.shape)
        idx = (rep[ok], g[ok], k[ok])

        def count(mask):
            out = np.zeros(shape)
            np.add.at(out, idx, mask[ok].astype(float))
            return out

        outcome = offered_calls["outcome"].to_numpy()
        wait = offered_calls["wait_minutes"].to_numpy()
        answered = offered_calls["answer_at"].notna().to_numpy()
        within = _within_minutes(targets, scenario)
        offered = count(np.ones(len(outcome), dtype=bool))
        kpis = {
            "transfer_completion": _rate(count(outcome == "connected"), offered),
            "service_level": _rate(count(answered & (wait <= within + 1e-9)), offered),
            "abandonment": _rate(count(outcome == "abandoned"), offered),
        }
        kpis["occupancy"] = self._occupancy(results)
        # Nobody in the cell waited or hung up in any replication: more producers cannot change
        # its completion, service level or abandonment (what is left are bridge failures and
        # the noise of a thin cell), so those targets count as met at this staffing.
        delayed = (wait > 1e-9) | (outcome == "abandoned")
        nobody_waited = count(delayed).sum(axis=0) == 0
        z = special.stdtrit(max(reps - 1, 1), 0.5 + targets.confidence / 2)
        out: dict[str, np.ndarray] = {"offered": offered.mean(axis=0)}
        passed = np.ones(self.shape, dtype=bool)
        checks = {
            "transfer_completion": (targets.transfer_completion, -1),
            "service_level": (targets.service_level, -1),
            "abandonment": (targets.max_abandonment, +1),
            "occupancy": (targets.max_occupancy, +1),
        }
        for name, values in kpis.items():
            mean, sd, n_ok = _mean_sd(values)
            half = np.where(n_ok > 1, z * sd / np.sqrt(np.maximum(n_ok, 1)), 0.0)
            target, sign = checks[name]
            bound = mean + sign * half
            out[f"{name}_mean"] = mean
            out[f"{name}_bound"] = bound
            if target is not None:
                ok_cell = (bound >= target) if sign < 0 else (bound <= target)
                if name != "occupancy":
                    ok_cell |= nobody_waited
                # Cells with no offered calls (or off shift) pass trivially.
                passed &= np.where(np.isnan(bound), True, ok_cell)
        out["passed"] = passed
        out["nobody_waited"] = nobody_waited
        return out

    def _occupancy(self, results: Results) -> np.ndarray:
        """Busy share of producer time on duty per replication and cell: busy minutes inside
        the shift, over producer-minutes on duty in it (the roster simulated), summed over
        days. Busy time running past midnight counts in the next day's first cell."""
        scenario, reps = results.scenario, results.replications
        busy = np.zeros((reps, *self.shape))
        duty = np.zeros(self.shape)
        for g in range(len(self.groups)):
            windows = capacity.shift_windows(scenario, g)
            starts, ends, rep = capacity.producer_busy(results.calls, g)
            busy[:, g, :] = capacity.busy_minutes(
                starts, ends, windows, intervals=self.intervals, keys=rep, n_keys=reps
            )
            duty[g] = capacity.on_duty_minutes(
                capacity.capacity_steps(scenario, g), windows, intervals=self.intervals
            )
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(duty[None] > 0, busy / duty[None], np.nan)

    def table(self, n, erlang, offered, work, patience, ev, shrinkage) -> pd.DataFrame:
        rows = []
        for g, name in enumerate(self.groups):
            for k in range(self.k):
                rows.append(
                    {
                        "group": name,
                        "interval": self.label(k),
                        "on_shift": bool(self.on_shift[g, k]),
                        "offered_per_day": float(offered[g, k]),
                        "minutes_per_call": float(work[g, k]),
                        "producers": int(n[g, k]),
                        "erlang_a": int(erlang[g, k]),
                        "difference": int(n[g, k] - erlang[g, k]),
                        "headcount": math.ceil(n[g, k] / (1 - shrinkage)),
                        "transfer_completion": _f(ev["transfer_completion_mean"][g, k]),
                        "transfer_completion_low": _f(ev["transfer_completion_bound"][g, k]),
                        "service_level": _f(ev["service_level_mean"][g, k]),
                        "service_level_low": _f(ev["service_level_bound"][g, k]),
                        "abandonment": _f(ev["abandonment_mean"][g, k]),
                        "abandonment_high": _f(ev["abandonment_bound"][g, k]),
                        "occupancy": _f(ev["occupancy_mean"][g, k]),
                        "occupancy_high": _f(ev["occupancy_bound"][g, k]),
                        "nobody_waited": bool(ev["nobody_waited"][g, k]),
                    }
                )
        return pd.DataFrame(rows)


def _mean_sd(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean, sample standard deviation and count over axis 0, ignoring NaN (a replication in
    which the cell had no calls)."""
    finite = np.isfinite(values)
    n = finite.sum(axis=0)
    mean = np.where(n > 0, np.where(finite, values, 0).sum(axis=0) / np.maximum(n, 1), np.nan)
    dev = np.where(finite, values - mean, 0.0)
    var = np.where(n > 1, (dev**2).sum(axis=0) / np.maximum(n - 1, 1), 0.0)
    return mean, np.sqrt(var), n


def _f(x) -> float:
    return float(x) if np.isfinite(x) else float("nan")


def _rate(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def _within_minutes(targets: Targets, scenario: Scenario) -> float:
    seconds = (
        targets.answer_within_seconds
        if targets.answer_within_seconds is not None
        else scenario.service_level_seconds
    )
    return seconds / 60.0


def _erlang_staff(lam, aht, patience, targets: Targets, within, failure) -> int:
    """Fewest producers meeting the targets by Erlang A (or Erlang C without patience)."""
    max_abandon = targets.max_abandonment
    if targets.transfer_completion is not None:
        allowed = 1 - targets.transfer_completion / (1 - failure)
        max_abandon = allowed if max_abandon is None else min(max_abandon, allowed)
    # theory needs a service-level target in (0, 1); a negligible one means "no SL target"
    sl = targets.service_level if targets.service_level is not None else 1e-9
    if math.isinf(patience):
        n = theory.staff_erlang_c(
            arrival_rate=lam, handle_minutes=aht, target_service_level=sl,
            answer_within_minutes=within, max_occupancy=targets.max_occupancy or 0.999,
        )  # fmt: skip
    else:
        n = theory.staff_erlang_a(
            arrival_rate=lam, handle_minutes=aht, patience_minutes=patience,
            target_service_level=sl, answer_within_minutes=within,
            max_abandon=max_abandon if max_abandon is None else max(max_abandon, 1e-9),
        )  # fmt: skip
    if targets.max_occupancy is not None:
        # occupancy = carried load / n; the carried load is at most the offered load
        n = max(n, math.ceil(lam * aht / targets.max_occupancy))
    return int(n)


def _shift_covers(scenario: Scenario, g: int, start: float, end: float) -> bool:
    dest = scenario.destinations[g]
    if dest.shift is None:
        return True
    return dest.shift.start_minute < end and dest.shift.end_minute > start


# `sim.staffing(...)` calls staffing() (see sim/_api.py).
callable_module(__name__, staffing)
