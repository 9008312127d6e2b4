"""Simulating a scenario at a pilot rollout.

Replication *k* of every rollout gets the same seed (``SeedSequence(seed).spawn``, as in
:func:`sim.simulate`), so rollouts are compared on common random numbers (a caller on the AI
path at 10% is also on it at 20%), and adding replications later gives the same numbers as
running them all at once.
"""

from __future__ import annotations

from sim.execution import run_tasks
from sim.overrides import with_rollout
from sim.pilot.design import RunOptions, check_rollout
from sim.results import Results, collect, replication_task, run_one
from sim.scenario import Scenario

__all__ = ["check_results", "pilot_scenario", "run_replications", "simulate_variant"]


def pilot_scenario(scenario: Scenario, rollout: float) -> Scenario:
    """The scenario with the AI on for ``rollout`` of the calls (the pilot's configuration)."""
    return with_rollout(scenario, check_rollout(rollout))


def check_results(results: Results, variant: Scenario) -> None:
    """ValueError unless ``results`` were simulated for ``variant``."""
    if results.scenario != variant:
        raise ValueError(
            "results were simulated for a different scenario or rollout than asked "
            f"(results: {results.scenario.name!r} at rollout {results.scenario.ai.rollout:g}, "
            f"ai.enabled = {str(results.scenario.ai.enabled).lower()}); simulate "
            "pilot_scenario(scenario, rollout) or leave results out"
        )


def run_replications(
    variant: Scenario, runs: RunOptions, seed: int, start: int, stop: int, total: int | None = None
) -> list:
    """Outputs of replications ``start``..``stop - 1`` (the seeds ``simulate`` gives them);
    progress counts from ``start`` up to ``total`` (default ``stop``)."""
    tasks = replication_task(variant, seed, stop)[start:]
    if not tasks:
        return []
    total = total or stop
    progress = runs.progress

    def report(done: int, _: int) -> None:
        if progress is not None:
            progress(start + done, total)

    return run_tasks(
        run_one, tasks, workers=runs.workers, scheduler=runs.scheduler,
        progress=report if progress else None,
    )  # fmt: skip


def simulate_variant(
    variant: Scenario, runs: RunOptions, replications: int, results: Results | None = None
) -> Results:
    """``results`` checked against ``variant``, or ``replications`` of it simulated."""
    if results is not None:
        check_results(results, variant)
        return results
    seed = runs.seed_for(variant.seed)
    return collect(variant, seed, run_replications(variant, runs, seed, 0, replications))
