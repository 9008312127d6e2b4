"""The shape of a producer's turn: sentences, clauses, checks, negation and whose detail.

Works on canonical text (:func:`roleplay.spoken.canonical`). It models:

* **sentences and clauses**: punctuation where there is some; in a transcript without any,
  a question start after a statement ("... right and what is your email") opens a clause;
* **questions by form**: a clause that starts with a wh-word or an auxiliary and a subject
  ("what is your number", "do you smoke", "any tobacco") is a question with or without "?";
* **checks**: what turns a statement into a read-back the caller is invited to confirm: end
  tags ("right?", "yes?", "no?"), negative tags ("isn't it", "don't you", "wasn't it"),
  "is that right", "did I get that right", "still good?", and statement frames such as "I take
  it" or "correct me if I'm wrong". A sentence that is only a check ("Did I miss anything?")
  confirms what the sentence before it read back;
* **negation scope**: "I won't make you repeat your birthday", "no need to give me your
  number" ask nothing;
* **whose detail**: a detail of the caller, of someone else ("your wife's date of birth", "how
  old is your daughter") or of the producer ("my direct line", "reach me at").
"""

from __future__ import annotations

import re
from typing import Literal

Owner = Literal["caller", "other", "producer"]

__all__ = [
    "BARE_CHECK",
    "CHECK",
    "CHECK_ONLY",
    "FILLER",
    "THAT_CHECK",
    "WH_AUX",
    "is_question",
    "negated",
    "owner",
    "sentences",
    "subclauses",
]

WH_AUX = (
    r"what|who|whom|whose|how|when|where|which|why|do|does|did|are|is|am|was|were|can|could|"
    r"may|might|would|will|should|shall|have|has|any|still"
)
FILLER = (
    r"(?:(?:and|so|or|ok|okay|now|then|sorry|great|also|just|first|first off|first up|well|hi|"
    r"please|kindly|"
    r"roughly|approximately|exactly|honestly|quick|"
    r"hey|hello|thanks|thank you|right|alright|all right|perfect|quickly|but|um|uh|oh|lastly|"
    r"finally|next|real quick|quick question|before we start|before we go|out of curiosity|"
    r"got it|gotcha|cool|awesome|excellent|wonderful|lovely|fantastic|sure|yes|yeah|no|"
    r"understood|for starters|to start|to begin|to start with|one more thing|last thing|"
    r"for the file|for the record|for the application|and then|plus|also too|now then|"
    r"just so i have it|so i have it|for my notes|for my records|before i run anything|"
    r"good morning|good afternoon|good evening|hi there|hello there|"
    r"before i forget|before we go on|i know you went through this already but|"
    r"mm|hm|ah|let us see|by the way|while i have you|before i forget|quick one)[,]?\s+)*"
)

