"""Which rollout share reaches a decision soonest while transfer completion holds.

Each candidate rollout is simulated at the same replications on common random numbers (see
:mod:`sim.pilot.runs`), and each row is sized by :func:`sim.pilot.sizing.size`, the very
computation behind :func:`sim.pilot.pilot`'s headline: the row for rollout *r* is what
``pilot(scenario, r, replications=…, seed=…)`` answers (same n per arm, weeks, lift), and with no
lift asked each rollout's lift is the scenario's own effect *at that rollout*, as in the plan.
A rollout is feasible when the lower 95% confidence bound (Student t over replications) of
transfer completion is at least the floor (:class:`sim.pilot.design.CompletionFloor`). The
choice is the feasible rollout with the fewest weeks (ties: the smaller rollout).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from sim.execution import Progress, run_tasks
from sim.pilot.counts import completion_by_replication, day_counts
from sim.pilot.design import (
    CompletionFloor,
    PilotDesign,
    RunOptions,
    check_count,
    check_rollout,
)
from sim.pilot.metrics import DEFAULT_ROLLOUTS, check_metric
from sim.pilot.runs import check_results, pilot_scenario
from sim.pilot.sizing import Sizing, size
from sim.results import Results, collect, json_safe, replication_task, run_one, summarise
from sim.scenario import Scenario

__all__ = ["RolloutChoice", "RolloutRow", "compare_rollouts", "rollout_choice"]


@dataclass(frozen=True)
class RolloutRow:
    """One rollout share: the formula's answer there (as :func:`sim.pilot.pilot` gives it) and
    whether transfer completion holds."""

    rollout: float
    p_control: float
    p_ai: float
    p_target: float
    weekly_control: float
    weekly_ai: float
    lift: float
    lift_source: str
    n_control: int | None
    n_ai: int | None
    weeks_to_decision: float
    whole_weeks: int | None
    pilot_days: int | None
    completion_mean: float
    """Transfer completion of the transfers the floor judges ("all" or "ai")."""
    completion_ci_low: float
    completion_all_mean: float
    completion_ai_mean: float
    feasible: bool
    note: str


@dataclass
class RolloutChoice:
    """Which rollout share reaches a decision soonest while transfer completion holds."""

    metric: str
    lift: float
    """Absolute lift asked for (NaN when ``relative_lift`` was given or the lift is the
    scenario's own: then each row carries the lift at its rollout)."""
    relative_lift: float
    lift_source: str
    """"requested" (``lift``/``relative_lift``) or "scenario" (the simulated AI − control)."""
    min_completion: float
    completion: str
    """Whose transfer completion must hold: "all" transfers or the "ai" arm's."""
    replications: int
    table: pd.DataFrame
    """One row per rollout (the fields of :class:`RolloutRow`) and ``chosen``."""
    choice: float | None
    """The chosen rollout, None when no rollout keeps completion up."""
    reason: str
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (NaN and infinity become None)."""
        return json_safe(
            {
                "metric": self.metric,
                "lift": self.lift,
                "relative_lift": self.relative_lift,
                "lift_source": self.lift_source,
                "min_completion": self.min_completion,
                "completion": self.completion,
                "replications": self.replications,
                "choice": self.choice,
                "reason": self.reason,
                "notes": self.notes,
                "rollouts": self.table,
            }
        )

    def row(self, rollout: float) -> pd.Series:
        """The table's row for ``rollout``."""
        return self.table.loc[self.table["rollout"] == rollout].iloc[0]

    def display_table(self) -> pd.DataFrame:
        """The comparison for people: labelled columns, formatted numbers (fits 80 columns)."""
        from sim.pilot.report import rollout_display_table

        return rollout_display_table(self)


def _check_shares(rollouts: Sequence[float]) -> list[float]:
    shares = [check_rollout(r, need_control=True) for r in rollouts]
    if not shares:
        raise ValueError("rollouts must name at least one rollout share in (0, 1)")
    if len(set(shares)) != len(shares):
        raise ValueError(f"rollouts must not repeat, got {list(rollouts)}")
    return shares


def _simulate_all(
    scenario: Scenario, shares: list[float], runs: RunOptions, seed: int,
    given: Mapping[float, Results],
) -> dict[float, Results]:  # fmt: skip
    """Every rollout's results: the given ones (checked), the rest simulated in one batch."""
    variants = {r: pilot_scenario(scenario, r) for r in shares}
    done: dict[float, Results] = {}
    tasks, owners = [], []
    for r, variant in variants.items():
        if r in given:
            check_results(given[r], variant)
            done[r] = given[r]
        else:
            jobs = replication_task(variant, seed, int(runs.replications or 0))
            tasks.extend(jobs)
            owners.extend([r] * len(jobs))
    outputs = run_tasks(run_one, tasks, workers=runs.workers, scheduler=runs.scheduler,
                        progress=runs.progress)  # fmt: skip
    for r in shares:
        if r not in done:
            mine = [o for o, owner in zip(outputs, owners, strict=True) if owner == r]
            done[r] = collect(variants[r], seed, mine)
    return {r: done[r] for r in shares}


def _sized_fields(results: Results, design: PilotDesign) -> tuple[dict[str, Any], str]:
    """The row's formula fields, and a note (empty unless the rollout cannot be sized)."""
    counts = day_counts(results, design.metric, design.like_for_like)
    try:
        s: Sizing = size(counts, design, results.scenario.name)
    except ValueError as exc:
        p_ai, p_control = counts.rates()
        weekly_ai, weekly_control = counts.weekly()
        nan = float("nan")
        return {"p_control": p_control, "p_ai": p_ai, "p_target": nan,
                "weekly_control": weekly_control, "weekly_ai": weekly_ai, "lift": nan,
                "lift_source": "", "n_control": None, "n_ai": None, "weeks_to_decision": nan,
                "whole_weeks": None, "pilot_days": None}, str(exc)  # fmt: skip
    return {"p_control": s.p_control, "p_ai": s.p_ai, "p_target": s.p_target,
            "weekly_control": s.weekly_control, "weekly_ai": s.weekly_ai, "lift": s.lift,
            "lift_source": s.lift_source, "n_control": s.n_control, "n_ai": s.n_ai,
            "weeks_to_decision": s.weeks, "whole_weeks": s.whole_weeks,
            "pilot_days": s.pilot_days}, ""  # fmt: skip


def _row(results: Results, design: PilotDesign, floor: CompletionFloor) -> RolloutRow:
    fields, note = _sized_fields(results, design)
    all_c, ai_c = completion_by_replication(results)
    which = all_c if floor.completion == "all" else ai_c
    stats = summarise(pd.DataFrame({"c": which, "a": all_c, "i": ai_c}), ["c", "a", "i"])
    ci_low = float(stats.loc["c", "ci_low"])
    feasible = bool(math.isfinite(fields["weeks_to_decision"]) and ci_low >= floor.min_completion)
    if not note and not feasible:
        note = (f"transfer completion ({floor.completion}) lower bound {ci_low:.3f} is below "
                f"{floor.min_completion:g}")  # fmt: skip
    return RolloutRow(
        rollout=design.rollout, **fields, completion_mean=float(stats.loc["c", "mean"]),
        completion_ci_low=ci_low, completion_all_mean=float(stats.loc["a", "mean"]),
        completion_ai_mean=float(stats.loc["i", "mean"]), feasible=feasible, note=note,
    )  # fmt: skip


def _choose(table: pd.DataFrame, floor: CompletionFloor) -> tuple[float | None, str]:
    from sim.pilot.report import choice_reason

    feasible = table[table["feasible"]]
    if not len(feasible):
        return None, choice_reason(None, floor)
    best = feasible.sort_values(["weeks_to_decision", "rollout"]).iloc[0]
    return float(best["rollout"]), choice_reason(best, floor)


def _notes(table: pd.DataFrame, design: PilotDesign) -> list[str]:
    lifts = table["lift"].dropna()
    if design.lift_requested or len(lifts) < 2:
        return []
    return [
        f"no lift was asked: each rollout is sized for the effect simulated at it "
        f"({lifts.min() * 100:+.1f} to {lifts.max() * 100:+.1f} points, which differ by chance); "
        "give a lift to rank the rollouts on volume and allocation alone"
    ]


def compare_rollouts(
    scenario: Scenario,
    rollouts: Sequence[float],
    design: PilotDesign,
    runs: RunOptions,
    floor: CompletionFloor | None = None,
    results: Mapping[float, Results] | None = None,
) -> RolloutChoice:
    """:func:`rollout_choice` with its settings as dataclasses (``design.rollout`` is ignored;
    ``runs.replications`` replications per rollout, at least 2; ``floor`` defaults to
    completion of all transfers ≥ the scenario's ``targets.transfer_completion``)."""
    floor = floor or CompletionFloor(scenario.targets.transfer_completion)
    shares = _check_shares(rollouts)
    check_count("replications", runs.replications, minimum=2)
    seed = runs.seed_for(scenario.seed)
    done = _simulate_all(scenario, shares, runs, seed, dict(results or {}))
    rows = [_row(done[r], design.at(r), floor) for r in shares]
    table = pd.DataFrame([dataclasses.asdict(row) for row in rows])
    choice, reason = _choose(table, floor)
    table["chosen"] = table["rollout"] == choice
    requested = design.lift_requested
    return RolloutChoice(
        metric=design.metric,
        lift=float(design.lift) if design.lift is not None else float("nan"),
        relative_lift=float(design.relative_lift)
        if design.relative_lift is not None else float("nan"),
        lift_source="requested" if requested else "scenario",
        min_completion=floor.min_completion,
        completion=floor.completion,
        replications=min(d.replications for d in done.values()),
        table=table,
        choice=choice,
        reason=reason,
        notes=_notes(table, design),
    )  # fmt: skip


def rollout_choice(
    scenario: Scenario,
    rollouts: Sequence[float] = DEFAULT_ROLLOUTS,
    metric: str = "post_transfer_conversion_rate",
    lift: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    replications: int = 20,
    seed: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    *,
    relative_lift: float | None = None,
    min_completion: float | None = None,
    completion: Literal["all", "ai"] = "all",
    like_for_like: bool = True,
    results: Mapping[float, Results] | None = None,
) -> RolloutChoice:
    """Which rollout share reaches a decision soonest while transfer completion holds.

    Each rollout is simulated (``replications`` each, on common random numbers; ``results``
    maps rollouts already simulated to their :class:`Results`) and sized exactly as
    :func:`sim.pilot.pilot` sizes it: row *r* equals ``pilot(scenario, r,
    replications=replications, seed=seed)``'s n per arm, weeks and lift (the scenario's own
    lift at that rollout when none is given). A rollout is feasible when the lower 95%
    confidence bound (Student t over replications) of transfer completion, of all transfers
    (``completion="all"``, the KPI) or of the AI arm's (``"ai"``), is at least
    ``min_completion`` (default: the scenario's ``targets.transfer_completion``). The choice
    is the feasible rollout with the fewest weeks (ties: the smaller rollout); None when none
    is feasible.
    """
    check_metric(metric, two_arm=True)
    shares = _check_shares(rollouts)
    design = PilotDesign(shares[0], metric, lift, relative_lift, alpha, power, like_for_like)
    if min_completion is None:
        min_completion = scenario.targets.transfer_completion
    floor = CompletionFloor(min_completion, completion)
    check_count("replications", replications, minimum=2)
    runs = RunOptions(replications, seed, workers, scheduler, progress)
    return compare_rollouts(scenario, shares, design, runs, floor, results)
