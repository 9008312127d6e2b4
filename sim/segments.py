"""Caller segments: priority classes of callers waiting for a producer.

A real queue rarely serves every caller first come, first served: existing clients, renewals or
a "priority" IVR choice are answered ahead of new callers. A scenario may list its segments
(``[[segments]]``): each has a share of the calls that reach a producer queue, a queue priority
(higher is answered first; within one priority, longest waiting first; a producer already talking
is never interrupted) and optionally its own patience. No segments means one first-come,
first-served class, exactly the model without this table.
"""

from __future__ import annotations

import math
import re

from pydantic import BaseModel, ConfigDict, Field

from sim.engine.distributions import Distribution

__all__ = ["Segment", "check_segments"]

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class Segment(BaseModel):
    """One caller segment (a priority class)."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    name: str
    """Segment name, lower_snake_case, e.g. "priority" or "standard" (required, unique)."""
    share: float = Field(ge=0, le=1)
    """Share of the calls reaching a producer queue that belong to this segment; the shares of
    all segments sum to 1 (required)."""
    priority: int = Field(default=0, ge=0, le=9)
    """Queue priority from 0 to 9: a free producer answers the highest-priority waiting caller
    first (longest waiting within one priority); nobody already talking is interrupted."""
    patience_minutes: Distribution | None = None
    """This segment's patience while waiting for a producer; omitted means
    `transfer.patience_minutes`."""


def check_segments(segments: list[Segment]) -> list[Segment]:
    """The table's own rules: unique lower_snake_case names, shares summing to 1."""
    if not segments:
        return segments
    names = [s.name for s in segments]
    for name in names:
        if not _NAME_RE.match(name):
            raise ValueError(f"segment name {name!r} must be lower_snake_case")
    if len(set(names)) != len(names):
        raise ValueError("segment names must not repeat")
    if len(segments) > 10:
        raise ValueError("at most 10 segments")
    total = sum(s.share for s in segments)
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ValueError(f"segment shares must sum to 1, got {total:g}")
    return segments