# A check invites a yes/no on something stated as known.
_TAG = (
    r"(?:right|correct|yes|yeah|yep|no|ok|okay|true|accurate|fair|am i right|that right|"
    r"is that right|right or wrong|yeah or no|or not|am i close|sound right|sounds right|"
    r"sound about right|sounds about right|that sound right|that correct|correct or not|"
    r"if i am not mistaken|unless i am mistaken|i think|i believe|i assume|i presume|"
    r"i gather|i take it|still|i hope|is that so|is not that so|is that not so)"
)
_NEG_TAG = (
    r"(?:is|are|was|were|do|does|did|have|has|had|will|would|can|could|should) not "
    r"(?:it|that|this|you|they|there|he|she|we|i)"
    r"|(?:is|are|was|were|do|does|did|have|has|will|would|can|could) (?:it|that|this|you|they|"
    r"there|we)"
)
CHECK = re.compile(
    rf"(?:^|[\s,])(?<!\bit )(?<!\bthat )(?<!\bthis )(?<!\bthem )(?<!\bthings )(?<!\bdone )"
    rf"(?<!\beverything )(?:{_TAG})\s*[?!.]*\s*$"
    r"|\b(?:is|are|was|were|do|does|did|have|has|will|would|can|could) not (?:it|that|this|you|"
    r"they|there|he|she|we)\s*[?!.]*\s*$"
    r"|\b(?:right|correct|yes|yeah)\b(?! (?:now|away|here|there|after|before|back|off|up|when|"
    r"then|on|in|at|to|for|one|ones|person|people|place|thing|number|way|amount|time|coverage|"
    r"policy|department|price|rate|side|choice|fit|address|email)\b)(?:\s+[\w']+){1,3}\s*[?!.]*\s*$"
    rf"|(?:,|\b(?:\w+) not\b.*?)\s*(?<!\bwho )(?<!\bwhat )(?<!\bwhich )(?<!\bwhere )"
    rf"(?<!\bwhen )(?:{_NEG_TAG})\s*[?!.]*\s*$"
    r"|\bis (?:that|this|it) what (?:happened|is going on|is happening|you mean|you meant|you "
    r"need|you want|you are after)\b|\b(?:that is|is that) what you (?:said|told|mentioned|wanted|"
    r"meant|asked for|told the assistant)\b"
    # "you want it in place before the closing next month, that the timeline?": a read-back
    # closed by "(is) that the <noun>?", the noun's field checked, not asked
    r"|,\s*(?:is )?that (?:still )?(?:the|your) (?:\w+ ){0,2}?(?:timeline|plan|timing|deadline|"
    r"date|number|email|address|name|state|amount|limit|limits|coverage|carrier|company|reason|"
    r"idea|goal|situation|story|way)\s*\?\s*$"
    r"|\bis (?:that|this|it|all that|all of that|everything) (?:still )?(?:right|correct|"
    r"accurate|true|the case|fair|what you|about right|up to date|current|good|okay|ok|"
    r"how you|where you|still)"
    r"|\b(?:did|have) i (?:get|got|have|capture|captured|note|noted|write|written|hear|heard|"
    r"understand|understood) (?:that|it|all that|all of that|this|everything|you|those|"
    r"these|them)?\s*(?:right|correct|correctly|down right)\b"
    r"|\bdid i (?:miss|leave out|get wrong) (?:anything|something)\b|\banything i (?:missed|"
    r"got wrong|have wrong)\b"
    r"|\bstill (?:true|accurate|correct|right|good|valid|current|the (?:best|plan|case|amount|"
    r"one|right|number|figure|idea|goal|way)|work\w*|sound\w* right|best|ok|okay|fine|on|stand\w*|h"
    r"old\w*|apply|applies)\b"
    r"|\b(?:does|do) (?:that|this|it|all that) (?:still )?(?:work|sound right|sound correct|"
    r"sound about right|match|line up|ring true|check out)\b|\bsounds? (?:about )?right\b"
    r"|\b(?:correct|stop) me if\b|\bif i am not mistaken\b|\bunless i am mistaken\b"
    r"|\bi take it\b|\bam i right\b|\bam i correct\b|\bif i am reading (?:this|that|it|my "
    r"notes|the notes) (?:right|correctly)\b|\bif i (?:have|have got|got) (?:my|the) notes right\b"
    r"|\bif i understood (?:the system|the notes|you|that|it) (?:correctly|right)\b"
    r"|\bi am guessing\b|\bif memory serves\b|\bif i (?:have|heard|understood|got) "
    r"(?:that|this|it|you) (?:right|correctly)\b|\bam i (?:getting|reading) (?:that|this) "
    r"right\b|\bhave i got (?:that|it|this|everything|all that) right\b"
    r"|\bcan you (?:confirm|verify) (?:that|this|it|for me that|that is|those|these)\b"
    r"|\bjust to (?:confirm|verify|double.check|make sure|check)\b"
    r"|\b(?:wanted|want|going) to (?:confirm|verify|double.check)\b(?! (?:your|you|a|an|"
    r"the best|what|which|how|who|when|where)\b)"
    r"|\bconfirm (?:that|this|it) is\b|\bthat is still\b|\bis that still\b",
    re.I,
)
# A bare noun phrase after a read-back of the same field checks it ("... for you. Best
# number?", "good number", "still the right email?").
BARE_CHECK = re.compile(
    r"^(?:(?:and|so|okay|ok|is that|that|is it|it is|that is)\s+)?(?:still\s+)?(?:the\s+|your\s+)?"
    r"(?:best|good|right|correct|same|current|preferred|main)\s+[\w-]+(?:\s+still)?\s*[?.!]*$",
    re.I,
)
# A sentence that is only a check: it confirms what the previous sentence read back.
CHECK_ONLY = re.compile(
    rf"^{FILLER}(?:(?:did|have) i (?:get|got|have|capture|note|hear) (?:that|it|all that|all "
    r"of that|this|everything|those|all of those|all of it|you)(?: all)? (?:right|correct|"
    r"correctly|down)"
    r"|(?:did|have) i (?:miss|missed|leave out|left out|get wrong|got wrong) (?:anything|"
    r"something)(?: there)?"
    r"|(?:is|was) (?:that|this|it|all that|all of that|everything|all of this|that all) (?:all )?"
    r"(?:still )?(?:right|correct|accurate|true|the case|about right|up to date|good|current)"
    r"|(?:does|do) (?:that|this|it|all that|all of that|everything) (?:all )?(?:still )?"
    r"(?:sound|look) (?:about )?(?:right|correct|good|accurate)"
    r"|(?:is that|was that) (?:the gist|the main thing|the picture|a fair summary|everything|it|"
    r"about it|the story)"
    r"|(?:right|correct|yes|yeah|okay|ok|am i right|sound right|sounds right|sound about right|"
    r"that right|that correct|all correct|all good|accurate|true|is that so|still good|still "
    r"accurate|still correct|still right|still true|any changes|anything changed|anything i "
    r"missed|anything wrong|anything to correct|anything to fix|have i got that right|"
    r"am i correct|correct me if i am wrong|tell me if (?:i got|that is) (?:anything|something)"
    r"? wrong|close enough|am i close|is that (?:still )?the case))\s*[?!.]*\s*$",
    re.I,
)

