"""Applying a :class:`~sim.calllog.mapping.CallLogMapping` to an export: which header is which
lab field, and the export's cells rewritten in the lab's terms before they are read.

In order: cells the mapping says mean "none" (``"0:00:00"``) are blanked in time and duration
columns; a separate date and time of day make the start (a date cell written with a midnight
time, as spreadsheets do, counts as the date); other times written as a time of day only take
the start's date (the next day when earlier than the start, for calls across midnight); coded
values are recoded; and with an IVR/VRU stage as the AI intake, a caller who went through it and
never queued (no transfer, answer or wait) is AI self-service (``contained``) when the outcome
is blank or says they hung up. A value with no mapping, or a mapped column missing from the
file, is a :class:`~sim.calllog.mapping.MappingError` citing lines and headers, never a cell.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.calllog.columns import (
    DURATION_COLUMNS,
    TIME_COLUMNS,
    ColumnMap,
    match_header,
    normalise_name,
)
from sim.calllog.mapping import UNITS, VALUE_FIELDS, CallLogMapping, MappingError
from sim.calllog.parsing import parse_durations, parse_times
from sim.calllog.privacy import looks_like_header, shown_headers
from sim.calllog.table import RawTable

__all__ = ["map_table", "mapped_columns"]

_TIME_OF_DAY_RE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?$")
_MIDNIGHT_RE = re.compile(r"[ T]0{1,2}:00(?::00(?:\.0+)?)?$")
_QUEUED = ("transferred_at", "answered_at", "wait_minutes")
_SELF_SERVICE = ("", "abandoned", "contained")


def _canon(key: str) -> str:
    return "ai_minutes" if key == "ivr_minutes" else key


def _find(header: Sequence[str], wanted: str) -> int | None:
    """Position of ``wanted`` in ``header``: exactly (stripped), else ignoring case/spacing."""
    stripped = [h.strip() for h in header]
    if wanted.strip() in stripped:
        return stripped.index(wanted.strip())
    names = [normalise_name(h) for h in header]
    return names.index(normalise_name(wanted)) if normalise_name(wanted) in names else None


def _closest(wanted: str, header: Sequence[str]) -> str | None:
    """The header most like ``wanted``: by spelling, else one name containing the other."""
    names = {normalise_name(h): h for h in header if normalise_name(h)}
    key = normalise_name(wanted)
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return names[close[0]]
    inside = [h for n, h in names.items() if len(n) >= 3 and (n in key or key in n)]
    return inside[0] if inside else None


def _missing(
    csv: str, header: Sequence[str], key: str, wanted: str, found: Sequence[str]
) -> tuple[str, str]:
    """The problem of a mapped column missing from the export; ``found`` are the headers the
    mapping did find (none: the first row may be data, so no cell of it is shown)."""
    close = _closest(wanted, [h for h in header if looks_like_header(h)]) if found else None
    hint = f" (did you mean {close!r}?)" if close else ""
    shown = shown_headers(header, found)
    return key, f"{csv} has no column {wanted!r}{hint}; its columns are: {shown}"


def _units(mapping: CallLogMapping, header: Sequence[str], index: dict) -> dict[str, float]:
    """Minutes per unit of each mapped duration: the mapping's unit, else the header's."""
    units = {}
    for key in mapping.columns:
        canon = _canon(key)
        if canon not in DURATION_COLUMNS:
            continue
        unit = mapping.units.get(key, mapping.units.get("default"))
        if unit is not None:
            units[canon] = UNITS[unit]
        else:
            minutes = match_header(header[index[canon]]).unit_minutes
            if minutes is not None:
                units[canon] = minutes
    return units


def mapped_columns(header: Sequence[str], mapping: CallLogMapping, csv: str) -> ColumnMap:
    """Which header is which lab field, as the mapping says; the other headers are personal
    (by name, or listed in ``personal``) or ignored."""
    issues, index = [], {}
    wanted_all = [*mapping.columns.values(), *mapping.personal]
    found = [header[p] for p in (_find(header, w) for w in wanted_all) if p is not None]
    for key, wanted in mapping.columns.items():
        position = _find(header, wanted)
        if position is None:
            issues.append(_missing(csv, header, f"columns.{key}", wanted, found))
        else:
            index[_canon(key)] = position
    listed = {}
    for wanted in mapping.personal:
        position = _find(header, wanted)
        if position is None:
            issues.append(_missing(csv, header, "personal", wanted, found))
        else:
            listed[position] = match_header(header[position]).personal or "other"
    if issues:
        raise MappingError(mapping.source, issues)
    used = set(index.values())
    personal: list[str] = []
    ignored: list[str] = []
    personal_index: dict[str, list[int]] = {"phone": [], "email": [], "name": []}
    for i, head in enumerate(header):
        kind = listed.get(i) or (None if i in used else match_header(head).personal)
        if kind is not None:
            personal.append(head)
            personal_index.setdefault(kind, []).append(i)
        elif i not in used:
            ignored.append(head)
    return ColumnMap(index, _units(mapping, header, index), personal, personal_index, ignored)


def _lines(lines: np.ndarray, mask: np.ndarray, shown: int = 5) -> str:
    picked = [str(n) for n in lines[mask][:shown]]
    more = f" and {int(mask.sum()) - shown} more" if mask.sum() > shown else ""
    return ", ".join(picked) + more


def _recode(table: RawTable, mapping: CallLogMapping, lines: np.ndarray, csv: str) -> dict:
    """The coded columns in the lab's labels; unmapped values are mistakes (one per field)."""
    values, issues = {}, []
    for key, codes in mapping.values.items():
        lookup = {normalise_name(c) or c.strip(): label for c, label in codes.items()}
        cells = table[key]
        mapped = cells.map(lambda v, lookup=lookup: lookup.get(normalise_name(v) or v) if v else "")
        unmapped = mapped.isna().to_numpy()
        if unmapped.any():
            head = table.header[table.index[key]]
            allowed = (
                ", ".join(_label_text(k) for k in VALUE_FIELDS[key])
                if VALUE_FIELDS[key]
                else "a segment name in lower_snake_case"
            )
            why = (
                f"column {head!r} of {csv} has {len(set(cells[unmapped]))} value(s) with no "
                f"mapping, on line(s) {_lines(lines, unmapped)}; add each under "
                f"[values.{key}] as export value = one of: {allowed}"
            )
            issues.append((f"values.{key}", why))
        values[key] = mapped.map(_label_text, na_action="ignore").fillna("")
    if issues:
        raise MappingError(mapping.source, issues)
    return values


