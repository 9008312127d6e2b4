"""A mapping: how one phone system's export is laid out, so the lab can read any export.

A :class:`CallLogMapping` names which export column is which lab field (``[columns]``), how
coded values read (``[values.outcome]``: ``ABAN = "abandoned"``; also ``handled_by``,
``direction`` and ``converted``), the unit of each duration (``[units]``: seconds, minutes,
hours, milliseconds or ``h:mm:ss``), the cells that mean "none" in time and duration columns
(``none = ["0:00:00"]``) and extra personal columns to drop (``personal``). Separate ``date``
and ``time`` columns give the start; an ``ivr_minutes`` column (an IVR/VRU stage) is read as
the AI intake. ``columns.segment`` names the caller's segment or priority column, recoded
with ``[values.segment]`` (``P1 = "priority"``) and ranked (first answered first) by
``segment_order = ["priority", "standard"]``; ``columns.agent`` names the column telling which
producer answered (an id or a name: read in memory only, to find after-call work, never kept).
A mapping is saved as TOML (:func:`write_mapping`) and read back
(:func:`load_mapping`) to be reused for every export of that system::

    [columns]
    call_id = "Interaction ID"
    date = "Call Date"
    time = "Call Time"
    ivr_minutes = "VRU Time"
    outcome = "Disp"

    [units]
    ivr_minutes = "h:mm:ss"

    [values.outcome]
    ABAN = "abandoned"
    ANS = "answered"

Every mistake is a :class:`MappingError` naming the mapping file, the key path and what is
allowed; none quotes a cell of the export.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import tomli_w

from sim import limits
from sim.calllog.columns import (
    BOOL_WORDS,
    COLUMNS,
    DIRECTION_WORDS,
    HANDLER_WORDS,
    OUTCOME_WORDS,
    lookup_word,
)
from sim.calllog.problems import CalibrationError

__all__ = [
    "DURATION_FIELDS",
    "LAB_FIELDS",
    "UNITS",
    "VALUE_FIELDS",
    "CallLogMapping",
    "MappingError",
    "as_mapping",
    "load_mapping",
    "write_mapping",
]

LAB_FIELDS = (*COLUMNS, "ivr_minutes")
"""The lab fields a ``[columns]`` entry may name (``ivr_minutes``: an IVR/VRU stage, read as
the AI intake)."""
DURATION_FIELDS = ("ivr_minutes", *(c for c, (kind, _) in COLUMNS.items() if kind == "duration"))
"""The fields a ``[units]`` entry may name (and ``default``, for all of them)."""
UNITS = {
    "seconds": 1 / 60,
    "minutes": 1.0,
    "hours": 60.0,
    "milliseconds": 1 / 60_000,
    "h:mm:ss": 1 / 60,
    "mm:ss": 1 / 60,
}
"""Duration units → minutes per unit. ``h:mm:ss`` / ``mm:ss`` cells are clock text (a plain
number in such a column is read in seconds)."""
VALUE_FIELDS: dict[str, Mapping] = {
    "outcome": OUTCOME_WORDS,
    "handled_by": HANDLER_WORDS,
    "direction": DIRECTION_WORDS,
    "converted": BOOL_WORDS,
    "segment": {},
}
"""The fields a ``[values.*]`` table may recode, with the lab's labels and wordings
(``segment``: any segment name, lower_snake_case, e.g. ``P1 = "priority"``)."""
_TOP_KEYS = ("columns", "values", "units", "none", "personal", "segment_order")
_SEGMENT_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class MappingError(CalibrationError):
    """Mistakes in a mapping (or in applying it to an export): each a key path and what is
    wrong with it, never a cell value."""

    def __init__(self, source: str, issues: list[tuple[str, str]]) -> None:
        self.source = source
        self.issues = list(issues)
        if len(issues) == 1:
            key, why = issues[0]
            text = f"mapping {source}: {key}: {why}"
        else:
            text = f"mapping {source}: {len(issues)} mistakes:\n" + "\n".join(
                f"  {key}: {why}" for key, why in issues
            )
        super().__init__(text)


def _allowed(words: Mapping) -> str:
    if not words:  # segment: free names
        return "a segment name in lower_snake_case, e.g. priority or standard"
    return ", ".join("yes" if k is True else "no" if k is False else str(k) for k in words)


def _label(field_name: str, target: object):
    """The lab's label for a ``[values]`` target (a label or any wording the lab knows)."""
    words = VALUE_FIELDS[field_name]
    if field_name == "segment":
        ok = isinstance(target, str) and _SEGMENT_RE.match(target)
        return target if ok else None
    if isinstance(target, bool):
        return target if field_name == "converted" else None
    if not isinstance(target, str):
        return None
    return lookup_word(words, target)