# A yes/no question about what the previous sentence stated ("Renewal's in three weeks. That
# still the timeline?", "The lease starts on the first. Is that the date we're working toward?"):
# the demonstrative points back, so the field noun in it checks the statement.
THAT_CHECK = re.compile(
    rf"^{FILLER}(?:is |was |would |will )?(?:that|this) (?:is |would be |will be )?(?:still |"
    r"also |really |then )?(?:the|your|our|when|what|how soon|how|who|where)\b",
    re.I,
)

_SENTENCE_END = re.compile(
    r"(?<=[?!])\s*|(?<!\bmr\.)(?<!\bmrs\.)(?<!\bms\.)(?<!\bdr\.)(?<!\bst\.)(?<=[a-z0-9)\]\"']\.)"
    r"(?!\w)\s*"
    r"|\s*;\s*",
    re.I,
)
# In unpunctuated speech a question start after a tag opens a new sentence:
# "you are in ohio right and what is your email".
_TAG_BREAK = re.compile(
    r"\b(right|correct|yes|yeah|okay|ok)\s+(?=(?:and |so |now |also |then |but )*"
    r"(?:what|who|how|when|where|which|do you|did you|are you|can i|could i|could you|can you|"
    r"is there|is that|any|may i|would you|have you|i will need|i need|let me)\b)",
    re.I,
)
_SUBCLAUSE_SPLIT = re.compile(
    rf"\s*[,:]\s*|\s+(?:and|or|but|then|so|plus|also)\s+(?=(?:also |then |just |um |uh )*"
    rf"(?:{WH_AUX}|tell me|give me|let me|i will need|i need|i would need)\b)",
    re.I,
)
# A bare wh-word opening a new question inside a run-on transcript ("... thanks what is your
# number"), unless it heads an embedded question ("tell me what is going on").
_BARE_WH = re.compile(
    r"\s+(?=(?:who|which)(?: \w+){0,2}? (?:is|are|am|was|were|do|does|did|would|should|can|could|"
    r"will|has|have)\b|(?:what|how|when|where|why)\b(?! (?:i|we) (?:can|could|will|would|need|"
    r"have|do|think|mean)\b))",
    re.I,
)
_EMBEDDING = re.compile(
    r"\b(?:of|about|know|me|explain|ask|is|see|understand|sure|say|tell|remember|on|in|like|"
    r"wonder|wondering|curious|asking|idea|through|over|to|and|or|but|so|exactly|clue|sense|"
    r"find out|figure out|check|confirm|verify|note|share|that|just|again|first|quickly|briefly|"
    r"a bit|a little|more|also|please|kindly)$",
    re.I,
)
_QUESTION_START = re.compile(
    rf"^{FILLER}(?:{WH_AUX}|you smoke|you use|you vape|you with|you got|you have|your \w+ "
    r"is)\b",
    re.I,
)


