"""The tornado of the ROI: which inputs move the monthly net gain, and why.

:func:`sensitivity` varies one input at a time over a stated range (:func:`default_ranges`)
and ranks the inputs by their swing of the monthly net gain of the AI over the baseline.
Prices are applied to the base run's minutes and calls (they do not change what happens to
callers); the other inputs are re-simulated on common random numbers, with the baseline's
roster held at the base comparison's (a staffed baseline is not re-planned per input).
:func:`explain` says in a sentence why an input moves the gain the way it does when the sign
surprises a reader (more containment lowering the gain, say). :func:`display_tables` lays the
comparison out for people (where the gain comes from, each arm side by side, the tornado),
labelled and formatted, for the CLI and the ROI page alike. Import these from :mod:`sim.roi`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.loader import derive
from sim.overrides import containment_overrides
from sim.roi import WEEKS_PER_MONTH, Comparison, _weeks, compare
from sim.scenario import Scenario

__all__ = [
    "SensitivityRange",
    "default_ranges",
    "display_tables",
    "explain",
    "money",
    "sensitivity",
]


@dataclass(frozen=True)
class SensitivityRange:
    """One input of the tornado and the range it is varied over."""

    name: str
    """What is varied, as an ops lead would say it."""
    low_label: str
    high_label: str
    low: dict
    """Overrides for the low end (dotted keys)."""
    high: dict
    """Overrides for the high end."""
    resimulate: bool = True
    """False for pure prices, which change money but not what happens to callers."""


def default_ranges(scenario: Scenario) -> list[SensitivityRange]:
    """The tornado's inputs and ranges: AI price $0.05–1.00 per minute, human intake $7–15 per
    call, containment ×0.8–×1.2, share of qualified-interest escalations ×0.75–×1.25 and warm
    conversion ×0.8–×1.2."""
    types = scenario.call_types

    def qualified(factor: float) -> dict:
        over = {}
        mixes = {f"call_types.{n}.triggers": ct.triggers for n, ct in types.items()}
        if scenario.outbound is not None:
            mixes["outbound.triggers"] = scenario.outbound.triggers
        for key, mix in mixes.items():
            if "qualified_interest" in mix and len(mix) > 1:
                over[key] = _reweight(mix, "qualified_interest", factor)
        return over

    warm = scenario.outcomes.conversion_warm
    return [
        SensitivityRange("AI price per minute", "$0.05", "$1.00",
                         {"ai.cost_per_minute": 0.05}, {"ai.cost_per_minute": 1.00}, False),
        SensitivityRange("Human intake per call", "$7", "$15",
                         {"costs.human_cost_per_call": 7.0}, {"costs.human_cost_per_call": 15.0},
                         False),
        SensitivityRange("AI containment", "×0.8", "×1.2", containment_overrides(scenario, 0.8),
                         containment_overrides(scenario, 1.2)),
        SensitivityRange("Qualified-interest share", "×0.75", "×1.25",
                         qualified(0.75), qualified(1.25)),
        SensitivityRange("Warm conversion", f"{warm * 0.8:.0%}", f"{min(1, warm * 1.2):.0%}",
                         {"outcomes.conversion_warm": warm * 0.8},
                         {"outcomes.conversion_warm": min(1.0, warm * 1.2)}),
    ]  # fmt: skip


def _reweight(mix: dict[str, float], key: str, factor: float) -> dict[str, float]:
    share = min(1.0, mix[key] * factor)
    rest = sum(v for k, v in mix.items() if k != key)
    out = {k: (v / rest * (1 - share) if rest > 0 else 0.0) for k, v in mix.items() if k != key}
    out[key] = share
    return out


def sensitivity(
    scenario: Scenario,
    replications: int = 5,
    seed: int | None = None,
    workers: int = 1,
    ranges: list[SensitivityRange] | None = None,
    base: Comparison | None = None,
    scheduler: str | None = None,
) -> pd.DataFrame:
    """Tornado: monthly net gain of AI over all-human at each end of each input's range,
    ranked by the swing. Prices are applied to the base run's minutes and calls (they do not
    change what happens to callers); the other inputs are re-simulated on common random
    numbers."""
    base = base or compare(scenario, replications, seed, workers, scheduler)
    kind, plan = base.baseline_kind, base.plan  # the baseline's roster held
    seed = base.ai.seed
    rows = []
    for rng_ in ranges or default_ranges(scenario):
        ends = []
        for over in (rng_.low, rng_.high):
            if not over:
                ends.append(base.monthly_gain)
            elif rng_.resimulate:
                varied = derive(scenario, over)
                reps = len(base.ai.kpis)
                varied_gain = compare(varied, reps, seed, workers, scheduler, baseline=kind,
                                      plan=plan).monthly_gain  # fmt: skip
                ends.append(varied_gain)
            else:
                ends.append(_repriced_gain(base, over))
        rows.append(
            {
                "input": rng_.name,
                "low": rng_.low_label,
                "high": rng_.high_label,
                "gain_at_low": ends[0],
                "gain_at_high": ends[1],
                "swing": abs(ends[1] - ends[0]),
                "base_gain": base.monthly_gain,
            }
        )
    table = pd.DataFrame(rows).sort_values("swing", ascending=False, ignore_index=True)
    return table


def _repriced_gain(base: Comparison, over: dict) -> float:
    """Monthly gain with different prices, from the base run's minutes and intake calls."""
    sc = base.scenario
    price = over.get("ai.cost_per_minute", sc.ai.cost_per_minute)
    per_call = over.get("costs.human_cost_per_call", sc.costs.human_cost_per_call)
    ai, human = base.ai_metrics, base.human_metrics
    delta_ai = (
        -(price - sc.ai.cost_per_minute) * ai["ai_minutes"]
        - (per_call - sc.costs.human_cost_per_call) * ai["human_intake_calls"]
    )
    delta_human = -(per_call - sc.costs.human_cost_per_call) * human["human_intake_calls"]
    per_month = WEEKS_PER_MONTH / _weeks(sc)
    return base.monthly_gain + float(np.mean(delta_ai - delta_human)) * per_month


