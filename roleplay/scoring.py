"""Scoring a practice transfer: repeat-explains, the hand-off checklist and the disposition.

The checklist follows warm hand-off practice from healthcare (AHRQ, I-PASS) adapted to sales:
greet the caller by name; introduce yourself as a licensed producer; restate the reason in one
line; invite the caller to confirm or correct; address the trigger's need; state the next step
and who owns it; invite anything to add. Commercial role-play tools use binary rubric items and
a pass mark (often 80); here the rubric also counts **repeat-explains** — requests for what the
AI already captured — which none of them can see.

Score (0–100) = repeat-explain points (40, minus 15 per re-ask, floored at 0) + the weights of
the checklist items met (50 in total) + 10 for a disposition that matches the caller's real
need. The scorecard carries that make-up as :class:`ScorePart` rows (points earned, points
possible, the count or the words behind each), which add up to the score shown. A session
passes at the pass mark (default 80) unless the producer re-asked both the caller's name and
their reason for calling, or the caller hung up.

One passing call does not make a producer ready for live transfers: that takes three passing
calls over three trigger types (:mod:`roleplay.certification`). Given the records
(``build_scorecard(..., store=...)``), the scorecard carries the producer's progress, this call
included.

The recognisers behind the checklist work by meaning and live in :mod:`roleplay.checklist`;
:func:`checklist_moves` runs them on one producer utterance, each returning the words that
satisfied it, so every checklist tick has evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from roleplay.certification import Certification, certification
from roleplay.checklist import (
    GREET_TURNS,
    RESTATE_TURNS,
    addresses_need,
    greets_by_name,
    introduces_licensed,
    invites_additions,
    invites_confirm,
    proposes_next_step,
    restates_reason,
    units,
)
from roleplay.detect import Hit
from roleplay.disposition import REASON_LABELS
from roleplay.fields import LABELS

if TYPE_CHECKING:
    from roleplay.store import Store

__all__ = [
    "CHECKLIST",
    "ChecklistItem",
    "Rubric",
    "ScorePart",
    "Scorecard",
    "TurnEvidence",
    "build_scorecard",
    "checklist_moves",
]

CHECKLIST: dict[str, str] = {
    "greet_by_name": "Greets the caller by name",
    "introduce_licensed": "Introduces self as a licensed producer",
    "restate_reason": "Restates the reason in one line",
    "invite_confirm": "Invites the caller to confirm or correct",
    "address_trigger": "Addresses the trigger's need",
    "next_step_owner": "States the next step and who owns it",
    "invite_additions": "Invites anything to add",
}
"""Checklist keys and labels, in the order a good hand-off does them."""


class Rubric(BaseModel):
    """Weights and pass mark. The defaults sum to 100."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    pass_mark: float = Field(80.0, ge=0, le=100)
    """Score needed to pass."""
    repeat_explain_points: float = Field(40.0, ge=0)
    """Points for a call without any repeat-explain."""
    repeat_explain_penalty: float = Field(15.0, ge=0)
    """Points lost per repeat-explain (floored at zero)."""
    disposition_points: float = Field(10.0, ge=0)
    """Points for a disposition matching the caller's real need."""
    checklist_weights: dict[str, float] = {
        "greet_by_name": 8.0,
        "introduce_licensed": 8.0,
        "restate_reason": 8.0,
        "invite_confirm": 6.0,
        "address_trigger": 8.0,
        "next_step_owner": 8.0,
        "invite_additions": 4.0,
    }
    """Points per checklist item."""


# --------------------------------------------------------------------------------------------
# Scorecard
# --------------------------------------------------------------------------------------------


@dataclass
class TurnEvidence:
    """What one producer turn did, and how the caller answered."""

    turn: int
    """Producer turn number, from 1."""
    producer: str
    caller: str
    hits: list[dict[str, str]] = field(default_factory=list)
    """Every field touched: field, kind, words, rule."""
    repeat_explains: list[str] = field(default_factory=list)
    """Fields re-asked although already known (captured by the AI or said in this call)."""
    checklist: dict[str, str] = field(default_factory=dict)
    """Checklist items this turn satisfied → the words that did it."""


@dataclass(frozen=True)
class ChecklistItem:
    """One checklist line of the scorecard."""

    key: str
    label: str
    weight: float
    passed: bool
    turn: int | None
    """First producer turn that satisfied it."""
    evidence: str | None


