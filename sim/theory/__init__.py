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

from sim.theory import erlang_a as _erlang_a
from sim.theory import erlang_c as _erlang_c
from sim.theory import sizing as _sizing
from sim.theory.erlang_a import *  # noqa: F403
from sim.theory.erlang_c import *  # noqa: F403  (its function erlang_c takes the module's name)
from sim.theory.sizing import *  # noqa: F403

__all__ = [*_erlang_c.__all__, *_erlang_a.__all__, *_sizing.__all__]
