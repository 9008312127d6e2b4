"""Fitting a scenario to a call log, step by step, and the command-line entry.

:func:`calibrate` runs the steps in order: the producers' hours and volume
(:mod:`~sim.calibrate.weekdays`, :mod:`~sim.calibrate.volume`), weekdays, call mix and AI
(:mod:`~sim.calibrate.mix`, from the calls inside the producers' hours), producer groups with
their rosters and after-call work (:mod:`~sim.calibrate.groups`), segments
(:mod:`~sim.calibrate.segments`), transfer (:mod:`~sim.calibrate.patience`) and conversion;
each returns its scenario section with its report rows and notes, which are gathered in that
order into the :class:`Report`.

Two choices follow from reading availability off the queue: the rosters count producers
available to live calls *after* all the work the log does not show, so the fitted scenario
makes no callbacks on top of it (``transfer.fallback = "drop"`` unless the base scenario says
otherwise); and an IVR stage (a mapping's ``ivr_minutes``) briefs nobody, and handle times
measured from the answer already hold any briefing, so in both cases the whisper is 0.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from sim.calibrate.common import MIN_CALLS
from sim.calibrate.durations import durations_table
from sim.calibrate.groups import Day, GroupsFit, fit_groups
from sim.calibrate.mix import AiFit, MixFit, fit_ai, fit_call_types, fit_conversion
from sim.calibrate.outbound import OutboundFit, fit_outbound
from sim.calibrate.patience import TransferFit, fit_transfer
from sim.calibrate.report import Calibration, Parameter, Report
from sim.calibrate.segments import SegmentsFit, fit_segments
from sim.calibrate.volume import VolumeFit, fit_volume
from sim.calibrate.weekdays import (
    WeekdaysFit,
    fit_weekdays,
    in_producer_hours,
    producer_hours,
)
from sim.calllog import CalibrationError, CallLog, CallLogMapping, from_frame, read_call_log
from sim.loader import ScenarioError, load_scenario, scenario_from_dict
from sim.scenario import Hours, Scenario

__all__ = ["calibrate", "calibrate_file"]


def _as_log(
    log_or_df: CallLog | pd.DataFrame | str | os.PathLike,
    timezone: str | None,
    mapping: CallLogMapping | str | os.PathLike | None = None,
) -> CallLog:
    if isinstance(log_or_df, CallLog):
        return log_or_df
    if isinstance(log_or_df, pd.DataFrame):
        return from_frame(log_or_df, timezone=timezone, mapping=mapping)
    return read_call_log(log_or_df, timezone=timezone, mapping=mapping)


def _inbound(log: CallLog, min_calls: int) -> pd.DataFrame:
    """The usable inbound calls; too few is an error naming the first problems."""
    inbound = log.frame[log.frame["direction"] == "inbound"]
    if len(inbound) < min_calls:
        shown = "; ".join(str(p) for p in log.problems[:3])
        more = f" First problems: {shown}" if shown else ""
        raise CalibrationError(
            f"{log.source}: too little data to calibrate: {len(inbound)} usable inbound calls, "
            f"need at least {min_calls} ({log.rows_read} rows read, {log.rows_with_problems} "
            f"left out).{more}"
        )
    return inbound


def _outbound_notes(df: pd.DataFrame, fit: OutboundFit) -> tuple[str, ...]:
    n_out = int((df["direction"] == "outbound").sum())
    if not n_out or fit.section is not None:
        return ()
    return (
        f"{n_out} outbound calls used for AI talk time, producer times and patience; the "
        "outbound campaign itself is kept from the base scenario (a call log does not list the "
        "leads that were never dialled).",
    )


def _description(log: CallLog, inbound: pd.DataFrame, volume: VolumeFit) -> str:
    return (
        f"Calibrated from {log.source}: {len(inbound)} inbound calls over {volume.n_days} open "
        f"days ({volume.first:%Y-%m-%d} to {volume.last:%Y-%m-%d})."
    )


def _scenario(data: dict[str, Any]) -> Scenario:
    try:
        return scenario_from_dict(data, source="<calibration>")
    except ScenarioError as exc:  # pragma: no cover - the fit builds valid values
        raise CalibrationError(f"the fitted scenario is not valid: {exc}") from None


def _closed_round_trip() -> bool:
    """Whether a closed weekday (``closed = true``) reads back from the scenario's own written
    form (it should; if not, a closed weekday is written as one with no calls and no
    producers, which does)."""
    try:
        hours = Hours.model_validate({"weekdays": {"sun": {"closed": True}}})
        Hours.model_validate(hours.model_dump(mode="json", exclude_none=True))
    except ValueError:
        return False
    return True


_SCENARIO_HAS_WEEKDAYS = "weekdays" in Hours.model_fields
_CLOSED_READS_BACK = _SCENARIO_HAS_WEEKDAYS and _closed_round_trip()
ROSTER_WEEKS = 8
"""Days of a weekday with the default hours the log needs before that weekday gets a roster of
its own (with fewer, the roster pooled over the default weekdays is less noisy); a weekday with
hours of its own always gets one."""


def _in_hours(calls: pd.DataFrame, hours: tuple[int, int] | None) -> pd.DataFrame:
    if hours is None:
        return calls
    m = calls["minute_of_day"].to_numpy()
    return calls[(m >= hours[0]) & (m < hours[1])]


def _whisper_minutes(log: CallLog, data: dict[str, Any]) -> tuple[float, tuple[str, ...]]:
    """The AI's whisper that the log's handle times leave out (they start at the bridge when
    the log has a handle column); without one, handle times run from the answer and hold the
    whisper, so the scenario's whisper is set to 0."""
    if log.ivr:
        data.setdefault("transfer", {})["whisper_seconds"] = 0.0
        return 0.0, ("The intake is an IVR stage, which briefs nobody: whisper_seconds = 0.",)
    if "handle_minutes" not in log.columns and "answered_at" in log.columns:
        data.setdefault("transfer", {})["whisper_seconds"] = 0.0
        return 0.0, (
            "Handle times run from the answer to the end of the call, so they hold any "
            "briefing of the producer: whisper_seconds = 0 (not counted twice).",
        )
    whisper = float(data.get("transfer", {}).get("whisper_seconds", 15.0)) / 60.0
    return whisper, ()


