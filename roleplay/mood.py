"""The caller's mood over one call: irritation that builds and eases, and shows in the words.

Irritation is a running score. Being made to repeat an intake field costs the most; being
asked again about something said earlier in the call, being ignored (the caller asked
something and the producer went elsewhere), an unwanted next step, a read-back that gets a
fact wrong, and a slow start (the need still untouched several turns in) add to it. Having the
need addressed, agreeing a next step and an apology ease it. Callers who asked for a person
start impatient.

The score maps to a level (``calm``, ``impatient``, ``annoyed``, ``angry``); the session picks
a line's mood variant (``goodbye_annoyed``) when there is one, so the mood carries through to
the closing and the goodbye.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LEVELS", "POINTS", "Mood"]

LEVELS: tuple[str, ...] = ("calm", "impatient", "annoyed", "angry")
"""Mood levels, from best to worst."""

POINTS: dict[str, int] = {
    "reask": 2,
    "said_before": 1,
    "ignored": 1,
    "slow": 1,
    "objection": 1,
    "objection_again": 2,
    "wrong_readback": 1,
    "need_addressed": -2,
    "next_step_agreed": -1,
    "apology": -1,
}
"""How much each event moves the irritation score (negative: it eases)."""

_THRESHOLDS = (2, 4, 6)  # score at which impatient, annoyed, angry start


@dataclass
class Mood:
    """Irritation so far, with the events that moved it."""

    irritation: int = 0
    events: list[tuple[str, int]] = field(default_factory=list)

    def feel(self, event: str) -> None:
        """Record ``event`` (a key of :data:`POINTS`); the score never drops below zero."""
        points = POINTS[event]
        self.irritation = max(0, self.irritation + points)
        self.events.append((event, self.irritation))

    @property
    def level(self) -> str:
        """The mood level for the current score."""
        return LEVELS[sum(self.irritation >= t for t in _THRESHOLDS)]

    @property
    def rank(self) -> int:
        """0 (calm) to 3 (angry)."""
        return LEVELS.index(self.level)
