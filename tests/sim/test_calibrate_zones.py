"""Calibration in the agency's own time zone (any IANA name, or the lab's US abbreviations),
and the AI talk time fitted at the sample mean with the fitted shape."""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from sim.calibrate import CalibrationError, calibrate, calibrate_file, fit_duration
from sim.calllog import read_call_log, resolve_zone, scenario_zone, synthetic_log
from sim.loader import load_scenario
from sim.scenario import Hours

TRUTH = Path(__file__).parent / "data" / "calibration_truth.toml"
TIME_COLUMNS = ("started_at", "transferred_at", "answered_at", "ended_at")


def _scenario_takes_iana() -> bool:
    try:
        Hours(timezone="Europe/London")  # type: ignore[arg-type]
    except ValidationError:
        return False
    return True


IANA_IN_SCENARIOS = _scenario_takes_iana()


@pytest.fixture(scope="module")
def lab():
    truth = load_scenario(TRUTH).model_copy(update={"days": 4})
    return synthetic_log(truth, seed=9)


@pytest.fixture(scope="module")
def naive_csv(lab):
    """The log with its times as naive local clock text (the agency's wall clock)."""
    frame = lab.copy()
    for col in TIME_COLUMNS:
        frame[col] = frame[col].str.slice(0, 19)
    return frame.to_csv(index=False)


@pytest.fixture(scope="module")
def central(naive_csv):
    return calibrate(read_call_log(io.StringIO(naive_csv), timezone="CT"), name="zones")


@pytest.mark.parametrize(
    ("given", "iana", "in_scenario"),
    [("CT", "America/Chicago", "CT"), ("ct", "America/Chicago", "CT"),
     ("America/Chicago", "America/Chicago", "CT"), ("HT", "Pacific/Honolulu", "HT"),
     ("Europe/London", "Europe/London", "Europe/London"),
     ("europe/london", "Europe/London", "Europe/London"),
     ("Asia/Kolkata", "Asia/Kolkata", "Asia/Kolkata"), ("UTC", "UTC", "UTC")],
)  # fmt: skip
def test_any_iana_zone_or_us_abbreviation_resolves(given, iana, in_scenario):
    assert resolve_zone(given) == iana
    assert scenario_zone(given) == in_scenario


@pytest.mark.parametrize(
    ("given", "hint"), [("Mars/Olympus", ""), ("Europe/Londn", "did you mean Europe/London?")]
)
def test_an_unknown_zone_names_the_option_and_an_example(given, hint):
    with pytest.raises(CalibrationError) as info:
        read_call_log(io.StringIO("started_at\n2024-03-04 09:00\n"), timezone=given)
    message = str(info.value)
    assert message.startswith(f"--timezone {given!r}: unknown time zone")
    assert "e.g. --timezone Europe/London" in message
    assert "ET, CT, MT, PT, AKT, HT" in message
    assert hint in message


def test_times_are_read_in_the_zone_with_its_own_daylight_saving():
    """UTC times become London clock time (GMT in January, BST in July); a wait across the
    UK clock change (01:00 → 02:00 on 31 March 2024) is measured in real minutes."""
    text = (
        "started_at,transferred_at,answered_at,outcome\n"
        "2024-01-15T12:00:00Z,,,contained\n"
        "2024-07-01T12:00:00Z,,,contained\n"
        "2024-03-31 00:50:00,2024-03-31 00:55:00,2024-03-31 02:05:00,connected\n"
    )
    log = read_call_log(io.StringIO(text), timezone="Europe/London")
    assert log.timezone == "Europe/London"
    assert log.frame["started_at"].dt.hour.tolist() == [12, 13, 0]
    assert log.frame["wait_minutes"].iloc[2] == pytest.approx(10.0)


def test_a_london_log_fits_london_hours(naive_csv, central):
    """The same wall clock read in London fits the same hours, profile and volume as in
    Chicago: the zone is honoured, not replaced."""
    london = calibrate(read_call_log(io.StringIO(naive_csv), timezone="Europe/London"),
                       name="zones")  # fmt: skip
    a, b = london.scenario, central.scenario
    assert (a.hours.open, a.hours.close) == (b.hours.open, b.hours.close) == ("08:00", "18:00")
    assert a.inbound == b.inbound
    assert a.call_types == b.call_types
    assert london.log.timezone == "Europe/London"


