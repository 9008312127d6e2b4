"""The agency's service targets, and whether a run meets them.

An operations lead judges a plan against a few targets: the share of transfers that reach a
producer (the field's high performers complete more than 80%), the share of callers who hang
up waiting (a common contact-centre ceiling is 5%), the service level (80% answered within the
scenario's ``service_level_seconds``: the 80/20 convention), and a cap on producer occupancy
(above about 85% producers have no slack for after-call work and burn out). They are part of
the scenario (the ``[targets]`` table) so that every place that judges a target judges the same
one: the Simulate page's KPI cards, the staffing search's defaults, the ROI's staffed baseline
and the pilot's guard on completion.

:func:`verdicts` says, per KPI, whether a summary meets its target (at the mean, or at the
confidence bound that is the pessimistic side for that KPI: the lower bound for completion and
service level, the upper bound for abandonment and occupancy).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["TARGET_KPIS", "ServiceTargets", "TargetSpec", "Verdict", "verdicts"]


class ServiceTargets(BaseModel):
    """What the agency must achieve, judged on the calls offered to producers."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    transfer_completion: float = Field(default=0.80, gt=0, lt=1, allow_inf_nan=False)
    """Minimum share of offered transfers bridged to a live producer (high performers: over
    0.80). Below 1: no number of producers answers every caller every time."""
    max_abandonment: float = Field(default=0.05, gt=0, le=1, allow_inf_nan=False)
    """Maximum share of offered transfers whose caller hangs up waiting (a common ceiling is
    0.05)."""
    service_level: float = Field(default=0.80, gt=0, lt=1, allow_inf_nan=False)
    """Minimum share of offered transfers answered within `service_level_seconds` (the 80/20
    convention is 0.80 within 20 seconds)."""
    max_occupancy: float = Field(default=0.85, gt=0, le=1, allow_inf_nan=False)
    """Maximum producer occupancy, busy share of rostered time (about 0.85 leaves slack for
    after-call work)."""


@dataclass(frozen=True)
class TargetSpec:
    """How one target maps onto the KPI it judges."""

    key: str
    """The key in the ``[targets]`` table."""
    kpi: str
    """The KPI it judges (a name in :data:`sim.kpis.KPIS`)."""
    sense: Literal["at least", "at most"]


TARGET_KPIS = (
    TargetSpec("transfer_completion", "transfer_completion_rate", "at least"),
    TargetSpec("max_abandonment", "abandonment_rate", "at most"),
    TargetSpec("service_level", "service_level", "at least"),
    TargetSpec("max_occupancy", "producer_occupancy", "at most"),
)
"""Each target, the KPI it judges and which way it must be met."""


@dataclass(frozen=True)
class Verdict:
    """One KPI against its target."""

    kpi: str
    target: float
    sense: Literal["at least", "at most"]
    value: float
    """The figure judged (the mean or the pessimistic confidence bound)."""
    judged_at: Literal["mean", "bound"]
    met: bool | None
    """None when the figure is missing (no calls offered, or one replication at the bound)."""

    @property
    def sign(self) -> str:
        return "≥" if self.sense == "at least" else "≤"

    def describe(self) -> str:
        """E.g. "meets target ≥ 80.0%" (formatted by the KPI registry)."""
        from sim import kpis

        if self.met is None:
            return f"target {self.sign} {kpis.format(self.kpi, self.target)}"
        word = "meets" if self.met else "misses"
        return f"{word} target {self.sign} {kpis.format(self.kpi, self.target)}"


def verdicts(
    targets: ServiceTargets, summary: pd.DataFrame, at: Literal["mean", "bound"] = "mean"
) -> dict[str, Verdict]:
    """Per KPI with a target, whether ``summary`` (``Results.summary()``: indexed by KPI name
    with ``mean``, ``ci_low`` and ``ci_high``) meets it, by KPI name. ``at="bound"`` judges the
    pessimistic side of the confidence interval instead of the mean."""
    out = {}
    for spec in TARGET_KPIS:
        if spec.kpi not in summary.index:
            continue
        row = summary.loc[spec.kpi]
        column = "mean" if at == "mean" else ("ci_low" if spec.sense == "at least" else "ci_high")
        value = float(row[column])
        target = float(getattr(targets, spec.key))
        if math.isnan(value):
            met = None
        elif spec.sense == "at least":
            met = value >= target
        else:
            met = value <= target
        out[spec.kpi] = Verdict(spec.kpi, target, spec.sense, value, at, met)
    return out
