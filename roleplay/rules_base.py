"""Shared vocabulary of the detector's rule tables (:mod:`roleplay.rules`,
:mod:`roleplay.rules_quote`): how an ask opens ("can I get", "I'll need"), the adjectives and
determiners before a field noun, US states and months, words that are never names, and the
:class:`FieldRules` record each field's rules are kept in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from roleplay.clauses import FILLER, WH_AUX

# fmt: off
_WH_AUX = WH_AUX
_FILLER = FILLER

# Offers of a next step: a value inside them is a proposal, not a read-back.
_PROPOSAL = re.compile(
    r"\b(?:would|do) you (?:like|want) me to\b|\bwant me to\b|\bshall i\b|\blet me\b"
    r"|\bhow about\b|\bcan i (?:schedule|book|set|send|email|put)\b|\bwhy don't we\b",
    re.I,
)

# Questions about something the caller received or saw are not requests for the field.
_RECEIPT = re.compile(
    r"\b(?:did|have) you (?:get|receive|received|see|seen|open|check|read)\b", re.I
)

_DET = r"(?:(?:your|a|an|the|any|another|that)\s+)?"
_ASK_Q = (
    r"(?:what is|what was|what would be|what|which|and|do you have|is there|"
    r"(?:can|could|may) i (?:get|have|grab|take|ask for)|"
    r"(?:can|could|would) you (?:please )?(?:give|tell|read|spell|repeat|share|provide|"
    r"confirm|remind|text|send|verify|say)(?: me)?(?: of)?(?: again)?|"
    r"(?:do you |would you )?mind (?:sharing|telling me|giving me|spelling|reading me)|"
    r"what did you say)"
)
_ASK_IMPERATIVE = (
    r"(?:let me (?:get|grab|take|have)|i (?:will |would |just |also )?need|"
    r"give me|tell me|remind me of|i did not catch|spell|state|verify|provide)"
)
_ADJ = (
    r"(?:(?:best|good|preferred|current|full|first|last|legal|contact|callback|cell|mobile|"
    r"home|work|phone|direct|daytime|email|first and last|birth)\s+)*"
)


def _ask(noun: str) -> list[tuple[str, re.Pattern[str], bool]]:
    """Rules 'ask' + optional determiner/adjectives + noun. Question-only for question asks."""
    return [
        ("ask", re.compile(rf"\b{_ASK_Q}\s+{_DET}{_ADJ}(?:{noun})\b", re.I), True),
        ("tell-me", re.compile(rf"\b{_ASK_IMPERATIVE}\s+{_DET}{_ADJ}(?:{noun})\b", re.I), False),
    ]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


def _start(pattern: str) -> re.Pattern[str]:
    """A wh-question anchored at the start of a sub-clause (after filler words)."""
    return re.compile(rf"^{_FILLER}(?:{pattern})", re.I)


_US_STATES = (
    "alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|"
    "hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|"
    "massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|"
    "new hampshire|new jersey|new mexico|new york|north carolina|north dakota|ohio|oklahoma|"
    "oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas|utah|"
    "vermont|virginia|washington|west virginia|wisconsin|wyoming"
)
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_NOT_NAMES = set(
    (_US_STATES + "|" + _MONTHS).split("|")
    + "i a an the in on at for about calling still here there now that this it what who sure "
    "okay ok right correct going fine good great done urgent time number email policy term "
    "life whole auto home just only all my your our his her their you we they".split()
    + "urgent covered yours possible available accurate true free included necessary needed "
    "required new old real safe everything ok fine".split()
    + "monday tuesday wednesday thursday friday saturday sunday medicare harbor".split()
)

# --------------------------------------------------------------------------------------------
# Per-field rules
# --------------------------------------------------------------------------------------------

RequestRule = tuple[str, re.Pattern[str], bool]  # name, pattern, needs a question


@dataclass(frozen=True)
class FieldRules:
    """Rules for one field: how it is requested, and what a read-back of it looks like."""

    requests: tuple[RequestRule, ...]
    values: tuple[re.Pattern[str], ...] = ()
    """Patterns for the value itself (digits, state names...) or a reference to it on file."""
    disqualify: tuple[re.Pattern[str], ...] = ()
    """Sub-clause patterns meaning the words are about something else (a policy number)."""
    topic: re.Pattern[str] | None = None
    """Words naming the field. A question (or "tell me"/"mind sharing") whose sub-clause names
    the field and is about the caller ("you"/"your", or a bare wh-question when
    ``topic_wh_ok``) requests it, unless it is a proposal, asks whether the caller received
    something, mentions "my"/"our", or the value itself is in the sentence."""
    topic_wh_ok: bool = False
    question_confirms: bool = True
    """Whether a question containing the value is a confirm even without a check tag.
    True for concrete values (digits, names, states); false for descriptions ("you want to")
    that also appear in ordinary questions."""


# Names: a lead-in followed by a name-like word.
_NAME_LEAD = re.compile(
    r"\b(?P<lead>is this|am i (?:speaking|talking) (?:with|to)|i am (?:speaking|talking) "
    r"(?:with|to)|you are|you must be|it is|i have you (?:down )?as|do i have)\s+"
    r"(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?(?P<name>[A-Za-z][\w'-]*)",
    re.I,
)

# fmt: on

# Who a question is about, and how an ask opens (used by the generic topic rule).
_YOU = re.compile(r"\b(?:you|your|yours|yourself)\b", re.I)
_MINE = re.compile(r"\b(?:my|our)\b", re.I)
_WH_START = re.compile(rf"^{_FILLER}(?:what|which|where|how|who|when)\b", re.I)
_ASK_START = re.compile(
    rf"^{_FILLER}(?:tell me|give me|(?:do you |would you )?mind|(?:can|could|would) you|"
    r"(?:can|could|may) i (?:get|have|take|grab)|i (?:will |would |just )?need)\b",
    re.I,
)
