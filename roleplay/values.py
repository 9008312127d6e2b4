"""Typed values said in an utterance, and matching them against the captured packet.

A read-back names a value: a phone number, an amount, a date or age, a state, an e-mail
address, the caller's name, or a phrase of a free-text field ("a call back tomorrow
morning"). The detector must compare like with like: the digits of a phone read-back are
not a coverage amount that happens to contain a 5, and the year in "born in 1981" is not a
phone number. :func:`mentions` finds typed values in a canonical sentence (see
:func:`roleplay.spoken.canonical`, which has already turned number words into digits);
:func:`match_captured` says whether one of them is the captured value of a field.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, cast

__all__ = ["Mention", "Said", "match_captured", "mentions", "parse_amount"]

Type = Literal["phone", "amount", "date", "year", "age", "email", "limits"]

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_RX = "|".join(sorted(_MONTHS, key=len, reverse=True))


@dataclass(frozen=True)
class Mention:
    """A typed value said in a sentence."""

    type: Type
    start: int
    end: int
    text: str
    value: object
    """phone: the digit string; amount: dollars (int); date: (year|None, month, day|None);
    year: int; age: int; email: the address; limits: a tuple of ints."""


_AMOUNT = re.compile(
    r"\$\s?\d(?:[\d,]*\d)?(?:\.\d+)?(?:\s?(?:k|m|mil|million|thousand|grand)\b)?"
    r"|\b\d(?:[\d,]*\d)?(?:\.\d+)?\s?(?:k|mil|million|thousand|grand)\b"
    r"|\b\d{1,3}(?:,\d{3})+(?!\d)",
    re.I,
)
# "two fifty on the dwelling", "seven-fifty whole life", "three hundred on the dwelling": said
# in thousands.
_POLICY_WORDS = (
    r"(?:whole life|whole|term|dwelling|coverage|cover|life|policy|house|home|death benefit|"
    r"face amount|twenty year|ten year|thirty year|\d+ year)"
)
_SPOKEN_THOUSANDS = re.compile(
    rf"(?<![\d,$.])\b(?:([1-9])[ -](\d0|\d[1-9])|(\d{{3}}))\b(?!,\d)"
    rf"(?=,? (?:on|in|of|for) (?:a |an |the |your )?{_POLICY_WORDS}\b|,? {_POLICY_WORDS}\b)",
    re.I,
)
_LIMITS = re.compile(r"\b(\d{2,4})\s?/\s?(\d{2,4})(?:\s?/\s?(\d{2,4}))?\b(?!\s?/)")
_DATE_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s*(?:of\s+)?'?(\d{4}|\d{2})(?!\d))?"
_DATE_MD = re.compile(rf"\b({_MONTH_RX})\.?\s+(?:the\s+)?{_ORD}\b{_YEAR}", re.I)
_DATE_DM = re.compile(rf"\b(?:the\s+)?{_ORD}\s+(?:of\s+)?({_MONTH_RX})\b{_YEAR}", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH_RX})\s+(?:of\s+)?(\d{{4}})\b", re.I)
_SPACED_DATE = re.compile(r"\b(\d{1,2}) (\d{1,2}) (\d{2}|\d{4})\b")
_YEAR_ALONE = re.compile(r"(?<![\d,$])'?\b((?:19|20)\d{2})\b(?![\d,])")
_BORN_SHORT_YEAR = re.compile(
    r"\b(?:born|birth|birthday|dob)\b[^.?!]*?\b(?:in |of )?'?(\d{2})\b"
    r"(?! (?:years|days|minutes|percent))",
    re.I,
)
_AGE = re.compile(
    r"\b(?:you are|you will be|you turn(?:ed)?|you just turned|age(?: of)?|aged)\s+(\d{2})\b"
    r"(?! (?:minutes|days|weeks|months|percent|thousand|k\b))"
    r"|\b(\d{2})\s*(?:years? old|yrs? old|year-old)\b",
    re.I,
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DIGIT_RUN = re.compile(r"(?<![\d$,])\(?\d[\d]*\)?(?:(?:[\s.-]|,\s)+\(?\d+\)?)*(?![\d,]*\d)")


def parse_amount(text: str) -> int | None:
    """Dollars in "$500,000", "500k", "1.5 million", "250 thousand"; None if not an amount."""
    m = re.search(r"(\d[\d,]*(?:\.\d+)?)\s?(k|m|mil|million|thousand|grand)?\b", text, re.I)
    if not m:
        return None
    try:
        value = float(m.group(1).replace(",", ""))
    except ValueError:
        return None
    scale = (m.group(2) or "").lower()
    if scale in ("k", "thousand", "grand"):
        value *= 1000
    elif scale in ("m", "mil", "million"):
        value *= 1_000_000
    return round(value)


def _overlaps(span: tuple[int, int], taken: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in taken)


def _year(text: str | None) -> int | None:
    if not text:
        return None
    y = int(text)
    if len(text) == 2:
        y += 1900 if y > 25 else 2000
    return y


def mentions(sentence: str) -> list[Mention]:
    """Typed values in a canonical sentence, longest-first, without overlaps."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def add(kind: Type, m: re.Match[str], value: object, group: int = 0) -> None:
        span = (m.start(group), m.end(group))
        if not _overlaps(span, taken):
            found.append(Mention(kind, span[0], span[1], m.group(group), value))
            taken.append(span)

    for m in _EMAIL.finditer(sentence):
        add("email", m, m.group(0).lower().rstrip("."))
    for m in _ISO.finditer(sentence):
        add("date", m, (int(m.group(1)), int(m.group(2)), int(m.group(3))))
    for m in _DATE_NUMERIC.finditer(sentence):
        month, day = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12 and 1 <= day <= 31:
            add("date", m, (_year(m.group(3)), month, day))
    for rx, order in ((_DATE_MD, "md"), (_DATE_DM, "dm")):
        for m in rx.finditer(sentence):
            month_text, day_text = (
                (m.group(1), m.group(2)) if order == "md" else (m.group(2), m.group(1))
            )
            day = int(day_text)
            if not 1 <= day <= 31 or (
                month_text.lower() == "may"
                and order == "md"
                and not re.search(r"\d(?:st|nd|rd|th)|\d{4}|,", m.group(0))
            ):
                continue
            add("date", m, (_year(m.group(3)), _MONTHS[month_text.lower()], day))
    for m in _MONTH_YEAR.finditer(sentence):
        if m.group(1).lower() != "may":
            add("date", m, (int(m.group(2)), _MONTHS[m.group(1).lower()], None))
    for m in _SPACED_DATE.finditer(sentence):
        month, day = int(m.group(1)), int(m.group(2))
        if (
            1 <= month <= 12
            and 1 <= day <= 31
            and re.search(r"\b(?:born|birth|birthday|dob)\b", sentence, re.I)
        ):
            add("date", m, (_year(m.group(3)), month, day))
    for m in _LIMITS.finditer(sentence):
        add("limits", m, tuple(int(g) for g in m.groups() if g))
    for m in _SPOKEN_THOUSANDS.finditer(sentence):
        if m.group(3):
            hundreds = int(m.group(3))
        else:
            hundreds = int(m.group(1)) * 100 + int(m.group(2))
        add("amount", m, hundreds * 1000)
    for m in _AMOUNT.finditer(sentence):
        value = parse_amount(m.group(0))
        if value is not None and (value >= 1000 or "$" in m.group(0)):
            add("amount", m, value)
    for m in _AGE.finditer(sentence):
        g = 1 if m.group(1) else 2
        add("age", m, int(m.group(g)), g)
    for m in _YEAR_ALONE.finditer(sentence):
        add("year", m, int(m.group(1)), 1)
    for m in _BORN_SHORT_YEAR.finditer(sentence):
        add("year", m, _year(m.group(1)), 1)
    for m in _DIGIT_RUN.finditer(sentence):
        digits = re.sub(r"\D", "", m.group(0))
        if len(digits) >= 2:
            add("phone", m, digits)
    return sorted(found, key=lambda x: x.start)


