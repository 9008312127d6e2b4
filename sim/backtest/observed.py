"""What really happened: a call log's queue figures, by the same definitions the model uses.

A :class:`~sim.calllog.CallLog` is turned into the model's call-table shape (outcome, path,
transfer, answer and wait times in minutes), so the figures are computed by
:func:`sim.kpis.group_kpis`, the one definition of abandonment, P(wait), mean wait and service
level that the simulation's own results use. A call was **offered** to producers when the
AI (or human intake) asked for a transfer: it was connected, abandoned, failed on the bridge or
found nobody on shift.

Uncertainty comes from the days, not the calls: the calls of one day share its staffing and
its queue, so they are not independent. The interval of each observed figure is a bootstrap
over the log's days (Efron & Tibshirani 1993, the cluster bootstrap), each resample drawing
whole days with replacement from an explicit seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.engine.codes import OUTCOMES, PATHS
from sim.kpis import group_kpis
from sim.scenario import Scenario

__all__ = ["OFFERED", "QUEUE_KPIS", "CellStats", "cell_stats", "log_call_table"]

OFFERED = ("connected", "abandoned", "failed", "no_producer")
"""Outcomes of calls that asked for a producer (the model's ``transfer_at`` is set)."""

QUEUE_KPIS = ("abandonment_rate", "p_wait", "mean_wait_minutes", "service_level")
"""The queue figures compared by the back-test, each a ratio over offered calls."""

_COUNTS = ("offered", *QUEUE_KPIS)


def log_call_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The call log's calls in the columns :func:`sim.kpis.group_kpis` reads, plus ``date``,
    ``weekday``, ``minute_of_day``, ``segment`` (None when the log has none), ``group`` and
    ``wrap_up_missing`` (a connected call whose wrap-up the log does not give). Inbound and
    answered outbound calls only; times in minutes from each call's start (arrival 0)."""
    outcome = frame["outcome"].astype("string").fillna("")
    known = outcome.isin(OUTCOMES).to_numpy()
    calls = frame.loc[known]
    outcome = outcome[known]
    offered = outcome.isin(OFFERED).to_numpy()
    transfer = calls["transfer_minutes"].to_numpy(dtype=float)
    # A transfer time the log does not give is taken as the AI's talk time, else as 0: only
    # the wait after it enters a queue figure.
    ai = calls["ai_minutes"].to_numpy(dtype=float)
    transfer = np.where(np.isnan(transfer), np.nan_to_num(ai), transfer)
    transfer_at = np.where(offered, transfer, np.nan)
    wait = np.where(offered, np.nan_to_num(calls["wait_minutes"].to_numpy(dtype=float)), np.nan)
    answered = outcome.isin(("connected", "failed")).to_numpy()
    handled = calls["handled_by"].astype("string").fillna("ai").to_numpy()
    path = np.where(handled == "human", PATHS.index("human"), PATHS.index("ai"))
    converted = calls["converted"].fillna(False).to_numpy(dtype=bool)
    connected = (outcome == "connected").to_numpy()
    segment = (
        calls["segment"].astype(object).to_numpy()
        if "segment" in calls
        else np.full(len(calls), None, dtype=object)
    )
    return pd.DataFrame(
        {
            "segment": segment,
            "outcome": pd.Categorical(outcome.to_numpy(), categories=OUTCOMES),
            "path": pd.Categorical.from_codes(path, PATHS),
            "transfer_at": transfer_at,
            "answer_at": np.where(answered, transfer_at + wait, np.nan),
            "wait_minutes": wait,
            "converted_on_transfer": converted & connected,
            "first_call_resolution": np.zeros(len(calls), dtype=bool),
            "repeat_explain": np.zeros(len(calls), dtype=bool),
            "date": pd.to_datetime(calls["date"]).dt.normalize().to_numpy(),
            "weekday": calls["weekday"].to_numpy(dtype=int),
            "minute_of_day": calls["minute_of_day"].to_numpy(dtype=float),
            "handle_minutes": np.where(connected, calls["handle_minutes"].to_numpy(float), 0.0),
            "wrap_up_minutes": np.where(
                connected, np.nan_to_num(calls["wrap_up_minutes"].to_numpy(float)), 0.0
            ),
            "wrap_up_missing": connected & np.isnan(calls["wrap_up_minutes"].to_numpy(float)),
            "group": calls["producer_group"].astype(object).to_numpy(),
        }
    )


@dataclass(frozen=True)
class CellStats:
    """Per day (rows) the counts behind each queue figure of one cell (an interval, a weekday,
    the whole day): offered calls and, per figure, its numerator (a rate times offered)."""

    days: pd.Index
    counts: np.ndarray
    """Shape (days, 1 + len(QUEUE_KPIS)): offered, then each figure's numerator."""

    def value(self) -> dict[str, float]:
        """Each figure over all days (the ratio of summed numerators to summed offered)."""
        return _ratios(self.counts.sum(axis=0))

    def interval(self, rng: np.random.Generator, resamples: int = 2000) -> dict[str, tuple]:
        """95% interval of each figure, resampling whole days with replacement."""
        n = len(self.counts)
        if n < 2:
            return {k: (np.nan, np.nan) for k in QUEUE_KPIS}
        picks = rng.integers(0, n, size=(resamples, n))
        sums = self.counts[picks].sum(axis=1)  # (resamples, columns)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratios = sums[:, 1:] / sums[:, :1]
        out = {}
        for j, name in enumerate(QUEUE_KPIS):
            column = ratios[:, j][~np.isnan(ratios[:, j])]
            out[name] = (
                (float(np.quantile(column, 0.025)), float(np.quantile(column, 0.975)))
                if len(column)
                else (np.nan, np.nan)
            )
        return out


def _ratios(sums: np.ndarray) -> dict[str, float]:
    offered = float(sums[0])
    values = {"offered": offered}
    for j, name in enumerate(QUEUE_KPIS, start=1):
        values[name] = float(sums[j]) / offered if offered > 0 else float("nan")
    return values


def _numerators(calls: pd.DataFrame, scenario: Scenario) -> np.ndarray:
    k = group_kpis(calls, scenario)
    offered = float(k["offered"])
    row = [offered]
    for name in QUEUE_KPIS:
        row.append(float(k[name]) * offered if offered > 0 else 0.0)
    return np.array(row)


def cell_stats(calls: pd.DataFrame, scenario: Scenario, day_key: str, days: pd.Index) -> CellStats:
    """The per-day counts of ``calls`` (one cell), with a zero row for each of ``days`` on
    which the cell had no calls (a quiet day is evidence too)."""
    rows = {day: _numerators(part, scenario) for day, part in calls.groupby(day_key)}
    zero = np.zeros(1 + len(QUEUE_KPIS))
    counts = np.array([rows.get(day, zero) for day in days]) if len(days) else zero[None, :0]
    return CellStats(days, counts.reshape(len(days), 1 + len(QUEUE_KPIS)))
