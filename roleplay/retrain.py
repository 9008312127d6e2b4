"""Refit the detector's learned parts from a repository checkout: ``python -m roleplay.retrain``.

Copies the labelled tuning lines (:func:`roleplay.labelled.from_repository`: the tuning part
of the writers' corpus and the hand-labelled utterances, never a held-out file) into
``roleplay/data/labelled_lines.jsonl`` and fits the request model (:mod:`roleplay.learned`)
into ``roleplay/data/request_model.json``. Run it after ``tests/roleplay/corpus/split.py
--freeze`` or an edit of the labelled utterances; the detector tests fail while the shipped
lines are stale.

``python -m roleplay.retrain --by-writer`` reports instead the honest estimate on the tuning
lines: leave one writer out (each writer's lines scored by a model fitted without them), the
request precision and recall per style and the confirms scored as requests, for each weight
penalty given. The rules themselves were tuned on every writer, so the estimate is of the
model's part, and is still optimistic about wordings the rules have never seen.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from roleplay.labelled import LINES_FILE, Labelled, export, from_repository
from roleplay.learned import L2, MODEL_FILE, features, fit, opinion, train

DATA = Path(__file__).resolve().parent / "data"
_CORPUS = Path(__file__).resolve().parents[1] / "tests" / "roleplay" / "corpus" / "dev.jsonl"


def _writer(line: Labelled) -> str | None:
    """The writer's letter of a corpus line ("d-0311" → "d"); None for other labelled lines."""
    return line.id[0] if len(line.id) == 6 and line.id[1] == "-" else None


def by_writer(lines: Sequence[Labelled], l2s: Sequence[float], styles: dict[str, str]) -> str:
    """Leave-one-writer-out figures of the detector (rules, and the model fitted without the
    writer), one table per weight penalty."""
    from roleplay.detect import detect

    scored = [i for i, x in enumerate(lines) if _writer(x)]
    rules = {i: {h.field: h.kind for h in detect(lines[i].text, lines[i].captured, False)}
             for i in scored}  # fmt: skip
    feats = [features(x.text, x.captured) for x in lines]
    writers = sorted({_writer(lines[i]) or "" for i in scored})
    out = []
    for l2 in l2s:
        counts = {s: [0, 0, 0, 0] for s in sorted(set(styles.values()))}  # tp fp fn confirms
        for w in writers:
            rows: list[list[str]] = []
            y: list[bool] = []
            for x, per_field in zip(lines, feats, strict=True):
                if _writer(x) != w:
                    rows += per_field.values()
                    y += [x.labels.get(f) == "request" for f in per_field]
            fold = fit(rows, y, l2)
            for i in scored:
                x = lines[i]
                if _writer(x) != w:
                    continue
                got = dict(rules[i])
                add, drop = opinion(x.text, x.captured, got, fold.of_features(feats[i]))
                got.update({v.field: "request" for v in add})
                for v in drop:
                    del got[v.field]
                c = counts[styles.get(x.id, "typed")]
                for f in set(x.labels) | set(got):
                    g, p = x.labels.get(f) == "request", got.get(f) == "request"
                    c[0] += g and p
                    c[1] += p and not g
                    c[2] += g and not p
                    c[3] += x.labels.get(f) == "confirm" and p
        for style, (tp, fp, fn, conf) in counts.items():
            out.append(
                f"l2 {l2:g}  {style:<11} P {tp / max(tp + fp, 1):.3f}  R {tp / max(tp + fn, 1):.3f}"
                f"  requests {tp + fn}  confirms→requests {conf}"
            )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    """Export the labelled tuning lines and fit the shipped request model."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--l2", type=float, default=L2, help=f"weight penalty (default {L2})")
    parser.add_argument(
        "--by-writer",
        nargs="*",
        type=float,
        metavar="L2",
        help="report leave-one-writer-out figures for these penalties (default the --l2 one) "
        "instead of refitting",
    )
    args = parser.parse_args(argv)
    for option, value in [("--l2", args.l2), *(("--by-writer", v) for v in args.by_writer or [])]:
        if not value > 0:
            print(f"{option} must be a positive number, not {value:g}", file=sys.stderr)
            raise SystemExit(2)
    lines = from_repository()
    if not lines:
        print(
            "no labelled tuning lines found (tests/roleplay/corpus/dev.jsonl and "
            "tests/roleplay/data/labelled_utterances.txt): run this from a repository checkout",
            file=sys.stderr,
        )
        raise SystemExit(2)
    if args.by_writer is not None:
        rows = [json.loads(t) for t in _CORPUS.read_text(encoding="utf-8").splitlines() if t]
        styles = {r["id"]: r["style"] for r in rows}
        print(by_writer(lines, args.by_writer or [args.l2], styles))
        return
    export(lines, DATA / LINES_FILE)
    fitted = train(lines, args.l2)
    text = fitted.to_json()
    (DATA / MODEL_FILE).write_text(text + "\n", encoding="utf-8")
    kept = len(json.loads(text)["weights"])
    print(f"{len(lines)} labelled lines → {LINES_FILE}; {kept} weights → {MODEL_FILE}")


if __name__ == "__main__":
    main()
