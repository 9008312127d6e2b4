"""The intake packet and the whisper: what the producer knows before the caller is bridged.

Before a warm transfer the voice AI assembles a **packet**: the minimum viable intake (caller
name, contact number, urgency, referral source, preferred next action), the reason for calling,
the detected intent, the AI's own transcript and, for outbound calls, the consent / DNC /
calling-window checks made before dialling. It then **whispers** a short brief to the producer
while the caller holds.

Difficulty decides what the AI failed to capture: ``easy`` (everything captured), ``standard``
(three quoting details missing) and ``hard`` (four quoting details plus two minimum fields and
one of product/state missing). Asking for a missing field is correct, not a repeat-explain.
A field that does not apply to the caller's product (tobacco use on an auto or home call) is
neither captured nor missing: it is listed in ``not_applicable`` and the AI never asks it.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

from roleplay.disposition import REASON_LABELS
from roleplay.fields import FIELDS, LABELS
from roleplay.personas import Persona
from roleplay.scripts import CallerScript, common_lines

__all__ = ["DIFFICULTIES", "IntakePacket", "build_packet", "intent_words", "make_whisper"]

DIFFICULTIES: tuple[str, ...] = ("easy", "standard", "hard")
"""Allowed difficulty levels."""

_QUOTING = ("email", "date_of_birth", "coverage_amount", "current_coverage", "tobacco_use")
_MINIMUM_LOSABLE = ("contact_number", "urgency", "referral_source", "preferred_next_action")


@dataclass(frozen=True)
class IntakePacket:
    """What the AI captured and hands over with the call."""

    trigger: str
    title: str
    detected_intent: str
    direction: str
    difficulty: str
    captured: dict[str, str]
    """Field → value the AI captured (in :data:`roleplay.fields.FIELDS` order)."""
    missing: tuple[str, ...]
    """Fields the AI did not capture: the producer may ask for these."""
    ai_transcript: tuple[tuple[str, str], ...]
    """(speaker, text) pairs of the AI's intake conversation."""
    consent: dict[str, str]
    """Consent, recording and (outbound) DNC / calling-window state."""
    not_applicable: tuple[str, ...] = ()
    """Fields that do not apply to this caller's product (tobacco use outside life)."""

    def to_dict(self) -> dict:
        """Plain data, for storing as JSON."""
        out = asdict(self)
        out["ai_transcript"] = [list(t) for t in self.ai_transcript]
        out["missing"] = list(self.missing)
        out["not_applicable"] = list(self.not_applicable)
        return out


class UnknownDifficultyError(ValueError):
    """Raised for a difficulty outside :data:`DIFFICULTIES`."""

    def __init__(self, given: str) -> None:
        super().__init__(f"Unknown difficulty {given!r}. Choose one of: {', '.join(DIFFICULTIES)}.")


def _missing(difficulty: str, rng: random.Random, applicable: tuple[str, ...]) -> set[str]:
    quoting = [f for f in _QUOTING if f in applicable]
    if difficulty == "easy":
        return set()
    if difficulty == "standard":
        return set(rng.sample(quoting, 3))
    if difficulty == "hard":
        return (
            set(rng.sample(quoting, 4))
            | set(rng.sample(_MINIMUM_LOSABLE, 2))
            | {rng.choice(("product_interest", "state"))}
        )
    raise UnknownDifficultyError(difficulty)


def build_packet(
    script: CallerScript, persona: Persona, difficulty: str = "standard", seed: int = 0
) -> IntakePacket:
    """Assemble the packet for this caller; the seed decides which fields the AI missed."""
    rng = random.Random(f"packet:{script.trigger}:{seed}:{difficulty}")
    not_applicable = persona.not_applicable
    applicable = tuple(f for f in FIELDS if f not in not_applicable)
    missing = _missing(difficulty, rng, applicable)
    captured = {f: persona.value(f) for f in applicable if f not in missing}
    asks = dict(common_lines()["ai_asks"])
    if persona.situation is not None and persona.situation.customer == "existing":
        asks.update(common_lines().get("ai_asks_existing", {}))
    transcript: list[tuple[str, str]] = [("AI", script.ai_greeting)]
    if script.direction == "outbound":
        transcript.append(("Caller", "Yes, I have a minute."))
    transcript.append(("Caller", persona.say("reason_for_call")))
    for f in FIELDS:
        if f in captured and f != "reason_for_call":
            transcript += [("AI", asks[f]), ("Caller", persona.say(f))]
    transcript.append(("AI", script.ai_handoff))
    consent = {"recording": "disclosed at start of call"}
    if script.direction == "outbound":
        consent |= {
            "prior_express_written_consent": "verified (web form on file)",
            "dnc": "checked before dial: not listed",
            "calling_window": f"inside 8am–9pm local time for {persona.value('state')}",
        }
    return IntakePacket(
        trigger=script.trigger,
        title=script.title,
        detected_intent=script.detected_intent,
        direction=script.direction,
        difficulty=difficulty,
        captured=captured,
        missing=tuple(f for f in FIELDS if f in missing),
        ai_transcript=tuple(transcript),
        consent=consent,
        not_applicable=not_applicable,
    )


def intent_words(code: str) -> str:
    """A detected-intent code (``pricing_question``) as the producer reads it ("Pricing
    question")."""
    return REASON_LABELS.get(code) or code.replace("_", " ").capitalize()


def make_whisper(script: CallerScript, packet: IntakePacket) -> str:
    """The AI's brief to the producer before the caller is connected."""
    c = packet.captured
    name = c["caller_name"]
    parts = [
        f"Warm transfer: {script.whisper_headline}.",
        f"{name} — {c['reason_for_call']}.",
        f"Detected intent: {intent_words(packet.detected_intent)}.",
    ]
    if "urgency" in c:
        parts.append(f"Urgency: {c['urgency']}.")
    if "preferred_next_action" in c:
        parts.append(f"Preferred next step: {c['preferred_next_action']}.")
    captured = [LABELS[f].lower() for f in c if f not in ("caller_name", "reason_for_call")]
    if captured:
        parts.append("Already captured: " + ", ".join(captured) + ".")
    if packet.missing:
        parts.append("Not captured: " + ", ".join(LABELS[f].lower() for f in packet.missing) + ".")
    parts.append(f"Please greet {name.split()[0]} by name and don't re-ask what's captured.")
    return " ".join(parts)
