"""How long a 10–20% pilot must run, and what its first weeks should look like.

The pilot sends ``rollout`` of the calls to the voice AI (the **AI arm**) and leaves the rest on
the human path (the **control arm**). In the model a caller's arm is decided by the scenario's
``rollout`` draw, so a call with path ``"ai"`` is in the AI arm and a call with path
``"human"`` is in the control arm, except AI overflow (a caller sent to the AI who found every
AI line busy and fell back to human intake): overflow calls are in neither arm (a per-protocol
comparison; with enough AI lines there is none).

Metrics and their per-call unit (calls counted after the warm-up; whole simulated days only):

===============================  ====================================  ==========================
metric                           unit (denominator)                    success (numerator)
===============================  ====================================  ==========================
``post_transfer_conversion_rate`` connected transfers (bridged)          ``converted_on_transfer``
``transfer_completion_rate``     calls offered to producers             bridged (``connected``)
``first_call_resolution_rate``   connected transfers                    ``first_call_resolution``
``abandonment_rate``             calls offered to producers             hung up waiting
``repeat_explain_rate``          connected warm transfers from the AI   ``repeat_explain``
===============================  ====================================  ==========================

The first four compare the arms. ``repeat_explain_rate`` exists only on the AI arm (the human
path has no AI intake to repeat), so there is no control rate to test against: :func:`pilot`
rejects it and :func:`weekly_bands` monitors it against its target of 0.

**Like for like** (default): on the AI arm, calls whose need the AI resolves (billing, simple
service) are contained and never reach a producer; on the human path they do, and convert only
at the cross-sell rate. Comparing all connected calls would credit the AI with that case-mix
change. So the control arm's units are restricted to non-routine calls (the model's ``routine``
flag; in a real pilot, the producers' reason codes), which have the same need and trigger mix as
the AI's escalations. ``like_for_like=False`` compares every unit as the headline KPIs do.

Sizing (the formula, no simulation): p₁ = the control arm's rate in the simulation, p₂ = p₁ +
``lift`` (absolute) or p₁·(1 + ``relative_lift``); with neither, the lift the scenario itself
produces (AI arm rate − control rate). The sample size per arm is the two-sided two-proportion
z-test formula of :func:`sim.theory.two_proportion_sample_size` with unequal allocation
r = n_AI/n_control = rollout/(1 − rollout): pooled variance under H₀, unpooled under H₁. It is
the same number as ``statsmodels.stats.proportion.samplesize_proportions_2indep_onetail(
diff=p₁ − p₂, prop2=p₂, power=power, ratio=r, alpha=alpha)`` rounded up (n₁ is the control arm,
n₂ = ⌈r·n₁⌉ the AI arm); it is *not* the arcsine-effect-size route
(``NormalIndPower`` with ``proportion_effectsize``), which gives 3,835 instead of 3,841 per arm
for 10% → 12%. Weeks needed = max over arms of n / (units per week), with units per week from
the simulation (simulated days ÷ ``hours.days_per_week``): the slower arm decides. The pilot
then runs ⌈weeks × days_per_week⌉ open days.

Simulated power (what is simulated, and what is not): the scenario at the pilot rollout is
replicated; every replication's counted calls are cut into simulated open days, and each day's
units and successes per arm are counted. A *simulated pilot* is a set of as many days as the
pilot runs; it "detects" when ``statsmodels.stats.proportion.proportions_ztest`` (pooled,
two-sided) on the two arms' pooled counts rejects at ``alpha`` with the difference in the
direction of the scenario's effect. Simulated power = the share of simulated pilots that detect.
When the replications hold enough days for ``pilots`` pilots that share no day, the pilots are
consecutive, disjoint runs of days (``method = "disjoint"``; fully independent simulations);
otherwise each pilot draws its days at random, with replacement, from all simulated days
(``method = "resampled"``, a day-block bootstrap). Days are (nearly) exchangeable in this
model: every day has the same arrival pattern, an agency that closes starts each day with an
empty queue (an always-open one forgets its queue within hours; only callbacks booked late can
cross midnight), and nothing in a scenario drifts or learns over days. The 95% confidence
interval of the simulated power is a Wilson interval on the number of pilots (disjoint) or,
for resampled pilots, on the number of *independent* pilot lengths of simulated data
(simulated days ÷ pilot days), a conservative count since resampled pilots share days; by
default (``replications=None``) enough replications are run for ``target_pilots`` of them.
What the simulation adds over the formula: the random weekly volume, congestion (completion
and abandonment vary together within a day), the AI arm's real mix of triggers, missing intake
fields and repeat-explains. What it does not add: anything the scenario does not model (novelty
effects, producers learning, seasonality).

The lift the simulation tests is the scenario's own effect (e.g. warm vs cold conversion), not
the requested ``lift``; the plan reports the formula's power for that same observed effect at
the same pilot length, so the two can be compared (they agree within Monte Carlo error when the
model's outcomes are independent Bernoulli draws, as they are for conversion).

:func:`rollout_choice` simulates each candidate rollout on common random numbers (replication
*r* of every rollout uses the same random streams, and a caller on the AI path at 10% is also
on it at 20%), and picks the rollout that reaches a decision soonest while transfer completion
stays at or above ``min_completion`` at the lower 95% confidence bound.

:func:`weekly_bands` gives, for the four weekly review metrics, the band a week's rate (and
the rate to date) should fall in if nothing has changed, from simulated weeks and from the
binomial distribution at the expected weekly volume, so a manager can tell a real change from
noise.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special

from sim._api import callable_module
from sim.arrivals import DAY
from sim.execution import Progress, run_tasks
from sim.kpis import counted_calls
from sim.loader import derive
from sim.results import Results, collect, json_safe, replication_task, run_one, summarise
from sim.scenario import Scenario
from sim.theory import two_proportion_power, two_proportion_sample_size

__all__ = [
    "METRICS",
    "REVIEW_METRICS",
    "PilotMetric",
    "PilotPlan",
    "RolloutChoice",
    "WeeklyBands",
    "pilot",
    "pilot_scenario",
    "rollout_choice",
    "weekly_bands",
]


@dataclass(frozen=True)
class PilotMetric:
    """A per-call binary outcome that a pilot can compare or monitor."""

    name: str
    unit: str
    """Which calls count (the denominator)."""
    success: str
    """Which of them count as a success (the numerator)."""
    comparison: str
    """What comparing (or monitoring) it in the pilot tells the operations lead."""
    two_arm: bool = True
    """Whether the control arm has the metric at all (False: AI arm only)."""


METRICS: dict[str, PilotMetric] = {
    m.name: m
    for m in (
        PilotMetric(
            "post_transfer_conversion_rate",
            "connected transfers (bridged to a producer)",
            "an appointment or application on that call",
            "warm hand-off from the AI vs a human-path transfer: the lift the pilot exists to "
            "measure",
        ),
        PilotMetric(
            "transfer_completion_rate",
            "calls offered to producers (escalated by the AI or sent on by human intake)",
            "bridged to a producer",
            "whether the AI's transfers (the caller held while it rings, plus the whisper) reach "
            "a producer as often as human-path transfers: a guard-rail",
        ),
        PilotMetric(
            "first_call_resolution_rate",
            "connected transfers",
            "the producer closed or advanced the need in the same call",
            "whether producers resolve AI hand-offs in the same call as often as human-path calls",
        ),
        PilotMetric(
            "abandonment_rate",
            "calls offered to producers",
            "the caller hung up waiting for a producer",
            "whether callers held by the AI hang up more or less than on the human path",
        ),
        PilotMetric(
            "repeat_explain_rate",
            "connected warm transfers from the AI",
            "the producer asked the caller to re-state something the AI captured",
            "AI arm only: the human path has no AI intake to repeat, so there is no control "
            "rate; monitor it week by week against the target of 0",
            two_arm=False,
        ),
    )
}
"""Every metric :func:`pilot` and :func:`weekly_bands` know, by name."""

REVIEW_METRICS = (
    "transfer_completion_rate",
    "post_transfer_conversion_rate",
    "first_call_resolution_rate",
    "repeat_explain_rate",
)
"""The four metrics reviewed weekly for the first 30 days (DOMAIN.md)."""

DEFAULT_ROLLOUTS = (0.10, 0.125, 0.15, 0.175, 0.20)
_FIRST_BATCH = 20
_MAX_PILOT_DAYS = 100_000


# ------------------------------------------------------------------------------ validation


def _check_rollout(rollout: float, need_control: bool = False) -> float:
    try:
        value = float(rollout)
    except (TypeError, ValueError):
        raise ValueError(
            f"rollout must be a share of calls in (0, 1], e.g. 0.1 for a 10% pilot; got {rollout!r}"
        ) from None
    if isinstance(rollout, bool) or not (0.0 < value <= 1.0):
        raise ValueError(
            f"rollout must be a share of calls in (0, 1], e.g. 0.1 for a 10% pilot "
            f"(the field's practice is 0.10–0.20); got {rollout!r}"
        )
    if need_control and value == 1.0:
        raise ValueError(
            "rollout 1.0 sends every call to the AI and leaves no control arm to compare with; "
            "a pilot needs a rollout in (0, 1), e.g. 0.1–0.2"
        )
    return value


def _check_metric(metric: str, two_arm: bool) -> PilotMetric:
    allowed = [m.name for m in METRICS.values() if m.two_arm or not two_arm]
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; allowed metrics: {', '.join(allowed)}")
    m = METRICS[metric]
    if two_arm and not m.two_arm:
        raise ValueError(
            f"{metric} cannot size a two-arm pilot: {m.comparison}. Compare the arms on one of "
            f"{', '.join(allowed)}, and use weekly_bands for {metric}"
        )
    return m


def _check_open_probability(name: str, value: float) -> float:
    value = float(value)
    if not (0.0 < value < 1.0):
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value!r}")
    return value


def _check_lift(lift: float | None, relative_lift: float | None) -> None:
    if lift is not None and relative_lift is not None:
        raise ValueError("give lift (absolute) or relative_lift, not both")
    for name, value in (("lift", lift), ("relative_lift", relative_lift)):
        if value is None:
            continue
        if not math.isfinite(float(value)) or float(value) == 0.0:
            raise ValueError(
                f"{name} must be a non-zero difference to detect (e.g. lift=0.02 for "
                f"10% → 12%), got {value!r}"
            )
    if relative_lift is not None and float(relative_lift) <= -1.0:
        raise ValueError(f"relative_lift must be above -1 (-100%), got {relative_lift!r}")


def _target_rate(p1: float, lift: float | None, relative_lift: float | None, metric: str):
    """(p2, lift) for a control rate p1; ValueError when p2 is not a probability in (0, 1)."""
    if relative_lift is not None:
        p2 = p1 * (1.0 + float(relative_lift))
        asked = f"relative_lift {relative_lift:+g}"
    else:
        p2 = p1 + float(lift)
        asked = f"lift {lift:+g}"
    if not (0.0 < p1 < 1.0):
        raise ValueError(
            f"the control arm's {metric} is {p1:.4g} in the simulation; a two-proportion test "
            "needs a rate strictly between 0 and 1 (more replications, or another metric)"
        )
    if not (0.0 < p2 < 1.0):
        raise ValueError(
            f"{asked} on the control arm's {metric} of {p1:.4f} gives {p2:.4f}, outside (0, 1); "
            "choose a smaller lift"
        )
    if p2 == p1:
        raise ValueError(f"{asked} leaves {metric} unchanged at {p1:.4f}; nothing to detect")
    return p2, p2 - p1


def pilot_scenario(scenario: Scenario, rollout: float) -> Scenario:
    """The scenario with the AI on for ``rollout`` of the calls (the pilot's configuration)."""
    rollout = _check_rollout(rollout)
    if scenario.ai.enabled and scenario.ai.rollout == rollout:
        return scenario
    return derive(scenario, {"ai.enabled": True, "ai.rollout": rollout})


# ------------------------------------------------------------------------------ counting


def _code_of(calls: pd.DataFrame, column: str, label: str) -> np.ndarray:
    cat = calls[column].cat
    if label not in cat.categories:
        return np.zeros(len(calls), dtype=bool)
    return cat.codes.to_numpy() == cat.categories.get_loc(label)


@dataclass
class _DayCounts:
    """Per simulated day (replication-major): units and successes of one metric per arm."""

    n_ai: np.ndarray
    x_ai: np.ndarray
    n_control: np.ndarray
    x_control: np.ndarray
    days_per_replication: int
    days_per_week: int

    @property
    def days(self) -> int:
        return len(self.n_ai)

    def rates(self) -> tuple[float, float]:
        return _ratio(self.x_ai.sum(), self.n_ai.sum()), _ratio(
            self.x_control.sum(), self.n_control.sum()
        )

    def weekly(self) -> tuple[float, float]:
        """Mean units per week (AI arm, control arm)."""
        per_day = self.days_per_week / max(self.days, 1)
        return float(self.n_ai.sum()) * per_day, float(self.n_control.sum()) * per_day


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else float("nan")


def _day_index(results: Results) -> tuple[pd.DataFrame, np.ndarray, int]:
    """Counted calls, each call's simulated-day index (-1 outside whole counted days), and the
    number of whole days per replication."""
    sc = results.scenario
    first = math.ceil(sc.warmup_minutes / DAY - 1e-9)
    used = sc.days - first
    if used < 1:
        raise ValueError(
            f"{sc.name}: the warm-up ({sc.warmup_minutes:g} minutes) leaves no whole simulated "
            f"day out of days = {sc.days}; pilot figures need whole days (raise days)"
        )
    calls = counted_calls(results.calls, sc)
    day = calls["day"].to_numpy()
    valid = ~np.isnan(day) & (day >= first) & (day < sc.days)
    rep = calls["replication"].to_numpy().astype(np.int64)
    seg = np.where(valid, rep * used + np.nan_to_num(day - first).astype(np.int64), -1)
    return calls, seg, used


def _units(
    calls: pd.DataFrame, metric: str, like_for_like: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(AI-arm units, control-arm units, success) masks for one metric."""
    ai = _code_of(calls, "path", "ai")
    control = _code_of(calls, "path", "human") & ~calls["ai_overflow"].to_numpy()
    if like_for_like:
        control &= ~calls["routine"].to_numpy()
    offered = ~np.isnan(calls["transfer_at"].to_numpy())
    connected = _code_of(calls, "outcome", "connected")
    if metric == "transfer_completion_rate":
        unit, success = offered, connected
    elif metric == "abandonment_rate":
        unit, success = offered, _code_of(calls, "outcome", "abandoned")
    elif metric == "post_transfer_conversion_rate":
        unit, success = connected, calls["converted_on_transfer"].to_numpy()
    elif metric == "first_call_resolution_rate":
        unit, success = connected, calls["first_call_resolution"].to_numpy()
    elif metric == "repeat_explain_rate":
        unit, success = connected, calls["repeat_explain"].to_numpy()
        control = np.zeros_like(control)
    else:  # pragma: no cover - metric names are checked before
        raise ValueError(f"unknown metric {metric!r}")
    return unit & ai, unit & control, success.astype(bool)


def _day_counts(results: Results, metric: str, like_for_like: bool) -> _DayCounts:
    calls, seg, used = _day_index(results)
    n_days = used * results.replications
    in_day = seg >= 0
    unit_ai, unit_control, success = _units(calls, metric, like_for_like)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(seg[mask & in_day], minlength=n_days)[:n_days]

    return _DayCounts(
        n_ai=count(unit_ai),
        x_ai=count(unit_ai & success),
        n_control=count(unit_control),
        x_control=count(unit_control & success),
        days_per_replication=used,
        days_per_week=results.scenario.hours.days_per_week,
    )


# ------------------------------------------------------------------------------ simulated pilots


def _pilot_sums(
    counts: _DayCounts, pilot_days: int, pilots: int, rng: np.random.Generator
) -> tuple[np.ndarray, str, float]:
    """Per simulated pilot the summed (x_ai, n_ai, x_control, n_control), the method and the
    number of independent pilot lengths of simulated data behind them."""
    table = np.column_stack([counts.x_ai, counts.n_ai, counts.x_control, counts.n_control])
    days = counts.days
    independent = days / pilot_days
    if days // pilot_days >= pilots:
        block = table[: pilots * pilot_days].reshape(pilots, pilot_days, 4)
        return block.sum(axis=1), "disjoint", float(pilots)
    picks = rng.multinomial(pilot_days, np.full(days, 1.0 / days), size=pilots)
    return picks @ table, "resampled", independent


def _detections(sums: np.ndarray, alpha: float, direction: float) -> np.ndarray:
    """Whether each simulated pilot's two-proportion z-test (statsmodels, pooled variance,
    two-sided) rejects at ``alpha`` with the difference in ``direction``."""
    from statsmodels.stats.proportion import proportions_ztest

    detected = np.zeros(len(sums), dtype=bool)
    for k, (x_ai, n_ai, x_c, n_c) in enumerate(sums):
        if n_ai <= 0 or n_c <= 0:
            continue
        pooled = (x_ai + x_c) / (n_ai + n_c)
        if pooled <= 0.0 or pooled >= 1.0:
            continue  # no variance: the test cannot reject
        _, p_value = proportions_ztest([x_ai, x_c], [n_ai, n_c])
        diff = x_ai / n_ai - x_c / n_c
        detected[k] = p_value < alpha and diff * direction > 0
    return detected


def _wilson(share: float, n: float, level: float = 0.95) -> tuple[float, float]:
    if not n > 0 or math.isnan(share):
        return float("nan"), float("nan")
    z = float(special.ndtri(0.5 + level / 2))
    den = 1 + z * z / n
    mid = (share + z * z / (2 * n)) / den
    half = z * math.sqrt(share * (1 - share) / n + z * z / (4 * n * n)) / den
    return max(0.0, mid - half), min(1.0, mid + half)


def _formula_power(p1: float, p2: float, n1: float, ratio: float, alpha: float) -> float:
    if not (0.0 < p1 < 1.0 and 0.0 < p2 < 1.0) or n1 <= 0 or ratio <= 0:
        return float("nan")
    if p1 == p2:
        return alpha / 2.0  # the test's size in the one direction counted
    return two_proportion_power(p1, p2, n1, ratio=ratio, alpha=alpha)


# ------------------------------------------------------------------------------ bands


def _binomial_quantiles(n: int, p: float, qs: Sequence[float]) -> list[float]:
    """Quantiles of Binomial(n, p) / n (the smallest k/n whose CDF reaches q)."""
    if n <= 0 or math.isnan(p):
        return [float("nan")] * len(qs)
    cdf = special.bdtr(np.arange(n + 1), n, p)
    return [float(np.searchsorted(cdf, q - 1e-12, side="left")) / n for q in qs]


def _band_rows(
    counts: _DayCounts,
    metric: str,
    weeks: int,
    level: float,
    synthetic: int,
    rng: np.random.Generator,
) -> list[dict]:
    dpw = counts.days_per_week
    q_lo, q_hi = 0.5 - level / 2, 0.5 + level / 2
    rows = []
    arms = [("ai", counts.x_ai, counts.n_ai)]
    if METRICS[metric].two_arm:
        arms.append(("control", counts.x_control, counts.n_control))
    for arm, x, n in arms:
        if n.sum() == 0:
            continue
        rate = _ratio(x.sum(), n.sum())
        per_week = float(n.sum()) * dpw / counts.days
        # Synthetic weeks: dpw simulated days drawn at random (days are exchangeable).
        picks = rng.integers(0, counts.days, size=(synthetic, weeks * dpw))
        x_week = x[picks].reshape(synthetic, weeks, dpw).sum(axis=2)
        n_week = n[picks].reshape(synthetic, weeks, dpw).sum(axis=2)
        week_rates = _safe_rates(x_week[:, 0], n_week[:, 0])
        lo, hi = _quantiles(week_rates, (q_lo, q_hi))
        b_lo, b_hi = _binomial_quantiles(round(per_week), rate, (q_lo, q_hi))
        for k in range(1, weeks + 1):
            to_date = _safe_rates(x_week[:, :k].sum(axis=1), n_week[:, :k].sum(axis=1))
            t_lo, t_hi = _quantiles(to_date, (q_lo, q_hi))
            tb_lo, tb_hi = _binomial_quantiles(round(per_week * k), rate, (q_lo, q_hi))
            rows.append(
                {
                    "metric": metric,
                    "arm": arm,
                    "week": k,
                    "expected_rate": rate,
                    "units_per_week": per_week,
                    "week_low": lo,
                    "week_high": hi,
                    "week_binomial_low": b_lo,
                    "week_binomial_high": b_hi,
                    "to_date_low": t_lo,
                    "to_date_high": t_hi,
                    "to_date_binomial_low": tb_lo,
                    "to_date_binomial_high": tb_hi,
                }
            )
    return rows


def _safe_rates(x: np.ndarray, n: np.ndarray) -> np.ndarray:
    ok = n > 0
    return x[ok] / n[ok]


def _quantiles(values: np.ndarray, qs: Sequence[float]) -> tuple[float, ...]:
    if len(values) == 0:
        return tuple(float("nan") for _ in qs)
    return tuple(float(v) for v in np.quantile(values, qs))


# ------------------------------------------------------------------------------ JSON


# ------------------------------------------------------------------------------ results


@dataclass
class WeeklyBands:
    """The expected band of the weekly review metrics, week by week (see :func:`weekly_bands`).

    ``table`` has one row per metric, arm and week: ``expected_rate`` (the simulation's pooled
    rate), ``units_per_week``, the band of one week's rate (``week_low``/``week_high``: the
    simulated weeks' percentiles; ``week_binomial_low``/``_high``: Binomial(units per week,
    expected rate)) and the band of the rate to date after that week (``to_date_*``). The
    weekly band is the same each week because nothing in a scenario changes over weeks; the
    to-date band narrows as the pilot accumulates calls. A week outside its band is a change
    worth looking at (a ``level`` band is left by chance 1 − ``level`` of the time).
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


