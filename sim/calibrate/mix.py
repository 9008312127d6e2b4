"""The call mix: call-type shares, AI rollout, containment and trigger mix by type, AI talk time,
and the conversion of connected transfers.

Every share is a proportion with a binomial standard error and a Wilson score interval (Wilson,
JASA 1927). A type with fewer than :data:`~sim.calibrate.common.MIN_TYPE_CALLS` AI-handled
calls (or transfers with a trigger) keeps the base scenario's value, or the all-types one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from sim.calibrate.common import (
    MIN_DURATIONS,
    MIN_TYPE_CALLS,
    OFFERED,
    proportion,
    shares,
    trigger_name,
)
from sim.calibrate.durations import DurationFit, duration_parameters, fit_duration
from sim.calibrate.report import Parameter
from sim.scenario import DEFAULT_TRIGGERS, Scenario

__all__ = ["AiFit", "MixFit", "fit_ai", "fit_call_types", "fit_conversion"]

_TRIGGER_COLUMNS = ["call_type", "trigger", "calls", "share", "se", "ci_low", "ci_high"]
_DEFAULT_MIX = {name: 0.25 for name in DEFAULT_TRIGGERS}


@dataclass(frozen=True)
class _Calls:
    """The inbound calls and what every type's fit needs from them."""

    inbound: pd.DataFrame
    types: pd.Series
    is_ai: pd.Series
    offered: pd.Series
    n_ai: int
    overall_containment: float
    base_types: dict


@dataclass(frozen=True)
class _TypeFit:
    section: dict[str, Any]
    """The type's ``call_types`` entry (its share is set by the caller)."""
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]
    row: dict[str, Any]
    trigger_rows: tuple[dict[str, Any], ...]


def _containment(calls: _Calls, name: str, mask: pd.Series):
    """(AI calls, contained, containment, parameters, notes) of one call type."""
    ai_t = int((mask & calls.is_ai).sum())
    cont_t = int((mask & calls.is_ai & (calls.inbound["outcome"] == "contained")).sum())
    if ai_t >= MIN_TYPE_CALLS:
        p = proportion(cont_t, ai_t)
        method = "proportion of AI-handled calls the AI resolved"
        param = Parameter.of_proportion(
            f"AI containment of {name}", f"call_types.{name}.containment", p, method
        )
        return ai_t, cont_t, cont_t / ai_t, (param,), ()
    base_ct = calls.base_types.get(name)
    containment = base_ct.containment if base_ct is not None else calls.overall_containment
    notes: tuple[str, ...] = ()
    if calls.n_ai:
        notes = (
            f"{name}: only {ai_t} AI-handled calls; containment "
            f"{containment:.2f} taken from the base scenario or all types.",
        )
    return ai_t, cont_t, containment, (), notes


def _trigger_mix(calls: _Calls, name: str, mask: pd.Series):
    """(mix, transfers with a trigger, table rows, notes) of one call type."""
    trig = calls.inbound.loc[mask & calls.offered, "trigger"].dropna().map(trigger_name)
    if len(trig) < MIN_TYPE_CALLS:
        base_ct = calls.base_types.get(name)
        mix = dict(base_ct.triggers if base_ct is not None else _DEFAULT_MIX)
        note = (
            f"{name}: {len(trig)} transfers with a trigger; trigger mix taken "
            "from the base scenario or defaults."
        )
        return mix, len(trig), (), (note,)
    counts = trig.value_counts()
    rows = []
    for tname, tcount in counts.items():
        p = proportion(tcount, len(trig))
        rows.append({"call_type": name, "trigger": tname, "calls": int(tcount),
                     "share": p.estimate, "se": p.se, "ci_low": p.ci_low,
                     "ci_high": p.ci_high})  # fmt: skip
    return shares(counts), len(trig), tuple(rows), ()


def _fit_type(calls: _Calls, name: str, count: int) -> _TypeFit:
    """Share, containment and trigger mix of one call type."""
    n = len(calls.inbound)
    mask = calls.types == name
    share = Parameter.of_proportion(
        f"share of {name} calls", f"call_types.{name}.share", proportion(count, n), "proportion"
    )
    ai_t, cont_t, containment, cont_params, cont_notes = _containment(calls, name, mask)
    mix, n_trig, trig_rows, trig_notes = _trigger_mix(calls, name, mask)
    row = {"call_type": name, "calls": int(count), "share": count / n, "ai_calls": ai_t,
           "contained": cont_t, "containment": containment,
           "transfers_with_trigger": n_trig}  # fmt: skip
    section = {"containment": round(containment, 4), "triggers": mix}
    return _TypeFit(section, (share, *cont_params), (*cont_notes, *trig_notes), row, trig_rows)


