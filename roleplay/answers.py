"""What the caller says about their own life: household, work, home, vehicles, drivers, health.

Each function answers one topic of ``data/topics.toml`` (the function's name) from the
persona's :class:`~roleplay.situation.Situation`, in the first person, given the normalised
question clause. A topic that does
not apply to this caller still gets a real answer ("I rent, so I couldn't tell you the square
footage"); a question that is ambiguous for this caller (which car? who is "she"?) returns a
:class:`Clarify` instead. Life-insurance topics are in :mod:`roleplay.answers_life`; policy,
billing and claim topics in :mod:`roleplay.answers_policy`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

from roleplay.personas import Persona
from roleplay.situation import Person, Situation, Vehicle, day, money

__all__ = ["Answer", "Clarify", "Ctx", "Generic", "has"]


@dataclass(frozen=True)
class Clarify:
    """The caller needs to know which one is meant before answering."""

    thing: str
    """What was asked about ("deductible")."""
    options: tuple[tuple[str, str], ...]
    """(spoken label, key) per candidate: ("the home", "home")."""
    topic: str
    clause: str


@dataclass
class Ctx:
    """What an answer may use: the caller, the call's random stream and what is in focus."""

    persona: Persona
    rng: random.Random
    focus: dict[str, str] = field(default_factory=dict)
    """Last thing talked about per kind: ``{"line": "auto", "person": "Laura"}``."""

    @property
    def s(self) -> Situation:
        assert self.persona.situation is not None
        return self.persona.situation

    def pick(self, *options: str) -> str:
        return self.rng.choice(options)

    @property
    def we(self) -> str:
        """ "We" for a household, "I" for someone living alone."""
        s = self.s
        return "We" if s.spouse or any(k.age < 22 for k in s.children) else "I"


class Generic(str):
    """A general description given when no particular detail was asked ("tell me about the
    car"); dropped when the same clause also asked something specific."""


Answer = str | Clarify


def has(q: str, pattern: str) -> bool:
    return re.search(pattern, q) is not None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_NUMBERS = ("no", "one", "two", "three", "four")
_PEOPLE = r"wife|wifes|husbands?|spouses?|partners?"

# --- people ---------------------------------------------------------------------------------


def _kid(k: Person) -> str:
    return f"{k.first}, {k.age}"


def _kids(s: Situation) -> str:
    ks = s.children
    baby = s.detail.get("due_date")
    if not ks:
        return f"Not yet, the baby's due {baby}." if baby else "No, no kids."
    rel = {k.relation for k in ks}
    noun = f"{ks[0].relation}" if len(ks) == 1 else (f"{rel.pop()}s" if len(rel) == 1 else "kids")
    text = f"{_cap(_NUMBERS[len(ks)])} {noun}: {_and([_kid(k) for k in ks])}."
    if len(ks) == 1:
        text = f"One {noun}, {ks[0].first}, {ks[0].sub}'s {ks[0].age}."
    return text + (f" And the baby's due {baby}." if baby else "")


def _person_attr(p: Person, q: str, label: str) -> str:
    parts = []
    if has(q, r"\b(how old|age|born|birthday|date of birth|dob)\b"):
        parts.append(f"{label} is {p.age}, born {day(p.birthday)}, {p.birthday.year}.")
    if has(q, r"\bname\b"):
        parts.append(f"{_cap(p.pos)} name is {p.first}.")
    if has(q, r"\b(work|job|do for a living|occupation|employ)"):
        job = "retired" if p.job == "retired" else (a_n(p.job) if p.job else "still in school")
        parts.append(f"{_cap(p.sub)}'s {job}" + (f" at {p.employer}." if p.employer else "."))
    if has(q, r"\b(driv|licen[sc])") and p.licensed:
        parts.append(f"{_cap(p.sub)} has been driving since {p.licensed.year}, {p.record} record.")
    return " ".join(parts)


