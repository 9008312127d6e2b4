"""Pilot sizing (sim.pilot): the formula against statsmodels, weeks by hand, simulated power
against the formula where the true rates are known by construction, the rollout choice, the
weekly bands, bad input, and the public names old callers use (``sim.pilot(...)``,
``sim.pilot.rollout_choice``, flat keyword arguments). More in test_pilot_sizing.py,
test_pilot_rollout.py and test_pilot_report.py."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    proportion_effectsize,
    samplesize_proportions_2indep_onetail,
)

import sim
from sim import load_scenario, simulate
from sim.pilot import (
    METRICS,
    BandSpec,
    PilotDesign,
    PowerCheck,
    pilot,
    pilot_scenario,
    plan_pilot,
    rollout_choice,
    weekly_bands,
)
from sim.theory import two_proportion_power, two_proportion_sample_size
from tests.sim.scenario_builders import build, fixed, group

WARM, COLD = 0.30, 0.20


def known(calls_per_day: float = 100, rollout: float = 0.2, days: int = 5, **extra):
    """Every AI call escalates (containment 0), every field is captured and no producer re-asks:
    a connected AI transfer converts with probability WARM exactly, a human-path one with COLD.
    Fifty producers and no patience: every transfer connects."""
    sections = {
        "days": days,
        "inbound": {"calls_per_day": calls_per_day},
        "ai": {"enabled": True, "rollout": rollout, "lines": 500, "talk_minutes": fixed(1.0)},
        "call_types": {"general": {"share": 1.0, "containment": 0.0}},
        "intake": {"capture_rate": 1.0},
        "outcomes": {"conversion_warm": WARM, "conversion_cold": COLD, "repeat_explain_rate": 0.0},
    }
    sections.update(extra)
    return build(**sections)


def congested(**extra):
    """A long whisper (15 producer-minutes per AI transfer) on five producers with impatient
    callers: the more calls the AI takes, the fewer transfers complete."""
    return known(
        days=2,
        calls_per_day=240,
        destinations=[group("A", 5, ring_seconds=20)],
        transfer={
            "whisper_seconds": 900,
            "patience_minutes": {"dist": "exponential", "mean": 1.0},
            "fallback": "drop",
        },
        **extra,
    )


@pytest.fixture(scope="module")
def known_results():
    return simulate(known(), replications=8, seed=3)


# ----------------------------------------------------------------------- the formula


def test_equal_split_matches_statsmodels_and_domain_example():
    n1, n2 = two_proportion_sample_size(0.10, 0.12, alpha=0.05, power=0.8, ratio=1.0)
    sm = samplesize_proportions_2indep_onetail(-0.02, 0.12, 0.8, ratio=1, alpha=0.05)
    assert (n1, n2) == (3841, 3841) == (math.ceil(sm), math.ceil(sm))
    # The arcsine (Cohen's h) route is a different approximation: not the one used.
    h = proportion_effectsize(0.12, 0.10)
    assert math.ceil(NormalIndPower().solve_power(h, power=0.8, alpha=0.05)) == 3835


@pytest.mark.parametrize("rollout", [0.10, 0.125, 0.15, 0.175, 0.20, 0.5, 0.6])
@pytest.mark.parametrize(("p1", "p2"), [(0.10, 0.12), (0.155, 0.226), (0.70, 0.65)])
def test_unequal_allocation_matches_statsmodels(rollout, p1, p2):
    ratio = rollout / (1 - rollout)
    n1, n2 = two_proportion_sample_size(p1, p2, 0.05, 0.8, ratio)
    # statsmodels: nobs1 belongs to prop1 = prop2 + diff (our control arm), nobs2 = ratio·nobs1.
    sm = samplesize_proportions_2indep_onetail(p1 - p2, p2, 0.8, ratio=ratio, alpha=0.05)
    assert n1 == math.ceil(sm - 1e-9)
    assert n2 == math.ceil(ratio * n1 - 1e-9)


def test_plan_sample_size_is_the_statsmodels_one(known_results):
    plan = pilot(known(), rollout=0.2, lift=0.05, results=known_results, band_weeks=0)
    assert plan.lift_source == "requested"
    assert plan.ratio == pytest.approx(0.25)
    assert plan.p_target == pytest.approx(plan.p_control + 0.05)
    sm = samplesize_proportions_2indep_onetail(
        plan.p_control - plan.p_target, plan.p_target, 0.8, ratio=0.25, alpha=0.05
    )
    assert plan.n_control == math.ceil(sm - 1e-9)
    assert plan.n_ai == math.ceil(0.25 * plan.n_control - 1e-9)
    relative = pilot(known(), 0.2, relative_lift=0.25, results=known_results, band_weeks=0)
    assert relative.p_target == pytest.approx(relative.p_control * 1.25)


# ----------------------------------------------------------------------- volume and weeks


def test_weeks_by_hand_from_the_simulated_volume(known_results):
    plan = pilot(known(), rollout=0.2, lift=0.05, results=known_results, band_weeks=0)
    calls = known_results.calls
    connected = calls["outcome"] == "connected"
    reps, days = known_results.replications, known_results.scenario.days
    weekly_ai = (connected & (calls["path"] == "ai")).sum() / (reps * days) * 5
    weekly_control = (connected & (calls["path"] == "human")).sum() / (reps * days) * 5
    assert plan.weekly_ai == pytest.approx(weekly_ai)
    assert plan.weekly_control == pytest.approx(weekly_control)
    # By construction: 100 calls a day, 20% to the AI, every transfer connects, 5 days a week.
    assert plan.weekly_ai == pytest.approx(100 * 0.2 * 5, rel=0.1)
    assert plan.weekly_control == pytest.approx(100 * 0.8 * 5, rel=0.05)
    weeks = max(plan.n_control / weekly_control, plan.n_ai / weekly_ai)
    assert plan.weeks == pytest.approx(weeks)
    assert plan.slower_arm == ("ai" if plan.n_ai / weekly_ai > plan.n_control / weekly_control
                               else "control")  # fmt: skip
    assert plan.pilot_days == math.ceil(weeks * 5)
    # A seven-day week: the same volume per day makes 7/5 as many units a week.
    week7 = known(hours={"days_per_week": 7})
    res7 = simulate(week7, replications=8, seed=3)
    plan7 = pilot(week7, rollout=0.2, lift=0.05, results=res7, band_weeks=0)
    assert plan7.weekly_ai == pytest.approx(plan.weekly_ai * 7 / 5)
    assert plan7.weeks == pytest.approx(plan.weeks * 5 / 7)


# ----------------------------------------------------------------------- simulated power


def test_simulated_power_agrees_with_the_formula_at_known_rates():
    """Disjoint simulated pilots (independent simulations) against the formula's power at the
    true rates WARM vs COLD and the expected volume (80 control and 20 AI transfers a day)."""
    scenario = known(days=30)
    plan = pilot(scenario, rollout=0.2, replications=40, pilots=400, pilot_weeks=0.6,
                 band_weeks=0, seed=11)  # fmt: skip
    assert plan.method == "disjoint"
    assert plan.pilots == 400
    assert plan.pilot_days == 3
    assert plan.lift_source == "scenario"
    units_ai, units_control = plan.weekly_ai * 0.6 * 400, plan.weekly_control * 0.6 * 400
    assert abs(plan.p_ai - WARM) < 4.5 * math.sqrt(WARM * (1 - WARM) / units_ai)
    assert abs(plan.p_control - COLD) < 4.5 * math.sqrt(COLD * (1 - COLD) / units_control)
    # 3 days: 240 control and 60 AI transfers expected (the exact z-test power, with Poisson
    # volumes, is 0.390; the normal formula 0.395).
    truth = two_proportion_power(COLD, WARM, 80 * 3, ratio=0.25)
    assert 0.2 < truth < 0.8  # a power the test can tell apart from 0 and 1
    se = math.sqrt(truth * (1 - truth) / plan.pilots)
    assert abs(plan.simulated_power - truth) < 3.5 * se
    # The plan's own comparison: the formula at the observed rates, inside the Monte Carlo CI.
    assert plan.simulated_power_ci_low <= plan.formula_power_observed
    assert plan.formula_power_observed <= plan.simulated_power_ci_high
    assert plan.simulated_power_ci_high - plan.simulated_power_ci_low < 0.1


def test_resampled_pilots_and_plan_tables(known_results):
    plan = pilot(known(), rollout=0.2, results=known_results, pilots=400)
    assert plan.method == "resampled"
    assert plan.independent_pilots == pytest.approx(plan.simulated_days / plan.pilot_days)
    assert plan.formula_power_observed == pytest.approx(plan.formula_power_requested)
    assert plan.formula_power_observed >= 0.8
    assert plan.simulated_power_ci_low <= plan.formula_power_observed
    assert plan.formula_power_observed <= plan.simulated_power_ci_high
    table = plan.power_table()
    assert list(table["effect"]) == ["requested", "scenario"]
    assert set(plan.summary_table()["figure"]) >= {"n_control", "n_ai", "weeks"}
    assert plan.rollouts_table().empty
    data = plan.to_dict()
    json.dumps(data, allow_nan=False)
    assert data["bands"]
    assert data["rollouts"] is None
    nan_plan = dataclasses.replace(plan, simulated_power=float("nan"), weeks=math.inf)
    data = nan_plan.to_dict()
    assert data["simulated_power"] is None
    assert data["weeks"] is None
    json.dumps(data, allow_nan=False)


def test_results_are_reused_and_reproducible(known_results):
    again = pilot(known(), rollout=0.2, replications=8, seed=3, band_weeks=0, pilots=200)
    reused = pilot(known(), rollout=0.2, results=known_results, band_weeks=0, pilots=200)
    assert again.figures() == reused.figures()
    with pytest.raises(ValueError, match="different scenario or rollout"):
        pilot(known(), rollout=0.1, results=known_results)


def test_requested_lift_sets_duration_scenario_lift_sets_power(known_results):
    small = pilot(known(), rollout=0.2, lift=0.02, results=known_results, band_weeks=0)
    large = pilot(known(), rollout=0.2, lift=0.2, results=known_results, band_weeks=0)
    assert small.weeks > large.weeks
    assert small.formula_power_observed > large.formula_power_observed
    assert small.simulated_power > large.simulated_power
    assert small.formula_power_requested >= 0.8
    assert large.formula_power_requested >= 0.8


def test_small_agency_pilot_is_sized(scenarios_dir):
    scenario = load_scenario(scenarios_dir / "small_agency.toml")
    plan = pilot(scenario, rollout=0.2, replications=20, pilots=300, band_weeks=0)
    assert plan.lift_source == "scenario"
    assert plan.p_ai > plan.p_control  # warm hand-offs convert better, like for like
    assert plan.n_ai == math.ceil(0.25 * plan.n_control - 1e-9)
    assert 2 < plan.weeks < 30
    # Without like-for-like the control arm includes routine service calls: a far larger gap.
    mixed = pilot(scenario, rollout=0.2, replications=20, pilots=50, band_weeks=0,
                  like_for_like=False)  # fmt: skip
    assert mixed.p_control < plan.p_control


# ----------------------------------------------------------------------- rollout choice


def test_rollout_choice_keeps_completion_up():
    choice = rollout_choice(congested(), rollouts=(0.1, 0.3, 0.5), replications=10, seed=5)
    table = choice.table
    assert list(table["rollout"]) == [0.1, 0.3, 0.5]
    assert list(table["feasible"]) == list(table["completion_ci_low"] >= 0.8)
    # Completion falls as the AI (and its whisper) takes more calls ...
    assert table["completion_mean"].is_monotonic_decreasing
    # ... and the fastest rollout breaks it, so the choice is the fastest feasible one.
    fastest = table.loc[table["weeks_to_decision"].idxmin()]
    assert not fastest["feasible"]
    feasible = table[table["feasible"]]
    assert choice.choice == feasible.loc[feasible["weeks_to_decision"].idxmin(), "rollout"]
    assert choice.choice == 0.3
    assert table["chosen"].sum() == 1
    json.dumps(choice.to_dict(), allow_nan=False)

    relaxed = rollout_choice(congested(), rollouts=(0.1, 0.3, 0.5), replications=10, seed=5,
                             min_completion=0.7)  # fmt: skip
    assert relaxed.choice == 0.5
    strict = rollout_choice(congested(), rollouts=(0.1, 0.5), replications=10, seed=5,
                            min_completion=0.999, completion="ai")  # fmt: skip
    assert strict.choice is None
    assert not strict.table["feasible"].any()
    assert "no rollout" in strict.reason


def test_rollout_choice_reuses_results_on_common_random_numbers():
    scenario = congested()
    at_03 = simulate(pilot_scenario(scenario, 0.3), replications=10, seed=5)
    reused = rollout_choice(scenario, rollouts=(0.1, 0.3), replications=10, seed=5,
                            results={0.3: at_03})  # fmt: skip
    fresh = rollout_choice(scenario, rollouts=(0.1, 0.3), replications=10, seed=5)
    assert reused.table.equals(fresh.table)
    plan = pilot(scenario, rollout=0.3, replications=10, seed=5, pilots=50, band_weeks=0,
                 compare_rollouts=(0.1, 0.3))  # fmt: skip
    assert plan.rollouts_table().equals(fresh.table)
    assert plan.to_dict()["rollouts"]["choice"] == fresh.choice


# ----------------------------------------------------------------------- weekly bands


def test_weekly_bands_contain_the_true_rate_and_shrink_with_volume():
    low = weekly_bands(known(calls_per_day=100), rollout=0.2, weeks=4, replications=8, seed=1)
    high = weekly_bands(known(calls_per_day=400), rollout=0.2, weeks=4, replications=8, seed=1)
    for bands in (low, high):
        t = bands.table
        assert set(t["metric"]) == set(METRICS) - {"abandonment_rate"}
        assert list(t[(t["metric"] == "repeat_explain_rate")]["arm"].unique()) == ["ai"]
        conv = t[(t["metric"] == "post_transfer_conversion_rate") & (t["arm"] == "ai")]
        assert list(conv["week"]) == [1, 2, 3, 4]
        for prefix in ("week", "week_binomial", "to_date", "to_date_binomial"):
            assert (conv[f"{prefix}_low"] <= WARM).all()
            assert (WARM <= conv[f"{prefix}_high"]).all()
        control = t[(t["metric"] == "post_transfer_conversion_rate") & (t["arm"] == "control")]
        assert ((control["to_date_low"] <= COLD) & (COLD <= control["to_date_high"])).all()
        width = conv["to_date_high"] - conv["to_date_low"]
        assert (np.diff(width.to_numpy()) < 0).all()  # the rate to date settles week by week
        rx = t[t["metric"] == "repeat_explain_rate"]
        assert (rx["week_high"] == 0).all()  # nobody re-asks in this scenario
        json.dumps(bands.to_dict(), allow_nan=False)

    def width(bands, prefix):
        t = bands.table
        row = t[(t["metric"] == "post_transfer_conversion_rate") & (t["arm"] == "ai")].iloc[0]
        return row[f"{prefix}_high"] - row[f"{prefix}_low"]

    for prefix in ("week", "week_binomial"):
        assert width(high, prefix) < 0.7 * width(low, prefix)  # about 1/2 for 4× the calls


def test_plan_bands_come_from_the_same_replications(known_results):
    plan = pilot(known(), rollout=0.2, results=known_results, pilots=100, band_weeks=2)
    direct = weekly_bands(known(), rollout=0.2, weeks=2, results=known_results)
    assert plan.bands_table().equals(direct.table)


# ----------------------------------------------------------------------- public names


def test_old_callers_and_dataclasses_get_the_same_plan(known_results):
    """``sim.pilot(...)`` with flat keywords (as sim/cli.py, the dashboard and the notebook
    call it) and :func:`plan_pilot` with the settings as dataclasses give one plan."""
    flat = sim.pilot(known(), 0.2, lift=0.05, results=known_results, pilots=100, band_weeks=2)
    typed = plan_pilot(
        known(), PilotDesign(rollout=0.2, lift=0.05), check=PowerCheck(pilots=100),
        bands=BandSpec(weeks=2), results=known_results,
    )  # fmt: skip
    assert flat.to_dict() == typed.to_dict()
    assert sim.pilot.rollout_choice is rollout_choice
    assert sim.pilot.weekly_bands is weekly_bands
    assert isinstance(flat, sim.pilot.PilotPlan)


# ----------------------------------------------------------------------- bad input


@pytest.mark.parametrize("rollout", [0, -0.1, 1.5, float("nan"), "ten", True])
def test_rollout_outside_the_range(rollout):
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        pilot(known(), rollout=rollout)
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        weekly_bands(known(), rollout=rollout)
    with pytest.raises(ValueError, match=r"\(0, 1\]"):
        rollout_choice(known(), rollouts=(0.1, rollout))


def test_full_rollout_has_no_control_arm():
    with pytest.raises(ValueError, match="no control arm"):
        pilot(known(), rollout=1.0)
    bands = weekly_bands(known(), rollout=1.0, weeks=1, replications=2)
    assert set(bands.table["arm"]) == {"ai"}


def test_unknown_and_one_arm_metrics():
    with pytest.raises(ValueError, match="allowed metrics: post_transfer_conversion_rate"):
        pilot(known(), metric="conversion")
    with pytest.raises(ValueError, match="no control rate"):
        pilot(known(), metric="repeat_explain_rate")
    with pytest.raises(ValueError, match="allowed metrics"):
        rollout_choice(known(), metric="containment_rate")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lift": 0}, "non-zero"),
        ({"relative_lift": 0.0}, "non-zero"),
        ({"relative_lift": -1.5}, "above -1"),
        ({"lift": 0.1, "relative_lift": 0.1}, "not both"),
        ({"alpha": 1.2}, "alpha"),
        ({"power": 0}, "power"),
        ({"replications": 0}, "replications"),
    ],
)
def test_bad_settings_fail_before_simulating(kwargs, message):
    with pytest.raises(ValueError, match=message):
        pilot(known(), rollout=0.2, **kwargs)


@pytest.mark.parametrize("kwargs", [{"lift": 0.85}, {"lift": -0.25}, {"relative_lift": 4.0}])
def test_lift_beyond_a_probability(known_results, kwargs):
    with pytest.raises(ValueError, match=r"outside \(0, 1\)"):
        pilot(known(), rollout=0.2, results=known_results, **kwargs)


def test_metric_without_units_in_an_arm():
    nobody_escalates = known(call_types={"general": {"share": 1.0, "containment": 1.0}})
    with pytest.raises(ValueError, match="AI arm has no"):
        pilot(nobody_escalates, rollout=0.2, lift=0.05, replications=2)


def test_ai_off_scenario_is_piloted_with_the_ai_on():
    off = known(ai={"enabled": False})
    variant = pilot_scenario(off, 0.2)
    assert variant.ai.enabled
    assert variant.ai.rollout == 0.2
    plan = pilot(off, rollout=0.2, replications=4, pilots=50, band_weeks=0)
    assert any("AI off" in note for note in plan.notes)
