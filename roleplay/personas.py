"""Synthetic callers: who is on the line, drawn from Faker with a seed.

A persona is everything the caller knows about themselves (name, phone, email, state, date of
birth, product interest, coverage amount, current coverage, tobacco use, urgency, referral
source, preferred next action, reason for calling) plus their *real need*: the reason code
behind the call, which the trigger script draws. Same seed and trigger → same persona and the
same phrasing. Phone numbers use the fictional 555-01xx range and emails use example.com, so
no real person is described.
"""

from __future__ import annotations

import random
import tomllib
import zlib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

from faker import Faker

from roleplay.fields import FIELDS
from roleplay.scripts import CallerScript

__all__ = ["Persona", "make_persona"]


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

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def value(self, name: str) -> str:
        """The recorded value of an intake field."""
        return self.values[name]

    def say(self, name: str) -> str:
        """The caller stating an intake field out loud."""
        return self.says[name]


@cache
def _options() -> dict:
    text = (resources.files("roleplay") / "data" / "personas.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _rng(seed: int, trigger: str) -> random.Random:
    return random.Random(f"persona:{trigger}:{seed}")


def make_persona(script: CallerScript, seed: int = 0) -> Persona:
    """Draw the caller for ``script`` with ``seed`` (deterministic)."""
    from roleplay.scripts import common_lines  # local: avoid a cycle at import time

    rng = _rng(seed, script.trigger)
    fake = Faker("en_US")
    fake.seed_instance(zlib.crc32(f"{script.trigger}:{seed}".encode()))
    first, last = fake.first_name(), fake.last_name()
    state = fake.state()
    dob = fake.date_of_birth(minimum_age=24, maximum_age=68)
    friend = fake.name()
    opts = _options()
    carrier = rng.choice(opts["carriers"])
    need = rng.choice(script.needs)
    r = rng.randrange(len(need.reason))
    product = need.products[r % len(need.products)]
    coverage = need.coverage[r % len(need.coverage)]
    area = rng.randrange(201, 990)
    phone = f"{area}-555-01{rng.randrange(100):02d}"
    email = f"{first}.{last}{rng.randrange(10, 99)}@example.com".lower().replace("'", "")

    def pick(key: str) -> tuple[str, str]:
        choice = rng.choice(opts[key])
        fmt = {"friend": friend, "carrier": carrier}
        return choice["value"].format(**fmt), choice["say"].format(**fmt)

    values: dict[str, str] = {
        "caller_name": f"{first} {last}",
        "contact_number": phone,
        "email": email,
        "reason_for_call": need.reason[r],
        "product_interest": product,
        "date_of_birth": dob.isoformat(),
        "state": state,
        "coverage_amount": coverage,
    }
    says: dict[str, str] = {"reason_for_call": need.say_reason[r]}
    for key in (
        "urgency",
        "referral_source",
        "preferred_next_action",
        "current_coverage",
        "tobacco_use",
    ):
        values[key], says[key] = pick(key)
    fmt = dict(values, name=values["caller_name"], date_of_birth=f"{dob:%B} {dob.day}, {dob.year}")
    for key, template in common_lines()["says"].items():
        says.setdefault(key, template.format(**fmt))
    assert set(values) == set(FIELDS) == set(says), "persona must cover every field"
    return Persona(
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        real_need=need.code,
        need_keywords=tuple(need.keywords),
        values=values,
        says=says,
    )
