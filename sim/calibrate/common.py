"""Shared pieces of the calibration: thresholds, the offered outcomes, proportions with Wilson
score intervals (Wilson, JASA 1927), shares that sum to one, and trigger names."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from scipy import special

from sim.calllog import normalise_name

__all__ = [
    "MIN_CALLS",
    "MIN_DURATIONS",
    "MIN_TYPE_CALLS",
    "OFFERED",
    "Z95",
    "Proportion",
    "proportion",
    "shares",
    "trigger_name",
    "wilson",
]

MIN_CALLS = 100
"""Fewest usable inbound calls ``calibrate`` accepts."""
MIN_DURATIONS = 20
"""Fewest observations to fit a duration; with fewer, the base (or default) value is kept."""
MIN_TYPE_CALLS = 20
"""Fewest AI-handled calls of a type to fit its own containment and trigger mix."""
Z95 = float(special.ndtri(0.975))
"""The standard normal 97.5% quantile (two-sided 95% intervals)."""
OFFERED = ("connected", "failed", "abandoned", "no_producer", "voicemail")
"""Outcomes of calls offered to a producer (a transfer was requested)."""


def wilson(successes: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion (Wilson, JASA 1927)."""
    if n <= 0:
        return math.nan, math.nan
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Proportion:
    """``successes`` / ``n`` with its binomial standard error and Wilson 95% interval."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    n: int


def proportion(successes: float, n: int) -> Proportion:
    """A proportion and its evidence (``n`` > 0)."""
    p = successes / n
    lo, hi = wilson(successes, n)
    return Proportion(p, math.sqrt(p * (1 - p) / n), lo, hi, n)


def shares(counts: pd.Series) -> dict[str, float]:
    """Shares rounded to 4 decimals that still sum to exactly 1."""
    total = float(counts.sum())
    out = {str(k): round(float(v) / total, 4) for k, v in counts.items() if v > 0}
    biggest = max(out, key=out.__getitem__)
    out[biggest] = round(1.0 - sum(v for k, v in out.items() if k != biggest), 6)
    return out


def trigger_name(label: str) -> str:
    """A trigger label as a scenario trigger name (normalised; starts with a letter)."""
    name = normalise_name(label)
    return name if name[:1].isalpha() else f"t_{name}"
