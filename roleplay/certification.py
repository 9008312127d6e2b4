"""Certification for live transfers: three passing practice calls over three trigger types.

Before the voice AI goes live, a sales manager certifies each producer on the practice
scorecard. One passing call proves little: a producer is **ready for live transfers** after
:data:`READY_PASSES` passing sessions covering at least :data:`READY_TRIGGERS` trigger types.
:class:`Certification` is one producer's progress towards that, with the wording every screen
uses ("1 of 3 passing calls, 1 of 3 triggers"), so the terminal, the browser and the trainer
views never disagree about who is ready.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["READY_PASSES", "READY_TRIGGERS", "Certification", "certification"]

READY_PASSES = 3
"""Passing sessions needed for certification."""
READY_TRIGGERS = 3
"""Distinct trigger types those passing sessions must cover."""


@dataclass(frozen=True)
class Certification:
    """One producer's progress towards being ready for live transfers."""

    producer: str
    sessions: int
    """Scored practice sessions."""
    passing_sessions: int
    passing_triggers: tuple[str, ...]
    """Trigger types with at least one passing session, sorted."""
    passes_needed: int = READY_PASSES
    triggers_needed: int = READY_TRIGGERS

    @property
    def ready(self) -> bool:
        """Ready for live transfers: enough passing sessions over enough triggers."""
        return (
            self.passing_sessions >= self.passes_needed
            and len(self.passing_triggers) >= self.triggers_needed
        )

    @property
    def progress(self) -> str:
        """ "1 of 3 passing calls, 1 of 3 triggers" (counts capped at what is needed)."""
        calls = min(self.passing_sessions, self.passes_needed)
        kinds = min(len(self.passing_triggers), self.triggers_needed)
        return (
            f"{calls} of {self.passes_needed} passing calls, "
            f"{kinds} of {self.triggers_needed} triggers"
        )

    @property
    def missing(self) -> str:
        """What is still missing, e.g. "1 more passing session(s); 1 more trigger type(s)"."""
        out = []
        need_passes = max(0, self.passes_needed - self.passing_sessions)
        need_kinds = max(0, self.triggers_needed - len(self.passing_triggers))
        if need_passes:
            out.append(f"{need_passes} more passing session(s)")
        if need_kinds:
            out.append(f"{need_kinds} more trigger type(s)")
        return "; ".join(out)

    @property
    def status(self) -> str:
        """One line for a scorecard: ready, or the progress and what is missing."""
        if self.ready:
            return f"ready for live transfers ({self.progress})"
        return f"not yet certified: {self.progress} (needs {self.missing})"

    def to_dict(self) -> dict:
        """Plain data, with the derived wording."""
        return {
            "producer": self.producer,
            "sessions": self.sessions,
            "passing_sessions": self.passing_sessions,
            "passing_triggers": list(self.passing_triggers),
            "passes_needed": self.passes_needed,
            "triggers_needed": self.triggers_needed,
            "ready": self.ready,
            "progress": self.progress,
            "missing": self.missing,
        }


def certification(
    producer: str,
    results: Iterable[tuple[str, bool]],
    passes: int = READY_PASSES,
    triggers: int = READY_TRIGGERS,
) -> Certification:
    """Progress from a producer's scored sessions, given as (trigger, passed) pairs."""
    results = list(results)
    passing = [t for t, ok in results if ok]
    return Certification(
        producer=producer,
        sessions=len(results),
        passing_sessions=len(passing),
        passing_triggers=tuple(sorted(set(passing))),
        passes_needed=passes,
        triggers_needed=triggers,
    )
