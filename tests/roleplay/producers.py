"""Scripted producers for the session-play suite: a model, a sloppy and an in-between one.

Every line is composed from the session's packet (what the AI captured and missed, the reason
for the call, the caller's first name) and the trigger's need (from the script), with the
wording drawn from several phrasings per move by a seeded :class:`random.Random`. About a third
of the lines are rendered in transcript style, as speech-to-text gives them: lower case, no
punctuation, fillers ("um", "uh", "so yeah"), contractions without apostrophes and numbers,
phone numbers and dates spoken as words.

The lines are written the way producers talk, not to fit the detector: nothing here looks at
how :mod:`roleplay.detect` or its rules decide what a request is.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from roleplay import Scorecard, Session

PRODUCERS = ("model", "sloppy", "in_between")
"""The three producers; ``sloppy`` re-asks two captured fields (three with ``reasks=3``)."""

BARE_FILLERS = frozenset({"okay.", "ok.", "mm-hm.", "sure.", "go on.", "right.", "yes.", "uh-huh."})
"""Replies that say nothing: never an answer to a question."""

_NAMES = ("Dana", "Marcus", "Priya", "Luis", "Janelle", "Tom", "Keisha", "Omar", "Beth", "Ray")
_SERVICE = ("billing_dispute", "cancellation", "claim", "technical_issue")

# Missing fields a producer needs for the caller's need, in the order they would ask.
NEEDED: dict[str, tuple[str, ...]] = {
    "new_business": ("date_of_birth", "tobacco_use", "coverage_amount", "state"),
    "coverage_question": ("coverage_amount", "current_coverage", "state"),
    "pricing_question": ("current_coverage", "coverage_amount", "state", "date_of_birth"),
    "billing_dispute": ("email", "contact_number"),
    "cancellation": ("email", "contact_number"),
    "claim": ("contact_number", "email"),
    "technical_issue": ("email", "contact_number"),
}


# --------------------------------------------------------------------------------------------
# Speaking numbers, phones, dates and emails as words (transcript style)
# --------------------------------------------------------------------------------------------

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINAL = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
    "twenty": "twentieth",
    "thirty": "thirtieth",
}
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_DIGIT = {str(i): w for i, w in enumerate(_ONES[:10])} | {"0": "oh"}


def number_words(n: int) -> str:
    """``440000`` → ``"four hundred forty thousand"``."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + (f" {number_words(rest)}" if rest else "")
    for size, word in ((10**9, "billion"), (10**6, "million"), (1000, "thousand")):
        if n >= size:
            rest = n % size
            return f"{number_words(n // size)} {word}" + (f" {number_words(rest)}" if rest else "")
    raise AssertionError(n)


def ordinal_words(n: int) -> str:
    """``21`` → ``"twenty first"``."""
    words = number_words(n).split()
    last = words[-1]
    words[-1] = _ORDINAL.get(last, last[:-1] + "ieth" if last.endswith("y") else last + "th")
    return " ".join(words)


def year_words(y: int) -> str:
    """``1982`` → ``"nineteen eighty two"``, ``2005`` → ``"two thousand five"``."""
    if 2000 <= y < 2010:
        return number_words(y)
    hi, lo = divmod(y, 100)
    return f"{number_words(hi)} " + (
        "hundred" if lo == 0 else f"oh {_ONES[lo]}" if lo < 10 else number_words(lo)
    )


def digit_words(digits: str) -> str:
    """``"614-555-0142"`` → ``"six one four five five five oh one four two"``."""
    return " ".join(_DIGIT[d] for d in digits if d.isdigit())


def spoken_date(d: date) -> str:
    return f"{_MONTHS[d.month - 1]} {ordinal_words(d.day)} {year_words(d.year)}"


def written_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d:%B} {d.day}, {d.year}"


def _money(m: re.Match) -> str:
    n = int(m.group(1).replace(",", ""))
    return f"{number_words(n)} dollars"


def _email(m: re.Match) -> str:
    local, domain = m.group(0).lower().split("@")
    out = []
    for part in re.split(r"(\.)", local):
        if part == ".":
            out.append("dot")
        else:
            out += [digit_words(ch) if ch.isdigit() else ch for ch in re.findall(r"\d|\D+", part)]
    return " ".join(out) + " at " + domain.replace(".", " dot ")


def _month_day(m: re.Match) -> str:
    return f"{m.group(1).lower()} {ordinal_words(int(m.group(2)))}"


_CONTRACTIONS = re.compile(r"\b(\w+)'(ll|re|ve|d|s|m|t)\b", re.I)
_FILLERS = ("um", "uh", "so yeah", "uh so", "um so", "okay um")


