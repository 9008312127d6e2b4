"""Closed-form and exact-numerical queueing and experiment-sizing formulas (no simulation).

Units: rates are per minute, times are in minutes. ``load`` is the offered load
``A = arrival_rate * handle_minutes`` in Erlangs; ``producers`` is the number ``n`` of licensed
producers (servers).

Models and their assumptions
----------------------------
All three queueing models assume Poisson arrivals (rate λ), exponentially distributed handle
times (mean AHT, μ = 1/AHT), ``n`` identical producers, one FCFS queue and a stationary
(steady-state) regime; callers are assessed at arrival (PASTA).

* **Erlang B (M/M/n/n)** - blocked calls are lost (no queue). ``erlang_b`` is the blocking
  probability, computed with the stable recursion B₀ = 1, B_k = A·B_{k−1}/(k + A·B_{k−1}).
* **Erlang C (M/M/n)** - infinite patience: nobody abandons, so the queue is stable only when
  A < n. P(W>0) = n·B_n/(n − A(1 − B_n)); P(W≤t) = 1 − P(W>0)·e^{−(n−A)t/AHT};
  ASA over all callers = P(W>0)·AHT/(n − A); occupancy = A/n.
  Erlang C ignores abandonment and therefore over-staffs when callers hang up.
* **Erlang A (M/M/n+M, Palm; Mandelbaum & Zeltyn 2007)** - each waiting caller abandons after
  an exponential patience with mean ``patience_minutes`` (θ = 1/patience), independently of
  everything else; a caller in service never abandons. Always stable when θ > 0. Computed
  *exactly* from the birth–death chain on the number in system k (birth λ, death
  min(k,n)μ + max(k−n,0)θ), whose stationary distribution is evaluated in log space and
  truncated adaptively where the remaining tail mass is below 1e-15 (relative):
  P(W>0) = Σ_{k≥n} π_k, L_q = Σ (k−n)⁺π_k, P(abandon) = θ·L_q/λ, mean wait over all callers
  (answered and abandoned) = L_q/λ, occupancy = λ(1 − P(abandon))/(nμ).

  Waiting-time distribution. An arrival who finds j callers queued ahead moves up one place
  at rate nμ + iθ while i callers are ahead (a service completion or an abandonment ahead of
  it), so its *virtual* wait V (time to reach a producer if it were infinitely patient) is
  hypoexponential with rates nμ + jθ, …, nμ. Its own patience τ ~ Exp(θ) is independent of V.
  The mixture over j (weights π_{n+j}) is evaluated exactly as one small phase-type
  absorption problem via a sparse matrix exponential (``scipy.sparse.linalg.expm_multiply``).

  Service-level definitions (``erlang_a_service_level``):

  - ``"answered"`` (the lab's KPI; also the definition that reproduces DOMAIN.md's reference
    SL(20 s) = 0.7723): P(the caller is answered by a producer within t) =
    P(V ≤ t and τ > V), over all offered callers. Abandoners never count as met.
    ``"reference"`` is an alias of ``"answered"``.
  - ``"waited"``: P(min(V, τ) ≤ t): the caller's actual wait is at most t, so callers who
    abandon before t count as met (reference case: 0.7901).
  - ``"virtual"``: P(V ≤ t), the offered-wait distribution (reference case: 0.7756).
  - ``"conditional"``: P(answered within t | answered) (reference case: 0.8067).

  Reference case (100 calls per 30 min, AHT 3 min, mean patience 5 min, n = 12, t = 20 s):
  P(W>0) = 0.3318, P(abandon) = 0.0427, SL_answered(20 s) = 0.7723. The hand-off brief's two
  "variants" coincide: ``ErlangA.service_level`` and ``ErlangA.service_level_answered`` are the
  same number, because the reference value *is* the answered-within-t definition.

Staffing helpers return the fewest producers meeting every target (searched by doubling then
bisection, relying on the monotonicity of the metrics in ``n``). Square-root (Halfin–Whitt)
staffing is a sanity bound only. The two-proportion sample size uses the normal approximation
with pooled variance under H₀ and unpooled variance under H₁, unequal allocation r = n₂/n₁.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import optimize, sparse, special, stats
from scipy.sparse.linalg import expm_multiply

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

ServiceLevelDefinition = Literal["answered", "reference", "waited", "virtual", "conditional"]
_SL_DEFINITIONS: tuple[str, ...] = ("answered", "reference", "waited", "virtual", "conditional")

_TAIL_TOL = 1e-15  # relative stationary mass dropped from the (infinite) queue tail
_MAX_QUEUE_STATES = 5_000_000


# --------------------------------------------------------------------------- validation


def _check_producers(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int | np.integer):
        raise ValueError(f"producers must be an integer, got {n!r}")
    if n < 0:
        raise ValueError(f"producers must be >= 0, got {n}")
    return int(n)


def _check_nonneg(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def _check_positive(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value


def _check_probability(name: str, value: float) -> float:
    value = float(value)
    if not (0.0 < value < 1.0):
        raise ValueError(f"{name} must be a probability strictly between 0 and 1, got {value!r}")
    return value


def _check_time(name: str, value: float) -> float:
    value = float(value)
    if math.isnan(value) or value < 0:
        raise ValueError(f"{name} must be >= 0 (math.inf allowed), got {value!r}")
    return value


# --------------------------------------------------------------------------- Erlang B / C


def erlang_b(n: int, load: float) -> float:
    """Erlang B blocking probability of an M/M/n/n loss system with offered load ``load``.

    Uses the numerically stable recursion (fine for n in the thousands and beyond).
    """
    n = _check_producers(n)
    load = _check_nonneg("load", load)
    b = 1.0
    for k in range(1, n + 1):
        b = load * b / (k + load * b)
    return b


def erlang_c(n: int, load: float) -> float:
    """Erlang C probability that an arriving caller waits, P(W>0), in an M/M/n queue.

    Returns 1.0 when ``load >= n`` (unstable: the queue grows without bound), except that a
    zero load means nobody ever arrives, hence 0.0.
    """
    n = _check_producers(n)
    load = _check_nonneg("load", load)
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
    lam = _check_nonneg("arrival_rate", arrival_rate)
    aht = _check_positive("handle_minutes", handle_minutes)
    n = _check_producers(producers)
    t = _check_time("answer_within_minutes", answer_within_minutes)
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


# --------------------------------------------------------------------------- Erlang A


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
    v = expm_multiply(gen_t * t, np.append(q, 0.0))
    v = np.clip(v, 0.0, None)
    return float(v[-1]), float(np.sum(v[:-1]))


def _erlang_a_inputs(
    arrival_rate: float,
    handle_minutes: float,
    patience_minutes: float,
    producers: int,
    answer_within_minutes: float,
) -> tuple[float, float, float, int, float]:
    lam = _check_nonneg("arrival_rate", arrival_rate)
    aht = _check_positive("handle_minutes", handle_minutes)
    patience = float(patience_minutes)
    if math.isnan(patience) or patience < 0:
        raise ValueError(f"patience_minutes must be >= 0 (math.inf allowed), got {patience!r}")
    n = _check_producers(producers)
    t = _check_time("answer_within_minutes", answer_within_minutes)
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


# --------------------------------------------------------------------------- staffing


def _fewest(meets, guess: int, lower: int = 0) -> int:
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


def staff_erlang_c(
    arrival_rate: float,
    handle_minutes: float,
    target_service_level: float,
    answer_within_minutes: float,
    max_occupancy: float | None = None,
) -> int:
    """Fewest producers whose Erlang C P(W ≤ t) >= target (and occupancy <= max_occupancy)."""
    lam = _check_nonneg("arrival_rate", arrival_rate)
    aht = _check_positive("handle_minutes", handle_minutes)
    target = _check_probability("target_service_level", target_service_level)
    t = _check_time("answer_within_minutes", answer_within_minutes)
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

    return _fewest(meets, math.floor(load) + 1, lower=math.floor(load) + 1)


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
    target = _check_probability("target_service_level", target_service_level)
    if max_abandon is not None:
        max_abandon = _check_probability("max_abandon", max_abandon)
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
    return _fewest(meets, max(lower, math.floor(load)), lower=lower)


def square_root_staffing(load: float, beta: float) -> int:
    """Square-root staffing ceil(A + β√A) (Halfin–Whitt), never below 0. A sanity bound only."""
    load = _check_nonneg("load", load)
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
    target = _check_probability("target_p_wait", target_p_wait)
    hi = 1.0
    while halfin_whitt_p_wait(hi) > target:
        hi *= 2.0
    return float(optimize.brentq(lambda b: halfin_whitt_p_wait(b) - target, 1e-12, hi, xtol=1e-14))


# --------------------------------------------------------------------------- experiment sizing


def _two_proportion_parts(
    p1: float, p2: float, alpha: float, ratio: float
) -> tuple[float, float, float]:
    p1 = _check_probability("p1", p1)
    p2 = _check_probability("p2", p2)
    alpha = _check_probability("alpha", alpha)
    ratio = _check_positive("ratio", ratio)
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
    power = _check_probability("power", power)
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
