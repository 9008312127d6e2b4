"""Call logs: ``calibrate`` fits a scenario to an agency's own call log (personal data is
dropped on the way in) and writes it as TOML, atomically; ``--json`` prints the fit (or, with
``--check``, the rows as read) as one JSON object, built from the calibration's own records.
``sample-log`` writes a synthetic call log to try them on: a shipped scenario's simulated calls
as a phone-system export (:func:`sim.calllog.synthetic_log`), with fictitious callers drawn by
Faker from the seed, so the Quick start's ``calibrate calls.csv`` runs on a fresh install."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, cast

import typer

from sim.cli.shared import (
    SeedOption,
    app,
    console,
    fail,
    load_or_fail,
    need_modules,
    output_file_or_fail,
    print_json,
    user_errors,
)
from sim.loader import ScenarioError


@app.command()
def calibrate(
    calls: Annotated[
        Path, typer.Argument(help="Call log CSV.", show_default=False, metavar="CALLS.csv")
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Scenario TOML to write.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name of the calibrated scenario.")] = None,
    base: Annotated[
        Path | None,
        typer.Option(
            help="Scenario supplying what a call log cannot show (money, outcomes, "
            "intake, outbound campaign)."
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            help="Agency time zone: ET, CT, MT, PT, AKT, HT or any IANA name (e.g. "
            "Europe/London); times with an offset are converted to it."
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            metavar="FILE",
            help="Mapping TOML for an export in another layout: which export column is which "
            "lab field, value codes, duration units, cells meaning none, an IVR stage.",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Print the first rows as the lab reads them (personal columns dropped) and "
            "how the columns were matched, then stop; fits and writes nothing.",
        ),
    ] = False,
    duration_unit: Annotated[
        str, typer.Option(help="Unit of durations whose header names none: seconds or minutes.")
    ] = "seconds",
    interval_minutes: Annotated[
        int | None, typer.Option(help="Profile interval: 5, 10, 15, 20, 30 or 60 minutes.")
    ] = None,
    strict: Annotated[
        bool, typer.Option(help="Refuse (exit 2, write nothing) if any row has a problem.")
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='Print JSON instead of the report: {"source", "rows_read", "rows_used", '
            '"rows_left_out", "columns" (lab field → export header), "personal_columns_dropped", '
            '"columns_not_read", "redacted_cells", "notes", "problems": [{"line", "column", '
            '"reason"}], "parameters": [{"parameter", "key", "estimate", "se", "ci_low", '
            '"ci_high", "n", "method"}], "scenario" (the fitted scenario\'s keys), "output" (the '
            'file written, or null)}; with --check {"source", "rows_read", "rows_used", '
            '"rows_left_out", "columns", "personal_columns_dropped", "columns_not_read", "notes", '
            '"rows" (the first rows as read, minutes), "problems"}. No personal data.',
        ),
    ] = False,
) -> None:
    """Fit a scenario to an agency's own call log (personal data is dropped on the way in)."""
    from sim.calibrate import CalibrationError, calibrate_file
    from sim.calllog import check_mapping

    if duration_unit not in ("seconds", "minutes"):
        fail(f"--duration-unit must be seconds or minutes, got {duration_unit!r}")
    if interval_minutes is not None and interval_minutes not in (5, 10, 15, 20, 30, 60):
        fail(f"--interval-minutes must be one of 5, 10, 15, 20, 30, 60; got {interval_minutes}")
    if output is not None:
        output_file_or_fail(output, "--output")
    if not calls.is_file():
        fail(
            f"{calls}: " + ("is a directory, not a call log" if calls.is_dir() else "no such file")
        )
    if check:
        try:
            shown = check_mapping(
                calls, mapping, timezone=timezone, duration_unit=cast(Any, duration_unit)
            )
        except (CalibrationError, ScenarioError) as exc:
            fail(str(exc))
        if as_json:
            print_json({**_log_record(shown.log), "columns": shown.columns,
                        "personal_columns_dropped": shown.personal_columns,
                        "columns_not_read": shown.ignored_columns, "rows": shown.rows,
                        "problems": _problems(shown.problems)})  # fmt: skip
            return
        console.print(shown.to_text(), markup=False, highlight=False)
        return
    try:
        result = calibrate_file(
            calls,
            None,
            name=name,
            base=base,
            timezone=timezone,
            duration_unit=cast(Any, duration_unit),  # checked above
            interval_minutes=cast(Any, interval_minutes),
            mapping=mapping,
        )
    except (CalibrationError, ScenarioError) as exc:
        fail(str(exc))
    if not as_json:
        console.print(result.summary(), markup=False, highlight=False)  # may hold "[redacted]"
    if strict and result.problems:
        if as_json:
            print_json(_calibration_record(result, None))
        fail(
            f"{calls}: {len(result.problems)} row(s) have problems (listed "
            f"{'in the JSON' if as_json else 'above'}); --strict writes nothing"
        )
    if output is not None:
        partial = output.with_name(f".{output.name}.partial")
        try:
            partial.write_text(result.to_toml(), encoding="utf-8")
            os.replace(partial, output)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            fail(f"--output {output}: cannot write: {exc.strerror}")
        if not as_json:
            console.print(f"Wrote {output}", markup=False)
    if as_json:
        print_json(_calibration_record(result, output))


