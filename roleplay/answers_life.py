"""What a life-insurance caller says about their health, build, hobbies, income, the
beneficiary, the term and budget they have in mind, and the baby on the way.

Asked of a caller about auto or home insurance, these questions get a puzzled real answer
("My health? For homeowners insurance? I'm fine, but why do you ask?"): none of it is rated
there, and the persona holds no such facts for them.
"""

from __future__ import annotations

from roleplay.answers import Answer, Ctx, _cap, has

__all__ = ["baby", "beneficiary", "budget", "build", "health", "hobbies", "income", "term"]


def _life_only(c: Ctx, what: str) -> str | None:
    if c.s.line == "life":
        return None
    return f"My {what}? For {c.persona.value('product_interest')}? I'm fine, but why do you ask?"


def health(c: Ctx, q: str) -> Answer:
    if (no := _life_only(c, "health")) is not None:
        return no
    h = c.s.health
    parts = []
    if has(q, r"\b(medications?|meds|prescriptions?|pills?)\b"):
        parts.append("No medications." if h["meds"] == "none" else f"Just {h['meds']}.")
    if has(q, r"\b(family|parents?|mother|father|mom|dad)\b"):
        parts.append(_cap(h["family"]) + ".")
    if has(q, r"\b(doctor|physical|check.?up|last (saw|visit))\b"):
        parts.append(f"My last checkup was {h['checkup']}.")
    if has(q, r"\b(hospital|surger\w*|operation)\b"):
        parts.append("No hospital stays or surgeries.")
    if not parts or has(
        q,
        r"\b(conditions?|health|medical|diagnos\w*|blood pressure|diabet\w*|"
        r"heart|cancer|cholesterol|asthma)\b",
    ):
        cond = h["condition"]
        parts.insert(0, "No, I'm healthy." if cond == "none" else f"I have {cond}.")
    return " ".join(parts)


def build(c: Ctx, q: str) -> Answer:
    if (no := _life_only(c, "height and weight")) is not None:
        return no
    h = c.s.health
    if has(q, r"\b(height|tall)\b") and not has(q, r"\bweigh"):
        return f"I'm {h['height']}."
    if has(q, r"\bweigh") and not has(q, r"\b(height|tall)\b"):
        return f"About {h['weight']}."
    return f"I'm {h['height']} and about {h['weight']}."


def hobbies(c: Ctx, q: str) -> Answer:
    if c.s.line != "life":
        return "Nothing that matters for this, I'd think."
    return _cap(c.s.health["hobbies"]) + "."


def beneficiary(c: Ctx, q: str) -> Answer:
    if c.s.line != "life":
        return f"A beneficiary? On {c.persona.value('product_interest')}? I don't follow."
    return f"It would be {c.s.life['beneficiary']}."


def term(c: Ctx, q: str) -> Answer:
    if c.s.line != "life":
        return f"The term? My {c.persona.value('product_interest')} renews every year, I think."
    if "whole" in c.persona.value("product_interest"):
        return "I was thinking whole life, something permanent."
    return f"I was thinking {c.s.life['term']}."


def budget(c: Ctx, q: str) -> Answer:
    s = c.s
    if s.line == "life":
        return f"Somewhere around {s.life['budget']}."
    p = s.agency_policy or (s.policies[0] if s.policies else None)
    if p is None:
        return "As little as possible, honestly."
    return f"I'm paying {p.price} now, so I'd like to stay at or below that."


def baby(c: Ctx, q: str) -> Answer:
    due = c.s.detail.get("due_date")
    if not due:
        return "No, no baby on the way."
    return f"The baby's due {due}."


def income(c: Ctx, q: str) -> Answer:
    if c.s.line != "life":
        return f"My income? For {c.persona.value('product_interest')}? Why would you need that?"
    return f"About {c.s.life['income']} a year."