def _fallback(data: dict[str, Any], base: Scenario | None, groups: GroupsFit) -> tuple[str, ...]:
    if base is not None or not any("roster" in d for d in groups.destinations):
        return ()
    data.setdefault("transfer", {})["fallback"] = "drop"
    return (
        "transfer.fallback = drop: the rosters count producers available to live calls after "
        "all the work the log does not show (callbacks included), so no callbacks are "
        "simulated on top; a base scenario can say otherwise.",
    )


def calibrate(
    log_or_df: CallLog | pd.DataFrame | str | os.PathLike,
    name: str | None = None,
    base: Scenario | None = None,
    timezone: str | None = None,
    interval_minutes: Literal[5, 10, 15, 20, 30, 60] | None = None,
    min_calls: int = MIN_CALLS,
    mapping: CallLogMapping | str | os.PathLike | None = None,
) -> Calibration:
    """Fit a scenario to a call log (see :mod:`sim.calibrate` for what is fitted and how).

    ``base`` supplies everything a log cannot show (money, outcomes, …); destination groups of
    the same name keep its ring time, shift and overrides. ``timezone`` is used only when a
    DataFrame or path is given, and ``mapping`` (see :class:`sim.calllog.CallLogMapping`) only
    when a path is. Raises :class:`CalibrationError` with fewer than ``min_calls`` usable
    inbound calls.
    """
    log = _as_log(log_or_df, timezone, mapping)
    df, inbound = log.frame, _inbound(log, min_calls)
    data: dict[str, Any] = {} if base is None else base.model_dump(mode="json", exclude_none=True)
    data["name"] = name or f"Calibrated from {log.source}"
    step = interval_minutes or (base.inbound.interval_minutes if base is not None else 30)
    hours = producer_hours(df, step)
    pattern = fit_weekdays(inbound, df, step, 1.0) if _SCENARIO_HAS_WEEKDAYS else None
    inside = _in_hours(inbound, hours)
    default_days = inside
    if pattern is not None and pattern.default is not None:  # the hours most weekdays keep
        hours = (pattern.default.open_minute, pattern.default.close_minute)
        inside = in_producer_hours(inbound, pattern)
        default_days = inside[inside["weekday"].isin(pattern.default.weekdays)]
    outside_notes = _outside_note(len(inbound) - len(inside), hours)
    # calls_per_day and the profile: the default day's (weekday volumes are relative to it)
    volume = fit_volume(default_days, step, base, data.get("hours", {}), log.timezone, hours)
    weekdays = fit_weekdays(inbound, df, step, float(volume.inbound["calls_per_day"]))
    mix = fit_call_types(inside, df, base)
    ai = fit_ai(inside, df, data.get("ai", {}))
    whisper, whisper_notes = _whisper_minutes(log, data)
    default = Day(*(hours or (0, 1440)))
    if weekdays.default is not None:
        default = Day(default.open_minute, default.close_minute, weekdays.default.weekdays)
    roster_step = step if step in (15, 30, 60) else 30
    own_rosters = {
        key: day for key, day in weekdays.days.items()
        if (day.open_minute, day.close_minute) != (default.open_minute, default.close_minute)
        or weekdays.days_seen.get(key, 0) >= ROSTER_WEEKS
    }  # fmt: skip
    groups = fit_groups(df, base, default, roster_step, whisper,
                        own_rosters if _SCENARIO_HAS_WEEKDAYS else None)  # fmt: skip
    segments = fit_segments(df, log.segment_order)
    transfer = fit_transfer(df, data.get("transfer", {}))
    section_hours = dict(volume.hours)
    if weekdays.weekdays and _SCENARIO_HAS_WEEKDAYS:
        section_hours["weekdays"], closed_notes = _closed_days(weekdays, groups)
        if not closed_notes:
            section_hours["days_per_week"] = weekdays.open_weekdays
        else:
            section_hours.pop("days_per_week", None)  # derived
            whisper_notes = (*whisper_notes, *closed_notes)
    outbound = fit_outbound(df, base, section_hours, volume.n_days, step, hours)
    if outbound.section is not None:
        data["outbound"] = outbound.section
    data.update(
        hours=section_hours,
        inbound=volume.inbound,
        triggers=[*mix.triggers, *(t for t in outbound.triggers if t not in mix.triggers)],
        call_types=mix.call_types,
        ai=ai.section,
        destinations=groups.destinations,
        transfer=transfer.section,
        description=_description(log, inbound, volume),
    )
    if segments.segments:
        data["segments"] = segments.segments
    notes = (*outside_notes, *whisper_notes, *_fallback(data, base, groups),
             *_weekday_notes(weekdays),
             *_outbound_notes(df, outbound))  # fmt: skip
    report = _report(volume, mix, ai, groups, transfer, fit_conversion(df), notes,
                     weekdays, segments, outbound)  # fmt: skip
    return Calibration(_scenario(data), report, list(log.problems), log)


