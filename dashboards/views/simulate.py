"""Simulate: move a lever, see what happens to transfers, waits, producers and money.

The levers in the sidebar are overrides on the current scenario (the Scenario page's); they
reset whenever that scenario changes. Results, and the charts and tables drawn from them, are
cached on the scenario's JSON, the number of replications and the seed, so going back to a
setting already seen is instant. A setting not simulated yet shows its KPI cards first from the
first :data:`QUICK` replications (the cards say so), then from all of them: replications are
drawn from the seed one after another, so the quick run's replications are the first ones of
the full run and the cards only narrow, they do not jump to another sample.

The levers and everything drawn from them are one fragment (``st.fragment``): moving a lever
reruns that, not the router, the title or the navigation. On a rerun the KPI cards come first
(from the levers' values in the session), then the levers, then the full run, its charts and
tables. The cards' placeholder is made only once the new cards are ready, so the old ones stay
(greyed) while the first look runs.
"""

from __future__ import annotations

import math
from typing import Literal

import pandas as pd
import streamlit as st

import sim
from dashboards import charts
from dashboards.common import (
    KPIS,
    code_label,
    controls_for,
    current_scenario,
    kpi_label,
    plain,
    scenario_caption,
    show_chart,
)
from sim.limits import LimitError, check_run
from sim.options import DEFAULT_REPLICATIONS
from sim.overrides import containment_overrides, producers_overrides
from sim.targets import ServiceTargets, verdicts

# Prefix of the session keys of the lever widgets.
LEVER = "lever."
# Session key: fingerprint of the scenario the levers were last set from.
LEVERS_FOR = "levers_for"

# Short headers of the by-trigger table (the KPI's label is the column's tooltip).
SHORT = {
    "transfer_completion_rate": "Completion",
    "abandonment_rate": "Abandoned",
    "post_transfer_conversion_rate": "Conversion",
    "first_call_resolution_rate": "First-call res.",
}

CARD_ROWS = (
    ("transfer_completion_rate", "service_level", "abandonment_rate", "producer_occupancy"),
    ("containment_rate", "post_transfer_conversion_rate", "cost_per_call", "cost_per_acquisition"),
)


# Replications of the first look at a setting not simulated yet (the cards then say so).
QUICK = 1


@st.cache_resource(show_spinner=False)
def simulated() -> set[tuple[str, int, int]]:
    """The (scenario JSON, replications, seed) runs this server has simulated, so a setting seen
    before (by any session) goes straight to its full run (a page script's own globals are
    rebuilt on every run; a cached resource is kept by the server)."""
    return set()


@st.cache_data(max_entries=24, show_spinner=False)
def run_simulation(scenario_json: str, replications: int, seed: int) -> sim.Results:
    """Simulate a scenario given as JSON (the cache key), rebuilt inside."""
    scenario = sim.Scenario.model_validate_json(scenario_json)
    results = sim.simulate(scenario, replications=replications, seed=seed)
    seen = simulated()
    if len(seen) > 500:  # a bound on what it keeps: forgetting only costs a quick first look
        seen.clear()
    seen.add((scenario_json, replications, seed))
    return results


@st.cache_data(max_entries=24, show_spinner=False)
def run_views(scenario_json: str, replications: int, seed: int) -> dict:
    """The charts and the trigger table of a run (building the figures takes longer than
    drawing them, so they are cached with the run)."""
    results = run_simulation(scenario_json, replications, seed)
    sl_seconds = results.scenario.service_level_seconds
    table = charts.trigger_table(results)
    table["trigger"] = table["trigger"].map(code_label)
    return {
        "funnel": charts.funnel_figure(results),
        "waits": charts.wait_figure(results),
        "occupancy": charts.occupancy_figure(charts.busy_by_interval(results)),
        "intervals": charts.interval_figure(results.by_interval(), sl_seconds),
        "triggers": table,
    }


def _reset_levers(scenario: sim.Scenario) -> None:
    """Set every lever (and the run settings) to the scenario's own values."""
    state = st.session_state
    for i, dest in enumerate(scenario.destinations):
        state[f"{LEVER}producers.{i}"] = dest.producers
    state[f"{LEVER}ai_enabled"] = scenario.ai.enabled
    state[f"{LEVER}rollout"] = float(scenario.ai.rollout)
    state[f"{LEVER}cost_per_minute"] = float(scenario.ai.cost_per_minute)
    state[f"{LEVER}containment_scale"] = 1.0
    state[f"{LEVER}seed"] = scenario.seed
    state.setdefault(f"{LEVER}replications", DEFAULT_REPLICATIONS)  # the CLI's simulate


