"""``backtest``: does the lab's model reproduce what really happened in an agency's call log?"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from sim.cli.shared import (
    SeedOption,
    WorkersOption,
    app,
    console,
    fail,
    has_module,
    load_or_fail,
    output_file_or_fail,
)
from sim.loader import ScenarioError

_VERDICT_STYLE = {"consistent": "green", "close": "yellow", "misses": "red", "too few calls": "dim"}


def _band(name: str, low: float, high: float) -> str:
    """``3.6%–6.5%``, ``0.08–0.18 min``: an interval in the figure's own format."""
    from sim.kpis import format as fmt

    first, second = fmt(name, low), fmt(name, high)
    unit = " min"
    if first.endswith(unit) and second.endswith(unit):
        first = first[: -len(unit)]
    return f"{first}–{second}"


def _table(rows: Any, key: str | None, title: str) -> Table:
    from sim.kpis import format as fmt
    from sim.kpis import label

    table = Table(title=title, title_justify="left", expand=False)
    if key:
        table.add_column(key.capitalize(), no_wrap=True)
    table.add_column("Figure", overflow="fold")
    table.add_column("Observed\n(95% CI)", justify="right", overflow="fold")
    table.add_column("Predicted\n(95% PI)", justify="right", overflow="fold")
    table.add_column("Verdict", overflow="fold")
    previous = None
    for r in rows.to_dict(orient="records"):
        # The interval or weekday is shown once, on the first of its rows.
        cells = [escape(str(r[key])) if r[key] != previous else ""] if key else []
        previous = r[key] if key else None
        name = r["figure"]
        cells += [
            label(name),
            f"{fmt(name, r['observed'])}\n{_band(name, r['observed_low'], r['observed_high'])}",
            f"{fmt(name, r['predicted'])}\n{_band(name, r['predicted_low'], r['predicted_high'])}",
            f"[{_VERDICT_STYLE[r['verdict']]}]{r['verdict']}[/]",
        ]
        table.add_row(*cells)
    return table


@app.command()
def backtest(
    calls: Annotated[
        Path, typer.Argument(help="Call log CSV.", show_default=False, metavar="CALLS.csv")
    ],
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario",
            help="Scenario to test (a file or a shipped name); default: the one `calibrate` "
            "fits to CALLS.",
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", metavar="FILE", help="Mapping TOML for an export's layout."),
    ] = None,
    timezone: Annotated[
        str | None, typer.Option(help="Agency time zone: a US abbreviation or any IANA name.")
    ] = None,
    replications: Annotated[
        int,
        typer.Option(
            "--replications",
            "-r",
            min=2,
            max=1000,
            help="Simulated replications of the log's days (at least 2).",
        ),
    ] = 20,
    seed: SeedOption = None,
    by: Annotated[
        str,
        typer.Option(help="Also show the figures by: none, interval, weekday or segment."),
    ] = "none",
    interval_minutes: Annotated[
        int, typer.Option(help="Interval of the day for --by interval: 15, 30 or 60 minutes.")
    ] = 60,
    chart: Annotated[
        Path | None,
        typer.Option(
            "--chart", metavar="FILE.html", help="Write predicted against observed through the day."
        ),
    ] = None,
    workers: WorkersOption = 1,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='Print JSON: {"scenario", "source", "fitted", "days", "replications", '
            '"seed", "interval_minutes", "verdict", "breakdown" (how each breakdown\'s cells '
            'fared, a sentence), "overall", "by_interval", "by_weekday", "by_segment" (rows '
            'of "figure", "observed", "observed_low", "observed_high", "predicted", '
            '"predicted_low", "predicted_high", "verdict", ...; every breakdown, whatever '
            '--by says; by_segment empty without segments), "notes"}.',
        ),
    ] = False,
) -> None:
    """Simulate the call log's own days and compare abandonment, waiting, service level and
    occupancy with what really happened, overall, by interval, by weekday and by caller
    segment."""
    from sim.backtest import backtest as run_backtest
    from sim.calibrate import CalibrationError, calibrate
    from sim.calllog import read_call_log

    if by not in ("none", "interval", "weekday", "segment"):
        fail(f"--by must be none, interval, weekday or segment; got {by!r}")
    if interval_minutes not in (15, 30, 60):
        fail(f"--interval-minutes must be 15, 30 or 60; got {interval_minutes}")
    if chart is not None:
        output_file_or_fail(chart, "--chart")
        if not has_module("plotly"):
            fail('--chart needs Plotly: pip install "warm-handoff-lab[dashboard]"')
    if not calls.is_file():
        fail(f"{calls}: no such call log file")
    given = load_or_fail(scenario) if scenario is not None else None
    try:
        log = read_call_log(calls, timezone=timezone, mapping=mapping)
        fit = None if given is not None else calibrate(log, timezone=timezone)
        result = run_backtest(
            log,
            given if fit is None else fit.scenario,
            replications=replications,
            seed=2024 if seed is None else seed,
            interval_minutes=interval_minutes,
            workers=workers,
            calibration=fit,
        )
    except (CalibrationError, ScenarioError, ValueError) as exc:
        fail(str(exc))
    result.fitted = given is None
    if chart is not None:
        from sim.backtest.chart import through_the_day

        through_the_day(result).write_html(chart, include_plotlyjs=True)
    if as_json:
        print(json.dumps(result.to_dict(), indent=2, allow_nan=False))
        return
    what = "the scenario fitted to this log" if given is None else f"scenario {given.name}"
    console.print(f"Back-test of {what} over {result.days} days of {calls.name}", markup=False)
    console.print(_table(result.overall, None, "Overall"))
    if by == "interval":
        console.print(_table(result.by_interval, "interval", "By interval of the day"))
    elif by == "weekday":
        console.print(_table(result.by_weekday, "weekday", "By weekday"))
    elif by == "segment" and not result.by_segment.empty:
        console.print(_table(result.by_segment, "segment", "By caller segment"))
    elif by == "segment":
        console.print(
            "No per-segment comparison: the scenario has no caller segments, or the log does "
            "not say each caller's segment.",
            markup=False,
            highlight=False,
        )
    console.print(result.verdict, markup=False, highlight=False)
    if result.breakdown:
        console.print(result.breakdown, markup=False, highlight=False)
    for note in result.notes:
        console.print(f"Note: {note[:1].upper()}{note[1:]}.", markup=False, highlight=False)
    if chart is not None:
        console.print(f"Wrote {chart}", markup=False)
