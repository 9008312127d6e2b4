"""Voice in the terminal: where a producer's spoken turns come from, where the caller's go.

``handoff-lab roleplay --voice`` takes one WAV per producer turn: a path typed at the prompt,
the next file of a ``--voice-dir`` folder of numbered WAVs (``01.wav``, ``turn-2.wav``... in
number order), or the microphone when a sound device exists (Enter starts and stops a
recording; ``sounddevice`` with PortAudio). The caller's replies are played on the sound
device when there is one and saved as numbered WAVs with ``--save-audio DIR``. Anything wrong
with a file the producer named raises :class:`VoiceInputError`, whose message names the file
and what is expected.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from roleplay.speech.audio import AudioError, read_wav, write_wav
from roleplay.speech.turns import ENABLE_VOICE_OUTPUT, Heard, hear, speak, voice_status

if TYPE_CHECKING:
    from roleplay.session import Session

__all__ = [
    "MIC_RATE",
    "Microphone",
    "ReplySaver",
    "VoiceCall",
    "VoiceInputError",
    "is_wav_path",
    "numbered_wavs",
    "play",
    "read_turn",
    "sound_device",
]

MIC_RATE = 16000
"""Microphone sample rate (Hz): what the recogniser works at."""
_MIN_SECONDS = 0.2


class VoiceInputError(ValueError):
    """A WAV the producer named cannot be used; the message names it."""


def is_wav_path(line: str) -> bool:
    """Whether a line typed at the prompt names a WAV file rather than words to the caller."""
    return line.strip().lower().endswith((".wav", ".wave")) and len(line.split()) == 1


def read_turn(path: str | Path) -> bytes:
    """The bytes of a producer's recorded turn, checked to be a readable WAV."""
    path = Path(path).expanduser()
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        raise VoiceInputError(f"WAV file {path} {what}; give the path of a recorded turn.")
    data = path.read_bytes()
    try:
        samples, rate = read_wav(data)
    except AudioError as exc:
        raise VoiceInputError(f"{path} is not a WAV recording ({exc}).") from None
    if len(samples) < rate * _MIN_SECONDS:
        raise VoiceInputError(f"{path} holds under {_MIN_SECONDS:g} s of audio; record the turn.")
    return data


def _number(path: Path) -> int | None:
    found = re.findall(r"\d+", path.stem)
    return int(found[-1]) if found else None


