"""Producers needed as call volume grows, with and without the voice AI.

``growth`` scales the scenario's inbound calls and outbound contacts by each factor and runs
the staffing search (:func:`sim.staffing.staffing`, against the scenario's ``[targets]``) for
the AI arm and for the all-human baseline at each volume. Its verdict tests the claim that a
hybrid model breaks the linear relation between volume and headcount: it compares how
producer-hours grow from the first to the last factor with and without the AI.
"""

from __future__ import annotations

import pandas as pd

from sim.overrides import all_human, scale_volume
from sim.scenario import Scenario

__all__ = ["growth", "growth_display_table"]


def growth(
    scenario: Scenario,
    factors: tuple[float, ...] = (1.0, 1.5, 2.0),
    targets=None,
    interval_minutes: int = 60,
    replications: int = 5,
    seed: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
) -> tuple[pd.DataFrame, str]:
    """Producers needed with and without AI as call volume grows (inbound calls and outbound
    contacts both scaled by each factor), from the staffing search at each volume.

    Returns the table and a one-line verdict on the claim that a hybrid model breaks the linear
    relation between volume and headcount: it compares how producer-hours grow from the first
    to the last factor with and without the AI.
    """
    from sim.staffing import staffing

    rows = []
    for factor in factors:
        scaled = scale_volume(scenario, factor)
        for arm, variant in (("ai", scaled), ("all_human", all_human(scaled))):
            plan = staffing(variant, targets, interval_minutes=interval_minutes,
                            replications=replications, seed=seed, workers=workers,
                            scheduler=scheduler)  # fmt: skip
            rows.append(
                {"volume_factor": factor, "arm": arm,
                 "calls_per_day": scaled.inbound.calls_per_day, **_per_open_day(plan.totals())}
            )  # fmt: skip
    table = pd.DataFrame(rows)
    return table, _growth_verdict(table)


def _per_open_day(totals: pd.DataFrame) -> dict[str, float | int]:
    """All groups' producer-hours per open day and peaks; a plan with weekdays averages its
    patterns' hours over the open weekdays (``days_per_week``) and takes the busiest peak."""
    if "weekdays" not in totals:
        totals = totals.assign(weekdays="", days_per_week=1)
    days = totals.drop_duplicates("weekdays")["days_per_week"].sum()
    weight = totals["days_per_week"] / days
    peaks = totals.groupby("weekdays", sort=False)[["peak_producers", "peak_headcount"]].sum()
    return {
        "producer_hours_per_day": float((totals["producer_hours_per_day"] * weight).sum()),
        "peak_producers": int(peaks["peak_producers"].max()),
        "peak_headcount": int(peaks["peak_headcount"].max()),
        "erlang_a_hours_per_day": float((totals["erlang_a_hours_per_day"] * weight).sum()),
    }


def _growth_verdict(table: pd.DataFrame) -> str:
    first, last = table["volume_factor"].min(), table["volume_factor"].max()
    if first == last:
        return "one volume only: no growth to compare"

    def hours(arm: str, factor: float) -> float:
        row = table[(table["arm"] == arm) & (table["volume_factor"] == factor)]
        return float(row["producer_hours_per_day"].iloc[0])

    growth_ai = hours("ai", last) / max(hours("ai", first), 1e-9)
    growth_human = hours("all_human", last) / max(hours("all_human", first), 1e-9)
    volume = last / first
    saved = 1 - hours("ai", last) / max(hours("all_human", last), 1e-9)
    figures = (
        f"for ×{volume:g} volume, producer-hours grow ×{growth_ai:.2f} with AI and "
        f"×{growth_human:.2f} all-human (both below ×{volume:g} through the economies of scale of "
        f"larger queues); at ×{last:g} the AI saves {saved:.0%} of producer-hours"
    )
    if growth_ai < 0.9 * growth_human:
        return (
            f"Claim holds here: {figures}. With AI, headcount grows more slowly with volume "
            "than without."
        )
    return (
        f"Claim refuted here: {figures}. AI lowers the level of headcount, but it still grows "
        "with volume at about the all-human rate: escalations grow in step with calls."
    )


def growth_display_table(table: pd.DataFrame) -> pd.DataFrame:
    """The growth table for people: labelled columns with units, formatted numbers (the
    headcount and Erlang A's hours are in the full table)."""
    return pd.DataFrame(
        {
            "Volume": table["volume_factor"].map(lambda v: f"×{v:g}"),
            "Arm": table["arm"].map({"ai": "With AI", "all_human": "All human"}),
            "Calls per day": table["calls_per_day"].map(lambda v: f"{v:,.0f}"),
            "Producer hours per day": table["producer_hours_per_day"].map(lambda v: f"{v:,.1f}"),
            "Peak producers": table["peak_producers"].map(str),
        }
    )
