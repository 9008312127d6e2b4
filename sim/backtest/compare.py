"""The back-test: the model's prediction for a log's own days against what the log shows.

For each queue figure (abandonment, P(wait), mean wait, service level) and producer
occupancy, overall and per interval of the day, weekday and caller segment (when the scenario
has segments and the log a segment column):

- **observed**: the log's figure, with a 95% interval from a bootstrap over its days;
- **predicted**: the mean over replications of the figure each replication shows for the same
  days, with a 95% **prediction interval** for one such stretch of days (mean ± t · sd ·
  sqrt(1 + 1/R), Student t with R - 1 degrees of freedom over R replications): the range the
  log's figure should fall in if the model is right;
- **verdict**: ``consistent`` when the observed figure lies inside the prediction interval;
  ``close`` when it lies outside but within the practical tolerance (:data:`TOLERANCE`: 4
  points of abandonment, 8 points of P(wait), service level and occupancy, 30% of the mean
  wait; the margins an operations lead would accept for planning); ``misses`` otherwise, with
  the direction said in words. Cells with fewer than :data:`MIN_OFFERED` offered calls in the
  log are ``too few calls`` rather than judged.

Every cell is measured from the replications' own call tables (not from
``Results.by_weekday()`` / ``by_segment()``, which pool replications), because a prediction
interval needs the figure of each replication. Observed occupancy needs each call's wrap-up;
a log without a wrap-up column counts the scenario's mean wrap-up of the call's group, and says
so in the notes.

The fit is not tuned to any of these figures: the scenario comes from
:func:`sim.calibrate.calibrate` (arrivals, handle times, patience, the producers available per
interval) or is given.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.backtest.busy import log_busy_per_day
from sim.backtest.observed import QUEUE_KPIS, cell_stats, log_call_table
from sim.backtest.predicted import Replicas, simulate_log_days
from sim.calllog import CallLog
from sim.kpis import label
from sim.scenario import Scenario

if TYPE_CHECKING:
    from sim.calibrate import Calibration

__all__ = ["FIGURES", "MIN_OFFERED", "TOLERANCE", "Backtest", "backtest", "compare_figure"]

FIGURES = (*QUEUE_KPIS, "producer_occupancy")
"""What the back-test compares, in the order reports show them."""

TOLERANCE: dict[str, tuple[str, float]] = {
    "abandonment_rate": ("points", 0.04),
    "p_wait": ("points", 0.08),
    "service_level": ("points", 0.08),
    "producer_occupancy": ("points", 0.08),
    "mean_wait_minutes": ("relative", 0.30),
}
"""Practical tolerance per figure: absolute (``points``, as a fraction) or ``relative``."""

_WORSE_WHEN_HIGHER = {
    "abandonment_rate": True,
    "p_wait": True,
    "mean_wait_minutes": True,
    "service_level": False,
}
"""Queue figures, and whether a higher value means worse service."""

MIN_OFFERED = 30
"""Offered calls a cell needs in the log before its figures are judged."""

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _within_tolerance(name: str, observed: float, predicted: float) -> bool:
    kind, size = TOLERANCE[name]
    if kind == "points":
        return abs(observed - predicted) <= size
    return abs(observed - predicted) <= size * max(abs(observed), 1e-12)


def _direction(name: str, observed: float, predicted: float) -> str:
    higher = predicted > observed
    said = {
        "abandonment_rate": ("more hang-ups", "fewer hang-ups"),
        "p_wait": ("more callers waiting", "fewer callers waiting"),
        "mean_wait_minutes": ("longer waits", "shorter waits"),
        "service_level": ("a higher service level", "a lower service level"),
        "producer_occupancy": ("busier producers", "less busy producers"),
    }[name]
    return f"predicts {said[0] if higher else said[1]} than happened"


def compare_figure(name: str, observed: float, band: tuple[float, float],
                   replicas: np.ndarray, offered: float) -> dict[str, Any]:  # fmt: skip
    """One row of the back-test: the observed figure and its band against the replications'
    values of the same figure (NaN replications, with no offered calls, are left out)."""
    values = replicas[~np.isnan(replicas)]
    r = len(values)
    mean = float(values.mean()) if r else math.nan
    if r >= 2:
        half = stats.t.ppf(0.975, r - 1) * float(values.std(ddof=1)) * math.sqrt(1 + 1 / r)
        low, high = mean - half, mean + half
    else:
        low = high = math.nan
    low = max(low, 0.0)  # no figure here can be negative
    if name != "mean_wait_minutes":  # and rates cannot exceed 1
        high = min(high, 1.0)
    if offered < MIN_OFFERED or math.isnan(observed) or math.isnan(mean):
        verdict, note = "too few calls", f"fewer than {MIN_OFFERED} offered calls in the log"
    elif low <= observed <= high:
        verdict, note = "consistent", "inside the prediction interval"
    elif _within_tolerance(name, observed, mean):
        verdict, note = "close", _direction(name, observed, mean) + ", within tolerance"
    else:
        verdict, note = "misses", _direction(name, observed, mean)
    return {
        "figure": name,
        "observed": observed,
        "observed_low": band[0],
        "observed_high": band[1],
        "predicted": mean,
        "predicted_low": low,
        "predicted_high": high,
        "offered": offered,
        "verdict": verdict,
        "note": note,
    }


@dataclass
class Backtest:
    """The back-test of one scenario against one log."""

    scenario: Scenario
    days: int
    replications: int
    seed: int
    overall: pd.DataFrame
    """One row per figure (see :func:`compare_figure`)."""
    by_interval: pd.DataFrame
    """Queue figures per interval of the day (column ``interval``, "08:00")."""
    by_weekday: pd.DataFrame
    """Queue figures per weekday (column ``weekday``, "Monday")."""
    by_segment: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Queue figures per caller segment (column ``segment``), when the scenario has segments
    and the log says each offered caller's segment; empty otherwise."""
    interval_minutes: int = 60
    source: str = "<call log>"
    fitted: bool = True
    notes: list[str] = field(default_factory=list)
    roster_lower_bounds: tuple[int, int] = (0, 0)
    """Of the fitted rosters' intervals, how many are lower bounds, and how many there are
    (``(0, 0)`` for a given scenario or one fitted from a log that queued everywhere)."""

    @property
    def verdict(self) -> str:
        """A plain sentence: does the model reproduce the log, and where not."""
        judged = self.overall[self.overall["verdict"] != "too few calls"]
        missed = judged[judged["verdict"] == "misses"]
        basis = (
            f"over the log's {self.days} days ({self.replications} simulated replications of "
            "the same days)"
        )
        if judged.empty:
            return f"Too few offered calls to judge the model {basis}."
        if missed.empty:
            close = judged[judged["verdict"] == "close"]
            extra = (
                "; " + ", ".join(label(f).lower() for f in close["figure"]) + " within tolerance"
                if len(close)
                else ""
            )
            return f"The model reproduces this log {basis}{extra}."
        parts = [f"{label(r.figure).lower()}: {r.note}" for r in missed.itertuples()]
        text = f"The model does not reproduce this log {basis}: " + "; ".join(parts) + "."
        return text + self._roster_caveat(missed)

    def _roster_caveat(self, rows: pd.DataFrame) -> str:
        """Why a fitted model may predict more waiting than happened, when it does: the log
        cannot show how many producers were there where nobody queued."""
        lower, total = self.roster_lower_bounds
        worse = [
            r.figure
            for r in rows.itertuples()
            if r.figure in _WORSE_WHEN_HIGHER
            and (r.predicted > r.observed) == _WORSE_WHEN_HIGHER[r.figure]
        ]
        if not lower or not worse:
            return ""
        return (
            f" The fitted rosters are lower bounds in {lower} of {total} intervals (too few "
            "days queued there to read availability off the queue, and a log cannot show idle "
            "producers), so the model may predict more waiting than happened; a longer log, or "
            "rosters from a base scenario, would settle it."
        )

    @property
    def breakdown(self) -> str:
        """How the cells of each breakdown fared, in a sentence (empty with no cells)."""
        parts = [
            _cells_judged(self.by_interval, "interval"),
            _cells_judged(self.by_weekday, "weekday"),
            _cells_judged(self.by_segment, "segment"),
        ]
        text = "; ".join(p for p in parts if p)
        return text[:1].upper() + text[1:] + "." if text else ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (``handoff-lab backtest --json``)."""

        def rows(table: pd.DataFrame) -> list[dict[str, Any]]:
            return [
                {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                for r in table.to_dict(orient="records")
            ]

        return {
            "scenario": self.scenario.name,
            "source": self.source,
            "fitted": self.fitted,
            "days": self.days,
            "replications": self.replications,
            "seed": self.seed,
            "interval_minutes": self.interval_minutes,
            "verdict": self.verdict,
            "breakdown": self.breakdown,
            "overall": rows(self.overall),
            "by_interval": rows(self.by_interval),
            "by_weekday": rows(self.by_weekday),
            "by_segment": rows(self.by_segment),
            "notes": list(self.notes),
        }


def _cell_rows(observed: pd.DataFrame, replicas: Replicas, scenario: Scenario,
               days: pd.Index, select: Callable[[pd.DataFrame], pd.DataFrame],
               rng: np.random.Generator) -> list[dict[str, Any]]:  # fmt: skip
    cell = cell_stats(select(observed), scenario, "date", days)
    value, band = cell.value(), cell.interval(rng)
    sims = replicas.figures(select)
    return [
        compare_figure(name, value[name], band[name], sims[name].to_numpy(float), value["offered"])
        for name in QUEUE_KPIS
    ]


def _observed_wrap_up(observed: pd.DataFrame, scenario: Scenario,
                      notes: list[str]) -> pd.Series:  # fmt: skip
    """Each call's wrap-up: the log's, else (a log without a wrap-up column) the scenario's
    mean wrap-up of the call's group, with a note (occupancy needs it; the queue does not)."""
    wrap = observed["wrap_up_minutes"].astype(float)
    missing = observed["wrap_up_missing"].to_numpy(bool)
    if not missing.any():
        return wrap
    means = {d.name: float(d.wrap_up_minutes.mean_value) for d in scenario.destinations}
    fallback = float(np.mean(list(means.values())))
    filled = observed["group"].map(means).astype(float).fillna(fallback)
    notes.append(
        f"observed occupancy: {int(missing.sum())} connected calls have no wrap-up in the log; "
        "the scenario's mean wrap-up of their group is counted for them"
    )
    return wrap.where(~missing, filled)


