"""Duration distributions of a scenario: kept for existing imports (``from sim.distributions
import LogNormal``); the one definition is :mod:`sim.engine.distributions`, re-exported here
name for name."""

from sim.engine.distributions import *  # noqa: F403
from sim.engine.distributions import __all__ as __all__
