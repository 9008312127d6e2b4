"""The hand-off checklist by meaning, on hand-written producer lines labelled by a person.

Each case is one producer turn in one call context (the caller's name, the packet's reason for
calling and the trigger's need words, as the scripts hand them over) with the set of checklist
items a trainer would tick for it. The labels were written from what the line *means*, before
the recognisers were changed, and cover model lines, sloppy typed lines and speech-to-text
transcripts (lower case, no punctuation, fillers, numbers as words). The detector's hits come
from ``roleplay.detect``, as in a live call.
"""

from __future__ import annotations

import pytest

from roleplay.detect import detect
from roleplay.scoring import CHECKLIST, checklist_moves

PRICING = (
    "premium",
    "price",
    "pricing",
    "rate",
    "discount",
    "bundle",
    "compare",
    "break down",
    "breakdown",
    "quote",
    "cost",
    "cheaper",
    "surcharge",
    "credit",
)
COVERAGE = (
    "coverage",
    "covered",
    "cover",
    "endorsement",
    "rider",
    "limit",
    "limits",
    "gap",
    "exclude",
    "exclusion",
    "review",
    "add",
    "increase",
    "umbrella",
    "liability",
    "business",
    "basement",
)
BILLING = (
    "charge",
    "charged",
    "bill",
    "billing",
    "refund",
    "payment",
    "double",
    "twice",
    "reverse",
    "credit",
)
CANCEL = ("cancel", "cancellation", "refund", "sold", "effective date", "prorated")
CLAIM = ("claim", "adjuster", "damage", "water", "file", "filed", "inspection", "status")
LOGIN = ("log in", "login", "app", "password", "reset", "id card", "id cards", "portal", "account")
LIFE = (
    "quote",
    "term",
    "whole life",
    "rate",
    "premium",
    "apply",
    "application",
    "underwriting",
    "coverage",
    "policy",
    "price",
    "cost",
    "monthly",
    "mortgage",
    "family",
)

# Call contexts as the packet hands them over: caller, reason for calling, the need's words.
CONTEXTS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "renewal": (
        "Marcus",
        "Bell",
        "renewal premium went up about 30% and wants to know why",
        PRICING,
    ),
    "jump": (
        "Marcus",
        "Bell",
        "homeowners renewal jumped from $1,840 to $2,390; wants it explained",
        PRICING,
    ),
    "bundle": ("Lena", "Park", "wants to compare the price of bundling home and auto", PRICING),
    "cheaper": (
        "Omar",
        "Diaz",
        "got a cheaper auto quote elsewhere and wants the rate matched or explained",
        PRICING,
    ),
    "billing": (
        "Derek",
        "Vance",
        "asked for a person about being charged twice this month",
        BILLING,
    ),
    "cancel": (
        "Rita",
        "Moss",
        "asked for a person; sold the car and wants to cancel the auto policy",
        CANCEL,
    ),
    "claim": (
        "Gus",
        "Hale",
        "asked for a person about a water damage claim with no adjuster contact",
        CLAIM,
    ),
    "login": ("Amy", "Tran", "asked for a person; cannot log in to the app to get ID cards", LOGIN),
    "business": (
        "Amy",
        "Tran",
        "started a home business and is unsure the homeowners policy covers the equipment",
        COVERAGE,
    ),
    "teen": (
        "Joan",
        "Reyes",
        "adding a 16-year-old driver and worried the 50/100/50 liability limits are too low",
        COVERAGE,
    ),
    "maya": (
        "Joan",
        "Reyes",
        "daughter Maya (16) just got licensed; worried the 50/100/50 limits are too low",
        COVERAGE,
    ),
    "basement": (
        "Ivy",
        "Cole",
        "finished the basement and thinks the policy may not cover the new space",
        COVERAGE,
    ),
    "quote": ("Dana", "Whitfield", "requested term life information and wants a quote", LIFE),
    "baby": ("Dana", "Whitfield", "new baby on the way and wants life cover for the family", LIFE),
    "mortgage": (
        "Tom",
        "Ng",
        "just bought a house and wants coverage to pay off the mortgage",
        LIFE,
    ),
}

