"""Producers actually available, interval by interval: what a call log shows beyond head-count.

A log shows who served when, not who was *available*: breaks, meetings and other work are
invisible, so the most calls a group ever had in service at once (:func:`peak_concurrency`)
overstates staffing through most of the day. One fact does show availability: **while
callers wait for a group, every producer of it who is available is busy** (on a call or in
its after-call work). So, within each interval of the day and on each day:

- over the moments when at least one caller was waiting for the group, the number of the
  group's producers in service (answer to release: talk plus wrap-up) *is* the number
  available: its time-average over those moments is that day's estimate for the interval;
- on a day when nobody waited in the interval, the log only bounds availability from below
  (at least the most producers seen in service at once then).

The roster value for an interval is the mean of the per-day estimates over the days that had
enough waiting (:data:`MIN_WAIT_MINUTES` of it) to measure, with a Student-t 95% interval
across those days; an interval where too few days queued (:data:`MIN_DAYS`) falls back to the
lower bound (the mean over days of the most in service at once), and says so. Waiting callers
who hung up are attributed to the group that answers most calls of their trigger (else call
type, else the largest group).

This is the queue-based estimate of staffing used in call-centre analytics when agent states
are missing (e.g. Brown et al., JASA 2005, on reading a centre's operating regime from its
queue); it needs a queue that forms often enough, which an understaffed interval provides and
an idle one does not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["MIN_DAYS", "MIN_WAIT_MINUTES", "Availability", "estimate_availability"]

MIN_WAIT_MINUTES = 1.0
"""Minutes with someone waiting that an interval needs on a day to measure availability."""

MIN_DAYS = 3
"""Days with enough waiting an interval needs before its estimate replaces the lower bound."""


@dataclass(frozen=True)
class Availability:
    """One producer group's available producers per interval of the open day."""

    group: str
    starts: np.ndarray
    """Interval starts, minutes after midnight."""
    interval_minutes: int
    estimate: np.ndarray
    """Available producers (mean over measured days; the lower bound where unmeasured)."""
    ci_low: np.ndarray
    ci_high: np.ndarray
    measured_days: np.ndarray
    """Days on which the interval had enough waiting to measure availability."""
    method: tuple[str, ...]
    """Per interval: "queue" (measured while callers waited) or "lower bound"."""

    def roster(self) -> list[int]:
        """Whole producers per interval: a measured estimate rounded to the nearest, a lower
        bound rounded up (at least that many were there), at least 0."""
        return [
            max(0, math.ceil(x - 1e-9) if how == "lower bound" else math.floor(x + 0.5))
            for x, how in zip(np.nan_to_num(self.estimate), self.method, strict=True)
        ]

    def summary(self) -> str:
        """How the roster was estimated, in words (for the report)."""
        measured = sum(m == "queue" for m in self.method)
        widths = (self.ci_high - self.ci_low)[np.array(self.method) == "queue"]
        sure = (
            f"; its 95% intervals (Student t across days) are {np.nanmedian(widths):.2g} "
            "producers wide at the median"
            if measured
            else ""
        )
        return (
            f"measured from the queue in {measured} of {len(self.method)} "
            f"{self.interval_minutes}-minute intervals (callers waited on at least {MIN_DAYS} "
            f"days){sure}; the other intervals are lower bounds (the most producers in "
            "service at once, averaged over days, rounded up)"
        )

    def table(self) -> pd.DataFrame:
        """One row per interval, for reports."""
        return pd.DataFrame(
            {
                "interval": [f"{s // 60:02d}:{s % 60:02d}" for s in self.starts.astype(int)],
                "available": self.estimate,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
                "measured_days": self.measured_days,
                "method": list(self.method),
            }
        )


def _waiting_group(df: pd.DataFrame, groups: list[str]) -> np.ndarray:
    """The group each offered call waited for: its answering group, else the group answering
    most calls of its trigger, else of its call type, else the largest group."""
    group = df["producer_group"].astype("object").to_numpy().copy()
    answered = df[df["producer_group"].notna()]
    largest = groups[0]
    for key in ("trigger", "call_type"):
        if key not in df or answered.empty:
            continue
        usual = answered.groupby(key, observed=True)["producer_group"].agg(
            lambda s: s.value_counts().index[0]
        )
        missing = pd.isna(group)
        group[missing] = df.loc[missing, key].map(usual).to_numpy()
    group[pd.isna(group)] = largest
    return group


