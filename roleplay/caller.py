"""How the caller understands a producer's turn: which questions about their own situation it
asks, and what they answer.

The producer's words are read into question clauses by :mod:`roleplay.reading` (typed and
transcript style alike).

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

from faker.providers.address.en_US import Provider as _Address

from roleplay import answers, answers_life, answers_policy
from roleplay.answers import Clarify, Ctx
from roleplay.detect import Hit
from roleplay.personas import Persona
from roleplay.proposals import find_proposal
from roleplay.reading import (
    ABOUT_PROPOSAL,
    ADDITIONS,
    CHECK,
    ELLIPSIS,
    FIELD_TOPICS,
    Q_START,
    SMALLTALK,
    TAG_ONLY,
    clauses,
    is_question,
    normalise,
    rx,
)
from roleplay.situation import _pools

_STATES = tuple(st.lower() for st in _Address.states)
_CARRIERS = tuple(
    {w.lower() for c in _pools()["carriers"]["other"] for w in c.split()[:1]}
    | {c.split()[0].lower() for c in _pools()["agency_carriers"].values()}
)
_COMMON = set(
    "a an the and or to of in on for with about my your i you it is are was were be this that "
    "at by from as have has had do does did not no yes right correct okay ok so just still "
    "what which who when how policy insurance customer existing friend referred would like "
    "want need get got call me we us our they them there here now then than".split()
) | {str(n) for n in range(10)}
_RESTATE = rx(
    r"\b(you want|you need|you are calling|you are looking|sounds like|so you|you sold|"
    r"you were charged|you filed|you got|your (renewal|premium|claim|bill))\b"
)
_NEGATIVE = rx(r"^(no\b|i (haven't|don't|do not|have not)\b|nothing\b|none\b)")
_PER_POLICY = {
    "policy_number", "premium", "deductible", "renewal", "tenure", "payment", "limits",
    "carrier", "coverage_details",
}  # fmt: skip

__all__ = ["Caller", "Heard", "clauses", "is_question", "normalise"]


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
    jargon = rx("|".join(data.pop("jargon")["match"]))
    names = sorted({w.lower() for pair in _pools()["vehicles"] for w in pair}, key=len)[::-1]
    data["vehicles"]["match"].append(rf"\b(?:{'|'.join(map(re.escape, names))}|you drive)\b")
    modules = (answers, answers_life, answers_policy)
    out = []
    for name, cfg in data.items():
        fn = next((getattr(m, name) for m in modules if hasattr(m, name)), None)
        if fn is None:
            raise ValueError(f"topic {name!r} in topics.toml has no answer function")
        match = rx("|".join(cfg["match"]))
        out.append(Topic(name, match, fn, cfg.get("field"), tuple(cfg.get("suppress", ()))))
    return out, jargon


TOPICS, JARGON = _topics()


def _merge_tags(parts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """ "Renewal's in ten days and you want it matched. Correct?": the tag checks the statement
    before it, so the two read as one read-back."""
    out: list[tuple[str, bool]] = []
    for clause, asked in parts:
        if out and TAG_ONLY.search(clause) and not is_question(*out[-1]):
            out[-1] = (f"{out[-1][0]}, right", True)
        else:
            out.append((clause, asked))
    return out


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
    unknown: bool = False
    """A question clause nothing was understood in (the session asks what is meant, unless the
    reply says something else)."""
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
        parts = [(c, a) for c, a in _merge_tags(clauses(text)) if is_question(c, a)]
        for clause, _asked in parts:
            if ADDITIONS.search(clause) or TAG_ONLY.search(clause):
                continue
            if restating and not Q_START.search(clause):
                continue
            if find_proposal(clause) or (proposal and ABOUT_PROPOSAL.search(clause)):
                continue
            small = [k for k, pattern in SMALLTALK if pattern.search(clause)]
            if small:
                heard.smalltalk += small
                continue
            heard.questions += 1
            in_clause = {h.field for h in hits if self._hit_in(clause, h, len(parts))}
            found = self._clause(clause, in_clause, {h.field for h in hits}, heard, lines)
            if not found and not in_clause:
                guess = self._read_back(clause) if CHECK.search(clause) else None
                if guess is None:
                    heard.unknown = True
                else:
                    heard.confirmed.append(("read-back", *guess))
        return heard

    def _read_back(self, clause: str) -> tuple[bool, str] | None:
        """A read-back nothing else recognised: checked against everything the caller knows.
        (right?, the caller's version) or None when it cannot tell."""
        p = self.persona
        state = next((st for st in _STATES if re.search(rf"\b{st}\b", clause)), None)
        if state:
            return state == p.value("state").lower(), p.say("state")
        carriers = [c for c in _CARRIERS if c in clause]
        if carriers and not set(carriers) <= self._fact_words:
            return False, p.say("current_coverage")
        said = set(re.findall(r"[a-z0-9']+", clause)) - _COMMON
        known = " ".join([*p.values.values(), *p.says.values()]).lower()
        facts = set(re.findall(r"[a-z0-9']+", known)) - _COMMON
        if _RESTATE.search(clause):
            ok = len(said & facts) >= 2 or any(k in clause for k in p.need_keywords)
            return ok, "" if ok else f"Not exactly. {p.say('reason_for_call')}"
        if said & facts:
            return True, ""
        return None

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
        for f, pattern in FIELD_TOPICS:
            if pattern.search(clause):
                found = True
                if f in all_hits or f in heard.fields:
                    continue
                if CHECK.search(clause) and f in self.persona.values:
                    ok = self._field_read_back(f, clause)
                    heard.confirmed.append((f, ok, self.persona.say(f)))
                else:
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
        if chosen and CHECK.search(clause):
            ok = all(self._consistent(clause, a) and not _NEGATIVE.match(a) for a in chosen)
            heard.confirmed.append((kept[0][0], ok, " ".join(chosen)))
            return True
        for a in chosen:
            if a not in heard.answers:
                heard.answers.append(a)
        return found

    def _follow_up(self, text: str) -> str | None:
        """ "And the home?" right after a policy answer: the same question about another line."""
        m = ELLIPSIS.search(normalise(text))
        last, self._last = self._last, None
        if not m or last is None:
            return None
        name, clause = last
        topic = next(t for t in TOPICS if t.name == name)
        out = topic.answer(self.ctx, f"{clause} {m.group('what')}")
        self._last = last
        return None if isinstance(out, Clarify) else str(out)

    # --- read-backs, clarifications -------------------------------------------------------

    def _field_read_back(self, f: str, clause: str) -> bool:
        """A read-back of an intake field the detector did not see: right when it shares a
        distinctive word with the caller's value ("the postcard is how you heard about us")."""
        value = self.persona.value(f).lower()
        if f == "tobacco_use":
            claimed = bool(
                re.search(r"\bnot (a )?smoker|non-?smoker|do not smoke|no tobacco", clause)
            )
            return claimed == (value == "non-smoker" or value.startswith("quit"))
        words = set(re.findall(r"[a-z0-9']+", value)) - _COMMON
        return bool(words & set(re.findall(r"[a-z0-9']+", clause)))

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
