"""Reading a call log: a CSV export (or a DataFrame) into a :class:`CallLog`.

The file is decoded (UTF-8 with or without a byte-order mark, UTF-16 with a byte-order mark,
else Windows-1252; binary data is refused naming the file), its delimiter guessed from the
header line (comma, semicolon, tab or bar) and split with the standard :mod:`csv` reader, which
keeps each row's 1-based line in the file (a quoted multi-line cell counts its lines). A file
over :data:`sim.limits.MAX_CALL_LOG_BYTES` or with a line over
:data:`sim.limits.MAX_CALL_LOG_LINE_CHARS` characters is refused before it is split. The rows
then pass
through the steps of :mod:`sim.calllog.parsing`, :mod:`~sim.calllog.privacy` and
:mod:`~sim.calllog.derive`; every row a step cannot use is left out with its line and reason.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

import numpy as np
import pandas as pd

from sim import limits
from sim.calllog.columns import DURATION_UNITS, ColumnMap, match_columns
from sim.calllog.derive import derive, flag_repeated_ids
from sim.calllog.mapped import map_table, mapped_columns
from sim.calllog.mapping import CallLogMapping, as_mapping
from sim.calllog.parsing import (
    read_durations,
    read_labels,
    read_times,
    resolve_zone,
)
from sim.calllog.privacy import MIN_LABEL_CALLS, caller_keys, clean_texts, shown_headers
from sim.calllog.problems import CalibrationError, RowFlags, RowProblem
from sim.calllog.table import agent_codes, lab_frame, raw_table, segment_labels

__all__ = ["CallLog", "from_frame", "read_call_log"]


@dataclass
class CallLog:
    """A call log read into the lab: the usable calls, the rows left out, and what was dropped.

    ``frame`` has one row per usable call, with ``line`` (its CSV line), ``call_id``,
    ``started_at`` (local clock time, naive), ``date``, ``weekday`` (0 = Monday),
    ``minute_of_day``, ``direction``, ``call_type``, ``handled_by``, ``outcome``, ``trigger``,
    ``producer_group``, ``reason_code``, ``converted`` and the durations in minutes
    ``ai_minutes``, ``transfer_minutes`` (start to transfer request), ``wait_minutes``
    (transfer request to answer, or to hang-up), ``handle_minutes``, ``wrap_up_minutes``
    (NaN where the log does not say), plus ``caller_key`` when asked for, ``segment`` (the
    caller's segment or priority class, a scenario segment name) and ``agent`` (the producer
    who answered, as a number: 0, 1, … in order of first appearance) when the log has them.
    No personal data."""

    frame: pd.DataFrame
    problems: list[RowProblem]
    rows_read: int
    source: str = "<call log>"
    columns: dict[str, str] = field(default_factory=dict)
    """Canonical column → the header it was read from."""
    personal_columns: list[str] = field(default_factory=list)
    """Headers of personal columns that were dropped (or hashed into ``caller_key``)."""
    ignored_columns: list[str] = field(default_factory=list)
    """Headers the lab does not read (dropped unread)."""
    notes: list[str] = field(default_factory=list)
    redacted_values: int = 0
    """Text cells in kept columns in which an e-mail or phone number was redacted."""
    timezone: str | None = None
    mapping: str | None = None
    """The mapping the export was read with (its file name), if any."""
    ivr: bool = False
    """Whether the AI intake is an IVR/VRU stage (the mapping's ``ivr_minutes``): it does not
    brief producers, so there is no whisper."""
    segment_order: tuple[str, ...] = ()
    """The mapping's segment names, first answered first (empty: not given)."""

    @property
    def rows_used(self) -> int:
        return len(self.frame)

    @property
    def rows_with_problems(self) -> int:
        return len({p.line for p in self.problems})

    def summary(self, max_problems: int = 20) -> str:
        """A few lines for people: rows read and used, what was dropped, the first problems."""
        lines = [
            f"{self.source}: {self.rows_read:,} rows read, {self.rows_used:,} used, "
            f"{self.rows_with_problems:,} left out (listed below)."
            if self.problems
            else f"{self.source}: {self.rows_read:,} rows read, {self.rows_used:,} used."
        ]
        if self.personal_columns:
            lines.append("Personal columns dropped on import: " + ", ".join(self.personal_columns))
        if self.ignored_columns:
            lines.append("Columns not used: " + ", ".join(self.ignored_columns))
        if self.redacted_values:
            lines.append(
                f"{self.redacted_values} text cells had a phone number or e-mail redacted."
            )
        lines.extend(self.notes)
        for problem in self.problems[:max_problems]:
            lines.append(f"  {problem}")
        if len(self.problems) > max_problems:
            lines.append(f"  … and {len(self.problems) - max_problems} more problems")
        return "\n".join(lines)


@dataclass(frozen=True)
class _Rows:
    """A log split into rows of text: the header, the data rows with their CSV lines, the rows
    that could not be split, and notes from decoding the file."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    problems: list[RowProblem]
    source: str
    notes: tuple[str, ...] = ()


def read_call_log(
    path_or_buffer: str | os.PathLike | IO[str] | IO[bytes],
    timezone: str | None = None,
    duration_unit: Literal["seconds", "minutes"] = "seconds",
    caller_key: bool = False,
    salt: bytes | None = None,
    mapping: CallLogMapping | str | os.PathLike | None = None,
) -> CallLog:
    """Read a call-log CSV (path or open file). See :mod:`sim.calllog` for the columns.

    ``timezone`` is the agency's zone (a lab zone such as ``"CT"`` or an IANA name such as
    ``"America/Chicago"``). ``caller_key`` keeps a keyed hash of the caller's phone number (or
    e-mail) as a caller key; ``salt`` defaults to the lab's own secret
    (:func:`sim.calllog.privacy.lab_key`), so keys are comparable across imports on one lab and
    differ between labs. ``mapping`` (a :class:`~sim.calllog.mapping.CallLogMapping` or
    its TOML file) says how an export in another layout reads; without one, headers are
    matched by name. Raises :class:`CalibrationError` when nothing usable can be read (a
    :class:`~sim.calllog.mapping.MappingError` for a mistake in the mapping).
    """
    mapping = as_mapping(mapping)
    if isinstance(path_or_buffer, str | os.PathLike):
        path = Path(path_or_buffer)
        source = path.name
        if not path.is_file():
            raise CalibrationError(f"{path}: no such file")
        _check_size(path.stat().st_size, source)
        try:
            data: str | bytes = path.read_bytes()
        except OSError as exc:
            raise CalibrationError(f"{path}: cannot read: {exc.strerror}") from None
    else:
        source = str(getattr(path_or_buffer, "name", "<call log>"))
        data = path_or_buffer.read(limits.MAX_CALL_LOG_BYTES + 1)
    _check_size(len(data), source)
    text, notes = _decode(data, source)
    rows = _split_csv(text, source, notes)
    return _normalise(rows, timezone, duration_unit, caller_key, salt, mapping)


def from_frame(
    df: pd.DataFrame,
    timezone: str | None = None,
    duration_unit: Literal["seconds", "minutes"] = "seconds",
    caller_key: bool = False,
    salt: bytes | None = None,
    source: str = "<data frame>",
    mapping: CallLogMapping | str | os.PathLike | None = None,
) -> CallLog:
    """Read a call log already in a DataFrame (one row per call, the same columns as the CSV).
    Row *i* is reported as line *i* + 2, its line had the frame been written to CSV."""
    header = [str(c) for c in df.columns]
    columns = []
    for col in df.columns:
        values = df[col]
        if pd.api.types.is_datetime64_any_dtype(values):
            values = values.map(lambda t: "" if pd.isna(t) else t.isoformat())
        columns.append(["" if pd.isna(v) else str(v) for v in values])
    table = [list(r) for r in zip(*columns, strict=True)] if columns else []
    rows = _Rows(header, table, list(range(2, len(df) + 2)), [], source)
    return _normalise(rows, timezone, duration_unit, caller_key, salt, as_mapping(mapping))


def _check_size(size: int, source: str) -> None:
    if size > limits.MAX_CALL_LOG_BYTES:
        raise CalibrationError(
            f"{source}: larger than a call log may be "
            f"({limits.size_text(limits.MAX_CALL_LOG_BYTES)}, the limit); split the export by "
            "month and calibrate on a part"
        )


_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def _decode(data: str | bytes, source: str = "<call log>") -> tuple[str, tuple[str, ...]]:
    """The file's text (UTF-8 with or without BOM, UTF-16 with a BOM, else Windows-1252) and a
    note if needed; a :class:`CalibrationError` naming the file for binary data."""
    if not isinstance(data, bytes):
        return data.removeprefix("\ufeff"), ()
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), (f"The file was read as {encoding}.",)
            except UnicodeDecodeError:
                raise CalibrationError(
                    f"{source}: starts like {encoding} text but is not valid {encoding}; save "
                    "the export as CSV in UTF-8"
                ) from None
    if b"\x00" in data[:65536]:
        raise CalibrationError(
            f"{source}: not a text CSV file (it holds binary data or an encoding without a "
            "byte-order mark, such as UTF-16); save the export as CSV in UTF-8"
        )
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    controls = sum(1 for c in text[:65536] if c < " " and c not in "\t\r\n")
    if controls or text.count("\ufffd") > len(text) // 100:
        raise CalibrationError(
            f"{source}: not a text CSV file (neither UTF-8 nor Windows-1252 text); save the "
            "export as CSV in UTF-8"
        )
    return text, ("The file is not UTF-8; it was read as Windows-1252.",)


def _physical_lines(text: str, source: str) -> Iterator[str]:
    """The file's lines, refusing one longer than :data:`sim.limits.MAX_CALL_LOG_LINE_CHARS`
    before the CSV reader splits it (a huge line would otherwise be split in memory)."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > limits.MAX_CALL_LOG_LINE_CHARS:
            raise CalibrationError(
                f"{source}: line {number} has {len(line):,} characters; the limit is "
                f"{limits.MAX_CALL_LOG_LINE_CHARS:,} per line (is this a call log?)"
            )
        yield line


