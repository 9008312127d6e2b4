"""After-call work read from the gaps between one producer's calls, and each call's busy time.

Few exports have a wrap-up column, but one that says which producer answered (``agent``) shows
after-call work anyway: **when a producer's next call is one that had to wait, the producer was
not free at any moment of the gap before it** (a free producer takes a waiting caller at once,
and answers an arriving caller at once), so the gap from the end of the call to that answer is
the call's after-call work. A gap before a call answered at once says only that the after-call
work was at most that long, and is not used: the producer's choice of a waiting caller does
not depend on how long their after-call work took, so the gaps before a waited call are a fair
sample of it (a round trip with known after-call work recovers its mean within sampling error;
treating the other gaps as censored does not, since when an idle producer next answers depends
on when they became free). (Requiring instead that the next caller was
already waiting when the call ended would favour short after-call work: a long one gives other
producers time to take that caller first.) A producer who left for a break or other work
after a call also leaves a gap while callers wait; such gaps are far longer than after-call
work, and are set aside as **breaks** with Tukey's far-out fence on the log scale (a gap above
``exp(Q3 + 3·IQR)`` of the log gaps, and at least 5 seconds above the upper quartile; Tukey
1977), which leaves the lognormal-like body of after-call work untouched. The kept gaps are
then fitted like any duration (:func:`~sim.calibrate.durations.fit_duration`).

The end of a call is its answer plus its handle time, plus the AI's whisper when the log's
handle time starts at the bridge (a handle column) rather than at the answer. Agents are numbers
here (see :func:`sim.calllog.table.agent_codes`): no name or id is read or written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "BREAK_FENCE_IQR",
    "WrapUpGaps",
    "busy_release",
    "call_clock",
    "wrap_up_gaps",
]

BREAK_FENCE_IQR = 3.0
"""Tukey's far-out fence, in interquartile ranges of the log gaps above the upper quartile."""

_SLACK = 1.0 / 60  # a second of export rounding


def call_clock(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per call, local clock minutes since the epoch of the transfer request, the answer and
    the start (the day and minute of day the log was read in)."""
    day = pd.to_datetime(df["date"]).to_numpy().astype("datetime64[D]").astype(np.int64)
    start = day * 1440.0 + df["minute_of_day"].to_numpy(float)
    queued = start + df["transfer_minutes"].fillna(0).to_numpy(float)
    answer = queued + df["wait_minutes"].fillna(0).to_numpy(float)
    return queued, answer, start


def _whisper(df: pd.DataFrame, whisper_minutes: float) -> np.ndarray:
    """The whisper each call's handle time leaves out (AI path only)."""
    return np.where(df["handled_by"].astype("string").fillna("") == "ai", whisper_minutes, 0.0)


@dataclass(frozen=True)
class WrapUpGaps:
    """After-call work of one producer group, read from its producers' gaps."""

    group: str
    gaps: np.ndarray
    """Minutes of each measured gap kept as after-call work (the exact ones)."""
    breaks: int
    """Gaps set aside as breaks or other work (beyond the fence)."""
    fence: float
    """Longest gap kept as after-call work, minutes (inf: no fence)."""
    per_call: pd.Series
    """Each measured call's after-call work (by the frame's index; only measured calls)."""


def wrap_up_gaps(df: pd.DataFrame, whisper_minutes: float = 0.0) -> dict[str, WrapUpGaps]:
    """Every group's after-call work from the gaps between its producers' calls (``df``: a
    :class:`~sim.calllog.CallLog` frame with an ``agent`` column; ``whisper_minutes``: the
    AI's whisper, when the log's handle time leaves it out). Groups without a measured gap are
    left out."""
    if "agent" not in df:
        return {}
    calls = df[(df["outcome"] == "connected") & df["agent"].notna()
               & df["handle_minutes"].notna() & df["producer_group"].notna()]  # fmt: skip
    if calls.empty:
        return {}
    queued, answer, _ = call_clock(calls)
    end = answer + calls["handle_minutes"].to_numpy(float) + _whisper(calls, whisper_minutes)
    frame = pd.DataFrame(
        {"group": calls["producer_group"].to_numpy(), "agent": calls["agent"].to_numpy(),
         "queued": queued, "answer": answer, "end": end}, index=calls.index,
    ).sort_values(["group", "agent", "answer"], kind="stable")  # fmt: skip
    same = (frame["agent"].to_numpy()[1:] == frame["agent"].to_numpy()[:-1]) & (
        frame["group"].to_numpy()[1:] == frame["group"].to_numpy()[:-1]
    )
    prev_end = frame["end"].to_numpy()[:-1]
    nxt_queued, nxt_answer = frame["queued"].to_numpy()[1:], frame["answer"].to_numpy()[1:]
    ordered = same & (nxt_answer >= prev_end - _SLACK)
    exact = ordered & (nxt_answer - nxt_queued > _SLACK)  # the next caller had waited
    gap = np.clip(nxt_answer - prev_end, 0.0, None)
    out = {}
    groups = frame["group"].to_numpy()[:-1]
    index = frame.index.to_numpy()[:-1]
    for g in pd.unique(groups[exact]):
        mine = exact & (groups == g)
        values = gap[mine]
        fence = _fence(values)
        kept = values <= fence
        per_call = pd.Series(values[kept], index=index[mine][kept])
        out[str(g)] = WrapUpGaps(str(g), values[kept], int((~kept).sum()), fence, per_call)
    return out


def _fence(gaps: np.ndarray) -> float:
    """Tukey's far-out fence on the log of the positive gaps (inf with fewer than 8)."""
    positive = gaps[gaps > _SLACK]
    if len(positive) < 8:
        return math.inf
    q1, q3 = np.quantile(np.log(positive), [0.25, 0.75])
    # at least a few seconds above the upper quartile: a constant wrap-up, rounded to seconds
    return float(max(math.exp(q3 + BREAK_FENCE_IQR * (q3 - q1)), math.exp(q3) + 5 * _SLACK))


def busy_release(
    df: pd.DataFrame,
    wrap_mean: dict[str, float],
    measured: dict[str, WrapUpGaps],
    whisper_minutes: float,
) -> pd.DataFrame:
    """``df`` with ``wrap_up_minutes`` filled where the log leaves it blank (each call's own
    measured gap, else its group's fitted mean) and ``handle_minutes`` including the whisper
    the log's handle time leaves out: what a producer's busy time from answer to release is."""
    out = df.copy()
    wrap = out["wrap_up_minutes"].copy()
    for gaps in measured.values():
        blank = wrap.loc[gaps.per_call.index].isna()
        wrap.loc[gaps.per_call.index[blank.to_numpy()]] = gaps.per_call[blank.to_numpy()]
    answered = out["outcome"].isin(["connected", "failed"])
    by_group = out["producer_group"].map(wrap_mean).astype(float)
    out["wrap_up_minutes"] = wrap.where(wrap.notna() | ~answered, by_group)
    if whisper_minutes > 0:
        out["handle_minutes"] = out["handle_minutes"] + _whisper(out, whisper_minutes)
    return out
