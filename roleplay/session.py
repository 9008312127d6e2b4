"""A practice call: the producer talks to a scripted caller who was just warm-transferred.

The session drives the caller through the trigger's script. The caller opens with why they
called; then, for each producer utterance, the caller's reply is put together from everything
the utterance does, in this order:

1. a **re-ask** of an intake field already known (captured by the AI, or said earlier in this
   call): irritation grows with each one and the third ends the call;
2. **questions** about the caller's own situation: intake fields the AI did not capture
   (through :func:`roleplay.detect.detect`) and everything else (vehicles, the household, the
   claim, the bill...; :mod:`roleplay.caller`), every part of a compound question answered, or
   a request to clarify;
3. **read-backs**: confirmed, or put right when a fact is wrong;
4. a **proposed next step** (:mod:`roleplay.proposals`): accepted, or objected to when it
   does not fit the caller's deadline, channel or need;
5. the producer **addressing the need**, an invitation to **add anything** (the caller closes
   if the need was addressed), a **goodbye** (in the caller's mood), an apology;
6. otherwise a greeting by name, an introduction, a restatement, or (for statements only) a
   short filler.

The caller's :class:`~roleplay.mood.Mood` carries through the call: re-asks, repeated
questions, being ignored and unwanted proposals irritate; having the need addressed and an
agreed next step ease it; the closing and the goodbye show it. Every turn is written to the
store (if any) as it happens. Same trigger, seed and producer lines → same caller, same packet
and same replies.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from faker.providers.address.en_US import Provider as _Address

from roleplay.caller import Caller, Heard
from roleplay.detect import Hit, detect
from roleplay.disposition import parse_disposition
from roleplay.mood import Mood
from roleplay.packet import DIFFICULTIES, IntakePacket, UnknownDifficultyError, build_packet
from roleplay.packet import make_whisper as _make_whisper
from roleplay.personas import Persona, make_persona
from roleplay.proposals import Proposal, find_proposal, objection
from roleplay.scoring import Rubric, Scorecard, TurnEvidence, build_scorecard, checklist_moves
from roleplay.scripts import CallerScript, load_script
from roleplay.store import Store

__all__ = ["Reply", "Session", "SessionEndedError", "Turn"]

HANG_UP_AFTER = 3
"""The caller hangs up on this re-ask."""

_STATE_NAMES = tuple(st.lower() for st in _Address.states)


@dataclass(frozen=True)
class Reply:
    """The caller's answer to one producer utterance."""

    text: str
    ended: bool
    """True when the caller hung up; no more turns are accepted."""


@dataclass(frozen=True)
class Turn:
    """One line of the live call transcript."""

    speaker: str
    """``"caller"`` or ``"producer"``."""
    text: str
    engine: str | None = None
    """The speech recogniser that heard a spoken producer turn (None when typed)."""
    corrected: bool = False
    """A spoken turn whose transcript the producer corrected before it was scored."""


