"""Simulation of voice-AI intake and warm transfers to licensed insurance producers.

Describe an agency in a scenario file, then::

    import sim
    scenario = sim.load_scenario("small_agency")   # a shipped scenario, or a path
    results = sim.simulate(scenario, replications=10)
    results.summary()          # KPI means with 95% confidence intervals
    results.calls              # one row per call, every stage's times and outcome

Planning: ``sim.compare(scenario)`` (AI against the all-human baseline), ``sim.staffing(scenario,
targets)``, ``sim.pilot(scenario, rollout=0.1)``, ``sim.sweep(scenario, grid)`` and
``sim.calibrate(call_log)``; each module is importable too (``sim.staffing.Targets``). They load
on first use. ``sim.theory`` holds the queueing formulas (Erlang C and A) the model is checked
against. ``sim.limits`` holds the documented limits (calls per replication, replications, grid
cells, file sizes, nesting depth) every entry point checks before work starts: ``sim.simulate``
refuses a run over them with a ``sim.limits.LimitError`` (a ``ValueError``) naming the limit.
"""

import importlib

from sim._api import simulate
from sim.kpis import EXTRA_KPIS, KPI_NAMES
from sim.loader import ScenarioError, load_scenario, scenario_from_dict
from sim.model import OUTCOMES
from sim.results import Results
from sim.scenario import Scenario

_LAZY = {
    "compare": ("sim.roi", "compare"),
    "staffing": ("sim.staffing", None),
    "Targets": ("sim.staffing", "Targets"),
    "pilot": ("sim.pilot", None),
    "sweep": ("sim.sweep", None),
    "calibrate": ("sim.calibrate", None),
    "theory": ("sim.theory", None),
}


def __getattr__(name: str):
    """Load the planning tools on first use (they import statistics libraries)."""
    if name not in _LAZY:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name)
    return module if attribute is None else getattr(module, attribute)


__all__ = [
    "EXTRA_KPIS",
    "KPI_NAMES",
    "OUTCOMES",
    "Results",
    "Scenario",
    "ScenarioError",
    "Targets",
    "calibrate",
    "compare",
    "load_scenario",
    "pilot",
    "scenario_from_dict",
    "simulate",
    "staffing",
    "sweep",
    "theory",
]
