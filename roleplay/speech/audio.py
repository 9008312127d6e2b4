"""Audio plumbing for the voice role-play: WAV bytes in and out, resampling, the phone line.

Everything is mono float32 in [-1, 1] between the edges. :func:`read_wav` accepts 8/16/24/32-bit
PCM (and, when ``soundfile`` is installed, float and other formats) at any sample rate and
mixes channels down; :func:`resample` is a polyphase filter (scipy); :func:`phone_line` models a
narrow-band telephone channel: 8 kHz, band-limited to 300–3400 Hz. The recogniser's front end
for such audio (:func:`narrow_band`, :func:`pre_emphasis`) lifts the upper part of the band
that a phone line leaves weak.
"""

from __future__ import annotations

import io
import wave
from math import gcd

import numpy as np
import scipy.signal as ss

__all__ = [
    "PHONE_BAND",
    "PHONE_RATE",
    "narrow_band",
    "phone_line",
    "pre_emphasis",
    "read_wav",
    "resample",
    "write_wav",
]

PHONE_RATE = 8000
"""Narrow-band telephone sample rate (Hz)."""
PHONE_BAND = (300.0, 3400.0)
"""The telephone pass band (Hz)."""


class AudioError(ValueError):
    """The bytes are not audio this module can read."""


def _pcm_to_float(raw: bytes, width: int) -> np.ndarray:
    if width == 1:
        return (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    if width == 2:
        return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if width == 3:
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        v = np.where(v >= 1 << 23, v - (1 << 24), v)
        return v.astype(np.float32) / float(1 << 23)
    if width == 4:
        return (np.frombuffer(raw, dtype="<i4").astype(np.float64) / 2147483648.0).astype(
            np.float32
        )
    raise AudioError(f"unsupported PCM sample width: {width} bytes")


def read_wav(data: bytes) -> tuple[np.ndarray, int]:
    """``(samples, sample_rate)`` of a WAV file given as bytes; mono float32."""
    if not data:
        raise AudioError("no audio: the WAV is empty")
    try:
        with wave.open(io.BytesIO(data)) as w:
            rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
            x = _pcm_to_float(w.readframes(w.getnframes()), width)
    except (wave.Error, EOFError) as exc:
        x, rate, channels = _read_with_soundfile(data, exc)
    if channels > 1:
        x = x[: len(x) // channels * channels].reshape(-1, channels).mean(axis=1)
    return np.ascontiguousarray(x, dtype=np.float32), int(rate)


def _read_with_soundfile(data: bytes, exc: Exception) -> tuple[np.ndarray, int, int]:
    try:
        import soundfile
    except ImportError:
        raise AudioError(f"not a PCM WAV file ({exc}); install soundfile for others") from exc
    try:
        x, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except Exception as exc2:  # soundfile raises its own LibsndfileError
        raise AudioError(f"not an audio file: {exc2}") from exc2
    return x.mean(axis=1), rate, 1


def write_wav(samples: np.ndarray, rate: int) -> bytes:
    """16-bit PCM mono WAV bytes of float samples in [-1, 1]."""
    pcm = (np.clip(np.asarray(samples, dtype=np.float32), -1.0, 1.0) * 32767.0).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(int(rate))
        w.writeframes(pcm.tobytes())
    return buf.getvalue()


def resample(samples: np.ndarray, rate: int, target: int) -> np.ndarray:
    """``samples`` at ``rate`` Hz resampled to ``target`` Hz (polyphase, anti-aliased)."""
    if rate == target:
        return np.asarray(samples, dtype=np.float32)
    g = gcd(int(rate), int(target))
    return ss.resample_poly(samples, target // g, rate // g).astype(np.float32)


def phone_line(samples: np.ndarray, rate: int) -> np.ndarray:
    """``samples`` as heard down a narrow-band phone line: 8 kHz, 300–3400 Hz band-pass.

    Returns samples at :data:`PHONE_RATE`, peak-normalised to 0.9 (a line has gain control).
    """
    y = resample(samples, rate, PHONE_RATE)
    sos = ss.butter(4, PHONE_BAND, btype="bandpass", fs=PHONE_RATE, output="sos")
    y = ss.sosfilt(sos, y).astype(np.float32)
    peak = float(np.max(np.abs(y))) if len(y) else 0.0
    return y * (0.9 / peak) if peak > 0 else y


def narrow_band(samples: np.ndarray, rate: int, *, cutoff: float = 4000.0) -> bool:
    """True when ``samples`` carry (almost) nothing above ``cutoff`` Hz: telephone audio, or
    audio recorded at 8 kHz, whatever rate it was resampled to since.

    Nothing above the cut-off means less than 1e-4 (-40 dB) of the signal's power there;
    microphone speech keeps about 1e-2 there (fricatives, breath, room noise)."""
    x = np.asarray(samples, dtype=np.float64)
    if rate <= 2 * cutoff:
        return True
    if len(x) == 0:
        return False
    power = np.abs(np.fft.rfft(x - x.mean())) ** 2
    total = float(power.sum())
    if total == 0.0:
        return False
    freqs = np.fft.rfftfreq(len(x), 1.0 / rate)
    return float(power[freqs > cutoff].sum()) / total < 1e-4


def pre_emphasis(samples: np.ndarray, coefficient: float = 0.97) -> np.ndarray:
    """``y[n] = x[n] - a·x[n-1]``: the classic speech front end, a first-order high-pass that
    lifts the spectrum by about 6 dB an octave (at ``a=0.97``: -30 dB at DC, +6 dB at
    ``rate/4``), peak-normalised back to the input's peak."""
    x = np.asarray(samples, dtype=np.float32)
    if len(x) == 0:
        return x
    y = np.empty_like(x)
    y[0] = x[0]
    y[1:] = x[1:] - coefficient * x[:-1]
    peak_in, peak_out = float(np.max(np.abs(x))), float(np.max(np.abs(y)))
    return y * (peak_in / peak_out) if peak_out > 0 else y
