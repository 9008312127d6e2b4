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

Every decision can be explained: each :class:`Hit` carries the words that fired, the
sentence they came from and the name of the rule (or, for a learned request, its probability
and the labelled lines it resembles). Per turn:

1. :func:`roleplay.spoken.canonical` removes what speech adds (fillers, false starts,
   apostrophe-less contractions, number words) so typed and transcribed lines look alike;
2. :mod:`roleplay.clauses` splits sentences and clauses, recognises questions by form, checks
   (tags, "I take it"...), negation scope and whose detail a phrase is about;
3. per sentence and field, a typed value read back (:mod:`roleplay.values`: phone digits
   against the captured phone, an amount against the amount, a date against the date of
   birth) or a reference to the value on file, with a check, is a confirm; otherwise a request
   rule (:mod:`roleplay.rules`) matching a clause about the caller, outside a negation, is a
   request; a sentence that only checks ("Is that right?") confirms what the previous
   sentence read back; a value offered beside another of its field ("one million or two",
   "still 281-555-0120 or a cell") asks the caller to choose, so it is a request, and so is
   "yours" after someone else's or the producer's detail ("my email is ..., what's yours");
4. one phrase lands on one field: a field's cue is read with its own neighbours (a channel
   named as a way to follow up, "by email", is the next action, not a request for the address;
   "claim number" is not the phone), and each field is reported once per turn;
5. a turn that asks something the rules tie to no field falls back on resemblance
   (:mod:`roleplay.resemble`): if the three nearest labelled tuning lines all request a field,
   so does the turn, with their ids as evidence (``Hit.examples``, rule ``<field>.resembles``);
