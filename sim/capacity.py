"""Producer capacity and busy time: kept for existing imports; the one definition is
:mod:`sim.engine.capacity` (shift windows, rosters, and the busy-time function)."""

from sim.engine.capacity import (
    Intervals,
    busy_minutes,
    capacity_steps,
    day_intervals,
    on_duty_minutes,
    producer_busy,
    shift_windows,
)

__all__ = [
    "Intervals",
    "busy_minutes",
    "capacity_steps",
    "day_intervals",
    "on_duty_minutes",
    "producer_busy",
    "shift_windows",
]