def transcript(text: str, rng: random.Random) -> str:
    """The line as speech-to-text gives it: lower case, no punctuation, fillers, contractions
    without apostrophes, numbers, phones and dates as words."""
    out = re.sub(r"[\w.+-]+@[\w-]+\.[\w.]*\w", _email, text)
    out = re.sub(r"\b\d{3}-\d{3}-\d{4}\b", lambda m: digit_words(m.group(0)), out)
    out = re.sub(r"\$(\d[\d,]*)", _money, out)
    out = re.sub(r"(\d+)%", lambda m: f"{number_words(int(m.group(1)))} percent", out)
    out = re.sub(
        r"\b(\d+(?:/\d+)+)\b",
        lambda m: " ".join(number_words(int(x)) for x in m.group(1).split("/")),
        out,
    )
    months = "|".join(m.capitalize() for m in _MONTHS)
    out = re.sub(rf"\b({months}) (\d{{1,2}}), (\d{{4}})\b", lambda m: (
        f"{m.group(1).lower()} {ordinal_words(int(m.group(2)))} {year_words(int(m.group(3)))}"
    ), out)  # fmt: skip
    out = re.sub(rf"\b({months}) (\d{{1,2}})\b", _month_day, out)
    out = re.sub(r"\b((?:19|20)\d\d)\b", lambda m: year_words(int(m.group(1))), out)
    out = re.sub(r"\b\d+\b", lambda m: number_words(int(m.group(0))), out)
    out = out.lower().replace("’", "'")
    out = _CONTRACTIONS.sub(lambda m: m.group(1) + m.group(2), out)
    filler = rng.choice(_FILLERS)
    if ", " in out and rng.random() < 0.5:  # a filler where the speaker pauses
        out = out.replace(", ", f" {filler} ", 1)
    else:
        out = f"{filler} {out}"
    out = re.sub(r"[^\w\s]", " ", out)
    return " ".join(out.split())


def speakable(field_name: str, value: str) -> str:
    """How a producer reads a captured value back in a typed line."""
    if field_name == "date_of_birth":
        return written_date(value)
    return value


# --------------------------------------------------------------------------------------------
# Restating the reason in the producer's own words
# --------------------------------------------------------------------------------------------

_OPENERS = [
    (r"^about (being|a |an )", r"you're calling about \1"),
    (r"^charged ", "you were charged "),
    (r"^sold ", "you sold "),
    (r"^filed ", "you filed "),
    (r"^cannot ", "you can't "),
    (r"^app login fails and needs ", "the app login keeps failing and you need "),
    (r"^requested ", "you asked for "),
    (r"^filled in ", "you filled in "),
    (r"^new baby ", "you've got a new baby "),
    (r"^baby due ", "you've got a baby due "),
    (r"^just ", "you just "),
    (r"^started ", "you started "),
    (r"^runs ", "you run "),
    (r"^adding ", "you're adding "),
    (r"^(son|daughter) (\w+) \((\d+)\) just got licensed", r"your \1 \2 just got licensed at \3"),
    (r"^finished ", "you finished "),
    (r"^spent ", "you spent "),
    (r"^renewal premium ", "your renewal premium "),
    (r"^homeowners renewal ", "your homeowners renewal "),
    (r"^wants ", "you want "),
    (r"^has ", "you have "),
    (r"^got ", "you got "),
    (r"^quoted ", "you were quoted "),
]
_JOINS = [
    (r"(?:;| and) wants to know", " and you {want} to know"),
    (r"(?:;| and) wants", " and you {want}"),
    (r"(?:;| and) (?:is )?unsure", " and you're not sure"),
    (r"(?:;| and) worried", " and you're {worried}"),
    (r" and thinks", " and you think"),
    (r" and needs", " and you need"),
    (r";", " and"),
]
_SWAPS = [
    (r"\bthe (homeowners policy|policy|auto policy|basement|car|dwelling limit)\b", r"your \1"),
    (r"\blife cover\b", "life coverage"),
    (r"\bcover (to|in|for)\b", r"coverage \1"),
    (r"\bhere\b", "with us"),
    (r"\ba quote\b", "a quote on it"),
    (r"\bthe online form\b", "our online form"),
]


