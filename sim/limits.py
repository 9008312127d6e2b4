"""The lab's limits: how much work one request may ask for, checked before the work starts.

An agency runs the lab on a shared machine, so no scenario, option or upload may take it down.
Each limit below is generous for real agencies (the shipped regional call centre is about 17,500
calls per replication) and far below what would exhaust memory or run for hours; a request over
one is refused before anything runs, with a message naming the key or option and the limit:

- :data:`MAX_CALLS_PER_REPLICATION`: inbound calls (``inbound.calls_per_day`` × ``days``, each
  day weighted by its weekday's ``volume``, closed weekdays none) plus outbound leads
  (``outbound.contacts_per_week`` × campaign days / ``outbound.days_per_week``) in one
  replication (every call's times are drawn up front, so this bounds its memory);
- :data:`MAX_REPLICATIONS`: replications of one run (``--replications``);
- :data:`MAX_CALLS_PER_RUN`: calls kept by one ``simulate`` (every replication's calls are kept);
- :data:`MAX_GRID_CELLS`: cells of a sweep grid (the product of the numbers of values);
- :data:`MAX_SCENARIO_BYTES` and :data:`MAX_NESTING_DEPTH`: a scenario file or upload's size and
  how deeply its tables and lists nest; :data:`MAX_EXTENDS_CHAIN`: bases one ``extends`` chain
  may pass through;
- :data:`MAX_CALL_LOG_BYTES` and :data:`MAX_CALL_LOG_LINE_CHARS`: a call log's size and the
  longest line read.

The dashboard's uploads use the same limits. Numbers entering the lab must also be finite:
:func:`non_finite` finds the first infinity or NaN in a parsed table.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = [
    "MAX_CALLS_PER_REPLICATION",
    "MAX_CALLS_PER_RUN",
    "MAX_CALL_LOG_BYTES",
    "MAX_CALL_LOG_LINE_CHARS",
    "MAX_EXTENDS_CHAIN",
    "MAX_GRID_CELLS",
    "MAX_NESTING_DEPTH",
    "MAX_REPLICATIONS",
    "MAX_SCENARIO_BYTES",
    "LimitError",
    "calls_per_replication",
    "check_replications",
    "check_run",
    "check_scenario",
    "deepest",
    "non_finite",
    "size_text",
]

MAX_CALLS_PER_REPLICATION = 1_000_000
"""Calls (inbound calls and outbound leads) expected in one replication."""
MAX_REPLICATIONS = 10_000
"""Replications of one simulation run."""
MAX_CALLS_PER_RUN = 5_000_000
"""Calls kept in memory by one ``simulate`` (calls per replication × replications)."""
MAX_GRID_CELLS = 10_000
"""Cells of one sweep grid (every combination of the values)."""
MAX_SCENARIO_BYTES = 1_000_000
"""Size of a scenario file or upload (the shipped ones are under 5 kB)."""
MAX_NESTING_DEPTH = 16
"""Levels of tables and lists inside a scenario (the scenario keys use at most 5)."""
MAX_EXTENDS_CHAIN = 16
"""Base scenarios one ``extends`` chain may pass through."""
MAX_CALL_LOG_BYTES = 200_000_000
"""Size of a call log file or upload (about a million calls of a typical export)."""
MAX_CALL_LOG_LINE_CHARS = 100_000
"""Characters in one line of a call log (a phone-system row is a few hundred)."""


class LimitError(ValueError):
    """A request over one of the lab's limits; the message names the key or option and the
    limit."""


def size_text(n: float) -> str:
    """A size in bytes for reading (``1.0 MB``)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{int(n)} bytes"


def _inbound_calls(scenario: Any) -> float:
    """Expected inbound calls of one replication: calls per day × each day's volume (1 for a
    default day, 0 for a closed one; every day a default day without weekdays)."""
    from sim.weekdays import run_days  # imported lazily: the limits load before the scenario

    if not scenario.hours.by_weekday:
        return float(scenario.inbound.calls_per_day) * scenario.days
    volume = sum(0.0 if day.closed else day.volume for day in run_days(scenario))
    return float(scenario.inbound.calls_per_day) * volume


