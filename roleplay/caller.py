"""How the caller understands a producer's turn: which questions about their own situation it
asks, and what they answer.

The producer's words are normalised (lower case, contractions and chat shorthand expanded,
"um"/"uh" dropped) and split into clauses: sentences, and a new question after "and", "also"
or a comma ("what year is the car and who drives it" is two; "how many cars and drivers" is
one clause naming two things). A clause is a question when it ends in "?", opens like one
("what", "do you", "any", "tell me", "i'll need") or is a short elliptical ask; typed and
transcript style (no capitals, no "?") read the same.

Intake fields come from :func:`roleplay.detect.detect` (the session passes its hits); for the
rest each clause is matched against the topic tables of :mod:`roleplay.answers` and
:mod:`roleplay.answers_policy` and answered from the persona. Every part of a compound
question is answered, in order. A clause that names a field the detector did not see is
answered too (the caller does not know about detectors). A question the caller cannot place
gets a request for clarification, as does one that is ambiguous for this caller ("the limits
on which policy?"), insurance jargon, or a reference to something they do not have; never a
bare "Sure.".
"""

from __future__ import annotations

import random
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from roleplay import answers, answers_life, answers_policy
from roleplay.answers import Clarify, Ctx, _rx
from roleplay.detect import Hit
from roleplay.personas import Persona
from roleplay.proposals import find_proposal
from roleplay.situation import _pools

__all__ = ["Caller", "Heard", "clauses", "is_question", "normalise"]

