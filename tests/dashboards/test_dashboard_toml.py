"""The scenario download: what the Scenario page offers, ``load_scenario`` reads back to the same
scenario (``sim.loader.scenario_to_toml``, written with tomli-w)."""

from __future__ import annotations

import tomllib

import pytest

import sim
from sim.loader import load_scenario_text, scenario_to_toml
from sim.paths import SCENARIOS_DIR, shipped_scenarios


@pytest.mark.parametrize("stem", sorted(shipped_scenarios()))
def test_shipped_scenarios_round_trip(stem, tmp_path):
    scenario = sim.load_scenario(shipped_scenarios()[stem])
    text = scenario_to_toml(scenario, header=f"{scenario.name}\nexported")
    assert text.startswith(f"# {scenario.name}\n# exported\n")
    path = tmp_path / "exported.toml"
    path.write_text(text, encoding="utf-8")
    assert sim.load_scenario(path) == scenario
    assert tomllib.loads(text) == scenario.model_dump(mode="json", exclude_none=True)


def test_uploaded_text_may_extend_only_a_shipped_scenario():
    pilot = load_scenario_text(
        b'extends = "small_agency.toml"\nname = "Upload"\n[ai]\nrollout = 0.15\n',
        source="upload.toml",
        base_dir=SCENARIOS_DIR,
    )
    assert pilot.ai.rollout == 0.15
    assert pilot.destinations == sim.load_scenario(shipped_scenarios()["small_agency"]).destinations
    for bad in ("../pyproject.toml", "/etc/passwd", "nope.toml"):
        with pytest.raises(sim.ScenarioError, match="extends: must name one of"):
            load_scenario_text(
                f'extends = "{bad}"\nname = "x"\n', source="upload.toml", base_dir=SCENARIOS_DIR
            )
    with pytest.raises(sim.ScenarioError, match="not valid UTF-8"):
        load_scenario_text(b"\xff\xfe", source="upload.toml", base_dir=SCENARIOS_DIR)
