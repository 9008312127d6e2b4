"""Running and checking scenarios: ``simulate`` (KPIs with confidence intervals, breakdowns,
output files), ``validate`` (check files, warn about triggers no group accepts) and
``reference`` (the scenario key reference, generated from the models)."""

from __future__ import annotations

import json
import math
import os
import re
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
    fail,
    figure_tables,
    fmt,
    load_or_fail,
    need_modules,
    output_dir_or_fail,
    print_json,
)
from sim.limits import LimitError
from sim.loader import ScenarioError, load_scenario
from sim.options import DEFAULT_REPLICATIONS


class Breakdown(StrEnum):
    """What ``simulate --by`` breaks the KPIs down by: each is a ``Results.by_<name>()``
    table (the hook for the engine's newer breakdowns: add its name here)."""

    trigger = "trigger"
    interval = "interval"
    weekday = "weekday"
    segment = "segment"
    group = "group"


@app.command()
def simulate(
    path: ScenarioPath,
    replications: Replications = DEFAULT_REPLICATIONS,
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
        typer.Option(
            help="Also show the KPIs per trigger, per 30-minute interval, per weekday, per "
            "caller segment or per producer group (repeat --by for several); default: per "
            "caller segment when the scenario has segments, else none."
        ),
    ] = None,
) -> None:
    """Run a scenario and print its KPIs with 95% confidence intervals."""
    from sim.results import simulate as run

    scenario = load_or_fail(path, set_)
    if out is not None:
        output_dir_or_fail(out)
        need_modules("--out (calls.parquet)", "parquet", "pyarrow")
    try:  # the run limit, checked by simulate before anything runs
        results = run(scenario, replications=replications, seed=seed, workers=workers)
    except LimitError as exc:
        fail(str(exc))
    summary = results.summary()
    if out is not None:
        _write_outputs(results, out)
    if by is None:
        by = [Breakdown.segment] if scenario.segments else []
    tables = {b.value: _breakdown(results, b) for b in dict.fromkeys(by)}
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
        missing = _missing_breakdown(scenario, Breakdown(name))
        if missing:
            console.print(escape(missing), highlight=False)
        if name == Breakdown.segment and not scenario.segments:
            continue  # no rows to show
        for shown in figure_tables(f"KPIs by {name}", table):
            console.print(shown)
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
    """``results.by_<by>()`` (30-minute intervals for ``interval``)."""
    method = getattr(results, f"by_{by.value}", None)
    if method is None:
        fail(f"--by {by.value}: this version of the lab has no per-{by.value} breakdown yet")
    return method(30) if by is Breakdown.interval else method()


def _missing_breakdown(scenario, by: Breakdown) -> str:
    """The line ``simulate`` prints for a breakdown the scenario does not define: no caller
    segments (no rows to show), no weekday pattern (the rows, shown after it, differ by chance
    only)."""
    if by is Breakdown.segment and not scenario.segments:
        return "this scenario has no caller segments"
    if by is Breakdown.weekday and not scenario.hours.weekdays:
        return (
            "this scenario has no weekday pattern: every open weekday has the same hours, "
            "volume and roster, so the rows below differ by chance only"
        )
    return ""


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
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='Print JSON: {"valid": all files valid, "files": [{"path", "valid", '
            '"scenario" (its name), "unrouted_triggers", "warnings"} or {"path", "valid": '
            'false, "error"}]}. Broken files still exit 2, their messages on stderr.',
        ),
    ] = False,
) -> None:
    """Check scenario files; print every problem found and exit 2 if any file is broken."""
    files = [_checked(path) for path in paths]
    for checked in files:
        if not checked["valid"]:
            err_console.print(
                f"[bold red]invalid:[/] {escape(checked['error'])}", highlight=False, soft_wrap=True
            )
    if as_json:
        print_json({"valid": all(c["valid"] for c in files), "files": files})
    else:
        for checked in files:
            if not checked["valid"]:
                continue
            line = f"{checked['path']}: {checked['scenario']}"
            console.print(f"[green]ok:[/] {escape(line)}", highlight=False)
            for warning in checked["warnings"]:
                console.print("[yellow]warning:[/] " + escape(warning), highlight=False)
    if not all(c["valid"] for c in files):
        raise typer.Exit(2)


def _checked(path: Path) -> dict:
    """What ``validate`` says about one file (the record ``--json`` prints)."""
    try:
        scenario = load_scenario(path)
    except ScenarioError as exc:
        return {"path": str(path), "valid": False, "error": str(exc)}
    gaps = list(scenario.routable_gaps())
    warnings = [
        f"{path}: trigger {trigger!r} can fire but no destination accepts it; those callers "
        "always get the fallback"
        for trigger in gaps
    ]
    return {"path": str(path), "valid": True, "scenario": scenario.name,
            "unrouted_triggers": gaps, "warnings": warnings}  # fmt: skip


@app.command()
def reference(
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='Print JSON: {"intro", "sections": [{"title", "about", "keys": [{"key", '
            '"allowed", "default", "meaning"}]}], "distributions": [{"dist", "keys", '
            '"meaning"}]}; the texts are the reference\'s own Markdown.',
        ),
    ] = False,
) -> None:
    """Print the scenario key reference (Markdown), generated from the scenario models."""
    from sim.reference import scenario_reference

    text = scenario_reference()
    if as_json:
        print_json(reference_record(text))
        return
    sys.stdout.write(text)


def reference_record(markdown: str) -> dict:
    """The reference's Markdown (:func:`sim.reference.scenario_reference`) as records: each
    ``###`` section with its sentence and its key table's rows, and the distributions'
    table. Read from the one generated text, so the JSON says exactly what the README says."""
    intro: list[str] = []
    sections: list[dict] = []
    for line in markdown.splitlines():
        if line.startswith("### "):
            sections.append({"title": line[4:].strip().strip("`"), "about": "", "rows": []})
        elif line.startswith("|") and sections:
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            if not all(set(c) <= {"-"} for c in cells) and cells[0] not in ("key", "dist"):
                sections[-1]["rows"].append(cells)
        elif line.strip() and sections:
            sections[-1]["about"] = (sections[-1]["about"] + " " + line.strip()).strip()
        elif line.strip():
            intro.append(line.strip())
    tables = [s for s in sections if s["title"] != "Distributions"]
    dists = [row for s in sections if s["title"] == "Distributions" for row in s["rows"]]
    return {
        "intro": " ".join(intro),
        "sections": [
            {
                "title": s["title"],
                "about": s["about"],
                "keys": [_named(("key", "allowed", "default", "meaning"), r) for r in s["rows"]],
            }
            for s in tables
        ],
        "distributions": [_named(("dist", "keys", "meaning"), row) for row in dists],
    }


def _named(names: tuple[str, ...], row: list[str]) -> dict[str, str]:
    """A reference table row as a record, its first cell (a key or a name) without backticks."""
    return dict(zip(names, [row[0].strip("`"), *row[1:]], strict=True))
