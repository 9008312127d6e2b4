"""Measuring the recogniser the way a producer would use it: spoken lines, phone line, detector.

Labelled producer lines (``tests/roleplay/corpus/dev.jsonl``, and for the ``final2`` part
writer K's ``writer_k.jsonl``; typed style, never the held-out file) are spoken by *flite*
voices (not espeak-ng, which the lab's callers speak with), each varied a little (speed/pitch
by resampling, level, a faint line hiss), sent down an 8 kHz 300–3400 Hz phone line and
transcribed; initialisms are spelt out as people say them (:func:`said_as`). The lines are a
split frozen by id (``tests/roleplay/data/voice_split.json``, :func:`load_split`): the
recogniser's settings were tuned on its ``tuning`` lines spoken by other voices
(:data:`TUNING_VOICES`: flite's kal and kal16, one espeak-ng voice), never on the
:data:`PRODUCER_VOICES` the figures are given for (``evaluation``, ``fresh``, ``final``,
``final2`` and ``final3`` lines; each of the last four frozen before a round of changes and
transcribed once after it). :func:`evaluate` reports the word error rate and, feeding text and
transcripts alike to :func:`roleplay.detect_requests`, the request precision and recall
against the lines' labels and how many confirms were scored as requests. The transcripts are
read as heard, as the product reads them (``Session.say``); :func:`read_requests` can also read
them in transcript style or both ways (measured on ``tuning``, not shipped: MODELS.md), and
:func:`score` scores transcripts already made.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from roleplay.speech.asr import AsrEngine
from roleplay.speech.audio import phone_line, read_wav, resample, write_wav
from roleplay.speech.tts import EspeakEngine, FliteEngine
from roleplay.speech.wer import corpus_wer

__all__ = [
    "PRODUCER_VOICES",
    "READINGS",
    "SPLIT_PARTS",
    "TUNING_VOICES",
    "Figures",
    "evaluate",
    "load_lines",
    "load_split",
    "producer_wav",
    "read_requests",
    "said_as",
    "score",
    "split_changed",
    "texts_digest",
    "transcript_style",
]

PRODUCER_VOICES = (("slt", 1.0, 0.0), ("rms", 0.96, 0.002), ("awb", 1.04, 0.001))
"""(flite voice, speed/pitch factor, hiss level): the stand-in producers the figures are for."""
TUNING_VOICES = (
    ("kal", 1.0, 0.0), ("kal16", 0.97, 0.0), ("espeak-ng:en-us+m3@160/40", 1.0, 0.0),
    ("kal16", 1.04, 0.0),
)  # fmt: skip
"""The voices the recogniser's prompt and options were chosen on ("engine:voice"; flite when
no engine is named)."""
SPLIT_PARTS = ("tuning", "evaluation", "fresh", "final", "final2", "final3", "final4")
"""The parts of the frozen voice split, in the order they were frozen."""
READINGS = ("heard", "transcript", "union")
"""How the detector can read a transcript (:func:`read_requests`); the product reads it as
heard (``Session.say`` detects on the recogniser's text as it is, as on a typed line)."""
_EXCLUDED = "heldout"


def load_lines(
    path: str | Path,
    n: int = 72,
    *,
    extra: Sequence[dict] = (),
    skip: int = 0,
    ids: Sequence[str] | None = None,
) -> list[dict]:
    """``n`` typed lines of a corpus file, spread by a hash of their ids (after the first
    ``skip``), then ``extra``; or, given ``ids``, those lines in that order (a frozen split:
    lines added to the file later do not move it)."""
    path = Path(path)
    if _EXCLUDED in path.name:
        raise ValueError("the held-out corpus is for the detector's final figures only")
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    if ids is not None:
        by_id = {r["id"]: r for r in rows}
        missing = [i for i in ids if i not in by_id]
        if missing:
            raise ValueError(f"{path} has no lines {', '.join(missing[:5])} (split out of date)")
        return [by_id[i] for i in ids] + list(extra)
    rows = [r for r in rows if r.get("style") == "typed"]
    rows.sort(key=lambda r: hashlib.sha256(r["id"].encode()).hexdigest())
    return rows[skip : skip + n] + list(extra)


def load_split(split: str | Path, part: str, *, extra: Sequence[dict] = ()) -> list[dict]:
    """The ``part`` (one of :data:`SPLIT_PARTS`) of a frozen split file (JSON: ``corpus``, a
    path relative to the repository holding the split, line ids per part, and ``corpora``
    naming another corpus file for a part that is not drawn from ``corpus``: ``final2`` is
    writer K's lines, ``tests/roleplay/corpus/writer_k.jsonl``)."""
    split = Path(split)
    doc = json.loads(split.read_text())
    if part not in SPLIT_PARTS:
        raise ValueError(f"part must be one of {', '.join(SPLIT_PARTS)}, not {part!r}")
    corpus = doc.get("corpora", {}).get(part, doc["corpus"])
    root = next((p for p in split.resolve().parents if (p / corpus).is_file()), None)
    if root is None:
        raise ValueError(f"{split}: its corpus {corpus} is not found above it")
    return load_lines(root / corpus, ids=doc[part], extra=extra)


def texts_digest(rows: Sequence[dict]) -> str:
    """sha256 of the lines' ids and texts (id, a tab, the text; one line each, joined by
    newlines): what a split's ``texts_sha256`` holds for a part frozen with it."""
    return hashlib.sha256("\n".join(f"{r['id']}\t{r['text']}" for r in rows).encode()).hexdigest()


def split_changed(split: str | Path, part: str) -> bool:
    """Whether the corpus lines of ``part`` differ from those frozen (only a part with a
    ``texts_sha256`` entry, ``final3`` and ``final4``, can tell; the others give False)."""
    frozen = json.loads(Path(split).read_text()).get("texts_sha256", {}).get(part)
    return frozen is not None and texts_digest(load_split(split, part)) != frozen


def producer_wav(
    text: str,
    index: int,
    voices: Sequence[tuple[str, float, float]] = PRODUCER_VOICES,
    *,
    cache_dir: str | Path | None = None,
) -> bytes:
    """``text`` spoken by stand-in producer ``index`` over a phone line: 8 kHz WAV bytes.

    Initialisms are said letter by letter, as a producer says them (:func:`said_as`).
    With ``cache_dir`` the WAV is kept there, named by a hash of the text and the voice."""
    voice, factor, hiss = voices[index % len(voices)]
    if cache_dir is not None:
        said = said_as(text)
        key = hashlib.sha256(repr((said, voice, factor, hiss)).encode()).hexdigest()[:24]
        cached = Path(cache_dir) / f"{key}.wav"
        if cached.is_file():
            return cached.read_bytes()
        wav = producer_wav(text, index, voices)
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_bytes(wav)
        return wav
    engine, _, name = voice.rpartition(":")
    tts = EspeakEngine() if engine == "espeak-ng" else FliteEngine()
    samples, rate = read_wav(tts.synthesize(said_as(text), name))
    if factor != 1.0:  # played back faster/slower: speed and pitch move together (sox speed)
        samples = resample(samples, rate, round(rate / factor))
    line = phone_line(samples, rate)
    if hiss:
        rng = np.random.default_rng(int(hashlib.sha256(text.encode()).hexdigest()[:8], 16))
        line = line + rng.normal(0.0, hiss, len(line)).astype(np.float32)
    return write_wav(line * 0.7, 8000)


SAID_AS_WORDS = frozenset({"VIN", "ZIP", "PIN", "COBRA", "HIPAA", "NASA"})
"""Capitalised abbreviations that people say as words; every other one is spelt out."""


def said_as(text: str) -> str:
    """``text`` as a producer says it: an initialism of two to four capitals is spelt letter
    by letter ("DOB" → "D O B", "DMV" → "D M V"; the synthesisers read "DOB" as the word "dob",
    which no producer says), except :data:`SAID_AS_WORDS`."""

    def spell(m: re.Match[str]) -> str:
        letters, plural = m.group(1), m.group(2)
        if letters in SAID_AS_WORDS:
            return m.group(0)
        return " ".join(letters) + ("'s" if plural else "")

    return re.sub(r"\b([A-Z]{2,4})(s?)\b", spell, text)


def transcript_style(heard: str) -> str:
    """``heard`` written the way speech-to-text lines of the corpus are (its transcript style):
    lower case, no punctuation (Whisper's is unreliable at 8 kHz). Apostrophes go ("what's" →
    "whats"), a thousands comma and a decimal point between digits are kept as a number
    ("$500,000" → "500000", "2.5" stays), every other mark is a word break ("614-555-0142" →
    "614 555 0142")."""
    t = heard.lower().replace("\u2019", "'").replace("'", "")
    t = re.sub(r"(?<=\d),(?=\d{3})", "", t)
    t = re.sub(r"(?<=\d)\.(?=\d)", "\0", t)
    t = re.sub(r"[^\w\s\0]+|_", " ", t).replace("\0", ".")
    return " ".join(t.split())


def read_requests(
    heard: str, captured: dict[str, str] | None = None, reading: str = "heard"
) -> dict[str, str]:
    """The detector's fields and kinds for a transcript, read one of :data:`READINGS` ways:
    ``heard`` as the recogniser wrote it (what the product does), ``transcript`` in
    :func:`transcript_style`, or the ``union`` of both readings' requests, where a field the
    heard reading scores as a confirm stays a confirm."""
    from roleplay import detect_requests

    if reading not in READINGS:
        raise ValueError(f"reading must be one of {', '.join(READINGS)}, not {reading!r}")
    as_heard = detect_requests(heard, captured) if reading != "transcript" else {}
    if reading == "heard":
        return as_heard
    out = dict(as_heard)
    for f, kind in detect_requests(transcript_style(heard), captured).items():
        if kind == "request" and out.get(f) != "confirm":
            out[f] = kind
        out.setdefault(f, kind)
    return out


@dataclass
class Figures:
    """What :func:`evaluate` measured."""

    lines: int
    wer: float
    text: dict[str, float]
    speech: dict[str, float]
    seconds: list[float] = field(default_factory=list)
    misheard: list[tuple[str, str]] = field(default_factory=list)
    by_voice: dict[str, float] = field(default_factory=dict)
    """WER per stand-in producer voice."""
    hypotheses: list[str] = field(default_factory=list)

    def summary(self) -> str:
        t, s = self.text, self.speech
        return (
            f"{self.lines} lines  WER {self.wer:.3f} ("
            + ", ".join(f"{v} {w:.3f}" for v, w in self.by_voice.items())
            + (f")  median ASR {np.median(self.seconds):.2f}s\n" if self.seconds else ")\n")
            + f"  text:   precision {t['precision']:.3f} recall {t['recall']:.3f} "
            f"confirms-as-requests {int(t['confirm_as_request'])}\n"
            f"  speech: precision {s['precision']:.3f} recall {s['recall']:.3f} "
            f"confirms-as-requests {int(s['confirm_as_request'])}"
        )


def _requests(labels: dict[str, str]) -> set[str]:
    return {f for f, kind in labels.items() if kind == "request"}


def _score(rows: Sequence[dict], predicted: Sequence[dict[str, str]]) -> dict[str, float]:
    tp = fp = fn = confirm_as_request = 0
    for row, pred in zip(rows, predicted, strict=True):
        gold, got = _requests(row["labels"]), _requests(pred)
        tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
        confirm_as_request += sum(
            1 for f, k in row["labels"].items() if k == "confirm" and pred.get(f) == "request"
        )
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "confirm_as_request": confirm_as_request,
    }


