"""The per-call binary outcomes a pilot compares (two arms) or monitors (the AI arm only).

===============================  ====================================  ==========================
metric                           unit (denominator)                    success (numerator)
===============================  ====================================  ==========================
``post_transfer_conversion_rate`` connected transfers (bridged)          ``converted_on_transfer``
``transfer_completion_rate``     calls offered to producers             bridged (``connected``)
``first_call_resolution_rate``   connected transfers                    ``first_call_resolution``
``abandonment_rate``             calls offered to producers             hung up waiting
``repeat_explain_rate``          connected warm transfers from the AI   ``repeat_explain``
===============================  ====================================  ==========================

The first four compare the arms. ``repeat_explain_rate`` exists only on the AI arm (the human
path has no AI intake to repeat), so there is no control rate to test against: a pilot cannot be
sized on it, and the weekly review bands monitor it against its target of 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim import kpis

__all__ = ["DEFAULT_ROLLOUTS", "METRICS", "REVIEW_METRICS", "PilotMetric", "check_metric"]


@dataclass(frozen=True)
class PilotMetric:
    """A per-call binary outcome that a pilot can compare or monitor."""

    name: str
    unit: str
    """Which calls count (the denominator)."""
    success: str
    """Which of them count as a success (the numerator)."""
    comparison: str
    """What comparing (or monitoring) it in the pilot tells the operations lead."""
    two_arm: bool = True
    """Whether the control arm has the metric at all (False: AI arm only)."""
    label: str = ""
    """A short name for people, inside a sentence ("post-transfer conversion"); by default the
    registry's label (:func:`sim.kpis.label`) in lower case."""
    counted: str = ""
    """The units in a few words for a sentence ("connected transfers")."""

    def __post_init__(self) -> None:
        if not self.label:
            text = kpis.label(self.name)
            object.__setattr__(self, "label", text[:1].lower() + text[1:])


METRICS: dict[str, PilotMetric] = {
    m.name: m
    for m in (
        PilotMetric(
            "post_transfer_conversion_rate",
            "connected transfers (bridged to a producer)",
            "an appointment or application on that call",
            "warm hand-off from the AI vs a human-path transfer: the lift the pilot exists to "
            "measure",
            counted="connected transfers",
        ),
        PilotMetric(
            "transfer_completion_rate",
            "calls offered to producers (escalated by the AI or sent on by human intake)",
            "bridged to a producer",
            "whether the AI's transfers (the caller held while it rings, plus the whisper) reach "
            "a producer as often as human-path transfers: a guard-rail",
            counted="transfers offered",
        ),
        PilotMetric(
            "first_call_resolution_rate",
            "connected transfers",
            "the producer closed or advanced the need in the same call",
            "whether producers resolve AI hand-offs in the same call as often as human-path calls",
            counted="connected transfers",
        ),
        PilotMetric(
            "abandonment_rate",
            "calls offered to producers",
            "the caller hung up waiting for a producer",
            "whether callers held by the AI hang up more or less than on the human path",
            counted="transfers offered",
        ),
        PilotMetric(
            "repeat_explain_rate",
            "connected warm transfers from the AI",
            "the producer asked the caller to re-state something the AI captured",
            "AI arm only: the human path has no AI intake to repeat, so there is no control "
            "rate; monitor it week by week against the target of 0",
            two_arm=False,
            counted="connected warm transfers",
        ),
    )
}
"""Every metric :func:`sim.pilot.pilot` and :func:`sim.pilot.weekly_bands` know, by name."""

REVIEW_METRICS = (
    "transfer_completion_rate",
    "post_transfer_conversion_rate",
    "first_call_resolution_rate",
    "repeat_explain_rate",
)
"""The four metrics reviewed weekly for the first 30 days of a rollout (the field's practice)."""

DEFAULT_ROLLOUTS = (0.10, 0.125, 0.15, 0.175, 0.20)
"""The rollout shares :func:`sim.pilot.rollout_choice` compares by default (the field's 10–20%)."""


def check_metric(metric: str, two_arm: bool) -> PilotMetric:
    """The metric called ``metric``; ValueError for an unknown one, or a one-arm metric where
    two arms must be compared."""
    allowed = [m.name for m in METRICS.values() if m.two_arm or not two_arm]
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; allowed metrics: {', '.join(allowed)}")
    m = METRICS[metric]
    if two_arm and not m.two_arm:
        raise ValueError(
            f"{metric} cannot size a two-arm pilot: {m.comparison}. Compare the arms on one of "
            f"{', '.join(allowed)}, and use weekly_bands for {metric}"
        )
    return m
