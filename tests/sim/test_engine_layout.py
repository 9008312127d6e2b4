"""The engine's layout: named codes, one RunOptions, no reads of SimPy's private fields."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import sim
from sim.engine import codes
from sim.options import RunOptions

ENGINE = Path(sim.__file__).parent / "engine"


def test_code_tuples_follow_the_enums():
    assert codes.OUTCOMES[codes.Outcome.CONNECTED] == "connected"
    assert codes.OUTCOMES[-1] == "window_missed"
    assert len(codes.OUTCOMES) == 10
    assert codes.PATHS == ("ai", "human", "none")
    assert codes.FALLBACKS == ("none", "callback", "voicemail", "drop")
    assert codes.LEAD_STATUSES == ("dialled", "no_consent", "dnc_suppressed", "outside_window")
    assert codes.LeadStatus.DNC_SUPPRESSED.outcome == codes.Outcome.DNC_SUPPRESSED
    from sim.model import OUTCOMES, PATHS

    assert OUTCOMES is codes.OUTCOMES
    assert PATHS is codes.PATHS


def test_no_simpy_private_attributes_and_small_modules():
    private = re.compile(r"\b(env|event|resource|timeout|self\.env)\._[a-z]")
    for path in ENGINE.glob("*.py"):
        text = path.read_text()
        assert not private.search(text), path.name
        assert len(text.splitlines()) <= 420, path.name


def test_run_options_is_one_definition_and_simulate_takes_it():
    from sim.pilot import RunOptions as PilotRunOptions

    assert PilotRunOptions is RunOptions
    scenario = sim.load_scenario("minimal_queue")
    a = sim.simulate(scenario, replications=2, seed=5)
    b = sim.simulate(scenario, options=RunOptions(replications=2, seed=5))
    assert a.kpis.equals(b.kpis)
    with pytest.raises(TypeError, match="not both"):
        sim.simulate(scenario, replications=3, options=RunOptions(replications=2))
    with pytest.raises(ValueError, match="replications must be at least 1"):
        RunOptions(replications=0)
