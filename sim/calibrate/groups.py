"""Producer groups: their names (by calls answered, at most three), handle and wrap-up times,
and how many producers each has.

Producers per group is the most calls the group had in service at once (answer to release:
handle plus wrap-up), a lower bound, since producers may also do work the log does not show.
The count is the maximum of a sweep over the intervals' start and end events.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.calibrate.common import MIN_DURATIONS
from sim.calibrate.durations import DurationFit, duration_parameters, fit_duration
from sim.calibrate.report import Parameter
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


def _times(name: str, part: pd.DataFrame, position: int, dest: dict) -> _GroupFit:
    """Handle and wrap-up time fits of one group (into ``dest``)."""
    connected = part["outcome"] == "connected"
    params: list[Parameter] = []
    notes: list[str] = []
    fits: list[tuple[str, DurationFit]] = []
    for column, label in (("handle_minutes", "handle"), ("wrap_up_minutes", "wrap-up")):
        values = part.loc[connected, column].dropna()
        if len(values) < MIN_DURATIONS:
            notes.append(
                f"{name}: {len(values)} {label} times; kept from the base scenario or defaults."
            )
            continue
        fit = fit_duration(values.to_numpy())
        key = f"destinations.{position}.{column}"
        params.extend(duration_parameters(f"{name} {label} minutes", key, fit))
        dest[column] = fit.dist
        fits.append((f"{name} {label}", fit))
    return _GroupFit(dest, tuple(params), tuple(notes), tuple(fits))


def _producers(name: str, part: pd.DataFrame, position: int, dest: dict):
    """(parameters, notes) of the group's producers (into ``dest``)."""
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
    if peak:
        dest["producers"] = peak
        param = Parameter(
            f"{name} producers (most calls in service at once)",
            f"destinations.{position}.producers", peak, n=len(part),
            method="a lower bound: producers may also do work the log does not show",
        )  # fmt: skip
        return (param,), ()
    if "producers" not in dest:
        dest["producers"] = 1
        return (), (f"{name}: producers not visible in the log; set to 1, edit it.",)
    return (), ()


def _fit_group(name: str, part: pd.DataFrame, position: int, base_dest) -> _GroupFit:
    """One ``destinations`` entry: the base's group of that name, refitted from its calls."""
    dest: dict[str, Any] = (
        base_dest.model_dump(mode="json", exclude_none=True) if base_dest is not None else {}
    )
    dest["name"] = str(name)
    times = _times(name, part, position, dest)
    params, notes = _producers(name, part, position, dest)
    return _GroupFit(dest, (*times.parameters, *params), (*times.notes, *notes), times.fits)


@dataclass(frozen=True)
class GroupsFit:
    """The fitted ``destinations`` section, with its evidence."""

    destinations: list[dict[str, Any]]
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]
    fits: tuple[tuple[str, DurationFit], ...]


def fit_groups(df: pd.DataFrame, base: Scenario | None) -> GroupsFit:
    """Every producer group, in order of the calls it answered (the routing order)."""
    answered = _answered(df)
    base_groups = {d.name: d for d in base.destinations} if base is not None else {}
    groups = [
        _fit_group(name, answered.calls[answered.calls["producer_group"] == name], i,
                   base_groups.get(name))
        for i, name in enumerate(answered.names)
    ]  # fmt: skip
    notes = [*answered.notes, *(note for g in groups for note in g.notes)]
    if len(groups) > 1:
        notes.append(
            "Routing: groups are tried in order of the calls they answered; which "
            "triggers each accepts is not inferred (all, unless the base says)."
        )
    return GroupsFit(
        [g.destination for g in groups],
        tuple(p for g in groups for p in g.parameters),
        tuple(notes),
        tuple(f for g in groups for f in g.fits),
    )
