"""How much to simulate and where: the options every simulation entry point takes.

:class:`RunOptions` is the one definition of the options of :func:`sim.simulate`
(``replications``, ``seed``, ``workers``, ``scheduler``, ``progress``); the planning tools
(:mod:`sim.pilot`) pass the same object on. Replications stop at
:data:`sim.limits.MAX_REPLICATIONS`. Where replications run never changes the numbers
(see :mod:`sim.execution`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sim.limits import MAX_REPLICATIONS, LimitError

if TYPE_CHECKING:
    from sim.execution import Progress

__all__ = [
    "DEFAULT_INTERVAL_MINUTES",
    "DEFAULT_REPLICATIONS",
    "DEFAULT_SHRINKAGE",
    "RunOptions",
]

DEFAULT_REPLICATIONS = 10
"""Replications when none are asked for, on every surface: :func:`sim.simulate`, the staffing
search and the ROI comparison, the CLI's ``simulate``, ``staff`` and ``roi``, and the Simulate,
Staffing and ROI pages (so the page and the CLI give the same figure for the same settings)."""
DEFAULT_INTERVAL_MINUTES = 30
"""Length of a staffing interval when none is asked for (the CLI's ``staff``, the Staffing page)."""
DEFAULT_SHRINKAGE = 0.30
"""Share of paid time off the phones (breaks, training, absence) when none is given: headcount is
producers on duty ÷ (1 − shrinkage); the CLI's ``staff`` and the Staffing page start from it."""


@dataclass(frozen=True)
class RunOptions:
    """The simulation options of :func:`sim.simulate` (same names and meaning): ``seed``
    defaults to the scenario's, ``workers`` processes or a Dask ``scheduler`` run the
    replications, ``progress(done, total)`` is told as they finish. ``replications=None``
    means the caller's default (10 for :func:`sim.simulate`; automatic for a pilot, see
    :class:`sim.pilot.PowerCheck`)."""

    replications: int | None = None
    seed: int | None = None
    workers: int = 1
    scheduler: str | None = None
    progress: Progress | None = None

    def __post_init__(self) -> None:
        value = self.replications
        if value is not None and (isinstance(value, bool) or int(value) < 1):
            raise ValueError(f"replications must be at least 1, got {value!r}")
        if value is not None and int(value) > MAX_REPLICATIONS:
            raise LimitError(
                f"replications: at most {MAX_REPLICATIONS:,} (the limit), got {value:,}"
            )

    def seed_for(self, default: int) -> int:
        """The seed to use: ``seed``, or ``default`` (the scenario's) when none was given."""
        return default if self.seed is None else int(self.seed)