# One case a line: context | producer turn | style (typed or spoken, i.e. a speech-to-text
# transcript) | the items a trainer ticks (or "-") | the producer's words. A line starting
# with spaces continues the words of the line above.
TABLE = """
# greeting and licensed introduction
renewal | 1 | typed | greet,licensed | Hi Marcus, I'm Dana, a licensed agent with Harbor.
renewal | 1 | typed | greet,licensed | Hey Mr. Bell, we're licensed agents here at Harbor, so
    you're in the right place.
renewal | 1 | typed | greet,licensed | Licensed producer here, my name is Sam. Good to talk to
    you, Marcus.
renewal | 1 | spoken | greet,licensed | hi marcus um this is sam im a licensed agent with harbor
renewal | 1 | typed | greet,licensed | Marcus, thanks for holding. I'm licensed in Ohio and I
    handle home policies.
billing | 1 | spoken | greet,licensed | hey derek sam here licensed advisor at harbor
billing | 1 | typed | greet | Hi Derek, this is Sam. The assistant said you wanted to talk to a
    licensed agent.
billing | 1 | typed | licensed | Good afternoon, this is Priya, one of the licensed producers on
    the team.
business | 1 | typed | greet,licensed | As a licensed agent I can go over your policy with you,
    Amy.
business | 1 | spoken | greet,licensed | hi amy my name is jo and i have been a licensed agent
    for twelve years
business | 1 | spoken | - | uh hi im not licensed for commercial lines sorry about that
renewal | 1 | spoken | greet | hi mister bell thanks for holding
renewal | 3 | typed | - | Marcus, one more thing about the renewal date.
# restating the reason
renewal | 2 | typed | restate | So your renewal jumped about thirty percent and you want to know
    why.
renewal | 2 | typed | restate | Sounds like the premium went way up when you renewed.
renewal | 2 | spoken | restate | i see here your premium went up around thirty percent at
    renewal
renewal | 2 | spoken | restate,confirm | so thirty percent at renewal right
renewal | 2 | typed | add | Is there anything else you'd like to add before we look at your
    renewal?
billing | 2 | typed | restate,confirm | I understand you were billed twice this month, is that
    right?
billing | 2 | spoken | restate | so you got double charged this month and you want that fixed
billing | 2 | typed | - | What's going on with your bill today?
baby | 2 | typed | restate,confirm | Congratulations on the baby! You want to make sure the
    family is covered, correct?
baby | 2 | spoken | restate | so youre expecting and want life insurance to protect the family
baby | 2 | typed | - | You want life cover.
business | 2 | typed | restate | You've started a business from home and you're not sure the
    equipment is covered by your homeowners policy.
business | 2 | spoken | restate,confirm | correct me if i am wrong but you run a business out of
    the house now and want to know if the gear is covered
claim | 2 | typed | restate | I see you filed a water damage claim and nobody from the adjusters
    has called.
login | 2 | typed | restate,confirm | You can't get into the app to pull up your ID cards,
    right?
teen | 2 | spoken | restate | so your daughter just started driving and you think your limits
    may be too low
mortgage | 2 | typed | restate | You just closed on a new home and want the mortgage paid off if
    anything happens to you.
bundle | 2 | typed | restate | You'd like to see what it would cost to put your home and car
    together with us.
cheaper | 2 | spoken | restate | ok so another company quoted you lower and you want us to match
    it
jump | 2 | typed | restate | So the renewal went from 1,840 to 2,390 dollars and you'd like to
    understand why.
jump | 2 | spoken | restate | so your home renewal jumped to twenty three ninety
maya | 2 | typed | restate,confirm | Congrats to Maya on getting her license! You're worried
    your limits are too low now, right?
cancel | 2 | typed | restate | Sorry to hear you sold the car; you want the auto policy
    cancelled.
basement | 2 | spoken | restate | ok so you finished the basement and you are not sure it is
    covered
# addressing the need
renewal | 4 | typed | address | Your premium went up mainly because the rates in your area were
    raised and your claims-free discount dropped off at renewal.
renewal | 3 | spoken | - | let me get your date of birth so i can look at the pricing
renewal | 3 | typed | - | What's your current premium?
renewal | 4 | spoken | address | i can break down the price for you the jump is mostly the new
    roof surcharge and a lost multi policy discount
billing | 4 | typed | address | I can see the double charge on your account, and that second
    payment was a billing error on our side.
billing | 4 | typed | - | Do you want me to look into the charge?
billing | 4 | typed | - | I can definitely help you with that today.
business | 4 | typed | address | Home business equipment generally isn't covered by a standard
    homeowners policy, but a business endorsement would cover it.
business | 4 | spoken | address | you would need a home business endorsement for the equipment
    the standard policy excludes business property
business | 4 | typed | - | Can you tell me what kind of equipment it is?
claim | 4 | typed | address | Your claim was assigned to an adjuster on Tuesday, but nobody
    reached out because the file was never released, which is on us.
login | 4 | typed | address | Your app login was locked after too many tries; I've reset it just
    now.
quote | 4 | typed | address | For a healthy non-smoker your age, a $500,000 twenty-year term
    policy usually runs about $30 a month.
quote | 4 | spoken | address | for someone your age a five hundred thousand term policy is
    usually around thirty bucks a month
quote | 4 | spoken | - | um so to get you a quote ill need your date of birth
# next step and who owns it
renewal | 5 | typed | next | I'll email you the quote by 5 today.
quote | 5 | typed | next | I'm booking you with our underwriter for Thursday.
quote | 5 | spoken | next | let me get you set up with a call back tomorrow morning
quote | 5 | typed | - | Let me get your email address.
billing | 5 | spoken | - | let me get that sorted
bundle | 5 | typed | next | Shall I send the comparison over tonight?
claim | 5 | spoken | next | ill text you the adjusters direct line in the next ten minutes
claim | 5 | typed | next | Our claims team will call you by noon tomorrow to book the
    inspection.
claim | 5 | typed | - | Someone will be in touch.
login | 5 | typed | - | I won't be able to email you today.
billing | 5 | spoken | - | i will look into it
quote | 5 | typed | next | I'll start your application now and email you the forms to e-sign
    before we hang up.
renewal | 5 | typed | next | I'll call you tomorrow, ok?
renewal | 5 | spoken | next | um so i will email you the quote by five today whats your email
# a hold is a pause in the call, not a next step on the caller's need
claim | 5 | typed | - | Can I put you on a brief hold?
claim | 5 | typed | - | Let me put you on hold for a moment while I pull up the claim file.
billing | 5 | spoken | - | let me put you on hold
billing | 5 | spoken | - | um can i just put you on a real quick hold for one second
quote | 5 | typed | - | I'll put you on a short hold.
claim | 5 | typed | next | Let me put you on the schedule: our adjuster will call you by noon
    tomorrow.
billing | 5 | spoken | next | let me put you on hold real quick and ill email you the refund
    confirmation by five today
quote | 5 | spoken | next | i will put you down for a callback tomorrow at ten
# inviting anything to add, and checks
renewal | 6 | typed | add | Is there anything else you'd like to add?
renewal | 6 | spoken | add | before i let you go is there anything else i should know
billing | 6 | spoken | add | what else can i help you with today
billing | 6 | typed | - | No other questions from me.
renewal | 3 | typed | confirm | Let me know if I got any of that wrong.
renewal | 3 | spoken | confirm | does that sound about right
"""
ITEMS = {
    "greet": "greet_by_name",
    "licensed": "introduce_licensed",
    "restate": "restate_reason",
    "confirm": "invite_confirm",
    "address": "address_trigger",
    "next": "next_step_owner",
    "add": "invite_additions",
}


