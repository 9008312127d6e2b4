"""The plan in words: every number in PilotPlan.headline is one of the plan's own fields
(formatted for people, weeks rounded up), and the tables for people fit 80 columns with
labelled headers."""

from __future__ import annotations

import math
import re

import pytest

from sim import load_scenario
from sim.paths import SCENARIOS_DIR
from sim.pilot import pilot
from tests.sim.scenario_builders import build, fixed

SIZING = re.compile(
    r"Run the pilot at (?P<rollout>[\d.]+)% of calls for (?P<weeks>\d+) weeks?: "
    r"(?P<n_ai>[\d,]+) AI and (?P<n_control>[\d,]+) control (?P<unit>[a-z ]+), enough to "
    r"detect (?P<label>[a-z -]+) moving from (?P<p1>[\d.]+)% to (?P<p2>[\d.]+)% "
    r"\((?P<points>[+-][\d.]+) points, (?P<source>[^)]+)\) with (?P<power>\d+)% power at "
    r"α = (?P<alpha>[\d.]+)\."
)
POWER = re.compile(
    r"detected (?:it|the scenario's own effect \((?P<own>[+-][\d.]+) points\)) "
    r"(?P<share>\d+)% of the time \(95% CI (?P<low>\d+)%–(?P<high>\d+)%\)"
)
STAFF = re.compile(r"only (?P<completion>\d+)% of transfers reach a producer")


def well_staffed():
    """Every transfer connects; warm transfers convert at 30%, cold at 20%."""
    return build(
        days=5,
        inbound={"calls_per_day": 100},
        ai={"enabled": True, "rollout": 0.2, "lines": 500, "talk_minutes": fixed(1.0)},
        call_types={"general": {"share": 1.0, "containment": 0.0}},
        intake={"capture_rate": 1.0},
        outcomes={"conversion_warm": 0.3, "conversion_cold": 0.2, "repeat_explain_rate": 0.0},
    )


@pytest.fixture(scope="module")
def plans():
    small = load_scenario(SCENARIOS_DIR / "small_agency.toml")
    return {
        "own lift, understaffed": pilot(small, 0.15, replications=8, seed=4, pilots=200,
                                        band_weeks=0),
        "asked lift, staffed": pilot(well_staffed(), 0.2, lift=0.05, replications=8, seed=3,
                                     pilots=200, band_weeks=0),
    }  # fmt: skip


def number(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.mark.parametrize("name", ["own lift, understaffed", "asked lift, staffed"])
def test_headline_numbers_are_the_plans_fields(plans, name):
    plan = plans[name]
    text = plan.headline
    m = SIZING.match(text)
    assert m, text
    assert float(m["rollout"]) / 100 == pytest.approx(plan.rollout)
    # Weeks rounded up, from the two arms' needs and weekly volumes (the slower arm decides).
    weeks = max(plan.n_control / plan.weekly_control, plan.n_ai / plan.weekly_ai)
    assert number(m["weeks"]) == math.ceil(weeks)
    assert number(m["n_ai"]) == plan.n_ai
    assert number(m["n_control"]) == plan.n_control
    assert m["unit"] == "connected transfers"
    assert m["label"] == "post-transfer conversion"
    assert float(m["p1"]) == pytest.approx(100 * plan.p_control, abs=0.05)
    assert float(m["p2"]) == pytest.approx(100 * plan.p_target, abs=0.05)
    assert float(m["points"]) == pytest.approx(100 * (plan.p_target - plan.p_control), abs=0.05)
    assert m["source"] == ("as asked" if plan.lift_source == "requested"
                           else "the scenario's own effect")  # fmt: skip
    assert number(m["power"]) == round(100 * plan.power)
    assert float(m["alpha"]) == plan.alpha

    p = POWER.search(text)
    assert p, text
    assert number(p["share"]) == round(100 * plan.simulated_power)
    assert number(p["low"]) == round(100 * plan.simulated_power_ci_low)
    assert number(p["high"]) == round(100 * plan.simulated_power_ci_high)
    if plan.lift_source == "requested":
        assert float(p["own"]) == pytest.approx(100 * plan.observed_lift, abs=0.05)

    staff = STAFF.search(text)
    assert (staff is not None) == (plan.transfer_completion < 0.80)
    if staff:
        assert number(staff["completion"]) == round(100 * plan.transfer_completion)
    assert plan.to_dict()["headline"] == text


def test_one_week_and_rounding_up(plans):
    import dataclasses

    plan = plans["asked lift, staffed"]
    assert "for 9 weeks" in dataclasses.replace(plan, weeks=8.01).headline
    assert "for 8 weeks" in dataclasses.replace(plan, weeks=8.0).headline
    assert "for 1 week:" in dataclasses.replace(plan, weeks=0.4).headline


def natural_width(table) -> int:
    """Width of the table drawn with one space of padding and a rule between columns."""
    widths = [max(len(str(c)), *(len(str(v)) for v in table[c])) for c in table.columns]
    return sum(widths) + 3 * len(widths) + 1


@pytest.mark.parametrize("name", ["own lift, understaffed", "asked lift, staffed"])
def test_tables_for_people_fit_80_columns(plans, name):
    table = plans[name].display_table()
    assert list(table.columns) == ["Per arm", "AI arm", "Control arm"]
    assert natural_width(table) <= 80
    assert all(isinstance(v, str) for v in table.to_numpy().ravel())


def test_rollout_table_fits_80_columns():
    from sim.pilot import rollout_choice

    small = load_scenario(SCENARIOS_DIR / "small_agency.toml")
    choice = rollout_choice(small, (0.1, 0.125, 0.15, 0.175, 0.2), replications=3, seed=2)
    table = choice.display_table()
    assert list(table.columns) == [
        "Rollout", "Weeks", "AI arm n", "Control n", "Completion", "Low 95%", "Verdict",
    ]  # fmt: skip
    assert list(table["Rollout"]) == ["10%", "12.5%", "15%", "17.5%", "20%"]
    assert natural_width(table) <= 80
    verdicts = dict(zip(choice.table["rollout"], table["Verdict"], strict=True))
    for _, row in choice.table.iterrows():
        expected = "chosen" if row["chosen"] else ("ok" if row["feasible"] else "too low")
        assert verdicts[row["rollout"]] == expected
