"""Refit the detector's learned parts from a repository checkout: ``python -m roleplay.retrain``.

Copies the labelled tuning lines (:func:`roleplay.labelled.from_repository`: the tuning part
of the writers' corpus and the hand-labelled utterances, never a held-out file) into
``roleplay/data/labelled_lines.jsonl`` and fits the request model (:mod:`roleplay.learned`)
into ``roleplay/data/request_model.json``. Run it after ``tests/roleplay/corpus/split.py
--freeze`` or an edit of the labelled utterances; the detector tests fail while the shipped
lines are stale.

``python -m roleplay.retrain --by-writer`` reports instead the honest estimate on the tuning
lines: leave one writer out (each writer's lines scored by a model fitted without them, and by
the resemblance fallback without their lines), the request precision and recall per writer and
style and in all, and the confirms scored as requests, for each weight penalty given. ``--also
FILE ...`` scores writers' files outside the tuning part (a writer measured on arrival) by the
model fitted on every tuning line. The rules themselves were tuned on every writer of the
tuning part, so the estimate is of the model's part, and is still optimistic about wordings
the rules have never seen.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from roleplay import resemble
from roleplay.labelled import LINES_FILE, Labelled, export, from_repository, read_corpus
from roleplay.learned import L2, MODEL_FILE, Model, features, fit, opinion, train

DATA = Path(__file__).resolve().parent / "data"
_CORPUS = Path(__file__).resolve().parents[1] / "tests" / "roleplay" / "corpus" / "dev.jsonl"


_CORPUS_ID = re.compile(r"([a-z]{1,2})-\d{4}")


def _writer(line: Labelled) -> str | None:
    """The writer's code of a corpus line ("d-0311" → "d", "ab-0042" → "ab", the two-letter
    codes writers get once the letters have run out); None for other labelled lines."""
    m = _CORPUS_ID.fullmatch(line.id)
    return m.group(1) if m else None


def _score(counts: dict[str, list[int]], x: Labelled, style: str, got: dict[str, str]) -> None:
    c = counts.setdefault(style, [0, 0, 0, 0])  # tp fp fn confirms scored as requests
    for f in set(x.labels) | set(got):
        g, p = x.labels.get(f) == "request", got.get(f) == "request"
        c[0] += g and p
        c[1] += p and not g
        c[2] += g and not p
        c[3] += x.labels.get(f) == "confirm" and p


def _rows(title: str, counts: dict[str, list[int]]) -> list[str]:
    return [
        f"{title:<12} {style:<11} P {tp / max(tp + fp, 1):.3f}  R {tp / max(tp + fn, 1):.3f}"
        f"  requests {tp + fn:>4}  confirms→requests {conf}"
        for style, (tp, fp, fn, conf) in sorted(counts.items())
    ]


def by_writer(
    lines: Sequence[Labelled],
    l2s: Sequence[float],
    styles: dict[str, str],
    extra: Sequence[Labelled] = (),
) -> str:
    """Leave-one-writer-out figures of the detector, one table per weight penalty: each writer
    of the tuning lines scored by the rules, the resemblance fallback without the writer's lines
    and the model fitted without them; each line of ``extra`` (a writer's file not in the tuning
    part) by the model fitted on every tuning line. Per writer, then in all."""
    from roleplay.detect import detect

    scored = [i for i, x in enumerate(lines) if _writer(x)]
    writers = sorted({_writer(lines[i]) or "" for i in scored})
    rules: dict[int, dict[str, str]] = {}
    for w in writers:
        with resemble.without(f"{w}-"):
            for i in scored:
                if _writer(lines[i]) == w:
                    hits = detect(lines[i].text, lines[i].captured, False)
                    rules[i] = {h.field: h.kind for h in hits}
    rules_extra: list[dict[str, str]] = [
        {h.field: h.kind for h in detect(x.text, x.captured, False)} for x in extra
    ]
    feats = [features(x.text, x.captured) for x in lines]
    feats_extra = [features(x.text, x.captured) for x in extra]
    out = []
    for l2 in l2s:
        total: dict[str, list[int]] = {}
        table = []
        folds: list[tuple[str, list[tuple[Labelled, dict[str, str], dict[str, list[str]]]], Model]]
        folds = []
        for w in writers:
            rows: list[list[str]] = []
            y: list[bool] = []
            for x, per_field in zip(lines, feats, strict=True):
                if _writer(x) != w:
                    rows += per_field.values()
                    y += [x.labels.get(f) == "request" for f in per_field]
            mine = [(lines[i], rules[i], feats[i]) for i in scored if _writer(lines[i]) == w]
            folds.append((w, mine, fit(rows, y, l2)))
        if extra:
            rows, y = [], []
            for x, per_field in zip(lines, feats, strict=True):
                rows += per_field.values()
                y += [x.labels.get(f) == "request" for f in per_field]
            fitted = fit(rows, y, l2)
            for w in sorted({_writer(x) or "?" for x in extra}):
                mine = [
                    (x, r, f)
                    for x, r, f in zip(extra, rules_extra, feats_extra, strict=True)
                    if (_writer(x) or "?") == w
                ]
                folds.append((f"{w} (extra)", mine, fitted))
        for w, mine, fold in folds:
            counts: dict[str, list[int]] = {}
            for x, found, per_field in mine:
                got = dict(found)
                add, drop = opinion(x.text, x.captured, got, fold.of_features(per_field))
                got.update({v.field: "request" for v in add})
                for v in drop:
                    del got[v.field]
                _score(counts, x, styles.get(x.id, "typed"), got)
                if not w.endswith("(extra)"):
                    _score(total, x, styles.get(x.id, "typed"), got)
            table += _rows(f"writer {w}", counts)
        out.append(f"l2 {l2:g}")
        out += table + _rows("tuning, all", total)
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
    parser.add_argument(
        "--also",
        nargs="*",
        type=Path,
        default=[],
        metavar="FILE",
        help="with --by-writer, also score these writers' files (not in the tuning part) by the "
        "model fitted on every tuning line",
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
        for path in args.also:
            rows += [json.loads(t) for t in path.read_text(encoding="utf-8").splitlines() if t]
        styles = {r["id"]: r["style"] for r in rows}
        tuning = {x.id for x in lines}
        extra = [x for p in args.also for x in read_corpus(p) if x.id not in tuning]
        print(by_writer(lines, args.by_writer or [args.l2], styles, extra))
        return
    export(lines, DATA / LINES_FILE)
    fitted = train(lines, args.l2)
    text = fitted.to_json()
    (DATA / MODEL_FILE).write_text(text + "\n", encoding="utf-8")
    kept = len(json.loads(text)["weights"])
    print(f"{len(lines)} labelled lines → {LINES_FILE}; {kept} weights → {MODEL_FILE}")


if __name__ == "__main__":
    main()