def _occupancy_row(observed: pd.DataFrame, replicas: Replicas, days: pd.Index,
                   rng: np.random.Generator, scenario: Scenario,
                   notes: list[str]) -> dict[str, Any]:  # fmt: skip
    """Occupancy of live calls on both sides (see :mod:`sim.backtest.busy`)."""
    per_day_roster = replicas.rostered_minutes_per_day()
    filled = observed.assign(wrap_up_minutes=_observed_wrap_up(observed, scenario, notes))
    run = replicas.results.scenario  # the log's days, as simulated
    daily, busy_notes = log_busy_per_day(filled, run, replicas.run_day(observed["date"]), days)
    notes.extend(busy_notes)
    if per_day_roster <= 0 or not len(daily):
        value, band = math.nan, (math.nan, math.nan)
    else:
        value = float(daily.sum() / (per_day_roster * len(daily)))
        picks = rng.integers(0, len(daily), size=(2000, len(daily)))
        boot = daily[picks].sum(axis=1) / (per_day_roster * len(daily))
        band = (float(np.quantile(boot, 0.025)), float(np.quantile(boot, 0.975)))
    offered = float((~np.isnan(observed["transfer_at"].to_numpy())).sum())
    live = replicas.live_occupancy()
    if live.callback_share > 0:
        notes.append(
            f"producer occupancy counts live calls on both sides: the model's callbacks "
            f"({live.callback_share:.0%} of its producer busy time) are left out, as a call log "
            f"does not list them (the model's own occupancy is "
            f"{float(np.nanmean(replicas.occupancy())):.1%})"
        )
    return compare_figure("producer_occupancy", value, band, live.values, offered)


