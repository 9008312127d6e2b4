"""Whether a clause asks the caller for something, and which part of it does.

A field word only counts as a request inside an *ask*: a question (by "?" or by form: "what
is your number", "do you smoke"), an ask frame ("can I get", "I'll need", "tell me", "refresh
my memory on", "any idea", "kindly share") with what follows it, or a bare noun phrase said as
a question ("Email for the quote?", "and your date of birth colleen", "Name, DOB and email on
the account."). Statements ("that's how you found us", "I'll email you a copy", "what I can do
is call you Friday") ask nothing, and neither does the subordinate tail of an ask ("... in case
the email bounces", "so I can send it to your phone").

Also here: removing the caller's name said as a vocative ("whats your date of birth hannah"),
which would otherwise look like part of the question.
"""

from __future__ import annotations

import re
from typing import Literal

from roleplay.clauses import FILLER

__all__ = [
    "ASKS_BACK",
    "YN_ASKS",
    "AskKind",
    "ask_scope",
    "is_fragment",
    "relative_wh",
    "strip_vocatives",
]

_WH = re.compile(
    rf"^{FILLER}(?:about |around |roughly |(?:in|from|with|at|for|by|to|since|until|till) )?"
    r"(?:what|which|who|whom|whose|how|when|where|why|whereabouts)\b"
    r"(?! (?:i|we) (?:can|could|will|"
    r"would|am|need|have|do not|did not|think|mean|see|know|would like|suggest|want|usually|"
    r"normally|typically)\b)(?! about\b)(?! else (?:can|could|may|should|is there|do you need|"
    r"would you like)\b)",
    re.I,
)
_YN = re.compile(
    rf"^{FILLER}(?:do|does|did|are|is|am|was|were|can|could|may|might|would|will|should|"
    r"have|has|any|anything|anyone|got|still)\b",
    re.I,
)
_FRAME = re.compile(
    r"\b(?:can|could|may|might) i (?:also |just |please |quickly |now |still )?(?:get|have|grab|"
    r"take|ask|confirm|verify|check|trouble you for|bother you for)\b"
    r"|\b(?:can|could|would|will) you (?:please |kindly |just |also |quickly |maybe )?(?:tell|give|"
    r"share|remind|confirm|verify|spell|say|read|repeat|provide|send|text|walk|let me know|"
    r"fill me in|run me through|go over|talk me through|help me|clarify|describe|explain)\b"
    r"|\byou can (?:tell|give|share|say)\b|\bplease can you\b|\bcan you please\b"
    r"|\b(?:please|kindly) (?:tell|give|share|confirm|remind|spell|provide|say|send|verify|"
    r"let me know|write|type|read|explain|describe|walk me through|inform)\b"
    r"|\bi (?:will |would |do |also |just |still |really |am going to |am gonna |will also |"
    r"would also |would just |will just |will still |definitely )?(?:need|want|have to|got to|"
    r"must|require)\b(?! to (?:send|email|call|text|mail|give|make|put|let|tell|run|check if|"
    r"see if|transfer|place|hand|get you|get this|get that|get it|pull))"
    r"|\bi would (?:also |just |really )?(?:like|love|want) (?:to (?:know|get|ask|understand|hear|"
    r"have|grab|confirm|"
    r"verify|check|collect|take|note|learn|find out|get a sense)|your|the|a|an)\b"
    r"|\blet us (?:get|grab|have|take|start with|do|go with)\b|\b(?:can|could|may) we (?:get|have|"
    r"grab|take|start with)\b|\bi was (?:hoping|wondering if i could|going) to (?:get|grab|ask|"
    r"have)\b|\b(?:are|would) you (?:be )?able to (?:give|tell|share|provide|confirm)\b"
    r"|\b(?:gonna|going to) need\b|^(?:also |just |and |so |okay |ok |now |then )*need\b"
    r"|\bneed (?:your|a|an|the|to know|to get|to ask|you to)\b"
    r"|\b(?:drop|shoot|send|text|email|pass|give) me (?:your|a|an|the|one)\b"
    r"|\b(?:tell|give|remind|show) me\b|\blet me (?:get|grab|have|take|ask|confirm)\b"
    r"|\blet me know\b(?! (?:if|when|whether you (?:have|need|want)|once|in case|how it|what you "
    r"think)\b)"
    r"|\bi did not (?:quite )?(?:catch|get|hear)\b|\bi missed\b"
    r"|\bi am (?:required|supposed|obliged|meant) to ask\b|\bi (?:have|need) to ask\b"
    r"|\brefresh my memory\b|\bwalk me through\b|\bfill me in\b|\bhelp me understand\b"
    r"|\btalk (?:me through|to me)\b|\brun me through\b|\bclue me in\b|\bbring me up to speed\b"
    r"|\bit (?:would|will|might) (?:really |also )?help(?: me| us|s)? (?:to (?:know|have|get|"
    r"understand)|if you)\b|\bit would be (?:really |very |super )?helpful\b"
    r"|\b(?:any idea|do you know|do you happen to know|do you remember|would you know|you know "
    r"(?:roughly|what|how|when|who|which))\b|\b(?:do|would) you (?:have|got) (?:any )?idea\b"
    r"|\b(?:i am|just|i was) curious\b|\bi (?:was )?wonder(?:ed|ing)?\b|\bout of curiosity\b"
    r"|\byou will (?:have|need) to (?:remind|tell|give|share)\b|\b(?:do you |would you )?mind "
    r"(?:sharing|telling|giving|spelling|reading|if i ask|me asking)\b"
    r"|\bgive me (?:a sense|an idea)\b|\bif you could (?:give|tell|share|remind|let|walk)\b"
    r"|\bi would (?:love|like) to (?:understand|hear|know)\b"
    r"|\bgo ahead and (?:tell|give|spell|share|read|say|confirm|send)\b"
    r"|\b(?:i|we) (?:will|would|have to|need to|got to|must) (?:(?:just|quickly|also|still|"
    r"real quick|first) )*(?:grab|get|take|collect|ask|confirm|"
    r"verify|note|jot down|write down|put down)\b(?! (?:back|this|that|it|started|going|you a|you "
    r"the|you an|a quote|the quote|the forms?|the application|the policy|the ball|things))",
    re.I,
)
# A bare noun phrase said as a question: determiner, adjectives and a noun, no verb after it.
_FRAGMENT = re.compile(
    rf"^{FILLER}(?:and |so |also |then |now |plus )*(?:(?:your|the|a|an|any|that|this) )?"
    r"(?:(?:full|first|first and last|last|legal|best|good|preferred|current|cell|mobile|phone|"
    r"callback|contact|insurance|face|smoking|tobacco|"
    r"home|work|daytime|email|dwelling|liability|auto|coverage|policy|birth|new|main|personal|"
    r"primary|direct)\s+)*"
    r"(?:name|number|phone|cell|email|e male|email address|date of birth|birth ?date|birthday|dob|"
    r"best time|good time|best way|"
    r"age|state|limits?|dwelling|coverage|coverage amount|carrier|insurer|insurance company|"
    r"tobacco|smoking|timeline|timing|deadline|year|height|weight|address|occupation|"
    r"beneficiary|vin|make|model|budget|premium|amount|status|use|limit|zip|zip code|city)\b"
    r"(?! (?:is|are|was|were|"
    r"has|have|had|will|"
    r"would|looks|seems|came|went|goes|should|can|could|does|did|i|we|they|it|that is)\b)",
    re.I,
)
_SUBORDINATE = re.compile(
    r"\b(?:so|because|since|in case|if|when|before|after|while|then|as soon as)\b", re.I
)
# What may follow a bare noun phrase in a typed question ("Email for the quote?").
_FRAGMENT_NEXT = re.compile(
    r"(?:\s*$|[\s,]+(?:please|again|for|on|as|so|and|or|too|also|then|real|quick|if|in|to|from|"
    r"you|that|where|with|of|here|there|now|today|first|instead|at|by|under|i|we|just|the|a|an|"
    r"your|date|name|number|email|phone|state|birthday|dob|is what|what|which|how|who|once|"
    r"day|month|year|mister|ms|mr|mrs|miss|kindly|one|ma|sir|roughly|exactly|handy)\b)",
    re.I,
)
# A verb after the noun phrase (not in a relative clause "you live in") makes it a statement:
# "the state you are in has a minimum", "your date of birth affects the rate".
_FINITE_AFTER = re.compile(
    r"(?<!\byou )(?<!\bwe )(?<!\bi )(?<!\bthey )(?<!\bto )(?<!\bit )(?<!\bwhat )(?<!\bthat )"
    r"(?<!\bwho )(?<!\bwhich )(?<!\bhow )(?<!\bwhere )(?<!\bwhen )(?<!\bshe )(?<!\bhe )"
    r"\b(?:has|have|had|is|are|was|were|will|"
    r"affects?|makes?|means|matters|looks|seems|goes|comes|came|went|gets|got|requires|needs|"
    r"changes|helps|counts|shows|stays)\b",
    re.I,
)