def evaluate(
    rows: Sequence[dict],
    engine: AsrEngine,
    *,
    vocabulary: bool = True,
    audio: dict | None = None,
    voices: Sequence[tuple[str, float, float]] = PRODUCER_VOICES,
    cache_dir: str | Path | None = None,
    reading: str = "heard",
) -> Figures:
    """Speak, transcribe and score ``rows`` (corpus objects: text, captured, labels).

    ``audio`` caches the producer WAVs by line index across calls (several engines, one set),
    ``cache_dir`` on disk across runs. The detector reads the transcripts the ``reading`` way
    (:func:`read_requests`; the typed text always as typed).
    """
    from roleplay.speech import call_vocabulary

    audio = {} if audio is None else audio
    hyps: list[str] = []
    seconds: list[float] = []
    for i, row in enumerate(rows):
        if i not in audio:
            audio[i] = producer_wav(row["text"], i, voices, cache_dir=cache_dir)
        samples, rate = read_wav(audio[i])
        vocab = call_vocabulary(row["captured"]) if vocabulary else ()
        start = time.perf_counter()
        hyps.append(engine.transcribe(resample(samples, rate, 16000), vocab))
        seconds.append(time.perf_counter() - start)
    figures = score(rows, hyps, voices=voices, reading=reading)
    figures.seconds = seconds
    return figures


