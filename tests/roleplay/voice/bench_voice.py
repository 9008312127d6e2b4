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

``final3`` (writers L, M and N, frozen at ac6a069 before this pass's changes) is transcribed
once, at the end of a pass, with the settings fixed; the run says so if its corpus lines
have changed since it was frozen.

Synthesised producer audio is cached on disk (``--cache``, default ``/tmp/voice_cache``).

Usage::

    python tests/roleplay/voice/bench_voice.py --part tuning --no-latency
    python tests/roleplay/voice/bench_voice.py --part evaluation --show 10
    python tests/roleplay/voice/bench_voice.py --latency-only
    python tests/roleplay/voice/bench_voice.py --part final3 --no-latency --save /tmp/final3.json
    python tests/roleplay/voice/bench_voice.py --part tuning --transcripts /tmp/tuning.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from roleplay import detect_requests  # noqa: E402
from roleplay.speech.asr import WhisperEngine  # noqa: E402
from roleplay.speech.evaluate import (  # noqa: E402
    PRODUCER_VOICES,
    READINGS,
    SPLIT_PARTS,
    TUNING_VOICES,
    evaluate,
    load_split,
    read_requests,
    score,
    split_changed,
)
from roleplay.speech.latency import practice_call_latency  # noqa: E402

SPLIT = ROOT / "tests/roleplay/data/voice_split.json"
TURNS = ROOT / "tests/roleplay/data/speech/turns.jsonl"


def _git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def _commit() -> str:
    """HEAD's short hash, and whether the work tree's detector (roleplay/ outside speech/)
    differs from it: the figures are then the uncommitted detector's."""
    dirty = _git("status", "--porcelain", "--", "roleplay", ":!roleplay/speech") != "unknown"
    return _git("rev-parse", "--short", "HEAD") + (" + uncommitted detector changes" * dirty)


def accuracy(
    part: str, engine: WhisperEngine, show: int, cache: str, save: str = "", reading: str = "heard"
) -> None:
    extra = [json.loads(s) for s in TURNS.read_text().splitlines() if s.strip()]
    rows = load_split(SPLIT, part, extra=extra if part == "evaluation" else ())
    voices = TUNING_VOICES if part == "tuning" else PRODUCER_VOICES
    if split_changed(SPLIT, part):
        print(f"WARNING: {part}'s corpus lines differ from those frozen (texts_sha256)")
    commit = _commit()
    print(f"{part}: {len(rows)} lines, voices {', '.join(v[0] for v in voices)}; detector at "
          f"commit {commit}; model {engine.model_dir()}, {engine.compute_type}, beam "
          f"{engine.beam_size}; read {reading}; load {os.getloadavg()[0]:.1f}")  # fmt: skip
    engine.transcribe(np.zeros(16000, np.float32) + 0.01)  # load the model
    figures = evaluate(
        rows, engine, vocabulary=True, voices=voices, cache_dir=cache, reading=reading
    )
    print(figures.summary())
    if save:  # what was said and heard, line by line, to score again without transcribing
        lines = [
            {"id": r.get("id"), "text": r["text"], "heard": h}
            for r, h in zip(rows, figures.hypotheses, strict=True)
        ]
        Path(save).write_text(json.dumps(lines, indent=1) + "\n")
    print(f"  ASR seconds a line: median {np.median(figures.seconds):.2f}, "
          f"p90 {np.percentile(figures.seconds, 90):.2f}")  # fmt: skip
    shown = 0
    for row, hyp in zip(rows, figures.hypotheses, strict=True):
        gold = {f for f, k in row["labels"].items() if k == "request"}
        text = {
            f for f, k in detect_requests(row["text"], row["captured"]).items() if k == "request"
        }
        read = read_requests(hyp, row["captured"], reading)
        heard = {f for f, k in read.items() if k == "request"}
        if shown < show and ((gold & text) - heard or heard - gold):
            kind = "missed" if (gold & text) - heard else "extra "
            print(f"  {kind} {sorted(((gold & text) - heard) or (heard - gold))}\n"
                  f"     said  {row['text']}\n     heard {hyp}")  # fmt: skip
            shown += 1


def rescore(part: str, path: str) -> None:
    """Score transcripts saved by ``--save`` again, the detector reading them each way."""
    rows = load_split(SPLIT, part)
    saved = json.loads(Path(path).read_text())
    if [s.get("id") for s in saved] != [r["id"] for r in rows]:
        raise SystemExit(f"{path} does not hold the {part} lines in order")
    voices = TUNING_VOICES if part == "tuning" else PRODUCER_VOICES
    print(f"{part}: {len(rows)} saved transcripts ({path}); detector at commit "
          f"{_commit()}")  # fmt: skip
    for reading in READINGS:
        figures = score(rows, [s["heard"] for s in saved], voices=voices, reading=reading)
        print(f"read {reading}: " + figures.summary())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=SPLIT_PARTS, default="evaluation")
    parser.add_argument("--beam", type=int, default=None, help="override the beam size")
    parser.add_argument("--emphasis", type=float, default=None, help="override pre-emphasis")
    parser.add_argument(
        "--model", default=None, help="a model directory, or a bundled model's name (tiny.en, base)"
    )
    parser.add_argument("--compute-type", default=None, help="CTranslate2 compute type (int8)")
    parser.add_argument("--show", type=int, default=0, help="print this many detector misses")
    parser.add_argument("--cache", default="/tmp/voice_cache")
    parser.add_argument("--save", default="", help="write the transcripts to this JSON file")
    parser.add_argument(
        "--reading", choices=READINGS, default="heard", help="how the detector reads transcripts"
    )
    parser.add_argument(
        "--transcripts", default="", help="score these saved transcripts (--save) every reading"
    )
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
    if args.model is not None:
        options["model_dir"] = args.model
    if args.compute_type is not None:
        options["compute_type"] = args.compute_type
    if args.transcripts:
        rescore(args.part, args.transcripts)
        return
    if not args.latency_only:
        accuracy(
            args.part, WhisperEngine(**options), args.show, args.cache, args.save, args.reading
        )
    if not args.no_latency:
        engine = WhisperEngine(**options) if options else None
        print(practice_call_latency(args.turns, args.seed, engine).summary())


if __name__ == "__main__":
    main()
