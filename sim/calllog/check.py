"""Checking a mapping against an export before calibrating: the first rows as the lab reads
them, with personal columns dropped, and which export column became which lab field.

What ``handoff-lab calibrate CALLS.csv --mapping MAP.toml --check`` prints. The whole file is
read, so a value with no mapping anywhere in it is reported (as
:class:`~sim.calllog.mapping.MappingError`) before a calibration is tried.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import IO, Literal

import pandas as pd

from sim.calllog.mapping import CallLogMapping, as_mapping
from sim.calllog.problems import RowProblem
from sim.calllog.reading import CallLog, read_call_log

__all__ = ["CHECK_COLUMNS", "MappingCheck", "check_mapping"]

CHECK_COLUMNS = (
    "line", "call_id", "started_at", "direction", "call_type", "handled_by", "outcome",
    "trigger", "producer_group", "reason_code", "converted", "ai_minutes", "transfer_minutes",
    "wait_minutes", "handle_minutes", "wrap_up_minutes",
)  # fmt: skip
"""The lab frame's columns a check shows (no caller key, no agent, no calendar columns; the
caller's ``segment`` too when the log has one)."""


@dataclass(frozen=True)
class MappingCheck:
    """The first mapped rows of an export and how its columns were read."""

    rows: pd.DataFrame
    """The first usable rows in the lab's columns (:data:`CHECK_COLUMNS`); no personal data."""
    columns: dict[str, str]
    """Lab field → the export header the mapping names for it."""
    personal_columns: list[str]
    """Export headers dropped as personal data."""
    ignored_columns: list[str]
    """Export headers the mapping does not name (not read)."""
    problems: list[RowProblem] = field(default_factory=list)
    """Problems of the rows shown (by CSV line)."""
    log: CallLog | None = field(default=None, repr=False, compare=False)
    """The whole log as read (for counts)."""

    def to_text(self) -> str:
        """What ``calibrate --check`` prints."""
        log = self.log
        lines = []
        if log is not None:
            how = f" with the mapping {log.mapping}" if log.mapping else ""
            lines.append(
                f"{log.source}{how}: {log.rows_read:,} rows read, {log.rows_used:,} usable, "
                f"{log.rows_with_problems:,} with problems."
            )
        width = max((len(k) for k in self.columns), default=10)
        lines.append("Lab field".ljust(width) + "  Export column")
        lines += [f"{k.ljust(width)}  {v}" for k, v in self.columns.items()]
        if self.personal_columns:
            lines.append("Personal columns dropped: " + ", ".join(self.personal_columns))
        if self.ignored_columns:
            lines.append("Columns not read: " + ", ".join(self.ignored_columns))
        if log is not None:
            lines += log.notes
        lines.append(f"First {len(self.rows)} rows as the lab reads them (minutes):")
        with pd.option_context("display.width", 200, "display.max_columns", None):
            lines.append(self.rows.to_string(index=False))
        lines += [f"  {p}" for p in self.problems]
        return "\n".join(lines)


def check_mapping(
    path_or_buffer: str | os.PathLike | IO[str] | IO[bytes],
    mapping: CallLogMapping | str | os.PathLike | None = None,
    rows: int = 5,
    timezone: str | None = None,
    duration_unit: Literal["seconds", "minutes"] = "seconds",
) -> MappingCheck:
    """Read an export with ``mapping`` (without one, headers are matched by name) and return
    its first ``rows`` usable rows in the lab's columns, personal columns dropped, with the
    problems of the lines up to the last shown."""
    mapping = as_mapping(mapping)
    log = read_call_log(
        path_or_buffer, timezone=timezone, duration_unit=duration_unit, mapping=mapping
    )
    wanted = [*CHECK_COLUMNS, *(["segment"] if "segment" in log.frame else [])]
    shown = log.frame.loc[:, wanted].head(rows).reset_index(drop=True)
    every = max((p.line for p in log.problems), default=0)
    last = int(shown["line"].max()) if len(shown) == rows else every
    return MappingCheck(
        rows=shown,
        columns=dict(mapping.columns) if mapping is not None else dict(log.columns),
        personal_columns=list(log.personal_columns),
        ignored_columns=list(log.ignored_columns),
        problems=[p for p in log.problems if p.line <= last],
        log=log,
    )
