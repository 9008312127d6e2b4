"""The pilot's guard on transfer completion is the scenario's ``targets.transfer_completion``:
the rollout comparison's floor, the plan's target and the headline's staff-up sentence."""

from __future__ import annotations

from sim import load_scenario
from sim.paths import shipped_scenarios
from sim.pilot import pilot, rollout_choice


def test_the_pilot_guards_completion_with_the_scenario_target():
    scenario = load_scenario(
        shipped_scenarios()["small_agency"], {"days": 2, "targets.transfer_completion": 0.97}
    )
    plan = pilot(scenario, rollout=0.15, replications=3, seed=1, compare_rollouts=[0.1, 0.15])
    assert plan.completion_target == 0.97
    assert plan.rollouts is not None
    assert plan.rollouts.min_completion == 0.97
    # four producers complete well under 97% of transfers: the headline says staff up first
    assert plan.transfer_completion < 0.97
    assert "the scenario's target: at least 97%" in plan.headline
    # the low bound is below the target at every rollout, so none is chosen
    assert plan.rollouts.choice is None
    assert "0.97" in plan.rollouts.reason


def test_rollout_choice_defaults_to_the_scenario_target():
    scenario = load_scenario(
        shipped_scenarios()["small_agency"], {"days": 2, "targets.transfer_completion": 0.5}
    )
    choice = rollout_choice(scenario, rollouts=[0.1, 0.2], replications=5, seed=1)
    assert choice.min_completion == 0.5
    assert choice.choice is not None  # completion is far above 50% at these rollouts
