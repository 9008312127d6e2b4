"""The agency's time zone: the lab's US abbreviations or any IANA (zoneinfo) name.

:func:`resolve_zone` turns what a user typed (``CT``, ``America/Chicago``, ``Europe/London``,
``europe/london``) into the IANA name the log's times are read in; an unknown name is a
:class:`~sim.calllog.problems.CalibrationError` naming the ``--timezone`` option with an
example. :func:`scenario_zone` is the name a fitted scenario's ``hours.timezone`` should hold
(the lab's abbreviation for its own zones, the IANA name otherwise); :func:`lab_zone` the lab
zone with the same standard UTC offset, the fallback for a scenario that holds only US zones.
"""

from __future__ import annotations

import difflib
import functools
import zoneinfo

import pandas as pd

from sim.calllog.problems import CalibrationError
from sim.scenario import TIME_ZONES

__all__ = ["IANA_ZONES", "lab_zone", "resolve_zone", "scenario_zone"]

IANA_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
    "AKT": "America/Anchorage",
    "HT": "Pacific/Honolulu",
}
"""The IANA time zone of each of the lab's agency time zones."""

_EXAMPLE = (
    "use a US zone (ET, CT, MT, PT, AKT, HT) or any IANA time zone name, "
    "e.g. --timezone Europe/London or --timezone America/Chicago"
)


@functools.cache
def _by_lower_name() -> dict[str, str]:
    """Every IANA zone name the system knows, by its lower-case spelling."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def _unknown(timezone: str) -> CalibrationError:
    close = difflib.get_close_matches(timezone.lower(), _by_lower_name(), n=1, cutoff=0.8)
    hint = f" (did you mean {_by_lower_name()[close[0]]}?)" if close else ""
    return CalibrationError(f"--timezone {timezone!r}: unknown time zone{hint}; {_EXAMPLE}")


def resolve_zone(timezone: str | None) -> str | None:
    """The IANA name of a lab zone (``"CT"``, any case) or of an IANA name (any case); None
    stays None. Raises :class:`CalibrationError` for an unknown zone."""
    if timezone is None:
        return None
    text = str(timezone).strip()
    if text.upper() in IANA_ZONES:
        return IANA_ZONES[text.upper()]
    zone = text if text in zoneinfo.available_timezones() else _by_lower_name().get(text.lower())
    if zone is None:
        raise _unknown(text)
    try:
        pd.Timestamp("2024-01-15").tz_localize(zone)
    except Exception:  # a name zoneinfo lists but pandas cannot use
        raise _unknown(text) from None
    return zone


def scenario_zone(timezone: str | None) -> str | None:
    """What a fitted scenario's ``hours.timezone`` should say: the lab's abbreviation when the
    zone is one of the lab's (``"CT"``, ``"America/Chicago"``), else the IANA name."""
    zone = resolve_zone(timezone)
    if zone is None:
        return None
    return next((abbr for abbr, name in IANA_ZONES.items() if name == zone), zone)


def lab_zone(timezone: str | None) -> str | None:
    """The lab's zone name (``"CT"``…) whose standard time matches ``timezone``, if any."""
    zone = resolve_zone(timezone)
    if zone is None:
        return None
    offset = pd.Timestamp("2024-01-15 12:00").tz_localize(zone).utcoffset().total_seconds() / 3600
    return next((name for name, hours in TIME_ZONES.items() if hours == offset), None)
