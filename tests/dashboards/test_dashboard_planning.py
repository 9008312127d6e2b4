"""The planning pages (ROI & cost, Staffing) render and their controls do what they say."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import sim
from dashboards import plan_charts
from sim.paths import shipped_scenarios


def _errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


@pytest.fixture
def roi_page(app: AppTest) -> AppTest:
    app.session_state["roi.replications"] = 3
    app.switch_page("views/roi.py").run()
    assert not app.exception
    return app


@pytest.fixture
def staffing_page(app: AppTest) -> AppTest:
    app.session_state["staff.replications"] = 3
    app.switch_page("views/staffing.py").run()
    assert not app.exception
    return app


# --- ROI & cost ------------------------------------------------------------------------------


def test_roi_page_renders(roi_page):
    at = roi_page
    assert [t.value for t in at.title] == ["ROI & cost"]
    assert not _errors(at)
    assert [m.label for m in at.metric] == [
        "Monthly net gain", "Payback", "Intake cost, human ÷ AI", "Cost per sale with AI",
    ]  # fmt: skip
    # where the gain comes from, costs, tornado (growth waits for its button)
    assert len(at.get("plotly_chart")) == 3
    assert any("95% CI" in c.value for c in at.caption)
    tornado = at.session_state["roi.tornado"]
    assert set(tornado["input"]) >= {"AI price per minute", "Human intake per call"}
    assert tornado["swing"].is_monotonic_decreasing
    assert at.slider(key="roi.ai_price").value == pytest.approx(0.10)
    assert at.slider(key="roi.human_price").value == pytest.approx(10.0)


def test_price_sliders_move_the_gain(roi_page):
    at = roi_page
    base = at.session_state["roi.headline"]
    at.slider(key="roi.ai_price").set_value(1.0).run()
    assert not at.exception
    dearer_ai = at.session_state["roi.headline"]
    assert dearer_ai["monthly_net_gain"] < base["monthly_net_gain"]
    assert dearer_ai["intake_cost_ratio"] < base["intake_cost_ratio"]
    at.slider(key="roi.human_price").set_value(15.0).run()
    assert not at.exception
    dearer_humans = at.session_state["roi.headline"]
    assert dearer_humans["monthly_net_gain"] > dearer_ai["monthly_net_gain"]
    assert dearer_humans["cost_per_contact_human"] > dearer_ai["cost_per_contact_human"]
    at.button(key="roi_reset").click().run()
    assert at.session_state["roi.headline"] == base


def test_growth_curve_runs_on_request(roi_page):
    at = roi_page
    at.button(key="roi_run_growth").click().run()
    assert not at.exception
    table = at.session_state["roi.growth_table"]
    assert list(table["volume_factor"].unique()) == [1.0, 1.5, 2.0]
    assert set(table["arm"]) == {"ai", "all_human"}
    assert len(at.get("plotly_chart")) == 4
    verdicts = [m.value for m in [*at.info, *at.success]]
    assert any(v.startswith("Claim") for v in verdicts)


def test_roi_page_is_the_cli_figure_and_explains_itself(roi_page):
    """The page's comparison is sim.roi.compare's at the same settings (the CLI's), staffed
    by default; its parts add up to the gain; every figure says what it rests on; a surprising
    tornado sign gets a sentence beside the chart."""
    at = roi_page
    shown = at.session_state["roi.comparison"]
    assert shown["baseline"] == "staffed"
    assert at.radio(key="roi.baseline").value == "staffed"
    scenario = sim.load_scenario(shipped_scenarios()["small_agency"])
    direct = sim.roi.compare(scenario, replications=3, seed=scenario.seed).to_dict()
    assert shown["net_gain_monthly"] == pytest.approx(direct["net_gain_monthly"])
    assert sum(shown["breakdown"].values()) == pytest.approx(shown["net_gain_monthly"]["mean"])
    assert any("3 paired replications" in c.value for c in at.caption)
    reasons = at.session_state["roi.tornado_reasons"]
    tornado = at.session_state["roi.tornado"].set_index("input")
    containment = tornado.loc["AI containment"]
    if containment["gain_at_high"] < containment["gain_at_low"]:
        assert any("never meets a producer" in r for r in reasons)
        assert any("never meets a producer" in i.value for i in at.info)
    at.radio(key="roi.baseline").set_value("same").run()
    assert not at.exception
    assert at.session_state["roi.comparison"]["baseline"] == "same"


def test_roi_without_ai_explains_itself(app):
    app.selectbox(key="pick_shipped").set_value("small_agency_all_human").run()
    app.switch_page("views/roi.py").run()
    assert not app.exception
    assert any("AI is off" in w.value for w in app.warning)


def test_tornado_figure_centres_on_the_base():
    tornado = pd.DataFrame({
        "input": ["big", "small"], "low": ["a", "b"], "high": ["c", "d"],
        "gain_at_low": [50.0, 90.0], "gain_at_high": [150.0, 110.0], "swing": [100.0, 20.0],
        "base_gain": [100.0, 100.0],
    })  # fmt: skip
    fig = plan_charts.tornado_figure(tornado)
    low, high = fig.data[0], fig.data[1]
    assert list(low.y) == ["small", "big"]  # largest swing drawn on top
    assert low.base == 100.0
    assert list(low.x) == [-10.0, -50.0]
    assert list(high.x) == [10.0, 50.0]


# --- Staffing --------------------------------------------------------------------------------


def test_staffing_page_renders(staffing_page):
    at = staffing_page
    assert [t.value for t in at.title] == ["Staffing"]
    assert not _errors(at)
    plan = at.session_state["staff.plan"]
    assert plan.table["producers"].min() >= 0
    assert (plan.table["transfer_completion_low"].dropna() >= 0.80).all() or plan.table[
        "nobody_waited"
    ].any()
    assert len(at.get("plotly_chart")) == 1
    assert [m.label for m in at.metric][:3] == [
        "Producer-hours a day", "Peak on duty", "Peak headcount",
    ]  # fmt: skip
    assert at.expander[0].label.startswith("Why simulation and Erlang A part")
    assert any("queues carry over" in md.value for md in at.expander[0].markdown)


def test_staffing_page_starts_from_the_cli_plan(app):
    """Opened with nothing changed, the page plans as ``handoff-lab staff`` does with no options
    (same replications, shrinkage and interval, one definition in ``sim.options``), so both show
    the same plan: the page once showed 60 producer-hours a day at 5 replications beside the
    CLI's 53 at 10."""
    import json

    from typer.testing import CliRunner

    from sim.cli import app as cli

    app.switch_page("views/staffing.py").run()
    assert not app.exception
    page = app.session_state["staff.plan"]
    shown = CliRunner().invoke(cli, ["staff", "small_agency", "--json"])
    assert shown.exit_code == 0, shown.output
    record = json.loads(shown.output)
    assert record["replications"] == page.replications == sim.options.DEFAULT_REPLICATIONS
    assert record["shrinkage"] == pytest.approx(app.session_state["staff.shrinkage"])
    assert record["interval_minutes"] == app.session_state["staff.interval"]
    by_cli = sum(row["producer_hours_per_day"] for row in record["totals"])
    assert by_cli == pytest.approx(page.totals()["producer_hours_per_day"].sum())
    assert [row["producers"] for row in record["intervals"]] == page.table["producers"].tolist()


def _plan(at: AppTest) -> None:
    at.button(key="FormSubmitter:staff_form-Plan staffing").click().run()


def test_stricter_target_needs_more_producers(staffing_page):
    at = staffing_page
    before = at.session_state["staff.plan"].totals()["producer_hours_per_day"].sum()
    at.slider(key="staff.completion").set_value(0.95)
    at.slider(key="staff.abandonment").set_value(0.03)
    _plan(at)
    assert not at.exception
    assert not _errors(at)
    after = at.session_state["staff.plan"].totals()["producer_hours_per_day"].sum()
    assert after > before


def test_impossible_target_is_an_error_message(staffing_page):
    at = staffing_page
    at.slider(key="staff.completion").set_value(0.99)  # the bridge fails 2% of transfers
    _plan(at)
    assert not at.exception
    # the message is shown as plain text: its underscore escaped for Markdown
    assert any("cannot be planned" in e and "failure\\_rate" in e for e in _errors(at))
    assert at.session_state["staff.plan"] is None


def test_plan_rosters_become_the_scenario(staffing_page):
    at = staffing_page
    plan = at.session_state["staff.plan"]
    [use] = [b for b in at.button if b.label.startswith("Use these rosters")]
    use.click().run()
    assert not at.exception
    roster = at.session_state["scenario"].destinations[0].roster
    assert roster is not None
    assert list(roster.producers) == plan.roster("Producers")
    assert at.session_state["scenario_label"].endswith("staffing plan")


def test_staffing_figure_shows_both_answers():
    table = pd.DataFrame({
        "group": ["A", "A", "B", "B"], "interval": ["08:00", "08:30"] * 2,
        "offered_per_day": [3.0, 4.0, 1.0, 2.0], "producers": [2, 3, 1, 1],
        "erlang_a": [2, 2, 1, 1], "headcount": [3, 5, 2, 2],
        "transfer_completion_low": [0.8, 0.85, 0.9, math.nan],
    })  # fmt: skip
    fig = plan_charts.staffing_figure(table)
    names = [t.name for t in fig.data]
    assert names == [
        "A: offered/day",
        "A: simulation",
        "A: Erlang A",
        "B: offered/day",
        "B: simulation",
        "B: Erlang A",
    ]
    assert list(fig.data[1].y) == [2, 3]
    assert list(fig.data[2].y) == [2, 2]


def test_staffing_of_a_multi_group_centre(app):
    app.selectbox(key="pick_shipped").set_value("regional_call_center").run()
    app.session_state["staff.replications"] = 2
    app.switch_page("views/staffing.py").run()
    assert not app.exception
    assert not _errors(app)
    scenario = sim.load_scenario(shipped_scenarios()["regional_call_center"])
    plan = app.session_state["staff.plan"]
    assert set(plan.table["group"]) == {d.name for d in scenario.destinations}
    assert len(app.get("plotly_chart")[0].proto.spec) > 0


# --- Pilot sizing ------------------------------------------------------------------------------


@pytest.fixture
def pilot_page(app: AppTest) -> AppTest:
    app.session_state["pilot.replications"] = 10
    app.switch_page("views/pilot.py").run()
    assert not app.exception
    return app


def test_pilot_page_renders(pilot_page):
    at = pilot_page
    assert [t.value for t in at.title] == ["Pilot sizing"]
    assert not _errors(at)
    assert [m.label for m in at.metric] == [
        "Weeks to a decision", "Calls needed: AI · control", "Effect sized for", "Simulated power",
    ]  # fmt: skip
    assert len(at.get("plotly_chart")) == 3  # power curve, weekly bands, rollouts
    plan = at.session_state["pilot.plan"]
    assert plan.rollout == 0.15
    assert plan.replications == 10
    assert set(plan.bands_table()["metric"]) == {
        "transfer_completion_rate", "post_transfer_conversion_rate",
        "first_call_resolution_rate", "repeat_explain_rate",
    }  # fmt: skip
    assert at.metric[0].value == f"{plan.weeks:.1f}"


def test_a_larger_lift_needs_a_shorter_pilot(pilot_page):
    at = pilot_page
    at.radio(key="pilot.lift_kind").set_value("absolute (points)").run()
    at.number_input(key="pilot.lift_points").set_value(3.0).run()
    small = at.session_state["pilot.plan"]
    at.number_input(key="pilot.lift_points").set_value(10.0).run()
    assert not at.exception
    large = at.session_state["pilot.plan"]
    assert small.lift == pytest.approx(0.03)
    assert large.lift == pytest.approx(0.10)
    assert large.weeks < small.weeks
    assert large.n_control < small.n_control


def test_rollout_slider_stays_in_the_pilot_range(pilot_page):
    at = pilot_page
    slider = at.slider(key="pilot.rollout_pct")
    assert (slider.min, slider.max) == (10.0, 20.0)
    at.radio(key="pilot.lift_kind").set_value("absolute (points)").run()
    at.number_input(key="pilot.lift_points").set_value(5.0).run()
    at15 = at.session_state["pilot.plan"]
    at.slider(key="pilot.rollout_pct").set_value(20.0).run()
    assert not at.exception
    at20 = at.session_state["pilot.plan"]
    assert at20.rollout == 0.20
    assert at20.ratio > at15.ratio
    assert at20.n_ai > at15.n_ai  # more of the calls on the AI side


def test_zero_lift_is_an_error_message(pilot_page):
    at = pilot_page
    at.radio(key="pilot.lift_kind").set_value("absolute (points)").run()
    at.number_input(key="pilot.lift_points").set_value(0.0).run()
    assert not at.exception
    assert any("cannot be sized" in e for e in _errors(at))


def test_power_curve_reaches_the_target_at_the_decision(pilot_page):
    plan = pilot_page.session_state["pilot.plan"]
    curve = plan_charts.power_curve(plan)
    assert curve["power_requested"].is_monotonic_increasing
    at_decision = np.interp(plan.weeks, curve["weeks"], curve["power_requested"])
    assert at_decision == pytest.approx(plan.power, abs=0.02)


def test_roi_precision_is_the_cli_option(roi_page):
    """A precision on the page runs sim.roi.compare_to_precision, as roi --precision does: a
    loose width keeps the slider's replications and says it was reached."""
    at = roi_page
    at.number_input(key="roi.precision").set_value(1e9).run()
    assert not at.exception
    shown = at.session_state["roi.comparison"]
    assert shown["replications"] == 3
    assert shown["precision"]["reached"] is True
    assert shown["precision"]["wanted"] == 1e9


def test_a_weekday_scenario_is_planned_weekday_by_weekday(app):
    """weekend_desk opens Monday to Saturday (Saturday a half day at 40% volume) and closes on
    Sunday: the page plans each weekday pattern, shows the one picked, says Sunday is closed,
    and its cards add the week up (each pattern's hours × its days), not the patterns."""
    from sim.staffing_report import closed_weekdays, weekday_labels

    app.selectbox(key="pick_shipped").set_value("weekend_desk").run()
    app.session_state["staff.replications"] = 2
    app.switch_page("views/staffing.py").run()
    assert not app.exception
    assert not _errors(app)
    plan = app.session_state["staff.plan"]
    labels = weekday_labels(plan)
    assert "sat" in labels
    assert "sun" not in " ".join(labels)
    assert closed_weekdays(plan) == ["sun"]
    assert any("Closed (Sun)" in c.value for c in app.caption)
    totals = plan.totals()
    week = (totals["producer_hours_per_day"] * totals["days_per_week"]).sum()
    [card] = [m for m in app.metric if m.label == "Producer-hours a week"]
    assert card.value == f"{week:,.1f}"
    assert [h.value for h in app.subheader][:1] == [
        f"{plan.scenario.destinations[0].name} on {labels[0].title()}"
    ]
    # picking Saturday shows Saturday's intervals only (09:00-13:00)
    app.get("button_group")[0].set_value("sat").run()
    assert not app.exception
    first_table = app.dataframe[1].value  # after the totals table
    assert list(first_table["Interval"]) == [
        row for row in plan.table[plan.table["weekdays"] == "sat"]["interval"]
    ]
