"""Trainer views, certification and the simulator's repeat-explain rates, against hand counts."""

from __future__ import annotations

import pandas as pd
import pytest

from roleplay import (
    Session,
    UnknownProducerError,
    certification_status,
    export_csv,
    reasks_by_field_trigger,
    repeat_explain_rates,
    scorecards,
    trend,
)
from roleplay.trainer import certification_progress, producer_summary


def practise(store, producer, trigger, seed, lines, good=False):
    s = Session.start(trigger, seed=seed, producer=producer, store=store, difficulty="easy")
    for line in lines(s) if callable(lines) else lines:
        s.say(line)
    return s.end(s.persona.real_need)


@pytest.fixture
def records(store, good_lines):
    """Ana: three passes over three triggers. Ben: three passes over two triggers plus a fail
    with two re-asks. Cy: two passes."""
    practise(store, "Ana", "complex_pricing", 1, good_lines)
    practise(store, "Ana", "coverage_mismatch", 2, good_lines)
    practise(store, "Ana", "human_request", 3, good_lines)
    practise(store, "Ben", "complex_pricing", 4, good_lines)
    practise(store, "Ben", "complex_pricing", 5, good_lines)
    practise(store, "Ben", "qualified_interest", 6, good_lines)
    practise(
        store,
        "Ben",
        "qualified_interest",
        7,
        ["What's your phone number?", "How did you hear about us?"],
    )
    practise(store, "Cy", "human_request", 8, good_lines)
    practise(store, "Cy", "coverage_mismatch", 9, good_lines)
    return store


def test_certification_needs_three_passes_over_three_triggers(records):
    cert = certification_status(records).set_index("producer")
    assert cert.loc["Ana", "ready"]
    assert not cert.loc["Ben", "ready"]
    assert cert.loc["Ben", "passing_sessions"] == 3
    assert cert.loc["Ben", "n_passing_triggers"] == 2
    assert cert.loc["Ben", "missing"] == "1 more trigger type(s)"
    assert not cert.loc["Cy", "ready"]
    assert cert.loc["Cy", "missing"] == "1 more passing session(s); 1 more trigger type(s)"


def test_scorecards_and_summary(records):
    ben = scorecards(records, "Ben")
    assert list(ben["trigger"]) == [
        "complex_pricing",
        "complex_pricing",
        "qualified_interest",
        "qualified_interest",
    ]
    assert list(ben["passed"]) == [True, True, True, False]
    assert list(ben["repeat_explain_count"]) == [0, 0, 0, 2]
    summary = producer_summary(records).set_index("producer")
    assert summary.loc["Ben", "sessions"] == 4
    assert summary.loc["Ben", "repeat_explains_per_session"] == 0.5
    with pytest.raises(UnknownProducerError, match="Ana, Ben, Cy"):
        scorecards(records, "Zed")


def test_reasks_by_field_and_trigger(records):
    table = reasks_by_field_trigger(records)
    assert table.loc["contact_number", "qualified_interest"] == 1
    assert table.loc["referral_source", "qualified_interest"] == 1
    assert int(table.to_numpy().sum()) == 2


def test_trend_numbers_sessions_per_producer(records):
    df = trend(records, "Ben")
    assert list(df["session_number"]) == [1, 2, 3, 4]
    last = df.iloc[-1]
    expected = df["score"].iloc[1:4].mean()
    assert last["rolling_score"] == pytest.approx(expected)


def test_repeat_explain_rates_feed_the_simulator(records):
    rates = repeat_explain_rates(records)
    assert rates.per_producer == {"Ana": 0.0, "Ben": 0.25, "Cy": 0.0}
    assert rates.sessions == {"Ana": 3, "Ben": 4, "Cy": 2}
    assert rates.group_rate == pytest.approx(0.25 / 3)
    assert rates.pooled_rate == pytest.approx(1 / 9)
    patch = rates.scenario_overrides()
    assert patch == {"outcomes": {"repeat_explain_rate": round(0.25 / 3, 4)}}
    assert 0 <= patch["outcomes"]["repeat_explain_rate"] <= 1


def test_rates_without_records(store):
    rates = repeat_explain_rates(store)
    assert rates.group_rate is None
    assert rates.scenario_overrides() == {}


def test_csv_export_round_trip(records, tmp_path):
    path = export_csv(records, tmp_path / "out" / "cards.csv")
    back = pd.read_csv(path)
    assert len(back) == 9
    assert set(back["producer"]) == {"Ana", "Ben", "Cy"}
    cert = pd.read_csv(export_csv(records, tmp_path / "cert.csv", view="certification"))
    assert cert.set_index("producer").loc["Ana", "ready"]
    with pytest.raises(ValueError, match="certification"):
        export_csv(records, tmp_path / "x.csv", view="nope")


def test_certification_progress_in_words(records):
    cert = certification_status(records).set_index("producer")
    assert cert.loc["Ana", "progress"] == "3 of 3 passing calls, 3 of 3 triggers"
    assert cert.loc["Ben", "progress"] == "3 of 3 passing calls, 2 of 3 triggers"
    assert cert.loc["Cy", "progress"] == "2 of 3 passing calls, 2 of 3 triggers"
    only_ben = certification_status(records, producer="Ben")
    assert list(only_ben["producer"]) == ["Ben"]
    ben = certification_progress(records, "Ben")
    assert (ben.sessions, ben.passing_sessions, ben.ready) == (4, 3, False)
    assert ben.passing_triggers == ("complex_pricing", "qualified_interest")


def test_reasks_for_one_producer(records):
    assert int(reasks_by_field_trigger(records, "Ana").to_numpy().sum()) == 0
    ben = reasks_by_field_trigger(records, "Ben")
    assert ben.loc["contact_number", "qualified_interest"] == 1
    assert int(ben.to_numpy().sum()) == 2
    with pytest.raises(UnknownProducerError):
        reasks_by_field_trigger(records, "Zed")
