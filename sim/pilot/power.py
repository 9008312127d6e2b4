"""Simulated power: how often a pilot of a given length detects the scenario's own effect.

Every replication's counted calls are cut into simulated open days (:mod:`sim.pilot.counts`).
A *simulated pilot* is a set of as many days as the pilot runs; it "detects" when statsmodels'
``proportions_ztest`` (pooled variance, two-sided) on the two arms' summed counts rejects at α
with the difference in the direction of the scenario's effect. Simulated power = the share of
simulated pilots that detect.

When the days hold enough for ``pilots`` pilots that share no day, the pilots are consecutive,
disjoint runs of days (``"disjoint"``; independent simulations); otherwise each pilot draws its
days at random with replacement from all simulated days (``"resampled"``, a day-block bootstrap
in the sense of Künsch 1989, "The jackknife and the bootstrap for general stationary
observations"). Days are (nearly) exchangeable in the model: every day has the same arrival
pattern, an agency that closes starts each day with an empty queue, and nothing in a scenario
drifts or learns over days.

The 95% interval is a Wilson score interval (Wilson 1927, "Probable inference, the law of
succession, and statistical inference", JASA 22) on the number of pilots (disjoint) or, for
resampled pilots, on the number of *independent* pilot lengths of simulated data (simulated
days ÷ pilot days), conservative since resampled pilots share days. The formula's power
(:func:`sim.theory.two_proportion_power`) at the same length and expected volume sits beside
it; the two agree within Monte Carlo error when outcomes are independent Bernoulli draws.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import numpy as np
from scipy import special

from sim.pilot.counts import DayCounts
from sim.pilot.sizing import Sizing
from sim.theory import two_proportion_power

__all__ = ["MAX_PILOT_DAYS", "PowerEstimate", "estimate_power", "formula_power", "wilson"]

MAX_PILOT_DAYS = 100_000
"""Longer pilots are not simulated (they are impractical anyway)."""


def wilson(share: float, n: float, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a proportion ``share`` observed on ``n`` trials."""
    if not n > 0 or math.isnan(share):
        return float("nan"), float("nan")
    z = float(special.ndtri(0.5 + level / 2))
    den = 1 + z * z / n
    mid = (share + z * z / (2 * n)) / den
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / den
    return max(0.0, mid - half), min(1.0, mid + half)


def formula_power(p1: float, p2: float, n1: float, ratio: float, alpha: float) -> float:
    """The formula's power, NaN where it is undefined; the test's size when p1 = p2."""
    if not (0.0 < p1 < 1.0 and 0.0 < p2 < 1.0) or n1 <= 0 or ratio <= 0:
        return float("nan")
    if p1 == p2:
        return alpha / 2.0  # the test's size in the one direction counted
    # n1 is an expected (fractional) count of units; the formula is continuous in it
    return two_proportion_power(p1, p2, cast(int, n1), ratio=ratio, alpha=alpha)


def _pilot_sums(
    counts: DayCounts, pilot_days: int, pilots: int, rng: np.random.Generator
) -> tuple[np.ndarray, str, float]:
    """Per simulated pilot the summed (x_ai, n_ai, x_control, n_control), the method and the
    number of independent pilot lengths of simulated data behind them."""
    table = counts.table()
    days = counts.days
    independent = days / pilot_days
    if days // pilot_days >= pilots:
        block = table[: pilots * pilot_days].reshape(pilots, pilot_days, 4)
        return block.sum(axis=1), "disjoint", float(pilots)
    picks = rng.multinomial(pilot_days, np.full(days, 1.0 / days), size=pilots)
    return picks @ table, "resampled", independent


def _detections(sums: np.ndarray, alpha: float, direction: float) -> np.ndarray:
    """Whether each simulated pilot's two-proportion z-test (statsmodels, pooled variance,
    two-sided) rejects at ``alpha`` with the difference in ``direction``."""
    from statsmodels.stats.proportion import proportions_ztest

    detected = np.zeros(len(sums), dtype=bool)
    for k, (x_ai, n_ai, x_c, n_c) in enumerate(sums):
        if n_ai <= 0 or n_c <= 0:
            continue
        pooled = (x_ai + x_c) / (n_ai + n_c)
        if pooled <= 0.0 or pooled >= 1.0:
            continue  # no variance: the test cannot reject
        _, p_value = proportions_ztest([x_ai, x_c], [n_ai, n_c])
        diff = x_ai / n_ai - x_c / n_c
        detected[k] = p_value < alpha and diff * direction > 0
    return detected


@dataclass(frozen=True)
class PowerEstimate:
    """Formula and simulated power at one pilot length."""

    pilot_days: int
    formula_requested: float
    """Formula power for the lift sized for, at ``pilot_days`` of expected volume."""
    formula_observed: float
    """Formula power for the scenario's own lift, at the same length."""
    simulated: float | None
    ci_low: float | None
    ci_high: float | None
    pilots: int
    method: str
    """"disjoint", "resampled" or "none" (not simulated)."""
    independent: float
    """Simulated days ÷ pilot days."""


def estimate_power(
    counts: DayCounts, sizing: Sizing, alpha: float, pilot_days: int, pilots: int, seed: int
) -> PowerEstimate:
    """Formula power (requested and observed lift) and simulated power at ``pilot_days``."""
    dpw = counts.days_per_week
    daily_ai, daily_control = sizing.weekly_ai / dpw, sizing.weekly_control / dpw
    n1 = daily_control * pilot_days
    ratio = daily_ai / daily_control
    f_obs = formula_power(sizing.p_control, sizing.p_ai, n1, ratio, alpha)
    f_req = formula_power(sizing.p_control, sizing.p_target, n1, ratio, alpha)
    if pilot_days > MAX_PILOT_DAYS:
        return PowerEstimate(pilot_days, f_req, f_obs, None, None, None, 0, "none", 0.0)
    observed = sizing.observed_lift
    direction = math.copysign(1.0, observed) if observed != 0 else 1.0
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7_001, pilot_days]))
    sums, method, independent = _pilot_sums(counts, pilot_days, pilots, rng)
    share = float(_detections(sums, alpha, direction).mean())
    low, high = wilson(share, independent)
    return PowerEstimate(pilot_days, f_req, f_obs, share, low, high, pilots, method, independent)
