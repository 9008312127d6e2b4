"""The planning commands: ``roi`` (AI against the all-human baseline, tornado, growth),
``staff`` (producers per interval and group, Erlang A alongside), ``pilot`` (sizing a 10–20%
pilot) and ``sweep`` (a grid of scenario keys, in parallel or on a Dask cluster)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from sim.cli.shared import (
    JsonOption,
    PairedReplications,
    Replications,
    ScenarioPath,
    SchedulerOption,
    SeedOption,
    SetOption,
    WorkersOption,
    app,
    console,
    fail,
    figure_tables,
    finite_option,
    load_or_fail,
    need_modules,
    output_file_or_fail,
    print_json,
    progress_bar,
    text_table,
    user_errors,
)
from sim.kpis import EXTRA_KPIS, KPI_NAMES
from sim.limits import MAX_REPLICATIONS
from sim.options import DEFAULT_INTERVAL_MINUTES, DEFAULT_REPLICATIONS, DEFAULT_SHRINKAGE


@app.command()
def roi(
    path: ScenarioPath,
    replications: PairedReplications = DEFAULT_REPLICATIONS,
    seed: SeedOption = None,
    set_: SetOption = None,
    baseline: Annotated[
        str,
        typer.Option(
            help="All-human baseline: 'staffed' (staffed to meet the scenario's targets) or "
            "'same' (the AI scenario's producers, like for like).",
        ),
    ] = "staffed",
    precision: Annotated[
        float | None,
        typer.Option(
            callback=finite_option,
            help="Add replications until the 95% interval of the monthly net gain is at most "
            "this many dollars wide (within --max-replications).",
        ),
    ] = None,
    max_replications: Annotated[
        int, typer.Option(min=2, help="Cap on replications with --precision.")
    ] = 80,
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
    """AI intake against an all-human baseline: where the monthly net gain comes from, each
    arm's producer hours and KPIs, payback, tornado."""
    from sim import roi as roi_mod

    scenario = load_or_fail(path, set_)
    if baseline not in roi_mod.BASELINES:
        fail(f"--baseline {baseline}: use one of {', '.join(roi_mod.BASELINES)}")
    with user_errors(), progress_bar("ROI", not as_json) as progress:
        if precision is not None:
            comparison = roi_mod.compare_to_precision(
                scenario, precision, max_replications, replications, seed, workers, scheduler,
                progress, baseline,
            )  # fmt: skip
        else:
            comparison = roi_mod.compare(scenario, replications, seed, workers, scheduler,
                                         progress, baseline)  # fmt: skip
        reps = comparison.replications
        tornado = grown = None
        if sensitivity:
            tornado = roi_mod.sensitivity(
                scenario, reps, base=comparison, workers=workers, scheduler=scheduler
            )
        if growth:
            grown = roi_mod.growth(
                scenario, replications=max(2, reps // 2), seed=comparison.ai.seed,
                workers=workers, scheduler=scheduler,
            )  # fmt: skip
    if as_json:
        payload = comparison.to_dict()
        payload["headline"] = comparison.headline()
        payload["table"] = comparison.table.reset_index(names="metric").to_dict(orient="records")
        if tornado is not None:
            payload["sensitivity"] = tornado.to_dict(orient="records")
        if grown is not None:
            payload["growth"] = grown[0].to_dict(orient="records")
            payload["growth_verdict"] = grown[1]
        print_json(payload)
        return
    print_roi(comparison, tornado, grown)


def _months(value: float) -> str:
    if math.isinf(value):
        return "never (the AI does not gain)"
    if value < 1:
        days = value * 365.25 / 12
        return "under a day" if days < 1 else f"{days:.0f} days"
    return f"{value:.1f} months"


def print_roi(comparison, tornado=None, grown=None) -> None:
    """The comparison for people at 80 columns (what ``--json`` holds, in words)."""
    from sim.roi import display_tables, explain, money

    scenario = comparison.scenario
    head = comparison.headline()
    gain = comparison.net_gain()
    tables = display_tables(comparison, tornado)
    against = (
        "an all-human agency staffed to meet the scenario's targets"
        if comparison.baseline_kind == "staffed"
        else "the same agency without the AI, with the same producers"
    )
    console.print(
        escape(
            f"{scenario.name}: the AI gains {money(gain['mean'])} a month (95% CI "
            f"{money(gain['ci_low'])} to {money(gain['ci_high'])}) against {against}; "
            f"payback of set-up: {_months(head['payback_months'])}; intake cost per contact "
            f"is {head['intake_cost_ratio']:.1f}× lower with AI. From "
            f"{comparison.replications} paired replications of {comparison.days} "
            f"{'day' if comparison.days == 1 else 'days'}."
        ),
        highlight=False,
    )
    console.print(text_table("Where the monthly net gain comes from", tables["breakdown"]))
    console.print(text_table("Each arm (means over replications)", tables["arms"]))
    if tornado is not None:
        console.print(text_table("Sensitivity of the monthly net gain (widest first)",
                                 tables["tornado"]))  # fmt: skip
        for _, row in tornado.iterrows():
            why = explain(row, comparison)
            if why:
                console.print(escape(f"• {why}"), highlight=False)
    if grown is not None:
        from sim.staffing_growth import growth_display_table

        console.print(text_table("Producers needed as volume grows",
                                 growth_display_table(grown[0])))  # fmt: skip
        console.print(escape(grown[1]), highlight=False)
    for warning in comparison.warnings():
        console.print(escape(f"Warning: {warning}."), style="yellow", highlight=False)


@app.command()
def staff(
    path: ScenarioPath,
    interval: Annotated[
        int, typer.Option(help="Interval length in minutes: 15, 30 or 60.")
    ] = DEFAULT_INTERVAL_MINUTES,
    completion: Annotated[
        float | None,
        typer.Option(
            callback=finite_option,
            help="Minimum transfer completion (0–1); default the scenario's "
            "targets.transfer_completion; 0 drops the target.",
        ),
    ] = None,
    service_level: Annotated[
        float | None,
        typer.Option(
            callback=finite_option,
            help="Minimum share answered within --answer-within; default the "
            "scenario's targets.service_level; 0 drops the target.",
        ),
    ] = None,
    answer_within: Annotated[
        float | None,
        typer.Option(
            callback=finite_option,
            help="Service-level threshold in seconds; default the scenario's "
            "service_level_seconds.",
        ),
    ] = None,
    max_abandon: Annotated[
        float | None,
        typer.Option(
            callback=finite_option,
            help="Maximum abandonment (0–1); default the scenario's "
            "targets.max_abandonment; 1 drops the target.",
        ),
    ] = None,
    max_occupancy: Annotated[
        float | None,
        typer.Option(
            callback=finite_option,
            help="Maximum occupancy (0–1); default the scenario's "
            "targets.max_occupancy; 1 drops the target.",
        ),
    ] = None,
    shrinkage: Annotated[
        float, typer.Option(callback=finite_option, help="Share of paid time off the phones.")
    ] = DEFAULT_SHRINKAGE,
    replications: PairedReplications = DEFAULT_REPLICATIONS,
    seed: SeedOption = None,
    set_: SetOption = None,
    workers: WorkersOption = 1,
    scheduler: SchedulerOption = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='Print JSON: {"scenario", "interval_minutes", "shrinkage", "targets", '
            '"replications", "days", "rounds", "simulations", "seconds", "intervals" (a row '
            'per group and interval), "totals" (a row per group), "notes", "warnings", '
            '"weekdays"}. For a scenario with hours.weekdays, each "intervals" and "totals" '
            'row names its weekday pattern in "weekdays" (totals add "days_per_week"), and '
            '"weekdays" lists the patterns, each {"weekdays" (its days), "label", '
            '"default_day", "roster" (group: producers per interval), "intervals" (their '
            'starts)}; without weekdays, "weekdays" is empty.',
        ),
    ] = False,
) -> None:
    """Fewest producers per interval and group meeting the targets at the confidence bound,
    headcount after shrinkage, and Erlang A alongside (one plan per weekday pattern for a
    scenario with weekdays)."""
    from sim.staffing import Targets, staffing

    scenario = load_or_fail(path, set_)
    given = {"transfer_completion": completion, "service_level": service_level,
             "max_abandonment": max_abandon, "max_occupancy": max_occupancy}  # fmt: skip
    dropped = {"transfer_completion": 0, "service_level": 0, "max_abandonment": 1,
               "max_occupancy": 1}  # fmt: skip
    changes: dict[str, float | None] = {
        key: (None if value == dropped[key] else value)
        for key, value in given.items()
        if value is not None
    }
    targets = replace(Targets.from_scenario(scenario, **changes),
                      answer_within_seconds=answer_within)  # fmt: skip
    with user_errors(), progress_bar("Staffing (replications simulated)", not as_json) as progress:
        plan = staffing(scenario, targets, interval_minutes=interval, replications=replications,
                        seed=seed, shrinkage=shrinkage, workers=workers, scheduler=scheduler,
                        progress=progress)  # fmt: skip
    if as_json:
        print_json(staff_record(plan))
        return
    from sim.staffing_report import (
        evidence,
        group_table,
        judged_table,
        totals_table,
        weekday_labels,
    )

    for dest in scenario.destinations:
        for days in weekday_labels(plan):
            who = dest.name if days is None else f"{dest.name} on {days}"
            title = f"{scenario.name}, {who}: producers needed per {interval} minutes"
            console.print(text_table(title, group_table(plan, dest.name, days)))
            title = f"{who}: the targets, judged at the pessimistic 95% bound"
            console.print(text_table(title, judged_table(plan, dest.name, days)))
    title = "Per weekday and group, per day" if plan.weekdays else "Per group, per day"
    console.print(text_table(title, totals_table(plan)))
    console.print(escape(evidence(plan)), highlight=False)
    console.print(
        escape("Where simulation and Erlang A differ: " + "; ".join(plan.notes) + "."),
        highlight=False,
    )
    for warning in plan.warnings():
        console.print(escape(f"Warning: {warning}."), style="yellow", highlight=False)


