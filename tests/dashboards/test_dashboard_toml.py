"""The Scenario page's TOML writer: what it writes, ``tomllib`` reads back unchanged."""

from __future__ import annotations

import math
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from toml_writer import dumps

import sim
from sim.paths import shipped_scenarios


@pytest.mark.parametrize("stem", sorted(shipped_scenarios()))
def test_shipped_scenarios_round_trip(stem):
    scenario = sim.load_scenario(shipped_scenarios()[stem])
    data = scenario.model_dump(mode="json", exclude_none=True)
    text = dumps(data, header=f"{scenario.name}\nexported")
    assert tomllib.loads(text) == data
    assert sim.scenario_from_dict(tomllib.loads(text)) == scenario


def test_layout_reads_like_a_hand_written_file():
    data = {
        "name": 'Quote "this"\nand\tthat \\ done',
        "ai": {"talk_minutes": {"dist": "lognormal", "mean": 3.0, "sd": 1.2}, "on": True},
        "call_types": {"billing": {"share": 1.0, "triggers": {"human request": 1.0}}},
        "destinations": [{"name": "A", "producers": 2}, {"name": "B", "producers": 3}],
        "intake": {"fields": ["a", "b"], "empty": []},
        "outcomes": {"by_trigger": {}},
        "skip": None,
    }
    text = dumps(data)
    assert 'talk_minutes = { dist = "lognormal", mean = 3.0, sd = 1.2 }' in text
    assert "[call_types.billing]" in text
    assert 'triggers = { "human request" = 1.0 }' in text
    assert text.count("[[destinations]]") == 2
    assert "skip" not in text
    expected = {k: v for k, v in data.items() if v is not None}
    assert tomllib.loads(text) == expected


def test_special_floats():
    loaded = tomllib.loads(dumps({"a": math.inf, "b": -math.inf, "c": 1e300, "d": -0.0}))
    assert loaded == {"a": math.inf, "b": -math.inf, "c": 1e300, "d": -0.0}
    assert math.isnan(tomllib.loads(dumps({"x": math.nan}))["x"])


def test_unsupported_values_are_refused():
    with pytest.raises(TypeError, match="cannot write"):
        dumps({"when": object()})
    with pytest.raises(TypeError, match="None"):
        dumps({"xs": [1, None]})


scalars = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
)
keys = st.text(max_size=8)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(keys, values, max_size=6))
def test_any_plain_table_round_trips(data):
    assert tomllib.loads(dumps(data)) == data