@dataclass
class RolloutChoice:
    """Which rollout share reaches a decision soonest while transfer completion holds."""

    metric: str
    lift: float
    """Absolute lift sized for (NaN when ``relative_lift`` was given)."""
    relative_lift: float
    lift_source: str
    """"requested" (``lift``/``relative_lift``) or "scenario" (the simulated AI − control)."""
    min_completion: float
    completion: str
    """Whose transfer completion must hold: "all" transfers or the "ai" arm's."""
    replications: int
    table: pd.DataFrame
    """Per rollout: control and AI rates, units per week, n per arm, weeks to decision,
    transfer completion mean and lower 95% bound, feasible, chosen."""
    choice: float | None
    """The chosen rollout, None when no rollout keeps completion up."""
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (NaN and infinity become None)."""
        return json_safe(
            {
                "metric": self.metric,
                "lift": self.lift,
                "relative_lift": self.relative_lift,
                "lift_source": self.lift_source,
                "min_completion": self.min_completion,
                "completion": self.completion,
                "replications": self.replications,
                "choice": self.choice,
                "reason": self.reason,
                "rollouts": self.table,
            }
        )


@dataclass
class PilotPlan:
    """How big and how long a pilot must be, and how likely it is to see the effect.

    Formula figures (``n_control``, ``n_ai``, ``weeks``) are for the requested lift; the
    simulated power and ``formula_power_observed`` are for the lift the scenario produces
    (``observed_lift``), at the pilot length ``pilot_days``.
    """

    scenario: str
    metric: str
    unit: str
    success: str
    rollout: float
    alpha: float
    power: float
    like_for_like: bool
    # requested effect and the formula
    p_control: float
    """Control arm's rate in the simulation (p₁)."""
    p_target: float
    """p₂ = p₁ + lift, the AI-arm rate to detect."""
    lift: float
    relative_lift: float
    lift_source: str
    """"requested" or "scenario" (no lift given: the simulated AI − control difference)."""
    ratio: float
    """Allocation r = n_AI / n_control = rollout / (1 − rollout)."""
    n_control: int
    n_ai: int
    # volume and duration
    weekly_control: float
    """Units per week in the control arm (simulated mean)."""
    weekly_ai: float
    weeks_control: float
    weeks_ai: float
    weeks: float
    """Weeks until both arms reach their n (the slower arm decides)."""
    slower_arm: str
    pilot_days: int
    """⌈weeks × days_per_week⌉ open days, the length of the simulated pilots."""
    pilot_weeks: float
    # the scenario's own effect
    p_ai: float
    """AI arm's rate in the simulation."""
    observed_lift: float
    formula_power_requested: float
    """Formula power for the requested lift at ``pilot_days`` of expected volume (≥ power)."""
    formula_power_observed: float
    """Formula power for ``observed_lift`` at ``pilot_days`` of expected volume."""
    simulated_power: float | None
    simulated_power_ci_low: float | None
    simulated_power_ci_high: float | None
    pilots: int
    method: str
    """"disjoint" (independent simulated pilots) or "resampled" (days drawn with
    replacement), see the module docstring; "none" when not simulated."""
    independent_pilots: float
    """Simulated days ÷ pilot days: independent pilot lengths of data behind the estimate."""
    # context
    transfer_completion: float
    """All transfers' completion in the simulation (mean over replications)."""
    transfer_completion_ai: float
    replications: int
    simulated_days: int
    days_per_week: int
    seed: int
    notes: list[str] = field(default_factory=list)
    bands: WeeklyBands | None = field(default=None, repr=False)
    rollouts: RolloutChoice | None = field(default=None, repr=False)

    _TABLES = ("bands", "rollouts")

    def figures(self) -> dict[str, Any]:
        """Every scalar figure (no tables), JSON-safe."""
        out = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in self._TABLES
        }
        return json_safe(out)

    def to_dict(self) -> dict[str, Any]:
        """Every figure and table, JSON-safe (NaN and infinity become None)."""
        out = self.figures()
        out["bands"] = self.bands.to_dict()["bands"] if self.bands is not None else None
        out["rollouts"] = self.rollouts.to_dict() if self.rollouts is not None else None
        return out

    def summary_table(self) -> pd.DataFrame:
        """The figures as a two-column table (figure, value)."""
        figs = self.figures()
        figs.pop("notes")
        return pd.DataFrame({"figure": list(figs), "value": list(figs.values())})

    def power_table(self) -> pd.DataFrame:
        """Formula vs simulation, for the requested lift and for the scenario's own lift."""
        return pd.DataFrame(
            [
                {
                    "effect": "requested",
                    "p_control": self.p_control,
                    "p_ai": self.p_target,
                    "lift": self.lift,
                    "pilot_days": self.pilot_days,
                    "formula_power": self.formula_power_requested,
                    "simulated_power": None,
                    "simulated_ci_low": None,
                    "simulated_ci_high": None,
                },
                {
                    "effect": "scenario",
                    "p_control": self.p_control,
                    "p_ai": self.p_ai,
                    "lift": self.observed_lift,
                    "pilot_days": self.pilot_days,
                    "formula_power": self.formula_power_observed,
                    "simulated_power": self.simulated_power,
                    "simulated_ci_low": self.simulated_power_ci_low,
                    "simulated_ci_high": self.simulated_power_ci_high,
                },
            ]
        )

    def bands_table(self) -> pd.DataFrame:
        """The weekly review bands (empty when not computed)."""
        return self.bands.table.copy() if self.bands is not None else pd.DataFrame()

    def rollouts_table(self) -> pd.DataFrame:
        """The rollout comparison (empty when not computed)."""
        return self.rollouts.table.copy() if self.rollouts is not None else pd.DataFrame()