def _lever_settings(scenario: sim.Scenario) -> tuple[dict, int, int]:
    """The overrides the levers make, replications and seed, read from the session (the lever
    widgets' keys) so the KPI cards can be drawn before the levers are: the values are the
    ones the widgets will show (each producers slider's range is made to hold its value)."""
    state = st.session_state
    overrides: dict = {}
    for i in range(len(scenario.destinations)):
        overrides.update(producers_overrides(i, int(state[f"{LEVER}producers.{i}"])))
    enabled = bool(state[f"{LEVER}ai_enabled"])
    overrides["ai.enabled"] = enabled
    overrides["ai.rollout"] = float(state[f"{LEVER}rollout"])
    overrides["ai.cost_per_minute"] = float(state[f"{LEVER}cost_per_minute"])
    scale = float(state[f"{LEVER}containment_scale"])
    if scale != 1.0:
        overrides.update(containment_overrides(scenario, scale))
    return overrides, int(state[f"{LEVER}replications"]), int(state[f"{LEVER}seed"])


def _levers(scenario: sim.Scenario) -> None:
    """Draw the sidebar levers (their values are in the session under their keys)."""
    state = st.session_state
    sb = st.sidebar
    sb.subheader("Levers")
    for i, dest in enumerate(scenario.destinations):
        key = f"{LEVER}producers.{i}"
        top = max(20, 3 * dest.producers, int(state[key]))
        sb.slider(
            # a group called "Producers" is not shown as "Producers: Producers"
            "Producers"
            if dest.name.strip().lower() == "producers"
            else f"Producers: {plain(dest.name)}",
            0,
            top,
            key=key,
            help="Licensed producers on shift in this group.",
        )
    enabled = sb.toggle(
        "Voice AI on",
        key=f"{LEVER}ai_enabled",
        help="Off gives the all-human baseline: every call goes to producers.",
    )
    sb.slider(
        "AI rollout (share of calls)",
        0.0,
        1.0,
        step=0.05,
        key=f"{LEVER}rollout",
        disabled=not enabled,
        help="Share of calls the AI handles; a pilot is 0.10–0.20.",
    )
    sb.slider(
        "AI cost per minute ($)",
        0.0,
        1.5,
        step=0.01,
        key=f"{LEVER}cost_per_minute",
        disabled=not enabled,
        help="Field range $0.05–1.00+; managed platforms $0.25–0.50.",
    )
    sb.slider(
        "AI containment × ",
        0.0,
        2.0,
        step=0.05,
        key=f"{LEVER}containment_scale",
        disabled=not enabled,
        help="Multiplies every call type's containment (and the outbound one), capped at 100%.",
    )
    sb.button("Reset levers to the scenario", on_click=_reset_levers, args=(scenario,))
    sb.subheader("Run")
    sb.slider(
        "Replications",
        1,
        100,
        key=f"{LEVER}replications",
        help="Independent runs; more narrows the confidence intervals.",
    )
    sb.number_input(
        "Seed",
        min_value=0,
        step=1,
        key=f"{LEVER}seed",
        help="Same seed, same numbers (common random numbers across levers).",
    )


def _kpi_cards(summary: pd.DataFrame, targets: ServiceTargets, basis: str) -> None:
    judged = verdicts(targets, summary)  # the scenario's [targets], judged as staffing does
    st.caption(basis)
    for row in CARD_ROWS:
        for col, name in zip(st.columns(len(row)), row, strict=True):
            kpi = KPIS[name]
            mean, low, high = (float(summary.loc[name, c]) for c in ("mean", "ci_low", "ci_high"))
            delta: str | None = None
            color: Literal["off", "green", "red"] = "off"
            verdict = judged.get(name)
            if verdict is not None:
                delta = verdict.describe()
                color = "off" if verdict.met is None else ("green" if verdict.met else "red")
            ci = (
                f"95% CI {kpi.fmt(low)} – {kpi.fmt(high)}"
                if not math.isnan(low)
                else "one replication: no CI"
            )
            source = " Target from the scenario's [targets] table." if verdict else ""
            col.metric(
                kpi.label, kpi.fmt(mean), delta=delta, delta_color=color, delta_arrow="off",
                help=kpi.help + source, border=True,
            )  # fmt: skip
            col.caption(ci)


def _csv(frame: pd.DataFrame, index: bool = False):
    """A deferred CSV for ``st.download_button`` (built only when clicked)."""
    return lambda: frame.to_csv(index=index).encode()


def main() -> None:
    st.title("Simulate")
    scenario_caption()
    _levers_and_results()


