"""Each arm's units and successes per simulated open day, from a simulation's call table.

A call with path ``"ai"`` is in the AI arm and a call with path ``"human"`` in the control arm,
except AI overflow (a caller sent to the AI who found every AI line busy): overflow calls are in
neither arm (a per-protocol comparison). Like for like, the control arm keeps only non-routine
calls (the model's ``routine`` flag). Calls count after the warm-up, on whole simulated days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.arrivals import DAY
from sim.kpis import counted_calls
from sim.results import Results

__all__ = ["DayCounts", "code_of", "completion_by_replication", "day_counts", "ratio"]


def ratio(num: float, den: float) -> float:
    """num / den as a float, NaN when there is nothing to divide by."""
    return float(num) / float(den) if den > 0 else float("nan")


def code_of(calls: pd.DataFrame, column: str, label: str) -> np.ndarray:
    """Whether each call's categorical ``column`` is ``label`` (all False if it never occurs)."""
    cat = calls[column].cat
    if label not in cat.categories:
        return np.zeros(len(calls), dtype=bool)
    return cat.codes.to_numpy() == cat.categories.get_loc(label)


@dataclass(frozen=True)
class DayCounts:
    """Per simulated day (replication-major): units and successes of one metric per arm."""

    n_ai: np.ndarray
    x_ai: np.ndarray
    n_control: np.ndarray
    x_control: np.ndarray
    days_per_replication: int
    days_per_week: int

    @property
    def days(self) -> int:
        return len(self.n_ai)

    def rates(self) -> tuple[float, float]:
        """Pooled rate (AI arm, control arm)."""
        return ratio(self.x_ai.sum(), self.n_ai.sum()), ratio(
            self.x_control.sum(), self.n_control.sum()
        )

    def weekly(self) -> tuple[float, float]:
        """Mean units per week (AI arm, control arm)."""
        per_day = self.days_per_week / max(self.days, 1)
        return float(self.n_ai.sum()) * per_day, float(self.n_control.sum()) * per_day

    def table(self) -> np.ndarray:
        """Columns x_ai, n_ai, x_control, n_control; one row per day."""
        return np.column_stack([self.x_ai, self.n_ai, self.x_control, self.n_control])


def _day_index(results: Results) -> tuple[pd.DataFrame, np.ndarray, int]:
    """Counted calls, each call's simulated-day index (-1 outside whole counted days), and the
    number of whole days per replication."""
    sc = results.scenario
    first = math.ceil(sc.warmup_minutes / DAY - 1e-9)
    used = sc.days - first
    if used < 1:
        raise ValueError(
            f"{sc.name}: the warm-up ({sc.warmup_minutes:g} minutes) leaves no whole simulated "
            f"day out of days = {sc.days}; pilot figures need whole days (raise days)"
        )
    calls = counted_calls(results.calls, sc)
    day = calls["day"].to_numpy()
    valid = ~np.isnan(day) & (day >= first) & (day < sc.days)
    rep = calls["replication"].to_numpy().astype(np.int64)
    seg = np.where(valid, rep * used + np.nan_to_num(day - first).astype(np.int64), -1)
    return calls, seg, used


def _arms(calls: pd.DataFrame, like_for_like: bool) -> tuple[np.ndarray, np.ndarray]:
    ai = code_of(calls, "path", "ai")
    control = code_of(calls, "path", "human") & ~calls["ai_overflow"].to_numpy()
    if like_for_like:
        control &= ~calls["routine"].to_numpy()
    return ai, control


def _unit_and_success(calls: pd.DataFrame, metric: str) -> tuple[np.ndarray, np.ndarray]:
    offered = ~np.isnan(calls["transfer_at"].to_numpy())
    connected = code_of(calls, "outcome", "connected")
    if metric == "transfer_completion_rate":
        return offered, connected
    if metric == "abandonment_rate":
        return offered, code_of(calls, "outcome", "abandoned")
    column = {
        "post_transfer_conversion_rate": "converted_on_transfer",
        "first_call_resolution_rate": "first_call_resolution",
        "repeat_explain_rate": "repeat_explain",
    }.get(metric)
    if column is None:  # pragma: no cover - metric names are checked before
        raise ValueError(f"unknown metric {metric!r}")
    return connected, calls[column].to_numpy()


def _units(
    calls: pd.DataFrame, metric: str, like_for_like: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(AI-arm units, control-arm units, success) masks for one metric."""
    ai, control = _arms(calls, like_for_like)
    unit, success = _unit_and_success(calls, metric)
    if metric == "repeat_explain_rate":
        control = np.zeros_like(control)  # the human path has no AI intake to repeat
    return unit & ai, unit & control, success.astype(bool)


def day_counts(results: Results, metric: str, like_for_like: bool) -> DayCounts:
    """Each arm's units and successes of ``metric`` per simulated open day."""
    calls, seg, used = _day_index(results)
    n_days = used * results.replications
    in_day = seg >= 0
    unit_ai, unit_control, success = _units(calls, metric, like_for_like)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(seg[mask & in_day], minlength=n_days)[:n_days]

    return DayCounts(
        n_ai=count(unit_ai),
        x_ai=count(unit_ai & success),
        n_control=count(unit_control),
        x_control=count(unit_control & success),
        days_per_replication=used,
        days_per_week=results.scenario.hours.days_per_week,
    )


def completion_by_replication(results: Results) -> tuple[pd.Series, pd.Series]:
    """Per replication: transfer completion of all transfers (the KPI) and of the AI arm's."""
    calls = counted_calls(results.calls, results.scenario)
    offered = ~np.isnan(calls["transfer_at"].to_numpy()) & code_of(calls, "path", "ai")
    connected = code_of(calls, "outcome", "connected")
    rep = calls["replication"].to_numpy()
    reps = results.replications
    n = np.bincount(rep[offered], minlength=reps)
    x = np.bincount(rep[offered & connected], minlength=reps)
    with np.errstate(invalid="ignore", divide="ignore"):
        ai = pd.Series(np.where(n > 0, x / np.maximum(n, 1), np.nan))
    return results.kpis["transfer_completion_rate"].reset_index(drop=True), ai
