"""Running and checking scenarios: ``simulate`` (KPIs with confidence intervals, breakdowns,
output files), ``validate`` (check files, warn about triggers no group accepts) and
``reference`` (the scenario key reference, generated from the models)."""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sim import kpis
from sim.cli.shared import (
    JsonOption,
    Replications,
    ScenarioPath,
    SeedOption,
    SetOption,
    WorkersOption,
    app,
    console,
    err_console,
    fmt,
    frame_table,
    load_or_fail,
    need_modules,
    output_dir_or_fail,
    print_json,
    user_errors,
)
from sim.loader import ScenarioError, load_scenario


class Breakdown(StrEnum):
    trigger = "trigger"
    interval = "interval"
    group = "group"


@app.command()
def simulate(
    path: ScenarioPath,
    replications: Replications = 10,
    seed: SeedOption = None,
    set_: SetOption = None,
    workers: WorkersOption = 1,
    as_json: JsonOption = False,
    out: Annotated[
        Path | None,
        typer.Option(help="Directory to write calls.parquet, kpis.csv and summary.csv into."),
    ] = None,
    by: Annotated[
        list[Breakdown] | None,
        typer.Option(help="Also show the KPIs per trigger, per 30-minute interval or per group."),
    ] = None,
) -> None:
    """Run a scenario and print its KPIs with 95% confidence intervals."""
    from sim.limits import check_run
    from sim.results import simulate as run

    scenario = load_or_fail(path, set_)
    if out is not None:
        output_dir_or_fail(out)
        need_modules("--out (calls.parquet)", "parquet", "pyarrow")
    with user_errors():
        check_run(scenario, replications)
    results = run(scenario, replications=replications, seed=seed, workers=workers)
    summary = results.summary()
    if out is not None:
        _write_outputs(results, out)
    tables = {b.value: _breakdown(results, b) for b in by or []}
    if as_json:
        payload = {
            "scenario": scenario.name,
            "file": str(path),
            "replications": replications,
            "seed": results.seed,
            "kpis": {
                name: {
                    "mean": row["mean"],
                    "ci_low": row["ci_low"],
                    "ci_high": row["ci_high"],
                }
                for name, row in summary.iterrows()
            },
        }
        for name, table in tables.items():
            payload[f"by_{name}"] = json.loads(table.to_json(orient="records"))
        print_json(payload)
        return
    console.print(kpi_table(scenario.name, results))
    for name, table in tables.items():
        console.print(frame_table(f"KPIs by {name}", table))
    if out is not None:
        console.print(f"Wrote calls.parquet, kpis.csv and summary.csv to {out}", markup=False)


def kpi_table(title: str, results) -> Table:
    """A readable KPI table with confidence intervals."""
    summary = results.summary()
    table = Table(
        title=escape(f"{title} — {results.replications} replication(s), seed {results.seed}")
    )
    table.add_column("KPI")
    table.add_column("Mean", justify="right")
    table.add_column("95% CI", justify="right")
    for name, row in summary.iterrows():
        table.add_row(
            escape(kpis.label(str(name))),
            kpis.format(str(name), row["mean"]),
            _ci(str(name), row["ci_low"], row["ci_high"]),
        )
    return table


def _breakdown(results, by: Breakdown):
    if by is Breakdown.trigger:
        return results.by_trigger()
    if by is Breakdown.interval:
        return results.by_interval(30)
    return results.by_group()


def _ci(name: str, low: float, high: float) -> str:
    """The interval, held to the figure's own range (no share above 100%, no negative wait)."""
    if math.isnan(low) or math.isnan(high):
        return "—"
    spec = kpis.KPIS.get(name)
    if spec is not None:
        low, high = spec.within_range(low), spec.within_range(high)
    if spec is None:
        return f"{fmt(name, low)} – {fmt(name, high)}"
    return f"{spec.format(low)} – {spec.format(high)}"


def _write_outputs(results, out: Path) -> None:
    """Write into a temporary directory first, then move into place, so an interrupted run
    never leaves half-written files."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".partial-") as tmp:
        tmp_path = Path(tmp)
        results.calls.to_parquet(tmp_path / "calls.parquet", index=False)
        results.kpis.to_csv(tmp_path / "kpis.csv", index=False)
        results.summary(extra=True).to_csv(tmp_path / "summary.csv", index_label="kpi")
        for name in ("calls.parquet", "kpis.csv", "summary.csv"):
            os.replace(tmp_path / name, out / name)


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Scenario TOML files, or names of shipped ones.",
            show_default=False,
            metavar="PATH...",
        ),
    ],
) -> None:
    """Check scenario files; print every problem found and exit 2 if any file is broken."""
    broken = 0
    for path in paths:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            broken += 1
            err_console.print(
                f"[bold red]invalid:[/] {escape(str(exc))}", highlight=False, soft_wrap=True
            )
            continue
        console.print(f"[green]ok:[/] {escape(f'{path}: {scenario.name}')}", highlight=False)
        for trigger in scenario.routable_gaps():
            console.print(
                "[yellow]warning:[/] "
                + escape(
                    f"{path}: trigger {trigger!r} can fire but no destination accepts it; "
                    "those callers always get the fallback"
                ),
                highlight=False,
            )
    if broken:
        raise typer.Exit(2)


@app.command()
def reference() -> None:
    """Print the scenario key reference (Markdown), generated from the scenario models."""
    from sim.reference import scenario_reference

    sys.stdout.write(scenario_reference())