def _outside_note(outside: int, hours: tuple[int, int] | None) -> tuple[str, ...]:
    if not outside or hours is None:
        return ()
    return (
        f"{outside} inbound calls arrived outside the producers' hours of their day (the "
        "front end's alone) and are left out of calls_per_day, the profile and the call mix.",
    )


def _closed_days(weekdays: WeekdaysFit, groups: GroupsFit) -> tuple[dict, tuple[str, ...]]:
    """``hours.weekdays`` as fitted; where ``closed = true`` does not read back, a closed
    weekday becomes one with no calls (volume 0) and no producers (a roster of zeros)."""
    table = dict(weekdays.weekdays)
    closed = [k for k, v in table.items() if v.get("closed")]
    if _CLOSED_READS_BACK or not closed:
        return table, ()
    for key in closed:
        table[key] = {"volume": 0.0}
        for dest in groups.destinations:
            roster = dest.get("roster")
            if roster is not None:
                roster.setdefault("weekdays", {})[key] = [0] * len(roster["producers"])
    note = (
        f"Closed weekdays ({', '.join(closed)}) are written with volume 0 and no producers: "
        "this version's scenario does not read `closed = true` back from its own file."
    )
    return table, (note,)


def _weekday_notes(weekdays: WeekdaysFit) -> tuple[str, ...]:
    if weekdays.weekdays and not _SCENARIO_HAS_WEEKDAYS:
        return (
            "A weekday pattern was fitted (see the report's weekday rows) but this version's "
            "scenario has no hours.weekdays: one average day is written.",
        )
    return ()


