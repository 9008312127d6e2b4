"""What a read-back of a field looks like in one sentence.

A read-back states the field's value: the captured value itself, matched by type
(:func:`roleplay.values.match_captured`), a value of the right shape that was not captured
("is 330-555-0187 still good?"), the caller's name after a lead-in ("am I speaking with
Priya"), a phrase of a captured free-text value ("so that's a call back tomorrow morning"), or
a reference to the value on file ("the number we have", "you're calling about"). The
producer's own details ("my direct line is 555-0100") are not read-backs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from roleplay.clauses import owner
from roleplay.rules import RULES
from roleplay.rules_base import NAME_LEAD, NOT_NAMES
from roleplay.values import Mention, Said, match_captured

__all__ = ["Strength", "field_value"]

_STOP = set(
    "a an the and or to of in on for with about my your i you it is are was were be this that "
    "wants want wanted asked person would like by from at as so some any via their his her "
    "insurance policy coverage cover plan quote get getting have has had just also years year "
    "days day months month weeks week ago last".split()
)
# Details a producer might state as their own ("my direct line is ...").
_OWNED = ("caller_name", "contact_number", "email", "state", "date_of_birth")
_TEXT_FIELDS = (
    "urgency",
    "referral_source",
    "preferred_next_action",
    "reason_for_call",
    "product_interest",
    "current_coverage",
    "tobacco_use",
)


# Lead-ins after which only the captured name counts ("this is Dana" is the producer).
_CAPTURED_ONLY = {
    "this is",
    "and this is",
    "i have",
    "is it",
    "name as",
    "your name is",
    "name is",
    "name is still",
    "the name is",
    "the name is still",
    "your name is still",
    "your name",
    "your name,",
    "name,",
    "its",
    "that is",
    "so that is",
}


def _name_value(sentence: str, captured_name: str | None) -> Said | None:
    tokens = {t.lower() for t in re.findall(r"[A-Za-z][\w'-]+", captured_name or "")}
    for m in NAME_LEAD.finditer(sentence):
        word = m.group("name")
        low = word.lower()
        lead = m.group("lead").lower()
        if low in tokens:
            return m.group(0), m.span()
        if low in NOT_NAMES or lead in _CAPTURED_ONLY:
            continue
        if word[0].isupper() or "speaking" in lead or "talking" in lead:
            return m.group(0), m.span()
        at_end = sentence[m.end() :].strip(" ?!.,") == "" or re.match(
            r"^\s*,?\s*(?:right|correct|yes|yeah|is that right|no)\b", sentence[m.end() :], re.I
        )
        if lead == "is this" and at_end and len(word) > 2:
            return m.group(0), m.span()
    return None


def _generic_typed(field: str, sentence: str, found: list[Mention]) -> Said | None:
    """A value of the field's shape, whoever captured it (not the producer's own)."""
    for x in found:
        if owner(sentence, x.start, x.end) == "producer":
            continue
        if field == "contact_number" and x.type == "phone":
            before = sentence[: x.start]
            long_enough = len(str(x.value)) >= 7 or (
                len(str(x.value)) >= 2
                and re.search(
                    r"\b(?:ending|ends|end)(?: in| with)?\s*$|\blast (?:four|4) "
                    r"(?:digits )?(?:are |of )?\s*$",
                    before,
                    re.I,
                )
            )
            if long_enough and not any(p.search(sentence) for p in RULES[field].disqualify):
                return x.text, (x.start, x.end)
        if field == "coverage_amount" and (
            (x.type == "amount" and int(x.value) >= 10_000) or x.type == "limits"  # type: ignore[call-overload]
        ):
            after = sentence[x.end : x.end + 30].lower()
            if not re.match(
                r"\s*(?:a|per|each|every) (?:month|year)|\s*(?:premium|deductible|"
                r"down|income|salary|mortgage|loan)",
                after,
            ):
                return x.text, (x.start, x.end)
        if field == "email" and x.type == "email":
            return x.text, (x.start, x.end)
        if field == "date_of_birth" and x.type in ("date", "year", "age"):
            if x.type == "age" or re.search(
                r"\b(?:born|birth|birthday|dob|bday)\b", sentence, re.I
            ):
                return x.text, (x.start, x.end)
    return None


def _text_overlap(value: str, sentence: str) -> Said | None:
    """Two content words of a captured free-text value (or one name/number) said again."""
    words = re.findall(r"[A-Za-z0-9]+", value)
    content = [w for w in words if (w.lower() not in _STOP and len(w) > 2) or w.isdigit()]
    strong = {w.lower() for w in content if w[0].isupper() or w.isdigit()}
    content_low = {w.lower() for w in content}
    hits = [m for m in re.finditer(r"[A-Za-z0-9]+", sentence) if m.group(0).lower() in content_low]
    distinct = {m.group(0).lower() for m in hits}
    if all(w.isdigit() and len(w) < 3 for w in distinct):
        return None
    if len(distinct) >= 2 or (distinct & strong and not distinct <= {"term", "life"}):
        return sentence[hits[0].start() : hits[-1].end()], (hits[0].start(), hits[-1].end())
    return None


def _distinctive(value: str, words: str) -> bool:
    """The overlap names something particular (a carrier, a person, a number), not generic
    words such as "through work"."""
    strong = {
        w.lower() for w in re.findall(r"[A-Za-z0-9]+", value) if w[0].isupper() or w.isdigit()
    }
    return bool(strong & {w.lower() for w in re.findall(r"[A-Za-z0-9]+", words)})


Strength = Literal["captured", "shape", "reference"]
"""How sure a read-back is: the captured value itself; a value of the field's shape; or words
that usually describe the value ("through work", "you are calling about")."""


# "Anything else besides the Bluegate policy?" asks for more than the value it names.
_BESIDES = re.compile(
    r"\b(?:besides|other than|apart from|aside from|in addition to|except|on top of|beyond|"
    r"instead of|not counting)\s+(?:\w+\s+){0,3}$",
    re.I,
)


def field_value(
    field: str, sentence: str, captured: Mapping[str, str], found: list[Mention]
) -> tuple[str, tuple[int, int], Strength] | None:
    """The words of ``sentence`` that state ``field``'s value, where, and how surely."""
    if field == "caller_name":
        said = _name_value(sentence, captured.get("caller_name"))
        return (*said, "captured") if said else None
    if field in captured:
        said = match_captured(field, captured[field], sentence, found)
        if said and _BESIDES.search(sentence[: said[1][0]]):
            return None
        if said:
            return (*said, "captured")
        if field in _TEXT_FIELDS:
            said = _text_overlap(captured[field], sentence)
            if said and _BESIDES.search(sentence[: said[1][0]]):
                return None
            if said:
                sure = _distinctive(captured[field], said[0])
                return (*said, "captured" if sure else "reference")
    said = _generic_typed(field, sentence, found)
    if said:
        return (*said, "shape")
    for pattern in RULES[field].values:
        m = pattern.search(sentence)
        if m and (field not in _OWNED or owner(sentence, m.start(), m.end()) != "producer"):
            return m.group(0), m.span(), "reference"
    return None
