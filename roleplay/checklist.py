"""The hand-off checklist by meaning: which checklist items one producer turn carries out.

A warm hand-off (AHRQ, I-PASS, adapted to sales) greets the caller by name, introduces the
producer as licensed, restates the reason in one line, invites a check, addresses the need,
states the next step and who owns it, and invites anything to add. Producers say these things
in many ways, typed or through speech-to-text (lower case, no punctuation, fillers, numbers as
words), so each recogniser looks for what the words *do*, not for a fixed phrase:

* **restatement**: the turn carries the content of the packet's ``reason_for_call`` — its
  content words, compared through stems and synonym groups ("billed twice" restates "charged
  twice"), enough of them to be that reason and not another — in the producer's first turns;
* **addresses the need**: a statement (not a question, not a request for a field) that names
  the need and explains it or resolves it ("…went up because…", "a business endorsement would
  cover it", "I've reset it");
* **next step and owner**: someone who does it (I, we, our claims team…) and a concrete action
  (email, book, call, start the application…); vague promises ("I'll look into it", "let me
  get that sorted") do not count, nor do negations, nor a hold ("can I put you on a brief
  hold?" pauses the call; it is no action on the caller's need);
* **licensed introduction**: the producer, singular or plural, as licensed ("we're licensed
  agents", "licensed producer here", "I'm licensed in Ohio"), never someone else's licence.

Every recogniser returns the words that satisfied it, so every tick has evidence. Requests
come from the detector's :class:`~roleplay.detect.Hit` list: a sentence that asks for a field
is never a restatement, an answer or a next step.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from roleplay.detect import Hit, normalise
from roleplay.vocabulary import (
    STOPWORDS,
    concepts,
    content_concepts,
    digits,
    keyword_hits,
    transcript_normalise,
)

__all__ = [
    "RESTATE_TURNS",
    "Unit",
    "addresses_need",
    "greets_by_name",
    "introduces_licensed",
    "invites_additions",
    "invites_confirm",
    "proposes_next_step",
    "restates_reason",
    "units",
]

RESTATE_TURNS = 3
"""A restatement counts in the producer's first this-many turns."""
GREET_TURNS = 2
"""A greeting by name counts in the producer's first this-many turns."""

_FILL = (
    r"(?:(?:um+|uh+|er+|so|ok|okay|oh|well|and|but|now|alright|right|great|sure|yeah|hey|hi|"
    r"sorry|first|also|just|please)\s+)*"
)
_WH = r"(?:what|who|whom|whose|how|when|where|which|why)\b"
_Q_START = re.compile(
    rf"^{_FILL}(?:{_WH}|(?:do|does|did|is|are|was|were|can|could|would|will|have|has|shall|"
    r"should|may|any|anything)\b)"
)
# Questions that ask the caller for something (wh-questions, "can you…", "tell me…") as
# opposed to yes/no checks on something said back.
_PROBE = re.compile(
    rf"^{_FILL}(?:{_WH}|(?:can|could|would|will) you\b|(?:can|could|may) i (?:get|have|grab|"
    r"take|ask)\b|tell me\b|give me\b|walk me\b|i (?:will |would |just )?need you to\b|"
    r"(?:i am )?(?:going to|gonna) need you to\b|do you (?:have|know|remember|mind)\b)"
    rf"|\b(?:and|or|so) {_WH}"
)
# A question starts a new clause even without punctuation ("… by five today whats your
# email"); in an unpunctuated transcript a first-person statement does too.
_QUESTION_CLAUSE = (
    r"(?:so |and |ok |okay |now )?(?:what is|what are|whats|who is|how (?:did|do|much|long|"
    r"soon)|when (?:did|do|is)|where (?:are|is|do)|do you|did you|are you|can you|could you|"
    r"would you|is there)\b"
)
_STATEMENT_CLAUSE = (
    r"(?:so |and |ok |okay |now )?(?:i will|i am going to|let me|we will|i can|i have)\b"
)
_CLAUSE_START = re.compile(rf"\s+(?={_QUESTION_CLAUSE})", re.I)
_TRANSCRIPT_CLAUSE_START = re.compile(rf"\s+(?={_QUESTION_CLAUSE}|{_STATEMENT_CLAUSE})", re.I)
_SENTENCE = re.compile(r"(?<=[?!.;])\s+|(?<=[a-z0-9)])\.(?=\s|$)|\s+-\s+", re.I)


