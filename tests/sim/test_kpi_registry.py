"""The KPI registry (``sim.kpis.KPIS``): every KPI the results, the sweep, the ROI comparison,
the dashboard and the CLI show has one entry, with a label for people and a formatter."""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim import kpis
from sim.loader import derive
from sim.paths import SCENARIOS_DIR

ROOT = Path(__file__).resolve().parents[2]
KEY_COLUMNS = {
    "replication",
    "trigger",
    "interval",
    "group",
    "segment",
    "weekday",
    "kpi",
    "cell",
    "on_shift",
    "nobody_waited",
}


@pytest.fixture(scope="module")
def results() -> sim.Results:
    scenario = derive(sim.load_scenario(SCENARIOS_DIR / "small_agency.toml"), {"days": 1})
    return sim.simulate(scenario, replications=2, seed=5)


def test_every_name_of_the_name_lists_has_an_entry():
    names = (
        *kpis.KPI_NAMES,
        *kpis.EXTRA_KPIS,
        *kpis.ROI_FIGURES,
        *kpis.BREAKDOWN_FIGURES,
        *kpis.STAFFING_FIGURES,
    )
    assert set(names) == set(kpis.KPIS)
    assert len(names) == len(set(names)), "a name in two lists"
    for name, kpi in kpis.KPIS.items():
        assert kpi.name == name


def test_every_column_the_results_expose_has_an_entry(results):
    columns = set(results.kpis.columns) | set(results.summary(extra=True).index)
    tables = (results.by_trigger(), results.by_interval(), results.by_group(), results.groups,
              results.by_segment(), results.by_weekday())  # fmt: skip
    for table in tables:
        columns |= set(table.columns)
    assert columns - KEY_COLUMNS - set(kpis.KPIS) == set()


def test_every_figure_of_the_sweep_and_the_roi_comparison_has_an_entry():
    from sim import roi
    from sim.sweep import ALL_KPIS

    assert set(ALL_KPIS) <= set(kpis.KPIS)
    assert set(roi.METRICS) <= set(kpis.KPIS)


def test_the_dashboard_shows_every_kpi_from_the_registry():
    from dashboards import charts, plan_charts
    from dashboards.common import KPIS, kpi_label

    assert set(KPIS) == set(kpis.KPIS)
    for name, shown in KPIS.items():
        spec = kpis.KPIS[name]
        assert (shown.label, shown.help, shown.unit) == (spec.label, spec.definition, spec.unit)
        assert shown.fmt(0.5) == spec.format(0.5)
        assert kpi_label(name) == spec.label
    assert set(charts.TRIGGER_COLUMNS) - KEY_COLUMNS <= set(kpis.KPIS)
    assert {name for name, _color in plan_charts.COST_PARTS} <= set(kpis.KPIS)


