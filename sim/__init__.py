"""Simulation of voice-AI intake and warm transfers to licensed insurance producers.

Describe an agency in a scenario file, then::

    import sim
    scenario = sim.load_scenario("scenarios/small_agency.toml")
    results = sim.simulate(scenario, replications=10)
    results.summary()          # KPI means with 95% confidence intervals
    results.calls              # one row per call, every stage's times and outcome

``sim.theory`` holds the queueing formulas (Erlang C and A) the model is checked against.
"""

from sim.kpis import EXTRA_KPIS, KPI_NAMES
from sim.loader import ScenarioError, load_scenario, scenario_from_dict
from sim.model import OUTCOMES
from sim.results import Results, simulate
from sim.scenario import Scenario

__all__ = [
    "EXTRA_KPIS",
    "KPI_NAMES",
    "OUTCOMES",
    "Results",
    "Scenario",
    "ScenarioError",
    "load_scenario",
    "scenario_from_dict",
    "simulate",
]