def is_fragment(clause: str) -> bool:
    """A bare noun phrase ("your date of birth please", "Email for the quote?")."""
    return bool(_FRAGMENT.search(clause))


# "and your full name is" — the producer leaves the value for the caller to say.
_TRAILING_IS = re.compile(
    rf"^{FILLER}(?:and |so )*(?:your|the) .{{0,40}}\b(?:is|was|would be)$", re.I
)
# "you have email address" — a yes/no question said without the auxiliary.
_YOU_HAVE = re.compile(
    rf"^{FILLER}you (?:have|got) (?:now |currently |already |right now )?(?:an? |any |some )?"
    r"(?:(?:other|existing|current|renters|homeowners|home|auto|life|umbrella|group|extra) )*"
    r"(?:e-?mail|email address|phone|"
    r"number|cell|insurance|coverage|policy|life insurance|anything else|anything besides|renters|"
    r"homeowners|umbrella)\b"
    r"(?! (?:with|through|from|at|on file)\b)"
    rf"|^{FILLER}you (?:carry|have|got) (?:anything|any other|something)\b"
    rf"|^{FILLER}you (?:on|still on|still with) (?:your|a|the|any)\b"
    rf"|^{FILLER}you (?:a |an )?(?:smoker|nonsmoker|tobacco user|vaper)\b"
    rf"|^{FILLER}you (?:still )?(?:use|smoke|vape|chew|dip) (?:any|anything|at all|much|tobacco|"
    r"cigarettes|nicotine)\b"
    rf"|^{FILLER}you (?:\w+ ){{1,4}}at all$",
    re.I,
)
# "morning or afternoon better for that appointment" — an alternative put as a question.
_EITHER_BETTER = re.compile(
    rf"^{FILLER}(?:\w+ ){{0,2}}\w+ or (?:\w+ ){{0,2}}(?:better|best|easier|works?|good|preferable)"
    r"\b",
    re.I,
)
# "I'll send the confirmation to your email tonight?" is a statement said with a rise.
_I_WILL = re.compile(
    rf"^{FILLER}(?:i|we) (?:will|am going to|are going to|can|could|shall|have|had|just|already|"
    r"sent|emailed|called)\b|^{FILLER}(?:let me|i am)\b",
    re.I,
)
# "the house is in what state", "your home insurance is with who": a wh-word left in place.
_IN_SITU_WH = re.compile(
    r"\b(?:is|are|was|in|with|from|at|on|by|for) (?:what|who|whom|which|where|when)\b(?! (?:i|we) "
    r"(?:can|will|need)\b)|\bis what(?: again| exactly| now| then)?\s*$",
    re.I,
)
# "you want the hundred three hundred hundred or were you thinking lower" — a choice said as a
# statement; "you smoke or" trailing off.
_SAID_CHOICE = re.compile(
    rf"^{FILLER}(?:you|your|the|this|it|that)\b.*\bor\b(?! (?:so|not sure what)\b)|\bor\s*$",
    re.I,
)
_WHETHER = re.compile(
    rf"^{FILLER}(?:whether|if|how much|how many|how soon|what|which|who|when|"
    r"where)\b",
    re.I,
)
# The subordinate tail of an ask: its field words are not asked for.
_TAIL = re.compile(
    r"\s+(?:(?:just )?in case|just so i have it|for my (?:notes|records)|(?<!just )so (?:that )?"
    r"(?:i|we|you|the|they|underwriting|it) (?:can|could|"
    r"will|would|may|know|have|get|do)|because|since|as soon as|once (?:i|we|you|the)|"
    r"(?:so|and) then (?:i|we)|then (?:i|we) (?:can|will|could)|while (?:i|we)|"
    r"for (?:the |your )?(?:quote|illustration|application|paperwork|endorsement|claim|"
    r"verification|security|discount|driver rating|refund)\b(?! (?:to|sent)))",
    re.I,
)
_DECLARATIVE_WH = re.compile(
    r"^(?:that is|this is|it is|here is|which is|is) (?:how|what|why|where|when)\b"
    r"|^(?!(?:\w+ )?(?:what|how|why|where|when|who|which|is|are|was|do|did)\b)(?:[\w/$,.-]+ ){1,4}"
    r"(?:is|was)"
    r" (?:how|what|why) (?!(?:is|are|was|do|did|would|can)\b)(?!(?:again|exactly|now|then)?\s*$)",
    re.I,
)