def sentences(text: str) -> list[str]:
    """Sentences of a canonical turn (punctuation first, then question starts after tags)."""
    text = _TAG_BREAK.sub(r"\1. ", text)
    parts = _SENTENCE_END.split(text)
    return [p.strip(" ,") for p in parts if p and re.search(r"\w", p)]


# "so you found us online was it google or" — an auxiliary and a pronoun opening a question
# after a statement of three words or more.
_BARE_AUX = re.compile(
    r"\s+(?=(?:was|is) it\b|(?:did|do|are|have|were|would|could|can) you\b|(?:did|has|does|"
    r"was) (?:someone|anyone|somebody|anybody)\b|(?:is|was) (?:this|that|there)\b|are we\b)",
    re.I,
)
_AUX_AFTER = re.compile(
    r"(?:what|who|how|when|where|which|how much|how many|how soon|how long)(?: \w+){0,2}? (?:is|"
    r"are|am|was|were|do|does|did|would|should|can|could|will|has|have|may|might|shall)\b",
    re.I,
)
_HEAD_WH = re.compile(r"\b(?:what|who|how|when|where|which|why|whether|if)\b", re.I)


def _split_bare_wh(clause: str) -> list[str]:
    out, start = [], 0
    marks = sorted(
        [(m, "wh") for m in _BARE_WH.finditer(clause)]
        + [(m, "aux") for m in _BARE_AUX.finditer(clause)],
        key=lambda x: x[0].start(),
    )
    for m, how in marks:
        head = clause[start : m.start()]
        if how == "aux" and (len(head.split()) < 3 or _HEAD_WH.search(head)):
            continue
        if how == "wh" and len(head.split()) < 3 and not _AUX_AFTER.match(clause[m.end() :]):
            continue
        if len(head.split()) >= 2 and not _EMBEDDING.search(head):
            out.append(head)
            start = m.end()
    out.append(clause[start:])
    return out


def subclauses(sentence: str) -> list[str]:
    """Clauses of a sentence: commas, and a conjunction or bare wh-word opening a question."""
    body = sentence.rstrip("?!. ")
    out: list[str] = []
    for c in _SUBCLAUSE_SPLIT.split(body):
        if c and c.strip():
            out.extend(x.strip() for x in _split_bare_wh(c.strip()) if x.strip())
    return out


def is_question(sentence: str) -> bool:
    """A question by punctuation or by form (a wh-word or auxiliary opening a clause)."""
    if sentence.rstrip().endswith("?"):
        return True
    return any(_QUESTION_START.search(c) for c in subclauses(sentence))


# --------------------------------------------------------------------------------------------
# Negation scope
# --------------------------------------------------------------------------------------------

_NEGATOR = re.compile(
    r"\b(?:i|we) (?:will|would|do|am|are|shall|should|have|had) not\b"
    r"|\b(?:i|we) did not\b(?! (?:quite )?(?:catch|get|hear|see|write|note|take)\b)"
    r"|\b(?:i|we) (?:will |would |do )?never\b"
    r"|\bno (?:need|reason|point) (?:to|for)\b|\bnot (?:going|about) to (?:ask|make|have you|"
    r"bother|put you)\b"
    r"|\b(?:do|does|will|would) not need\b"
    r"|\b(?:you|u) (?:do|will|would|should|shall) not (?:need|have|got) to\b|\b(?:you|u) "
    r"(?:do|will|would) not (?:be asked|need)\b|\bdo not (?:need|have) to\b"
    r"|\bwithout (?:asking|making|having)\b|\bdo not (?:worry|bother) (?:about|with|giving|"
    r"telling|repeating)\b|\bno need\b|\bnot (?:ask|asking) (?:you|for)\b|\bskip (?:the|asking)\b"
    r"|\bspare you\b|\bsave you (?:from|the)\b|\bnot make you\b|\bwill not ask\b"
    r"|(?<!\bso )\bi (?:already )?(?:have|got|have got) (?:it|that|those|them|all that|everything)"
    r"\b",
    re.I,
)


