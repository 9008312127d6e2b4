"""ROI: the scenario against its all-human baseline on common random numbers, money computed
as documented, the breakdown adding up to the net gain (its parts counted again from the calls),
a staffed baseline meeting the targets, the tornado's repricing shortcut equal to a full
re-simulation, the precision option, and growth."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim import load_scenario
from sim.loader import derive
from sim.paths import shipped_scenarios
from sim.roi import WEEKS_PER_MONTH, compare, default_ranges, growth, sensitivity


@pytest.fixture(scope="module")
def small():
    return load_scenario(shipped_scenarios()["small_agency"], {"days": 5})


@pytest.fixture(scope="module")
def comparison(small):
    """Like for like: the baseline keeps the AI scenario's producers."""
    return compare(small, replications=4, seed=3, baseline="same")


@pytest.fixture(scope="module")
def staffed(small):
    return compare(small, replications=4, seed=3)


def test_same_callers_in_both_arms(comparison):
    ai, human = comparison.ai.calls, comparison.human.calls
    for column in ("arrival", "call_type", "trigger", "direction", "routine"):
        pd.testing.assert_series_equal(ai[column], human[column])
    assert comparison.baseline.ai.enabled is False
    assert (human["path"].isin(["human", "none"])).all()


def test_money_as_documented(comparison, small):
    ai, human = comparison.ai_metrics, comparison.human_metrics
    k = comparison.human.kpis
    # All-human intake: every answered call at the human price.
    assert np.allclose(human["intake_cost"], k["calls"] * small.costs.human_cost_per_call)
    assert (human["ai_minutes"] == 0).all()
    # AI arm: minutes × price, platform fee prorated to the simulated weeks.
    ka = comparison.ai.kpis
    assert np.allclose(ai["ai_cost"], ka["ai_minutes"] * small.ai.cost_per_minute)
    weeks = small.days / small.hours.days_per_week
    assert np.allclose(ai["platform_cost"], small.costs.platform_monthly * weeks / WEEKS_PER_MONTH)
    assert np.allclose(ai["net_value"], ai["revenue"] - ai["total_cost"])
    assert np.allclose(ai["net_value_per_month"], ai["net_value"] / weeks * WEEKS_PER_MONTH)
    # Same roster in both arms.
    assert np.allclose(ai["producer_cost"], human["producer_cost"])


def test_paired_difference_and_payback(comparison, small):
    table = comparison.table
    diff = (comparison.ai_metrics["net_value_per_month"]
            - comparison.human_metrics["net_value_per_month"])  # fmt: skip
    assert table.loc["net_value_per_month", "difference"] == pytest.approx(diff.mean())
    assert comparison.monthly_gain == pytest.approx(diff.mean())
    assert comparison.payback_months == pytest.approx(small.costs.setup / diff.mean())
    ratio = (comparison.human_metrics["intake_cost_per_contact"].mean()
             / comparison.ai_metrics["intake_cost_per_contact"].mean())  # fmt: skip
    assert comparison.intake_cost_ratio == pytest.approx(ratio)


def test_ai_intake_is_an_order_of_magnitude_cheaper(comparison):
    """At $0.10/min and $10/call the intake cost ratio is far above 1 (the field claims ~10×)."""
    assert comparison.intake_cost_ratio > 10


def test_repricing_equals_resimulation(small, comparison):
    """Prices do not change what happens to callers, so the tornado's shortcut (reprice the base
    run) must give exactly what a full re-simulation at the new prices gives."""
    ranges = [r for r in default_ranges(small) if not r.resimulate]
    tornado = sensitivity(small, ranges=ranges, base=comparison)
    for _, row in tornado.iterrows():
        spec = next(r for r in ranges if r.name == row["input"])
        for end, column in ((spec.low, "gain_at_low"), (spec.high, "gain_at_high")):
            direct = compare(derive(small, end), replications=4, seed=3,
                             baseline="same").monthly_gain  # fmt: skip
            assert row[column] == pytest.approx(direct, rel=1e-9)


def test_tornado_is_ranked_and_complete(small, comparison):
    tornado = sensitivity(small, base=comparison)
    assert list(tornado["swing"]) == sorted(tornado["swing"], reverse=True)
    assert set(tornado["input"]) == {
        "AI price per minute", "Human intake per call", "AI containment",
        "Qualified-interest share", "Warm conversion",
    }  # fmt: skip
    price = tornado.set_index("input").loc["AI price per minute"]
    assert price["gain_at_low"] > price["gain_at_high"]  # dearer AI, smaller gain
    human = tornado.set_index("input").loc["Human intake per call"]
    assert human["gain_at_high"] > human["gain_at_low"]  # dearer humans, bigger gain


def test_no_ai_is_refused(small):
    with pytest.raises(ValueError, match="AI is off"):
        compare(derive(small, {"ai.enabled": False}))


def test_payback_never_when_ai_loses(small):
    """An absurd platform fee makes the AI lose money: payback is infinite."""
    costly = derive(small, {"costs.platform_monthly": 10_000_000.0})
    result = compare(costly, replications=2, seed=1, baseline="same")
    assert result.monthly_gain < 0
    assert math.isinf(result.payback_months)