def numbered_wavs(folder: str | Path) -> list[Path]:
    """The WAVs of ``folder`` in the order of the number in their names (one per turn)."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        what = "is a file" if folder.exists() else "does not exist"
        raise VoiceInputError(f"--voice-dir {folder} {what}; give a folder of numbered WAVs.")
    wavs = [p for p in folder.iterdir() if p.suffix.lower() in (".wav", ".wave") and p.is_file()]
    numbered = [p for p in wavs if _number(p) is not None]
    if not numbered:
        raise VoiceInputError(
            f"--voice-dir {folder} has no numbered WAV files (01.wav, 02.wav, ... one per turn)."
        )
    unnumbered = sorted(p.name for p in wavs if _number(p) is None)
    if unnumbered:
        raise VoiceInputError(
            f"--voice-dir {folder}: {', '.join(unnumbered)} carry no turn number; name each "
            "WAV with its turn (01.wav, 02.wav, ...)."
        )
    numbers = [_number(p) for p in numbered]
    clash = sorted({n for n in numbers if numbers.count(n) > 1})  # type: ignore[type-var]
    if clash:
        raise VoiceInputError(f"--voice-dir {folder}: more than one WAV for turn {clash[0]}.")
    return sorted(numbered, key=lambda p: _number(p) or 0)


def sound_device(kind: str = "input") -> bool:
    """Whether a sound device of ``kind`` (``input``/``output``) exists (PortAudio)."""
    try:
        import sounddevice
    except (ImportError, OSError):  # OSError: the PortAudio library is missing
        return False
    try:
        return sounddevice.query_devices(kind=kind) is not None
    except Exception:  # PortAudioError, or no default device of that kind
        return False


def play(wav: bytes) -> bool:
    """Play WAV bytes on the default output device; False when there is none."""
    if not sound_device("output"):
        return False
    import sounddevice

    samples, rate = read_wav(wav)
    sounddevice.play(samples, rate, blocking=True)
    return True


class Microphone:
    """Records one turn from the default input device between two presses of Enter."""

    def __init__(self, rate: int = MIC_RATE) -> None:
        self.rate = rate

    def available(self) -> bool:
        return sound_device("input")

    def record(self, wait_for_enter: Callable[[str], str]) -> bytes:
        """Record until ``wait_for_enter`` returns; the recording as 16-bit WAV bytes."""
        import sounddevice

        chunks: list[np.ndarray] = []
        lock = threading.Lock()

        def keep(data: np.ndarray, frames: int, when: object, status: object) -> None:
            with lock:
                chunks.append(data[:, 0].copy())

        with sounddevice.InputStream(samplerate=self.rate, channels=1, dtype="float32",
                                     callback=keep):  # fmt: skip
            wait_for_enter("Recording... press Enter when you have finished speaking. ")
        with lock:
            samples = np.concatenate(chunks) if chunks else np.zeros(0, np.float32)
        return write_wav(samples, self.rate)


class ReplySaver:
    """Saves the caller's lines as ``caller-00.wav`` (the opening), ``caller-01.wav``, ..."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder).expanduser()
        for parent in (self.folder, *self.folder.parents):
            if parent.exists():
                if not parent.is_dir():
                    raise VoiceInputError(
                        f"--save-audio {self.folder}: {parent} is a file, not a folder."
                    )
                break
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise VoiceInputError(f"--save-audio {self.folder}: {exc.strerror or exc}.") from None

    def save(self, turn: int, wav: bytes) -> Path:
        path = self.folder / f"caller-{turn:02d}.wav"
        path.write_bytes(wav)
        return path


class VoiceCall:
    """The voice side of one terminal call: queued WAVs, the microphone, the caller's replies.

    ``folder``: ``--voice-dir`` (checked now); ``save_to``: ``--save-audio`` (created now);
    ``play_replies``: play on the sound device when there is one.
    """

    def __init__(
        self,
        session: Session,
        *,
        folder: str | Path | None = None,
        save_to: str | Path | None = None,
        phone_line: bool = False,
        play_replies: bool = True,
    ) -> None:
        self.session = session
        self.queue = numbered_wavs(folder) if folder is not None else []
        self.saver = ReplySaver(save_to) if save_to is not None else None
        self.phone_line = phone_line
        self.microphone = Microphone() if Microphone().available() else None
        self.can_speak = voice_status().can_speak
        self.play_replies = play_replies and sound_device("output")
        if self.saver is not None and not self.can_speak:
            raise VoiceInputError(f"--save-audio needs a speech synthesiser: {ENABLE_VOICE_OUTPUT}")

    @property
    def prompt(self) -> str:
        how = "Enter to record, " if self.microphone else ""
        return f"You ({how}a WAV path, or type): "

    def queued(self) -> tuple[bytes, str] | None:
        """The next ``--voice-dir`` turn, ``(wav, file name)``, or None when they are used up."""
        if not self.queue:
            return None
        path = self.queue.pop(0)
        return read_turn(path), path.name

    def recording(self, line: str, read: Callable[[str], str]) -> tuple[bytes, str] | None:
        """The WAV a typed line names, a microphone recording on an empty line (where there
        is a microphone), or None for words typed to the caller."""
        if is_wav_path(line):
            return read_turn(line.strip()), Path(line.strip()).name
        if not line.strip() and self.microphone is not None:
            return self.microphone.record(read), "microphone"
        return None

    def hear(self, wav: bytes) -> Heard:
        return hear(self.session, wav)

    def answer(self, turn: int, text: str) -> list[str]:
        """Voice the caller's line ``turn`` (0 = the opening): play it, save it; what was done."""
        if not self.can_speak or not (self.saver or self.play_replies):
            return []
        wav = speak(self.session, text, phone_line=self.phone_line)
        done = []
        if self.saver is not None:
            done.append(f"saved {self.saver.save(turn, wav)}")
        if self.play_replies and play(wav):
            done.append("played")
        return done
