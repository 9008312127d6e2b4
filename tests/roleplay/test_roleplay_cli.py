"""The terminal commands, read the way the producer reads them: typer's CliRunner (and one real
pipe) on a fresh app, asserting on the text printed."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import typer
from rich.console import Console
from rich.markup import escape
from typer.testing import CliRunner

import roleplay
from roleplay import Session, Store, available_triggers
from roleplay import cli as roleplay_cli

runner = CliRunner()
READY = re.compile(r"ready for live transfers", re.I)
PART = re.compile(r"^\s*(-?\d+(?:\.\d+)?) / (\d+(?:\.\d+)?)\s+([✓✗])\s+(\S.*?)\s*$", re.M)


@pytest.fixture
def app():
    app = typer.Typer()
    roleplay_cli.register(app)
    return app


def call(app, *args, input=None):
    return runner.invoke(app, list(args), input=input)


def flat(text: str) -> str:
    """Whitespace removed: for text that may wrap at 80 columns."""
    return "".join(text.split())


def practise(app, db_url, trigger, seed, producer="Dana", lines=None, code=None, extra=()):
    probe = Session.start(trigger, seed=seed, producer=producer)
    said = list(extra) + (lines(probe) if lines else [])
    script = "\n".join(said) + f"\n/end\n{code or probe.persona.real_need}\n"
    result = call(app, "roleplay", "-t", trigger, "-p", producer, "--seed", str(seed),
                  "--db", db_url, input=script)  # fmt: skip
    assert result.exit_code == 0, result.output
    return probe, result.output


def score_parts(output: str) -> tuple[list[tuple[float, float, str]], float, float]:
    """(earned, possible, label) per printed part, the headline score and the printed total."""
    block = output.split("How the score adds up", 1)[1].split("Sum:", 1)[0]
    parts = [(float(a), float(b), label) for a, b, _, label in PART.findall(block)]
    headline = float(re.search(r"Score (\d+(?:\.\d+)?) / 100", output).group(1))
    total = float(re.search(r"^\s*(\d+(?:\.\d+)?) / 100\s+Total", block, re.M).group(1))
    return parts, headline, total


def test_a_call_flags_the_reask_on_its_turn_and_the_score_adds_up(app, db_url, good_lines):
    probe, output = practise(app, db_url, "complex_pricing", 3, lines=good_lines,
                             extra=["What's your phone number?"])  # fmt: skip
    # The compact packet, with the caller seed that was asked for.
    assert probe.persona.name in output
    assert probe.packet.captured["reason_for_call"] in " ".join(output.split())
    assert re.search(r"Seed\s+3\b", output)
    # The re-ask is flagged right under the line that made it, and nowhere else.
    turns = output.split("You: ")
    flagged = [i for i, t in enumerate(turns) if "Re-ask: Contact number" in t]
    assert len(flagged) == 1
    assert turns[flagged[0]].startswith("What's your phone number?")
    before_reply = turns[flagged[0]].split("Caller:")[0]
    assert "Re-ask: Contact number" in before_reply
    assert output.count("Re-ask:") == 1
    # The score's parts, as printed, add up to the score: 40 − 15 for the re-ask, every
    # checklist item (50) and the right disposition (10) = 85.
    parts, headline, total = score_parts(output)
    assert len(parts) == 9  # re-asks, seven checklist items, disposition
    assert sum(p[0] for p in parts) == headline == total == 85
    assert parts[0][:2] == (25, 40)
    assert "1 re-ask" in parts[0][2]
    assert sum(p[1] for p in parts) == 100
    assert "PASSED" in output
    # One passing call: progress, never "ready".
    assert "1 of 3 passing calls, 1 of 3 triggers" in output
    assert not READY.search(output)
    # Where it was saved.
    store = Store(db_url)
    frame = store.sessions_frame()
    assert list(frame["status"]) == ["scored"]
    assert list(frame["seed"]) == [3]
    assert flat(f"Saved to {db_url} as session {frame.loc[0, 'session_id']}") in flat(output)


def test_ready_only_after_three_passing_calls_over_three_triggers(app, db_url, good_lines):
    outputs = []
    for trigger, seed in [("complex_pricing", 1), ("complex_pricing", 2),
                          ("coverage_mismatch", 3), ("human_request", 4)]:  # fmt: skip
        outputs.append(practise(app, db_url, trigger, seed, lines=good_lines)[1])
    assert all("PASSED" in o and "NOT PASSED" not in o for o in outputs)
    progress = ["1 of 3 passing calls, 1 of 3 triggers", "2 of 3 passing calls, 1 of 3 triggers",
                "3 of 3 passing calls, 2 of 3 triggers"]  # fmt: skip
    for text, output in zip(progress, outputs[:3], strict=True):
        assert text in output
        assert not READY.search(output)
    assert "Ready for live transfers (3 of 3 passing calls, 3 of 3 triggers)" in outputs[3]
    result = call(app, "scores", "--producer", "Dana", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert "3 of 3 passing calls, 3 of 3 triggers" in result.output


def test_a_failing_call_says_practise_again(app, db_url):
    probe, output = practise(app, db_url, "human_request", 2, code="claim",
                             extra=["Who am I speaking with?", "Hello there."])  # fmt: skip
    parts, headline, total = score_parts(output)
    right = probe.persona.real_need == "claim"
    assert headline == total == sum(p[0] for p in parts) == 25 + (10 if right else 0)
    assert "NOT PASSED — practise again" in output
    assert "0 of 3 passing calls, 0 of 3 triggers" in output
    assert not READY.search(output)


def test_fresh_caller_unless_a_seed_is_given(app, db_url):
    shown = []
    for _ in range(3):
        result = call(app, "roleplay", "-t", "complex_pricing", "--db", db_url,
                      input="/end\npricing_question\n")  # fmt: skip
        assert result.exit_code == 0, result.output
        shown.append(int(re.search(r"replay: --seed (\d+)", result.output).group(1)))
    assert list(Store(db_url).sessions_frame()["seed"]) == shown
    assert len(set(shown)) > 1
    result = call(app, "roleplay", "-t", "complex_pricing", "--seed", "7", "--db", db_url,
                  input="/end\npricing_question\n")  # fmt: skip
    assert re.search(r"Seed\s+7\b", result.output)
    assert "caller seed 7" in result.output  # on the scorecard too
    assert Store(db_url).sessions_frame()["seed"].iloc[-1] == 7


@pytest.mark.parametrize("trigger", available_triggers())
def test_the_compact_packet_fits_one_80_by_24_screen(trigger):
    for difficulty in ("easy", "standard", "hard"):
        for seed in range(0, 60, 6):
            session = Session.start(trigger, seed=seed, difficulty=difficulty)
            console = Console(width=80, record=True, file=io.StringIO())
            console.print(roleplay_cli.compact_packet(session, seed_given=False))
            console.print(f"Caller: {escape(session.transcript[0].text)}")
            screen = console.export_text()
            lines = screen.rstrip("\n").split("\n")
            assert len(lines) <= 23, screen  # and the "You:" prompt on line 24
            assert max(len(line) for line in lines) <= 80
            text = " ".join(screen.split())
            assert session.packet.captured["caller_name"] in text
            for field in session.packet.missing:
                assert field.replace("_", " ") in text


def test_packet_and_help_commands(app, db_url):
    result = call(app, "roleplay", "-t", "qualified_interest", "--seed", "1", "--db", db_url,
                  input="/packet\n/help\n/whisper\n/nope\n/end new_business\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    session = Session.start("qualified_interest", seed=1)
    assert "Intake packet" in result.output
    assert "AI intake transcript" in result.output
    assert flat(session.whisper) in flat(re.sub(r"[│╭╮╰╯─]", "", result.output))
    for command in ("/end", "/packet", "/whisper", "/help"):
        assert f"  {command}" in result.output
    assert "billing_dispute (Billing dispute)" in result.output
    assert "Unknown command '/nope'" in result.output


def _packet_rows(session: Session) -> dict[str, tuple[str, str]]:
    """The /packet table's field rows: label → (text, style of the value cell)."""
    console = Console(width=120, record=True, file=io.StringIO())
    table = roleplay_cli._packet_table(session)
    console.print(table)
    labels, values = table.columns[0]._cells, table.columns[1]._cells
    out = {}
    for name, cell in zip(labels, values, strict=True):
        text = console.render_str(cell)
        out[str(name)] = (text.plain, str(text.spans[0].style) if text.spans else "")
    return out


