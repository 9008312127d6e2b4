"""What the queueing formulas share: checks of their inputs, and the search for the fewest
producers that meet a staffing target.

Every formula checks its inputs the same way, so a mistake reads the same wherever it is made:
a ``ValueError`` naming the argument and what is allowed. The staffing helpers of
:mod:`sim.theory.erlang_c` and :mod:`sim.theory.erlang_a` share :func:`fewest`, which relies on
the targets' metrics improving as producers are added (monotone in ``n``).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

__all__ = [
    "check_nonneg",
    "check_positive",
    "check_probability",
    "check_producers",
    "check_time",
    "fewest",
]


def check_producers(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise ValueError(f"producers must be an integer, got {n!r}")
    if n < 0:
        raise ValueError(f"producers must be >= 0, got {n}")
    return int(n)


def check_nonneg(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def check_positive(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value


def check_probability(name: str, value: float) -> float:
    value = float(value)
    if not (0.0 < value < 1.0):
        raise ValueError(f"{name} must be a probability strictly between 0 and 1, got {value!r}")
    return value


def check_time(name: str, value: float) -> float:
    value = float(value)
    if math.isnan(value) or value < 0:
        raise ValueError(f"{name} must be >= 0 (math.inf allowed), got {value!r}")
    return value


def fewest(meets: Callable[[int], bool], guess: int, lower: int = 0) -> int:
    """Smallest n >= lower with meets(n) True, assuming meets is monotone in n.

    Gallops from ``guess`` (down if it already meets the targets, up otherwise), then bisects.
    """
    guess = max(lower, guess)
    if meets(guess):
        hi, step = guess, 1
        lo = guess - step
        while lo >= lower and meets(lo):
            hi = lo
            step *= 2
            lo = guess - step
        if lo < lower:
            if hi == lower or meets(lower):
                return lower
            lo = lower
    else:
        lo, step = guess, 1
        hi = guess + step
        while not meets(hi):
            lo = hi
            step *= 2
            hi = guess + step
            if hi > 100_000_000:  # pragma: no cover - defensive
                raise ValueError("no staffing level up to 1e8 producers meets the targets")
    while hi - lo > 1:  # invariant: meets(hi) and not meets(lo)
        mid = (lo + hi) // 2
        if meets(mid):
            hi = mid
        else:
            lo = mid
    return hi
