"""Sizing a pilot experiment: the two-proportion z-test (e.g. conversion with and without the
AI hand-off).

The sample size uses the normal approximation with pooled variance under H₀ and unpooled
variance under H₁, and unequal allocation r = n₂/n₁; the power is its inverse.
"""

from __future__ import annotations

import math

from scipy import stats

from sim.theory import helpers

__all__ = ["two_proportion_power", "two_proportion_sample_size"]


def _two_proportion_parts(
    p1: float, p2: float, alpha: float, ratio: float
) -> tuple[float, float, float]:
    p1 = helpers.check_probability("p1", p1)
    p2 = helpers.check_probability("p2", p2)
    alpha = helpers.check_probability("alpha", alpha)
    ratio = helpers.check_positive("ratio", ratio)
    if p1 == p2:
        raise ValueError("p1 and p2 must differ to size or power a test")
    p_bar = (p1 + ratio * p2) / (1.0 + ratio)
    sd_null = math.sqrt(p_bar * (1.0 - p_bar) * (1.0 + 1.0 / ratio))
    sd_alt = math.sqrt(p1 * (1.0 - p1) + p2 * (1.0 - p2) / ratio)
    return sd_null, sd_alt, abs(p1 - p2)


def two_proportion_sample_size(
    p1: float,
    p2: float,
    alpha: float = 0.05,
    power: float = 0.8,
    ratio: float = 1.0,
) -> tuple[int, int]:
    """(n1, n2) for a two-sided two-proportion z-test; ratio r = n2/n1, n2 = ceil(r·n1).

    n₁ = [z_{1−α/2}√(p̄(1−p̄)(1+1/r)) + z_{1−β}√(p₁(1−p₁) + p₂(1−p₂)/r)]² / (p₁ − p₂)²,
    p̄ = (p₁ + r·p₂)/(1 + r). 10% → 12%, α = 0.05, power 0.8, r = 1 gives 3,841 per arm.
    """
    power = helpers.check_probability("power", power)
    sd_null, sd_alt, diff = _two_proportion_parts(p1, p2, alpha, ratio)
    z_a = stats.norm.ppf(1.0 - alpha / 2.0)
    z_b = stats.norm.ppf(power)
    n1_exact = ((z_a * sd_null + z_b * sd_alt) / diff) ** 2
    n1 = math.ceil(n1_exact - 1e-9)
    n2 = math.ceil(ratio * n1 - 1e-9)
    return n1, n2


def two_proportion_power(
    p1: float,
    p2: float,
    n1: int,
    ratio: float = 1.0,
    alpha: float = 0.05,
) -> float:
    """Power of the two-sided two-proportion z-test with n1 and n2 = ratio·n1 per arm.

    Inverse of :func:`two_proportion_sample_size` (the far rejection tail is ignored, as in the
    sample-size formula): Φ((|p₁−p₂|√n₁ − z_{1−α/2}·sd₀)/sd₁).
    """
    if isinstance(n1, bool) or float(n1) <= 0 or not math.isfinite(float(n1)):
        raise ValueError(f"n1 must be a positive number of subjects, got {n1!r}")
    sd_null, sd_alt, diff = _two_proportion_parts(p1, p2, alpha, ratio)
    z_a = stats.norm.ppf(1.0 - alpha / 2.0)
    return float(stats.norm.cdf((diff * math.sqrt(float(n1)) - z_a * sd_null) / sd_alt))