def test_packet_table_says_not_applicable_dimmed_for_tobacco_on_auto_and_home():
    for trigger in ("complex_pricing", "coverage_mismatch", "human_request"):
        session = Session.start(trigger, seed=1, difficulty="hard")
        assert "tobacco_use" in session.packet.not_applicable
        rows = _packet_rows(session)
        assert rows[roleplay_cli._label("tobacco_use")] == ("not applicable", "dim")
        for field in session.packet.missing:
            assert rows[roleplay_cli._label(field)] == ("not captured", "yellow")
        for field, value in session.packet.captured.items():
            assert rows[roleplay_cli._label(field)][0] == value


def test_packet_table_on_a_life_call_has_no_not_applicable_row():
    session = Session.start("qualified_interest", seed=1)
    assert not session.packet.not_applicable
    texts = [text for text, _ in _packet_rows(session).values()]
    assert "not applicable" not in texts
    assert texts.count("not captured") == len(session.packet.missing)


def test_packet_names_the_detected_intent_in_words_not_its_code():
    from roleplay.packet import intent_words

    for trigger in available_triggers():
        session = Session.start(trigger, seed=1)
        code = session.packet.detected_intent
        words = intent_words(code)
        assert words != code  # every shipped intent has words of its own
        assert _packet_rows(session)["Detected intent"][0] == words
        console = Console(width=80, record=True, file=io.StringIO())
        console.print(roleplay_cli.compact_packet(session, seed_given=True))
        text = console.export_text()
        assert words in text
        assert code not in text