AskKind = Literal["frame", "wh", "yn", "question", "fragment", "embedded"]


def ask_scope(
    clause: str, question: bool, asked_before: bool, asserted: bool = False
) -> tuple[AskKind, str] | None:
    """How ``clause`` asks the caller something and the part that asks, or None for a
    statement.

    ``question``: the clause is the question of its sentence ("?" at its end); ``asked_before``:
    an ask frame opened earlier in the sentence, so an embedded question or a bare noun phrase
    here continues it ("could you tell me your name, and whether you smoke"); ``asserted``: the
    sentence ends with a full stop, so statement-shaped questions of unpunctuated speech ("you
    want the home or the car") are statements here."""
    frame = _FRAME.search(clause)
    start = frame.start() if frame else 0
    tail = _TAIL.search(clause, start + 1)
    body = clause[: tail.start()] if tail else clause
    if _DECLARATIVE_WH.search(body):
        return None
    if _WH.search(body):
        return "wh", body
    if frame:
        whole = _YN.search(body) or question or _FRAGMENT.search(body)
        return "frame", body if whole else body[frame.start() :]
    if _YN.search(body) or (not asserted and _YOU_HAVE.search(body)):
        return "yn", body
    frag = _FRAGMENT.search(body)
    if frag and (
        # a typed statement ("Your date of birth affects the rate.") is read strictly; a run-on
        # transcript without punctuation is not
        not asserted
        or (
            _FRAGMENT_NEXT.match(body, frag.end())
            and not _FINITE_AFTER.search(_SUBORDINATE.split(body[frag.end() :], maxsplit=1)[0])
        )
    ):
        return "fragment", body
    if (
        (question and not _I_WILL.search(body))
        or _TRAILING_IS.search(body)
        or (not asserted and _EITHER_BETTER.search(body))
        or (not asserted and _IN_SITU_WH.search(body))
        or (not asserted and _SAID_CHOICE.search(body) and not _I_WILL.search(body))
    ):
        return "question", body
    if asked_before and _WHETHER.search(body):
        return "embedded", body
    return None