@dataclass(frozen=True)
class ScorePart:
    """One part of the score: what it is, the points earned out of the points possible, and
    why (the re-ask count, the words that earned a checklist item, the disposition)."""

    key: str
    """``repeat_explains``, a checklist key, ``disposition`` or ``cap``."""
    label: str
    points: float
    max_points: float
    detail: str
    credited: bool
    """Full points earned (re-asks: none made; checklist: done; disposition: right)."""


@dataclass
class Scorecard:
    """The result of a practice session."""

    session_id: str
    producer: str
    trigger: str
    difficulty: str
    seed: int
    score: float
    passed: bool
    pass_mark: float
    repeat_explain_count: int
    repeat_explain_fields: list[str]
    checklist: list[ChecklistItem]
    disposition: str
    real_need: str
    disposition_correct: bool
    fail_reasons: list[str]
    turns: list[TurnEvidence]
    ended_by_caller: bool
    parts: list[ScorePart] = field(default_factory=list)
    """The score's make-up; the points add up to :attr:`score`."""
    certification: Certification | None = None
    """The producer's certification progress with this call counted (None when the call was
    scored without the records)."""

    @property
    def ready_for_live_transfers(self) -> bool:
        """True only when the producer's records (this call included) certify them."""
        return self.certification is not None and self.certification.ready

    def to_dict(self) -> dict:
        """Plain data (for JSON)."""
        out = asdict(self)
        out["certification"] = self.certification.to_dict() if self.certification else None
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Scorecard:
        """Back from :meth:`to_dict` (as stored). Records from before the score's parts were
        kept get them rebuilt with the default rubric's re-ask and disposition points."""
        known = {f.name for f in fields(cls)}
        d = {k: v for k, v in data.items() if k in known}
        d["checklist"] = [ChecklistItem(**i) for i in data.get("checklist", [])]
        d["turns"] = [
            TurnEvidence(**{k: v for k, v in t.items() if k in _TURN_FIELDS})
            for t in data.get("turns", [])
        ]
        if data.get("parts"):
            d["parts"] = [ScorePart(**p) for p in data["parts"]]
        else:
            d["parts"] = score_parts(
                Rubric(), data.get("repeat_explain_fields", []), d["checklist"],
                data.get("disposition", ""), data.get("real_need", ""),
            )  # fmt: skip
        cert = data.get("certification")
        d["certification"] = (
            Certification(
                producer=cert["producer"],
                sessions=cert["sessions"],
                passing_sessions=cert["passing_sessions"],
                passing_triggers=tuple(cert["passing_triggers"]),
                passes_needed=cert["passes_needed"],
                triggers_needed=cert["triggers_needed"],
            )
            if cert
            else None
        )
        return cls(**d)


_TURN_FIELDS = {"turn", "producer", "caller", "hits", "repeat_explains", "checklist"}


def _label(field_name: str) -> str:
    return LABELS.get(field_name, field_name.replace("_", " "))


def score_parts(
    rubric: Rubric,
    repeat_fields: Sequence[str],
    items: Sequence[ChecklistItem],
    disposition: str,
    real_need: str,
) -> list[ScorePart]:
    """The score's parts, in the order the scorecard shows them; they sum to the score."""
    n = len(repeat_fields)
    lost = min(rubric.repeat_explain_points, rubric.repeat_explain_penalty * n)
    if n:
        detail = (
            f"{n} re-ask{'s' if n != 1 else ''} ({', '.join(_label(f) for f in repeat_fields)})"
            f": {rubric.repeat_explain_points:g} − {rubric.repeat_explain_penalty:g} × {n}"
            + (", floored at 0" if rubric.repeat_explain_penalty * n > lost else "")
        )
    else:
        detail = "0 re-asks"
    parts = [
        ScorePart(
            "repeat_explains",
            "Re-asks (repeat-explains)",
            rubric.repeat_explain_points - lost,
            rubric.repeat_explain_points,
            detail,
            n == 0,
        )
    ]
    for item in items:
        detail = f"turn {item.turn}: “{item.evidence}”" if item.passed else "not done"
        parts.append(
            ScorePart(
                item.key,
                item.label,
                item.weight if item.passed else 0.0,
                item.weight,
                detail,
                item.passed,
            )
        )
    correct = disposition == real_need
    parts.append(
        ScorePart(
            "disposition",
            "Disposition matches the real need",
            rubric.disposition_points if correct else 0.0,
            rubric.disposition_points,
            f"tagged {REASON_LABELS.get(disposition, disposition)}"
            + ("" if correct else f"; real need {REASON_LABELS.get(real_need, real_need)}"),
            correct,
        )
    )
    total = sum(p.points for p in parts)
    if total > 100:
        parts.append(ScorePart("cap", "Capped at 100", 100 - total, 0.0, "", True))
    return parts


