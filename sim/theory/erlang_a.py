"""Erlang A (M/M/n+M, Palm; Mandelbaum & Zeltyn 2007): producers with callers who hang up.

Poisson arrivals (rate λ), exponential handle times (mean AHT, μ = 1/AHT), ``n`` identical
producers, one FCFS queue, a stationary regime, callers assessed at arrival (PASTA); and each
waiting caller abandons after an exponential patience with mean ``patience_minutes``
(θ = 1/patience), independently of everything else; a caller in service never abandons. Always
stable when θ > 0. Computed *exactly* from the birth–death chain on the number in system k
(birth λ, death min(k,n)μ + max(k−n,0)θ), whose stationary distribution is evaluated in log
space and truncated adaptively where the remaining tail mass is below 1e-15 (relative):
P(W>0) = Σ_{k≥n} π_k, L_q = Σ (k−n)⁺π_k, P(abandon) = θ·L_q/λ, mean wait over all callers
(answered and abandoned) = L_q/λ, occupancy = λ(1 − P(abandon))/(nμ).

Waiting-time distribution. An arrival who finds j callers queued ahead moves up one place at
rate nμ + iθ while i callers are ahead (a service completion or an abandonment ahead of it), so
its *virtual* wait V (time to reach a producer if it were infinitely patient) is
hypoexponential with rates nμ + jθ, …, nμ. Its own patience τ ~ Exp(θ) is independent of V. The
mixture over j (weights π_{n+j}) is evaluated exactly as one small phase-type absorption
problem via a sparse matrix exponential (``scipy.sparse.linalg.expm_multiply``). For a
threshold t so short that every rate times t is below 1e-8 (a subnormal wait, say), the
matrix exponential is its first-order expansion I + Gt to within rounding, and that is used
instead (the matrix-exponential routine divides by zero there).

Service-level definitions (:func:`erlang_a_service_level`):

- ``"answered"`` (the lab's KPI; also the definition that reproduces DOMAIN.md's reference
  SL(20 s) = 0.7723): P(the caller is answered by a producer within t) = P(V ≤ t and τ > V),
  over all offered callers. Abandoners never count as met. ``"reference"`` is an alias of
  ``"answered"``.
- ``"waited"``: P(min(V, τ) ≤ t): the caller's actual wait is at most t, so callers who abandon
  before t count as met (reference case: 0.7901).
- ``"virtual"``: P(V ≤ t), the offered-wait distribution (reference case: 0.7756).
- ``"conditional"``: P(answered within t | answered) (reference case: 0.8067).

Reference case (100 calls per 30 min, AHT 3 min, mean patience 5 min, n = 12, t = 20 s):
P(W>0) = 0.3318, P(abandon) = 0.0427, SL_answered(20 s) = 0.7723. The hand-off brief's two
"variants" coincide: ``ErlangA.service_level`` and ``ErlangA.service_level_answered`` are the
same number, because the reference value *is* the answered-within-t definition.

Patience ``math.inf`` reduces to Erlang C (:mod:`sim.theory.erlang_c`), patience 0 to Erlang B.
:func:`staff_erlang_a` returns the fewest producers meeting a service level (and an abandonment
cap).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import sparse, special
from scipy.sparse.linalg import expm_multiply

from sim.theory import helpers
from sim.theory.erlang_c import erlang_b, erlang_c_metrics

__all__ = [
    "ErlangA",
    "ServiceLevelDefinition",
    "erlang_a_metrics",
    "erlang_a_service_level",
    "staff_erlang_a",
]

ServiceLevelDefinition = Literal["answered", "reference", "waited", "virtual", "conditional"]
_SL_DEFINITIONS: tuple[str, ...] = ("answered", "reference", "waited", "virtual", "conditional")

_TAIL_TOL = 1e-15  # relative stationary mass dropped from the (infinite) queue tail
_MAX_QUEUE_STATES = 5_000_000
_FIRST_ORDER = 1e-8
"""Below this largest-rate × t the waiting-time matrix exponential is its first-order term."""


@dataclass(frozen=True)
class ErlangA:
    """Erlang A (M/M/n+M) figures. Times in minutes.

    ``service_level`` is the definition reproducing DOMAIN.md's 0.7723 reference value, which
    turns out to be P(answered within t) — identical to ``service_level_answered`` (the lab
    KPI). Other definitions are available from :func:`erlang_a_service_level`.
    """

    p_wait: float  # P(W > 0) = P(arrival finds all producers busy)
    p_abandon: float  # θ·L_q/λ
    mean_wait: float  # L_q/λ, over all callers (answered and abandoned)
    mean_queue: float  # L_q
    occupancy: float  # λ(1 − P_ab)/(nμ); 0.0 when n = 0
    service_level_answered: float  # P(answered by a producer within t), over offered callers
    service_level: float  # definition reproducing 0.7723 (== service_level_answered)
    stable: bool  # False only with infinite patience and load >= producers


@dataclass(frozen=True)
class _ChainState:
    """Stationary facts of the birth–death chain needed by the Erlang A functions."""

    lam: float
    mu: float
    theta: float
    n: int
    p_wait: float
    mean_queue: float
    queue_dist: np.ndarray  # π_{n+j}, j = 0..J (already normalised over the whole chain)


def _log_sum_exp(x: np.ndarray) -> float:
    m = float(np.max(x))
    return m + math.log(float(np.sum(np.exp(x - m))))


def _erlang_a_chain(lam: float, mu: float, theta: float, n: int) -> _ChainState:
    """Stationary distribution of the M/M/n+M birth–death chain (θ > 0, λ > 0)."""
    log_lam = math.log(lam)
    # States k = 0..n (no queue): log π_k − log π_0 = k log λ − Σ log(iμ).
    if n > 0:
        ks = np.arange(1, n + 1, dtype=float)
        log_low = np.concatenate(([0.0], np.cumsum(log_lam - np.log(ks * mu))))
    else:
        log_low = np.zeros(1)
    log_pin = float(log_low[-1])  # log π_n (unnormalised)

    # Queue states k = n + j, j >= 1: ratio λ/(nμ + jθ); grow adaptively until the tail
    # (bounded by a geometric series once the ratio is < 1) is negligible.
    j_peak = max(0.0, (lam - n * mu) / theta)  # ratios < 1 beyond this point
    chunk = int(min(max(64, 2 * j_peak + 64), _MAX_QUEUE_STATES))
    parts: list[np.ndarray] = []
    start = 1
    last = log_pin
    running_max = max(float(np.max(log_low)), log_pin)
    while True:
        js = np.arange(start, start + chunk, dtype=float)
        steps = log_lam - np.log(n * mu + js * theta)
        logs = last + np.cumsum(steps)
        parts.append(logs)
        last = float(logs[-1])
        running_max = max(running_max, float(np.max(logs)))
        ratio = lam / (n * mu + (start + chunk) * theta)
        if ratio < 1.0:
            log_tail = last + math.log(ratio) - math.log1p(-ratio)
            if log_tail - running_max < math.log(_TAIL_TOL) - 10.0:
                break
        start += chunk
        if start > _MAX_QUEUE_STATES:  # pragma: no cover - defensive
            raise ValueError("Erlang A state space too large; check rates and patience")
    log_queue = np.concatenate(([log_pin], *parts))
    # Trim the queue tail that carries negligible mass (keeps the phase-type problem small).
    keep = np.nonzero(log_queue - running_max > math.log(_TAIL_TOL) - 25.0)[0]
    log_queue = log_queue[: (int(keep[-1]) if keep.size else 0) + 1]

    log_total = _log_sum_exp(np.concatenate((log_low[:-1], log_queue)))
    queue = np.exp(log_queue - log_total)
    p_wait = min(1.0, float(np.sum(queue)))
    mean_queue = float(np.dot(np.arange(queue.size, dtype=float), queue))
    return _ChainState(lam, mu, theta, n, p_wait, mean_queue, queue)


def _waiting_masses(state: _ChainState, t: float, own_patience: bool) -> tuple[float, float]:
    """(mass answered within t, mass still waiting at t) over arrivals that find all busy.

    Positions i = 0..J (callers ahead); from i the caller moves to i−1 (or, from 0, to a
    producer) at rate nμ + iθ; with ``own_patience`` it also abandons at rate θ.
    """
    q = state.queue_dist
    n, mu, theta = state.n, state.mu, state.theta
    nmu = n * mu
    if t == 0.0 or nmu == 0.0:
        still = float(np.sum(q)) * (math.exp(-theta * t) if own_patience else 1.0)
        return 0.0, still
    size = q.size
    idx = np.arange(size, dtype=float)
    advance = nmu + idx * theta
    own = theta if own_patience else 0.0
    # Past a horizon where nobody can still be waiting (every step has rate >= nμ, so
    # P(V > t) <= P(Gamma(J+1, nμ) > t); with own patience also <= e^{−θt}), use t = ∞.
    if math.isfinite(t):
        log_bound = math.log(max(float(special.gammaincc(size, nmu * t)), 1e-300))
        if own_patience:
            log_bound = min(log_bound, -theta * t)
        if log_bound < -40.0:
            t = math.inf
    if math.isinf(t):
        if own_patience:
            # P(answered eventually | i ahead) = Π_{m=0}^{i} (nμ + mθ)/(nμ + mθ + θ).
            p_ans = np.exp(np.cumsum(np.log(advance) - np.log(advance + theta)))
            return float(np.dot(q, p_ans)), 0.0
        return float(np.sum(q)), 0.0
    # Generator (transposed, acting on a column of masses): states 0..J, then "answered".
    diag = np.append(-(advance + own), 0.0)
    rows = np.arange(size)  # flow i -> i-1 (for i >= 1) and 0 -> answered (index `size`)
    dest = np.where(rows == 0, size, rows - 1)
    gen_t = sparse.csc_matrix(
        (
            np.concatenate((diag, advance)),
            (
                np.concatenate((np.arange(size + 1), dest)),
                np.concatenate((np.arange(size + 1), rows)),
            ),
        ),
        shape=(size + 1, size + 1),
    )
    start = np.append(q, 0.0)
    if float(np.max(advance)) + own < _FIRST_ORDER / t:
        # Every rate times t is below 1e-8: exp(Gt)x = x + Gt·x to within rounding (the next
        # term is below 1e-16 relative), and expm_multiply would divide by zero for a
        # subnormal t. Multiply by t last, so a subnormal t never scales the matrix.
        v = start + (gen_t @ start) * t
    else:
        v = expm_multiply(gen_t * t, start)
    v = np.clip(v, 0.0, None)
    return float(v[-1]), float(np.sum(v[:-1]))


def _erlang_a_inputs(
    arrival_rate: float,
    handle_minutes: float,
    patience_minutes: float,
    producers: int,
    answer_within_minutes: float,
) -> tuple[float, float, float, int, float]:
    lam = helpers.check_nonneg("arrival_rate", arrival_rate)
    aht = helpers.check_positive("handle_minutes", handle_minutes)
    patience = float(patience_minutes)
    if math.isnan(patience) or patience < 0:
        raise ValueError(f"patience_minutes must be >= 0 (math.inf allowed), got {patience!r}")
    n = helpers.check_producers(producers)
    t = helpers.check_time("answer_within_minutes", answer_within_minutes)
    theta = math.inf if patience == 0 else 1.0 / patience
    return lam, 1.0 / aht, theta, n, t


def _service_level_from_state(state: _ChainState, t: float, definition: str) -> float:
    p_free = 1.0 - state.p_wait
    if definition in ("answered", "reference", "conditional"):
        ans, _ = _waiting_masses(state, t, own_patience=True)
        sl = p_free + ans
        if definition == "conditional":
            p_ab = state.theta * state.mean_queue / state.lam
            answered = 1.0 - p_ab
            return min(1.0, sl / answered) if answered > 0 else 0.0
        return min(1.0, sl)
    if definition == "waited":
        _, still = _waiting_masses(state, t, own_patience=True)
        return min(1.0, max(0.0, 1.0 - still))
    # virtual
    _, still = _waiting_masses(state, t, own_patience=False)
    return min(1.0, max(0.0, 1.0 - still))


def _check_definition(definition: str) -> str:
    if definition not in _SL_DEFINITIONS:
        raise ValueError(
            f"service-level definition must be one of {_SL_DEFINITIONS}, got {definition!r}"
        )
    return definition


def erlang_a_service_level(
    arrival_rate: float,
    handle_minutes: float,
    patience_minutes: float,
    producers: int,
    answer_within_minutes: float,
    definition: ServiceLevelDefinition = "answered",
) -> float:
    """Exact Erlang A service level under a chosen definition (see the module docstring).

    ``"answered"``/``"reference"``: P(answered within t); ``"waited"``: P(min(V, τ) ≤ t);
    ``"virtual"``: P(V ≤ t); ``"conditional"``: P(answered within t | answered).
    """
    _check_definition(definition)
    lam, mu, theta, n, t = _erlang_a_inputs(
        arrival_rate, handle_minutes, patience_minutes, producers, answer_within_minutes
    )
    if lam == 0.0 or theta == 0.0 or math.isinf(theta) or n == 0:
        return _degenerate_erlang_a(lam, mu, theta, n, t, definition).service_level
    return _service_level_from_state(_erlang_a_chain(lam, mu, theta, n), t, definition)


def _degenerate_erlang_a(
    lam: float, mu: float, theta: float, n: int, t: float, definition: str
) -> ErlangA:
    """No arrivals, infinite patience (Erlang C), zero patience (Erlang B) or n = 0."""
    if lam == 0.0:
        return ErlangA(0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, True)
    load = lam / mu
    if theta == 0.0:  # infinite patience: Erlang C
        c = erlang_c_metrics(lam, 1.0 / mu, n, t)
        lq = c.mean_wait * lam
        # Nobody abandons, so all service-level definitions coincide with P(W <= t).
        return ErlangA(
            p_wait=c.p_wait,
            p_abandon=0.0,
            mean_wait=c.mean_wait,
            mean_queue=lq,
            occupancy=c.occupancy,
            service_level_answered=c.service_level,
            service_level=c.service_level,
            stable=c.stable,
        )
    if math.isinf(theta):  # zero patience: whoever finds all busy leaves at once (Erlang B)
        b = erlang_b(n, load)
        sl_ans = 1.0 - b
        sl = {"waited": 1.0, "virtual": 1.0 - b, "conditional": 1.0}.get(definition, sl_ans)
        return ErlangA(
            p_wait=b,
            p_abandon=b,
            mean_wait=0.0,
            mean_queue=0.0,
            occupancy=load * (1.0 - b) / n if n > 0 else 0.0,
            service_level_answered=sl_ans,
            service_level=sl,
            stable=True,
        )
    # n == 0 with finite positive patience: everybody waits and eventually abandons.
    waited = 1.0 - math.exp(-theta * t) if math.isfinite(t) else 1.0
    sl = {"waited": waited}.get(definition, 0.0)
    return ErlangA(
        p_wait=1.0,
        p_abandon=1.0,
        mean_wait=1.0 / theta,
        mean_queue=lam / theta,
        occupancy=0.0,
        service_level_answered=0.0,
        service_level=sl,
        stable=True,
    )


def erlang_a_metrics(
    arrival_rate: float,
    handle_minutes: float,
    patience_minutes: float,
    producers: int,
    answer_within_minutes: float,
) -> ErlangA:
    """Exact Erlang A (M/M/n+M) metrics.

    ``patience_minutes`` is the mean patience; ``math.inf`` reduces to Erlang C (including its
    unstable case) and ``0`` to Erlang B (callers who find everybody busy leave at once).
    """
    lam, mu, theta, n, t = _erlang_a_inputs(
        arrival_rate, handle_minutes, patience_minutes, producers, answer_within_minutes
    )
    if lam == 0.0 or theta == 0.0 or math.isinf(theta) or n == 0:
        return _degenerate_erlang_a(lam, mu, theta, n, t, "answered")
    state = _erlang_a_chain(lam, mu, theta, n)
    p_ab = min(1.0, theta * state.mean_queue / lam)
    sl_answered = _service_level_from_state(state, t, "answered")
    return ErlangA(
        p_wait=state.p_wait,
        p_abandon=p_ab,
        mean_wait=state.mean_queue / lam,
        mean_queue=state.mean_queue,
        occupancy=min(1.0, lam * (1.0 - p_ab) / (n * mu)),
        service_level_answered=sl_answered,
        service_level=sl_answered,
        stable=True,
    )


def staff_erlang_a(
    arrival_rate: float,
    handle_minutes: float,
    patience_minutes: float,
    target_service_level: float,
    answer_within_minutes: float,
    max_abandon: float | None = None,
    service_level: ServiceLevelDefinition = "answered",
) -> int:
    """Fewest producers whose Erlang A service level >= target (and P(abandon) <= max_abandon).

    ``service_level`` picks the definition (module docstring); ``"reference"`` is the one that
    reproduces DOMAIN.md's 0.7723 and equals ``"answered"``.
    """
    definition = _check_definition(service_level)
    lam, mu, theta, _, t = _erlang_a_inputs(
        arrival_rate, handle_minutes, patience_minutes, 0, answer_within_minutes
    )
    target = helpers.check_probability("target_service_level", target_service_level)
    if max_abandon is not None:
        max_abandon = helpers.check_probability("max_abandon", max_abandon)
    if lam == 0.0:
        return 0

    def meets(n: int) -> bool:
        if theta == 0.0 or math.isinf(theta) or n == 0:
            m = _degenerate_erlang_a(lam, mu, theta, n, t, definition)
            sl, p_ab = m.service_level, m.p_abandon
            if not m.stable:
                return False
        else:
            state = _erlang_a_chain(lam, mu, theta, n)
            p_ab = theta * state.mean_queue / lam
            if max_abandon is not None and p_ab > max_abandon:
                return False
            sl = _service_level_from_state(state, t, definition)
        if sl < target:
            return False
        return max_abandon is None or p_ab <= max_abandon

    # Carried load lam(1 - P_ab)/mu <= n, so 1 - P_ab <= n/A: the answered service level and
    # the abandonment cap both imply a lower bound on n.
    load = lam / mu
    lower = 0
    if definition in ("answered", "reference"):
        lower = max(lower, math.floor(target * load))
    if max_abandon is not None:
        lower = max(lower, math.floor((1.0 - max_abandon) * load))
    return helpers.fewest(meets, max(lower, math.floor(load)), lower=lower)
