"""The lab's public entry points that are more than a re-export.

``sim.simulate`` is :func:`sim.results.simulate`, which checks the run limit itself
(:func:`sim.limits.check_run`): from Python as from the terminal, a run that would keep more
than :data:`sim.limits.MAX_CALLS_PER_RUN` calls, or ask for more than
:data:`sim.limits.MAX_REPLICATIONS` replications, is refused with a
:class:`sim.limits.LimitError` (a ``ValueError``) naming the limit, before anything runs.

The lab's contract names ``sim.staffing(scenario, targets)``, ``sim.pilot(scenario, …)``,
``sim.calibrate(df)`` and ``sim.sweep(scenario, grid)`` while ``sim.staffing.Targets`` and the
other module contents must stay reachable. Making the module object callable gives both, without
a function shadowing its own module.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable

from sim.results import simulate

__all__ = ["callable_module", "simulate"]


def callable_module(module_name: str, function: Callable) -> None:
    """Make ``module_name`` callable: calling the module calls ``function``."""
    module = sys.modules[module_name]

    class _CallableModule(types.ModuleType):
        def __call__(self, *args, **kwargs):
            return function(*args, **kwargs)

    _CallableModule.__call__.__doc__ = function.__doc__
    module.__class__ = _CallableModule
