"""The rule tables behind :mod:`roleplay.detect`: how each intake field is asked for and
what a read-back of it looks like.

Each field has *request* rules (named regular expressions; a rule may need the sentence to be a
question), a *topic* (words naming the field, used by the generic "question about the caller
that names the field" rule), *value* patterns (a phone number, a state name, "non-smoker", or a
reference to the value on file) and *disqualifiers* (a policy number is not a phone number).
Rule names appear in every :class:`~roleplay.detect.Hit`, so a trainer can see why a line
counted. To teach the detector a new phrasing, add a rule here and a labelled example to
``tests/roleplay/data/labelled_utterances.txt``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# fmt: off
_WH_AUX = (
    r"what|who|whom|whose|how|when|where|which|why|do|does|did|are|is|am|was|were|can|could|"
    r"may|might|would|will|should|shall|have|has|any|still"
)
_FILLER = (
    r"(?:(?:and|so|ok|okay|now|then|sorry|great|also|just|first|well|hi|hey|hello|thanks|"
    r"thank you|right|alright|perfect|quickly|but|um|uh|oh|lastly|finally|next|"
    r"real quick|before we start|out of curiosity)\s+)*"
)

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


_PHONE_NOUN = r"number|phone|cell|cellphone|mobile|direct line|callback number|phone number"
_NAME_NOUN = r"(?:full |first |last |legal |first and last )?names?"
_DOB_NOUN = r"date of birth|birth ?date|birthday|dob|age"
_EMAIL_NOUN = r"email(?: address)?"

RULES: dict[str, FieldRules] = {
    "caller_name": FieldRules(
        requests=(
            *_ask(r"your " + _NAME_NOUN),
            ("who-speaking", _start(r"who (?:am i|are we) (?:speaking|talking)"), False),
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
                  r"came across|end up with) (?:about )?us\b|"
                  r"\b(?:referred|pointed|directed|steered|sent|recommended|told) you\b|"
                  r"\breferr(?:al|ed)\b"),
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
            ("what-to-do", _start(r"what (?:would|do) you (?:like|want)(?: me| us)? to do\b"),
             False),
            ("next-step", _start(r"what (?:is|would be)\b.*\b(?:next step|way forward)\b"), False),
            ("go-from-here", _rx(r"\bwhere (?:do|would) you (?:want|like) to go\b"), False),
            ("prefer-or", _rx(r"\b(?:would|do) you (?:prefer|rather|want to|like to)\b.*\bor\b"),
             True),
            ("what-works", _rx(r"\bwhat works (?:best|better) for you\b"), True),
        ),
        values=(
            _rx(r"\b(?:you said you|you wanted|you would like|you still want|you asked for|"
                r"you prefer|you would prefer|you would rather|the assistant said you)\b"
                r".*\b(?:appointment|call ?back|callback|meeting|quote|application|email|meet)\b"),
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
            ("have-policy", _rx(r"\bdo you (?:currently |already )?have (?:a|any) "
                                r"(?:policy|coverage) (?:somewhere|anywhere|elsewhere|with)\b"),
             False),
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
    r"(?:with|to)|you are|you must be|it is|i have you (?:down )?as|do i have)\s+"
    r"(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?(?P<name>[A-Za-z][\w'-]*)",
    re.I,
)

# fmt: on
