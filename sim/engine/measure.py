"""Measuring a replication: from its columnar record to the call table and the KPIs.

The call table is one row per call (and per outbound lead) with every stage's times in minutes
from the start of day 0 and categorical labels, built once from the record's numpy columns (the
flat-record-into-a-DataFrame pattern of Ciw's ``DataRecord`` and Mesa's ``DataCollector``). The
KPI definitions are those in :mod:`sim.kpis`, whose name lists fix the columns of
``Results.kpis``; the per-group occupancy is busy time inside shifts over rostered time, measured
with :func:`sim.engine.capacity.busy_minutes`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.engine.capacity import busy_minutes, on_duty_minutes, producer_busy
from sim.engine.codes import FALLBACKS, OUTCOMES, PATHS, Path
from sim.engine.record import TIME, CallRecord
from sim.kpis import EXTRA_KPIS, KPI_NAMES, counted_calls
from sim.scenario import Scenario

__all__ = ["call_table", "group_kpis", "occupancy", "replication_kpis"]

CONVERSATION = ("contained", "connected", "abandoned", "failed", "no_producer")
"""Outcomes that are conversations (calls), as opposed to leads never reached."""


def call_table(record: CallRecord, scenario: Scenario, replication: int = 0) -> pd.DataFrame:
    """One row per call (and per outbound lead), every stage's times in minutes from the start
    of day 0 (float32, see :mod:`sim.engine.record`), with readable labels.

    The record's columns become the table's without a copy; only the ids, the costs and the
    captured-field flags are new columns."""
    c = record.columns
    types = [*scenario.call_types, "outbound"]
    zones = list(scenario.outbound.lead_timezones) if scenario.outbound else []
    groups = [d.name for d in scenario.destinations]
    n = len(c["arrival"])
    transfer_at = c["transfer_at"]
    ai = c["path"] == Path.AI
    conversation = np.isin(c["outcome"], [OUTCOMES.index(o) for o in CONVERSATION])
    human_intake = (c["path"] == Path.HUMAN) & conversation
    del conversation
    arrival = c["arrival"]
    human_cost = np.zeros(n, dtype=TIME)
    human_cost[human_intake] = scenario.costs.human_cost_per_call
    del human_intake
    fields_missing = c["fields_missing"]
    fields_missing[~(ai & ~np.isnan(transfer_at))] = 0  # counted for AI transfers only
    data = {
        "replication": np.full(n, replication, dtype=np.int32),
        "call_id": np.arange(n, dtype=np.int32),
        "direction": _labelled(c["direction"], ["inbound", "outbound"]),
        "call_type": _labelled(c["call_type"], types),
        "lead_timezone": _labelled(c["lead_timezone"], zones),
        "path": _labelled(c["path"], PATHS),
        "ai_overflow": c["ai_overflow"],
        "routine": c["routine"],
        "trigger": _labelled(c["trigger"], scenario.triggers),
        "segment": _labelled(c["segment"], [s.name for s in scenario.segments]),
        "arrival": arrival,
        "day": c["day"],
        "minute_of_day": c["minute_of_day"],
        "ai_start": c["ai_start"],
        "ai_end": c["ai_end"],
        "transfer_at": transfer_at,
        "answer_at": c["answer_at"],
        "wait_minutes": c["wait_minutes"],
        "ai_leave": c["ai_leave"],
        "end_at": c["end_at"],
        "release_at": c["release_at"],
        "group": _labelled(c["group"], groups),
        "first_group": _labelled(c["first_group"], groups),
        "ring_overs": c["ring_overs"],
        "outcome": _labelled(c["outcome"], OUTCOMES),
        "fallback": _labelled(c["fallback"], FALLBACKS),
        "callback_group": _labelled(c["callback_group"], groups),
        "callback_at": c["callback_at"],
        "callback_end": c["callback_end"],
        "callback_reached": c["callback_reached"],
        "fields_missing": fields_missing,
        "repeat_explain": c["repeat_explain"],
        "converted_on_transfer": c["converted_on_transfer"],
        "converted": c["converted"],
        "first_call_resolution": c["first_call_resolution"],
        "ai_minutes": c["ai_minutes"],
        "ai_cost": c["ai_minutes"] * TIME(scenario.ai.cost_per_minute),
        "human_intake_cost": human_cost,
    }
    mask = c["capture_mask"]
    for k, field in enumerate(scenario.intake.fields):
        captured = (mask >> k) & 1 == 1
        captured &= ai
        data[f"captured_{field}"] = captured
    # copy=False keeps each column its own array: no consolidation copy of a large record.
    return pd.DataFrame(data, copy=False)


def _labelled(codes: np.ndarray, labels: Sequence[str]) -> pd.Categorical:
    """A categorical column over the record's small-integer codes (-1: none); pandas keeps them
    without a copy when they are already its code type (one byte, up to 127 labels)."""
    return pd.Categorical.from_codes(codes, labels)


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
    conversation = _is(calls, "outcome", *CONVERSATION)
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
        # compared with and summed in float64 (numpy scalars of float64 make the comparison so)
        "p_wait": _ratio((wait > np.float64(1e-9)).sum(), offered),
        "mean_wait_minutes": float(wait.mean(dtype=np.float64)) if offered else float("nan"),
        "service_level": _ratio((answered_mask & (wait <= np.float64(sl + 1e-9))).sum(), offered),
        "post_transfer_conversion_rate": _ratio(
            calls["converted_on_transfer"].to_numpy().sum(), connected_mask.sum()
        ),
        "first_call_resolution_rate": _ratio(
            calls["first_call_resolution"].to_numpy().sum(), connected_mask.sum()
        ),
        "repeat_explain_rate": _ratio(calls["repeat_explain"].to_numpy().sum(), warm.sum()),
    }


def replication_kpis(
    calls: pd.DataFrame, scenario: Scenario, record: CallRecord
) -> tuple[dict[str, float], pd.DataFrame]:
    """Every KPI of one replication (``KPI_NAMES`` and ``EXTRA_KPIS``), and its per-group
    occupancy table."""
    df = counted_calls(calls, scenario)
    k = group_kpis(df, scenario)
    conversation = _is(df, "outcome", *CONVERSATION)
    ai_handled = conversation & _is(df, "path", "ai")
    occ = occupancy(calls, scenario, record.shift_windows, record.capacity)
    rostered = occ["rostered_minutes"].sum()
    producer_hours = rostered / 60.0
    producer_cost = producer_hours * scenario.costs.producer_hourly
    ai_minutes = float(np.nansum(df["ai_minutes"].to_numpy(), dtype=np.float64))
    ai_cost = ai_minutes * scenario.ai.cost_per_minute
    human_intake_calls = int((conversation & _is(df, "path", "human")).sum())
    human_intake_cost = human_intake_calls * scenario.costs.human_cost_per_call
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
                df["wait_minutes"].to_numpy()[answered & offered_mask].mean(dtype=np.float64)
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
                (outbound & _is(df, "outcome", *CONVERSATION, "no_answer")).sum()
            ),
            "outbound_answered": int((conversation & outbound).sum()),
            "producer_occupancy": _ratio(occ["busy_minutes"].sum(), rostered),
            "ai_minutes": ai_minutes,
            "ai_cost": ai_cost,
            "human_intake_calls": human_intake_calls,
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
