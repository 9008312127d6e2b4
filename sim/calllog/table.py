"""A call log as a table: the text of the columns the lab reads going in, and the lab's frame
of usable calls coming out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.calllog.columns import ColumnMap

if TYPE_CHECKING:
    from sim.calllog.derive import Derived
    from sim.calllog.parsing import Durations, Labels, Times
    from sim.calllog.privacy import CallerKeys, Texts

__all__ = ["RawTable", "agent_codes", "lab_frame", "raw_table", "segment_labels"]


@dataclass(frozen=True)
class RawTable:
    """The stripped text of the columns the lab reads, one entry per row; personal columns
    are not in it. Separate ``date`` and ``time`` columns are joined into ``started_at``."""

    header: list[str]
    """The file's header; a joined start time is headed ``"<date> + <time>"``."""
    index: dict[str, int]
    """Canonical column → position in ``header``."""
    values: dict[str, pd.Series]
    n: int

    def __contains__(self, canon: str) -> bool:
        return canon in self.values

    def __getitem__(self, canon: str) -> pd.Series:
        return self.values[canon]

    def blank(self, canon: str) -> np.ndarray:
        """Rows where the column is empty (every row, if the log has no such column)."""
        if canon not in self.values:
            return np.ones(self.n, dtype=bool)
        return (self.values[canon] == "").to_numpy()


def raw_table(header: Sequence[str], rows: Sequence[Sequence[str]], columns: ColumnMap) -> RawTable:
    """The text of the lab's columns of ``rows``."""
    index = dict(columns.index)
    values = {
        canon: pd.Series([row[i].strip() for row in rows], dtype=object)
        for canon, i in index.items()
    }
    header = [*header]
    if "started_at" not in values:
        values["started_at"] = (values["date"] + " " + values["time"]).str.strip()
        index["started_at"] = index["date"]
        header[index["started_at"]] = f"{header[index['date']]} + {header[index['time']]}"
    return RawTable(header, index, values, len(rows))


def segment_labels(table: RawTable, min_calls: int) -> tuple[np.ndarray, int]:
    """The caller segment of each row as a scenario segment name (lower_snake_case, starting
    with a letter; phone numbers and e-mails redacted), None where blank; a label used by fewer
    than ``min_calls`` rows is left blank (it may be personal data). Returns the labels and how
    many cells were blanked as rare."""
    from sim.calllog.columns import normalise_name
    from sim.calllog.privacy import redact

    if "segment" not in table:
        return np.full(table.n, None, dtype=object), 0
    names = table["segment"].map(lambda v: normalise_name(redact(v)) if v else "")
    names = names.map(lambda v: v if not v or v[0].isalpha() else f"s_{v}")
    counts = names[names != ""].value_counts()
    rare = names.isin(counts.index[counts < min_calls]).to_numpy()
    cells = names.mask(rare, "").to_numpy(dtype=object).copy()
    cells[cells == ""] = None
    return cells, int(rare.sum())


def agent_codes(table: RawTable) -> np.ndarray:
    """Which producer answered each row, as a number (0, 1, … in order of first appearance;
    NaN where blank). The agent's name or id is used here, in memory, and never kept."""
    if "agent" not in table:
        return np.full(table.n, np.nan)
    codes, _ = pd.factorize(table["agent"].where(table["agent"] != ""), use_na_sentinel=True)
    return np.where(codes < 0, np.nan, codes.astype(float))


def lab_frame(
    lines: np.ndarray,
    times: Times,
    durations: Durations,
    labels: Labels,
    texts: Texts,
    derived: Derived,
    keys: CallerKeys | None,
    bad: np.ndarray,
    segment: np.ndarray | None = None,
    agent: np.ndarray | None = None,
) -> pd.DataFrame:
    """The usable rows as the lab's frame, with the calendar columns of the start time
    (``segment`` and ``agent``, from :func:`segment_labels` and :func:`agent_codes`, only when
    the log has them)."""
    frame = pd.DataFrame(
        {
            "line": lines,
            "call_id": texts.call_id,
            "started_at": times.local,
            "direction": labels.direction,
            "call_type": texts.call_type,
            "handled_by": derived.handled_by,
            "outcome": derived.outcome,
            "trigger": texts.trigger,
            "producer_group": texts.producer_group,
            "reason_code": texts.reason_code,
            "converted": labels.converted,
            "ai_minutes": derived.ai_minutes,
            "transfer_minutes": derived.transfer_minutes,
            "wait_minutes": derived.wait_minutes,
            "handle_minutes": derived.handle_minutes,
            "wrap_up_minutes": durations.wrap_up_minutes,
            "start_minute": times.started_at,
        }
    )
    if segment is not None:
        frame["segment"] = segment
    if agent is not None:
        frame["agent"] = agent
    if keys is not None and keys.keys is not None:
        frame["caller_key"] = keys.keys
    frame = frame[~bad].reset_index(drop=True)
    frame["started_at"] = pd.to_datetime(frame["started_at"])
    frame["date"] = frame["started_at"].dt.normalize()
    frame["weekday"] = frame["started_at"].dt.day_of_week
    frame["minute_of_day"] = (
        frame["started_at"].dt.hour * 60
        + frame["started_at"].dt.minute
        + frame["started_at"].dt.second / 60
    )
    return frame
