"""What can go wrong with a call log: the error that stops an import, and the rows left out.

:class:`CalibrationError` stops an import (no readable calls, a required column missing, too
little data to fit). :class:`RowProblem` is one row left out, by its CSV line. :class:`RowFlags`
collects the row problems while a log is read, in the order the checks run, so that a row with
several problems lists them in that order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["CalibrationError", "RowFlags", "RowProblem"]


class CalibrationError(ValueError):
    """A call log that cannot be used (no readable calls, a required column missing, too little
    data to fit), with a message for the user."""


@dataclass(frozen=True)
class RowProblem:
    """A row left out of the fit: its 1-based line in the CSV file (the header is line 1), the
    column (as headed in the file; empty for the row as a whole) and why."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.reason}"


Reason = str | Callable[[str], str]
"""A problem's reason: fixed text, or text made from the cell's value."""


class RowFlags:
    """The rows of one import found unusable so far, and why.

    ``header`` and ``columns`` (canonical column → position in ``header``) name the column of
    each problem as the file heads it. Rows flagged once are left out (``bad``)."""

    def __init__(self, n: int, header: Sequence[str], columns: Mapping[str, int]) -> None:
        self.bad = np.zeros(n, dtype=bool)
        self._header = header
        self._columns = columns
        self._found: list[tuple[int, int, str, str]] = []  # (row, order, column, reason)

    def flag(
        self, mask: np.ndarray, canon: str, reason: Reason, values: pd.Series | None = None
    ) -> None:
        """Leave out the rows in ``mask``; a callable ``reason`` is given each row's value."""
        head = self._header[self._columns[canon]] if canon in self._columns else canon
        for k in np.flatnonzero(mask):
            text = reason(values.iloc[k]) if callable(reason) and values is not None else reason
            if callable(text):
                raise TypeError("a reason made from the cell's value needs the values")
            self._found.append((int(k), len(self._found), head, text))
        self.bad[mask] = True

    def problems(self, lines: np.ndarray, before: Sequence[RowProblem] = ()) -> list[RowProblem]:
        """Every problem (``before``: those found while splitting the CSV), by line; the
        problems of one row in the order they were found."""
        found = sorted(self._found)
        rows = [RowProblem(int(lines[k]), col, why) for k, _, col, why in found]
        out = [*before, *rows]
        out.sort(key=lambda p: p.line)
        return out
