"""The outbound campaign as a call log shows it: the AI's answered dials, their containment and
trigger mix, and the hours they were made in.

A call log lists the conversations of an outbound campaign (the dials somebody answered), not
the leads that were never dialled, suppressed or unanswered. So the fitted campaign keeps the
base scenario's answer, consent and do-not-call rates (else the defaults) and sets
``contacts_per_week`` to the list size that gives, at those rates, the answered dials per open
day the log shows: answered per week = contacts × consent × (1 − DNC) × answer rate. The
answered dials per day are a Poisson count over the open days (standard error √n / days).

Its transfers load the same producers as inbound calls, so a scenario fitted without them
under-counts the producers' busy time by the outbound share (occupancy reads low in a
back-test). The calling window is the span of the answered dials in the agency's clock,
rounded out to the interval; the leads are put in the agency's own zone (the log does not say
where they were), so the window is the agency's hours of dialling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.calibrate.common import MIN_TYPE_CALLS, OFFERED, proportion, shares, trigger_name
from sim.calibrate.report import Parameter
from sim.scenario import TIME_ZONES, Outbound, Scenario
from sim.scenario_base import standard_offset_hours

__all__ = ["OutboundFit", "fit_outbound"]


@dataclass(frozen=True)
class OutboundFit:
    """The fitted ``outbound`` section (None: keep the base's, or none), with its evidence."""

    section: dict[str, Any] | None
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]
    triggers: tuple[str, ...] = ()
    """Triggers the outbound mix names (the scenario's trigger list must hold them)."""


def _clock(minute: float) -> str:
    minute = int(min(max(minute, 0), 1440))
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _lead_zone(agency_zone: str) -> tuple[str, float]:
    """The US zone the leads are put in, and the hours it is ahead of the agency: the zone
    with the agency's standard offset, else the nearest one."""
    offset = standard_offset_hours(agency_zone)
    zone = min(TIME_ZONES, key=lambda z: abs(TIME_ZONES[z] - offset))
    return zone, TIME_ZONES[zone] - offset


def _window(minutes: np.ndarray, step: int, ahead: float) -> dict[str, str]:
    """The answered dials' span rounded out to ``step``, in the leads' clock."""
    shift = ahead * 60
    lo = max(math.floor(float(minutes.min()) / step) * step + shift, 0.0)
    hi = min(math.ceil((float(minutes.max()) + 1e-9) / step) * step + shift, 1440.0)
    if hi <= lo:  # pragma: no cover - a span always has positive length after rounding out
        hi = min(lo + step, 1440)
    return {"start": _clock(lo), "end": _clock(hi)}


def fit_outbound(
    df: pd.DataFrame,
    base: Scenario | None,
    hours: dict[str, Any],
    n_days: int,
    step: int,
    producer_hours: tuple[int, int] | None,
) -> OutboundFit:
    """The ``outbound`` section from the log's AI outbound calls inside the producers' hours
    (``hours``: the fitted ``hours`` section; ``n_days``: the log's open days). A base with a
    campaign of its own keeps it: a base's list of leads is a plan, and the log only shows
    what was answered."""
    out = df[(df["direction"] == "outbound")]
    if "handled_by" in out:
        out = out[out["handled_by"].astype("string").fillna("ai").to_numpy() != "human"]
    if base is not None and base.outbound is not None and base.outbound.contacts_per_week > 0:
        return OutboundFit(None, (), ())
    if out.empty or n_days <= 0:
        return OutboundFit(None, (), ())
    notes: list[str] = []
    if producer_hours is not None:
        m = out["minute_of_day"].to_numpy()
        inside = (m >= producer_hours[0]) & (m < producer_hours[1])
        if (~inside).any():
            notes.append(
                f"{int((~inside).sum())} outbound calls were outside the producers' hours and "
                "are left out of the campaign (the model dials only while the agency is open)."
            )
        out = out[inside]
    if len(out) < MIN_TYPE_CALLS:
        notes.append(
            f"Only {len(out)} answered outbound calls in the producers' hours: no outbound "
            "campaign is fitted."
        )
        return OutboundFit(None, (), tuple(notes))
    rates = base.outbound if base is not None and base.outbound is not None else Outbound()
    per_day = len(out) / n_days
    per_week = per_day * int(hours.get("days_per_week", 5))
    reach = rates.consent_rate * (1 - rates.dnc_rate) * rates.answer_rate
    contacts = per_week / reach
    se_day = math.sqrt(len(out)) / n_days
    params = [
        Parameter(
            "answered outbound calls per open day", "", per_day, se_day,
            max(per_day - 1.96 * se_day, 0.0), per_day + 1.96 * se_day, len(out),
            "Poisson count over the open days",
        ),
        Parameter(
            "outbound leads per week", "outbound.contacts_per_week", contacts, se_day *
            per_week / per_day / reach, math.nan, math.nan, len(out),
            f"answered per week / (consent {rates.consent_rate:g} × (1 − DNC "
            f"{rates.dnc_rate:g}) × answer {rates.answer_rate:g}), rates kept from the base "
            "or defaults",
        ),
    ]  # fmt: skip
    contained = int((out["outcome"] == "contained").sum())
    p = proportion(contained, len(out))
    params.append(
        Parameter.of_proportion(
            "AI containment of outbound calls",
            "outbound.containment",
            p,
            "proportion of answered outbound calls the AI ended itself",
        )
    )
    offered = out[out["outcome"].isin(OFFERED)]
    trig = offered["trigger"].dropna().map(trigger_name)
    if len(trig) >= MIN_TYPE_CALLS:
        mix = shares(trig.value_counts())
    else:
        mix = dict(rates.triggers)
        notes.append(
            f"{len(trig)} outbound transfers with a trigger: the outbound trigger mix is kept "
            "from the base scenario or defaults."
        )
    zone, ahead = _lead_zone(str(hours.get("timezone", "ET")))
    window = _window(out["minute_of_day"].to_numpy(float), step, ahead)
    section = {
        "contacts_per_week": round(contacts, 2),
        "days_per_week": int(hours.get("days_per_week", 5)),
        "answer_rate": rates.answer_rate,
        "consent_rate": rates.consent_rate,
        "dnc_rate": rates.dnc_rate,
        "window": window,
        "lead_timezones": {zone: 1.0},
        "no_answer_minutes": rates.no_answer_minutes,
        "containment": round(p.estimate, 4),
        "triggers": mix,
    }
    notes.append(
        f"Outbound campaign fitted from {len(out)} answered AI dials ({per_day:.1f} per open "
        f"day): contacts_per_week = {contacts:.0f} at the kept answer, consent and DNC rates "
        "(a call log does not list the leads never dialled or not answered); calling window "
        f"{window['start']}–{window['end']} {zone}, the span of the answered dials."
    )
    return OutboundFit(section, tuple(params), tuple(notes), tuple(mix))
