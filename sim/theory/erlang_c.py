"""Erlang B and Erlang C: producers with callers who never hang up (no abandonment).

Both assume Poisson arrivals (rate λ), exponentially distributed handle times (mean AHT,
μ = 1/AHT), ``n`` identical producers and a stationary (steady-state) regime; callers are
assessed at arrival (PASTA). ``load`` is the offered load ``A = λ·AHT`` in Erlangs.

* **Erlang B (M/M/n/n)**: blocked calls are lost (no queue). :func:`erlang_b` is the blocking
  probability, computed with the stable recursion B₀ = 1, B_k = A·B_{k−1}/(k + A·B_{k−1}).
* **Erlang C (M/M/n)**: one FCFS queue and infinite patience, so the queue is stable only when
  A < n. P(W>0) = n·B_n/(n − A(1 − B_n)); P(W≤t) = 1 − P(W>0)·e^{−(n−A)t/AHT};
  ASA over all callers = P(W>0)·AHT/(n − A); occupancy = A/n. Erlang C ignores abandonment and
  therefore over-staffs when callers hang up (see :mod:`sim.theory.erlang_a`).

:func:`staff_erlang_c` returns the fewest producers meeting a service level (and an occupancy
cap). Square-root (Halfin–Whitt) staffing, n = A + β√A, is a sanity bound only: the
Halfin–Whitt limit of P(W>0) is [1 + β Φ(β)/φ(β)]⁻¹.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import optimize, special, stats

from sim.theory import helpers

__all__ = [
    "ErlangC",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "halfin_whitt_beta",
    "halfin_whitt_p_wait",
    "square_root_staffing",
    "staff_erlang_c",
]


def erlang_b(n: int, load: float) -> float:
    """Erlang B blocking probability of an M/M/n/n loss system with offered load ``load``.

    Uses the numerically stable recursion (fine for n in the thousands and beyond).
    """
    n = helpers.check_producers(n)
    load = helpers.check_nonneg("load", load)
    b = 1.0
    for k in range(1, n + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(n: int, load: float) -> float:
    """Erlang C probability that an arriving caller waits, P(W>0), in an M/M/n queue.

    Returns 1.0 when ``load >= n`` (unstable: the queue grows without bound), except that a
    zero load means nobody ever arrives, hence 0.0.
    """
    n = helpers.check_producers(n)
    load = helpers.check_nonneg("load", load)
    if load == 0.0:
        return 0.0
    if load >= n:
        return 1.0
    b = erlang_b(n, load)
    return min(1.0, n * b / (n - load * (1.0 - b)))


@dataclass(frozen=True)
class ErlangC:
    """Erlang C (M/M/n) figures. Times in minutes."""

    p_wait: float  # P(W > 0)
    mean_wait: float  # ASA over all callers; inf when unstable
    service_level: float  # P(W <= answer_within_minutes)
    occupancy: float  # A/n, capped at 1.0 when unstable; 0.0 when n = 0
    stable: bool  # load < producers (or no load at all)


def erlang_c_metrics(
    arrival_rate: float,
    handle_minutes: float,
    producers: int,
    answer_within_minutes: float,
) -> ErlangC:
    """Erlang C metrics for ``producers`` producers."""
    lam = helpers.check_nonneg("arrival_rate", arrival_rate)
    aht = helpers.check_positive("handle_minutes", handle_minutes)
    n = helpers.check_producers(producers)
    t = helpers.check_time("answer_within_minutes", answer_within_minutes)
    load = lam * aht
    if load == 0.0:
        return ErlangC(p_wait=0.0, mean_wait=0.0, service_level=1.0, occupancy=0.0, stable=True)
    if load >= n:
        return ErlangC(
            p_wait=1.0,
            mean_wait=math.inf,
            service_level=0.0,
            occupancy=1.0 if n > 0 else 0.0,
            stable=False,
        )
    c = erlang_c(n, load)
    slack = n - load
    sl = 1.0 - c * math.exp(-slack * t / aht) if math.isfinite(t) else 1.0
    return ErlangC(
        p_wait=c,
        mean_wait=c * aht / slack,
        service_level=sl,
        occupancy=load / n,
        stable=True,
    )


def staff_erlang_c(
    arrival_rate: float,
    handle_minutes: float,
    target_service_level: float,
    answer_within_minutes: float,
    max_occupancy: float | None = None,
) -> int:
    """Fewest producers whose Erlang C P(W ≤ t) >= target (and occupancy <= max_occupancy)."""
    lam = helpers.check_nonneg("arrival_rate", arrival_rate)
    aht = helpers.check_positive("handle_minutes", handle_minutes)
    target = helpers.check_probability("target_service_level", target_service_level)
    t = helpers.check_time("answer_within_minutes", answer_within_minutes)
    if max_occupancy is not None:
        max_occupancy = float(max_occupancy)
        if not (0.0 < max_occupancy <= 1.0):
            raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy!r}")
    load = lam * aht
    if load == 0.0:
        return 0

    def meets(n: int) -> bool:
        m = erlang_c_metrics(lam, aht, n, t)
        if not m.stable or m.service_level < target:
            return False
        return max_occupancy is None or m.occupancy <= max_occupancy

    return helpers.fewest(meets, math.floor(load) + 1, lower=math.floor(load) + 1)


def square_root_staffing(load: float, beta: float) -> int:
    """Square-root staffing ceil(A + β√A) (Halfin–Whitt), never below 0. A sanity bound only."""
    load = helpers.check_nonneg("load", load)
    beta = float(beta)
    if not math.isfinite(beta):
        raise ValueError(f"beta must be finite, got {beta!r}")
    x = load + beta * math.sqrt(load)
    return max(0, math.ceil(x - 1e-9 * max(1.0, abs(x))))


def halfin_whitt_p_wait(beta: float) -> float:
    """Halfin–Whitt limit of P(W>0) for n = A + β√A: [1 + β Φ(β)/φ(β)]⁻¹ (β > 0)."""
    beta = float(beta)
    if not (math.isfinite(beta) and beta > 0):
        raise ValueError(f"beta must be a finite number > 0, got {beta!r}")
    # Φ(β)/φ(β) computed in log space to stay finite for large β.
    log_ratio = special.log_ndtr(beta) - stats.norm.logpdf(beta)
    return 1.0 / (1.0 + beta * math.exp(log_ratio))


def halfin_whitt_beta(target_p_wait: float) -> float:
    """β > 0 with Halfin–Whitt P(W>0) equal to ``target_p_wait`` (0 < target < 1)."""
    target = helpers.check_probability("target_p_wait", target_p_wait)
    hi = 1.0
    while halfin_whitt_p_wait(hi) > target:
        hi *= 2.0
    return float(optimize.brentq(lambda b: halfin_whitt_p_wait(b) - target, 1e-12, hi, xtol=1e-14))