def _name_lists(path: Path) -> list[list[str]]:
    """Tuple and list literals of three or more snake_case strings in a source file, at least one
    of them a KPI name: the KPI lists a page or a command shows."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Tuple | ast.List) and len(node.elts) >= 3:
            values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if len(values) == len(node.elts) and all(
                isinstance(v, str) and re.fullmatch(r"[a-z][a-z0-9_]*", v) for v in values
            ):
                if any(v in kpis.KPI_NAMES for v in values):
                    found.append(values)
    return found


@pytest.mark.parametrize(
    "path",
    [
        *sorted((ROOT / "dashboards" / "views").glob("*.py")),
        ROOT / "dashboards" / "charts.py",
        ROOT / "dashboards" / "plan_charts.py",
        *sorted((ROOT / "sim" / "cli").glob("*.py")),
    ],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_every_kpi_list_of_the_pages_and_the_cli_has_entries(path):
    for names in _name_lists(path):
        assert set(names) - KEY_COLUMNS - set(kpis.KPIS) == set(), names


def test_labels_are_for_people():
    labels = [kpi.label for kpi in kpis.KPIS.values()]
    for kpi in kpis.KPIS.values():
        assert "_" not in kpi.label, kpi.name
        assert kpi.label[0].isupper(), kpi.name
        assert kpi.label != kpi.name
    assert len(labels) == len(set(labels)), "two KPIs share a label"


def test_entries_are_complete():
    for kpi in kpis.KPIS.values():
        assert kpi.unit in ("share", "minutes", "hours", "dollars", "count"), kpi.name
        assert kpi.direction in ("higher", "lower", "neither"), kpi.name
        assert kpi.definition.endswith("."), kpi.name
        assert kpi.basis, kpi.name
        assert "_" not in kpi.definition + kpi.basis, kpi.name
    assert kpis.KPIS["abandonment_rate"].direction == "lower"
    assert kpis.KPIS["transfer_completion_rate"].higher_is_better
    assert kpis.KPIS["service_level"].basis == "share of offered transfers"
    assert kpis.KPIS["total_cost"].basis.startswith("per replication")


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("transfer_completion_rate", 0.908, "90.8%"),
        ("abandonment_rate", 0.05, "5.0%"),
        ("containment_rate", 1.0, "100.0%"),
        ("total_cost", 1234.4, "$1,234"),
        ("revenue", 70200.0, "$70,200"),
        ("cost_per_call", 9.6497, "$9.65"),
        ("cost_per_acquisition", 99.994, "$99.99"),
        ("net_value", -1234.4, "−$1,234"),
        ("intake_cost_per_contact", -0.5, "−$0.50"),
        ("mean_wait_minutes", 2.351, "2.35 min"),
        ("ai_minutes", 2564.69, "2,565 min"),
        ("policies_sold", 78.0, "78.0"),
        ("policies_sold", 7.25, "7.2"),
        ("calls", 752.0, "752"),
        ("calls", 12345.0, "12,345"),
        ("producer_hours", 200.0, "200 h"),
        ("producer_busy_hours", 12.34, "12.3 h"),
        ("occupancy", 0.4206, "42.1%"),
    ],
)
def test_formatting_by_hand(name, value, shown):
    assert kpis.format(name, value) == shown
    assert kpis.KPIS[name].format(value) == shown


@pytest.mark.parametrize("missing", [None, math.nan, np.float64("nan")])
def test_a_missing_value_is_a_dash(missing):
    assert kpis.format("cost_per_acquisition", missing) == "—"
    assert kpis.format("service_level", missing) == "—"


def test_formatting_takes_numpy_numbers():
    assert kpis.format("service_level", np.float64(0.8986)) == "89.9%"
    assert kpis.format("calls", np.int64(752)) == "752"


def test_label_lookup():
    assert kpis.label("transfer_completion_rate") == "Transfer completion"
    assert kpis.label("cost_per_acquisition") == "Cost per sale"
    with pytest.raises(KeyError, match="unknown KPI 'completion'; known: containment_rate"):
        kpis.label("completion")
    with pytest.raises(KeyError, match="unknown KPI"):
        kpis.format("completion", 0.5)


def test_the_kpi_cards_judge_the_scenarios_own_targets():
    """The pages keep no targets of their own: the Simulate cards judge ``[targets]``."""
    import dashboards.common as common
    from sim.targets import ServiceTargets, verdicts

    assert not hasattr(common, "TARGETS")
    summary = pd.DataFrame(
        {"mean": [0.81, 0.06], "ci_low": [0.79, 0.05], "ci_high": [0.83, 0.07]},
        index=["transfer_completion_rate", "abandonment_rate"],
    )
    judged = verdicts(ServiceTargets(), summary)
    assert judged["transfer_completion_rate"].met is True
    assert judged["abandonment_rate"].met is False  # lower is better, 6% over 5%


def test_intervals_are_held_to_each_figures_range():
    assert kpis.KPIS["transfer_completion_rate"].within_range(1.001) == 1.0
    assert kpis.KPIS["mean_wait_minutes"].within_range(-6.3) == 0.0
    assert kpis.KPIS["abandonment_rate"].within_range(0.04) == 0.04


def test_the_pilot_metrics_are_labelled_by_the_registry():
    from sim.pilot import METRICS

    for name, metric in METRICS.items():
        label = kpis.label(name)
        assert metric.label == label[0].lower() + label[1:]


def test_every_figure_of_a_staffing_plan_has_an_entry():
    from sim.paths import shipped_scenarios
    from sim.staffing import Targets, staffing

    scenario = sim.load_scenario(shipped_scenarios()["small_agency"], {"days": 1})
    plan = staffing(scenario, Targets(transfer_completion=0.8), interval_minutes=60,
                    replications=2, seed=1)  # fmt: skip
    flags = {"group", "interval", "on_shift", "nobody_waited"}
    assert set(plan.table.columns) - flags - set(kpis.KPIS) == set()