# ------------------------------------------------------------------------------ simulation


def _run(
    scenario: Scenario,
    seed: int,
    start: int,
    stop: int,
    workers: int,
    scheduler: str | None,
    progress: Progress | None,
    done_before: int = 0,
    total: int | None = None,
) -> list:
    """Run replications ``start``..``stop - 1`` (the same seeds ``simulate`` gives them)."""
    tasks = replication_task(scenario, seed, stop)[start:]
    if not tasks:
        return []
    total = total or stop

    def report(done: int, _: int) -> None:
        if progress:
            progress(done_before + done, total)

    return run_tasks(
        run_one, tasks, workers=workers, scheduler=scheduler, progress=report if progress else None
    )


def _check_results(results: Results, variant: Scenario) -> None:
    if results.scenario != variant:
        raise ValueError(
            "results were simulated for a different scenario or rollout than asked "
            f"(results: {results.scenario.name!r} at rollout {results.scenario.ai.rollout:g}, "
            f"ai.enabled = {str(results.scenario.ai.enabled).lower()}); simulate "
            "pilot_scenario(scenario, rollout) or leave results out"
        )


def _check_count(name: str, value: int | None, minimum: int = 1) -> None:
    if value is not None and (isinstance(value, bool) or int(value) < minimum):
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")