@pytest.mark.skipif(not IANA_IN_SCENARIOS, reason="sim/scenario.py holds only US zones yet")
def test_the_fitted_scenario_names_the_iana_zone(naive_csv):
    london = calibrate(read_call_log(io.StringIO(naive_csv), timezone="Europe/London"))
    assert london.scenario.hours.timezone == "Europe/London"
    assert not any("hours.timezone" in note for note in london.report.notes)


@pytest.mark.skipif(IANA_IN_SCENARIOS, reason="the scenario holds IANA zones")
@pytest.mark.parametrize(("zone", "kept"), [("Europe/London", "ET"), ("America/Phoenix", "MT")])
def test_a_us_only_scenario_says_what_it_kept(naive_csv, zone, kept):
    """A scenario that holds only US zones gets the US zone of the same standard time (or
    keeps its own), and a note says the hours are in the given zone's local time."""
    cal = calibrate(read_call_log(io.StringIO(naive_csv), timezone=zone))
    assert cal.scenario.hours.timezone == kept
    notes = [n for n in cal.report.notes if "hours.timezone" in n]
    assert len(notes) == 1
    assert f"Hours and the profile are in {zone} local time" in notes[0]
    assert not any("No agency time zone given" in n for n in cal.report.notes)


def test_us_zones_still_give_their_abbreviation(naive_csv, central, tmp_path):
    assert central.scenario.hours.timezone == "CT"
    path = tmp_path / "calls.csv"
    path.write_text(naive_csv, encoding="utf-8")
    cal = calibrate_file(path, timezone="America/Chicago", name="zones")
    same = {"description"}  # names the source file
    assert cal.scenario.model_dump(exclude=same) == central.scenario.model_dump(exclude=same)
    with pytest.raises(CalibrationError, match="--timezone 'Mars/Olympus'"):
        calibrate_file(path, timezone="Mars/Olympus")


# --- The AI talk time: the sample mean, the fitted shape. ---


def test_talk_time_is_the_sample_mean_with_the_fitted_lognormal_shape():
    """Hand-computed: values 1, 2, 4, 8 (logs 0, 1, 2, 3 × ln 2). The lognormal MLE has
    s² = 1.25 (ln 2)² (population variance of the logs) and mean exp(1.5 ln 2 + s²/2) ≈ 3.8191;
    the sample mean is 3.75. Scaled to it, the shape (cv = √(e^{s²} − 1)) is kept: sd =
    3.75 · cv ≈ 3.4023; the standard error is the sample's, sd(ddof=1) / √4."""
    values = np.array([1.0, 2.0, 4.0, 8.0])
    s2 = 1.25 * math.log(2) ** 2
    mle_mean = math.exp(1.5 * math.log(2) + s2 / 2)
    cv = math.sqrt(math.expm1(s2))
    fit = fit_duration(values)
    assert fit.family == "lognormal"
    assert fit.mean == pytest.approx(mle_mean)
    assert fit.mean == pytest.approx(3.8191, abs=1e-4)
    scaled = fit_duration(values, mean="sample")
    assert scaled.family == "lognormal"
    assert scaled.mean == pytest.approx(3.75)
    assert scaled.sd == pytest.approx(3.75 * cv)
    assert scaled.sd == pytest.approx(3.4023, abs=1e-4)
    assert scaled.sd / scaled.mean == pytest.approx(fit.sd / fit.mean)  # the same shape
    assert scaled.se == pytest.approx(values.std(ddof=1) / 2)
    assert scaled.dist == {"dist": "lognormal", "mean": 3.75, "sd": 3.4023}


def test_a_gamma_talk_time_keeps_its_shape_too():
    values = np.random.default_rng(2).gamma(4.0, 0.75, 2000)
    fit, scaled = fit_duration(values), fit_duration(values, mean="sample")
    assert scaled.family == fit.family == "gamma"
    assert scaled.mean == pytest.approx(values.mean())
    assert scaled.sd / scaled.mean == pytest.approx(fit.sd / fit.mean)


def test_the_calibrated_talk_time_is_the_logs_mean(central):
    frame = central.log.frame
    talk = frame.loc[frame["handled_by"] == "ai", "ai_minutes"].dropna()
    assert central.scenario.ai.talk_minutes.mean == round(talk.mean(), 4)
    row = central.report.parameters.set_index("key").loc["ai.talk_minutes.mean"]
    assert row.estimate == pytest.approx(talk.mean())
    assert row.se == pytest.approx(talk.std(ddof=1) / math.sqrt(len(talk)))
    assert "scaled to the sample mean" in row.method
    table = central.report.tables["durations"].set_index("what")
    assert table.loc["AI talk", "mean"] == pytest.approx(talk.mean())
