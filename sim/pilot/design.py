"""The settings of a pilot, grouped into small frozen dataclasses that check themselves.

- :class:`PilotDesign`: what the pilot compares and how sure it must be (rollout, metric, lift,
  α, power, like for like). A design is the question; :func:`sim.pilot.pilot` answers it.
- :class:`PowerCheck`: how the formula's answer is checked against simulated pilots.
- :class:`BandSpec`: the weekly review bands that come with a plan.
- :class:`CompletionFloor`: the transfer-completion guard-rail of :func:`sim.pilot.rollout_choice`.
- :class:`RunOptions` (from :mod:`sim.options`): where and how much to simulate, with the
  keyword arguments (and defaults) of :func:`sim.simulate`, except ``replications=None``:
  "enough" (see :class:`PowerCheck`).

Every check raises ValueError with a message a user can act on.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Literal

from sim.options import RunOptions
from sim.pilot.metrics import PilotMetric, check_metric

__all__ = [
    "BandSpec",
    "CompletionFloor",
    "PilotDesign",
    "PowerCheck",
    "RunOptions",
    "check_count",
    "check_lift",
    "check_open_probability",
    "check_rollout",
]


def check_rollout(rollout: float, need_control: bool = False) -> float:
    """``rollout`` as a float in (0, 1] (in (0, 1) when a control arm is needed)."""
    try:
        value = float(rollout)
    except (TypeError, ValueError):
        raise ValueError(
            f"rollout must be a share of calls in (0, 1], e.g. 0.1 for a 10% pilot; got {rollout!r}"
        ) from None
    if isinstance(rollout, bool) or not (0.0 < value <= 1.0):
        raise ValueError(
            f"rollout must be a share of calls in (0, 1], e.g. 0.1 for a 10% pilot "
            f"(the field's practice is 0.10–0.20); got {rollout!r}"
        )
    if need_control and value == 1.0:
        raise ValueError(
            "rollout 1.0 sends every call to the AI and leaves no control arm to compare with; "
            "a pilot needs a rollout in (0, 1), e.g. 0.1–0.2"
        )
    return value


def check_open_probability(name: str, value: float) -> float:
    """``value`` as a float strictly between 0 and 1."""
    value = float(value)
    if not (0.0 < value < 1.0):
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value!r}")
    return value


def check_lift(lift: float | None, relative_lift: float | None) -> None:
    """At most one of the two, non-zero and finite; a relative lift above −100%."""
    if lift is not None and relative_lift is not None:
        raise ValueError("give lift (absolute) or relative_lift, not both")
    for name, value in (("lift", lift), ("relative_lift", relative_lift)):
        if value is None:
            continue
        if not math.isfinite(float(value)) or float(value) == 0.0:
            raise ValueError(
                f"{name} must be a non-zero difference to detect (e.g. lift=0.02 for "
                f"10% → 12%), got {value!r}"
            )
    if relative_lift is not None and float(relative_lift) <= -1.0:
        raise ValueError(f"relative_lift must be above -1 (-100%), got {relative_lift!r}")


def check_count(name: str, value: int | None, minimum: int = 1) -> None:
    """``value`` is None or a whole number of at least ``minimum``."""
    if value is not None and (isinstance(value, bool) or int(value) < minimum):
        raise ValueError(f"{name} must be at least {minimum}, got {value!r}")


@dataclass(frozen=True)
class PilotDesign:
    """What a two-arm pilot compares, and how sure it must be.

    ``lift`` is absolute (0.02 for 10% → 12%), ``relative_lift`` relative (0.2 for +20%); with
    neither the pilot is sized for the lift the scenario itself produces. ``like_for_like``
    restricts the control arm to non-routine calls (see :mod:`sim.pilot`).
    """

    rollout: float = 0.1
    metric: str = "post_transfer_conversion_rate"
    lift: float | None = None
    relative_lift: float | None = None
    alpha: float = 0.05
    power: float = 0.8
    like_for_like: bool = True

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "rollout", check_rollout(self.rollout, need_control=True))
        check_metric(self.metric, two_arm=True)
        set_(self, "alpha", check_open_probability("alpha", self.alpha))
        set_(self, "power", check_open_probability("power", self.power))
        check_lift(self.lift, self.relative_lift)

    @property
    def pilot_metric(self) -> PilotMetric:
        return check_metric(self.metric, two_arm=True)

    @property
    def ratio(self) -> float:
        """Allocation r = n_AI / n_control = rollout / (1 − rollout)."""
        return self.rollout / (1.0 - self.rollout)

    @property
    def lift_requested(self) -> bool:
        return self.lift is not None or self.relative_lift is not None

    def at(self, rollout: float) -> PilotDesign:
        """The same design at another rollout share."""
        return dataclasses.replace(self, rollout=rollout)


@dataclass(frozen=True)
class PowerCheck:
    """How simulated pilots check the formula.

    ``pilots`` simulated pilots estimate the power. With automatic replications (``None``), 20
    are simulated, then more until the simulated days hold ``target_pilots`` independent pilot
    lengths (at most ``max_replications``). ``pilot_weeks`` evaluates the power at that length
    instead of the formula's.
    """

    pilots: int = 1000
    target_pilots: int = 20
    max_replications: int = 200
    pilot_weeks: float | None = None

    def __post_init__(self) -> None:
        for name in ("pilots", "target_pilots", "max_replications"):
            check_count(name, getattr(self, name))
        weeks = self.pilot_weeks
        if weeks is not None and not (float(weeks) > 0 and math.isfinite(weeks)):
            raise ValueError(f"pilot_weeks must be a positive number of weeks, got {weeks!r}")


@dataclass(frozen=True)
class BandSpec:
    """Weekly review bands for the first ``weeks`` weeks (0: none), central ``level`` intervals,
    from ``synthetic`` simulated weeks."""

    weeks: int = 4
    level: float = 0.90
    synthetic: int = 2000

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", check_open_probability("band_level", self.level))
        check_count("band_weeks", self.weeks, minimum=0)
        check_count("synthetic", self.synthetic)


@dataclass(frozen=True)
class CompletionFloor:
    """A rollout is feasible when the lower 95% bound of transfer completion, of all transfers
    (``"all"``, the KPI) or of the AI arm's (``"ai"``), is at least ``min_completion``."""

    min_completion: float = 0.80
    completion: Literal["all", "ai"] = "all"

    def __post_init__(self) -> None:
        value = float(self.min_completion)
        if not (0.0 <= value <= 1.0):
            raise ValueError(f"min_completion must be in [0, 1], got {self.min_completion!r}")
        object.__setattr__(self, "min_completion", value)
        if self.completion not in ("all", "ai"):
            raise ValueError(f'completion must be "all" or "ai", got {self.completion!r}')
