"""The ``handoff-lab`` command line.

``simulate`` runs a scenario and prints its KPIs with confidence intervals (``--json`` for
machines, ``--out`` to keep the calls and KPIs), ``validate`` checks scenario files,
``dashboard`` starts the Streamlit lab, ``reference`` prints the scenario key reference,
``scenarios`` lists the shipped scenarios and copies one out to edit. A scenario argument is a
file or the bare name of a shipped scenario (``handoff-lab simulate small_agency``).
Role-play commands are added by :mod:`roleplay.cli` (with the ``roleplay`` extra installed).

A user mistake (a broken scenario, a bad option value) prints one clear message and exits with
code 2; it never shows a traceback.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sim.kpis import EXTRA_KPIS, KPI_NAMES
from sim.loader import ScenarioError, load_scenario
from sim.paths import DASHBOARD_APP, shipped_scenario, shipped_scenarios

__all__ = ["app", "main"]

app = typer.Typer(
    name="handoff-lab",
    help="Warm Handoff Lab: simulate voice-AI hand-offs to producers, and practise receiving them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

ScenarioPath = Annotated[
    Path,
    typer.Argument(
        help="Scenario TOML file, or the name of a shipped one (see `handoff-lab scenarios`).",
        show_default=False,
        metavar="PATH",
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override a scenario key, e.g. --set ai.rollout=0.2 --set destinations.0.producers=5.",
    ),
]


def fail(message: str) -> None:
    """Print a user-facing error and exit with code 2."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def need_modules(what: str, extra: str, *modules: str) -> None:
    """Exit 2 with an install hint when an optional dependency of ``what`` is missing."""
    missing = [m for m in modules if not _has_module(m)]
    if missing:
        fail(f"{what} needs {', '.join(missing)}, which is not installed; install the "
             f"'{extra}' extra: pip install 'warm-handoff-lab[{extra}]' (from a checkout: "
             f"pip install -e '.[{extra}]')")  # fmt: skip


def load_or_fail(path: Path, overrides: list[str] | None = None):
    """Load a scenario, turning every problem into a clear message and exit code 2."""
    try:
        return load_scenario(path, overrides or None)
    except ScenarioError as exc:
        fail(str(exc))