def score(
    rows: Sequence[dict],
    hypotheses: Sequence[str],
    *,
    voices: Sequence[tuple[str, float, float]] = PRODUCER_VOICES,
    reading: str = "heard",
) -> Figures:
    """Score transcripts of ``rows`` already made (line ``i`` spoken by ``voices[i % n]``, as
    :func:`evaluate` speaks them), the detector reading them the ``reading`` way."""
    from roleplay import detect_requests

    hyps = list(hypotheses)
    refs = [r["text"] for r in rows]
    text_pred = [detect_requests(r["text"], r["captured"]) for r in rows]
    speech_pred = [
        read_requests(h, r["captured"], reading) for h, r in zip(hyps, rows, strict=True)
    ]
    misheard = [(r, h) for r, h in zip(refs, hyps, strict=True) if corpus_wer([r], [h]) > 0.25]
    return Figures(
        lines=len(rows),
        wer=corpus_wer(refs, hyps),
        text=_score(rows, text_pred),
        speech=_score(rows, speech_pred),
        misheard=misheard,
        by_voice={
            f"{voice}@{factor:g}": corpus_wer(refs[k :: len(voices)], hyps[k :: len(voices)])
            for k, (voice, factor, _) in enumerate(voices)
        },
        hypotheses=hyps,
    )
