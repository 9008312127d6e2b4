"""Scenario files: the shipped ones load, ``extends`` and overrides work, and every broken file
gets one clear message naming the file, the key path and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim import Scenario, ScenarioError, load_scenario, scenario_from_dict
from sim.paths import shipped_scenarios
from sim.reference import BEGIN, END, scenario_reference

ROOT = Path(__file__).resolve().parents[2]
"""Top of the source checkout (the README is read from there)."""

MINIMAL = """
name = "Minimal"
[inbound]
calls_per_day = 100
[[destinations]]
name = "Producers"
producers = 3
"""


def write(tmp_path: Path, text: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(shipped_scenarios()))
def test_shipped_scenarios_load(name):
    scenario = load_scenario(shipped_scenarios()[name])
    assert isinstance(scenario, Scenario)
    assert 1 <= len(scenario.destinations) <= 3


def test_required_shipped_scenarios():
    small = load_scenario(shipped_scenarios()["small_agency"])
    assert small.inbound.calls_per_day == pytest.approx(120)
    assert small.outbound.contacts_per_week == 500
    assert sum(d.producers for d in small.destinations) == 4
    regional = load_scenario(shipped_scenarios()["regional_call_center"])
    assert regional.inbound.calls_per_day == pytest.approx(3000)
    assert len(regional.destinations) == 3
    assert 35 <= sum(d.producers for d in regional.destinations) <= 45


@pytest.mark.parametrize(
    ("stem", "rollout"), [("small_agency_pilot_10", 0.1), ("small_agency_pilot_20", 0.2)]
)
def test_pilot_variants_extend_the_base(stem, rollout):
    base = load_scenario(shipped_scenarios()["small_agency"])
    pilot = load_scenario(shipped_scenarios()[stem])
    assert pilot.ai.rollout == rollout
    # Everything not overridden comes from the base, including untouched keys of [ai].
    assert pilot.ai.cost_per_minute == base.ai.cost_per_minute
    assert pilot.destinations == base.destinations
    assert pilot.call_types == base.call_types
    assert pilot.name != base.name


def test_minimal_file_is_a_plain_queue(tmp_path):
    scenario = load_scenario(write(tmp_path, MINIMAL))
    assert scenario.ai.enabled is False
    assert scenario.outbound is None
    assert scenario.transfer.patience_minutes is None  # callers never hang up
    assert scenario.transfer.failure_rate == 0


def test_ai_section_present_means_enabled(tmp_path):
    scenario = load_scenario(write(tmp_path, MINIMAL + "[ai]\nrollout = 0.5\n"))
    assert scenario.ai.enabled is True
    assert scenario.ai.rollout == 0.5


def test_extends_merges_tables_and_replaces_lists(tmp_path):
    write(tmp_path, MINIMAL + '[transfer]\nfallback = "drop"\nfailure_rate = 0.1\n', "base.toml")
    top = write(
        tmp_path,
        'extends = "base.toml"\nname = "Top"\n[transfer]\nfailure_rate = 0.2\n'
        '[[destinations]]\nname = "Only"\nproducers = 7\n',
        "top.toml",
    )
    scenario = load_scenario(top)
    assert scenario.name == "Top"
    assert scenario.transfer.fallback == "drop"  # kept from the base
    assert scenario.transfer.failure_rate == 0.2  # overridden
    assert [d.name for d in scenario.destinations] == ["Only"]  # lists replace


def test_extends_chain_and_cycle(tmp_path):
    write(tmp_path, MINIMAL, "a.toml")
    write(tmp_path, 'extends = "a.toml"\nname = "B"\n', "b.toml")
    c = write(tmp_path, 'extends = "b.toml"\nname = "C"\n[inbound]\ncalls_per_day = 5\n', "c.toml")
    scenario = load_scenario(c)
    assert (scenario.name, scenario.inbound.calls_per_day) == ("C", 5)
    write(tmp_path, 'extends = "y.toml"\nname = "X"\n', "x.toml")
    y = write(tmp_path, 'extends = "x.toml"\nname = "Y"\n', "y.toml")
    with pytest.raises(ScenarioError, match="circular extends"):
        load_scenario(y)


def test_overrides_as_strings_and_mapping(tmp_path):
    path = write(tmp_path, MINIMAL)
    s = load_scenario(path, ["destinations.0.producers=5", "ai.rollout=0.2", 'name="Renamed"'])
    assert s.destinations[0].producers == 5
    assert s.ai.rollout == 0.2
    assert s.name == "Renamed"
    s = load_scenario(path, {"transfer.patience_minutes": {"dist": "fixed", "value": 2}})
    assert s.transfer.patience_minutes.mean_value == 2


def test_round_trip_through_model_dump():
    scenario = load_scenario(shipped_scenarios()["regional_call_center"])
    again = scenario_from_dict(scenario.model_dump(mode="json", exclude_none=True))
    assert again == scenario


BROKEN = [
    ("unknown key", 'colour = "red"\n', "colour", "unknown key; allowed keys here"),
    ("wrong type", "", "destinations.0.producers", "integer", {"destinations.0.producers": "many"}),
    (
        "shares",
        "[call_types.a]\nshare = 0.5\n[call_types.b]\nshare = 0.4\n",
        "call_types",
        "sum to 1",
    ),
    (
        "trigger shares",
        "[call_types.a]\nshare = 1\ntriggers = { human_request = 0.5 }\n",
        "call_types.a.triggers",
        "sum to 1",
    ),
    (
        "fourth destination",
        "[[destinations]]\nname = 'b'\nproducers = 1\n"
        "[[destinations]]\nname = 'c'\nproducers = 1\n"
        "[[destinations]]\nname = 'd'\nproducers = 1\n",
        "destinations",
        "at most 3",
    ),
    (
        "open after close",
        '[hours]\nopen = "18:00"\nclose = "08:00"\n',
        "hours",
        "must be before close",
    ),
    ("bad clock", '[hours]\nopen = "8am"\n', "hours.open", "HH:MM"),
    (
        "negative rate",
        "",
        "inbound.calls_per_day",
        "greater than or equal to 0",
        {"inbound.calls_per_day": -3},
    ),
    (
        "probability",
        "[transfer]\nfailure_rate = 1.5\n",
        "transfer.failure_rate",
        "less than or equal to 1",
    ),
    (
        "fallback",
        '[transfer]\nfallback = "pigeon"\n',
        "transfer.fallback",
        "'callback', 'voicemail' or 'drop'",
    ),
    (
        "distribution",
        '[transfer]\npatience_minutes = { dist = "weibull", mean = 2 }\n',
        "transfer.patience_minutes",
        "expected tags",
    ),
    (
        "distribution key",
        '[transfer]\npatience_minutes = { dist = "exponential", mu = 2 }\n',
        "transfer.patience_minutes.mu",
        "allowed keys here: dist, mean",
    ),
    (
        "unknown trigger",
        "[call_types.a]\nshare = 1\ntriggers = { angry = 1.0 }\n",
        "call_types.a.triggers",
        "unknown trigger",
    ),
    (
        "profile length",
        "[inbound]\ncalls_per_day = 10\nprofile = [1, 2, 3]\n",
        "inbound.profile",
        "need 20",
    ),
]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_scenarios_name_file_and_key(tmp_path, case):
    _, extra, key, message = case[:4]
    overrides = case[4] if len(case) > 4 else None
    text = MINIMAL
    if "[inbound]" in extra:
        text = MINIMAL.replace("[inbound]\ncalls_per_day = 100\n", "")
    path = write(tmp_path, _prepend_top_level(text, extra))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides)
    rendered = str(info.value)
    assert str(path) in rendered
    assert any(k == key and message in m for k, m in info.value.problems), rendered


def _prepend_top_level(base: str, extra: str) -> str:
    # Top-level keys must come before any table, so put bare `key = value` lines first.
    if extra and not extra.lstrip().startswith("["):
        return extra + base
    return base + extra


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "file not found"),
        ("name = [unclosed\n", "not valid TOML"),
        ('extends = "missing.toml"\nname = "x"\n', "base scenario 'missing.toml' not found"),
        (MINIMAL.replace('name = "Minimal"\n', ""), "name: required key is missing"),
    ],
    ids=["missing file", "bad toml", "missing base", "missing name"],
)
def test_unreadable_files(tmp_path, text, message):
    path = tmp_path / "s.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError, match=message):
        load_scenario(path)


def test_bad_override_syntax(tmp_path):
    path = write(tmp_path, MINIMAL)
    with pytest.raises(ScenarioError, match="key=value"):
        load_scenario(path, ["producers"])
    with pytest.raises(ScenarioError, match="out of range"):
        load_scenario(path, ["destinations.3.producers=2"])


def test_readme_reference_is_generated_from_the_models():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(BEGIN, 1)[1].split(END, 1)[0]
    want = scenario_reference()
    assert section.strip() == want.strip(), (
        "README scenario reference is stale: run `python -m sim.reference --write README.md`"
    )


def test_reference_documents_every_key():
    text = scenario_reference()
    for key in (
        "ai.cost_per_minute",
        "destinations[].ring_seconds",
        "transfer.fallback",
        "outbound.dnc_rate",
        "call_types.<name>.containment",
        "costs.platform_monthly",
    ):
        assert f"`{key}`" in text


def test_a_bare_name_is_a_shipped_scenario(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # from any folder
    by_name = load_scenario("small_agency")
    assert by_name == load_scenario(shipped_scenarios()["small_agency"])
    assert load_scenario("small_agency_pilot_10.toml").ai.rollout == 0.1
    with pytest.raises(ScenarioError, match="no shipped scenario has that name"):
        load_scenario("no_such_agency")


def test_a_file_of_that_name_wins_over_the_shipped_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, MINIMAL, "small_agency.toml")
    assert load_scenario("small_agency.toml").name == "Minimal"
    assert load_scenario("small_agency").name != "Minimal"  # no file called exactly that


def test_a_copied_pilot_still_extends_the_shipped_base(tmp_path):
    copied = write(tmp_path, shipped_scenarios()["small_agency_pilot_20"].read_text("utf-8"))
    pilot = load_scenario(copied)
    assert pilot.ai.rollout == 0.2
    assert pilot.destinations == load_scenario("small_agency").destinations
    write(tmp_path, MINIMAL, "small_agency.toml")  # a base beside the file comes first
    assert load_scenario(copied).name == "Small life agency, 20% AI pilot"
    assert load_scenario(copied).inbound.calls_per_day == 100


def test_shipped_scenarios_are_package_data():
    from importlib.resources import files

    shipped = {p.name for p in (files("sim") / "scenarios").iterdir() if p.name.endswith(".toml")}
    assert {f"{stem}.toml" for stem in shipped_scenarios()} == shipped
    assert {"small_agency", "regional_call_center", "minimal_queue"} <= set(shipped_scenarios())
