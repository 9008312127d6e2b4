"""Sizing a pilot end to end: simulate at the rollout, size, check the power, add the bands and
(optionally) the rollout comparison, all from the same replications.

:func:`plan_pilot` takes the settings as dataclasses (:mod:`sim.pilot.design`); :func:`pilot`
is the same with flat keyword arguments (``sim.pilot(...)`` calls it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sim.execution import Progress
from sim.pilot.bands import bands_from
from sim.pilot.counts import DayCounts, completion_by_replication, day_counts
from sim.pilot.design import BandSpec, CompletionFloor, PilotDesign, PowerCheck, RunOptions
from sim.pilot.plan import PilotPlan
from sim.pilot.power import MAX_PILOT_DAYS, PowerEstimate, estimate_power
from sim.pilot.rollout import RolloutChoice, compare_rollouts
from sim.pilot.runs import check_results, pilot_scenario, run_replications
from sim.pilot.sizing import Sizing, size
from sim.results import Results, collect
from sim.scenario import Scenario

__all__ = ["FIRST_BATCH", "pilot", "plan_pilot"]

FIRST_BATCH = 20
"""Replications simulated first when they are automatic."""


@dataclass(frozen=True)
class _Simulated:
    """One simulation at the pilot rollout, sized, and the pilot length to evaluate."""

    results: Results
    counts: DayCounts
    sizing: Sizing
    eval_days: int


def _sized(results: Results, design: PilotDesign, check: PowerCheck) -> _Simulated:
    counts = day_counts(results, design.metric, design.like_for_like)
    sizing = size(counts, design, results.scenario.name)
    if check.pilot_weeks is None:
        eval_days = sizing.pilot_days
    else:
        eval_days = max(1, math.ceil(check.pilot_weeks * counts.days_per_week))
    return _Simulated(results, counts, sizing, eval_days)


def _grow(
    variant: Scenario, design: PilotDesign, runs: RunOptions, check: PowerCheck,
    outputs: list, done: _Simulated,
) -> _Simulated:  # fmt: skip
    """More replications until the simulated days hold ``target_pilots`` pilot lengths (the
    length itself moves a little as the estimates settle; three rounds at most)."""
    seed = done.results.seed
    for _ in range(3):
        if done.eval_days > MAX_PILOT_DAYS:
            break
        per_rep = done.counts.days_per_replication
        needed = math.ceil(check.target_pilots * done.eval_days / per_rep)
        wanted = min(check.max_replications, needed)
        have = done.results.replications
        if wanted <= have:
            break
        outputs = outputs + run_replications(variant, runs, seed, have, wanted, total=wanted)
        done = _sized(collect(variant, seed, outputs), design, check)
    return done


def _simulate(
    variant: Scenario, design: PilotDesign, runs: RunOptions, check: PowerCheck,
    results: Results | None,
) -> _Simulated:  # fmt: skip
    if results is not None:
        check_results(results, variant)
        return _sized(results, design, check)
    seed = runs.seed_for(variant.seed)
    auto = runs.replications is None
    first = (
        min(FIRST_BATCH, check.max_replications) if runs.replications is None else runs.replications
    )
    outputs = run_replications(variant, runs, seed, 0, first)
    done = _sized(collect(variant, seed, outputs), design, check)
    return _grow(variant, design, runs, check, outputs, done) if auto else done


def _length_notes(done: _Simulated, check: PowerCheck) -> list[str]:
    days, dpw = done.eval_days, done.counts.days_per_week
    notes = []
    if days / dpw > 104:
        notes.append(f"a pilot of {days / dpw:.0f} weeks (over two years) is hardly practical: "
                     "consider a larger rollout or a larger lift")  # fmt: skip
    if done.counts.days / days < check.target_pilots:
        notes.append(
            f"the simulated days hold {done.counts.days / days:.1f} independent pilots of "
            f"{days} days (target {check.target_pilots}); the simulated power's interval is "
            "wide (more replications narrow it)"
        )
    if days > MAX_PILOT_DAYS:
        notes.append(f"a pilot of {days} days is impractical; power was not simulated")
    s = done.sizing
    if s.lift_source == "requested" and s.observed_lift * s.lift < 0:
        notes.append(f"the scenario's own effect ({s.observed_lift:+.4f}) goes the other way "
                     f"from the requested lift ({s.lift:+.4f})")  # fmt: skip
    return notes


def _compare(
    scenario: Scenario, design: PilotDesign, runs: RunOptions, results: Results,
    rollouts: Sequence[float] | None,
) -> RolloutChoice | None:  # fmt: skip
    """The rollout comparison at the plan's replications and seed, reusing its simulation."""
    if not rollouts:
        return None
    same = RunOptions(results.replications, results.seed, runs.workers, runs.scheduler,
                      runs.progress)  # fmt: skip
    given = {design.rollout: results}
    floor = CompletionFloor(scenario.targets.transfer_completion)
    return compare_rollouts(scenario, rollouts, design, same, floor, given)