def _report(
    volume: VolumeFit,
    mix: MixFit,
    ai: AiFit,
    groups: GroupsFit,
    transfer: TransferFit,
    conversion: tuple[Parameter, ...],
    outbound_notes: tuple[str, ...],
    weekdays: WeekdaysFit | None = None,
    segments: SegmentsFit | None = None,
    outbound: OutboundFit | None = None,
) -> Report:
    """The steps' report rows and notes, in the order of the steps, and their tables."""
    tables = {**volume.tables, **mix.tables}
    if transfer.km is not None:
        tables["patience_km"] = transfer.km
    if transfer.shapes is not None:
        tables["patience_shapes"] = transfer.shapes
    if groups.availability is not None:
        tables["availability"] = groups.availability
    if segments is not None and segments.table is not None:
        tables["segments"] = segments.table
    tables["durations"] = durations_table([*ai.fits, *groups.fits])
    steps: list[Any] = [volume, *([weekdays] if weekdays else []), mix, ai, groups,
                        *([segments] if segments else []), transfer,
                        *([outbound] if outbound else [])]  # fmt: skip
    parameters = [*(p for s in steps for p in s.parameters), *conversion]
    notes = [*(n for s in steps for n in s.notes), *outbound_notes]
    return Report.build(parameters, tables, notes)


def calibrate_file(
    calls: str | os.PathLike,
    output: str | os.PathLike | None = None,
    name: str | None = None,
    base: str | os.PathLike | Scenario | None = None,
    timezone: str | None = None,
    duration_unit: Literal["seconds", "minutes"] = "seconds",
    interval_minutes: Literal[5, 10, 15, 20, 30, 60] | None = None,
    mapping: CallLogMapping | str | os.PathLike | None = None,
) -> Calibration:
    """What ``handoff-lab calibrate CALLS.csv -o OUT.toml`` does: read (with ``mapping``, a
    :class:`sim.calllog.CallLogMapping` or its TOML file, for an export in another layout),
    fit, write the scenario (when ``output`` is given). Raises :class:`CalibrationError` (a
    :class:`sim.calllog.MappingError` for a mistake in the mapping) or
    :class:`sim.loader.ScenarioError` (a broken base scenario) for user mistakes."""
    if base is not None and not isinstance(base, Scenario):
        base = load_scenario(Path(base))
    log = read_call_log(calls, timezone=timezone, duration_unit=duration_unit, mapping=mapping)
    result = calibrate(log, name=name, base=base, interval_minutes=interval_minutes)
    if output is not None:
        out = Path(output)
        if not out.parent.is_dir():
            raise CalibrationError(f"{out.parent}: no such folder for the scenario file")
        tmp = out.with_name(f".{out.name}.partial")
        tmp.write_text(result.to_toml(), encoding="utf-8")
        os.replace(tmp, out)  # never a half-written scenario
    return result
