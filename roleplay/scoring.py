"""Scoring a practice transfer: repeat-explains, the hand-off checklist and the disposition.

The checklist follows warm hand-off practice from healthcare (AHRQ, I-PASS) adapted to sales:
greet the caller by name; introduce yourself as a licensed producer; restate the reason in one
line; invite the caller to confirm or correct; address the trigger's need; state the next step
and who owns it; invite anything to add. Commercial role-play tools use binary rubric items and
a pass mark (often 80); here the rubric also counts **repeat-explains** — requests for what the
AI already captured — which none of them can see.

Score (0–100) = repeat-explain points (40, minus 15 per re-ask, floored at 0) + the weights of
the checklist items met (50 in total) + 10 for a disposition that matches the caller's real
need. A session passes at the pass mark (default 80) unless the producer re-asked both the
caller's name and their reason for calling, or the caller hung up.

Each recogniser below is a small rule on one producer utterance that returns the words that
satisfied it, so every checklist tick has evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from roleplay.detect import _CHECK, Hit, normalise

__all__ = [
    "CHECKLIST",
    "ChecklistItem",
    "Rubric",
    "Scorecard",
    "TurnEvidence",
    "build_scorecard",
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
# Recognisers: each takes a normalised producer utterance and returns evidence words or None.
# --------------------------------------------------------------------------------------------

_LICENSED = re.compile(
    r"\blicensed (?:\w+ ){0,2}(?:agent|producer|advis[eo]r|broker|professional|specialist|"
    r"representative|rep)\b",
    re.I,
)
_SELF = re.compile(r"\b(?:i am|this is|my name is|me|here)\b", re.I)
_RESTATE_FRAME = re.compile(
    r"\b(?:you are calling|you were calling|calling (?:about|because|regarding)|you want|"
    r"you would like|you need|you are looking|i understand|i see|i hear|sounds like|so you|"
    r"the assistant (?:said|mentioned|told|noted|let me know)|my notes|you mentioned|you said|"
    r"i have here|you have been)\b",
    re.I,
)
_INVITE_CONFIRM = re.compile(
    r"\bcorrect me\b|\bdid i (?:get|miss)\b|\bhave i got\b|\banything i (?:missed|got wrong|"
    r"have wrong)\b|\bsounds? right\b|\bis that (?:right|correct|accurate)\b|"
    r"\bam i right\b|\bfill me in\b",
    re.I,
)
_ACT = re.compile(
    r"\b(?:i can|i will|let me|we can|i am going to|what i can do|here is|the reason|because|"
    r"the good news|you can|we will|i would|i recommend|i suggest)\b",
    re.I,
)
_NEXT_ACTION = re.compile(
    r"\b(?:appointment|call you|call back|callback|email|send|quote|application|apply|"
    r"schedule|book|follow up|follow-up|meeting|review|set up|start|process|reverse|refund|"
    r"cancel|reset|escalate|adjuster|update|add|submit|get back to you)\b",
    re.I,
)
_OWNER = re.compile(
    r"\b(?:i will|i am going to|let me|shall i|i can|my team will|our \w+ (?:team|department) "
    r"will|you will (?:get|receive|see|hear)|we will|i am|i would like to)\b",
    re.I,
)
_ADDITIONS = re.compile(
    r"\banything else\b|\banything (?:you would like |you want |)to add\b|"
    r"\bany (?:other |more )?questions\b|\bwhat (?:other|else)\b|\bis there anything\b|"
    r"\banything i (?:missed|should know)\b|\banything more\b",
    re.I,
)
_STOP = set(
    "a an the and or to of in on for with about my your i you it is are was were be this that "
    "and wants want asked person".split()
)


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return m.group(0) if m else None


def greets_by_name(text: str, first_name: str, last_name: str) -> str | None:
    """The caller's first or last name appears (``Mr./Ms. Last`` counts)."""
    m = re.search(rf"\b(?:{re.escape(first_name)}|{re.escape(last_name)})\b", text, re.I)
    return m.group(0) if m else None


