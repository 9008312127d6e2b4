"""Detecting when a producer asks a caller for something the AI already captured.

A warm transfer works when the producer picks up where the voice AI left off. Two producer
moves touch an intake field:

* a **request** asks the caller to supply the value ("what's the best number to reach you?",
  "I'll have to grab a callback number from you", "what brings you to us" → reason for
  calling); a compound request ("name, number and email") requests each field;
* a **confirm** reads the value back, or states it as known, and invites a yes/no check
  ("I have you at 555-0142, is that still best?", "you're in Ohio, aren't you?", "I take it
  you're a non-smoker"), also when the check is a sentence of its own ("So that's a call back
  tomorrow morning. Did I get that right?").

A *repeat-explain* is a request for a field the AI already captured. Reading a fact back is
good practice and is never a repeat-explain. Statements, negations ("I won't make you repeat
your birthday"), the producer's own details, other people's details ("your wife's date of
birth"), proposals of a next step, questions outside the field list and "anything else?"
touch no field.

The detector is rule-based so every decision can be explained: each :class:`Hit` carries the
words that fired, the sentence they came from and the name of the rule. Per turn:

1. :func:`roleplay.spoken.canonical` removes what speech adds (fillers, false starts,
   apostrophe-less contractions, number words) so typed and transcribed lines look alike;
2. :mod:`roleplay.clauses` splits sentences and clauses, recognises questions by form, checks
   (tags, "I take it"...), negation scope and whose detail a phrase is about;
3. per sentence and field, a typed value read back (:mod:`roleplay.values`: phone digits
   against the captured phone, an amount against the amount, a date against the date of
   birth) or a reference to the value on file, with a check, is a confirm; otherwise a request
   rule (:mod:`roleplay.rules`) matching a clause about the caller, outside a negation, is a
   request; a sentence that only checks ("Is that right?") confirms what the previous
   sentence read back;
4. one phrase lands on one field: where two fields' evidence is the same words, the more
   specific rule keeps them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from roleplay.clauses import CHECK, CHECK_ONLY, is_question, negated, owner, sentences, subclauses
from roleplay.fields import FIELDS
from roleplay.readback import field_value
from roleplay.rules import RULES
from roleplay.rules_base import _ASK_START, _FILLER, _MINE, _PROPOSAL, _RECEIPT, _WH_START, _YOU
from roleplay.rules_lists import list_requests
from roleplay.spoken import canonical, normalise
from roleplay.values import mentions

Kind = Literal["request", "confirm"]

__all__ = ["FIELDS", "Hit", "canonical", "detect", "detect_requests", "explain", "normalise"]

_CHECK = CHECK
"""The check pattern (kept under this name for :mod:`roleplay.scoring`)."""

# Details that belong to a person: asked about someone else or the producer, they are not the
# caller's field.
PERSONAL = frozenset(
    {
        "caller_name",
        "contact_number",
        "email",
        "date_of_birth",
        "state",
        "tobacco_use",
        "current_coverage",
        "coverage_amount",
    }
)


@dataclass(frozen=True)
class Hit:
    """One field touched by one producer utterance, with the evidence."""

    field: str
    """The intake field touched."""
    kind: Kind
    """``"request"`` (asks the caller to supply it) or ``"confirm"`` (reads it back)."""
    words: str
    """The words in the (canonical) sentence that triggered the rule."""
    rule: str
    """Name of the rule that fired, e.g. ``"contact_number.ask"`` or ``"state.value+check"``."""
    sentence: str
    """The canonical sentence the words came from."""

    def __str__(self) -> str:
        return f"{self.field}: {self.kind} ({self.rule}: {self.words!r})"


# --------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------


def _clauses_with_offsets(sentence: str) -> list[tuple[str, int]]:
    out, pos = [], 0
    for clause in subclauses(sentence):
        at = sentence.find(clause, pos)
        at = pos if at < 0 else at
        out.append((clause, at))
        pos = at + len(clause)
    return out


def _last_word_start(clause: str, m: re.Match[str]) -> int:
    words = list(re.finditer(r"[\w']+", m.group(0)))
    return m.start() + (words[-1].start() if words else 0)


def _blocked(field: str, clause: str, m: re.Match[str]) -> bool:
    """Negated, or (for a personal detail) about someone other than the caller."""
    if negated(clause, m.start()):
        return True
    return field in PERSONAL and owner(clause, _last_word_start(clause, m), m.end()) != "caller"


def _topic_hit(field: str, clause: str, question: bool) -> re.Match[str] | None:
    rules = RULES[field]
    if rules.topic is None or not (question or _ASK_START.search(clause)):
        return None
    m = rules.topic.search(clause)
    if not m or _RECEIPT.search(clause) or _PROPOSAL.search(clause):
        return None
    about_caller = _YOU.search(clause) or (rules.topic_wh_ok and _WH_START.search(clause))
    elliptical = re.match(rf"^{_FILLER}(?:any|your)\b", clause, re.I) and len(clause.split()) <= 7
    if not (about_caller or elliptical):
        return None
    if _MINE.search(clause[: m.start()]) and not _ASK_START.search(clause):
        return None
    return m


Found = tuple[str, str, tuple[int, int]]  # rule name, words, span in the sentence


def _request_hit(field: str, sentence: str, question: bool, topic_ok: bool = True) -> Found | None:
    rules = RULES[field]
    # Alternative questions ("term or whole life?") span sub-clauses: match the sentence.
    for name, pattern, _needs_question in rules.requests:
        if name.endswith("-or") and question:
            m = pattern.search(sentence)
            if m and not _blocked(field, sentence, m):
                return name, m.group(0).strip(), m.span()
    clauses = _clauses_with_offsets(sentence)
    for clause, at in clauses:
        if any(p.search(clause) for p in rules.disqualify):
            continue
        for name, pattern, needs_question in rules.requests:
            if (needs_question and not question) or name.endswith("-or"):
                continue
            m = pattern.search(clause)
            if m and not _blocked(field, clause, m):
                return name, m.group(0).strip(), (at + m.start(), at + m.end())
    for clause, at in clauses if topic_ok else ():
        if any(p.search(clause) for p in rules.disqualify):
            continue
        m = _topic_hit(field, clause, question)
        if m and not _blocked(field, clause, m):
            return "topic-question", m.group(0).strip(), (at + m.start(), at + m.end())
    return None


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    hit: Hit
    span: tuple[int, int]
    sentence_no: int


def _analyse(sentence: str, captured: Mapping[str, str]) -> tuple[list[_Candidate], dict]:
    """Hits of one sentence, and the read-backs it states without a check (pending)."""
    question = is_question(sentence)
    check = CHECK.search(sentence)
    proposal = _PROPOSAL.search(sentence)
    found = mentions(sentence)
    hits: list[_Candidate] = []
    pending: dict[str, tuple[str, tuple[int, int]]] = {}
    listed = {f: (w, span) for f, w, span in list_requests(sentence)}
    for field in FIELDS:
        value = field_value(field, sentence, captured, found)
        hit = span = None
        if value and check:
            words = f"{value[0]} … {check.group(0).strip(' ,?.')}"
            hit, span = Hit(field, "confirm", words, f"{field}.value+check", sentence), value[1]
        else:
            req = _request_hit(field, sentence, question, topic_ok=not (value or check))
            if req is None and field in listed:
                req = ("list", *listed[field])
            if req:
                hit = Hit(field, "request", req[1], f"{field}.{req[0]}", sentence)
                span = req[2]
            elif value and question and not proposal and RULES[field].question_confirms:
                hit = Hit(field, "confirm", value[0], f"{field}.value+question", sentence)
                span = value[1]
            elif value and not question:
                pending[field] = value
        if hit is not None:
            hits.append(_Candidate(hit, span, 0))
    return _one_field_per_phrase(hits), pending


def _one_field_per_phrase(cands: list[_Candidate]) -> list[_Candidate]:
    """Where two fields' evidence is the same words, keep the longer (more specific) one."""
    keep = []
    for c in cands:
        rivals = [
            o
            for o in cands
            if o is not c
            and o.hit.kind == c.hit.kind
            and o.span[0] <= c.span[0]
            and c.span[1] <= o.span[1]
            and (o.span[1] - o.span[0] > c.span[1] - c.span[0] or o.span == c.span)
            and not o.hit.rule.endswith(".list")
            and not c.hit.rule.endswith(".list")
        ]
        if rivals and not (
            c.span == rivals[0].span
            and FIELDS.index(c.hit.field) < FIELDS.index(rivals[0].hit.field)
        ):
            continue
        keep.append(c)
    return keep


