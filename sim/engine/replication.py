"""One replication: draw the callers, run the event model, draw the post-run outcomes.

This is the whole engine in three calls; :func:`sim.simulate` runs it once per replication
with the replication's own ``numpy.random.SeedSequence`` child and measures the record
(:mod:`sim.engine.measure`).
"""

from __future__ import annotations

import numpy as np

from sim.engine.draws import draw_callers
from sim.engine.handlers import Replication
from sim.engine.outcomes import draw_outcomes
from sim.engine.record import CallRecord, arrival_columns
from sim.scenario import Scenario

__all__ = ["run_replication"]


def run_replication(scenario: Scenario, seed: np.random.SeedSequence) -> CallRecord:
    """Simulate one replication of ``scenario`` with its own random streams."""
    draws = draw_callers(scenario, seed)
    record = Replication(scenario, draws).run()
    if scenario.segments:  # a segment is recorded for the calls that reached a producer queue
        record.columns["segment"][np.isnan(record.columns["transfer_at"])] = -1
    # What only the run needed goes first, then the float64 arrival times once the stored
    # arrival, day and minute of the day are made from them (a million calls: 8 MB a column).
    draws.release_run_draws()
    record.columns.update(arrival_columns(draws.arrival))
    draws.arrival = record.columns["arrival"]
    draw_outcomes(scenario, record.columns, draws)
    return record
