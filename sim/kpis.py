"""The KPIs an operations lead reads: their definitions, names, and which calls and days count.

They are computed from a replication's record in :mod:`sim.engine.measure`.

Definitions (for calls counted, i.e. arriving at or after ``warmup_minutes``):

- A **call** is a conversation: every inbound call and every answered outbound dial. Leads that
  were never dialled or did not answer are kept in the call table with their control outcome
  but are not calls.
- ``containment_rate`` = calls the AI resolved / calls; ``transfer_rate`` = calls offered to
  producers (escalated by the AI or sent by human intake) / calls. The two sum to 1.
  ``ai_containment_rate`` = calls the AI resolved / calls the AI handled (NaN if none).
- For calls **offered** to producers: ``abandonment_rate`` = hung up waiting / offered;
  ``p_wait`` = waited more than zero / offered; ``mean_wait_minutes`` = mean wait over all
  offered (answered, abandoned, and those for whom nobody was on shift);
  ``service_level`` = answered within ``service_level_seconds`` / offered;
  ``transfer_completion_rate`` = bridged to a producer / offered.
- ``post_transfer_conversion_rate`` and ``first_call_resolution_rate`` are over connected calls;
  ``repeat_explain_rate`` over connected warm transfers from the AI (NaN if none).
- ``producer_occupancy`` = producer busy time (calls, whisper, wrap-up, callbacks) inside shifts
  / rostered shift time.
- Money: ``ai_cost`` = AI minutes (talk, hold while ringing, whisper, unanswered dials) × price;
  ``human_cost`` = human intake calls × ``human_cost_per_call`` + rostered producer hours ×
  ``producer_hourly``; ``total_cost`` = the two; ``cost_per_call`` = total / calls;
  ``cost_per_acquisition`` = total / policies sold (NaN if none); ``policies_sold`` counts sales
  on transfers and on callbacks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.arrivals import DAY
from sim.capacity import busy_minutes, day_intervals

if TYPE_CHECKING:
    import pandas as pd

    from sim.engine.measure import call_table, group_kpis, occupancy, replication_kpis
    from sim.scenario import Scenario

__all__ = [
    "EXTRA_KPIS",
    "KPI_NAMES",
    "call_table",
    "counted_calls",
    "counted_days",
    "counted_days_by_interval",
    "group_kpis",
    "occupancy",
    "replication_kpis",
]

KPI_NAMES = (
    "containment_rate",
    "transfer_rate",
    "transfer_completion_rate",
    "abandonment_rate",
    "p_wait",
    "mean_wait_minutes",
    "service_level",
    "producer_occupancy",
    "post_transfer_conversion_rate",
    "first_call_resolution_rate",
    "repeat_explain_rate",
    "ai_minutes",
    "ai_cost",
    "human_cost",
    "total_cost",
    "cost_per_call",
    "cost_per_acquisition",
    "policies_sold",
)
"""The fixed KPI names, one column each in ``Results.kpis``."""

EXTRA_KPIS = (
    "calls",
    "inbound_calls",
    "outbound_calls",
    "ai_handled",
    "ai_containment_rate",
    "ai_overflow",
    "offered",
    "answered",
    "connected",
    "abandoned",
    "failed",
    "no_producer",
    "mean_wait_answered_minutes",
    "callbacks_booked",
    "callbacks_made",
    "callbacks_reached",
    "outbound_leads",
    "outbound_no_consent",
    "outbound_dnc_suppressed",
    "outbound_outside_window",
    "outbound_dialled",
    "outbound_answered",
    "human_intake_calls",
    "human_intake_cost",
    "producer_hours",
    "producer_cost",
    "revenue",
    "net_value",
)
"""Counts and money behind the KPIs, also one column each."""


def counted_calls(calls: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The calls that count in KPIs: those arriving at or after the warm-up (leads never dialled
    have no arrival time and always count). No copy when nothing is excluded."""
    counted = ~(calls["arrival"].to_numpy() < scenario.warmup_minutes)
    return calls if counted.all() else calls[counted]


def counted_days(scenario: Scenario, replications: int = 1) -> float:
    """Simulated days counted in the KPIs (the run after the warm-up), summed over
    ``replications``: what per-day figures divide by. Never zero (a warm-up that covers the
    whole run counts no calls, so every per-day figure is 0)."""
    days = max(scenario.days - scenario.warmup_minutes / DAY, 1e-9)
    return days * replications


def counted_days_by_interval(
    scenario: Scenario, minutes: float, replications: int = 1
) -> np.ndarray:
    """Days counted in each ``minutes`` interval of the day (from 00:00; the last one cut at
    midnight), summed over ``replications``: ``scenario.days`` where there is no warm-up, fewer
    for intervals the warm-up covers (a fraction for the one it ends in). Per-interval figures
    per day divide by these."""
    grid = day_intervals(minutes)
    run = np.array([[0.0, scenario.days * float(DAY)]])
    covered = busy_minutes(run[:, 0], run[:, 1], run, start=scenario.warmup_minutes,
                           intervals=grid)  # fmt: skip
    return covered / grid.lengths * replications


_MOVED = ("call_table", "group_kpis", "occupancy", "replication_kpis")
"""Computed in :mod:`sim.engine.measure`; re-exported here (lazily, so that importing the name
lists needs neither pandas nor the engine) for the imports that name them from ``sim.kpis``."""


def __getattr__(name: str) -> Any:
    if name in _MOVED:
        from sim.engine import measure

        return getattr(measure, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