def _log_record(log: Any) -> dict[str, Any]:
    """What a call log's reading says, for ``--json`` (counts, columns matched, notes)."""
    if log is None:
        return {}
    return {"source": log.source, "rows_read": log.rows_read, "rows_used": log.rows_used,
            "rows_left_out": log.rows_with_problems, "notes": list(log.notes)}  # fmt: skip


def _problems(problems: Any) -> list[dict[str, Any]]:
    return [{"line": p.line, "column": p.column, "reason": p.reason} for p in problems]


def _calibration_record(result: Any, output: Path | None) -> dict[str, Any]:
    """``calibrate --json``: the fit as :class:`sim.calibrate.Calibration` holds it."""
    log = result.log
    record = _log_record(log)
    record["notes"] = [*record["notes"], *result.report.notes]
    record.update(
        columns=log.columns,
        personal_columns_dropped=log.personal_columns,
        columns_not_read=log.ignored_columns,
        redacted_cells=log.redacted_values,
        problems=_problems(result.problems),
        parameters=result.report.parameters,
        scenario=result.scenario.model_dump(mode="json", exclude_none=True),
        output=None if output is None else str(output),
    )
    return record


SAMPLE_SCENARIO = "small_agency"
"""The shipped scenario ``sample-log`` simulates by default."""
MAX_SAMPLE_DAYS = 90
"""Open days one sample log may cover."""


@app.command("sample-log")
def sample_log(
    calls: Annotated[
        Path,
        typer.Argument(
            help="CSV file to write (never overwritten).", show_default=False, metavar="CALLS.csv"
        ),
    ],
    scenario: Annotated[
        Path,
        typer.Option(help="Scenario whose simulated calls make the log (a file or shipped name)."),
    ] = Path(SAMPLE_SCENARIO),
    seed: SeedOption = None,
    days: Annotated[
        int | None,
        typer.Option(
            min=1, max=MAX_SAMPLE_DAYS, help="Open days the log covers (default: the scenario's)."
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='Print JSON: {"file", "scenario", "seed", "days", "calls", "first_day", '
            '"last_day"}.',
        ),
    ] = False,
) -> None:
    """Write a synthetic call log to try calibrate and backtest on: a scenario's simulated calls
    as a phone-system export, with fictitious callers (the same seed, the same log)."""
    need_modules("sample-log (fictitious callers)", "roleplay", "faker")
    from sim.calllog import synthetic_log, write_call_log

    if calls.exists():
        fail(f"{calls} already exists; not overwritten (give another file name or remove it)")
    output_file_or_fail(calls, "CALLS.csv")
    chosen = load_or_fail(scenario, None if days is None else [f"days={days}"])
    seed = chosen.seed if seed is None else seed
    with user_errors():
        frame = synthetic_log(chosen, seed=seed)
    partial = calls.with_name(f".{calls.name}.partial")
    try:
        write_call_log(frame, partial)
        os.replace(partial, calls)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        fail(f"{calls}: cannot write: {exc.strerror or exc}")
    first, last = frame["started_at"].iloc[0][:10], frame["started_at"].iloc[-1][:10]
    if as_json:
        print_json({"file": str(calls), "scenario": chosen.name, "seed": seed, "days": chosen.days,
                    "calls": len(frame), "first_day": first, "last_day": last})  # fmt: skip
        return
    console.print(
        f"Wrote {len(frame):,} synthetic calls of {chosen.name} ({chosen.days} open days, "
        f"{first} to {last}, seed {seed}; the callers are fictitious) to {calls}. Try: "
        f"handoff-lab calibrate {calls}",
        markup=False,
        highlight=False,
    )
