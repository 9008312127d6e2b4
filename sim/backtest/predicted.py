"""What the model predicts for a log's own days: the scenario simulated over as many days as
the log holds, many times, each replication measured like the log.

Each replication simulates the log's open days (after a whole-day warm-up when the scenario
has one), and its calls are dated with the log's own dates in order; a scenario with weekdays
(``hours.weekdays``) instead simulates the log's calendar span day by day from its first date's
weekday (``hours.first_weekday``), each simulated day dated with its calendar date, so every
weekday has its own hours, volume and rosters, and a closed day has no calls. A replication is
a stand-in for the log: the spread of a figure across replications is the spread the log's
figure would have if the model were right. The queue figures are then measured with the same
per-day counts as the observed side (:func:`sim.backtest.observed.cell_stats`).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from sim.backtest.busy import LiveOccupancy, replica_live_occupancy
from sim.backtest.observed import QUEUE_KPIS, cell_stats
from sim.engine.arrivals import DAY
from sim.kpis import counted_calls
from sim.options import RunOptions
from sim.results import Results, simulate
from sim.scenario import Scenario

__all__ = ["Replicas", "simulate_log_days"]


class Replicas:
    """The simulated stand-ins for a log: per replication, its calls dated like the log."""

    def __init__(self, results: Results, dates: pd.DatetimeIndex, warm_days: int,
                 calendar: pd.DatetimeIndex | None = None) -> None:  # fmt: skip
        self.results = results
        self.dates = dates
        self.warm_days = warm_days
        days_of_run = dates if calendar is None else calendar
        self.days_of_run = days_of_run
        every = results.calls
        offered = every["arrival"].notna().to_numpy() & every["transfer_at"].notna().to_numpy()
        calls = counted_calls(every, results.scenario, offered)
        index = (calls["day"].to_numpy() - warm_days).astype(int)  # the exact day of arrival
        keep = (index >= 0) & (index < len(days_of_run))
        calls = calls.loc[keep].copy()
        calls["date"] = days_of_run[index[keep]]
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

    def live_occupancy(self) -> LiveOccupancy:
        """Occupancy per replication from live calls alone (what a log shows; see
        :mod:`sim.backtest.busy`), and the callbacks' share of the busy time."""
        r = self.results
        return replica_live_occupancy(r.calls, r.groups, r.scenario, self.replications)

    def run_day(self, dates: pd.Series) -> np.ndarray:
        """The simulated day (of every replication) that each of ``dates`` stands for; -1 for
        a date not in the run."""
        where = pd.Index(self.days_of_run).get_indexer(pd.DatetimeIndex(dates))
        return np.where(where >= 0, where + self.warm_days, -1)

    def rostered_minutes_per_day(self) -> float:
        """Rostered producer minutes per counted day (mean over replications)."""
        per_rep = self.results.groups.groupby("replication")["rostered_minutes"].sum()
        return float(per_rep.mean()) / len(self.dates)


def simulate_log_days(
    scenario: Scenario, dates: pd.DatetimeIndex, replications: int, seed: int, workers: int = 1
) -> Replicas:
    """Simulate ``scenario`` over ``len(dates)`` counted days (a weekday scenario: over the
    calendar from the first date to the last), ``replications`` times."""
    warm_days = math.ceil(scenario.warmup_minutes / DAY)
    changes: dict[str, object] = {"warmup_minutes": float(warm_days * DAY)}
    calendar = None
    if getattr(scenario.hours, "by_weekday", False):
        calendar = pd.date_range(dates[0], dates[-1], freq="D")
        day0 = dates[0] - pd.Timedelta(days=warm_days)
        hours = scenario.hours.model_copy(update={"first_weekday": _WEEKDAY_KEYS[day0.day_of_week]})
        changes.update(days=len(calendar) + warm_days, hours=hours)
    else:
        changes["days"] = len(dates) + warm_days
    # days, warm-up and first weekday are valid whatever the scenario: no need to re-validate
    variant = scenario.model_copy(update=changes)
    options = RunOptions(replications=replications, seed=seed, workers=workers)
    return Replicas(simulate(variant, options=options), dates, warm_days, calendar)


_WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
