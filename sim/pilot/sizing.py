"""How many units each arm needs, and how many weeks of the simulated volume that takes.

p₁ is the control arm's rate in the simulation and p₂ = p₁ + ``lift`` (absolute) or
p₁·(1 + ``relative_lift``); with neither, p₂ = p₁ + the lift the scenario itself produces (AI
arm − control). The sample size is the two-sided two-proportion z-test formula with unequal
allocation r = n_AI/n_control = rollout/(1 − rollout), pooled variance under H₀ and unpooled
under H₁ (Fleiss, Levin & Paik, *Statistical Methods for Rates and Proportions*, 3rd ed. 2003,
without the continuity correction; :func:`sim.theory.two_proportion_sample_size`). It equals
statsmodels' ``samplesize_proportions_2indep_onetail(diff=p₁ − p₂, prop2=p₂, power, ratio=r,
alpha)`` rounded up (n₁ the control arm, n₂ = ⌈r·n₁⌉ the AI arm); it is *not* the arcsine
effect-size route (statsmodels ``NormalIndPower`` with ``proportion_effectsize``, Cohen's h),
which gives 3,835 instead of 3,841 per arm for 10% → 12%.

Weeks = max over arms of n / (units per week): the slower arm decides. The pilot runs
⌈weeks × days_per_week⌉ open days, and a manager plans ⌈weeks⌉ whole weeks.

:func:`size` is the one computation behind a plan's headline and every row of the rollout
comparison: the same counts and the same design give the same :class:`Sizing`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.pilot.counts import DayCounts
from sim.pilot.design import PilotDesign
from sim.theory import two_proportion_sample_size

__all__ = ["Sizing", "size", "target_rate", "whole_weeks"]


def whole_weeks(weeks: float) -> int | None:
    """``weeks`` rounded up to whole weeks (None when not finite)."""
    if not math.isfinite(weeks):
        return None
    return max(1, math.ceil(weeks - 1e-9))


def target_rate(
    p1: float, lift: float | None, relative_lift: float | None, metric: str
) -> tuple[float, float]:
    """(p2, lift) for a control rate p1; ValueError when p2 is not a probability in (0, 1)."""
    if relative_lift is not None:
        p2 = p1 * (1.0 + float(relative_lift))
        asked = f"relative_lift {relative_lift:+g}"
    elif lift is not None:
        p2 = p1 + float(lift)
        asked = f"lift {lift:+g}"
    else:
        raise ValueError("give a lift or a relative lift to size for")
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


@dataclass(frozen=True)
class Sizing:
    """The formula's answer for one design on one simulation."""

    rollout: float
    ratio: float
    """Allocation r = n_AI / n_control."""
    p_control: float
    """Control arm's rate in the simulation (p₁)."""
    p_ai: float
    """AI arm's rate in the simulation."""
    observed_lift: float
    """p_ai − p_control: the scenario's own effect."""
    p_target: float
    """p₂, the AI-arm rate to detect."""
    lift: float
    """p₂ − p₁."""
    lift_source: str
    """"requested" or "scenario"."""
    n_control: int
    n_ai: int
    weekly_control: float
    weekly_ai: float
    weeks_control: float
    weeks_ai: float
    weeks: float
    """Weeks until both arms reach their n (the slower arm decides)."""
    pilot_days: int
    """⌈weeks × days_per_week⌉ open days."""
    days_per_week: int

    @property
    def slower_arm(self) -> str:
        return "ai" if self.weeks_ai >= self.weeks_control else "control"

    @property
    def whole_weeks(self) -> int | None:
        """Weeks rounded up: how long a manager books the pilot for."""
        return whole_weeks(self.weeks)


def _lift_to_size(design: PilotDesign, p_ai: float, p_control: float) -> tuple[float, float, str]:
    """(p2, lift, source): the requested lift, or the scenario's own when none was asked."""
    if design.lift_requested:
        p2, used = target_rate(p_control, design.lift, design.relative_lift, design.metric)
        return p2, used, "requested"
    observed = p_ai - p_control
    if not math.isfinite(observed) or observed == 0.0:
        raise ValueError(
            f"the scenario produces no difference in {design.metric} between the arms "
            f"({p_ai:.4f} vs {p_control:.4f}); give the lift to detect (lift=…)"
        )
    p2, used = target_rate(p_control, observed, None, design.metric)
    return p2, used, "scenario"


def _check_volume(counts: DayCounts, design: PilotDesign, name: str) -> None:
    weekly_ai, weekly_control = counts.weekly()
    if weekly_ai == 0 or weekly_control == 0:
        arm = "AI" if weekly_ai == 0 else "control"
        replications = counts.days // counts.days_per_replication
        raise ValueError(
            f"{name}: the {arm} arm has no {design.pilot_metric.unit} in {replications} "
            f"simulated replication(s) at rollout {design.rollout:g}, so {design.metric} cannot "
            "be compared (more replications, a larger rollout, or another metric)"
        )


def size(counts: DayCounts, design: PilotDesign, name: str) -> Sizing:
    """The formula's n per arm and the weeks of simulated volume they take, for the scenario
    called ``name`` (for messages).

    ValueError when an arm has no units, the scenario shows no effect and no lift was asked,
    or the lift puts p₂ outside (0, 1).
    """
    _check_volume(counts, design, name)
    p_ai, p_control = counts.rates()
    weekly_ai, weekly_control = counts.weekly()
    p2, used, source = _lift_to_size(design, p_ai, p_control)
    ratio = design.ratio
    n_control, n_ai = two_proportion_sample_size(p_control, p2, design.alpha, design.power, ratio)
    weeks_c, weeks_a = n_control / weekly_control, n_ai / weekly_ai
    weeks = max(weeks_c, weeks_a)
    dpw = counts.days_per_week
    return Sizing(
        rollout=design.rollout,
        ratio=ratio,
        p_control=p_control,
        p_ai=p_ai,
        observed_lift=p_ai - p_control,
        p_target=p2,
        lift=used,
        lift_source=source,
        n_control=n_control,
        n_ai=n_ai,
        weekly_control=weekly_control,
        weekly_ai=weekly_ai,
        weeks_control=weeks_c,
        weeks_ai=weeks_a,
        weeks=weeks,
        pilot_days=max(1, math.ceil(weeks * dpw - 1e-9)),
        days_per_week=dpw,
    )
