"""What a sales manager sees: scorecards, re-asks, trends, certification, CSV export.

Before the voice AI goes live, each producer does at least three simulated transfers covering
the trigger types. A producer is **ready** after three passing sessions covering at least three
trigger types (:mod:`roleplay.certification`; :func:`certification_progress` for one producer,
:func:`certification_status` for everyone). The manager also wants to know *which* captured
facts producers still re-ask (re-asks by field × trigger) and whether people improve (trend
over sessions).

The records also feed the simulator: :func:`repeat_explain_rates` gives each producer's
probability of re-asking captured information on a warm transfer — the share of their scored
practice sessions with at least one repeat-explain — and the group mean. That is the meaning
of ``outcomes.repeat_explain_rate`` in a scenario (a probability in [0, 1]; a destination group
may override it with its own ``repeat_explain_rate``), so the ROI reflects how the team
actually performs.

Every view is a function of a :class:`~roleplay.store.Store` returning a pandas DataFrame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from roleplay.certification import READY_PASSES, READY_TRIGGERS, Certification, certification
from roleplay.fields import FIELDS
from roleplay.scoring import Scorecard
from roleplay.scripts import available_triggers
from roleplay.store import ScorecardRow, Store

__all__ = [
    "READY_PASSES",
    "READY_TRIGGERS",
    "VIEWS",
    "RepeatExplainRates",
    "certification_progress",
    "certification_status",
    "export_csv",
    "producer_summary",
    "reasks_by_field_trigger",
    "repeat_explain_rates",
    "scorecards",
    "stored_scorecard",
    "trend",
]

_SCORE_COLUMNS = [
    "producer", "session_id", "started_at", "trigger", "difficulty", "seed", "score", "passed",
    "repeat_explain_count", "disposition", "real_need", "disposition_correct",
]  # fmt: skip


def _scored(store: Store, producer: str | None = None) -> pd.DataFrame:
    df = store.sessions_frame()
    if producer is not None:
        store.require_producer(producer)
        df = df[df["producer"] == producer]
    df = df[df["status"] == "scored"].copy()
    df["passed"] = df["passed"].astype(bool)
    df["disposition_correct"] = df["disposition_correct"].astype(bool)
    df["score"] = df["score"].astype(float)
    df["repeat_explain_count"] = df["repeat_explain_count"].astype(int)
    return df


def scorecards(store: Store, producer: str | None = None) -> pd.DataFrame:
    """One row per scored session, by producer then time."""
    df = _scored(store, producer)[_SCORE_COLUMNS]
    return df.sort_values(["producer", "started_at"], kind="stable").reset_index(drop=True)


def stored_scorecard(store: Store, session_id: str) -> Scorecard | None:
    """The scorecard of one scored session as it was stored (None if not scored)."""
    with Session(store.engine) as db:
        details = db.scalar(
            select(ScorecardRow.details).where(ScorecardRow.session_id == session_id)
        )
    return Scorecard.from_dict(details) if details else None


def producer_summary(store: Store) -> pd.DataFrame:
    """Per producer: sessions, passes, mean score, repeat-explains per session, triggers."""
    df = _scored(store)
    if df.empty:
        return pd.DataFrame(
            columns=[
                "producer",
                "sessions",
                "passed",
                "mean_score",
                "repeat_explains_per_session",
                "triggers",
            ]
        )
    out = df.groupby("producer").agg(
        sessions=("session_id", "count"),
        passed=("passed", "sum"),
        mean_score=("score", "mean"),
        repeat_explains_per_session=("repeat_explain_count", "mean"),
        triggers=("trigger", lambda s: ", ".join(sorted(set(s)))),
    )
    return out.reset_index()


def reasks_by_field_trigger(store: Store, producer: str | None = None) -> pd.DataFrame:
    """Count of re-asks of each field (rows) per trigger (columns), over all recorded turns
    (abandoned sessions included: a re-ask said is a re-ask made); only ``producer``'s turns
    when given."""
    turns = store.turns_frame()
    if producer is not None:
        store.require_producer(producer)
        turns = turns[turns["producer"] == producer]
    triggers = sorted(set(available_triggers()) | set(turns["trigger"]))
    table = pd.DataFrame(0, index=pd.Index(FIELDS, name="field"), columns=triggers, dtype=int)
    for trig, fields in zip(turns["trigger"], turns["repeat_explains"], strict=True):
        for f in fields:
            table.loc[f, trig] += 1
    table.columns.name = "trigger"
    return table


def trend(store: Store, producer: str | None = None, window: int = 3) -> pd.DataFrame:
    """Each producer's scored sessions in order, with a rolling mean score."""
    df = scorecards(store, producer)
    df["session_number"] = df.groupby("producer").cumcount() + 1
    df["rolling_score"] = df.groupby("producer")["score"].transform(
        lambda s: s.rolling(window, min_periods=1).mean()
    )
    cols = [
        "producer",
        "session_number",
        "started_at",
        "trigger",
        "score",
        "rolling_score",
        "repeat_explain_count",
        "passed",
    ]
    return df[cols]


