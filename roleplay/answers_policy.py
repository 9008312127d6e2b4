"""What the caller says about their policies and the incident behind the call: the policy
number, premium, deductible, renewal, who they are with, how they pay, the double charge,
the claim, the app that will not log in, the other quote, the renewal increase.

A policy question names a line ("the deductible on the car") or, on a call about one auto or
home policy, means that policy. Otherwise, when the caller holds several policies, they ask
which one is meant (:class:`~roleplay.answers.Clarify`). Insurance jargon the caller would not
know gets a request to explain it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal, overload

from roleplay.answers import Answer, Clarify, Ctx, Generic, _cap, has
from roleplay.situation import Policy, day, money

__all__ = ["choose_policy", "line_named"]

_LINE_WORDS = {
    "auto": r"\b(auto|car|cars|vehicles?|truck)\b",
    "home": r"\b(home|house|homeowners?|dwelling|property)\b",
    "life": r"\blife\b",
}
_SAY_LINE = {"auto": "car insurance", "home": "home insurance", "life": "life insurance"}


def _label(p: Policy) -> str:
    where = "with you" if p.with_agency else f"with {p.carrier}"
    return f"my {_SAY_LINE[p.line]} {where}"


def line_named(q: str) -> str | None:
    """The line of business a clause names, if any."""
    return next((line for line, rx in _LINE_WORDS.items() if has(q, rx)), None)


@overload
def choose_policy(
    c: Ctx, q: str, thing: str, topic: str, each: Literal[False] = False
) -> Policy | Answer: ...
@overload
def choose_policy(
    c: Ctx, q: str, thing: str, topic: str, each: bool
) -> Policy | list[Policy] | Answer: ...
def choose_policy(
    c: Ctx, q: str, thing: str, topic: str, each: bool = False
) -> Policy | list[Policy] | Answer:
    """The policy a question is about (all of them when ``each`` and the caller holds several),
    a Clarify, or an answer saying there is none."""
    s = c.s
    line = line_named(q)
    if line:
        p = s.policy(line)
        if p is None:
            return f"I don't have {_SAY_LINE[line]} right now."
        c.focus["line"] = line
        return p
    if s.line in ("auto", "home") and (own := s.policy(s.line)):
        return own
    if c.focus.get("line") and (focused := s.policy(c.focus["line"])):
        return focused
    if s.line == "life":
        return s.policy("life") or "I don't have a life insurance policy yet, that's why I'm here."
    if not s.policies:
        return f"I don't have a policy yet, that's why I'm calling about {c.persona.short}."
    if len(s.policies) == 1:
        return s.policies[0]
    if each:
        return list(s.policies)
    return Clarify(thing, tuple((_label(p), p.line) for p in s.policies), topic, q)


_ON = {"home": "On the home", "auto": "On the car", "life": "On the life policy"}


def _policy_topic(
    name: str, thing: str, render: Callable[[Ctx, str, Policy], str], each: bool = False
) -> Callable[[Ctx, str], Answer]:
    def answer(c: Ctx, q: str) -> Answer:
        p = choose_policy(c, q, thing, name, each)
        if isinstance(p, list):
            return " ".join(f"{_ON[x.line]}, {_lower(render(c, q, x))}" for x in p)
        if not isinstance(p, Policy):
            return p
        return render(c, q, p)

    return answer


def _lower(text: str) -> str:
    return text if text.startswith("I ") else text[:1].lower() + text[1:]


def _number(c: Ctx, q: str, p: Policy) -> str:
    return c.pick(f"It's {p.number}.", f"The policy number is {p.number}.")


def _premium(c: Ctx, q: str, p: Policy) -> str:
    s, d = c.s, c.s.detail
    if s.kind == "renewal_jump" and p.with_agency:
        return f"It was {d['old_premium']} a year, and the renewal says {d['new_premium']}."
    if s.kind == "competitor_quote" and p.with_agency:
        return f"I pay {d['our_price']}; {d['competitor']} quoted me {d['competitor_price']}."
    if "group" in p.limits:
        return "Nothing, it's the group plan through work."
    return f"It's {p.price}."


def _deductible(c: Ctx, q: str, p: Policy) -> str:
    if p.line == "life":
        return "There's no deductible on life insurance, is there?"
    return f"It's {p.deductible}" + (" on the home." if p.line == "home" else ".")


def _limits(c: Ctx, q: str, p: Policy) -> str:
    if p.line == "home":
        return f"{money(c.s.home.value)} on the dwelling."
    if p.line == "auto":
        return f"{p.limits} on the car."
    return f"It's {p.limits}."


def _renewal(c: Ctx, q: str, p: Policy) -> str:
    days = (p.renewal - c.s.call_date).days
    return f"It renews on {day(p.renewal)}, so in {days} days."


def _since(c: Ctx, q: str, p: Policy) -> str:
    years = c.s.call_date.year - p.since
    who = "you" if p.with_agency else p.carrier
    span = f"{years} years" if years > 1 else "a year"
    return f"Since {p.since}, so about {span} with {who}."


def _pay(c: Ctx, q: str, p: Policy) -> str:
    return f"It's {p.pay.replace('autopay', 'on autopay')}."


def carrier(c: Ctx, q: str) -> Answer:
    p = choose_policy(c, q, "insurance", "carrier", each=True)
    if isinstance(p, list):
        return " ".join(f"My {_SAY_LINE[x.line]} is with {x.carrier}." for x in p)
    if not isinstance(p, Policy):
        return p
    if p.with_agency:
        return f"It's with you, Harbor. The company is {p.carrier}."
    return f"It's with {p.carrier}."


def claims_history(c: Ctx, q: str) -> Answer:
    s = c.s
    if s.kind == "water_claim":
        return "Just this one, the water damage I'm calling about."
    return c.pick("No, I've never filed a claim.", "No claims, ever.")


def lapse(c: Ctx, q: str) -> Answer:
    return "No, I've never had a gap in coverage, and nobody's ever cancelled me."


def discounts(c: Ctx, q: str) -> Answer:
    s = c.s
    if s.kind == "teen_driver":
        return f"{s.teen.first if s.teen else 'My kid'} has {s.detail['grades']}, if that helps."
    if s.kind == "bundle_shop":
        return "That's what I'm hoping for with the bundle."
    return "I don't know, am I getting any? I'd like to know."


def coverage_details(c: Ctx, q: str) -> Answer:
    s = c.s
    p = choose_policy(c, q, "coverage", "coverage_details")
    if not isinstance(p, Policy):
        return p
    if s.need == "coverage_question":
        return (
            f"Honestly I don't know the details, that's why I'm calling. I have "
            f"{_limits(c, q, p).rstrip('.')}."
        )
    return f"Just the standard coverage, I think: {_limits(c, q, p).rstrip('.')}."


def increase(c: Ctx, q: str) -> Answer:
    s, d = c.s, c.s.detail
    if s.kind == "renewal_jump":
        return (
            f"It went from {d['old_premium']} to {d['new_premium']}, about "
            f"{d['increase_pct']} percent. {_cap(d['changes'])}, and {d['claims']}."
        )
    if s.kind == "competitor_quote":
        return f"Not really, it's the other quote that made me call: {d['competitor_price']}."
    return "Has it gone up? Not that I've noticed."


def competitor(c: Ctx, q: str) -> Answer:
    s, d = c.s, c.s.detail
    if s.kind == "competitor_quote":
        return f"{d['competitor']} quoted me {d['competitor_price']}; {d['competitor_terms']}."
    if s.kind == "bundle_shop":
        return f"My home is with {d['home_carrier']} and my car with {d['auto_carrier']} now."
    return "I haven't gotten any other quotes."


def bundle(c: Ctx, q: str) -> Answer:
    s = c.s
    h, a = s.policy("home"), s.policy("auto")
    if s.kind == "bundle_shop" and h and a:
        return f"The home's with {h.carrier} at {h.price}, the car with {a.carrier} at {a.price}."
    other = next((p for p in s.policies if not p.with_agency and p.line != "life"), None)
    if other:
        return f"My {_SAY_LINE[other.line]} is with {other.carrier}, if that helps."
    return "Everything I have is what we've talked about."


def charge(c: Ctx, q: str) -> Answer:
    s, d = c.s, c.s.detail
    if s.kind != "double_charge":
        if s.customer == "prospect":
            return "I haven't been charged anything, I'm not a customer yet."
        return "No, my bill's been fine."
    parts = []
    if has(q, r"\b(how much|amount|what did (they|you) (charge|take))\b"):
        parts.append(f"{d['charge_amount']} each time.")
    if has(q, r"\b(when|what (day|date))\b"):
        parts.append(f"Both on {d['charge_date']}, {d['second']}.")
    if has(q, r"\b(card|account|method|how do you pay|paid with|pay (it|the bill|by))\b"):
        parts.append(f"On my {d['card']}, it's on autopay.")
    if has(q, r"\bbank\b"):
        parts.append(_cap(d["bank"]) + ".")
    if has(q, r"\b(overdraft|fees?|bounced?)\b"):
        parts.append(_cap(d["overdraft"]) + ".")
    return " ".join(parts) or Generic(
        f"Two charges of {d['charge_amount']} on {d['charge_date']}, both on my {d['card']}."
    )


def claim(c: Ctx, q: str) -> Answer:
    s, d = c.s, c.s.detail
    if s.kind != "water_claim":
        return "I haven't filed a claim, no."
    parts = []
    if has(q, r"\bclaim (number|no|#)|\bnumber\b"):
        parts.append(f"The claim number is {d['claim_number']}.")
    if has(q, r"\b(when|what (day|date)|date of loss)\b"):
        parts.append(f"It happened {d['loss_date']}, and I filed on {d['filed_date']}.")
    if has(q, r"\b(what happened|cause\w*|how did|source|where did)\b"):
        parts.append(f"{_cap(d['cause'])}.")
    if has(q, r"\b(damage\w*|how bad|rooms?|affected|extent)\b"):
        parts.append(f"It damaged {d['damage']}.")
    if has(q, r"\b(stop|mitigat\w*|shut|dry|fans?|restoration|temporary)\w*"):
        parts.append(_cap(d["mitigation"]) + ".")
    if has(q, r"\b(photos?|pictures?|video)\b"):
        parts.append(_cap(d["photos"]) + ".")
    if has(q, r"\b(adjuster|contact\w*|call\w*|heard|reach\w*|spoken)\b"):
        parts.append(_cap(d["contact"]) + ".")
    return " ".join(parts) or Generic(
        f"{_cap(d['cause'])} on {d['loss_date']}; it damaged {d['damage']}. I filed on "
        f"{d['filed_date']}, claim {d['claim_number']}, and {d['contact']}."
    )


def what_happened(c: Ctx, q: str) -> Answer:
    if c.s.kind == "water_claim":
        return claim(c, "what happened damage")
    if c.s.kind == "sold_car":
        return f"Nothing bad, I just sold the car, the {c.s.detail['car']}."
    return f"Nothing happened as such. {c.persona.say('reason_for_call')}"


def login(c: Ctx, q: str) -> Answer:
    s, d = c.s, c.s.detail
    if s.kind != "app_login":
        return "I haven't had any trouble with the app."
    parts = []
    if has(q, r"\b(device|phone|iphone|android|computer|tablet|using)\b"):
        parts.append(f"I'm on {d['device']}.")
    if has(q, r"\b(error|message|happens|says|what do you see|screen)\b"):
        parts.append(f"{_cap(d['error'])}.")
    if has(q, r"\b(tried|reset|password|restart\w*|reinstall\w*|update\w*)\b"):
        parts.append(_cap(d["reset"]) + ".")
    if has(q, r"\b(email|username|user name)\b"):
        parts.append(f"The account is under {c.persona.value('email')}.")
    if has(q, r"\b(why|what for|need (the|them|your) (id )?cards?|id cards?)\b") and not parts:
        parts.append(f"I need them for {d['id_need']}.")
    return " ".join(parts) or Generic(f"I'm on {d['device']} and {d['error']}. {_cap(d['reset'])}.")


def payment_plan(c: Ctx, q: str) -> Answer:
    p = c.s.agency_policy or (c.s.policies[0] if c.s.policies else None)
    if p is not None and "autopay" in p.pay:
        return "Monthly on autopay is easiest for me."
    return c.pick("Monthly, I think.", "Monthly works better for me.")


def received(c: Ctx, q: str) -> Answer:
    return f"No, I haven't seen anything yet. Can you send it to {c.persona.value('email')}?"


def concern(c: Ctx, q: str) -> Answer:
    return f"Honestly, just {c.persona.short}. That's why I called."


def assistant(c: Ctx, q: str) -> Answer:
    return "It said it would pass on everything I told it, so I hope you have it."


def ssn(c: Ctx, q: str) -> Answer:
    return "I'd rather not give my social security number over the phone. Do you really need it?"


def someone_elses(c: Ctx, q: str) -> Answer:
    return "I don't have that on me, sorry. I could look it up and email it to you."


def grandkids(c: Ctx, q: str) -> Answer:
    return "None that live with me, no."


def boat(c: Ctx, q: str) -> Answer:
    things = ("boat", "rv", "atv", "jet ski", "snowmobile", "camper", "trailer")
    thing = next((w for w in things if re.search(rf"\b{w}", q)), "boat")
    said = thing.upper() if thing in ("rv", "atv") else thing
    return f"I don't have {'an' if thing[0] in 'aeiou' else 'a'} {said}."


def why(c: Ctx, q: str) -> Answer:
    """ "Why do you want to cancel?", "why the increase?": the story in the caller's words."""
    s, d = c.s, c.s.detail
    if s.kind == "sold_car":
        return f"I sold the car and {d['replacing']}."
    return c.persona.say("reason_for_call")


policy_number = _policy_topic("policy_number", "policy number", _number)
premium = _policy_topic("premium", "premium", _premium, each=True)
deductible = _policy_topic("deductible", "deductible", _deductible)
renewal = _policy_topic("renewal", "renewal date", _renewal, each=True)
tenure = _policy_topic("tenure", "policy", _since, each=True)
payment = _policy_topic("payment", "payment", _pay, each=True)
limits = _policy_topic("limits", "limits", _limits)