def detect(utterance: str, captured: Mapping[str, str] | None = None) -> list[Hit]:
    """All fields the producer's utterance touches, each with the words that triggered it.

    ``captured`` maps field → value the AI captured; values read back are matched by type
    (digits with the phone, an amount with the amount, a date with the date of birth). A field
    both requested and confirmed in one utterance is reported once, as a request.
    """
    captured = captured or {}
    found: dict[str, Hit] = {}
    pending: dict[str, tuple[str, tuple[int, int]]] = {}
    pending_sentence = ""

    def keep(hit: Hit) -> None:
        previous = found.get(hit.field)
        if previous is None or (previous.kind == "confirm" and hit.kind == "request"):
            found[hit.field] = hit

    for sentence in sentences(canonical(utterance)):
        only_check = CHECK_ONLY.search(sentence)
        cands, new_pending = _analyse(sentence, captured)
        if pending and (only_check or (CHECK.search(sentence) and not cands)):
            for field, (words, _span) in pending.items():
                check = sentence.strip(" ?.!")
                keep(
                    Hit(
                        field,
                        "confirm",
                        f"{words} … {check}",
                        f"{field}.value+next-check",
                        pending_sentence,
                    )
                )
        for c in cands:
            keep(c.hit)
        if not only_check:
            pending, pending_sentence = new_pending, sentence
    return [found[f] for f in FIELDS if f in found]


def detect_requests(utterance: str, captured: Mapping[str, str] | None = None) -> dict[str, str]:
    """Map each field the utterance touches to ``"request"`` or ``"confirm"``.

    A *repeat-explain* is a ``"request"`` for a field the AI already captured; a ``"confirm"``
    (a read-back with a yes/no check) never is.
    """
    return {hit.field: hit.kind for hit in detect(utterance, captured)}


def explain(utterance: str, captured: Mapping[str, str] | None = None) -> str:
    """One line per hit, for trainers and for debugging a label."""
    hits = detect(utterance, captured)
    if not hits:
        return "no intake field touched"
    return "\n".join(str(h) for h in hits)
