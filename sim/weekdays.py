"""The run's calendar: which weekday each simulated day is, that day's open hours, inbound
volume and rosters, and how simulated days count as weeks.

Two kinds of run, decided by ``[hours.weekdays]``:

- **Without it** (every scenario before weekdays existed), every simulated day is the default
  day: ``hours.open``–``hours.close``, ``inbound.calls_per_day`` on ``inbound.profile``, each
  group's roster. Simulated days are *open* days; for the per-weekday breakdown they are read as
  the first ``hours.days_per_week`` weekdays from ``hours.first_weekday`` (Monday to Friday by
  default), week after week.
- **With it**, simulated days are *calendar* days from ``hours.first_weekday``: day 0 is that
  weekday, day 1 the next, and so on through weekends. A listed weekday has its own hours,
  volume, profile and rosters, or is closed (no calls, no producers, no dials); a weekday not
  listed is the default day.

**A week** (for the ROI's per-week and per-month figures) is ``hours.days_per_week`` open days:
the run's weeks are its open days divided by ``days_per_week`` (:func:`weeks`). Without
weekdays that is ``days / days_per_week`` as before; with them it is exact for runs of whole
weeks (14 calendar days of a Monday-to-Saturday agency are 12 open days, 2 weeks) and counts a
part-week by its open days.

**The outbound campaign** dials on its ``outbound.days_per_week`` days of the week: every
simulated day without weekdays; with them, the first ``outbound.days_per_week`` open weekdays
counted from Monday (:func:`campaign_days`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.scenario_base import WEEKDAYS, clock_minutes

if TYPE_CHECKING:
    from sim.scenario import Scenario

_DAY = 1440.0
"""Minutes in a day (model time is minutes from the start of day 0)."""

__all__ = [
    "WEEKDAYS",
    "Day",
    "campaign_days",
    "check_weekdays",
    "counted_days_by_weekday",
    "day_weekdays",
    "open_days",
    "open_runs",
    "roster_counts",
    "run_days",
    "week",
    "weeks",
]


@dataclass(frozen=True)
class Day:
    """One weekday as the engine runs it."""

    weekday: int
    """0 is Monday … 6 Sunday."""
    closed: bool
    open_minute: int
    """Opening minute of the day (0 when closed)."""
    close_minute: int
    """Closing minute of the day (0 when closed)."""
    volume: float
    """Inbound volume relative to ``inbound.calls_per_day``."""
    profile: Any
    """That day's profile: a list of weights, or the name of a profile."""
    own_hours: bool
    """Open with hours other than the default day's."""

    @property
    def name(self) -> str:
        return WEEKDAYS[self.weekday]


def week(scenario: Scenario) -> list[Day]:
    """The seven weekdays, Monday first, as the engine runs them."""
    hours, days = scenario.hours, []
    for k, name in enumerate(WEEKDAYS):
        day = hours.weekday(name)
        if day.closed:
            days.append(Day(k, True, 0, 0, 0.0, scenario.inbound.profile, False))
            continue
        open_, close = clock_minutes(day.open or ""), clock_minutes(day.close or "")
        profile = day.profile if day.profile is not None else scenario.inbound.profile
        own = hours.own_hours(name)
        days.append(Day(k, False, open_, close, day.volume, profile, own))
    return days


def day_weekdays(scenario: Scenario, days: int | None = None) -> np.ndarray:
    """The weekday (0 Monday … 6 Sunday) of each simulated day (``scenario.days`` by
    default)."""
    n = scenario.days if days is None else days
    first = WEEKDAYS.index(scenario.hours.first_weekday)
    if scenario.hours.by_weekday:
        return (first + np.arange(n)) % 7
    cycle = (first + np.arange(scenario.hours.days_per_week)) % 7
    return cycle[np.arange(n) % len(cycle)]


def run_days(scenario: Scenario) -> list[Day]:
    """Each simulated day, in order."""
    plan = week(scenario)
    return [plan[k] for k in day_weekdays(scenario)]


def open_days(scenario: Scenario) -> np.ndarray:
    """Whether each simulated day is open (all of them without weekdays)."""
    closed = np.array([d.closed for d in week(scenario)])
    return ~closed[day_weekdays(scenario)]


def weeks(scenario: Scenario) -> float:
    """The weeks one replication simulates: its open days / ``hours.days_per_week`` (the ROI's
    per-week and per-month figures divide by it)."""
    return float(open_days(scenario).sum()) / scenario.hours.days_per_week


def open_runs(scenario: Scenario) -> np.ndarray:
    """The open simulated days as (start, end) minutes, adjacent days merged (the whole run
    without weekdays; closed weekdays left out)."""
    opened = open_days(scenario)
    edges = np.diff(np.r_[0, opened.astype(np.int8), 0])
    first, after = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return np.column_stack([first * _DAY, after * _DAY])


