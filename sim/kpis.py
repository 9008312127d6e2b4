"""From a replication's record to the call table and the KPIs an operations lead reads.

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

import numpy as np
import pandas as pd

from sim.arrivals import DAY
from sim.capacity import busy_minutes, day_intervals, on_duty_minutes, producer_busy
from sim.model import FALLBACKS, OUTCOMES, PATHS, CallRecord
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

_CONVERSATION = ("contained", "connected", "abandoned", "failed", "no_producer")


def call_table(record: CallRecord, scenario: Scenario, replication: int = 0) -> pd.DataFrame:
    """One row per call (and per outbound lead), every stage's times in minutes from the start
    of day 0, with readable labels."""
    c = record.columns
    types = [*scenario.call_types, "outbound"]
    zones = list(scenario.outbound.lead_timezones) if scenario.outbound else []
    groups = [d.name for d in scenario.destinations]
    n = len(c["arrival"])
    transfer_at = c["transfer_at"]
    answered = ~np.isnan(c["answer_at"])
    wait = np.where(answered, c["answer_at"], c["end_at"]) - transfer_at
    ai = c["path"] == 0
    conversation = np.isin(c["outcome"], [OUTCOMES.index(o) for o in _CONVERSATION])
    human_intake = (c["path"] == 1) & conversation
    arrival = c["arrival"]
    data = {
        "replication": np.full(n, replication, dtype=np.int32),
        "call_id": np.arange(n, dtype=np.int64),
        "direction": pd.Categorical.from_codes(c["direction"], ["inbound", "outbound"]),
        "call_type": pd.Categorical.from_codes(c["call_type"], types),
        "lead_timezone": pd.Categorical.from_codes(c["lead_timezone"], zones),
        "path": pd.Categorical.from_codes(c["path"], PATHS),
        "ai_overflow": c["ai_overflow"],
        "routine": c["routine"],
        "trigger": pd.Categorical.from_codes(c["trigger"], scenario.triggers),
        "arrival": arrival,
        "day": np.floor(arrival / DAY),
        "minute_of_day": arrival % DAY,
        "ai_start": c["ai_start"],
        "ai_end": c["ai_end"],
        "transfer_at": transfer_at,
        "answer_at": c["answer_at"],
        "wait_minutes": wait,
        "ai_leave": c["ai_leave"],
        "end_at": c["end_at"],
        "release_at": c["release_at"],
        "group": pd.Categorical.from_codes(c["group"], groups),
        "first_group": pd.Categorical.from_codes(c["first_group"], groups),
        "ring_overs": c["ring_overs"],
        "outcome": pd.Categorical.from_codes(c["outcome"], OUTCOMES),
        "fallback": pd.Categorical.from_codes(c["fallback"], FALLBACKS),
        "callback_group": pd.Categorical.from_codes(c["callback_group"], groups),
        "callback_at": c["callback_at"],
        "callback_end": c["callback_end"],
        "callback_reached": c["callback_reached"],
        "fields_missing": np.where(ai & (~np.isnan(transfer_at)), c["fields_missing"], 0),
        "repeat_explain": c["repeat_explain"],
        "converted_on_transfer": c["converted_on_transfer"],
        "converted": c["converted"],
        "first_call_resolution": c["first_call_resolution"],
        "ai_minutes": c["ai_minutes"],
        "ai_cost": c["ai_minutes"] * scenario.ai.cost_per_minute,
        "human_intake_cost": np.where(human_intake, scenario.costs.human_cost_per_call, 0.0),
    }
    for k, field in enumerate(scenario.intake.fields):
        data[f"captured_{field}"] = ai & (((c["capture_mask"] >> k) & 1) == 1)
    # copy=False keeps each column its own array: no consolidation copy of a large record.
    return pd.DataFrame(data, copy=False)


def occupancy(
    calls: pd.DataFrame,
    scenario: Scenario,
    windows: list[np.ndarray],
    capacity: list[tuple[np.ndarray, np.ndarray]],
) -> pd.DataFrame:
    """Per producer group: rostered minutes, busy minutes inside shifts, occupancy.

    Busy time is every producer activity (live calls from answer to release, callbacks) that
    falls inside the group's shift windows after the warm-up, whenever the call arrived: pass
    the whole call table, not only the counted calls (the warm-up is clipped from the windows).
    """
    rows = []
    start_count = scenario.warmup_minutes
    for g, dest in enumerate(scenario.destinations):
        w = np.clip(windows[g], start_count, None)
        w = w[w[:, 1] > w[:, 0]]
        rostered = on_duty_minutes(capacity[g], w)
        starts, ends, _ = producer_busy(calls, g)
        busy = busy_minutes(starts, ends, w)
        rows.append(
            {
                "group": dest.name,
                # mean producers on duty while on shift (a roster varies through the day)
                "producers": rostered / shift
                if (shift := float((w[:, 1] - w[:, 0]).sum()))
                else float(dest.producers),
                "rostered_minutes": rostered,
                "busy_minutes": busy,
                "occupancy": busy / rostered if rostered > 0 else np.nan,
            }
        )
    return pd.DataFrame(rows)


def _is(calls: pd.DataFrame, column: str, *labels: str) -> np.ndarray:
    """Rows whose categorical ``column`` holds one of ``labels``, compared on the category codes
    (no per-row strings are made, which matters for a million-call record)."""
    cat = calls[column].cat
    wanted = [cat.categories.get_loc(label) for label in labels if label in cat.categories]
    codes = cat.codes.to_numpy()
    if len(wanted) == 1:
        return codes == wanted[0]
    return np.isin(codes, wanted)


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else float("nan")


def group_kpis(calls: pd.DataFrame, scenario: Scenario) -> dict[str, float]:
    """The rate KPIs that can be computed for any subset of calls (a trigger, an interval)."""
    conversation = _is(calls, "outcome", *_CONVERSATION)
    offered_mask = ~np.isnan(calls["transfer_at"].to_numpy())
    connected_mask = _is(calls, "outcome", "connected")
    n_calls = int(conversation.sum())
    offered = int(offered_mask.sum())
    wait = calls["wait_minutes"].to_numpy()[offered_mask]
    answered_mask = ~np.isnan(calls["answer_at"].to_numpy()[offered_mask])
    sl = scenario.service_level_seconds / 60.0
    warm = connected_mask & _is(calls, "path", "ai")
    return {
        "calls": n_calls,
        "offered": offered,
        "containment_rate": _ratio(_is(calls, "outcome", "contained").sum(), n_calls),
        "transfer_rate": _ratio(offered, n_calls),
        "transfer_completion_rate": _ratio(connected_mask.sum(), offered),
        "abandonment_rate": _ratio(_is(calls, "outcome", "abandoned").sum(), offered),
        "p_wait": _ratio((wait > 1e-9).sum(), offered),
        "mean_wait_minutes": float(wait.mean()) if offered else float("nan"),
        "service_level": _ratio((answered_mask & (wait <= sl + 1e-9)).sum(), offered),
        "post_transfer_conversion_rate": _ratio(
            calls["converted_on_transfer"].to_numpy().sum(), connected_mask.sum()
        ),
        "first_call_resolution_rate": _ratio(
            calls["first_call_resolution"].to_numpy().sum(), connected_mask.sum()
        ),
        "repeat_explain_rate": _ratio(calls["repeat_explain"].to_numpy().sum(), warm.sum()),
    }


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


def replication_kpis(
    calls: pd.DataFrame, scenario: Scenario, record: CallRecord
) -> tuple[dict[str, float], pd.DataFrame]:
    """Every KPI of one replication (``KPI_NAMES`` and ``EXTRA_KPIS``), and its per-group
    occupancy table."""
    df = counted_calls(calls, scenario)
    k = group_kpis(df, scenario)
    conversation = _is(df, "outcome", *_CONVERSATION)
    ai_handled = conversation & _is(df, "path", "ai")
    occ = occupancy(calls, scenario, record.shift_windows, record.capacity)
    rostered = occ["rostered_minutes"].sum()
    producer_hours = rostered / 60.0
    producer_cost = producer_hours * scenario.costs.producer_hourly
    ai_minutes = float(df["ai_minutes"].sum())
    ai_cost = ai_minutes * scenario.ai.cost_per_minute
    human_intake_cost = float(df["human_intake_cost"].sum())
    human_cost = human_intake_cost + producer_cost
    total_cost = ai_cost + human_cost
    policies = int(df["converted"].sum())
    revenue = policies * scenario.costs.revenue_per_policy
    outbound = _is(df, "direction", "outbound")
    answered = ~np.isnan(df["answer_at"].to_numpy())
    offered_mask = ~np.isnan(df["transfer_at"].to_numpy())
    k.update(
        {
            "inbound_calls": int((conversation & ~outbound).sum()),
            "outbound_calls": int((conversation & outbound).sum()),
            "ai_handled": int(ai_handled.sum()),
            "ai_containment_rate": _ratio(_is(df, "outcome", "contained").sum(), ai_handled.sum()),
            "ai_overflow": int(df["ai_overflow"].sum()),
            "answered": int((answered & offered_mask).sum()),
            "connected": int(_is(df, "outcome", "connected").sum()),
            "abandoned": int(_is(df, "outcome", "abandoned").sum()),
            "failed": int(_is(df, "outcome", "failed").sum()),
            "no_producer": int(_is(df, "outcome", "no_producer").sum()),
            "mean_wait_answered_minutes": float(
                df["wait_minutes"].to_numpy()[answered & offered_mask].mean()
            )
            if (answered & offered_mask).any()
            else float("nan"),
            "callbacks_booked": int(df["callback_group"].notna().sum()),
            "callbacks_made": int((~np.isnan(df["callback_at"].to_numpy())).sum()),
            "callbacks_reached": int(df["callback_reached"].sum()),
            "outbound_leads": int(outbound.sum()),
            "outbound_no_consent": int(_is(df, "outcome", "no_consent").sum()),
            "outbound_dnc_suppressed": int(_is(df, "outcome", "dnc_suppressed").sum()),
            "outbound_outside_window": int(_is(df, "outcome", "outside_window").sum()),
            "outbound_dialled": int(
                (outbound & _is(df, "outcome", *_CONVERSATION, "no_answer")).sum()
            ),
            "outbound_answered": int((conversation & outbound).sum()),
            "producer_occupancy": _ratio(occ["busy_minutes"].sum(), rostered),
            "ai_minutes": ai_minutes,
            "ai_cost": ai_cost,
            "human_intake_calls": int((conversation & _is(df, "path", "human")).sum()),
            "human_intake_cost": human_intake_cost,
            "producer_hours": producer_hours,
            "producer_cost": producer_cost,
            "human_cost": human_cost,
            "total_cost": total_cost,
            "cost_per_call": _ratio(total_cost, k["calls"]),
            "cost_per_acquisition": _ratio(total_cost, policies),
            "policies_sold": policies,
            "revenue": revenue,
            "net_value": revenue - total_cost,
        }
    )
    return {name: k[name] for name in (*KPI_NAMES, *EXTRA_KPIS)}, occ
