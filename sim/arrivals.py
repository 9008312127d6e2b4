"""When callers arrive: kept for existing imports (``from sim.arrivals import DAY``); the model
is :mod:`sim.engine.arrivals`, re-exported here name for name."""

from sim.engine.arrivals import *  # noqa: F403
from sim.engine.arrivals import __all__ as __all__
