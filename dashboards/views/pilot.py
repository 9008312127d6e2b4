"""Pilot sizing: how long a 10–20% pilot must run before it can tell whether the AI helps.

``sim.pilot.pilot`` sizes the pilot with the two-proportion formula at the rollout's unequal
allocation, takes the weekly volume of each arm from the simulation, and checks the formula
against simulated pilots. The page simulates the scenario at each rollout once (cached on the
scenario's JSON, rollout, replications and seed) and reuses those runs for the plan, the power
curve's simulated points, the weekly review bands and "Which rollout" (``sim.pilot.
rollout_choice`` over the shares 10–20% and the sidebar's, at the same replications): the
comparison's row for the chosen rollout is the plan's own answer, and the headline sentence is
``PilotPlan.headline``.
"""

from __future__ import annotations

import dataclasses
import json
import math

import pandas as pd
import streamlit as st

import sim
from dashboards import plan_charts
from dashboards.common import (
    controls_for,
    current_scenario,
    kpi_label,
    plain,
    scenario_caption,
    show_chart,
)
from sim import pilot as pilots
from sim.pilot import report as pilot_report

# Prefix of this page's session keys.
KEY = "pilot."
# Session key: fingerprint of the scenario the controls were last set from.
FOR = "pilot.for"
# The metrics a pilot can compare (both arms have them).
COMPARABLE = [name for name, m in pilots.METRICS.items() if m.two_arm]
LIFT_KINDS = ("the scenario's own", "absolute (points)", "relative (%)")
# Pilot lengths, as multiples of the weeks to a decision, at which pilots are simulated.
SIMULATED_AT = (0.5, 1.0, 1.5, 2.0)


@st.cache_data(max_entries=24, show_spinner=False)
def simulate_pilot(scenario_json: str, rollout: float, replications: int, seed: int):
    """The scenario at the pilot rollout (``pilot_scenario``), with a progress bar."""
    variant = pilots.pilot_scenario(sim.Scenario.model_validate_json(scenario_json), rollout)
    bar = st.progress(0.0, text="Simulating the pilot…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Simulating the pilot: {done} of {total} replications")

    try:
        return sim.simulate(variant, replications=replications, seed=seed, progress=progress)
    finally:
        bar.empty()


@st.cache_data(max_entries=48, show_spinner=False)
def plan_pilot(
    scenario_json: str, rollout: float, replications: int, seed: int, metric: str,
    lift: float | None, relative_lift: float | None, alpha: float, power: float,
) -> tuple[pilots.PilotPlan, pd.DataFrame]:  # fmt: skip
    """The plan, and simulated power at a few pilot lengths (the same simulated runs)."""
    scenario = sim.Scenario.model_validate_json(scenario_json)
    results = simulate_pilot(scenario_json, rollout, replications, seed)
    args = {"metric": metric, "lift": lift, "relative_lift": relative_lift, "alpha": alpha,
            "power": power, "results": results}  # fmt: skip
    plan = pilots.pilot(scenario, rollout, **args)
    rows = []
    if math.isfinite(plan.weeks):
        for factor in SIMULATED_AT:
            weeks = max(plan.weeks * factor, 1 / plan.days_per_week)
            at = plan if factor == 1.0 else pilots.pilot(
                scenario, rollout, **args, pilot_weeks=weeks, band_weeks=0
            )  # fmt: skip
            if at.simulated_power is not None:
                rows.append({"weeks": at.pilot_weeks, "power": at.simulated_power,
                             "ci_low": at.simulated_power_ci_low,
                             "ci_high": at.simulated_power_ci_high})  # fmt: skip
    return plan, pd.DataFrame(rows, columns=["weeks", "power", "ci_low", "ci_high"])


@st.cache_data(max_entries=12, show_spinner=False)
def compare_rollouts(
    scenario_json: str, rollout: float, replications: int, seed: int, metric: str,
    lift: float | None, relative_lift: float | None, alpha: float, power: float,
) -> pilots.RolloutChoice:  # fmt: skip
    """The shares 10–20% and the plan's own, each on the page's cached simulation at the plan's
    replications and seed (so the plan's row is the plan)."""
    scenario = sim.Scenario.model_validate_json(scenario_json)
    shares = sorted({*pilots.DEFAULT_ROLLOUTS, rollout})
    results = {r: simulate_pilot(scenario_json, r, replications, seed) for r in shares}
    return pilots.rollout_choice(
        scenario, shares, metric=metric, lift=lift, relative_lift=relative_lift, alpha=alpha,
        power=power, replications=replications, seed=seed, results=results,
    )  # fmt: skip