def test_growth_table_and_verdict(small):
    table, verdict = growth(derive(small, {"days": 2}), factors=(1.0, 2.0), replications=3,
                            seed=2)  # fmt: skip
    assert set(table["arm"]) == {"ai", "all_human"}
    hours = table.set_index(["volume_factor", "arm"])["producer_hours_per_day"]
    assert hours[(2.0, "ai")] > hours[(1.0, "ai")]
    assert hours[(2.0, "all_human")] > hours[(2.0, "ai")]
    assert "Claim" in verdict
    assert "×2" in verdict


# --- the staffed baseline and the breakdown ---------------------------------------------------


@pytest.mark.parametrize("which", ["comparison", "staffed"])
def test_breakdown_adds_up_to_the_net_gain(which, request):
    c = request.getfixturevalue(which)
    parts = c.breakdown_by_replication()
    gain = c.ai_metrics["net_value_per_month"] - c.human_metrics["net_value_per_month"]
    np.testing.assert_allclose(parts.sum(axis=1), gain, rtol=1e-9, atol=1e-6)
    assert sum(c.breakdown().values()) == pytest.approx(c.monthly_gain)
    # the money parts are the arms' own figures
    per_month = WEEKS_PER_MONTH / (c.scenario.days / c.scenario.hours.days_per_week)
    intake = (c.human_metrics["intake_cost"] - c.ai_metrics["intake_cost"]).mean() * per_month
    assert c.breakdown()["intake"] == pytest.approx(intake)
    assert c.breakdown()["platform_fees"] == pytest.approx(-c.scenario.costs.platform_monthly)


def test_revenue_on_calls_the_ai_resolves_counted_from_the_calls(staffed):
    """Sales the baseline made on the very callers the AI arm contained, counted directly."""
    a, b = staffed.ai.calls, staffed.human.calls
    assert (a["call_id"].to_numpy() == b["call_id"].to_numpy()).all()
    counted = a["arrival"].to_numpy() >= staffed.scenario.warmup_minutes
    contained = (a["outcome"] == "contained").to_numpy() & counted
    sold = b["converted"].to_numpy(bool) & contained
    per_month = WEEKS_PER_MONTH / (staffed.scenario.days / staffed.scenario.hours.days_per_week)
    rev = staffed.scenario.costs.revenue_per_policy
    want = -sold.sum() / staffed.replications * rev * per_month
    assert staffed.breakdown()["revenue_on_calls_the_ai_resolves"] == pytest.approx(want)
    assert want < 0  # the baseline's producers sell something to callers the AI resolves


def test_like_for_like_saves_no_producer_time(comparison):
    assert comparison.breakdown()["producer_time"] == pytest.approx(0)
    assert comparison.baseline_kind == "same"
    assert comparison.plan is None


@pytest.mark.parametrize(
    ("name", "overrides"), [("small_agency", {}), ("regional_call_center", {"days": 3})]
)
def test_staffed_baseline_meets_the_targets(name, overrides):
    """The default baseline meets the completion target at its lower confidence bound, and its
    abandonment is no worse than the AI arm's by more than 3 points."""
    scenario = load_scenario(shipped_scenarios()[name], overrides)
    c = compare(scenario, replications=4, seed=11)
    assert c.baseline_kind == "staffed"
    assert c.plan is not None
    human, ai = c.arm("all_human")["kpis"], c.arm("ai")["kpis"]
    assert human["transfer_completion_rate"]["ci_low"] >= scenario.targets.transfer_completion
    assert human["abandonment_rate"]["mean"] <= ai["abandonment_rate"]["mean"] + 0.03
    # its producers are the plan's, rostered interval by interval
    hours = c.plan.totals()["producer_hours_per_day"].sum()
    assert c.arm("all_human")["producer_hours_per_day"] == pytest.approx(hours)


def test_json_contract(staffed):
    d = staffed.to_dict()
    assert d["baseline"] == "staffed"
    assert set(d["arms"]) == {"ai", "all_human"}
    for arm in d["arms"].values():
        assert set(arm) == {"kpis", "producer_hours_per_day"}
        assert set(arm["kpis"]["transfer_completion_rate"]) == {"mean", "ci_low", "ci_high"}
    assert set(d["net_gain_monthly"]) == {"mean", "ci_low", "ci_high"}
    assert sum(d["breakdown"].values()) == pytest.approx(d["net_gain_monthly"]["mean"])
    assert (d["replications"], d["days"]) == (4, 5)


def test_precision_adds_replications_until_narrow_enough(small):
    from sim.roi import compare_to_precision

    base = compare(small, replications=3, seed=3, baseline="same")
    width = base.net_gain()["ci_high"] - base.net_gain()["ci_low"]
    loose = compare_to_precision(small, width * 2, 20, replications=3, seed=3, baseline="same")
    assert loose.replications == 3
    assert loose.precision["reached"]
    tight = compare_to_precision(small, width / 2, 8, replications=3, seed=3, baseline="same")
    assert 3 < tight.replications <= 8
    got = tight.net_gain()["ci_high"] - tight.net_gain()["ci_low"]
    assert tight.precision["width"] == pytest.approx(got)
    if not tight.precision["reached"]:
        assert any("wider than" in w for w in tight.warnings())


def test_surprising_tornado_sign_is_explained(comparison):
    from sim.roi import explain

    row = pd.Series({"input": "AI containment", "gain_at_low": 10.0, "gain_at_high": 5.0})
    assert "never meets a producer" in explain(row, comparison)
    row = pd.Series({"input": "AI containment", "gain_at_low": 5.0, "gain_at_high": 10.0})
    assert explain(row, comparison) is None
