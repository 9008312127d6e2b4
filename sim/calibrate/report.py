"""The calibration report: one typed :class:`Parameter` per fitted value, the detail tables and
notes (:class:`Report`), and the fitted scenario with its report and log (:class:`Calibration`).
No personal data: a report holds only counts and estimates."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

from sim.calibrate.common import Proportion
from sim.calllog import CallLog, RowProblem
from sim.loader import scenario_to_toml
from sim.scenario import Scenario

__all__ = ["PARAMETER_COLUMNS", "Calibration", "Parameter", "Report"]


@dataclass(frozen=True)
class Parameter:
    """One fitted value: what it is, the scenario key it sets (empty: report only), the
    estimate with its standard error and 95% interval (NaN when not known), the observations
    behind it and how it was estimated."""

    parameter: str
    key: str
    estimate: float
    se: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    n: int = 0
    method: str = ""

    @classmethod
    def of_proportion(cls, parameter: str, key: str, p: Proportion, method: str) -> Parameter:
        return cls(parameter, key, p.estimate, p.se, p.ci_low, p.ci_high, p.n, method)

    def row(self) -> dict[str, object]:
        """The parameter as a row of :attr:`Report.parameters`."""
        return {
            "parameter": self.parameter,
            "key": self.key,
            "estimate": float(self.estimate),
            "se": float(self.se),
            "ci_low": float(self.ci_low),
            "ci_high": float(self.ci_high),
            "n": int(self.n),
            "method": self.method,
        }


PARAMETER_COLUMNS = tuple(f.name for f in fields(Parameter))
"""The columns of :attr:`Report.parameters`."""


@dataclass
class Report:
    """What was fitted and how well: one row per scenario parameter, plus detail tables."""

    parameters: pd.DataFrame
    """Columns: parameter, key (scenario key set), estimate, se, ci_low, ci_high, n, method."""
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Detail tables: ``intraday``, ``profile_fit``, ``daily``, ``weekday``, ``call_types``,
    ``triggers``, ``durations``, ``patience_km``, ``patience_shapes``, ``availability`` (per
    group, day and interval: available producers, interval, days measured, method) and
    ``segments``."""
    notes: list[str] = field(default_factory=list)

    @classmethod
    def build(
        cls, parameters: Iterable[Parameter], tables: dict[str, pd.DataFrame], notes: list[str]
    ) -> Report:
        return cls(pd.DataFrame([p.row() for p in parameters]), tables, notes)

    def to_text(self) -> str:
        """The report as plain text (no personal data: it holds only counts and estimates)."""
        lines = ["Fitted parameters (95% intervals):"]
        for row in self.parameters.itertuples():
            ci = (
                f" [{row.ci_low:.4g}, {row.ci_high:.4g}]"
                if np.isfinite(row.ci_low) or np.isfinite(row.ci_high)
                else ""
            )
            se = f" ± {row.se:.3g}" if np.isfinite(row.se) else ""
            lines.append(f"  {row.parameter}: {row.estimate:.4g}{se}{ci} (n={row.n}; {row.method})")
        if "weekday" in self.tables and len(self.tables["weekday"]):
            lines.append(
                "Weekday index (calls on that weekday / average open day): "
                + _weekday_index(self.tables["weekday"])
            )
        lines.extend(self.notes)
        return "\n".join(lines)


def _weekday_index(weekday: pd.DataFrame) -> str:
    return ", ".join(f"{r.weekday} {r.index:.2f}" for r in weekday.itertuples())


@dataclass
class Calibration:
    """A scenario fitted to a call log, the report behind it and the rows left out."""

    scenario: Scenario
    report: Report
    problems: list[RowProblem]
    log: CallLog

    def to_toml(self) -> str:
        """The scenario as TOML with a header saying where it came from (no personal data)."""
        return scenario_to_toml(self.scenario, header=self.header())

    def header(self) -> str:
        log, sc = self.log, self.scenario
        p = self.report.parameters.set_index("parameter")
        lines = [
            f"Calibrated by handoff-lab from {log.source}: {log.rows_used} of {log.rows_read} "
            f"rows used, {log.rows_with_problems} left out (see the calibration report).",
            "Fitted from the log: hours (the producers' hours; weekdays when the log spans "
            "three weeks of each), inbound (calls_per_day, profile), call_types, ai (enabled, "
            "rollout, talk_minutes), destinations (names, rosters of producers available per "
            "interval, handle and wrap-up minutes), segments (when the log has a segment "
            "column), transfer (patience_minutes, failure_rate), outbound (answered dials per "
            "day, containment, triggers, calling window; unless the base has a campaign).",
            "Not in a call log, kept from the base scenario or defaults: costs, outcomes, intake, "
            "the outbound answer, consent and DNC rates, ring_seconds, whisper_seconds, "
            "fallback.",
        ]
        if "patience mean (minutes)" in p.index:
            r = p.loc["patience mean (minutes)"]
            shape = getattr(sc.transfer.patience_minutes, "dist", "exponential")
            lines.append(
                f"Patience mean {r.estimate:.3g} min (95% CI {r.ci_low:.3g}–"
                f"{r.ci_high:.3g}) from {r.n} offered callers ({shape}, censored MLE)."
            )
        wk = self.report.tables.get("weekday")
        if wk is not None and len(wk):
            how = (
                "written as hours.weekdays; calls_per_day is the default day"
                if getattr(sc.hours, "weekdays", None)
                else "no scenario key; calls_per_day is the average open day"
            )
            lines.append(f"Weekday index ({how}): " + _weekday_index(wk))
        lines.append(f"Simulate with: handoff-lab simulate <this file>  ({sc.name})")
        return "\n".join(lines)

    def summary(self) -> str:
        """Log summary and report, for the command line."""
        return self.log.summary() + "\n" + self.report.to_text()
