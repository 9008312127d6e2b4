"""Refit the detector's learned parts from a repository checkout: ``python -m roleplay.retrain``.

Copies the labelled tuning lines (:func:`roleplay.labelled.from_repository`: the tuning part
of the writers' corpus and the hand-labelled utterances, never a held-out file) into
``roleplay/data/labelled_lines.jsonl`` and fits the request model (:mod:`roleplay.learned`)
into ``roleplay/data/request_model.json``. Run it after ``tests/roleplay/corpus/split.py
--freeze`` or an edit of the labelled utterances; the detector tests fail while the shipped
lines are stale.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from roleplay.labelled import LINES_FILE, export, from_repository
from roleplay.learned import L2, MODEL_FILE, train

DATA = Path(__file__).resolve().parent / "data"


def main(argv: list[str] | None = None) -> None:
    """Export the labelled tuning lines and fit the shipped request model."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--l2", type=float, default=L2, help=f"weight penalty (default {L2})")
    args = parser.parse_args(argv)
    if not args.l2 > 0:
        print(f"--l2 must be a positive number, not {args.l2}", file=sys.stderr)
        raise SystemExit(2)
    lines = from_repository()
    if not lines:
        print(
            "no labelled tuning lines found (tests/roleplay/corpus/dev.jsonl and "
            "tests/roleplay/data/labelled_utterances.txt): run this from a repository checkout",
            file=sys.stderr,
        )
        raise SystemExit(2)
    export(lines, DATA / LINES_FILE)
    fitted = train(lines, args.l2)
    text = fitted.to_json()
    (DATA / MODEL_FILE).write_text(text + "\n", encoding="utf-8")
    kept = len(json.loads(text)["weights"])
    print(f"{len(lines)} labelled lines → {LINES_FILE}; {kept} weights → {MODEL_FILE}")


if __name__ == "__main__":
    main()