def staff_record(plan) -> dict:
    """What ``staff --json`` prints: :meth:`StaffingPlan.to_dict`, each weekday pattern's entry
    with its plan's roster per group and its interval starts (the rows of ``intervals`` with
    its label, as lists)."""
    record = plan.to_dict()
    for entry, part in zip(record["weekdays"], plan.weekdays, strict=True):
        names = [dest.name for dest in plan.scenario.destinations]
        entry["roster"] = {name: part.plan.roster(name) for name in names}
        first = part.plan.table[part.plan.table["group"] == names[0]]
        entry["intervals"] = [str(start) for start in first["interval"]]
    return record


@app.command()
def pilot(
    path: ScenarioPath,
    rollout: Annotated[
        float,
        typer.Option(callback=finite_option, help="Share of calls the AI takes in the pilot."),
    ] = 0.1,
    metric: Annotated[
        str, typer.Option(help="What the pilot must show a lift in.")
    ] = "post_transfer_conversion_rate",
    lift: Annotated[
        float | None,
        typer.Option(
            callback=finite_option,
            help="Absolute lift to detect (0.02 for 10% → 12%); default: the scenario's own "
            "effect.",
        ),
    ] = None,
    relative_lift: Annotated[
        float | None,
        typer.Option(callback=finite_option, help="Relative lift to detect (0.2 for +20%)."),
    ] = None,
    alpha: Annotated[
        float, typer.Option(callback=finite_option, help="Significance level (two-sided).")
    ] = 0.05,
    power: Annotated[float, typer.Option(callback=finite_option, help="Power wanted.")] = 0.8,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare-rollouts",
            help="Comma-separated rollouts to compare, e.g. 0.1,0.15,0.2: which reaches "
            "a decision soonest with transfer completion ≥ 0.80.",
        ),
    ] = None,
    replications: Annotated[
        int | None,
        typer.Option(
            "--replications",
            "-r",
            min=2,
            max=MAX_REPLICATIONS,
            help="Replications (default: enough for about 20 independent pilots).",
        ),
    ] = None,
    seed: SeedOption = None,
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
        print_json(plan.to_dict())
        return
    print_pilot(plan)


