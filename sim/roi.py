"""What AI intake costs and returns: the scenario against an all-human baseline.

The baseline is the same agency with ``ai.enabled = false``: the same callers arriving at the
same moments with the same needs, handle times and patience (common random numbers: replication
*r* of both arms uses the same random streams), every call taken by human intake at
``costs.human_cost_per_call``. Differences are paired per replication, so their confidence
intervals reflect the AI, not the noise.

**Which baseline.** Without the AI every call reaches a producer, so the AI arm's roster leaves
an all-human agency understaffed: it loses callers, and an ROI against it credits the AI with
sales the baseline lost by being short-handed. By default (``baseline="staffed"``) the baseline
is staffed to meet the scenario's ``[targets]`` through the staffing search
(:func:`sim.staffing.staffing`), so the comparison is against an agency that would be run
properly without the AI; ``baseline="same"`` keeps the AI arm's producers (like for like).

Money per arm (over the simulated days, then per week and per month):

- intake cost = AI minutes × price + human intake calls × human cost per call;
- producer cost = rostered producer hours × hourly cost;
- platform cost = ``costs.platform_monthly`` prorated to the simulated period (AI arm only);
- revenue = policies sold × ``costs.revenue_per_policy``; net value = revenue − all costs;
- payback = ``costs.setup`` / monthly net gain of the AI arm over the baseline.

**Where the gain comes from** (:meth:`Comparison.breakdown`, monthly dollars that add up to the
net gain): intake saved, producer time saved, platform fees (negative), and the revenue
difference in three parts. With *O* calls offered to producers, *C* producer conversations
(connected transfers and callbacks that reached the caller), completion *q = C/O* and sales per
conversation *s = sales/C* in each arm (b the baseline):

- revenue the baseline's producers make on calls the AI resolves = (O_ai − O_b)·q_b·s_b (usually
  negative: a contained caller never meets a producer who could sell, e.g. a cross-sell);
- revenue from callers the baseline would have lost = O_ai·(q_ai − q_b)·s_b (what the AI arm's
  better or worse completion is worth at the baseline's sales per conversation);
- revenue from conversion = the rest of the revenue difference, C_ai·(s_ai − s_b) (warm
  transfers sell more per conversation; the case mix changes too).

``sensitivity`` varies one input at a time over a stated range and ranks the inputs by their
effect on the monthly net gain (a tornado), the baseline's roster held; :func:`explain` says why
an input moves the gain the way it does when the sign surprises. Producers needed as volume
grows: :func:`sim.staffing_growth.growth` (also ``sim.roi.growth``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.execution import Progress, run_tasks
from sim.kpis import counted_calls
from sim.loader import derive
from sim.options import DEFAULT_REPLICATIONS
from sim.overrides import all_human
from sim.results import Results, collect, json_safe, replication_task, run_one, summarise
from sim.scenario import Scenario
from sim.staffing_growth import growth
from sim.weekdays import weeks

if TYPE_CHECKING:  # pragma: no cover
    from sim.staffing import StaffingPlan

__all__ = [
    "BASELINES",
    "BREAKDOWN",
    "DEFAULT_REPLICATIONS",
    "Comparison",
    "SensitivityRange",
    "compare",
    "compare_to_precision",
    "default_ranges",
    "display_tables",
    "explain",
    "growth",
    "money",
    "sensitivity",
]


BASELINES = ("staffed", "same")
"""The all-human baseline staffed to meet the targets, or with the AI arm's producers."""

BREAKDOWN = {
    "intake": "Intake saved",
    "producer_time": "Producer time saved",
    "revenue_from_callers_the_baseline_would_have_lost": "Revenue from callers the baseline "
    "would have lost",
    "revenue_from_conversion": "Revenue from conversion",
    "revenue_on_calls_the_ai_resolves": "Revenue the baseline makes on calls the AI resolves",
    "platform_fees": "Platform fees",
}
"""The parts of the monthly net gain, by name, with their labels for people."""

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
    """Weeks per replication, as :func:`sim.weekdays.weeks` counts them (open days /
    ``hours.days_per_week``)."""
    return weeks(scenario)


