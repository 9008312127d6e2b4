"""Benchmark: the voice role-play's recognisers on phone-line producer speech, and its latency.

Producer lines (typed lines of ``tests/roleplay/corpus/dev.jsonl``, never the held-out file,
plus the hand-written turns in ``tests/roleplay/data/speech/turns.jsonl``) are spoken by flite
voices (slt, rms, awb; the lab's callers speak with espeak-ng), each a little faster or
slower and with line hiss, over an 8 kHz 300–3400 Hz line. For each recogniser configuration
it prints the word error rate (target ≤ 0.15), the median seconds per turn, and the request
precision/recall of ``roleplay.detect_requests`` on the transcripts beside the same figures on
the typed text (targets ≥ 0.90, within 0.05 of the text; no confirm scored as a request).

Then the turn latency a producer feels: from the end of their audio to the first caller audio
(transcribe + ``Session.say`` + synthesising the reply's first sentence, phone line on), over
practice calls on every trigger (target median ≤ 1.5 s on the 2-core machine).

The recogniser's prompt and options were chosen with ``--tuning``: 100 other dev lines
(after the first 72) spoken by other voices (flite kal/kal16, one espeak-ng voice; no hand
turns), so the default figures are on voices and lines it was not tuned on.

Usage::

    python benchmarks/bench_speech.py                 # default engine + the comparison set
    python benchmarks/bench_speech.py --quick         # default engine only, 60 lines
    python benchmarks/bench_speech.py --lines 120 --configs whisper,whisper-full,sphinx
    python benchmarks/bench_speech.py --tuning --configs whisper+vocab,whisper-beam3 --lines 100
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from roleplay.speech.asr import SphinxEngine, WhisperEngine  # noqa: E402
from roleplay.speech.evaluate import (  # noqa: E402
    PRODUCER_VOICES,
    TUNING_VOICES,
    evaluate,
    load_split,
)
from roleplay.speech.latency import practice_call_latency  # noqa: E402

SPLIT = ROOT / "tests/roleplay/data/voice_split.json"
"""The frozen voice split (line ids per part), so corpus additions never move these lines."""
TURNS = ROOT / "tests/roleplay/data/speech/turns.jsonl"

CONFIGS = {
    # name: (engine factory, bias towards the call's vocabulary)
    "whisper": (lambda: WhisperEngine(), False),
    "whisper+vocab": (lambda: WhisperEngine(), True),
    "whisper-full": (lambda: WhisperEngine(short_window=False), False),
    "whisper-beam3": (lambda: WhisperEngine(beam_size=3), True),
    "whisper-beam5": (lambda: WhisperEngine(beam_size=5), False),
    "sphinx": (lambda: SphinxEngine(), False),
}


def _extra_turns() -> list[dict]:
    return [json.loads(s) for s in TURNS.read_text().splitlines() if s.strip()]


def _commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True)  # fmt: skip
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def accuracy(n_lines: int, configs: list[str], show: int, tuning: bool = False) -> None:
    if tuning:
        rows, voices = load_split(SPLIT, "tuning")[:n_lines], TUNING_VOICES
    else:
        lines = load_split(SPLIT, "evaluation")[:n_lines]
        rows, voices = lines + _extra_turns(), PRODUCER_VOICES
    print(f"{len(rows)} producer lines ({'TUNING set, ' if tuning else ''}{min(n_lines, len(rows))}"
          f" frozen-split lines + turns), voices {', '.join(v[0] for v in voices)}, detector "
          f"at commit {_commit()}, load {os.getloadavg()[0]:.1f}")  # fmt: skip
    audio: dict = {}
    for name in configs:
        factory, vocab = CONFIGS[name]
        engine = factory()
        if not engine.available():
            print(f"{name:14s} not installed")
            continue
        engine.transcribe(__import__("numpy").zeros(16000, "float32") + 0.01)  # warm up
        figures = evaluate(rows, engine, vocabulary=vocab, audio=audio, voices=voices)
        print(f"{name:14s} " + figures.summary().replace("\n", "\n" + " " * 15))
        for ref, hyp in figures.misheard[:show]:
            print(f"{'':17s}said  {ref}\n{'':17s}heard {hyp}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=72, help="dev corpus lines (≥ 60)")
    parser.add_argument("--configs", default="whisper,whisper+vocab,whisper-full,sphinx")
    parser.add_argument("--quick", action="store_true", help="default engine, 60 lines")
    parser.add_argument("--show", type=int, default=0, help="print this many misheard lines")
    parser.add_argument("--turns", type=int, default=6, help="producer turns per practice call")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--tuning", action="store_true", help="the tuning lines and voices")
    parser.add_argument("--no-latency", action="store_true", help="accuracy only")
    args = parser.parse_args()
    configs = ["whisper+vocab"] if args.quick else args.configs.split(",")
    accuracy(60 if args.quick else args.lines, configs, args.show, args.tuning)
    if not args.no_latency:
        print(practice_call_latency(args.turns, args.seed).summary())


if __name__ == "__main__":
    main()
