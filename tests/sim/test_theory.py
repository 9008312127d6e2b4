"""Tests for sim.theory against independent truth.

Sources of truth used here (none of them reuse the module's own algorithm):
* DOMAIN.md reference values (Erlang A n = 12, staffing 13 vs 14, sample size 3,841);
* hand-derived closed forms (M/M/1, M/M/1+M with θ = μ, which is an M/M/∞ chain);
* Erlang B by exact rational arithmetic, by Poisson pmf/cdf, and published table values;
* the Mandelbaum–Zeltyn closed form of Erlang A via the regularised lower incomplete gamma
  function (P(W>0), P(abandon) and the full virtual-wait distribution);
* statsmodels for two-proportion sample size and power.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    power_proportions_2indep,
    proportion_effectsize,
    samplesize_proportions_2indep_onetail,
)

from sim.theory import (
    ErlangA,
    ErlangC,
    ServiceLevelDefinition,
    erlang_a_metrics,
    erlang_a_service_level,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    halfin_whitt_beta,
    halfin_whitt_p_wait,
    square_root_staffing,
    staff_erlang_a,
    staff_erlang_c,
    two_proportion_power,
    two_proportion_sample_size,
)

# DOMAIN.md reference case: 100 calls per 30 min, AHT 3 min, mean patience 5 min, 80% in 20 s.
REF_LAMBDA = 100 / 30
REF_AHT = 3.0
REF_PATIENCE = 5.0
REF_T = 20 / 60


# --------------------------------------------------------------------------- independent truth


def mz_closed_form(lam: float, aht: float, patience: float, n: int, t: float) -> dict[str, float]:
    """Mandelbaum–Zeltyn (2007) closed form of M/M/n+M via the incomplete gamma function.

    With a = nμ/θ, x = λ/θ and P(a, ·) the regularised lower incomplete gamma function:
    J = a·x^{−a}·e^x·Γ(a)·P(a, x) (= Σ_j Π_{i≤j} λ/(nμ + iθ)), P(W>0) = B·J/(1 + (J − 1)B)
    with B = Erlang B; P(Ab | W>0) = 1 − 1/ρ + 1/(ρJ); the virtual wait V of a delayed caller
    has P(V>t | V>0) = P(a, x e^{−θt})/P(a, x); answered within t among delayed callers
    = E[e^{−θV}; V ≤ t] = a·[P(a+1, x) − P(a+1, x e^{−θt})]/(x·P(a, x)).
    """
    mu, theta = 1 / aht, 1 / patience
    a, x = n * mu / theta, lam / theta
    rho = lam / (n * mu)
    log_j = (
        math.log(a) - a * math.log(x) + x + special.gammaln(a) + math.log(special.gammainc(a, x))
    )
    inv_j = math.exp(-log_j)  # 1/J, finite even when J overflows
    # Erlang B by Poisson ratio (independent of the recursion under test).
    load = lam * aht
    b = stats.poisson.pmf(n, load) / stats.poisson.cdf(n, load)
    p_wait = 1 / (1 + (1 / b - 1) * inv_j)  # = B·J/(1 + (J − 1)B)
    p_ab = p_wait * (1 - 1 / rho + inv_j / rho)
    xt = x * math.exp(-theta * t)
    p_a = special.gammainc(a, x)
    v_tail = special.gammainc(a, xt) / p_a  # P(V > t | V > 0)
    answered_within = a * (special.gammainc(a + 1, x) - special.gammainc(a + 1, xt)) / (x * p_a)
    return {
        "p_wait": p_wait,
        "p_abandon": p_ab,
        "answered": 1 - p_wait + p_wait * answered_within,
        "virtual": 1 - p_wait * v_tail,
        "waited": 1 - p_wait * v_tail * math.exp(-theta * t),
        "conditional": (1 - p_wait + p_wait * answered_within) / (1 - p_ab),
    }


def erlang_b_exact(n: int, load: Fraction) -> Fraction:
    terms = [load**k / math.factorial(k) for k in range(n + 1)]
    return terms[-1] / sum(terms)


# --------------------------------------------------------------------------- DOMAIN.md reference


def test_reference_case_erlang_a_n12_matches_domain_values() -> None:
    m = erlang_a_metrics(
        arrival_rate=REF_LAMBDA,
        handle_minutes=REF_AHT,
        patience_minutes=REF_PATIENCE,
        producers=12,
        answer_within_minutes=REF_T,
    )
    assert isinstance(m, ErlangA)
    assert round(m.p_wait, 4) == 0.3318
    assert round(m.p_abandon, 4) == 0.0427
    assert round(m.service_level, 4) == 0.7723
    # The 0.7723 definition is the lab KPI itself: P(answered by a producer within t).
    assert round(m.service_level_answered, 4) == 0.7723
    assert m.service_level == pytest.approx(m.service_level_answered, abs=1e-12)
    assert m.stable


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        ("answered", 0.7723),
        ("reference", 0.7723),
        ("waited", 0.7901),
        ("virtual", 0.7756),
        ("conditional", 0.8067),
    ],
)
def test_reference_case_service_level_definitions(definition: str, expected: float) -> None:
    sl = erlang_a_service_level(REF_LAMBDA, REF_AHT, REF_PATIENCE, 12, REF_T, definition=definition)
    assert round(sl, 4) == expected


def test_reference_case_staffing_erlang_a_13_erlang_c_14() -> None:
    assert staff_erlang_a(REF_LAMBDA, REF_AHT, REF_PATIENCE, 0.8, REF_T) == 13
    assert (
        staff_erlang_a(REF_LAMBDA, REF_AHT, REF_PATIENCE, 0.8, REF_T, service_level="reference")
        == 13
    )
    assert staff_erlang_c(REF_LAMBDA, REF_AHT, 0.8, REF_T) == 14
    # Boundaries: 12 misses, 13 meets (Erlang A); 13 misses, 14 meets (Erlang C).
    assert erlang_a_metrics(REF_LAMBDA, REF_AHT, REF_PATIENCE, 12, REF_T).service_level < 0.8
    assert erlang_a_metrics(REF_LAMBDA, REF_AHT, REF_PATIENCE, 13, REF_T).service_level >= 0.8
    assert erlang_c_metrics(REF_LAMBDA, REF_AHT, 13, REF_T).service_level < 0.8
    assert erlang_c_metrics(REF_LAMBDA, REF_AHT, 14, REF_T).service_level >= 0.8


def test_staffing_extra_constraints() -> None:
    # An abandonment cap of 1% needs more producers than the SL target alone.
    n = staff_erlang_a(REF_LAMBDA, REF_AHT, REF_PATIENCE, 0.8, REF_T, max_abandon=0.01)
    assert n > 13
    assert erlang_a_metrics(REF_LAMBDA, REF_AHT, REF_PATIENCE, n, REF_T).p_abandon <= 0.01
    assert erlang_a_metrics(REF_LAMBDA, REF_AHT, REF_PATIENCE, n - 1, REF_T).p_abandon > 0.01
    # Occupancy cap: A/n <= 0.7 with A = 10 needs 15 producers.
    assert staff_erlang_c(REF_LAMBDA, REF_AHT, 0.8, REF_T, max_occupancy=0.7) == 15
    # No traffic, no producers.
    assert staff_erlang_c(0.0, REF_AHT, 0.8, REF_T) == 0
    assert staff_erlang_a(0.0, REF_AHT, REF_PATIENCE, 0.8, REF_T) == 0


def test_staffing_large_centre_is_minimal() -> None:
    lam, aht, patience, t = 50.0, 4.0, 3.0, 0.5  # A = 200 Erlangs
    n = staff_erlang_a(lam, aht, patience, 0.9, t)
    ref = mz_closed_form(lam, aht, patience, n, t)
    below = mz_closed_form(lam, aht, patience, n - 1, t)
    assert ref["answered"] >= 0.9 > below["answered"]
    nc = staff_erlang_c(lam, aht, 0.9, t)
    assert erlang_c_metrics(lam, aht, nc, t).service_level >= 0.9
    assert erlang_c_metrics(lam, aht, nc - 1, t).service_level < 0.9


# --------------------------------------------------------------------------- Erlang B / C


@pytest.mark.parametrize(
    ("n", "load"),
    [
        (1, Fraction(1)),
        (2, Fraction(1)),
        (5, Fraction(7, 2)),
        (10, Fraction(5)),
        (30, Fraction(25)),
    ],
)
def test_erlang_b_matches_exact_rational(n: int, load: Fraction) -> None:
    assert erlang_b(n, float(load)) == pytest.approx(float(erlang_b_exact(n, load)), rel=1e-12)


def test_erlang_b_hand_values() -> None:
    assert erlang_b(0, 3.0) == 1.0
    assert erlang_b(1, 1.0) == pytest.approx(0.5)
    assert erlang_b(2, 1.0) == pytest.approx(0.2)  # (1/2)/(1 + 1 + 1/2)
    assert erlang_b(5, 0.0) == 0.0


@pytest.mark.parametrize(
    # Erlang B table (1% grade of service): offered load carried by n trunks at B = 0.01.
    ("n", "load"),
    [(5, 1.361), (10, 4.461), (20, 12.031), (50, 37.901), (100, 84.064)],
)
def test_erlang_b_published_table(n: int, load: float) -> None:
    assert erlang_b(n, load) == pytest.approx(0.01, abs=5e-5)


@pytest.mark.parametrize(("n", "load"), [(1000, 950.0), (5000, 4900.0), (5000, 5200.0)])
def test_erlang_b_stable_for_thousands_of_servers(n: int, load: float) -> None:
    expected = stats.poisson.pmf(n, load) / stats.poisson.cdf(n, load)
    assert erlang_b(n, load) == pytest.approx(expected, rel=1e-9)


def test_erlang_c_mm1_and_hand_cases() -> None:
    for rho in (0.1, 0.5, 0.9):
        assert erlang_c(1, rho) == pytest.approx(rho, rel=1e-12)
    # n = 2, A = 1: (A²/2)·n/(n−A) / (1 + A + (A²/2)·n/(n−A)) = 1/3.
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3, rel=1e-12)
    assert erlang_c(3, 3.0) == 1.0
    assert erlang_c(3, 4.5) == 1.0
    assert erlang_c(0, 0.0) == 0.0
    assert erlang_c(4, 0.0) == 0.0


def test_erlang_c_metrics_mm1_closed_form() -> None:
    lam, aht, t = 0.4, 2.0, 1.5  # μ = 0.5, ρ = 0.8
    mu = 1 / aht
    rho = lam / mu
    m = erlang_c_metrics(arrival_rate=lam, handle_minutes=aht, producers=1, answer_within_minutes=t)
    assert isinstance(m, ErlangC)
    assert m.p_wait == pytest.approx(rho)
    assert m.mean_wait == pytest.approx(rho / (mu - lam))
    assert m.service_level == pytest.approx(1 - rho * math.exp(-(mu - lam) * t))
    assert m.occupancy == pytest.approx(rho)
    assert m.stable


def test_erlang_c_metrics_unstable_and_degenerate() -> None:
    m = erlang_c_metrics(REF_LAMBDA, REF_AHT, 10, REF_T)  # A = n = 10
    assert (m.p_wait, m.mean_wait, m.service_level, m.occupancy, m.stable) == (
        1.0,
        math.inf,
        0.0,
        1.0,
        False,
    )
    assert not erlang_c_metrics(REF_LAMBDA, REF_AHT, 0, REF_T).stable
    idle = erlang_c_metrics(0.0, REF_AHT, 3, REF_T)
    assert idle.p_wait == 0.0
    assert idle.service_level == 1.0
    assert idle.stable
    assert erlang_c_metrics(REF_LAMBDA, REF_AHT, 12, math.inf).service_level == 1.0


def test_erlang_c_reference_values() -> None:
    # Hand: B(12, 10) by exact arithmetic, C = nB/(n − A(1 − B)).
    b = float(erlang_b_exact(12, Fraction(10)))
    c = 12 * b / (12 - 10 * (1 - b))
    m = erlang_c_metrics(REF_LAMBDA, REF_AHT, 12, REF_T)
    assert m.p_wait == pytest.approx(c, rel=1e-12)
    assert m.service_level == pytest.approx(1 - c * math.exp(-2 * REF_T / REF_AHT), rel=1e-12)
    assert m.mean_wait == pytest.approx(c * REF_AHT / 2, rel=1e-12)
    assert m.occupancy == pytest.approx(10 / 12)


# --------------------------------------------------------------------------- Erlang A


@pytest.mark.parametrize(
    ("lam", "aht", "patience", "n", "t"),
    [
        (REF_LAMBDA, REF_AHT, REF_PATIENCE, 12, REF_T),
        (REF_LAMBDA, REF_AHT, REF_PATIENCE, 8, 1.0),  # overloaded, A = 10 > n
        (0.8, 1.0, 2.0, 1, 0.5),  # M/M/1+M
        (2.0, 1.0, 0.5, 1, 3.0),  # M/M/1+M, heavily overloaded
        (50.0, 4.0, 3.0, 195, 0.25),  # A = 200
        (1000.0, 3.0, 5.0, 2900, 1 / 3),  # A = 3000, thousands of producers
    ],
)
def test_erlang_a_matches_incomplete_gamma_closed_form(
    lam: float, aht: float, patience: float, n: int, t: float
) -> None:
    truth = mz_closed_form(lam, aht, patience, n, t)
    m = erlang_a_metrics(lam, aht, patience, n, t)
    assert m.p_wait == pytest.approx(truth["p_wait"], abs=1e-9)
    assert m.p_abandon == pytest.approx(truth["p_abandon"], abs=1e-9)
    assert m.service_level_answered == pytest.approx(truth["answered"], abs=1e-9)
    assert m.mean_wait == pytest.approx(m.p_abandon * patience, rel=1e-12)  # Little: θL_q/λ
    assert m.mean_queue == pytest.approx(m.mean_wait * lam, rel=1e-12)
    assert m.occupancy == pytest.approx(lam * (1 - m.p_abandon) * aht / n, rel=1e-12)
    for definition in ("virtual", "waited", "conditional"):
        sl = erlang_a_service_level(lam, aht, patience, n, t, definition=definition)
        assert sl == pytest.approx(truth[definition], abs=1e-9), definition


def test_mm1m_with_theta_equal_mu_is_infinite_server_chain() -> None:
    # n = 1 and θ = μ: every state k has death rate kμ, so k ~ Poisson(A) (M/M/∞).
    lam, aht = 1.7, 1.0
    load = lam * aht
    m = erlang_a_metrics(lam, aht, aht, 1, 0.0)
    assert m.p_wait == pytest.approx(1 - math.exp(-load), abs=1e-12)
    lq = load - (1 - math.exp(-load))  # E[(k − 1)⁺]
    assert m.mean_queue == pytest.approx(lq, abs=1e-12)
    assert m.p_abandon == pytest.approx(lq / load, abs=1e-12)  # θ = μ = 1, so θL_q/λ
    assert m.service_level_answered == pytest.approx(math.exp(-load), abs=1e-12)  # t = 0


def test_erlang_a_service_level_limits() -> None:
    base = erlang_a_metrics(REF_LAMBDA, REF_AHT, REF_PATIENCE, 12, REF_T)
    at_zero = erlang_a_metrics(REF_LAMBDA, REF_AHT, REF_PATIENCE, 12, 0.0)
    assert at_zero.service_level_answered == pytest.approx(1 - base.p_wait, abs=1e-12)
    for t in (200.0, math.inf):  # large finite t goes through the matrix exponential
        late = erlang_a_metrics(REF_LAMBDA, REF_AHT, REF_PATIENCE, 12, t)
        assert late.service_level_answered == pytest.approx(1 - base.p_abandon, abs=1e-9)
    for definition in ("virtual", "waited", "conditional"):
        sl = erlang_a_service_level(REF_LAMBDA, REF_AHT, REF_PATIENCE, 12, 1e4, definition)
        assert sl == pytest.approx(1.0, abs=1e-9)
        sl0 = erlang_a_service_level(REF_LAMBDA, REF_AHT, REF_PATIENCE, 12, 0.0, definition)
        expected = (
            (1 - base.p_wait) / (1 - base.p_abandon)
            if definition == "conditional"
            else (1 - base.p_wait)
        )
        assert sl0 == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("definition", ["answered", "waited", "virtual", "conditional"])
def test_erlang_a_service_level_of_waits_too_short_to_matter(
    definition: ServiceLevelDefinition,
) -> None:
    """A subnormal threshold (5e-324 min) is the t = 0 limit, without a division by zero; and
    the first-order expansion used for such short waits has the slope the matrix exponential
    has at a threshold it handles itself."""

    def at(t: float) -> float:
        return erlang_a_service_level(REF_LAMBDA, REF_AHT, REF_PATIENCE, 12, t, definition)

    zero = at(0.0)
    for t in (5e-324, 1e-310, 2.2250738585072014e-308, 1e-300):
        assert at(t) == pytest.approx(zero, abs=1e-15)
    first_order_slope = (at(1e-10) - zero) / 1e-10  # every rate × t < 1e-8: the expansion
    expm_slope = (at(1e-5) - zero) / 1e-5  # rates × t > 1e-8: the matrix exponential
    assert first_order_slope > 0
    assert first_order_slope == pytest.approx(expm_slope, rel=1e-3)


@pytest.mark.parametrize("n", [11, 12, 14])
def test_erlang_a_tends_to_erlang_c_as_patience_grows(n: int) -> None:
    c = erlang_c_metrics(REF_LAMBDA, REF_AHT, n, REF_T)
    a = erlang_a_metrics(REF_LAMBDA, REF_AHT, 1e7, n, REF_T)
    assert a.p_wait == pytest.approx(c.p_wait, abs=1e-5)
    assert a.mean_wait == pytest.approx(c.mean_wait, rel=1e-4)
    assert a.service_level_answered == pytest.approx(c.service_level, abs=1e-5)
    assert a.p_abandon < 1e-6
    # Infinite patience is exactly Erlang C, including the unstable case.
    exact = erlang_a_metrics(REF_LAMBDA, REF_AHT, math.inf, n, REF_T)
    assert exact.p_wait == c.p_wait
    assert exact.service_level == c.service_level
    assert exact.p_abandon == 0.0
    unstable = erlang_a_metrics(REF_LAMBDA, REF_AHT, math.inf, 10, REF_T)
    assert not unstable.stable
    assert unstable.mean_wait == math.inf


def test_erlang_a_edge_cases() -> None:
    # Zero patience: whoever finds all busy leaves at once, i.e. Erlang B.
    b = float(erlang_b_exact(12, Fraction(10)))
    zero = erlang_a_metrics(REF_LAMBDA, REF_AHT, 0.0, 12, REF_T)
    assert zero.p_abandon == pytest.approx(b, rel=1e-12)
    assert zero.service_level_answered == pytest.approx(1 - b, rel=1e-12)
    assert zero.mean_wait == 0.0
    # No producers: everybody waits and abandons; M/M/∞ queue of impatient callers.
    none = erlang_a_metrics(REF_LAMBDA, REF_AHT, REF_PATIENCE, 0, REF_T)
    assert (none.p_wait, none.p_abandon, none.service_level_answered) == (1.0, 1.0, 0.0)
    assert none.mean_queue == pytest.approx(REF_LAMBDA * REF_PATIENCE)
    waited = erlang_a_service_level(REF_LAMBDA, REF_AHT, REF_PATIENCE, 0, REF_T, "waited")
    assert waited == pytest.approx(1 - math.exp(-REF_T / REF_PATIENCE))
    # No traffic.
    idle = erlang_a_metrics(0.0, REF_AHT, REF_PATIENCE, 3, REF_T)
    assert (idle.p_wait, idle.p_abandon, idle.service_level) == (0.0, 0.0, 1.0)


def test_dataclasses_are_frozen() -> None:
    m = erlang_a_metrics(REF_LAMBDA, REF_AHT, REF_PATIENCE, 12, REF_T)
    with pytest.raises(AttributeError):
        m.p_wait = 0.0  # type: ignore[misc]
    c = erlang_c_metrics(REF_LAMBDA, REF_AHT, 12, REF_T)
    with pytest.raises(AttributeError):
        c.p_wait = 0.0  # type: ignore[misc]


# --------------------------------------------------------------------------- Halfin–Whitt


def test_square_root_staffing() -> None:
    assert square_root_staffing(100.0, 1.0) == 110
    assert square_root_staffing(10.0, 0.5) == 12  # 10 + 0.5·3.162 = 11.58
    assert square_root_staffing(9.0, 1.0) == 12  # exact integer stays put
    assert square_root_staffing(4.0, -5.0) == 0


def test_halfin_whitt_beta_round_trip_and_limit() -> None:
    for alpha in (0.05, 0.2, 0.5, 0.9):
        beta = halfin_whitt_beta(alpha)
        assert beta > 0
        assert halfin_whitt_p_wait(beta) == pytest.approx(alpha, rel=1e-10)
    # Normal tables: Φ(1) = 0.8413447, φ(1) = 0.2419707, so β = 1 gives 0.223361.
    assert halfin_whitt_p_wait(1.0) == pytest.approx(1 / (1 + 0.8413447 / 0.2419707), abs=1e-6)
    # QED limit: Erlang C with n = A + β√A, A large, approaches the Halfin–Whitt value.
    load, beta = 10_000.0, halfin_whitt_beta(0.2)
    n = load + beta * math.sqrt(load)
    assert erlang_c(math.floor(n), load) > 0.2 > erlang_c(math.ceil(n), load)
    assert erlang_c(round(n), load) == pytest.approx(0.2, abs=0.01)


# --------------------------------------------------------------------------- sample size / power


def test_sample_size_domain_example() -> None:
    assert two_proportion_sample_size(0.10, 0.12) == (3841, 3841)
    assert two_proportion_sample_size(0.12, 0.10) == (3841, 3841)


@pytest.mark.parametrize(
    ("p1", "p2", "alpha", "power", "ratio"),
    [
        (0.10, 0.12, 0.05, 0.8, 1.0),
        (0.10, 0.12, 0.05, 0.8, 4.0),  # 20% pilot arm vs 80% control: r = n2/n1 = 4
        (0.495, 0.731, 0.05, 0.9, 0.25),
        (0.30, 0.25, 0.01, 0.8, 2.0),
    ],
)
def test_sample_size_matches_statsmodels(
    p1: float, p2: float, alpha: float, power: float, ratio: float
) -> None:
    n1, n2 = two_proportion_sample_size(p1, p2, alpha=alpha, power=power, ratio=ratio)
    # statsmodels: prop1 = prop2 + diff, ratio = nobs2/nobs1, pooled variance under H0.
    sm = samplesize_proportions_2indep_onetail(
        diff=p1 - p2, prop2=p2, power=power, ratio=ratio, alpha=alpha, alternative="two-sided"
    )
    assert n1 == math.ceil(sm)
    assert n2 == math.ceil(ratio * n1 - 1e-9)
    pw = two_proportion_power(p1, p2, n1, ratio=ratio, alpha=alpha)
    sm_pw = power_proportions_2indep(
        p1 - p2, p2, n1, ratio=ratio, alpha=alpha, alternative="two-sided"
    ).power
    # statsmodels also counts the (negligible) far rejection tail.
    assert pw == pytest.approx(float(sm_pw), abs=1e-4)
    assert pw >= power
    assert two_proportion_power(p1, p2, n1 - 1, ratio=ratio, alpha=alpha) < power


def test_sample_size_close_to_arcsine_effect_size() -> None:
    # Cohen's h (arcsine) approach is a different approximation: ~3,835 rather than 3,841.
    h = proportion_effectsize(0.12, 0.10)
    arcsine = NormalIndPower().solve_power(effect_size=h, power=0.8, alpha=0.05, ratio=1.0)
    n1, _ = two_proportion_sample_size(0.10, 0.12)
    assert arcsine == pytest.approx(n1, rel=0.005)
    assert math.ceil(arcsine) != n1


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "call",
    [
        lambda: erlang_b(-1, 1.0),
        lambda: erlang_b(2, -1.0),
        lambda: erlang_b(2.5, 1.0),  # type: ignore[arg-type]
        lambda: erlang_c(3, float("nan")),
        lambda: erlang_c_metrics(-1.0, 3.0, 2, 0.3),
        lambda: erlang_c_metrics(1.0, 0.0, 2, 0.3),
        lambda: erlang_c_metrics(1.0, 3.0, -2, 0.3),
        lambda: erlang_c_metrics(1.0, 3.0, 2, -0.3),
        lambda: erlang_a_metrics(1.0, 3.0, -5.0, 2, 0.3),
        lambda: erlang_a_metrics(1.0, 3.0, 5.0, -1, 0.3),
        lambda: erlang_a_service_level(1.0, 3.0, 5.0, 2, 0.3, definition="bogus"),  # type: ignore[arg-type]
        lambda: staff_erlang_c(1.0, 3.0, 1.0, 0.3),
        lambda: staff_erlang_c(1.0, 3.0, 0.8, 0.3, max_occupancy=1.5),
        lambda: staff_erlang_a(1.0, 3.0, 5.0, 0.0, 0.3),
        lambda: staff_erlang_a(1.0, 3.0, 5.0, 0.8, 0.3, max_abandon=1.0),
        lambda: halfin_whitt_beta(1.0),
        lambda: halfin_whitt_p_wait(0.0),
        lambda: two_proportion_sample_size(0.0, 0.1),
        lambda: two_proportion_sample_size(0.1, 0.1),
        lambda: two_proportion_sample_size(0.1, 0.12, alpha=1.2),
        lambda: two_proportion_sample_size(0.1, 0.12, power=1.0),
        lambda: two_proportion_sample_size(0.1, 0.12, ratio=0.0),
        lambda: two_proportion_power(0.1, 0.12, 0),
    ],
)
def test_invalid_inputs_raise_value_error(call) -> None:
    with pytest.raises(ValueError, match=r"must|differ"):
        call()


# --------------------------------------------------------------------------- properties

rates = st.floats(min_value=0.05, max_value=5.0, allow_nan=False)
ahts = st.floats(min_value=0.5, max_value=6.0, allow_nan=False)
patiences = st.floats(min_value=0.2, max_value=20.0, allow_nan=False)
waits = st.floats(min_value=0.0, max_value=3.0, allow_nan=False)  # subnormals too
staff = st.integers(min_value=0, max_value=30)


@settings(max_examples=60, deadline=None)
@given(lam=rates, aht=ahts, patience=patiences, n=staff, t=waits)
def test_property_probabilities_in_unit_interval(
    lam: float, aht: float, patience: float, n: int, t: float
) -> None:
    m = erlang_a_metrics(lam, aht, patience, n, t)
    for value in (m.p_wait, m.p_abandon, m.service_level, m.service_level_answered, m.occupancy):
        assert 0.0 <= value <= 1.0
    assert m.p_abandon <= m.p_wait + 1e-12
    assert m.service_level_answered <= 1 - m.p_abandon + 1e-9
    c = erlang_c_metrics(lam, aht, n, t)
    for value in (c.p_wait, c.service_level, c.occupancy):
        assert 0.0 <= value <= 1.0


@settings(max_examples=40, deadline=None)
@given(lam=rates, aht=ahts, patience=patiences, n=st.integers(min_value=0, max_value=25), t=waits)
def test_property_monotone_in_producers(
    lam: float, aht: float, patience: float, n: int, t: float
) -> None:
    fewer = erlang_a_metrics(lam, aht, patience, n, t)
    more = erlang_a_metrics(lam, aht, patience, n + 1, t)
    assert more.p_wait <= fewer.p_wait + 1e-12
    assert more.p_abandon <= fewer.p_abandon + 1e-12
    assert more.service_level_answered >= fewer.service_level_answered - 1e-12
    assert erlang_c(n + 1, lam * aht) <= erlang_c(n, lam * aht)


@settings(max_examples=40, deadline=None)
@given(
    lam=rates,
    aht=ahts,
    patience=patiences,
    n=st.integers(min_value=1, max_value=20),
    ts=st.lists(waits, min_size=2, max_size=4),
    definition=st.sampled_from(["answered", "waited", "virtual", "conditional"]),
)
def test_property_service_level_increasing_in_t(
    lam: float, aht: float, patience: float, n: int, ts: list[float], definition: str
) -> None:
    levels = [
        erlang_a_service_level(lam, aht, patience, n, t, definition=definition) for t in sorted(ts)
    ]
    assert all(np.diff(levels) >= -1e-12)
    c_levels = [erlang_c_metrics(lam, aht, n, t).service_level for t in sorted(ts)]
    assert all(np.diff(c_levels) >= -1e-15)
