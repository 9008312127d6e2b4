"""The codes a call carries: how it ended, who did the intake, what happened after a miss.

Each is an :class:`enum.IntEnum`, so the per-call record stores it as a small integer (one
byte) while the code reads by name (``Outcome.CONNECTED``), as SimPy's and Python's own
enumerations do. The lower-case names are the labels of the call table's categorical columns;
the module-level tuples (:data:`OUTCOMES`, :data:`PATHS`, :data:`FALLBACKS`,
:data:`LEAD_STATUSES`) list them in code order, for the code written against positional codes.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "FALLBACKS",
    "LEAD_STATUSES",
    "OUTCOMES",
    "PATHS",
    "Direction",
    "Fallback",
    "LeadStatus",
    "Outcome",
    "Path",
    "Stage",
]


class Outcome(IntEnum):
    """How a call (or an outbound lead) ended: every one ends in exactly one of these."""

    CONTAINED = 0
    """The AI resolved it."""
    CONNECTED = 1
    """Bridged to a producer."""
    ABANDONED = 2
    """Hung up waiting for a producer."""
    FAILED = 3
    """The bridge failed technically."""
    NO_PRODUCER = 4
    """No accepting group on shift."""
    NO_ANSWER = 5
    """An outbound dial nobody answered."""
    NO_CONSENT = 6
    """An outbound lead without verified consent: never dialled."""
    DNC_SUPPRESSED = 7
    """An outbound lead on a do-not-call list: never dialled."""
    OUTSIDE_WINDOW = 8
    """An outbound lead with no calling window inside open hours: never dialled."""
    WINDOW_MISSED = 9
    """An outbound lead whose window closed while every AI line was busy."""


class Path(IntEnum):
    """Who did the intake."""

    AI = 0
    """The voice AI."""
    HUMAN = 1
    """A human (outside the rollout, AI overflow, or the AI off)."""
    NONE = 2
    """Nobody: a lead that was never reached."""


class Fallback(IntEnum):
    """What a caller who missed a producer gets (the scenario's ``transfer.fallback``)."""

    NONE = 0
    """Nothing was needed (the call never missed a producer)."""
    CALLBACK = 1
    """A producer calls back after a delay."""
    VOICEMAIL = 2
    """Voicemail: some callers leave a message, returned later."""
    DROP = 3
    """Nothing is offered."""


class LeadStatus(IntEnum):
    """The compliance control that stopped an outbound lead, in the order the checks run."""

    DIALLED = 0
    """Passed every control and is dialled."""
    NO_CONSENT = 1
    """No verified consent."""
    DNC_SUPPRESSED = 2
    """On a do-not-call list."""
    OUTSIDE_WINDOW = 3
    """The lead's calling window does not overlap the agency's open hours."""

    @property
    def outcome(self) -> Outcome:
        """The outcome of a lead stopped by this control."""
        return _LEAD_OUTCOME[self]


class Direction(IntEnum):
    """Who placed the call."""

    INBOUND = 0
    OUTBOUND = 1


class Stage(IntEnum):
    """Where a caller is in the model while it runs (not recorded)."""

    PENDING = 0
    """Not arrived yet, or an outbound dial waiting for an AI line."""
    IN_AI = 1
    """Talking to the AI."""
    WAITING = 2
    """Waiting for a producer in a group's queue."""
    WITH_PRODUCER = 3
    """With a producer (whisper, talk, wrap-up)."""
    DONE = 4
    """Left the model."""


_LEAD_OUTCOME = {
    LeadStatus.NO_CONSENT: Outcome.NO_CONSENT,
    LeadStatus.DNC_SUPPRESSED: Outcome.DNC_SUPPRESSED,
    LeadStatus.OUTSIDE_WINDOW: Outcome.OUTSIDE_WINDOW,
}


def _labels(codes: type[IntEnum]) -> tuple[str, ...]:
    labels = tuple(code.name.lower() for code in codes)
    assert [code.value for code in codes] == list(range(len(labels)))  # codes index the labels
    return labels


OUTCOMES = _labels(Outcome)
"""Outcome labels in code order."""
PATHS = _labels(Path)
"""Path labels in code order: ``("ai", "human", "none")``."""
FALLBACKS = _labels(Fallback)
"""Fallback labels in code order: ``("none", "callback", "voicemail", "drop")``."""
LEAD_STATUSES = _labels(LeadStatus)
"""Lead-status labels in code order."""
