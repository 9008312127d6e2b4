"""Producer groups: their names (by calls answered, at most three), handle and wrap-up times,
and how many producers each has available, interval by interval.

Handle and wrap-up times come from the log's columns; without a wrap-up column, after-call
work is read from the gaps between one producer's calls (:mod:`~sim.calibrate.wrapup`, when
the log says which producer answered). Producers per interval are the queue-based estimate of
:mod:`~sim.calibrate.availability` (while callers wait, every available producer is busy),
written as the group's ``roster``; ``producers`` is the roster's largest value. The most calls
the group had in service at once (:func:`peak_concurrency`, a sweep over the calls' start and
end events) is reported beside it as a check.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from sim.calibrate.availability import Availability, estimate_availability
from sim.calibrate.common import MIN_DURATIONS
from sim.calibrate.durations import DurationFit, duration_parameters, fit_duration
from sim.calibrate.report import Parameter
from sim.calibrate.wrapup import WrapUpGaps, busy_release, wrap_up_gaps
from sim.scenario import Scenario

__all__ = ["GroupsFit", "fit_groups", "peak_concurrency"]

_MAX_GROUPS = 3
_OTHER = "Other producers"


def peak_concurrency(starts: np.ndarray, ends: np.ndarray, slack: float = 0.05) -> int:
    """Most intervals open at once. Each interval is shortened by ``slack`` minutes (3 s) at
    each end, so that exports rounded to whole seconds do not make a producer's next call
    overlap the one before."""
    starts, ends = starts + slack, ends - slack
    ok = ~np.isnan(starts) & ~np.isnan(ends) & (ends > starts)
    if not ok.any():
        return 0
    times = np.concatenate([starts[ok], ends[ok]])
    steps = np.concatenate([np.ones(ok.sum()), -np.ones(ok.sum())])
    order = np.lexsort((steps, times))  # an end at the same instant frees the seat first
    return int(np.cumsum(steps[order]).max())


@dataclass(frozen=True)
class _Answered:
    """Answered transfers (connected or failed) by group, and the groups by volume."""

    calls: pd.DataFrame
    names: list[str]
    notes: tuple[str, ...]


def _answered(df: pd.DataFrame) -> _Answered:
    """The groups that answered transfers; beyond three, the smallest merge into one."""
    answered = df[df["outcome"].isin(["connected", "failed"])].copy()
    answered["producer_group"] = answered["producer_group"].fillna("Producers")
    notes = []
    if df["producer_group"].isna().all():
        notes.append("The log has no producer groups: one group, 'Producers'.")
    names = list(answered["producer_group"].value_counts().index)
    if len(names) > _MAX_GROUPS:
        merged = names[_MAX_GROUPS - 1 :]
        notes.append(
            f"{len(names)} producer groups; a scenario has at most 3, so "
            f"{', '.join(map(str, merged))} are merged into 'Other producers'."
        )
        answered.loc[answered["producer_group"].isin(merged), "producer_group"] = _OTHER
        names = [*names[: _MAX_GROUPS - 1], _OTHER]
    if not names:
        names = ["Producers"]
        notes.append(
            "No answered transfers in the log: one group 'Producers' with the base "
            "scenario's or default producers and times."
        )
    return _Answered(answered, names, tuple(notes))


@dataclass(frozen=True)
class _GroupFit:
    destination: dict[str, Any]
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]
    fits: tuple[tuple[str, DurationFit], ...]


def _times(name: str, part: pd.DataFrame, position: int, dest: dict,
           gaps: WrapUpGaps | None) -> _GroupFit:  # fmt: skip
    """Handle and wrap-up time fits of one group (into ``dest``); without a wrap-up column,
    the after-call work read from its producers' gaps (``gaps``)."""
    connected = part["outcome"] == "connected"
    params: list[Parameter] = []
    notes: list[str] = []
    fits: list[tuple[str, DurationFit]] = []
    for column, label in (("handle_minutes", "handle"), ("wrap_up_minutes", "wrap-up")):
        values = part.loc[connected, column].dropna()
        how = ""
        if column == "wrap_up_minutes" and len(values) < MIN_DURATIONS and gaps is not None:
            values = pd.Series(gaps.gaps)
            how = (
                f"; from {len(values)} gaps between a producer's call and their next call, "
                f"which had waited ({gaps.breaks} gaps over {gaps.fence:.3g} min set aside "
                "as breaks or other work)"
            )
        if len(values) < MIN_DURATIONS:
            notes.append(
                f"{name}: {len(values)} {label} times; kept from the base scenario or defaults."
            )
            continue
        fit = fit_duration(values.to_numpy())
        key = f"destinations.{position}.{column}"
        rows = duration_parameters(f"{name} {label} minutes", key, fit)
        if how:
            rows = tuple(replace(r, method=r.method + how) for r in rows)
        params.extend(rows)
        dest[column] = fit.dist
        fits.append((f"{name} {label}", fit))
    return _GroupFit(dest, tuple(params), tuple(notes), tuple(fits))


