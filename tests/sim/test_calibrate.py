"""Calibration from a call log: the round trip from a known scenario through a synthetic
phone-system export back to a scenario, censored patience, duration families, misroutes and
recaptured producer time, and that personal data never comes out the other end."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import load_scenario, simulate
from sim.calibrate import (
    CalibrationError,
    calibrate,
    calibrate_file,
    fit_duration,
    misroutes,
    patience_km,
    patience_mle,
    recapture,
)
from sim.calllog import read_call_log, redact, synthetic_log
from sim.loader import ScenarioError
from sim.paths import SCENARIOS_DIR

TRUTH = Path(__file__).parent / "data" / "calibration_truth.toml"
SEED = 11
REPLICATIONS = 2  # 2 × 10 open days of about 500 calls
MISROUTE = ("Billing question", 0.3)


@pytest.fixture(scope="module")
def truth():
    return load_scenario(TRUTH)


@pytest.fixture(scope="module")
def export(truth):
    """The synthetic export of the known scenario, with 30% of billing transfers tagged
    "Billing question" (misroutes), as CSV text."""
    frame = synthetic_log(
        truth, seed=SEED, replications=REPLICATIONS, misroute_codes={"billing": MISROUTE}
    )
    buf = io.StringIO()
    frame.to_csv(buf, index=False)
    return frame, buf.getvalue()


@pytest.fixture(scope="module")
def fitted(export, tmp_path_factory):
    path = tmp_path_factory.mktemp("calls") / "calls.csv"
    path.write_text(export[1], encoding="utf-8")
    return calibrate(read_call_log(path, timezone="CT"), name="Round trip")


def estimate(cal, key: str) -> pd.Series:
    params = cal.report.parameters
    return params[params["key"] == key].iloc[0]


def test_round_trip_recovers_the_known_scenario(truth, fitted):
    """generate → CSV → read → calibrate recovers the scenario that made the log.

    Tolerances (20 open days, ≈10,000 calls): calls per day ±5%; call-type shares ±0.03; AI
    rollout ±0.02; containment by type ±0.03; trigger shares ±0.05; AI talk, handle and
    lognormal wrap-up means ±5%, their standard deviations ±10%; producers available per
    interval at most the truth's (the truth's callbacks are work the log does not show);
    patience mean ±15% (and inside the reported 95% interval); bridge failure rate ±0.015;
    open hours, days per week and time zone exact; the intraday shape is the truth's
    (chi-square p > 0.001 against business_day, and the best of the named profiles)."""
    sc = fitted.scenario
    assert sc.inbound.calls_per_day == pytest.approx(truth.inbound.calls_per_day, rel=0.05)
    assert (sc.hours.open, sc.hours.close, sc.hours.days_per_week, sc.hours.timezone) == (
        "08:00",
        "18:00",
        5,
        "CT",
    )
    assert sc.inbound.interval_minutes == 30
    assert len(sc.inbound.profile) == 20
    fit = fitted.report.tables["profile_fit"].set_index("profile")
    assert fit.loc["business_day", "p_value"] > 0.001
    assert fit["chi2"].idxmin() == "business_day"

    assert sc.ai.enabled
    assert sc.ai.rollout == pytest.approx(truth.ai.rollout, abs=0.02)
    assert sc.ai.talk_minutes.mean == pytest.approx(truth.ai.talk_minutes.mean, rel=0.05)
    assert sc.ai.talk_minutes.sd == pytest.approx(truth.ai.talk_minutes.sd, rel=0.10)

    assert set(sc.call_types) == set(truth.call_types)
    for name, true in truth.call_types.items():
        got = sc.call_types[name]
        assert got.share == pytest.approx(true.share, abs=0.03), name
        assert got.containment == pytest.approx(true.containment, abs=0.03), name
        assert set(got.triggers) == set(true.triggers), name
        for trig, share in true.triggers.items():
            assert got.triggers[trig] == pytest.approx(share, abs=0.05), (name, trig)

    groups = {d.name: d for d in sc.destinations}
    assert [d.name for d in sc.destinations] == ["Sales team", "Service team"]  # by volume
    for true in truth.destinations:
        got = groups[true.name]
        # Producers available to live calls, read off the queue: never more than the truth's
        # (its callbacks are work the log does not show), and the roster covers the day.
        assert got.roster is not None
        assert len(got.roster.producers) == 20
        assert got.producers <= true.producers
        assert max(got.roster.producers) == got.producers
        assert got.handle_minutes.dist == true.handle_minutes.dist  # chosen by likelihood
        assert got.handle_minutes.mean == pytest.approx(true.handle_minutes.mean, rel=0.05)
        assert got.handle_minutes.sd == pytest.approx(true.handle_minutes.sd, rel=0.10)
    assert groups["Service team"].wrap_up_minutes.dist == "fixed"
    assert groups["Service team"].wrap_up_minutes.value == pytest.approx(1.0)
    assert groups["Sales team"].wrap_up_minutes.mean == pytest.approx(2.0, rel=0.05)

    patience = sc.transfer.patience_minutes
    # chosen by AIC: the exponential, or a two-parameter shape that is nearly one (a gamma or
    # lognormal beats a true exponential's AIC by chance about one time in six)
    shapes = fitted.report.tables["patience_shapes"].set_index("shape")
    assert shapes["aic"].idxmin() == patience.dist
    if patience.dist != "exponential":
        assert patience.sd / patience.mean == pytest.approx(1.0, abs=0.2)
        assert shapes.loc["exponential", "aic"] - shapes["aic"].min() < 6
    assert patience.mean == pytest.approx(truth.transfer.patience_minutes.mean, rel=0.15)
    row = estimate(fitted, "transfer.patience_minutes")
    assert row.ci_low < truth.transfer.patience_minutes.mean < row.ci_high
    assert sc.transfer.failure_rate == pytest.approx(truth.transfer.failure_rate, abs=0.015)


def test_round_trip_reproduces_the_simulated_sample_exactly(truth, fitted):
    """Beyond sampling error: the fit sees exactly the calls the simulation made. Counts match
    one for one; the patience estimate equals the censored MLE computed from the simulation's
    own waits (to the whole-second rounding of the export)."""
    calls = simulate(truth, replications=REPLICATIONS, seed=SEED).calls
    ai = calls[(calls["direction"] == "inbound") & (calls["path"] == "ai")]
    table = fitted.report.tables["call_types"].set_index("call_type")
    for name in truth.call_types:
        of_type = ai[ai["call_type"] == name]
        assert table.loc[name, "ai_calls"] == len(of_type)
        assert table.loc[name, "contained"] == (of_type["outcome"] == "contained").sum()
    offered = calls[calls["transfer_at"].notna()]
    sim_estimate = patience_mle(offered["wait_minutes"], offered["outcome"] == "abandoned")
    row = fitted.report.parameters.set_index("parameter").loc[
        "patience mean if exponential (minutes)"
    ]
    assert row.n == len(offered)
    assert row.estimate == pytest.approx(sim_estimate["mean"], rel=0.01)


def test_naive_patience_is_biased_and_the_censored_estimate_is_not(truth, fitted):
    """The mean wait of callers who hung up is far below the true mean patience (callers with
    long patience get answered first); the censored MLE is within 15%. The Kaplan–Meier curve
    agrees with the fitted exponential."""
    true_mean = truth.transfer.patience_minutes.mean
    params = fitted.report.parameters.set_index("parameter")
    naive = params.loc["naive patience: mean wait of callers who hung up (biased, not used)"]
    assert naive.estimate < 0.7 * true_mean
    assert estimate(fitted, "transfer.patience_minutes").estimate == pytest.approx(
        true_mean, rel=0.15
    )
    assert params.loc["Kaplan–Meier vs exponential: largest gap in survival"].estimate < 0.05


def test_patience_mle_on_pure_censored_data():
    """Patience ~ Exp(mean 3); each caller would be answered after Exp(mean 1.5). The naive
    mean of observed hang-up times is 1 / (1/3 + 1/1.5) = 1, a third of the truth; the MLE
    (events / exposure) and the Kaplan–Meier median recover the truth."""
    rng = np.random.default_rng(1)
    patience = rng.exponential(3.0, 20_000)
    answer = rng.exponential(1.5, 20_000)
    wait = np.minimum(patience, answer)
    hung_up = patience < answer
    naive = wait[hung_up].mean()
    assert naive == pytest.approx(1.0, rel=0.05)
    est = patience_mle(wait, hung_up)
    assert est["mean"] == pytest.approx(3.0, rel=0.05)
    assert est["ci_low"] < 3.0 < est["ci_high"]
    assert est["mean"] == pytest.approx(wait.sum() / hung_up.sum())
    km = patience_km(wait, hung_up)
    median = km.loc[km["still_waiting"] <= 0.5, "minutes"].iloc[0]
    assert median == pytest.approx(3.0 * math.log(2), rel=0.08)


def test_patience_without_hang_ups_gives_only_a_lower_bound():
    est = patience_mle(np.array([0.5, 1.0, 2.0]), np.array([False, False, False]))
    assert math.isinf(est["mean"])
    assert est["ci_low"] == pytest.approx(2 * 3.5 / 7.3778, rel=1e-3)  # chi2 0.975 quantile, 2 df


@pytest.mark.parametrize(
    ("sample", "family"),
    [
        (lambda rng: rng.lognormal(2.0, 0.5, 3000), "lognormal"),
        (lambda rng: rng.gamma(6.0, 2.0, 3000), "gamma"),
        (lambda rng: np.full(50, 2.0), "fixed"),
    ],
)
def test_fit_duration_picks_the_family_by_likelihood(sample, family):
    values = sample(np.random.default_rng(3))
    fit = fit_duration(values)
    assert fit.family == family
    assert fit.mean == pytest.approx(values.mean(), rel=0.02)
    if family != "fixed":
        assert fit.ci_low < values.mean() < fit.ci_high
        assert fit.ks < 0.03


def test_fit_duration_with_many_zeros_matches_moments():
    values = np.r_[np.zeros(200), np.random.default_rng(4).lognormal(0.5, 0.4, 800)]
    fit = fit_duration(values)
    assert fit.mean == pytest.approx(values.mean())
    assert "zero" in fit.note


def test_toml_reads_back_to_the_same_scenario(fitted, tmp_path):
    text = fitted.to_toml()
    assert text.startswith("# Calibrated by handoff-lab from calls.csv")
    assert "Weekday index" in text
    path = tmp_path / "agency.toml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path) == fitted.scenario


def test_personal_data_never_leaves_the_import(export, fitted):
    """No Faker name, phone number or e-mail of the synthetic callers appears in the
    scenario file, the report, the summary, the problems, any returned frame or table, or
    the misroute and recapture results."""
    frame, _ = export
    secrets = set(frame["caller_name"]) | set(frame["caller_phone"]) | set(frame["caller_email"])
    digits = {re.sub(r"\D", "", p) for p in frame["caller_phone"]}
    found = misroutes(fitted)
    texts = [
        fitted.to_toml(),
        fitted.summary(),
        fitted.report.parameters.to_csv(),
        " ".join(map(str, fitted.problems)),
        found.table.to_csv(),
        found.rule,
        *(table.to_csv() for name, table in fitted.report.tables.items() if name != "patience_km"),
    ]
    blob = "\n".join(texts)
    leaked = [s for s in secrets if s in blob]
    assert leaked == []
    blob_digits = re.sub(r"\D", "", blob)
    assert not [d for d in digits if len(d) >= 10 and d in blob_digits]
    # Frames: no cell is a caller's name, phone or e-mail, and no text cell holds anything
    # shaped like a phone number or e-mail address.
    for table in [fitted.log.frame, *fitted.report.tables.values(), found.table]:
        cells = {str(v) for col in table.columns for v in table[col].unique()}
        assert not cells & secrets
        assert all(redact(cell) == cell for cell in cells if not _is_number(cell))
    assert not {"caller_name", "caller_phone", "caller_email"} & set(fitted.log.frame.columns)
    assert fitted.log.personal_columns == ["caller_name", "caller_phone", "caller_email"]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_another_dialect_of_the_same_export_gives_the_same_fit(export, fitted):
    """Aliased headers, naive local times with a time zone, h:mm:ss durations and other
    wordings for outcomes, handlers, directions and sales fit exactly the same scenario."""
    frame = export[0].drop(columns=["caller_name", "caller_phone", "caller_email"]).copy()
    for col in ("started_at", "transferred_at", "answered_at", "ended_at"):
        frame[col] = frame[col].str.slice(0, 19).str.replace("T", " ")

    def clock(text: str) -> str:
        if text == "":
            return ""
        secs = int(text)
        return f"{secs // 3600}:{secs % 3600 // 60:02d}:{secs % 60:02d}"

    frame["handle_seconds"] = frame["handle_seconds"].map(clock)
    frame["outcome"] = frame["outcome"].map(
        {
            "connected": "Answered",
            "abandoned": "Caller hung up",
            "contained": "Resolved by AI",
            "failed": "Transfer failed",
            "no_producer": "No agent",
        }
    )
    frame["handled_by"] = frame["handled_by"].map({"ai": "Voice AI", "human": "Live agent"})
    frame["direction"] = frame["direction"].map({"inbound": "Incoming", "outbound": "Outgoing"})
    frame["converted"] = frame["converted"].map({"yes": "Y", "no": "N"})
    frame = frame.rename(
        columns={
            "call_id": "Call ID",
            "started_at": "Start Time",
            "direction": "Call Direction",
            "call_type": "Call Type",
            "handled_by": "Handled By",
            "ai_seconds": "AI Duration (s)",
            "trigger": "Escalation Reason",
            "transferred_at": "Queue Start",
            "answered_at": "Answer Time",
            "ended_at": "Hangup Time",
            "outcome": "Disposition",
            "producer_group": "Team",
            "handle_seconds": "AHT",
            "wrap_up_seconds": "ACW (sec)",
            "reason_code": "Wrap Code",
            "converted": "Sale",
        }
    )
    buf = io.StringIO(frame.to_csv(index=False))
    again = calibrate(read_call_log(buf, timezone="America/Chicago"), name="Round trip")
    assert again.log.problems == []
    a = again.scenario.model_dump(exclude={"description"})
    b = fitted.scenario.model_dump(exclude={"description"})
    assert a == b


def test_too_little_data_is_refused_with_a_clear_message(export):
    lines = export[1].splitlines()
    bad = ",".join(["C9999999", "yesterday"] + [""] * (lines[0].count(",") - 1))
    small = "\n".join([*lines[:61], bad]) + "\n"
    with pytest.raises(CalibrationError) as info:
        calibrate(read_call_log(io.StringIO(small)))
    message = str(info.value)
    assert "too little data" in message
    assert "60 usable inbound calls, need at least 100" in message
    assert "line 62, started_at: cannot read the time (use ISO" in message


def test_misroutes_are_found_and_correcting_them_recaptures_producer_time(fitted):
    """30% of billing AI transfers carry the reason code "Billing question": the misroute
    report finds that share (±0.05) as the only high-volume misroute; re-running with them
    contained raises billing containment and frees producer busy time (same seeds before and
    after, so the difference is the correction)."""
    found = misroutes(fitted)
    high = found.high_volume
    assert list(zip(high["call_type"], high["reason_code"], strict=True)) == [
        ("billing", "billing_question")
    ]
    assert high["share_of_type_transfers"].iloc[0] == pytest.approx(MISROUTE[1], abs=0.05)
    assert high["producer_minutes_per_day"].iloc[0] > 0
    assert "reason code" in found.rule
    result = recapture(fitted, found, replications=3)
    cont = result.containment.set_index("call_type")
    assert cont.loc["billing", "containment_after"] > cont.loc["billing", "containment_before"]
    assert result.after.call_types["new_quote"] == result.before.call_types["new_quote"]
    assert result.hours_recaptured_per_day > 0
    table = result.table.set_index("metric")
    assert table.loc["containment_rate", "change"] > 0
    assert table.loc["producer_busy_hours_per_day", "change"] == pytest.approx(
        -result.hours_recaptured_per_day
    )


def test_no_reason_codes_no_misroutes(export, tmp_path):
    frame = export[0].drop(columns=["reason_code"]).head(400)
    found = misroutes(calibrate(frame))
    assert found.table.empty


def test_calibrate_file_writes_a_loadable_scenario_and_keeps_the_base(export, tmp_path):
    csv_path = tmp_path / "calls.csv"
    csv_path.write_text(export[1], encoding="utf-8")
    out = tmp_path / "my_agency.toml"
    base = SCENARIOS_DIR / "small_agency.toml"
    result = calibrate_file(csv_path, out, name="My agency", base=base, timezone="CT")
    loaded = load_scenario(out)
    assert loaded == result.scenario
    assert loaded.name == "My agency"
    base_sc = load_scenario(base)
    assert loaded.costs == base_sc.costs
    assert loaded.outcomes == base_sc.outcomes
    assert loaded.outbound == base_sc.outbound
    assert loaded.inbound.calls_per_day == pytest.approx(500, rel=0.05)
    with pytest.raises(CalibrationError, match="no such folder"):
        calibrate_file(csv_path, tmp_path / "nowhere" / "x.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text('name = "x"\n', encoding="utf-8")
    with pytest.raises(ScenarioError):
        calibrate_file(csv_path, out, base=broken)


def test_all_human_log_gives_the_all_human_baseline(export):
    frame = export[0]
    human = frame[frame["handled_by"] == "human"]
    cal = calibrate(human)
    assert not cal.scenario.ai.enabled
    assert any("all-human" in note for note in cal.report.notes)


def test_partial_first_and_last_days_count_as_part_days(export):
    """An export cut mid-morning on its first day and mid-afternoon on its last: those days
    count by the share of the day's calls they can hold, so calls per day stays within 10% of
    the truth where dividing by whole days would be well below it."""
    frame = export[0]
    cut = frame.iloc[130:2300]  # about five days of 500 calls, both ends cut mid-day
    cal = calibrate(cut, timezone="CT")
    days = cal.report.tables["daily"]
    naive = len(cut) / len(days)
    assert naive < 0.9 * 500
    assert cal.scenario.inbound.calls_per_day == pytest.approx(500, rel=0.10)
    assert days["share_of_day_covered"].iloc[0] < 0.9
    assert days["share_of_day_covered"].iloc[-1] < 0.9
    assert sum("partial day" in note for note in cal.report.notes) == 2