@dataclass(frozen=True)
class Unit:
    """One sentence or clause of a producer turn."""

    raw: str
    """Lower-cased, contractions expanded, number words kept (for names and phrases)."""
    text: str
    """As ``raw`` with number words turned into digits (for reasons, amounts, times)."""
    question: bool
    asks: bool
    """The detector found a request for an intake field in it."""
    probe: bool = False
    """A question that asks the caller for something (not a yes/no check)."""
    check: bool = False
    """It asks the caller to confirm or correct ("…, right?", "did I get that right")."""


def units(text: str, hits: Sequence[Hit] = ()) -> list[Unit]:
    """Split a producer turn into sentences (and transcript run-ons into clauses)."""
    norm = transcript_normalise(normalise(text))
    splitter = _CLAUSE_START if re.search(r"[.?!,;:]", norm) else _TRANSCRIPT_CLAUSE_START
    pieces: list[str] = []
    for sentence in _SENTENCE.split(norm):
        sentence = sentence.strip(" ,")
        if not sentence:
            continue
        parts = splitter.split(sentence)
        # Keep clauses of at least three words; a short head stays with what follows.
        merged: list[str] = []
        for part in parts:
            if merged and len(merged[-1].split()) < 3:
                merged[-1] = f"{merged[-1]} {part}"
            else:
                merged.append(part)
        pieces += [p.strip() for p in merged if p.strip()]
    out: list[Unit] = []
    for piece in pieces:
        low = piece.lower()
        check = bool(_EXPLICIT_CHECK.search(low) or _TAG.search(low))
        out.append(
            Unit(
                raw=low,
                text=digits(low),
                question=low.rstrip().endswith("?") or bool(_Q_START.search(low)),
                asks=False,
                probe=bool(_PROBE.search(low)) and not check,
                check=check,
            )
        )
    asking: set[int] = set()
    for h in hits:
        if h.kind != "request":
            continue
        words = h.words.lower()
        where = [i for i, u in enumerate(out) if words and words in u.raw]
        if not where:  # a request we cannot place: every unit counts as asking
            asking = set(range(len(out)))
            break
        asked = [i for i in where if out[i].question or out[i].probe] or where
        asking.add(asked[-1])
    return [replace(u, asks=True) if i in asking else u for i, u in enumerate(out)]


# --------------------------------------------------------------------------------------------
# Greeting and licensed introduction
# --------------------------------------------------------------------------------------------


def greets_by_name(parts: Sequence[Unit], first_name: str, last_name: str) -> str | None:
    """The caller's first or last name appears (``Mr./Ms. Last``, lower case, counts)."""
    names = [n for n in (first_name, last_name) if n]
    if not names:
        return None
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n.lower()) for n in names) + r")\b")
    for u in parts:
        m = pattern.search(u.raw)
        if m:
            return m.group(0)
    return None