def _step_integrals(
    starts: np.ndarray, ends: np.ndarray, w_starts: np.ndarray, w_ends: np.ndarray,
    edges: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """Per cell between consecutive ``edges``: minutes with someone waiting, the integral of
    producers in service over those minutes, and the most in service at once."""
    times = np.concatenate([starts, ends, w_starts, w_ends, edges])
    busy_step = np.concatenate([np.ones(len(starts)), -np.ones(len(ends)), np.zeros(
        2 * len(w_starts) + len(edges))])  # fmt: skip
    wait_step = np.concatenate([np.zeros(2 * len(starts)), np.ones(len(w_starts)),
                                -np.ones(len(w_ends)), np.zeros(len(edges))])  # fmt: skip
    order = np.lexsort((busy_step + wait_step, times))  # ends before starts at one instant
    times, busy, waiting = times[order], np.cumsum(busy_step[order]), np.cumsum(wait_step[order])
    seg_len = np.diff(times)
    seg_busy, seg_wait = busy[:-1], waiting[:-1]
    cell = np.searchsorted(edges, times[:-1], side="right") - 1
    ok = (cell >= 0) & (cell < len(edges) - 1) & (seg_len > 0)
    n = len(edges) - 1
    queued = seg_wait > 0
    wait_minutes = np.bincount(cell[ok & queued], seg_len[ok & queued], minlength=n)
    busy_integral = np.bincount(cell[ok & queued], (seg_len * seg_busy)[ok & queued], minlength=n)
    peak = np.zeros(n)
    np.maximum.at(peak, cell[ok], seg_busy[ok])
    return wait_minutes[:n], busy_integral[:n], peak


def estimate_availability(
    df: pd.DataFrame, open_minute: int, close_minute: int, interval_minutes: int = 30
) -> list[Availability]:
    """Available producers per interval of ``open_minute``–``close_minute`` for every group
    in ``df`` (a :class:`~sim.calllog.CallLog` frame), largest group first."""
    offered = df["outcome"].isin(["connected", "failed", "abandoned"]).to_numpy()
    calls = df.loc[offered]
    answered_mask = calls["outcome"].isin(["connected", "failed"]).to_numpy()
    groups = list(calls.loc[answered_mask, "producer_group"].dropna().value_counts().index)
    if not groups:
        return []
    # Local clock minutes since the epoch (``start_minute`` may be UTC): the day and minute of
    # day the log was read in.
    day = pd.to_datetime(calls["date"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    local_start = day * 1440.0 + calls["minute_of_day"].to_numpy(float)
    transfer = local_start + calls["transfer_minutes"].fillna(0).to_numpy(float)
    wait = calls["wait_minutes"].fillna(0).to_numpy(float)
    answer = transfer + wait
    release = (
        answer
        + calls["handle_minutes"].fillna(0).to_numpy(float)
        + calls["wrap_up_minutes"].fillna(0).to_numpy(float)
    )
    waited_for = _waiting_group(calls, groups)
    days = np.unique(day).astype(float)
    starts = np.arange(open_minute, close_minute, interval_minutes)
    k = len(starts)
    close = min(close_minute, int(starts[-1]) + interval_minutes)
    # Every day's interval edges and its close, in one increasing list: per day k interval
    # cells, then the (ignored) cell from close to the next day's opening.
    edges = (days[:, None] * 1440.0 + np.append(starts, close)[None, :]).ravel()
    out = []
    for g in groups:
        serving = answered_mask & (calls["producer_group"].to_numpy() == g)
        waits = (waited_for == g) & (wait > 0)
        cells = _step_integrals(answer[serving], release[serving], transfer[waits],
                                answer[waits], edges)  # fmt: skip
        wait_m, busy_i, peak = (np.append(c, 0.0).reshape(len(days), k + 1)[:, :k] for c in cells)
        measured = wait_m >= MIN_WAIT_MINUTES
        with np.errstate(invalid="ignore", divide="ignore"):
            daily = np.where(measured, busy_i / wait_m, np.nan)
        n_days = measured.sum(axis=0)
        estimate, low, high, method = [], [], [], []
        for i in range(len(starts)):
            values = daily[measured[:, i], i]
            if n_days[i] >= MIN_DAYS:
                mean = float(values.mean())
                half = float(stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1)
                             / math.sqrt(len(values)))  # fmt: skip
                estimate.append(mean)
                low.append(max(0.0, mean - half))
                high.append(mean + half)
                method.append("queue")
            else:
                bound = float(peak[:, i].mean())
                estimate.append(bound)
                low.append(bound)
                high.append(math.nan)
                method.append("lower bound")
        out.append(
            Availability(
                str(g),
                starts,
                interval_minutes,
                np.array(estimate),
                np.array(low),
                np.array(high),
                n_days,
                tuple(method),
            )
        )
    return out
