"""Staffing: how many producers each group needs, interval by interval, to meet the targets.

``sim.staffing.staffing`` searches, per interval and group, for the fewest producers that meet
every target at the confidence bound of the replications, starting from Erlang A (computed from
the scenario's own load) and correcting it by simulation on common random numbers. The targets
start at the scenario's ``[targets]`` (what the Simulate page's cards judge). The page draws its
answer against Erlang A's, says what the plan rests on and how it was smoothed, lists why the
two part for this scenario, and can make the plan's rosters the current scenario. Targets no
number of producers can meet come back as a message, not a crash.
"""

from __future__ import annotations

import streamlit as st

import sim
from dashboards import plan_charts
from dashboards.common import (
    controls_for,
    current_label,
    current_scenario,
    plain,
    scenario_caption,
    set_scenario,
    show_chart,
)
from sim import staffing_report as report
from sim.loader import derive
from sim.options import DEFAULT_INTERVAL_MINUTES, DEFAULT_REPLICATIONS, DEFAULT_SHRINKAGE
from sim.staffing import StaffingError, StaffingPlan, Targets, staffing

# Prefix of this page's session keys.
KEY = "staff."
# Session key: fingerprint of the scenario the form was last set from.
FOR = "staff.for"


@st.cache_data(max_entries=16, show_spinner=False)
def run_staffing(
    scenario_json: str,
    targets: tuple,
    interval_minutes: int,
    replications: int,
    seed: int,
    shrinkage: float,
) -> StaffingPlan:
    """The staffing search for a scenario given as JSON (the cache key), with a progress bar
    (drawn inside, so a cached answer replays it already finished)."""
    scenario = sim.Scenario.model_validate_json(scenario_json)
    bar = st.progress(0.0, text="Staffing search…")

    def progress(done: int, total: int) -> None:
        bar.progress(
            min(1.0, done / total),
            text=f"Staffing search: {done} of about {total} replications simulated",
        )

    try:
        return staffing(
            scenario, Targets(*targets), interval_minutes=interval_minutes,
            replications=replications, seed=seed, shrinkage=shrinkage, progress=progress,
        )  # fmt: skip
    finally:
        bar.empty()


def _reset(scenario: sim.Scenario) -> None:
    state = st.session_state
    targets = scenario.targets
    state[f"{KEY}completion"] = targets.transfer_completion
    state[f"{KEY}service_level"] = targets.service_level
    state[f"{KEY}within"] = float(scenario.service_level_seconds)
    state[f"{KEY}abandonment"] = targets.max_abandonment
    state[f"{KEY}occupancy"] = targets.max_occupancy
    state[f"{KEY}interval"] = DEFAULT_INTERVAL_MINUTES
    state[f"{KEY}shrinkage"] = DEFAULT_SHRINKAGE
    state.setdefault(f"{KEY}replications", DEFAULT_REPLICATIONS)  # the CLI's staff: one plan
    state[f"{KEY}seed"] = scenario.seed


def _form(scenario: sim.Scenario) -> None:
    controls_for(scenario, FOR, _reset, KEY)
    with st.sidebar.form("staff_form"):
        st.subheader("Targets")
        st.caption("They start at the scenario's targets, as the Simulate page judges them.")
        st.slider(
            "Transfer completion at least",
            0.0,
            0.99,
            step=0.01,
            key=f"{KEY}completion",
            help="Share of offered transfers reaching a producer (> 80% is a high "
            "performer). 0 = no target.",
        )
        st.slider(
            "Service level at least",
            0.0,
            0.99,
            step=0.01,
            key=f"{KEY}service_level",
            help="Share answered within the seconds below. 0 = no target.",
        )
        st.number_input(
            "…answered within (seconds)", 1.0, 600.0, step=5.0, format="%.0f", key=f"{KEY}within"
        )
        st.slider(
            "Abandonment at most",
            0.0,
            1.0,
            step=0.01,
            key=f"{KEY}abandonment",
            help="Share of offered callers who hang up waiting. 1 = no target.",
        )
        st.slider(
            "Occupancy at most",
            0.05,
            1.0,
            step=0.01,
            key=f"{KEY}occupancy",
            help="Busy share of producers' time on duty. 1 = no target.",
        )
        st.subheader("Plan")
        st.selectbox("Interval (minutes)", (15, 30, 60), key=f"{KEY}interval")
        st.slider(
            "Shrinkage",
            0.0,
            0.6,
            step=0.01,
            key=f"{KEY}shrinkage",
            help="Breaks, training, absence: headcount = on duty ÷ (1 − shrinkage).",
        )
        st.slider(
            "Replications",
            2,
            30,
            key=f"{KEY}replications",
            help="The targets are checked at the 95% bound over these runs.",
        )
        st.number_input("Seed", min_value=0, step=1, key=f"{KEY}seed")
        st.form_submit_button("Plan staffing", type="primary")


def _targets() -> Targets:
    s = st.session_state
    return Targets(
        transfer_completion=s[f"{KEY}completion"] or None,
        service_level=s[f"{KEY}service_level"] or None,
        answer_within_seconds=s[f"{KEY}within"],
        max_abandonment=s[f"{KEY}abandonment"] if s[f"{KEY}abandonment"] < 1 else None,
        max_occupancy=s[f"{KEY}occupancy"] if s[f"{KEY}occupancy"] < 1 else None,
    )


def _days(label: str | None) -> str:
    """A weekday pattern's label ("tue–thu") as a heading reads it ("Tue–Thu")."""
    return "" if label is None else label.title()