@st.fragment
def _levers_and_results() -> None:
    """The levers and what they give (a lever change reruns only this): the KPI cards first,
    from the first :data:`QUICK` replications on a setting not simulated yet, then the levers,
    then the full run, its cards, charts and tables."""
    scenario = current_scenario()
    controls_for(scenario, LEVERS_FOR, _reset_levers, LEVER)
    overrides, replications, seed = _lever_settings(scenario)
    try:
        run_scenario = sim.scenario_from_dict(
            scenario.model_dump(mode="json", exclude_none=True), source="levers",
            overrides=overrides,
        )  # fmt: skip
        check_run(run_scenario, replications, "replications")
    except sim.ScenarioError as exc:
        st.error(f"These lever settings do not make a valid scenario:\n\n{plain(exc)}")
        _levers(scenario)
        return
    except LimitError as exc:
        st.error(plain(exc))
        _levers(scenario)
        return
    run_json = run_scenario.model_dump_json()
    days = f"× {scenario.days} simulated days"
    cards = None
    if replications > QUICK and (run_json, replications, seed) not in simulated():
        first = run_simulation(run_json, QUICK, seed).summary()
        # The placeholder is made only now: until then the browser keeps the old cards.
        cards = st.empty()
        with cards.container():
            _kpi_cards(
                first,
                run_scenario.targets,
                f"A first look: {QUICK} of {replications} replication(s) {days}; the other "
                f"{replications - QUICK} are running…",
            )
        st.session_state["first_summary"] = first  # read by the app tests
    _levers(scenario)
    if cards is None:
        cards = st.empty()
    with st.spinner(
        f"Simulating {replications} replication(s) of {scenario.days} days…", show_time=True
    ):
        results = run_simulation(run_json, replications, seed)
    summary = results.summary()
    st.session_state["last_summary"] = summary  # read by the app tests
    with cards.container():
        _kpi_cards(summary, run_scenario.targets, f"{replications} replication(s) {days}")
    more = (
        "p_wait",
        "mean_wait_minutes",
        "first_call_resolution_rate",
        "repeat_explain_rate",
        "policies_sold",
        "ai_cost",
        "total_cost",
    )
    with st.expander("More KPIs"):
        st.dataframe(
            pd.DataFrame({
                "KPI": [kpi_label(n) for n in more],
                "Mean": [KPIS[n].fmt(summary.loc[n, "mean"]) for n in more],
                "95% CI": [f"{KPIS[n].fmt(summary.loc[n, 'ci_low'])} – "
                           f"{KPIS[n].fmt(summary.loc[n, 'ci_high'])}" for n in more],
                "What it is": [KPIS[n].help for n in more],
            }),
            hide_index=True,
        )  # fmt: skip

    funnel, waits, day, triggers, data = st.tabs(
        ["Call funnel", "Waits", "Through the day", "By trigger", "Data"]
    )
    views = run_views(run_json, replications, seed)
    with funnel:
        show_chart(views["funnel"], key="funnel")
    with waits:
        show_chart(views["waits"], key="waits")
    with day:
        show_chart(views["occupancy"], key="occupancy")
        show_chart(views["intervals"], key="intervals")
    with triggers:
        table = views["triggers"]
        rates = [
            c for c in table.columns if c.endswith("_rate") or c in ("p_wait", "service_level")
        ]
        table = table.assign(**{c: table[c] * 100 for c in rates})  # one decimal: 90.2%
        # short headers, so every column fits the page (the KPI's own label as the tooltip)
        config = {
            c: st.column_config.NumberColumn(
                SHORT.get(c, kpi_label(c)), help=kpi_label(c), format="%.1f%%"
            )
            for c in rates
        }
        config["trigger"] = st.column_config.TextColumn("Trigger")
        config["offered_per_day"] = st.column_config.NumberColumn(
            "Offered a day", help=kpi_label("offered_per_day"), format="%.1f"
        )
        config["mean_wait_minutes"] = st.column_config.NumberColumn(
            "Wait (min)", help=kpi_label("mean_wait_minutes"), format="%.2f"
        )
        st.dataframe(table, hide_index=True, column_config=config)
        st.caption(
            "Pooled over all replications. Retire triggers with low completion or "
            "conversion after the pilot."
        )
    with data:
        st.write(f"{len(results.calls):,} call rows from {results.replications} replication(s).")
        c1, c2, c3 = st.columns(3)
        c1.download_button(
            "Calls (CSV)", _csv(results.calls), "calls.csv", "text/csv", key="dl_calls"
        )
        c2.download_button(
            "KPI summary with CIs (CSV)",
            _csv(results.summary(extra=True), index=True),
            "kpi_summary.csv",
            "text/csv",
            key="dl_summary",
        )
        c3.download_button(
            "KPIs per replication (CSV)", _csv(results.kpis), "kpis.csv", "text/csv", key="dl_kpis"
        )


main()
