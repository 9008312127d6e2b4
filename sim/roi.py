"""What AI intake costs and returns: the scenario against its all-human baseline.

The baseline is the same agency with ``ai.enabled = false``: the same callers arriving at the
same moments with the same needs, handle times and patience (common random numbers: replication
*r* of both arms uses the same random streams), every call taken by human intake at
``costs.human_cost_per_call`` and routed to the same producers. Differences are paired per
replication, so their confidence intervals reflect the AI, not the noise.

Money per arm (over the simulated days, then per week and per month):

- intake cost = AI minutes × price + human intake calls × human cost per call;
- producer cost = rostered producer hours × hourly cost (the same roster in both arms);
- platform cost = ``costs.platform_monthly`` prorated to the simulated period (AI arm only);
- revenue = policies sold × ``costs.revenue_per_policy``; net value = revenue − all costs;
- payback = ``costs.setup`` / monthly net gain of the AI arm over the baseline.

``sensitivity`` varies one input at a time over a stated range and ranks the inputs by their
effect on the monthly net gain (a tornado). ``growth`` compares producers needed with and
without AI as volume grows (see :mod:`sim.staffing`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.execution import Progress, run_tasks
from sim.loader import derive
from sim.overrides import all_human, containment_overrides, scale_volume
from sim.results import Results, collect, replication_task, run_one, summarise
from sim.scenario import Scenario

__all__ = ["Comparison", "SensitivityRange", "compare", "default_ranges", "sensitivity"]

WEEKS_PER_MONTH = 52 / 12

ARM_KPIS = ("transfer_completion_rate", "abandonment_rate", "producer_occupancy")
"""The KPIs each arm reports as they are (the rest of ``METRICS`` are money and volumes)."""

METRICS = (
    "contacts",
    "intake_cost",
    "intake_cost_per_contact",
    "ai_minutes",
    "ai_cost",
    "human_intake_calls",
    "human_intake_cost",
    "producer_hours",
    "producer_busy_hours",
    "producer_cost",
    "platform_cost",
    "total_cost",
    "cost_per_contact",
    "policies_sold",
    "revenue",
    "cost_per_acquisition",
    "net_value",
    "net_value_per_week",
    "net_value_per_month",
    *ARM_KPIS,
)
"""The per-arm figures of a comparison, one row each in ``Comparison.table`` (labels, units
and definitions in :data:`sim.kpis.KPIS`)."""


def _weeks(scenario: Scenario) -> float:
    return scenario.days / scenario.hours.days_per_week


def arm_metrics(results: Results, with_platform: bool) -> pd.DataFrame:
    """Per replication: the money and volume figures of one arm."""
    sc = results.scenario
    k = results.kpis
    weeks = _weeks(sc)
    busy = results.groups.groupby("replication")["busy_minutes"].sum() / 60.0
    platform = sc.costs.platform_monthly * weeks / WEEKS_PER_MONTH if with_platform else 0.0
    out = pd.DataFrame({"replication": k["replication"]})
    out["contacts"] = k["calls"]
    out["intake_cost"] = k["ai_cost"] + k["human_intake_cost"]
    out["intake_cost_per_contact"] = out["intake_cost"] / out["contacts"].where(out["contacts"] > 0)
    out["ai_minutes"] = k["ai_minutes"]
    out["ai_cost"] = k["ai_cost"]
    out["human_intake_calls"] = k["human_intake_calls"]
    out["human_intake_cost"] = k["human_intake_cost"]
    out["producer_hours"] = k["producer_hours"]
    out["producer_busy_hours"] = busy.reindex(k["replication"]).to_numpy()
    out["producer_cost"] = k["producer_cost"]
    out["platform_cost"] = platform
    out["total_cost"] = k["total_cost"] + platform
    out["cost_per_contact"] = out["total_cost"] / out["contacts"].where(out["contacts"] > 0)
    out["policies_sold"] = k["policies_sold"]
    out["revenue"] = k["revenue"]
    sold = out["policies_sold"].where(out["policies_sold"] > 0)
    out["cost_per_acquisition"] = out["total_cost"] / sold
    out["net_value"] = out["revenue"] - out["total_cost"]
    out["net_value_per_week"] = out["net_value"] / weeks
    out["net_value_per_month"] = out["net_value_per_week"] * WEEKS_PER_MONTH
    for name in ARM_KPIS:
        out[name] = k[name]
    return out


@dataclass
class Comparison:
    """The scenario (AI arm) against its all-human baseline."""

    scenario: Scenario
    baseline: Scenario
    ai: Results
    human: Results
    ai_metrics: pd.DataFrame
    """Per replication, the AI arm's figures (``METRICS``)."""
    human_metrics: pd.DataFrame
    """Per replication, the baseline's figures."""

    @property
    def table(self) -> pd.DataFrame:
        """Per metric: each arm's mean and the paired difference (AI − human) with its 95% CI."""
        ai = summarise(self.ai_metrics, METRICS)
        human = summarise(self.human_metrics, METRICS)
        paired = self.ai_metrics[list(METRICS)] - self.human_metrics[list(METRICS)]
        diff = summarise(paired, METRICS)
        return pd.DataFrame(
            {
                "ai": ai["mean"],
                "all_human": human["mean"],
                "difference": diff["mean"],
                "diff_ci_low": diff["ci_low"],
                "diff_ci_high": diff["ci_high"],
            }
        )

    @property
    def monthly_gain(self) -> float:
        """Mean monthly net value of the AI arm minus the baseline (platform fees included)."""
        diff = self.ai_metrics["net_value_per_month"] - self.human_metrics["net_value_per_month"]
        return float(diff.mean())

    @property
    def payback_months(self) -> float:
        """Months for the monthly net gain to repay ``costs.setup`` (0 without a set-up cost,
        infinite when the AI does not gain)."""
        setup = self.scenario.costs.setup
        gain = self.monthly_gain
        if setup <= 0:
            return 0.0 if gain > 0 else math.inf
        return setup / gain if gain > 0 else math.inf

    @property
    def intake_cost_ratio(self) -> float:
        """All-human intake cost per contact ÷ the AI arm's (the field's claim: about 10× at 500
        outbound contacts a week)."""
        ai = self.ai_metrics["intake_cost_per_contact"].mean()
        human = self.human_metrics["intake_cost_per_contact"].mean()
        return float(human / ai) if ai > 0 else math.inf

    def headline(self) -> dict[str, float]:
        """The figures an operations lead asks for first."""
        t = self.table
        return {
            "monthly_net_gain": self.monthly_gain,
            "monthly_net_gain_ci_low": float(t.loc["net_value_per_month", "diff_ci_low"]),
            "monthly_net_gain_ci_high": float(t.loc["net_value_per_month", "diff_ci_high"]),
            "weekly_net_gain": float(t.loc["net_value_per_week", "difference"]),
            "payback_months": self.payback_months,
            "intake_cost_ratio": self.intake_cost_ratio,
            "cost_per_acquisition_ai": float(t.loc["cost_per_acquisition", "ai"]),
            "cost_per_acquisition_human": float(t.loc["cost_per_acquisition", "all_human"]),
            "cost_per_contact_ai": float(t.loc["cost_per_contact", "ai"]),
            "cost_per_contact_human": float(t.loc["cost_per_contact", "all_human"]),
        }


