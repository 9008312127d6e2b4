"""The building blocks of a scenario file: clock times, shares, time zones, open hours and
daily windows, and the base model every scenario table shares (unknown keys are errors, loaded
values are frozen, field docstrings are the documentation). :mod:`sim.scenario` builds the
agency from them; import them from there."""

from __future__ import annotations

import math
import re
import types
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = [
    "TIME_ZONES",
    "Clock",
    "Hours",
    "Probability",
    "TimeZone",
    "Window",
    "check_shares",
    "clock_minutes",
    "unwrap_annotation",
]

TIME_ZONES = {"ET": -5, "CT": -6, "MT": -7, "PT": -8, "AKT": -9, "HT": -10}
"""US time zones (standard-time offset from UTC, hours) for the agency and its leads."""

_TIME_RE = re.compile(r"^([01]\d|2[0-4]):([0-5]\d)$")


Probability = Annotated[float, Field(ge=0, le=1)]
TimeZone = Literal["ET", "CT", "MT", "PT", "AKT", "HT"]


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


class Hours(ScenarioModel):
    """When the agency is open, in its own local time."""

    open: Clock = "08:00"
    """Opening time, "HH:MM". "00:00" with close "24:00" means always open."""
    close: Clock = "18:00"
    """Closing time, "HH:MM", after `open` ("24:00" allowed). Inbound calls arrive only while
    open."""
    timezone: TimeZone = "ET"
    """The agency's time zone; outbound calling windows are converted from the lead's zone to
    this one."""
    days_per_week: int = Field(default=5, ge=1, le=7)
    """Open days per week; turns simulated days into weeks and months for ROI figures."""

    @model_validator(mode="after")
    def _open_before_close(self) -> Hours:
        if clock_minutes(self.open) >= clock_minutes(self.close):
            raise ValueError(f"open ({self.open}) must be before close ({self.close})")
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
