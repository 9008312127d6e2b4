"""The caller's life beyond the intake fields: household, home, vehicles, policies, and the
incident behind the call.

A situation is built from the story's *kind* (``data/situations.toml``) so that every fact
follows from the need: a parent adding a teen driver is old enough to have one, a caller who
sold their only car has exactly that car on an auto policy with Harbor, a water-damage claim
has a filing date, a claim number and an adjuster who never called. Everything is drawn from
one seeded :class:`random.Random` and a seeded Faker, relative to the call date; numbers that
look like identifiers (cards, policies, claims) are made up and marked as such by format.
"""

from __future__ import annotations

import random
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources

from faker import Faker

__all__ = ["Home", "Person", "Policy", "Situation", "Vehicle", "build_situation", "money"]

_JOBS = (
    ("nurse", 62, 95),
    ("teacher", 45, 72),
    ("electrician", 55, 90),
    ("software developer", 85, 150),
    ("accountant", 60, 105),
    ("sales manager", 65, 120),
    ("warehouse supervisor", 45, 70),
    ("dental hygienist", 60, 85),
    ("project manager", 75, 130),
    ("mechanic", 42, 68),
    ("pharmacist", 110, 140),
    ("office manager", 45, 70),
    ("HVAC technician", 50, 80),
    ("paralegal", 48, 70),
    ("physical therapist", 75, 100),
)


def money(n: int) -> str:
    """``1240`` → ``"$1,240"``."""
    return f"${n:,}"


def day(d: date) -> str:
    """``date(2026, 3, 4)`` → ``"March 4"``."""
    return f"{d:%B} {d.day}"


