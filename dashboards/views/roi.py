"""ROI & cost: what the voice AI costs and returns against the same agency without it.

Both arms run on common random numbers (``sim.roi.compare``), so the differences and their
confidence intervals are the AI's effect, not noise. By default the all-human baseline is
staffed to meet the scenario's targets (the staffing search), as the CLI's ``roi`` does, at the
same default replications, so the page and the CLI give the same figure for the same settings.
The two price sliders are overrides on the current scenario (``sim.loader.derive``); the
tornado varies one input at a time (``sim.roi.sensitivity``) with a sentence where an input
moves the gain the surprising way (``sim.roi.explain``); the growth curve (``sim.roi.growth``)
runs the staffing search at three volumes, so it waits for a button. Every result is cached on
the scenario's JSON, the replications, the seed and the baseline.
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

import sim
from dashboards import plan_charts
from dashboards.common import controls_for, current_scenario, plain, scenario_caption, show_chart
from dashboards.plan_charts import money
from sim import kpis, roi
from sim.loader import derive
from sim.staffing_growth import growth_display_table
from sim.weekdays import weeks as sim_weeks

# Prefix of this page's session keys.
KEY = "roi."
# Session key: fingerprint of the scenario the sliders were last set from.
FOR = "roi.for"
# Session key: the run settings the growth curve was asked for (None until the button).
GROWTH = "roi.growth"

# Range of the AI price slider, $ per minute (the field's range).
AI_PRICE = (0.05, 1.00)
# Range of the human intake slider, $ per call.
HUMAN_PRICE = (7.0, 15.0)
# Cap on replications when the page adds them for a precision (the CLI's --max-replications).
MAX_REPLICATIONS = 80
# At most this many replications per staffing search of the growth curve (six searches).
GROWTH_REPLICATIONS = 5


# How the baseline is staffed, for people.
BASELINE_LABELS = {
    "staffed": "Staffed to meet the targets",
    "same": "Same producers as with AI",
}


@st.cache_data(max_entries=24, show_spinner=False)
def run_compare(scenario_json: str, replications: int, seed: int, baseline: str = "staffed",
                precision: float = 0.0) -> roi.Comparison:  # fmt: skip
    """Both arms of a scenario given as JSON (the cache key), with a progress bar; with a
    ``precision`` (dollars) as many replications as the CLI's ``--precision`` takes."""
    scenario = sim.Scenario.model_validate_json(scenario_json)
    text = "Staffing the baseline, then simulating both arms…"
    bar = st.progress(0.0, text=text if baseline == "staffed" else "Simulating both arms…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"Simulating both arms: {done} of {total} runs")

    try:
        if precision > 0:
            return roi.compare_to_precision(scenario, precision, MAX_REPLICATIONS, replications,
                                            seed, progress=progress, baseline=baseline)  # fmt: skip
        return roi.compare(scenario, replications, seed, workers=1, progress=progress,
                           baseline=baseline)  # fmt: skip
    finally:
        bar.empty()


@st.cache_data(max_entries=12, show_spinner=False)
def run_sensitivity(scenario_json: str, replications: int, seed: int, baseline: str = "staffed",
                    precision: float = 0.0) -> pd.DataFrame:  # fmt: skip
    scenario = sim.Scenario.model_validate_json(scenario_json)
    base = run_compare(scenario_json, replications, seed, baseline, precision)
    return roi.sensitivity(scenario, base=base)


@st.cache_data(max_entries=6, show_spinner=False)
def run_growth(scenario_json: str, replications: int, seed: int) -> tuple[pd.DataFrame, str]:
    scenario = sim.Scenario.model_validate_json(scenario_json)
    return roi.growth(scenario, factors=(1.0, 1.5, 2.0), replications=replications, seed=seed)


def _clamp(value: float, bounds: tuple[float, float]) -> float:
    return float(min(max(value, bounds[0]), bounds[1]))


def _reset(scenario: sim.Scenario) -> None:
    state = st.session_state
    state[f"{KEY}ai_price"] = _clamp(scenario.ai.cost_per_minute, AI_PRICE)
    state[f"{KEY}human_price"] = _clamp(scenario.costs.human_cost_per_call, HUMAN_PRICE)
    state[f"{KEY}seed"] = scenario.seed
    state.setdefault(f"{KEY}replications", roi.DEFAULT_REPLICATIONS)
    state.setdefault(f"{KEY}baseline", "staffed")
    state.setdefault(f"{KEY}precision", 0.0)
    state[GROWTH] = None


def _controls(scenario: sim.Scenario) -> tuple[dict, int, int, str]:
    controls_for(scenario, FOR, _reset, KEY)
    sb = st.sidebar
    sb.subheader("Prices")
    ai_price = sb.slider(
        "AI cost per minute ($)", *AI_PRICE, step=0.01, key=f"{KEY}ai_price",
        help="Field range $0.05–1.00+; $0.10 at the low end, managed platforms $0.25–0.50.",
    )  # fmt: skip
    human_price = sb.slider(
        "Human intake cost per call ($)", *HUMAN_PRICE, step=0.5, key=f"{KEY}human_price",
        help="What a person answering the call costs per call: $7–15 in the field.",
    )  # fmt: skip
    sb.button("Reset prices to the scenario", on_click=_reset, args=(scenario,), key="roi_reset")
    sb.subheader("Baseline")
    baseline = sb.radio(
        "All-human baseline", list(BASELINE_LABELS), format_func=BASELINE_LABELS.get,
        key=f"{KEY}baseline",
        help="Staffed: the agency without AI, staffed to meet the scenario's targets (the "
        "staffing search), so the gain is not sales a short-handed baseline lost. Same: the "
        "AI scenario's producers, like for like.",
    )  # fmt: skip
    sb.subheader("Run")
    replications = sb.slider(
        "Replications",
        2,
        40,
        key=f"{KEY}replications",
        help="Paired runs of both arms, each of the scenario's simulated days; more narrows "
        f"the intervals. The CLI's roi uses {roi.DEFAULT_REPLICATIONS} too.",
    )
    seed = sb.number_input("Seed", min_value=0, step=1, key=f"{KEY}seed")
    sb.number_input(
        "Precision: interval of the monthly gain at most ($)", min_value=0.0, step=1000.0,
        key=f"{KEY}precision",
        help="0 = off. Otherwise replications are added (from the slider's, up to "
        f"{MAX_REPLICATIONS}) until the 95% interval of the monthly net gain is this narrow, "
        "as the CLI's roi --precision does.",
    )  # fmt: skip
    overrides = {"ai.cost_per_minute": ai_price, "costs.human_cost_per_call": human_price}
    return overrides, int(replications), int(seed), str(baseline)


def _payback(months: float) -> str:
    if math.isinf(months):
        return "never"
    if months < 1:
        return f"{months * 365.25 / 12:.1f} days"
    return f"{months:.1f} months"


def _headline(h: dict[str, float], weeks_label: str) -> None:
    gain = h["monthly_net_gain"]
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        "Monthly net gain", money(gain), border=True,
        delta="AI pays" if gain > 0 else "AI costs more", delta_arrow="off",
        delta_color="green" if gain > 0 else "red",
        help="Revenue − all costs with AI, minus the same without AI, per month "
        "(platform fee included).",
    )  # fmt: skip
    c1.caption(
        f"95% CI {money(h['monthly_net_gain_ci_low'])} – {money(h['monthly_net_gain_ci_high'])}"
    )
    payback = h["payback_months"]
    c2.metric(
        "Payback", _payback(payback), border=True,
        help="Set-up cost ÷ monthly net gain (0 without a set-up cost).",
    )  # fmt: skip
    c2.caption(f"weekly gain {money(h['weekly_net_gain'])}")
    ratio = h["intake_cost_ratio"]
    c3.metric(
        "Intake cost, human ÷ AI", "∞" if math.isinf(ratio) else f"{ratio:.1f}×", border=True,
        help="All-human intake cost per contact ÷ the AI arm's (the field claims about 10×).",
    )  # fmt: skip
    c3.caption(
        f"cost per contact {money(h['cost_per_contact_ai'])} with AI, "
        f"{money(h['cost_per_contact_human'])} all human"
    )
    cpa_ai, cpa_human = h["cost_per_acquisition_ai"], h["cost_per_acquisition_human"]
    c4.metric(
        "Cost per sale with AI", money(cpa_ai), border=True,
        # An ASCII sign: Streamlit reads the delta's direction from its first character.
        delta=f"{'-' if cpa_ai < cpa_human else '+'}${abs(cpa_ai - cpa_human):,.0f} vs all human",
        delta_color="inverse",
        help="Total cost ÷ policies sold.",
    )  # fmt: skip
    c4.caption(f"all human {money(cpa_human)} per sale · {weeks_label}")