def _cases() -> list[tuple[str, int, str, str, set[str]]]:
    rows: list[list[str]] = []
    for line in TABLE.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith(" "):
            rows[-1][-1] += " " + line.strip()
            continue
        rows.append([part.strip() for part in line.split("|", 4)])
    return [
        (
            ctx,
            int(turn),
            style,
            text,
            set() if items == "-" else {ITEMS[i] for i in items.split(",")},
        )
        for ctx, turn, style, items, text in rows
    ]


CASES = _cases()


def _context(name: str) -> dict:
    first, last, reason, keywords = CONTEXTS[name]
    return {"first_name": first, "last_name": last, "reason": reason, "keywords": keywords}


def _moves(context: str, turn: int, line: str) -> dict[str, str]:
    return checklist_moves(line, detect(line), producer_turn=turn, **_context(context))


@pytest.mark.parametrize(
    ("context", "turn", "style", "line", "expected"),
    CASES,
    ids=[f"{c[2]}:{c[3][:40]}" for c in CASES],
)
def test_checklist_items_by_meaning(context, turn, style, line, expected):
    moves = _moves(context, turn, line)
    assert set(moves) == expected, {k: moves.get(k) for k in set(moves) ^ expected}
    for key, words in moves.items():  # every tick shows the words that earned it
        assert key in CHECKLIST
        assert words
        assert words.strip()


def test_the_labelled_lines_cover_every_item_in_both_styles():
    for key in CHECKLIST:
        styles = {c[2] for c in CASES if key in c[4]}
        assert styles == {"typed", "spoken"}, key
    negatives = [c for c in CASES if not c[4]]
    assert len(negatives) >= 10


def test_restating_is_credited_only_in_the_first_turns():
    line = "So your renewal jumped about thirty percent and you want to know why."
    assert "restate_reason" in _moves("renewal", 3, line)
    assert "restate_reason" not in _moves("renewal", 4, line)


def test_evidence_names_the_reason_words_and_the_owner():
    restated = _moves("billing", 2, "so you got double charged this month")["restate_reason"]
    assert "double" in restated
    assert "charged" in restated
    step = _moves("quote", 5, "I'm booking you with our underwriter for Thursday.")
    assert "booking" in step["next_step_owner"]
    assert "i am" in step["next_step_owner"].lower()


def test_a_restatement_of_another_callers_reason_is_not_credited():
    line = "So your renewal jumped about thirty percent and you want to know why."
    assert "restate_reason" not in _moves("claim", 2, line)
