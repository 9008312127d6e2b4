"""The per-call record of one replication: one numpy column per field, one entry per call.

A flat record per customer is how Ciw (``DataRecord``) and Mesa (``DataCollector``) hand a run
to analysis; here it is columnar, so a million calls stay a few dozen arrays of compact types
(one-byte codes, booleans, float64 times in minutes) rather than a million Python objects, and
the call table (:func:`sim.engine.measure.call_table`) is built from it once, without copying.

Times are minutes from the start of day 0, NaN where the stage never happened. Codes are the
:mod:`sim.engine.codes` enumerations; group columns index ``scenario.destinations`` (-1: none).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.engine.codes import Fallback
from sim.engine.draws import CallerDraws

__all__ = ["TIMES", "CallRecord", "new_columns"]

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
        return np.full(n, np.nan)

    def no_group() -> np.ndarray:
        return np.full(n, -1, dtype=np.int8)

    return {
        "direction": draws.direction,
        "call_type": draws.call_type,
        "lead_timezone": draws.lead_timezone,
        "path": draws.path,
        "ai_overflow": np.zeros(n, dtype=bool),
        "trigger": draws.trigger,
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
    }
