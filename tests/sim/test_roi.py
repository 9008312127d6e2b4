"""ROI: the scenario against its all-human baseline on common random numbers, money computed
as documented, the tornado's repricing shortcut equal to a full re-simulation, and growth."""

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
            direct = compare(derive(small, end), replications=4, seed=3).monthly_gain
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
    result = compare(costly, replications=2, seed=1)
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
