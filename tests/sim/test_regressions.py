"""Regression tests for the busy-time and counted-day bugs, each against an independent truth.

- ``Results.by_interval`` divided post-warm-up calls by every simulated day (``days = 2``,
  ``warmup_minutes = 1440``: half the real calls per day). Truth: calls counted by hand from the
  call table, per day actually counted.
- Staffing dropped busy time crossing midnight in an always-open scenario, so an occupancy cap
  was broken in the first interval. Truth: Erlang C with an occupancy cap (pyworkforce's case,
  100 calls per 30 min, AHT 3, cap 0.70 → 15 producers) and ⌈A / 0.70⌉ by hand.
- ``producer_occupancy`` dropped work done after the warm-up on calls that arrived before it.
  Truth: busy time clipped to the counted shift, summed by hand from the call table.
- The shared busy-time function (``sim.capacity``) on hand-computed intervals.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim import simulate, theory
from sim.loader import derive
from sim.staffing import Targets, staffing
from tests.sim.conftest import queue_scenario
from tests.sim.scenario_builders import build, hm

CONVERSATIONS = ("contained", "connected", "abandoned", "failed", "no_producer")


def _conversations(calls):
    return calls[calls["outcome"].astype(str).isin(CONVERSATIONS)]


# ------------------------------------------------------------------ by_interval per day
def test_by_interval_divides_by_counted_days_only():
    """Two days, the first one warm-up: calls per day are the second day's calls (≈146 a day),
    not half of them."""
    scenario = build(days=2, warmup_minutes=1440, inbound={"calls_per_day": 146})
    results = simulate(scenario, replications=4, seed=11)
    table = results.by_interval(30).set_index("interval")
    calls = _conversations(results.calls)
    counted = calls[calls["arrival"] >= 1440]
    by_hand = counted.groupby((counted["minute_of_day"] // 30 * 30).astype(int)).size() / 4
    for start, per_day in by_hand.items():
        label = f"{start // 60:02d}:{start % 60:02d}"
        assert table.loc[label, "calls_per_day"] == pytest.approx(per_day), label
    total = table["calls_per_day"].sum()
    assert total == pytest.approx(len(counted) / 4)
    assert total == pytest.approx(146, rel=0.15)  # Poisson with mean 146 a day, 4 days


def test_by_interval_counts_each_interval_from_the_warm_up_on():
    """A warm-up ending at noon of day 2: the afternoon intervals count one day each (and the
    morning ones none), so their calls per day are that afternoon's calls."""
    warm = 1440 + hm("12:00")
    scenario = build(days=2, warmup_minutes=warm, inbound={"calls_per_day": 200})
    results = simulate(scenario, replications=3, seed=4)
    table = results.by_interval(60).set_index("interval")
    calls = _conversations(results.calls)
    counted = calls[calls["arrival"] >= warm]
    assert (counted["minute_of_day"] >= hm("12:00")).all()
    by_hand = counted.groupby((counted["minute_of_day"] // 60).astype(int)).size() / 3
    assert list(table.index) == [f"{h:02d}:00" for h in by_hand.index]
    for hour, per_day in by_hand.items():
        assert table.loc[f"{hour:02d}:00", "calls_per_day"] == pytest.approx(per_day)
    # 200 calls over 10 open hours: about 20 an hour
    assert table["calls_per_day"].mean() == pytest.approx(20, rel=0.25)


# ------------------------------------------------------------------ staffing across midnight
def _busy_by_hand(calls, lo: float, hi: float) -> float:
    """Producer busy minutes inside [lo, hi), call by call, live and callback work."""
    total = 0.0
    for start_col, end_col in (("answer_at", "release_at"), ("callback_at", "callback_end")):
        for s, e in zip(calls[start_col], calls[end_col], strict=True):
            if not (math.isnan(s) or math.isnan(e)):
                total += max(0.0, min(e, hi) - max(s, lo))
    return total


def test_occupancy_cap_holds_in_the_first_interval_of_an_always_open_day():
    """pyworkforce's reference case (100 calls per 30 min, AHT 3 min) with an occupancy cap of
    0.70 needs 15 producers: the offered load is 10 erlangs and 10/14 > 0.70. Busy time of
    calls running past midnight belongs to the next day's 00:00 interval; without it the first
    interval looked less busy and got 14."""
    lam, aht, cap = 100 / 30, 3.0, 0.70
    needed = theory.staff_erlang_c(
        arrival_rate=lam, handle_minutes=aht, target_service_level=1e-9,
        answer_within_minutes=1 / 3, max_occupancy=cap,
    )  # fmt: skip
    assert needed == math.ceil(lam * aht / cap) == 15
    days, reps, seed = 2, 10, 5
    scenario = queue_scenario(lam, aht, 15, days=days, warmup_minutes=0)
    plan = staffing(scenario, Targets(transfer_completion=None, max_occupancy=cap),
                    interval_minutes=30, replications=reps, seed=seed)  # fmt: skip
    table = plan.table.set_index("interval")
    assert table.loc["00:00", "producers"] >= needed
    assert (table["occupancy_high"] <= cap).all()
    # The plan's 00:00 occupancy, by hand: the final roster simulated on the same random
    # numbers, busy minutes in 00:00-00:30 of every day over producers x 30 minutes x days.
    results = simulate(derive(scenario, plan.roster_overrides()), replications=reps, seed=seed)
    n0 = int(table.loc["00:00", "producers"])
    per_rep = []
    for _, calls in results.calls.groupby("replication"):
        busy = sum(_busy_by_hand(calls, d * 1440.0, d * 1440.0 + 30) for d in range(days))
        per_rep.append(busy / (n0 * 30 * days))
    assert table.loc["00:00", "occupancy"] == pytest.approx(np.mean(per_rep), rel=1e-9)


# ------------------------------------------------------------------ occupancy after warm-up
def test_occupancy_counts_work_after_the_warm_up_on_calls_from_before_it():
    """Always open, 40 producers, 30-minute calls: at the end of a 10-hour warm-up some thirty
    calls are in progress, and their remaining work is producer time after the warm-up."""
    warm, days, n = 600.0, 2, 40
    scenario = queue_scenario(1.0, 30.0, n, days=days, warmup_minutes=warm)
    results = simulate(scenario, replications=1, seed=3)
    calls = results.calls
    horizon = days * 1440.0
    straddling = calls[(calls["answer_at"] < warm) & (calls["release_at"] > warm)]
    assert len(straddling) > 15
    rostered = n * (horizon - warm)
    want = _busy_by_hand(calls, warm, horizon) / rostered
    kpis = results.kpis.iloc[0]
    assert kpis["producer_hours"] == pytest.approx(rostered / 60)
    assert kpis["producer_occupancy"] == pytest.approx(want, rel=1e-9)
    group = results.groups.iloc[0]
    assert group["busy_minutes"] == pytest.approx(want * rostered, rel=1e-9)
    # ... and near M/M/n's occupancy, offered load / producers = 30/40
    assert kpis["producer_occupancy"] == pytest.approx(30 / n, abs=0.04)


# ------------------------------------------------------------------ the busy-time function
def test_busy_minutes_by_hand():
    from sim import capacity

    grid = capacity.day_intervals(30)
    assert len(grid) == 48
    # 23:50 on day 0 to 00:10 on day 1: ten minutes in 23:30, ten in 00:00
    busy = capacity.busy_minutes(np.array([1430.0]), np.array([1450.0]), intervals=grid)
    assert busy[47] == pytest.approx(10)
    assert busy[0] == pytest.approx(10)
    assert busy.sum() == pytest.approx(20)
    # inside shift windows 08:00-18:00 on two days, from a warm-up at 09:10 of day 0 on
    windows = np.array([[480.0, 1080.0], [1920.0, 2520.0]])
    starts = np.array([500.0, 1070.0, 1900.0, 540.0])
    ends = np.array([560.0, 1100.0, 1930.0, 560.0])
    total = capacity.busy_minutes(starts, ends, windows, start=550.0)
    assert total == pytest.approx(10 + 10 + 10 + 10)
    by_cell = capacity.busy_minutes(starts, ends, windows, start=550.0, intervals=grid)
    assert by_cell[hm("09:00") // 30] == pytest.approx(20)  # 09:10-09:20 twice
    assert by_cell[hm("17:30") // 30] == pytest.approx(10)  # 17:50-18:00
    assert by_cell[hm("08:00") // 30] == pytest.approx(10)  # 08:00-08:10 of day 1
    assert by_cell.sum() == pytest.approx(total)
    # by replication
    keyed = capacity.busy_minutes(starts, ends, windows, start=550.0, intervals=grid,
                                  keys=np.array([0, 1, 1, 0]), n_keys=2)  # fmt: skip
    assert keyed.shape == (2, 48)
    assert keyed[0].sum() == pytest.approx(20)
    assert keyed[1].sum() == pytest.approx(20)


def test_producers_on_duty_follow_the_roster():
    """A roster of 2 for the first five hours, then 6: on duty per interval is 2 then 6, and the
    day's producer-minutes are 2 × 300 + 6 × 300."""
    from sim import capacity

    scenario = build(destinations=[{
        "name": "A", "producers": 4, "handle_minutes": {"dist": "fixed", "value": 5.0},
        "roster": {"interval_minutes": 30, "producers": [2] * 10 + [6] * 10},
    }])  # fmt: skip
    steps, windows = capacity.capacity_steps(scenario, 0), capacity.shift_windows(scenario, 0)
    grid = capacity.day_intervals(30)
    duty = capacity.on_duty_minutes(steps, windows, intervals=grid) / grid.lengths
    assert duty[hm("08:00") // 30 : hm("13:00") // 30].tolist() == [2] * 10
    assert duty[hm("13:00") // 30 : hm("18:00") // 30].tolist() == [6] * 10
    assert duty[: hm("08:00") // 30].sum() == 0
    assert duty[hm("18:00") // 30 :].sum() == 0
    assert capacity.on_duty_minutes(steps, windows) == 2 * 300 + 6 * 300
    assert capacity.on_duty_minutes(steps, windows, start=hm("17:00")) == 6 * 60


def test_staffing_load_takes_an_iana_zone_like_the_engine():
    """Staffing's offered load converted outbound calling windows with the US-zone table only,
    so an agency in any IANA zone with a campaign crashed (KeyError). It now uses the engine's
    own offset: America/New_York is ET's standard offset (identical load), and an agency in
    Europe/London (five hours ahead of ET) gets the same campaign dials no earlier than its
    leads' 09:00, i.e. none before 14:00 London time."""
    from sim.loader import load_scenario
    from sim.staffing_load import offered_load

    base = load_scenario("small_agency")
    assert base.outbound is not None
    assert base.outbound.contacts_per_week > 0
    starts, lengths = np.arange(0, 1440, 30.0), np.full(48, 30.0)

    def load_in(zone: str):
        scenario = derive(base, {"hours.timezone": zone})
        return offered_load(scenario, starts, lengths).offered_per_day

    et, new_york = load_in("ET"), load_in("America/New_York")
    np.testing.assert_allclose(new_york, et)
    # all-ET leads only: in London their 09:00-20:00 window opens at 14:00 agency time
    london_only_et = derive(
        base,
        {"hours.timezone": "Europe/London", "outbound.lead_timezones": {"ET": 1.0}},
    )
    et_only = derive(base, {"outbound.lead_timezones": {"ET": 1.0}})
    ahead = offered_load(london_only_et, starts, lengths).offered_per_day
    home = offered_load(et_only, starts, lengths).offered_per_day
    no_campaign = derive(london_only_et, {"outbound.contacts_per_week": 0})
    extra = ahead - offered_load(no_campaign, starts, lengths).offered_per_day
    assert extra[:, : hm("14:00") // 30].sum() == pytest.approx(0, abs=1e-9)
    assert extra.sum() > 0
    assert not np.allclose(ahead, home)
