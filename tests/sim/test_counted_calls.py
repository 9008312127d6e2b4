"""The calls counted in KPIs (:func:`sim.kpis.counted_calls`): after the warm-up, and with a
row mask in the same selection, so a breakdown never copies the whole table on the way to a
part of it. Checked against the rows picked by hand from the arrival column."""

from __future__ import annotations

import numpy as np

import sim
from sim.kpis import counted_calls


def test_counted_rows_and_a_mask_in_one_selection():
    scenario = sim.load_scenario("small_agency", overrides={"days": 2, "warmup_minutes": 1440})
    calls = sim.simulate(scenario, replications=2, seed=4).calls
    arrival = calls["arrival"].to_numpy()
    offered = calls["transfer_at"].notna().to_numpy()
    by_hand = (np.isnan(arrival) | (arrival >= 1440)) & offered
    assert 0 < by_hand.sum() < offered.sum()  # the warm-up day is left out
    got = counted_calls(calls, scenario, offered)
    assert list(got.index) == list(calls.index[by_hand])
    # without a warm-up or a mask nothing is selected: the table itself
    plain = sim.load_scenario("small_agency", overrides={"days": 2})
    assert counted_calls(calls, plain) is calls


def test_breakdowns_read_the_counted_offered_calls():
    scenario = sim.load_scenario("small_agency", overrides={"days": 2, "warmup_minutes": 1440})
    results = sim.simulate(scenario, replications=2, seed=4)
    calls = results.calls
    arrival = calls["arrival"].to_numpy()
    keep = (np.isnan(arrival) | (arrival >= 1440)) & calls["transfer_at"].notna().to_numpy()
    table = results.by_trigger().set_index("trigger")
    counts = calls[keep].groupby("trigger", observed=True).size()
    for trigger, n in counts.items():
        assert table.loc[trigger, "offered"] == n
