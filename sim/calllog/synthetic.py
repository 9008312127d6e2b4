"""Synthetic call logs: a known scenario's simulated calls rendered as a phone-system export.

The input of the calibration round-trip tests. Callers are fictitious, drawn from a Faker
population seeded with the run's seed; Faker is imported only when a log is made, so importing
the lab does not import it.

The engine counts producers per group, not people, so the export's ``agent_id`` (who answered)
is assigned afterwards, as a phone system would see it: each producer activity (a live call
from answer to release after wrap-up, and the callbacks the export does not list) goes to the
group's producer who was freed most recently at or before its start, else to a new producer.
A producer freed while a caller waited is the one who answers next, so the gap between an
agent's two calls while a caller waited is that agent's wrap-up, as in a real centre. The
caller's ``segment`` is written when the scenario has segments, and ``after_hours_calls`` adds
AI self-service calls while producers are off (an IVR answering around the clock).
"""

from __future__ import annotations

import heapq
import os
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from sim.calllog.columns import OUTCOME_WORDS
from sim.calllog.zones import resolve_zone
from sim.scenario import Scenario, clock_minutes

__all__ = ["DEFAULT_REASON_CODES", "synthetic_log", "write_call_log"]

DEFAULT_REASON_CODES = {
    "qualified_interest": "New business",
    "coverage_mismatch": "Coverage question",
    "complex_pricing": "Pricing / quote",
    "human_request": "Escalation request",
}
"""Reason code a producer tags a transfer with, by trigger, in synthetic logs."""


def _open_dates(start: date | str, open_days: int, per_week: int,
                calendar: int | None = None) -> list[date]:  # fmt: skip
    """The first ``open_days`` open days from ``start``: Monday on, ``per_week`` a week; or,
    for a scenario with weekdays (``calendar``: the weekday of its day 0), every calendar day
    from the first such weekday on ``start`` or after."""
    day = pd.Timestamp(start).date() if isinstance(start, str) else start
    if calendar is not None:
        day += timedelta(days=(calendar - day.weekday()) % 7)
        return [day + timedelta(days=k) for k in range(open_days)]
    dates: list[date] = []
    while len(dates) < open_days:
        if day.weekday() < per_week:
            dates.append(day)
        day += timedelta(days=1)
    return dates


