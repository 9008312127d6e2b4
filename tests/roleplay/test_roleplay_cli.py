"""The terminal commands, driven through typer's CliRunner on a fresh app."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from roleplay import Session, Store
from roleplay import cli as roleplay_cli


@pytest.fixture
def app():
    app = typer.Typer()
    roleplay_cli.register(app)
    return app


runner = CliRunner()


def call(app, *args, input=None):
    return runner.invoke(app, list(args), input=input)


def test_full_practice_call(app, db_url, good_lines):
    probe = Session.start("complex_pricing", seed=3, producer="Dana")
    lines = good_lines(probe)
    script = "\n".join(lines) + f"\n/end\n{probe.persona.real_need}\n"
    result = call(
        app,
        "roleplay",
        "--trigger",
        "complex_pricing",
        "--producer",
        "Dana",
        "--seed",
        "3",
        "--db",
        db_url,
        input=script,
    )
    assert result.exit_code == 0, result.output
    assert "Intake packet" in result.output
    assert "Whisper" in result.output
    assert probe.persona.name in result.output
    assert "Score 100" in result.output
    assert "PASSED" in result.output
    store = Store(db_url)
    frame = store.sessions_frame()
    assert list(frame["status"]) == ["scored"]
    assert list(frame["producer"]) == ["Dana"]


def test_end_with_inline_disposition_and_bad_disposition_reprompts(app, db_url):
    result = call(
        app,
        "roleplay",
        "-t",
        "human_request",
        "-p",
        "Dana",
        "--db",
        db_url,
        input="Hi there\n/end nonsense\nclaim\n",
    )
    assert result.exit_code == 0, result.output
    assert "Unknown disposition 'nonsense'" in result.output
    assert "billing_dispute" in result.output  # the allowed codes are named


def test_unknown_trigger_and_difficulty_exit_2(app, db_url):
    result = call(app, "roleplay", "--trigger", "weather", "--db", db_url)
    assert result.exit_code == 2
    assert "Unknown trigger 'weather'" in result.output
    assert "complex_pricing" in result.output
    assert "Traceback" not in result.output
    result = call(
        app, "roleplay", "--trigger", "complex_pricing", "--difficulty", "x", "--db", db_url
    )
    assert result.exit_code == 2
    assert "easy, standard, hard" in result.output


def test_empty_input_then_end_of_input_keeps_turns(app, db_url):
    result = call(
        app,
        "roleplay",
        "-t",
        "complex_pricing",
        "-p",
        "Dana",
        "--db",
        db_url,
        input="What's your phone number?\n\n",
    )
    assert result.exit_code == 2
    assert "Empty input" in result.output
    assert "turn(s) kept" in result.output
    assert "Traceback" not in result.output
    store = Store(db_url)
    frame = store.sessions_frame()
    assert list(frame["status"]) == ["abandoned"]
    turns = store.turns(frame.loc[0, "session_id"])
    assert [t["speaker"] for t in turns] == ["caller", "producer", "caller"]
    assert turns[1]["repeat_explains"] == ["contact_number"]


def test_ctrl_c_mid_call_keeps_turns(app, db_url, monkeypatch):
    said = iter(["Hi, Dana here, a licensed agent."])

    def fake_read(prompt):
        try:
            return next(said)
        except StopIteration:
            raise KeyboardInterrupt from None

    monkeypatch.setattr(roleplay_cli, "_read", fake_read)
    result = call(app, "roleplay", "-t", "coverage_mismatch", "-p", "Eli", "--db", db_url)
    assert result.exit_code == 2
    assert "without a scorecard" in result.output
    store = Store(db_url)
    assert len(store.turns(store.sessions_frame().loc[0, "session_id"])) == 3


def test_caller_hangs_up_then_scorecard(app, db_url):
    reasks = "Who am I speaking with?\nWhat's your phone number?\nWhat state are you in?\n"
    result = call(
        app,
        "roleplay",
        "-t",
        "complex_pricing",
        "--difficulty",
        "easy",
        "--db",
        db_url,
        input=reasks + "pricing_question\n",
    )
    assert result.exit_code == 0, result.output
    assert "hung up" in result.output
    assert "Repeat-explains: 3" in result.output


def test_scores_command(app, db_url, good_lines):
    store = Store(db_url)
    s = Session.start("complex_pricing", seed=1, producer="Dana", store=store)
    for line in good_lines(s):
        s.say(line)
    s.end(s.persona.real_need)
    result = call(app, "scores", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert "Certification" in result.output
    assert "Dana" in result.output
    result = call(app, "scores", "--producer", "Nobody", "--db", db_url)
    assert result.exit_code == 2
    assert "Unknown producer 'Nobody'" in result.output
    assert "Dana" in result.output


def test_scores_export(app, db_url, tmp_path):
    store = Store(db_url)
    s = Session.start("complex_pricing", producer="Dana", store=store)
    s.end("pricing_question")
    out = tmp_path / "cards.csv"
    result = call(app, "scores", "--db", db_url, "--export", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("producer,")


def test_bad_database_url_exit_2(app):
    result = call(app, "scores", "--db", "not a url")
    assert result.exit_code == 2
    assert "Cannot open the records database" in result.output