def second_person(reason: str, rng: random.Random) -> str:
    """The packet's (third-person) reason, said back to the caller."""
    text = re.sub(r"^asked for a person(?:;\s*|\s+(?=about))", "", reason.strip())
    for pattern, repl in _OPENERS:
        new = re.sub(pattern, repl, text)
        if new != text:
            text = new
            break
    else:
        text = "you're calling because " + text
    for pattern, repl in _JOINS:
        text = re.sub(pattern, repl, text)
    for pattern, repl in _SWAPS:
        text = re.sub(pattern, repl, text)
    text = re.sub(r"\bwants\b", "want", text)
    want = rng.choice(("want", "'d like"))
    text = text.format(want=want, worried=rng.choice(("worried", "concerned")))
    return text.replace("you 'd", "you'd")


# --------------------------------------------------------------------------------------------
# The moves
# --------------------------------------------------------------------------------------------


@dataclass
class Line:
    """One planned producer line."""

    move: str
    """greet, restate, readback, ask, answer, next_step, additions, goodbye, reask,
    indirect_reask, no_reask (a negated or tagged mention that asks nothing)."""
    make: Callable[[dict[str, str]], str]
    """Builds the typed text from what the producer knows (packet + answers so far)."""
    field: str | None = None
    transcript: bool = False
    asks: bool = False
    """The line asks the caller something (a question or a request)."""
    written: str = ""
    said: str = ""
    reply: str = ""
    ended: bool = False
    skipped: bool = False


@dataclass
class Conversation:
    """A played call: the lines, the planted re-asks and the scorecard."""

    session: Session
    producer: str
    lines: list[Line]
    planted: list[str] = field(default_factory=list)
    """Captured fields this producer re-asks, in order."""
    card: Scorecard | None = None

    @property
    def said(self) -> list[Line]:
        return [ln for ln in self.lines if ln.said]