all_human_baseline = all_human
"""The same agency without the voice AI (:func:`sim.overrides.all_human`)."""


def compare(
    scenario: Scenario,
    replications: int = 10,
    seed: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
) -> Comparison:
    """Run the scenario and its all-human baseline on common random numbers (both arms'
    replications in one batch, so workers or a cluster run them side by side)."""
    if not scenario.ai.enabled or scenario.ai.rollout == 0:
        raise ValueError(
            f"{scenario.name}: the AI is off in this scenario (ai.enabled = false or rollout 0), "
            "so there is nothing to compare with the all-human baseline"
        )
    if replications < 2:
        raise ValueError("need at least 2 replications for confidence intervals")
    baseline = all_human(scenario)
    seed = scenario.seed if seed is None else seed
    tasks = replication_task(scenario, seed, replications) + replication_task(
        baseline, seed, replications
    )
    outputs = run_tasks(run_one, tasks, workers=workers, scheduler=scheduler, progress=progress)
    ai = collect(scenario, seed, outputs[:replications])
    human = collect(baseline, seed, outputs[replications:])
    return Comparison(
        scenario, baseline, ai, human, arm_metrics(ai, True), arm_metrics(human, False)
    )


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
                ends.append(compare(varied, reps, seed, workers, scheduler).monthly_gain)
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


def growth(
    scenario: Scenario,
    factors: tuple[float, ...] = (1.0, 1.5, 2.0),
    targets=None,
    interval_minutes: int = 60,
    replications: int = 5,
    seed: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
) -> tuple[pd.DataFrame, str]:
    """Producers needed with and without AI as call volume grows (inbound calls and outbound
    contacts both scaled by each factor), from the staffing search at each volume.

    Returns the table and a one-line verdict on the claim that a hybrid model breaks the linear
    relation between volume and headcount: it compares how producer-hours grow from the first
    to the last factor with and without the AI.
    """
    from sim.staffing import staffing

    rows = []
    for factor in factors:
        scaled = scale_volume(scenario, factor)
        for arm, variant in (("ai", scaled), ("all_human", all_human(scaled))):
            plan = staffing(variant, targets, interval_minutes=interval_minutes,
                            replications=replications, seed=seed, workers=workers,
                            scheduler=scheduler)  # fmt: skip
            totals = plan.totals()
            rows.append(
                {
                    "volume_factor": factor,
                    "arm": arm,
                    "calls_per_day": scaled.inbound.calls_per_day,
                    "producer_hours_per_day": float(totals["producer_hours_per_day"].sum()),
                    "peak_producers": int(totals["peak_producers"].sum()),
                    "peak_headcount": int(totals["peak_headcount"].sum()),
                    "erlang_a_hours_per_day": float(totals["erlang_a_hours_per_day"].sum()),
                }
            )
    table = pd.DataFrame(rows)
    return table, _growth_verdict(table)


def _growth_verdict(table: pd.DataFrame) -> str:
    first, last = table["volume_factor"].min(), table["volume_factor"].max()
    if first == last:
        return "one volume only: no growth to compare"

    def hours(arm: str, factor: float) -> float:
        row = table[(table["arm"] == arm) & (table["volume_factor"] == factor)]
        return float(row["producer_hours_per_day"].iloc[0])

    growth_ai = hours("ai", last) / max(hours("ai", first), 1e-9)
    growth_human = hours("all_human", last) / max(hours("all_human", first), 1e-9)
    volume = last / first
    saved = 1 - hours("ai", last) / max(hours("all_human", last), 1e-9)
    figures = (
        f"for ×{volume:g} volume, producer-hours grow ×{growth_ai:.2f} with AI and "
        f"×{growth_human:.2f} all-human (both below ×{volume:g} through the economies of scale of "
        f"larger queues); at ×{last:g} the AI saves {saved:.0%} of producer-hours"
    )
    if growth_ai < 0.9 * growth_human:
        return (
            f"Claim holds here: {figures}. With AI, headcount grows more slowly with volume "
            "than without."
        )
    return (
        f"Claim refuted here: {figures}. AI lowers the level of headcount, but it still grows "
        "with volume at about the all-human rate: escalations grow in step with calls."
    )