def _segment_rows(observed: pd.DataFrame, replicas: Replicas, scenario: Scenario,
                  days: pd.Index, rng: np.random.Generator,
                  notes: list[str]) -> list[dict[str, Any]]:  # fmt: skip
    """Queue figures per segment of the scenario, when the log names the segments."""
    names = [s.name for s in getattr(scenario, "segments", [])]
    if not names:
        return []
    if observed["segment"].isna().all():
        notes.append("the scenario has segments but the log has no segment column: none compared")
        return []
    if "segment" not in replicas.calls:
        notes.append("this engine does not record segments yet: segments not compared")
        return []
    out = []
    for name in names:

        def of_segment(c: pd.DataFrame, n: str = name) -> pd.DataFrame:
            return c[c["segment"].astype(object).to_numpy() == n]

        for row in _cell_rows(observed, replicas, scenario, days, of_segment, rng):
            out.append({"segment": name, **row})
    return out


def _cells_judged(table: pd.DataFrame, key: str) -> str:
    """'k of n judged … cells consistent or close' for a breakdown table."""
    if table.empty:
        return ""
    judged = table[table["verdict"] != "too few calls"]
    good = judged["verdict"].isin(["consistent", "close"]).sum()
    return f"per {key}: {good} of {len(judged)} judged cells consistent or close"


