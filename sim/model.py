"""The hand-off model: kept for existing imports. The engine is the :mod:`sim.engine` package
(draws, event handlers, post-run outcomes, the per-call record); one replication is
:func:`sim.engine.replication.run_replication`."""

from sim.engine.capacity import shift_windows
from sim.engine.codes import FALLBACKS, OUTCOMES, PATHS
from sim.engine.draws import STREAMS
from sim.engine.record import CallRecord
from sim.engine.replication import run_replication

__all__ = [
    "FALLBACKS",
    "OUTCOMES",
    "PATHS",
    "STREAMS",
    "CallRecord",
    "run_replication",
    "shift_windows",
]
