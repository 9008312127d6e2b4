"""Caller patience from censored waits, and the bridge failure rate.

A caller who was answered after waiting *w* did not reveal their patience, only that it
exceeded *w* (right-censored); a caller who hung up after *w* revealed it. For exponential
patience the maximum-likelihood mean is the total time offered callers waited (exposure) over
the number who hung up (events), with the exact chi-square interval of an exposure/events ratio
(the Poisson-process result; see Cox & Oakes, *Analysis of Survival Data*, 1984). The
Kaplan–Meier estimate (Kaplan & Meier, JASA 1958; statsmodels ``SurvfuncRight``) checks the
exponential shape. The scenario's patience is the shape with the lowest AIC among
exponential, lognormal and gamma, each fitted by censored maximum likelihood
(:mod:`~sim.calibrate.patience_shapes`); the exponential estimate stays in the report as a
check. The mean wait of callers who hung up is reported as a warning: it is biased
low, because patient callers are answered before they would hang up (Brown et al., "Statistical
analysis of a telephone call center", JASA 2005).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibrate.common import OFFERED, Z95, proportion
from sim.calibrate.patience_shapes import fit_patience_shapes
from sim.calibrate.report import Parameter

__all__ = [
    "PatienceEstimate",
    "TransferFit",
    "fit_transfer",
    "patience_km",
    "patience_mle",
    "shape_parameters",
]


@dataclass(frozen=True, eq=False)
class PatienceEstimate(Mapping):
    """The exponential patience estimate. Also a read-only mapping (``est["mean"]``), as the
    plain dict it used to be."""

    mean: float
    """Mean patience in minutes (inf with no hang-ups)."""
    se: float
    ci_low: float
    ci_high: float
    events: int
    """Callers who hung up."""
    exposure: float
    """Minutes all offered callers waited."""
    n: int
    """Offered callers."""

    def __getitem__(self, key: str) -> Any:
        if key not in self._keys():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())

    @classmethod
    def _keys(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def patience_mle(waits: np.ndarray, abandoned: np.ndarray, level: float = 0.95) -> PatienceEstimate:
    """Exponential patience from right-censored waits: the maximum-likelihood mean is the total
    time offered callers waited (exposure) over the number who hung up (events).

    ``waits``: minutes each offered caller waited (until answered, hung up, or the queue
    closed); ``abandoned``: whether they hung up (True) or were censored (False). The interval
    is exact for the exposure/events ratio (chi-square with 2·events and 2·events + 2 degrees
    of freedom). With no hang-ups the mean is unbounded: only a lower confidence bound is given.
    """
    waits = np.asarray(waits, dtype=float)
    events_mask = np.asarray(abandoned, dtype=bool)
    exposure, events = float(waits.sum()), int(events_mask.sum())
    alpha = 1 - level
    lower = 2 * exposure / stats.chi2.ppf(1 - alpha / 2, 2 * events + 2)
    if events == 0:
        return PatienceEstimate(math.inf, math.nan, lower, math.inf, 0, exposure, len(waits))
    mean = exposure / events
    upper = 2 * exposure / stats.chi2.ppf(alpha / 2, 2 * events)
    return PatienceEstimate(
        mean, mean / math.sqrt(events), lower, upper, events, exposure, len(waits)
    )


def patience_km(waits: np.ndarray, abandoned: np.ndarray) -> pd.DataFrame:
    """Kaplan–Meier estimate (Kaplan & Meier 1958) of the share of callers still willing to
    wait after *t* minutes (statsmodels ``SurvfuncRight``), at each time a caller hung up."""
    from statsmodels.duration.survfunc import SurvfuncRight

    waits = np.asarray(waits, dtype=float)
    status = np.asarray(abandoned, dtype=int)
    if status.sum() == 0:
        return pd.DataFrame(columns=["minutes", "still_waiting", "se", "at_risk"])
    sf = SurvfuncRight(waits, status)
    return pd.DataFrame(
        {
            "minutes": sf.surv_times,
            "still_waiting": sf.surv_prob,
            "se": sf.surv_prob_se,
            "at_risk": sf.n_risk,
        }
    )


def _km_median(km: pd.DataFrame) -> float:
    below = km[km["still_waiting"] <= 0.5]
    return float(below["minutes"].iloc[0]) if len(below) else math.nan


def _patience_parameters(
    est: PatienceEstimate, km: pd.DataFrame, naive: float
) -> tuple[Parameter, ...]:
    """The censored MLE, the naive estimate it replaces and the Kaplan–Meier checks."""
    mle = Parameter(
        "patience mean if exponential (minutes)", "", est.mean, est.se, est.ci_low,
        est.ci_high, est.n,
        f"exponential MLE from censored waits: {est.events} hung up / "
        f"{est.exposure:.0f} waiting minutes",
    )  # fmt: skip
    biased = Parameter(
        "naive patience: mean wait of callers who hung up (biased, not used)", "", naive,
        n=est.events, method="ignores censoring: too low",
    )  # fmt: skip
    expo = np.exp(-km["minutes"].to_numpy() / est.mean)
    gap = Parameter(
        "Kaplan–Meier vs exponential: largest gap in survival", "",
        float(np.abs(km["still_waiting"].to_numpy() - expo).max()), n=est.n,
        method="statsmodels SurvfuncRight; small means the exponential fits",
    )  # fmt: skip
    median_km = _km_median(km)
    if not np.isfinite(median_km):
        return mle, biased, gap
    median = Parameter(
        "patience median, Kaplan–Meier (minutes)", "", median_km, n=est.n,
        method=f"exponential median is {est.mean * math.log(2):.3g}",
    )  # fmt: skip
    return mle, biased, gap, median


@dataclass(frozen=True)
class TransferFit:
    """The fitted ``transfer`` section (patience, failure rate), with its evidence."""

    section: dict[str, Any]
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]
    km: pd.DataFrame | None = None
    """The Kaplan–Meier table (None: the log has no waits)."""
    shapes: pd.DataFrame | None = None
    """Each patience shape tried: mean, sd, AIC and distance from Kaplan–Meier."""


def _failure_rate(df: pd.DataFrame) -> Parameter | None:
    """Failed bridges over answered transfers (None: nothing answered)."""
    n_ans = int(df["outcome"].isin(["connected", "failed"]).sum())
    if not n_ans:
        return None
    p = proportion(int((df["outcome"] == "failed").sum()), n_ans)
    return Parameter.of_proportion(
        "transfer failure rate", "transfer.failure_rate", p, "failed bridges / answered transfers"
    )


def shape_parameters(label: str, key: str, fit, n: int) -> tuple[Parameter, ...]:
    """The report rows of a patience shape chosen by AIC: its mean (delta-method interval)
    and how close it lies to the Kaplan–Meier curve."""
    m, se = fit.mean, fit.mean_se
    low, high = (m - Z95 * se, m + Z95 * se) if np.isfinite(se) else (math.nan, math.nan)
    sd = f", sd {fit.dist['sd']:.3g}" if "sd" in fit.dist else ""
    mean = Parameter(
        label, key, m, se, max(low, 0.0), high, n,
        f"{fit.shape}{sd} (lowest AIC of exponential, lognormal, gamma; censored MLE, "
        f"{fit.events} hung up of {fit.n} who waited)",
    )  # fmt: skip
    km = Parameter(
        f"{label}: largest gap from Kaplan–Meier", "", fit.km_distance, n=n,
        method=f"{fit.shape} survival vs Kaplan–Meier over the observed waits; small is close",
    )  # fmt: skip
    return mean, km


def fit_transfer(df: pd.DataFrame, base_transfer: dict) -> TransferFit:
    """Patience from the waits of every offered call (its shape chosen by AIC, see
    :mod:`~sim.calibrate.patience_shapes`), and the bridge failure rate."""
    section = dict(base_transfer)
    offered = df[df["outcome"].isin(OFFERED) & df["wait_minutes"].notna()]
    if not len(offered):
        note = (
            "The log has no waiting times (transferred_at with answered_at/ended_at, or "
            "wait): patience and failures kept from the base scenario or defaults."
        )
        return TransferFit(section, (), (note,))
    waits = offered["wait_minutes"].to_numpy()
    gone = (offered["outcome"] == "abandoned").to_numpy()
    est, km = patience_mle(waits, gone), patience_km(waits, gone)
    params: tuple[Parameter, ...] = ()
    notes: tuple[str, ...] = ()
    shapes = fit_patience_shapes(waits, gone)
    if est.events and shapes:
        naive = float(waits[gone].mean()) if gone.any() else math.nan
        best = shapes[0]
        params = (
            *shape_parameters("patience mean (minutes)", "transfer.patience_minutes", best,
                              est.n),
            *_patience_parameters(est, km, naive),
        )  # fmt: skip
        section["patience_minutes"] = {
            k: round(v, 4) if isinstance(v, float) else v for k, v in best.dist.items()
        }
        shape_table = pd.DataFrame(
            [{"shape": f.shape, "mean": f.mean, "sd": f.dist.get("sd", f.mean),
              "aic": f.aic, "km_distance": f.km_distance} for f in shapes]
        )  # fmt: skip
        failure = _failure(df)
        if failure:
            section["failure_rate"] = round(failure[0].estimate, 4)
        return TransferFit(section, (*params, *failure), notes, km, shape_table)
    if est.events:  # one hang-up: too few for a shape, the exponential estimate
        naive = float(waits[gone].mean())
        params = _patience_parameters(est, km, naive)
        section["patience_minutes"] = {"dist": "exponential", "mean": round(est.mean, 4)}
    else:
        notes = (
            f"No offered caller hung up ({len(offered)} offered, "
            f"{est.exposure:.0f} waiting minutes): patience is at least "
            f"{est.ci_low:.3g} minutes on average (95% lower bound); callers are "
            "modelled as never hanging up unless the base scenario says otherwise.",
        )
    failure = _failure(df)
    if failure:
        section["failure_rate"] = round(failure[0].estimate, 4)
    return TransferFit(section, (*params, *failure), notes, km)


def _failure(df: pd.DataFrame) -> tuple[Parameter, ...]:
    failure = _failure_rate(df)
    return () if failure is None else (failure,)
