"""What the model predicts for a log's own days: the scenario simulated over as many days as
the log holds, many times, each replication measured like the log.

Each replication simulates the log's open days (after a whole-day warm-up when the scenario
has one), and its calls are dated with the log's own dates in order, so a replication is a
stand-in for the log: the spread of a figure across replications is the spread the log's
figure would have if the model were right. The queue figures are then measured with the same
per-day counts as the observed side (:func:`sim.backtest.observed.cell_stats`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.backtest.observed import QUEUE_KPIS, cell_stats
from sim.engine.arrivals import DAY
from sim.kpis import counted_calls
from sim.loader import derive
from sim.options import RunOptions
from sim.results import Results, simulate
from sim.scenario import Scenario

__all__ = ["Replicas", "simulate_log_days"]


class Replicas:
    """The simulated stand-ins for a log: per replication, its calls dated like the log."""

    def __init__(self, results: Results, dates: pd.DatetimeIndex, warm_days: int) -> None:
        self.results = results
        self.dates = dates
        calls = counted_calls(results.calls, results.scenario)
        calls = calls[calls["arrival"].notna() & calls["transfer_at"].notna()]
        index = (calls["day"].to_numpy() - warm_days).astype(int)  # the exact day of arrival
        keep = (index >= 0) & (index < len(dates))
        calls = calls.loc[keep].copy()
        calls["date"] = dates[index[keep]]
        calls["weekday"] = calls["date"].dt.day_of_week
        self.calls = calls

    @property
    def replications(self) -> int:
        return self.results.replications

    def figures(self, select) -> pd.DataFrame:
        """Per replication (rows), each queue figure of the calls ``select(calls)`` keeps."""
        days = pd.Index(self.dates)
        rows = []
        for _, part in self.calls.groupby("replication", sort=True):
            rows.append(cell_stats(select(part), self.results.scenario, "date", days).value())
        table = pd.DataFrame(rows, columns=["offered", *QUEUE_KPIS])
        return table.reindex(range(self.replications)).fillna({"offered": 0.0})

    def occupancy(self) -> np.ndarray:
        """Producer occupancy per replication (busy inside shifts over rostered time)."""
        return self.results.kpis["producer_occupancy"].to_numpy(dtype=float)

    def rostered_minutes_per_day(self) -> float:
        """Rostered producer minutes per counted day (mean over replications)."""
        per_rep = self.results.groups.groupby("replication")["rostered_minutes"].sum()
        return float(per_rep.mean()) / len(self.dates)


def simulate_log_days(
    scenario: Scenario, dates: pd.DatetimeIndex, replications: int, seed: int, workers: int = 1
) -> Replicas:
    """Simulate ``scenario`` over ``len(dates)`` counted days, ``replications`` times."""
    warm_days = math.ceil(scenario.warmup_minutes / DAY)
    variant = derive(
        scenario,
        {"days": len(dates) + warm_days, "warmup_minutes": float(warm_days * DAY)},
        source=f"{scenario.name} over the log's days",
    )
    options = RunOptions(replications=replications, seed=seed, workers=workers)
    return Replicas(simulate(variant, options=options), dates, warm_days)
