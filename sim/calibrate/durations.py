"""Duration fits: AI talk, handle and wrap-up times.

Lognormal and gamma are fitted by maximum likelihood and the likelier kept: both have two
parameters, so the likelihood alone decides (equivalently, the lower AIC; Akaike 1974). The
lognormal MLE is the mean and standard deviation of the logs; the gamma shape solves
``log a − ψ(a) = log(mean) − mean(log)`` (Choi & Wette, Technometrics 1969; as in scipy's
``gamma.fit``). The standard error of the lognormal mean is the delta-method one
(``m·√(s²/n + s⁴/2n)``); intervals are symmetric on the log scale. The Kolmogorov–Smirnov
distance (scipy ``kstest``) says how well the chosen family fits.

With ``mean="sample"`` (the AI talk time) the chosen family keeps its fitted shape (its
coefficient of variation) but is scaled so its mean is the sample mean, with the sample
standard error: a lognormal fitted to data that is not quite lognormal can put its mean several
percent off the data's, and the mean talk time is what the AI's line occupancy depends on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from sim.calibrate.common import Z95
from sim.calibrate.report import Parameter
from sim.calllog import CalibrationError

__all__ = ["DurationFit", "duration_parameters", "durations_table", "fit_duration"]


@dataclass(frozen=True)
class DurationFit:
    """A fitted duration distribution and the evidence for it."""

    dist: dict[str, Any]
    """The scenario value, e.g. ``{"dist": "lognormal", "mean": 12.1, "sd": 6.0}``."""
    family: str
    mean: float
    sd: float
    se: float
    """Standard error of the mean."""
    ci_low: float
    ci_high: float
    n: int
    loglik: dict[str, float]
    """Log-likelihood of each family tried."""
    ks: float
    """Kolmogorov–Smirnov distance between the data and the chosen distribution."""
    note: str = ""


@dataclass(frozen=True)
class _Moments:
    mean: float
    sd: float
    se: float
    """Standard error of the mean."""


@dataclass(frozen=True)
class _Lognormal:
    """Lognormal maximum likelihood on the positive values: ``mu`` and ``s`` of the logs."""

    mu: float
    s: float
    n: int
    loglik: float

    @classmethod
    def fit(cls, pos: np.ndarray, logs: np.ndarray) -> _Lognormal:
        mu, s = float(logs.mean()), float(logs.std())
        loglik = float(stats.norm.logpdf(logs, mu, s).sum() - logs.sum())
        return cls(mu, s, len(pos), loglik)

    def moments(self) -> _Moments:
        mu, s, n = self.mu, self.s, self.n
        mean = math.exp(mu + s * s / 2)
        return _Moments(
            mean, mean * math.sqrt(math.expm1(s * s)), mean * math.sqrt(s * s / n + s**4 / (2 * n))
        )


@dataclass(frozen=True)
class _Gamma:
    """Gamma maximum likelihood on the positive values."""

    shape: float
    scale: float
    n: int
    loglik: float

    @classmethod
    def fit(cls, pos: np.ndarray, logs: np.ndarray) -> _Gamma:
        m, mean_log = float(pos.mean()), float(logs.mean())
        gap = math.log(m) - mean_log
        shape = optimize.brentq(lambda a: math.log(a) - special.digamma(a) - gap, 1e-6, 1e7)
        scale = m / shape
        loglik = float(stats.gamma.logpdf(pos, shape, scale=scale).sum())
        return cls(shape, scale, len(pos), loglik)

    def moments(self) -> _Moments:
        sd = math.sqrt(self.shape) * self.scale
        return _Moments(self.shape * self.scale, sd, sd / math.sqrt(self.n))


def _ks_distance(x: np.ndarray, family: str, mean: float, sd: float) -> float:
    """KS distance of ``x`` from the family with that mean and standard deviation."""
    if family == "lognormal":
        s2 = math.log1p((sd / mean) ** 2)
        cdf = stats.lognorm(math.sqrt(s2), scale=math.exp(math.log(mean) - s2 / 2)).cdf
    else:
        cdf = stats.gamma((mean / sd) ** 2, scale=sd * sd / mean).cdf
    return float(stats.kstest(x, cdf).statistic)


def _fixed(value: float, n: int) -> DurationFit:
    value = round(value, 4)
    return DurationFit(
        {"dist": "fixed", "value": value}, "fixed", value, 0.0, 0.0, value, value, n, {}, 0.0
    )


def _moments(
    chosen: _Lognormal | _Gamma, x: np.ndarray, zeros: float, mean: str
) -> tuple[_Moments, str]:
    """The fitted mean, sd and se, and a note: the fit's; the sample's moments when many values
    are zero; or (``mean="sample"``) the fitted shape (coefficient of variation) scaled to the
    sample mean, with the sample's standard error of the mean."""
    n, mean_all, sd_all = len(x), float(x.mean()), float(x.std(ddof=1))
    if zeros >= 0.05:
        note = f"{zeros:.0%} of values are zero: moments of all values used"
        return _Moments(mean_all, sd_all, sd_all / math.sqrt(n)), note
    fitted = chosen.moments()
    if mean == "sample":
        cv = fitted.sd / fitted.mean
        note = "scaled to the sample mean (shape from the fit)"
        return _Moments(mean_all, mean_all * cv, sd_all / math.sqrt(n)), note
    return fitted, ""


