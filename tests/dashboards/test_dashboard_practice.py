"""The practice pages: a role-play call flags re-asks, needs a reason code, lands in the store
and shows an honest scorecard (parts adding up, certification progress, "ready for live
transfers" only after three passing calls over three triggers); the trainer's views read the
store. Every test has its own SQLite file (``practice_db``)."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import roleplay
from dashboards import practice_charts
from dashboards.common import plain
from roleplay.disposition import REASON_LABELS
from roleplay.fields import LABELS

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


READY = re.compile(r"ready for live transfers", re.I)


def _texts(at: AppTest, metric_labels: bool = True) -> list[str]:
    """Every piece of text the page shows outside tables (metrics with their deltas)."""
    out = [e.value for kind in ("markdown", "caption", "info", "success", "error", "warning")
           for e in getattr(at, kind)]  # fmt: skip
    out += [f"{m.label if metric_labels else ''} {m.value} {m.proto.delta}" for m in at.metric]
    return out


def good_lines(session: roleplay.Session) -> list[str]:
    """A hand-off that does every checklist item without re-asking anything."""
    p = session.persona
    return [
        f"Hi {p.first_name}, this is Dana, a licensed agent with Harbor.",
        "I understand you're calling because you "
        + p.value("reason_for_call").removeprefix("asked for a person ")
        + ", did I get that right?",
        f"I can help with that: the {p.need_keywords[0]} question is something I can sort out "
        "for you now.",
        "I will email you a written summary today and call you tomorrow to confirm.",
        "Is there anything else you'd like to add?",
    ]


def _end(at: AppTest, code: str) -> None:
    at.selectbox(key="rp.disposition").set_value(code).run()
    at.button(key="rp.end").click().run()
    assert not at.exception


def _parts(at: AppTest) -> pd.DataFrame:
    frames = [d.value for d in at.dataframe if list(d.value.columns)[:2] == ["Part", "Points"]]
    assert len(frames) == 1
    return frames[0]


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
    intent = session.packet.detected_intent  # named in words, not by its code
    whisper = session.whisper.replace(intent, REASON_LABELS[intent])
    assert any(plain(whisper) in i.value for i in at.info)  # shown as plain text
    packet_table = at.table[0].value  # a static table: long values wrap
    shown = dict(zip(packet_table["Field"], packet_table["What the AI has"], strict=True))
    assert len(shown) == len(roleplay.FIELDS)
    for field, value in session.packet.captured.items():
        assert shown[LABELS.get(field, field)] == value
    for field in session.packet.missing:
        assert shown[LABELS.get(field, field)] == "not captured"
    assert "not applicable" not in shown.values()  # a life call: tobacco use applies
    assert "Caller's mood: calm" in [c.value for c in at.caption]
    assert [m.name for m in at.chat_message] == ["caller"]  # the caller opens
    assert at.button(key="rp.end").disabled  # no reason code yet


def test_tobacco_is_not_applicable_on_an_auto_or_home_call_not_missing():
    at = _open(trigger="complex_pricing")
    session = at.session_state["rp.session"]
    assert session.packet.not_applicable == ("tobacco_use",)
    shown = dict(zip(at.table[0].value["Field"], at.table[0].value["What the AI has"], strict=True))
    assert shown[LABELS["tobacco_use"]] == "not applicable"
    assert [v for v in shown.values() if v == "not captured"] == ["not captured"] * len(
        session.packet.missing
    )
    ask = next(m.value for m in at.markdown if m.value.startswith("**Not captured"))
    assert LABELS["tobacco_use"] not in ask


def test_reask_is_flagged_as_it_happens_and_the_call_is_scored(practice_db):
    at = _open()
    _say(at, f"Hi {_first_name(at)}, this is Dana, a licensed agent.")
    assert not _flags(at)
    _say(at, "What is your phone number?")
    flags = _flags(at)
    assert len(flags) == 1
    assert "Contact number" in flags[0]
    words = at.session_state["rp.session"].evidence[-1].hits[0]["words"]
    assert words.lower() in "what is your phone number"
    assert f"“{words}”" in flags[0]
    assert not at.toast  # the flag is under the line; a toast would cover it
    assert [m.name for m in at.chat_message] == [
        "caller",
        "producer",
        "caller",
        "producer",
        "caller",
    ]
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
    assert list(turns["Re-asked"]) == ["", "Contact number"]
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
    for question in (
        "What's your name?",
        "What is your phone number?",
        "And what is the reason for your call?",
    ):
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


def test_the_scorecard_adds_up_and_shows_progress_before_certification(practice_db):
    at = _open("Dana Lee", "complex_pricing", 3)
    session = at.session_state["rp.session"]
    _say(at, "What is your phone number?")  # captured: a re-ask
    for line in good_lines(session):
        _say(at, line)
    _end(at, session.persona.real_need)
    parts = _parts(at)
    body, total = parts.iloc[:-1], parts.iloc[-1]
    # By hand: re-asks 40 − 15; checklist 8 + 8 + 8 + 6 + 8 + 8 + 4; disposition 10.
    assert list(body["Out of"]) == [40, 8, 8, 8, 6, 8, 8, 4, 10]
    assert list(body["Points"]) == [25, 8, 8, 8, 6, 8, 8, 4, 10]
    assert "1 re-ask (Contact number)" in body["Why"].iloc[0]
    assert total["Part"] == "Total"
    assert body["Points"].sum() == total["Points"] == 85
    metrics = {m.label: m for m in at.metric}
    assert metrics["Score"].value == "85 / 100"
    assert metrics["Result"].value == "PASS"
    assert any(c.value == "Sum: 25 + 8 + 8 + 8 + 6 + 8 + 8 + 4 + 10 = 85" for c in at.caption)
    texts = _texts(at)
    assert any("1 of 3 passing calls, 1 of 3 triggers" in t for t in texts)
    assert not any(READY.search(t) for t in texts)
    assert any(f"caller seed {session.seed}" in t for t in texts)
    saved = [c.value for c in at.caption if c.value.startswith("Saved to the practice records")]
    assert len(saved) == 1
    assert session.id in saved[0]
    # where the records are, in words (the file, not the store's repr)
    shown = re.sub(r"\\(.)", r"\1", saved[0])
    assert f"in the SQLite file {practice_db.removeprefix('sqlite:///')}" in shown
    assert "Store(" not in shown


def _practise_passing(url: str, trigger: str, seed: int) -> None:
    store = roleplay.Store(url)
    try:
        session = roleplay.Session.start(trigger, seed=seed, producer="Dana Lee", store=store)
        for line in good_lines(session):
            session.say(line)
        assert session.end(session.persona.real_need).passed
    finally:
        store.close()


@pytest.mark.parametrize(
    ("earlier", "ready", "progress"),
    [
        (["complex_pricing", "complex_pricing"], False, "3 of 3 passing calls, 2 of 3 triggers"),
        (["complex_pricing", "coverage_mismatch"], True, "3 of 3 passing calls, 3 of 3 triggers"),
    ],
)
def test_ready_only_after_three_passing_calls_over_three_triggers(
    practice_db, earlier, ready, progress
):
    for seed, trigger in enumerate(earlier):
        _practise_passing(practice_db, trigger, seed)
    at = _open("Dana Lee", "human_request", 5)
    session = at.session_state["rp.session"]
    for line in good_lines(session):
        _say(at, line)
    _end(at, session.persona.real_need)
    texts = _texts(at)
    assert any(progress in t for t in texts)
    assert any(READY.search(t) for t in texts) is ready
    result = {m.label: m for m in at.metric}["Result"]
    assert result.value == "PASS"
    assert (result.proto.delta == "ready for live transfers") is ready
    if ready:
        assert any(f"Ready for live transfers ({progress})." == s.value for s in at.success)


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
    _practise(
        practice_db,
        "Dana Lee",
        "qualified_interest",
        1,
        ["Hi {name}, this is Dana, a licensed agent.", "What is your phone number?"],
        "new_business",
    )
    _practise(
        practice_db,
        "Dana Lee",
        "complex_pricing",
        2,
        ["Hi {name}, I'm Dana, a licensed agent."],
        "pricing_question",
    )
    _practise(
        practice_db, "Sam Ortiz", "human_request", 3, ["What's your name?"], "escalation_request"
    )
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


def test_trainer_certification_progress_and_a_scorecard_that_adds_up(app, records):
    app.switch_page("views/trainer.py").run()
    status = app.dataframe[0].value
    assert list(status["progress"]) == [
        "0 of 3 passing calls, 0 of 3 triggers",
        "0 of 3 passing calls, 0 of 3 triggers",
    ]
    app.selectbox(key="trainer.producer").set_value("Dana Lee").run()
    assert not app.exception
    shown = f"{plain('Dana Lee')}: {plain('Certification: 0 of 3 passing calls, 0 of 3 triggers')}"
    assert any(i.value.startswith(shown) for i in app.info)
    # (the "Ready for live transfers" metric counts the certified: "0 of 1")
    assert {m.label: m.value for m in app.metric}["Ready for live transfers"] == "0 of 1"
    assert not any(READY.search(t) for t in _texts(app, metric_labels=False))
    store = roleplay.Store(records)
    try:
        cards = roleplay.scorecards(store, "Dana Lee")
    finally:
        store.close()
    for session_id, score in zip(cards["session_id"], cards["score"], strict=True):
        app.selectbox(key="trainer.session").set_value(session_id).run()
        assert not app.exception
        parts = _parts(app)
        assert parts["Points"].iloc[:-1].sum() == parts["Points"].iloc[-1] == score
        assert list(parts["Out of"].iloc[:-1]) == [40, 8, 8, 8, 6, 8, 8, 4, 10]
    # Dana's first call: greeting and licensed intro (16), one re-ask (25), the right code (10).
    app.selectbox(key="trainer.session").set_value(cards["session_id"].iloc[0]).run()
    assert list(_parts(app)["Points"]) == [25, 8, 8, 0, 0, 0, 0, 0, 10, 51]


def test_trainer_reasks_follow_the_chosen_producer(app, records):
    app.switch_page("views/trainer.py").run()
    assert _heatmap_total(app) == (2, ["Caller name", "Contact number"])
    app.selectbox(key="trainer.producer").set_value("Sam Ortiz").run()
    assert _heatmap_total(app) == (1, ["Caller name"])


def _heatmap_total(app: AppTest) -> tuple[int, list[str]]:
    """The re-ask heat-map as drawn: total re-asks and the fields with any."""
    trace = json.loads(app.get("plotly_chart")[0].proto.spec)["data"][0]
    z = trace["z"]
    if isinstance(z, dict):  # plotly's typed-array encoding
        z = np.frombuffer(base64.b64decode(z["bdata"]), dtype=z["dtype"]).reshape(
            [int(n) for n in z["shape"].split(",")]
        )
    z = np.asarray(z)
    return int(z.sum()), [f for f, row in zip(trace["y"], z, strict=True) if row.sum()]


# --- practising out loud ----------------------------------------------------------------------


def _voice_ready() -> bool:
    from roleplay.speech.turns import voice_status

    status = voice_status()
    return status.can_hear and "flite" in status.tts


def _record(at: AppTest, line: str, voice: int) -> None:
    from roleplay.speech.evaluate import producer_wav

    key = f"rp.mic.{at.session_state['rp.takes']}"
    at.audio_input(key=key).set_value(("turn.wav", producer_wav(line, voice), "audio/wav")).run()
    assert not at.exception


@pytest.mark.voice
@pytest.mark.skipif(
    not _voice_ready(), reason='needs pip install "warm-handoff-lab[voice]" + flite'
)
def test_a_spoken_turn_is_checked_corrected_flagged_and_answered_aloud(practice_db):
    from roleplay.speech import read_wav

    at = _open(producer="Dana Lee", trigger="qualified_interest", seed=1)
    session = at.session_state["rp.session"]
    assert len(at.get("audio")) == 1  # the caller's opening, in their voice
    assert "Recordings are not kept" in at.audio_input(key="rp.mic.0").help
    # 1. Spoken greeting, sent as heard.
    _record(at, f"Hi {session.persona.first_name}, thanks for holding.", 0)
    heard = at.text_area(key="rp.fix").value
    assert session.persona.first_name.lower() in heard.lower()
    at.button(key="rp.send").click().run()
    assert not _flags(at)
    # 2. A spoken re-ask, corrected before it is scored: flagged as in text mode.
    _record(at, "What's a good number to reach you at?", 1)
    assert "number" in at.text_area(key="rp.fix").value.lower()
    at.text_area(key="rp.fix").set_value("What's a good number to reach you at, please?").run()
    at.button(key="rp.send").click().run()
    assert not at.exception
    assert [f.split("**")[1] for f in _flags(at)] == ["Re-ask: Contact number."]
    notes = [c.value for c in at.caption if c.value.startswith("spoken")]
    heard_by = "spoken · heard by faster-whisper"
    assert notes == [heard_by, f"{heard_by} · transcript corrected before scoring"]
    # The caller's reply is spoken, through the phone line (on by default).
    cache = at.session_state["rp.caller_audio"]
    last = (session.id, len(session.transcript) - 1, True)
    assert read_wav(cache[last])[1] == 8000
    assert len(at.get("audio")) == 1
    # Stored like typed turns, with the engine and the correction; no recording kept.
    _end(at, session.persona.real_need)
    store = roleplay.Store(practice_db)
    producer = [t for t in store.turns(session.id) if t["speaker"] == "producer"]
    assert [(t["engine"], t["transcript_corrected"]) for t in producer] == [
        ("faster-whisper", False), ("faster-whisper", True)]  # fmt: skip
    assert store.turn_audio(session.id, 3) is None
    turns = next(d.value for d in at.dataframe if "How" in d.value.columns)
    assert list(turns["How"]) == ["spoken", "spoken, corrected"]


@pytest.mark.voice
@pytest.mark.skipif(not _voice_ready(), reason='needs "warm-handoff-lab[voice]" and flite')
def test_the_recording_is_kept_when_the_trainer_turns_it_on(practice_db, monkeypatch):
    from roleplay.speech.evaluate import producer_wav

    monkeypatch.setenv("HANDOFF_LAB_AUDIO_DAYS", "7")
    at = _open()
    assert (
        "Recordings are kept 7 days (your trainer's setting)" in at.audio_input(key="rp.mic.0").help
    )
    wav = producer_wav("Thanks for holding.", 0)
    at.audio_input(key="rp.mic.0").set_value(("turn.wav", wav, "audio/wav")).run()
    at.button(key="rp.send").click().run()
    assert not at.exception
    session = at.session_state["rp.session"]
    store = roleplay.Store(practice_db)
    assert store.turn_audio(session.id, 1) == wav
    store.close()


def test_what_the_producer_typed_is_shown_as_typed_not_as_markdown():
    at = _open()
    line = "Hi **there** [link](http://x) $5 :red[x] <b>"
    _say(at, line)
    producer = next(m for m in at.chat_message if m.name == "producer")
    shown = producer.markdown[0].value
    for escaped in (r"\*\*there\*\*", r"\[link\]", r"\$5", r"\<b\>"):
        assert escaped in shown, shown


def test_without_the_voice_extra_the_page_says_how_and_typing_works(monkeypatch):
    from roleplay.speech import turns

    monkeypatch.setattr(turns, "voice_status", lambda: turns.VoiceStatus((), ()))
    at = _open()
    hint = [i.value for i in at.info if "Practise out loud" in i.value]
    assert len(hint) == 1
    assert 'pip install "warm-handoff-lab[voice]"' in hint[0]
    assert not at.get("audio_input")
    assert not at.get("audio")
    _say(at, "What is your phone number?")
    assert len(_flags(at)) == 1