_EXPECTED_SIGN = {
    "AI price per minute": -1,
    "Human intake per call": +1,
    "AI containment": +1,
    "Qualified-interest share": +1,
    "Warm conversion": +1,
}
"""Which way a reader expects each input to move the gain (higher input → higher gain: +1)."""


def explain(row: pd.Series, comparison: Comparison) -> str | None:
    """Why a tornado input (a row of :func:`sensitivity`) moves the monthly gain the way it
    does, when the sign surprises (None when it moves as a reader expects)."""
    swing = float(row["gain_at_high"]) - float(row["gain_at_low"])
    expected = _EXPECTED_SIGN.get(str(row["input"]))
    if expected is None or swing == 0 or math.copysign(1, swing) == expected:
        return None
    parts = comparison.breakdown()
    resolved = parts["revenue_on_calls_the_ai_resolves"]
    name = str(row["input"])
    if name == "AI containment":
        return (
            "More containment lowers the gain: a caller the AI resolves never meets a producer "
            "who could sell them something (the baseline's producers make "
            f"${-resolved:,.0f} a month on the calls the AI resolves), and the AI arm's "
            "producers are rostered all the same, so fewer transfers save no producer time."
        )
    if name == "Qualified-interest share":
        return (
            "A larger share of qualified-interest escalations lowers the gain here: those "
            "callers convert with or without the AI, so they add sales to both arms, while the "
            "AI arm's fixed roster answers fewer of the longer sales calls in time."
        )
    if name == "Warm conversion":
        return (
            "Higher warm conversion lowers the gain here: with few warm transfers reaching a "
            "producer, the change is inside the noise of these replications."
        )
    if name == "Human intake per call":
        return (
            "A dearer human intake lowers the gain here: the AI arm still sends calls to human "
            "intake (the share outside the rollout, and overflow when every AI line is busy)."
        )
    return (
        "A dearer AI raises the gain here: the difference is inside the noise of these "
        "replications (prices re-price the same run)."
    )


def money(value: float) -> str:
    """Dollars for people: ``$1,234``, ``-$56``; ``—`` when missing."""
    if value is None or not math.isfinite(value):
        return "—"
    return f"-${-value:,.0f}" if value < 0 else f"${value:,.0f}"


def display_tables(comparison, tornado=None) -> dict[str, pd.DataFrame]:
    """The comparison for people, as text tables that fit 80 columns: where the gain comes
    from, each arm side by side, and the tornado (labelled, formatted)."""
    from sim import kpis
    from sim.roi import BREAKDOWN

    parts = comparison.breakdown()
    gain = comparison.net_gain()
    rows = [(BREAKDOWN[name], money(value)) for name, value in parts.items()]
    rows.append(("Net gain", money(gain["mean"])))
    out = {"breakdown": pd.DataFrame(rows, columns=["Part of the gain", "$ per month"])}
    ai, human = comparison.arm("ai"), comparison.arm("all_human")
    arm_rows = [("Producer hours per day", f"{ai['producer_hours_per_day']:,.1f}",
                 f"{human['producer_hours_per_day']:,.1f}")]  # fmt: skip
    for name in ("transfer_completion_rate", "abandonment_rate", "service_level",
                 "producer_occupancy", "policies_sold", "cost_per_call",
                 "cost_per_acquisition"):  # fmt: skip
        what = kpis.label(name)
        if name == "policies_sold":
            what = f"{what} per {comparison.days}-day replication"
        arm_rows.append((what, kpis.format(name, ai["kpis"][name]["mean"]),
                         kpis.format(name, human["kpis"][name]["mean"])))  # fmt: skip
    base = "All human, staffed" if comparison.baseline_kind == "staffed" else "All human, same"
    out["arms"] = pd.DataFrame(arm_rows, columns=["Per arm (mean)", "With AI", base])
    if tornado is not None:
        out["tornado"] = pd.DataFrame(
            {
                "Input": tornado["input"],
                "Range": tornado["low"] + " to " + tornado["high"],
                "Gain at low": tornado["gain_at_low"].map(money),
                "Gain at high": tornado["gain_at_high"].map(money),
                "Swing": tornado["swing"].map(money),
            }
        )
    return out