def fit_duration(values: np.ndarray, mean: Literal["fit", "sample"] = "fit") -> DurationFit:
    """Fit lognormal and gamma by maximum likelihood and keep the likelier (same number of
    parameters, so the likelihood alone decides). A constant (e.g. a scripted wrap-up) gives a
    ``fixed`` distribution. If 5% or more of the values are zero (neither family allows zero),
    the chosen family is matched to the mean and standard deviation of all values instead.
    ``mean="sample"`` scales the fitted family to the sample mean, keeping its shape."""
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n == 0:
        raise CalibrationError("no durations to fit")
    mean_all, sd_all = float(x.mean()), float(x.std(ddof=1)) if n > 1 else 0.0
    if sd_all <= 1e-9 * max(1.0, abs(mean_all)):
        return _fixed(mean_all, n)
    zeros = float((x <= 0).mean())
    pos = x[x > 0]
    logs = np.log(pos)
    lognormal, gamma = _Lognormal.fit(pos, logs), _Gamma.fit(pos, logs)
    loglik = {"lognormal": lognormal.loglik, "gamma": gamma.loglik}
    chosen = lognormal if lognormal.loglik >= gamma.loglik else gamma
    family = "lognormal" if chosen is lognormal else "gamma"
    moments, note = _moments(chosen, x, zeros, mean)
    m, sd, se = moments.mean, moments.sd, moments.se
    ks = _ks_distance(x, family, m, sd)
    dist = {"dist": family, "mean": round(m, 4), "sd": round(sd, 4)}
    low, high = m * math.exp(-Z95 * se / m), m * math.exp(Z95 * se / m)
    return DurationFit(dist, family, m, sd, se, low, high, n, loglik, ks, note)


def duration_parameters(label: str, key: str, fit: DurationFit) -> tuple[Parameter, ...]:
    """The report rows of a fitted duration: its mean (and sd, unless constant)."""
    if fit.family == "fixed":
        method = "constant"
    else:
        other = "gamma" if fit.family == "lognormal" else "lognormal"
        method = f"{fit.family} (likelier than {other}); KS distance {fit.ks:.3f}"
    if fit.note:
        method += f"; {fit.note}"
    mean = Parameter(
        f"{label}: mean", f"{key}.mean", fit.mean, fit.se, fit.ci_low, fit.ci_high, fit.n, method
    )
    if fit.family == "fixed":
        return (mean,)
    return mean, Parameter(f"{label}: sd", f"{key}.sd", fit.sd, n=fit.n)


def durations_table(fits: Sequence[tuple[str, DurationFit]]) -> pd.DataFrame:
    """The ``durations`` table of the report: one row per fitted duration."""
    return pd.DataFrame(
        [
            {
                "what": what,
                "family": f.family,
                "mean": f.mean,
                "sd": f.sd,
                "se": f.se,
                "n": f.n,
                "loglik_lognormal": f.loglik.get("lognormal", math.nan),
                "loglik_gamma": f.loglik.get("gamma", math.nan),
                "ks_distance": f.ks,
                "note": f.note,
            }
            for what, f in fits
        ]
    )
