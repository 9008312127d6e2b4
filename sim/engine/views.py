"""Typed, fast views for the event handlers: a record column as a memoryview, a fired timeout.

The handlers read and write one caller's entry at a time, millions of times a run, and numpy's
scalar indexing costs far more than a memoryview's; these helpers give those views their
element type (``memoryview[float]`` for time columns, ``memoryview[int]`` for codes and flags),
so the type checker follows every read and write. :class:`Fired` is what a handler receives: a
SimPy timeout whose value is the caller (or group, or ring-over token) it was scheduled with.
"""

from __future__ import annotations

import math
from typing import Protocol, TypeVar

import numpy as np

__all__ = ["Fired", "V", "floats", "ints", "store_down"]

V = TypeVar("V")
"""A fired event's value, as the code scheduling it chose."""
V_co = TypeVar("V_co", covariant=True)


class Fired(Protocol[V_co]):
    """A timeout as its handler sees it once it has fired: the value it was scheduled with (a
    caller, a group, a ring-over token). ``simpy.Timeout`` is one."""

    @property
    def value(self) -> V_co: ...


def floats(column: np.ndarray) -> memoryview[float]:
    """Fast scalar access to a float32 or float64 column (reads and writes Python floats)."""
    raw = column.data.cast("B")  # the array's own buffer, as a memoryview
    return raw.cast("d") if column.dtype == np.float64 else raw.cast("f")


def ints(column: np.ndarray) -> memoryview[int]:
    """Fast scalar access to an integer or boolean column (reads and writes Python ints)."""
    return column.data


def store_down(view: memoryview[float], i: int, value: float) -> None:
    """Write ``value`` into a float32 ``view`` rounded down, never up: a wait stored that way
    still meets every threshold it met (a caller answered after exactly a 20-second ring is
    within a 20-second service level, though 20 s is not a float32 number of minutes)."""
    view[i] = value
    stored = view[i]
    if stored > value:  # one float32 step down: 2^-24 of the binade, 2^-25 below a power of 2
        mantissa, exponent = math.frexp(stored)
        step = exponent - (25 if mantissa == 0.5 else 24)
        view[i] = stored - math.ldexp(1.0, max(step, -149))  # float32's subnormal spacing
