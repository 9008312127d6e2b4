"""Patience shapes from censored waits (sim.calibrate.patience_shapes), against known truth.

Waits are simulated the way a queue censors them: each caller has a patience drawn from a known
distribution and an offer time (when a producer would answer) drawn independently; the caller
hangs up if patience runs out first. The fits must recover the truth, the AIC must pick the
right family, and the exponential fit must equal the closed form (total wait / hang-ups).
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.calibrate.patience_shapes import choose_patience, fit_patience_shapes


def _queue(patience: np.ndarray, rng: np.random.Generator):
    offer = rng.exponential(1.5, size=len(patience))  # when a producer would have answered
    wait = np.minimum(patience, offer)
    return wait, patience < offer


def test_exponential_fit_is_the_closed_form():
    rng = np.random.default_rng(1)
    wait, hung = _queue(rng.exponential(3.0, 4000), rng)
    fits = {f.shape: f for f in fit_patience_shapes(wait, hung)}
    assert fits["exponential"].mean == pytest.approx(wait.sum() / hung.sum(), rel=1e-5)


def test_lognormal_patience_is_recovered_and_chosen():
    rng = np.random.default_rng(2)
    truth = stats.lognorm(s=0.9, scale=2.0)
    wait, hung = _queue(truth.rvs(size=6000, random_state=rng), rng)
    best = choose_patience(wait, hung)
    assert best is not None
    assert best.shape == "lognormal"
    assert best.mean == pytest.approx(truth.mean(), rel=0.12)
    assert best.dist["sd"] == pytest.approx(truth.std(), rel=0.25)
    exp = next(f for f in fit_patience_shapes(wait, hung) if f.shape == "exponential")
    assert best.km_distance < exp.km_distance


def test_exponential_data_does_not_need_a_second_parameter():
    rng = np.random.default_rng(3)
    wait, hung = _queue(rng.exponential(2.5, 6000), rng)
    fits = {f.shape: f for f in fit_patience_shapes(wait, hung)}
    # two-parameter families fit no better than AIC's penalty of 2 (gamma nests exponential)
    assert fits["gamma"].aic > fits["exponential"].aic - 4
    assert fits["exponential"].mean == pytest.approx(2.5, rel=0.08)


def test_too_few_hang_ups_gives_nothing():
    assert choose_patience(np.array([1.0, 2.0, 3.0]), np.array([False, False, True])) is None
