"""Reading the cells of a call log: times, time zones, durations and labels.

**Times** are ISO 8601 or US month/day text; with a UTC offset (``2024-03-04T08:03:12-06:00``)
they are converted to the agency's zone when one is given, and read as written otherwise;
without an offset they are the agency's local clock time, localised in its zone (IANA tz
database names, via pandas), so a wait across a daylight-saving change is measured in real
minutes (zones are resolved in :mod:`sim.calllog.zones`, re-exported here). **Durations**
are ``mm:ss`` / ``h:mm:ss`` text or plain numbers in a given unit. **Labels** (direction,
handler, outcome, converted) are matched against the word lists of :mod:`sim.calllog.columns`.
Every unreadable cell is flagged with the row's CSV line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calllog.columns import (
    BOOL_WORDS,
    DIRECTION_WORDS,
    DURATION_COLUMNS,
    DURATION_UNITS,
    HANDLER_WORDS,
    OUTCOME_WORDS,
    TIME_COLUMNS,
    lookup_word,
)
from sim.calllog.problems import RowFlags
from sim.calllog.table import RawTable
from sim.calllog.zones import IANA_ZONES, lab_zone, resolve_zone

__all__ = [
    "IANA_ZONES",
    "Durations",
    "Labels",
    "ParsedTimes",
    "Times",
    "lab_zone",
    "parse_durations",
    "parse_times",
    "read_durations",
    "read_labels",
    "read_times",
    "resolve_zone",
]

_OFFSET_RE = re.compile(r"\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE)
_HAS_CLOCK_RE = re.compile(r"\d:\d{2}")
_CLOCK_DURATION_RE = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")
_MAX_MINUTES = 24 * 60.0
_EPOCH = pd.Timestamp("1970-01-01")


@dataclass(frozen=True)
class ParsedTimes:
    """One time column read: instants (minutes since 1970 UTC; NaN where blank, unreadable
    or in a clock change), local wall clock, the two problem masks, the UTC offsets seen."""

    instants: np.ndarray
    local: np.ndarray
    unreadable: np.ndarray
    gap: np.ndarray
    """Naive local times that do not exist, or exist twice, in the zone (daylight saving)."""
    offsets: frozenset[float]
    """UTC offsets (minutes) written in the column."""


def _offset_minutes(text: str) -> float:
    text = text.strip().upper()
    if text in ("Z", "UTC", "GMT"):
        return 0.0
    sign = -1.0 if text[0] == "-" else 1.0
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return sign * (hours * 60 + minutes)


def _minutes_since_epoch(times) -> np.ndarray:
    return ((times - _EPOCH) / pd.Timedelta(minutes=1)).to_numpy(dtype=float)


def _wall_clock(text: pd.Series, present: np.ndarray) -> pd.Series:
    """Times as written (offsets removed): ISO 8601 first, any other format pandas reads."""
    wall = pd.to_datetime(text.where(present), format="ISO8601", errors="coerce")
    retry = wall.isna().to_numpy() & present
    if retry.any():
        wall[retry] = pd.to_datetime(text[retry], format="mixed", errors="coerce")
    return wall.astype("datetime64[ns]")


def parse_times(values: pd.Series, zone: str | None) -> ParsedTimes:
    """Read a column of times; naive ones are local to ``zone`` (as written if None)."""
    present = (values != "").to_numpy()
    match = values.str.extract(_OFFSET_RE, expand=False)
    has_clock = values.str.contains(_HAS_CLOCK_RE).to_numpy()
    aware = match.notna().to_numpy() & has_clock & present
    wall = _wall_clock(
        values.where(~aware, values.str.replace(_OFFSET_RE, "", regex=True)), present
    )
    unreadable = wall.isna().to_numpy() & present
    offset = np.full(len(values), np.nan)
    if aware.any():
        offset[aware] = [_offset_minutes(m) for m in match[aware]]
    wall_min = _minutes_since_epoch(wall)
    inst = np.where(aware, wall_min - offset, wall_min)
    gap = np.zeros(len(values), dtype=bool)
    local = wall.copy()
    if zone is not None:
        naive = ~aware & ~unreadable & present
        if naive.any():
            loc = wall[naive].dt.tz_localize(zone, ambiguous="NaT", nonexistent="NaT")
            gap[naive] = loc.isna().to_numpy()
            inst[naive] = _minutes_since_epoch(loc.dt.tz_convert("UTC").dt.tz_localize(None))
        if aware.any():
            ok = aware & ~unreadable
            utc = pd.DatetimeIndex(wall[ok]) - pd.to_timedelta(offset[ok], unit="min")
            conv = utc.tz_localize("UTC").tz_convert(zone).tz_localize(None)
            local[ok] = conv.astype("datetime64[ns]")
    inst[unreadable | gap | ~present] = np.nan
    offsets = frozenset(np.unique(offset[aware & ~unreadable]).tolist())
    return ParsedTimes(inst, local.to_numpy(), unreadable, gap, offsets)


def parse_durations(values: pd.Series, factor: float) -> tuple[np.ndarray, np.ndarray]:
    """Durations in minutes from ``mm:ss`` / ``h:mm:ss`` text or numbers × ``factor``, and the
    mask of unreadable cells."""
    out = np.full(len(values), np.nan)
    unreadable = np.zeros(len(values), dtype=bool)
    numbers = pd.to_numeric(values.str.replace(",", "", regex=False), errors="coerce")
    is_num = numbers.notna().to_numpy()
    out[is_num] = numbers[is_num].to_numpy(dtype=float) * factor
    for k in np.flatnonzero(~is_num & (values != "").to_numpy()):
        m = _CLOCK_DURATION_RE.match(values.iloc[k])
        if m is None:
            unreadable[k] = True
            continue
        hours, mins, secs = int(m.group(1) or 0), int(m.group(2)), float(m.group(3))
        if secs >= 60 or (m.group(1) and mins >= 60):
            unreadable[k] = True
            continue
        out[k] = hours * 60 + mins + secs / 60
    return out, unreadable


@dataclass(frozen=True)
class Times:
    """The time columns as instants (minutes since 1970 UTC; NaN where absent) and the start
    as local wall-clock time."""

    started_at: np.ndarray
    ai_ended_at: np.ndarray
    transferred_at: np.ndarray
    answered_at: np.ndarray
    ended_at: np.ndarray
    local: np.ndarray
    notes: tuple[str, ...] = ()


def read_times(table: RawTable, zone: str | None, flags: RowFlags) -> Times:
    """Read every time column, flagging unreadable times, clock-change gaps and missing starts."""
    instants: dict[str, np.ndarray] = {}
    local = None
    offsets: set[float] = set()
    for canon in TIME_COLUMNS:
        if canon not in table:
            instants[canon] = np.full(table.n, np.nan)
            continue
        parsed = parse_times(table[canon], zone)
        offsets |= parsed.offsets
        flags.flag(
            parsed.unreadable, canon, "cannot read the time (use ISO 8601 or month/day/year text)"
        )
        flags.flag(parsed.gap, canon, "falls in a daylight-saving clock change of the time zone")
        instants[canon] = parsed.instants
        if canon == "started_at":
            local = parsed.local
    flags.flag(table.blank("started_at"), "started_at", "no call start time")
    notes: tuple[str, ...] = ()
    if offsets == {0.0} and zone is None:
        notes = (
            "Times are in UTC and no time zone was given: open hours and the intraday profile "
            "are in UTC. Pass the agency's time zone (e.g. --timezone CT) to get local hours.",
        )
    if local is None:  # every log has a start time (required by the column match)
        local = np.full(table.n, None, dtype=object)
    return Times(**instants, local=local, notes=notes)


@dataclass(frozen=True)
class Durations:
    """The duration columns in minutes (NaN where absent)."""

    ai_minutes: np.ndarray
    wait_minutes: np.ndarray
    handle_minutes: np.ndarray
    wrap_up_minutes: np.ndarray


def read_durations(
    table: RawTable, unit: str, units: Mapping[str, float], flags: RowFlags
) -> Durations:
    """Read every duration column: in the unit its header names (``units``), else in ``unit``.
    Unreadable, negative and day-long durations are flagged."""
    out: dict[str, np.ndarray] = {}
    for canon in DURATION_COLUMNS:
        if canon not in table:
            out[canon] = np.full(table.n, np.nan)
            continue
        factor = units.get(canon, DURATION_UNITS[unit])
        values, unreadable = parse_durations(table[canon], factor)
        flags.flag(unreadable, canon, "cannot read the duration (use mm:ss, h:mm:ss or a number)")
        flags.flag(values < 0, canon, "negative duration")
        flags.flag(
            values > _MAX_MINUTES, canon, "longer than a day: check the unit (seconds vs minutes)"
        )
        out[canon] = values
    return Durations(**out)


@dataclass(frozen=True)
class Labels:
    """The label columns in the lab's words (None where blank and without a default)."""

    direction: np.ndarray
    handled_by: np.ndarray
    outcome: np.ndarray
    converted: np.ndarray


def _choice(table: RawTable, canon: str, words: Mapping, default, what: str, flags: RowFlags):
    """A label column in the lab's words; unknown wordings are flagged."""
    out = np.full(table.n, default, dtype=object)
    if canon not in table:
        return out
    values = table[canon]
    mapped = values.map(lambda v: lookup_word(words, v) if v else default)
    unknown = mapped.isna().to_numpy() & ~table.blank(canon)
    allowed = ", ".join(str(k) for k in words)
    flags.flag(unknown, canon, f"unknown {what} (use {allowed})")
    out[~unknown] = mapped[~unknown].to_numpy()
    return out


def read_labels(table: RawTable, flags: RowFlags) -> Labels:
    """Direction (inbound by default), handler, outcome and converted."""
    return Labels(
        direction=_choice(table, "direction", DIRECTION_WORDS, "inbound", "direction", flags),
        handled_by=_choice(table, "handled_by", HANDLER_WORDS, None, "handler", flags),
        outcome=_choice(table, "outcome", OUTCOME_WORDS, None, "outcome", flags),
        converted=_choice(table, "converted", BOOL_WORDS, None, "converted value", flags),
    )