def _completion(results: Results) -> tuple[pd.Series, pd.Series]:
    """Per replication: transfer completion of all transfers and of the AI arm's."""
    calls = counted_calls(results.calls, results.scenario)
    offered = ~np.isnan(calls["transfer_at"].to_numpy()) & _code_of(calls, "path", "ai")
    connected = _code_of(calls, "outcome", "connected")
    rep = calls["replication"].to_numpy()
    reps = results.replications
    n = np.bincount(rep[offered], minlength=reps)
    x = np.bincount(rep[offered & connected], minlength=reps)
    with np.errstate(invalid="ignore", divide="ignore"):
        ai = pd.Series(np.where(n > 0, x / np.maximum(n, 1), np.nan))
    return results.kpis["transfer_completion_rate"].reset_index(drop=True), ai


# ------------------------------------------------------------------------------ public API


def pilot(
    scenario: Scenario,
    rollout: float = 0.1,
    metric: str = "post_transfer_conversion_rate",
    lift: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    *,
    relative_lift: float | None = None,
    results: Results | None = None,
    like_for_like: bool = True,
    pilots: int = 1000,
    target_pilots: int = 20,
    max_replications: int = 200,
    pilot_weeks: float | None = None,
    band_weeks: int = 4,
    band_level: float = 0.90,
    compare_rollouts: Sequence[float] | None = None,
) -> PilotPlan:
    """Size a pilot that sends ``rollout`` of the calls to the AI (see the module docstring).

    ``lift`` is absolute (0.02 for 10% → 12%), ``relative_lift`` relative (0.2 for +20%);
    with neither, the lift the scenario produces is sized. ``replications`` of the scenario at
    the pilot rollout are simulated; ``None`` simulates 20, then adds replications until the
    simulated days hold ``target_pilots`` independent pilot lengths (at most
    ``max_replications`` in all). ``results`` (of ``pilot_scenario(scenario, rollout)``) reuses
    a simulation instead. ``pilot_weeks`` evaluates the simulated and formula power at that
    length instead of the formula's. ``pilots`` simulated pilots estimate the power. The plan
    carries the weekly review bands (``band_weeks``, ``band_level``) from the same replications,
    and with ``compare_rollouts`` a :func:`rollout_choice` over those rollouts (``replications``
    each, 20 when automatic; the pilot rollout's own replications are reused).

    Raises ValueError for a rollout outside (0, 1) (1.0 leaves no control arm), an unknown or
    one-arm metric, a zero lift, a lift that puts the AI arm's rate outside (0, 1), and results
    of another scenario.
    """
    rollout = _check_rollout(rollout, need_control=True)
    m = _check_metric(metric, two_arm=True)
    alpha = _check_open_probability("alpha", alpha)
    power = _check_open_probability("power", power)
    band_level = _check_open_probability("band_level", band_level)
    _check_lift(lift, relative_lift)
    counts_given = {
        "replications": replications,
        "pilots": pilots,
        "target_pilots": target_pilots,
        "max_replications": max_replications,
    }
    for name, value in counts_given.items():
        _check_count(name, value)
    _check_count("band_weeks", band_weeks, minimum=0)
    if pilot_weeks is not None and not (float(pilot_weeks) > 0 and math.isfinite(pilot_weeks)):
        raise ValueError(f"pilot_weeks must be a positive number of weeks, got {pilot_weeks!r}")
    notes: list[str] = []
    if not scenario.ai.enabled:
        notes.append("the scenario has the AI off; the pilot turns it on for the rollout share")
    variant = pilot_scenario(scenario, rollout)
    if results is not None:
        _check_results(results, variant)
        seed = results.seed
        outputs = None
    else:
        seed = variant.seed if seed is None else int(seed)
        first = replications if replications is not None else min(_FIRST_BATCH, max_replications)
        outputs = _run(variant, seed, 0, first, workers, scheduler, progress)
        results = collect(variant, seed, outputs)
    dpw = variant.hours.days_per_week
    ratio = rollout / (1.0 - rollout)

    def size(results: Results) -> dict[str, Any]:
        counts = _day_counts(results, metric, like_for_like)
        p_ai, p_control = counts.rates()
        weekly_ai, weekly_control = counts.weekly()
        if weekly_ai == 0 or weekly_control == 0:
            arm = "AI" if weekly_ai == 0 else "control"
            raise ValueError(
                f"{variant.name}: the {arm} arm has no {m.unit} in {results.replications} "
                f"simulated replication(s) at rollout {rollout:g}, so {metric} cannot be "
                "compared (more replications, a larger rollout, or another metric)"
            )
        observed = p_ai - p_control
        if lift is None and relative_lift is None:
            if not math.isfinite(observed) or observed == 0.0:
                raise ValueError(
                    f"the scenario produces no difference in {metric} between the arms "
                    f"({p_ai:.4f} vs {p_control:.4f}); give the lift to detect (lift=…)"
                )
            p2, used = _target_rate(p_control, observed, None, metric)
            source = "scenario"
        else:
            p2, used = _target_rate(p_control, lift, relative_lift, metric)
            source = "requested"
        n_control, n_ai = two_proportion_sample_size(p_control, p2, alpha, power, ratio)
        weeks_c, weeks_a = n_control / weekly_control, n_ai / weekly_ai
        weeks = max(weeks_c, weeks_a)
        return {
            "counts": counts, "p_ai": p_ai, "p_control": p_control, "observed": observed,
            "p2": p2, "lift": used, "source": source, "n_control": n_control, "n_ai": n_ai,
            "weekly_ai": weekly_ai, "weekly_control": weekly_control, "weeks_control": weeks_c,
            "weeks_ai": weeks_a, "weeks": weeks,
            "pilot_days": max(1, math.ceil(weeks * dpw - 1e-9)),
        }  # fmt: skip

    s = size(results)
    eval_days = s["pilot_days"] if pilot_weeks is None else max(1, math.ceil(pilot_weeks * dpw))
    # Automatic replications: add more until the simulated days hold ``target_pilots`` pilot
    # lengths (the pilot length itself moves a little as the estimates settle).
    for _ in range(3):
        if replications is not None or outputs is None or eval_days > _MAX_PILOT_DAYS:
            break
        days_per_rep = s["counts"].days_per_replication
        wanted = min(max_replications, math.ceil(target_pilots * eval_days / days_per_rep))
        if wanted <= results.replications:
            break
        more = _run(variant, seed, results.replications, wanted, workers, scheduler, progress,
                    done_before=results.replications, total=wanted)  # fmt: skip
        outputs = outputs + more
        results = collect(variant, seed, outputs)
        s = size(results)
        if pilot_weeks is None:
            eval_days = s["pilot_days"]
    counts: _DayCounts = s["counts"]
    if eval_days / dpw > 104:
        notes.append(
            f"a pilot of {eval_days / dpw:.0f} weeks (over two years) is hardly practical: "
            "consider a larger rollout or a larger lift"
        )
    if counts.days / eval_days < target_pilots:
        notes.append(
            f"the simulated days hold {counts.days / eval_days:.1f} independent pilots of "
            f"{eval_days} days (target {target_pilots}); the simulated power's interval is wide "
            "(more replications narrow it)"
        )

    # The scenario's own effect: simulated pilots and the formula at the same length.
    direction = math.copysign(1.0, s["observed"]) if s["observed"] != 0 else 1.0
    daily_ai = s["weekly_ai"] / dpw
    daily_control = s["weekly_control"] / dpw
    n1_eval = daily_control * eval_days
    ratio_eval = daily_ai / daily_control
    f_obs = _formula_power(s["p_control"], s["p_ai"], n1_eval, ratio_eval, alpha)
    f_req = _formula_power(s["p_control"], s["p2"], n1_eval, ratio_eval, alpha)
    if eval_days > _MAX_PILOT_DAYS:
        notes.append(f"a pilot of {eval_days} days is impractical; power was not simulated")
        sim_power, ci, method, independent = None, (None, None), "none", 0.0
    else:
        rng = np.random.default_rng(np.random.SeedSequence([seed, 7_001, eval_days]))
        sums, method, independent = _pilot_sums(counts, eval_days, pilots, rng)
        sim_power = float(_detections(sums, alpha, direction).mean())
        ci = _wilson(sim_power, independent)
    if s["source"] == "requested" and s["observed"] * s["lift"] < 0:
        notes.append(
            f"the scenario's own effect ({s['observed']:+.4f}) goes the other way from the "
            f"requested lift ({s['lift']:+.4f})"
        )

    completion_all, completion_ai = _completion(results)
    bands = None
    if band_weeks:
        rng_b = np.random.default_rng(np.random.SeedSequence([seed, 7_002]))
        bands = _bands_from(results, band_weeks, band_level, like_for_like, rng_b)
    choice = None
    if compare_rollouts:
        choice = rollout_choice(
            scenario, compare_rollouts, metric=metric, lift=lift, relative_lift=relative_lift,
            alpha=alpha, power=power, replications=replications or 20, seed=seed,
            workers=workers, scheduler=scheduler, like_for_like=like_for_like,
            results={rollout: results},
        )  # fmt: skip
    return PilotPlan(
        scenario=variant.name,
        metric=metric,
        unit=m.unit,
        success=m.success,
        rollout=rollout,
        alpha=alpha,
        power=power,
        like_for_like=like_for_like,
        p_control=s["p_control"],
        p_target=s["p2"],
        lift=s["lift"],
        relative_lift=s["lift"] / s["p_control"],
        lift_source=s["source"],
        ratio=ratio,
        n_control=s["n_control"],
        n_ai=s["n_ai"],
        weekly_control=s["weekly_control"],
        weekly_ai=s["weekly_ai"],
        weeks_control=s["weeks_control"],
        weeks_ai=s["weeks_ai"],
        weeks=s["weeks"],
        slower_arm="ai" if s["weeks_ai"] >= s["weeks_control"] else "control",
        pilot_days=eval_days,
        pilot_weeks=eval_days / dpw,
        p_ai=s["p_ai"],
        observed_lift=s["observed"],
        formula_power_requested=f_req,
        formula_power_observed=f_obs,
        simulated_power=sim_power,
        simulated_power_ci_low=ci[0],
        simulated_power_ci_high=ci[1],
        pilots=pilots if method != "none" else 0,
        method=method,
        independent_pilots=independent,
        transfer_completion=float(completion_all.mean()),
        transfer_completion_ai=float(completion_ai.mean()),
        replications=results.replications,
        simulated_days=counts.days,
        days_per_week=dpw,
        seed=seed,
        notes=notes,
        bands=bands,
        rollouts=choice,
    )