def _check_columns(columns: Mapping, issues: list) -> None:
    for key, header in columns.items():
        if key not in LAB_FIELDS:
            issues.append((f"columns.{key}", f"not a lab field; allowed: {', '.join(LAB_FIELDS)}"))
        elif not isinstance(header, str) or not header.strip():
            issues.append((f"columns.{key}", "must be the export column's header (text)"))
    has = set(columns)
    if "started_at" in has and has & {"date", "time"}:
        issues.append(("columns.started_at", "give started_at, or date and time, not both"))
    elif "started_at" not in has and not {"date", "time"} <= has:
        missing = "time" if "date" in has else "date" if "time" in has else "started_at"
        issues.append(
            (f"columns.{missing}", "no call start: name started_at, or date and time columns")
        )
    if {"ivr_minutes", "ai_minutes"} <= has:
        issues.append(("columns.ivr_minutes", "give ivr_minutes or ai_minutes, not both"))


def _check_values(values: Mapping, columns: Mapping, issues: list) -> dict:
    resolved: dict[str, dict[str, Any]] = {}
    for key, table in values.items():
        if key not in VALUE_FIELDS:
            allowed = ", ".join(VALUE_FIELDS)
            issues.append((f"values.{key}", f"cannot recode it; allowed: {allowed}"))
            continue
        if not isinstance(table, Mapping):
            issues.append((f"values.{key}", "must be a table of export value = lab value"))
            continue
        if key not in columns:
            issues.append((f"values.{key}", f"columns.{key} is not mapped to an export column"))
        resolved[key] = {}
        for code, target in table.items():
            label = _label(key, target)
            if label is None:
                allowed = _allowed(VALUE_FIELDS[key])
                issues.append((f"values.{key}.{code}", f"not a lab {key}; allowed: {allowed}"))
            else:
                resolved[key][str(code)] = label
    return resolved


def _check_units(units: Mapping, issues: list) -> None:
    for key, unit in units.items():
        if key != "default" and key not in DURATION_FIELDS:
            allowed = ", ".join(("default", *DURATION_FIELDS))
            issues.append((f"units.{key}", f"not a duration field; allowed: {allowed}"))
        elif unit not in UNITS:
            issues.append((f"units.{key}", f"{unit!r} is not a unit; allowed: {', '.join(UNITS)}"))


def _check_texts(key: str, items: Any, issues: list) -> tuple[str, ...]:
    if isinstance(items, str) or not all(isinstance(v, str) for v in items):
        issues.append((key, "must be a list of texts"))
        return ()
    return tuple(items)


def _check_order(order: tuple[str, ...], codes: Mapping | None, issues: list) -> None:
    """``segment_order``: distinct segment names, covering every name ``[values.segment]``
    maps to (when it is given)."""
    if not order:
        return
    bad = [n for n in order if not _SEGMENT_RE.match(n)]
    if bad:
        issues.append(("segment_order", f"{bad[0]!r} is not a segment name (lower_snake_case)"))
    elif len(set(order)) != len(order):
        issues.append(("segment_order", "segment names must not repeat"))
    elif codes:
        missing = sorted(set(codes.values()) - set(order))
        if missing:
            issues.append(("segment_order", f"does not rank {', '.join(missing)}"))


