"""Benchmark: milliseconds per producer utterance for ``roleplay.detect`` on one core.

Runs the detector over the labelled utterances the repository ships (the hand-labelled sets
in tests/roleplay/data and, when present, the tuning part of the writers' corpus), each with
its intake packet, and reports the mean, median and 95th-percentile time per utterance. Times
are CPU time of this process (``time.process_time``), so other work on the machine does not
inflate them: the figure is what one core spends. The budget is 20 ms per utterance; this
prints the figure, it does not assert it.

Usage::

    python benchmarks/bench_detect.py            # every shipped utterance, 3 passes
    python benchmarks/bench_detect.py --passes 1
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from roleplay.detect import detect
from roleplay.labelled import LAURA_CHEN, read_corpus, read_utterances
from roleplay.learned import model
from roleplay.resemble import _index

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "roleplay" / "data"
CORPUS = ROOT / "tests" / "roleplay" / "corpus" / "dev.jsonl"
PACKET = LAURA_CHEN


def utterances() -> list[tuple[str, dict[str, str]]]:
    """(text, packet) for every shipped labelled utterance."""
    out = [
        (text, PACKET)
        for name in ("labelled_utterances.txt", "heldout_utterances.txt")
        for _number, text, _labels in read_utterances(DATA / name)
    ]
    if CORPUS.exists():
        out += [(line.text, line.captured) for line in read_corpus(CORPUS)]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    if args.passes < 1:
        parser.error(f"--passes must be a whole number of at least 1, not {args.passes}")
    items = utterances()
    t0 = time.process_time()
    _index()  # the resemblance fallback's vectors are built once, on first use
    model()  # and the learned model's weights read once
    build = (time.process_time() - t0) * 1000
    detect(*items[0])  # compile patterns outside the timing
    times = []
    for _ in range(args.passes):
        for text, packet in items:
            t0 = time.process_time()
            detect(text, packet)
            times.append((time.process_time() - t0) * 1000)
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"{len(items)} utterances x {args.passes} passes: mean {statistics.fmean(times):.2f} ms, "
        f"median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, max {times[-1]:.2f} ms "
        f"per utterance (budget 20 ms); loading the resemblance index and the model once: "
        f"{build:.0f} ms"
    )


if __name__ == "__main__":
    main()