def _reached(calls: pd.DataFrame) -> np.ndarray:
    """Callers who talked to a producer: a connected transfer or a callback that reached them."""
    return (calls["outcome"] == "connected").to_numpy() | calls["callback_reached"].to_numpy(bool)


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
    baseline_kind: str = "same"
    """"staffed" (the baseline staffed to meet the targets) or "same" (the AI arm's roster)."""
    plan: StaffingPlan | None = None
    """The staffing plan behind a staffed baseline."""
    precision: dict | None = None
    """With :func:`compare_to_precision`: the interval's width reached, the width wanted,
    whether it was reached and the replication cap."""

    @property
    def replications(self) -> int:
        return self.ai.replications

    @property
    def days(self) -> int:
        """Simulated days per replication (both arms)."""
        return self.scenario.days

    def _per_month(self) -> float:
        return WEEKS_PER_MONTH / _weeks(self.scenario)

    def breakdown_by_replication(self) -> pd.DataFrame:
        """Per replication, the monthly parts of the net gain (:data:`BREAKDOWN`); each row adds
        up to that replication's monthly net gain.

        The revenue parts pair each caller with themself in the other arm (the same callers
        in both, on common random numbers): sales the baseline made on calls the AI arm
        contained; sales on callers one arm reached (a connected transfer, or a callback that
        reached them) and the other did not (net: the AI arm's gains minus its losses); and,
        the rest, the difference in sales on callers both reached (conversion)."""
        a, b = self.ai_metrics, self.human_metrics
        rev = self.scenario.costs.revenue_per_policy
        reps = len(a)
        resolved, lost = np.zeros(reps), np.zeros(reps)
        pa, pb = self._paired_calls()
        if len(pa):
            rep = pa["replication"].to_numpy()
            conv_a = pa["converted"].to_numpy(bool).astype(float)
            conv_b = pb["converted"].to_numpy(bool).astype(float)
            contained = (pa["outcome"] == "contained").to_numpy()
            reached_a = _reached(pa) & ~contained
            reached_b = _reached(pb)
            one_side = (reached_a != reached_b) & ~contained
            np.add.at(resolved, rep[contained], -conv_b[contained] * rev)
            np.add.at(lost, rep[one_side], (conv_a - conv_b)[one_side] * rev)
        revenue = b["revenue"].to_numpy(float)
        conversion = a["revenue"].to_numpy(float) - revenue - resolved - lost
        parts = pd.DataFrame(
            {
                "intake": b["intake_cost"].to_numpy() - a["intake_cost"].to_numpy(),
                "producer_time": b["producer_cost"].to_numpy() - a["producer_cost"].to_numpy(),
                "revenue_from_callers_the_baseline_would_have_lost": lost,
                "revenue_from_conversion": conversion,
                "revenue_on_calls_the_ai_resolves": resolved,
                "platform_fees": -(a["platform_cost"].to_numpy() - b["platform_cost"].to_numpy()),
            }
        )
        return parts * self._per_month()

    def _paired_calls(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The calls counted in both arms' KPIs, row for row the same caller."""
        columns = ["replication", "call_id", "outcome", "callback_reached", "converted"]
        # the columns first (no copy of the rest), then the counted rows of those
        arrival = ["arrival", *columns]
        a = counted_calls(self.ai.calls[arrival], self.scenario)[columns]
        b = counted_calls(self.human.calls[arrival], self.baseline)[columns]
        paired = a.merge(b, on=["replication", "call_id"], suffixes=("", "_b"))
        other = paired[["replication", "call_id"]].assign(
            outcome=paired["outcome_b"], callback_reached=paired["callback_reached_b"],
            converted=paired["converted_b"],
        )  # fmt: skip
        return paired[columns], other

    def breakdown(self) -> dict[str, float]:
        """The monthly net gain in parts that add up to it (means over replications)."""
        return {k: float(v) for k, v in self.breakdown_by_replication().mean().items()}

    def net_gain(self) -> dict[str, float]:
        """Mean monthly net gain and its 95% confidence interval (paired)."""
        t = self.table
        return {
            "mean": self.monthly_gain,
            "ci_low": float(t.loc["net_value_per_month", "diff_ci_low"]),
            "ci_high": float(t.loc["net_value_per_month", "diff_ci_high"]),
        }

    def arm(self, name: str) -> dict:
        """One arm (``"ai"`` or ``"all_human"``): its KPIs as ``simulate --json`` gives them
        (mean and 95% CI per KPI) and its rostered producer hours per day."""
        results = self.ai if name == "ai" else self.human
        summary = results.summary()
        hours = results.kpis["producer_hours"].to_numpy(float) / self.scenario.days
        return {
            "kpis": {
                kpi: {"mean": row["mean"], "ci_low": row["ci_low"], "ci_high": row["ci_high"]}
                for kpi, row in summary.iterrows()
            },
            "producer_hours_per_day": float(hours.mean()),
        }

    def warnings(self) -> list[str]:
        """What the figures cannot decide at these replications."""
        gain = self.net_gain()
        out = []
        p = self.precision
        if p is not None and not p["reached"]:
            out.append(
                f"the 95% interval of the monthly net gain is ${p['width']:,.0f} wide after "
                f"{self.replications} replications (the cap), wider than the ${p['wanted']:,.0f} "
                "asked for"
            )
        if gain["ci_low"] < 0 < gain["ci_high"]:
            out.append(
                f"the 95% interval of the monthly net gain (${gain['ci_low']:,.0f} to "
                f"${gain['ci_high']:,.0f}) includes zero: {self.replications} replications of "
                f"{self.days} days cannot say whether the AI gains; run more replications "
                "(or --precision)"
            )
        return out

    def to_dict(self) -> dict:
        """The comparison as ``handoff-lab roi --json`` prints it (JSON-safe)."""
        return json_safe(
            {
                "scenario": self.scenario.name,
                "replications": self.replications,
                "days": self.days,
                "seed": self.ai.seed,
                "baseline": self.baseline_kind,
                "arms": {"ai": self.arm("ai"), "all_human": self.arm("all_human")},
                "net_gain_monthly": self.net_gain(),
                "breakdown": self.breakdown(),
                "precision": self.precision,
                "warnings": self.warnings(),
            }
        )

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
        gain = self.net_gain()
        return {
            "monthly_net_gain": gain["mean"],
            "monthly_net_gain_ci_low": gain["ci_low"],
            "monthly_net_gain_ci_high": gain["ci_high"],
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
    replications: int = DEFAULT_REPLICATIONS,
    seed: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    baseline: str = "staffed",
    *,
    plan: StaffingPlan | None = None,
) -> Comparison:
    """Run the scenario and its all-human baseline on common random numbers (both arms'
    replications in one batch, so workers or a cluster run them side by side).

    ``baseline="staffed"`` staffs the baseline to meet the scenario's ``[targets]`` first (the
    staffing search at the same replications and seed, 30-minute intervals; ``plan`` reuses a
    plan of ``all_human(scenario)`` instead); ``"same"`` keeps the scenario's producers."""
    if not scenario.ai.enabled or scenario.ai.rollout == 0:
        raise ValueError(
            f"{scenario.name}: the AI is off in this scenario (ai.enabled = false or rollout 0), "
            "so there is nothing to compare with the all-human baseline"
        )
    if replications < 2:
        raise ValueError("need at least 2 replications for confidence intervals")
    if baseline not in BASELINES:
        raise ValueError(f"baseline must be one of {', '.join(BASELINES)}, got {baseline!r}")
    seed = scenario.seed if seed is None else seed
    human = all_human(scenario)
    if baseline == "staffed":
        if plan is None:
            from sim.staffing import staffing

            plan = staffing(human, replications=replications, seed=seed, workers=workers,
                            scheduler=scheduler)  # fmt: skip
        human = derive(human, plan.roster_overrides(), source="the staffed baseline")
    else:
        plan = None
    tasks = replication_task(scenario, seed, replications) + replication_task(
        human, seed, replications
    )
    outputs = run_tasks(run_one, tasks, workers=workers, scheduler=scheduler, progress=progress)
    ai = collect(scenario, seed, outputs[:replications])
    base = collect(human, seed, outputs[replications:])
    return Comparison(scenario, human, ai, base, arm_metrics(ai, True), arm_metrics(base, False),
                      baseline, plan)  # fmt: skip


def compare_to_precision(
    scenario: Scenario,
    width: float,
    max_replications: int = 80,
    replications: int = DEFAULT_REPLICATIONS,
    seed: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    baseline: str = "staffed",
) -> Comparison:
    """:func:`compare` with as many replications as it takes for the 95% interval of the
    monthly net gain (the deciding figure) to be at most ``width`` dollars wide, within
    ``max_replications``: it starts at ``replications`` and grows to the count the interval's
    width predicts (width ∝ 1/√replications), keeping the staffed baseline's plan from the
    first round. The comparison's :attr:`Comparison.precision` says what was reached."""
    if not (width > 0 and math.isfinite(width)):
        raise ValueError(f"precision must be a positive width in dollars, got {width!r}")
    if max_replications < replications:
        raise ValueError(
            f"max_replications ({max_replications}) is below the first round's replications "
            f"({replications})"
        )
    result = compare(scenario, replications, seed, workers, scheduler, progress, baseline)
    for _ in range(6):
        gain = result.net_gain()
        wide = gain["ci_high"] - gain["ci_low"]
        reps = result.replications
        if not wide > width or reps >= max_replications:
            break
        wanted = min(max_replications, max(reps + 1, math.ceil(reps * (wide / width) ** 2)))
        result = compare(scenario, wanted, seed, workers, scheduler, progress, baseline,
                         plan=result.plan)  # fmt: skip
    gain = result.net_gain()
    wide = gain["ci_high"] - gain["ci_low"]
    result.precision = {"width": wide, "wanted": width, "reached": bool(wide <= width),
                        "max_replications": max_replications}  # fmt: skip
    return result


from sim.roi_sensitivity import (  # noqa: E402  (the tornado builds on the comparison above)
    SensitivityRange,
    default_ranges,
    display_tables,
    explain,
    money,
    sensitivity,
)