def _use_plan(plan: StaffingPlan) -> None:
    """Make the scenario with this plan's rosters the current one."""
    set_scenario(
        derive(plan.scenario, plan.roster_overrides(), source="staffing plan"),
        f"{current_label()}, staffing plan",
    )


def main() -> None:
    scenario = current_scenario()
    st.title("Staffing")
    scenario_caption()
    _form(scenario)
    targets = _targets()
    s = st.session_state
    args = (
        scenario.model_dump_json(),
        tuple(targets.__dict__.values()),
        int(s[f"{KEY}interval"]),
        int(s[f"{KEY}replications"]),
        int(s[f"{KEY}seed"]),
        float(s[f"{KEY}shrinkage"]),
    )
    try:
        plan = run_staffing(*args)
    except StaffingError as exc:
        s["staff.plan"] = None
        st.error(f"**These targets cannot be planned:** {plain(exc)}")
        st.caption(
            "Loosen a target in the sidebar (or raise patience / lower the bridge "
            "failure rate on the Scenario page) and plan again."
        )
        return
    s["staff.plan"] = plan  # read by the app tests
    totals = plan.totals()
    c1, c2, c3, c4 = st.columns(4)
    if plan.weekdays:  # one plan per weekday pattern: the week's hours, the busiest day's peaks
        days = totals["days_per_week"]
        hours = (totals["producer_hours_per_day"] * days).sum()
        erlang_hours = (totals["erlang_a_hours_per_day"] * days).sum()
        by_day = totals.groupby("weekdays", sort=False)[
            ["peak_producers", "peak_erlang_a", "peak_headcount"]
        ].sum()
        peaks = by_day.max()
        hours_label, hours_help = (
            "Producer-hours a week",
            (
                "Producers on duty × interval length, summed over the groups and the open "
                "days of a week (each weekday by its own plan)."
            ),
        )
        peak_help = "The busiest weekday's peak, summed over groups."
    else:
        hours = totals["producer_hours_per_day"].sum()
        erlang_hours = totals["erlang_a_hours_per_day"].sum()
        peaks = totals[["peak_producers", "peak_erlang_a", "peak_headcount"]].sum()
        hours_label, hours_help = (
            "Producer-hours a day",
            ("Producers on duty × interval length, summed over the day and groups."),
        )
        peak_help = "Summed over groups."
    c1.metric(
        hours_label,
        f"{hours:,.1f}",
        border=True,
        delta=f"{hours - erlang_hours:+,.1f} vs Erlang A",
        delta_color="off",
        help=hours_help,
    )
    c2.metric(
        "Peak on duty",
        f"{int(peaks['peak_producers'])}",
        border=True,
        delta=f"Erlang A {int(peaks['peak_erlang_a'])}",
        delta_color="off",
        delta_arrow="off",
        help=peak_help,
    )
    c3.metric(
        "Peak headcount",
        f"{int(peaks['peak_headcount'])}",
        border=True,
        help=f"Peak on duty ÷ (1 − shrinkage {plan.shrinkage:.0%}), per group. {peak_help}",
    )
    c4.metric(
        "Search cost (simulations)",
        f"{plan.simulations:.1f}",
        border=True,
        delta=f"{plan.seconds:.1f} s, {plan.rounds} rounds",
        delta_color="off",
        delta_arrow="off",
        help="Simulations of the scenario at these replications the search cost (a round at "
        "half the replications counts one half).",
    )
    st.caption(report.evidence(plan))
    for warning in plan.warnings():
        st.warning(warning[0].upper() + warning[1:] + ".")
    labels = report.weekday_labels(plan)
    pattern = labels[0]
    if plan.weekdays:
        closed = report.closed_weekdays(plan)
        pattern = st.segmented_control(
            "Weekdays", labels, default=labels[0], key=f"{KEY}pattern", format_func=_days,
            help="Weekdays sharing hours, volume and profile share one plan.",
        ) or labels[0]  # fmt: skip
        if closed:
            st.caption(f"Closed ({_days(', '.join(closed))}): no producers planned.")
    table = plan.table if pattern is None else plan.table[plan.table["weekdays"] == pattern]
    on = "" if pattern is None else f" on {_days(pattern)}"
    show_chart(plan_charts.staffing_figure(table, on), key="staffing")
    with st.expander("Why simulation and Erlang A part here", expanded=False):
        st.markdown("\n".join(f"- {plain(note)}" for note in plan.notes))
    st.dataframe(report.totals_table(plan), hide_index=True)
    for dest in plan.scenario.destinations:
        st.subheader(plain(dest.name) + on)
        # one under the other: side by side, the judged table's long headers were cut off
        st.dataframe(report.group_table(plan, dest.name, pattern), hide_index=True)
        st.dataframe(report.judged_table(plan, dest.name, pattern), hide_index=True)
    st.caption(
        "Offered per day: transfers first offered to the group in the interval, from the "
        "scenario's load. Completion, service level, abandonment and occupancy are the "
        "simulation's at the plan, at the pessimistic side of the 95% interval the targets are "
        "checked at. A window where nobody waited meets its targets by definition."
    )
    c1, c2 = st.columns(2)
    c1.download_button(
        "Plan (CSV)",
        lambda: plan.table.to_csv(index=False).encode(),
        "staffing_plan.csv",
        "text/csv",
        key="dl_staffing",
    )
    c2.button(
        "Use these rosters in the current scenario",
        on_click=_use_plan,
        args=(plan,),
        help="The Simulate and ROI pages then run the agency staffed as planned.",
    )


main()
