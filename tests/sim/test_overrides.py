"""``sim.overrides``: the one ``key=value`` / ``--grid`` parser, the scenario levers and the
scenario fingerprint, checked by hand on the shipped scenarios."""

from __future__ import annotations

import math
import re

import pytest

import sim
from sim import overrides as ov
from sim.loader import ScenarioError, derive
from sim.paths import SCENARIOS_DIR


@pytest.fixture(scope="module")
def small() -> sim.Scenario:
    return sim.load_scenario(SCENARIOS_DIR / "small_agency.toml")


@pytest.fixture(scope="module")
def regional() -> sim.Scenario:
    return sim.load_scenario(SCENARIOS_DIR / "regional_call_center.toml")


def _changed(before: sim.Scenario, after: sim.Scenario) -> dict[str, tuple]:
    """The leaf keys (dotted) whose values differ between two scenarios."""
    out: dict[str, tuple] = {}

    def walk(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict):
            for key in a.keys() | b.keys():
                walk(a.get(key), b.get(key), f"{path}.{key}" if path else str(key))
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                walk(x, y, f"{path}.{i}")
        elif a != b:
            out[path] = (a, b)

    walk(before.model_dump(mode="json"), after.model_dump(mode="json"), "")
    return out


# --- values and --set -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("5", 5),
        ("0.2", 0.2),
        ("true", True),
        ('"a, b"', "a, b"),
        ("[1, 2]", [1, 2]),
        ('{dist = "exponential", mean = 1.0}', {"dist": "exponential", "mean": 1.0}),
        ("ET", "ET"),
        ("hello world", "hello world"),
    ],
)
def test_values_are_toml_literals_or_text(raw, value):
    assert ov.parse_value(raw) == value
    assert type(ov.parse_value(raw)) is type(value)


def test_set_items_become_dotted_keys():
    parsed = ov.parse_overrides(
        ["ai.rollout=0.2", " destinations.0.producers = 5 ", "hours.zone=America/Chicago"]
    )
    assert parsed == {
        "ai.rollout": 0.2,
        "destinations.0.producers": 5,
        "hours.zone": "America/Chicago",
    }
    assert ov.parse_overrides({"ai.rollout": 0.3}) == {"ai.rollout": 0.3}
    assert ov.parse_overrides("ai.rollout=0.3") == {"ai.rollout": 0.3}  # one item, not letters
    assert ov.parse_overrides(["days=1", "days=2"]) == {"days": 2}  # the last one wins


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["ai.rollout"], "--set: override 'ai.rollout' must look like key=value"),
        (["=3"], "--set: override '=3' must look like key=value"),
        (["ai..rollout=1"], "--set: ai..rollout: not a key path; write a dotted key path such as "
                            "ai.rollout or destinations.0.producers"),
        (["ai.rollout.=1"], "--set: ai.rollout.: not a key path"),
    ],
)  # fmt: skip
def test_set_mistakes_name_the_option_the_key_and_what_is_allowed(items, message):
    with pytest.raises(ScenarioError, match=re.escape(message)):
        ov.parse_overrides(items)


def test_a_list_index_reaches_into_a_list(small):
    scenario = sim.scenario_from_dict(
        small.model_dump(mode="json", exclude_none=True),
        overrides=ov.parse_overrides(["destinations.0.producers=7"]),
    )
    assert scenario.destinations[0].producers == 7
    with pytest.raises(ScenarioError, match=r"destinations\.5\.producers: index 5 out of range"):
        sim.scenario_from_dict(
            small.model_dump(mode="json", exclude_none=True),
            overrides=ov.parse_overrides(["destinations.5.producers=7"]),
        )


# --- --grid ----------------------------------------------------------------------------------


def test_grid_values_are_toml_like_set_values():
    assert ov.parse_grid(["destinations.0.producers=3,4,5", "hours.zone=ET,CT"]) == {
        "destinations.0.producers": [3, 4, 5],
        "hours.zone": ["ET", "CT"],
    }
    assert ov.parse_grid('name="a, b","c"') == {"name": ["a, b", "c"]}
    assert ov.parse_grid(["x=1,true,1.0"]) == {"x": [1, True, 1.0]}


@pytest.mark.parametrize(
    ("items", "message"),
    [
        (["ai.rollout"], "--grid: 'ai.rollout' must look like key=value1,value2,…"),
        (["ai.rollout="], "--grid: ai.rollout: no values"),
        (["ai.rollout=0.1,,0.2"], "--grid: ai.rollout: empty value"),
        (["ai.rollout=0.1", "ai.rollout=0.2"], "--grid: ai.rollout: given twice"),
        (["ai.rollout=0.1,0.1"], "--grid: ai.rollout: value 0.1 listed twice"),
        ([".rollout=0.1"], "--grid: .rollout: not a key path"),
    ],
)
def test_grid_mistakes_name_the_option_and_the_key(items, message):
    with pytest.raises(ScenarioError, match=re.escape(message)):
        ov.parse_grid(items)


def test_the_sweep_uses_this_parser():
    from sim import sweep

    assert sweep.parse_grid is ov.parse_grid
    with pytest.raises(ScenarioError, match="--grid: x: values must be a list"):
        ov.check_values("x", "abc")


# --- levers ----------------------------------------------------------------------------------


def test_all_human_turns_the_ai_off_and_says_so(small):
    baseline = ov.all_human(small)
    assert _changed(small, baseline) == {
        "ai.enabled": (True, False),
        "name": (small.name, f"{small.name} (all human)"),
    }
    assert ov.all_human_overrides(small) == {"ai.enabled": False, "name": baseline.name}


