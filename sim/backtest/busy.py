"""Producer occupancy in a back-test: the log's and the replicas' busy time counted alike.

Both sides count the producers' **live calls** from answer to release (the AI's whisper, the
talk and the after-call work) inside the scenario's shift windows, with the one busy-time sum
of the lab (:func:`sim.engine.capacity.busy_minutes`), over the rostered minutes of the
simulated days. A log's call is laid on the simulated day its date stands for, so the same
shift windows clip it: talk after the close is not counted on either side.

Callbacks are the one producer activity a call log does not list. They are left out of the
replicas' side too (the model's own occupancy KPI counts them), and the back-test says how much
of the model's busy time they were, so a scenario with callbacks is not judged on work the log
cannot show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.engine.capacity import busy_minutes, producer_busy, shift_windows
from sim.scenario import Scenario

__all__ = ["LiveOccupancy", "log_busy_per_day", "replica_live_occupancy"]


def _windows(scenario: Scenario, group: int) -> np.ndarray:
    """The group's shift windows after the warm-up (as the occupancy KPI counts them)."""
    w = np.clip(shift_windows(scenario, group), scenario.warmup_minutes, None)
    return w[w[:, 1] > w[:, 0]]


@dataclass(frozen=True)
class LiveOccupancy:
    """The replicas' live-call occupancy, per replication, and what callbacks added."""

    values: np.ndarray
    """Live-call busy minutes inside shifts / rostered minutes, per replication."""
    callback_share: float
    """Callbacks' share of the model's busy time inside shifts (0 without callbacks)."""


def replica_live_occupancy(calls: pd.DataFrame, groups: pd.DataFrame, scenario: Scenario,
                           replications: int) -> LiveOccupancy:  # fmt: skip
    """Per replication of ``calls`` (the whole call table; ``groups``: the results' per-group
    rostered minutes), the live calls' busy minutes inside shifts over rostered minutes."""
    live = np.zeros(replications)
    every = np.zeros(replications)
    for g in range(len(scenario.destinations)):
        w = _windows(scenario, g)
        for callbacks, out in ((False, live), (True, every)):
            starts, ends, reps = producer_busy(calls, g, callbacks=callbacks)
            out += busy_minutes(starts, ends, w, keys=reps, n_keys=replications)
    rostered = (
        groups.groupby("replication")["rostered_minutes"].sum().reindex(range(replications))
    ).to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(rostered > 0, live / rostered, np.nan)
    total = float(every.sum())
    share = float((every.sum() - live.sum()) / total) if total > 0 else 0.0
    return LiveOccupancy(values, share)


def log_busy_per_day(observed: pd.DataFrame, scenario: Scenario, run_day: np.ndarray,
                     days: pd.Index) -> tuple[np.ndarray, list[str]]:  # fmt: skip
    """Busy minutes of the log's answered calls on each of ``days``, inside ``scenario``'s
    shift windows, with notes. ``observed`` is :func:`sim.backtest.observed.log_call_table`
    with ``wrap_up_minutes`` filled in; ``run_day`` is each call's simulated day."""
    notes: list[str] = []
    answer = observed["answer_at"].to_numpy(float)
    answered = ~np.isnan(answer)
    ai_path = (observed["path"].astype(str) == "ai").to_numpy()
    whisper = scenario.transfer.whisper_seconds / 60.0 if scenario.ai.enabled else 0.0
    start = run_day * 1440.0 + observed["minute_of_day"].to_numpy(float) + answer
    end = (
        start
        + np.where(ai_path, whisper, 0.0)
        + observed["handle_minutes"].to_numpy(float)
        + observed["wrap_up_minutes"].to_numpy(float)
    )
    day_key = pd.Index(days).get_indexer(observed["date"])
    names = [d.name for d in scenario.destinations]
    group = observed["group"].astype(object).to_numpy()
    daily = np.zeros(len(days))
    unknown = answered & ~np.isin(group, names)
    for g, name in enumerate([*names, None]):
        mine = answered & (unknown if name is None else group == name) & (day_key >= 0)
        if not mine.any():
            continue
        windows = None if name is None else _windows(scenario, g)
        daily += busy_minutes(start[mine], end[mine], windows, keys=day_key[mine],
                              n_keys=len(days))  # fmt: skip
    if unknown.any():
        notes.append(
            f"observed occupancy: {int(unknown.sum())} answered calls name a producer group the "
            "scenario does not have; their busy time is counted whole (no shift to clip it to)"
        )
    return daily, notes
