"""What the producer reads on a scorecard, the same in the terminal and in the browser.

A sales manager certifies producers on this scorecard, so it must not oversell: the score is
shown with its make-up (re-ask points with the count, each checklist item with its weight, the
words that earned it or "not done", the disposition) and the parts visibly add up to the
total; "ready for live transfers" appears only when the producer's records certify them
(three passing calls over three triggers, :mod:`roleplay.certification`), otherwise the
progress ("1 of 3 passing calls, 1 of 3 triggers"). Every function here returns plain text or
plain rows; the terminal (:mod:`roleplay.cli`) and the dashboard draw them.
"""

from __future__ import annotations

from dataclasses import dataclass

from roleplay.certification import Certification
from roleplay.scoring import Scorecard
from roleplay.store import Store

__all__ = [
    "PartRow",
    "certification_for",
    "headline",
    "part_rows",
    "readiness",
    "sum_line",
    "verdict",
]


@dataclass(frozen=True)
class PartRow:
    """One row of the score's make-up, ready to print."""

    part: str
    points: str
    """ "25 / 40"."""
    credited: bool
    detail: str


def _num(x: float) -> str:
    return f"{x:g}"


def part_rows(card: Scorecard) -> list[PartRow]:
    """The score's parts in order, then the total; the parts add up to the total."""
    rows = [
        PartRow(
            p.label,
            f"{_num(p.points)} / {_num(p.max_points)}" if p.key != "cap" else _num(p.points),
            p.credited,
            p.detail,
        )
        for p in card.parts
    ]
    total_max = sum(p.max_points for p in card.parts)
    rows.append(PartRow("Total", f"{_num(card.score)} / {_num(min(total_max, 100))}", True, ""))
    return rows


def sum_line(card: Scorecard) -> str:
    """ "25 + 8 + 8 + 0 + … + 0 = 59": the parts as they add up to the score."""
    terms = " + ".join(_num(p.points) for p in card.parts)
    return f"{terms} = {_num(card.score)}".replace("+ -", "− ")


def certification_for(card: Scorecard, store: Store | None) -> Certification | None:
    """The certification on the card, else the producer's progress from the records (read
    after the call was saved, so it counts); None when there are no records."""
    if card.certification is not None:
        return card.certification
    if store is None:
        return None
    from roleplay.trainer import certification_progress  # local: trainer reads the store

    return certification_progress(store, card.producer)


def readiness(cert: Certification | None) -> str:
    """ "Ready for live transfers (3 of 3 passing calls, 3 of 3 triggers)" or the progress."""
    if cert is None:
        return (
            "Not recorded, so it does not count towards certification "
            "(3 passing calls over 3 triggers)."
        )
    if cert.ready:
        return f"Ready for live transfers ({cert.progress})."
    return f"Certification: {cert.progress} — needs {cert.missing} before going live."


def verdict(card: Scorecard, cert: Certification | None) -> str:
    """The result in words: this call's pass or fail; the words "ready for live transfers"
    only when the records certify the producer."""
    call = "PASSED" if card.passed else "NOT PASSED"
    if cert is not None and cert.ready:
        return f"{call} — ready for live transfers"
    if card.passed:
        return f"{call} — counts towards certification"
    return f"{call} — practise again"


def headline(card: Scorecard) -> str:
    """ "Score 59 / 100 (pass mark 80)"."""
    return f"Score {_num(card.score)} / 100 (pass mark {_num(card.pass_mark)})"