@app.command()
def simulate(
    path: ScenarioPath,
    replications: Annotated[
        int, typer.Option("--replications", "-r", min=1, help="Independent replications.")
    ] = 10,
    seed: Annotated[
        int | None, typer.Option(min=0, help="Seed (default: the scenario's `seed`).")
    ] = None,
    set_: SetOption = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
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
    from sim.results import simulate as run

    scenario = load_or_fail(path, set_)
    if out is not None and out.exists() and not out.is_dir():
        fail(f"--out {out}: exists and is not a directory")
    if out is not None:
        need_modules("--out (calls.parquet)", "parquet", "pyarrow")
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
        _print_json(payload)
        return
    console.print(kpi_table(scenario.name, results))
    for name, table in tables.items():
        console.print(frame_table(f"KPIs by {name}", table))
    if out is not None:
        console.print(f"Wrote calls.parquet, kpis.csv and summary.csv to {out}")


def kpi_table(title: str, results) -> Table:
    """A readable KPI table with confidence intervals."""
    summary = results.summary()
    table = Table(title=f"{title} — {results.replications} replication(s), seed {results.seed}")
    table.add_column("KPI")
    table.add_column("mean", justify="right")
    table.add_column("95% CI", justify="right")
    for name, row in summary.iterrows():
        table.add_row(name, _fmt(name, row["mean"]), _ci(name, row["ci_low"], row["ci_high"]))
    return table


class Breakdown(StrEnum):
    trigger = "trigger"
    interval = "interval"
    group = "group"


def _breakdown(results, by: Breakdown):
    if by is Breakdown.trigger:
        return results.by_trigger()
    if by is Breakdown.interval:
        return results.by_interval(30)
    return results.by_group()


def frame_table(title: str, frame) -> Table:
    """A DataFrame as a rich table, rates as percentages."""
    table = Table(title=title)
    for column in frame.columns:
        table.add_column(str(column), justify="left" if frame[column].dtype == object else "right")
    for _, row in frame.iterrows():
        table.add_row(*[
            _fmt(str(c), v) if isinstance(v, float) else str(v) for c, v in row.items()
        ])
    return table


def _fmt(name: str, value: float) -> str:
    if value is None or math.isnan(value):
        return "—"
    if name.endswith("_rate") or name in (
        "p_wait", "service_level", "producer_occupancy", "occupancy"
    ):
        return f"{value:.1%}"
    if "cost" in name:
        return f"${value:,.2f}"
    return f"{value:,.2f}"


def _ci(name: str, low: float, high: float) -> str:
    if math.isnan(low) or math.isnan(high):
        return "—"
    return f"{_fmt(name, low)} – {_fmt(name, high)}"


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


WorkersOption = Annotated[int, typer.Option(min=1, help="Worker processes on this machine.")]
SchedulerOption = Annotated[
    str | None,
    typer.Option(help="Dask scheduler address (tcp://host:port) to run the simulations on."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


@contextmanager
def progress_bar(label: str, enabled: bool = True):
    """A rich progress bar on stderr; yields a ``progress(done, total)`` callback."""
    if not enabled:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@contextmanager
def user_errors():
    """Turn the planning tools' user mistakes into one message and exit code 2."""
    from sim.execution import ExecutionError
    from sim.staffing import StaffingError

    try:
        yield
    except (ScenarioError, StaffingError, ExecutionError) as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(str(exc))


def _print_json(payload) -> None:
    from sim.results import json_safe

    sys.stdout.write(json.dumps(json_safe(payload), indent=2) + "\n")


@app.command()
def roi(
    path: ScenarioPath,
    replications: Annotated[int, typer.Option("--replications", "-r", min=2)] = 10,
    seed: Annotated[int | None, typer.Option(min=0)] = None,
    set_: SetOption = None,
    sensitivity: Annotated[
        bool, typer.Option("--sensitivity/--no-sensitivity", help="Add the tornado.")
    ] = True,
    growth: Annotated[
        bool, typer.Option("--growth", help="Add producers needed at ×1, ×1.5, ×2 volume.")
    ] = False,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    as_json: JsonOption = False,
) -> None:
    """AI intake against the all-human baseline: costs, sales, net value, payback, tornado."""
    from sim import roi as roi_mod

    scenario = load_or_fail(path, set_)
    with user_errors(), progress_bar("ROI", not as_json):
        comparison = roi_mod.compare(scenario, replications, seed, workers, scheduler)
        tornado = grown = None
        if sensitivity:
            tornado = roi_mod.sensitivity(
                scenario, replications, base=comparison, workers=workers, scheduler=scheduler
            )
        if growth:
            grown = roi_mod.growth(
                scenario, replications=max(2, replications // 2), seed=comparison.ai.seed,
                workers=workers, scheduler=scheduler,
            )  # fmt: skip
    if as_json:
        payload = {
            "scenario": scenario.name,
            "replications": replications,
            "seed": comparison.ai.seed,
            "headline": comparison.headline(),
            "table": comparison.table.reset_index(names="metric").to_dict(orient="records"),
        }
        if tornado is not None:
            payload["sensitivity"] = tornado.to_dict(orient="records")
        if grown is not None:
            payload["growth"] = grown[0].to_dict(orient="records")
            payload["growth_verdict"] = grown[1]
        _print_json(payload)
        return
    head = comparison.headline()
    console.print(frame_table(f"{scenario.name}: AI against all-human "
                              f"({replications} paired replications)",
                              comparison.table.reset_index(names="metric")))  # fmt: skip
    console.print(
        f"Monthly net gain of AI: [bold]${head['monthly_net_gain']:,.0f}[/] (95% CI "
        f"${head['monthly_net_gain_ci_low']:,.0f} – ${head['monthly_net_gain_ci_high']:,.0f});"
        f" payback of set-up: {_months(head['payback_months'])}; intake cost per contact is "
        f"{head['intake_cost_ratio']:.1f}× lower with AI.",
        highlight=False,
    )
    if tornado is not None:
        console.print(frame_table("Sensitivity of the monthly net gain (tornado, widest first)",
                                  tornado))  # fmt: skip
    if grown is not None:
        console.print(frame_table("Producers needed as volume grows", grown[0]))
        console.print(grown[1], highlight=False)


def _months(value: float) -> str:
    if math.isinf(value):
        return "never (the AI does not gain)"
    return f"{value:.1f} months"


@app.command()
def staff(
    path: ScenarioPath,
    interval: Annotated[int, typer.Option(help="Interval length in minutes: 15, 30 or 60.")] = 30,
    completion: Annotated[
        float | None, typer.Option(help="Minimum transfer completion (0–1).")
    ] = 0.80,
    service_level: Annotated[
        float | None, typer.Option(help="Minimum share answered within --answer-within.")
    ] = None,
    answer_within: Annotated[
        float | None, typer.Option(help="Service-level threshold in seconds.")
    ] = None,
    max_abandon: Annotated[float | None, typer.Option(help="Maximum abandonment (0–1).")] = None,
    max_occupancy: Annotated[float | None, typer.Option(help="Maximum occupancy (0–1).")] = None,
    shrinkage: Annotated[float, typer.Option(help="Share of paid time off the phones.")] = 0.30,
    replications: Annotated[int, typer.Option("--replications", "-r", min=2)] = 10,
    seed: Annotated[int | None, typer.Option(min=0)] = None,
    set_: SetOption = None,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fewest producers per interval and group meeting the targets at the confidence bound,
    headcount after shrinkage, and Erlang A alongside."""
    from sim.staffing import Targets, staffing

    scenario = load_or_fail(path, set_)
    targets = Targets(
        transfer_completion=completion, service_level=service_level,
        answer_within_seconds=answer_within, max_abandonment=max_abandon,
        max_occupancy=max_occupancy,
    )  # fmt: skip
    with user_errors(), progress_bar("Staffing (cells settled)", not as_json) as progress:
        plan = staffing(scenario, targets, interval_minutes=interval, replications=replications,
                        seed=seed, shrinkage=shrinkage, workers=workers, scheduler=scheduler,
                        progress=progress)  # fmt: skip
    if as_json:
        _print_json(plan.to_dict())
        return
    columns = ["group", "interval", "offered_per_day", "producers", "erlang_a", "headcount",
               "transfer_completion_low", "service_level_low", "abandonment_high",
               "occupancy_high"]  # fmt: skip
    console.print(frame_table(f"{scenario.name}: producers needed per {interval} minutes",
                              plan.table[columns]))  # fmt: skip
    console.print(frame_table("Per group, per day", plan.totals()))
    console.print(
        f"{plan.simulations} simulations in {plan.seconds:.1f} s. Where simulation and Erlang A "
        "differ: " + "; ".join(plan.notes) + ".",
        highlight=False,
    )


@app.command()
def pilot(
    path: ScenarioPath,
    rollout: Annotated[float, typer.Option(help="Share of calls the AI takes in the pilot.")] = 0.1,
    metric: Annotated[
        str, typer.Option(help="What the pilot must show a lift in.")
    ] = "post_transfer_conversion_rate",
    lift: Annotated[
        float | None,
        typer.Option(help="Absolute lift to detect (0.02 for 10% → 12%); default: the "
                     "scenario's own effect."),
    ] = None,
    relative_lift: Annotated[
        float | None, typer.Option(help="Relative lift to detect (0.2 for +20%).")
    ] = None,
    alpha: Annotated[float, typer.Option(help="Significance level (two-sided).")] = 0.05,
    power: Annotated[float, typer.Option(help="Power wanted.")] = 0.8,
    compare: Annotated[
        str | None,
        typer.Option("--compare-rollouts",
                     help="Comma-separated rollouts to compare, e.g. 0.1,0.15,0.2: which reaches "
                     "a decision soonest with transfer completion ≥ 0.80."),
    ] = None,
    replications: Annotated[
        int | None,
        typer.Option("--replications", "-r", min=2,
                     help="Replications (default: enough for about 20 independent pilots)."),
    ] = None,
    seed: Annotated[int | None, typer.Option(min=0)] = None,
    set_: SetOption = None,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    as_json: JsonOption = False,
) -> None:
    """Size a 10–20% pilot: sample size per arm, weeks to a decision, simulated power, the
    weekly noise bands of the review metrics, and (optionally) the best rollout share."""
    from sim import pilot as pilot_mod

    scenario = load_or_fail(path, set_)
    with user_errors():
        rollouts = _floats(compare, "--compare-rollouts") if compare else None
        with progress_bar("Pilot replications", not as_json) as progress:
            plan = pilot_mod.pilot(
                scenario, rollout=rollout, metric=metric, lift=lift, alpha=alpha, power=power,
                replications=replications, seed=seed, workers=workers, scheduler=scheduler,
                progress=progress, relative_lift=relative_lift, compare_rollouts=rollouts,
            )  # fmt: skip
    if as_json:
        _print_json(plan.to_dict())
        return
    console.print(frame_table(f"{scenario.name}: pilot at {rollout:.0%} rollout",
                              plan.summary_table()))  # fmt: skip
    console.print(frame_table("Power: formula and simulated pilots", plan.power_table()))
    console.print(frame_table("Weekly review bands, first 30 days", plan.bands_table()))
    if rollouts:
        console.print(frame_table("Rollout shares compared", plan.rollouts_table()))
    for note in plan.to_dict().get("notes") or []:
        console.print(f"• {note}", highlight=False)


def _floats(text: str, option: str) -> list[float]:
    try:
        return [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise ValueError(f"{option} takes comma-separated numbers, got {text!r}") from None


@app.command()
def sweep(
    path: ScenarioPath,
    grid: Annotated[
        list[str],
        typer.Option("--grid", help="A scenario key and its values, e.g. "
                     "--grid destinations.0.producers=3,4,5 --grid ai.rollout=0.1,0.2."),
    ],
    replications: Annotated[int, typer.Option("--replications", "-r", min=1)] = 5,
    seed: Annotated[int | None, typer.Option(min=0)] = None,
    set_: SetOption = None,
    kpi: Annotated[
        list[str] | None, typer.Option("--kpi", help="KPIs to show (default: a few key ones).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write the tidy results (one row per cell × replication): .csv or "
                     ".parquet."),
    ] = None,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    as_json: JsonOption = False,
) -> None:
    """Run the scenario over a grid of key values (every combination), in parallel or on a
    Dask cluster, and summarise the KPIs per cell."""
    from sim.sweep import parse_grid
    from sim.sweep import sweep as run_sweep

    scenario = load_or_fail(path, set_)
    if out is not None and out.suffix not in (".csv", ".parquet"):
        fail(f"--out {out}: use a .csv or .parquet file name")
    if out is not None and out.suffix == ".parquet":
        need_modules(f"--out {out}", "parquet", "pyarrow")
    shown = kpi or ["transfer_completion_rate", "abandonment_rate", "service_level",
                    "producer_occupancy", "total_cost", "policies_sold"]  # fmt: skip
    unknown = sorted(set(shown) - set(KPI_NAMES) - set(EXTRA_KPIS))
    if unknown:
        fail(f"--kpi: unknown KPI(s) {', '.join(unknown)}; allowed: {', '.join(KPI_NAMES)}")
    with user_errors():
        parsed = parse_grid(grid)
        with progress_bar("Sweep", not as_json) as progress:
            result = run_sweep(scenario, parsed, replications=replications, seed=seed,
                               workers=workers, scheduler=scheduler, progress=progress)
    if out is not None:
        (result.to_parquet if out.suffix == ".parquet" else result.to_csv)(out)
    if as_json:
        _print_json(result.to_dict())
        return
    summary = result.summary(kpis=shown)
    wide = summary.pivot_table(index=result.keys, columns="kpi", values="mean", sort=False)
    console.print(frame_table(f"{scenario.name}: sweep means over {replications} replication(s)",
                              wide[shown].reset_index()))  # fmt: skip
    if out is not None:
        console.print(f"Wrote {len(result.table)} rows to {out}")


@app.command()
def calibrate(
    calls: Annotated[Path, typer.Argument(help="Call log CSV.", show_default=False,
                                          metavar="CALLS.csv")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Scenario TOML to write.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name of the calibrated scenario.")] = None,
    base: Annotated[
        Path | None,
        typer.Option(help="Scenario supplying what a call log cannot show (money, outcomes, "
                     "intake, outbound campaign)."),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(help="Agency time zone (ET, CT, MT, PT, AKT, HT or an IANA name); times "
                     "with an offset are converted to it."),
    ] = None,
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

    if duration_unit not in ("seconds", "minutes"):
        fail(f"--duration-unit must be seconds or minutes, got {duration_unit!r}")
    if interval_minutes is not None and interval_minutes not in (5, 10, 15, 20, 30, 60):
        fail(f"--interval-minutes must be one of 5, 10, 15, 20, 30, 60; got {interval_minutes}")
    if output is not None and not output.parent.is_dir():
        fail(f"--output {output}: no such folder")
    try:
        result = calibrate_file(calls, None, name=name, base=base, timezone=timezone,
                                duration_unit=duration_unit, interval_minutes=interval_minutes)
    except (CalibrationError, ScenarioError) as exc:
        fail(str(exc))
    console.print(result.summary(), markup=False, highlight=False)  # may contain "[redacted]"
    if strict and result.problems:
        fail(f"{calls}: {len(result.problems)} row(s) have problems (listed above); "
             "--strict writes nothing")
    if output is not None:
        partial = output.with_name(f".{output.name}.partial")
        partial.write_text(result.to_toml(), encoding="utf-8")
        os.replace(partial, output)
        console.print(f"Wrote {output}", markup=False)


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Scenario TOML files.", show_default=False, metavar="PATH..."),
    ],
) -> None:
    """Check scenario files; print every problem found and exit 2 if any file is broken."""
    broken = 0
    for path in paths:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            broken += 1
            err_console.print(f"[bold red]invalid:[/] {exc}", highlight=False, soft_wrap=True)
            continue
        console.print(f"[green]ok:[/] {path}: {scenario.name}", highlight=False)
        for trigger in scenario.routable_gaps():
            console.print(
                f"[yellow]warning:[/] {path}: trigger {trigger!r} can fire but no destination "
                "accepts it; those callers always get the fallback",
                highlight=False,
            )
    if broken:
        raise typer.Exit(2)


@app.command()
def reference() -> None:
    """Print the scenario key reference (Markdown), generated from the scenario models."""
    from sim.reference import scenario_reference

    sys.stdout.write(scenario_reference())


scenarios_app = typer.Typer(
    help="List the shipped scenarios; `copy` one out to edit, `show` one.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(scenarios_app, name="scenarios")


@scenarios_app.callback()
def scenarios(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the shipped scenarios (name them by their bare name in any command)."""
    if ctx.invoked_subcommand is not None:
        return
    rows = []
    for stem, path in shipped_scenarios().items():
        scenario = load_or_fail(path)
        rows.append({"name": stem, "scenario": scenario.name,
                     "description": scenario.description, "path": str(path)})  # fmt: skip
    if as_json:
        _print_json(rows)
        return
    table = Table(title="Shipped scenarios (use the name in any command, e.g. "
                  "`handoff-lab simulate small_agency`)")  # fmt: skip
    table.add_column("name", no_wrap=True)
    table.add_column("scenario")
    table.add_column("description")
    for row in rows:
        table.add_row(row["name"], row["scenario"], row["description"])
    console.print(table)
    console.print(f"Folder: {next(iter(shipped_scenarios().values())).parent}", highlight=False)


def shipped_or_fail(name: str) -> Path:
    """The shipped scenario ``name``, or exit 2 listing the shipped names."""
    path = shipped_scenario(name)
    if path is None:
        fail(f"no shipped scenario is called {name!r}; shipped: {', '.join(shipped_scenarios())}")
    return path


ShippedName = Annotated[
    str, typer.Argument(help="Shipped scenario, e.g. small_agency.", show_default=False)
]


@scenarios_app.command("copy")
def scenarios_copy(
    name: ShippedName,
    dest: Annotated[
        Path | None,
        typer.Argument(help="File (or existing folder) to write; default ./NAME.toml.",
                       show_default=False),
    ] = None,
) -> None:
    """Copy a shipped scenario to a file of your own to edit (never overwrites a file)."""
    source = shipped_or_fail(name)
    target = Path.cwd() / source.name if dest is None else dest
    if target.is_dir():
        target = target / source.name
    if not target.parent.is_dir():
        fail(f"{target}: no such folder {target.parent}")
    try:
        with target.open("x", encoding="utf-8") as out:
            out.write(source.read_text(encoding="utf-8"))
    except FileExistsError:
        fail(f"{target} already exists; not overwritten (give another file name or remove it)")
    except OSError as exc:
        fail(f"{target}: cannot write: {exc.strerror}")
    console.print(f"Copied {source.stem} to {target}; edit it, then run "
                  f"`handoff-lab simulate {target}`.", highlight=False, soft_wrap=True)  # fmt: skip
    base = _extends(source)
    if base is not None:
        console.print(f"It extends {base!r}: a file of that name beside it, else the shipped "
                      "scenario of that name.", highlight=False, soft_wrap=True)  # fmt: skip


@scenarios_app.command("show")
def scenarios_show(
    name: ShippedName,
) -> None:
    """Print a shipped scenario's TOML."""
    sys.stdout.write(shipped_or_fail(name).read_text(encoding="utf-8"))


def _extends(path: Path) -> str | None:
    import tomllib

    base = tomllib.loads(path.read_text(encoding="utf-8")).get("extends")
    return base if isinstance(base, str) else None


@app.command()
def dashboard(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    db: Annotated[
        str | None,
        typer.Option(help="SQLAlchemy URL of the role-play store (default: embedded SQLite)."),
    ] = None,
) -> None:
    """Start the Streamlit lab in the browser (http://127.0.0.1:8501)."""
    need_modules("the dashboard", "dashboard", *DASHBOARD_MODULES)
    env = dict(os.environ)
    if db:
        env["HANDOFF_LAB_DB"] = db
    command = [
        sys.executable, "-m", "streamlit", "run", str(DASHBOARD_APP),
        "--server.address", address, "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    console.print(f"Warm Handoff Lab on http://{address}:{port} (Ctrl-C to stop)")
    sys.stdout.flush()
    # Become the Streamlit server (no child process): Ctrl-C and SIGTERM reach it directly and
    # nothing is left running when the command is stopped.
    os.execve(sys.executable, command, env)


DASHBOARD_MODULES = ("streamlit", "plotly", "sqlalchemy", "faker", "platformdirs")
"""What the dashboard imports beyond the core (its pages include role-play)."""
ROLEPLAY_MODULES = ("sqlalchemy", "faker", "platformdirs")
"""What the role-play commands import beyond the core (the ``roleplay`` extra)."""
ROLEPLAY_COMMANDS = ("roleplay", "scores")
"""The commands ``roleplay.cli.register`` adds; stand-ins say how to install them if missing."""


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _register_plugins() -> None:
    try:
        from roleplay.cli import register
    except ModuleNotFoundError as exc:
        if exc.name not in ROLEPLAY_MODULES:
            raise
        for command in ROLEPLAY_COMMANDS:
            _register_missing(command)
        return
    register(app)


def _register_missing(command: str) -> None:
    """A stand-in for a role-play command whose optional dependencies are not installed."""

    @app.command(
        command,
        help="Role-play (needs the 'roleplay' extra: pip install 'warm-handoff-lab[roleplay]').",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        add_help_option=False,
    )
    def missing() -> None:
        need_modules(f"`handoff-lab {command}`", "roleplay", *ROLEPLAY_MODULES)


_register_plugins()


def main() -> None:
    """Entry point of the ``handoff-lab`` console script."""
    app()