_REPLACE = (
    (r"[’‘`]", "'"),
    (r"\be-mail", "email"),
    (r"\bwhat'?s\b", "what is"),
    (r"\bwho'?s\b", "who is"),
    (r"\bhow'?s\b", "how is"),
    (r"\bwhere'?s\b", "where is"),
    (r"\bthat'?s\b", "that is"),
    (r"\bit's\b", "it is"),
    (r"\byou'?re\b", "you are"),
    (r"\bi'?m\b", "i am"),
    (r"\bi'll\b", "i will"),
    (r"\bi'd\b", "i would"),
    (r"\byou'?ve\b", "you have"),
    (r"\bi'?ve\b", "i have"),
    (r"\bwe'?re\b", "we are"),
    (r"\b(do|does|did|is|are|was|were|have|has|can|could|would)n'?t\b", r"\1 not"),
    (r"\bu\b", "you"),
    (r"\bur\b", "your"),
    (r"\br\b", "are"),
    (r"\by'?all\b", "you"),
    (r"\bpls\b|\bplz\b", "please"),
    (r"\bhow'd\b", "how did"),
    (r"\bd\.?o\.?b\.?\b", "dob"),
    (r"\b(?:um+|uh+|er+|erm|hmm+|you know|i mean)\b,?", " "),
    (r"\s+", " "),
)
_COMPILED = [(re.compile(p, re.I), r) for p, r in _REPLACE]
_LEAD = r"(?:(?:and|so|ok|okay|alright|right|well|now|great|perfect|thanks|thank you|got it|sure|oh|also|just|first|next|lastly|sorry|quick question|one more thing|real quick|then)[,\s]+)*"  # noqa: E501
_Q_START = _rx(
    rf"^{_LEAD}(?:what|which|who|whom|whose|where|when|why|how|do|does|did|is|are|was|were|"
    r"can|could|would|will|have|has|had|any|anything|tell me|walk me through|talk me through|"
    r"describe|give me|i (?:will |would |also |just )?need|need to know|let me (?:get|have)|"
    r"may i|mind (?:telling|sharing)|remind me|and your|your)\b"
)
_SPLIT = _rx(
    r"\s*(?:,|;)\s*(?:and |also |plus |or )?(?=(?:what|which|who|where|when|why|how|do you|"
    r"does|did you|is|are|was|were|can you|could you|have you|has|any|tell me)\b)"
    r"|\s+(?:and|also|plus|then|but)\s+(?=(?:what|which|who|where|when|why|how|do you|does|"
    r"did you|is (?:it|the|your|that|she|he)|are (?:you|they|the)|was|were|can you|could you|"
    r"have you|has|any|tell me)\b)"
)
_CHECK = _rx(
    r"(?:,|\s)(?:right|correct|yes|yeah|yep|ok|okay|true|no)\s*\??\s*$|\bis (?:that|this|it) "
    r"(?:still )?(?:right|correct|accurate|true)\b|\b(?:isn't|is not|aren't|don't|doesn't) "
    r"(?:it|that|you|she|he|they)\s*\??$"
)
_SMALLTALK: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("hear", _rx(r"\bcan you hear me\b|\bam i coming through\b")),
    ("still_there", _rx(r"\b(are you )?still (there|with me)\b")),
    (
        "how_are_you",
        _rx(
            r"^(?:hi|hello|hey)?[,\s]*how are (you|things)( doing)?( today)?$|"
            r"\bhow is (your day|it going)\b"
        ),
    ),
    (
        "good_time",
        _rx(
            r"\b(is (now|this) a good time|do you have a (few |couple )?minutes?|"
            r"got a (minute|moment)|is this still a good time)\b"
        ),
    ),
    (
        "may_ask",
        _rx(
            r"\b(mind if i ask|can i ask you (a few|some|a couple)|okay if i ask|"
            r"ask you (a few|some) questions)\b"
        ),
    ),
    (
        "hold",
        _rx(
            r"\b(put you on (a )?(brief |quick )?hold|can you hold|hold (on|for a) "
            r"(a )?(moment|minute|sec\w*)|bear with me)\b"
        ),
    ),
    (
        "makes_sense",
        _rx(
            r"\b(does (that|this) make sense|does that sound (good|ok|okay|fair)|"
            r"are you with me|following me)\b"
        ),
    ),
    ("questions_back", _rx(r"\b(do you have any questions|any questions for me)\b")),
)
_ELLIPSIS = _rx(
    rf"^{_LEAD}(?:what about|how about|and)?\s*(?:the|your|on the|for the)?\s*"
    r"(?P<what>auto|car|home|house|homeowners|life|other one|other)(?: one| policy| insurance)?"
    r"\s*\??$"
)
_PER_POLICY = {
    "policy_number",
    "premium",
    "deductible",
    "renewal",
    "tenure",
    "payment",
    "limits",
    "carrier",
    "coverage_details",
}
_ADDITIONS = _rx(r"\banything else\b|\bis there anything\b|\banything (?:more|to add)\b")
_TAG_ONLY = _rx(
    rf"^{_LEAD}(?:did i (?:get|have) (?:that|it|all that|this|everything) right|is (?:that|this) "
    r"(?:right|correct|accurate)|(?:have|did) i got (?:that|it) right|does that sound right|am i "
    r"right|sound right|right|correct|yes|yeah|ok|okay|no)$"
)
_ABOUT_PROPOSAL = _rx(
    r"\b(?:does (?:that|this|it) (?:work|sound)|how does (?:that|this) sound|would (?:that|this) "
    r"work|is (?:that|this) (?:ok|okay|alright|good|fine)|sound good|works for you|would you "
    r"like (?:that|me to)|do you want me to|shall i|should i)\b"
)