def negated(clause: str, start: int) -> str | None:
    """The negator whose scope covers the words at ``start`` in ``clause`` (or None).

    Scope runs from the negator to the end of its clause: "I won't make you repeat your
    birthday" asks for nothing; in "if you do not mind, what is your number" the negation
    sits in another clause."""
    for m in _NEGATOR.finditer(clause):
        if m.start() < start:
            between = clause[m.end() : start]
            if not re.search(r"\b(?:but|so|however|though|what|instead)\b", between, re.I):
                return m.group(0)
    return None


# --------------------------------------------------------------------------------------------
# Whose detail
# --------------------------------------------------------------------------------------------

_KIN = (
    r"(?:wife|husband|spouse|partner|son|daughter|kid|kids|child|children|mom|mum|mother|dad|"
    r"father|parents?|brother|sister|sibling|friend|neighbou?r|boss|co-?worker|colleague|"
    r"previous owners?|prior owners?|old owners?|owners?|seller|sellers|buyer|buyers|"
    r"fianc[eé]e?|boyfriend|girlfriend|roommate|grand(?:son|daughter|child|kids|children|"
    r"mother|father|ma|pa)|teen(?:ager)?|aunt|uncle|cousin|niece|nephew|in-laws?|"
    r"beneficiar(?:y|ies)|co-?signer|co-?applicant|other driver|drivers?|dependents?|family "
    r"member|household member|landlord|tenant|realtor|lender|loan officer|baby|newborn|"
    r"step(?:son|daughter|kids)|fiance|family|significant other|better half|employee|"
    r"business partner|other half|loved one|folks|old man|old lady|hubby|officer|agent|broker|"
    r"adjuster|lawyer|attorney|accountant|bookkeeper|employer|manager|supervisor|contractor|"
    r"mechanic|doctor|inspector|appraiser|underwriter|assessor|surveyor|dealer|dealership)"
)
_OTHER_POSSESSOR = re.compile(
    rf"\b(?:(?:your|the|his|her|their|my|a|our|each|any) (?:\w+ )?{_KIN}(?:'s|s'|s)?|his|her|"
    rf"their|[a-z]+'s)\s+(?:\w+\s+){{0,3}}$",
    re.I,
)
_MINE_POSSESSOR = re.compile(r"\b(?:my|our|mine)\s+(?:\w+\s+){0,2}$", re.I)
_YOUR_POSSESSOR = re.compile(r"\b(?:your|yours)\s+(?:\w+\s+){0,2}$", re.I)
_OTHER_IN_CLAUSE = re.compile(
    rf"\b(?:(?:your|the|his|her|their|a|each|any|our) (?:\w+ )?{_KIN}(?:'s|s')?|he|she|him|"
    r"anyone else|anybody else|everyone else|whoever|"
    rf"his|her|hers|they|them|their|each of them|both of them)\b",
    re.I,
)
_CALLER_IN_CLAUSE = re.compile(
    rf"\b(?:you|yours|yourself)\b|\byour\b(?! (?:\w+ )?{_KIN})|\bi (?:reach|call|text|email)\b",
    re.I,
)
_PRODUCER_IN_CLAUSE = re.compile(
    r"\b(?:reach|call|text|email|contact|message|ring) me\b|\bme at\b|\bmy (?:direct |own |"
    r"office |work |cell |personal )?(?:line|number|cell|phone|email|extension|name|contact)\b"
    r"|\bour (?:office |main |toll.free |direct )?(?:number|line|email|phone)\b",
    re.I,
)


