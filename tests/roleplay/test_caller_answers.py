"""The caller answers questions about their own situation from the persona, every part of a
compound question, asks for clarification when they cannot tell what is meant, and never
gives a bare filler to a real question.

Each question in the battery carries its own truth: the facts from the persona's situation
that a real answer must contain (read from the persona, never from the answer code), as
"any of these groups, all of a group". A question asked of a caller it does not apply to
("what's the claim number?" to a life lead) must still get a real answer ("I haven't filed a
claim"), which the truth lists too.
"""

# ruff: noqa: E501  (the battery is a table: one question and its truth per line)

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roleplay import Session, available_triggers
from roleplay.personas import make_persona
from roleplay.scripts import load_script

FILLERS = {"okay.", "mm-hm.", "sure.", "go on.", "ok.", "right.", "yes.", "uh-huh."}
CLARIFY = re.compile(r"\bwhich\b.*\?|who do you mean|what do you mean|not sure what you|"
                     r"don't know what .* means|explain", re.I)  # fmt: skip


def money(n: int) -> str:
    return f"${n:,}"


def cars(s):
    return [v for v in s.vehicles if v.sold_on is None]


def no_car(s):
    return [["don't have a car"], ["sold"]]


def each(values):
    return [[str(v)] for v in values if v]


def home_or_rent(s, fact):
    return [[fact(s.home)]] if s.home.owned else [["rent"]]


def policies(s, fact):
    return [*each(fact(p) for p in s.policies), ["don't have a policy"], ["don't have a life"]]


def detail(s, kind, key, otherwise):
    return [[s.detail[key]]] if s.kind == kind else [[w] for w in otherwise]


def life(s, *facts, otherwise=("why do you ask",)):
    if s.line == "life":
        return [[str(f) for f in facts]]
    return [[w] for w in otherwise]


def household_first(s):
    return [p.first for p in (s.spouse, *s.children) if p]