def _history(store: Store, producer: str, session_id: str) -> list[tuple[str, bool]]:
    df = store.sessions_frame()
    mine = df[(df["producer"] == producer) & (df["status"] == "scored")]
    mine = mine[mine["session_id"] != session_id]
    return [(str(t), bool(p)) for t, p in zip(mine["trigger"], mine["passed"], strict=True)]


def build_scorecard(
    *,
    session_id: str,
    producer: str,
    trigger: str,
    difficulty: str,
    seed: int,
    turns: list[TurnEvidence],
    disposition: str,
    real_need: str,
    ended_by_caller: bool,
    rubric: Rubric | None = None,
    store: Store | None = None,
    history: Iterable[tuple[str, bool]] | None = None,
) -> Scorecard:
    """Score the evidence of a finished call.

    ``store`` (the practice records) or ``history`` (the producer's earlier scored sessions as
    (trigger, passed) pairs) lets the scorecard say how far the producer is from certification,
    this call included; without either, :attr:`Scorecard.certification` is None.
    """
    rubric = rubric or Rubric()
    repeat_fields = [f for t in turns for f in t.repeat_explains]
    items: list[ChecklistItem] = []
    for key, label in CHECKLIST.items():
        first = next((t for t in turns if key in t.checklist), None)
        items.append(
            ChecklistItem(
                key=key,
                label=label,
                weight=rubric.checklist_weights.get(key, 0.0),
                passed=first is not None,
                turn=first.turn if first else None,
                evidence=first.checklist[key] if first else None,
            )
        )
    correct = disposition == real_need
    parts = score_parts(rubric, repeat_fields, items, disposition, real_need)
    score = round(sum(p.points for p in parts), 1)
    fail: list[str] = []
    if score < rubric.pass_mark:
        fail.append(f"score {score:g} is below the pass mark {rubric.pass_mark:g}")
    if "caller_name" in repeat_fields and "reason_for_call" in repeat_fields:
        fail.append("re-asked both the caller's name and their reason for calling")
    if ended_by_caller:
        fail.append("the caller hung up after being made to repeat themselves")
    passed = not fail
    cert = None
    if history is None and store is not None:
        history = _history(store, producer, session_id)
    if history is not None:
        cert = certification(producer, [*history, (trigger, passed)])
    return Scorecard(
        session_id=session_id,
        producer=producer,
        trigger=trigger,
        difficulty=difficulty,
        seed=seed,
        score=score,
        passed=passed,
        pass_mark=rubric.pass_mark,
        repeat_explain_count=len(repeat_fields),
        repeat_explain_fields=repeat_fields,
        checklist=items,
        disposition=disposition,
        real_need=real_need,
        disposition_correct=correct,
        fail_reasons=fail,
        turns=turns,
        ended_by_caller=ended_by_caller,
        parts=parts,
        certification=cert,
    )


def checklist_moves(
    text: str,
    hits: Sequence[Hit],
    *,
    producer_turn: int,
    first_name: str,
    last_name: str,
    reason: str,
    keywords: Sequence[str],
) -> dict[str, str]:
    """All checklist items one producer utterance satisfies, with evidence.

    ``reason`` is the packet's reason for calling; ``keywords`` the words of the trigger's
    need; ``hits`` the detector's hits on ``text`` (a sentence that requests a field is never
    a restatement, an answer or a next step).
    """
    parts = units(text, hits)
    restated = restates_reason(parts, reason)
    found: dict[str, str | None] = {
        "greet_by_name": greets_by_name(parts, first_name, last_name)
        if producer_turn <= GREET_TURNS
        else None,
        "introduce_licensed": introduces_licensed(parts),
        "restate_reason": restated if producer_turn <= RESTATE_TURNS else None,
        "invite_confirm": invites_confirm(parts, hits, restated is not None),
        "address_trigger": addresses_need(parts, keywords, reason),
        "next_step_owner": proposes_next_step(parts),
        "invite_additions": invites_additions(parts),
    }
    return {k: v for k, v in found.items() if v}
