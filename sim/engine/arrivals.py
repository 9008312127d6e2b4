"""When callers arrive: inbound calls and the AI's outbound campaign.

Inbound calls follow a non-homogeneous Poisson process over the agency's open hours. Each
simulated day's open hours (the default day's, or its weekday's own, see :mod:`sim.weekdays`)
are cut into intervals (``inbound.interval_minutes``); each interval has a constant rate
proportional to its profile weight, so the expected calls in a day equal
``inbound.calls_per_day`` times that weekday's ``volume`` (none on a closed day). Within an
interval the count is Poisson and the times are uniform, which is the exact construction of a
piecewise-constant-rate Poisson process (the order-statistics property of the Poisson
process; see e.g. Ross, *Simulation*).

Outbound leads come from a campaign list of ``contacts_per_week``. Compliance controls run
before any dial, in this order, and every lead keeps the control that stopped it: no verified
consent (never dialled), do-not-call (suppressed before dial), no overlap between the lead's
calling window (in the lead's own time zone) and the agency's open hours on its campaign day
(the zones' standard offsets, :attr:`sim.scenario.Hours.utc_offset_hours`). The rest are
dialled at a uniformly random moment inside that overlap on their campaign day (a uniformly
drawn one of the campaign's days, :func:`sim.weekdays.campaign_days`), and answer with
``answer_rate``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.engine.codes import LEAD_STATUSES, LeadStatus
from sim.scenario import TIME_ZONES, WEEKDAYS, Scenario
from sim.weekdays import Day, campaign_days, run_days, week

__all__ = ["DAY", "LEAD_STATUSES", "Leads", "inbound_arrivals", "interval_rates", "outbound_leads"]

DAY = 1440.0
"""Minutes in a day: model time is minutes from the start of day 0."""

# A dialled lead can still miss its window in the model if every AI line stays busy until the
# window closes (outcome "window_missed").

_PROFILES = {
    # Smooth shapes over the open day, x in [0, 1]; values are relative intensities.
    "flat": lambda x: np.ones_like(x),
    "business_day": lambda x: (
        0.55
        + 1.0 * np.exp(-(((x - 0.27) / 0.13) ** 2))
        + 0.85 * np.exp(-(((x - 0.62) / 0.16) ** 2))
        - 0.30 * np.exp(-(((x - 0.45) / 0.05) ** 2))
    ),
    "morning_peak": lambda x: 0.4 + 1.2 * np.exp(-(((x - 0.2) / 0.15) ** 2)),
    "afternoon_peak": lambda x: 0.4 + 1.2 * np.exp(-(((x - 0.7) / 0.15) ** 2)),
}


def interval_rates(
    scenario: Scenario, weekday: str | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The open day's intervals: start minute, length (minutes) and expected calls in each; of
    the default day, or of ``weekday`` (``"sat"``: its own hours, volume and profile; empty when
    it is closed)."""
    if weekday is None:
        hours = scenario.hours
        day = Day(0, False, hours.open_minute, hours.close_minute, 1.0,
                  scenario.inbound.profile, False)  # fmt: skip
    else:
        day = week(scenario)[WEEKDAYS.index(weekday)]
    return _day_rates(scenario, day)


def _day_rates(scenario: Scenario, day: Day) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if day.closed:
        return np.empty(0), np.empty(0), np.empty(0)
    inbound = scenario.inbound
    step = inbound.interval_minutes
    starts = np.arange(day.open_minute, day.close_minute, step, dtype=float)
    lengths = np.minimum(starts + step, day.close_minute) - starts
    if isinstance(day.profile, list):
        weights = np.asarray(day.profile, dtype=float)
    else:
        span = day.close_minute - day.open_minute
        mid = (starts + lengths / 2 - day.open_minute) / span
        weights = _PROFILES[day.profile](mid)
    mass = weights * lengths
    per_day = inbound.calls_per_day if day.volume == 1 else inbound.calls_per_day * day.volume
    expected = per_day * mass / mass.sum()
    return starts, lengths, expected