_OF_OTHER = re.compile(
    rf"^(?:\s+(?:and|or|&)\s+(?:(?!your\b|my\b|his\b|her\b)\w+\s+){{0,3}}?"
    rf"(?!your\b|my\b|his\b|her\b)\w+)?\s+(?:of|for) (?:your|his|her|their|the|"
    rf"a|each) (?:\w+ )?{_KIN}\b",
    re.I,
)


# With "he"/"she" in the clause, "graces number" and "a number for marcus" are someone else's.
_THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|his|hers|they|them)\b", re.I)
_NAMED_POSSESSOR = re.compile(
    r"\b(?!(?:yours|its|his|hers|ours|theirs|this|is|was|has|does|plus|us|as|us|gas|bus|"
    r"always|perhaps|thanks|yes)\b)[a-z]+s\s+$",
    re.I,
)
_FOR_SOMEONE = re.compile(
    r"^\s+(?:for|of) (?!(?:you|me|us|the|a|an|your|this|that|it|now|today|work|later|"
    r"tomorrow|emergencies|the \w+)\b)[a-z]+\b",
    re.I,
)


# The word nearest the noun that says whose it is ("your best", "her", "maria's", "your wife").
_KIN_RX = re.compile(rf"(?:ex-?|step-?|late )?{_KIN}(?:'s|s'|s)?", re.I)
_STOP_SCAN = {
    "the", "a", "an", "and", "or", "is", "are", "was", "were", "what", "of", "to", "for", "with",
    "in", "on", "at", "me", "i", "we", "can", "could", "would", "get", "have", "give", "need",
}  # fmt: skip


def _nearest_owner(before: str) -> Owner | None:
    words = re.findall(r"[\w'-]+", before.lower())[-4:]
    for w in reversed(words):
        if w in ("your", "yours", "you", "yourself"):
            return "caller"
        if w in ("my", "our", "mine"):
            return "producer"
        if w in ("his", "her", "their", "he", "she", "they", "him", "them") or _KIN_RX.fullmatch(w):
            return "other"
        if w.endswith(("'s", "s'")) and w not in ("what's", "that's", "it's", "let's"):
            return "other"
        if w in _STOP_SCAN:
            return None
    return None


_ANYONE_ELSE = re.compile(r"\b(?:anyone|anybody|everyone|everybody) else\b", re.I)


def mentions_someone_else(text: str) -> bool:
    """The text names another person or the producer's own details, or negates an ask: a
    resemblance to a labelled request is not evidence then."""
    return bool(
        _OTHER_IN_CLAUSE.search(text)
        or _PRODUCER_IN_CLAUSE.search(text)
        or _NEGATOR.search(text)
        or _ANYONE_ELSE.search(text)
        or any(_KIN_RX.fullmatch(w) for w in re.findall(r"[\w'-]+", text.lower()))
    )


def owner(clause: str, start: int, end: int | None = None) -> Owner:
    """Whose detail the words at ``clause[start:end]`` are: the caller's (the default),
    someone else's, or the producer's own. The nearest possessor decides ("her dob and your
    email": the e-mail is the caller's), then what the clause says about other people."""
    before = clause[:start]
    words = clause[start:end] if end is not None else clause[start:]
    if _ANYONE_ELSE.search(before):
        return "other"
    if re.search(rf"\byour (?:\w+ )?{_KIN}\b", words, re.I):
        return "other"
    near = _nearest_owner(before)
    if near:
        return near
    if end is not None and _OF_OTHER.match(clause[end:]):
        return "other"
    third = _THIRD_PERSON.search(clause)
    if third and (
        _NAMED_POSSESSOR.search(before) or (end is not None and _FOR_SOMEONE.match(clause[end:]))
    ):
        return "other"
    if _YOUR_POSSESSOR.search(before) and not _OTHER_POSSESSOR.search(before):
        return "caller"
    if _OTHER_POSSESSOR.search(before):
        return "other"
    if _MINE_POSSESSOR.search(before):
        return "producer"
    others = _OTHER_IN_CLAUSE.search(clause)
    mine = _PRODUCER_IN_CLAUSE.search(clause)
    caller = _CALLER_IN_CLAUSE.search(_OTHER_IN_CLAUSE.sub(" ", clause))
    if others and not caller:
        return "other"
    if mine and not caller:
        return "producer"
    return "caller"