def counted_days_by_weekday(scenario: Scenario, replications: int = 1) -> np.ndarray:
    """Open days counted of each weekday (index 0 Monday … 6 Sunday; 0 for a closed one),
    after the warm-up (a fraction for the day it ends in), summed over ``replications``:
    what a weekday's per-day figures divide by."""
    starts = np.arange(scenario.days) * _DAY
    warm = scenario.warmup_minutes
    covered = (np.clip(starts + _DAY, warm, None) - np.clip(starts, warm, None)) / _DAY
    covered[~open_days(scenario)] = 0.0
    by_day: np.ndarray = np.bincount(day_weekdays(scenario), weights=covered, minlength=7)
    return by_day * replications


def _campaign_weekdays(scenario: Scenario) -> list[int]:
    out = scenario.outbound
    open_ = [d.weekday for d in week(scenario) if not d.closed]
    per_week = out.days_per_week if out is not None else len(open_)
    return open_[:per_week]


def campaign_days(scenario: Scenario) -> np.ndarray:
    """The simulated days the outbound campaign dials on (indices): every day without
    weekdays; with them, the days of its first ``outbound.days_per_week`` open weekdays from
    Monday."""
    if not scenario.hours.by_weekday:
        return np.arange(scenario.days)
    dialling = np.isin(day_weekdays(scenario), _campaign_weekdays(scenario))
    return np.flatnonzero(dialling)


def roster_counts(scenario: Scenario, group: int, weekday: int) -> list[int] | None:
    """The group's roster (producers per interval from that day's opening) on ``weekday``, or
    None without a roster."""
    roster = scenario.destinations[group].roster
    if roster is None:
        return None
    name = WEEKDAYS[weekday]
    return list(roster.weekdays.get(name, roster.producers))  # type: ignore[call-overload]


def _intervals(day: Day, minutes: int) -> int:
    return math.ceil((day.close_minute - day.open_minute) / minutes)


def check_weekdays(scenario: Scenario) -> None:
    """The cross-checks of a scenario's weekdays: each weekday's profile and roster lengths, a
    list profile on a day with its own hours, the campaign's days. Raises ``ValueError`` whose
    message starts with the key."""
    hours, inbound = scenario.hours, scenario.inbound
    plan = week(scenario)
    step = inbound.interval_minutes
    for day in plan:
        if day.closed:
            continue
        key = f"hours.weekdays.{day.name}.profile"
        need = _intervals(day, step)
        own = hours.weekdays.get(day.name)  # type: ignore[call-overload]
        span = f"{day.name}'s hours {_clock(day.open_minute)}–{_clock(day.close_minute)}"
        if own is not None and own.profile is not None:
            if len(own.profile) != need:
                raise ValueError(
                    f"{key}: {len(own.profile)} weights given, but {span} in {step}-minute "
                    f"intervals need {need}"
                )
        elif day.own_hours and isinstance(inbound.profile, list):
            raise ValueError(
                f"{key}: missing; inbound.profile is a list for the default day, so {span} need "
                f"their own list of {need} weights (or use a named inbound.profile)"
            )
    for i, dest in enumerate(scenario.destinations):
        if dest.roster is None:
            continue
        key = f"destinations.{i}.roster.weekdays"
        if dest.roster.weekdays and not hours.by_weekday:
            raise ValueError(
                f"{key}: per-weekday rosters need [hours.weekdays] (simulated days are then "
                "calendar days); add it, e.g. [hours.weekdays.sun] closed = true"
            )
        minutes = dest.roster.interval_minutes
        for day in plan:
            given = dest.roster.weekdays.get(day.name)  # type: ignore[call-overload]
            span = f"{day.name}'s hours {_clock(day.open_minute)}–{_clock(day.close_minute)}"
            if day.closed:
                if given is not None:
                    raise ValueError(f"{key}.{day.name}: {day.name} is closed; drop its roster")
                continue
            need = _intervals(day, minutes)
            if given is None and day.own_hours:
                raise ValueError(
                    f"{key}.{day.name}: missing; {span} differ from the default day's, so the "
                    f"roster needs that day's {need} counts ({minutes}-minute intervals)"
                )
            if given is not None and len(given) != need:
                raise ValueError(
                    f"{key}.{day.name}: {len(given)} counts given, but {span} in "
                    f"{minutes}-minute intervals need {need}"
                )
    out = scenario.outbound
    open_count = sum(not d.closed for d in plan)
    if hours.by_weekday and out is not None and out.days_per_week > open_count:
        raise ValueError(
            f"outbound.days_per_week: {out.days_per_week} given, but the agency is open "
            f"{open_count} weekdays (hours.weekdays); the campaign dials only on open days"
        )


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
