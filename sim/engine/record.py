"""The per-call record of one replication: one numpy column per field, one entry per call.

A flat record per customer is how Ciw (``DataRecord``) and Mesa (``DataCollector``) hand a run
to analysis; here it is columnar, so a million calls stay a few dozen arrays of compact types
(one-byte codes and booleans, float32 times) rather than a million Python objects, and the call
table (:func:`sim.engine.measure.call_table`) is built from it once, without copying.

Times are minutes from the start of day 0, NaN where the stage never happened, stored as
float32, rounded to within 1/4096 minute (15 ms) over a five-day run, 1/64 minute (1 s) over
two hundred days. The run keeps its own clock in float64, and the two durations the KPIs are
made of, each caller's wait for a producer and AI minutes, are measured in float64 during the
run and stored as float32 durations (to a relative 6e-8; waits rounded down, so a wait of
exactly the service-level threshold still meets it), not subtracted from rounded times.
Codes are the :mod:`sim.engine.codes` enumerations; group columns index
``scenario.destinations`` and ``segment`` indexes ``scenario.segments`` (-1: none).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.engine.arrivals import DAY
from sim.engine.codes import Fallback
from sim.engine.draws import CallerDraws

__all__ = ["DURATIONS", "TIME", "TIMES", "CallRecord", "arrival_columns", "new_columns"]

TIME = np.float32
"""The type of every time and duration column of the record and the call table."""

_CHUNK = 1 << 16

TIMES = (
    "ai_start",
    "ai_end",
    "transfer_at",
    "answer_at",
    "ai_leave",
    "end_at",
    "release_at",
    "callback_at",
    "callback_end",
)
"""The stage times the run writes: AI intake start and end, transfer request, answer by a
producer, AI off the line, caller's end, producer released (after wrap-up), callback start and
end."""

DURATIONS = ("wait_minutes", "ai_minutes")
"""The durations the run measures: from the transfer request to the answer (or to hanging up),
and from the AI's start to the AI leaving the line."""


@dataclass
class CallRecord:
    """Columnar record of one replication: one entry per call (and per outbound lead)."""

    columns: dict[str, np.ndarray]
    shift_windows: list[np.ndarray]
    """Per destination group, its on-shift windows."""
    capacity: list[tuple[np.ndarray, np.ndarray]]
    """Per destination group, producers on duty as a step function (see
    :func:`sim.engine.capacity.capacity_steps`)."""


def new_columns(draws: CallerDraws) -> dict[str, np.ndarray]:
    """The record's columns before the run: what was drawn, and every stage still empty."""
    n = draws.n

    def times() -> np.ndarray:
        return np.full(n, np.nan, dtype=TIME)

    def no_group() -> np.ndarray:
        return np.full(n, -1, dtype=np.int8)

    return {
        "direction": draws.direction,
        "call_type": draws.call_type,
        "lead_timezone": draws.lead_timezone,
        "path": draws.path,
        "ai_overflow": np.zeros(n, dtype=bool),
        "trigger": draws.trigger,
        "segment": draws.segment,
        "capture_mask": draws.capture_mask,
        "arrival": draws.arrival,
        "ai_start": times(),
        "ai_end": times(),
        "transfer_at": times(),
        "answer_at": times(),
        "ai_leave": times(),
        "end_at": times(),
        "release_at": times(),
        "group": no_group(),
        "first_group": no_group(),
        "ring_overs": np.zeros(n, dtype=np.int16),
        "outcome": draws.outcome,
        "fallback": np.full(n, Fallback.NONE, dtype=np.int8),
        "callback_group": no_group(),
        "callback_at": times(),
        "callback_end": times(),
        "callback_reached": np.zeros(n, dtype=bool),
        "wait_minutes": times(),
        "ai_minutes": np.zeros(n, dtype=TIME),
    }


def arrival_columns(arrival: np.ndarray) -> dict[str, np.ndarray]:
    """``arrival``, ``day`` and ``minute_of_day`` from the run's float64 arrival times.

    The arrival is rounded to the nearest float32, as every stage time is (so a stage that
    starts on arrival has the same stored time). The day and the minute of the day are those of
    the exact arrival, the minute rounded *down* to float32, so a call stays in the interval of
    the day it arrived in (interval bounds are whole minutes, which float32 holds exactly).
    Done in chunks, so the float64 temporaries stay small for a million calls."""
    n = len(arrival)
    out = {name: np.empty(n, dtype=TIME) for name in ("arrival", "day", "minute_of_day")}
    for start in range(0, n, _CHUNK):
        part = slice(start, start + _CHUNK)
        a = arrival[part]
        day, minute = np.divmod(a, DAY)
        out["arrival"][part] = a
        out["day"][part] = day
        out["minute_of_day"][part] = _round_down(minute)
    return out


def _round_down(x: np.ndarray) -> np.ndarray:
    """The largest float32 at or below each of ``x`` (NaN stays NaN)."""
    low = x.astype(TIME)
    up = low > x
    low[up] = np.nextafter(low[up], TIME(-np.inf))
    return low
