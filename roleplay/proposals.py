"""Next steps a producer proposes, and whether this caller will take them.

A proposal is recognised on its own terms, not through the scorecard: an owner ("I'll", "we
can", "someone will", "you'll get") with an action, or a passive promise ("a letter will go
out"). What the caller objects to follows from their situation:

* ``mail``: anything by post or letter (everyone here would rather have it emailed);
* ``later``: a timing past their deadline (``now`` callers object to tomorrow, ``week``
  callers to next week or after the renewal);
* ``callback``: a call back when they want it handled on this call;
* ``now``: anything but starting now, for a caller who wants to start on this call;
* ``form``: being sent to an online form or the app by a customer who called for a person;
* ``quote`` / ``cancel``: a step that does not fit the need (a quote for a billing problem,
  cancelling for someone who wants to keep their policy);
* ``script``: the trigger script's own objection words.

Each kind of objection is raised once; the same unwanted step again gets a grudging yes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from roleplay.personas import Persona

__all__ = ["Proposal", "find_proposal", "objection", "timing"]

_OWNER = re.compile(
    r"\b(?:i will|i'll|i can|i could|i am going to|i'm going to|let me|we will|we'll|we can|"
    r"we could|we are going to|someone will|somebody will|(?:our|the) \w+ (?:team|department) "
    r"will|you will (?:get|receive|hear|see|have)|you'll (?:get|receive|hear|see|have)|"
    r"shall i|should i|should we|how about (?:i|we)|would you like me to|do you want me to|"
    r"want me to|(?:can|could|may) i (?=\w+ you\b)|would it help if i|if i|let us|let's|"
    r"i'd like to|i would like to|(?:the|an|your) adjuster (?:will|can|is going to)|"
    r"you can (?:fill|go|use|log|submit|download)|i'm (?:sending|emailing|booking|putting)|"
    r"i am (?:sending|emailing|booking|putting))\b",
    re.I,
)
_ACTION = re.compile(
    r"\b(?:e-?mail\w*|send|sent|mail\w*|post|call\w*|ring|phone|text|schedule|book|set up|"
    r"process|cancel\w*|refund\w*|revers\w*|reset|add|update|start|quote|review|look into|"
    r"escalate|follow up|submit|fix|credit|issue|file|open|arrange|assign|connect|letter|"
    r"form|reach out|go over|take care|sort|expedite|prepare|draft|write|fill|lock|explain|"
    r"walk you through|go through|switch|move|bind|enroll|sign)\w*",
    re.I,
)
_PASSIVE = re.compile(
    r"\b(?:(?:a|the) (?:letter|email|quote|confirmation|refund|card|cards|check|cheque|copy|"
    r"notice|packet|callback|call) (?:will|should|is going to) (?:be|go|arrive|come|reach)|"
    r"(?:it|that|this) (?:will|should) (?:be|get) (?:mailed|sent|emailed|processed|done|"
    r"refunded|reversed|cancell?ed|fixed|posted)|expect (?:a|the) (?:letter|call|email|check)|"
    r"in the mail|by (?:mail|post))\b",
    re.I,
)
_NOW = re.compile(
    r"\b(?:now|right now|right away|immediately|today|this afternoon|this morning|tonight|"
    r"this evening|on this call|while (?:we are|we're|you are|you're|i have you|i've got you)|"
    r"in (?:a|the next) (?:few|couple of|couple) minutes|within the hour|as we speak|"
    r"before we hang up|straight away|asap|same day)\b",
    re.I,
)
_SOON = re.compile(
    r"\b(?:tomorrow|this week|in a day|in a couple of days|in two days|within (?:24|48|"
    r"twenty.four|forty.eight) hours|by (?:monday|tuesday|wednesday|thursday|friday)|monday|"
    r"tuesday|wednesday|thursday|friday|the end of the week)\b",
    re.I,
)
_LATER = re.compile(
    r"\b(?:next (?:week|month|year)|in a (?:few|couple of) weeks|in (?:two|three|four|2|3|4) "
    r"weeks|(?:\d+|three|five|seven|ten|fourteen)(?: to (?:\d+|ten|fourteen))? (?:business )?"
    r"days|within (?:30|thirty) days|after (?:the|your) renewal|at (?:the|your) renewal|"
    r"(?:the )?end of the month|later|in the coming weeks|eventually|sometime|when (?:it|the "
    r"policy) renews|call back later|by mail|in the mail|by post|a letter)\b",
    re.I,
)
_MAIL = re.compile(
    r"(?<!e)(?<!e-)\b(?:mail(?:ed|ing)? (?:you|it|out|a|the)|in the mail|by mail|by post|"
    r"post (?:it|you|out)|letter|paper copy|postal|snail mail)\b",
    re.I,
)
_CALLBACK = re.compile(
    r"\b(?:call (?:you )?back|callback|give you a call|call you (?:tomorrow|later|next|on|in|"
    r"this|when|once|as soon)|get back to you|reach out|ring you|(?:someone|somebody) (?:will|"
    r"can|should) (?:call|contact|reach)|have (?:someone|somebody|an? \w+) (?:call|contact) "
    r"you|follow up with a call|phone you)\b",
    re.I,
)
_FORM = re.compile(
    r"\b(?:online form|fill (?:out|in) (?:a|the|our|this) (?:\w+ )?form|submit (?:a|the) "
    r"(?:\w+ )?form|on (?:our|the) (?:website|portal|site)|through the (?:app|portal|website)|"
    r"go online|log (?:in|on) to (?:the|our|your)|use the app|do it online|download the app)\b",
    re.I,
)
_QUOTE = re.compile(r"\b(?:quote|application|apply|new policy|sign you up)\b", re.I)
_CANCEL = re.compile(
    r"\bcancel\w* (?:the |your |this )?(?:policy|coverage|insurance|account)\b", re.I
)
_SERVICE = ("billing_dispute", "cancellation", "claim", "technical_issue")


@dataclass(frozen=True)
class Proposal:
    """A next step the producer proposed."""

    words: str
    """The owner and action (or passive promise) that made it a proposal."""
    when: str
    """``now``, ``soon``, ``later`` or ``unknown``."""
    text: str
    """The producer's words, lower case."""

    @property
    def by_mail(self) -> bool:
        return bool(_MAIL.search(self.text)) and not re.search(r"\be-?mail\b", self.text)

    @property
    def callback(self) -> bool:
        return bool(_CALLBACK.search(self.text))

    @property
    def form(self) -> bool:
        return bool(_FORM.search(self.text))