def _reset(scenario: sim.Scenario) -> None:
    s = st.session_state
    s[f"{KEY}rollout_pct"] = 15.0
    s[f"{KEY}metric"] = "post_transfer_conversion_rate"
    s[f"{KEY}lift_kind"] = LIFT_KINDS[0]
    s[f"{KEY}lift_points"] = 2.0
    s[f"{KEY}lift_relative"] = 20.0
    s[f"{KEY}alpha"] = 0.05
    s[f"{KEY}power"] = 0.80
    s.setdefault(f"{KEY}replications", 20)
    s[f"{KEY}seed"] = scenario.seed


def _controls(scenario: sim.Scenario) -> dict:
    controls_for(scenario, FOR, _reset, KEY)
    sb = st.sidebar
    sb.subheader("Pilot")
    pct = sb.slider(
        "Rollout: share of calls to the AI (%)",
        10.0,
        20.0,
        step=0.5,
        key=f"{KEY}rollout_pct",
        format="%.1f%%",
        help="Pilot a new AI workflow with 10–20% of routing interactions.",
    )
    metric = sb.selectbox(
        "Decide on",
        COMPARABLE,
        key=f"{KEY}metric",
        format_func=kpi_label,
        help="The metric the pilot compares between the AI and control arms.",
    )
    kind = sb.radio(
        "Lift to detect",
        LIFT_KINDS,
        key=f"{KEY}lift_kind",
        help="The scenario's own: the difference the simulation produces.",
    )
    lift = relative = None
    if kind == LIFT_KINDS[1]:
        lift = (
            sb.number_input(
                "Lift (percentage points)", -50.0, 50.0, step=0.5, key=f"{KEY}lift_points"
            )
            / 100
        )
    elif kind == LIFT_KINDS[2]:
        relative = (
            sb.number_input(
                "Lift (% of the control rate)", -90.0, 500.0, step=5.0, key=f"{KEY}lift_relative"
            )
            / 100
        )
    alpha = sb.select_slider("Significance α", (0.01, 0.05, 0.10), key=f"{KEY}alpha")
    power = sb.slider("Power", 0.70, 0.95, step=0.05, key=f"{KEY}power")
    sb.subheader("Run")
    reps = sb.slider(
        "Replications",
        5,
        60,
        key=f"{KEY}replications",
        help="Simulated weeks behind the volumes, the bands and the simulated power.",
    )
    seed = sb.number_input("Seed", min_value=0, step=1, key=f"{KEY}seed")
    return {"rollout": round(pct / 100, 4), "replications": int(reps), "seed": int(seed),
            "metric": metric, "lift": lift, "relative_lift": relative, "alpha": float(alpha),
            "power": float(power)}  # fmt: skip


def _headline(plan: pilots.PilotPlan) -> None:
    # the headline then says "staff up first"
    understaffed = plan.transfer_completion < plan.completion_target
    (st.warning if understaffed else st.info)(
        plan.headline + (" See the Staffing page." if understaffed else "")
    )
    c1, c2, c3, c4 = st.columns(4)
    weeks = plan.weeks
    book = f"book {plan.whole_weeks} weeks" if plan.whole_weeks else "never"
    c1.metric(
        "Weeks to a decision",
        f"{weeks:.1f}" if math.isfinite(weeks) else "never",
        delta=f"{book}; {ARM_NAMES.get(plan.slower_arm, plan.slower_arm)} sets it",
        delta_color="off",
        delta_arrow="off",
        border=True,
        help="Weeks of calls until both arms reach the sample size the formula asks "
        "for; the pilot is booked for whole weeks (rounded up).",
    )
    c2.metric(
        "Calls needed: AI · control",
        f"{plan.n_ai:,} · {plan.n_control:,}",
        delta=f"{plan.weekly_ai:,.0f} · {plan.weekly_control:,.0f} a week",
        delta_color="off",
        delta_arrow="off",
        border=True,
        help=f"AI arm · control arm, counted in {plan.unit}.",
    )
    c3.metric(
        "Effect sized for",
        f"{plan.lift * 100:+.1f} pts",
        delta=f"{plan.p_control:.1%} → {plan.p_target:.1%} ({plan.lift_source})",
        delta_color="off",
        delta_arrow="off",
        border=True,
        help=f"Control rate (simulated) → the AI arm's rate to detect: {plan.success}.",
    )
    sim_power = plan.simulated_power
    c4.metric(
        "Simulated power",
        "—" if sim_power is None else f"{sim_power:.0%}",
        delta=f"formula: {plan.formula_power_observed:.0%}",
        delta_color="off",
        delta_arrow="off",
        border=True,
        help="Share of simulated pilots of this length that detect the scenario's lift; "
        "beside it, the power the two-proportion formula gives for that same lift.",
    )
    if sim_power is not None:
        c4.caption(
            f"95% CI {plan.simulated_power_ci_low:.0%} – "
            f"{plan.simulated_power_ci_high:.0%} ({plan.method})"
        )