6. three readers then weigh each field: the rules' finding, a learned word model
   (:mod:`roleplay.learned`, a logistic regression over the clause's words and shapes) and a
   fine-tuned sentence encoder (:mod:`roleplay.encoder`, four layers of MiniLM reading the
   whole turn), beside the marks the rules read (does the turn ask, is the field negated, held
   or named in another sense, is it unpunctuated speech). The arbiter
   (:mod:`roleplay.arbiter`, a logistic regression fitted on writers the encoder never saw)
   decides whether the field is requested. A request it adds keeps the words of the field's
   cue and the nearest labelled lines that request the field as evidence (rule
   ``<field>.learned``, ``Hit.probability``); a rule's request it finds unlikely is dropped; a
   read-back the rules found stands unless the arbiter is sure the field is asked.
   Without the encoder's weights (a trimmed install) the word model alone is the second
   opinion: it adds a request when sure and drops a rule's request it finds very unlikely,
   never turns a read-back into a request, never drops a request the rules read from the
   turn's shape (a choice, "yours"), and adds nothing for a field the producer says they hold
   ("I've got your name and number") or whose every cue the rules rejected by its neighbours
   ("a rough number for all your stuff").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from roleplay.arbiter import Arbiter, Reading, arbiter
from roleplay.asks import ASKS_BACK, YN_ASKS, ask_scope, is_fragment, relative_wh, strip_vocatives
from roleplay.clauses import (
    BARE_CHECK,
    CHECK,
    CHECK_ONLY,
    THAT_CHECK,
    mentions_someone_else,
    negated,
    owner,
    sentences,
    subclauses,
)
from roleplay.encoder import encoder
from roleplay.fields import FIELDS
from roleplay.learned import (
    ADD_UNPUNCTUATED,
    denied_in,
    field_evidence,
    model,
    opinion,
    states_only,
)
from roleplay.readback import field_value
from roleplay.resemble import TOPIC, requesting_neighbours, resembled_requests
from roleplay.rules import CHANNEL_AFTER, CHANNEL_BEFORE, RULES
from roleplay.rules_base import DURATION, PROPOSAL, RECEIPT
from roleplay.spoken import canonical, normalise
from roleplay.values import Mention, mentions, parse_amount

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
    examples: tuple[str, ...] = ()
    """For a request found by resemblance (rule ``<field>.resembles``): the ids of the labelled
    lines it read like (corpus ids, or ``labelled:<line>`` in labelled_utterances.txt)."""
    similarity: float = 0.0
    """For a request found by resemblance: the cosine similarity of the nearest of them."""
    probability: float = 0.0
    """For a request added by the learned model (rule ``<field>.learned``): how sure it is."""

    def __str__(self) -> str:
        like = f" like {', '.join(self.examples)}" if self.examples else ""
        return f"{self.field}: {self.kind} ({self.rule}: {self.words!r}{like})"


# --------------------------------------------------------------------------------------------
# Requests
# --------------------------------------------------------------------------------------------

Found = tuple[str, str, tuple[int, int], str]
"""Rule name, words, span in the sentence, and how the clause asks (see roleplay.asks)."""


def _clauses_with_offsets(sentence: str) -> list[tuple[str, int]]:
    out, pos = [], 0
    for clause in subclauses(sentence):
        at = sentence.find(clause, pos)
        at = pos if at < 0 else at
        out.append((clause, at))
        pos = at + len(clause)
    return out


# Words before the noun in a cue's match ("your best number"): the owner is read before them.
_LEADING = re.compile(
    r"your|the|a|an|my|our|his|her|their|best|good|full|first|last|legal|current|cell|mobile|"
    r"phone|callback|contact|home|work|daytime|direct|preferred|main|and|or",
    re.I,
)


def _other_owner(field: str, text: str, m: re.Match[str], at: int = 0) -> bool:
    """A personal detail of someone other than the caller (a spouse, the producer). The match
    ``m`` is in a part of ``text`` starting at ``at``."""
    if field not in PERSONAL:
        return False
    words = [w for w in re.finditer(r"[\w']+", m.group(0)) if not _LEADING.fullmatch(w.group(0))]
    noun_at = at + m.start() + (words[0].start() if words else 0)
    return owner(text, noun_at, at + m.end()) != "caller"


def _blocked(
    field: str,
    text: str,
    m: re.Match[str],
    clause: str,
    at: int,
    around: tuple[str, str] = ("", ""),
) -> bool:
    """Negated (in its clause), a channel ("by email"), or (for a personal detail) about
    someone other than the caller. ``text`` is the ask scope, found at ``at`` in ``clause``;
    ``around`` is the sentence before and after the clause (a channel list spans clauses:
    "I can call, email, or text")."""
    if negated(clause, at + m.start()):
        return True
    rules = RULES[field]
    if any(p.search(text[: m.end()]) for p in rules.reject_before) or any(
        p.match(text[m.start() :]) for p in rules.reject_after
    ):
        return True
    before, after = around[0] + " " + text[: m.start()], text[m.end() :] + around[1]
    if field in ("email", "contact_number") and (
        CHANNEL_BEFORE.search(before.rstrip() + " ") or CHANNEL_AFTER.search(after)
    ):
        return True
    return _other_owner(field, clause, m, at)


# "What's the best one?" after "I don't seem to have an email for you" asks for the e-mail.
_ANAPHOR = re.compile(
    r"^(?:(?:and|so|okay|ok|then|sorry|um|uh)\s+)*(?:what|which) (?:is|was|would be|will be|"
    r"are) (?:it|that|this|those|the best one|the one|a good one|the right one|the best|yours|"
    r"the best way to reach you|the address|the number|the one)\b"
    r"|^(?:(?:and|so|or|okay|ok|then)\s+)*(?:is there|do you have|have you got|got) (?:another|a "
    r"better|a different|any other|a second|a newer) one\b"
    r"|^(?:(?:and|so|okay|ok|then|sorry)\s+)*(?:could|can|would) you (?:please )?(?:give|tell|read|"
    r"spell|repeat|say|send) (?:me )?(?:that|it|those)\b"
    # "your birthday was not captured. May I have it?", "I don't see your email. Kindly
    # provide it.", "i don't see who's insuring the place now, who is it?"
    r"|^(?:(?:and|so|okay|ok|then|sorry|please|kindly|now)\s+)*(?:may|can|could) i (?:please )?"
    r"(?:have|get|grab|take|ask for|note) (?:it|that|those|them)\b"
    r"|^(?:(?:and|so|okay|ok|then|sorry|now)\s+)*(?:kindly|please) (?:provide|share|give|tell|"
    r"send|confirm)(?: me| us)? (?:it|that|those|the same)\b"
    r"|^(?:(?:and|so|okay|ok|then|now)\s+)*i (?:will |would |am going to |gonna )?(?:just |"
    r"also |still )?(?:need|want|have to get|have to ask for) (?:it|that|those)(?: from you)?"
    r"(?! (?:done|sorted|in|to|for the|by|before|after)\b)"
    r"|^(?:(?:and|so|okay|ok|then|now)\s+)*(?:who|what) (?:is|was) it\b(?! (?:about|for|"
    r"like)\b)",
    re.I,
)
_NOUN_CUES = {
    "caller_name": ("name",),
    "contact_number": ("number",),
    "email": ("email",),
    "date_of_birth": ("dob",),
    "coverage_amount": ("amount-noun",),
    "current_coverage": ("carrier", "who-with"),
}


def _nouns(text: str, callers_only: bool = True) -> list[tuple[int, str]]:
    """Where ``text`` names a field by its noun ("number", "email", "date of birth"), as (start,
    field); with ``callers_only``, not a disqualified use nor someone else's detail."""
    out = []
    for field, names in _NOUN_CUES.items():
        if callers_only and any(p.search(text) for p in RULES[field].disqualify):
            continue
        for cue_name, pattern, _where in RULES[field].cues:
            if cue_name in names:
                out += [
                    (m.start(), field)
                    for m in pattern.finditer(text)
                    if not (callers_only and _other_owner(field, text, m))
                ]
    return out


def _last_noun(text: str, callers_only: bool = True) -> str | None:
    """The field whose noun is said last in ``text`` (for an anaphor in the next question)."""
    nouns = _nouns(text, callers_only)
    return max(nouns)[1] if nouns else None


# "i got your name number and that you're buying a condo": what the producer says they hold.
_HOLDING = re.compile(
    r"\b(?:i|we)(?: have| have got| got| already have| already got| do have| can see| see)"
    r"(?: (?:basically|already|just|all|here|down|on file|on screen))* (?P<held>[^.?!]*?)"
    r"(?=\s+(?:so|but|and now|now|what|whats|can|could|may|i|we)\b|[.?!]|$)",
    re.I,
)


def _held(text: str) -> set[str]:
    """Fields the turn says the producer already holds ("I've got your name and number"): the
    learned model does not add a request for them."""
    out: set[str] = set()
    for m in _HOLDING.finditer(text):
        held = m.group("held")
        if not re.match(r"(?:your|the|a|an|basically|both)\b", held, re.I) or negated(
            text, m.start()
        ):
            continue
        out |= {field for _start, field in _nouns(held, callers_only=False)}
    return out


# Rules read from the turn's shape (a choice offered beside a value, "and yours" after someone
# else's detail): the learned model does not veto them.
_BY_SHAPE = (
    ".yours",
    ".choice",
    ".states-or",
    ".moving-or",
    ".nothing-or",
    ".cancelled-or",
    ".other-line-or",
)

# The audit rule that on a life or umbrella call the present policy's amount or limits are a
# detail of the present cover (:func:`_old_policy_amount`): the model, fitted on few such lines,
# does not veto it.
_PRESENT_AMOUNT = (".underlying-limits", ".present-amount", ".existing-amount")

# "how much time / runway do we have" asks a duration, "how much do you weigh" a weight, "how
# much did it go up" a premium: never the amount to insure.
_DURATION = re.compile(
    rf"\bhow much (?:{DURATION}|longer)\b|\bhow much (?:do|did|does|would) "
    r"(?:you|it|he|she|they|the \w+|your \w+) (?:weigh|go up|went up|pay|cost|drive|make|earn|"
    r"smoke|drink|increase|jump)\b|\bhow much (?:are|were|is) (?:you|it|he|she) (?:paying|"
    r"weighing|costing|going up)\b",
    re.I,
)


def _kept_by_shape(hit: Hit) -> bool:
    """A request the rules read from the turn's shape or by the audit rule: no model vetoes it."""
    return hit.kind == "request" and hit.rule.endswith(_BY_SHAPE + _PRESENT_AMOUNT)


def _addable(field: str, sentence: str, held: set[str]) -> bool:
    """A model may add a request of ``field`` read in ``sentence``: the producer does not say
    they hold it, not every cue of it is read in another sense, and an amount is not a duration
    ("how much runway")."""
    return (
        field not in held
        and not _rejected(field, sentence)
        and not (field == "coverage_amount" and _DURATION.search(sentence))
    )


def _unpunctuated(text: str) -> bool:
    """Speech-to-text style: no sentence mark anywhere in the turn (the dots of an address said
    as "dana dot whitfield at example dot com" are not one)."""
    return re.search(r"[.?!](?!\w)", text) is None


def _rejected(field: str, sentence: str) -> bool:
    """Every cue of ``field`` in the sentence is one its rules reject by its neighbours ("a
    rough number for all your stuff" is no phone number): the learned model does not add it
    back (one phrase lands on one field)."""
    rules = RULES[field]
    seen = False
    for _name, pattern, _where in rules.cues:
        for m in pattern.finditer(sentence):
            seen = True
            if not (
                any(p.search(sentence[: m.end()]) for p in rules.reject_before)
                or any(p.match(sentence[m.start() :]) for p in rules.reject_after)
            ):
                return False
    return seen


# "my email is s.ionescu@example.com, can you tell me yours", "your partner's date of birth,
# and yours": "yours" asks the caller for the detail just named as someone else's.
_YOURS = re.compile(
    r"\b(?:what(?: is|s| was)? yours|(?:tell|give|send|read) me yours|(?:can|could|may) i "
    r"(?:have|get|grab) yours|(?:and|plus|also|then) (?:what about |how about )?yours|yours too|"
    r"yours as well)\b",
    re.I,
)


def _yours(text: str) -> str | None:
    """The field whose noun comes last before "yours" in an ask for the caller's own."""
    m = _YOURS.search(text)
    return _last_noun(text[: m.start()], callers_only=False) if m else None


def _requests(sentence: str, check: bool, before: str = "") -> dict[str, Found]:
    """The fields each ask in the sentence requests (first evidence per field). ``before``
    is the previous sentence, for an anaphor ("what's the best one?")."""
    found: dict[str, Found] = {}
    said = before
    denied = False
    clauses = _clauses_with_offsets(sentence)
    ends_question = sentence.rstrip().endswith("?")
    asserted = sentence.rstrip().endswith((".", "!"))
    asked_before = False
    for i, (clause, at) in enumerate(clauses):
        question = (
            ends_question
            and not check
            and (
                i == len(clauses) - 1
                or re.match(r"^(?:you|your)\b", clause, re.I) is not None
                or is_fragment(clause)
            )
        )
        asked = ask_scope(clause, question, asked_before, asserted)
        if asked is None:
            said = clause
            continue
        kind, scope = asked
        if kind in ("fragment", "question") and (check or denied):
            continue
        denied = negated(clause, len(clause)) is not None
        asked_before = asked_before or kind in ("frame", "wh")
        in_clause = max(clause.find(scope), 0)
        offset = at + in_clause
        around = (
            sentence[:offset] if in_clause + len(scope) >= len(clause) else "",
            sentence[offset + len(scope) :] if at + len(clause) <= len(sentence) else "",
        )
        if RECEIPT.search(scope) or (PROPOSAL.search(scope) and not ASKS_BACK.search(scope)):
            continue
        for field in FIELDS:
            if field in found:
                continue
            rules = RULES[field]
            if any(p.search(clause) for p in rules.disqualify):
                continue
            for name, pattern, where in rules.cues:
                if where == "no-yn" and kind == "yn" and not YN_ASKS.search(clause):
                    continue
                m = next(
                    (
                        m
                        for m in pattern.finditer(scope)
                        if not _blocked(field, scope, m, clause, in_clause, around)
                        and not (kind == "question" and relative_wh(scope, m))
                    ),
                    None,
                )
                if m:
                    span = (offset + m.start(), offset + m.end())
                    found[field] = (name, m.group(0).strip(), span, kind)
                    break
        yours = _YOURS.search(scope)
        mine = _yours(f"{before} {sentence[: offset + yours.end()]}") if yours else None
        if yours and mine and mine not in found:
            span = (offset + yours.start(), offset + yours.end())
            found[mine] = ("yours", yours.group(0), span, kind)
        anaphor = _ANAPHOR.search(scope) if kind in ("wh", "yn", "frame") else None
        if anaphor and not any(f[2][0] >= at for f in found.values()):
            noun = _last_noun(said) or _last_noun(sentence[:offset])
            if noun and noun not in found:
                span = (offset + anaphor.start(), offset + anaphor.end())
                found[noun] = ("anaphor", f"{said} … {anaphor.group(0)}", span, kind)
        said = clause
    return found


def _asks_by_form(sentence: str) -> bool:
    """A clause of the sentence asks by its form (a wh-word, an auxiliary, an ask frame)."""
    return any(
        (a := ask_scope(c, False, False)) is not None and a[0] in ("wh", "yn", "frame")
        for c in subclauses(sentence)
    )


def _said_as_question(sentence: str) -> bool:
    """A clause shaped as a question only by speech ("this is for the home or the car")."""
    return any(
        (a := ask_scope(c, False, False)) is not None and a[0] == "question"
        for c in subclauses(sentence)
    )


def _alternatives(sentence: str) -> dict[str, Found]:
    """Alternative questions ("smoker or non-smoker?") request even though they name values."""
    found: dict[str, Found] = {}
    for field in FIELDS:
        for name, pattern in RULES[field].alternatives:
            m = pattern.search(sentence)
            if m and not any(p.search(sentence) for p in RULES[field].disqualify):
                found[field] = (name, m.group(0).strip(), m.span(), "question")
                break
    return found


# --------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------


# "whole life or term which way you leaning" — a sentence opening on a choice asks.
_CHOICE = re.compile(
    r"^(?:(?:and|so|okay|ok|now|um|uh)\s+)*(?:[\w']+\s+){0,2}[\w']+,? or (?:[\w']+\s*){1,2}", re.I
)
_CONFIRM_VERB = re.compile(
    r"\b(?:confirm|verify|double.check|check|make sure|go over|read back)\b", re.I
)
_STILL_VALUE = re.compile(
    r"(?:\bstill|\bis it|\bit is|\bthat is|\bas|^)(?:\s+(?:at|on|with|in|as|using))?[\s,:]*$",
    re.I,
)


# A question that offers the caller a choice of values asks for the value, even though it says
# one: "were you thinking one million or two", "a hundred three hundred or all the way up to two
# fifty five hundred", "twenty five k thirty k", "keep the 250/500/100, or bump it up".
_CHOICE_TYPES = {
    "coverage_amount": ("amount", "limits"),
    "contact_number": ("phone",),
    "date_of_birth": ("date",),
}
_BETWEEN_CHOICES = re.compile(
    r"^\s*(?:,\s*)?(?:(?:or\s+)?(?:maybe|even|like|to|up to|all the way(?: up)? to|else)\s+"
    r"|or\s+)?$",
    re.I,
)
# "one million or two", "one million, two?": the second value said without its scale.
_ELLIPTIC_CHOICE = re.compile(
    r"^\s*(?:,\s*|,?\s+or\s+(?:maybe\s+|even\s+)?)(\d+(?:\.\d+)?)(?![\d,/])"
    r"(?![\s-]*(?:years?|yr|months?|weeks?|days?|drivers?|cars?|kids?|people|of|pay|term|"
    r"percent)\b)",
    re.I,
)


def _elliptic_choice(after: str, value: str) -> bool:
    """ "one million or two": the second amount said without its scale, so of the first's
    order (2 beside a million, 300 beside 250,000; not the 20 of "a 20-year term")."""
    m = _ELLIPTIC_CHOICE.match(after)
    amount = parse_amount(value)
    if not m or not amount:
        return False
    n = float(m.group(1))
    if amount >= 1_000_000:
        return n < 10 or amount / 5 <= n * 1000 <= amount * 5
    return amount / 5 <= n * 1000 <= amount * 5


_OR_CHANGE = re.compile(
    r"^[^.?!]{0,30}?,?\s+or\s+(?:(?:do|did|would|are|were) (?:you|we) (?:want to |wanna |like to |"
    r"thinking (?:of |about )?)?)?(?:\w+\s+){0,3}?(?:bump\w*|go(?:ing)? (?:up|higher|lower)|higher|"
    r"rais\w*|increas\w*|lower\w*|look at (?:higher|lower|more|other|different)|(?:own|have|need) "
    r"more)\b|^[^.?!]{0,40}?,?\s+or what (?:are|were) you thinking\b",
    re.I,
)


def _offers_choice(field: str, sentence: str, span: tuple[int, int], found: list[Mention]) -> bool:
    """The value said at ``span`` is one of several offered: another value of its type beside
    it, or (for an amount) "or" and a change of it ("or bump it up")."""
    types = _CHOICE_TYPES.get(field)
    if not types:
        return False
    for other in found:
        if other.type not in types or not (other.end <= span[0] or other.start >= span[1]):
            continue  # another kind of value, or the value itself
        after_it = other.start >= span[1]
        gap = sentence[span[1] : other.start] if after_it else sentence[other.end : span[0]]
        if len(gap) <= 30 and _BETWEEN_CHOICES.match(gap):
            return True
    after = sentence[span[1] :]
    if field == "coverage_amount" and _elliptic_choice(after, sentence[span[0] : span[1]]):
        return True
    return (
        field == "coverage_amount"
        and _OR_CHANGE.match(after) is not None
        and not re.search(r"\bstill\b", sentence, re.I)
    )


def _analyse(
    sentence: str, captured: Mapping[str, str], before: str = ""
) -> tuple[list[Hit], dict[str, tuple[str, tuple[int, int]]]]:
    """Hits of one sentence, and the read-backs it states without a check (pending)."""
    check = CHECK.search(sentence)
    asking = strip_vocatives(sentence, captured.get("caller_name"))
    requests = _requests(asking, bool(check), strip_vocatives(before, captured.get("caller_name")))
    inside = CHECK.search(asking)
    if inside:  # "... is that what happened?" checks, it does not ask
        requests = {
            f: r for f, r in requests.items() if not inside.start() <= r[2][0] < inside.end()
        }
    question = (
        sentence.rstrip().endswith("?")
        or bool(requests)
        or _asks_by_form(asking)
        or (not check and _CHOICE.search(asking) is not None)
        or (not check and _said_as_question(asking))
    )
    if question or not check:
        requests = {**requests, **_alternatives(asking)} if question else requests
    proposal = PROPOSAL.search(sentence)
    found = mentions(sentence)
    hits: list[Hit] = []
    pending: dict[str, tuple[str, tuple[int, int]]] = {}
    for field in FIELDS:
        value = field_value(field, sentence, captured, found)
        req = requests.get(field)
        hit: Hit | None = None
        # A value said with "confirm"/"verify" or after "still" is checked even without a tag:
        # "can you confirm your email is still laura@...", "what's your number, still 555-0142?"
        checked = check or (
            value
            and value[2] != "reference"
            and (_CONFIRM_VERB.search(sentence) or _STILL_VALUE.search(sentence[: value[1][0]]))
        )
        if req and (
            not value
            or ((req[3] in ("frame", "wh") or value[2] == "reference") and not checked)
            or req[0].endswith(("-or", "-any"))
        ):
            hit = Hit(field, "request", req[1], f"{field}.{req[0]}", sentence)
        elif (
            value
            and question
            # a check before the choice ("does that feel about right, or do you own more")
            # does not make it a read-back
            and (not check or re.match(r"\s*,?\s*or\b", sentence[check.end() :]) is not None)
            and value[2] != "reference"
            and _offers_choice(field, sentence, value[1], found)
        ):
            hit = Hit(field, "request", value[0], f"{field}.choice", sentence)
        elif value and checked:
            tag = check.group(0) if check else "checked"
            words = f"{value[0]} … {tag.strip(' ,?.')}"
            hit = Hit(field, "confirm", words, f"{field}.value+check", sentence)
        elif value and (question or req) and not proposal and RULES[field].question_confirms:
            hit = Hit(field, "confirm", value[0], f"{field}.value+question", sentence)
        elif value and not question:
            pending[field] = value[:2]
        if hit is not None:
            hits.append(hit)
    return hits, pending


def _off_limits(utterance: str) -> bool:
    """A turn about someone else, the producer's own details, a proposal or a negation: the
    resemblance fallback stays out of it (the rules already decided what it asks)."""
    text = canonical(utterance)
    return mentions_someone_else(text) or PROPOSAL.search(text) is not None


# An umbrella is priced on the limits of the policies under it: asked while the packet's amount
# is the umbrella's, the limits of the auto or home are a detail of the present cover.
_UMBRELLA = re.compile(r"\bumbrella\b", re.I)
_UNDERLYING = re.compile(
    r"\b(?:on|for) (?:the|your|each|both) (?:auto|car|cars|truck|home|house|homeowners|"
    r"vehicles?)\b|\bunderlying\b|\bunderneath\b|\bunder (?:it|the umbrella)\b|\bon each\b"
    r"|\b(?:you|do you) (?:carry|have|got)\b.{0,30}\b(?:now|today|currently)\b"
    r"|\b(?:your|the) (?:auto|car|truck|home|house|homeowners|renters) (?:limits|liability)\b",
    re.I,
)


# On a life call the packet's amount is the new face amount: "how much is the group plan for"
# asks about the policy the caller has (the corpus audit rule), not the amount wanted.
_LIFE = re.compile(r"\blife\b|\bfinal expense\b", re.I)
_PRESENT_POLICY = re.compile(
    r"\bgroup (?:plan|policy|thing|life|coverage)\b|\bthrough (?:work|the job|your job|your work|"
    r"the union|his union|her union|your union|the plant)\b|\bthe (?:old|existing|current|other) "
    r"(?:policy|one|plan)\b|\bthe one (?:through|with|from|at)\b|\bthat one\b"
    r"|\byour (?:current|existing|present|old|other|work|group|job|employer'?s?) (?:policy|plan|"
    r"coverage|one)\b|\bthe (?:work|job|employer|company) (?:policy|plan|one)\b"
    r"|\b(?:policy|plan|one) (?:you|you have|you've) (?:have|got|carry|already have)\b",
    re.I,
)
# What a life policy pays: "how much does the work policy pay out", "what's the face amount",
# "how much is that one for"
_PAYS = re.compile(
    r"\b(?:how much|what) (?:does|do|would|will) (?:it|that|that one|the [\w' ]{2,30}?|your "
    r"[\w' ]{2,30}?) (?:pay|pays|pay out|cover|come to)\b|\bface (?:amount|value)\b|\bdeath "
    r"benefit\b|\bhow much is (?:it|that|that one|the [\w' ]{2,30}?|your [\w' ]{2,30}?) (?:for|"
    r"worth)\b|\bwhat (?:is|are) (?:it|that|that one|the [\w' ]{2,30}?) (?:for|worth)\b"
    r"|\bwhat (?:it|that|that one|the [\w' ]{2,30}?|your [\w' ]{2,30}?) (?:pays|pays out|is for)\b",
    re.I,
)
_HOW_MUCH = re.compile(r"\bhow much\b|\bwhat (?:is|are) the (?:limits|amount|face amount)\b", re.I)
_NEW_AMOUNT = re.compile(r"\b(?:want|wanting|looking|in mind|thinking|need|new)\b", re.I)


def _carrier_words(captured: Mapping[str, str]) -> re.Pattern[str] | None:
    """The present carrier's name as said ("Harborline" of "policy with Harborline Life")."""
    m = re.search(r"\bwith ([A-Z][\w'-]+)", captured.get("current_coverage", ""))
    return re.compile(rf"\b{re.escape(m.group(1))}\b", re.I) if m else None


def _old_policy_amount(
    found: dict[str, Hit], captured: Mapping[str, str], utterance: str = ""
) -> None:
    """A request for the limits of the present auto or home policy, on an umbrella call, or
    for the amount of the policy the caller has, on a life call, requests the present cover
    (its amount is a detail of it), not the new policy's amount; so does asking what the
    caller's present life policy pays ("how much does the work policy pay out?", "what's the
    face amount on your current policy?"). Run on the rules' hits and again on the learned
    model's, whose veto spares this rule's requests (:data:`_PRESENT_AMOUNT`)."""
    hit = found.get("coverage_amount")
    product = f"{captured.get('product_interest', '')} {captured.get('coverage_amount', '')}"
    held = found.get("current_coverage")
    if (
        held is not None
        and held.rule == "current_coverage.value+question"
        and (_UMBRELLA.search(product) or _LIFE.search(product))
        and _HOW_MUCH.search(held.sentence)
        and not _NEW_AMOUNT.search(held.sentence)
    ):  # "how much is the Harborline policy for?": the present policy named, its amount asked
        rule = "current_coverage.present-amount"
        found["current_coverage"] = Hit(
            "current_coverage", "request", held.words, rule, held.sentence
        )
    if hit is None and _LIFE.search(product) and "current_coverage" not in found:
        for sentence in sentences(utterance):  # "how much does the work policy pay out?"
            pays = _PAYS.search(sentence)
            if (
                pays
                and _PRESENT_POLICY.search(sentence)
                and not _NEW_AMOUNT.search(sentence)
                and (sentence.rstrip().endswith("?") or _asks_by_form(sentence))
            ):
                rule = "current_coverage.present-amount"
                found["current_coverage"] = Hit(
                    "current_coverage", "request", pays.group(0), rule, sentence
                )
                return
    if hit is None or hit.kind != "request":
        return
    if _UMBRELLA.search(product):
        if _UMBRELLA.search(hit.words) or not _UNDERLYING.search(hit.sentence):
            return
    elif _LIFE.search(product):
        carrier = _carrier_words(captured)
        named = _PRESENT_POLICY.search(utterance) or (carrier and carrier.search(utterance))
        if not named or _NEW_AMOUNT.search(hit.sentence):
            return
    else:
        return
    del found["coverage_amount"]
    if found.get("current_coverage") is None or found["current_coverage"].kind == "confirm":
        under = _UMBRELLA.search(product)
        rule = "current_coverage." + ("underlying-limits" if under else "present-amount")
        found["current_coverage"] = Hit(
            "current_coverage", "request", hit.words, rule, hit.sentence
        )


def detect(
    utterance: str, captured: Mapping[str, str] | None = None, second_opinion: bool = True
) -> list[Hit]:
    """All fields the producer's utterance touches, each with the words that triggered it.

    ``captured`` maps field → value the AI captured; values read back are matched by type
    (digits with the phone, an amount with the amount, a date with the date of birth). A field
    both requested and confirmed in one utterance is reported once, as a request. Without a
    ``second_opinion``, the rules and resemblance alone.
    """
    captured = captured or {}
    found: dict[str, Hit] = {}
    pending: dict[str, tuple[str, tuple[int, int]]] = {}
    pending_sentence = ""

    def keep(hit: Hit) -> None:
        previous = found.get(hit.field)
        if previous is None or (previous.kind == "confirm" and hit.kind == "request"):
            found[hit.field] = hit

    before = ""
    said: set[str] = set()  # fields whose value the turn states
    checks = asks = False
    asking = ""
    text = canonical(utterance)
    for sentence in sentences(text):
        only_check = CHECK_ONLY.search(sentence)
        hits, new_pending = _analyse(sentence, captured, before)
        said |= set(new_pending)
        checks = checks or CHECK.search(sentence) is not None
        if not asks and (sentence.rstrip().endswith("?") or _asks_by_form(sentence)):
            asks, asking = True, sentence
        stated = before if not before.rstrip().endswith("?") and not _asks_by_form(before) else ""
        before = sentence
        if pending and (only_check or (CHECK.search(sentence) and not hits)):
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
        for hit in hits:
            if hit.kind == "request" and hit.field in pending and BARE_CHECK.match(sentence):
                # "I have 305-555-0158 for you. Best number?": the fragment checks the read-back
                words = f"{pending[hit.field][0]} … {sentence.strip(' ?.!')}"
                rule = f"{hit.field}.value+next-check"
                hit = Hit(hit.field, "confirm", words, rule, pending_sentence)
            elif hit.kind == "request" and stated and THAT_CHECK.search(sentence):
                read_back = found.get(hit.field)
                if (
                    hit.field in pending
                    or re.search(TOPIC[hit.field], stated, re.I)
                    # "February 14th, 1949. Is that your birthday?": the check of a read-back
                    or (read_back is not None and read_back.sentence == stated)
                ):
                    words = f"{stated.strip(' .!')} … {sentence.strip(' ?.!')}"
                    hit = Hit(hit.field, "confirm", words, f"{hit.field}.stated+check", stated)
            keep(hit)
        if not only_check:
            pending, pending_sentence = new_pending, sentence
    if asks and not checks and not found and not said and not _off_limits(utterance):
        for field, similarity, ids in resembled_requests(utterance, captured.get("caller_name")):
            if field not in found and field not in said:
                found[field] = Hit(
                    field,
                    "request",
                    asking,
                    f"{field}.resembles",
                    asking,
                    examples=ids,
                    similarity=round(similarity, 3),
                )
    _old_policy_amount(found, captured, text)
    if not second_opinion:
        return [found[f] for f in FIELDS if f in found]
    judge = arbiter()
    if judge is not None and encoder() is not None:
        return _arbitrated(found, utterance, captured, judge)
    add, drop = opinion(utterance, captured, {f: h.kind for f, h in found.items()})
    if not asks:
        # a turn that asks nothing by its form or a "?" gets no request from the model, unless it
        # is unpunctuated speech-to-text ("sir i will be needing your good name for the
        # application please"), where no "?" marks a question and the rules misread the form
        add = [v for v in add if _unpunctuated(text) and v.probability >= ADD_UNPUNCTUATED]
    for view in drop:
        # a choice of values offered ("one million or two", "still on your parents' policy, or
        # nothing at all") is an ask by its shape; the model, which reads a value said as a
        # read-back's mark, is not asked about it
        if not _kept_by_shape(found[view.field]):
            del found[view.field]
    held = _held(text)
    add = [view for view in add if _addable(view.field, view.sentence, held)]
    for view in add:
        ids = requesting_neighbours(utterance, captured.get("caller_name"), view.field)
        found[view.field] = Hit(
            view.field,
            "request",
            view.words,
            f"{view.field}.learned",
            view.sentence,
            examples=ids,
            probability=round(view.probability, 3),
        )
    if any(view.field == "coverage_amount" for view in add):
        _old_policy_amount(found, captured, text)  # the audit rule holds for the model's too
    return [found[f] for f in FIELDS if f in found]


def readings(
    utterance: str,
    captured: Mapping[str, str] | None = None,
    encoded: tuple[Sequence[float], Sequence[float]] | None = None,
    found: Mapping[str, Hit] | None = None,
) -> list[Reading]:
    """Each field's readings for the arbiter (:mod:`roleplay.arbiter`): the rules' hit, the word
    model's and the encoder's probabilities (``encoded``: request and read-back probabilities
    in :data:`FIELDS` order, the shipped encoder's unless given) and the marks of the turn."""
    captured = captured or {}
    if found is None:
        found = {hit.field: hit for hit in detect(utterance, captured, second_opinion=False)}
    if encoded is None:
        reader = encoder()
        if reader is None:
            raise LookupError("the encoder's weights are not installed")
        probabilities = reader.readings(utterance)
        encoded = (probabilities[:, 1].tolist(), probabilities[:, 2].tolist())
    fitted = model()
    words = fitted.probabilities(utterance, captured) if fitted is not None else {}
    text = canonical(utterance)
    said = [strip_vocatives(s, captured.get("caller_name")) for s in sentences(text)]
    turn = set()
    if any(s.rstrip().endswith("?") or _asks_by_form(s) for s in sentences(text)):
        turn.add("asks")
    if _unpunctuated(text):
        turn.add("unpunctuated")
    if states_only(said):
        turn.add("stated")
    held = _held(text)
    requested = {f for f, hit in found.items() if hit.kind == "request"}
    out = []
    for i, field in enumerate(FIELDS):
        marks = set(turn)
        marks |= {"held"} if field in held else set()
        marks |= {"denied"} if denied_in(field, said) else set()
        marks |= {"rejected"} if _rejected(field, field_evidence(field, said)[1]) else set()
        marks |= {"beside"} if requested - {field} else set()
        marks |= {"captured"} if field in captured else set()
        hit = found.get(field)
        out.append(
            Reading(
                field,
                hit.kind if hit is not None else "none",
                float(encoded[0][i]),
                float(encoded[1][i]),
                words.get(field, 0.0),
                frozenset(marks),
            )
        )
    return out


OVERRULE_READ_BACK = 0.95
"""The arbiter turns a read-back the rules found into a request only when at least this sure.
Judged on the 8,700 outside writers' lines with each line's encoder reading from the fold that
left it out: from the request bar (0.6 typed) to 0.9, typed recall 0.948 to 0.941 and
transcript 0.963 to 0.953 for 16 to 13 of 3,243 confirms scored as requests; 0.95 gave 0.939
and 0.951 for 12, and keeps a read-back by reference ("is the number on file the best one to
use?", 0.93 without a packet) a confirm. Never overruling cost another half point of typed
recall for one confirm."""


def _arbitrated(
    found: dict[str, Hit],
    utterance: str,
    captured: Mapping[str, str],
    judge: Arbiter,
    encoded: tuple[Sequence[float], Sequence[float]] | None = None,
) -> list[Hit]:
    """The rules' hits as the arbiter weighs them: a field is requested when the arbiter is
    sure enough (the rules' own hit kept as evidence, or the encoder's with the nearest
    labelled lines that request the field); otherwise a read-back the rules found stands.

    What the rules decide by a turn's shape stays theirs: a choice of values offered and the
    present policy's amount (:data:`_BY_SHAPE`, :data:`_PRESENT_AMOUNT`) are requests whatever
    the arbiter says; a read-back stands unless it is :data:`OVERRULE_READ_BACK` sure; a field
    it adds passes the checks the rules apply to their own cues (held by the producer, every cue
    read in another sense, a field's disqualifier such as "what else" for the reason, a duration
    for an amount); and the audit rule for the present policy's amount on umbrella and life
    calls holds for its requests too. ``encoded`` gives the encoder's readings (request and
    read-back probabilities in :data:`FIELDS` order) instead of the shipped encoder's."""
    text = canonical(utterance)
    said = [strip_vocatives(s, captured.get("caller_name")) for s in sentences(text)]
    held = _held(text)
    out: dict[str, Hit] = {}
    for reading in readings(utterance, captured, encoded=encoded, found=found):
        field = reading.field
        hit = found.get(field)
        requested, p = judge.requested(reading)
        if hit is not None and _kept_by_shape(hit):
            out[field] = hit
            continue
        if requested and (hit is None or hit.kind != "request"):
            words, sentence = field_evidence(field, said)
            if hit is not None and p < OVERRULE_READ_BACK:
                out[field] = hit
                continue
            where = sentence or text
            if not _addable(field, where, held) or any(
                d.search(where) for d in RULES[field].disqualify
            ):
                requested = False
        if requested:
            if hit is None or hit.kind != "request":
                ids = requesting_neighbours(utterance, captured.get("caller_name"), field)
                hit = Hit(
                    field,
                    "request",
                    words or sentence,
                    f"{field}.learned",
                    sentence,
                    examples=ids,
                    probability=round(p, 3),
                )
            out[field] = hit
        elif hit is not None and hit.kind == "confirm":
            out[field] = hit
    _old_policy_amount(out, captured, text)
    return [out[f] for f in FIELDS if f in out]


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
