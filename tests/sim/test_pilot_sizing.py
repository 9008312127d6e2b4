"""sim.pilot.sizing and sim.pilot.design without a simulation: the n per arm against
statsmodels and the worked example 10% → 12% (3,841 per arm), weeks from known daily counts,
and the settings' checks."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    proportion_effectsize,
    samplesize_proportions_2indep_onetail,
)

from sim.pilot import BandSpec, CompletionFloor, PilotDesign, PowerCheck, RunOptions
from sim.pilot.counts import DayCounts
from sim.pilot.sizing import size, whole_weeks


def counts(days: int, ai: tuple[int, int], control: tuple[int, int], dpw: int = 5) -> DayCounts:
    """``days`` identical days, each with (units, successes) per arm."""
    (n_a, x_a), (n_c, x_c) = ai, control
    full = np.full
    return DayCounts(n_ai=full(days, n_a), x_ai=full(days, x_a), n_control=full(days, n_c),
                     x_control=full(days, x_c), days_per_replication=days,
                     days_per_week=dpw)  # fmt: skip


def test_domain_example_even_split_is_3841_per_arm():
    """The worked example: 10% → 12%, α 0.05, power 0.8, equal split: 3,841 per arm. Control rate
    exactly 10% (100 of 1,000 units a day), the AI arm at 12%, rollout 0.5."""
    c = counts(10, ai=(1000, 120), control=(1000, 100))
    s = size(c, PilotDesign(rollout=0.5, lift=0.02), "example")
    assert (s.n_control, s.n_ai) == (3841, 3841)
    statsmodels_n = samplesize_proportions_2indep_onetail(-0.02, 0.12, 0.8, ratio=1, alpha=0.05)
    assert s.n_control == math.ceil(statsmodels_n)
    h = proportion_effectsize(0.12, 0.10)  # the arcsine route: 3,835, 0.2% fewer
    assert math.ceil(NormalIndPower().solve_power(h, power=0.8, alpha=0.05)) == 3835
    # 1,000 units a day, 5 days a week: 5,000 a week per arm → 3,841 / 5,000 weeks.
    assert s.weeks == pytest.approx(3841 / 5000)
    assert s.pilot_days == 4  # ⌈0.7682 × 5⌉
    assert s.whole_weeks == 1


@pytest.mark.parametrize("rollout", [0.1, 0.15, 0.2])
@pytest.mark.parametrize(("p1", "lift"), [(0.10, 0.02), (0.155, 0.07), (0.30, -0.05)])
def test_n_per_arm_against_statsmodels(rollout, p1, lift):
    """The plan's allocation r = rollout/(1 − rollout): the same n as statsmodels'
    samplesize_proportions_2indep_onetail, and within 5% of NormalIndPower on Cohen's h (the
    arcsine approximation, which ignores that unequal arms have unequal variances; a swapped
    allocation would be off several-fold)."""
    ratio = rollout / (1 - rollout)
    n_c, x_c = 100_000, round(p1 * 100_000)
    n_a = round(n_c * ratio)
    c = counts(5, ai=(n_a, round(n_a * (p1 + lift))), control=(n_c, x_c))
    s = size(c, PilotDesign(rollout=rollout, lift=lift), "check")
    p2 = p1 + lift
    exact = samplesize_proportions_2indep_onetail(p1 - p2, p2, 0.8, ratio=ratio, alpha=0.05)
    assert s.n_control == math.ceil(exact - 1e-9)
    assert s.n_ai == math.ceil(ratio * s.n_control - 1e-9)
    arcsine = NormalIndPower().solve_power(
        proportion_effectsize(p2, p1), power=0.8, alpha=0.05, ratio=ratio
    )
    assert s.n_control == pytest.approx(arcsine, rel=0.05)


def test_weeks_from_the_slower_arm():
    """50 AI units a day and 200 control units a day, six open days a week."""
    c = counts(12, ai=(50, 10), control=(200, 30), dpw=6)
    s = size(c, PilotDesign(rollout=0.2, lift=0.03), "slow AI arm")
    assert s.weekly_ai == 300
    assert s.weekly_control == 1200
    assert s.weeks == max(s.n_ai / 300, s.n_control / 1200)
    assert s.slower_arm == ("ai" if s.n_ai / 300 >= s.n_control / 1200 else "control")
    assert s.pilot_days == math.ceil(s.weeks * 6)
    assert s.whole_weeks == math.ceil(s.weeks)
    assert s.lift_source == "requested"
    assert s.p_control == 0.15
    assert s.p_ai == 0.2


def test_scenario_lift_when_none_is_asked():
    c = counts(5, ai=(100, 30), control=(400, 80))
    s = size(c, PilotDesign(rollout=0.2), "own lift")
    assert s.lift_source == "scenario"
    assert s.lift == pytest.approx(0.3 - 0.2)
    assert s.p_target == pytest.approx(0.3)
    with pytest.raises(ValueError, match="no difference"):
        size(counts(5, ai=(100, 20), control=(400, 80)), PilotDesign(rollout=0.2), "none")
    with pytest.raises(ValueError, match="AI arm has no"):
        size(counts(5, ai=(0, 0), control=(400, 80)), PilotDesign(rollout=0.2), "empty")


@pytest.mark.parametrize(
    ("weeks", "whole"),
    [(8.0, 8), (8.0 + 1e-12, 8), (8.01, 9), (9.2, 10), (0.3, 1), (math.inf, None)],
)
def test_whole_weeks_round_up(weeks, whole):
    assert whole_weeks(weeks) == whole


def test_settings_are_frozen_and_checked():
    design = PilotDesign(rollout=0.15, lift=0.02)
    with pytest.raises(dataclasses.FrozenInstanceError):
        design.rollout = 0.2  # type: ignore[misc]
    assert design.ratio == pytest.approx(0.15 / 0.85)
    assert design.at(0.2).rollout == 0.2
    assert design.at(0.2).lift == 0.02
    for bad, message in [
        ({"rollout": 1.0}, "no control arm"),
        ({"metric": "repeat_explain_rate"}, "no control rate"),
        ({"alpha": 0}, "alpha"),
        ({"lift": 0.1, "relative_lift": 0.1}, "not both"),
    ]:
        with pytest.raises(ValueError, match=message):
            PilotDesign(**bad)
    with pytest.raises(ValueError, match="pilot_weeks"):
        PowerCheck(pilot_weeks=-1)
    with pytest.raises(ValueError, match="band_level"):
        BandSpec(level=1.0)
    with pytest.raises(ValueError, match="min_completion"):
        CompletionFloor(min_completion=1.5)
    with pytest.raises(ValueError, match="replications"):
        RunOptions(replications=0)