# (typed question, truth(persona) -> groups)
BATTERY = [
    ("What kind of car do you drive?", lambda p, s: each(v.model for v in s.vehicles) + no_car(s)),
    ("What year is the vehicle?", lambda p, s: each(v.year for v in s.vehicles) + no_car(s)),
    ("How many cars are on the policy?", lambda p, s: [[["no", "one", "two", "three"][len(cars(s))].title()], *no_car(s)]),
    ("Who drives the car?", lambda p, s: each(v.model for v in s.vehicles) + no_car(s)),
    ("How old is your daughter?", lambda p, s: [*each(k.age for k in s.children if k.relation == "daughter"), ["don't have a daughter"]]),
    ("Any tickets or accidents in the last five years?", lambda p, s: [[s.me.record]]),
    ("How many miles a year do you drive?", lambda p, s: each(f"{v.miles:,}" for v in s.vehicles) + no_car(s)),
    ("Is the car financed or paid off?", lambda p, s: each(v.finance for v in s.vehicles) + no_car(s)),
    ("What do you use the car for?", lambda p, s: each(v.use for v in s.vehicles) + no_car(s)),
    ("Where do you park the car at night?", lambda p, s: each(v.parked for v in cars(s)) + no_car(s)),
    ("What's the VIN on the car?", lambda p, s: [["VIN"], *no_car(s)]),
    ("When did she get her license?", lambda p, s: each(x.licensed.year for x in (s.spouse, *s.children) if x and x.licensed) + each(f"{x.licensed:%B}" for x in s.children if x.licensed) + [["who do you mean"], ["doesn't drive"]]),
    ("What year was the house built?", lambda p, s: home_or_rent(s, lambda h: str(h.year_built))),
    ("How big is the house?", lambda p, s: home_or_rent(s, lambda h: f"{h.sq_ft:,}")),
    ("How old is the roof?", lambda p, s: home_or_rent(s, lambda h: str(h.roof_year))),
    ("Is it a brick or frame house?", lambda p, s: home_or_rent(s, lambda h: h.construction)),
    ("What's the square footage and the year it was built?", lambda p, s: [[f"{s.home.sq_ft:,}", str(s.home.year_built)]] if s.home.owned else [["rent"]]),
    ("Do you have a mortgage on the home?", lambda p, s: [[money(s.home.mortgage)]] if s.home.mortgage else [["no mortgage"]]),
    ("What's the address of the property?", lambda p, s: [[s.home.street]]),
    ("Do you have an alarm system?", lambda p, s: home_or_rent(s, lambda h: h.protection)),
    ("How long have you lived there?", lambda p, s: [[str(s.home.moved_in.year)]]),
    ("Do you own or rent?", lambda p, s: [["own"]] if s.home.owned else [["rent"]]),
    ("What's your zip code?", lambda p, s: [[s.home.zip]]),
    ("Tell me about the house.", lambda p, s: home_or_rent(s, lambda h: str(h.year_built))),
    ("Are you married?", lambda p, s: [[s.spouse.first]] if s.spouse else [["single"], ["not married"]]),
    ("Do you have kids?", lambda p, s: [*each(k.first for k in s.children), ["no kids"]]),
    ("Who lives with you?", lambda p, s: [*each(household_first(s)), ["just me"]]),
    ("Does your wife drive?", lambda p, s: [[str(s.spouse.licensed.year)]] if s.spouse else [["single"], ["not married"]]),
    ("What's your spouse's name and date of birth?", lambda p, s: [[s.spouse.first, str(s.spouse.birthday.year)]] if s.spouse else [["single"], ["not married"]]),
    ("What do you do for work?", lambda p, s: [[s.me.job]]),
    ("What's your annual income?", lambda p, s: life(s, s.life.get("income", "").split(",")[0], otherwise=("why would you need",))),
    ("What's your budget?", lambda p, s: [[s.life["budget"]]] if s.line == "life" else policies(s, lambda x: money(x.premium))),
    ("What are you paying now?", lambda p, s: policies(s, lambda x: money(x.premium))),
    ("How much did the renewal go up?", lambda p, s: [[s.detail.get("new_premium") or s.detail.get("competitor_price") or "gone up"]]),
    ("When does your policy renew?", lambda p, s: policies(s, lambda x: f"{x.renewal:%B} {x.renewal.day}")),
    ("What's your policy number?", lambda p, s: policies(s, lambda x: x.number)),
    ("What's your deductible?", lambda p, s: [*policies(s, lambda x: x.deductible), ["no deductible"]]),
    ("What are your limits?", lambda p, s: [[part] for part in re.findall(r"\$[\d,]+|\d+/\d+/\d+", p.value("coverage_amount"))]),
    ("Who is your current carrier?", lambda p, s: [*policies(s, lambda x: x.carrier), ["don't have any"], ["nothing"]]),
    ("How long have you been with us?", lambda p, s: policies(s, lambda x: x.since)),
    ("How do you pay your bill?", lambda p, s: policies(s, lambda x: x.pay.split()[-1])),
    ("Have you had any claims before?", lambda p, s: [["never filed"], ["no claims"], ["just this one"]]),
    ("Have you ever had a lapse in coverage?", lambda p, s: [["gap in coverage"]]),
    ("How much were you charged?", lambda p, s: detail(s, "double_charge", "charge_amount", ["bill's been fine", "haven't been charged"])),
    ("When did the charges come out?", lambda p, s: detail(s, "double_charge", "charge_date", ["bill's been fine", "haven't been charged"])),
    ("Which card was charged?", lambda p, s: detail(s, "double_charge", "card", ["bill's been fine", "haven't been charged"])),
    ("Have you contacted your bank?", lambda p, s: detail(s, "double_charge", "bank", ["bill's been fine", "haven't been charged"])),
    ("When did the damage happen?", lambda p, s: detail(s, "water_claim", "loss_date", ["haven't filed a claim"])),
    ("What caused the water damage?", lambda p, s: detail(s, "water_claim", "cause", ["haven't filed a claim"])),
    ("What's the claim number?", lambda p, s: detail(s, "water_claim", "claim_number", ["haven't filed a claim"])),
    ("Has anyone from claims contacted you?", lambda p, s: detail(s, "water_claim", "contact", ["haven't filed a claim"])),
    ("Which rooms are affected?", lambda p, s: detail(s, "water_claim", "damage", ["haven't filed a claim"])),
    ("Did you do anything to stop the leak?", lambda p, s: detail(s, "water_claim", "mitigation", ["haven't filed a claim"])),
    ("Do you have photos of the damage?", lambda p, s: detail(s, "water_claim", "photos", ["haven't filed a claim"])),
    ("When did you sell the car?", lambda p, s: detail(s, "sold_car", "sale_date", ["haven't sold"])),
    ("Who bought the car?", lambda p, s: detail(s, "sold_car", "buyer", ["haven't sold"])),
    ("Are you getting another car?", lambda p, s: detail(s, "sold_car", "replacing", ["haven't sold"])),
    ("What error do you get in the app?", lambda p, s: detail(s, "app_login", "error", ["trouble with the app"])),
    ("Did you try resetting your password?", lambda p, s: detail(s, "app_login", "reset", ["trouble with the app"])),
    ("What kind of business do you run?", lambda p, s: detail(s, "home_business", "business", ["don't run a business"])),
    ("How much is the equipment worth?", lambda p, s: detail(s, "home_business", "equipment_value", ["don't run a business"])),
    ("Do clients come to the house?", lambda p, s: detail(s, "home_business", "clients_visit", ["don't run a business"])),
    ("How big is the basement?", lambda p, s: detail(s, "finished_basement", "basement_sqft", ["not finished", "no basement"])),
    ("When was the basement finished?", lambda p, s: detail(s, "finished_basement", "finished", ["not finished", "no basement"])),
    ("Who quoted you cheaper?", lambda p, s: [[s.detail[k]] for k in ("competitor", "home_carrier") if k in s.detail] + [["haven't gotten any other quotes"]]),
    ("How tall are you and how much do you weigh?", lambda p, s: life(s, s.health.get("height"), s.health.get("weight"))),
    ("Any health conditions or medications?", lambda p, s: life(s, "healthy" if s.health.get("condition") == "none" else s.health.get("condition"), "no medications" if s.health.get("meds") == "none" else s.health.get("meds"))),
    ("Who would be the beneficiary?", lambda p, s: life(s, s.life.get("beneficiary"), otherwise=("don't follow",))),
    ("How long a term are you thinking?", lambda p, s: [[s.life["term"].split(",")[0]], ["whole life"]] if s.line == "life" else [["renews every year"]]),
    ("When is the baby due?", lambda p, s: detail(s, "new_baby", "due_date", ["no baby"])),
    ("How much is the mortgage?", lambda p, s: [[money(s.home.mortgage)]] if s.home.mortgage else [["no mortgage"]]),
    ("What year is the car and who drives it?", lambda p, s: [[str(v.year), v.model] for v in cars(s)] + no_car(s)),
    ("What's your date of birth and what state are you in?", lambda p, s: [[str(p.date_of_birth.year), p.value("state")]]),
    ("How many cars and drivers?", lambda p, s: [[["no", "one", "two", "three"][len(cars(s))].title(), "me"], *no_car(s)]),
    ("Do you smoke?", lambda p, s: [[p.say("tobacco_use")]]),
    ("How soon do you need this?", lambda p, s: [[p.say("urgency")]]),
    ("What would you like to happen next?", lambda p, s: [[p.say("preferred_next_action")]]),
    ("What's the best number to reach you?", lambda p, s: [[p.value("contact_number")]]),
    ("Can I get your email address?", lambda p, s: [[p.value("email")]]),
    ("How did you hear about us?", lambda p, s: [[p.say("referral_source")]]),
    ("Do you have any insurance right now?", lambda p, s: [[p.say("current_coverage")]]),
]  # fmt: skip