def inbound_arrivals(scenario: Scenario, rng: np.random.Generator) -> np.ndarray:
    """Sorted arrival times (minutes from the start of day 0) of every inbound call."""
    if not scenario.hours.by_weekday:  # every day the default day
        starts, lengths, expected = interval_rates(scenario)
        days = np.arange(scenario.days, dtype=float) * DAY
        all_starts = (days[:, None] + starts[None, :]).ravel()
        all_lengths = np.tile(lengths, scenario.days)
        all_expected = np.tile(expected, scenario.days)
    else:
        rates = {d.weekday: _day_rates(scenario, d) for d in week(scenario)}
        plan = [rates[d.weekday] for d in run_days(scenario)]
        all_starts = np.concatenate([r[0] + k * DAY for k, r in enumerate(plan)])
        all_lengths = np.concatenate([r[1] for r in plan])
        all_expected = np.concatenate([r[2] for r in plan])
    counts = rng.poisson(all_expected)
    offsets = rng.random(counts.sum()) * np.repeat(all_lengths, counts)
    times = np.repeat(all_starts, counts) + offsets
    times.sort()
    return times


@dataclass(frozen=True)
class Leads:
    """The outbound campaign's leads, one entry per lead."""

    dial_time: np.ndarray
    """Minutes from the start of day 0 at which the lead is dialled (NaN if never dialled)."""
    status: np.ndarray
    """The :class:`~sim.engine.codes.LeadStatus` code of each lead."""
    timezone: np.ndarray
    """Index into the scenario's ``outbound.lead_timezones`` keys."""
    answered: np.ndarray
    """Whether the lead picks up when dialled (False for leads never dialled)."""
    dial_deadline: np.ndarray
    """Latest moment the lead may still be dialled: the end of its calling window (within open
    hours) on its campaign day, in agency minutes from the start of day 0 (NaN if never)."""


def outbound_leads(scenario: Scenario, rng: np.random.Generator) -> Leads:
    """Generate the campaign's leads and apply the compliance controls before dialling."""
    out = scenario.outbound
    if out is None or out.contacts_per_week <= 0:
        empty = np.empty(0)
        return Leads(empty, empty.astype(np.int8), empty.astype(np.int8), empty.astype(bool), empty)
    dialling = campaign_days(scenario)
    n = round(out.contacts_per_week * len(dialling) / out.days_per_week)
    if n == 0:
        return outbound_leads(scenario.model_copy(update={"outbound": None}), rng)
    zones = list(out.lead_timezones)
    shares = np.array([out.lead_timezones[z] for z in zones])
    u = rng.random((n, 6))
    day = dialling[np.minimum((u[:, 0] * len(dialling)).astype(np.int64), len(dialling) - 1)]
    tz = np.searchsorted(np.cumsum(shares) / shares.sum(), u[:, 1], side="right")
    tz = np.minimum(tz, len(zones) - 1).astype(np.int8)
    consent = u[:, 2] < out.consent_rate
    dnc = u[:, 3] < out.dnc_rate
    # The lead's window in the agency's clock: a lead one hour behind the agency (CT vs ET)
    # can be called until 21:00 agency time for a 20:00 local end.
    agency_offset = scenario.hours.utc_offset_hours
    shift = np.array([(agency_offset - TIME_ZONES[z]) * 60 for z in zones], dtype=float)[tz]
    if scenario.hours.by_weekday:  # each campaign day's own hours (campaign days are open)
        days = run_days(scenario)
        open_ = np.array([d.open_minute for d in days], dtype=float)[day]
        close = np.array([d.close_minute for d in days], dtype=float)[day]
    else:
        open_, close = scenario.hours.open_minute, scenario.hours.close_minute
    lo = np.maximum(out.window.start_minute + shift, open_)
    hi = np.minimum(out.window.end_minute + shift, close)
    in_window = hi > lo
    status = np.where(
        ~consent,
        LeadStatus.NO_CONSENT,
        np.where(
            dnc,
            LeadStatus.DNC_SUPPRESSED,
            np.where(~in_window, LeadStatus.OUTSIDE_WINDOW, LeadStatus.DIALLED),
        ),
    ).astype(np.int8)
    dialled = status == LeadStatus.DIALLED
    dial_time = np.where(dialled, day * DAY + lo + u[:, 4] * (hi - lo), np.nan)
    answered = dialled & (u[:, 5] < out.answer_rate)
    deadline = np.where(dialled, day * DAY + hi, np.nan)
    return Leads(dial_time, status, tz, answered, deadline)
