"""The README's first-run lines, end to end: ``handoff-lab sample-log`` writes the small
agency's week of calls, ``calibrate`` fits it and ``backtest`` compares the fit with the log.

The fitted scenario must reproduce the log on every figure the back-test reports, each inside
its 95% prediction interval for one stretch of the log's days (mean ± t·sd·√(1 + 1/R) over the
R replications, Student t with R − 1 degrees of freedom): the spread the log's own figure has
if the model is right, so no margin is picked here. The fit never sees these figures.

The log holds the AI's outbound campaign too (about a fifth of the producers' busy time):
a fit that leaves it out predicts producers about 8 points less busy than the log shows,
twice the half-width of the occupancy interval, and fails here. The outbound fit is checked
against the log's own answered dials, counted by hand from the CSV.
"""

from __future__ import annotations

import pandas as pd
import pytest

from sim.backtest import backtest
from sim.calibrate import calibrate
from sim.calllog import read_call_log, synthetic_log, write_call_log
from sim.loader import load_scenario
from sim.paths import resolve_scenario


@pytest.fixture(scope="module")
def sample_csv(tmp_path_factory):
    """The file ``handoff-lab sample-log calls.csv`` writes (its defaults: the small agency,
    the scenario's seed)."""
    scenario = load_scenario(resolve_scenario("small_agency"))
    path = tmp_path_factory.mktemp("sample") / "calls.csv"
    write_call_log(synthetic_log(scenario, seed=scenario.seed), path)
    return path


@pytest.fixture(scope="module")
def log(sample_csv):
    return read_call_log(sample_csv)


@pytest.fixture(scope="module")
def result(log):
    return backtest(log)  # the CLI's defaults: fitted by calibrate, 20 replications


def test_every_figure_inside_its_prediction_interval(result):
    table = result.overall.set_index("figure")
    assert len(table) == 5
    for figure, row in table.iterrows():
        assert row["predicted_low"] <= row["observed"] <= row["predicted_high"], (
            figure,
            row[["observed", "predicted", "predicted_low", "predicted_high"]].to_dict(),
        )
    assert result.verdict.startswith("The model reproduces this log")


def test_the_outbound_campaign_is_fitted_from_the_answered_dials(sample_csv, log):
    raw = pd.read_csv(sample_csv, dtype=str, keep_default_na=False)
    out = raw[raw["direction"] == "outbound"]
    days = pd.to_datetime(raw["started_at"].str.slice(0, 10)).nunique()
    fitted = calibrate(log).scenario
    campaign = fitted.outbound
    assert campaign is not None
    reach = campaign.consent_rate * (1 - campaign.dnc_rate) * campaign.answer_rate
    answered_per_day = campaign.contacts_per_week * reach / campaign.days_per_week
    assert answered_per_day == pytest.approx(len(out) / days, rel=1e-3)
    contained = (out["outcome"] == "contained").sum()
    assert campaign.containment == pytest.approx(contained / len(out), abs=1e-4)
    transfers = out[out["trigger"] != ""]
    for trigger, count in transfers["trigger"].value_counts().items():
        assert campaign.triggers[trigger] == pytest.approx(count / len(transfers), abs=1e-4)
    # every answered dial falls inside the fitted calling window (the leads in the agency's zone)
    assert list(campaign.lead_timezones) == [fitted.hours.timezone]
    minute = log.frame.loc[log.frame["direction"] == "outbound", "minute_of_day"]
    assert campaign.window.start_minute <= minute.min()
    assert minute.max() < campaign.window.end_minute


def test_a_base_campaign_is_kept(log):
    base = load_scenario(resolve_scenario("small_agency"))
    fitted = calibrate(log, base=base).scenario
    assert fitted.outbound == base.outbound
