"""Misroutes and the producer time they cost.

:func:`misroutes` reads producers' reason codes for AI transfers the AI could have finished
itself; :func:`recapture` re-simulates the calibrated scenario with them contained, with common
random numbers (the same seeds before and after), so the difference is the correction, not
noise.

Note: inside the package ``sim.calibrate.misroutes`` is this function, not this module; import
from the module with ``from sim.calibrate.misroutes import Recapture`` (which always works).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sim.calibrate.common import OFFERED, shares, trigger_name
from sim.calibrate.report import Calibration
from sim.calllog import CallLog, normalise_name
from sim.loader import scenario_from_dict
from sim.scenario import Scenario

__all__ = ["DEFAULT_CONTAINABLE", "Misroutes", "Recapture", "misroutes", "recapture"]

# fmt: off
DEFAULT_CONTAINABLE = frozenset(
    {
        "billing", "billing_question", "billing_inquiry", "payment", "payment_question",
        "make_a_payment", "policy_question", "policy_service", "service_request", "id_card",
        "id_cards", "proof_of_insurance", "address_change", "document_request",
        "general_question", "faq", "hours",
    }
)
"""Reason codes (normalised: lower case, words joined by ``_``) for work the AI is set up to
finish itself: billing and payments, policy questions and simple service requests."""
# fmt: on

_TABLE_COLUMNS = [
    "call_type", "reason_code", "calls", "calls_per_day", "share_of_type_transfers",
    "producer_minutes", "producer_minutes_per_day", "top_trigger", "high_volume",
]  # fmt: skip
_KPIS = ["containment_rate", "transfer_rate", "producer_occupancy", "abandonment_rate",
         "mean_wait_minutes", "service_level", "total_cost"]  # fmt: skip


@dataclass
class Misroutes:
    """AI transfers a producer tagged with a reason code the AI could have handled."""

    table: pd.DataFrame
    """Per call type and reason code: calls, calls per day, share of the type's AI transfers,
    producer minutes (handle + wrap-up) in total and per day, the most common trigger, and
    whether it is high-volume."""
    rule: str
    transfers: pd.Series
    """AI transfers per call type (the denominators)."""
    days: int

    @property
    def high_volume(self) -> pd.DataFrame:
        return self.table[self.table["high_volume"]]


def _codes(frame: pd.DataFrame) -> pd.Series:
    """Reason codes normalised (empty where blank)."""
    return frame["reason_code"].map(lambda v: normalise_name(v) if isinstance(v, str) else "")


def _misroute_row(key, part: pd.DataFrame, per_type: pd.Series, days: int,
                  min_count: int, min_share: float) -> dict:  # fmt: skip
    """One row of the misroute table: a call type × reason code."""
    ctype, reason = key
    calls = len(part)
    share = calls / per_type[ctype]
    trig = part["trigger"].dropna().map(trigger_name)
    minutes = float(part["producer_minutes"].sum())
    return {
        "call_type": ctype, "reason_code": reason, "calls": calls,
        "calls_per_day": calls / days, "share_of_type_transfers": share,
        "producer_minutes": minutes, "producer_minutes_per_day": minutes / days,
        "top_trigger": trig.mode().iloc[0] if len(trig) else "",
        "high_volume": bool(calls >= min_count and share >= min_share),
    }  # fmt: skip


def misroutes(
    log: CallLog | Calibration,
    containable: set[str] | frozenset[str] = DEFAULT_CONTAINABLE,
    min_count: int = 10,
    min_share: float = 0.02,
) -> Misroutes:
    """Transfers the AI could have finished, from the producers' reason codes.

    Rule: a **misroute** is an inbound call the AI handled and transferred to a producer (it
    was offered: answered, hung up, failed …) whose reason code, normalised, is in
    ``containable``. A call type × reason code is **high-volume** when it has at least
    ``min_count`` misroutes and they are at least ``min_share`` of that type's AI transfers.
    """
    df = log.log.frame if isinstance(log, Calibration) else log.frame
    ai_transfers = df[(df["direction"] == "inbound") & (df["handled_by"] == "ai")
                      & df["outcome"].isin(OFFERED)]  # fmt: skip
    days = max(int(df.loc[df["direction"] == "inbound", "date"].nunique()), 1)
    per_type = ai_transfers["call_type"].fillna("other").value_counts()
    codes = _codes(ai_transfers)
    wanted = {normalise_name(c) for c in containable}
    hits = ai_transfers[codes.isin(wanted)].copy()
    hits["call_type"] = hits["call_type"].fillna("other")
    hits["reason"] = codes[codes.isin(wanted)]
    hits["producer_minutes"] = hits["handle_minutes"].fillna(0) + hits["wrap_up_minutes"].fillna(0)
    rows = [
        _misroute_row(key, part, per_type, days, min_count, min_share)
        for key, part in hits.groupby(["call_type", "reason"])
    ]
    table = pd.DataFrame(rows, columns=_TABLE_COLUMNS)
    table = table.sort_values("calls", ascending=False, ignore_index=True)
    rule = (
        "A misroute is an inbound call the AI handled and transferred to a producer whose reason "
        f"code is one the AI can finish itself ({', '.join(sorted(wanted))}); high-volume means "
        f"at least {min_count} such calls and at least {min_share:.0%} of that call type's AI "
        "transfers."
    )
    return Misroutes(table, rule, per_type, days)


@dataclass
class Recapture:
    """The scenario re-run with its high-volume misroutes contained by the AI."""

    before: Scenario
    after: Scenario
    table: pd.DataFrame
    """KPI means before and after (common random numbers) and the change."""
    containment: pd.DataFrame
    """Per call type: containment before and after."""
    producer_hours_per_day: tuple[float, float]

    @property
    def hours_recaptured_per_day(self) -> float:
        """Producer busy hours per open day freed by containing the misroutes."""
        return self.producer_hours_per_day[0] - self.producer_hours_per_day[1]


def _contain(ct: dict, ctype: str, part: pd.DataFrame, calibration: Calibration) -> dict:
    """Contain one call type's misroutes in its scenario entry ``ct``: containment =
    (contained + misroutes) / AI-handled, and the misroutes leave its trigger mix."""
    ct_table = calibration.report.tables["call_types"].set_index("call_type")
    trig_table = calibration.report.tables["triggers"]
    df = calibration.log.frame
    old = ct["containment"]
    extra = int(part["calls"].sum())
    new = min(1.0, (ct_table.loc[ctype, "contained"] + extra) / ct_table.loc[ctype, "ai_calls"])
    ct["containment"] = round(new, 4)
    mis = df[(df["call_type"] == ctype) & (df["handled_by"] == "ai") & df["outcome"].isin(OFFERED)
             & _codes(df).isin(set(part["reason_code"]))]  # fmt: skip
    mis_trig = mis["trigger"].dropna().map(trigger_name).value_counts()
    counts = trig_table[trig_table["call_type"] == ctype].set_index("trigger")["calls"]
    if len(counts):
        left = (counts - mis_trig.reindex(counts.index).fillna(0)).clip(lower=0)
        if left.sum() > 0:
            ct["triggers"] = shares(left)
    return {"call_type": ctype, "misroutes": extra, "containment_before": old,
            "containment_after": ct["containment"]}  # fmt: skip


def _compare(before: Scenario, after: Scenario, replications: int, seed: int):
    """(KPI table, producer busy hours per open day before and after), same seeds."""
    from sim.results import simulate

    res = [simulate(sc, replications=replications, seed=seed) for sc in (before, after)]
    hours = [r.groups["busy_minutes"].sum() / r.replications / 60 / r.scenario.days for r in res]
    table = pd.DataFrame(
        {"metric": [*_KPIS, "producer_busy_hours_per_day"],
         "before": [*res[0].kpis[_KPIS].mean().tolist(), hours[0]],
         "after": [*res[1].kpis[_KPIS].mean().tolist(), hours[1]]}
    )  # fmt: skip
    table["change"] = table["after"] - table["before"]
    return table, (hours[0], hours[1])


def recapture(
    calibration: Calibration,
    found: Misroutes,
    replications: int = 5,
    seed: int | None = None,
    high_volume_only: bool = True,
) -> Recapture:
    """Re-run the calibrated scenario with the misroutes corrected: for each call type, the
    misrouted calls become contained (containment = (contained + misroutes) / AI-handled) and
    leave that type's trigger mix; both runs use the same seeds, so the difference is the
    correction, not noise. Producer time is busy time from the simulation (``by_group``)."""
    before = calibration.scenario
    rows = found.high_volume if high_volume_only else found.table
    ct_table = calibration.report.tables["call_types"].set_index("call_type")
    data = before.model_dump(mode="json", exclude_none=True)
    changes = [
        _contain(data["call_types"][ctype], ctype, part, calibration)
        for ctype, part in rows.groupby("call_type")
        if ctype in data["call_types"] and ctype in ct_table.index
        and ct_table.loc[ctype, "ai_calls"] > 0
    ]  # fmt: skip
    data["name"] = f"{before.name} (misroutes contained)"
    after = scenario_from_dict(data, source="<recapture>")
    seed = before.seed if seed is None else seed
    table, hours = _compare(before, after, replications, seed)
    return Recapture(before, after, table, pd.DataFrame(changes), hours)
