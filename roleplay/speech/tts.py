"""Offline speech synthesis for the scripted caller: Debian's ``espeak-ng`` and ``flite``.

Both are run as programs (no linking; espeak-ng is GPL-3, flite a BSD-style CMU licence) and
return WAV bytes. A caller keeps one voice for the whole call: :func:`voice_for` picks it from
a persona id (stable across runs, spread over the engine's voices, by sex where known).
The lab speaks with espeak-ng by default, which leaves flite's voices free to stand in for
producers when the recogniser is measured (``tests/roleplay/test_speech.py``): the speech the
recogniser is scored on never comes from the engine the lab itself speaks with.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

__all__ = ["EspeakEngine", "FliteEngine", "TtsEngine", "TtsError", "voice_for"]

_TIMEOUT = 30


class TtsError(RuntimeError):
    """The synthesiser failed or is not installed."""


@runtime_checkable
class TtsEngine(Protocol):
    """A speech synthesiser: text → WAV bytes in one of its voices."""

    name: str

    @property
    def voices(self) -> Sequence[str]:
        """Voice names this engine accepts; the first is its default."""
        ...

    @property
    def female(self) -> Sequence[str]: ...

    @property
    def male(self) -> Sequence[str]: ...

    def available(self) -> bool:
        """True when the engine's program is installed."""
        ...

    def synthesize(self, text: str, voice: str | None = None) -> bytes:
        """WAV bytes of ``text`` spoken in ``voice`` (the default voice when None)."""
        ...


def _run(cmd: list[str], text: str) -> bytes:
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise TtsError(f"{cmd[0]} failed: {exc}") from exc
    if done.returncode != 0:
        err = done.stderr.decode(errors="replace").strip()
        raise TtsError(f"{cmd[0]} exited {done.returncode}: {err or 'no message'} ({text[:40]!r})")
    return done.stdout


class EspeakEngine:
    """``espeak-ng``: many English accents and voice variants; 22.05 kHz output.

    A voice is ``language+variant[@speed[/pitch]]``, e.g. ``en-us+f3@165/60``.
    """

    name = "espeak-ng"
    female = (
        "en-us+f3@160/55",
        "en-us+f4@170/60",
        "en-gb+f2@160/50",
        "en-us+Annie@165/50",
        "en-gb-x-rp+f5@155/45",
        "en-us+Linda@160/55",
    )
    male = (
        "en-us+m3@160/40",
        "en-gb+m1@165/45",
        "en-gb-scotland+m2@155/40",
        "en-us+m7@150/35",
        "en-029+m4@160/45",
        "en-us+Andy@165/45",
    )
    voices = (*female, *male)

    def available(self) -> bool:
        return shutil.which("espeak-ng") is not None

    def synthesize(self, text: str, voice: str | None = None) -> bytes:
        name, _, rest = (voice or self.voices[0]).partition("@")
        speed, _, pitch = rest.partition("/")
        cmd = ["espeak-ng", "-v", name, "-s", speed or "160", "-p", pitch or "50", "--stdout"]
        return _run([*cmd, "--", text], text)


class FliteEngine:
    """``flite`` (CMU): voices slt (US female), rms (US male), awb (Scottish male), kal."""

    name = "flite"
    female = ("slt",)
    male = ("rms", "awb", "kal")
    voices = (*female, *male)

    def available(self) -> bool:
        return shutil.which("flite") is not None

    def synthesize(self, text: str, voice: str | None = None) -> bytes:
        with tempfile.TemporaryDirectory(prefix="handoff-tts-") as tmp:
            out = Path(tmp) / "say.wav"
            _run(["flite", "-voice", voice or self.voices[0], "-t", text, "-o", str(out)], text)
            return out.read_bytes()


def voice_for(persona_id: str, engine: TtsEngine, sex: str | None = None) -> str:
    """The voice a persona speaks with: a stable hash of its id over the engine's voices
    (female voices for ``sex="f"``, male for ``"m"``, any otherwise)."""
    pool = {"f": engine.female, "m": engine.male}.get((sex or "").lower()[:1]) or engine.voices
    digest = hashlib.sha256(persona_id.encode()).digest()
    return pool[int.from_bytes(digest[:4], "big") % len(pool)]
