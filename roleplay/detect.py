"""Detecting when a producer asks a caller for something the AI already captured.

A warm transfer works when the producer picks up where the voice AI left off. Two producer
moves touch an intake field:

* a **request** asks the caller to supply the value ("what's the best number to reach you?",
  "who am I speaking with?", "how can I help you today?" → reason for calling);
* a **confirm** reads the value back, or states it as known, and asks for a yes/no check
  ("I have you at 555-0142, is that still best?", "you're in Ohio, right?").

A *repeat-explain* is a request for a field the AI already captured. Reading a fact back is
good practice and is never a repeat-explain. Statements, the producer's own name or number,
proposals of a next step ("shall I book you for Tuesday?"), questions about things outside the
field list and "anything else I can help with?" touch no field.

The detector is rule-based so every decision can be explained: each :class:`Hit` carries the
words that fired and the name of the rule. It works sentence by sentence:

1. normalise (lower case, expand contractions and chat shorthand such as "r u");
2. split into sentences, and sentences into sub-clauses (commas, "and"/"or" before a question);
3. per field, a sentence that contains the field's *value* (a phone number, a state name, a
   captured value...) or a reference to the value on file, and asks for a check (a tag such as
   "right?", "is that still best?"), is a confirm;
4. otherwise a request rule matching a sub-clause makes a request (wh-questions are anchored
   at the start of a sub-clause so relative clauses such as "your brother who sent you" do not
   count);
5. otherwise a question that contains the value ("Still in Ohio?") is a confirm.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from roleplay.fields import FIELDS
from roleplay.rules import (
    _CHECK,
    _FILLER,
    _NAME_LEAD,
    _NOT_NAMES,
    _PROPOSAL,
    _RECEIPT,
    _WH_AUX,
    RULES,
)

Kind = Literal["request", "confirm"]

__all__ = ["FIELDS", "Hit", "detect", "detect_requests", "explain"]


@dataclass(frozen=True)
class Hit:
    """One field touched by one producer utterance, with the evidence."""

    field: str
    """The intake field touched."""
    kind: Kind
    """``"request"`` (asks the caller to supply it) or ``"confirm"`` (reads it back)."""
    words: str
    """The words in the (normalised) utterance that triggered the rule."""
    rule: str
    """Name of the rule that fired, e.g. ``"contact_number.ask"`` or ``"state.value+check"``."""
    sentence: str
    """The normalised sentence the words came from."""

    def __str__(self) -> str:
        return f"{self.field}: {self.kind} ({self.rule}: {self.words!r})"


# --------------------------------------------------------------------------------------------
# Normalisation and splitting
# --------------------------------------------------------------------------------------------

_REPLACEMENTS: tuple[tuple[str, str], ...] = (
    (r"[’‘`]", "'"),
    (r"[“”]", '"'),
    (r"[—–]", ","),
    (r"\s-\s", ", "),
    (r"\bwhats\b", "what is"),
    (r"\bwhat's\b", "what is"),
    (r"\bwho's\b", "who is"),
    (r"\bhow's\b", "how is"),
    (r"\bwhere's\b", "where is"),
    (r"\bhow'd\b", "how did"),
    (r"\byou're\b|\byoure\b", "you are"),
    (r"\bi'm\b|\bim\b", "i am"),
    (r"\bi'll\b", "i will"),
    (r"\bi'd\b", "i would"),
    (r"\byou'd\b", "you would"),
    (r"\bit's\b", "it is"),
    (r"\bthat's\b|\bthats\b", "that is"),
    (r"\bi've\b", "i have"),
    (r"\byou've\b", "you have"),
    (r"\bwe're\b", "we are"),
    (r"\bname's\b", "name is"),
    (r"\blet's\b", "let us"),
    (r"\b(did|do|does|is|are|was|were|can|could|would|should|have|has)n't\b", r"\1 not"),
    (r"\bdont\b", "do not"),
    (r"\bdidnt\b", "did not"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\br\b", "are"),
    (r"\b(?:pls|plz)\b", "please"),
    (r"\be-mail\b", "email"),
    (r"\bd\.o\.b\.?", "dob"),
    (r"\bcall-back\b", "callback"),
    (r"#", " number "),
    (r"\s+", " "),
)
_COMPILED_REPLACEMENTS = [(re.compile(p, re.I), r) for p, r in _REPLACEMENTS]


def normalise(text: str) -> str:
    """Expand contractions and chat shorthand; keep case (names are recognised by it)."""
    out = text.strip()
    for pattern, repl in _COMPILED_REPLACEMENTS:
        out = pattern.sub(repl, out)
    return out.strip()


_SENTENCE_END = re.compile(
    r"(?<=[?!])\s*|(?<!\bmr)(?<!\bmrs)(?<!\bms)(?<!\bdr)(?<=[a-z0-9)\]\"'])\.(?!\w)\s*", re.I
)
_SUBCLAUSE_SPLIT = re.compile(rf"\s*[,;:]\s*|\s+(?:and|or|but|then)\s+(?=(?:{_WH_AUX})\b)", re.I)
_QUESTION_START = re.compile(rf"^{_FILLER}(?:{_WH_AUX}|you smoke)\b", re.I)


def _sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if p and re.search(r"\w", p)]


def _subclauses(sentence: str) -> list[str]:
    body = sentence.rstrip("?!. ")
    return [c.strip() for c in _SUBCLAUSE_SPLIT.split(body) if c and c.strip()]


def _is_question(sentence: str) -> bool:
    if sentence.rstrip().endswith("?"):
        return True
    return any(_QUESTION_START.search(c) for c in _subclauses(sentence))


def _name_value(sentence: str, captured_name: str | None) -> str | None:
    tokens = {t.lower() for t in re.findall(r"[A-Za-z][\w'-]+", captured_name or "")}
    for m in _NAME_LEAD.finditer(sentence):
        word = m.group("name")
        low = word.lower()
        if low in tokens:
            return m.group(0)
        if low in _NOT_NAMES:
            continue
        lead = m.group("lead").lower()
        if word[0].isupper() or "speaking" in lead or "talking" in lead:
            return m.group(0)
        at_end = sentence[m.end() :].strip(" ?!.") == ""
        if lead == "is this" and at_end and len(word) > 2:
            return m.group(0)
    return None


def _captured_value(field: str, value: str, sentence: str) -> str | None:
    """Find a captured value (or its distinctive part) read back in the sentence."""
    value = value.strip()
    if not value:
        return None
    low = sentence.lower()
    if field == "contact_number":
        digits = re.sub(r"\D", "", value)
        said = re.sub(r"\D", "", sentence)
        if len(digits) >= 4 and digits[-4:] in said:
            return digits[-4:]
        return None
    if field in ("state", "email") and value.lower() in low:
        return value
    if field == "date_of_birth":
        year = re.search(r"(19|20)\d{2}", value)
        if year and year.group(0) in sentence:
            return year.group(0)
        return None
    if field == "coverage_amount":
        digits = re.sub(r"\D", "", value)
        said = re.sub(r"[^\d]", "", sentence)
        if len(digits) >= 5 and digits.rstrip("0") and digits.rstrip("0") in said:
            return value
        return None
    return None


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


def _field_value(field: str, sentence: str, captured: Mapping[str, str]) -> str | None:
    if field == "caller_name":
        return _name_value(sentence, captured.get("caller_name"))
    if field in captured:
        found = _captured_value(field, captured[field], sentence)
        if found:
            return found
    for pattern in RULES[field].values:
        m = pattern.search(sentence)
        if m:
            return m.group(0)
    return None


def _disqualified(field: str, clause: str) -> bool:
    return any(p.search(clause) for p in RULES[field].disqualify)


_YOU = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)
_MINE = re.compile(r"\b(?:my|our)\b", re.I)
_WH_START = re.compile(rf"^{_FILLER}(?:what|which|where|how|who|when)\b", re.I)
_ASK_START = re.compile(
    rf"^{_FILLER}(?:tell me|give me|(?:do you |would you )?mind|(?:can|could|would) you|"
    r"(?:can|could|may) i (?:get|have|take|grab)|i (?:will |would |just )?need)\b",
    re.I,
)


def _topic_hit(field: str, clause: str, question: bool) -> str | None:
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
    return m.group(0)


def _request_hit(
    field: str, sentence: str, question: bool, topic_ok: bool = True
) -> tuple[str, str] | None:
    # Alternative questions ("term or whole life?") span sub-clauses: match the sentence.
    for name, pattern, _needs_question in RULES[field].requests:
        if name.endswith("-or") and question:
            m = pattern.search(sentence)
            if m:
                return name, m.group(0).strip()
    for clause in _subclauses(sentence):
        if _disqualified(field, clause):
            continue
        for name, pattern, needs_question in RULES[field].requests:
            if needs_question and not question:
                continue
            if name.endswith("-or"):
                continue
            m = pattern.search(clause)
            if m:
                return name, m.group(0).strip()
    for clause in _subclauses(sentence) if topic_ok else ():
        if _disqualified(field, clause):
            continue
        words = _topic_hit(field, clause, question)
        if words:
            return "topic-question", words
    return None


def detect(utterance: str, captured: Mapping[str, str] | None = None) -> list[Hit]:
    """All fields the producer's utterance touches, each with the words that triggered it.

    ``captured`` maps field → value the AI captured; values read back are recognised as
    confirms even when they do not look like a phone number, state or amount. A field both
    requested and confirmed in one utterance is reported once, as a request.
    """
    captured = captured or {}
    found: dict[str, Hit] = {}
    for sentence in _sentences(normalise(utterance)):
        question = _is_question(sentence)
        check = _CHECK.search(sentence)
        proposal = _PROPOSAL.search(sentence)
        for field in FIELDS:
            value = _field_value(field, sentence, captured)
            hit: Hit | None = None
            if value and check:
                hit = Hit(
                    field,
                    "confirm",
                    f"{value} … {check.group(0).strip()}",
                    f"{field}.value+check",
                    sentence,
                )
            else:
                req = _request_hit(field, sentence, question, topic_ok=not (value or check))
                if req:
                    hit = Hit(field, "request", req[1], f"{field}.{req[0]}", sentence)
                elif value and question and not proposal and RULES[field].question_confirms:
                    hit = Hit(field, "confirm", value, f"{field}.value+question", sentence)
            if hit is None:
                continue
            previous = found.get(field)
            if previous is None or (previous.kind == "confirm" and hit.kind == "request"):
                found[field] = hit
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