@cache
def _pools() -> dict:
    text = (resources.files("roleplay") / "data" / "personas.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass(frozen=True)
class Person:
    """Someone in the caller's household (``relation`` is ``"self"`` for the caller)."""

    first: str
    last: str
    relation: str
    sex: str
    age: int
    birthday: date
    job: str = ""
    employer: str = ""
    licensed: date | None = None
    """When they got their driver's licence (drivers only)."""
    record: str = ""
    """Driving record, for drivers."""

    @property
    def sub(self) -> str:
        return "she" if self.sex == "f" else "he"

    @property
    def obj(self) -> str:
        return "her" if self.sex == "f" else "him"

    @property
    def pos(self) -> str:
        return "her" if self.sex == "f" else "his"


@dataclass(frozen=True)
class Vehicle:
    year: int
    make: str
    model: str
    driver: str
    """Primary driver's first name."""
    finance: str
    use: str
    miles: int
    """Miles a year."""
    parked: str
    sold_on: date | None = None

    @property
    def label(self) -> str:
        return f"{self.year} {self.make} {self.model}"


@dataclass(frozen=True)
class Home:
    owned: bool
    kind: str
    street: str
    city: str
    zip: str
    year_built: int = 0
    sq_ft: int = 0
    construction: str = ""
    roof: str = ""
    roof_year: int = 0
    stories: int = 1
    value: int = 0
    """Dwelling (rebuild) value; 0 for renters."""
    mortgage: int = 0
    lender: str = ""
    moved_in: date | None = None
    rent: int = 0
    protection: str = ""


@dataclass(frozen=True)
class Policy:
    line: str
    """auto | home | life."""
    carrier: str
    with_agency: bool
    number: str
    premium: int
    period: str
    """``"month"`` or ``"year"``."""
    renewal: date
    since: int
    limits: str
    deductible: str
    pay: str

    @property
    def price(self) -> str:
        return f"{money(self.premium)} a {self.period}"


@dataclass(frozen=True)
class Situation:
    """Everything the caller knows about their own situation."""

    kind: str
    need: str
    line: str
    customer: str
    call_date: date
    me: Person
    spouse: Person | None
    children: tuple[Person, ...]
    home: Home
    vehicles: tuple[Vehicle, ...]
    policies: tuple[Policy, ...]
    smoking: str
    """non-smoker | smoker | quit | cigars (rated for life insurance only)."""
    health: dict[str, str] = field(default_factory=dict)
    life: dict[str, str] = field(default_factory=dict)
    """Life-insurance wishes: face amount, term, beneficiary, budget (life callers)."""
    detail: dict[str, str] = field(default_factory=dict)
    """Kind-specific facts (the charge, the claim, the sale...)."""
    slots: dict[str, str] = field(default_factory=dict)
    """Values for the placeholders of the story and situation texts."""

    def policy(self, line: str) -> Policy | None:
        return next((p for p in self.policies if p.line == line), None)

    @property
    def agency_policy(self) -> Policy | None:
        """The policy with Harbor the call is about (existing customers)."""
        line = "auto" if self.line == "auto" else "home"
        p = self.policy(line)
        return p if p and p.with_agency else None

    @property
    def teen(self) -> Person | None:
        return next((c for c in self.children if 16 <= c.age <= 19 and c.licensed), None)


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


def _shift_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


def _birthday(rng: random.Random, today: date, age: int) -> date:
    """A birthday that makes someone exactly ``age`` on ``today``."""
    return _shift_years(today, age) - timedelta(days=rng.randint(1, 364))


class _Builder:
    def __init__(self, kind: str, cfg: dict, rng: random.Random, fake: Faker, today: date):
        self.kind, self.cfg, self.rng, self.fake, self.today = kind, cfg, rng, fake, today
        self.pools = _pools()
        self.slots: dict[str, str] = {}
        self.detail: dict[str, str] = {}

    def person(self, relation: str, sex: str, age: int, last: str, job: bool = True) -> Person:
        first = self.fake.first_name_female() if sex == "f" else self.fake.first_name_male()
        work, employer = "", ""
        if job and age >= 66:
            work = "retired"
        elif job and age >= 22:
            work = self.rng.choice(_JOBS)[0]
            employer = self.fake.company()
        return Person(
            first, last, relation, sex, age, _birthday(self.rng, self.today, age), work, employer
        )

    def driver(self, p: Person, years: int | None = None) -> Person:
        years = years if years is not None else max(1, p.age - self.rng.randint(16, 19))
        licensed = _shift_years(self.today, years) - timedelta(days=self.rng.randint(0, 300))
        record = self.rng.choice(["clean", "clean", "clean", "one speeding ticket three years ago"])
        return Person(**{**p.__dict__, "licensed": licensed, "record": record})

    # --- household --------------------------------------------------------------------------

    def household(self) -> tuple[Person, Person | None, tuple[Person, ...]]:
        rng, kind = self.rng, self.kind
        lo, hi = self.cfg["ages"]
        sex = rng.choice("fm")
        last = self.fake.last_name()
        me = self.driver(self.person("self", sex, rng.randint(lo, hi), last))
        married = {"new_baby": 1.0, "teen_driver": 0.75}.get(kind, 0.55 if me.age >= 27 else 0.2)
        spouse = None
        if rng.random() < married:
            s_age = me.age + rng.randint(-4, 4)
            s_age = max(22, min(s_age, 45 if kind == "new_baby" else 85))
            if kind == "teen_driver":
                s_age = max(s_age, 36)
            rel = rng.choice(["wife", "husband", "partner"])
            s_sex = {"wife": "f", "husband": "m"}.get(rel, rng.choice("fm"))
            spouse = self.driver(self.person(rel, s_sex, s_age, last))
        parent_age = min([me.age] + ([spouse.age] if spouse else []))
        kids: list[Person] = []
        if kind == "teen_driver":
            rel = rng.choice(["daughter", "son"])
            teen = self.person(
                rel, "f" if rel == "daughter" else "m", rng.choice([16, 16, 17]), last, job=False
            )
            licensed = self.today - timedelta(days=rng.randint(3, 20))
            kids.append(
                Person(
                    **{
                        **teen.__dict__,
                        "licensed": licensed,
                        "record": "no tickets, brand new driver",
                    }
                )
            )
            if rng.random() < 0.4:
                kids.append(self.child(rng.randint(9, 14), last))
        elif kind == "new_baby":
            if parent_age >= 27 and rng.random() < 0.4:
                kids.append(self.child(rng.randint(2, 6), last))
        elif parent_age >= 28 and rng.random() < 0.5:
            for _ in range(rng.randint(1, 2)):
                kids.append(self.child(rng.randint(1, min(parent_age - 20, 30)), last))
        kids.sort(key=lambda k: -k.age)
        return me, spouse, tuple(kids)

    def child(self, age: int, last: str) -> Person:
        rel = self.rng.choice(["daughter", "son"])
        p = self.person(rel, "f" if rel == "daughter" else "m", age, last, job=age >= 22)
        return p

    # --- home -------------------------------------------------------------------------------

    def home(self, state_abbr: str, me: Person) -> Home:
        rng, fake, kind, pools = self.rng, self.fake, self.kind, self.pools
        street, city = fake.street_address(), fake.city()
        zipcode = fake.zipcode_in_state(state_abbr)
        owns = self.cfg["line"] in ("home", "bundle") or kind == "new_home"
        if not owns:
            owns = rng.random() < (0.55 if me.age >= 30 else 0.2)
        if not owns:
            return Home(
                False,
                rng.choice(["apartment", "townhouse"]),
                street,
                city,
                zipcode,
                rent=rng.randint(18, 44) * 50,
                moved_in=self.today - timedelta(days=rng.randint(200, 2500)),
            )
        year_built = rng.randint(1955, self.today.year - 3)
        sq_ft = rng.randint(22, 68) * 50
        value = sq_ft * rng.randint(160, 260) // 5000 * 5000
        if kind == "new_home":
            moved_in = self.today - timedelta(weeks=rng.randint(2, 8))
        else:
            earliest = min(max(year_built, self.today.year - (me.age - 22)), self.today.year - 1)
            moved_in = date(rng.randint(earliest, self.today.year - 1), rng.randint(1, 12), 1)
        mortgage = 0
        if kind == "new_home" or rng.random() < 0.7:
            share = 0.8 if kind == "new_home" else rng.uniform(0.2, 0.7)
            mortgage = int(value * share) // 5000 * 5000
        return Home(
            True,
            rng.choice(["single-family house", "single-family house", "townhouse"]),
            street,
            city,
            zipcode,
            year_built,
            sq_ft,
            rng.choice(pools["construction"]),
            rng.choice(pools["roofs"]),
            rng.randint(max(year_built, self.today.year - 24), self.today.year - 1),
            rng.choice([1, 2, 2]),
            value,
            mortgage,
            rng.choice(pools["lenders"]) if mortgage else "",
            moved_in,
            protection=rng.choice(
                [
                    "smoke detectors and a monitored alarm",
                    "smoke detectors, no alarm system",
                    "smoke detectors and a doorbell camera",
                ]
            ),
        )

    # --- vehicles ---------------------------------------------------------------------------

    def vehicle(self, driver: Person, min_age: int = 0, max_age: int = 12) -> Vehicle:
        rng = self.rng
        make, model = rng.choice(self.pools["vehicles"])
        year = self.today.year - rng.randint(min_age, max_age)
        commute = rng.randint(4, 25)
        use = rng.choice(
            [
                f"commuting, about {commute} miles each way",
                "errands and weekends",
                f"driving to work, {commute} miles each way",
            ]
        )
        finance = "paid off"
        if year >= self.today.year - 5 and rng.random() < 0.5:
            finance = f"financed through {rng.choice(self.pools['auto_lenders'])}"
        elif year >= self.today.year - 3 and rng.random() < 0.3:
            finance = "leased"
        return Vehicle(
            year,
            make,
            model,
            driver.first,
            finance,
            use,
            rng.randint(6, 15) * 1000,
            rng.choice(["in the garage", "in the driveway", "on the street"]),
        )

    def vehicles(self, me: Person, spouse: Person | None, home: Home) -> tuple[Vehicle, ...]:
        rng, kind = self.rng, self.kind
        if kind == "sold_car":
            v = self.vehicle(me, 6, 14)
            sold = self.today - timedelta(days=rng.randint(2, 10))
            return (Vehicle(**{**v.__dict__, "finance": "paid off", "sold_on": sold}),)
        if kind == "teen_driver":
            return (self.vehicle(me, 0, 8), self.vehicle(spouse or me, 6, 14))
        n = 1
        if spouse and rng.random() < 0.6:
            n = 2
        if self.cfg["line"] == "life" and not home.owned and rng.random() < 0.2:
            n = 0
        drivers = [me, spouse or me]
        return tuple(self.vehicle(drivers[i]) for i in range(n))

    # --- policies ---------------------------------------------------------------------------

    def card(self) -> str:
        kind = self.rng.choice(["Visa", "Mastercard", "debit card"])
        return f"{kind} ending {self.rng.randint(1000, 9999)}"

    def policy(self, line: str, agency: bool, me: Person, **kw: object) -> Policy:
        rng, pools = self.rng, self.pools
        carrier = (
            pools["agency_carriers"][line]
            if agency
            else kw.pop("carrier", None) or rng.choice(pools["carriers"]["other"])
        )
        since_min = int(kw.pop("since_min", 0))  # type: ignore[call-overload]
        last = self.today.year if since_min >= self.today.year else self.today.year - 1
        first = max(self.today.year - 12, self.today.year - (me.age - 18), since_min)
        since = rng.randint(min(first, last), last)
        renewal = kw.pop("renewal", None) or self.today + timedelta(days=rng.randint(30, 330))
        prefix = {"auto": "PA", "home": "HO", "life": "TL"}[line]
        number = f"{prefix}-{rng.randint(100, 999)}-{rng.randint(10000, 99999)}"
        pay = kw.pop("pay", None) or rng.choice(
            [
                f"autopay from my {self.card()}",
                "autopay from my checking account",
                f"my {self.card()}, online every month",
            ]
        )
        if line == "auto":
            base = dict(
                premium=rng.randint(19, 48) * 5,
                period="month",
                limits=rng.choice(["100/300/100", "100/300/100", "250/500/100"]),
                deductible=rng.choice(
                    [
                        "$500 collision and $250 comprehensive",
                        "$1,000 collision and $500 comprehensive",
                    ]
                ),
            )
        elif line == "home":
            base = dict(
                premium=rng.randint(22, 64) * 50,
                period="year",
                limits="",
                deductible=rng.choice(["$1,000", "$1,000", "$2,500"]),
            )
        else:
            base = dict(premium=0, period="month", limits="", deductible="none")
        base.update(kw)
        return Policy(line, carrier, agency, number, since=since, renewal=renewal, pay=pay, **base)  # type: ignore[arg-type]


def build_situation(
    kind: str,
    cfg: dict,
    rng: random.Random,
    fake: Faker,
    today: date,
    state_abbr: str,
) -> Situation:
    """Build the caller's situation for a story of ``kind`` (``cfg`` is its table)."""
    from roleplay.stories import fill_kind  # local: the kind-specific half

    b = _Builder(kind, cfg, rng, fake, today)
    me, spouse, kids = b.household()
    home = b.home(state_abbr, me)
    vehicles = b.vehicles(me, spouse, home)
    return fill_kind(b, me, spouse, kids, home, vehicles)
