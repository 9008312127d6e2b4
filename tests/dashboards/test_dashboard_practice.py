"""The practice pages: a role-play call flags re-asks, needs a reason code, lands in the store;
the trainer's views read the store. Every test has its own SQLite file (``practice_db``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import roleplay
from dashboards import practice_charts

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
TIMEOUT = 60

START = "FormSubmitter:rp_start-Take the call"


def _open(producer: str = "Dana Lee", trigger: str = "qualified_interest", seed: int = 1):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.switch_page("views/practice.py").run()
    assert not at.exception
    at.text_input(key="rp.producer").input(producer)
    at.selectbox(key="rp.trigger").set_value(trigger)
    at.number_input(key="rp.seed").set_value(seed)
    at.button(key=START).click().run()
    assert not at.exception
    return at


def _say(at: AppTest, text: str) -> None:
    at.chat_input(key="rp.input").set_value(text).run()
    assert not at.exception


def _first_name(at: AppTest) -> str:
    return at.session_state["rp.session"].persona.first_name


def _flags(at: AppTest) -> list[str]:
    return [e.value for e in at.error if e.value.startswith("**Re-ask")]


def test_setup_needs_a_name(app):
    app.switch_page("views/practice.py").run()
    assert [t.value for t in app.title] == ["Role-play"]
    app.button(key=START).click().run()
    assert not app.exception
    assert any("Producer name is empty" in e.value for e in app.error)
    assert app.session_state["rp.session"] is None


def test_packet_and_whisper_beside_the_chat():
    at = _open()
    session = at.session_state["rp.session"]
    assert any(session.whisper in i.value for i in at.info)
    packet_table = at.dataframe[0].value
    assert list(packet_table["value"]) == list(session.packet.captured.values())
    assert [m.name for m in at.chat_message] == ["caller"]  # the caller opens
    assert at.button(key="rp.end").disabled  # no reason code yet


def test_reask_is_flagged_as_it_happens_and_the_call_is_scored(practice_db):
    at = _open()
    _say(at, f"Hi {_first_name(at)}, this is Dana, a licensed agent.")
    assert not _flags(at)
    _say(at, "What is your phone number?")
    flags = _flags(at)
    assert len(flags) == 1
    assert "Contact number" in flags[0]
    assert "What is your phone number" in flags[0]
    assert [t.value for t in at.toast] == ["Re-ask flagged: Contact number"]
    assert [m.name for m in at.chat_message] == ["caller", "producer", "caller", "producer",
                                                 "caller"]
    # A reason code must be chosen to end the call.
    assert at.button(key="rp.end").disabled
    at.selectbox(key="rp.disposition").set_value("new_business").run()
    assert not at.button(key="rp.end").disabled
    at.button(key="rp.end").click().run()
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert labels["Repeat-explains"] == "1"
    assert labels["Result"] in ("PASS", "FAIL")
    turns = at.dataframe[-1].value
    assert list(turns["re-asked"]) == ["", "Contact number"]
    # Saved to the store.
    store = roleplay.Store(practice_db)
    try:
        sessions = store.sessions_frame()
        assert list(sessions["status"]) == ["scored"]
        assert list(sessions["producer"]) == ["Dana Lee"]
        assert sessions["repeat_explain_count"].iloc[0] == 1
        turns = store.turns(sessions["session_id"].iloc[0])
        assert [t["repeat_explains"] for t in turns if t["speaker"] == "producer"] == [
            [], ["contact_number"],
        ]  # fmt: skip
    finally:
        store.close()


def test_read_back_is_good_practice():
    at = _open()
    number = at.session_state["rp.session"].packet.captured["contact_number"]
    _say(at, f"I have you at {number}, is that still the best number?")
    assert not _flags(at)
    assert any("Read-back of Contact number" in s.value for s in at.success)


def test_third_reask_hangs_up():
    at = _open()
    for question in ("What's your name?", "What is your phone number?",
                     "And what is the reason for your call?"):
        _say(at, question)
    assert at.session_state["rp.session"].ended
    assert any("hung up" in e.value for e in at.error)
    assert at.chat_input(key="rp.input").proto.disabled
    at.selectbox(key="rp.disposition").set_value("new_business").run()
    at.button(key="rp.end").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Result"] == "FAIL"


def test_two_producers_do_not_share_a_call(practice_db):
    first = _open("Dana Lee", "qualified_interest", 1)
    second = _open("Sam Ortiz", "human_request", 2)
    _say(first, "What is your phone number?")
    assert len(second.session_state["rp.session"].transcript) == 1
    assert second.session_state["rp.session"].producer == "Sam Ortiz"
    assert not _flags(second)
    store = roleplay.Store(practice_db)
    try:
        assert store.producers() == ["Dana Lee", "Sam Ortiz"]
    finally:
        store.close()


def test_hang_up_without_scoring_leaves_an_abandoned_session(practice_db):
    at = _open()
    _say(at, "Hello!")
    at.button(key="rp.leave").click().run()
    assert not at.exception
    assert at.session_state["rp.session"] is None
    store = roleplay.Store(practice_db)
    try:
        assert list(store.sessions_frame()["status"]) == ["abandoned"]
    finally:
        store.close()


# --- Trainer -----------------------------------------------------------------------------------


def _practise(url: str, producer: str, trigger: str, seed: int, lines: list[str], code: str):
    store = roleplay.Store(url)
    try:
        session = roleplay.Session.start(trigger, seed=seed, producer=producer, store=store)
        for line in lines:
            session.say(line.format(name=session.persona.first_name))
        return session.end(code)
    finally:
        store.close()


@pytest.fixture
def records(practice_db):
    _practise(practice_db, "Dana Lee", "qualified_interest", 1,
              ["Hi {name}, this is Dana, a licensed agent.", "What is your phone number?"],
              "new_business")
    _practise(practice_db, "Dana Lee", "complex_pricing", 2,
              ["Hi {name}, I'm Dana, a licensed agent."], "pricing_question")
    _practise(practice_db, "Sam Ortiz", "human_request", 3, ["What's your name?"],
              "escalation_request")
    return practice_db


def test_trainer_without_records(app):
    app.switch_page("views/trainer.py").run()
    assert not app.exception
    assert any("No practice records yet" in i.value for i in app.info)


def test_trainer_views(app, records):
    app.switch_page("views/trainer.py").run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Trainer"]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Producers"] == "2"
    assert metrics["Scored sessions"] == "3"
    status = app.dataframe[0].value
    assert list(status["producer"]) == ["Dana Lee", "Sam Ortiz"]
    assert not status["ready"].any()
    assert len(app.get("plotly_chart")) == 2  # heat-map and trend
    assert app.get("download_button")[0].label == "Download scorecards (CSV)"
    app.selectbox(key="trainer.producer").set_value("Sam Ortiz").run()
    assert not app.exception
    assert {m.label: m.value for m in app.metric}["Scored sessions"] == "1"


def test_trainer_rate_feeds_the_scenario(app, records):
    app.switch_page("views/trainer.py").run()
    store = roleplay.Store(records)
    try:
        rates = roleplay.repeat_explain_rates(store)
    finally:
        store.close()
    app.button(key="trainer.use_rate").click().run()
    assert not app.exception
    scenario = app.session_state["scenario"]
    assert scenario.outcomes.repeat_explain_rate == pytest.approx(rates.group_rate, abs=1e-4)


def test_reask_heatmap_counts_every_reask(records):
    store = roleplay.Store(records)
    try:
        table = roleplay.reasks_by_field_trigger(store)
    finally:
        store.close()
    fig = practice_charts.reask_heatmap(table)
    assert fig.data[0].z.sum() == table.to_numpy().sum() == 2
    assert "Contact number" in fig.data[0].y


def test_trend_figure_marks_failures():
    trend = pd.DataFrame({
        "producer": ["A", "A"], "session_number": [1, 2], "score": [60.0, 90.0],
        "rolling_score": [60.0, 75.0], "passed": [False, True], "trigger": ["x", "y"],
        "repeat_explain_count": [1, 0],
    })  # fmt: skip
    fig = practice_charts.trend_figure(trend)
    assert list(fig.data[1].marker.symbol) == ["x", "circle"]