def rollout_choice(
    scenario: Scenario,
    rollouts: Sequence[float] = DEFAULT_ROLLOUTS,
    metric: str = "post_transfer_conversion_rate",
    lift: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    replications: int = 20,
    seed: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    *,
    relative_lift: float | None = None,
    min_completion: float = 0.80,
    completion: Literal["all", "ai"] = "all",
    like_for_like: bool = True,
    results: Mapping[float, Results] | None = None,
) -> RolloutChoice:
    """Which rollout share reaches a decision soonest while transfer completion holds.

    Each rollout is simulated (``replications`` each, on common random numbers; ``results``
    maps rollouts already simulated to their :class:`Results`). Weeks to decision are the
    formula's (module docstring) with that rollout's control rate, allocation and simulated
    volume. With no ``lift``/``relative_lift`` the lift is the scenario's own effect, pooled
    over all the rollouts simulated (one number for all, so the ranking is not noise). A rollout
    is feasible when the lower 95% confidence bound (Student t over replications) of transfer
    completion, of all transfers (``completion="all"``, the KPI) or of the AI arm's
    (``"ai"``), is at least ``min_completion``. The choice is the feasible rollout with the
    fewest weeks (ties: the smaller rollout); None when none is feasible.
    """
    m = _check_metric(metric, two_arm=True)
    shares = [_check_rollout(r, need_control=True) for r in rollouts]
    if not shares:
        raise ValueError("rollouts must name at least one rollout share in (0, 1)")
    if len(set(shares)) != len(shares):
        raise ValueError(f"rollouts must not repeat, got {list(rollouts)}")
    alpha = _check_open_probability("alpha", alpha)
    power = _check_open_probability("power", power)
    min_completion = float(min_completion)
    if not (0.0 <= min_completion <= 1.0):
        raise ValueError(f"min_completion must be in [0, 1], got {min_completion!r}")
    if completion not in ("all", "ai"):
        raise ValueError(f'completion must be "all" or "ai", got {completion!r}')
    _check_lift(lift, relative_lift)
    _check_count("replications", replications, minimum=2)
    seed = scenario.seed if seed is None else int(seed)
    given = dict(results or {})
    variants = {r: pilot_scenario(scenario, r) for r in shares}
    done: dict[float, Results] = {}
    tasks, owners = [], []
    for r, variant in variants.items():
        if r in given:
            _check_results(given[r], variant)
            done[r] = given[r]
        else:
            jobs = replication_task(variant, seed, replications)
            tasks.extend(jobs)
            owners.extend([r] * len(jobs))
    outputs = run_tasks(run_one, tasks, workers=workers, scheduler=scheduler, progress=progress)
    for r in shares:
        if r not in done:
            mine = [o for o, owner in zip(outputs, owners, strict=True) if owner == r]
            done[r] = collect(variants[r], seed, mine)

    counts = {r: _day_counts(done[r], metric, like_for_like) for r in shares}
    if lift is None and relative_lift is None:
        x_ai = sum(int(c.x_ai.sum()) for c in counts.values())
        n_ai = sum(int(c.n_ai.sum()) for c in counts.values())
        x_c = sum(int(c.x_control.sum()) for c in counts.values())
        n_c = sum(int(c.n_control.sum()) for c in counts.values())
        pooled = _ratio(x_ai, n_ai) - _ratio(x_c, n_c)
        if not math.isfinite(pooled) or pooled == 0.0:
            raise ValueError(
                f"the scenario produces no difference in {metric} between the arms; give the "
                "lift to detect (lift=…)"
            )
        use_lift, source = pooled, "scenario"
    else:
        use_lift, source = lift, "requested"

    rows = []
    for r in shares:
        c = counts[r]
        p_ai, p_c = c.rates()
        weekly_ai, weekly_c = c.weekly()
        row: dict[str, Any] = {"rollout": r, "p_control": p_c, "p_ai": p_ai,
                               "weekly_control": weekly_c, "weekly_ai": weekly_ai}  # fmt: skip
        ratio = r / (1.0 - r)
        note = ""
        try:
            p2, used = _target_rate(p_c, use_lift, relative_lift if source == "requested"
                                    else None, metric)  # fmt: skip
            n_c, n_a = two_proportion_sample_size(p_c, p2, alpha, power, ratio)
            if weekly_ai == 0 or weekly_c == 0:
                raise ValueError(f"an arm has no {m.unit}")
            weeks = max(n_c / weekly_c, n_a / weekly_ai)
        except ValueError as exc:
            used, n_c, n_a, weeks, note = float("nan"), None, None, float("nan"), str(exc)
        all_c, ai_c = _completion(done[r])
        which = all_c if completion == "all" else ai_c
        stats = summarise(pd.DataFrame({"c": which, "a": all_c, "i": ai_c}), ["c", "a", "i"])
        ci_low = float(stats.loc["c", "ci_low"])
        feasible = bool(math.isfinite(weeks) and ci_low >= min_completion)
        if not note and not feasible:
            note = (f"transfer completion ({completion}) lower bound {ci_low:.3f} is below "
                    f"{min_completion:g}")  # fmt: skip
        row.update(
            {
                "lift": used,
                "n_control": n_c,
                "n_ai": n_a,
                "weeks_to_decision": weeks,
                "completion_mean": float(stats.loc["c", "mean"]),
                "completion_ci_low": ci_low,
                "completion_all_mean": float(stats.loc["a", "mean"]),
                "completion_ai_mean": float(stats.loc["i", "mean"]),
                "feasible": feasible,
                "note": note,
            }
        )
        rows.append(row)
    table = pd.DataFrame(rows)
    feasible = table[table["feasible"]]
    if len(feasible):
        best = feasible.sort_values(["weeks_to_decision", "rollout"]).iloc[0]
        choice: float | None = float(best["rollout"])
        reason = (
            f"rollout {choice:g} reaches a decision in {best['weeks_to_decision']:.1f} weeks "
            f"with transfer completion ({completion}) at least {best['completion_ci_low']:.3f} "
            "(lower 95% bound)"
        )
    else:
        choice = None
        reason = (
            f"no rollout keeps transfer completion ({completion}) at or above "
            f"{min_completion:g} at the lower 95% bound; add producers (sim.staffing) first"
        )
    table["chosen"] = table["rollout"] == choice
    return RolloutChoice(
        metric=metric,
        lift=float(use_lift) if use_lift is not None else float("nan"),
        relative_lift=float(relative_lift) if relative_lift is not None else float("nan"),
        lift_source=source,
        min_completion=min_completion,
        completion=completion,
        replications=min(d.replications for d in done.values()),
        table=table,
        choice=choice,
        reason=reason,
    )


