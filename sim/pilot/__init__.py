"""How long a 10–20% pilot must run, and what its first weeks should look like.

The pilot sends ``rollout`` of the calls to the voice AI (the **AI arm**) and leaves the rest on
the human path (the **control arm**). In the model a caller's arm is decided by the scenario's
``rollout`` draw; AI overflow (a caller sent to the AI who found every AI line busy and fell back
to human intake) is in neither arm (a per-protocol comparison).

**Like for like** (default): on the AI arm, calls whose need the AI resolves (billing, simple
service) are contained and never reach a producer; on the human path they do, and convert only
at the cross-sell rate. Comparing all connected calls would credit the AI with that case-mix
change, so the control arm's units are restricted to non-routine calls (the model's ``routine``
flag; in a real pilot, the producers' reason codes). ``like_for_like=False`` compares every unit
as the headline KPIs do.

The package, along its seams:

- :mod:`~sim.pilot.metrics`: the metrics a pilot compares or monitors (:data:`METRICS`).
- :mod:`~sim.pilot.design`: the settings as frozen dataclasses (:class:`PilotDesign`, …).
- :mod:`~sim.pilot.counts`: each arm's units and successes per simulated open day.
- :mod:`~sim.pilot.sizing`: the two-proportion sample size per arm and the weeks it takes.
- :mod:`~sim.pilot.power`: simulated pilots against the formula's power.
- :mod:`~sim.pilot.bands`: :func:`weekly_bands`, the weekly review bands.
- :mod:`~sim.pilot.rollout`: :func:`rollout_choice`, which rollout decides soonest.
- :mod:`~sim.pilot.plan` and :mod:`~sim.pilot.report`: :class:`PilotPlan`, its headline and
  tables; :mod:`~sim.pilot.planner`: :func:`pilot` and :func:`plan_pilot`.

One computation answers the pilot: :func:`sim.pilot.sizing.size` on one simulation gives the
plan's headline, its JSON and, with ``compare_rollouts``, the rollout comparison's row for the
plan's rollout (every compared rollout is simulated at the plan's replications and seed).

What the simulation adds over the formula: the random weekly volume, congestion (completion and
abandonment vary together within a day), the AI arm's real mix of triggers, missing intake
fields and repeat-explains. What it does not add: anything the scenario does not model (novelty
effects, producers learning, seasonality). The lift the simulation tests is the scenario's own
effect (e.g. warm vs cold conversion), not the requested ``lift``; the plan reports the
formula's power for that same observed effect at the same pilot length, so the two can be
compared.

``sim.pilot(...)`` calls :func:`pilot`; ``from sim.pilot import rollout_choice`` and the other
names below work as they always have.
"""

from __future__ import annotations

from sim._api import callable_module
from sim.pilot.bands import WeeklyBands, weekly_bands
from sim.pilot.design import BandSpec, CompletionFloor, PilotDesign, PowerCheck, RunOptions
from sim.pilot.metrics import DEFAULT_ROLLOUTS, METRICS, REVIEW_METRICS, PilotMetric
from sim.pilot.plan import PilotPlan
from sim.pilot.planner import pilot, plan_pilot
from sim.pilot.rollout import RolloutChoice, RolloutRow, compare_rollouts, rollout_choice
from sim.pilot.runs import pilot_scenario
from sim.pilot.sizing import Sizing

__all__ = [
    "DEFAULT_ROLLOUTS",
    "METRICS",
    "REVIEW_METRICS",
    "BandSpec",
    "CompletionFloor",
    "PilotDesign",
    "PilotMetric",
    "PilotPlan",
    "PowerCheck",
    "RolloutChoice",
    "RolloutRow",
    "RunOptions",
    "Sizing",
    "WeeklyBands",
    "compare_rollouts",
    "pilot",
    "pilot_scenario",
    "plan_pilot",
    "rollout_choice",
    "weekly_bands",
]

# `sim.pilot(...)` calls pilot() (see sim/_api.py).
callable_module(__name__, pilot)
