"""The building blocks of a scenario file: clock times, shares, time zones, open hours (the
default day and per-weekday overrides) and daily windows, and the base model every scenario
table shares (unknown keys are errors, loaded values are frozen, field docstrings are the
documentation). :mod:`sim.scenario` builds the agency from them; import them from there.

**Time zones.** The agency's ``hours.timezone`` is one of the lab's US abbreviations (``ET``,
``CT``, ``MT``, ``PT``, ``AKT``, ``HT``) or any IANA name (``Europe/London``); leads stay in the
US zones. Outbound calling windows are converted with each zone's *standard* UTC offset (the
lab's abbreviations are standard offsets; an IANA zone's is the smaller of its offsets on
15 January and 15 July 2025): daylight saving is not modelled, which is exact while agency and
leads are both on standard or both on summer time and an hour off in the weeks where only one
side has changed its clocks.

**Weekdays.** Without ``[hours.weekdays]`` every simulated day is the default day (``open``,
``close``, the inbound profile, the rosters) and ``days_per_week`` only turns days into weeks.
With it, simulated days are calendar days from ``first_weekday``; each listed weekday can have
its own hours, volume and profile, or be closed, and ``days_per_week`` is the number of open
weekdays (derived when omitted; an explicit value must agree).
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
import types
import typing
import zoneinfo
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError, ValidationError

__all__ = [
    "TIME_ZONES",
    "WEEKDAYS",
    "AgencyZone",
    "Clock",
    "DayHours",
    "Hours",
    "Probability",
    "TimeZone",
    "Weekday",
    "Window",
    "check_shares",
    "check_weekday_keys",
    "clock_minutes",
    "standard_offset_hours",
    "unwrap_annotation",
]

TIME_ZONES = {"ET": -5, "CT": -6, "MT": -7, "PT": -8, "AKT": -9, "HT": -10}
"""US time zones (standard-time offset from UTC, hours) for the agency and its leads."""

_TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


Probability = Annotated[float, Field(ge=0, le=1)]
TimeZone = Literal["ET", "CT", "MT", "PT", "AKT", "HT"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""The weekdays as scenario keys, Monday first (index 0 is Monday, as in ``datetime``)."""
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def unwrap_annotation(annotation: Any) -> Any:
    """Strip ``Annotated[...]`` and ``| None`` from a field annotation (keeps real unions, such
    as the distribution union or ``profile``'s name-or-list)."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        is_union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
        if is_union and len(args) == 1:
            annotation = args[0]
            continue
        return annotation


def clock_minutes(text: str) -> int:
    """Minutes after midnight of an ``"HH:MM"`` clock time (``"24:00"`` is 1440)."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class ScenarioModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


def _check_clock(value: object) -> str:
    if not isinstance(value, str) or not _TIME_RE.match(value):
        raise ValueError(f'must be a clock time "HH:MM" from "00:00" to "24:00", got {value!r}')
    if value.startswith("24") and value != "24:00":
        raise ValueError(f'"24:00" is the latest clock time, got {value!r}')
    return value


Clock = Annotated[str, BeforeValidator(_check_clock)]
"""A clock time "HH:MM" from "00:00" to "24:00"."""


@functools.cache
def _zones_by_lower_name() -> dict[str, str]:
    """Every IANA zone name this machine knows (system database or the ``tzdata`` wheel), by
    its lower-case spelling."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


_ZONE_HELP = (
    "use ET, CT, MT, PT, AKT, HT or any IANA time zone name, e.g. Europe/London or America/Chicago"
)


def _check_zone(value: object) -> str:
    """The agency zone as written canonically: a lab abbreviation (any case) or an IANA name
    (any case, stored as the database spells it)."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"must be a time zone name; {_ZONE_HELP}, got {value!r}")
    text = value.strip()
    if text.upper() in TIME_ZONES:
        return text.upper()
    by_lower = _zones_by_lower_name()
    if text.lower() in by_lower:
        return by_lower[text.lower()]
    close = difflib.get_close_matches(text.lower(), by_lower, n=1, cutoff=0.8)
    hint = f" (did you mean {by_lower[close[0]]}?)" if close else ""
    raise ValueError(f"unknown time zone {text!r}{hint}; {_ZONE_HELP}")