def test_user_text_is_not_read_as_markup(app, db_url):
    result = call(app, "roleplay", "-t", "complex_pricing", "-p", "Agency [/draft]", "--seed",
                  "2", "--db", db_url,
                  input="Hi [bold]there[/bold] [/x], what's your phone number?\n/end\n"
                  "pricing_question\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Agency [/draft]" in result.output
    assert "Hi [bold]there[/bold] [/x]" in result.output
    result = call(app, "scores", "--producer", "Agency [/draft]", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert "Agency [/draft]" in result.output
    result = call(app, "roleplay", "-t", "[/oops]", "--db", db_url)
    assert result.exit_code == 2
    assert "Unknown trigger '[/oops]'" in result.output


def test_end_with_inline_disposition_and_bad_disposition_reprompts(app, db_url):
    result = call(app, "roleplay", "-t", "human_request", "-p", "Dana", "--db", db_url,
                  input="Hi there\n/end nonsense\nclaim\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Unknown disposition 'nonsense'" in result.output
    assert "billing_dispute" in result.output  # the allowed codes are named


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["roleplay", "--trigger", "weather"], "Unknown trigger 'weather'"),
        (["roleplay", "-t", "complex_pricing", "--difficulty", "x"], "easy, standard, hard"),
        (["roleplay", "-t", "complex_pricing", "-p", "  "], "Producer name is empty"),
        (["roleplay", "-t", "complex_pricing", "--seed", "-1"], "Invalid value"),
        (["scores", "--producer", "Nobody"], "Unknown producer 'Nobody'"),
    ],
)
def test_mistakes_exit_2_with_a_clear_message(app, db_url, args, message):
    result = call(app, *args, "--db", db_url)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_database_url_and_unwritable_export_exit_2(app, db_url, tmp_path):
    result = call(app, "scores", "--db", "not a url")
    assert result.exit_code == 2
    assert "Cannot open the records database" in result.output
    Session.start("complex_pricing", producer="Dana", store=Store(db_url)).end("pricing_question")
    result = call(app, "scores", "--db", db_url, "--export", str(tmp_path / "no" / "such.csv"))
    assert result.exit_code == 2
    assert "Cannot write" in result.output