def _peak(name: str, part: pd.DataFrame, position: int) -> tuple[Parameter, ...]:
    """The most calls the group had in service at once (a check beside the roster)."""
    answer = (
        part["start_minute"] + part["transfer_minutes"].fillna(0) + part["wait_minutes"]
    ).to_numpy()
    release = (
        answer
        + part["handle_minutes"].fillna(0).to_numpy()
        + part["wrap_up_minutes"].fillna(0).to_numpy()
    )
    has_handle = part.loc[part["outcome"] == "connected", "handle_minutes"].notna().any()
    peak = peak_concurrency(answer, release) if has_handle else 0
    if not peak:
        return ()
    return (
        Parameter(
            f"{name} producers (most calls in service at once)", "", peak, n=len(part),
            method="a lower bound, shown as a check on the roster",
        ),
    )  # fmt: skip


def _roster(
    name: str,
    position: int,
    dest: dict,
    avail: Availability | None,
    weekday_avail: dict[str, Availability],
) -> tuple[tuple[Parameter, ...], tuple[str, ...]]:
    """The group's ``roster`` (and ``producers``, its largest value) from the availability
    estimate (into ``dest``), with its report row."""
    if avail is None or not len(avail.estimate):
        if "producers" not in dest:
            dest["producers"] = 1
            return (), (f"{name}: producers not visible in the log; set to 1, edit it.",)
        return (), ()
    roster = avail.roster()
    section: dict[str, Any] = {"interval_minutes": avail.interval_minutes, "producers": roster}
    if weekday_avail:
        section["weekdays"] = {day: a.roster() for day, a in weekday_avail.items()}
    dest["roster"] = section
    every = [roster, *section.get("weekdays", {}).values()]
    dest["producers"] = max(1, max(max(r) for r in every if r))
    measured = np.array([m == "queue" for m in avail.method])
    se = (avail.ci_high - avail.ci_low) / (2 * 1.96)
    param = Parameter(
        f"{name} available producers (mean over the open day; destinations.{position}.roster)",
        "", float(np.mean(avail.estimate)),
        float(np.sqrt(np.nansum(np.where(measured, se, 0.0) ** 2)) / len(se)),
        n=int(avail.measured_days.sum()), method=avail.summary(),
    )  # fmt: skip
    return (param,), ()


def _fit_group(name: str, part: pd.DataFrame, position: int, base_dest,
               gaps: WrapUpGaps | None) -> _GroupFit:  # fmt: skip
    """One ``destinations`` entry: the base's group of that name, refitted from its calls."""
    dest: dict[str, Any] = (
        base_dest.model_dump(mode="json", exclude_none=True) if base_dest is not None else {}
    )
    dest["name"] = str(name)
    dest.pop("roster", None)  # refitted below, on the fitted open hours
    times = _times(name, part, position, dest, gaps)
    return _GroupFit(dest, (*times.parameters, *_peak(name, part, position)), times.notes,
                     times.fits)  # fmt: skip


