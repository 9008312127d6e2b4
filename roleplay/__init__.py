"""Role-play practice for producers receiving warm transfers from a voice AI.

A producer opens a practice call (:meth:`Session.start`), reads the AI's intake packet and
whisper, talks to a scripted caller (:meth:`Session.say`) and gets a :class:`Scorecard`
(:meth:`Session.end`) showing, turn by turn, where they made the caller repeat themselves
(:func:`detect_requests`), how the score adds up (:class:`ScorePart`) and, with the records,
the producer's :class:`Certification` progress. Records go to a :class:`Store`;
:mod:`roleplay.trainer` turns them into the manager's views, certification status
(:func:`certification_progress`), stored scorecards (:func:`stored_scorecard`) and the
simulator's repeat-explain rates.
"""

from roleplay.certification import Certification
from roleplay.detect import Hit, detect, detect_requests, explain
from roleplay.disposition import REASON_CODES
from roleplay.fields import FIELDS, MINIMUM_FIELDS
from roleplay.packet import DIFFICULTIES, IntakePacket
from roleplay.scoring import (
    CHECKLIST,
    ChecklistItem,
    Rubric,
    Scorecard,
    ScorePart,
    TurnEvidence,
)
from roleplay.scripts import UnknownTriggerError, available_triggers
from roleplay.session import Reply, Session, SessionEndedError, Turn
from roleplay.store import Store, UnknownProducerError
from roleplay.trainer import (
    RepeatExplainRates,
    certification_progress,
    certification_status,
    export_csv,
    reasks_by_field_trigger,
    repeat_explain_rates,
    scorecards,
    stored_scorecard,
    trend,
)

__all__ = [
    "CHECKLIST",
    "DIFFICULTIES",
    "FIELDS",
    "MINIMUM_FIELDS",
    "REASON_CODES",
    "Certification",
    "ChecklistItem",
    "Hit",
    "IntakePacket",
    "RepeatExplainRates",
    "Reply",
    "Rubric",
    "ScorePart",
    "Scorecard",
    "Session",
    "SessionEndedError",
    "Store",
    "Turn",
    "TurnEvidence",
    "UnknownProducerError",
    "UnknownTriggerError",
    "available_triggers",
    "certification_progress",
    "certification_status",
    "detect",
    "detect_requests",
    "explain",
    "export_csv",
    "reasks_by_field_trigger",
    "repeat_explain_rates",
    "scorecards",
    "stored_scorecard",
    "trend",
]
