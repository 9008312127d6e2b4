"""How the detector weighs its three readers of a turn: the rules, the word model, the encoder.

For each intake field a producer's turn may touch, three readings are at hand: what the rules
found (a request, a read-back or nothing, :mod:`roleplay.detect`), how likely the word model
puts a request (:mod:`roleplay.learned`) and how likely the fine-tuned encoder puts a request
and a read-back (:mod:`roleplay.encoder`), beside the marks the rules read in the turn (does it
ask anything, is it unpunctuated speech, is the field negated, held, or named only in a
rejected sense). The arbiter is a logistic regression over those readings, binned and crossed
(``rules=confirm&encoder=5``), that decides whether the field is requested.

It is fitted by ``python -m roleplay.arbiter --fit PREDICTIONS`` on lines the encoder never
saw: writers outside the tuning part, each line read by an encoder fine-tuned without that
writer's half of the writers (two folds; the encoder readings are in
``tests/roleplay/corpus/encoder_folds.json``). The weights ship as
``roleplay/data/arbiter_model.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from roleplay.fields import FIELDS
from roleplay.learned import Model, fit

__all__ = [
    "ARBITER_FILE",
    "CUTS",
    "L2",
    "REQUEST",
    "REQUEST_PUNCTUATED",
    "Arbiter",
    "Reading",
    "arbiter",
    "features",
    "train",
]

ARBITER_FILE = "arbiter_model.json"
"""The shipped weights, in the ``roleplay.data`` package."""
CUTS = (0.05, 0.2, 0.5, 0.8, 0.95)
"""Bin edges for the probabilities (bin 0 under 0.05, bin 5 from 0.95)."""
REQUEST = 0.5
"""A field of an unpunctuated turn (speech-to-text) is requested when the arbiter puts it at
least this likely. Fitted on one half of the outside writers and judged on the other (each
half's encoder readings from the fold that left it out), 0.4 gained under a point of recall for
a point of precision, and 0.6 the reverse; a stricter bar for fields the rules read back lost
recall without sparing a read-back."""
REQUEST_PUNCTUATED = 0.6
"""The bar for a punctuated turn (typed, or an engine that punctuates). Judged the same way,
0.6 over 0.5 raised typed precision from 0.970 to 0.981 (K to Z judged) and 0.956 to 0.963
(AA to AP) for 0.3 and 0.8 points of recall; 0.7 cost another point of recall for half a point
of precision. Unpunctuated turns did not gain from a stricter bar."""
L2 = 1.0
"""Weight penalty; 3.0 judged the same on the two halves."""


@dataclass(frozen=True)
class Reading:
    """What the detector's readers say about one field of one turn."""

    field: str
    rules: str
    """``"request"``, ``"confirm"`` or ``"none"``."""
    encoder_request: float
    encoder_confirm: float
    words: float
    """The word model's request probability."""
    marks: frozenset[str]
    """Of ``asks`` (the turn asks something by its form or a "?"), ``unpunctuated``, ``held``
    (the producer says they have the field), ``denied`` (the field is negated or checked),
    ``rejected`` (its every cue is read in another sense), ``beside`` (the rules found a request
    for another field), ``stated`` (a typed turn of statements only), ``captured``."""

    @property
    def considered(self) -> bool:
        """Worth asking the arbiter: some reader sees the field."""
        return self.rules != "none" or self.encoder_request >= CUTS[0] or self.words >= CUTS[0]


def _bin(p: float) -> int:
    return sum(p >= c for c in CUTS)


def features(reading: Reading) -> list[str]:
    """The arbiter's features: each reader's bin, their pairs, and the marks alone, with the
    encoder's bin and with the rules' reading."""
    r, e = reading.rules, _bin(reading.encoder_request)
    c, w = _bin(reading.encoder_confirm), _bin(reading.words)
    out = [
        f"rules={r}",
        f"encoder={e}",
        f"words={w}",
        f"readback={c}",
        f"rules={r}&encoder={e}",
        f"rules={r}&words={w}",
        f"encoder={e}&words={w}",
        f"rules={r}&readback={c}",
        f"encoder={e}&readback={c}",
        f"field={reading.field}&encoder={e}",
    ]
    for mark in sorted(reading.marks):
        out += [mark, f"{mark}&encoder={e}", f"{mark}&rules={r}"]
    return out


def train(readings: Sequence[Reading], requested: Sequence[bool], l2: float = L2) -> Model:
    return fit([features(r) for r in readings], requested, l2)


class Arbiter:
    """The fitted arbiter: a reading's probability that its field is requested."""

    def __init__(self, model: Model) -> None:
        self.model = model

    def probability(self, reading: Reading) -> float:
        return self.model.of_features({reading.field: features(reading)})[reading.field]

    def requested(self, reading: Reading) -> tuple[bool, float]:
        """Whether the reading's field is requested, and the arbiter's probability for it."""
        if not reading.considered:
            return False, 0.0
        p = self.probability(reading)
        bar = REQUEST if "unpunctuated" in reading.marks else REQUEST_PUNCTUATED
        return p >= bar, p


@lru_cache(maxsize=1)
def arbiter() -> Arbiter | None:
    """The shipped arbiter, or None when its file is missing."""
    resource = resources.files("roleplay") / "data" / ARBITER_FILE
    if not resource.is_file():
        return None
    return Arbiter(Model.from_json(resource.read_text(encoding="utf-8")))


def _lines(codes: Iterable[str]) -> list[dict]:
    corpus = Path(__file__).resolve().parents[1] / "tests" / "roleplay" / "corpus"
    rows = []
    for code in codes:
        for line in (corpus / f"writer_{code}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def _is_reading(value: object) -> bool:
    if not isinstance(value, dict):
        return False
    return all(
        isinstance(value.get(key), list)
        and len(value[key]) == len(FIELDS)
        and all(isinstance(p, int | float) and 0.0 <= p <= 1.0 for p in value[key])
        for key in ("req", "conf")
    )


def main(argv: list[str] | None = None) -> int:
    from roleplay.detect import readings  # the detector imports this module

    ap = argparse.ArgumentParser(prog="python -m roleplay.arbiter", description=__doc__)
    ap.add_argument("--fit", type=Path, required=True, help="encoder readings of the writers")
    ap.add_argument("--out", type=Path, default=Path(__file__).parent / "data" / ARBITER_FILE)
    a = ap.parse_args(argv)
    try:
        folds: Mapping[str, Mapping[str, list[float]]] = json.loads(a.fit.read_text("utf-8"))
    except (OSError, ValueError) as error:
        print(f"--fit: cannot read {a.fit} as JSON ({type(error).__name__})", file=sys.stderr)
        return 2
    if not isinstance(folds, dict) or not all(_is_reading(v) for v in folds.values()):
        print(
            f"--fit: {a.fit} must map each line id to {{'req': [13 numbers], 'conf': [13 "
            "numbers]}, the encoder's request and read-back probabilities in field order",
            file=sys.stderr,
        )
        return 2
    xs: list[Reading] = []
    ys: list[bool] = []
    codes = sorted({line_id.split("-")[0] for line_id in folds})
    for row in _lines(codes):
        given = folds.get(row["id"])
        if given is None:
            continue
        for reading in readings(row["text"], row["captured"], (given["req"], given["conf"])):
            if reading.considered:
                xs.append(reading)
                ys.append(row["labels"].get(reading.field) == "request")
    a.out.write_text(train(xs, ys).to_json(), encoding="utf-8")
    print(f"fitted on {len(xs)} readings of {len(codes)} writers; wrote {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