@dataclass(frozen=True)
class GroupsFit:
    """The fitted ``destinations`` section, with its evidence."""

    destinations: list[dict[str, Any]]
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]
    fits: tuple[tuple[str, DurationFit], ...]
    availability: pd.DataFrame | None = None
    """Per group and interval (and weekday), the available producers and how they were
    estimated (the report's ``availability`` table)."""


@dataclass(frozen=True)
class Day:
    """An open day's hours (minutes after midnight) and the weekdays it stands for."""

    open_minute: int
    close_minute: int
    weekdays: tuple[int, ...] = tuple(range(7))
    """0 = Monday."""


def _mean_wrap(fit: _GroupFit, base_dest) -> float:
    dist = fit.destination.get("wrap_up_minutes")
    if isinstance(dist, dict):
        return float(dist.get("mean", dist.get("value")) or 0.0)
    return 0.0 if base_dest is None else float(base_dest.wrap_up_minutes.mean_value)


def fit_groups(df: pd.DataFrame, base: Scenario | None, default_day: Day | None = None,
               roster_minutes: int = 30, whisper_minutes: float = 0.0,
               weekdays: dict[str, Day] | None = None) -> GroupsFit:  # fmt: skip
    """Every producer group, in order of the calls it answered (the routing order), with its
    roster over ``default_day`` (and over each day of ``weekdays``, keyed "mon".."sun", that
    has its own hours); ``whisper_minutes``: the AI's whisper when the log's handle time
    leaves it out."""
    answered = _answered(df)
    base_groups = {d.name: d for d in base.destinations} if base is not None else {}
    calls = df.copy()
    merged = ~calls["producer_group"].isin(answered.names) & calls["producer_group"].notna()
    calls.loc[merged, "producer_group"] = answered.names[-1]
    if df["producer_group"].isna().all():
        calls["producer_group"] = calls["producer_group"].where(
            ~calls["outcome"].isin(["connected", "failed"]), answered.names[0]
        )
    gaps = wrap_up_gaps(calls, whisper_minutes)
    groups = [
        _fit_group(name, answered.calls[answered.calls["producer_group"] == name], i,
                   base_groups.get(name), gaps.get(name))
        for i, name in enumerate(answered.names)
    ]  # fmt: skip
    wrap_mean = {
        name: _mean_wrap(g, base_groups.get(name))
        for name, g in zip(answered.names, groups, strict=True)
    }
    busy = busy_release(calls, wrap_mean, gaps, whisper_minutes)
    day = default_day or Day(0, 1440)
    avail, tables = _availability(busy, day, roster_minutes, weekdays or {})
    params: list[Parameter] = []
    notes = [*answered.notes, *(note for g in groups for note in g.notes)]
    for i, (name, g) in enumerate(zip(answered.names, groups, strict=True)):
        rows, more = _roster(name, i, g.destination, avail[0].get(name),
                             {d: a[name] for d, a in avail[1].items() if name in a})  # fmt: skip
        params.extend((*g.parameters, *rows))
        notes.extend(more)
    if len(groups) > 1:
        notes.append(
            "Routing: groups are tried in order of the calls they answered; which "
            "triggers each accepts is not inferred (all, unless the base says)."
        )
    return GroupsFit(
        [g.destination for g in groups],
        tuple(params),
        tuple(notes),
        tuple(f for g in groups for f in g.fits),
        pd.concat(tables, ignore_index=True) if tables else None,
    )


def _availability(busy: pd.DataFrame, day: Day, step: int, weekdays: dict[str, Day]):
    """Availability per group over the default day (pooled over its weekdays) and over each
    weekday of ``weekdays``; and the report tables."""
    tables = []

    def estimate(calls: pd.DataFrame, d: Day, label: str) -> dict[str, Availability]:
        part = calls[calls["weekday"].isin(d.weekdays)]
        found = {a.group: a for a in estimate_availability(part, d.open_minute,
                                                           d.close_minute, step)}  # fmt: skip
        for a in found.values():
            table = a.table()
            table.insert(0, "group", a.group)
            table.insert(1, "day", label)
            tables.append(table)
        return found

    default = estimate(busy, day, "default")
    per_day = {name: estimate(busy, d, name) for name, d in weekdays.items()}
    return (default, per_day), tables
