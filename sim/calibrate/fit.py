"""Fitting a scenario to a call log, step by step, and the command-line entry.

:func:`calibrate` runs the steps in order: volume (:mod:`~sim.calibrate.volume`), call mix and
AI (:mod:`~sim.calibrate.mix`), producer groups (:mod:`~sim.calibrate.groups`), transfer
(:mod:`~sim.calibrate.patience`) and conversion; each returns its scenario section with its
report rows and notes, which are gathered in that order into the :class:`Report`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from sim.calibrate.common import MIN_CALLS
from sim.calibrate.durations import durations_table
from sim.calibrate.groups import GroupsFit, fit_groups
from sim.calibrate.mix import AiFit, MixFit, fit_ai, fit_call_types, fit_conversion
from sim.calibrate.patience import TransferFit, fit_transfer
from sim.calibrate.report import Calibration, Parameter, Report
from sim.calibrate.volume import VolumeFit, fit_volume
from sim.calllog import CalibrationError, CallLog, CallLogMapping, from_frame, read_call_log
from sim.loader import ScenarioError, load_scenario, scenario_from_dict
from sim.scenario import Scenario

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


def _outbound_notes(df: pd.DataFrame) -> tuple[str, ...]:
    n_out = int((df["direction"] == "outbound").sum())
    if not n_out:
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
    volume = fit_volume(inbound, step, base, data.get("hours", {}), log.timezone)
    mix = fit_call_types(inbound, df, base)
    ai = fit_ai(inbound, df, data.get("ai", {}))
    groups = fit_groups(df, base)
    transfer = fit_transfer(df, data.get("transfer", {}))
    data.update(
        hours=volume.hours,
        inbound=volume.inbound,
        triggers=mix.triggers,
        call_types=mix.call_types,
        ai=ai.section,
        destinations=groups.destinations,
        transfer=transfer.section,
        description=_description(log, inbound, volume),
    )
    report = _report(volume, mix, ai, groups, transfer, fit_conversion(df), _outbound_notes(df))
    return Calibration(_scenario(data), report, list(log.problems), log)


def _report(
    volume: VolumeFit,
    mix: MixFit,
    ai: AiFit,
    groups: GroupsFit,
    transfer: TransferFit,
    conversion: tuple[Parameter, ...],
    outbound_notes: tuple[str, ...],
) -> Report:
    """The steps' report rows and notes, in the order of the steps, and their tables."""
    tables = {**volume.tables, **mix.tables}
    if transfer.km is not None:
        tables["patience_km"] = transfer.km
    tables["durations"] = durations_table([*ai.fits, *groups.fits])
    steps = (volume, mix, ai, groups, transfer)
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
