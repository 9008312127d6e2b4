"""Compound requests: one ask frame, several field nouns ("can I get your name, number and
email" requests three fields).

An ask frame ("can I get", "I'll need", "what's", "give me") followed by a coordinated list
of field nouns requests every field in the list. Each noun is owned like any other: "your
name and your wife's date of birth" requests the name only.
"""

from __future__ import annotations

import re

from roleplay.clauses import FILLER, negated, owner

__all__ = ["NOUNS", "list_requests"]

NOUNS: tuple[tuple[str, str], ...] = (
    ("caller_name", r"(?:full |first |last |legal |first and last )?names?"),
    ("contact_number", r"(?:(?:best|good|phone|cell|mobile|callback|contact|home|work|daytime) )*"
                       r"(?:phone numbers?|numbers?|phones?|cell(?: ?phone)?|mobile|digits)"),
    ("email", r"(?:(?:best|good|preferred) )?e-?mail(?: address)?"),
    ("date_of_birth", r"date of birth|birth ?date|birthday|dob|age"),
    ("state", r"state(?: of residence)?|home state"),
    ("coverage_amount", r"coverage amount|face amount|death benefit|amount of coverage"),
    ("current_coverage", r"current (?:carrier|insurer|coverage|policy|provider|insurance "
                         r"company)"),
    ("tobacco_use", r"(?:tobacco|smoking|nicotine) (?:status|use|history)"),
)  # fmt: skip
_NOUN = "|".join(f"(?:{n})" for _, n in NOUNS)
_NP = rf"(?:(?:your|the|a|an|any|that)\s+)?(?:{_NOUN})\b"
_SEP = r"\s*(?:,\s*(?:and|or|plus|also)?|\band\b|\bor\b|\bplus\b|&|\bas well as\b)\s*"
_FRAME = (
    r"(?:(?:can|could|may) i (?:get|have|grab|take|ask for|also get|ask)|"
    r"(?:can|could|would) you (?:give|tell|read|share|provide|confirm|send|text|spell)(?: me)?|"
    r"i (?:will |would |just |also |still )?need|"
    r"i (?:am going to|will have to|have to|got to|need to|want to|would like to|would love to) "
    r"(?:get|grab|take|ask for|confirm|have|collect|jot down|write down|note)(?: down)?|"
    r"let me (?:get|grab|take|have)|give me|tell me|what (?:is|are|would be|was|were)|"
    r"(?:do you |would you )?mind (?:sharing|giving me|telling me)|"
    r"please (?:give|tell|confirm|provide|share)(?: me)?|"
    r"(?:and|so|now|then|okay|ok|first|also)|"
    r"i (?:will|would|am going to) (?:grab|get|take))"
)
_LIST = re.compile(rf"(?:^{FILLER}|\b){_FRAME}\s+(?P<list>{_NP}(?:{_SEP}{_NP})+)", re.I)
_COMPILED = [(field, re.compile(rf"\b(?:{n})\b", re.I)) for field, n in NOUNS]


def list_requests(sentence: str) -> list[tuple[str, str, tuple[int, int]]]:
    """(field, words, span) for every field noun in a coordinated list after an ask frame."""
    out: list[tuple[str, str, tuple[int, int]]] = []
    for m in _LIST.finditer(sentence):
        if negated(sentence, m.start()):
            continue
        start = m.start("list")
        for part in re.finditer(_NP, m.group("list"), re.I):
            a, b = start + part.start(), start + part.end()
            for field, rx in _COMPILED:
                if rx.search(part.group(0)) and owner(sentence, a, b) == "caller":
                    out.append((field, m.group(0), (m.start(), m.end())))
                    break
    return out