class Producer:
    """Composes lines for one session from its packet."""

    def __init__(self, session: Session, rng: random.Random) -> None:
        self.s = session
        self.rng = rng
        self.packet = session.packet
        self.captured = dict(session.packet.captured)
        self.first = self.captured["caller_name"].split()[0]
        self.me = rng.choice(_NAMES)
        self.need = session.persona.real_need
        need = next(n for n in session.script.needs if n.code == self.need)
        self.keywords = list(need.keywords)
        self.kind = session.persona.kind
        self.life = "life" in self.captured.get("product_interest", "life") or (
            self.need == "new_business"
        )

    def pick(self, options):
        return self.rng.choice(list(options))

    # --- openings ---------------------------------------------------------------------------

    def greet(self) -> Line:
        f, me = self.first, self.me
        text = self.pick(
            [
                f"Hi {f}, this is {me}, I'm a licensed agent with Harbor Insurance.",
                f"Hey {f}, {me} here, I'm one of the licensed agents at Harbor. "
                "Thanks for holding.",
                f"Good afternoon {f}, my name is {me} and I'm a licensed insurance agent here at "
                "Harbor.",
                f"Hi {f}, thanks for waiting. I'm {me}, a licensed agent, and I've got your "
                "details from the assistant.",
                f"{f}? Hi, this is {me}, I'm licensed with Harbor and I'll be helping you today.",
            ]
        )
        return Line("greet", lambda k: text)

    def restate(self) -> Line:
        said = second_person(self.captured["reason_for_call"], self.rng)
        lead = self.pick(
            [
                "So I understand {r}",
                "From what the assistant passed along, {r}",
                "So it sounds like {r}",
                "Okay, so {r}",
                "I see here that {r}",
            ]
        ).format(r=said)
        check = self.pick(
            [
                "{x}, did I get that right?",
                "{x}, is that right?",
                "{x}, right?",
                "{x}. Is that about right?",
                "{x}. Does that sound right?",
                "Correct me if I'm wrong, but {y}.",
            ]
        )
        low = lead[:1].lower() + lead[1:]
        text = check.format(x=lead, y=low)
        return Line("restate", lambda k: text, field="reason_for_call", asks=True)

    # --- read-backs ---------------------------------------------------------------------------

    def readback_fields(self) -> list[str]:
        order = ["contact_number", "email", "state", "date_of_birth", "product_interest"]
        have = [f for f in order if f in self.captured]
        self.rng.shuffle(have)
        return have[: self.rng.choice((1, 2))]

    def readback(self, f: str) -> Line:
        v = speakable(f, self.captured[f])
        options = {
            "contact_number": [
                f"I have you at {v}, is that still the best number?",
                f"I've got {v} as your number. Is that still good for you?",
                f"Is {v} still the best number to reach you?",
            ],
            "email": [
                f"And I have your email as {v}, is that right?",
                f"I've got {v} for email. Still the best one to use?",
            ],
            "state": [
                f"And you're in {v}, correct?",
                f"I see you're in {v}, is that right?",
            ],
            "date_of_birth": [
                f"I've got your date of birth as {v}, is that right?",
                f"And your birthday is {v}, correct?",
            ],
            "product_interest": [
                f"And this is about {v}, right?",
                f"I have this down as {v}, is that correct?",
            ],
        }[f]
        text = self.pick(options)
        return Line("readback", lambda k: text, field=f, asks=True)

    # --- asking for what the AI missed ------------------------------------------------------

    def needed_missing(self) -> list[str]:
        wanted = [f for f in NEEDED[self.need] if f in self.packet.missing]
        return wanted[:2]

    def question(self, f: str) -> str:
        existing = self.need != "new_business"
        options = {
            "contact_number": [
                "What's the best number to reach you if we get cut off?",
                "What's a good phone number for you?",
            ],
            "email": [
                "What's a good email address to send this to?",
                "And what's your email address?",
            ],
            "date_of_birth": ["What's your date of birth?", "And when were you born?"],
            "state": ["Which state do you live in?", "What state are you in?"],
            "tobacco_use": [
                "Have you used any tobacco in the last twelve months?",
                "Do you smoke or use any tobacco?",
            ],
            "coverage_amount": (
                [
                    "How much coverage do you have on that policy today?",
                    "What limits are you carrying on the policy right now?",
                ]
                if existing
                else [
                    "How much coverage were you thinking about?",
                    "What amount of coverage did you have in mind?",
                ]
            ),
            "current_coverage": [
                "Do you have any coverage in place today?",
                # Not "which policy is this about?": by the corpus's labelling rules (see
                # tests/roleplay/corpus/README.md, Audit) that asks for the product line.
                "Which carrier is your current policy with?"
                if existing
                else "Do you have any life insurance right now?",
            ],
            "urgency": ["How soon do you need this taken care of?"],
            "referral_source": ["How did you hear about us?"],
            "preferred_next_action": ["What would you like to happen next?"],
            "product_interest": ["Which type of insurance is this about?"],
            "caller_name": ["Can I get your full name, please?"],
        }[f]
        return self.pick(options)

    def ask(self, f: str) -> Line:
        text = self.question(f)
        return Line("ask", lambda k: text, field=f, asks=True)

    # --- the need ---------------------------------------------------------------------------

    def answer(self) -> Line:
        rng, pick = self.rng, self.pick
        price = rng.randrange(24, 68)
        saving = rng.randrange(120, 380)
        kind = self.kind

        def make(k: dict[str, str]) -> str:
            amount = k.get("coverage_amount", "$500,000")
            limits = k.get("coverage_amount", "the limits you have now")
            if kind in ("life_quote", "new_baby"):
                return pick(
                    [
                        f"For {amount} of twenty-year term, someone in good health at your age "
                        f"would typically pay around ${price} a month, and that premium is "
                        "locked for the whole term.",
                        "The good news is term coverage is the most affordable way to protect "
                        f"the family: {amount} over twenty years usually comes to about "
                        f"${price} a month.",
                        "Based on what you've told me you'd likely qualify for our preferred "
                        f"rates, so a {amount} term policy would run about ${price} a month.",
                    ]
                )
            if kind == "new_home":
                return pick(
                    [
                        "Term life sized to the mortgage is usually the way to go, because the "
                        f"coverage lasts as long as the loan does; {amount} would be about "
                        f"${price} a month.",
                        f"A {amount} term policy would pay off the mortgage if anything "
                        f"happened to you, and it would cost roughly ${price} a month.",
                    ]
                )
            if kind == "renewal_jump":
                return pick(
                    [
                        "The premium went up mainly because rebuilding costs in your area rose "
                        "this year and your claims-free credit dropped off at renewal. I can "
                        f"put that credit back, which takes about ${saving} off.",
                        "Most of that increase is due to a statewide rate change for "
                        "homeowners, plus the inflation guard raised your dwelling limit, which "
                        "raises the premium. A protective device discount for your alarm "
                        f"would bring it down about ${saving}.",
                    ]
                )
            if kind == "bundle_shop":
                return pick(
                    [
                        "If you bundle the home and auto with us, the multi-policy discount "
                        "typically takes fifteen to twenty percent off both, so you'd be "
                        f"looking at about ${saving + 2400} a year for the two together.",
                        "Bundling usually saves you money here because both policies get the "
                        f"multi-policy discount; the bundle would come to about ${saving + 2400}"
                        " a year.",
                    ]
                )
            if kind == "competitor_quote":
                return pick(
                    [
                        "The difference is mostly because the other quote has lower liability "
                        f"limits than the {limits} you carry with us, so it isn't the same "
                        "coverage. I can also add the paperless and paid-in-full discounts, "
                        f"which lowers your rate by about ${saving // 12} a month.",
                        "Our price is higher mainly because your policy includes higher limits "
                        "and rental coverage the other quote leaves out, and you're missing the "
                        f"multi-car discount, which would save you about ${saving // 12} a "
                        "month.",
                    ]
                )
            if kind == "home_business":
                return pick(
                    [
                        "A standard homeowners policy usually covers only about $2,500 of "
                        "business equipment, so most of your equipment isn't covered today. "
                        f"A home business endorsement would cover it for about ${saving} a "
                        "year.",
                        "Business equipment is mostly excluded on a homeowners policy, which "
                        "means you have a gap right now; adding a home business endorsement "
                        "closes it.",
                    ]
                )
            if kind == "teen_driver":
                return pick(
                    [
                        "With a new driver in the house those limits really are too low, "
                        "because one serious accident can go well past them. I'd raise the "
                        "liability to 250/500/100, and an umbrella would cover the gap above "
                        "that.",
                        "You're right to worry: state minimum liability limits usually don't "
                        "cover a serious accident with a teen driver, so I'd increase them to "
                        "250/500/100.",
                    ]
                )
            if kind == "finished_basement":
                return pick(
                    [
                        "Finishing the basement raised what it would cost to rebuild the "
                        "house, so your dwelling limit probably doesn't cover the new space. I "
                        "can increase the dwelling limit to include it.",
                        "The basement work isn't fully covered right now, because your dwelling "
                        "limit was set before the remodel; we'll add the finished space to the "
                        "policy by raising that limit.",
                    ]
                )
            if kind == "double_charge":
                return pick(
                    [
                        "I can see the double charge: the second payment went through because "
                        "of a processing error on our side, and I've already put in the refund "
                        "for it.",
                        "You were billed twice because the autopay ran again after your manual "
                        "payment. That's our mistake, and I can reverse the second charge "
                        "today.",
                    ]
                )
            if kind == "sold_car":
                return pick(
                    [
                        "Since you sold the car, I can cancel the policy effective the day of "
                        "the sale, and whatever you prepaid past that date comes back to you as "
                        "a prorated refund.",
                        "The cancellation can be backdated to the sale date, which means you "
                        "get a refund for the unused days.",
                    ]
                )
            if kind == "water_claim":
                return pick(
                    [
                        "I found your claim. It was filed but never assigned to an adjuster, "
                        "which is why nobody called you. I'm escalating it to our claims "
                        "manager now to get it assigned.",
                        "The water damage claim is on file but stuck in the queue without an "
                        "adjuster, that's why you haven't heard anything. I can get an "
                        "adjuster assigned to it today.",
                    ]
                )
            if kind == "app_login":
                return pick(
                    [
                        "Your account got locked after too many password attempts, that's why "
                        "the app won't let you log in. I've reset it on my end, so you can log "
                        "in again.",
                        "The login fails because the app still has your old email on the "
                        "account. I can reset the password for you now, and the ID cards will "
                        "be in the app.",
                    ]
                )
            raise AssertionError(f"no answer written for story kind {kind!r}")

        return Line("answer", make)

    def next_step(self) -> Line:
        kind, pick = self.kind, self.pick

        def make(k: dict[str, str]) -> str:
            pref = k.get("preferred_next_action", "")
            if kind in ("life_quote", "new_baby", "new_home"):
                if "on this call" in pref or "application" in pref:
                    return pick(
                        [
                            "I'll start the application with you right now, and I'll email "
                            "you a copy of the quote by five today.",
                            "Let's get the application started now while I have you, and I'll "
                            "send you the summary by email today.",
                        ]
                    )
                if "appointment" in pref:
                    return (
                        "I'm booking you an appointment with me for tomorrow at ten, and I'll "
                        "email you the quote today so you can look it over first."
                    )
                if "call back" in pref:
                    return (
                        "I'll email you the quote by five today and call you tomorrow morning "
                        "to go over it."
                    )
                return pick(
                    [
                        "I'll email you the quote by five today.",
                        "I'll send you the full quote by email this afternoon.",
                    ]
                )
            if kind == "renewal_jump":
                return pick(
                    [
                        "I'll email you the full breakdown of the renewal with the credit "
                        "applied by five today.",
                        "I'm sending you a written breakdown of the new premium by email "
                        "this afternoon.",
                    ]
                )
            if kind == "bundle_shop":
                if "appointment" in pref:
                    return (
                        "I'm booking us an appointment for tomorrow to go over the bundle "
                        "quote, and I'll email it to you today."
                    )
                return (
                    "I'll email you the bundle quote by end of day today, both policies side "
                    "by side."
                )
            if kind == "competitor_quote":
                if "call back" in pref:
                    return (
                        "I'll email you the comparison today and call you tomorrow to go "
                        "through it."
                    )
                return (
                    "I'll run the rate review with every discount checked and email you the "
                    "comparison by five today."
                )
            if kind == "home_business":
                return (
                    "I'll email you the endorsement options today, and I'll add the one you "
                    "pick to the policy the same day."
                )
            if kind == "teen_driver":
                m = re.search(r"(?:son|daughter) (\w+)", k["reason_for_call"])
                who = m.group(1) if m else "your new driver"
                return (
                    f"I'll add {who} to the policy today and email you the quote for the "
                    "higher limits by five."
                )
            if kind == "finished_basement":
                if "appointment" in pref:
                    return (
                        "I'm booking your coverage review for tomorrow morning, and I'll email "
                        "you the updated dwelling quote today."
                    )
                return (
                    "I'll update the dwelling coverage today and email you the endorsement by five."
                )
            if kind == "double_charge":
                return pick(
                    [
                        "I'm processing the refund for the second charge right now, and I'll "
                        "email you the confirmation within the hour.",
                        "I'll reverse the duplicate payment today and call you back this "
                        "afternoon to confirm it went through.",
                    ]
                )
            if kind == "sold_car":
                return (
                    "I'm processing the cancellation today, effective the day you sold it, "
                    "and I'll email you the confirmation within the hour."
                )
            if kind == "water_claim":
                return (
                    "I'm escalating the claim right now, and the adjuster will call you today "
                    "to book the inspection."
                )
            if kind == "app_login":
                return (
                    "I'm sending you a password reset link right now, and I'll email your ID "
                    "cards in the next few minutes."
                )
            raise AssertionError(f"no next step written for story kind {kind!r}")

        return Line("next_step", make)

    def additions(self) -> Line:
        text = self.pick(
            [
                "Is there anything else I can help you with today?",
                "Anything I missed?",
                "Before I let you go, is there anything you'd like to add?",
                "Is there anything else you want me to look at while I have you?",
                "What else can I do for you today?",
            ]
        )
        return Line("additions", lambda k: text, asks=True)

    def goodbye(self) -> Line:
        f = self.first
        text = self.pick(
            [f"Thanks {f}, have a great day.", f"Alright {f}, take care. Bye now.",
             f"Thank you {f}, talk soon."]
        )  # fmt: skip
        return Line("goodbye", lambda k: text)

    # --- re-asks ------------------------------------------------------------------------------

    def direct_reask(self, f: str) -> Line:
        existing = self.need != "new_business"
        options = {
            "contact_number": ["What's your phone number?", "And what's the best number for you?"],
            "email": ["And your email address?", "What's a good email for you?"],
            "date_of_birth": ["And your date of birth?", "What's your date of birth?"],
            "state": ["What state are you in?", "Which state do you live in?"],
            "referral_source": ["How did you hear about us?", "How'd you find us?"],
            "urgency": ["How soon do you need this done?", "What's your timeline on this?"],
            "preferred_next_action": [
                "What would you like to happen next?",
                "What would you like the next step to be?",
            ],
            "product_interest": [
                "What kind of insurance is this about?",
                "Which type of policy are we talking about?",
            ],
            "coverage_amount": (
                ["What limits do you have on the policy now?", "How much coverage do you have?"]
                if existing
                else ["How much coverage are you looking for?", "How much coverage do you want?"]
            ),
            "current_coverage": (
                ["Who's your current policy with?", "What policy do you have with us?"]
                if existing
                else ["Do you have any coverage in place today?", "Who are you insured with now?"]
            ),
            "tobacco_use": ["Do you smoke?", "Any tobacco use in the last twelve months?"],
            "caller_name": ["Can I get your full name?", "Who am I speaking with?"],
        }[f]
        text = self.pick(options)
        return Line("reask", lambda k: text, field=f, asks=True)

    def indirect_reask(self, f: str) -> Line:
        options = {
            "contact_number": [
                "I'll need a good callback number from you.",
                "Let me grab a number where I can reach you.",
            ],
            "current_coverage": [
                "Tell me a bit about the coverage you carry today.",
                "Walk me through what you've got in place for insurance right now.",
            ],
            "referral_source": [
                "Refresh my memory on how you heard about us.",
                "Remind me how you found us.",
            ],
            "caller_name": [
                "First off, your name as it's on the license.",
                "I'll need your full name the way it shows on your ID.",
            ],
            "email": [
                "I'll want an email address to send everything to.",
                "Let me get an email for you so I can send this over.",
            ],
            "date_of_birth": [
                "I'll just need your date of birth for the rating.",
                "Remind me of your birthday.",
            ],
            "state": ["Remind me which state you're in.", "I'll need the state you live in."],
            "urgency": [
                "Give me a sense of how soon you need this done.",
                "Tell me about your timeline on this.",
            ],
            "preferred_next_action": [
                "Walk me through what you'd like to happen after this call.",
            ],
            "product_interest": ["Remind me what kind of policy we're talking about."],
            "coverage_amount": ["Talk me through the coverage amount on this."],
            "tobacco_use": ["I'll need to know about any tobacco use."],
        }[f]
        text = self.pick(options)
        return Line("indirect_reask", lambda k: text, field=f, asks=True)

    def no_reask(self, f: str) -> Line:
        """A mention of a captured field that asks nothing: a negation or a tagged
        statement."""
        v = speakable(f, self.captured[f])
        options = {
            "date_of_birth": [
                "I won't make you repeat your birthday, I've got it here.",
                "No need to give me your date of birth again, the assistant got it.",
            ],
            "contact_number": [
                "I've already got your number, so I won't ask for it again.",
                f"Your number's still {v}, isn't it?",
            ],
            "email": [
                "I don't need your email again, it came through with the transfer.",
                f"And your email's still {v}, right?",
            ],
            "referral_source": [
                "You don't have to tell me again how you found us, I've got it noted.",
            ],
            "state": [f"You're in {v}, aren't you?", "I won't ask your state again, it's here."],
            "product_interest": [
                f"I know this is about {v}, so we don't need to go over that again.",
            ],
            "urgency": ["I've got your timeline noted, so no need to repeat it."],
            "preferred_next_action": [
                "I've got down what you'd like to happen next, you don't need to tell me again.",
            ],
            "coverage_amount": [
                f"I've got {v} down for the coverage, so no need to go back over it.",
            ],
            "current_coverage": [
                "I can see what you have in place today, so I won't ask you to go through it.",
            ],
            "tobacco_use": [
                "I won't make you go through the tobacco questions again, the assistant "
                "covered them.",
            ],
            "caller_name": ["I've got your full name from the assistant, no need to spell it."],
        }[f]
        text = self.pick(options)
        return Line("no_reask", lambda k: text, field=f, asks=text.endswith("?"))