def backtest(
    log: CallLog,
    scenario: Scenario | None = None,
    replications: int = 20,
    seed: int = 2024,
    interval_minutes: int = 60,
    workers: int = 1,
    calibration: Calibration | None = None,
) -> Backtest:
    """Back-test ``scenario`` (by default the one :func:`sim.calibrate.calibrate` fits to
    ``log``, or ``calibration``'s) against ``log``: simulate the log's own days
    ``replications`` times and compare."""
    notes: list[str] = []
    fitted = scenario is None or calibration is not None
    if scenario is None:
        if calibration is None:
            from sim.calibrate import calibrate

            calibration = calibrate(log)
        scenario = calibration.scenario
    observed = log_call_table(log.frame)
    dates = pd.DatetimeIndex(sorted(observed["date"].unique()))
    if len(dates) == 0:
        raise ValueError(f"{log.source}: no usable calls to back-test against")
    replicas = simulate_log_days(scenario, dates, replications, seed, workers)
    rng = np.random.default_rng(seed)
    days = pd.Index(dates)
    overall = _cell_rows(observed, replicas, scenario, days, lambda c: c, rng)
    overall.append(_occupancy_row(observed, replicas, days, rng, scenario, notes))

    interval_rows = []
    starts = sorted({int(m // interval_minutes * interval_minutes)
                     for m in observed["minute_of_day"]})  # fmt: skip
    for start in starts:

        def in_interval(c: pd.DataFrame, s: int = start) -> pd.DataFrame:
            m = c["minute_of_day"].to_numpy()
            return c[(m >= s) & (m < s + interval_minutes)]

        for row in _cell_rows(observed, replicas, scenario, days, in_interval, rng):
            interval_rows.append({"interval": f"{start // 60:02d}:{start % 60:02d}", **row})

    weekday_rows = []
    for wd in sorted(set(observed["weekday"])):
        its_days = pd.Index([d for d in dates if d.day_of_week == wd])

        def on_weekday(c: pd.DataFrame, w: int = wd) -> pd.DataFrame:
            return c[c["weekday"].to_numpy() == w]

        cell = cell_stats(on_weekday(observed), scenario, "date", its_days)
        value, band = cell.value(), cell.interval(rng)
        sims = replicas.figures(on_weekday)
        for name in QUEUE_KPIS:
            row = compare_figure(
                name, value[name], band[name], sims[name].to_numpy(float), value["offered"]
            )
            weekday_rows.append({"weekday": WEEKDAYS[wd], **row})
    segment_rows = _segment_rows(observed, replicas, scenario, days, rng, notes)
    if fitted:
        notes.append("scenario fitted to this log by calibrate (not tuned to any figure here)")
    return Backtest(
        scenario=scenario,
        days=len(dates),
        replications=replications,
        seed=seed,
        overall=pd.DataFrame(overall),
        by_interval=pd.DataFrame(interval_rows),
        by_weekday=pd.DataFrame(weekday_rows),
        by_segment=pd.DataFrame(segment_rows),
        interval_minutes=interval_minutes,
        source=log.source,
        fitted=fitted,
        notes=notes,
        roster_lower_bounds=_lower_bounds(calibration),
    )


def _lower_bounds(calibration: Calibration | None) -> tuple[int, int]:
    """(lower-bound intervals, intervals) of a calibration's fitted rosters."""
    table = None if calibration is None else calibration.report.tables.get("availability")
    if table is None or table.empty:
        return 0, 0
    return int((table["method"] == "lower bound").sum()), len(table)