def _split_csv(text: str, source: str, notes: tuple[str, ...]) -> _Rows:
    """Split CSV text into rows, keeping each row's first line; blank rows are skipped and rows
    with the wrong number of fields reported."""
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count)
    reader = csv.reader(_physical_lines(text, source), delimiter=delimiter)
    header: list[str] | None = None
    rows, lines, problems = [], [], []
    prev = 0
    try:
        for row in reader:
            start, prev = prev + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [c.strip() for c in row]
                continue
            if len(row) != len(header):
                problems.append(
                    RowProblem(start, "", f"{len(row)} fields, but the header has {len(header)}")
                )
                continue
            rows.append(row)
            lines.append(start)
    except csv.Error as exc:
        why = str(exc) if "field larger" in str(exc) or "NUL" in str(exc) else "a quoting error"
        raise CalibrationError(f"{source}: line {reader.line_num}: not valid CSV ({why})") from None
    if header is None:
        raise CalibrationError(f"{source}: the file is empty (no header row)")
    return _Rows(header, rows, lines, problems, source, notes)


def _columns(split: _Rows, mapping: CallLogMapping | None) -> ColumnMap:
    """Which header is which column: by the mapping, or by name (a start time is required)."""
    if mapping is not None:
        return mapped_columns(split.header, mapping, split.source)
    columns = match_columns(split.header)
    if "started_at" not in columns.index and not {"date", "time"} <= set(columns.index):
        known = [split.header[i] for i in columns.index.values()] + columns.personal
        shown = shown_headers(split.header, known)
        raise CalibrationError(
            f"{split.source}: no call start time column: name one started_at (or Start Time, "
            f"call_start, …) or give date and time columns. Columns found: {shown}"
        )
    return columns