def _known_triggers(df: pd.DataFrame, base: Scenario | None) -> list[str]:
    """The base's (or default) triggers, then any other trigger the log names."""
    known = list(base.triggers if base is not None else DEFAULT_TRIGGERS)
    for trig in df["trigger"].dropna().map(trigger_name).unique():
        if trig not in known:
            known.append(trig)
    return known


@dataclass(frozen=True)
class MixFit:
    """The fitted ``triggers`` and ``call_types`` sections, with their evidence."""

    triggers: list[str]
    call_types: dict[str, dict[str, Any]]
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]
    tables: dict[str, pd.DataFrame]
    """``call_types`` and ``triggers``."""


def _calls(inbound: pd.DataFrame, base: Scenario | None) -> tuple[_Calls, tuple[str, ...]]:
    types = inbound["call_type"].fillna("other")
    notes: tuple[str, ...] = ()
    if inbound["call_type"].isna().all():
        types = pd.Series("general", index=inbound.index)
        notes = ("The log has no call types: one type, 'general'.",)
    is_ai = inbound["handled_by"] == "ai"
    n_ai = int(is_ai.sum())
    overall = float((inbound["outcome"][is_ai] == "contained").mean()) if n_ai else 0.5
    base_types = base.call_types if base is not None else {}
    offered = inbound["outcome"].isin(OFFERED)
    return _Calls(inbound, types, is_ai, offered, n_ai, overall, base_types), notes


def fit_call_types(inbound: pd.DataFrame, df: pd.DataFrame, base: Scenario | None) -> MixFit:
    """Share, containment and trigger mix of every call type (``df``: all calls, whose
    triggers name the scenario's triggers)."""
    calls, notes = _calls(inbound, base)
    type_counts = calls.types.value_counts()
    rounded = shares(type_counts)
    fits = [_fit_type(calls, name, count) for name, count in type_counts.items()]
    call_types = {
        str(name): {"share": rounded[str(name)], **fit.section}
        for name, fit in zip(type_counts.index, fits, strict=True)
    }
    tables = {
        "call_types": pd.DataFrame([fit.row for fit in fits]),
        "triggers": pd.DataFrame(
            [row for fit in fits for row in fit.trigger_rows], columns=_TRIGGER_COLUMNS
        ),
    }
    parameters = tuple(p for fit in fits for p in fit.parameters)
    notes = (*notes, *(note for fit in fits for note in fit.notes))
    return MixFit(_known_triggers(df, base), call_types, parameters, notes, tables)


@dataclass(frozen=True)
class AiFit:
    """The fitted ``ai`` section, with its evidence."""

    section: dict[str, Any]
    parameters: tuple[Parameter, ...]
    notes: tuple[str, ...]
    fits: tuple[tuple[str, DurationFit], ...] = ()


def fit_ai(inbound: pd.DataFrame, df: pd.DataFrame, base_ai: dict) -> AiFit:
    """AI rollout (share of inbound calls the AI handled) and talk time (of all AI calls,
    outbound too: the likelier family's shape at the sample mean); no AI-handled calls give the
    all-human baseline."""
    n_ai = int((inbound["handled_by"] == "ai").sum())
    if not n_ai:
        note = "No AI-handled calls in the log: the scenario is the all-human baseline."
        return AiFit({"enabled": False}, (), (note,))
    p = proportion(n_ai, len(inbound))
    rollout = Parameter.of_proportion(
        "AI rollout (share of inbound calls the AI handled)", "ai.rollout", p,
        "proportion (AI overflow to humans counts as not handled)",
    )  # fmt: skip
    section = {**base_ai, "enabled": True, "rollout": round(p.estimate, 4)}
    talk = df.loc[df["handled_by"] == "ai", "ai_minutes"].dropna()
    if len(talk) < MIN_DURATIONS:
        note = (
            f"Only {len(talk)} AI talk times in the log: talk_minutes kept from the "
            "base scenario or defaults."
        )
        return AiFit(section, (rollout,), (note,))
    fit = fit_duration(talk.to_numpy(), mean="sample")
    section["talk_minutes"] = fit.dist
    params = duration_parameters("AI talk minutes", "ai.talk_minutes", fit)
    return AiFit(section, (rollout, *params), (), (("AI talk", fit),))


def fit_conversion(df: pd.DataFrame) -> tuple[Parameter, ...]:
    """Conversion after a connected transfer: reported, not fitted (the scenario's outcomes
    also depend on what a call log does not show)."""
    conv = df.loc[df["outcome"] == "connected", "converted"].dropna()
    if not len(conv):
        return ()
    p = proportion(int(conv.astype(bool).sum()), len(conv))
    method = (
        "the scenario's outcomes.* rates are kept: they also depend on repeat-explain and "
        "missing intake, which a call log does not show"
    )
    return (
        Parameter.of_proportion(
            "conversion after a connected transfer (report only)", "", p, method
        ),
    )
