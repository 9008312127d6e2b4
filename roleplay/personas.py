"""Synthetic callers: one coherent person per seed, drawn from Faker and the trigger's script.

A persona is everything the caller knows about themselves. The script's need and a story
behind it (a situation *kind*) come first; every intake field then follows from them:

* the product decides which fields apply: tobacco use is rated for life insurance only, so an
  auto or home caller has no tobacco field (:attr:`Persona.not_applicable`);
* an existing customer (billing, cancellation, claim, technical, and policyholders asking about
  their own coverage or renewal) has their current coverage with Harbor, on the carrier Harbor
  writes that line with, and "existing customer" as their referral source;
* urgency and the preferred next step come from the kind's own options (a cancellation caller
  wants a cancellation, a claim caller an adjuster), ages from its age range (a parent adding
  a 16-year-old driver is at least 34), coverage amounts from the situation (the dwelling
  value, the auto limits, a face amount that fits the mortgage).

The situation itself (household, home, vehicles, policies, the incident) is in
:attr:`Persona.situation`. Same seed and trigger → same persona and the same phrasing; the
phrasing varies with the seed. Phone numbers use the fictional 555-01xx range and emails use
example.com, so no real person is described.
"""

from __future__ import annotations

import random
import threading
import zlib
from dataclasses import dataclass, field
from datetime import date

from faker import Faker
from faker.providers.address.en_US import Provider as _Address

from roleplay.fields import FIELDS
from roleplay.scripts import CallerScript, Story, situation_kinds
from roleplay.situation import Situation, _pools, build_situation, day, money

__all__ = ["NOT_APPLICABLE", "Persona", "applicable_fields", "make_persona"]

NOT_APPLICABLE = "not applicable"
"""The recorded value of a field that does not apply to the caller's product."""

_STATES = dict(zip(_Address.states, [a for a in _Address.states_abbr if a != "DC"], strict=True))


def applicable_fields(line: str) -> tuple[str, ...]:
    """Intake fields that apply to a call about ``line`` (tobacco is rated for life only)."""
    return tuple(f for f in FIELDS if f != "tobacco_use" or line == "life")


@dataclass(frozen=True)
class Persona:
    """A synthetic caller. ``values`` is what an AI would record; ``says`` how they say it."""

    first_name: str
    last_name: str
    date_of_birth: date
    real_need: str
    need_keywords: tuple[str, ...]
    values: dict[str, str] = field(default_factory=dict)
    says: dict[str, str] = field(default_factory=dict)
    situation: Situation | None = None
    kind: str = ""
    """The story behind the call (a table of ``data/situations.toml``)."""
    deadline: str = "none"
    """How soon they need it: ``now`` (today, on this call), ``week`` or ``none``."""
    short: str = ""
    """What they want sorted, in their words ("the double charge")."""
    start_mood: int = 0
    """Irritation they start the call with."""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def age(self) -> int:
        today = self.situation.call_date if self.situation else date.today()
        dob = self.date_of_birth
        return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))

    @property
    def line(self) -> str:
        """The line of business the call is about: life, auto, home or bundle."""
        return self.situation.line if self.situation else "life"

    @property
    def not_applicable(self) -> tuple[str, ...]:
        """Fields that do not apply to this caller's product (neither captured nor missing)."""
        return tuple(f for f in FIELDS if f not in self.values)

    def value(self, name: str) -> str:
        """The recorded value of an intake field (``"not applicable"`` for one that is not)."""
        if name in self.values:
            return self.values[name]
        if name in FIELDS:
            return NOT_APPLICABLE
        raise KeyError(name)

    def say(self, name: str) -> str:
        """The caller stating an intake field out loud."""
        if name in self.says:
            return self.says[name]
        if name == "tobacco_use":
            product = self.values.get("product_interest", "insurance")
            return f"No, I don't smoke, but I didn't think that mattered for {product}."
        raise KeyError(name)


class _Slots(dict):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"unknown placeholder {{{key}}} in a persona or script text")


def _fill(template: str, slots: dict[str, str]) -> str:
    return template.format_map(_Slots(slots))


_local = threading.local()


def _faker(seed: int) -> Faker:
    """A seeded Faker (one instance per thread: building one costs more than a persona)."""
    fake = getattr(_local, "faker", None)
    if fake is None:
        fake = _local.faker = Faker("en_US")
    fake.seed_instance(seed)
    return fake


def _coverage(s: Situation, product: str, rng: random.Random) -> tuple[str, str]:
    """Coverage amount (value, say): what the caller has on the line, or wants (life)."""
    auto, home = s.policy("auto"), s.policy("home")
    if s.line == "life":
        face = s.life["face"]
        return face, rng.choice([f"Probably around {face}.", f"I was thinking {face}."])
    if s.line == "bundle" and auto and home:
        dwell = money(s.home.value)
        return (
            f"{dwell} dwelling plus {auto.limits} auto liability",
            f"{dwell} on the house and {auto.limits} on the car.",
        )
    if s.line == "home" and home:
        dwell = money(s.home.value)
        return f"{dwell} dwelling", rng.choice(
            [f"We have {dwell} on the dwelling.", f"The house is covered for {dwell}, I think."]
        )
    assert auto, f"an auto story without an auto policy ({s.kind})"
    worry = ", which is why I'm worried" if s.kind == "teen_driver" else ""
    return f"{auto.limits} liability limits", rng.choice(
        [f"I have {auto.limits} liability{worry}.", f"It's {auto.limits}, I think{worry}."]
    )


