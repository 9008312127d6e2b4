"""Weekly review bands: where each review metric should land week by week if nothing changed.

For the four weekly review metrics (transfer completion, post-transfer conversion, first-call
resolution, repeat-explain), per arm, two central ``level`` bands: of a week's rate and of the
rate to date after that week. Each comes twice: from synthetic weeks (simulated open days drawn
at random, since days are exchangeable in the model: a day-block bootstrap) and from the
binomial distribution at the expected weekly units and rate (narrower when the simulation adds
volume or congestion variability). A week outside its band is a change worth looking at; a
``level`` band is left by chance 1 − ``level`` of the time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special

from sim.execution import Progress
from sim.pilot.counts import DayCounts, day_counts, ratio
from sim.pilot.design import (
    BandSpec,
    RunOptions,
    check_count,
    check_open_probability,
    check_rollout,
)
from sim.pilot.metrics import METRICS, REVIEW_METRICS
from sim.pilot.runs import pilot_scenario, simulate_variant
from sim.results import Results, json_safe
from sim.scenario import Scenario

__all__ = ["WeeklyBands", "bands_from", "weekly_bands"]


@dataclass
class WeeklyBands:
    """The expected band of the weekly review metrics, week by week (see :func:`weekly_bands`).

    ``table`` has one row per metric, arm and week: ``expected_rate`` (the simulation's pooled
    rate), ``units_per_week``, the band of one week's rate (``week_low``/``week_high``: the
    simulated weeks' percentiles; ``week_binomial_low``/``_high``: Binomial(units per week,
    expected rate)) and the band of the rate to date after that week (``to_date_*``). The
    weekly band is the same each week because nothing in a scenario changes over weeks; the
    to-date band narrows as the pilot accumulates calls.
    """

    scenario: str
    rollout: float
    weeks: int
    level: float
    replications: int
    table: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (NaN and infinity become None)."""
        return json_safe(
            {
                "scenario": self.scenario,
                "rollout": self.rollout,
                "weeks": self.weeks,
                "level": self.level,
                "replications": self.replications,
                "bands": self.table,
            }
        )


def _binomial_quantiles(n: int, p: float, qs: Sequence[float]) -> list[float]:
    """Quantiles of Binomial(n, p) / n (the smallest k/n whose CDF reaches q)."""
    if n <= 0 or np.isnan(p):
        return [float("nan")] * len(qs)
    cdf = special.bdtr(np.arange(n + 1), n, p)
    return [float(np.searchsorted(cdf, q - 1e-12, side="left")) / n for q in qs]


def _safe_rates(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    ok = n > 0
    return x[ok] / n[ok]


def _quantiles(values: np.ndarray, qs: Sequence[float]) -> tuple[float, ...]:
    if len(values) == 0:
        return tuple(float("nan") for _ in qs)
    return tuple(float(v) for v in np.quantile(values, qs))


def _arm_rows(
    metric: str, arm: str, x: np.ndarray, n: np.ndarray, counts: DayCounts, spec: BandSpec,
    rng: np.random.Generator,
) -> list[dict]:  # fmt: skip
    """One row per week for one arm of one metric."""
    dpw, weeks = counts.days_per_week, spec.weeks
    qs = (0.5 - spec.level / 2, 0.5 + spec.level / 2)
    rate = ratio(x.sum(), n.sum())
    per_week = float(n.sum()) * dpw / counts.days
    # Synthetic weeks: dpw simulated days drawn at random (days are exchangeable).
    picks = rng.integers(0, counts.days, size=(spec.synthetic, weeks * dpw))
    x_week = x[picks].reshape(spec.synthetic, weeks, dpw).sum(axis=2)
    n_week = n[picks].reshape(spec.synthetic, weeks, dpw).sum(axis=2)
    lo, hi = _quantiles(_safe_rates(x_week[:, 0], n_week[:, 0]), qs)
    b_lo, b_hi = _binomial_quantiles(round(per_week), rate, qs)
    rows = []
    for k in range(1, weeks + 1):
        to_date = _safe_rates(x_week[:, :k].sum(axis=1), n_week[:, :k].sum(axis=1))
        t_lo, t_hi = _quantiles(to_date, qs)
        tb_lo, tb_hi = _binomial_quantiles(round(per_week * k), rate, qs)
        rows.append({
            "metric": metric, "arm": arm, "week": k, "expected_rate": rate,
            "units_per_week": per_week, "week_low": lo, "week_high": hi,
            "week_binomial_low": b_lo, "week_binomial_high": b_hi,
            "to_date_low": t_lo, "to_date_high": t_hi,
            "to_date_binomial_low": tb_lo, "to_date_binomial_high": tb_hi,
        })  # fmt: skip
    return rows


def _metric_rows(
    counts: DayCounts, metric: str, spec: BandSpec, rng: np.random.Generator
) -> list[dict]:
    arms = [("ai", counts.x_ai, counts.n_ai)]
    if METRICS[metric].two_arm:
        arms.append(("control", counts.x_control, counts.n_control))
    rows = []
    for arm, x, n in arms:
        if n.sum() > 0:
            rows.extend(_arm_rows(metric, arm, x, n, counts, spec, rng))
    return rows


def bands_from(results: Results, spec: BandSpec, like_for_like: bool) -> WeeklyBands:
    """The bands of ``results`` (one simulation at the pilot rollout)."""
    rng = np.random.default_rng(np.random.SeedSequence([results.seed, 7_002]))
    rows = []
    for metric in REVIEW_METRICS:
        counts = day_counts(results, metric, like_for_like)
        rows.extend(_metric_rows(counts, metric, spec, rng))
    sc = results.scenario
    return WeeklyBands(
        scenario=sc.name,
        rollout=sc.ai.rollout,
        weeks=spec.weeks,
        level=spec.level,
        replications=results.replications,
        table=pd.DataFrame(rows),
    )


def weekly_bands(
    scenario: Scenario,
    rollout: float,
    weeks: int = 4,
    replications: int = 40,
    seed: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    *,
    level: float = 0.90,
    like_for_like: bool = True,
    results: Results | None = None,
    synthetic: int = 2000,
) -> WeeklyBands:
    """The band each weekly review metric should stay in, week by week, for the first
    ``weeks`` weeks (4 weeks ≈ the first 30 days) at ``rollout``, if nothing has changed.

    Simulates ``replications`` of the scenario at the rollout (or reuses ``results``). Bands
    are central ``level`` intervals: of ``synthetic`` simulated weeks assembled from simulated
    open days drawn at random (days are exchangeable in the model), and of the binomial
    distribution at the expected weekly units and rate (narrower when the simulation adds
    volume or congestion variability). Rows for the AI arm and, where the metric exists there,
    the control arm (like for like: non-routine calls only, unless ``like_for_like=False``).
    """
    rollout = check_rollout(rollout)
    spec = BandSpec(weeks=weeks, level=check_open_probability("level", level), synthetic=synthetic)
    check_count("weeks", weeks)
    runs = RunOptions(replications, seed, workers, scheduler, progress)
    variant = pilot_scenario(scenario, rollout)
    results = simulate_variant(variant, runs, replications, results)
    return bands_from(results, spec, like_for_like)