# How the page names the pilot's arms (a comment: a bare string here would be shown by
# Streamlit's magic).
ARM_NAMES = {"ai": "the AI arm", "control": "the control arm"}


def main() -> None:
    scenario = current_scenario()
    st.title("Pilot sizing")
    scenario_caption()
    run = _controls(scenario)
    scenario_json = scenario.model_dump_json()
    try:
        plan, simulated = plan_pilot(scenario_json, **run)
    except ValueError as exc:
        st.session_state["pilot.plan"] = None
        st.error(f"**This pilot cannot be sized:** {plain(exc)}")
        return
    with st.spinner("Simulating each rollout share…", show_time=True):
        choice = compare_rollouts(
            scenario_json,
            run["rollout"],
            run["replications"],
            run["seed"],
            run["metric"],
            run["lift"],
            run["relative_lift"],
            run["alpha"],
            run["power"],
        )
    plan = dataclasses.replace(plan, rollouts=choice)  # in the JSON download too
    st.session_state["pilot.plan"] = plan  # read by the app tests
    _headline(plan)
    st.caption(
        f"From {plan.replications} replications of {scenario.days} simulated days at "
        f"{plan.rollout:.1%} rollout ({plan.simulated_days} open days in all); weeks are "
        f"{plan.days_per_week} open days. The headline, the rollout table below, the CLI's "
        "pilot and the JSON are one computation."
    )
    for note in plan.notes:
        st.caption(f"Note: {plain(note)}")

    curve, bands, rollouts, figures = st.tabs(
        ["Power curve", "Weekly review bands", "Which rollout", "All figures"]
    )
    with curve:
        curve_table = plan_charts.power_curve(plan)
        show_chart(
            plan_charts.power_figure(curve_table, simulated, plan.power, plan.weeks),
            key="pilot_power",
        )
        st.caption(
            f"{kpi_label(plan.metric)}: {pilots.METRICS[plan.metric].comparison}. "
            f"Two-sided test at α = {plan.alpha:g}; allocation {plan.ratio:.2f} AI per "
            "control unit."
        )
    with bands:
        table = plan.bands_table()
        labels = {m: kpi_label(m) for m in pilots.REVIEW_METRICS}
        level = plan.bands.level if plan.bands is not None else 0.95
        show_chart(plan_charts.bands_figure(table, labels), key="pilot_bands")
        st.caption(
            "Review these weekly for the first 30 days. A week outside its light band, "
            "or a rate to date outside its darker band, is a change worth looking at "
            f"(each band is left by chance {1 - level:.0%} of the time). "
            "Repeat-explain exists on the AI arm only; its target is 0."
        )
        st.dataframe(pilot_report.bands_display_table(plan, labels), hide_index=True)
    with rollouts:
        show_chart(plan_charts.rollout_figure(choice.table, current=plan.rollout),
                   key="pilot_rollouts")  # fmt: skip
        (st.success if choice.choice is not None else st.warning)(
            f"Choose {choice.choice:.1%}: {choice.reason}" if choice.choice is not None
            else choice.reason.capitalize()
        )  # fmt: skip
        st.caption(
            f"Each share simulated with the plan's {choice.replications} replications "
            f"and seed; the {plan.rollout:.1%} row is the plan above. Weeks: booked "
            "(weeks of calls). n: connected transfers each arm needs."
        )
        for note in choice.notes:
            st.caption(f"Note: {plain(note)}")
        st.dataframe(choice.display_table(), hide_index=True)
    with figures:
        st.dataframe(pilot_report.figures_display_table(plan), hide_index=True)
        st.download_button(
            "Pilot plan (JSON)",
            lambda: json.dumps(plan.to_dict()).encode(),
            "pilot_plan.json",
            "application/json",
            key="dl_pilot",
        )


main()
