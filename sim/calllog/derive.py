"""What a call log implies beyond what it says: minutes between its times, the handler and
outcome of rows that leave them blank, and the checks that the times are in order.

Waits are measured from the transfer request to the answer, or to the hang-up for callers who
hung up; handle time, when not given, from the answer to the end of the call. Times more than
one second (export rounding) out of order are flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calllog.parsing import Durations, Labels, Times
from sim.calllog.privacy import Texts
from sim.calllog.problems import RowFlags
from sim.calllog.table import RawTable

__all__ = ["Derived", "derive", "flag_repeated_ids"]

_SLACK = 1.0 / 60  # one second of rounding
_HUNG_UP = ["abandoned", "no_producer", "voicemail"]


@dataclass(frozen=True)
class Derived:
    """Handler, outcome and the durations in minutes of every row, filled in from the times."""

    handled_by: np.ndarray
    outcome: np.ndarray
    ai_minutes: np.ndarray
    transfer_minutes: np.ndarray
    """Call start to transfer request."""
    wait_minutes: np.ndarray
    """Transfer request to answer, or to hang-up."""
    handle_minutes: np.ndarray
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Elapsed:
    ai_talk: np.ndarray
    transfer: np.ndarray
    to_answer: np.ndarray
    """Transfer request to answer."""
    to_end: np.ndarray
    """Transfer request to end of call."""


def _elapsed(times: Times, durations: Durations, flags: RowFlags) -> _Elapsed:
    """Minutes between the times, flagging times before the ones they follow."""
    start = times.started_at
    ai_talk = durations.ai_minutes.copy()
    from_end = times.ai_ended_at - start
    ai_talk = np.where(np.isnan(ai_talk), from_end, ai_talk)
    transfer = times.transferred_at - start
    to_answer = times.answered_at - times.transferred_at
    to_end = times.ended_at - times.transferred_at
    flags.flag(transfer < -_SLACK, "transferred_at", "before the call started")
    flags.flag(to_answer < -_SLACK, "answered_at", "before the transfer was requested")
    flags.flag(times.ended_at - start < -_SLACK, "ended_at", "before the call started")
    flags.flag(from_end < -_SLACK, "ai_ended_at", "before the call started")
    return _Elapsed(ai_talk, np.clip(transfer, 0, None), to_answer, to_end)


@dataclass(frozen=True)
class _Inferred:
    handled_by: np.ndarray
    outcome: np.ndarray
    answered: np.ndarray
    notes: tuple[str, ...]


def _infer(
    table: RawTable,
    labels: Labels,
    trigger: np.ndarray,
    times: Times,
    durations: Durations,
    elapsed: _Elapsed,
    flags: RowFlags,
) -> _Inferred:
    """Blank handlers: AI if the AI talked or contained the call. Blank outcomes: connected if
    answered, abandoned if offered to a producer, contained if the AI handled it."""
    offered = ~np.isnan(elapsed.transfer) | pd.notna(trigger)
    answered = ~np.isnan(times.answered_at) | ~np.isnan(durations.handle_minutes)
    handled = labels.handled_by.copy()
    outcome = labels.outcome.copy()
    unknown_handler = pd.isna(handled)
    ai_sign = ~np.isnan(elapsed.ai_talk) | (outcome == "contained")
    handled[unknown_handler & ai_sign] = "ai"
    handled[unknown_handler & ~ai_sign] = "human"
    no_outcome = pd.isna(outcome)
    outcome[no_outcome & answered] = "connected"
    outcome[no_outcome & ~answered & offered] = "abandoned"
    outcome[no_outcome & ~answered & ~offered & (handled == "ai")] = "contained"
    still = pd.isna(outcome) & ~flags.bad
    flags.flag(still, "outcome", "no outcome, and no transfer or AI time to infer it from")
    notes = []
    if no_outcome.any() and "outcome" in table.index:
        notes.append(f"{int(no_outcome.sum())} blank outcomes were inferred from the times.")
    flags.flag(
        (outcome == "contained") & (handled == "human"),
        "outcome",
        "contained (resolved by the AI) but handled by a human",
    )
    return _Inferred(handled, outcome, answered, tuple(notes))


def derive(
    table: RawTable,
    times: Times,
    durations: Durations,
    labels: Labels,
    texts: Texts,
    flags: RowFlags,
) -> Derived:
    """Fill in handler, outcome, waits and handle times from the times of each row."""
    elapsed = _elapsed(times, durations, flags)
    inferred = _infer(table, labels, texts.trigger, times, durations, elapsed, flags)
    outcome, answered = inferred.outcome, inferred.answered
    wait = durations.wait_minutes.copy()
    after_hang_up = np.where(np.isin(outcome, _HUNG_UP), elapsed.to_end, np.nan)
    wait = np.where(np.isnan(wait), np.where(answered, elapsed.to_answer, after_hang_up), wait)
    flags.flag(
        ~answered & (elapsed.to_end < -_SLACK) & np.isnan(durations.wait_minutes),
        "ended_at",
        "the caller hung up before the transfer was requested",
    )
    handle = durations.handle_minutes.copy()
    from_answer = times.ended_at - times.answered_at
    connected = outcome == "connected"
    flags.flag(connected & (from_answer < -_SLACK), "ended_at", "before it was answered")
    handle = np.where(np.isnan(handle) & connected, from_answer, handle)
    notes = list(inferred.notes)
    if "handle_minutes" not in table and "answered_at" in table and "ended_at" in table:
        notes.append(
            "Handle time is taken as answered_at to ended_at (it includes the AI's whisper, "
            "if any)."
        )
    return Derived(
        handled_by=inferred.handled_by,
        outcome=outcome,
        ai_minutes=elapsed.ai_talk,
        transfer_minutes=elapsed.transfer,
        wait_minutes=np.clip(wait, 0, None),
        handle_minutes=handle,
        notes=tuple(notes),
    )


def flag_repeated_ids(table: RawTable, call_id: np.ndarray, flags: RowFlags) -> None:
    """Flag every row whose call id repeats an earlier row's."""
    if "call_id" in table:
        ids = pd.Series(call_id)
        flags.flag(
            (ids.duplicated() & ids.notna()).to_numpy(), "call_id", "repeats an earlier call id"
        )
