"""Available producers per interval, read from a call log (sim.calibrate.availability).

Round trips on synthetic logs whose roster is known (breaks at lunch and mid-afternoon): where
callers queued on enough days, the estimate is the roster; where they did not, it is a lower
bound and says so; producers' invisible work (callbacks the log does not show) makes fewer
producers available to calls, never more.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.calibrate.availability import estimate_availability
from sim.calllog import from_frame, synthetic_log
from sim.loader import derive, load_scenario
from sim.paths import resolve_scenario

ROSTER = [4, 4, 3, 3, 4, 4, 2, 2, 3, 3, 4, 4, 3, 3, 2, 2, 3, 3, 4, 4]
"""Producers on duty per 30 minutes, 08:00–18:00: breaks at 11:00 and 15:00."""


def _estimate(**overrides):
    base = load_scenario(resolve_scenario("small_agency"))
    truth = derive(
        base,
        {"days": 20, "destinations.0.roster": {"interval_minutes": 30, "producers": ROSTER},
         **overrides},
    )  # fmt: skip
    log = from_frame(synthetic_log(truth, seed=5))
    (group,) = estimate_availability(log.frame, base.hours.open_minute, base.hours.close_minute)
    return group


@pytest.fixture(scope="module")
def visible_work_only():
    """Every producer minute shows in the log: no callbacks, no whisper before the answer."""
    return _estimate(**{"transfer.whisper_seconds": 0, "transfer.fallback": "drop"})


def test_measured_intervals_recover_the_roster(visible_work_only):
    g = visible_work_only
    measured = np.array([m == "queue" for m in g.method])
    assert measured.sum() >= 10
    truth = np.array(ROSTER, dtype=float)
    # A producer leaving at a break finishes the call in hand, so an interval just after a
    # drop may read a little above the roster.
    assert np.all(np.abs(g.estimate[measured] - truth[measured]) <= 0.25)
    assert np.array(g.roster())[measured].tolist() == truth[measured].astype(int).tolist()
    # the breaks are seen
    assert g.roster()[6] == 2
    assert g.roster()[14] == 2


def test_unmeasured_intervals_are_lower_bounds(visible_work_only):
    g = visible_work_only
    for i, method in enumerate(g.method):
        if method == "lower bound":
            assert g.measured_days[i] < 3
            assert g.estimate[i] <= ROSTER[i] + 0.25
            assert np.isnan(g.ci_high[i])
    table = g.table()
    assert list(table["interval"][:2]) == ["08:00", "08:30"]


def test_invisible_work_means_fewer_available_never_more():
    g = _estimate()  # callbacks after failed transfers: producer work the log does not show
    truth = np.array(ROSTER, dtype=float)
    measured = np.array([m == "queue" for m in g.method])
    assert measured.any()
    assert np.all(g.estimate[measured] <= truth[measured] + 0.25)
    assert np.all(g.ci_low[measured] <= g.estimate[measured])
