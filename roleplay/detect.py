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
_WH_AUX = (
    r"what|who|whom|whose|how|when|where|which|why|do|does|did|are|is|am|was|were|can|could|"
    r"may|might|would|will|should|shall|have|has|any|still"
)
_SUBCLAUSE_SPLIT = re.compile(
    rf"\s*[,;:]\s*|\s+(?:and|or|but|then)\s+(?=(?:{_WH_AUX})\b)", re.I
)
_FILLER = (
    r"(?:(?:and|so|ok|okay|now|then|sorry|great|also|just|first|well|hi|hey|hello|thanks|"
    r"thank you|right|alright|perfect|quickly|but|um|uh|oh|lastly|finally|next|"
    r"real quick|before we start|out of curiosity)\s+)*"
)
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


# --------------------------------------------------------------------------------------------
# Shared vocabulary
# --------------------------------------------------------------------------------------------

# A check asks the caller for a yes/no on something stated as known.
_CHECK = re.compile(
    r"(?:^|[\s,])(?:right|correct|yes|yeah|ok|okay|true|accurate|fair)\s*[?!.]*\s*$"
    r"|\bis (?:that|this|it) (?:still )?(?:right|correct|accurate|true|the case|fair|what you)"
    r"|\bdid i (?:get|have) (?:that|it|all that|this|everything) right\b"
    r"|\bstill (?:true|accurate|correct|right|good|the (?:best|plan|case|amount)|work\w*|"
    r"sound\w* right|best|ok|okay)\b"
    r"|\bdoes that (?:still )?(?:work|sound right)\b|\bsounds? right\b",
    re.I,
)
# Offers of a next step: a value inside them is a proposal, not a read-back.
_PROPOSAL = re.compile(
    r"\b(?:would|do) you (?:like|want) me to\b|\bwant me to\b|\bshall i\b|\blet me\b"
    r"|\bhow about\b|\bcan i (?:schedule|book|set|send|email|put)\b|\bwhy don't we\b",
    re.I,
)

# Questions about something the caller received or saw are not requests for the field.
_RECEIPT = re.compile(r"\b(?:did|have) you (?:get|receive|received|see|seen|open|check|read)\b", re.I)

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


_PHONE_NOUN = r"number|phone|cell|cellphone|mobile|direct line|callback number|phone number"
_NAME_NOUN = r"(?:full |first |last |legal |first and last )?names?"
_DOB_NOUN = r"date of birth|birth ?date|birthday|dob|age"
_EMAIL_NOUN = r"email(?: address)?"

