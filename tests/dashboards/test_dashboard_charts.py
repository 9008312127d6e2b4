"""The Simulate page's figures count every call once and every busy minute once."""

from __future__ import annotations

import numpy as np
import pytest

import sim
from dashboards import charts
from sim.paths import shipped_scenarios


@pytest.fixture(scope="module")
def results() -> sim.Results:
    scenario = sim.load_scenario(
        shipped_scenarios()["small_agency"], overrides={"ai.rollout": 0.5}
    )
    return sim.simulate(scenario, replications=2, seed=7)


def _flow(links, source=None, target=None):
    rows = links
    if source is not None:
        rows = rows[rows["source"] == source]
    if target is not None:
        rows = rows[rows["target"] == target]
    return rows["per_day"].sum()


def test_funnel_conserves_calls(results):
    links = charts.funnel_links(results)
    days = charts.counted_days(results)
    kpis = results.kpis
    assert _flow(links, source="Calls") == pytest.approx(kpis["calls"].sum() / days)
    assert _flow(links, source="Human intake") > 0  # a 50% rollout has both paths
    # Into and out of every middle node balance.
    for node in set(links["source"]) & set(links["target"]):
        assert _flow(links, target=node) == pytest.approx(_flow(links, source=node)), node
    assert _flow(links, target="Offered to producers") == pytest.approx(
        kpis["offered"].sum() / days
    )
    assert _flow(links, target="Connected") == pytest.approx(kpis["connected"].sum() / days)
    assert charts.funnel_figure(results).data[0].type == "sankey"


def test_busy_profile_counts_every_busy_minute(results):
    table = charts.busy_by_interval(results, minutes=30)
    calls = charts.counted_calls(results)
    live = (calls["release_at"] - calls["answer_at"]).sum()
    callbacks = (calls["callback_end"] - calls["callback_at"]).sum()
    total = table["busy"].sum() * 30 * charts.counted_days(results)
    assert total == pytest.approx(live + callbacks)
    assert table["on_shift"].max() == results.scenario.destinations[0].producers
    assert np.nanmax(table["occupancy"]) <= 1.5  # busy can spill past close, not wildly


def test_other_figures_build(results):
    assert charts.wait_figure(results).data
    assert charts.interval_figure(results.by_interval(), 20).data
    table = charts.trigger_table(results)
    assert set(table["trigger"]) <= set(results.scenario.triggers)
    assert "transfer_completion_rate" in table
