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


# --- After-call work from one producer's gaps (sim.calibrate.wrapup), hand-computed. ---


def _calls(rows):
    import pandas as pd

    frame = pd.DataFrame(
        rows, columns=["agent", "minute_of_day", "transfer_minutes", "wait_minutes",
                       "handle_minutes"],
    )  # fmt: skip
    frame["outcome"] = "connected"
    frame["producer_group"] = "Sales"
    frame["handled_by"] = "human"
    frame["date"] = pd.Timestamp("2024-03-04")
    frame["wrap_up_minutes"] = np.nan
    return frame


def test_the_gap_before_a_waited_call_is_after_call_work():
    """Producer 0: a call 09:00-09:05; the next caller asked at 09:04 and was answered at
    09:07 after waiting 3 minutes, so 09:05-09:07 was after-call work (2 min); their next call
    was answered at once at 09:20, which says only that the work after it was at most 9 min
    (not used). Producer 1: 1.5 min before a caller who waited. An AI whisper the handle time
    leaves out shortens each gap by itself."""
    from sim.calibrate.wrapup import wrap_up_gaps

    frame = _calls([
        (0, 540.0, 0.0, 0.0, 5.0),   # answered 540, ends 545
        (0, 544.0, 0.0, 3.0, 4.0),   # waited 3, answered 547: gap 2; ends 551
        (0, 560.0, 0.0, 0.0, 4.0),   # answered at once at 560: not used
        (1, 600.0, 0.0, 0.0, 2.0),   # ends 602
        (1, 601.0, 0.0, 2.5, 2.0),   # waited, answered 603.5: gap 1.5
    ])  # fmt: skip
    gaps = wrap_up_gaps(frame)["Sales"]
    assert sorted(gaps.gaps.tolist()) == pytest.approx([1.5, 2.0])
    assert gaps.breaks == 0
    assert sorted(gaps.per_call.tolist()) == pytest.approx([1.5, 2.0])
    frame["handled_by"] = "ai"
    whisper = wrap_up_gaps(frame, whisper_minutes=0.25)["Sales"]
    assert sorted(whisper.gaps.tolist()) == pytest.approx([1.25, 1.75])


def test_a_break_is_not_after_call_work():
    """Ten gaps of about a minute and one of 40 minutes before a waited call (the producer
    went on a break): the long one is set aside by the far-out fence."""
    from sim.calibrate.wrapup import wrap_up_gaps

    rows, t = [], 540.0
    for gap in [1.0, 1.1, 0.9, 1.2, 1.0, 0.8, 1.05, 0.95, 1.15, 1.0, 40.0]:
        rows.append((0, t, 0.0, 0.0, 3.0))
        t += 3.0 + gap
        rows.append((0, t - 0.5, 0.0, 0.5, 3.0))  # queued half a minute before its answer
        t += 3.0
    frame = _calls(rows)
    gaps = wrap_up_gaps(frame)["Sales"]
    assert gaps.breaks == 1
    assert gaps.gaps.max() < 2
    assert gaps.fence < 40