def spouse(c: Ctx, q: str) -> Answer:
    sp = c.s.spouse
    if sp is None:
        return c.pick("I'm not married.", "No, it's just me, I'm single.")
    c.focus["person"] = sp.first
    asked = re.search(r"\b(wife|husband)", q)
    if asked and asked.group(1) != sp.relation:
        said = _person_attr(sp, q, sp.first)
        return f"My {sp.relation}, you mean? " + (said or f"{_cap(sp.sub)}'s {sp.first}.")
    said = _person_attr(sp, q, sp.first)
    if said:
        return said
    if has(q, r"\b(insur|cover|policy)\b"):
        return f"Nothing of {sp.pos} own that I know of, I'd have to ask {sp.obj}."
    return Generic(f"My {sp.relation} is {sp.first}, {sp.sub}'s {sp.age}.")


def married(c: Ctx, q: str) -> Answer:
    sp = c.s.spouse
    if sp is None:
        return c.pick("No, I'm single.", "No, not married.")
    if sp.relation == "partner":
        return f"Not married, but I live with my partner, {sp.first}."
    return f"Yes, my {sp.relation} is {sp.first}."


def children(c: Ctx, q: str) -> Answer:
    s = c.s
    want = "daughter" if has(q, r"\bdaughters?\b") else "son" if has(q, r"\bsons?\b") else ""
    ks = [k for k in s.children if not want or k.relation == want]
    if want and not ks:
        return f"I don't have a {want}. " + _kids(s)
    if len(ks) == 1:
        c.focus["person"] = ks[0].first
    if has(q, r"\bhow many\b"):
        return _kids(s)
    attrs = [_person_attr(k, q, k.first) for k in ks]
    if any(attrs):
        return " ".join(a for a in attrs if a)
    return Generic(_kids(s))


def _named_or_pronoun(c: Ctx, q: str, min_age: int = 0) -> Person | None:
    """The household member a clause names ("Laura", "your wife", "she"), if clear."""
    s = c.s
    people = [p for p in (s.spouse, *s.children) if p and p.age >= min_age]
    for p in people:
        if re.search(rf"\b{re.escape(p.first.lower())}\b", q):
            return p
    if s.spouse and has(q, rf"\b({_PEOPLE})\b"):
        return s.spouse
    if has(q, r"\b(she|her)\b"):
        sex = "f"
    elif has(q, r"\b(he|him|his)\b"):
        sex = "m"
    else:
        return None
    same = [p for p in people if p.sex == sex]
    named = [p for p in same if p.first == c.focus.get("person")]
    return (named or same)[0] if len(named or same) == 1 else None


def pronoun(c: Ctx, q: str, min_age: int = 0) -> Answer:
    s = c.s
    sex = "f" if has(q, r"\b(she|her)\b") else "m"
    people = [p for p in (s.spouse, *s.children) if p and p.sex == sex and p.age >= min_age]
    named = [p for p in people if p.first == c.focus.get("person")]
    if named or len(people) == 1:
        p = (named or people)[0]
        return _person_attr(p, q, p.first) or f"{p.first}? {_cap(p.sub)}'s {p.age}."
    if not people:
        return "Sorry, who do you mean? It's just " + ("us" if s.spouse else "me") + "."
    return Clarify("person", tuple((p.first, p.first) for p in people), "pronoun", q)


def household(c: Ctx, q: str) -> Answer:
    s = c.s
    people = []
    if s.spouse:
        people.append(f"my {s.spouse.relation} {s.spouse.first}")
    people += [f"{k.first}, {k.age}" for k in s.children if k.age < 22]
    if not people:
        return c.pick("Just me.", "It's just me in the house.")
    return f"{len(people) + 1} of us: me, {_and(people)}."


def occupation(c: Ctx, q: str) -> Answer:
    me = c.s.me
    if me.job == "retired":
        return "I'm retired."
    if has(q, r"\bfrom home\b") and c.s.kind == "home_business":
        return f"Yes, I run {c.s.detail['business']} from home."
    return c.pick(
        f"I'm {a_n(me.job)} at {me.employer}.", f"I work as {a_n(me.job)}, at {me.employer}."
    )


# --- home -----------------------------------------------------------------------------------


