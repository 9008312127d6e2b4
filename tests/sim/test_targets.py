"""The scenario's ``[targets]``: defaults, validation naming the key, verdicts per KPI, and that
targets judge results without changing them."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim import ScenarioError, load_scenario, simulate
from sim.paths import shipped_scenarios
from sim.staffing import Targets
from sim.targets import TARGET_KPIS, ServiceTargets, verdicts


def test_defaults_are_the_field_benchmarks():
    t = ServiceTargets()
    assert (t.transfer_completion, t.max_abandonment, t.service_level, t.max_occupancy) == (
        0.80,
        0.05,
        0.80,
        0.85,
    )
    scenario = load_scenario(shipped_scenarios()["small_agency"])
    assert scenario.targets == t


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("max_abandonment", 2, "less than or equal to 1"),
        ("service_level", math.nan, "finite"),
        ("transfer_completion", math.inf, "finite"),
        ("transfer_completion", 1.0, "less than 1"),
        ("max_occupancy", 0, "greater than 0"),
        ("service_levels", 0.8, "unknown key"),
    ],
)
def test_bad_targets_name_the_key(key, value, message):
    with pytest.raises(ScenarioError) as err:
        load_scenario(shipped_scenarios()["small_agency"], {f"targets.{key}": value})
    assert f"targets.{key}" in str(err.value)
    assert message in str(err.value)


def test_staffing_takes_the_scenario_targets():
    scenario = load_scenario(
        shipped_scenarios()["small_agency"],
        {"targets.max_abandonment": 0.08, "targets.service_level": 0.7},
    )
    t = Targets.from_scenario(scenario)
    assert (t.max_abandonment, t.service_level, t.transfer_completion, t.max_occupancy) == (
        0.08,
        0.7,
        0.8,
        0.85,
    )
    assert Targets.from_scenario(scenario, service_level=None).service_level is None


def _summary(**rows):
    return pd.DataFrame.from_dict(rows, orient="index", columns=["mean", "ci_low", "ci_high"])


def test_verdicts_at_the_mean_and_at_the_pessimistic_bound():
    summary = _summary(
        transfer_completion_rate=(0.83, 0.78, 0.88),
        abandonment_rate=(0.04, 0.03, 0.06),
        service_level=(0.79, 0.75, 0.83),
        producer_occupancy=(0.70, 0.65, 0.75),
    )
    at_mean = verdicts(ServiceTargets(), summary)
    assert {k: v.met for k, v in at_mean.items()} == {
        "transfer_completion_rate": True,
        "abandonment_rate": True,
        "service_level": False,
        "producer_occupancy": True,
    }
    at_bound = verdicts(ServiceTargets(), summary, at="bound")
    assert at_bound["transfer_completion_rate"].value == 0.78  # the lower bound
    assert at_bound["abandonment_rate"].value == 0.06  # the upper bound
    assert not at_bound["transfer_completion_rate"].met
    assert not at_bound["abandonment_rate"].met
    assert at_mean["service_level"].describe() == "misses target ≥ 80.0%"
    assert at_mean["abandonment_rate"].describe() == "meets target ≤ 5.0%"


def test_missing_figure_is_no_verdict():
    summary = _summary(abandonment_rate=(math.nan, math.nan, math.nan))
    v = verdicts(ServiceTargets(), summary)
    assert list(v) == ["abandonment_rate"]
    assert v["abandonment_rate"].met is None
    assert v["abandonment_rate"].describe() == "target ≤ 5.0%"


def test_every_target_judges_a_known_kpi():
    from sim.kpis import KPIS

    assert {spec.key for spec in TARGET_KPIS} == set(ServiceTargets.model_fields)
    assert all(spec.kpi in KPIS for spec in TARGET_KPIS)


def test_targets_do_not_change_what_is_simulated():
    path = shipped_scenarios()["small_agency"]
    base = load_scenario(path, {"days": 1})
    strict = load_scenario(path, {"days": 1, "targets.max_abandonment": 0.01})
    a = simulate(base, replications=2, seed=3).kpis
    b = simulate(strict, replications=2, seed=3).kpis
    pd.testing.assert_frame_equal(a, b)
