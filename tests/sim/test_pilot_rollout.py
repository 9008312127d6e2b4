"""One pilot answer: the rollout comparison's row for rollout r is exactly what pilot(r) answers
at the same replications and seed, inside a plan and on its own, in the tables and in the JSON.

The issue this guards against: at 15% the headline said 9.2 weeks while the "which rollout"
table said 6.5, because the table ran its own (fewer) replications and averaged the lift over
all rollouts."""

from __future__ import annotations

import math

import pytest

from sim import load_scenario
from sim.paths import SCENARIOS_DIR
from sim.pilot import pilot, rollout_choice

ROLLOUTS = (0.1, 0.15, 0.2)
SAME = {  # plan field → rollout-table column
    "p_control": "p_control",
    "p_ai": "p_ai",
    "p_target": "p_target",
    "lift": "lift",
    "lift_source": "lift_source",
    "n_control": "n_control",
    "n_ai": "n_ai",
    "weekly_control": "weekly_control",
    "weekly_ai": "weekly_ai",
    "weeks": "weeks_to_decision",
    "whole_weeks": "whole_weeks",
    "transfer_completion": "completion_all_mean",
    "transfer_completion_ai": "completion_ai_mean",
}


@pytest.fixture(scope="module")
def small():
    return load_scenario(SCENARIOS_DIR / "small_agency.toml")


def assert_row_is_plan(row, plan) -> None:
    for field, column in SAME.items():
        assert row[column] == getattr(plan, field), f"{column} != plan.{field}"
    # The formula's pilot length (the plan evaluates power at it unless pilot_weeks is given).
    assert row["pilot_days"] == math.ceil(plan.weeks * plan.days_per_week - 1e-9)


@pytest.mark.parametrize("lift", [None, 0.06])
def test_each_row_is_pilot_at_that_rollout(small, lift):
    choice = rollout_choice(small, ROLLOUTS, lift=lift, replications=6, seed=11)
    assert choice.replications == 6
    for r in ROLLOUTS:
        plan = pilot(small, r, lift=lift, replications=6, seed=11, band_weeks=0, pilots=50)
        assert_row_is_plan(choice.row(r), plan)
    # With no lift asked every row sizes its own rollout's effect (not one pooled lift).
    if lift is None:
        assert choice.table["lift"].nunique() == len(ROLLOUTS)
        assert (choice.table["lift"] == choice.table["p_ai"] - choice.table["p_control"]).all()
        assert any("differ by chance" in note for note in choice.notes)  # and it says so
    else:
        assert choice.table["lift"].tolist() == pytest.approx([lift] * len(ROLLOUTS))
        assert choice.notes == []


def test_plan_with_automatic_replications_compares_at_its_own(small):
    """Automatic replications: the comparison runs every rollout at the plan's final count and
    seed; the plan's own row is its headline, the others are pilot() at that count."""
    plan = pilot(small, 0.15, seed=5, max_replications=24, pilots=50, band_weeks=0,
                 compare_rollouts=ROLLOUTS)  # fmt: skip
    assert plan.replications > 20  # grown past the first batch, so not the old fixed count
    choice = plan.rollouts
    assert choice.replications == plan.replications
    assert_row_is_plan(choice.row(0.15), plan)
    other = pilot(small, 0.2, replications=plan.replications, seed=5, pilots=50, band_weeks=0)
    assert_row_is_plan(choice.row(0.2), other)
    # The JSON carries the same numbers in both places, and the headline's weeks.
    data = plan.to_dict()
    row = next(r for r in data["rollouts"]["rollouts"] if r["rollout"] == 0.15)
    for field, column in SAME.items():
        assert row[column] == data[field]
    assert data["whole_weeks"] == row["whole_weeks"] == math.ceil(plan.weeks)
    assert f"for {row['whole_weeks']} weeks" in data["headline"]


def test_the_shown_tables_agree(small):
    plan = pilot(small, 0.15, replications=6, seed=3, pilots=50, band_weeks=0,
                 compare_rollouts=ROLLOUTS)  # fmt: skip
    shown = plan.rollouts.display_table()
    mine = shown[shown["Rollout"] == "15%"].iloc[0]
    assert mine["Weeks"] == f"{math.ceil(plan.weeks)} ({plan.weeks:.1f})"
    assert mine["AI arm n"] == f"{plan.n_ai:,}"
    assert mine["Control n"] == f"{plan.n_control:,}"
    arms = plan.display_table().set_index("Per arm")
    assert arms.loc["Connected transfers needed", "AI arm"] == mine["AI arm n"]
    assert arms.loc["Connected transfers needed", "Control arm"] == mine["Control n"]
