"""A pilot plan in words and small tables for people (the CLI, the dashboard, notebooks).

Everything here formats figures a :class:`sim.pilot.PilotPlan` or
:class:`sim.pilot.RolloutChoice` already holds; nothing is computed again, so the sentence, the
tables and the JSON cannot disagree.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from sim.pilot.metrics import METRICS

if TYPE_CHECKING:  # pragma: no cover
    from sim.pilot.design import CompletionFloor
    from sim.pilot.plan import PilotPlan
    from sim.pilot.rollout import RolloutChoice

__all__ = [
    "COMPLETION_BENCHMARK",
    "bands_display_table",
    "choice_reason",
    "figures_display_table",
    "headline",
    "percent",
    "plan_display_table",
    "rollout_display_table",
]

COMPLETION_BENCHMARK = 0.80
"""Transfer completion above 80% marks a high performer (the contact-centre benchmark for
warm transfers; the default of the scenario's ``targets.transfer_completion``, which is what
the plan is judged against)."""


def percent(share: float) -> str:
    """A rollout share for people: 0.15 → "15%", 0.125 → "12.5%"."""
    return f"{round(share * 100, 4):g}%"


def _weeks_phrase(weeks: int | None) -> str:
    if weeks is None:
        return "as long as it takes (no finite length reaches the sample size)"
    return f"{weeks} week" if weeks == 1 else f"{weeks} weeks"


def _finite(*values: float | None) -> bool:
    return all(v is not None and math.isfinite(v) for v in values)


def _effect_phrase(plan: PilotPlan) -> str:
    points = f"{plan.lift * 100:+.1f} points"
    if plan.lift_source == "scenario":
        return f"{points}, the scenario's own effect"
    return f"{points}, as asked"


def _sizing_sentence(plan: PilotPlan) -> str:
    m = METRICS[plan.metric]
    return (
        f"Run the pilot at {percent(plan.rollout)} of calls for "
        f"{_weeks_phrase(plan.whole_weeks)}: {plan.n_ai:,} AI and {plan.n_control:,} control "
        f"{m.counted}, enough to detect {m.label} moving from {plan.p_control:.1%} to "
        f"{plan.p_target:.1%} ({_effect_phrase(plan)}) with {plan.power:.0%} power at "
        f"α = {plan.alpha:g}."
    )


def _power_sentence(plan: PilotPlan) -> str:
    low, high = plan.simulated_power_ci_low, plan.simulated_power_ci_high
    if not _finite(plan.simulated_power, low, high, plan.weeks):
        return ""
    formula_days = max(1, math.ceil(plan.weeks * plan.days_per_week - 1e-9))
    length = "that length" if plan.pilot_days == formula_days else (
        f"{plan.pilot_weeks:.1f} weeks"
    )  # fmt: skip
    what = "it" if plan.lift_source == "scenario" else (
        f"the scenario's own effect ({plan.observed_lift * 100:+.1f} points)"
    )  # fmt: skip
    return (
        f" Simulated pilots of {length} detected {what} {plan.simulated_power:.0%} of the time "
        f"(95% CI {low:.0%}–{high:.0%})."
    )


def _staffing_sentence(plan: PilotPlan) -> str:
    completion = plan.transfer_completion
    if not completion < plan.completion_target:
        return ""
    return (
        f" Staff up first: only {completion:.0%} of transfers reach a producer at this "
        f"rollout (the scenario's target: at least {plan.completion_target:.0%})."
    )


def headline(plan: PilotPlan) -> str:
    """What to run and for how long (weeks rounded up), how sure it is, and whether staffing
    must change first."""
    return _sizing_sentence(plan) + _power_sentence(plan) + _staffing_sentence(plan)


def _fmt_weeks(weeks: float, decides: bool) -> str:
    return f"{weeks:.1f}" + (" (decides)" if decides else "")


def plan_display_table(plan: PilotPlan) -> pd.DataFrame:
    """One row per figure, a column per arm; every cell formatted text."""
    m = METRICS[plan.metric]
    counted = m.counted[0].upper() + m.counted[1:]
    slower_ai = plan.slower_arm == "ai"
    rows = [
        ("Share of calls", percent(plan.rollout), percent(1 - plan.rollout)),
        (f"{m.label[0].upper() + m.label[1:]}, simulated", f"{plan.p_ai:.1%}",
         f"{plan.p_control:.1%}"),
        ("Sized to detect", f"{plan.p_target:.1%}", f"{plan.p_control:.1%}"),
        (f"{counted} needed", f"{plan.n_ai:,}", f"{plan.n_control:,}"),
        (f"{counted} a week", f"{plan.weekly_ai:,.1f}", f"{plan.weekly_control:,.1f}"),
        ("Weeks to reach them", _fmt_weeks(plan.weeks_ai, slower_ai),
         _fmt_weeks(plan.weeks_control, not slower_ai)),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["Per arm", "AI arm", "Control arm"])


def _verdict(row: pd.Series) -> str:
    if row["chosen"]:
        return "chosen"
    if not math.isfinite(row["weeks_to_decision"]):
        return "no size"
    return "ok" if row["feasible"] else "too low"


def _cell(value: float, spec: str) -> str:
    return "—" if value is None or not math.isfinite(value) else format(value, spec)


def rollout_display_table(choice: RolloutChoice) -> pd.DataFrame:
    """One row per rollout: weeks (whole and exact), n per arm, transfer completion and its
    lower 95% bound, the verdict ("chosen", "ok", "too low": completion under the floor,
    "no size": the formula has no answer there); every cell formatted text."""
    rows = []
    for _, row in choice.table.iterrows():
        weeks = row["weeks_to_decision"]
        whole = "—" if not math.isfinite(weeks) else f"{int(row['whole_weeks'])} ({weeks:.1f})"
        n_ai, n_c = row["n_ai"], row["n_control"]
        rows.append({
            "Rollout": percent(row["rollout"]),
            "Weeks": whole,
            "AI arm n": "—" if pd.isna(n_ai) else f"{int(n_ai):,}",
            "Control n": "—" if pd.isna(n_c) else f"{int(n_c):,}",
            "Completion": _cell(row["completion_mean"], ".1%"),
            "Low 95%": _cell(row["completion_ci_low"], ".1%"),
            "Verdict": _verdict(row),
        })  # fmt: skip
    return pd.DataFrame(rows)


def _whose(floor: CompletionFloor) -> str:
    return "of all transfers" if floor.completion == "all" else "of the AI arm's transfers"


def choice_reason(best: pd.Series | None, floor: CompletionFloor) -> str:
    """Why the rollout was chosen (``best`` its row), or why none was."""
    if best is None:
        return (
            f"no rollout keeps transfer completion {_whose(floor)} at or above "
            f"{floor.min_completion:.0%} ({floor.min_completion:g}) at the lower 95% bound; add "
            "producers first (the Staffing page, or handoff-lab staff)"
        )
    return (
        f"a {percent(best['rollout'])} rollout reaches a decision in "
        f"{_weeks_phrase(int(best['whole_weeks']))} ({best['weeks_to_decision']:.1f} weeks of "
        f"calls) with transfer completion {_whose(floor)} at least "
        f"{best['completion_ci_low']:.1%} (lower 95% bound)"
    )


_FIGURES: dict[str, tuple[str, str]] = {
    "scenario": ("Scenario", "text"), "metric": ("Metric compared", "metric"),
    "unit": ("Counted in", "text"), "success": ("A success is", "text"),
    "rollout": ("Share of calls to the AI", "pct"), "alpha": ("Significance level α", "num"),
    "power": ("Power wanted", "pct"), "like_for_like": ("Like for like", "bool"),
    "p_control": ("Control arm's rate (simulated)", "pct"),
    "p_target": ("AI arm's rate to detect", "pct"), "lift": ("Lift sized for", "points"),
    "relative_lift": ("Relative lift", "pct"), "lift_source": ("Lift from", "text"),
    "ratio": ("AI units per control unit", "num"), "n_control": ("Control units needed", "int"),
    "n_ai": ("AI units needed", "int"), "weekly_control": ("Control units a week", "num1"),
    "weekly_ai": ("AI units a week", "num1"), "weeks_control": ("Weeks, control arm", "num1"),
    "weeks_ai": ("Weeks, AI arm", "num1"), "weeks": ("Weeks to a decision", "num1"),
    "slower_arm": ("Arm that decides", "arm"), "pilot_days": ("Pilot length (open days)", "int"),
    "pilot_weeks": ("Pilot length (weeks)", "num1"),
    "p_ai": ("AI arm's rate (simulated)", "pct"),
    "observed_lift": ("Scenario's own lift", "points"),
    "formula_power_requested": ("Formula power, lift sized for", "pct"),
    "formula_power_observed": ("Formula power, scenario's lift", "pct"),
    "simulated_power": ("Simulated power", "pct"),
    "simulated_power_ci_low": ("Simulated power, 95% low", "pct"),
    "simulated_power_ci_high": ("Simulated power, 95% high", "pct"),
    "pilots": ("Simulated pilots", "int"), "method": ("How pilots were drawn", "text"),
    "independent_pilots": ("Independent pilot lengths simulated", "num1"),
    "transfer_completion": ("Transfer completion, all transfers", "pct"),
    "transfer_completion_ai": ("Transfer completion, AI arm", "pct"),
    "completion_target": ("Completion target (the scenario's)", "pct"),
    "replications": ("Replications", "int"), "simulated_days": ("Simulated open days", "int"),
    "days_per_week": ("Open days per week", "int"), "seed": ("Seed", "int"),
}  # fmt: skip
"""Every scalar figure of a :class:`PilotPlan`: its label for people and how it is shown."""


def _figure(value: object, kind: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if kind == "pct":
        return f"{float(value):.1%}"  # type: ignore[arg-type]
    if kind == "points":
        return f"{float(value) * 100:+.2f} points"  # type: ignore[arg-type]
    if kind == "int":
        return f"{int(value):,}"  # type: ignore[call-overload]
    if kind == "num1":
        return f"{float(value):,.1f}"  # type: ignore[arg-type]
    if kind == "num":
        return f"{float(value):.3g}"  # type: ignore[arg-type]
    if kind == "bool":
        return "yes" if value else "no"
    if kind == "metric":
        return METRICS[str(value)].label
    if kind == "arm":
        return "AI arm" if value == "ai" else "control arm"
    return str(value)


def figures_display_table(plan: PilotPlan) -> pd.DataFrame:
    """Every scalar figure of the plan, labelled and formatted (the JSON has them raw)."""
    rows = [(label, _figure(getattr(plan, name), kind)) for name, (label, kind) in _FIGURES.items()]
    return pd.DataFrame(rows, columns=["Figure", "Value"])


def bands_display_table(plan: PilotPlan, labels: dict[str, str]) -> pd.DataFrame:
    """The weekly review bands for people: metric, arm, week, the expected rate, units a
    week, and the central bands for the week and to date ("low – high")."""
    bands = plan.bands_table()
    if bands.empty:
        return pd.DataFrame()
    level = f"{plan.bands.level:.0%}" if plan.bands is not None else ""

    def band(low: pd.Series, high: pd.Series) -> pd.Series:
        return low.map(lambda v: f"{v:.1%}") + " – " + high.map(lambda v: f"{v:.1%}")

    return pd.DataFrame(
        {
            "Metric": bands["metric"].map(lambda m: labels.get(m, m)),
            "Arm": bands["arm"].map({"ai": "AI", "control": "Control"}).fillna(bands["arm"]),
            "Week": bands["week"].map(str),
            "Expected": bands["expected_rate"].map(lambda v: f"{v:.1%}"),
            "Units a week": bands["units_per_week"].map(lambda v: f"{v:,.1f}"),
            f"This week, {level} band": band(bands["week_low"], bands["week_high"]),
            f"To date, {level} band": band(bands["to_date_low"], bands["to_date_high"]),
        }
    )
