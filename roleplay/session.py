"""A practice call: the producer talks to a scripted caller who was just warm-transferred.

The session is a small state machine driven by the trigger's script. The caller opens with why
they called; then, for each producer utterance, the caller replies to (in priority order):

1. a **re-ask** of something already known (captured by the AI, or said earlier in this call):
   irritation grows with each one and the third ends the call;
2. a question about something **not yet captured**: answered from the persona;
3. a **proposed next step**: accepted, or objected to once per the script;
4. the producer **addressing the need** behind the trigger;
5. an invitation to **add anything** (the caller closes if the need was addressed);
6. a **restatement / read-back** with a check: the caller confirms;
7. a **greeting by name** or introduction; anything else gets a short filler.

Every turn is written to the store (if any) as it happens. Same trigger, seed and producer
lines → same caller, same packet and same replies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from roleplay.detect import detect
from roleplay.disposition import parse_disposition
from roleplay.packet import DIFFICULTIES, IntakePacket, UnknownDifficultyError, build_packet
from roleplay.packet import make_whisper as _make_whisper
from roleplay.personas import Persona, make_persona
from roleplay.scoring import Rubric, Scorecard, TurnEvidence, build_scorecard, checklist_moves
from roleplay.scripts import CallerScript, load_script
from roleplay.store import Store

__all__ = ["Reply", "Session", "SessionEndedError", "Turn"]

HANG_UP_AFTER = 3
"""The caller hangs up on this re-ask."""


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


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    if first == "I" or first.startswith("I'"):
        return text
    return text[:1].lower() + text[1:]


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
        self._objected = False
        self._rng = random.Random(f"lines:{script.trigger}:{seed}")
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

    def say(self, text: str) -> Reply:
        """The producer says ``text``; returns the caller's reply."""
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
        self._record("producer", text, hits=hit_dicts, repeat_explains=reasked)
        reply, ended = self._reply(text, reasked, new_asks, moves, hits)
        for f in new_asks:
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
        hits: list,
    ) -> tuple[str, bool]:
        if reasked:
            self._reasks += len(reasked)
            if self._reasks >= HANG_UP_AFTER:
                return self._line("reask_3"), True
            values = " ".join(self.persona.say(f) for f in reasked)
            parts = [self._line(f"reask_{self._reasks}", values=values)]
            parts += [self.persona.say(f) for f in new_asks]
            return " ".join(parts), False
        if new_asks:
            said = " ".join(self.persona.say(f) for f in new_asks)
            return self._line("answer", value=said), False
        if "next_step_owner" in moves:
            return self._next_step_reply(text), False
        if "address_trigger" in moves and not self._need_addressed:
            self._need_addressed = True
            return self._line("need_addressed"), False
        if "invite_additions" in moves:
            if self._need_addressed or self._next_step_agreed:
                return self._line("closing"), False
            return f"Well, I still need help with what I called about. {self._reason()}", False
        confirms = {h.field for h in hits if h.kind == "confirm"}
        if "reason_for_call" in confirms and "restate_reason" not in moves:
            return f"Not exactly. {self._reason()}", False
        if confirms:
            return self._line("confirm_yes"), False
        if "restate_reason" in moves or "invite_confirm" in moves:
            return self._line("acknowledged"), False
        if "greet_by_name" in moves and len(self.evidence) == 0:
            return self._line("greeted"), False
        if "introduce_licensed" in moves:
            return self._line("introduced"), False
        return self._line("filler"), False

    def _next_step_reply(self, text: str) -> str:
        low = text.lower()
        objects = [w for w in self.script.next_step.object if w in low]
        if objects and not self._objected:
            self._objected = True
            return self._line("object_next_step")
        self._next_step_agreed = True
        return self._line("accept_next_step")

    def _reason(self) -> str:
        return self.persona.say("reason_for_call")

    def _line(self, key: str, **extra: str) -> str:
        template = self._rng.choice(self.script.line_options(key))
        say_reason = self._reason()
        fields = dict(
            self.persona.values,
            first_name=self.persona.first_name,
            name=self.persona.name,
            say_reason=say_reason,
            say_reason_lower=_lower_first(say_reason),
            product=self.persona.value("product_interest"),
            producer=self.producer,
            value="",
            values="",
        )
        fields.update(extra)
        return template.format(**fields).strip()

    def _record(self, speaker: str, text: str, **extra: list) -> None:
        idx = len(self.transcript)
        self.transcript.append(Turn(speaker, text))
        if self.store is not None:
            self.store.add_turn(self.id, idx, speaker, text, **extra)

    # --- ending -------------------------------------------------------------------------------

    def end(self, disposition: str) -> Scorecard:
        """Tag the call with a reason code and score it (once)."""
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