def _label_text(label) -> str:
    return "yes" if label is True else "no" if label is False else str(label)


def _start(table: RawTable) -> pd.Series:
    """The start from a date and a time of day (a date written with midnight is the date)."""
    dates = table["date"].str.replace(_MIDNIGHT_RE, "", regex=True)
    return (dates + " " + table["time"]).str.strip().where(table["time"] != "", "")


def _dated(cells: pd.Series, start_wall: np.ndarray) -> pd.Series:
    """Times of day given the start's date, rolled to the next day if before the start."""
    only = cells.str.match(_TIME_OF_DAY_RE).to_numpy() & ~pd.isna(start_wall)
    if not only.any():
        return cells
    start = pd.DatetimeIndex(start_wall[only])
    clock = pd.to_datetime("1970-01-01 " + cells[only], format="mixed", errors="coerce")
    ok = clock.notna().to_numpy()
    full = start.normalize() + (pd.DatetimeIndex(clock) - pd.Timestamp("1970-01-01"))
    full = full.where(full >= start - pd.Timedelta(seconds=1), full + pd.Timedelta(days=1))
    out = cells.copy()
    out.iloc[np.flatnonzero(only)[ok]] = [t.isoformat() for t in full[ok]]
    return out


def _self_service(values: dict, table: RawTable, n: int) -> tuple[dict, tuple[str, ...]]:
    """IVR callers who never queued: AI self-service when the outcome is blank or a hang-up."""
    minutes, _ = parse_durations(values["ai_minutes"], 1.0)  # only the sign matters
    queued = np.zeros(n, dtype=bool)
    for canon in _QUEUED:
        if canon in values:
            queued |= (values[canon] != "").to_numpy()
    outcome = values.get("outcome", pd.Series([""] * n, dtype=object))
    mask = (np.nan_to_num(minutes) > 0) & ~queued & outcome.isin(_SELF_SERVICE).to_numpy()
    if not mask.any():
        return values, ()
    values["outcome"] = outcome.where(~mask, "contained")
    head = table.header[table.index["ai_minutes"]]
    note = (
        f"{int(mask.sum())} calls went through the IVR stage ({head}) and never queued: "
        "read as AI self-service (contained)."
    )
    return values, (note,)


def map_table(
    table: RawTable, mapping: CallLogMapping, lines: Sequence[int], csv: str
) -> tuple[RawTable, tuple[str, ...]]:
    """The export's cells in the lab's terms (see the module docstring), and notes."""
    values = dict(table.values)
    none = [v.strip() for v in mapping.none]
    for canon in (*TIME_COLUMNS[1:], *DURATION_COLUMNS):
        if canon in values and none:
            values[canon] = values[canon].where(~values[canon].isin(none), "")
    if "date" in values:
        values["started_at"] = _start(table)
    start_wall = parse_times(values["started_at"], None).local
    for canon in TIME_COLUMNS[1:]:
        if canon in values:
            values[canon] = _dated(values[canon], start_wall)
    values.update(_recode(table, mapping, np.asarray(lines), csv))
    notes: tuple[str, ...] = ()
    if mapping.ivr:
        values, notes = _self_service(values, table, table.n)
    return dataclasses.replace(table, values=values), notes