def _current(s: Situation, agency: str, rng: random.Random) -> tuple[str, str]:
    """Current coverage (value, say) on the line the call is about."""
    if s.customer == "existing":
        p = s.agency_policy
        assert p is not None, f"an existing customer without a Harbor policy ({s.kind})"
        word = "auto" if p.line == "auto" else "homeowners"
        say = "car insurance" if p.line == "auto" else "home insurance"
        return (
            f"{word} policy with {agency} ({p.carrier}) since {p.since}",
            rng.choice(
                [
                    f"My {say} is with you, through {p.carrier}.",
                    f"I'm with you already, {p.carrier}, since {p.since}.",
                ]
            ),
        )
    if s.line == "bundle":
        h, a = s.policy("home"), s.policy("auto")
        assert h
        assert a
        return (
            f"home with {h.carrier} and auto with {a.carrier}",
            f"My home's with {h.carrier} and my car's with {a.carrier}.",
        )
    life = s.policy("life")
    if life is None:
        return "none", rng.choice(
            ["I don't have any life insurance right now.", "Nothing at the moment."]
        )
    if "group" in life.limits:
        return (
            "group life through work (one year's salary)",
            "Just the group policy through work, about a year's salary.",
        )
    return (
        f"$100,000 term policy with {life.carrier}",
        f"A small $100,000 term policy with {life.carrier}.",
    )


def _tobacco(s: Situation, rng: random.Random) -> tuple[str, str]:
    pools = _pools()["tobacco"]
    years = s.detail.get("quit_years", "5")
    value = {"quit": f"quit {years} years ago", "cigars": "occasional cigars"}.get(
        s.smoking, s.smoking
    )
    return value, rng.choice(pools[s.smoking]).format(quit_years=years)


def make_persona(script: CallerScript, seed: int = 0, today: date | None = None) -> Persona:
    """Draw the caller for ``script`` with ``seed``. Ages and dates (a renewal in 12 days, a
    car sold last week) are relative to the call date ``today`` (default: the real date), so
    the same seed and date give the same caller."""
    rng = random.Random(f"persona:{script.trigger}:{seed}")
    fake = _faker(zlib.crc32(f"{script.trigger}:{seed}".encode()))
    need = rng.choice(script.needs)
    story: Story = rng.choice(need.stories)
    cfg = situation_kinds()[story.kind]
    state = rng.choice(sorted(_STATES))
    s = build_situation(story.kind, cfg, rng, fake, today or date.today(), _STATES[state])
    pools = _pools()
    me = s.me
    product = rng.choice(story.products)
    slots = dict(s.slots, name=f"{me.first} {me.last}", friend=fake.name(), product=product)
    phone = f"{rng.randrange(201, 990)}-555-01{rng.randrange(100):02d}"
    email = f"{me.first}.{me.last}{rng.randrange(10, 99)}@example.com".lower().replace("'", "")
    urgency = rng.choice(cfg["urgency"])
    nxt = rng.choice(cfg["next"])
    if s.customer == "existing":
        ref = pools["referral"]["existing"]
    else:
        ref = rng.choice(pools["referral"][script.direction])
    coverage, coverage_say = _coverage(s, product, rng)
    current, current_say = _current(s, pools["agency"], rng)
    values: dict[str, str] = {
        "caller_name": f"{me.first} {me.last}",
        "contact_number": phone,
        "email": email,
        "urgency": _fill(urgency["value"], slots),
        "referral_source": _fill(ref["value"], slots),
        "preferred_next_action": _fill(nxt["value"], slots),
        "reason_for_call": _fill(rng.choice(story.reason), slots),
        "product_interest": product,
        "date_of_birth": me.birthday.isoformat(),
        "state": state,
        "coverage_amount": coverage,
        "current_coverage": current,
    }
    says: dict[str, str] = {
        "urgency": _fill(rng.choice(urgency["say"]), slots),
        "referral_source": _fill(rng.choice(ref["say"]), slots),
        "preferred_next_action": _fill(rng.choice(nxt["say"]), slots),
        "reason_for_call": _fill(rng.choice(story.say_reason), slots),
    }
    tobacco_say = ""
    if s.line == "life":
        values["tobacco_use"], tobacco_say = _tobacco(s, rng)
    said = dict(
        values,
        **slots,
        age=str(me.age),
        coverage_say=coverage_say,
        current_say=current_say,
        tobacco_say=tobacco_say,
        date_of_birth=f"{day(me.birthday)}, {me.birthday.year}",
    )
    for key in values:
        if key not in says:
            says[key] = _fill(rng.choice(pools["says"][key]), said)
    assert set(values) == set(says) == set(applicable_fields(s.line)), "persona must cover fields"
    return Persona(
        first_name=me.first,
        last_name=me.last,
        date_of_birth=me.birthday,
        real_need=need.code,
        need_keywords=tuple(need.keywords),
        values=values,
        says=says,
        situation=s,
        kind=story.kind,
        deadline=urgency["deadline"],
        short=_fill(cfg["short"], slots),
        start_mood=int(cfg.get("mood", 0)),
    )