_ROLE = (
    r"(?:insurance |life |health |property and casualty |p and c |independent |state )?"
    r"(?:agents?|producers?|advis[eo]rs?|brokers?|professionals?|specialists?|"
    r"representatives?|reps?|consultants?)"
)
_LIC = r"(?:licen[sc]ed|licen[sc]e(?= " + _ROLE + r"))"
_BETWEEN = (
    r"(?:(?:a|an|the|your|one|of|our|both|all|also|fully|properly|currently|actually|here|"
    r"now|state|insurance|um|uh|like|just|dual|duly|two|three)\s+){0,5}"
)
_SELF_NAME = r"(?:this is|my name is|name is|i am|it is)\s+[a-z][\w'-]*(?:\s+[a-z][\w'-]*)?"
_LICENSED_SELF = [
    # "I'm a licensed agent", "we're licensed agents", "I'm licensed in Ohio", "I'll be your …"
    re.compile(rf"\b(?:i|we)\s+(?:am|are|will be|have been|had been)\s+{_BETWEEN}{_LIC}\b"),
    # "licensed producer here", "licensed agent speaking", "licensed agent on the line"
    re.compile(rf"\b{_LIC}\s+{_ROLE}\s+(?:here|speaking|on the line|with you)\b"),
    # "this is Priya, one of the licensed producers", "my name is Dana, a licensed agent"
    re.compile(rf"\b{_SELF_NAME}\s*,?\s*(?:and\s+)?(?:i am\s+)?{_BETWEEN}{_LIC}\b"),
    # "Sam here, licensed advisor"
    re.compile(rf"\b[a-z][\w'-]*\s+here\s*,?\s*{_BETWEEN}{_LIC}\b"),
    # "as a licensed agent I can…"
    re.compile(rf"\bas (?:a|an|your|the|one of (?:the|our))\s+{_LIC}\s+{_ROLE}\s*,?\s*(?:i|we)\b"),
    # "I hold a life license", "I have my license in Ohio"
    re.compile(r"\b(?:i|we)\s+(?:have|hold|carry)\s+(?:a|an|my|our)\s+(?:\w+\s+)?licen[sc]es?\b"
               r"(?!\s+(?:plate|number))"),
]  # fmt: skip
_NOT_LICENSED = re.compile(r"\b(?:not|never|no longer)\s+(?:\w+\s+){0,2}licen[sc]|unlicen[sc]")


def introduces_licensed(parts: Sequence[Unit]) -> str | None:
    """The producer presents themselves (or their team, "we") as licensed."""
    for u in parts:
        if _NOT_LICENSED.search(u.raw):
            continue
        for pattern in _LICENSED_SELF:
            m = pattern.search(u.raw)
            if m:
                return m.group(0).strip(" ,")
    return None


# --------------------------------------------------------------------------------------------
# Restatement and checks
# --------------------------------------------------------------------------------------------

_ADDITIONS = re.compile(
    r"\banything else\b|\banything (?:you would like |you want |you wanted |)to add\b|"
    r"\bany (?:other |more )?(?:questions|concerns)\b|\bwhat else\b|\bsomething else\b|"
    r"\bis there anything (?:more|other|you|i (?:should|can|missed|need))|"
    r"\banything (?:i (?:missed|should know|left out)|more)\b|\bwould you like to add\b|"
    r"\bdid i (?:miss|leave out) anything\b",
)


def restates_reason(parts: Sequence[Unit], reason: str) -> str | None:
    """The turn carries the packet's reason in any words: at least half of the reason's
    content concepts (stems and synonyms; two at least) appear outside questions that ask the
    caller for something, invitations to add and proposals of a next step. Returns the
    producer's words that matched."""
    wanted = content_concepts(reason)
    if not wanted:
        return None
    eligible = [
        u
        for u in parts
        if not (u.asks or u.probe or _ADDITIONS.search(u.raw) or proposes_next_step([u]))
    ]
    found: dict[str, str] = {}
    for u in eligible:
        if len(u.text.split()) > 60:
            continue
        for concept, words in concepts(u.text):
            if concept in wanted and concept not in found:
                found[concept] = words
    need = max(min(2, len(wanted)), math.ceil(0.5 * len(wanted)))
    if len(found) < need:
        return None
    return " … ".join(found.values())