# --------------------------------------------------------------------------------------------
# Plans and playing
# --------------------------------------------------------------------------------------------

_REASKABLE = (
    "contact_number",
    "email",
    "date_of_birth",
    "state",
    "referral_source",
    "urgency",
    "preferred_next_action",
    "product_interest",
    "coverage_amount",
    "current_coverage",
    "tobacco_use",
)
_INDIRECT_FIRST = ("contact_number", "current_coverage", "referral_source", "caller_name")


def model_plan(p: Producer) -> list[Line]:
    """Greet and introduce, restate with a check, read back, ask what is missing and needed,
    answer the need, next step and owner, invite additions, goodbye."""
    readbacks = [p.readback(f) for f in p.readback_fields()]
    asks = [p.ask(f) for f in p.needed_missing()]
    answer, step = p.answer(), p.next_step()
    middle = [*asks, answer] if p.need in ("new_business", "pricing_question") else [answer, *asks]
    plan = [p.greet(), p.restate(), *readbacks, *middle, step, p.additions()]
    if p.rng.random() < 0.6:
        plan.append(p.goodbye())
    return plan


def plan_for(session: Session, producer: str, *, reasks: int = 2) -> Conversation:
    """The planned lines of ``producer`` for this session (before playing)."""
    rng = random.Random(f"producer:{producer}:{reasks}:{session.trigger}:{session.seed}")
    p = Producer(session, rng)
    plan = model_plan(p)
    planted: list[str] = []
    read = {ln.field for ln in plan if ln.move == "readback"}
    if producer == "sloppy":
        pool = [f for f in _REASKABLE if f in p.captured and f not in read]
        if len(pool) < reasks:
            pool += [f for f in _REASKABLE if f in p.captured and f in read]
            plan = [ln for ln in plan if ln.field not in pool or ln.move != "readback"]
        planted = rng.sample(pool, reasks)
        lines = [p.direct_reask(f) for f in planted]
        if reasks >= 3:  # three in a row after the restatement: the caller hangs up
            plan[2:2] = lines
        else:
            plan.insert(2, lines[0])
            at = next(i for i, ln in enumerate(plan) if ln.move == "answer")
            plan.insert(at, lines[1])
    elif producer == "in_between":
        pool = [f for f in (*_INDIRECT_FIRST, *_REASKABLE) if f in p.captured and f not in read]
        preferred = [f for f in pool if f in _INDIRECT_FIRST]
        target = rng.choice(preferred or pool)
        planted = [target]
        others = [f for f in dict.fromkeys(pool) if f != target]
        mentions = [p.no_reask(f) for f in rng.sample(others, min(2, len(others)))]
        at = next(i for i, ln in enumerate(plan) if ln.move in ("ask", "answer"))
        plan[at:at] = (
            [mentions[0], p.indirect_reask(target)] if mentions else [p.indirect_reask(target)]
        )
        if len(mentions) > 1:
            at = next(i for i, ln in enumerate(plan) if ln.move == "next_step")
            plan.insert(at, mentions[1])
    elif producer != "model":
        raise ValueError(f"unknown producer {producer!r}; choose one of {PRODUCERS}")
    offset = rng.randrange(3)
    for i, ln in enumerate(plan):
        ln.transcript = (i + offset) % 3 == 0
    return Conversation(session, producer, plan, planted)