def print_pilot(plan) -> None:
    """The pilot for people, at 80 columns, from the plan ``--json`` prints: the headline, the
    arms side by side, the rollout comparison when asked (its row for the plan's rollout is the
    plan), the notes."""
    from sim.pilot import METRICS
    from sim.pilot.report import percent

    console.print(escape(plan.headline), highlight=False)
    console.print(
        escape(f"From {plan.replications} replications ({plan.simulated_days} simulated open "
               f"days at {percent(plan.rollout)} rollout)."),
        highlight=False,
    )  # fmt: skip
    title = f"{plan.scenario}: pilot at {percent(plan.rollout)} of calls"
    console.print(text_table(title, plan.display_table()))
    choice = plan.rollouts
    if choice is not None:
        unit = METRICS[plan.metric].counted
        title = f"Rollout shares compared (n: {unit} per arm)"
        console.print(text_table(title, choice.display_table()))
        console.print(escape(f"Choice: {choice.reason}."), highlight=False)
    for note in [*plan.notes, *(choice.notes if choice is not None else [])]:
        console.print(escape(f"• {note}"), highlight=False)
    console.print("--json: every figure, the power check and the weekly review bands.",
                  style="dim", highlight=False)  # fmt: skip


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
        typer.Option(
            "--grid",
            help="A scenario key and its values, e.g. "
            "--grid destinations.0.producers=3,4,5 --grid ai.rollout=0.1,0.2.",
        ),
    ],
    replications: Replications = 5,
    seed: SeedOption = None,
    set_: SetOption = None,
    kpi: Annotated[
        list[str] | None, typer.Option("--kpi", help="KPIs to show (default: a few key ones).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Write the tidy results (one row per cell × replication): .csv or .parquet."
        ),
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
    if out is not None:
        output_file_or_fail(out)  # before the sweep runs, not after
    shown = kpi or ["transfer_completion_rate", "abandonment_rate", "service_level",
                    "producer_occupancy", "total_cost", "policies_sold"]  # fmt: skip
    unknown = sorted(set(shown) - set(KPI_NAMES) - set(EXTRA_KPIS))
    if unknown:
        fail(f"--kpi: unknown KPI(s) {', '.join(unknown)}; allowed: {', '.join(KPI_NAMES)}")
    with user_errors():
        parsed = parse_grid(grid)
        with progress_bar("Sweep", not as_json) as progress:
            result = run_sweep(
                scenario,
                parsed,
                replications=replications,
                seed=seed,
                workers=workers,
                scheduler=scheduler,
                progress=progress,
            )
    if out is not None:
        try:
            (result.to_parquet if out.suffix == ".parquet" else result.to_csv)(out)
        except OSError as exc:
            fail(f"--out {out}: cannot write ({exc.strerror or exc})")
    if as_json:
        print_json(result.to_dict())
        return
    summary = result.summary(kpis=shown)
    wide = summary.pivot_table(index=result.keys, columns="kpi", values="mean", sort=False)
    title = f"{scenario.name}: sweep means over {replications} replication(s)"
    for table in figure_tables(title, wide[shown].reset_index(), keys=len(result.keys)):
        console.print(table)
    if out is not None:
        console.print(f"Wrote {len(result.table)} rows to {out}")