def home(c: Ctx, q: str) -> Answer:
    s, h = c.s, c.s.home
    c.focus["line"] = "home"
    if not h.owned:
        if has(q, r"\b(rent|landlord|own)\b"):
            return f"I rent, {a_n(h.kind)}, {money(h.rent)} a month."
        if has(q, r"\b(how long|lived|moved|when did you)\b") and h.moved_in:
            return f"I've rented there since {h.moved_in:%B %Y}."
        return Generic(
            f"I rent {a_n(h.kind)}, so I couldn't tell you much about the building, sorry."
        )
    parts = []
    if has(q, r"\b(built|year|how old is (the|your) (house|home))\b"):
        parts.append(f"It was built in {h.year_built}.")
    if has(q, r"\b(square f\w*|sq ft|how big|size|bedrooms|stories|floors)\b"):
        parts.append(
            f"About {h.sq_ft:,} square feet, {h.stories} stor{'y' if h.stories == 1 else 'ies'}."
        )
    if has(q, r"\b(brick|frame|construct\w*|made of|siding|built with)\b"):
        parts.append(f"It's {h.construction}.")
    if has(q, r"\b(alarm|security|smoke detectors?|sprinklers?|camera)\b"):
        parts.append(f"{c.we} have {h.protection}.")
    if has(q, r"\b(worth|value|rebuild|replace|cost to)\b"):
        parts.append(f"It's insured for about {money(h.value)}.")
    if has(q, r"\b(own|rent)\b"):
        parts.append(f"I own it{', with a mortgage' if h.mortgage else ', no mortgage'}.")
    if has(q, r"\b(how long|when did you (buy|move)|moved in|bought|lived)\b") and h.moved_in:
        parts.append(f"{c.we} moved in {h.moved_in:%B %Y}.")
    if has(q, r"\b(pool|trampoline|dog|pets?)\b"):
        parts.append("No pool, no trampoline, no dog.")
    if parts:
        return " ".join(parts)
    return Generic(
        f"It's a {h.stories}-story {h.kind}, built in {h.year_built}, about "
        f"{h.sq_ft:,} square feet, {h.construction}, in {s.home.city}."
    )


