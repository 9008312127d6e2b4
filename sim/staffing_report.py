"""A staffing plan in words and small tables for people (the CLI, the dashboard, notebooks).

Everything here formats figures a :class:`sim.staffing.StaffingPlan` already holds: labelled
columns with their units, percentages and whole producers, one table per group so that the
intervals fit 80 columns, and the sentence that says what the plan was judged against and how
many replications and days it rests on.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from sim.weekdays import WEEKDAYS, week

if TYPE_CHECKING:  # pragma: no cover
    from sim.scenario import Scenario
    from sim.staffing import StaffingPlan, Targets

__all__ = [
    "INTERVAL_COLUMNS",
    "closed_weekdays",
    "evidence",
    "group_table",
    "judged_table",
    "planning_notes",
    "targets_phrase",
    "totals_table",
    "weekday_labels",
]

INTERVAL_COLUMNS = {
    "interval": "Interval",
    "offered_per_day": "Offered per day",
    "producers": "Producers",
    "erlang_a": "Erlang A",
    "headcount": "Headcount",
    "transfer_completion_low": "Completion (95% low)",
    "service_level_low": "Service level (95% low)",
    "abandonment_high": "Abandonment (95% high)",
    "occupancy_high": "Occupancy (95% high)",
}
"""The columns of a group's interval table and their headers."""


def _pct(value: float) -> str:
    return "—" if value is None or not math.isfinite(value) else f"{value:.1%}"


def targets_phrase(targets: Targets, seconds: float) -> str:
    """E.g. "completion ≥ 80%, service level ≥ 80% within 20 s, abandonment ≤ 5%"."""
    parts = []
    if targets.transfer_completion is not None:
        parts.append(f"completion ≥ {targets.transfer_completion:.0%}")
    if targets.service_level is not None:
        parts.append(f"service level ≥ {targets.service_level:.0%} within {seconds:g} s")
    if targets.max_abandonment is not None:
        parts.append(f"abandonment ≤ {targets.max_abandonment:.0%}")
    if targets.max_occupancy is not None:
        parts.append(f"occupancy ≤ {targets.max_occupancy:.0%}")
    return ", ".join(parts)


def weekday_labels(plan: StaffingPlan) -> list[str | None]:
    """The plan's weekday patterns ("tue, wed, thu", "sat"), Monday first, one table each;
    ``[None]`` for a plan without weekdays (one table)."""
    return [p.label for p in plan.weekdays] or [None]


def closed_weekdays(plan: StaffingPlan) -> list[str]:
    """The weekdays the plan's scenario is closed ("sun"), Monday first; none without weekdays."""
    if not plan.weekdays:
        return []
    return [day.name for day in week(plan.scenario) if day.closed]


def _rows(plan: StaffingPlan, group: str, weekdays: str | None) -> pd.DataFrame:
    rows = plan.table[plan.table["group"] == group]
    if weekdays is not None:
        rows = rows[rows["weekdays"] == weekdays]
    return rows


def group_table(plan: StaffingPlan, group: str, weekdays: str | None = None) -> pd.DataFrame:
    """One group's intervals (of the weekday pattern ``weekdays``, a label of
    :func:`weekday_labels`; all rows when None): load, planned producers, Erlang A and
    headcount; every cell formatted text."""
    rows = _rows(plan, group, weekdays)
    return pd.DataFrame(
        {
            INTERVAL_COLUMNS["interval"]: rows["interval"],
            INTERVAL_COLUMNS["offered_per_day"]: rows["offered_per_day"].map(lambda v: f"{v:.1f}"),
            INTERVAL_COLUMNS["producers"]: rows["producers"].map(str),
            INTERVAL_COLUMNS["erlang_a"]: rows["erlang_a"].map(str),
            INTERVAL_COLUMNS["headcount"]: rows["headcount"].map(str),
        }
    ).reset_index(drop=True)


def judged_table(plan: StaffingPlan, group: str, weekdays: str | None = None) -> pd.DataFrame:
    """One group's intervals (of the weekday pattern ``weekdays``, as :func:`group_table`): the
    confidence bounds the targets were judged at (the pessimistic side of each), as
    percentages; "—" off shift."""
    rows = _rows(plan, group, weekdays)
    out = pd.DataFrame({INTERVAL_COLUMNS["interval"]: rows["interval"]})
    for column in ("transfer_completion_low", "service_level_low", "abandonment_high",
                   "occupancy_high"):  # fmt: skip
        out[INTERVAL_COLUMNS[column]] = rows[column].where(rows["on_shift"]).map(_pct)
    return out.reset_index(drop=True)


def totals_table(plan: StaffingPlan) -> pd.DataFrame:
    """Per group, per day: producer hours and peaks, the plan's and Erlang A's (with weekdays,
    per weekday pattern and group, first column "Weekdays")."""
    t = plan.totals()
    weekdays = {"Weekdays": t["weekdays"]} if plan.weekdays else {}
    return pd.DataFrame(
        {
            **weekdays,
            "Group": t["group"],
            "Producer hours per day": t["producer_hours_per_day"].map(lambda v: f"{v:,.1f}"),
            "Erlang A hours per day": t["erlang_a_hours_per_day"].map(lambda v: f"{v:,.1f}"),
            "Peak producers": t["peak_producers"].map(str),
            "Peak Erlang A": t["peak_erlang_a"].map(str),
            "Peak headcount": t["peak_headcount"].map(str),
        }
    )


def evidence(plan: StaffingPlan) -> str:
    """What the plan rests on, how it was smoothed and what it cost, in a sentence or two."""
    seconds = plan.targets.answer_within_seconds or plan.scenario.service_level_seconds
    level = f"{plan.targets.confidence:.0%}"
    closed = [d for d in WEEKDAYS if plan.weekdays and all(d not in p.days for p in plan.weekdays)]
    shared = [p.label for p in plan.weekdays if len(p.days) > 1]
    week = (
        f"One plan per weekday pattern ({len(plan.weekdays)}; "
        + "".join(f"{label} share one plan (same hours, volume and profile); "
                  for label in shared)
        + (f"closed: {', '.join(closed)}, no plan; " if closed else "")
        + f"each simulated on {plan.days} such days). "
        if plan.weekdays else ""
    )  # fmt: skip
    return (
        week + f"Each interval meets {targets_phrase(plan.targets, seconds)} at the {level} "
        f"confidence bound of {plan.replications} replications of {plan.days} days, judged "
        "on its calls and its neighbouring intervals'; one-interval dips the load does not "
        "show are filled (a producer is added, never removed). Headcount adds "
        f"{plan.shrinkage:.0%} shrinkage. The search cost {plan.simulations:.1f} simulations "
        f"({plan.seconds:.1f} s)."
    )


def planning_notes(scenario: Scenario) -> list[str]:
    """Why simulation and Erlang A may part for this scenario (the plan's notes)."""
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
