"""``calibrate``: fit a scenario to an agency's own call log (personal data is dropped on the
way in) and write it as TOML, atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, cast

import typer

from sim.cli.shared import app, console, fail, output_file_or_fail
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
    console.print(result.summary(), markup=False, highlight=False)  # may contain "[redacted]"
    if strict and result.problems:
        fail(
            f"{calls}: {len(result.problems)} row(s) have problems (listed above); "
            "--strict writes nothing"
        )
    if output is not None:
        partial = output.with_name(f".{output.name}.partial")
        try:
            partial.write_text(result.to_toml(), encoding="utf-8")
            os.replace(partial, output)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            fail(f"--output {output}: cannot write: {exc.strerror}")
        console.print(f"Wrote {output}", markup=False)