def test_empty_input_then_end_of_input_keeps_turns(app, db_url):
    result = call(app, "roleplay", "-t", "complex_pricing", "-p", "Dana", "--db", db_url,
                  input="What's your phone number?\n\n")  # fmt: skip
    assert result.exit_code == 2
    assert "Empty input" in result.output
    assert "turn(s) kept" in result.output
    assert "Traceback" not in result.output
    store = Store(db_url)
    frame = store.sessions_frame()
    assert list(frame["status"]) == ["abandoned"]
    session_id = frame.loc[0, "session_id"]
    assert flat(f"kept in {db_url} (session {session_id})") in flat(result.output)
    turns = store.turns(session_id)
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
    result = call(app, "roleplay", "-t", "complex_pricing", "--difficulty", "easy", "--db",
                  db_url, input=reasks + "pricing_question\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "hung up" in result.output
    assert result.output.count("Re-ask:") == 3
    parts, headline, total = score_parts(result.output)
    assert parts[0][:2] == (0, 40)
    assert "3 re-asks" in parts[0][2]
    assert headline == total == sum(p[0] for p in parts)
    assert "the caller hung up" in result.output


def _records(db_url, good_lines):
    """Ana re-asks the phone number on complex_pricing; Ben re-asks how the caller heard of
    us on qualified_interest and passes a human_request."""
    store = Store(db_url)
    ana = Session.start("complex_pricing", seed=1, producer="Ana", store=store,
                        difficulty="easy")  # fmt: skip
    ana.say("What's your phone number?")
    ana.end("pricing_question")
    ben = Session.start("qualified_interest", seed=2, producer="Ben", store=store,
                        difficulty="easy")  # fmt: skip
    ben.say("How did you hear about us?")
    ben.end("new_business")
    ben = Session.start("human_request", seed=3, producer="Ben", store=store)
    for line in good_lines(ben):
        ben.say(line)
    ben.end(ben.persona.real_need)
    store.close()


def test_scores_producer_filters_every_table(app, db_url, good_lines):
    _records(db_url, good_lines)
    everyone = call(app, "scores", "--db", db_url)
    assert everyone.exit_code == 0, everyone.output
    for text in ("Ana", "Ben", "contact number", "referral source", "qualified interest"):
        assert text in everyone.output
    ana = call(app, "scores", "--producer", "Ana", "--db", db_url)
    assert ana.exit_code == 0, ana.output
    assert "Ben" not in ana.output
    for gone in ("referral source", "qualified interest", "human request"):
        assert gone not in ana.output
    assert "contact number" in ana.output
    assert "complex pricing" in ana.output
    assert "Ana: 1.00 over 1 session(s)" in ana.output
    assert "0 of 3 passing calls, 0 of 3 triggers" in ana.output
    ben = call(app, "scores", "-p", "Ben", "--db", db_url)
    assert "Ana" not in ben.output
    assert "contact number" not in ben.output
    assert "Ben: 0.50 over 2 session(s)" in ben.output
    assert "1 of 3 passing calls, 1 of 3 triggers" in ben.output


def test_scores_export(app, db_url, tmp_path):
    Session.start("complex_pricing", producer="Dana", store=Store(db_url)).end("pricing_question")
    out = tmp_path / "cards.csv"
    result = call(app, "scores", "--db", db_url, "--export", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("producer,")


def test_line_editing_when_a_terminal_allows(monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    assert roleplay_cli._line_reader() is input  # piped: plain input()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    made = []

    class FakePromptSession:
        def __init__(self, history=None):
            made.append(history)

        def prompt(self, text):
            return "typed"

    import prompt_toolkit

    monkeypatch.setattr(prompt_toolkit, "PromptSession", FakePromptSession)
    reader = roleplay_cli._line_reader()
    assert reader("You: ") == "typed"
    assert len(made) == 1
    assert made[0] is not None
    monkeypatch.setitem(sys.modules, "prompt_toolkit", None)  # not installed
    assert roleplay_cli._line_reader() is input


def test_a_real_pipe(tmp_path):
    """The command run as a process with piped input, as a script or a CI job would."""
    url = f"sqlite:///{tmp_path / 'piped.sqlite3'}"
    code = textwrap.dedent(
        """
        import typer
        from roleplay import cli
        app = typer.Typer()
        cli.register(app)
        app()
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "roleplay", "-t", "complex_pricing", "--seed", "5",
         "--db", url],
        input="What's your phone number?\n/end pricing_question\n",
        capture_output=True, text=True, timeout=120, cwd=Path(roleplay.__file__).parents[1],
        env=dict(os.environ, COLUMNS="80", PYTHONIOENCODING="utf-8"),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "You: What's your phone number?" in proc.stdout  # piped input is echoed
    after = proc.stdout.split("You: What's your phone number?", 1)[1].split("Caller:")[0]
    assert "Re-ask: Contact number" in after
    assert "Saved to" in proc.stdout


# --- issue 12 hardening: markup in names, store errors, export folders ------------------------


@pytest.mark.parametrize("name", ["Agency [/draft]", "[link=http://x]Dana[/link]", "[bold red]x"])
def test_names_with_markup_print_as_typed_in_roleplay_and_scores(app, db_url, name):
    result = call(app, "roleplay", "-t", "complex_pricing", "-p", name, "--seed", "2",
                  "--db", db_url, input="Hi there\n/end\npricing_question\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert name in result.output
    result = call(app, "scores", "--producer", name, "--db", db_url)
    assert result.exit_code == 0, result.output
    assert flat(name) in flat(result.output)
    result = call(app, "scores", "--db", db_url)
    assert result.exit_code == 0, result.output
    assert flat(name) in flat(result.output)


def test_a_store_that_cannot_be_opened_is_one_message(app, tmp_path):
    (tmp_path / "afile").write_text("")
    not_db = tmp_path / "notes.sqlite3"
    not_db.write_text("these are my notes, not a database")
    cases = [
        (f"sqlite:///{tmp_path / 'afile' / 'records.sqlite3'}", "is a file"),
        (f"sqlite:///{not_db}", "is not a SQLite database"),
    ]
    for url, problem in cases:
        for command in (["scores"], ["roleplay", "-t", "complex_pricing"]):
            result = call(app, *command, "--db", url)
            assert result.exit_code == 2, result.output
            assert flat(problem) in flat(result.output)
            assert result.output.count("Cannot open the records database") == 1, result.output
            assert "Traceback" not in result.output


def test_a_password_in_the_database_url_is_never_printed(app):
    url = "postgresql+psycopg://dana:s3cret-pw@127.0.0.1:9/records"
    result = call(app, "scores", "--db", url)
    assert result.exit_code == 2, result.output
    assert "s3cret-pw" not in result.output
    assert "Cannot open the records database" in result.output


def test_export_into_a_missing_folder_names_it(app, db_url, tmp_path):
    Session.start("complex_pricing", producer="Dana", store=Store(db_url)).end("pricing_question")
    target = tmp_path / "no-such-folder" / "cards.csv"
    result = call(app, "scores", "--db", db_url, "--export", str(target))
    assert result.exit_code == 2, result.output
    assert flat(f"the folder {tmp_path / 'no-such-folder'} does not exist") in flat(result.output)
    assert not target.parent.exists()


# --- roleplay --voice -------------------------------------------------------------------------


def _voice_ready() -> bool:
    from roleplay.speech.turns import voice_status

    status = voice_status()
    return status.can_hear and "flite" in status.tts


needs_voice = pytest.mark.skipif(
    not _voice_ready(), reason='voice extra or flite missing: pip install "warm-handoff-lab[voice]"'
)


def _spoken_turns(folder: Path, lines: list[str]) -> None:
    from roleplay.speech.evaluate import producer_wav

    folder.mkdir()
    for i, line in enumerate(lines, start=1):
        (folder / f"turn-{i:02d}.wav").write_bytes(producer_wav(line, i))


@pytest.mark.voice
@needs_voice
def test_voice_dir_turns_are_heard_flagged_stored_and_answered_aloud(app, db_url, tmp_path):
    probe = Session.start("qualified_interest", seed=4)
    _spoken_turns(tmp_path / "turns", [f"Hi {probe.persona.first_name}, thanks for holding.",
                                       "What's a good number to reach you at?"])  # fmt: skip
    result = call(app, "roleplay", "-t", "qualified_interest", "-p", "Dana", "--seed", "4",
                  "--db", db_url, "--voice-dir", str(tmp_path / "turns"), "--save-audio",
                  str(tmp_path / "replies"), "--phone-line",
                  input=f"/end\n{probe.persona.real_need}\n")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "You (turn-01.wav, heard by faster-whisper):" in result.output
    spoken = result.output.split("You (turn-02.wav")[1]
    assert "Re-ask: Contact number" in spoken.split("Caller:")[0]
    from roleplay.speech.audio import read_wav

    saved = sorted(p.name for p in (tmp_path / "replies").iterdir())
    assert saved == ["caller-00.wav", "caller-01.wav", "caller-02.wav"]
    assert read_wav((tmp_path / "replies" / "caller-02.wav").read_bytes())[1] == 8000
    store = Store(db_url)
    (sid,) = store.sessions_frame()["session_id"]
    producer = [t for t in store.turns(sid) if t["speaker"] == "producer"]
    assert [t["engine"] for t in producer] == ["faster-whisper", "faster-whisper"]
    assert producer[1]["repeat_explains"] == ["contact_number"]
    assert store.turn_audio(sid, 1) is None  # recordings not kept: the trainer did not ask
    store.close()


@pytest.mark.voice
@needs_voice
def test_a_wav_path_typed_at_the_prompt_and_typing_still_works(app, db_url, tmp_path):
    _spoken_turns(tmp_path / "t", ["Could you give me your date of birth?"])
    code = Session.start("qualified_interest", seed=4).persona.real_need
    script = f"Hi there, thanks for holding.\n{tmp_path / 't' / 'turn-01.wav'}\n/end\n{code}\n"
    result = call(app, "roleplay", "-t", "qualified_interest", "-p", "Dana", "--seed", "4",
                  "--db", db_url, "--voice", input=script)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "You (turn-01.wav, heard by faster-whisper):" in result.output
    assert "date of birth" in result.output.lower()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("missing.wav", "missing.wav does not exist"), ("bad.wav", "bad.wav is not a WAV recording")],
)
def test_a_missing_or_invalid_wav_exits_2_keeping_the_turns(
    app, db_url, tmp_path, monkeypatch, typed, message
):
    from roleplay.speech import turns

    monkeypatch.setattr(turns, "voice_status", lambda: turns.VoiceStatus(("fake",), ()))
    (tmp_path / "bad.wav").write_text("not audio")
    script = f"Hi there\n{tmp_path / typed}\n"
    result = call(app, "roleplay", "-t", "complex_pricing", "--db", db_url, "--voice",
                  input=script)  # fmt: skip
    assert result.exit_code == 2, result.output
    assert flat(message) in flat(result.output)
    assert "Traceback" not in result.output
    store = Store(db_url)
    assert list(store.sessions_frame()["status"]) == ["abandoned"]
    store.close()


def test_voice_without_the_extra_says_how_to_enable_it(app, db_url, monkeypatch, tmp_path):
    from roleplay.speech import turns

    monkeypatch.setattr(turns, "voice_status", lambda: turns.VoiceStatus((), ()))
    result = call(app, "roleplay", "-t", "complex_pricing", "--db", db_url, "--voice")
    assert result.exit_code == 2, result.output
    assert flat('pip install "warm-handoff-lab[voice]"') in flat(result.output)
    monkeypatch.setattr(turns, "voice_status", lambda: turns.VoiceStatus(("fake",), ()))
    result = call(app, "roleplay", "-t", "complex_pricing", "--db", db_url,
                  "--voice-dir", str(tmp_path / "nowhere"))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert flat(f"--voice-dir {tmp_path / 'nowhere'} does not exist") in flat(result.output)
    result = call(app, "roleplay", "-t", "complex_pricing", "--db", db_url, "--voice",
                  "--save-audio", str(tmp_path / "out"))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "--save-audio needs a speech synthesiser" in flat_words(result.output)
    monkeypatch.setattr(turns, "voice_status", lambda: turns.VoiceStatus(("fake",), ("flite",)))
    (tmp_path / "afile").write_text("")
    result = call(app, "roleplay", "-t", "complex_pricing", "--db", db_url, "--voice",
                  "--save-audio", str(tmp_path / "afile" / "out"))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "is a file, not a folder" in flat_words(result.output)
    store = Store(db_url)
    assert store.sessions_frame().empty  # refused before the call started: nothing recorded
    store.close()


def flat_words(text: str) -> str:
    return " ".join(text.split())


def test_scores_json_is_the_trainer_views(app, db_url, good_lines, tmp_path):
    """``scores --json`` holds what the trainer module computes from the store: the same
    scorecards, certification, re-ask counts and repeat-explain rates (no rich markup)."""
    import json

    from roleplay import trainer

    _records(db_url, good_lines)
    export = tmp_path / "cards.csv"
    result = call(app, "scores", "--db", db_url, "--json", "--export", str(export))
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    store = Store(db_url)
    try:
        cards = trainer.scorecards(store)
        assert [c["session_id"] for c in payload["scorecards"]] == list(cards["session_id"])
        assert [c["score"] for c in payload["scorecards"]] == pytest.approx(list(cards["score"]))
        cert = trainer.certification_status(store)
        assert [c["producer"] for c in payload["certification"]] == list(cert["producer"])
        assert [c["ready"] for c in payload["certification"]] == list(cert["ready"])
        rates = trainer.repeat_explain_rates(store)
        assert payload["repeat_explain"]["per_producer"] == pytest.approx(rates.per_producer)
        assert payload["repeat_explain"]["group_rate"] == pytest.approx(rates.group_rate)
        reasks = trainer.reasks_by_field_trigger(store)
        assert sum(r["count"] for r in payload["reasks"]) == int(reasks.to_numpy().sum())
    finally:
        store.close()
    assert payload["exported"] == str(export)
    assert export.read_text().startswith("producer,")
    assert payload["records"] == db_url
    ana = json.loads(call(app, "scores", "--db", db_url, "-p", "Ana", "--json").stdout)
    assert {c["producer"] for c in ana["scorecards"]} == {"Ana"}
    assert ana["repeat_explain"]["per_producer"] == {"Ana": 1.0}
    unknown = call(app, "scores", "--db", db_url, "-p", "Nobody", "--json")
    assert unknown.exit_code == 2
    assert "Unknown producer 'Nobody'" in unknown.stderr
    assert unknown.stdout == ""
