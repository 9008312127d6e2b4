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

from roleplay.rules_base import (
    FieldRules,
    _ask,
    _rx,
    _start,
)
from roleplay.rules_quote import QUOTE_RULES

# fmt: off
_PHONE_NOUN = r"number|phone|cell|cellphone|mobile|direct line|callback number|phone number"
_NAME_NOUN = r"(?:full |first |last |legal |first and last )?names?"
_DOB_NOUN = r"date of birth|birth ?date|birthday|dob|age"
_EMAIL_NOUN = r"email(?: address)?"


_INTAKE_RULES: dict[str, FieldRules] = {
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
}

RULES: dict[str, FieldRules] = {**_INTAKE_RULES, **QUOTE_RULES}
"""Every field's rules, keyed by field name."""
# fmt: on
