"""The Simulate page's figures count every call once and every busy minute once."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from dashboards import charts
from sim.paths import shipped_scenarios


@pytest.fixture(scope="module")
def results() -> sim.Results:
    scenario = sim.load_scenario(shipped_scenarios()["small_agency"], overrides={"ai.rollout": 0.5})
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


def test_busy_profile_follows_the_roster():
    """A roster of 2 producers for the first five open hours, then 6: the chart's producers on
    shift are 2 then 6 (not ``producers`` = 4 all day), as the roster says."""
    scenario = sim.load_scenario(
        shipped_scenarios()["small_agency"],
        overrides={
            "days": 2,
            "destinations.0.producers": 4,
            "destinations.0.roster": {"interval_minutes": 30, "producers": [2] * 10 + [6] * 10},
        },
    )
    results = sim.simulate(scenario, replications=2, seed=3)
    table = charts.busy_by_interval(results, minutes=30).set_index("interval")
    morning = [f"{h:02d}:{m:02d}" for h in range(8, 13) for m in (0, 30)]
    afternoon = [f"{h:02d}:{m:02d}" for h in range(13, 18) for m in (0, 30)]
    assert table.loc[morning, "on_shift"].tolist() == [2.0] * 10
    assert table.loc[afternoon, "on_shift"].tolist() == [6.0] * 10
    assert table["on_shift"].drop(morning + afternoon).eq(0).all()
    assert (table.loc[morning, "busy"] <= 2 + 1e-9).all()  # two producers, at most two busy


def test_busy_profile_counts_work_after_the_warm_up_per_counted_day():
    """With the first of two days as warm-up, busy producers per interval are the busy minutes
    after the warm-up (of any call, also one that arrived before it) over one counted day."""
    scenario = sim.load_scenario(
        shipped_scenarios()["small_agency"], overrides={"days": 2, "warmup_minutes": 1440}
    )
    results = sim.simulate(scenario, replications=2, seed=5)
    table = charts.busy_by_interval(results, minutes=60).set_index("start")
    calls = results.calls
    by_hand = {}
    for start_col, end_col in (("answer_at", "release_at"), ("callback_at", "callback_end")):
        for s, e in zip(calls[start_col], calls[end_col], strict=True):
            if np.isnan(s) or np.isnan(e):
                continue
            for hour in range(int(s // 60), int(e // 60) + 1):
                lo, hi = max(s, hour * 60, 1440.0), min(e, hour * 60 + 60)
                if hi > lo:
                    key = hour % 24 * 60
                    by_hand[key] = by_hand.get(key, 0.0) + hi - lo
    for start, minutes in by_hand.items():
        assert table.loc[start, "busy"] == pytest.approx(minutes / (60 * 1 * 2)), start
    assert table["on_shift"].max() == scenario.destinations[0].producers


def test_every_chart_keeps_its_labels():
    """Axes make room for their labels and margins are wide, whatever template a page applies
    afterwards (the tornado's long input names once lost their first letters)."""
    import plotly.graph_objects as go

    from dashboards import plan_charts
    from dashboards.charts import KEEP_LABELS, keep_labels
    from dashboards.common import TEMPLATE

    tornado = pd.DataFrame({
        "input": ["AI containment", "Qualified-interest share"], "low": ["×0.8", "×0.75"],
        "high": ["×1.2", "×1.25"], "gain_at_low": [50.0, 90.0], "gain_at_high": [150.0, 110.0],
        "swing": [100.0, 20.0], "base_gain": [100.0, 100.0],
    })  # fmt: skip
    parts = {"intake": 10.0, "platform_fees": -2.0}
    figures = [
        plan_charts.tornado_figure(tornado),
        plan_charts.breakdown_figure(parts, {"intake": "Intake saved", "platform_fees": "Fees"}),
        keep_labels(go.Figure(layout={"margin": {"l": 10, "r": 10, "t": 10, "b": 10}})),
    ]
    for fig in figures:
        fig.update_layout(template=TEMPLATE)  # what show_chart does
        for axis in (fig.layout.xaxis, fig.layout.yaxis):
            assert axis.automargin is True
        for side in ("l", "r", "t", "b"):
            assert getattr(fig.layout.margin, side) >= KEEP_LABELS["margin"][side]
    waterfall = figures[1].data[0]
    assert list(waterfall.x) == ["Intake saved", "Fees", "Net gain"]
    assert list(waterfall.text) == ["$10", "−$2", "$8"]