def play(convo: Conversation) -> Conversation:
    """Say every planned line (until the caller hangs up) and score the call."""
    s = convo.session
    rng = random.Random(f"style:{s.trigger}:{s.seed}:{convo.producer}")
    known = dict(s.packet.captured)
    heard: list[str] = [s.transcript[0].text]
    for ln in convo.lines:
        if s.ended:
            break
        if ln.move == "ask" and ln.field and _already_said(s, ln.field, heard):
            ln.skipped = True  # the caller volunteered it: a good producer does not ask
            continue
        ln.written = ln.make(known)
        ln.said = transcript(ln.written, rng) if ln.transcript else ln.written
        reply = s.say(ln.said)
        ln.reply, ln.ended = reply.text, reply.ended
        heard.append(reply.text)
        if ln.move == "ask" and ln.field:
            known[ln.field] = s.persona.value(ln.field)  # heard from the caller
    convo.card = s.end(s.persona.real_need)
    return convo


def _already_said(s: Session, f: str, heard: list[str]) -> bool:
    said, value = s.persona.say(f), s.persona.value(f)
    return any(said in h or value in h for h in heard)


def conversation(
    trigger: str, difficulty: str, producer: str, seed: int, *, reasks: int = 2
) -> Conversation:
    """Start a session, plan the producer's lines from its packet and play them."""
    session = Session.start(
        trigger=trigger, seed=seed, difficulty=difficulty, producer=f"{producer}-bot", store=None
    )
    return play(plan_for(session, producer, reasks=reasks))


