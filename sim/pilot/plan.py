"""The pilot plan: one object behind the headline, the tables, the JSON and the rollout rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sim.pilot.bands import WeeklyBands
from sim.pilot.rollout import RolloutChoice
from sim.pilot.sizing import whole_weeks
from sim.results import json_safe

__all__ = ["PilotPlan"]


@dataclass
class PilotPlan:
    """How big and how long a pilot must be, and how likely it is to see the effect.

    Formula figures (``n_control``, ``n_ai``, ``weeks``) are for the requested lift; the
    simulated power and ``formula_power_observed`` are for the lift the scenario produces
    (``observed_lift``), at the pilot length ``pilot_days``. :attr:`headline` says it in one
    sentence for a manager; with a rollout comparison, its row for :attr:`rollout` holds the
    same n per arm and weeks (one computation, :func:`sim.pilot.sizing.size`).
    """

    scenario: str
    metric: str
    unit: str
    success: str
    rollout: float
    alpha: float
    power: float
    like_for_like: bool
    # requested effect and the formula
    p_control: float
    """Control arm's rate in the simulation (p₁)."""
    p_target: float
    """p₂ = p₁ + lift, the AI-arm rate to detect."""
    lift: float
    relative_lift: float
    lift_source: str
    """"requested" or "scenario" (no lift given: the simulated AI − control difference)."""
    ratio: float
    """Allocation r = n_AI / n_control = rollout / (1 − rollout)."""
    n_control: int
    n_ai: int
    # volume and duration
    weekly_control: float
    """Units per week in the control arm (simulated mean)."""
    weekly_ai: float
    weeks_control: float
    weeks_ai: float
    weeks: float
    """Weeks until both arms reach their n (the slower arm decides)."""
    slower_arm: str
    pilot_days: int
    """Open days the simulated pilots last: ⌈weeks × days_per_week⌉, or ``pilot_weeks``'s."""
    pilot_weeks: float
    # the scenario's own effect
    p_ai: float
    """AI arm's rate in the simulation."""
    observed_lift: float
    formula_power_requested: float
    """Formula power for the requested lift at ``pilot_days`` of expected volume (≥ power)."""
    formula_power_observed: float
    """Formula power for ``observed_lift`` at ``pilot_days`` of expected volume."""
    simulated_power: float | None
    simulated_power_ci_low: float | None
    simulated_power_ci_high: float | None
    pilots: int
    method: str
    """"disjoint" (independent simulated pilots) or "resampled" (days drawn with
    replacement), see :mod:`sim.pilot.power`; "none" when not simulated."""
    independent_pilots: float
    """Simulated days ÷ pilot days: independent pilot lengths of data behind the estimate."""
    # context
    transfer_completion: float
    """All transfers' completion in the simulation (mean over replications)."""
    transfer_completion_ai: float
    completion_target: float
    """The scenario's ``targets.transfer_completion``: the pilot's guard on completion."""
    replications: int
    simulated_days: int
    days_per_week: int
    seed: int
    notes: list[str] = field(default_factory=list)
    bands: WeeklyBands | None = field(default=None, repr=False)
    rollouts: RolloutChoice | None = field(default=None, repr=False)

    _TABLES = ("bands", "rollouts")

    @property
    def whole_weeks(self) -> int | None:
        """:attr:`weeks` rounded up to whole weeks: how long to book the pilot for."""
        return whole_weeks(self.weeks)

    @property
    def headline(self) -> str:
        """The plan in a sentence or three for a manager (numbers formatted for people)."""
        from sim.pilot.report import headline

        return headline(self)

    def figures(self) -> dict[str, Any]:
        """Every scalar figure (no tables), JSON-safe."""
        out = {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in self._TABLES
        }
        return json_safe(out)

    def to_dict(self) -> dict[str, Any]:
        """Every figure and table, JSON-safe (NaN and infinity become None), with the
        ``headline`` and ``whole_weeks``."""
        out = self.figures()
        out["whole_weeks"] = self.whole_weeks
        out["headline"] = self.headline
        out["bands"] = self.bands.to_dict()["bands"] if self.bands is not None else None
        out["rollouts"] = self.rollouts.to_dict() if self.rollouts is not None else None
        return out

    def summary_table(self) -> pd.DataFrame:
        """The figures as a two-column table (figure, value)."""
        figs = self.figures()
        figs.pop("notes")
        return pd.DataFrame({"figure": list(figs), "value": list(figs.values())})

    def display_table(self) -> pd.DataFrame:
        """The plan for people, one row per arm: share of calls, rates, calls needed, calls a
        week, weeks; labelled columns and formatted numbers (fits 80 columns)."""
        from sim.pilot.report import plan_display_table

        return plan_display_table(self)

    def power_table(self) -> pd.DataFrame:
        """Formula vs simulation, for the requested lift and for the scenario's own lift."""
        common = {"p_control": self.p_control, "pilot_days": self.pilot_days}
        return pd.DataFrame(
            [
                {"effect": "requested", **common, "p_ai": self.p_target, "lift": self.lift,
                 "formula_power": self.formula_power_requested, "simulated_power": None,
                 "simulated_ci_low": None, "simulated_ci_high": None},
                {"effect": "scenario", **common, "p_ai": self.p_ai, "lift": self.observed_lift,
                 "formula_power": self.formula_power_observed,
                 "simulated_power": self.simulated_power,
                 "simulated_ci_low": self.simulated_power_ci_low,
                 "simulated_ci_high": self.simulated_power_ci_high},
            ],
            columns=["effect", "p_control", "p_ai", "lift", "pilot_days", "formula_power",
                     "simulated_power", "simulated_ci_low", "simulated_ci_high"],
        )  # fmt: skip

    def bands_table(self) -> pd.DataFrame:
        """The weekly review bands (empty when not computed)."""
        return self.bands.table.copy() if self.bands is not None else pd.DataFrame()

    def rollouts_table(self) -> pd.DataFrame:
        """The rollout comparison (empty when not computed)."""
        return self.rollouts.table.copy() if self.rollouts is not None else pd.DataFrame()