def _people_notes(table, rare: int) -> tuple[str, ...]:
    """What was done with the segment and agent columns (headers only, never a cell)."""
    notes = []
    if rare:
        head = table.header[table.index["segment"]]
        notes.append(
            f"{rare} {head} cell(s) held a segment used by fewer than {MIN_LABEL_CALLS} calls "
            "and were left blank (a one-off value may be personal data)."
        )
    if "agent" in table:
        head = table.header[table.index["agent"]]
        notes.append(
            f"Column {head} tells one producer's calls from another's (after-call work); the "
            "producers are numbered in memory, their names or ids are not kept."
        )
    return tuple(notes)


def _normalise(
    split: _Rows,
    timezone: str | None,
    duration_unit: str,
    caller_key: bool,
    salt: bytes | None,
    mapping: CallLogMapping | None = None,
) -> CallLog:
    """The steps of reading a log, in order (the order in which problems are listed)."""
    if duration_unit not in DURATION_UNITS:
        raise CalibrationError(
            f"duration_unit must be 'seconds' or 'minutes', not {duration_unit!r}"
        )
    zone = resolve_zone(timezone)
    columns = _columns(split, mapping)
    table = raw_table(split.header, split.rows, columns)
    map_notes: tuple[str, ...] = ()
    if mapping is not None:
        table, map_notes = map_table(table, mapping, split.lines, split.source)
        map_notes = (f"Read with the mapping {mapping.source}.", *map_notes)
    flags = RowFlags(table.n, table.header, table.index)
    times = read_times(table, zone, flags)
    durations = read_durations(table, duration_unit, columns.units, flags)
    labels = read_labels(table, flags)
    texts = clean_texts(table, salt)
    derived = derive(table, times, durations, labels, texts, flags)
    flag_repeated_ids(table, texts.call_id, flags)
    keys = caller_keys(split.rows, columns.personal_index, salt) if caller_key else None
    lines = np.asarray(split.lines, dtype=np.int64)
    segment, rare = segment_labels(table, MIN_LABEL_CALLS) if "segment" in table else (None, 0)
    agent = agent_codes(table) if "agent" in table else None
    frame = lab_frame(lines, times, durations, labels, texts, derived, keys, flags.bad,
                      segment, agent)  # fmt: skip
    key_notes = keys.notes if keys is not None else ()
    key_notes = (*key_notes, *_people_notes(table, rare))
    return CallLog(
        frame=frame,
        problems=flags.problems(lines, split.problems),
        rows_read=table.n + len(split.problems),
        source=split.source,
        columns={canon: table.header[i] for canon, i in table.index.items()},
        personal_columns=columns.personal,
        ignored_columns=columns.ignored,
        notes=[
            *split.notes,
            *map_notes,
            *columns.notes,
            *times.notes,
            *texts.notes,
            *derived.notes,
            *key_notes,
        ],
        redacted_values=texts.redacted,
        timezone=zone,
        mapping=mapping.source if mapping is not None else None,
        ivr=mapping is not None and mapping.ivr,
        segment_order=mapping.segment_order if mapping is not None else (),
    )
