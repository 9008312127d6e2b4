"""Shared vocabulary of the detector's rule tables (:mod:`roleplay.rules`,
:mod:`roleplay.rules_quote`): the :class:`FieldRules` record, helpers to write cues, US states
and months, words that are never names, proposals and receipts.

A field's *cues* are the words that ask for it once the clause is an ask (see
:mod:`roleplay.asks`: a question, an ask frame such as "can I get", or a bare noun phrase). Its
*values* are what a read-back of it looks like; its *disqualifiers* mean the words are about
something else (a policy number is not a phone number); its *alternatives* ("term or whole
life?") ask even when they name values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Where = Literal["any", "no-yn", "wh"]
"""Which asks a cue counts in: any ask; not a yes/no question ("did your carrier send...");
only a wh-question or an ask frame."""
Cue = tuple[str, re.Pattern[str], Where]


def rx(pattern: str) -> re.Pattern[str]:
    """A case-blind pattern."""
    return re.compile(pattern, re.I)


def cue(name: str, pattern: str, where: Where = "any") -> Cue:
    """A named cue: ``pattern`` found in an ask about the caller requests the field."""
    return name, re.compile(pattern, re.I), where


@dataclass(frozen=True)
class FieldRules:
    """Rules for one field: how it is asked for, and what a read-back of it looks like."""

    cues: tuple[Cue, ...]
    values: tuple[re.Pattern[str], ...] = ()
    """Patterns for the value itself (digits, state names...) or a reference to it on file."""
    disqualify: tuple[re.Pattern[str], ...] = ()
    """Clause patterns meaning the field words are about something else."""
    reject_before: tuple[re.Pattern[str], ...] = ()
    """Patterns ending where a cue's match ends ("claim number"): that match is not the field."""
    reject_after: tuple[re.Pattern[str], ...] = ()
    """Patterns matching from where a cue's match starts ("number on the card")."""
    alternatives: tuple[tuple[str, re.Pattern[str]], ...] = ()
    """Alternative questions ("smoker or non-smoker?"): requests even though they name values."""
    question_confirms: bool = True
    """Whether a question containing the value is a confirm even without a check tag. True for
    concrete values (digits, names, states); false for descriptions that also appear in
    ordinary questions."""


# Offers of a next step: a value inside them is a proposal, not a read-back.
PROPOSAL = rx(
    r"(?:^|[,.]\s*|\b(?:so|okay|ok|and|or|also) )(?:would|do) you (?:like|want) me to\b|(?:^|,\s*|"
    r"\b(?:so|okay|ok) )(?:you )?want me to\b"
    r"|\bshall i\b"
    r"|\blet me (?!know\b|get\b|grab\b|take\b|have\b|ask\b|confirm\b|just get\b|jot\b|note\b)"
    r"|\blet me (?:get|grab) you (?:a|an|the|some|your) (?:quote|quotes|number|numbers|price|"
    r"prices|comparison|proposal|options|breakdown)\b"
    r"|\bhow about\b|(?<!where )\bcan i (?:schedule|book|set|send|email|put)\b|\bwhy do not we\b"
    r"|\bwould it (?:help|be (?:okay|ok|alright|all right|easier|better)) if\b"
    r"|(?:^|,\s*)(?:so |okay |ok |well |and )?i (?:can|could) (?!not\b|get\b|have\b|grab\b|ask\b)"
    r"|(?:^|,\s*)(?:so |okay |ok |well |or )?we could\b|\bwhat i (?:can|would) (?:do|suggest)\b"
    r"|\bi would suggest\b"
)
# Questions about something the caller received or saw are not requests for the field.
RECEIPT = rx(
    r"(?<!\bwho )(?<!\bwhat )\b(?:did|have|has) (?:you|it|that|the [\w-]+(?: [\w-]+)?) (?:get|gott"
    r"en|got|receive|"
    r"received|see|seen|open|opened|check|checked|read|come through|arrive|arrived|go through|"
    r"land|landed)\b(?! (?:about |on |onto |upon |across )?(?:us\b|our (?:ad|ads|website|site|post"
    r"|mailer|postcard|page|"
    r"listing|sign|number|name|flyer|commercial)))"
)

DURATION = r"(?:time|runway|lead time|notice)"
"""What "how much ..." asks when it asks a duration (the urgency), never an amount."""

US_STATES = (
    "alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|"
    "hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|"
    "massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|"
    "new hampshire|new jersey|new mexico|new york|north carolina|north dakota|ohio|oklahoma|"
    "oregon|pennsylvania|rhode island|south carolina|south dakota|tennessee|texas|utah|"
    "vermont|virginia|washington|west virginia|wisconsin|wyoming"
)
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
NOT_NAMES = set(
    (US_STATES + "|" + MONTHS).split("|")
    + "i a an the in on at for about calling still here there now that this it what who sure "
    "okay ok right correct going fine good great done urgent time number email policy term "
    "life whole auto home just only all my your our his her their you we they".split()
    + "urgent covered yours possible available accurate true free included necessary needed "
    "required new old real safe everything ok fine".split()
    + "monday tuesday wednesday thursday friday saturday sunday medicare harbor".split()
    + "looking interested with not also currently already insured over up down back hoping "
    "thinking planning after wanting trying shopping comparing worried asking due paying "
    "smoker nonsmoker married single retired self a an".split()
)

# Names: a lead-in followed by a name-like word.
NAME_LEAD = re.compile(
    r"\b(?P<lead>is this|am i (?:speaking|talking) (?:with|to)|i am (?:speaking|talking) "
    r"(?:with|to)|you are|you must be|it is|i have you (?:down )?as|do i have|i have your name "
    r"as|your name is|this is|and this is|i have got you as|speaking with|talking to|"
    r"i have|name as|is it|its|that is|so that is|(?:your |the )?name is|your name,?|name,)"
    r"[\s:,]+"
    r"(?:(?:still|is|as|actually|just|now)\s+)*(?:(?:mr|mrs|ms|miss|mister|dr)\.?\s+)?"
    r"(?P<name>[A-Za-z][\w'-]*)",
    re.I,
)

# Who a clause is about (used by the cues that need the caller named).
YOU = rx(r"\b(?:you|your|yours|yourself)\b")