# Intake fields asked in words the detector may not know: answered all the same.
_FIELD_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "caller_name",
        _rx(
            r"\b(your (full |first |last )?name|who (am i|are we) (speaking|"
            r"talking)|who is this)\b"
        ),
    ),
    (
        "contact_number",
        _rx(
            r"\b(phone number|cell( number)?|callback number|number to reach|"
            r"best number|reach you at)\b"
        ),
    ),
    ("email", _rx(r"\b(your email|email address|email (on file|i can use))\b")),
    (
        "urgency",
        _rx(
            r"\b(how soon|how urgent|timeline|time ?frame|deadline|by when|in a rush|"
            r"in a hurry)\b"
        ),
    ),
    ("referral_source", _rx(r"\b(hear about us|find us|found us|referred|referral)\b")),
    (
        "preferred_next_action",
        _rx(
            r"\b(next step|like to proceed|want to happen|like to happen|"
            r"how should we proceed)\b"
        ),
    ),
    (
        "product_interest",
        _rx(
            r"\b(what (kind|type) of (insurance|policy|coverage)|which "
            r"product)\b"
        ),
    ),
    (
        "date_of_birth",
        _rx(
            r"\b(date of birth|birth ?date|your birthday|dob|how old are you|"
            r"your age|when were you born)\b"
        ),
    ),
    (
        "state",
        _rx(
            r"\b(what state|which state|where do you live|where are you (located|based|"
            r"calling from))\b"
        ),
    ),
    ("coverage_amount", _rx(r"\b(how much coverage|face amount|death benefit|coverage amount)\b")),
    (
        "current_coverage",
        _rx(
            r"\b(do you have (any )?(coverage|insurance|a policy|life "
            r"insurance)|currently (insured|covered)|existing (coverage|"
            r"policy))\b"
        ),
    ),
    ("tobacco_use", _rx(r"\b(smoke|smoker|smoking|tobacco|nicotine|vape|vaping|cigar\w*)\b")),
)


@dataclass(frozen=True)
class Topic:
    """A topic of ``data/topics.toml``: its pattern and the function answering it."""

    name: str
    rx: re.Pattern[str]
    answer: Callable[[Ctx, str], answers.Answer]
    field: str | None = None
    suppress: tuple[str, ...] = ()


def _topics() -> tuple[list[Topic], re.Pattern[str]]:
    data = tomllib.loads(
        (resources.files("roleplay") / "data" / "topics.toml").read_text(encoding="utf-8")
    )
    jargon = _rx("|".join(data.pop("jargon")["match"]))
    names = sorted({w.lower() for pair in _pools()["vehicles"] for w in pair}, key=len)[::-1]
    data["vehicles"]["match"].append(rf"\b(?:{'|'.join(map(re.escape, names))}|you drive)\b")
    modules = (answers, answers_life, answers_policy)
    out = []
    for name, cfg in data.items():
        fn = next((getattr(m, name) for m in modules if hasattr(m, name)), None)
        if fn is None:
            raise ValueError(f"topic {name!r} in topics.toml has no answer function")
        rx = _rx("|".join(cfg["match"]))
        out.append(Topic(name, rx, fn, cfg.get("field"), tuple(cfg.get("suppress", ()))))
    return out, jargon


TOPICS, JARGON = _topics()


def normalise(text: str) -> str:
    out = text.strip().lower()
    for pattern, repl in _COMPILED:
        out = pattern.sub(repl, out)
    return out.strip()


def clauses(text: str) -> list[tuple[str, bool]]:
    """(clause, ends with "?") pairs, in order."""
    out: list[tuple[str, bool]] = []
    for m in re.finditer(r"[^.?!]+[.?!]*", normalise(text)):
        sentence = m.group(0).strip()
        asked = sentence.endswith("?")
        body = sentence.rstrip(".?! ")
        for part in _SPLIT.split(body):
            part = part.strip(" ,")
            if part and re.search(r"[a-z0-9]", part):
                out.append((part, asked))
    return out


def is_question(clause: str, asked: bool) -> bool:
    return asked or bool(_Q_START.search(clause)) or bool(_CHECK.search(clause))


@dataclass
class Heard:
    """What the caller took from one producer turn."""

    answers: list[str] = field(default_factory=list)
    """Answers about their situation (and intake fields the detector did not see), in order."""
    fields: list[str] = field(default_factory=list)
    """Intake fields asked here although the detector did not flag them."""
    confirmed: list[tuple[str, bool, str]] = field(default_factory=list)
    """Read-backs of situation facts: (topic, whether they were right, the caller's version)."""
    clarify: str | None = None
    """A clarification request (already worded)."""
    smalltalk: list[str] = field(default_factory=list)
    questions: int = 0
    """Question clauses in the turn."""
    topics: list[str] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)
    """Topics asked again and answered the same as earlier in the call."""