# Figures of the comparison the table leaves out (the headline and the chart show them).
HIDDEN = ("intake_cost", "producer_hours", "net_value_per_week", "net_value_per_month")
# The rows of the comparison table, in sim.roi.METRICS order (labels and formats: sim.kpis.KPIS).
ROWS = tuple(name for name in roi.METRICS if name not in HIDDEN)


def comparison_frame(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison table for people: labels, units, the difference's 95% CI."""
    rows = []
    for name in ROWS:
        r = table.loc[name]
        rows.append({
            "Figure": kpis.label(name),
            "With AI": kpis.format(name, r["ai"]),
            "All human": kpis.format(name, r["all_human"]),
            "Difference": kpis.format(name, r["difference"]),
            "95% CI of the difference": f"{kpis.format(name, r['diff_ci_low'])} – "
                                        f"{kpis.format(name, r['diff_ci_high'])}",
        })  # fmt: skip
    return pd.DataFrame(rows)


def main() -> None:
    scenario = current_scenario()
    st.title("ROI & cost")
    scenario_caption()
    overrides, replications, seed, baseline = _controls(scenario)
    try:
        priced = derive(scenario, overrides, source="price sliders")
    except sim.ScenarioError as exc:
        st.error(f"These prices do not make a valid scenario:\n\n{plain(exc)}")
        return
    if not priced.ai.enabled or priced.ai.rollout == 0:
        st.warning(
            "The voice AI is off in this scenario, so there is nothing to compare with "
            "the all-human baseline. Turn it on on the Scenario page."
        )
        return
    precision = float(st.session_state.get(f"{KEY}precision", 0.0) or 0.0)
    key = (priced.model_dump_json(), replications, seed, baseline, precision)
    try:
        comparison = run_compare(*key)
    except ValueError as exc:  # e.g. targets the staffing search cannot meet
        st.error(f"The baseline cannot be staffed to meet this scenario's targets:\n\n{plain(exc)}")
        return
    st.session_state["roi.headline"] = comparison.headline()  # read by the app tests
    st.session_state["roi.comparison"] = comparison.to_dict()
    weeks = sim_weeks(scenario)  # the one week count (closed weekdays are not open days)
    replications = comparison.replications  # more than the slider's with a precision
    basis = f"{replications} paired replications × {scenario.days} simulated days"
    _headline(comparison.headline(), basis)
    ai_hours = comparison.arm("ai")["producer_hours_per_day"]
    human_hours = comparison.arm("all_human")["producer_hours_per_day"]
    against = (
        "an all-human agency staffed to meet the scenario's targets"
        if baseline == "staffed" else "the same agency without AI, with the same producers"
    )  # fmt: skip
    st.caption(
        f"Against {against}: {human_hours:,.1f} producer hours a day all human, "
        f"{ai_hours:,.1f} with AI. Figures per month are the simulated days scaled to "
        f"52/12 weeks of {scenario.hours.days_per_week} open days; {basis}."
    )
    for warning in comparison.warnings():
        st.warning(warning[0].upper() + warning[1:] + ".")
    tables = roi.display_tables(comparison)

    parts, arms, costs, tornado, growth, table = st.tabs(
        ["Where the gain comes from", "Each arm", "Cost by arm", "Sensitivity (tornado)",
         "Growth", "Comparison table"]
    )  # fmt: skip
    with parts:
        show_chart(plan_charts.breakdown_figure(comparison.breakdown(), roi.BREAKDOWN),
                   key="roi_breakdown")  # fmt: skip
        st.dataframe(tables["breakdown"], hide_index=True)
        st.caption(
            "The parts add up to the net gain. Revenue is split by pairing each caller with "
            "themself in the other arm: sales the baseline makes on calls the AI resolves "
            "(lost: a resolved caller never meets a producer), sales on callers only one arm "
            "reached, and the rest, the difference in sales on callers both reached "
            "(conversion)."
        )
    with arms:
        st.dataframe(tables["arms"], hide_index=True)
        st.caption(f"Means over {basis}; producer hours are rostered hours per open day.")
    with costs:
        show_chart(plan_charts.cost_figure(comparison.table, weeks), key="roi_costs")
        st.caption(
            "The same callers in both arms (common random numbers). "
            + ("The baseline's producers are the staffing plan that meets the targets."
               if baseline == "staffed" else "Both arms have the same producer roster.")
        )  # fmt: skip
    with tornado:
        with st.spinner("Varying one input at a time…", show_time=True):
            sens = run_sensitivity(*key)
        st.session_state["roi.tornado"] = sens
        chart, why = st.columns([3, 2])
        with chart:
            show_chart(plan_charts.tornado_figure(sens), key="roi_tornado")
        with why:
            reasons = [r for r in (roi.explain(row, comparison) for _, row in sens.iterrows())
                       if r]  # fmt: skip
            st.session_state["roi.tornado_reasons"] = reasons
            for reason in reasons:
                st.info(plain(reason))
            if not reasons:
                st.caption("Every input moves the gain the way one would expect.")
        st.dataframe(roi.display_tables(comparison, sens)["tornado"], hide_index=True)
        st.caption(
            "Prices re-price the base run; containment, trigger mix and conversion are "
            "re-simulated on the same random numbers, the baseline's producers held."
        )
    with growth:
        st.write(
            "Producers needed with and without AI at 1×, 1.5× and 2× today's volume "
            "(the staffing search at each volume; takes a few seconds)."
        )
        # Prices do not change staffing, so the curve is keyed on the scenario without them.
        growth_key = (scenario.model_dump_json(), min(replications, GROWTH_REPLICATIONS), seed)
        if st.button("Run the growth curve", key="roi_run_growth", type="primary"):
            st.session_state[GROWTH] = growth_key
        if st.session_state.get(GROWTH) == growth_key:
            with st.spinner(
                "Staffing search at three volumes, with and without AI…", show_time=True
            ):
                grown, verdict = run_growth(*growth_key)
            st.session_state["roi.growth_table"] = grown
            show_chart(plan_charts.growth_figure(grown), key="roi_growth")
            (st.success if verdict.startswith("Claim holds") else st.info)(verdict)
            st.dataframe(growth_display_table(grown), hide_index=True)
        elif st.session_state.get(GROWTH) is not None:
            st.caption("The run settings changed since the last growth curve; run it again.")
    with table:
        st.dataframe(comparison_frame(comparison.table), hide_index=True)
        st.download_button(
            "Comparison (CSV)", lambda: comparison.table.to_csv().encode(), "roi_comparison.csv",
            "text/csv", key="dl_roi",
        )  # fmt: skip


main()
