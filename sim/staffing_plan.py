"""What a staffing search is asked and what it answers: the targets every interval must meet
(:class:`Targets`), the plan of producers per interval and group with the evidence for each
number (:class:`StaffingPlan`, one :class:`WeekdayPlan` per weekday pattern of a scenario with
weekdays), and :class:`StaffingError` for targets no staffing can meet.

The search that fills a plan is :func:`sim.staffing.staffing`; every name here is importable
from :mod:`sim.staffing` too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sim.overrides import roster_overrides
from sim.results import json_safe
from sim.scenario import Scenario
from sim.staffing_cells import default_pattern, weekly_roster_overrides
from sim.weekdays import WEEKDAYS

__all__ = ["StaffingError", "StaffingPlan", "Targets", "WeekdayPlan"]


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