def _bands_from(
    results: Results,
    weeks: int,
    level: float,
    like_for_like: bool,
    rng: np.random.Generator,
    synthetic: int = 2000,
) -> WeeklyBands:
    rows = []
    for metric in REVIEW_METRICS:
        counts = _day_counts(results, metric, like_for_like)
        rows.extend(_band_rows(counts, metric, weeks, level, synthetic, rng))
    sc = results.scenario
    return WeeklyBands(
        scenario=sc.name,
        rollout=sc.ai.rollout,
        weeks=weeks,
        level=level,
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
    rollout = _check_rollout(rollout)
    level = _check_open_probability("level", level)
    _check_count("weeks", weeks)
    _check_count("replications", replications)
    _check_count("synthetic", synthetic)
    variant = pilot_scenario(scenario, rollout)
    if results is not None:
        _check_results(results, variant)
    else:
        seed = variant.seed if seed is None else int(seed)
        outputs = _run(variant, seed, 0, replications, workers, scheduler, progress)
        results = collect(variant, seed, outputs)
    rng = np.random.default_rng(np.random.SeedSequence([results.seed, 7_002]))
    return _bands_from(results, int(weeks), level, like_for_like, rng, synthetic)


# `sim.pilot(...)` calls pilot() (see sim/_api.py).
callable_module(__name__, pilot)
