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

**The registry.** :data:`KPIS` holds one :class:`KPI` per name (every ``KPI_NAMES`` and
``EXTRA_KPIS`` column, the per-arm figures of :mod:`sim.roi`, the columns of the breakdowns
``by_trigger``, ``by_interval`` and ``by_group`` and of a staffing plan's table): its label for
people, unit, which direction is better, definition and time basis. Every table, card and chart
that shows a KPI takes its label and its formatting from here: ``label(name)`` ("Transfer
completion"), ``format(name, value)`` ("90.8%", "$1,234", "2.35 min"). Targets are not part of
a KPI: they belong to whoever sets them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from sim.arrivals import DAY
from sim.capacity import busy_minutes, day_intervals
from sim.weekdays import counted_days_by_weekday, open_runs

if TYPE_CHECKING:
    import pandas as pd

    from sim.engine.measure import call_table, group_kpis, occupancy, replication_kpis
    from sim.scenario import Scenario

__all__ = [
    "BREAKDOWN_FIGURES",
    "EXTRA_KPIS",
    "KPI",
    "KPIS",
    "KPI_NAMES",
    "ROI_FIGURES",
    "STAFFING_FIGURES",
    "call_table",
    "counted_calls",
    "counted_days",
    "counted_days_by_interval",
    "counted_days_by_weekday",
    "format",
    "group_kpis",
    "label",
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


ROI_FIGURES = (
    "contacts",
    "intake_cost",
    "intake_cost_per_contact",
    "producer_busy_hours",
    "platform_cost",
    "cost_per_contact",
    "net_value_per_week",
    "net_value_per_month",
)
"""The per-arm figures of :mod:`sim.roi` that are not KPI columns (``Comparison.table`` rows)."""

BREAKDOWN_FIGURES = (
    "days_counted",
    "calls_per_day",
    "offered_per_day",
    "offered_per_replication",
    "answered_per_replication",
    "producers",
    "rostered_minutes",
    "busy_minutes",
    "occupancy",
)
"""Columns of the breakdowns (``by_trigger``, ``by_interval``, ``by_weekday``, ``by_group``)
that are not KPIs."""

STAFFING_FIGURES = (
    "minutes_per_call",
    "erlang_a",
    "difference",
    "headcount",
    "transfer_completion",
    "transfer_completion_low",
    "service_level_low",
    "abandonment",
    "abandonment_high",
    "occupancy_high",
    "judged_calls",
    "widest_half_width",
)
"""Columns of a staffing plan's table (``sim.staffing.StaffingPlan.table``) not named above: per
interval and group, at the planned producers, the mean and the bound the targets are checked at."""

Unit = Literal["share", "minutes", "hours", "dollars", "count"]
Direction = Literal["higher", "lower", "neither"]

NO_VALUE = "—"
"""How a missing value (None or NaN: no calls to divide by) is shown."""


def _share(value: float) -> str:
    return f"{value:.1%}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def _minutes(value: float) -> str:
    return f"{value:,.0f} min" if abs(value) >= 100 else f"{value:.2f} min"


def _hours(value: float) -> str:
    return f"{_number(value)} h"


def _dollars(value: float) -> str:
    sign = "−" if value < 0 else ""
    amount = abs(value)
    return f"{sign}${amount:,.2f}" if amount < 100 else f"{sign}${amount:,.0f}"


_FORMATS = {
    "share": _share,
    "minutes": _minutes,
    "hours": _hours,
    "dollars": _dollars,
    "count": _number,
}


@dataclass(frozen=True)
class KPI:
    """One KPI (or figure behind one), as every table, card and chart shows it."""

    name: str
    """The column name in ``Results.kpis`` and the summaries (snake_case)."""
    label: str
    """A short name for people ("Transfer completion")."""
    unit: Unit
    direction: Direction
    """Which way is better: ``"higher"``, ``"lower"``, or ``"neither"`` (a volume)."""
    definition: str
    """What it counts, in one or two sentences for an operations lead."""
    basis: str
    """What it is a share of, or the time it is counted over."""

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"

    def within_range(self, value: float) -> float:
        """``value`` held to what the figure can be: a share in [0, 1], minutes, hours and
        counts at least 0 (a Student-t interval over few replications can cross those bounds;
        money, which can be a loss, is left as it is)."""
        if math.isnan(value):
            return value
        if self.unit == "share":
            return min(max(value, 0.0), 1.0)
        if self.unit in ("minutes", "hours", "count"):
            return max(value, 0.0)
        return value

    def format(self, value: float | None) -> str:
        """``value`` for people: ``90.8%``, ``$1,234``, ``$9.65``, ``2.35 min``, ``1,234``; ``—``
        for a missing value."""
        if value is None or (isinstance(value, float | np.floating) and math.isnan(value)):
            return NO_VALUE
        return _FORMATS[self.unit](value)


PER_REPLICATION = "per replication (one run of the scenario's simulated days, after the warm-up)"
OF_CALLS = "share of calls"
OF_OFFERED = "share of offered transfers"
OF_CONNECTED = "share of connected transfers"
PER_DAY = "per open simulated day (after the warm-up), pooled over replications"
POOLED = "per replication, pooled over replications"
IN_INTERVAL = "producers on duty in the interval"


def _kpis(*specs: tuple) -> dict[str, KPI]:
    return {spec[0]: KPI(*spec) for spec in specs}


KPIS: dict[str, KPI] = _kpis(
    # --- KPI_NAMES
    ("containment_rate", "Contained by AI", "share", "higher",
     "Calls the voice AI resolved without a producer, out of all calls.", OF_CALLS),
    ("transfer_rate", "Transferred", "share", "lower",
     "Calls offered to producers (escalated by the AI or sent on by human intake) / calls.",
     OF_CALLS),
    ("transfer_completion_rate", "Transfer completion", "share", "higher",
     "Transfers offered to producers that were bridged to a live producer.", OF_OFFERED),
    ("abandonment_rate", "Abandonment", "share", "lower",
     "Offered transfers where the caller hung up while waiting.", OF_OFFERED),
    ("p_wait", "Had to wait", "share", "lower", "Offered transfers that waited at all.",
     OF_OFFERED),
    ("mean_wait_minutes", "Mean wait", "minutes", "lower",
     "Mean wait for a producer over all offered transfers.",
     "mean over offered transfers (answered, abandoned, and those nobody was on shift for)"),
    ("service_level", "Service level", "share", "higher",
     "Offered transfers answered within the scenario's service-level seconds.", OF_OFFERED),
    ("producer_occupancy", "Producer occupancy", "share", "neither",
     "Producer busy time (calls, whisper, wrap-up, callbacks) / rostered shift time.",
     "share of rostered shift time"),
    ("post_transfer_conversion_rate", "Post-transfer conversion", "share", "higher",
     "Connected transfers that produced an appointment or application.", OF_CONNECTED),
    ("first_call_resolution_rate", "First-call resolution", "share", "higher",
     "Connected calls the producer closed or advanced in the same call.", OF_CONNECTED),
    ("repeat_explain_rate", "Repeat-explain", "share", "lower",
     "Warm transfers where the producer re-asked something the AI had captured "
     "(the target is 0).", "share of connected warm transfers from the AI"),
    ("ai_minutes", "AI minutes", "minutes", "neither",
     "Minutes the AI was on the line: talk, hold while ringing, whisper, unanswered dials.",
     PER_REPLICATION),
    ("ai_cost", "AI cost", "dollars", "lower", "AI minutes × price, per replication.",
     PER_REPLICATION),
    ("human_cost", "Human cost", "dollars", "lower",
     "Human intake calls × cost per call + rostered producer hours × hourly cost.",
     PER_REPLICATION),
    ("total_cost", "Total cost", "dollars", "lower",
     "AI + human intake + producer cost, per replication.", PER_REPLICATION),
    ("cost_per_call", "Cost per call", "dollars", "lower",
     "AI + human intake + producer cost / calls.", "per call"),
    ("cost_per_acquisition", "Cost per sale", "dollars", "lower",
     "Total cost / policies sold.", "per policy sold"),
    ("policies_sold", "Policies sold", "count", "higher",
     "Sales per replication (on transfers and on callbacks).", PER_REPLICATION),
    # --- EXTRA_KPIS
    ("calls", "Calls", "count", "neither",
     "Conversations: every inbound call and every answered outbound dial.", PER_REPLICATION),
    ("inbound_calls", "Inbound calls", "count", "neither", "Inbound conversations.",
     PER_REPLICATION),
    ("outbound_calls", "Outbound calls", "count", "neither",
     "Outbound dials that were answered (conversations).", PER_REPLICATION),
    ("ai_handled", "Handled by AI", "count", "neither",
     "Calls the voice AI took (the rest went to human intake).", PER_REPLICATION),
    ("ai_containment_rate", "AI containment", "share", "higher",
     "Calls the AI resolved, out of the calls the AI handled.",
     "share of calls the AI handled"),
    ("ai_overflow", "AI overflow", "count", "lower",
     "Callers sent to the AI who found every AI line busy and fell back to human intake.",
     PER_REPLICATION),
    ("offered", "Offered to producers", "count", "neither",
     "Calls offered to producers (escalated by the AI or sent on by human intake).",
     PER_REPLICATION),
    ("answered", "Answered by a producer", "count", "higher",
     "Offered transfers a producer picked up.", PER_REPLICATION),
    ("connected", "Connected", "count", "higher",
     "Offered transfers bridged to a live producer.", PER_REPLICATION),
    ("abandoned", "Abandoned", "count", "lower",
     "Offered transfers where the caller hung up while waiting.", PER_REPLICATION),
    ("failed", "Failed bridges", "count", "lower",
     "Offered transfers whose bridge to the producer failed.", PER_REPLICATION),
    ("no_producer", "No producer on shift", "count", "lower",
     "Offered transfers with nobody of the group on shift.", PER_REPLICATION),
    ("mean_wait_answered_minutes", "Mean wait when answered", "minutes", "lower",
     "Mean wait for a producer over the offered transfers a producer answered.",
     "mean over answered transfers"),
    ("callbacks_booked", "Callbacks booked", "count", "neither",
     "Callers who did not reach a producer and were booked a callback.", PER_REPLICATION),
    ("callbacks_made", "Callbacks made", "count", "neither",
     "Booked callbacks a producer dialled.", PER_REPLICATION),
    ("callbacks_reached", "Callbacks reached", "count", "higher",
     "Callbacks that reached the caller.", PER_REPLICATION),
    ("outbound_leads", "Outbound leads", "count", "neither",
     "Leads on the outbound list (dialled or not).", PER_REPLICATION),
    ("outbound_no_consent", "Leads without consent", "count", "neither",
     "Leads not dialled: no consent on record.", PER_REPLICATION),
    ("outbound_dnc_suppressed", "Leads on do-not-call", "count", "neither",
     "Leads not dialled: on a do-not-call list.", PER_REPLICATION),
    ("outbound_outside_window", "Leads outside calling hours", "count", "lower",
     "Leads not dialled: outside the hours calls are allowed.", PER_REPLICATION),
    ("outbound_dialled", "Outbound dials", "count", "neither",
     "Leads dialled (answered or not).", PER_REPLICATION),
    ("outbound_answered", "Outbound dials answered", "count", "higher",
     "Dials the lead answered.", PER_REPLICATION),
    ("human_intake_calls", "Human intake calls", "count", "neither",
     "Calls a person took instead of the AI.", PER_REPLICATION),
    ("human_intake_cost", "Human intake cost", "dollars", "lower",
     "Human intake calls × cost per call.", PER_REPLICATION),
    ("producer_hours", "Producer hours", "hours", "neither",
     "Rostered producer hours (on shift, busy or not).", PER_REPLICATION),
    ("producer_cost", "Producer cost", "dollars", "lower",
     "Rostered producer hours × hourly cost.", PER_REPLICATION),
    ("revenue", "Revenue", "dollars", "higher", "Policies sold × revenue per policy.",
     PER_REPLICATION),
    ("net_value", "Net value", "dollars", "higher", "Revenue − total cost.", PER_REPLICATION),
    # --- ROI_FIGURES (sim.roi.arm_metrics)
    ("contacts", "Contacts", "count", "neither", "Calls (conversations), as in the KPIs.",
     PER_REPLICATION),
    ("intake_cost", "Intake cost", "dollars", "lower", "AI cost + human intake cost.",
     PER_REPLICATION),
    ("intake_cost_per_contact", "Intake cost per contact", "dollars", "lower",
     "AI cost + human intake cost / contacts.", "per contact"),
    ("producer_busy_hours", "Producer busy hours", "hours", "neither",
     "Producer busy time (calls, whisper, wrap-up, callbacks) in hours.", PER_REPLICATION),
    ("platform_cost", "Platform fee", "dollars", "lower",
     "The AI platform's monthly fee, prorated to the simulated days (AI arm only).",
     PER_REPLICATION),
    ("cost_per_contact", "Cost per contact", "dollars", "lower",
     "Total cost (platform fee included) / contacts.", "per contact"),
    ("net_value_per_week", "Net value per week", "dollars", "higher",
     "Revenue − all costs, per week of the agency's open days.", "per week"),
    ("net_value_per_month", "Net value per month", "dollars", "higher",
     "Revenue − all costs, per month (52/12 weeks).", "per month"),
    # --- BREAKDOWN_FIGURES (by_trigger, by_interval, by_weekday, by_group)
    ("days_counted", "Days counted", "count", "neither",
     "Open days of the weekday in the run (after the warm-up).", "summed over replications"),
    ("calls_per_day", "Calls per day", "count", "neither",
     "Calls arriving in the interval (or on the weekday), per open day.", PER_DAY),
    ("offered_per_day", "Offered per day", "count", "neither",
     "Transfers offered to producers, per day.", PER_DAY),
    ("offered_per_replication", "Offered per replication", "count", "neither",
     "Transfers offered to producers.", POOLED),
    ("answered_per_replication", "Answered per replication", "count", "neither",
     "Transfers the group's producers answered.", POOLED),
    ("producers", "Producers", "count", "neither", "Producers of the group on shift.",
     "as rostered"),
    ("rostered_minutes", "Rostered minutes", "minutes", "neither",
     "The group's rostered shift time.", PER_REPLICATION),
    ("busy_minutes", "Busy minutes", "minutes", "neither",
     "The group's busy time (calls, whisper, wrap-up, callbacks) inside shifts.",
     PER_REPLICATION),
    ("occupancy", "Occupancy", "share", "neither",
     "The group's busy time / its rostered shift time.", "share of rostered shift time"),
    # --- STAFFING_FIGURES (StaffingPlan.table: one interval of one group)
    ("minutes_per_call", "Minutes per call", "minutes", "neither",
     "Producer work per offered transfer: talk, whisper and wrap-up.",
     "mean over offered transfers"),
    ("erlang_a", "Erlang A producers", "count", "neither",
     "Producers Erlang A asks for to meet the targets.", IN_INTERVAL),
    ("difference", "Producers over Erlang A", "count", "neither",
     "Planned producers − Erlang A's.", IN_INTERVAL),
    ("headcount", "Headcount", "count", "neither",
     "Planned producers ÷ (1 − shrinkage), rounded up.", IN_INTERVAL),
    ("transfer_completion", "Transfer completion (mean)", "share", "higher",
     "Offered transfers bridged to a producer, mean over the replications.", OF_OFFERED),
    ("transfer_completion_low", "Transfer completion (95% low)", "share", "higher",
     "The lower 95% bound of transfer completion, which the target is checked at.", OF_OFFERED),
    ("service_level_low", "Service level (95% low)", "share", "higher",
     "The lower 95% bound of the service level, which the target is checked at.", OF_OFFERED),
    ("abandonment", "Abandonment (mean)", "share", "lower",
     "Offered transfers where the caller hung up waiting, mean over the replications.",
     OF_OFFERED),
    ("abandonment_high", "Abandonment (95% high)", "share", "lower",
     "The upper 95% bound of abandonment, which the target is checked at.", OF_OFFERED),
    ("occupancy_high", "Occupancy (95% high)", "share", "neither",
     "The upper 95% bound of occupancy, which the target is checked at.",
     "share of rostered shift time"),
    ("judged_calls", "Calls judged", "count", "neither",
     "Offered transfers in the interval and its neighbouring intervals of the same group, over "
     "all replications: the calls the interval's bounds rest on.", "summed over replications"),
    ("widest_half_width", "Widest 95% half-width", "share", "lower",
     "The widest half-width of the 95% intervals the interval's targets are judged on: how far "
     "the bound can sit from the mean.", OF_OFFERED),
)  # fmt: skip
"""Every KPI and figure by name (``KPI_NAMES``, ``EXTRA_KPIS``, ``ROI_FIGURES``,
``BREAKDOWN_FIGURES``, ``STAFFING_FIGURES``)."""


def _kpi(name: str) -> KPI:
    try:
        return KPIS[name]
    except KeyError:
        raise KeyError(f"unknown KPI {name!r}; known: {', '.join(KPIS)}") from None


def label(name: str) -> str:
    """The KPI's short name for people: ``label("transfer_completion_rate")`` is
    ``"Transfer completion"``. KeyError naming the known KPIs for an unknown one."""
    return _kpi(name).label


def format(name: str, value: float | None) -> str:
    """``value`` of KPI ``name`` for people: ``format("service_level", 0.908)`` is ``"90.8%"``,
    ``format("total_cost", 1234.4)`` ``"$1,234"``, ``format("mean_wait_minutes", 2.351)``
    ``"2.35 min"``; ``"—"`` for None or NaN."""
    return _kpi(name).format(value)


def counted_calls(
    calls: pd.DataFrame, scenario: Scenario, where: np.ndarray | None = None
) -> pd.DataFrame:
    """The calls that count in KPIs: those arriving at or after the warm-up (leads never dialled
    have no arrival time and always count), and of those only the rows ``where`` (a boolean
    mask over ``calls``) keeps, in one selection: the table is not copied whole on the way to
    a part of it (with a warm-up, a copy of every column), nor at all when every row is kept."""
    counted = ~(calls["arrival"].to_numpy() < scenario.warmup_minutes)
    if where is not None:
        counted &= where
    return calls if counted.all() else calls[counted]


def counted_days(scenario: Scenario, replications: int = 1) -> float:
    """Open simulated days counted in the KPIs (after the warm-up; not closed weekdays), summed
    over ``replications``: what per-day figures divide by. Never zero (a warm-up that covers
    the whole run counts no calls, so every per-day figure is 0)."""
    if scenario.hours.by_weekday:
        return max(float(counted_days_by_weekday(scenario).sum()), 1e-9) * replications
    return max(scenario.days - scenario.warmup_minutes / DAY, 1e-9) * replications


def counted_days_by_interval(
    scenario: Scenario, minutes: float, replications: int = 1
) -> np.ndarray:
    """Open days counted in each ``minutes`` interval of the day (from 00:00; the last one cut
    at midnight), summed over ``replications``: the open days, fewer for intervals the warm-up
    covers (a fraction for the one it ends in). Per-interval figures per day divide by these
    (per open day, as ``inbound.calls_per_day``)."""
    grid = day_intervals(minutes)
    run = open_runs(scenario)
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
