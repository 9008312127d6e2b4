"""Producer capacity and busy time: shift windows, rosters, producers on duty, busy minutes.

Everything that asks "how much producer time was there, and how much of it was busy" goes
through this module, so the occupancy KPI, the staffing search and the dashboard's
through-the-day chart count the same minutes:

- :func:`shift_windows`: a group's on-shift windows over the whole run (merged across midnight,
  so an always-open group has a single window); none on a closed weekday, and on a weekday with
  its own hours the group's ``shift`` is cut to them (without a ``shift``, the group works that
  day's open hours);
- :func:`capacity_steps`: producers on duty as a step function of time (``producers``, or the
  roster's count in each interval of the day's open hours, that weekday's roster where it has
  one);
- :func:`within`: windows cut to some days (a weekday's, for the per-weekday breakdown);
- :class:`Intervals` / :func:`day_intervals`: intervals of the day (e.g. the 30-minute cells of
  a staffing plan), repeated on every simulated day;
- :func:`on_duty_minutes`: producer-minutes on duty inside the shift windows, in total or per
  interval of the day;
- :func:`producer_busy`: a group's busy intervals from the call table (live calls from answer to
  release, so whisper and wrap-up count, and callbacks);
- :func:`weekday_minutes`: rostered and busy minutes per weekday (the per-weekday occupancy);
- :func:`busy_minutes`: **the** busy-time sum: busy intervals clipped to the shift windows and
  to the counted part of the run (from the warm-up on), in total or per interval of the day and
  per key (e.g. replication).

Intervals of the day are laid on the absolute time line, day after day, so busy time that runs
past midnight lands in the next day's first interval (an always-open scenario wraps), and the
warm-up is handled by clipping those intervals at its end, not by dropping calls that arrived
before it: work done after the warm-up on an earlier call is producer time after the warm-up.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.engine.arrivals import DAY
from sim.weekdays import day_weekdays, roster_counts, run_days

if TYPE_CHECKING:
    import pandas as pd

    from sim.scenario import Scenario

__all__ = [
    "Intervals",
    "busy_minutes",
    "capacity_steps",
    "day_intervals",
    "on_duty_minutes",
    "producer_busy",
    "shift_windows",
    "weekday_minutes",
    "within",
]


# ---------------------------------------------------------------------------- shifts and rosters
def shift_windows(scenario: Scenario, group: int) -> np.ndarray:
    """The group's on-shift windows over the whole run, as (start, end) minutes, merged where one
    day's shift runs into the next (an always-open group has a single window). Closed weekdays
    have none; on a weekday with its own hours a ``shift`` is cut to those hours."""
    dest = scenario.destinations[group]
    windows: list[list[float]] = []
    for day, plan in enumerate(run_days(scenario)):
        if plan.closed:
            continue
        if dest.shift is None:
            start, end = plan.open_minute, plan.close_minute
        else:
            start, end = dest.shift.start_minute, dest.shift.end_minute
            if plan.own_hours:
                start, end = max(start, plan.open_minute), min(end, plan.close_minute)
                if end <= start:
                    continue
        s, e = day * DAY + start, day * DAY + end
        if windows and windows[-1][1] >= s:
            windows[-1][1] = e
        else:
            windows.append([s, e])
    return np.asarray(windows, dtype=float).reshape(-1, 2)


def capacity_steps(scenario: Scenario, group: int) -> tuple[np.ndarray, np.ndarray]:
    """Producers on duty in the group as a step function of time: the minutes at which each
    count takes effect (the first at minute 0) and the counts. Without a roster it is
    ``producers`` throughout; with one, the roster's count (that weekday's, where it has its
    own) in each interval of the day's open hours and ``producers`` outside them. Producers
    only take calls while the group is on shift."""
    dest = scenario.destinations[group]
    if dest.roster is None:
        return np.zeros(1), np.array([dest.producers])
    step = dest.roster.interval_minutes
    times, counts = [0.0], [dest.producers]
    for day, plan in enumerate(run_days(scenario)):
        if plan.closed:
            continue
        roster = roster_counts(scenario, group, plan.weekday) or []
        for k, count in enumerate(roster):
            times.append(day * DAY + plan.open_minute + k * step)
            counts.append(count)
        times.append(day * DAY + plan.close_minute)
        counts.append(dest.producers)
    times_a, counts_a = np.asarray(times), np.asarray(counts)
    last = np.r_[times_a[1:] != times_a[:-1], True]  # a later step at the same minute wins
    return times_a[last], counts_a[last]


def within(windows: np.ndarray, days: np.ndarray) -> np.ndarray:
    """The parts of ``windows`` ((start, end) minutes, sorted and disjoint) that fall on the
    simulated ``days`` (day indices), as (start, end) rows."""
    w = np.asarray(windows, dtype=float).reshape(-1, 2)
    days = np.unique(np.asarray(days, dtype=float))
    if len(w) == 0 or len(days) == 0:
        return np.empty((0, 2))
    lo, hi, _ = _intersect(w[:, 0], w[:, 1], days * DAY, (days + 1) * DAY)
    return np.column_stack([lo, hi])


# ---------------------------------------------------------------------------- intervals of the day
@dataclass(frozen=True)
class Intervals:
    """Intervals of the day, ``[lo, hi)`` in minutes after midnight, repeated every day."""

    lo: np.ndarray
    hi: np.ndarray

    def __len__(self) -> int:
        return len(self.lo)

    @property
    def lengths(self) -> np.ndarray:
        return self.hi - self.lo

    def labels(self) -> list[str]:
        """Each interval's start as "HH:MM"."""
        return [f"{int(s) // 60:02d}:{int(s) % 60:02d}" for s in self.lo]

    def over(self, days: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The intervals laid on the absolute time line over ``days`` days: start, end and the
        interval of the day of each, in time order."""
        offset = np.repeat(np.arange(days) * float(DAY), len(self))
        return (
            np.tile(self.lo, days) + offset,
            np.tile(self.hi, days) + offset,
            np.tile(np.arange(len(self)), days),
        )


def day_intervals(minutes: float, start: float = 0, end: float = DAY) -> Intervals:
    """Intervals of ``minutes`` from ``start`` (minute of the day) to ``end``; the last one is
    cut at ``end``. ``day_intervals(30)`` is the whole day in 48 half-hours;
    ``day_intervals(30, open, close)`` the open day."""
    if minutes <= 0 or not 0 <= start < end <= DAY:
        raise ValueError(f"bad intervals: {minutes} minutes from {start} to {end}")
    lo = start + np.arange(math.ceil((end - start) / minutes)) * float(minutes)
    return Intervals(lo, np.minimum(lo + minutes, end))


# ---------------------------------------------------------------------------- counting
def _walk(
    starts: np.ndarray, ends: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Overlap of every interval [start, end) with the sorted, disjoint segments [lo, hi), step
    by step: the j-th step gives, per interval, the j-th segment from the one it starts in
    (index) and the minutes they share (0 where none). The arrays of a step are overwritten by
    the next."""
    if len(lo) == 0 or len(starts) == 0:
        return
    first = np.searchsorted(lo, starts, side="right")
    first -= 1
    # how many segments the longest interval reaches past its first (1 at least, as before)
    reach = np.searchsorted(lo, ends, side="left")
    reach -= first
    span = int(reach.max()) - 1
    del reach
    # One set of buffers, refilled at every step (the caller uses each step at once): a million
    # busy intervals make every temporary array 8 MB.
    k, shared, begin = np.empty_like(first), np.empty(len(starts)), np.empty(len(starts))
    for j in range(max(span, 1) + 1):
        np.add(first, j, out=k)
        outside = (k < 0) | (k >= len(lo))
        np.clip(k, 0, len(lo) - 1, out=k)
        np.take(hi, k, out=shared)
        np.minimum(ends, shared, out=shared)
        np.take(lo, k, out=begin)
        np.maximum(starts, begin, out=begin)
        shared -= begin
        np.clip(shared, 0, None, out=shared)
        shared[outside] = 0
        yield k, shared


def _intersect(
    lo_a: np.ndarray, hi_a: np.ndarray, lo_b: np.ndarray, hi_b: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pieces common to two sets of sorted, disjoint intervals, in time order, and for each
    the index of its interval in the second set."""
    points = np.unique(np.concatenate([lo_a, hi_a, lo_b, hi_b]))
    lo, hi = points[:-1], points[1:]
    mid = (lo + hi) / 2
    a = np.searchsorted(lo_a, mid, side="right") - 1
    b = np.searchsorted(lo_b, mid, side="right") - 1
    inside = (a >= 0) & (b >= 0)
    inside[inside] = (mid[inside] < hi_a[a[inside]]) & (mid[inside] < hi_b[b[inside]])
    return lo[inside], hi[inside], b[inside]


def _segments(
    windows: np.ndarray | None, start: float, intervals: Intervals | None, horizon: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What is counted, as sorted disjoint segments with the interval of the day of each (0
    without intervals): the shift windows (or all time), from ``start`` on, cut into the
    intervals of the day."""
    if windows is None:
        lo, hi = np.array([float(start)]), np.array([np.inf])
    else:
        w = np.clip(np.asarray(windows, dtype=float).reshape(-1, 2), start, None)
        w = w[w[:, 1] > w[:, 0]]
        lo, hi = w[:, 0], w[:, 1]
    if intervals is None:
        return lo, hi, np.zeros(len(lo), dtype=np.int64)
    days = max(1, math.ceil(horizon / DAY)) if math.isfinite(horizon) else 1
    cell_lo, cell_hi, cell = intervals.over(days)
    if len(lo) == 0:
        return lo, hi, np.zeros(0, dtype=np.int64)
    lo, hi, k = _intersect(lo, hi, cell_lo, cell_hi)
    return lo, hi, cell[k]


_CHUNK = 1 << 16
"""Busy intervals measured at a time: a million calls' intervals would make every temporary of
:func:`_walk` 8 MB; in chunks they stay half a megabyte."""


def _horizon(windows: np.ndarray | None, ends: np.ndarray | None) -> float:
    """The last minute anything counted can reach: the last window's end, or the last busy end."""
    if windows is not None:
        return float(np.max(windows)) if np.size(windows) else 0.0
    return float(ends.max()) if ends is not None and len(ends) else 0.0


def busy_minutes(
    starts: np.ndarray,
    ends: np.ndarray,
    windows: np.ndarray | None = None,
    *,
    start: float = 0.0,
    intervals: Intervals | None = None,
    keys: np.ndarray | None = None,
    n_keys: int = 1,
) -> float | np.ndarray:
    """Producer busy minutes of the intervals [start, end) (finite), counted inside the shift
    ``windows`` (absolute (start, end) minutes; ``None``: any time) and from minute ``start``
    on (the warm-up's end).

    Without ``intervals`` it is the total; with them, the minutes in each interval of the day
    summed over days (a busy interval crossing midnight counts in the next day's first
    intervals). With ``keys`` (ints below ``n_keys``, one per busy interval, e.g. the
    replication) the result has one row per key."""
    starts, ends = np.asarray(starts), np.asarray(ends)  # float32 or float64
    lo, hi, cell = _segments(windows, start, intervals, _horizon(windows, ends))
    cells = 1 if intervals is None else len(intervals)
    flat = np.zeros(n_keys * cells)
    total = 0.0
    for first in range(0, len(starts), _CHUNK):
        part = slice(first, first + _CHUNK)
        s, e = starts[part].astype(np.float64), ends[part].astype(np.float64)
        if intervals is None and keys is None:
            for _, shared in _walk(s, e, lo, hi):
                total += float(shared.sum())
            continue
        key = np.zeros(len(s), dtype=np.int64) if keys is None else np.asarray(keys[part], np.int64)
        for k, shared in _walk(s, e, lo, hi):
            flat += np.bincount(key * cells + cell[k], weights=shared, minlength=n_keys * cells)
    if intervals is None and keys is None:
        return total
    table: np.ndarray = flat.reshape(n_keys, cells)
    if intervals is None:
        table = table[:, 0]
    return table if keys is not None else table[0]


def on_duty_minutes(
    steps: tuple[np.ndarray, np.ndarray],
    windows: np.ndarray,
    *,
    start: float = 0.0,
    intervals: Intervals | None = None,
) -> float | np.ndarray:
    """Producer-minutes on duty (the :func:`capacity_steps` step function) inside the shift
    ``windows`` from minute ``start`` on: the total, or per interval of the day summed over
    days."""
    times = np.asarray(steps[0], dtype=float)
    counts = np.asarray(steps[1], dtype=float)
    seg_lo, seg_hi, cell = _segments(windows, start, intervals, _horizon(windows, None))
    cells = 1 if intervals is None else len(intervals)
    out: np.ndarray = np.zeros(cells)
    if len(seg_lo):
        # pieces of constant staffing inside the counted segments (each within one segment)
        lo, hi, step = _intersect(seg_lo, seg_hi, times, np.r_[times[1:], np.inf])
        seg = np.searchsorted(seg_lo, lo, side="right") - 1
        out = np.bincount(cell[seg], weights=(hi - lo) * counts[step], minlength=cells)
    return float(out.sum()) if intervals is None else out


def producer_busy(
    calls: pd.DataFrame, group: int, callbacks: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The group's busy intervals in the call table: live calls from answer to release (whisper,
    talk and wrap-up) and, unless ``callbacks`` is False, callbacks from dial to end. Returns
    starts, ends and each interval's replication."""
    rep = calls["replication"].to_numpy()
    starts, ends, reps = [], [], []
    kinds = [("group", "answer_at", "release_at")]
    if callbacks:
        kinds.append(("callback_group", "callback_at", "callback_end"))
    for key, start, end in kinds:
        lo, hi = calls[start].to_numpy(), calls[end].to_numpy()
        done = calls[key].cat.codes.to_numpy() == group
        done &= ~np.isnan(lo)
        done &= ~np.isnan(hi)
        starts.append(lo[done])  # in the table's own type (float32): busy_minutes takes it
        ends.append(hi[done])
        reps.append(rep[done])
    # one piece (no copy) when the group made no callbacks (or they are left out)
    join = [(p[0] if len(p) == 1 or len(p[1]) == 0 else np.concatenate(p))
            for p in (starts, ends, reps)]  # fmt: skip
    return join[0], join[1], join[2]


def weekday_minutes(
    calls: pd.DataFrame, scenario: Scenario, replications: int
) -> tuple[np.ndarray, np.ndarray]:
    """Producer-minutes rostered and busy inside shifts, per weekday (index 0 Monday … 6
    Sunday), over every group and the ``replications`` replications of the whole call table
    ``calls``: counted as the occupancy KPI counts them (after the warm-up), with the shift
    windows cut to that weekday's days."""
    weekday = day_weekdays(scenario)
    rostered, busy = np.zeros(7), np.zeros(7)
    for g in range(len(scenario.destinations)):
        w = np.clip(shift_windows(scenario, g), scenario.warmup_minutes, None)
        w = w[w[:, 1] > w[:, 0]]
        steps = capacity_steps(scenario, g)
        starts, ends, _ = producer_busy(calls, g)
        for k in range(7):
            part = within(w, np.flatnonzero(weekday == k))
            if len(part):
                rostered[k] += float(on_duty_minutes(steps, part)) * replications
                busy[k] += float(busy_minutes(starts, ends, part))
    return rostered, busy