def _lower_first(text: str, names: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    """The first word in lower case, unless it is "I" or a name."""
    first = text.split(" ", 1)[0].strip(",.?!")
    if first == "I" or first.startswith("I'") or first in names:
        return text
    return text[:1].lower() + text[1:]


_FAREWELL = re.compile(
    r"\b(?:bye|goodbye|have a (?:good|great|nice|lovely|wonderful) (?:day|night|one|evening|"
    r"weekend|afternoon)|take care|thanks? (?:you )?for calling|talk (?:to you )?soon)\b",
    re.I,
)
_APOLOGY = re.compile(
    r"\b(?:i am|i'm|so|really|very|truly) sorry (?:about|for|that|to hear|you)|\bapologi[sz]e|"
    r"\bmy apologies\b",
    re.I,
)
_COMMON_STARTS = {
    "my", "we", "we've", "the", "i", "can", "please", "you", "your", "nobody", "so", "just", "our",
}  # fmt: skip
_CONCRETE = re.compile(
    r"\b(?:e-?mail|send|mail|call|text|schedule|book|appointment|process|refund|revers|reset|"
    r"cancel|add|update|quote|review|submit|file|letter|form|adjuster)\w*",
    re.I,
)
"""Words that make an offer a concrete next step rather than "I can sort that out"."""
_SLOW_AFTER = 5
"""From this producer turn on, a caller whose need is still untouched asks to get to it."""


def readback_ok(field: str, text: str, persona: Persona) -> bool:
    """Whether a read-back of ``field`` states the caller's value (when it states one)."""
    value, low = persona.value(field), text.lower()
    if field == "state":
        named = [st for st in _STATE_NAMES if re.search(rf"\b{st}\b", low)]
        return not named or value.lower() in named
    if field == "contact_number":
        said = re.sub(r"\D", "", text)
        return len(said) < 4 or re.sub(r"\D", "", value)[-4:] in said
    if field == "email":
        emails = re.findall(r"[\w.+-]+@[\w-]+\.[\w.]+", low)
        return not emails or value.lower() in emails
    if field == "date_of_birth":
        years = re.findall(r"\b(?:19|20)\d{2}\b", text)
        return not years or value[:4] in years
    return True


class SessionEndedError(RuntimeError):
    """Raised when talking to a caller who has hung up, or after the session was scored."""


class Session:
    """A practice transfer. Create with :meth:`Session.start`."""

    def __init__(
        self,
        script: CallerScript,
        persona: Persona,
        packet: IntakePacket,
        *,
        seed: int,
        producer: str,
        store: Store | None,
        rubric: Rubric,
    ) -> None:
        self.script = script
        self.persona = persona
        self.packet = packet
        self.whisper = _make_whisper(script, packet)
        self.seed = seed
        self.producer = producer
        self.trigger = script.trigger
        self.difficulty = packet.difficulty
        self.store = store
        self.rubric = rubric
        self.transcript: list[Turn] = []
        self.evidence: list[TurnEvidence] = []
        self.ended = False
        self.scorecard: Scorecard | None = None
        self._known: dict[str, str] = dict(packet.captured)
        self._reasks = 0
        self._need_addressed = False
        self._next_step_agreed = False
        self._objections: set[str] = set()
        self._awaiting = False
        self._nudged_slow = False
        self._rng = random.Random(f"lines:{script.trigger}:{seed}")
        self.mood = Mood(irritation=persona.start_mood)
        sit = persona.situation
        self._names = {p.first for p in (sit.spouse, *sit.children) if p} if sit else set()
        self._names |= {
            w
            for w in persona.say("reason_for_call").split()[:1]
            if w[:1].isupper() and w.lower() not in _COMMON_STARTS
        }
        self.caller = Caller(persona, random.Random(f"caller:{script.trigger}:{seed}"))
        self.id = ""

    # --- construction -------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        trigger: str,
        seed: int = 0,
        producer: str = "trainee",
        difficulty: str = "standard",
        store: Store | str | None = None,
        rubric: Rubric | None = None,
    ) -> Session:
        """Open a practice call. ``store`` is a :class:`Store`, a SQLAlchemy URL, or None
        (nothing recorded). Unknown trigger or difficulty → ``ValueError`` naming the
        allowed values."""
        if difficulty not in DIFFICULTIES:
            raise UnknownDifficultyError(difficulty)
        producer = producer.strip()
        if not producer:
            raise ValueError("Producer name is empty; give the name the manager will see.")
        script = load_script(trigger)
        persona = make_persona(script, seed)
        packet = build_packet(script, persona, difficulty, seed)
        if isinstance(store, str):
            store = Store(store)
        session = cls(
            script,
            persona,
            packet,
            seed=seed,
            producer=producer,
            store=store,
            rubric=rubric or Rubric(),
        )
        if store is not None:
            session.id = store.start_session(
                producer=producer,
                trigger=trigger,
                seed=seed,
                difficulty=difficulty,
                packet=packet.to_dict(),
                whisper=session.whisper,
            )
        else:
            session.id = f"local-{trigger}-{seed}"
        session._record("caller", session._line("opening"))
        return session

    # --- talking ------------------------------------------------------------------------------

    def say(
        self,
        text: str,
        *,
        engine: str | None = None,
        corrected: bool = False,
        audio: bytes | None = None,
    ) -> Reply:
        """The producer says ``text``; returns the caller's reply.

        A spoken turn names the recogniser that heard it (``engine``) and whether the producer
        ``corrected`` its transcript; it is scored like a typed one. Its recording (``audio``,
        WAV) is kept only where the store keeps recordings (the trainer's setting)."""
        if self.ended or self.scorecard is not None:
            raise SessionEndedError("The call has ended; score it with end(disposition).")
        text = " ".join(text.split())
        if not text:
            raise ValueError("Say something to the caller (empty input).")
        turn_no = len(self.evidence) + 1
        hits = detect(text, self._known)
        reasked = [h.field for h in hits if h.kind == "request" and h.field in self._known]
        new_asks = [h.field for h in hits if h.kind == "request" and h.field not in self._known]
        moves = checklist_moves(
            text,
            hits,
            producer_turn=turn_no,
            first_name=self.persona.first_name,
            last_name=self.persona.last_name,
            reason=self.persona.value("reason_for_call"),
            keywords=self.persona.need_keywords,
        )
        hit_dicts = [
            {"field": h.field, "kind": h.kind, "words": h.words, "rule": h.rule} for h in hits
        ]
        self._record("producer", text, hits=hit_dicts, repeat_explains=reasked, engine=engine,
                     corrected=corrected, audio=audio)  # fmt: skip
        reply, ended, answered = self._reply(text, reasked, new_asks, moves, hits)
        for f in [*new_asks, *answered]:
            self._known[f] = self.persona.value(f)
        self.evidence.append(
            TurnEvidence(
                turn=turn_no,
                producer=text,
                caller=reply,
                hits=hit_dicts,
                repeat_explains=reasked,
                checklist=moves,
            )
        )
        self._record("caller", reply)
        self.ended = ended
        return Reply(reply, ended)

    def _reply(
        self,
        text: str,
        reasked: list[str],
        new_asks: list[str],
        moves: dict[str, str],
        hits: list[Hit],
    ) -> tuple[str, bool, list[str]]:
        """The caller's reply, whether they hung up, and intake fields they stated that the
        detector did not see asked (they become known)."""
        p, mood = self.persona, self.mood
        restating = "restate_reason" in moves or any(
            h.field == "reason_for_call" and h.kind == "confirm" for h in hits
        )
        proposal = find_proposal(text)
        heard = self.caller.hear(
            text, hits, self._caller_lines(), restating=restating, proposal=proposal is not None
        )
        parts: list[str] = []
        if reasked:
            self._reasks += len(reasked)
            for _ in reasked:
                mood.feel("reask")
            if self._reasks >= HANG_UP_AFTER:
                return self._line("reask_3"), True, []
            values = " ".join(p.say(f) for f in reasked)
            parts.append(self._line(f"reask_{self._reasks}", values=values))
        parts += self._readbacks(text, hits, moves, heard)
        extra = [f for f in heard.fields if f not in new_asks and f not in reasked]
        said = [p.say(f) for f in [*new_asks, *extra]]
        if heard.repeated and set(heard.repeated) >= set(heard.topics) and heard.answers:
            mood.feel("said_before")
            again = _lower_first(" ".join(heard.answers), self._names)
            parts.append(self._line("said_before", value=again))
            heard.answers = []
        if said:
            parts.append(
                self._line("answer", value=" ".join(said)) if not parts else " ".join(said)
            )
        parts += heard.answers
        if heard.clarify:
            parts.append(heard.clarify)
        for k in heard.smalltalk:
            previous = next((t.text for t in reversed(self.transcript[:-1])
                             if t.speaker == "caller"), "")  # fmt: skip
            parts.append(f"I said: {previous}" if k == "repeat" and previous else self._line(k))
        awaiting, self._awaiting = self._awaiting, False
        if proposal is not None:
            vague = "address_trigger" in moves and not _CONCRETE.search(text)
            reaction = self._next_step_reply(proposal, quiet=vague)
            if reaction:
                parts.append(reaction)
        if "address_trigger" in moves and not self._need_addressed:
            self._need_addressed = True
            mood.feel("need_addressed")
            if not parts:
                parts.append(self._asking("need_addressed"))
        if "invite_additions" in moves and not heard.questions:
            if self._need_addressed or self._next_step_agreed:
                parts.append(self._line("closing"))
            else:
                mood.feel("ignored")
                parts.append(self._asking("not_done"))
        if _FAREWELL.search(text) and self.evidence:  # not "thanks for calling" as a hello
            resolved = self._need_addressed or self._next_step_agreed
            key = "goodbye" if resolved or mood.rank == 0 else "goodbye_unresolved"
            parts.append(self._line(key))
        if _APOLOGY.search(text) and mood.irritation > 0:
            mood.feel("apology")
            if not parts:
                parts.append(self._line("apology"))
        engaged = (
            proposal is not None
            or "address_trigger" in moves
            or restating
            or bool(heard.topics)
            or any(k in text.lower() for k in p.need_keywords)
        )
        if awaiting and not engaged and not reasked:
            mood.feel("ignored")
            parts.append(self._asking("nudge_ignored"))
        elif (
            len(self.evidence) + 1 >= _SLOW_AFTER
            and not (self._need_addressed or self._next_step_agreed or self._nudged_slow)
            and not engaged
        ):
            self._nudged_slow = True
            mood.feel("slow")
            parts.append(self._asking("nudge_slow"))
        if not parts and heard.unknown:
            parts.append(self._line("clarify"))
        if not parts:
            parts.append(self._fallback(moves, heard.questions))
        return " ".join(x for x in parts if x), False, extra

    def _fallback(self, moves: dict[str, str], questions: int) -> str:
        if "restate_reason" in moves or "invite_confirm" in moves:
            return self._line("acknowledged")
        if "greet_by_name" in moves and len(self.evidence) == 0:
            return self._line("greeted")
        if "introduce_licensed" in moves:
            return self._line("introduced")
        if questions:  # a real question never gets a bare filler
            return self._line("clarify")
        return self._line("filler")

    def _readbacks(
        self, text: str, hits: list[Hit], moves: dict[str, str], heard: Heard
    ) -> list[str]:
        """Replies to read-backs: intake fields (from the detector) and situation facts."""
        out: list[str] = []
        confirms = [h.field for h in hits if h.kind == "confirm"]
        wrong = [f for f in confirms if not readback_ok(f, text, self.persona)]
        for f in wrong:
            self.mood.feel("wrong_readback")
            out.append(self._line("confirm_no", value=self.persona.say(f)))
        for _topic, ok, version in heard.confirmed:
            if not ok:
                self.mood.feel("wrong_readback")
                out.append(self._line("confirm_no", value=version))
        right = [f for f in confirms if f not in wrong]
        if "reason_for_call" in right and "restate_reason" not in moves:
            out.append(f"Not exactly. {self._reason()}")
        elif "reason_for_call" in right and not wrong and not heard.confirmed:
            out.append(self._line("acknowledged"))
        elif (right or any(ok for _, ok, _ in heard.confirmed)) and not wrong:
            out.append(self._line("confirm_yes"))
        return out

    def _next_step_reply(self, proposal: Proposal, quiet: bool = False) -> str:
        """Accept or object. ``quiet``: a vague offer while addressing the need ("I can sort
        that out for you") is answered as the need being addressed, unless it is unwanted."""
        kind = objection(self.persona, proposal, self.script.next_step.object)
        if kind is None:
            if quiet:
                return ""
            self._next_step_agreed = True
            self.mood.feel("next_step_agreed")
            return self._line("accept_next_step")
        if kind in self._objections:
            self._next_step_agreed = True
            self.mood.feel("objection_again")
            return self._line("object_again")
        self._objections.add(kind)
        self.mood.feel("objection")
        key = "object_next_step" if kind == "script" else f"object_{kind}"
        return self._asking(key)

    def _asking(self, key: str) -> str:
        """A line that asks the producer something: not answering it next is ignoring it."""
        line = self._line(key)
        self._awaiting = line.rstrip().endswith("?") or self._awaiting
        return line

    def _caller_lines(self) -> dict[str, list[str]]:
        keys = ("clarify", "clarify_which", "clarify_who", "clarify_jargon")
        return {k: self.script.line_options(k) for k in keys}

    def _reason(self) -> str:
        return self.persona.say("reason_for_call")

    def _line(self, key: str, **extra: str) -> str:
        """A caller line: the mood's variant of ``key`` when there is one."""
        moody = f"{key}_{self.mood.level}"
        if self.mood.level != "calm" and self.script.has_line(moody):
            key = moody
        template = self._rng.choice(self.script.line_options(key))
        say_reason = self._reason()
        fields = dict(
            self.persona.values,
            short=self.persona.short,
            urgency_say=self.persona.say("urgency"),
            first_name=self.persona.first_name,
            name=self.persona.name,
            say_reason=say_reason,
            say_reason_lower=_lower_first(say_reason, self._names),
            product=self.persona.value("product_interest"),
            producer=self.producer,
            value="",
            values="",
        )
        fields.update(extra)
        return template.format(**fields).strip()

    def _record(
        self,
        speaker: str,
        text: str,
        *,
        hits: list[dict] | None = None,
        repeat_explains: list[str] | None = None,
        engine: str | None = None,
        corrected: bool = False,
        audio: bytes | None = None,
    ) -> None:
        idx = len(self.transcript)
        corrected = corrected and engine is not None  # only a heard turn can be corrected
        self.transcript.append(Turn(speaker, text, engine, corrected))
        if self.store is not None:
            self.store.add_turn(self.id, idx, speaker, text, hits, repeat_explains,
                                transcript_corrected=corrected, engine=engine)  # fmt: skip
            if audio is not None:
                self.store.save_turn_audio(self.id, idx, audio)

    # --- ending -------------------------------------------------------------------------------

    def end(self, disposition: str) -> Scorecard:
        """Tag the call with a reason code and score it (once). With a store, the scorecard
        carries the producer's certification progress (this call included) and is stored."""
        if self.scorecard is not None:
            raise SessionEndedError("This session has already been scored.")
        code = parse_disposition(disposition)
        card = build_scorecard(
            session_id=self.id,
            producer=self.producer,
            trigger=self.trigger,
            difficulty=self.difficulty,
            seed=self.seed,
            turns=self.evidence,
            disposition=code,
            real_need=self.persona.real_need,
            ended_by_caller=self.ended,
            rubric=self.rubric,
            store=self.store,
        )
        self.scorecard = card
        self.ended = True
        if self.store is not None:
            self.store.finish_session(self.id, card.to_dict())
        return card

    def abandon(self) -> None:
        """Leave without scoring (Ctrl-C); the turns so far stay in the store."""
        self.ended = True
        if self.store is not None and self.scorecard is None:
            self.store.abandon_session(self.id)