@dataclass(frozen=True)
class CallLogMapping:
    """How one export is laid out (see the module docstring). Frozen; its tables are
    read-only. Raises :class:`MappingError` with the key path of every mistake."""

    columns: Mapping[str, str]
    """Lab field → the export column's header."""
    values: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Lab field → {export value → lab label} (converted: True/False)."""
    units: Mapping[str, str] = field(default_factory=dict)
    """Duration field (or ``default``) → unit, one of :data:`UNITS`."""
    none: tuple[str, ...] = ()
    """Cells meaning "none" in time and duration columns (e.g. ``"0:00:00"``)."""
    segment_order: tuple[str, ...] = ()
    """Segment names from the first answered to the last (the queue priority calibration
    writes); empty: ranked by observed mean wait, the shortest first."""
    personal: tuple[str, ...] = ()
    """Export headers of personal columns to drop, beyond those the lab recognises by name."""
    source: str = field(default="<mapping>", compare=False)
    """Where the mapping came from (its file name), for messages."""

    def __post_init__(self) -> None:
        issues: list[tuple[str, str]] = []
        if not isinstance(self.columns, Mapping) or not self.columns:
            why = "no [columns] table: name the export column of each lab field"
            raise MappingError(self.source, [("columns", why)])
        _check_columns(self.columns, issues)
        values = _check_values(self.values, self.columns, issues)
        _check_units(self.units, issues)
        none = _check_texts("none", self.none, issues)
        personal = _check_texts("personal", self.personal, issues)
        order = _check_texts("segment_order", self.segment_order, issues)
        _check_order(order, values.get("segment"), issues)
        for header in personal:
            fields = [k for k, v in self.columns.items() if v == header]
            if fields:
                issues.append(("personal", f"{header!r} is also mapped as columns.{fields[0]}"))
        if issues:
            raise MappingError(self.source, issues)
        frozen = {k: MappingProxyType(dict(v)) for k, v in values.items()}
        object.__setattr__(self, "columns", MappingProxyType(dict(self.columns)))
        object.__setattr__(self, "values", MappingProxyType(frozen))
        object.__setattr__(self, "units", MappingProxyType(dict(self.units)))
        object.__setattr__(self, "none", none)
        object.__setattr__(self, "personal", personal)
        object.__setattr__(self, "segment_order", order)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "<mapping>") -> CallLogMapping:
        """A mapping from parsed TOML (or any nested dict)."""
        unknown = [k for k in data if k not in _TOP_KEYS]
        if unknown:
            why = f"not a mapping key; allowed: {', '.join(_TOP_KEYS)}"
            raise MappingError(source, [(k, why) for k in unknown])
        return cls(
            columns=data.get("columns", {}),
            values=data.get("values", {}),
            units=data.get("units", {}),
            none=tuple(data.get("none", ())),
            personal=tuple(data.get("personal", ())),
            segment_order=tuple(data.get("segment_order", ())),
            source=source,
        )

    def to_dict(self) -> dict[str, Any]:
        """The mapping as plain data (what :meth:`to_toml` writes)."""
        data: dict[str, Any] = {"columns": dict(self.columns)}
        if self.none:
            data["none"] = list(self.none)
        if self.personal:
            data["personal"] = list(self.personal)
        if self.segment_order:
            data["segment_order"] = list(self.segment_order)
        if self.units:
            data["units"] = dict(self.units)
        if self.values:
            data["values"] = {k: dict(v) for k, v in self.values.items()}
        return data

    def to_toml(self) -> str:
        """The mapping as a reusable TOML file."""
        head = "# Call-log mapping for Warm Handoff Lab: export columns and codes → lab fields.\n"
        return head + tomli_w.dumps(self.to_dict())

    @property
    def ivr(self) -> bool:
        """Whether the AI talk time is an IVR/VRU stage (``columns.ivr_minutes``)."""
        return "ivr_minutes" in self.columns


def load_mapping(path: str | os.PathLike) -> CallLogMapping:
    """Read a mapping TOML file; its name is cited in every error."""
    path = Path(path)
    if not path.is_file():
        raise CalibrationError(f"mapping {path}: no such file")
    if path.stat().st_size > limits.MAX_SCENARIO_BYTES:
        size = limits.size_text(limits.MAX_SCENARIO_BYTES)
        raise MappingError(path.name, [("(file)", f"larger than {size} (the limit)")])
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(path.name, [("(file)", f"not valid TOML ({exc})")]) from None
    except RecursionError:
        deep: str | None = "(file)"
    else:
        deep = limits.deepest(data)
    if deep is not None:
        why = f"nested more than {limits.MAX_NESTING_DEPTH} levels deep (the limit)"
        raise MappingError(path.name, [(deep.split(".")[0], why)])
    return CallLogMapping.from_dict(data, source=path.name)


def write_mapping(mapping: CallLogMapping, path: str | os.PathLike) -> Path:
    """Save ``mapping`` as TOML to reuse for every export of the same system."""
    path = Path(path)
    if not path.parent.is_dir():
        raise CalibrationError(f"{path.parent}: no such folder for the mapping file")
    path.write_text(mapping.to_toml(), encoding="utf-8")
    return path


def as_mapping(
    mapping: CallLogMapping | str | os.PathLike | Mapping | None,
) -> CallLogMapping | None:
    """A mapping object from a mapping, a TOML path or a dict (None stays None)."""
    if mapping is None or isinstance(mapping, CallLogMapping):
        return mapping
    if isinstance(mapping, Mapping):
        return CallLogMapping.from_dict(mapping)
    return load_mapping(mapping)