# --------------------------------------------------------------------------------------------
# Readable failures
# --------------------------------------------------------------------------------------------


def report(convo: Conversation) -> str:
    """The packet, the lines with the caller's replies and what the lab made of each, and the
    scorecard's parts."""
    s, card = convo.session, convo.card
    out = [
        f"--- {convo.producer} producer, {s.trigger} / {s.difficulty} / seed {s.seed} "
        f"({s.persona.kind}, real need {s.persona.real_need})",
        f"planted re-asks: {convo.planted}",
        f"packet captured: {s.packet.captured}",
        f"packet missing:  {list(s.packet.missing)}",
        f"caller: {s.transcript[0].text}",
    ]
    evidence = iter(s.evidence)
    for ln in convo.lines:
        if ln.skipped:
            out.append(f"  [{ln.move}:{ln.field}] skipped (caller already said it)")
            continue
        if not ln.said:
            out.append(f"  [{ln.move}] not said (call over)")
            continue
        ev = next(evidence)
        style = "transcript" if ln.transcript else "typed"
        out += [
            f"  P{ev.turn} [{ln.move}{':' + ln.field if ln.field else ''}, {style}]: {ln.said}",
            f"     caller: {ln.reply}" + ("  <HUNG UP>" if ln.ended else ""),
            f"     hits: {[(h['field'], h['kind'], h['words']) for h in ev.hits]}",
            f"     re-asks: {ev.repeat_explains}  checklist: {ev.checklist}",
        ]
    if card is not None:
        out.append(f"score {card.score} passed={card.passed} fails={card.fail_reasons}")
        out += [f"  {p.key}: {p.points:g}/{p.max_points:g} {p.detail}" for p in card.parts]
    return "\n".join(out)
