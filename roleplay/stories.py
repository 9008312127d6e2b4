"""The kind-specific half of a caller's situation: the policies they hold and the incident
behind the call.

Each situation kind in ``data/situations.toml`` gets the facts its story needs, drawn so that
they agree with each other: an existing customer's policy on the line the call is about is
with Harbor (its own carrier for that line), a renewal that "went up 30%" has an old and a new
premium 30% apart and a renewal date inside the urgency's window, a double charge is twice the
monthly premium on the card the bill is paid with, a life caller's face amount fits the story
(the mortgage, a young family). Same builder state → same facts.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from roleplay.situation import _JOBS, Home, Person, Policy, Situation, Vehicle, day, money

if TYPE_CHECKING:
    from roleplay.situation import _Builder

__all__ = ["fill_kind"]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _months_ahead(today: date, months: int) -> date:
    y, m = divmod(today.month - 1 + months, 12)
    return date(today.year + y, m + 1, min(today.day, 28))


def _moved(home: Home) -> int:
    return home.moved_in.year if home.moved_in else 0


def years(n: int) -> str:
    """``1`` → ``"a year"``, ``6`` → ``"6 years"``."""
    return "a year" if n == 1 else f"{n} years"


def _life(
    b: _Builder, me: Person, spouse: Person | None, kids: tuple[Person, ...], home: Home
) -> dict[str, str]:
    rng, kind = b.rng, b.kind
    if kind == "new_home":
        face = max(250_000, -(-home.mortgage // 50_000) * 50_000)
    elif kind == "new_baby":
        face = rng.choice([500_000, 750_000, 1_000_000])
    else:
        face = rng.choice([250_000, 500_000, 750_000])
    terms = [10, 15, 20] if me.age > 52 else [20, 30]
    term = f"{rng.choice(terms)} years"
    if kind == "new_home":
        term = "30 years, the length of the mortgage" if me.age <= 50 else "20 years"
    if spouse:
        beneficiary = f"my {spouse.relation}, {spouse.first}"
    elif kids:
        beneficiary = "my " + ("kids" if len(kids) > 1 else kids[0].relation)
    else:
        beneficiary = rng.choice(["my mom", "my sister", "my brother", "my parents"])
    low = rng.choice([25, 30, 40, 50, 60])
    job = next((j for j in _JOBS if j[0] == me.job), None)
    income = (
        money(rng.randint(job[1], job[2]) * 1000)
        if job
        else "$38,000, between the pension and social security"
    )
    return {
        "income": income,
        "face": money(face),
        "term": term,
        "beneficiary": beneficiary,
        "budget": f"{money(low)} to {money(low + rng.choice([20, 30, 40]))} a month",
    }


def _health(b: _Builder, me: Person) -> dict[str, str]:
    rng = b.rng
    condition = rng.choice(b.pools["conditions"])
    meds = {"none": "none", "mild asthma": "an inhaler now and then"}.get(
        condition, "one pill a day for it"
    )
    inches = rng.randint(62, 68) if me.sex == "f" else rng.randint(66, 74)
    weight = rng.randint(120, 175) if me.sex == "f" else rng.randint(150, 225)
    return {
        "condition": condition,
        "meds": meds,
        "height": f"{inches // 12} foot {inches % 12}",
        "weight": f"{weight} pounds",
        "family": rng.choice(
            [
                "nothing major",
                "my dad had heart trouble in his sixties",
                "my mom had breast cancer, she's fine now",
                "nothing I know of",
            ]
        ),
        "checkup": rng.choice(["in the spring", "about six months ago", "last year"]),
        "hobbies": rng.choice(
            [
                "nothing risky, I walk and garden",
                "I run and hike",
                "I play softball on weekends",
                "nothing dangerous",
            ]
        ),
    }


def _other_lines(
    b: _Builder, me: Person, home: Home, vehicles: tuple[Vehicle, ...], skip: set[str]
) -> list[Policy]:
    """Policies a caller holds elsewhere on the lines the call is not about."""
    out: list[Policy] = []
    if "auto" not in skip and any(v.sold_on is None for v in vehicles):
        out.append(b.policy("auto", False, me))
    if "home" not in skip and home.owned:
        out.append(
            b.policy(
                "home",
                False,
                me,
                limits=f"{money(home.value)} dwelling",
                since_min=home.moved_in.year if home.moved_in else 0,
            )
        )
    return out


def fill_kind(
    b: _Builder,
    me: Person,
    spouse: Person | None,
    kids: tuple[Person, ...],
    home: Home,
    vehicles: tuple[Vehicle, ...],
) -> Situation:
    """Policies, incident details and story placeholders for the builder's kind."""
    rng, today, kind, cfg, pools = b.rng, b.today, b.kind, b.cfg, b.pools
    d: dict[str, str] = {}
    slots: dict[str, str] = {}
    policies: list[Policy] = []
    dwelling = f"{money(home.value)} dwelling"

    if kind == "renewal_jump":
        renewal = today + timedelta(days=rng.randint(7, 20))
        p = b.policy("home", True, me, since_min=_moved(home), renewal=renewal, limits=dwelling)
        pct = rng.randint(24, 38)
        new = p.premium * (100 + pct) // 100 // 10 * 10
        d |= {
            "old_premium": money(p.premium),
            "new_premium": money(new),
            "increase_pct": str(round((new - p.premium) * 100 / p.premium)),
            "claims": "no claims, ever",
            "changes": "nothing's changed on the house",
        }
        policies = [p, *_other_lines(b, me, home, vehicles, {"home"})]
    elif kind == "bundle_shop":
        home_carrier = rng.choice(pools["carriers"]["other"])
        auto_carrier = rng.choice(pools["carriers"]["other"])
        weeks = rng.randint(3, 10)
        h = b.policy(
            "home",
            False,
            me,
            carrier=home_carrier,
            limits=dwelling,
            since_min=_moved(home),
            renewal=today + timedelta(weeks=weeks),
        )
        policies = [h]
        if not vehicles:
            vehicles = (b.vehicle(me),)
        policies.append(b.policy("auto", False, me, carrier=auto_carrier))
        d |= {
            "home_carrier": home_carrier,
            "auto_carrier": auto_carrier,
            "renewal_weeks": str(weeks),
        }
    elif kind == "competitor_quote":
        renewal = today + timedelta(days=rng.randint(10, 30))
        p = b.policy("auto", True, me, renewal=renewal)
        competitor = rng.choice(pools["carriers"]["competitors"])
        price = p.premium * rng.randint(68, 85) // 100
        d |= {
            "competitor": competitor,
            "competitor_price": f"{money(price)} a month",
            "our_price": f"{money(p.premium)} a month",
            "competitor_terms": rng.choice(
                [
                    "the same limits, I think, but a $1,000 deductible",
                    "they said it was the same coverage",
                    "I'd have to check, I think it's similar",
                ]
            ),
        }
        policies = [p, *_other_lines(b, me, home, vehicles, {"auto"})]
    elif kind == "home_business":
        business, equipment = rng.choice(pools["businesses"])
        months = rng.randint(2, 14)
        d |= {
            "business": business,
            "equipment": equipment,
            "equipment_value": money(rng.randint(6, 40) * 1000),
            "started": f"about {months} months ago",
            "clients_visit": rng.choice(
                [
                    "yes, a few clients a week come to the house",
                    "no, clients never come to the house",
                ]
            ),
            "employees": rng.choice(["no, it's just me", "just me, no employees"]),
        }
        policies = [
            b.policy("home", True, me, since_min=_moved(home), limits=dwelling),
            *_other_lines(b, me, home, vehicles, {"home"}),
        ]
    elif kind == "teen_driver":
        limits = rng.choice(["25/50/25", "50/100/50"])
        policies = [
            b.policy("auto", True, me, limits=limits),
            *_other_lines(b, me, home, vehicles, {"auto"}),
        ]
        teen = kids[0]
        d |= {
            "teen_car": vehicles[1].label,
            "grades": rng.choice(["a B+ average", "straight A's", "mostly B's"]),
            "drivers_ed": f"yes, {teen.sub} finished driver's ed",
        }
        slots |= {
            "teen_name": teen.first,
            "teen_age": str(teen.age),
            "teen_rel": teen.relation,
            "teen_sub": teen.sub,
            "teen_obj": teen.obj,
            "teen_pos": teen.pos,
            "limits": limits,
        }
    elif kind == "finished_basement":
        months = rng.randint(2, 8)
        renewal = _months_ahead(today, months)
        policies = [
            b.policy("home", True, me, since_min=_moved(home), limits=dwelling, renewal=renewal),
            *_other_lines(b, me, home, vehicles, {"home"}),
        ]
        d |= {
            "basement_sqft": str(rng.randint(10, 24) * 50),
            "basement_cost": money(rng.randint(25, 90) * 1000),
            "finished": f"{years(rng.randint(1, 6)).replace('year', 'month')} ago",
            "features": rng.choice(pools["basement_features"]),
            "permit": rng.choice(["yes, it was permitted and inspected", "yes, with a permit"]),
            "renewal_months": str(months),
        }
    elif kind == "double_charge":
        card = b.card()
        p = b.policy("auto", True, me, pay=f"autopay from my {card}")
        when = today - timedelta(days=rng.randint(3, 9))
        d |= {
            "charge_amount": money(p.premium),
            "charge_date": day(when),
            "card": card,
            "second": rng.choice(["the same day", "twice on the same day"]),
            "bank": rng.choice(
                ["I called my bank and they told me to call you", "I haven't called my bank yet"]
            ),
            "overdraft": rng.choice(["it put me into overdraft", "luckily no overdraft"]),
        }
        policies = [p, *_other_lines(b, me, home, vehicles, {"auto"})]
    elif kind == "sold_car":
        car = vehicles[0]
        p = b.policy("auto", True, me)
        d |= {
            "car": car.label,
            "sale_date": day(car.sold_on or today),
            "buyer": rng.choice(
                ["a private buyer off Marketplace", "the dealer, as a trade-in", "a neighbor"]
            ),
            "plates": "I took the plates off and turned them in",
            "replacing": rng.choice(
                [
                    "no, I'm not getting another car, I work from home now",
                    "no, I take the train now",
                    "not for now",
                ]
            ),
        }
        policies = [p, *_other_lines(b, me, home, vehicles, {"auto"})]
    elif kind == "water_claim":
        filed = today - timedelta(days=rng.randint(6, 10))
        loss = filed - timedelta(days=rng.randint(0, 2))
        cause, damage = rng.choice(pools["water_causes"])
        days_ago = (today - filed).days
        d |= {
            "claim_number": f"HC-{filed.year}-{rng.randint(10000, 99999)}",
            "loss_date": day(loss),
            "filed_date": day(filed),
            "cause": cause,
            "damage": damage,
            "mitigation": rng.choice(
                ["I shut the water off and put fans down", "a restoration company set up dryers"]
            ),
            "photos": "yes, I took photos of everything",
            "contact": rng.choice(
                ["I called twice and got voicemail both times", "nobody, not one call"]
            ),
        }
        slots["claim_filed"] = "a week ago" if days_ago <= 8 else f"{days_ago} days ago"
        policies = [
            b.policy("home", True, me, since_min=_moved(home), limits=dwelling),
            *_other_lines(b, me, home, vehicles, {"home"}),
        ]
    elif kind == "app_login":
        policies = [b.policy("auto", True, me), *_other_lines(b, me, home, vehicles, {"auto"})]
        d |= {
            "device": rng.choice(pools["devices"]),
            "error": rng.choice(pools["login_errors"]),
            "reset": rng.choice(
                [
                    "I tried the reset link but the email never comes",
                    "I reset it twice and it still fails",
                ]
            ),
            "id_need": rng.choice(pools["id_needs"]),
        }
    else:  # the life stories
        policies = _other_lines(b, me, home, vehicles, set())
        group = me.job not in ("", "retired") and rng.random() < 0.45
        if group:
            policies.append(
                b.policy(
                    "life",
                    False,
                    me,
                    carrier=f"{me.employer} (group plan)",
                    limits="group life, one year's salary",
                )
            )
        elif rng.random() < 0.2:
            policies.append(
                b.policy(
                    "life",
                    False,
                    me,
                    limits="$100,000 term",
                    premium=rng.randint(12, 25),
                    period="month",
                )
            )
        if kind == "new_baby":
            due = _months_ahead(today, rng.randint(2, 6))
            d["due_date"] = day(due)
            slots["due_month"] = f"{due:%B}"
        if kind == "new_home":
            d |= {"closed": day(home.moved_in or today), "mortgage": money(home.mortgage)}
    line = cfg["line"]
    ours = next((p for p in policies if p.with_agency), None)
    slots |= {
        "agency": pools["agency"],
        "first_name": me.first,
        "month_next": f"{_months_ahead(today, 1):%B}",
        "weekday": _WEEKDAYS[(today + timedelta(days=rng.randint(2, 5))).weekday()],
        "spouse_first": spouse.first if spouse else "my family",
        "line_word": {"auto": "auto", "home": "homeowners"}.get(line, line),
        "line_say": {"auto": "car insurance", "home": "home insurance"}.get(line, line),
        "pay_method": (
            ours.pay.split("from my ")[-1] if ours and "from my" in ours.pay else "card on file"
        ),
        "mortgage": money(home.mortgage),
    }
    if ours:
        slots |= {
            "years_with": years(today.year - ours.since),
            "carrier": ours.carrier,
            "renewal_date": day(ours.renewal),
            "renewal_days": str((ours.renewal - today).days),
        }
    slots |= d
    life_goal = _life(b, me, spouse, kids, home) if line == "life" else {}
    health = _health(b, me) if line == "life" else {}
    smoking = rng.choices(["non-smoker", "quit", "smoker", "cigars"], [70, 12, 10, 8])[0]
    if smoking == "quit":
        d["quit_years"] = str(rng.randint(2, min(15, max(2, me.age - 20))))
    return Situation(
        kind=kind,
        need=cfg["need"],
        line=line,
        customer=cfg["customer"],
        call_date=today,
        me=me,
        spouse=spouse,
        children=kids,
        home=home,
        vehicles=vehicles,
        policies=tuple(policies),
        smoking=smoking,
        health=health,
        life=life_goal,
        detail=d,
        slots=slots,
    )
