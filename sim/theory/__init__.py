"""Closed-form and exact-numerical queueing and experiment-sizing formulas (no simulation).

Units: rates are per minute, times are in minutes. ``load`` is the offered load
``A = arrival_rate * handle_minutes`` in Erlangs; ``producers`` is the number ``n`` of licensed
producers (servers).

Models and their assumptions
----------------------------
All three queueing models assume Poisson arrivals (rate λ), exponentially distributed handle
times (mean AHT, μ = 1/AHT), ``n`` identical producers, one FCFS queue and a stationary
(steady-state) regime; callers are assessed at arrival (PASTA).

* **Erlang B (M/M/n/n)** and **Erlang C (M/M/n)**, callers who never hang up:
  :mod:`sim.theory.erlang_c` (with square-root / Halfin–Whitt staffing).
* **Erlang A (M/M/n+M, Palm; Mandelbaum & Zeltyn 2007)**, callers who hang up after an
  exponential patience, computed exactly from its birth–death chain, with four service-level
  definitions (``"answered"`` is the lab's KPI and reproduces DOMAIN.md's 0.7723):
  :mod:`sim.theory.erlang_a`.
* **Experiment sizing**, the two-proportion z-test of a pilot: :mod:`sim.theory.sizing`.

Staffing helpers return the fewest producers meeting every target (searched by doubling then
bisection, relying on the monotonicity of the metrics in ``n``; :mod:`sim.theory.helpers`).
Every name is importable from here (``from sim.theory import erlang_a_metrics``).
"""

from __future__ import annotations

from sim.theory.erlang_a import (
    ErlangA,
    ServiceLevelDefinition,
    erlang_a_metrics,
    erlang_a_service_level,
    staff_erlang_a,
)
from sim.theory.erlang_c import (
    ErlangC,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    halfin_whitt_beta,
    halfin_whitt_p_wait,
    square_root_staffing,
    staff_erlang_c,
)
from sim.theory.sizing import two_proportion_power, two_proportion_sample_size

__all__ = [
    "ErlangA",
    "ErlangC",
    "ServiceLevelDefinition",
    "erlang_a_metrics",
    "erlang_a_service_level",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "halfin_whitt_beta",
    "halfin_whitt_p_wait",
    "square_root_staffing",
    "staff_erlang_a",
    "staff_erlang_c",
    "two_proportion_power",
    "two_proportion_sample_size",
]