_HONORIFIC = (
    r"(?:(?:mr|mrs|ms|miss|mister|dr|sir|madam|ma'am|señora|señor|senora|senor|señorita|sra|sr|"
    r"doña|dona|madame|mademoiselle)\.?\s+)?"
)


def strip_vocatives(sentence: str, caller_name: str | None) -> str:
    """The sentence without the caller's name said to them ("whats your email walter")."""
    tokens = [t for t in re.findall(r"[A-Za-z][A-Za-z'-]+", caller_name or "") if len(t) > 1]
    if not tokens:
        return _POLITE.sub(" ", sentence).strip(" ,")
    names = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    rx = re.compile(
        rf"(?<!\bis this )(?<!\bwith )(?<!\bto )(?<!\bas )(?<!\bam i )\b{_HONORIFIC}"
        rf"(?:{names})(?:\s+(?:{names}))*\b(?!')\s*,?",
        re.I,
    )
    out = _POLITE.sub(" ", rx.sub(" ", sentence))
    return re.sub(r"\s+", " ", re.sub(r"\s+([,?.!])", r"\1", out)).strip(" ,")


# "sir", "ma'am" said to the caller, wherever they fall.
_POLITE = re.compile(r"(?<!\bthe )\b(?:sir|ma'?am|ma am|madam|maam)\b\s*,?", re.I)


# In a statement said as a question ("so it was your brother who sent you our way?") a
# wh-word inside the clause opens a relative clause, not a question.
_RELATIVE_WH = re.compile(r"(?:who|what|how|when|where|which|why)\b", re.I)
_IN_SITU = re.compile(
    r"(?:^|\b(?:in|with|from|at|on|is|are|was|were|be|by|for|to|about|and|so|okay|ok|now|"
    r"then|um|uh|you))\s+$",
    re.I,
)


def relative_wh(text: str, m: re.Match[str]) -> bool:
    """A wh-word after a noun opens a relative clause ("your brother who sent you"); after a
    preposition or verb it is an in-situ question ("and you are in which state?")."""
    return bool(_RELATIVE_WH.match(m.group(0))) and not _IN_SITU.search(text[: m.start()])


# Yes/no questions that still ask for the detail ("do you have your number handy?").
YN_ASKS = re.compile(
    r"^(?:(?:and|so|okay|ok|now|also|sorry|um|uh)\s+)*(?:(?:do|would|did) you|you) (?:have|happen "
    r"to have|know|remember|recall|have got|got)\b",
    re.I,
)


# A proposal that hands the choice back ("want me to call or email or what works for you").
ASKS_BACK = re.compile(
    r"\bor what (?:works|is better|would you like|do you prefer)\b|\bwhat works (?:best |better )?"
    r"for you\b|\b(?:which|what) (?:one )?(?:is|would be|works|do you prefer|would you prefer|"
    r"is easiest|is easier|is better|is best)(?: better| best| easiest| easier)?(?: for you)?\s*"
    r"[?.]?\s*$",
    re.I,
)