def _dates(scenario: Scenario, replications: int, start: date | str) -> list[date]:
    """The calendar date of each simulated day of each replication, in order."""
    hours = scenario.hours
    calendar = None
    if getattr(hours, "by_weekday", False):
        calendar = ("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(hours.first_weekday)
    return _open_dates(start, scenario.days * replications, hours.days_per_week, calendar)


@dataclass(frozen=True)
class _Clock:
    """Turns a call's simulation minutes into export text."""

    base: pd.DatetimeIndex
    """Midnight of simulation day 0 of each call's replication, on the calendar."""
    zone: str

    def stamp(self, minutes: np.ndarray) -> list[str]:
        """ISO 8601 times with the agency's UTC offset, to the second; blank for NaN."""
        ok = ~np.isnan(minutes)
        wall = self.base + pd.to_timedelta(np.where(ok, minutes, 0.0) * 60, unit="s").round("s")
        wall = wall.round("s")
        aware = wall.tz_localize(self.zone, ambiguous=True, nonexistent="shift_forward")
        text = [t.isoformat() for t in aware]
        return [t if o else "" for t, o in zip(text, ok, strict=True)]


def _seconds(minutes: np.ndarray) -> list[str]:
    """Durations in whole seconds; blank for NaN."""
    return ["" if np.isnan(m) else str(round(m * 60)) for m in minutes]


def _people(faker: type, seed: int, population: int) -> list[tuple[str, str, str]]:
    """(name, phone, e-mail) of ``population`` fictitious callers, the same for the same seed."""
    fake = faker("en_US")
    fake.seed_instance(seed)
    return [(fake.name(), fake.phone_number(), fake.email()) for _ in range(population)]


def _reason_codes(conv: pd.DataFrame, ai: np.ndarray, offered: np.ndarray, u: np.ndarray,
                  misroute_codes: dict[str, tuple[str, float]] | None) -> np.ndarray:  # fmt: skip
    """The trigger's usual reason code, or a misroute code for that share of a type's AI
    transfers; blank for calls not offered to a producer."""
    trig = conv["trigger"].astype(str).to_numpy()
    ctype = conv["call_type"].astype(str).to_numpy()
    reason = np.array(
        [DEFAULT_REASON_CODES.get(t, t.replace("_", " ").capitalize()) for t in trig], dtype=object
    )
    for type_name, (code, share) in (misroute_codes or {}).items():
        reason[ai & offered & (ctype == type_name) & (u < share)] = code
    reason[~offered] = ""
    return reason


def _clock(scenario: Scenario, conv: pd.DataFrame, replications: int, start: date | str):
    """The export clock of each call, and its open-day index (replication × days + day)."""
    dates = _dates(scenario, replications, start)
    day_index = conv["replication"].to_numpy() * scenario.days + conv["day"].to_numpy(int)
    day_start = pd.DatetimeIndex([pd.Timestamp(dates[k]) for k in day_index])
    base = day_start - pd.to_timedelta(conv["day"].to_numpy() * 1440.0, unit="min")
    return _Clock(base, resolve_zone(scenario.hours.timezone) or "UTC"), day_index


def _agents(conv: pd.DataFrame, calls: pd.DataFrame, days: int) -> np.ndarray:
    """Which producer answered each of ``conv``'s calls (``"AG0001"``…; blank if none): each
    group's activities, in order of start, go to the producer freed most recently at or before
    the start (callbacks, which the export does not list, take a producer too)."""
    out = np.full(len(conv), "", dtype=object)
    offset = conv["replication"].to_numpy(float) * days * 1440.0  # one calendar
    starts, ends, rows, groups = [], [], [], []
    answered = conv["answer_at"].notna().to_numpy() & conv["group"].notna().to_numpy()
    pos = np.flatnonzero(answered)
    starts.append(conv["answer_at"].to_numpy(float)[pos] + offset[pos])
    ends.append(conv["release_at"].to_numpy(float)[pos] + offset[pos])
    rows.append(pos)
    groups.append(conv["group"].astype(str).to_numpy()[pos])
    cb = calls[calls["callback_at"].notna() & calls["callback_group"].notna()]
    cb_offset = cb["replication"].to_numpy(float) * days * 1440.0
    starts.append(cb["callback_at"].to_numpy(float) + cb_offset)
    ends.append(cb["callback_end"].to_numpy(float) + cb_offset)
    rows.append(np.full(len(cb), -1))
    groups.append(cb["callback_group"].astype(str).to_numpy())
    start, end = np.concatenate(starts), np.concatenate(ends)
    row, group = np.concatenate(rows), np.concatenate(groups)
    number = 0
    for g in dict.fromkeys(group):
        mine = np.flatnonzero(group == g)
        busy: list[tuple[float, int]] = []  # (freed at, producer), a heap
        free: list[int] = []  # freed producers, the most recently freed last
        for k in mine[np.lexsort((end[mine], start[mine]))]:
            while busy and busy[0][0] <= start[k]:
                free.append(heapq.heappop(busy)[1])
            if free:
                who = free.pop()
            else:
                number += 1
                who = number
            heapq.heappush(busy, (max(end[k], start[k]), who))
            if row[k] >= 0:
                out[row[k]] = f"AG{who:04d}"
    return out


def _hours_of(scenario: Scenario, day: date) -> tuple[int, int]:
    """Open and close minute of the agency on ``day`` (0, 0 when closed)."""
    hours = scenario.hours
    if not getattr(hours, "by_weekday", False):
        return hours.open_minute, hours.close_minute
    own = hours.weekday(("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()])
    if own.closed or own.open is None or own.close is None:
        return 0, 0
    return clock_minutes(own.open), clock_minutes(own.close)


def _after_hours(scenario: Scenario, dates: list[date], per_hour: float,
                 rng: np.random.Generator) -> pd.DataFrame:  # fmt: skip
    """AI self-service calls at ``per_hour`` an hour while producers are off, on each date."""
    zone = resolve_zone(scenario.hours.timezone) or "UTC"
    rows = []
    for day in dates:
        open_m, close_m = _hours_of(scenario, day)
        closed_minutes = 1440 - (close_m - open_m)
        n = rng.poisson(per_hour * closed_minutes / 60)
        minute = rng.uniform(0, closed_minutes, n)
        minute = np.where(minute < open_m, minute, minute + (close_m - open_m))
        talk = rng.lognormal(np.log(2.0), 0.5, n)
        midnight = pd.Timestamp(day)
        for m, t in zip(np.sort(minute), talk, strict=True):
            at = (midnight + pd.Timedelta(minutes=float(m))).round("s")
            aware = at.tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
            rows.append({"started_at": aware.isoformat(), "direction": "inbound",
                         "handled_by": "ai", "ai_seconds": str(round(t * 60)),
                         "outcome": "contained", "converted": "no"})  # fmt: skip
    return pd.DataFrame(rows)


def synthetic_log(
    scenario: Scenario,
    seed: int,
    replications: int = 1,
    start: date | str = "2024-03-04",
    misroute_codes: dict[str, tuple[str, float]] | None = None,
    after_hours_calls: float = 0.0,
) -> pd.DataFrame:
    """A phone-system export of ``scenario``'s simulated calls, with fictitious callers.

    Replication *r* covers the open days after replication *r* − 1, on the calendar from
    ``start`` (open days run Monday on, ``hours.days_per_week`` a week; with
    ``hours.weekdays``, simulated days are calendar days from the first ``first_weekday`` on
    or after ``start``). Every conversation
    (inbound call, answered outbound dial) is a row in the lab's canonical columns, with times
    in ISO 8601 with the agency's UTC offset and durations in whole seconds. Callers are drawn
    from a Faker population seeded with ``seed``: the same seed gives the same people.

    ``misroute_codes`` maps a call type to (reason code, share): that share of the type's AI
    transfers is tagged with that code instead of the trigger's usual one (e.g. ``{"billing":
    ("Billing question", 0.3)}``), the misroutes :func:`sim.calibrate.misroutes` should find.
    ``after_hours_calls`` adds that many AI self-service calls an hour while the agency is
    closed, on every open day (a front end answering around the clock); ``agent_id`` says which
    producer answered (see the module docstring) and ``segment`` the caller's segment, when the
    scenario has segments.
    """
    from faker import Faker

    from sim.results import simulate

    calls = simulate(scenario, replications=replications, seed=seed).calls
    conv = calls[calls["outcome"].isin(OUTCOME_WORDS) & (calls["outcome"] != "no_answer")]
    conv = conv[conv["arrival"].notna()].copy()
    rng = np.random.default_rng(seed)
    clock, day_index = _clock(scenario, conv, replications, start)
    n = len(conv)
    people = _people(Faker, seed, max(50, n // 3))
    who = rng.integers(0, len(people), size=n)
    ai = (conv["path"] == "ai").to_numpy()
    offered = conv["transfer_at"].notna().to_numpy()
    reason = _reason_codes(conv, ai, offered, rng.random(n), misroute_codes)
    frame = _export_frame(scenario, conv, clock, ai, offered, reason)
    frame.insert(2, "caller_name", [people[k][0] for k in who])
    frame.insert(3, "caller_phone", [people[k][1] for k in who])
    frame.insert(4, "caller_email", [people[k][2] for k in who])
    frame.insert(frame.columns.get_loc("producer_group") + 1, "agent_id",
                 _agents(conv, calls, scenario.days))  # fmt: skip
    if scenario.segments and "segment" in conv:
        segment = conv["segment"].astype(object).where(conv["segment"].notna(), "")
        frame.insert(frame.columns.get_loc("trigger"), "segment", np.where(offered, segment, ""))
    arrival = conv["arrival"].to_numpy(float)
    when = day_index * 1440.0 + arrival % 1440.0
    if after_hours_calls > 0:
        dates = _dates(scenario, replications, start)
        night = _after_hours(scenario, dates, after_hours_calls, rng)
        stamp = pd.to_datetime(night["started_at"].str.slice(0, 19))
        first = pd.Timestamp(dates[0])
        night_when = ((stamp - first).dt.total_seconds() / 60).to_numpy(float)
        day0 = np.array([(pd.Timestamp(d) - first).days for d in dates])
        # the open-day index of each night call, then its minute of that day
        k = np.searchsorted(day0 * 1440.0, night_when, side="right") - 1
        when = np.concatenate([when, k * 1440.0 + (night_when - day0[k] * 1440.0)])
        frame = pd.concat([frame, night], ignore_index=True).fillna("")
        frame["call_id"] = [f"C{i:07d}" for i in range(1, len(frame) + 1)]
    order = np.argsort(when, kind="stable")
    return frame.iloc[order].reset_index(drop=True)


def _export_frame(scenario: Scenario, conv: pd.DataFrame, clock: _Clock, ai: np.ndarray,
                  offered: np.ndarray, reason: np.ndarray) -> pd.DataFrame:  # fmt: skip
    """The export's columns other than the callers, in the lab's canonical names."""
    outcome = conv["outcome"].astype(str).to_numpy()
    connected = outcome == "connected"
    ai_talk = np.where(
        ai, conv["ai_end"].to_numpy(float) - conv["ai_start"].to_numpy(float), np.nan
    )
    whisper = scenario.transfer.whisper_seconds / 60 if scenario.ai.enabled else 0.0
    bridge = conv["answer_at"].to_numpy(float) + np.where(ai, whisper, 0.0)
    end = conv["end_at"].to_numpy(float)
    direction = conv["direction"].astype(str).to_numpy()
    group = conv["group"].astype(object).where(conv["group"].notna(), "").to_numpy()
    return pd.DataFrame(
        {
            "call_id": [f"C{k:07d}" for k in range(1, len(conv) + 1)],
            "started_at": clock.stamp(conv["arrival"].to_numpy(float)),
            "direction": direction,
            "call_type": np.where(
                direction == "outbound", "", conv["call_type"].astype(str).to_numpy()
            ),
            "handled_by": np.where(ai, "ai", "human"),
            "ai_seconds": _seconds(ai_talk),
            "trigger": np.where(offered, conv["trigger"].astype(str).to_numpy(), ""),
            "transferred_at": clock.stamp(conv["transfer_at"].to_numpy(float)),
            "answered_at": clock.stamp(conv["answer_at"].to_numpy(float)),
            "ended_at": clock.stamp(end),
            "outcome": outcome,
            "producer_group": group,
            "handle_seconds": _seconds(np.where(connected, end - bridge, np.nan)),
            "wrap_up_seconds": _seconds(
                np.where(connected, conv["release_at"].to_numpy(float) - end, np.nan)
            ),
            "reason_code": reason,
            "converted": np.where(conv["converted"].to_numpy(bool), "yes", "no"),
        }
    )


def write_call_log(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a call log (e.g. from :func:`synthetic_log`) as CSV."""
    frame.to_csv(path, index=False)