AgencyZone = Annotated[str, BeforeValidator(_check_zone)]
"""The agency's time zone: a lab US abbreviation or any IANA name."""


@functools.cache
def standard_offset_hours(zone: str) -> float:
    """The zone's standard-time offset from UTC, in hours: the lab's table for its
    abbreviations; for an IANA name the smaller of its offsets on 15 January and 15 July 2025
    (summer time only ever moves clocks forward), e.g. 0 for Europe/London, 5.5 for
    Asia/Kolkata, 10 for Australia/Sydney."""
    if zone in TIME_ZONES:
        return float(TIME_ZONES[zone])
    tz = zoneinfo.ZoneInfo(zone)
    offsets = []
    for month in (1, 7):
        offset = dt.datetime(2025, month, 15, 12, tzinfo=tz).utcoffset()
        offsets.append(offset.total_seconds() / 3600 if offset is not None else 0.0)
    return min(offsets)


def fail_at(loc: tuple[str | int, ...], message: str, value: object = None) -> ValidationError:
    """A validation error at ``loc`` below the field or model being validated (so the loader
    names the exact key, e.g. ``hours.weekdays.sat.close``)."""
    error = PydanticCustomError("value_error", "{message}", {"message": message})
    return ValidationError.from_exception_data(
        "Hours", [InitErrorDetails(type=error, loc=loc, input=value)]
    )


def check_weekday_keys(value: Any) -> Any:
    """A per-weekday table's keys must be weekdays (``mon`` … ``sun``): the error names the
    wrong key and the allowed ones."""
    if isinstance(value, dict):
        for key in value:
            if key not in WEEKDAYS:
                raise fail_at(
                    (str(key),), f"unknown weekday {key!r}; weekdays are {', '.join(WEEKDAYS)}"
                )
    return value


class DayHours(ScenarioModel):
    """One weekday's own hours, volume and profile (`[hours.weekdays.sat]`); every key omitted
    takes the default day's."""

    closed: bool = False
    """The agency is closed that weekday: no inbound calls, no producers on shift, no outbound
    dials (the other keys must then be omitted)."""
    open: Clock | None = None
    """That weekday's opening time, "HH:MM"; omitted means `hours.open`."""
    close: Clock | None = None
    """That weekday's closing time, "HH:MM", after its opening time; omitted means
    `hours.close`."""
    volume: float = Field(default=1.0, ge=0)
    """That weekday's inbound volume relative to `inbound.calls_per_day` (0.4: 40% of a default
    day's calls)."""
    profile: list[Annotated[float, Field(ge=0)]] | None = None
    """That weekday's intraday shape, one relative weight per `inbound.interval_minutes`
    interval of its open hours; omitted means `inbound.profile` (a named profile stretches to
    the day's hours; a list fits only a day with the default hours)."""

    @model_validator(mode="after")
    def _closed_has_nothing_else(self) -> DayHours:
        if self.closed:  # (an exported scenario writes the default volume: allowed)
            given = [k for k in ("open", "close", "profile") if getattr(self, k) is not None]
            given += ["volume"] if self.volume != 1 else []
            if given:
                raise fail_at(
                    (given[0],), f"a closed weekday takes no other keys (got {', '.join(given)})"
                )
        if self.profile is not None and sum(self.profile) <= 0:
            raise fail_at(("profile",), "at least one weight must be positive")
        return self