def transcript(question: str, k: int) -> str:
    """The same question as a speech-to-text engine writes it."""
    text = question.lower().rstrip("?.").replace("'", "").replace(",", "")
    return ["um ", "so ", "", "uh okay "][k % 4] + text


def _personas() -> list[tuple[str, int]]:
    """One (trigger, seed) per story kind, over every trigger."""
    out, seen = [], set()
    for trigger in available_triggers():
        script = load_script(trigger)
        for seed in range(200):
            kind = make_persona(script, seed).kind
            if kind not in seen:
                seen.add(kind)
                out.append((trigger, seed))
    return out


PERSONAS = _personas()


def _answered(reply: str, groups: list[list[str]]) -> bool:
    low = reply.lower()
    return any(group and all(str(t).lower() in low for t in group) for group in groups)


def test_the_battery_is_large_and_covers_every_story():
    assert len(BATTERY) >= 60
    assert len(PERSONAS) >= 13


@pytest.mark.parametrize(("trigger", "seed"), PERSONAS, ids=[f"{t}-{s}" for t, s in PERSONAS])
def test_every_question_about_the_callers_situation_gets_an_answer(trigger, seed):
    index = PERSONAS.index((trigger, seed))
    fillers, wrong, clarified = [], [], []
    for j, (typed, truth) in enumerate(BATTERY):
        question = typed if (index + j) % 2 == 0 else transcript(typed, j)
        s = Session.start(trigger, seed=seed, difficulty="standard")
        reply = s.say(question)
        assert not reply.ended, question
        text = reply.text
        if not text or text.lower() in FILLERS:
            fillers.append(question)
        elif not _answered(text, truth(s.persona, s.persona.situation)):
            if CLARIFY.search(text):
                clarified.append(question)
            else:
                wrong.append(f"{question!r} -> {text!r}")
    assert fillers == []
    assert wrong == []
    assert len(clarified) <= 3, clarified  # a clarification is the exception, not the rule