def test_the_roi_baseline_is_all_human(small):
    from sim import roi

    assert roi.all_human_baseline(small) == ov.all_human(small)


def test_with_rollout_sets_the_share_and_turns_the_ai_on(small):
    off = ov.all_human(small)
    pilot = ov.with_rollout(off, 0.15)
    assert pilot.ai.enabled
    assert pilot.ai.rollout == 0.15
    assert set(_changed(off, pilot)) == {"ai.enabled", "ai.rollout"}
    assert ov.with_rollout(pilot, 0.15) is pilot
    with pytest.raises(ScenarioError, match=r"ai\.rollout"):
        ov.with_rollout(small, 1.5)


def test_the_pilot_scenario_is_with_rollout(small):
    from sim.pilot import pilot_scenario

    assert pilot_scenario(small, 0.2) == ov.with_rollout(small, 0.2)


@pytest.mark.parametrize("factor", [0.0, 0.8, 1.2, 10.0])
def test_scale_containment_multiplies_every_containment_capped_at_one(regional, factor):
    scaled = ov.scale_containment(regional, factor)
    for name, ct in regional.call_types.items():
        assert scaled.call_types[name].containment == min(1.0, ct.containment * factor)
    if regional.outbound is not None:
        expected = min(1.0, regional.outbound.containment * factor)
        assert scaled.outbound.containment == expected
    assert all(key.endswith(".containment") for key in _changed(regional, scaled))


def test_containment_by_hand(small):
    halved = ov.scale_containment(small, 0.5)
    for name, ct in small.call_types.items():
        assert math.isclose(halved.call_types[name].containment, ct.containment / 2)
        assert halved.call_types[name].model_copy(update={"containment": ct.containment}) == ct
    assert ov.scale_containment(small, 1.0) == small


def test_containment_of_a_call_type_whose_name_holds_a_dot(small):
    """A call type named "renewal v2.1" (or a pasted URL) broke the containment lever and the
    ROI tornado: its dotted override key split the name."""
    types = {name: ct.model_dump(mode="json", exclude_none=True)
             for name, ct in small.call_types.items()}  # fmt: skip
    first = next(iter(types))
    types["renewal v2.1"] = types.pop(first)
    dotted = derive(small, {"call_types": types})
    assert "renewal v2.1" in dotted.call_types
    scaled = ov.scale_containment(dotted, 0.5)
    for name, ct in dotted.call_types.items():
        assert math.isclose(scaled.call_types[name].containment, ct.containment / 2)


def test_scale_volume_scales_inbound_and_outbound(small):
    grown = ov.scale_volume(small, 1.5)
    assert grown.inbound.calls_per_day == small.inbound.calls_per_day * 1.5
    assert grown.outbound.contacts_per_week == small.outbound.contacts_per_week * 1.5
    assert set(_changed(small, grown)) == {"inbound.calls_per_day", "outbound.contacts_per_week"}


def test_with_producers_sets_one_group(regional):
    staffed = ov.with_producers(regional, 1, 9)
    assert _changed(regional, staffed) == {
        "destinations.1.producers": (regional.destinations[1].producers, 9)
    }


def test_with_rosters_sets_each_groups_roster(small):
    need = math.ceil((small.hours.close_minute - small.hours.open_minute) / 60)
    roster = [1 + k % 3 for k in range(need)]
    rostered = ov.with_rosters(small, [roster], 60)
    assert rostered.destinations[0].roster.producers == roster
    assert rostered.destinations[0].roster.interval_minutes == 60
    assert ov.with_rosters(small, {0: roster}, 60) == rostered
    assert ov.roster_overrides({0: (2.0, 3)}, 30) == {
        "destinations.0.roster": {"interval_minutes": 30, "producers": [2, 3]}
    }
    with pytest.raises(ScenarioError, match=r"destinations\.0\.roster\.producers"):
        ov.with_rosters(small, [roster[:-1]], 60)


def test_the_staffing_plan_rosters_are_these_overrides():
    from sim.staffing_cells import Grid

    scenario = sim.load_scenario(SCENARIOS_DIR / "minimal_queue.toml")
    grid = Grid(scenario, 30)
    roster = [[2] * grid.k for _ in grid.groups]
    assert grid.overrides(roster) == ov.roster_overrides(roster, 30)


def test_levers_combine_as_overrides(small):
    both = derive(small, {**ov.containment_overrides(small, 0.8), **ov.rollout_overrides(0.1)})
    assert both == ov.with_rollout(ov.scale_containment(small, 0.8), 0.1)


def test_the_same_seed_gives_the_same_figures_through_a_lever(small):
    one_day = derive(small, {"days": 1})
    by_lever = sim.simulate(ov.scale_containment(one_day, 0.8), replications=2, seed=3)
    by_hand = sim.simulate(derive(one_day, ov.containment_overrides(one_day, 0.8)),
                           replications=2, seed=3)  # fmt: skip
    assert by_lever.kpis.equals(by_hand.kpis)


# --- fingerprint -----------------------------------------------------------------------------


def test_fingerprint_follows_the_scenario(small):
    again = sim.load_scenario(SCENARIOS_DIR / "small_agency.toml")
    assert ov.fingerprint(small) == ov.fingerprint(again)
    assert re.fullmatch(r"[0-9a-f]{40}", ov.fingerprint(small))
    assert ov.fingerprint(ov.scale_containment(small, 0.9)) != ov.fingerprint(small)
    assert ov.fingerprint(ov.with_rollout(small, small.ai.rollout)) == ov.fingerprint(small)
