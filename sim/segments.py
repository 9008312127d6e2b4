"""Caller segments: priority classes of callers waiting for a producer.

A real queue rarely serves every caller first come, first served: existing clients, renewals or
a "priority" IVR choice are answered ahead of new callers. A scenario may list its segments
(``[[segments]]``): each has a share of the calls that reach a producer queue, a queue priority
(higher is answered first; within one priority, longest waiting first; a producer already talking
is never interrupted) and optionally its own patience. No segments means one first-come,
first-served class, exactly the model without this table.

Every call that reaches a producer queue belongs to one segment, drawn by share: inbound calls
escalated by the AI or sent straight to a human, AI overflow and answered outbound dials alike
(:mod:`sim.engine.draws`, from a stream of its own). A callback keeps its caller's segment: a
producer returns due callbacks only when no live caller waits, whatever their segments, and
among them the highest priority first, then in the order they came due.

:class:`PriorityQueue` is that queue as the engine keeps it for one producer group: one
first-come, first-served line per priority, read like the ``deque`` of the single class.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Iterator, Sequence
from itertools import chain

from pydantic import BaseModel, ConfigDict, Field

from sim.engine.distributions import Distribution

__all__ = ["PriorityQueue", "Segment", "check_segments", "queue_levels"]

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


def queue_levels(segments: list[Segment]) -> list[int]:
    """Each segment's line in a producer queue: 0 for the highest priority, 1 for the next
    priority present, ...; segments of one priority share a line (first come, first served)."""
    priorities = sorted({s.priority for s in segments}, reverse=True)
    return [priorities.index(s.priority) for s in segments]


class PriorityQueue:
    """One producer group's waiting callers (or due callbacks) when segments differ in
    priority: a first-come, first-served line per priority, the highest served first.

    It reads like the ``deque`` the engine keeps for a single class (``append``, ``popleft``,
    ``queue[0]`` for the next caller, truth, iteration in serving order), so one dispatch rule
    serves both, and a scenario without segments keeps its plain ``deque``."""

    __slots__ = ("_level_of", "_lines", "_segment")

    def __init__(self, segment: Sequence[int], level_of: Sequence[int]):
        self._segment = segment
        """Each caller's segment (-1: none)."""
        self._level_of = level_of
        """Each segment's line (:func:`queue_levels`); the last entry is for segment -1."""
        self._lines = [deque[int]() for _ in range(max(level_of) + 1)]

    def append(self, i: int) -> None:
        """Caller ``i`` joins the end of their priority's line."""
        self._lines[self._level_of[self._segment[i]]].append(i)

    def _first(self) -> deque[int]:
        for line in self._lines:
            if line:
                return line
        raise IndexError("nobody is waiting")

    def popleft(self) -> int:
        """The next caller served (removed): the longest waiting of the highest priority."""
        return self._first().popleft()

    def __getitem__(self, k: int) -> int:
        """``queue[0]``: the next caller served (only index 0 is defined)."""
        if k != 0:
            raise IndexError("only the next caller, queue[0], can be read")
        return self._first()[0]

    def __bool__(self) -> bool:
        return any(self._lines)

    def __len__(self) -> int:
        return sum(map(len, self._lines))

    def __iter__(self) -> Iterator[int]:
        """Every caller, in the order they would be served."""
        return chain.from_iterable(self._lines)
