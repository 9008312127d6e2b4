"""Benchmark: the recogniser on phone-line producer speech (frozen split), and turn latency.

The split is frozen in ``tests/roleplay/data/voice_split.json``: settings are chosen on the
``tuning`` lines spoken by :data:`~roleplay.speech.evaluate.TUNING_VOICES` (flite kal/kal16,
one espeak-ng voice) and reported on the ``evaluation`` lines plus the hand-written turns,
spoken by :data:`~roleplay.speech.evaluate.PRODUCER_VOICES` (flite slt/rms/awb: never tuned
on, and not the engine the lab's callers speak with); ``fresh`` is 72 more lines in those
voices, frozen before any setting was changed in view of the evaluation's misses. For each it
prints the word error rate, and the detector's request precision/recall on the transcripts
beside its figures on the typed text of the same lines (issue 14: WER ≤ 0.15, spoken within
0.05 of text, P and R ≥ 0.90, no confirm scored as a request).

Latency is what a producer feels: from the end of their audio to the first caller audio
(transcribe + ``Session.say`` + the reply's first sentence synthesised, phone line on), over
practice calls on every trigger; with the load average, since the machine may be shared, and
the process's CPU seconds (about the wall time on an idle machine).

Synthesised producer audio is cached on disk (``--cache``, default ``/tmp/voice_cache``).

Usage::

    python tests/roleplay/voice/bench_voice.py --part tuning --no-latency
    python tests/roleplay/voice/bench_voice.py --part evaluation --show 10
    python tests/roleplay/voice/bench_voice.py --latency-only
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from roleplay import Session, available_triggers, detect_requests  # noqa: E402
from roleplay.speech import asr_engine, call_vocabulary, sentences, synthesize  # noqa: E402
from roleplay.speech.asr import AsrEngine, WhisperEngine  # noqa: E402
from roleplay.speech.audio import read_wav, resample  # noqa: E402
from roleplay.speech.evaluate import (  # noqa: E402
    PRODUCER_VOICES,
    TUNING_VOICES,
    evaluate,
    load_split,
    producer_wav,
)

SPLIT = ROOT / "tests/roleplay/data/voice_split.json"
TURNS = ROOT / "tests/roleplay/data/speech/turns.jsonl"


def _git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def accuracy(part: str, engine: WhisperEngine, show: int, cache: str) -> None:
    extra = [json.loads(s) for s in TURNS.read_text().splitlines() if s.strip()]
    rows = load_split(SPLIT, part, extra=extra if part == "evaluation" else ())
    voices = TUNING_VOICES if part == "tuning" else PRODUCER_VOICES
    commit = _git("rev-parse", "--short", "HEAD")
    print(f"{part}: {len(rows)} lines, voices {', '.join(v[0] for v in voices)}; detector at "
          f"commit {commit}; load {os.getloadavg()[0]:.1f}")  # fmt: skip
    engine.transcribe(np.zeros(16000, np.float32) + 0.01)  # load the model
    figures = evaluate(rows, engine, vocabulary=True, voices=voices, cache_dir=cache)
    print(figures.summary())
    print(f"  ASR seconds a line: median {np.median(figures.seconds):.2f}, "
          f"p90 {np.percentile(figures.seconds, 90):.2f}")  # fmt: skip
    shown = 0
    for row, hyp in zip(rows, figures.hypotheses, strict=True):
        gold = {f for f, k in row["labels"].items() if k == "request"}
        text = {
            f for f, k in detect_requests(row["text"], row["captured"]).items() if k == "request"
        }
        heard = {f for f, k in detect_requests(hyp, row["captured"]).items() if k == "request"}
        if shown < show and ((gold & text) - heard or heard - gold):
            kind = "missed" if (gold & text) - heard else "extra "
            print(f"  {kind} {sorted(((gold & text) - heard) or (heard - gold))}\n"
                  f"     said  {row['text']}\n     heard {hyp}")  # fmt: skip
            shown += 1


def latency(turns_per_call: int, seed: int, chosen: AsrEngine | None = None) -> None:
    engine = chosen or asr_engine()
    firsts: list[float] = []
    cpus: list[float] = []
    asr: list[float] = []
    for t, trigger in enumerate(available_triggers()):
        session = Session.start(trigger, seed=seed + t)
        p = session.persona
        vocab = call_vocabulary(session.packet.captured, [p.first_name, p.last_name])
        lines = [
            f"Hi {p.first_name}, this is Dana, a licensed agent with Harbor, thanks for holding.",
            "Can you tell me a little more about what's going on?",
            "What's your date of birth, and which state are you in?",
            "Okay, I can help with that today.",
            "I'll email you a written summary and call you tomorrow morning to confirm.",
            "Is there anything else you'd like to add?",
        ][:turns_per_call]  # fmt: skip
        voice = f"{trigger}:{seed + t}"
        for i, line in enumerate(lines):
            wav = producer_wav(line, t + i)
            start, cpu = time.perf_counter(), time.process_time()  # the producer stops talking
            samples, rate = read_wav(wav)  # what speech.transcribe does, with this engine
            text = engine.transcribe(resample(samples, rate, 16000), vocab)
            heard = time.perf_counter()
            reply = session.say(text or "...")
            synthesize((sentences(reply.text) or ["..."])[0], voice=voice, phone_line=True)
            firsts.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            asr.append(heard - start)
            if reply.ended:
                break
    p90 = float(np.percentile(firsts, 90))
    print(f"latency over {len(firsts)} turns ({engine.name}, beam "
          f"{getattr(engine, 'beam_size', '-')}), load {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores: end of producer audio → first caller audio median "
          f"{statistics.median(firsts):.2f} s, p90 {p90:.2f} s; transcription median "
          f"{statistics.median(asr):.2f} s; this process's CPU seconds to the first audio "
          f"median {statistics.median(cpus):.2f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("tuning", "evaluation", "fresh"), default="evaluation")
    parser.add_argument("--beam", type=int, default=None, help="override the beam size")
    parser.add_argument("--emphasis", type=float, default=None, help="override pre-emphasis")
    parser.add_argument("--show", type=int, default=0, help="print this many detector misses")
    parser.add_argument("--cache", default="/tmp/voice_cache")
    parser.add_argument("--turns", type=int, default=6, help="producer turns per practice call")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-latency", action="store_true")
    parser.add_argument("--latency-only", action="store_true")
    args = parser.parse_args()
    options: dict = {}
    if args.beam is not None:
        options["beam_size"] = args.beam
    if args.emphasis is not None:
        options["emphasis"] = args.emphasis
    if not args.latency_only:
        accuracy(args.part, WhisperEngine(**options), args.show, args.cache)
    if not args.no_latency:
        latency(args.turns, args.seed, WhisperEngine(**options) if options else None)


if __name__ == "__main__":
    main()
