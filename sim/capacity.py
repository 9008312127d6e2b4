"""Producer capacity and busy time: kept for existing imports (``from sim import capacity``);
the one definition is :mod:`sim.engine.capacity` (shift windows, rosters, and the busy-time
function), re-exported here name for name."""

from sim.engine.capacity import *  # noqa: F403
from sim.engine.capacity import __all__ as __all__