def _hit_words(words: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9@.'-]+", words.lower()) if w != "…"]


class Caller:
    """The caller's side of the conversation (situation answers, clarifications, memory)."""

    def __init__(self, persona: Persona, rng: random.Random) -> None:
        self.persona = persona
        self.ctx = Ctx(persona, rng)
        self.pending: Clarify | None = None
        self._said: dict[str, str] = {}
        self._earlier: dict[str, str] = {}
        self._last: tuple[str, str] | None = None
        s = persona.situation
        words: set[str] = set()
        if s is not None:
            for v in s.vehicles:
                words |= {v.make.lower(), v.model.lower()}
            for p in (s.spouse, *s.children):
                if p:
                    words.add(p.first.lower())
            for pol in s.policies:
                words |= set(pol.carrier.lower().split())
        self._fact_words = words

    def hear(
        self,
        text: str,
        hits: list[Hit],
        lines: dict[str, list[str]],
        *,
        restating: bool = False,
        proposal: bool = False,
    ) -> Heard:
        """Understand ``text``. ``hits`` are the detector's hits (the session answers those
        fields); ``lines`` hold the caller's clarification phrasings. When the producer is
        restating the reason (``restating``) a statement with a check tag is that restatement,
        not a read-back of situation facts; when the turn proposes a next step
        (``proposal``), questions about the proposal are left to the proposal's reply."""
        heard = Heard()
        self._earlier = dict(self._said)
        previous, self._last = self._last, None
        self._last = previous
        resolved = self._resolve_pending(text) or self._follow_up(text)
        if resolved is not None:
            heard.answers.append(resolved)
            heard.questions += 1
            return heard
        parts = [(c, a) for c, a in clauses(text) if is_question(c, a)]
        for clause, _asked in parts:
            if _ADDITIONS.search(clause) or _TAG_ONLY.search(clause):
                continue
            if restating and not _Q_START.search(clause):
                continue
            if find_proposal(clause) or (proposal and _ABOUT_PROPOSAL.search(clause)):
                continue
            small = [k for k, rx in _SMALLTALK if rx.search(clause)]
            if small:
                heard.smalltalk += small
                continue
            heard.questions += 1
            in_clause = {h.field for h in hits if self._hit_in(clause, h, len(parts))}
            found = self._clause(clause, in_clause, {h.field for h in hits}, heard, lines)
            if not found and not in_clause:
                heard.clarify = heard.clarify or self.ctx.rng.choice(lines["clarify"])
        return heard

    @staticmethod
    def _hit_in(clause: str, hit: Hit, n_clauses: int) -> bool:
        """Whether a detector hit plausibly comes from this clause."""
        words = _hit_words(hit.words)
        if n_clauses <= 1:
            return True
        said = set(_hit_words(clause))
        return bool(words) and sum(w in said for w in words) >= max(1, (len(words) + 1) // 2)

    def _clause(
        self,
        clause: str,
        in_clause: set[str],
        all_hits: set[str],
        heard: Heard,
        lines: dict[str, list[str]],
    ) -> bool:
        """Answer one question clause; False when nothing in it was understood."""
        found = bool(in_clause)
        for f, rx in _FIELD_TOPICS:
            if rx.search(clause):
                found = True
                if f not in all_hits and f not in heard.fields:
                    heard.fields.append(f)
        field_asked = in_clause | set(heard.fields)
        matched = sorted(
            ((m.start(), i, t) for i, t in enumerate(TOPICS) if (m := t.rx.search(clause))),
            key=lambda x: (x[0], x[1]),
        )
        results: list[tuple[str, str, bool]] = []  # (topic, answer, generic)
        suppressed = {n for _, _, t in matched for n in t.suppress}
        for _, _, topic in matched:
            if topic.name in suppressed:
                continue
            found = True
            if topic.field and topic.field in field_asked | all_hits:
                continue
            out = topic.answer(self.ctx, clause)
            if isinstance(out, Clarify):
                self.pending = out
                heard.clarify = heard.clarify or self._which(out, lines)
                continue
            results.append((topic.name, str(out), isinstance(out, answers.Generic)))
        specific = [r for r in results if not r[2]]
        jargon = JARGON.search(clause)
        if jargon and not specific:
            term = jargon.group(0)
            heard.clarify = heard.clarify or self.ctx.rng.choice(lines["clarify_jargon"]).format(
                term=term, Term=term[:1].upper() + term[1:]
            )
            return True
        kept = specific or ([] if field_asked else results)
        if kept and kept[0][0] in _PER_POLICY:
            self._last = (kept[0][0], clause)
        chosen = list(dict.fromkeys(text for _, text, _ in kept))
        for name, text, _ in kept:
            heard.topics.append(name)
            if self._earlier.get(name) == text:
                heard.repeated.append(name)
            self._said[name] = text
        if chosen and _CHECK.search(clause):
            ok = all(self._consistent(clause, a) for a in chosen)
            heard.confirmed.append((kept[0][0], ok, " ".join(chosen)))
            return True
        for a in chosen:
            if a not in heard.answers:
                heard.answers.append(a)
        return found

    def _follow_up(self, text: str) -> str | None:
        """ "And the home?" right after a policy answer: the same question about another line."""
        m = _ELLIPSIS.search(normalise(text))
        last, self._last = self._last, None
        if not m or last is None:
            return None
        name, clause = last
        topic = next(t for t in TOPICS if t.name == name)
        out = topic.answer(self.ctx, f"{clause} {m.group('what')}")
        self._last = last
        return None if isinstance(out, Clarify) else str(out)

    # --- read-backs, clarifications -------------------------------------------------------

    def _consistent(self, clause: str, answer: str) -> bool:
        """A read-back is right when every number and name it states is in the answer."""
        low = answer.lower().replace(",", "")
        tokens = re.findall(r"\d[\d,/]*|[a-z][a-z0-9-]+", clause)
        numbers = [t.replace(",", "") for t in tokens if t[0].isdigit()]
        if any(n not in low for n in numbers):
            return False
        return all(t in low for t in tokens if t in self._fact_words)

    def _which(self, c: Clarify, lines: dict[str, list[str]]) -> str:
        options = " or ".join(label for label, _ in c.options)
        key = "clarify_who" if c.topic == "pronoun" else "clarify_which"
        return self.ctx.rng.choice(lines[key]).format(thing=c.thing, options=options)

    def _resolve_pending(self, text: str) -> str | None:
        """A short reply to the caller's "which one?" answers the pending question."""
        pending, self.pending = self.pending, None
        if pending is None:
            return None
        low = normalise(text)
        if len(low.split()) > 12:
            return None
        keys = [k for _, k in pending.options]
        key = None
        if pending.topic == "pronoun":
            key = next((k for k in keys if k.lower() in low), None)
            if key:
                self.ctx.focus["person"] = key
        else:
            line = answers_policy.line_named(low)
            key = line if line in keys else None
            if key is None and re.search(r"\b(first|former)\b", low):
                key = keys[0]
            if key is None and re.search(r"\b(second|latter|other|last)\b", low):
                key = keys[-1]
            if key:
                self.ctx.focus["line"] = key
        if key is None:
            return None
        topic = next(t for t in TOPICS if t.name == pending.topic)
        out = topic.answer(self.ctx, f"{pending.clause} {key}")
        if topic.name in _PER_POLICY:
            self._last = (topic.name, pending.clause)
        return None if isinstance(out, Clarify) else str(out)