def a_n(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def roof(c: Ctx, q: str) -> Answer:
    h = c.s.home
    if not h.owned:
        return "I rent, so the roof is the landlord's problem, sorry."
    age = c.s.call_date.year - h.roof_year
    return f"It's {h.roof}, replaced in {h.roof_year}, so about {age} years old."


def mortgage(c: Ctx, q: str) -> Answer:
    h = c.s.home
    if not h.owned:
        return "I rent, so no mortgage."
    if not h.mortgage:
        return "No mortgage, it's paid off."
    if c.s.kind == "new_home":
        return f"It's {money(h.mortgage)} with {h.lender}, we closed {c.s.detail['closed']}."
    return f"About {money(h.mortgage)} left, with {h.lender}."


def address(c: Ctx, q: str) -> Answer:
    h = c.s.home
    state = c.persona.value("state")
    if has(q, r"\bzip|postal\b") and not has(q, r"\baddress\b"):
        return f"It's {h.zip}."
    if has(q, r"\bcounty\b"):
        return f"I'd have to look it up, honestly. The address is {h.street}, {h.city}."
    return f"It's {h.street}, {h.city}, {state} {h.zip}."


def basement(c: Ctx, q: str) -> Answer:
    s, d = c.s, c.s.detail
    if s.kind != "finished_basement":
        return (
            "I rent, so there's no basement of mine."
            if not s.home.owned
            else "Nothing special down there, it's not finished."
        )
    parts = []
    if has(q, r"\b(how big|size|square|sq)\b"):
        parts.append(f"About {d['basement_sqft']} square feet.")
    if has(q, r"\b(cost|spend|spent|how much|paid|price)\b"):
        parts.append(f"It cost about {d['basement_cost']}.")
    if has(q, r"\b(when|how long ago|finish(ed)? it)\b"):
        parts.append(f"It was finished {d['finished']}.")
    if has(q, r"\b(permit|inspect|code)\w*"):
        parts.append(_cap(d["permit"]) + ".")
    if has(q, r"\b(what|bedroom|bathroom|include|in it|put in)\b") and not parts:
        parts.append(f"We put in {d['features']}.")
    return " ".join(parts) or Generic(
        f"About {d['basement_sqft']} square feet, finished {d['finished']} for about "
        f"{d['basement_cost']}, with {d['features']}."
    )


def business(c: Ctx, q: str) -> Answer:
    s, d = c.s, c.s.detail
    if s.kind != "home_business":
        return "I don't run a business from home, no."
    parts = []
    if has(q, r"\b(worth|value|cost|how much)\b"):
        parts.append(f"The equipment's worth about {d['equipment_value']}.")
    if has(q, r"\b(equipment|what do you use|tools|gear)\b") and not parts:
        parts.append(f"It's {d['equipment']}, about {d['equipment_value']} all in.")
    if has(q, r"\b(clients?|customers?|visit|come to)\b"):
        parts.append(_cap(d["clients_visit"]) + ".")
    if has(q, r"\b(employees?|staff|anyone work)\b"):
        parts.append(_cap(d["employees"]) + ".")
    if has(q, r"\b(when|how long|start\w*)\b"):
        parts.append(f"I started it {d['started']}.")
    if has(q, r"\b(income|revenue|make|earn)\b"):
        parts.append("It's small, a side income for now.")
    return " ".join(parts) or Generic(
        f"It's {d['business']}. I started {d['started']}; I've got {d['equipment']}, "
        f"about {d['equipment_value']} worth."
    )


# --- vehicles and drivers -------------------------------------------------------------------


def _cars(s: Situation) -> list[Vehicle]:
    return [v for v in s.vehicles if v.sold_on is None]


def _cars_said(vs: list[Vehicle]) -> str:
    if len(vs) == 1:
        return f"a {vs[0].label}"
    return f"{_NUMBERS[len(vs)]} cars: " + _and([f"a {v.label}" for v in vs])


def _who_drives(s: Situation, cars: list[Vehicle]) -> str:
    by: dict[str, list[str]] = {}
    for v in cars:
        by.setdefault(v.driver, []).append(f"the {v.model}")
    said = []
    for name, models in by.items():
        what = f"both, {_and(models)}" if len(models) == 2 and len(by) == 1 else _and(models)
        said.append(f"I drive {what}" if name == s.me.first else f"{name} drives {what}")
    return _cap("; ".join(said)) + "."


def vehicles(c: Ctx, q: str) -> Answer:
    s = c.s
    c.focus["line"] = "auto"
    sold = [v for v in s.vehicles if v.sold_on]
    cars = _cars(s)
    if sold and not cars:
        v = sold[0]
        if has(q, r"\b(vin)\b"):
            return f"The VIN's on the title I signed over; the car was a {v.label}."
        if has(q, r"\b(financ\w*|loan|lease\w*|paid off|lien\w*)\b"):
            return f"It was {v.finance} when I sold it."
        if has(q, r"\bhow many\b"):
            return (
                f"None now. I sold my only car, the {v.label}, on {day(v.sold_on or s.call_date)}."
            )
        return Generic(f"It was a {v.label}. I sold it on {day(v.sold_on or s.call_date)}.")
    if not cars:
        return "I don't have a car right now."
    parts = []
    if has(q, r"\bhow many (cars|vehicles|trucks|autos)\b"):
        parts.append(f"{_cap(_NUMBERS[len(cars)])}.")
    if has(q, r"\bvin\b"):
        parts.append(
            "I don't have the VIN in front of me, it's on the registration. I can email it to you."
        )
    if has(q, r"\b(financ\w*|loan|lease\w*|paid off|own it|outright|lien\w*)\b"):
        parts.append(" ".join(f"The {v.model} is {v.finance}." for v in cars))
    if has(q, r"\b(miles|mileage|commute|drive to work|use (it|the car|them)|used for)\b"):
        parts.append(
            " ".join(f"The {v.model} is for {v.use}, about {v.miles:,} miles a year." for v in cars)
        )
    if has(q, r"\b(park\w*|garage\w*|overnight|kept)\b"):
        parts.append(" ".join(f"The {v.model} stays {v.parked}." for v in cars))
    if has(q, r"\b(who drives|primary driver|drives (it|them|the)|who (is|are) the drivers?)\b"):
        parts.append(_who_drives(s, cars))
    if parts:
        return " ".join(parts)
    return Generic(
        f"{_cap(_cars_said(cars))}." if len(cars) > 1 else f"I drive {_cars_said(cars)}."
    )


def drivers(c: Ctx, q: str) -> Answer:
    s = c.s
    c.focus["line"] = "auto"
    teen = s.teen if s.kind == "teen_driver" else None
    people = [s.me] + (
        [s.spouse] if s.spouse and any(v.driver == s.spouse.first for v in s.vehicles) else []
    )
    if has(q, r"\b(ticket|accident|violation|record|speeding|dui|claims?|at.fault)\w*"):
        said = [f"{'Me' if p.relation == 'self' else p.first}: {p.record}" for p in people]
        if teen:
            said.append(f"{teen.first}: {teen.record}")
        return _cap("; ".join(said)) + "."
    if has(q, r"\bhow many\b"):
        n = len(people) + (1 if teen else 0)
        return (
            f"{_cap(_NUMBERS[n])} driver{'s' * (n > 1)}: "
            + _and(["me"] + [p.first for p in people[1:]] + ([teen.first] if teen else []))
            + "."
        )
    who = _named_or_pronoun(c, q, min_age=15)
    if who is None and has(q, r"\b(she|her|he|him|his)\b") and not teen:
        return pronoun(c, q, min_age=15)
    if who is None and has(q, rf"\b({_PEOPLE})\b") and c.s.spouse is None:
        return Generic("Just me.")
    if who and who is not teen and has(q, r"\b(licen[sc]\w*|drive|driving)\b"):
        if who.licensed is None:
            return f"{who.first}? No, {who.sub} doesn't drive, {who.sub} hasn't got a license."
        return f"{who.first} has been driving since {who.licensed.year}, {who.record} record."
    if teen and has(q, r"\b(licen[sc]\w*|permit|when did|driver.?s ed)\b"):
        c.focus["person"] = teen.first
        return (
            f"{teen.first} got {teen.pos} license on {day(teen.licensed or s.call_date)}; "
            f"{s.detail['drivers_ed']}."
        )
    if has(q, r"\bhow long\b.*\b(driving|licensed)\b|\byears licensed\b"):
        return f"I've been driving since {s.me.licensed.year if s.me.licensed else 'I was 17'}."
    if not _cars(s) and not teen:
        if s.kind == "sold_car":
            return Generic("Just me, and I don't drive anything now, I sold the car.")
        return Generic("I don't have a car right now, so nobody.")
    names = ["me"] + [p.first for p in people[1:]]
    text = f"{_cap(_and(names))}, that's it." if len(names) > 1 else "Just me."
    if teen:
        text = (
            f"Right now {_and(names)}. And {teen.first}, {teen.age}, who just got "
            f"{teen.pos} license; {teen.sub}'ll drive the {s.detail['teen_car']}."
        )
    return Generic(text)


def sale(c: Ctx, q: str) -> Answer:
    s, d = c.s, c.s.detail
    if s.kind != "sold_car":
        return "I haven't sold anything, no."
    parts = []
    if has(q, r"\b(when|what day|date)\b"):
        parts.append(f"I sold it on {d['sale_date']}.")
    if has(q, r"\b(who|buyer|bought|dealer|trade)\b"):
        parts.append(f"To {d['buyer']}.")
    if has(q, r"\b(plates?|title|registration)\b"):
        parts.append(_cap(d["plates"]) + ".")
    if has(q, r"\b(another|new|replac\w*|next) (car|vehicle)|\breplac\w*|\bbuy(ing)? another\b"):
        parts.append(_cap(d["replacing"]) + ".")
    if has(q, r"\bwhy\b"):
        parts.append(f"I don't need it anymore; {d['replacing']}.")
    return " ".join(parts) or Generic(
        f"I sold the {d['car']} on {d['sale_date']}, to {d['buyer']}."
    )


def person_age(c: Ctx, q: str) -> Answer:
    """ "How old is Laura?" when the producer uses a name."""
    for p in (c.s.spouse, *c.s.children):
        if p and re.search(rf"\b{re.escape(p.first.lower())}\b", q):
            c.focus["person"] = p.first
            return _person_attr(p, q, p.first) or f"{p.first} is {p.age}."
    return pronoun(c, q)