# --------------------------------------------------------------------------------------------
# Matching a captured value
# --------------------------------------------------------------------------------------------

_ENDING = re.compile(
    r"\b(?:ending|ends|end)(?: in| with)?\s*$|\blast (?:four|4|two|2)"
    r"(?: digits)?(?: are| is| of)?\s*$",
    re.I,
)


def _phone_match(captured: str, sentence: str, found: list[Mention]) -> Mention | None:
    digits = re.sub(r"\D", "", captured)
    if len(digits) < 4:
        return None
    for m in found:
        if m.type not in ("phone", "year"):
            continue
        said = m.value if m.type == "phone" else m.text.strip("'")
        said = str(said)
        cue = _ENDING.search(sentence[: m.start])
        if len(said) >= 4 and said in digits and (said == digits[-len(said) :] or len(said) >= 7):
            return m
        if 2 <= len(said) < 4 and cue and digits.endswith(said):
            return m
    return None


def _age_on(dob: tuple[int, int, int], today: _dt.date) -> int:
    y, mo, d = dob
    return today.year - y - ((today.month, today.day) < (mo, d))


def _dob_match(captured: str, found: list[Mention]) -> Mention | None:
    m = _ISO.search(captured)
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    for x in found:
        if x.type == "date":
            year, month, day = cast("tuple[int | None, int, int | None]", x.value)
            if month == mo and (day is None or day == d) and (year is None or year == y):
                if day is not None or year is not None:
                    return x
        elif x.type == "year" and x.value == y:
            return x
        elif x.type == "age":
            # Allow for the year the line was written in.
            ages = {_age_on((y, mo, d), _dt.date(year, 6, 30)) for year in range(2023, 2028)}
            age = cast(int, x.value)
            if age in ages or any(abs(age - a) <= 1 for a in ages):
                return x
    return None


