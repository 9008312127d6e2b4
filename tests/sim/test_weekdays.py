"""Weekdays in the scenario, and the agency in any IANA time zone.

Checked against truths worked out independently of the engine: each weekday's calls are
Poisson with mean ``calls_per_day × volume`` (4.5-standard-error bands over many days); a closed
day has no calls and no producer time; a week whose every weekday is the default day runs the
same numbers as the plain scenario; a Saturday with c producers and constant arrivals agrees
with Erlang C (:mod:`sim.theory`) on that day's calls; each weekday's roster bounds the
producers answering; the per-weekday table adds up to the run; lead windows convert with the
zone's standard offset worked out by hand; bad keys are named in the messages.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from typer.testing import CliRunner

from sim import Results, ScenarioError, simulate, theory
from sim.cli import app
from sim.kpis import counted_days, counted_days_by_interval
from sim.limits import calls_per_replication
from sim.loader import load_scenario, scenario_from_dict
from sim.paths import shipped_scenarios
from sim.roi import _weeks
from tests.sim.scenario_builders import base, merge

DAY = 1440
NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

WEEK = {
    "hours": {
        "open": "08:00",
        "close": "18:00",
        "weekdays": {
            "mon": {"volume": 1.5},
            "sat": {"open": "09:00", "close": "13:00", "volume": 0.4},
            "sun": {"closed": True},
        },
    },
}


def build(days: int = 14, **sections) -> object:
    data = merge(merge(base(), WEEK), {"days": days, **sections})
    return scenario_from_dict(data, source="<test>")


def weekday_of(calls: pd.DataFrame, first: str = "mon") -> np.ndarray:
    """Each call's weekday, worked out from its day number (calendar days from ``first``)."""
    return (NAMES.index(first) + calls["day"].to_numpy().astype(int)) % 7


# ----------------------------------------------------------------------- calls per weekday


def test_calls_per_weekday_are_poisson_with_the_weekdays_volume():
    scenario = build(days=7 * 30, inbound={"calls_per_day": 40})
    results = simulate(scenario, replications=2, seed=3)
    calls = results.calls
    day = weekday_of(calls)
    volume = {"mon": 1.5, "sat": 0.4, "sun": 0.0}
    for k, name in enumerate(NAMES):
        n_days = 30 * results.replications
        want = 40 * volume.get(name, 1.0) * n_days
        got = int((day == k).sum())
        assert abs(got - want) <= 4.5 * math.sqrt(max(want, 1)), (name, got, want)
    # Saturday's calls arrive only within its own hours, the others' within the default day
    minute = calls["minute_of_day"].to_numpy()
    sat = day == 5
    assert minute[sat].min() >= 9 * 60
    assert minute[sat].max() < 13 * 60
    assert minute[~sat].min() >= 8 * 60
    assert minute[~sat].max() < 18 * 60
    # ... and the per-weekday table says the same per open day
    table = results.by_weekday().set_index("weekday")
    assert "sun" not in table.index
    assert table.loc["sat", "days_counted"] == 30 * results.replications
    sat_sd = math.sqrt(16 * 60) / 60  # Poisson: sd of the mean over 60 Saturdays
    assert abs(table.loc["sat", "calls_per_day"] - 16) <= 4.5 * sat_sd