def test_compound_questions_get_every_part_answered():
    s = Session.start(
        "coverage_mismatch", seed=next(x for t, x in PERSONAS if t == "coverage_mismatch")
    )
    sit = s.persona.situation
    reply = s.say(
        "what year was the house built and how old is the roof and how many cars do you have"
    )
    if sit.home.owned:
        assert str(sit.home.year_built) in reply.text
        assert str(sit.home.roof_year) in reply.text
    n = len([v for v in sit.vehicles if v.sold_on is None])
    assert ["No", "One", "Two", "Three"][n] in reply.text
    reply = s.say("Can I get your wife's name, and what do you do for a living?")
    assert sit.me.job in reply.text
    assert (sit.spouse.first if sit.spouse else "married") in reply.text


def _find(trigger: str, kind: str) -> int:
    return next(x for x in range(300) if make_persona(load_script(trigger), x).kind == kind)


def test_ambiguous_question_gets_a_clarification_then_an_answer():
    s = Session.start("complex_pricing", seed=_find("complex_pricing", "bundle_shop"))
    sit = s.persona.situation
    home, auto = sit.policy("home"), sit.policy("auto")
    reply = s.say("whats your deductible")
    assert "?" in reply.text
    assert home.carrier in reply.text
    assert auto.carrier in reply.text
    assert s.say("the auto").text.startswith(f"It's {auto.deductible}")
    assert home.deductible in s.say("and the home?").text


def test_jargon_and_unknown_questions_get_a_clarification_never_a_filler():
    for trigger, seed in PERSONAS[:4]:
        s = Session.start(trigger, seed=seed)
        for q in ("Do you have UM/UIM on there?", "Did you get a chance to read the brochure?",
                  "how does the declarations page look"):  # fmt: skip
            text = s.say(q).text
            assert text.lower() not in FILLERS
            assert CLARIFY.search(text) or "?" in text, (q, text)


def test_a_wrong_read_back_is_put_right():
    s = Session.start("qualified_interest", seed=2, difficulty="easy")
    state = s.persona.value("state")
    other = "Ohio" if state != "Ohio" else "Texas"
    text = s.say(f"You're in {other}, right?").text
    assert text.startswith("No") or "not" in text.lower()
    assert state in text
    assert s.say(f"Sorry, you're in {state}, correct?").text in [
        *s.script.line_options("confirm_yes"),
        "Yes, that's right.",
        "Yep, that's still correct.",
        "Correct.",
    ]


def test_same_seed_same_answers():
    lines = ["how many cars and drivers", "what year was the house built", "whats your deductible",
             "the home", "any health conditions"]  # fmt: skip
    for trigger, seed in PERSONAS:
        a, b = Session.start(trigger, seed=seed), Session.start(trigger, seed=seed)
        assert [a.say(x) for x in lines] == [b.say(x) for x in lines]


def test_asked_again_the_caller_says_so_and_gets_irritated():
    s = Session.start("human_request", seed=next(x for t, x in PERSONAS if t == "human_request"))
    first = s.say("What year was the house built?").text
    level = s.mood.irritation
    again = s.say("Sorry, what year was the house built?").text
    assert first.lower() in again.lower()
    assert again != first
    assert s.mood.irritation > level


def _producer_lines() -> list[str]:
    """Producer lines written by others (the detector's labelled development set)."""
    path = Path(__file__).parent / "data" / "labelled_utterances.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.split("|", 1)[1].strip() for ln in lines if "|" in ln and not ln.startswith("#")]


def test_no_producer_question_from_the_labelled_set_gets_a_filler():
    lines = _producer_lines()
    assert len(lines) > 800
    triggers = available_triggers()
    fillers = []
    for i, text in enumerate(lines[::2]):
        s = Session.start(triggers[i % len(triggers)], seed=i % 50)
        reply = s.say(text).text
        assert reply
        if text.rstrip().endswith("?") and reply.lower() in FILLERS:
            fillers.append(text)
    assert fillers == []