def introduces_licensed(text: str) -> str | None:
    """ "I'm Dana, a licensed agent" — a licensed role plus a self-reference."""
    lic = _first(_LICENSED, text)
    return lic if lic and _SELF.search(text) else None


def _keyword(text: str, keywords: Sequence[str]) -> str | None:
    for k in keywords:
        m = re.search(rf"\b{re.escape(k)}\w*", text, re.I)
        if m:
            return m.group(0)
    return None


def restates_reason(text: str, reason: str, keywords: Sequence[str]) -> str | None:
    """A one-line restatement: a restating frame plus the need (keyword or 2 reason words)."""
    if len(text.split()) > 45:
        return None
    frame = _first(_RESTATE_FRAME, text)
    if not frame:
        return None
    kw = _keyword(text, keywords)
    if kw:
        return f"{frame} … {kw}"
    reason_words = {w for w in re.findall(r"[a-z']+", reason.lower()) if w not in _STOP}
    said = {w for w in re.findall(r"[a-z']+", text.lower())}
    overlap = sorted(reason_words & said)
    return f"{frame} … {' '.join(overlap)}" if len(overlap) >= 2 else None


def invites_confirm(text: str, hits: Sequence[Hit]) -> str | None:
    """A yes/no check on what was restated, or any read-back of a captured field."""
    confirm = next((h for h in hits if h.kind == "confirm"), None)
    if confirm:
        return confirm.words
    return _first(_INVITE_CONFIRM, text) or _first(_CHECK, text)


def addresses_need(text: str, keywords: Sequence[str]) -> str | None:
    """The producer acts on the need: an action/explanation frame plus a need keyword."""
    kw = _keyword(text, keywords)
    act = _first(_ACT, text)
    return f"{act} … {kw}" if kw and act else None


def proposes_next_step(text: str) -> str | None:
    """A next step with an owner: "I'll email you the comparison tonight"."""
    action, owner = _first(_NEXT_ACTION, text), _first(_OWNER, text)
    return f"{owner} … {action}" if action and owner else None


def invites_additions(text: str) -> str | None:
    """ "Anything else I can help with?", "anything you'd like to add?"."""
    return _first(_ADDITIONS, text)


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

    def to_dict(self) -> dict:
        """Plain data (for JSON)."""
        return asdict(self)


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
) -> Scorecard:
    """Score the evidence of a finished call."""
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
    score = (
        max(0.0, rubric.repeat_explain_points - rubric.repeat_explain_penalty * len(repeat_fields))
        + sum(i.weight for i in items if i.passed)
        + (rubric.disposition_points if correct else 0.0)
    )
    score = round(min(100.0, score), 1)
    fail: list[str] = []
    if score < rubric.pass_mark:
        fail.append(f"score {score:g} is below the pass mark {rubric.pass_mark:g}")
    if "caller_name" in repeat_fields and "reason_for_call" in repeat_fields:
        fail.append("re-asked both the caller's name and their reason for calling")
    if ended_by_caller:
        fail.append("the caller hung up after being made to repeat themselves")
    return Scorecard(
        session_id=session_id,
        producer=producer,
        trigger=trigger,
        difficulty=difficulty,
        seed=seed,
        score=score,
        passed=not fail,
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
    """All checklist items one producer utterance satisfies, with evidence."""
    norm = normalise(text)
    found: dict[str, str | None] = {
        "greet_by_name": greets_by_name(norm, first_name, last_name)
        if producer_turn <= 2
        else None,
        "introduce_licensed": introduces_licensed(norm),
        "restate_reason": restates_reason(norm, reason, keywords),
        "invite_confirm": invites_confirm(norm, hits),
        "address_trigger": addresses_need(norm, keywords),
        "next_step_owner": proposes_next_step(norm),
        "invite_additions": invites_additions(norm),
    }
    return {k: v for k, v in found.items() if v}