_EXPLICIT_CHECK = re.compile(
    r"\bcorrect me\b|\bdid i (?:get|have|understand) (?:that|it|this|everything|all (?:of )?"
    r"that|all that|you) (?:right|correct)|\bhave i got (?:that|it|this|everything) (?:right|"
    r"correct)|\bis (?:that|this|it) (?:still )?(?:right|correct|accurate|true|about right|"
    r"fair|the situation|what is going on|what happened|where things are)\b|"
    r"\bam i (?:right|correct|on the right track|understanding)\b|"
    r"\b(?:does|do) (?:that|this|it) (?:all )?sound (?:about |more or less )?(?:right|correct)|"
    r"\bsounds? (?:about )?right\b|\blet me know if i (?:got|have|missed|misunderstood)\b|"
    r"\btell me if i (?:have|got|am) (?:\w+ ){0,3}wrong\b|\banything i (?:got|have) wrong\b|"
    r"\bfill me in if\b|\bfeel free to correct\b|\bstop me if\b|\bif i (?:have|got) "
    r"(?:that|it|this) right\b|\bis that a fair (?:summary|way)\b|\bdid i miss anything\b",
)
_TAG = re.compile(
    r"(?:^|[\s,])(?:right|correct|yes|yeah|yep|true|accurate|ok|okay|no|is that so|is it|"
    r"is not it|is not that|did not you|do not you|are not you)\s*[?!.]*\s*$"
)


def invites_confirm(parts: Sequence[Unit], hits: Sequence[Hit], restated: bool) -> str | None:
    """A check on what was said back: a read-back the detector saw ("I have you at …, still
    best?"), an explicit "correct me if I'm wrong" / "did I get that right", or a tag
    ("…, right?") on a turn that restates the reason."""
    confirm = next((h for h in hits if h.kind == "confirm"), None)
    if confirm:
        return confirm.words
    for u in parts:
        m = _EXPLICIT_CHECK.search(u.raw)
        if m:
            return m.group(0)
    if restated:
        for u in parts:
            m = _TAG.search(u.raw)
            if m and not u.asks:
                return m.group(0).strip(" ,?")
    return None


def invites_additions(parts: Sequence[Unit]) -> str | None:
    """ "Anything else I can help with?", "anything you'd like to add?"."""
    for u in parts:
        m = _ADDITIONS.search(u.raw)
        if m:
            return m.group(0)
    return None


# --------------------------------------------------------------------------------------------
# Addressing the need
# --------------------------------------------------------------------------------------------

_EXPLAIN = re.compile(
    r"\bbecause\b|\bdue to\b|\bthe reason (?:is|was|for (?:the|that|this|it))\b|"
    r"\bthat is why\b|\bwhich is why\b|\bwhich means\b|\bthat means\b|"
    r"\bwhat happened (?:is|was)\b|\bcaused by\b|\bmostly\b|\bmainly\b|\blargely\b|"
    r"\bgenerally\b|\btypically\b|\busually\b|\bnormally\b|\bstandard\b|"
    r"\b(?:is|are|would be|will be|is not|are not|would not be) (?:\S+ ){0,2}covered\b|"
    r"\b(?:would|will|does|do|does not|do not) (?:\S+ ){0,2}cover\b|\bcovers\b|"
    r"\bexclud\w*|\bexclusion\b|\byou would need\b|\byou will need (?:a|an|to add)\b|"
    r"\bthe fix is\b|\bthe good news\b|\bon (?:our|my) (?:side|end)\b|\bon us\b|"
    r"\b(?:our|my) (?:error|mistake|fault)\b|\bwas (?:a|an) (?:\S+ )?(?:error|mistake)\b|"
    r"\bruns? (?:about|around|roughly) \$?\d|\bcomes? (?:to|out to) (?:about |around )?\$?\d|"
    r"\bworks? out to\b|\b(?:would|will|should) (?:be|cost|run|come to) (?:about |around |"
    r"roughly |just |only )?\$?\d|\bqualif(?:y|ies)\b|\b(?:is|was) locked\b|\bexpired\b|"
    r"\bdropped off\b"
)
# "I can see the double charge": evidence found, when the need is named right after it.
_SEEN = re.compile(
    r"(?<!so )(?<!to )(?<!me )\b(?:i can see|i see|i found|it looks like|looks like) "
    r"(?:the|that the|a|an|two|\d+)\b(?P<after>(?: \S+){1,3})"
)
# The caller's wishes said back ("you'd like…", "you want…") restate; they do not answer.
_WISH = re.compile(
    r"\byou (?:would like|want|wanted|are looking|were looking|are hoping|are calling|called|"
    r"are worried|were worried)\b"
)
# Doubt about coverage is the caller's question restated, not an answer.
_DOUBT = re.compile(
    r"\b(?:not sure|unsure|wonder\w*|whether|want to know|wants to know|worried|concerned|"
    r"afraid|if|do not know) (?:\S+ ){0,6}?(?:is|are|would be|will be|gets?|might be)? ?"
    r"(?:covered|cover|covers)\b"
)
_RESOLVE_VERBS = (
    r"fix|fixed|reverse|reversed|refund|refunded|credit|credited|cancel|cancell?ed|reset|"
    r"unlock|unlocked|add|added|increase|increased|raise|raised|lower|lowered|reduce|reduced|"
    r"match|matched|apply|applied|remove|removed|waive|waived|sort (?:that |this |it )?out|"
    r"sorted (?:that |this |it )?out|take care of|took care of|resolve|resolved|bundle|"
    r"bundled|save you|get you covered|cover you|prorate|prorated|expedite|expedited|"
    r"rush|rushed|correct|corrected|update|updated|process|processed|reissue|reissued|"
    r"quote you|endorse"
)
_RESOLVE = re.compile(
    rf"(?<!before )(?<!once )(?<!until )(?<!if )(?<!after )(?<!when )(?<!so )"
    rf"\b(?:i|we)\s+(?:can|will|am going to|are going to|have|had|just|already|have just|"
    rf"have already|can definitely|can certainly|will definitely)\s+(?:\w+\s+)?"
    rf"(?:{_RESOLVE_VERBS})\b"
)
_HELPLESS = re.compile(r"\b(?:i|we) (?:can not|do not know|am not sure|have no idea)\b")