def _normalise(text: str) -> str:
    out = text.lower().replace("’", "'")
    out = re.sub(r"\be-mail", "email", out)
    return re.sub(r"\s+", " ", out)


def timing(text: str) -> str:
    """When a proposal would happen: ``now``, ``soon``, ``later`` or ``unknown``."""
    low = _normalise(text)
    if _NOW.search(low) and not re.search(
        r"\b(?:not|can't|cannot|won't) (?:\w+ )?(?:today|now)", low
    ):
        return "now"
    if _LATER.search(low):
        return "later"
    if _SOON.search(low):
        return "soon"
    return "unknown"


def find_proposal(text: str) -> Proposal | None:
    """The next step proposed in ``text``, if any (questions asking the caller's preference
    are proposals too: "shall I email it?")."""
    low = _normalise(text)
    words = None
    for m in _OWNER.finditer(low):
        tail = low[m.end() : m.end() + 60]
        act = _ACTION.search(tail)
        if act:
            words = f"{m.group(0)} … {act.group(0)}"
            break
    if words is None:
        form = _PASSIVE.search(low) or _FORM.search(low)
        if not form:
            return None
        words = form.group(0)
    when = timing(low)
    return Proposal(words, when, low)


def objection(persona: Persona, proposal: Proposal, script_words: list[str]) -> str | None:
    """The kind of objection this caller has to ``proposal``, or None if they accept it."""
    need = persona.real_need
    low = proposal.text
    if need in _SERVICE and _QUOTE.search(low) and not re.search(r"\bno quote\b", low):
        return "quote"
    if (
        need != "cancellation"
        and _CANCEL.search(low)
        and not re.search(r"\b(?:not|no need to|don't|won't) (?:\w+ )?cancel", low)
    ):
        return "cancel"
    if proposal.by_mail:
        return "mail"
    if proposal.form and persona.situation and persona.situation.customer == "existing":
        return "form"
    wants_now = persona.deadline == "now" or "on this call" in persona.value(
        "preferred_next_action"
    )
    if wants_now and proposal.when != "now":
        if proposal.callback:
            return "callback"
        if persona.deadline == "now":
            return "later" if proposal.when in ("soon", "later") else None
        return "now"
    if persona.deadline == "week" and proposal.when == "later":
        return "later"
    if any(w in low for w in script_words):
        return "script"
    return None
