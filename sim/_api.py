"""The top-level API's entry points: ``sim.simulate`` within the lab's limits, and planning
modules that can be called like their main function.

``sim.simulate`` is :func:`sim.results.simulate` behind the run limit the ``simulate`` command
checks (:func:`sim.limits.check_run`): from Python as from the terminal, a run that would keep
more than :data:`sim.limits.MAX_CALLS_PER_RUN` calls, or ask for more than
:data:`sim.limits.MAX_REPLICATIONS` replications, is refused with a
:class:`sim.limits.LimitError` (a ``ValueError``) naming the limit, before anything runs.

The lab's contract names ``sim.staffing(scenario, targets)``, ``sim.pilot(scenario, …)``,
``sim.calibrate(df)`` and ``sim.sweep(scenario, grid)`` while ``sim.staffing.Targets`` and the
other module contents must stay reachable. Making the module object callable gives both, without
a function shadowing its own module.
"""

from __future__ import annotations

import functools
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sim.limits import check_run
from sim.options import DEFAULT_REPLICATIONS
from sim.results import simulate as _simulate

if TYPE_CHECKING:
    from sim.results import Results


@functools.wraps(_simulate)
def simulate(scenario: Any, *args: Any, **kwargs: Any) -> Results:
    replications = _replications(*args, **kwargs)
    if isinstance(replications, int) and not isinstance(replications, bool) and replications >= 1:
        check_run(scenario, replications, option="replications")
    return _simulate(scenario, *args, **kwargs)


simulate.__doc__ = (
    (_simulate.__doc__ or "").rstrip()
    + """

    A run over the lab's limits (more than ``sim.limits.MAX_CALLS_PER_RUN`` calls kept, or
    more than ``sim.limits.MAX_REPLICATIONS`` replications) is refused before anything runs,
    with a :class:`sim.limits.LimitError` (a ``ValueError``) naming the limit.
    """
)


def _replications(
    replications: Any = DEFAULT_REPLICATIONS, *_: Any, options: Any = None, **__: Any
) -> Any:
    """The replications a call of :func:`simulate` asks for (positional, keyword or in
    ``options``); a call giving both is left to :func:`sim.results.simulate` to refuse."""
    if options is not None and replications == DEFAULT_REPLICATIONS:
        return DEFAULT_REPLICATIONS if options.replications is None else options.replications
    return replications


def callable_module(module_name: str, function: Callable) -> None:
    """Make ``module_name`` callable: calling the module calls ``function``."""
    module = sys.modules[module_name]

    class _CallableModule(types.ModuleType):
        def __call__(self, *args, **kwargs):
            return function(*args, **kwargs)

    _CallableModule.__call__.__doc__ = function.__doc__
    module.__class__ = _CallableModule