def addresses_need(parts: Sequence[Unit], keywords: Sequence[str], reason: str) -> str | None:
    """A substantive answer to the need: a statement that names the need (a need keyword or
    the reason's content) and explains or resolves it. Questions, checks, requests for a
    field, the caller's wishes said back and offers to "look into it" are not answers."""
    wanted = content_concepts(reason)
    for u in parts:
        if u.question or u.asks or u.probe or u.check:
            continue
        if _HELPLESS.search(u.text) or _DOUBT.search(u.text) or _WISH.search(u.text):
            continue
        need = keyword_hits(u.text, keywords)
        if not need:
            need = [w for c, w in concepts(u.text) if c in wanted]
        if not need:
            continue
        how = _EXPLAIN.search(u.text) or _RESOLVE.search(u.text)
        if how:
            return f"{how.group(0).strip()} … {need[0]}"
        seen = _SEEN.search(u.text)
        if seen and any(w in seen.group("after") for w in need):
            return seen.group(0).strip()
    return None


# --------------------------------------------------------------------------------------------
# Next step and owner
# --------------------------------------------------------------------------------------------

_OWNER_NOUN = (
    r"team|department|underwriter|underwriting|adjuster|agent|manager|specialist|colleague|"
    r"office|assistant|billing|claims|service|supervisor|partner|producer|desk|system"
)
_OWNER = (
    r"(?:i|we)\s+(?:will|am going to|are going to|am gonna|are gonna|can|could|would like to|"
    r"am about to|would be happy to|will be|am|are|have|had|have just|have already|just)|"
    r"let me|let us|shall i|should i|can i|may i|could i|(?:do you want|would you like|"
    r"want) me to|(?:our|my|the|your|an|a)\s+(?:\w+\s+){0,2}(?:" + _OWNER_NOUN + r")s?\s+"
    r"(?:will|is going to|are going to|is gonna|can|should)|"
    r"you will (?:get|receive|hear|see) (?:\w+\s+){0,5}from (?:me|us|our|my|the)"
)
_ON_HOLD = (
    r"\s+(?:(?:a|an|the|brief|briefly|quick|quickly|short|little|small|real|second|sec|"
    r"moment|minute|very|just|for|1)\s+){0,4}(?:hold|mute|speaker)\b"
)
"""After "put you on": a hold (or mute) is a pause in the call, not a next step."""
_ACTION = (
    r"e-?mail(?:ing|ed)?(?= (?:you|it|them|that|this|the|a|an|over|out|back|everything)\b)|"
    r"send\w*|sent|text\w*|mail\w*|call\w*(?= (?:you|back|tomorrow|today|tonight|"
    r"this|at|by|in|on|first))|ring\w*|book\w*|schedul\w*|set(?:ting)? (?:you |that |it |this "
    r"|everything )?up|arrang\w*|put(?:ting)? you (?:down|in|on)(?!"
    + _ON_HOLD
    + r")|start\w*|submit\w*|process\w*|"
    r"fil(?:e|ed|ing)|refund\w*|revers\w*|cancel\w*|reset\w*|updat\w*|add\w*|issu\w*|quot\w*|"
    r"run\w* (?:a|the|your) (?:quote|numbers)|transfer\w*|connect\w* you|escalat\w*|"
    r"open\w* (?:a|the|your) (?:ticket|claim|case|file)|assign\w*|request\w*|order\w*|"
    r"forward\w*|expedit\w*|draft\w*|prepar\w*|review\w*|callback|appointment"
)
_TIMED_ACTION = r"follow\w* up|get back to you|reach\w* out|be in touch|check\w* back"
_TIME = re.compile(
    r"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week)|now|right away|"
    r"by (?:\d+|noon|end of (?:the )?day|eod|close of business|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday)|(?:on |next )?(?:monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday)|next week|within (?:the |an? )?(?:\d+ )?(?:hour|minute|day)s?|"
    r"in (?:an?|the next|\d+) (?:\d+ )?(?:hour|minute|day)s?|before (?:we hang up|\d+|noon))\b"
)
_NOW = {"now", "right away", "today"}
_NEXT_STEP = re.compile(
    rf"\b(?P<owner>{_OWNER})\s+(?P<gap>(?:\w+\s+){{0,3}}?)(?P<action>(?:{_ACTION})|"
    rf"(?:{_TIMED_ACTION}))\b"
)
_NEGATED = re.compile(r"\b(?:not|never|no longer|unable|able to)\b")
_VAGUE_GAP = re.compile(
    r"\b(?:need|want|have to|like|ask|get (?:a|an|the|your|that|this|it)|see if|please get)\b"
)
_ASKING_OWNER = re.compile(r"^(?:can|could|may) i$")