def _assemble(
    variant: Scenario, design: PilotDesign, done: _Simulated, power: PowerEstimate,
    notes: list[str], **tables,
) -> PilotPlan:  # fmt: skip
    s, m = done.sizing, design.pilot_metric
    completion_all, completion_ai = completion_by_replication(done.results)
    return PilotPlan(
        scenario=variant.name, metric=design.metric, unit=m.unit, success=m.success,
        rollout=design.rollout, alpha=design.alpha, power=design.power,
        like_for_like=design.like_for_like, p_control=s.p_control, p_target=s.p_target,
        lift=s.lift, relative_lift=s.lift / s.p_control, lift_source=s.lift_source,
        ratio=s.ratio, n_control=s.n_control, n_ai=s.n_ai, weekly_control=s.weekly_control,
        weekly_ai=s.weekly_ai, weeks_control=s.weeks_control, weeks_ai=s.weeks_ai,
        weeks=s.weeks, slower_arm=s.slower_arm, pilot_days=done.eval_days,
        pilot_weeks=done.eval_days / s.days_per_week, p_ai=s.p_ai,
        observed_lift=s.observed_lift, formula_power_requested=power.formula_requested,
        formula_power_observed=power.formula_observed, simulated_power=power.simulated,
        simulated_power_ci_low=power.ci_low, simulated_power_ci_high=power.ci_high,
        pilots=power.pilots, method=power.method, independent_pilots=power.independent,
        transfer_completion=float(completion_all.mean()),
        transfer_completion_ai=float(completion_ai.mean()),
        completion_target=variant.targets.transfer_completion,
        replications=done.results.replications, simulated_days=done.counts.days,
        days_per_week=s.days_per_week, seed=done.results.seed, notes=notes, **tables,
    )  # fmt: skip


def plan_pilot(
    scenario: Scenario,
    design: PilotDesign | None = None,
    runs: RunOptions | None = None,
    check: PowerCheck | None = None,
    bands: BandSpec | None = None,
    compare: Sequence[float] | None = None,
    results: Results | None = None,
) -> PilotPlan:
    """:func:`pilot` with its settings as dataclasses (None: their defaults); ``compare`` lists
    rollouts to compare (at the plan's replications and seed, the plan's own rollout reusing
    its simulation)."""
    design, runs = design or PilotDesign(), runs or RunOptions()
    check, bands = check or PowerCheck(), bands or BandSpec()
    notes = []
    if not scenario.ai.enabled:
        notes.append("the scenario has the AI off; the pilot turns it on for the rollout share")
    variant = pilot_scenario(scenario, design.rollout)
    done = _simulate(variant, design, runs, check, results)
    notes += _length_notes(done, check)
    power = estimate_power(done.counts, done.sizing, design.alpha, done.eval_days, check.pilots,
                           done.results.seed)  # fmt: skip
    weekly = bands_from(done.results, bands, design.like_for_like) if bands.weeks else None
    choice = _compare(scenario, design, runs, done.results, compare)
    return _assemble(variant, design, done, power, notes, bands=weekly, rollouts=choice)


def pilot(
    scenario: Scenario,
    rollout: float = 0.1,
    metric: str = "post_transfer_conversion_rate",
    lift: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    replications: int | None = None,
    seed: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    *,
    relative_lift: float | None = None,
    results: Results | None = None,
    like_for_like: bool = True,
    pilots: int = 1000,
    target_pilots: int = 20,
    max_replications: int = 200,
    pilot_weeks: float | None = None,
    band_weeks: int = 4,
    band_level: float = 0.90,
    compare_rollouts: Sequence[float] | None = None,
) -> PilotPlan:
    """Size a pilot that sends ``rollout`` of the calls to the AI (see :mod:`sim.pilot`).

    ``lift`` is absolute (0.02 for 10% → 12%), ``relative_lift`` relative (0.2 for +20%);
    with neither, the lift the scenario produces is sized. ``replications`` of the scenario at
    the pilot rollout are simulated; ``None`` simulates 20, then adds replications until the
    simulated days hold ``target_pilots`` independent pilot lengths (at most
    ``max_replications`` in all). ``results`` (of ``pilot_scenario(scenario, rollout)``) reuses
    a simulation instead. ``pilot_weeks`` evaluates the simulated and formula power at that
    length instead of the formula's. ``pilots`` simulated pilots estimate the power. The plan
    carries the weekly review bands (``band_weeks``, ``band_level``) from the same replications,
    and with ``compare_rollouts`` a :func:`rollout_choice` over those rollouts at the plan's
    replications and seed (the pilot rollout's own replications are reused), so its row for
    ``rollout`` is the plan's own answer. :attr:`PilotPlan.headline` says it in a sentence.

    Raises ValueError for a rollout outside (0, 1) (1.0 leaves no control arm), an unknown or
    one-arm metric, a zero lift, a lift that puts the AI arm's rate outside (0, 1), and results
    of another scenario.
    """
    design = PilotDesign(rollout, metric, lift, relative_lift, alpha, power, like_for_like)
    bands = BandSpec(weeks=band_weeks, level=band_level)
    check = PowerCheck(pilots, target_pilots, max_replications, pilot_weeks)
    runs = RunOptions(replications, seed, workers, scheduler, progress)
    return plan_pilot(scenario, design, runs, check, bands, compare_rollouts, results)