def certification_progress(
    store: Store, producer: str, passes: int = READY_PASSES, triggers: int = READY_TRIGGERS
) -> Certification:
    """One producer's progress towards live transfers, from their scored sessions."""
    store.require_producer(producer)
    mine = _scored(store, producer)
    results = zip(mine["trigger"].astype(str), mine["passed"], strict=True)
    return certification(producer, results, passes, triggers)


def certification_status(
    store: Store,
    passes: int = READY_PASSES,
    triggers: int = READY_TRIGGERS,
    producer: str | None = None,
) -> pd.DataFrame:
    """Per producer: passing sessions, trigger types passed, ``ready``, what is missing and the
    progress in words ("1 of 3 passing calls, 1 of 3 triggers"); only ``producer`` when
    given."""
    df = _scored(store, producer)
    names = [producer] if producer is not None else store.producers()
    rows = []
    for name in names:
        mine = df[df["producer"] == name]
        cert = certification(
            name, zip(mine["trigger"].astype(str), mine["passed"], strict=True), passes, triggers
        )
        rows.append(
            {
                "producer": name,
                "sessions": cert.sessions,
                "passing_sessions": cert.passing_sessions,
                "passing_triggers": ", ".join(cert.passing_triggers),
                "n_passing_triggers": len(cert.passing_triggers),
                "ready": cert.ready,
                "missing": cert.missing,
                "progress": cert.progress,
            }
        )
    columns = [
        "producer",
        "sessions",
        "passing_sessions",
        "passing_triggers",
        "n_passing_triggers",
        "ready",
        "missing",
        "progress",
    ]
    return pd.DataFrame.from_records(rows, columns=columns)


@dataclass(frozen=True)
class RepeatExplainRates:
    """Per-producer repeat-explain probabilities, ready for a simulator scenario."""

    per_producer: dict[str, float]
    """Producer → share of their scored sessions with at least one repeat-explain."""
    sessions: dict[str, int]
    """Producer → number of scored sessions behind the rate."""
    group_rate: float | None
    """Mean of the producers' rates (each producer weighs the same, as each takes a share of
    transfers); None without records. Feeds ``outcomes.repeat_explain_rate``."""
    pooled_rate: float | None
    """Share over all scored sessions (producers with more practice weigh more)."""

    def scenario_overrides(self) -> dict:
        """A scenario fragment: ``{"outcomes": {"repeat_explain_rate": group_rate}}``."""
        if self.group_rate is None:
            return {}
        return {"outcomes": {"repeat_explain_rate": round(self.group_rate, 4)}}


def repeat_explain_rates(
    store: Store, producers: Iterable[str] | None = None
) -> RepeatExplainRates:
    """Repeat-explain rates from the records (see :class:`RepeatExplainRates`)."""
    df = _scored(store)
    if producers is not None:
        wanted = list(producers)
        for name in wanted:
            store.require_producer(name)
        df = df[df["producer"].isin(wanted)]
    if df.empty:
        return RepeatExplainRates({}, {}, None, None)
    any_reask = df["repeat_explain_count"] > 0
    by = any_reask.groupby(df["producer"])
    per = {str(k): float(v) for k, v in by.mean().items()}
    counts = {str(k): int(v) for k, v in by.size().items()}
    return RepeatExplainRates(
        per_producer=per,
        sessions=counts,
        group_rate=float(sum(per.values()) / len(per)),
        pooled_rate=float(any_reask.mean()),
    )


VIEWS: dict[str, Callable[[Store], pd.DataFrame]] = {
    "scorecards": scorecards,
    "summary": producer_summary,
    "reasks": lambda store: reasks_by_field_trigger(store).reset_index(),
    "trend": trend,
    "certification": certification_status,
}
"""Views by name, for export."""


def export_csv(store: Store, path: str | Path, view: str = "scorecards") -> Path:
    """Write one view (see :data:`VIEWS`) to ``path`` as CSV and return the path."""
    if view not in VIEWS:
        raise ValueError(f"Unknown view {view!r}. Choose one of: {', '.join(VIEWS)}.")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    VIEWS[view](store).to_csv(path, index=False)
    return path