class Hours(ScenarioModel):
    """When the agency is open, in its own local time: the default day, and optionally each
    weekday's own hours, volume and profile."""

    open: Clock = "08:00"
    """Opening time, "HH:MM". "00:00" with close "24:00" means always open."""
    close: Clock = "18:00"
    """Closing time, "HH:MM", after `open` ("24:00" allowed). Inbound calls arrive only while
    open."""
    timezone: AgencyZone = "ET"
    """The agency's time zone: ET, CT, MT, PT, AKT, HT or any IANA name ("Europe/London").
    Outbound calling windows are converted from the lead's zone to this one with both zones'
    standard offsets (daylight saving is not modelled)."""
    days_per_week: int = Field(default=5, ge=1, le=7)
    """Open days per week; turns simulated days into weeks and months for ROI figures. With
    `weekdays` it is the number of open weekdays (derived when omitted)."""
    first_weekday: Weekday = "mon"
    """Weekday of simulated day 0 (with `weekdays`, simulated days are calendar days from it;
    without, they are open days of `days_per_week`-day weeks from it)."""
    weekdays: dict[Weekday, DayHours] = {}
    """Per-weekday overrides, e.g. `[hours.weekdays.sat]` with `open`, `close`, `volume`,
    `profile`, or `closed = true`; a weekday not listed is the default day. Omitted means every
    simulated day is the default day."""

    _weekday_keys = field_validator("weekdays", mode="before")(check_weekday_keys)

    @model_validator(mode="before")
    @classmethod
    def _derive_days_per_week(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("weekdays") and "days_per_week" not in data:
            table = data["weekdays"]
            if isinstance(table, dict):
                closed = sum(
                    1
                    for day in table.values()
                    if (day.closed if isinstance(day, DayHours) else
                        isinstance(day, dict) and day.get("closed") is True)
                )  # fmt: skip
                data = {**data, "days_per_week": max(7 - closed, 1)}
        return data

    @model_validator(mode="after")
    def _open_before_close(self) -> Hours:
        if clock_minutes(self.open) >= clock_minutes(self.close):
            raise ValueError(f"open ({self.open}) must be before close ({self.close})")
        for name, day in self.weekdays.items():
            if day.closed:
                continue
            open_, close = day.open or self.open, day.close or self.close
            if clock_minutes(open_) >= clock_minutes(close):
                key = "close" if day.close is not None else "open"
                raise fail_at(
                    ("weekdays", name, key),
                    f"{name}'s opening time {open_} must be before its closing time {close}"
                    + ("" if day.open and day.close else " (the other one is the default day's)"),
                    day.close if key == "close" else day.open,
                )
        if self.weekdays:
            open_days = [d for d in WEEKDAYS if not self.weekday(d).closed]
            if not open_days:
                raise fail_at(("weekdays",), "every weekday is closed; leave at least one open")
            if self.days_per_week != len(open_days):
                raise fail_at(
                    ("days_per_week",),
                    f"{self.days_per_week} given, but hours.weekdays leaves {len(open_days)} "
                    f"open weekdays ({', '.join(open_days)}); set it to {len(open_days)} or "
                    "omit it (it is then derived)",
                    self.days_per_week,
                )
        return self

    @property
    def open_minute(self) -> int:
        return clock_minutes(self.open)

    @property
    def close_minute(self) -> int:
        return clock_minutes(self.close)

    @property
    def always_open(self) -> bool:
        return self.open_minute == 0 and self.close_minute == 1440

    @property
    def utc_offset_hours(self) -> float:
        """The agency zone's standard offset from UTC, in hours (see
        :func:`standard_offset_hours`): what calling windows are converted with."""
        return standard_offset_hours(self.timezone)

    @property
    def by_weekday(self) -> bool:
        """Whether simulated days are calendar days with their own weekday hours."""
        return bool(self.weekdays)

    def weekday(self, name: str) -> DayHours:
        """That weekday's hours with the default day filled in (``open`` and ``close`` always
        set, except on a closed day)."""
        day = self.weekdays.get(name)  # type: ignore[call-overload]
        if day is None:
            return DayHours(open=self.open, close=self.close)
        if day.closed:
            return day
        return day.model_copy(update={"open": day.open or self.open,
                                      "close": day.close or self.close})  # fmt: skip

    def own_hours(self, name: str) -> bool:
        """Whether that weekday is open with hours other than the default day's."""
        day = self.weekday(name)
        return not day.closed and (day.open, day.close) != (self.open, self.close)


class Window(ScenarioModel):
    """A daily window of clock time."""

    start: Clock
    """Start, "HH:MM"."""
    end: Clock
    """End, "HH:MM", after `start`."""

    @model_validator(mode="after")
    def _start_before_end(self) -> Window:
        if clock_minutes(self.start) >= clock_minutes(self.end):
            raise ValueError(f"start ({self.start}) must be before end ({self.end})")
        return self

    @property
    def start_minute(self) -> int:
        return clock_minutes(self.start)

    @property
    def end_minute(self) -> int:
        return clock_minutes(self.end)


def check_shares(value: dict[str, float]) -> None:
    if not value:
        raise ValueError("needs at least one entry")
    total = sum(value.values())
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ValueError(f"shares must sum to 1, got {total:g}")