RULES: dict[str, FieldRules] = {
    "caller_name": FieldRules(
        requests=(
            *_ask(r"your " + _NAME_NOUN),
            ("who-speaking", _start(r"who (?:am i|are we|is this i am) (?:speaking|talking)"), False),
            ("who-have-i", _start(r"who (?:do|did) i have|who have i got|who is (?:calling|this|"
                                  r"on the line)"), False),
            ("what-name", _start(r"what name\b|what should i call you|what was your name"), False),
            ("your-name-is", _start(r"your name is\s*$"), True),
            ("state-name", _rx(r"\b(?:spell|state|catch) your (?:full |last |first )?name\b"),
             False),
            ("who-this", _start(r"who is this\b"), False),
        ),
        values=(),  # names are recognised by _name_value()
        topic=_rx(r"\byour (?:full |first |last |legal )?name\b"),
    ),
    "contact_number": FieldRules(
        requests=(
            *_ask(_PHONE_NOUN),
            ("how-reach", _start(r"how (?:can|should|do|will|could) (?:i|we) (?:reach|contact|"
                                 r"get hold of|call|get in touch with) you"), False),
            ("phone-to-reach", _rx(r"\b(?:best|good) (?:number|phone) to (?:reach|call)\b"), True),
            ("reach-you", _start(r"(?:how|where|what|which)\b.*\b(?:reach|text|contact|"
                                 r"get (?:a)?hold of|get in touch with) you\b"), True),
        ),
        values=(
            _rx(r"\b\d{3}[\s.-]?\d{3}[\s.-]?\d{4}\b|\b\d{3}[\s.-]\d{4}\b|\b555\s?\d{4}\b"),
            _rx(r"\b(?:ending|ends?) (?:in |with )?\d{2,4}\b"),
            _rx(r"\bstill (?:the )?best (?:way|number|one) to reach you\b"),
            _rx(r"\b(?:this|that|the) (?:number|cell|phone)(?: on file| you gave| we have)?\b"
                r"(?=.*\b(?:still|best|good|on file|you gave|we have)\b)"),
        ),
        disqualify=(
            _rx(r"\b(?:policy|claim|account|member|group|vin|license|licence|security|ssn|id|"
                r"case|confirmation|reference|quote|routing|tracking|extension)\s+number"),
            _rx(r"\bnumber on (?:your|the) (?!file)"),
            _rx(r"\bnumber (?:one|two|of)\b|\bhow many\b|\bmy (?:direct )?(?:line|number|cell)\b"),
            _rx(r"\b(?:our|my) (?:number|phone|line)\b"),
        ),
        topic=_rx(r"\b(?:cell|phone|mobile|number|digits|callback)\b"),
    ),
    "email": FieldRules(
        requests=(
            *_ask(_EMAIL_NOUN),
            ("where-email", _start(r"where (?:should|can|do) (?:i|we) email"), False),
        ),
        values=(
            _rx(r"[\w.+-]+@[\w-]+\.[\w.]+"),
            _rx(r"\b[\w.]+ at [\w-]+ dot (?:com|net|org)\b"),
            _rx(r"\b(?:address )?ending in [\w-]+\.(?:com|net|org)\b"),
            _rx(r"\bthe email (?:on file|you gave|we have)\b"),
        ),
        topic=_rx(r"\bemail\b"),
        topic_wh_ok=True,
    ),
    "urgency": FieldRules(
        requests=(
            ("how-soon", _rx(r"\bhow (?:soon|quickly|fast) (?:do|would|will|did) you (?:need|"
                             r"want|like|have to)\b"), False),
            ("how-urgent", _rx(r"\bhow (?:urgent|pressing|time.sensitive)\b"), False),
            ("when-need", _start(r"when (?:do|would|will) you (?:need|want|like)(?! me\b)"
                                 r"|by when\b"), False),
            ("is-it-urgent", _rx(r"\bis (?:this|it|that) (?:urgent|time.sensitive|pressing)\b"),
             True),
            ("timeline", _rx(r"\b(?:timeline|time ?frame|deadline)\b"), True),
            ("need-it-now", _rx(r"^(?:do|will) you need (?:this|it|coverage|the coverage|the "
                                r"policy)\b.*\b(?:today|now|this week|right away|asap|"
                                r"immediately)\b"), False),
            ("in-a-hurry", _rx(r"\bare you in (?:a|any) (?:hurry|rush)\b"), False),
        ),
        values=(
            _rx(r"\b(?:by|before) (?:the |your |this |next )?(?:\d+(?:st|nd|rd|th)?|monday|"
                r"tuesday|wednesday|thursday|friday|saturday|sunday|renewal|end of|weekend)\b"),
            _rx(r"\btime.sensitive\b|\b(?:no|not in a|in a) (?:big )?(?:rush|hurry)\b|"
                r"\burgent(?:ly)?\b|\basap\b|\bin place by\b"),
            _rx(r"\byou need (?:this|it|coverage)\b.*\b(?:this week|today|this month|soon)\b"),
        ),
        question_confirms=False,
        topic=_rx(r"\b(?:rush|hurry|urgent|urgency|deadline|timeline|time ?frame|time pressure|"
                  r"time.sensitive)\b"),
        topic_wh_ok=True,
    ),
    "referral_source": FieldRules(
        requests=(
            ("how-hear", _rx(r"\bhow (?:did |do )?you (?:hear|heard|find|found|learn|learned|"
                             r"come across|came across|get to)\b(?! me\b)"), False),
            ("who-referred", _start(r"who (?:referred|sent|recommended|told|pointed|directed) you|"
                                    r"who should i thank"), False),
            ("someone-referred", _rx(r"\b(?:did|has) (?:someone|somebody|anyone|a friend) "
                                     r"(?:refer|send|recommend|tell)\b"), False),
            ("where-see", _start(r"where did you (?:see|hear|find|get|come across)\b"
                                 r"(?=.*\b(?:us|our|ad|agency)\b)"), False),
            ("did-you-find-us", _rx(r"\bdid you (?:find|hear about|learn about|see) (?:us|our)\b"),
             False),
            ("what-made-you", _rx(r"\bwhat (?:made|led|brought) you (?:to )?(?:reach out to|call|"
                                  r"choose|pick|come to|contact) us\b"), False),
        ),
        values=(
            _rx(r"\b(?:referred|recommended) you\b|\b(?:sent|send) you (?:our|my) way\b|"
                r"\bfound us\b|\bcame in (?:from|through)\b|\bmailer\b|\bgoogle\b|\bfacebook\b|"
                r"\bword of mouth\b"),
            _rx(r"\b\w+ referred you\b"),
        ),
        topic=_rx(r"\b(?:find|found|finding|hear|heard|hearing|learn|learned|come across|"
                  r"came across|end up with) (?:about )?us\b|\b(?:referred|pointed|directed|steered|"
                  r"sent|recommended|told) you\b|\breferr(?:al|ed)\b"),
    ),
    "preferred_next_action": FieldRules(
        requests=(
            ("how-proceed", _rx(r"\bhow (?:would |do )?you(?: would| do)? (?:like|want|wish|"
                                r"prefer) to (?:proceed|move forward|go forward|handle|continue|"
                                r"go|take (?:this|it) forward)\b"), False),
            ("next-step-or", _rx(r"\b(?:appointment|call ?back|callback|meeting|email|in person|"
                                 r"phone|video call|application)\b.*\bor\b.*\b(?:appointment|"
                                 r"call ?back|callback|meeting|email|in person|phone|video|"
                                 r"application|think it over)\b"), True),
            ("what-to-do", _start(r"what (?:would|do) you (?:like|want)(?: me| us)? to do\b"), False),
            ("next-step", _start(r"what (?:is|would be)\b.*\b(?:next step|way forward)\b"), False),
            ("go-from-here", _rx(r"\bwhere (?:do|would) you (?:want|like) to go\b"), False),
            ("prefer-or", _rx(r"\b(?:would|do) you (?:prefer|rather|want to|like to)\b.*\bor\b"),
             True),
            ("what-works", _rx(r"\bwhat works (?:best|better) for you\b"), True),
        ),
        values=(
            _rx(r"\b(?:you said you|you wanted|you would like|you still want|you asked for|"
                r"you prefer|you would prefer|you would rather|the assistant said you)\b.*\b(?:appointment|call ?back|callback|"
                r"meeting|quote|application|email|meet)\b"),
        ),
        question_confirms=False,
        topic=_rx(r"\b(?:next step|move forward|go forward|(?:take|move) (?:this|it|things) "
                  r"forward|proceed|from here|go next)\b"),
    ),
    "reason_for_call": FieldRules(
        requests=(
            ("how-help", _start(r"how (?:can|may|could|might) (?:i|we) (?:help|assist)"
                                r"(?! (?:you )?(?:with anything else|further))"), False),
            ("what-can-i-do", _start(r"what (?:can|may|could) (?:i|we) (?:do for you|help you "
                                     r"with|help with)"), False),
            ("what-is-it", _rx(r"\bwhat is it (?:that )?(?:i|we) can (?:help|do)\b"), False),
            ("why-calling", _start(r"(?:what|why) (?:are|were) you calling\b|why did you call"),
             False),
            ("what-brings", _rx(r"\bwhat (?:brings|brought|prompted|prompts) (?:you|your call|"
                                r"the call)\b"), False),
            ("whats-going-on", _start(r"what is (?:going on|happening|up|the (?:issue|problem|"
                                      r"matter|situation))|what seems to be\b"), False),
            ("tell-me-whats-up", _rx(r"\btell me what is (?:going on|happening|up)\b"), False),
            ("reason", _rx(r"\bwhat is the reason (?:for|of) (?:your|the|this) call\b"), False),
            ("want-to-talk", _start(r"what did you (?:want|need) to (?:talk|ask|discuss|chat)"),
             False),
            ("explain-need", _rx(r"\b(?:explain|tell me|walk me through|fill me in(?: on)?)"
                                 r"(?: again)? (?:what|why) you (?:need|called|are calling|want|"
                                 r"were calling|are after|are looking for)\b"), False),
            ("hoping-to", _start(r"what were you hoping to\b"), False),
        ),
        values=(
            _rx(r"\byou (?:are|were) calling (?:about|because|to|regarding|for)\b|"
                r"\byou (?:want|would like|are looking|need) to\b|\bcalling about\b|"
                r"\b(?:so|and) you (?:want|need) (?:a|an|the|someone|somebody)\b|"
                r"\bsounds like you\b|\bnotes say you want\b"),
        ),
        question_confirms=False,
    ),
    "product_interest": FieldRules(
        requests=(
            ("what-kind", _rx(r"\b(?:what|which) (?:kinds?|types?|sorts?|lines?) of "
                              r"(?:insurance|policy|policies|plan|coverage|product|cover)\b"),
             False),
            ("which-product", _start(r"which (?:product|policy|plan|line)\b"), False),
            ("interested-insuring", _rx(r"\bwhat (?:are|were) you (?:interested in|looking to|"
                                        r"wanting to|hoping to) (?:insur\w*|cover)\b"), False),
            ("product-or", _rx(r"\b(?:term|whole life|auto|car|home|homeowners|renters|life|"
                               r"umbrella|medicare)\b.*,?\s*\bor\b\s+(?:both|term|whole|auto|"
                               r"car|home|homeowners|renters|life|umbrella|medicare)\b"), True),
        ),
        values=(
            _rx(r"\b(?:term(?: life)?|whole life|universal life|life insurance|homeowners?|"
                r"home insurance|renters|auto (?:policy|insurance)|umbrella|"
                r"medicare(?: supplement| advantage)?|final expense|disability|"
                r"long.term care)\b"),
        ),
        question_confirms=False,
        topic=_rx(r"\b(?:kinds?|types?|sorts?|lines?) of (?:insurance|coverage|policy|plan|cover|"
                  r"protection)\b"),
    ),
    "date_of_birth": FieldRules(
        requests=(
            *_ask(_DOB_NOUN),
            ("when-born", _rx(r"\b(?:when|what year|what day|what date) (?:were|was) you born\b"),
             False),
            ("how-old", _rx(r"\bhow old (?:are|will|were) you\b|\bhow old\b(?: \w+){0,4} you "
                            r"(?:were|are)\b"), False),
        ),
        values=(
            _rx(rf"\b(?:born|birthday|date of birth|dob)\b.*(?:\b(?:{_MONTHS})\b|"
                r"\d{1,2}/\d{1,2}/\d{2,4}|\b(?:19|20)\d{2}\b)"),
            _rx(r"\byou are (?:\d{2})\b(?! (?:minutes|days|percent))"),
        ),
        topic=_rx(r"\b(?:date of birth|birth ?date|birthday|dob|your age|how old (?:are|were|will|"
                  r"did|would) you)\b"),
    ),
    "state": FieldRules(
        requests=(
            ("what-state", _rx(r"\b(?:what|which) state (?:are you|do you|is your|you)\b"), False),
            ("which-state", _rx(r"\bin which state\b"), False),
            ("where-live", _start(r"where (?:do|did) you (?:live|reside|stay)\b"), False),
            ("where-located", _start(r"where are you (?:located|based|calling from|living|"
                                     r"from)\b"), False),
        ),
        values=(_rx(rf"\b(?:{_US_STATES})\b"),),
        topic=_rx(r"\b(?:what|which) state\b"),
    ),
    "coverage_amount": FieldRules(
        requests=(
            ("how-much-cover", _rx(r"\bhow much (?:life insurance|coverage|cover|insurance)\b"),
             False),
            ("what-amount", _rx(r"\bwhat (?:face amount|coverage amount|amount of coverage|"
                                r"death benefit|limits?|benefit amount)\b"), False),
            ("how-big", _rx(r"\bhow (?:big|large) (?:a|of a) (?:policy|benefit)\b"), False),
            ("leave-family", _rx(r"\bhow much (?:would|do) you (?:want|like|need) to leave\b"),
             False),
        ),
        values=(
            _rx(r"\$\s?\d{2,3}(?:,\d{3})+|\$\s?\d+\s?(?:k|thousand|million)\b"),
            _rx(r"\b\d{2,3}k\b|\b(?:half a|a|one|two|quarter) million\b|"
                r"\b\d{2,3},000\b"),
        ),
        topic=_rx(r"\bhow much\b.*\b(?:coverage|cover|insurance|death benefit|benefit|"
                  r"protection)\b|\b(?:face amount|coverage amount|amount of coverage)\b"),
    ),
    "current_coverage": FieldRules(
        requests=(
            ("have-any", _rx(r"\bdo you (?:currently |already )?have (?:any|an|a) (?:existing |"
                             r"current |other )?(?:life insurance|insurance|coverage|policy|"
                             r"policies|plan)\b"), False),
            ("who-carrier", _start(r"who (?:is|are) your (?:current )?(?:carrier|insurer|"
                                   r"insurance company|provider|company)|who are you (?:insured "
                                   r"with|covered (?:by|with|through)|with)"), False),
            ("are-insured", _rx(r"\bare you (?:currently |already )?(?:insured|covered)\b"),
             False),
            ("what-coverage-have", _rx(r"\bwhat (?:coverage|insurance|policy|policies) do you "
                                       r"(?:currently )?have\b"), False),
            ("name-of-insurer", _rx(r"\bname of your (?:current )?(?:insurance company|insurer|"
                                    r"carrier|provider)\b"), False),
            ("carrying", _rx(r"\bwhat (?:are you|do you) (?:currently )?(?:carry|carrying)\b"),
             False),
            ("have-policy", _rx(r"\bdo you (?:currently |already )?have (?:a|any) (?:policy|coverage)"
                                r" (?:somewhere|anywhere|elsewhere|with)\b"), False),
            ("tell-policy", _rx(r"\btell me about (?:the|your) (?:current )?(?:policy|coverage|"
                                r"insurance)\b"), False),
            ("in-force", _rx(r"\bpolicies in force\b|\bpolicy in force\b"), True),
        ),
        values=(
            _rx(r"\bgroup policy\b|\bthrough (?:work|your (?:employer|job|work))\b|"
                r"\bcurrently with\b|\bexisting coverage\b|\bno (?:existing |current )?coverage\b|"
                r"\binsured with\b|\bcovered through\b|\byou are (?:currently |still )?with\b"),
        ),
    ),
    "tobacco_use": FieldRules(
        requests=(
            ("do-you-smoke", _rx(r"\b(?:do|did) you (?:\w+ or )?(?:smoke|chew|vape|use (?:any )?"
                                 r"(?:tobacco|nicotine))\b"), False),
            ("you-smoke", _start(r"you (?:smoke|vape)\b"), True),
            ("smoker", _rx(r"\bare you a (?:\w+ )?(?:smoker|tobacco user|nicotine user|vaper)\b"),
             False),
            ("ever-smoked", _rx(r"\bhave you (?:ever )?(?:used tobacco|smoked|used nicotine|"
                                r"vaped)\b"), False),
            ("status", _rx(r"\bwhat is your (?:tobacco|smoking|nicotine) (?:status|use|"
                           r"history)\b"), False),
            ("any-tobacco", _start(r"any (?:tobacco|nicotine|vaping|cigars?|cigarettes|"
                                   r"smoking|chewing)\b"), True),
        ),
        values=(
            _rx(r"\bnon-?smoker\b|\bno tobacco\b|\bquit smoking\b|\btobacco.free\b|"
                r"\bdo not smoke\b|\bno smoking\b"),
        ),
        topic=_rx(r"\b(?:smoke|smoker|smoking|tobacco|nicotine|vape|vapes|vaping|cigarettes?|"
                  r"cigars?|chew|chewing)\b"),
    ),
}

# Names: a lead-in followed by a name-like word.
_NAME_LEAD = re.compile(
    r"\b(?P<lead>is this|am i (?:speaking|talking) (?:with|to)|i am (?:speaking|talking) "
    r"(?:with|to)|you are|you must be|it is|i have you (?:down )?as|do i have)\s+(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?"
    r"(?P<name>[A-Za-z][\w'-]*)",
    re.I,
)


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
    for name, pattern, needs_question in RULES[field].requests:
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
                hit = Hit(field, "confirm", f"{value} … {check.group(0).strip()}",
                          f"{field}.value+check", sentence)
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
