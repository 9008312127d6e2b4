"""The cells a staffing plan is made of: producer groups × intervals of the open day, and,
for a scenario with ``[hours.weekdays]``, which weekdays share a day's plan.

:class:`Grid` knows which calls belong to which cell (the group a transfer is first offered to
and the interval it is offered in, counting only calls after the warm-up, as the KPIs do),
judges each cell's figures against the targets at the confidence bound, and lays the plan out
as a table (one row per group and interval).

With weekdays, :func:`weekday_patterns` groups the open weekdays that share hours, volume,
profile and campaign (they share one plan), :func:`day_scenario` gives the scenario whose every
day is one weekday (what that weekday's plan is searched on), and
:func:`weekly_roster_overrides` writes the plans back as one roster with its weekdays.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import special

from sim import capacity
from sim.kpis import counted_calls
from sim.loader import derive
from sim.overrides import roster_overrides
from sim.results import Results
from sim.scenario import Scenario
from sim.staffing_load import OfferedLoad, dials_on
from sim.weekdays import WEEKDAYS, roster_counts, week

if TYPE_CHECKING:  # pragma: no cover
    from sim.staffing import Targets

__all__ = [
    "Grid",
    "day_scenario",
    "default_pattern",
    "weekday_patterns",
    "weekly_roster_overrides",
    "within_minutes",
]


class Grid:
    """Groups × intervals of the open day, and the per-cell measurements."""

    def __init__(self, scenario: Scenario, interval_minutes: int, window: int = 1):
        self.scenario = scenario
        self.window = window
        """Neighbouring intervals on each side pooled with a cell when it is judged."""
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
        return roster_overrides(np.asarray(roster).tolist(), self.step)

    def _cells(self, calls: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Cell (group, interval) of each offered call, by first group and transfer time."""
        group = calls["first_group"].cat.codes.to_numpy()
        minute = calls["transfer_at"].to_numpy() % 1440
        k = np.floor((minute - self.open) / self.step).astype(int)
        ok = (group >= 0) & (k >= 0) & (k < self.k)
        return np.where(ok, group, -1), np.where(ok, k, -1)

    def evaluate(self, results: Results, targets: Targets, scenario: Scenario,
                 judged_as: int | None = None) -> dict[str, np.ndarray]:  # fmt: skip
        """Per cell and replication the KPIs, their mean and bound, and whether targets pass.
        ``judged_as`` sets the bound's width for that many replications (the spread measured
        on fewer: how the bound would look at the full count, for a calibration round)."""
        reps = results.replications
        asked = results.calls["transfer_at"].notna().to_numpy()
        offered_calls = counted_calls(results.calls, scenario, asked)
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
        within = within_minutes(targets, scenario)
        offered = count(np.ones(len(outcome), dtype=bool))
        pooled = self.pool(offered)
        counts = {
            "transfer_completion": count(outcome == "connected"),
            "service_level": count(answered & (wait <= within + 1e-9)),
            "abandonment": count(outcome == "abandoned"),
        }
        # judged on the window; the interval's own figure is reported beside the bound
        kpis = {name: _rate(self.pool(c), pooled) for name, c in counts.items()}
        own = {name: _rate(c, offered) for name, c in counts.items()}
        busy, duty = self._busy_and_duty(results)
        with np.errstate(invalid="ignore", divide="ignore"):
            duty_pooled = self.pool(duty[None])
            kpis["occupancy"] = np.where(duty_pooled > 0, self.pool(busy) / duty_pooled, np.nan)
            own["occupancy"] = np.where(duty[None] > 0, busy / duty[None], np.nan)
        # Nobody in the window waited or hung up in any replication: more producers cannot
        # change its completion, service level or abandonment (what is left are bridge failures
        # and the noise of a thin cell), so those targets count as met at this staffing.
        delayed = (wait > 1e-9) | (outcome == "abandoned")
        nobody_waited = self.pool(count(delayed)).sum(axis=0) == 0
        judged = reps if judged_as is None else judged_as
        z = special.stdtrit(max(judged - 1, 1), 0.5 + targets.confidence / 2)
        out: dict[str, np.ndarray] = {"offered": offered.mean(axis=0),
                                      "judged_calls": pooled.sum(axis=0)}  # fmt: skip
        passed = np.ones(self.shape, dtype=bool)
        checks = {
            "transfer_completion": (targets.transfer_completion, -1),
            "service_level": (targets.service_level, -1),
            "abandonment": (targets.max_abandonment, +1),
            "occupancy": (targets.max_occupancy, +1),
        }
        for name, values in kpis.items():
            mean, sd, n_ok = _mean_sd(values)
            reps_used = n_ok if judged_as is None else np.where(n_ok > 1, judged_as, n_ok)
            half = np.where(n_ok > 1, z * sd / np.sqrt(np.maximum(reps_used, 1)), 0.0)
            target, sign = checks[name]
            bound = mean + sign * half
            out[f"{name}_mean"] = _mean_sd(own[name])[0]
            out[f"{name}_bound"] = bound
            out[f"{name}_half"] = half
            if target is not None:
                ok_cell = (bound >= target) if sign < 0 else (bound <= target)
                if name != "occupancy":
                    ok_cell |= nobody_waited
                # Cells with no offered calls (or off shift) pass trivially.
                passed &= np.where(np.isnan(bound), True, ok_cell)
        out["passed"] = passed
        out["nobody_waited"] = nobody_waited
        return out

    def pool(self, values: np.ndarray) -> np.ndarray:
        """Per replication and cell, the sum over the cell and its neighbouring intervals of
        the same group that are on shift (the window a cell is judged on)."""
        out = values.copy()
        shift = self.on_shift[None]
        for d in range(1, self.window + 1):
            left = np.zeros_like(values)
            left[..., d:] = np.where(shift[..., :-d], values[..., :-d], 0)
            right = np.zeros_like(values)
            right[..., :-d] = np.where(shift[..., d:], values[..., d:], 0)
            out = out + left + right
        return out

    def _busy_and_duty(self, results: Results) -> tuple[np.ndarray, np.ndarray]:
        """Busy producer minutes per replication and cell (inside the shift) and the
        producer-minutes on duty per cell (the roster simulated), summed over days. Busy time
        running past midnight counts in the next day's first cell."""
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
        return busy, duty

    def table(self, n, erlang, load: OfferedLoad, ev, shrinkage: float) -> pd.DataFrame:
        rows = []
        for g, name in enumerate(self.groups):
            for k in range(self.k):
                rows.append(
                    {
                        "group": name,
                        "interval": self.label(k),
                        "on_shift": bool(self.on_shift[g, k]),
                        "offered_per_day": float(load.offered_per_day[g, k]),
                        "minutes_per_call": float(load.minutes_per_call[g, k]),
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
                        "judged_calls": int(ev["judged_calls"][g, k]),
                        "widest_half_width": _f(
                            max(
                                float(ev[f"{m}_half"][g, k])
                                for m in (
                                    "transfer_completion",
                                    "service_level",
                                    "abandonment",
                                    "occupancy",
                                )
                            )
                        ),
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


def within_minutes(targets: Targets, scenario: Scenario) -> float:
    """The service-level threshold in minutes (the targets', else the scenario's)."""
    seconds = (
        targets.answer_within_seconds
        if targets.answer_within_seconds is not None
        else scenario.service_level_seconds
    )
    return seconds / 60.0


def _shift_covers(scenario: Scenario, g: int, start: float, end: float) -> bool:
    dest = scenario.destinations[g]
    if dest.shift is None:
        return True
    return dest.shift.start_minute < end and dest.shift.end_minute > start


# ------------------------------------------------------------------------------- weekdays
def weekday_patterns(scenario: Scenario) -> list[tuple[str, ...]]:
    """The open weekdays grouped by what a plan depends on (hours, volume, profile and whether
    the campaign dials), Monday first: weekdays in one group share one plan. Closed weekdays
    are left out; without ``[hours.weekdays]`` there are none."""
    if not scenario.hours.by_weekday:
        return []
    groups: dict[tuple, list[str]] = {}
    for day in week(scenario):
        if day.closed:
            continue
        profile = tuple(day.profile) if isinstance(day.profile, list) else day.profile
        key = (day.open_minute, day.close_minute, day.volume, profile,
               dials_on(scenario, day))  # fmt: skip
        groups.setdefault(key, []).append(day.name)
    return [tuple(names) for names in groups.values()]


def default_pattern(scenario: Scenario, patterns: list[tuple[str, ...]]) -> int | None:
    """Which pattern is the default day: the one holding a weekday not listed in
    ``[hours.weekdays]``, else one with the default day's hours, volume and profile (None when
    no weekday runs the default day)."""
    listed = scenario.hours.weekdays
    for i, names in enumerate(patterns):
        if any(name not in listed for name in names):
            return i
    plan = week(scenario)
    hours = scenario.hours
    for i, names in enumerate(patterns):
        day = plan[WEEKDAYS.index(names[0])]
        if (day.open_minute, day.close_minute, day.volume, day.profile) == (
            hours.open_minute, hours.close_minute, 1.0, scenario.inbound.profile
        ):  # fmt: skip
            return i
    return None


def day_scenario(scenario: Scenario, weekday: str) -> Scenario:
    """A scenario without weekdays whose every simulated day is ``weekday`` as the engine runs
    it (its hours, volume, profile, rosters, and the campaign only if it dials that day): what
    a weekday's plan is searched and verified on."""
    day = week(scenario)[WEEKDAYS.index(weekday)]
    if day.closed:
        raise ValueError(f"{weekday} is closed; a closed weekday has no plan")
    changes: dict = {
        "hours.weekdays": {},
        "hours.open": _clock(day.open_minute),
        "hours.close": _clock(day.close_minute),
        "inbound.profile": day.profile,
    }
    if day.volume != 1:
        changes["inbound.calls_per_day"] = scenario.inbound.calls_per_day * day.volume
    if scenario.outbound is not None and not dials_on(scenario, day):
        changes["outbound.contacts_per_week"] = 0
    for g, dest in enumerate(scenario.destinations):
        if dest.roster is not None:
            changes[f"destinations.{g}.roster"] = {
                "interval_minutes": dest.roster.interval_minutes,
                "producers": roster_counts(scenario, g, day.weekday),
            }
    return derive(scenario, changes, source=f"<{weekday} of {scenario.name}>")


def weekly_roster_overrides(
    scenario: Scenario, patterns: list[tuple[str, ...]], rosters: list[list[list[int]]],
    interval_minutes: int,
) -> dict[str, dict]:  # fmt: skip
    """Overrides giving the scenario one roster per group with its weekdays: ``rosters[p][g]``
    is pattern ``p``'s roster for group ``g``. The default day's producers come from the
    default pattern (zeros when no weekday runs the default day); each open weekday whose hours
    or counts differ gets ``destinations.N.roster.weekdays.<day>``; closed weekdays none."""
    default = default_pattern(scenario, patterns)
    span = scenario.hours.close_minute - scenario.hours.open_minute
    out = {}
    for g in range(len(scenario.destinations)):
        if default is not None:
            producers = rosters[default][g]
        else:
            producers = [0] * math.ceil(span / interval_minutes)
        weekdays = {
            name: rosters[p][g]
            for p, names in enumerate(patterns)
            for name in names
            if scenario.hours.own_hours(name) or rosters[p][g] != producers
        }
        out[f"destinations.{g}.roster"] = {
            "interval_minutes": interval_minutes,
            "producers": producers,
            "weekdays": weekdays,
        }
    return out


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