def test_a_saturday_profile_list_shapes_its_calls():
    """A Saturday of four hours with weights 1, 0, 0, 3: no calls 10:00-12:00, three times as
    many in the last hour as in the first (a binomial split of the two hours' calls)."""
    scenario = build(
        days=7 * 20,
        inbound={"calls_per_day": 100, "interval_minutes": 60},
        hours={"weekdays": {"sat": {"profile": [1, 0, 0, 3]}}},
    )
    calls = simulate(scenario, replications=1, seed=4).calls
    sat = calls[weekday_of(calls) == 5]
    hour = (sat["minute_of_day"].to_numpy() // 60).astype(int)
    assert set(hour) == {9, 12}
    first, last = int((hour == 9).sum()), int((hour == 12).sum())
    assert stats.binomtest(last, first + last, 0.75).pvalue > 1e-4


def test_the_limits_count_calls_with_the_weekday_volumes():
    """Two weeks: Monday 1.5, Tuesday to Friday 1, Saturday 0.4, Sunday closed: 2 × 5.9 days."""
    scenario = build(days=14, inbound={"calls_per_day": 100})
    assert calls_per_replication(scenario) == pytest.approx(100 * 2 * (1.5 + 4 + 0.4))


# ----------------------------------------------------------------------- closed days


def test_a_closed_day_has_no_calls_no_producers_and_no_dials():
    scenario = build(
        days=21,
        transfer={"fallback": "callback", "callback_delay_minutes": 600},
        outbound={"contacts_per_week": 300, "days_per_week": 6},
        destinations=[{"name": "A", "producers": 1, "handle_minutes": {"dist": "fixed",
                                                                        "value": 30}}],
    )  # fmt: skip
    results = simulate(scenario, replications=2, seed=5)
    calls = results.calls
    dialled = calls["arrival"].notna()
    day = weekday_of(calls[dialled])
    assert (day != 6).all()
    # no producer works on a Sunday: no answer, release or callback inside one
    for column in ("answer_at", "callback_at"):
        t = calls[column].dropna().to_numpy()
        assert ((t // DAY) % 7 != 6).all(), column
    sunday = [(d * DAY, (d + 1) * DAY) for d in range(6, 21, 7)]
    from sim.engine.capacity import shift_windows

    for lo, hi in shift_windows(scenario, 0):
        assert all(hi <= s or lo >= e for s, e in sunday)
    # the campaign dials on Saturdays inside Saturday's hours (09:00-13:00), not later
    outbound = calls[dialled & (calls["direction"] == "outbound")]
    sat = outbound[weekday_of(outbound) == 5]["minute_of_day"].to_numpy()
    assert len(sat) > 0
    assert sat.min() >= 9 * 60
    assert sat.max() < 13 * 60
    # the producer's rostered time is the open hours only: 3 weeks × (5 × 10 h + 4 h)
    assert results.groups["rostered_minutes"].iloc[0] == 3 * (5 * 600 + 240)


def test_days_and_weeks_count_open_days():
    scenario = build(days=14)  # two weeks of six open days
    assert scenario.hours.days_per_week == 6
    assert _weeks(scenario) == 2.0
    assert counted_days(scenario) == 12
    per_interval = counted_days_by_interval(scenario, 60)
    assert per_interval[8] == 12
    assert per_interval[3] == 12
    warm = build(days=14, warmup_minutes=DAY + 360)  # Monday and a quarter of Tuesday
    assert counted_days(warm) == pytest.approx(12 - 1.25)


# ----------------------------------------------------------------------- same as before


def _plain(**extra):
    return scenario_from_dict(merge(base(), {"days": 7, **extra}), source="<test>")


def test_without_weekdays_first_weekday_only_labels_the_days():
    a = simulate(_plain(), replications=2, seed=8)
    b = simulate(_plain(hours={"first_weekday": "wed"}), replications=2, seed=8)
    pd.testing.assert_frame_equal(a.kpis, b.kpis)
    assert list(a.by_weekday()["weekday"]) == ["mon", "tue", "wed", "thu", "fri"]
    # open days of five-day weeks from Wednesday: Wednesday to Sunday
    assert list(b.by_weekday()["weekday"]) == ["wed", "thu", "fri", "sat", "sun"]


def test_a_week_of_default_days_runs_the_plain_scenarios_numbers():
    """Every weekday listed with the default day's values: the same draws, the same calls."""
    same = {name: {"volume": 1.0} for name in NAMES}
    roster = {"interval_minutes": 60, "producers": [2, 3, 4, 4, 3, 3, 4, 4, 3, 2]}
    group = {"name": "A", "producers": 3, "handle_minutes": {"dist": "exponential", "mean": 9},
             "roster": roster}  # fmt: skip
    extra = {"destinations": [group], "transfer": {"patience_minutes":
             {"dist": "exponential", "mean": 3}, "fallback": "callback"}}  # fmt: skip
    plain = _plain(hours={"days_per_week": 7}, **extra)
    weekly = _plain(hours={"weekdays": same}, **extra)
    assert weekly.hours.days_per_week == 7
    a, b = simulate(plain, replications=3, seed=2), simulate(weekly, replications=3, seed=2)
    pd.testing.assert_frame_equal(a.calls, b.calls)
    pd.testing.assert_frame_equal(a.kpis, b.kpis)
    pd.testing.assert_frame_equal(a.by_interval(), b.by_interval())


# ----------------------------------------------------------------------- theory


def test_a_saturday_with_c_producers_matches_erlang_c():
    """Saturday alone open all day (Friday and Sunday closed, so it starts empty), 1.5 calls a
    minute, exponential handle time of 3 minutes, 6 producers on its roster: M/M/6 at load 4.5.
    The weekdays keep 20 producers at a tenth of the calls. Theory must lie in the 99% interval
    of the replications' Saturday figures."""
    lam, aht, c = 1.5, 3.0, 6
    scenario = scenario_from_dict(
        {
            "name": "Saturday queue",
            "days": 7 * 3,
            "service_level_seconds": 20,
            "hours": {"open": "00:00", "close": "24:00", "weekdays": {
                "fri": {"closed": True}, "sun": {"closed": True},
                "sat": {"volume": 1.0}, **{d: {"volume": 0.1} for d in NAMES[:4]}}},
            "inbound": {"calls_per_day": lam * DAY, "profile": "flat"},
            "destinations": [{
                "name": "Producers", "producers": 20,
                "handle_minutes": {"dist": "exponential", "mean": aht}, "ring_seconds": 0,
                "roster": {"interval_minutes": 60, "producers": [20] * 24,
                           "weekdays": {"sat": [c] * 24}}}],
            "transfer": {"failure_rate": 0.0, "fallback": "drop"},
        },
        source="<test>",
    )  # fmt: skip
    results = simulate(scenario, replications=10, seed=11)
    rows = []
    for r in range(results.replications):
        one = Results(scenario, results.seed, results.calls[results.calls["replication"] == r],
                      results.kpis.iloc[[r]], results.groups)  # fmt: skip
        rows.append(one.by_weekday().set_index("weekday").loc["sat"])
    table = pd.DataFrame(rows)
    want = theory.erlang_c_metrics(lam, aht, c, answer_within_minutes=20 / 60)
    expected = {
        "p_wait": want.p_wait,
        "mean_wait_minutes": want.mean_wait,
        "service_level": want.service_level,
        "producer_occupancy": want.occupancy,
    }
    for kpi, value in expected.items():
        x = table[kpi].to_numpy(float)
        half = stats.t.ppf(0.995, len(x) - 1) * x.std(ddof=1) / math.sqrt(len(x))
        assert abs(x.mean() - value) <= half, (kpi, x.mean(), value, half)
    # the Saturday roster is what was paid: 6 producers × 24 h × 3 Saturdays × 10 replications
    assert table["rostered_minutes"].sum() == c * DAY * 3 * 10


# ----------------------------------------------------------------------- rosters


def test_each_weekday_roster_bounds_the_producers_answering():
    """At every answer, the producers busy (this call included) never exceed that weekday's
    roster count at that moment (``producers`` from the closing minute on, as documented):
    counted from the call table, not from the engine's state."""
    roster = {
        "interval_minutes": 60,
        "producers": [2, 2, 3, 3, 2, 2, 3, 3, 2, 1],
        "weekdays": {"mon": [4, 4, 5, 5, 4, 4, 5, 5, 4, 3], "sat": [1, 2, 2, 1]},
    }
    scenario = build(
        days=14, inbound={"calls_per_day": 160},
        destinations=[{"name": "A", "producers": 9, "roster": roster,
                       "handle_minutes": {"dist": "exponential", "mean": 8}}],
        transfer={"patience_minutes": {"dist": "exponential", "mean": 4}},
    )  # fmt: skip
    results = simulate(scenario, replications=2, seed=6)
    for r, calls in results.calls.groupby("replication"):
        live = calls.dropna(subset=["answer_at"])
        start = np.sort(live["answer_at"].to_numpy(float))
        end = np.sort(live["release_at"].to_numpy(float))
        busy = np.searchsorted(start, start, side="right") - np.searchsorted(end, start, "right")
        day, minute = start // DAY, start % DAY
        for t, n, d, m in zip(start, busy, day, minute, strict=True):
            name = NAMES[int(d) % 7]
            opens = 9 * 60 if name == "sat" else 8 * 60
            counts = roster["weekdays"].get(name, roster["producers"])
            k = int((m - opens) // 60)
            assert n <= (counts[k] if k < len(counts) else 9), (r, t, name)
    table = results.by_weekday().set_index("weekday")
    hand = {"mon": sum(roster["weekdays"]["mon"]), "sat": 6, "tue": sum(roster["producers"])}
    for name, hours in hand.items():
        assert table.loc[name, "rostered_minutes"] == hours * 60 * 2 * 2
    assert (table["busy_minutes"] <= table["rostered_minutes"]).all()


def test_the_weekday_table_adds_up_to_the_run():
    results = simulate(load_scenario(shipped_scenarios()["weekend_desk"]), replications=2)
    table = results.by_weekday()
    assert list(table["weekday"]) == ["mon", "tue", "wed", "thu", "fri", "sat"]
    for column in ("calls", "offered"):
        assert table[column].sum() == results.kpis[column].sum()
    busy = results.groups["busy_minutes"].sum()
    assert table["busy_minutes"].sum() == pytest.approx(busy)
    assert table["rostered_minutes"].sum() == pytest.approx(
        results.groups["rostered_minutes"].sum()
    )
    assert table["days_counted"].sum() == counted_days(results.scenario, 2)


# ----------------------------------------------------------------------- time zones


def _leads(zone: str, **hours) -> pd.DataFrame:
    scenario = scenario_from_dict(
        merge(base(), {
            "days": 2, "hours": {"timezone": zone, **hours},
            "outbound": {"contacts_per_week": 2000, "days_per_week": 2, "consent_rate": 1,
                         "dnc_rate": 0, "answer_rate": 1, "lead_timezones": {"ET": 1.0},
                         "window": {"start": "09:00", "end": "20:00"}},
        }),
        source="<test>",
    )  # fmt: skip
    calls = simulate(scenario, replications=1, seed=1).calls
    return calls[calls["direction"] == "outbound"]


def test_lead_windows_convert_with_the_agencys_standard_offset():
    """ET leads, 09:00-20:00 their time. London (UTC+0 standard) sees that as 14:00-01:00, so
    within its 08:00-18:00 the leads are dialled 14:00-18:00; Kolkata (UTC+5:30) as
    19:30-06:30, outside its day: every lead outside the window; America/New_York is ET."""
    london = _leads("Europe/London")
    minute = london["minute_of_day"].dropna().to_numpy()
    assert len(minute) > 1000
    assert minute.min() >= 14 * 60
    assert minute.max() < 18 * 60
    assert minute.min() < 14 * 60 + 5
    assert minute.max() > 18 * 60 - 5
    kolkata = _leads("Asia/Kolkata")
    assert (kolkata["outcome"] == "outside_window").all()
    pd.testing.assert_frame_equal(_leads("America/New_York"), _leads("ET"))


@pytest.mark.parametrize(
    ("zone", "stored"),
    [("europe/london", "Europe/London"), ("ct", "CT"), ("UTC", "UTC"),
     ("Australia/Sydney", "Australia/Sydney")],
)  # fmt: skip
def test_any_iana_zone_is_kept_as_the_database_spells_it(zone, stored):
    scenario = scenario_from_dict(merge(base(), {"hours": {"timezone": zone}}), source="<t>")
    assert scenario.hours.timezone == stored
    standard = {"Europe/London": 0, "CT": -6, "UTC": 0, "Australia/Sydney": 10}
    assert scenario.hours.utc_offset_hours == standard[stored]


# ----------------------------------------------------------------------- messages


@pytest.mark.parametrize(
    ("extra", "key", "words"),
    [
        ({"hours": {"timezone": "Europe/Londn"}}, "hours.timezone",
         "did you mean Europe/London?"),
        ({"hours": {"weekdays": {"saturday": {"closed": True}}}}, "hours.weekdays.saturday",
         "weekdays are mon, tue, wed, thu, fri, sat, sun"),
        ({"hours": {"weekdays": {"sat": {"close": "07:00"}}}}, "hours.weekdays.sat.close",
         "must be before its closing time 07:00"),
        ({"hours": {"weekdays": {"sun": {"closed": True, "volume": 0.5}}}},
         "hours.weekdays.sun.volume", "a closed weekday takes no other keys"),
        ({"hours": {"days_per_week": 5, "weekdays": {"sun": {"closed": True}}}},
         "hours.days_per_week", "leaves 6 open weekdays"),
        ({"hours": {"weekdays": {d: {"closed": True} for d in NAMES}}}, "hours.weekdays",
         "every weekday is closed"),
        ({"hours": {"weekdays": {"sat": {"profile": [1, 2]}}}}, "hours.weekdays.sat.profile",
         "2 weights given, but sat's hours 08:00–18:00 in 30-minute intervals need 20"),
        ({"inbound": {"profile": [1] * 20},
          "hours": {"weekdays": {"sat": {"close": "12:00"}}}}, "hours.weekdays.sat.profile",
         "need their own list of 8 weights"),
        ({"destinations": [{"name": "A", "producers": 1, "roster": {
            "interval_minutes": 60, "producers": [1] * 10, "weekdays": {"sat": [1]}}}]},
         "destinations.0.roster.weekdays", "need [hours.weekdays]"),
        ({"hours": {"weekdays": {"sat": {"close": "12:00"}}},
          "destinations": [{"name": "A", "producers": 1, "roster": {
              "interval_minutes": 60, "producers": [1] * 10}}]},
         "destinations.0.roster.weekdays.sat", "that day's 4 counts"),
        ({"hours": {"weekdays": {"sun": {"closed": True}}},
          "destinations": [{"name": "A", "producers": 1, "roster": {
              "interval_minutes": 60, "producers": [1] * 10, "weekdays": {"mon": [1] * 3}}}]},
         "destinations.0.roster.weekdays.mon", "3 counts given"),
        ({"hours": {"weekdays": {"sat": {"closed": True}, "sun": {"closed": True},
                                 "fri": {"closed": True}}},
          "outbound": {"contacts_per_week": 10, "days_per_week": 5}},
         "outbound.days_per_week", "open 4 weekdays"),
    ],
)  # fmt: skip
def test_bad_weekday_and_zone_keys_are_named(extra, key, words):
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(merge(base(), extra), source="s.toml")
    message = str(info.value)
    assert f"s.toml: {key}: " in message
    assert words in message


def test_validate_and_simulate_run_the_shipped_weekday_scenario(tmp_path):
    runner = CliRunner()
    assert runner.invoke(app, ["validate", "weekend_desk"]).exit_code == 0
    result = runner.invoke(app, ["simulate", "weekend_desk", "-r", "2", "--json"])
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'name = "x"\n[inbound]\ncalls_per_day = 5\n[[destinations]]\nname = "A"\n'
        'producers = 1\n[hours.weekdays.sat]\nclose = "07:00"\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(bad)])
    assert result.exit_code == 2
    assert "hours.weekdays.sat.close" in result.output
    assert "Traceback" not in result.output