def proposes_next_step(parts: Sequence[Unit]) -> str | None:
    """A concrete action and who does it: "I'll email you the quote by 5 today", "I'm
    booking you with our underwriter for Thursday", "our claims team will call you by noon".
    Follow-ups ("I'll get back to you") need a time; negations and requests never count."""
    for u in parts:
        if u.asks or re.search(rf"^{_FILL}{_WH}", u.text):
            continue
        for m in _NEXT_STEP.finditer(u.text):
            owner, gap, action = m.group("owner"), m.group("gap"), m.group("action")
            if _NEGATED.search(f"{owner} {gap}") or _VAGUE_GAP.search(gap):
                continue
            if _ASKING_OWNER.match(owner) and re.match(r"(?:get|have|grab|take)\b", gap):
                continue
            if re.fullmatch(_TIMED_ACTION, action) and not _TIME.search(u.text[m.end() :]):
                continue
            last = owner.split()[-1]
            if last in ("am", "are") and not action.endswith("ing"):
                continue  # "I am …" needs a doing word: "I am booking you"
            later = [t.group(0) for t in _TIME.finditer(u.text[m.end() :])]
            if last in ("have", "had", "already", "just") and not set(later) - _NOW:
                continue  # done already ("I've reset it"); a booking for a day is a next step
            return m.group(0)
    return None


def content_words(text: str) -> list[str]:
    """Lower-cased words of ``text`` that are not stop words (for display)."""
    return [w for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in STOPWORDS]
