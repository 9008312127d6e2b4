"""Running replications and reading their results.

``simulate(scenario, replications, seed)`` runs independent replications, each with its own
random streams spawned from one ``numpy.random.SeedSequence`` (replication *r* always gets the
*r*-th child, so results do not depend on how many worker processes ran them), and returns a
:class:`Results`:

- ``calls``: one row per call (and outbound lead) of every replication;
- ``kpis``: one row per replication, the fixed KPI names plus the counts and money behind them;
- ``summary()``: mean and a Student-t confidence interval per KPI across replications;
- ``by_trigger()``, ``by_interval()``, ``by_weekday()``, ``by_group()``, ``by_segment()``: the
  same KPIs broken down (``by_weekday`` per weekday of arrival, to compare with a log).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.engine.capacity import weekday_minutes
from sim.engine.measure import call_table, group_kpis, replication_kpis
from sim.engine.replication import run_replication
from sim.execution import Progress, run_tasks
from sim.kpis import (
    EXTRA_KPIS,
    KPI_NAMES,
    counted_calls,
    counted_days_by_interval,
    counted_days_by_weekday,
)
from sim.limits import check_run
from sim.options import DEFAULT_REPLICATIONS, RunOptions
from sim.scenario import WEEKDAYS, Scenario
from sim.weekdays import day_weekdays

__all__ = [
    "Results",
    "collect",
    "json_safe",
    "replication_seeds",
    "replication_task",
    "run_one",
    "simulate",
    "summarise",
]


def replication_seeds(seed: int, replications: int) -> list[np.random.SeedSequence]:
    """The seed of each replication: the children of ``SeedSequence(seed)``, in order."""
    return np.random.SeedSequence(seed).spawn(replications)


def replication_task(scenario: Scenario, seed: int, replications: int) -> list[tuple]:
    """The tasks of ``replications`` replications (for batching several scenarios in one
    :func:`sim.execution.run_tasks` call); run each with :func:`run_one`."""
    return [(scenario, s, r) for r, s in enumerate(replication_seeds(seed, replications))]


def run_one(args: tuple[Scenario, np.random.SeedSequence, int]):
    """Run one replication task: its call table, KPI row and group occupancy."""
    scenario, seed, rep = args
    record = run_replication(scenario, seed)
    calls = call_table(record, scenario, rep)
    kpis, occ = replication_kpis(calls, scenario, record)
    occ.insert(0, "replication", rep)
    return calls, kpis, occ


def simulate(
    scenario: Scenario,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    *,
    options: RunOptions | None = None,
) -> Results:
    """Run ``replications`` independent replications of ``scenario``.

    ``seed`` defaults to the scenario's ``seed``. ``workers`` > 1 runs replications in that many
    processes, ``scheduler`` on a Dask cluster (see :mod:`sim.execution`); the numbers are
    identical wherever they run. ``progress(done, total)`` is called as replications finish.
    The same options can come as one :class:`sim.options.RunOptions` (``options=``) instead of
    the keywords; giving both is an error.

    A run over the lab's limits (more than ``sim.limits.MAX_CALLS_PER_RUN`` calls kept, or
    more than ``sim.limits.MAX_REPLICATIONS`` replications) is refused before anything runs,
    with a :class:`sim.limits.LimitError` (a ``ValueError``) naming the limit.
    """
    if options is not None:
        given = (replications, seed, workers, scheduler, progress)
        if given != (DEFAULT_REPLICATIONS, None, 1, None, None):
            raise TypeError("pass the run options either as options= or as keywords, not both")
        replications = (
            DEFAULT_REPLICATIONS if options.replications is None else options.replications
        )
        seed, workers = options.seed, options.workers
        scheduler, progress = options.scheduler, options.progress
    if replications < 1:
        raise ValueError(f"replications must be at least 1, got {replications}")
    check_run(scenario, replications, option="replications")  # before anything runs
    seed = scenario.seed if seed is None else seed
    jobs = replication_task(scenario, seed, replications)
    outputs = run_tasks(run_one, jobs, workers=workers, scheduler=scheduler, progress=progress)
    return collect(scenario, seed, outputs)


def collect(scenario: Scenario, seed: int, outputs: list) -> Results:
    """Assemble replication outputs (from ``run_replications`` tasks) into :class:`Results`."""
    replications = len(outputs)
    calls = pd.concat([o[0] for o in outputs], ignore_index=True)
    kpis = pd.DataFrame([o[1] for o in outputs])
    kpis.insert(0, "replication", range(replications))
    groups = pd.concat([o[2] for o in outputs], ignore_index=True)
    return Results(scenario, seed, calls, kpis, groups)


def json_safe(value: Any) -> Any:
    """``value`` made fit for ``json.dumps``: NaN and infinities become None (JSON has neither),
    numpy scalars Python numbers, DataFrames lists of records, dates ISO text."""
    if isinstance(value, pd.DataFrame):
        return [json_safe(r) for r in value.to_dict(orient="records")]
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def summarise(table: pd.DataFrame, columns, level: float = 0.95) -> pd.DataFrame:
    """Mean, Student-t confidence interval and standard deviation of each column across rows
    (replications). With one replication the interval is undefined (NaN)."""
    rows = {}
    for name in columns:
        values = table[name].to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        n = len(values)
        mean = float(values.mean()) if n else float("nan")
        sd = float(values.std(ddof=1)) if n > 1 else float("nan")
        if n > 1:
            from scipy import special  # only for summaries: running a model does not load SciPy

            half = special.stdtrit(n - 1, 0.5 + level / 2) * sd / np.sqrt(n)
        else:
            half = float("nan")
        rows[name] = {"mean": mean, "ci_low": mean - half, "ci_high": mean + half, "sd": sd, "n": n}
    return pd.DataFrame.from_dict(rows, orient="index")


@dataclass
class Results:
    """Everything one ``simulate`` call produced."""

    scenario: Scenario
    seed: int
    calls: pd.DataFrame
    kpis: pd.DataFrame
    groups: pd.DataFrame = field(repr=False)
    """Per replication and producer group: rostered and busy minutes, occupancy."""

    @property
    def replications(self) -> int:
        return len(self.kpis)

    def summary(self, level: float = 0.95, extra: bool = False) -> pd.DataFrame:
        """Mean and ``level`` confidence interval of each KPI across replications, indexed by
        KPI name (the fixed names; with ``extra`` also the counts and money behind them)."""
        names = (*KPI_NAMES, *EXTRA_KPIS) if extra else KPI_NAMES
        return summarise(self.kpis, names, level)

    def _counted(self, column: str | None = None) -> pd.DataFrame:
        """The counted calls (with ``column`` set, only those where it is)."""
        where = None if column is None else self.calls[column].notna().to_numpy()
        return counted_calls(self.calls, self.scenario, where)

    def by_trigger(self) -> pd.DataFrame:
        """Rate KPIs of the calls offered to producers, per escalation trigger (pooled over
        replications; on the human path the trigger is the caller's need used for routing)."""
        offered = self._counted("transfer_at")
        table = self._breakdown_of(offered, "trigger")
        table["offered_per_replication"] = table["offered"] / self.replications
        return table.rename(columns={"key": "trigger"}).drop(
            columns=["calls", "containment_rate", "transfer_rate"]
        )

    def by_segment(self) -> pd.DataFrame:
        """Rate KPIs of the calls offered to producers, per caller segment (pooled over
        replications), in the scenario's segment order; no rows without segments."""
        offered = self._counted("transfer_at")
        table = self._breakdown_of(offered, "segment")
        if table.empty:  # no segments: the same columns, no rows
            table = pd.DataFrame(columns=["key", *group_kpis(offered, self.scenario)])
        table["offered_per_replication"] = table["offered"] / self.replications
        return table.rename(columns={"key": "segment"}).drop(
            columns=["calls", "containment_rate", "transfer_rate"]
        )

    def _breakdown_of(self, calls: pd.DataFrame, key) -> pd.DataFrame:
        rows = []
        for value, part in calls.groupby(key, observed=True):
            row = {"key": value}
            row.update(group_kpis(part, self.scenario))
            rows.append(row)
        return pd.DataFrame(rows)

    def by_interval(self, minutes: int = 30) -> pd.DataFrame:
        """Rate KPIs per time-of-day interval of arrival (pooled over days and replications),
        with the calls per day arriving in it (per day counted in that interval, i.e. after
        the warm-up)."""
        calls = self._counted("arrival")
        start = (calls["minute_of_day"] // minutes * minutes).astype(int)
        table = self._breakdown_of(calls, start)
        if table.empty:
            return table
        keys = table["key"].astype(int)
        table.insert(0, "interval", [f"{s // 60:02d}:{s % 60:02d}" for s in keys])
        days = counted_days_by_interval(self.scenario, minutes, self.replications)
        days = days[(keys // minutes).to_numpy()]
        table["calls_per_day"] = table["calls"] / days
        table["offered_per_day"] = table["offered"] / days
        return table.drop(columns="key")

    def by_weekday(self) -> pd.DataFrame:
        """Rate KPIs per weekday of arrival (pooled over replications), one row per open
        weekday of the run, Monday first: the open days counted of it, its calls and offered
        transfers per open day, the rate KPIs of :func:`sim.kpis.group_kpis` and the producer
        occupancy of its shifts (all groups). The rows' ``calls`` add up to the run's."""
        calls = self._counted("arrival")
        weekday = day_weekdays(self.scenario)[calls["day"].to_numpy().astype(np.int64)]
        days = counted_days_by_weekday(self.scenario, self.replications)
        rostered, busy = weekday_minutes(self.calls, self.scenario, self.replications)
        rows = []
        for k, name in enumerate(WEEKDAYS):
            if days[k] <= 0:
                continue
            row: dict[str, Any] = {"weekday": name, "days_counted": float(days[k])}
            row.update(group_kpis(calls[weekday == k], self.scenario))
            row["calls_per_day"] = row["calls"] / days[k]
            row["offered_per_day"] = row["offered"] / days[k]
            # the occupancy KPI's definition: busy / rostered shift time
            row["producer_occupancy"] = busy[k] / rostered[k] if rostered[k] > 0 else np.nan
            row["rostered_minutes"] = float(rostered[k])
            row["busy_minutes"] = float(busy[k])
            rows.append(row)
        return pd.DataFrame(rows)

    def by_group(self) -> pd.DataFrame:
        """Per producer group: calls answered and occupancy (mean over replications)."""
        answered = self._counted("answer_at").groupby("group", observed=True).size()
        occ = self.groups.groupby("group", sort=False)[
            ["producers", "rostered_minutes", "busy_minutes", "occupancy"]
        ].mean()
        occ["answered_per_replication"] = answered.reindex(occ.index).fillna(0) / len(self.kpis)
        return occ.reset_index()