def _outbound_leads(scenario: Any) -> float:
    """Outbound leads of one replication: contacts per week × campaign days / campaign days per
    week (the engine's own count)."""
    from sim.weekdays import campaign_days

    out = scenario.outbound
    if out is None or out.contacts_per_week <= 0:
        return 0.0
    return float(out.contacts_per_week) * len(campaign_days(scenario)) / out.days_per_week


def calls_per_replication(scenario: Any) -> float:
    """Inbound calls and outbound leads one replication of ``scenario`` is expected to hold
    (the engine's own counts: calls per day × each day's volume, contacts per week × campaign
    days / campaign days per week)."""
    return _inbound_calls(scenario) + _outbound_leads(scenario)


def check_scenario(scenario: Any) -> list[tuple[str, str]]:
    """The problems (key, message) of a scenario over :data:`MAX_CALLS_PER_REPLICATION`."""
    calls = calls_per_replication(scenario)
    if calls <= MAX_CALLS_PER_REPLICATION:
        return []
    key = "inbound.calls_per_day"
    if _outbound_leads(scenario) > _inbound_calls(scenario):
        key = "outbound.contacts_per_week"
    return [
        (
            key,
            f"about {calls:,.0f} calls per replication (over {scenario.days} days); the limit "
            f"is {MAX_CALLS_PER_REPLICATION:,} calls per replication (lower the volume or days)",
        )
    ]


def check_replications(replications: int, option: str = "--replications") -> None:
    """:class:`LimitError` unless ``1 ≤ replications ≤`` :data:`MAX_REPLICATIONS`."""
    if isinstance(replications, bool) or not 1 <= int(replications) <= MAX_REPLICATIONS:
        raise LimitError(
            f"{option}: must be between 1 and {MAX_REPLICATIONS:,} (the limit), "
            f"got {replications!r}"
        )


def check_run(scenario: Any, replications: int, option: str = "--replications") -> None:
    """:class:`LimitError` if one ``simulate`` of ``scenario`` would keep more than
    :data:`MAX_CALLS_PER_RUN` calls (or ask for too many replications)."""
    check_replications(replications, option)
    calls = calls_per_replication(scenario) * int(replications)
    if calls > MAX_CALLS_PER_RUN:
        raise LimitError(
            f"{option}: {replications:,} replications of about "
            f"{calls_per_replication(scenario):,.0f} calls is {calls:,.0f} calls; the limit is "
            f"{MAX_CALLS_PER_RUN:,} calls per run (fewer replications, or fewer days)"
        )


def _children(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, Mapping):
        yield from ((str(k), v) for k, v in node.items())
    elif isinstance(node, list | tuple):
        yield from ((str(i), v) for i, v in enumerate(node))


def _clean(data: Any, limit: int) -> bool:
    """Whether ``data`` nests at most ``limit`` deep and holds only finite floats: the quick
    walk (no key paths) run first, since nearly every table is clean."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    pop, push = stack.pop, stack.extend
    while stack:
        node, depth = pop()
        if depth > limit:
            return False
        if isinstance(node, float):
            if not math.isfinite(node):
                return False
        elif isinstance(node, dict | Mapping):
            push((v, depth + 1) for v in node.values())
        elif isinstance(node, list | tuple):
            push((v, depth + 1) for v in node)
    return True


def deepest(data: Any, limit: int = MAX_NESTING_DEPTH) -> str | None:
    """The key path of the first value nested more than ``limit`` levels deep, or None (walked
    without recursion, so any depth is safe)."""
    if _clean(data, limit):
        return None
    stack: list[tuple[tuple[str, ...], Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if len(path) > limit:
            return ".".join(path[: limit + 1])
        stack.extend((((*path, k), v) for k, v in _children(node)))
    return None


def non_finite(data: Any) -> tuple[str, float] | None:
    """The key path and value of the first infinity or NaN in a parsed table, or None."""
    if _clean(data, 1 << 30):
        return None
    stack: list[tuple[tuple[str, ...], Any]] = [((), data)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            return ".".join(path), node
        stack.extend(reversed([((*path, k), v) for k, v in _children(node)]))
    return None