def _amount_match(captured: str, found: list[Mention]) -> Mention | None:
    lim = _LIMITS.search(captured)
    if lim:
        want = tuple(int(g) for g in lim.groups() if g)
        for x in found:
            if x.type == "limits" and x.value == want:
                return x
        return None
    amount = None
    m = _AMOUNT.search(captured)
    if m:
        amount = parse_amount(m.group(0))
    if amount is None:
        return None
    for x in found:
        if x.type == "amount" and x.value == amount:
            return x
    return None


def _email_match(captured: str, sentence: str, found: list[Mention]) -> Said | None:
    address = captured.strip().lower()
    for x in found:
        if x.type == "email" and x.value == address:
            return x.text, (x.start, x.end)
    if "@" not in address:
        return None
    local, domain = address.split("@", 1)
    low = sentence.lower()
    for rx in (
        rf"\b{re.escape(local)}\b" if len(local) >= 4 else None,
        rf"\b(?:ending in|at|@)\s*{re.escape(domain)}\b",
    ):
        m = re.search(rx, low) if rx else None
        if m:
            return m.group(0), m.span()
    return None


Said = tuple[str, tuple[int, int]]
"""The words that said a value, and where they are in the sentence."""


def match_captured(
    field: str, value: str, sentence: str, found: list[Mention] | None = None
) -> Said | None:
    """The words in ``sentence`` that say the captured ``value`` of ``field`` (typed fields
    only: contact_number, email, date_of_birth, coverage_amount, state), or None."""
    value = (value or "").strip()
    if not value:
        return None
    found = mentions(sentence) if found is None else found
    m: Mention | None = None
    if field == "contact_number":
        m = _phone_match(value, sentence, found)
    elif field == "date_of_birth":
        m = _dob_match(value, found)
    elif field == "coverage_amount":
        m = _amount_match(value, found)
    elif field == "email":
        return _email_match(value, sentence, found)
    elif field == "state":
        s = re.search(rf"\b{re.escape(value)}\b", sentence, re.I)
        return (s.group(0), s.span()) if s else None
    return (m.text, (m.start, m.end)) if m else None
