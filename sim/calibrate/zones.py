"""The agency's time zone in a fitted scenario: ``hours.timezone``.

The log's times are read in the zone the user gave (any IANA name, or the lab's US
abbreviations; :mod:`sim.calllog.zones`), so open hours and the profile are that zone's local
clock. ``hours.timezone`` then names it: the lab's abbreviation for its own zones
(``America/Chicago`` → ``CT``), the IANA name for any other, when the scenario accepts it. A
scenario that holds only US zones gets the US zone of the same standard time, or keeps its
zone, with a note saying so: the zone is never silently replaced by ``ET``.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from sim.calllog import lab_zone, scenario_zone
from sim.scenario import Hours

__all__ = ["set_zone"]


def _takes_zone(name: str) -> bool:
    """Whether a scenario's ``hours.timezone`` can hold ``name``."""
    try:
        Hours.model_validate({"timezone": name})
    except ValidationError:
        return False
    return True


def set_zone(hours: dict[str, Any], timezone: str | None) -> tuple[str, ...]:
    """Set ``hours.timezone`` to the agency's zone (the lab's abbreviation for its own zones,
    else the IANA name); a scenario that holds only US zones gets the US zone of the same
    standard time, or keeps its zone, with a note. Returns the notes."""
    name = scenario_zone(timezone)
    kept = hours.get("timezone", "ET")
    if name is None:
        return (
            f"No agency time zone given: hours.timezone is {kept} (from the base scenario or "
            "the default); pass the time zone to set it.",
        )
    if _takes_zone(name):
        hours["timezone"] = name
        return ()
    fallback = lab_zone(timezone)
    if fallback is not None:
        hours["timezone"] = fallback
        return (
            f"Hours and the profile are in {name} local time; hours.timezone is {fallback}, "
            "the US zone with the same standard time (the scenario holds only US zones).",
        )
    return (
        f"Hours and the profile are in {name} local time, but hours.timezone stays {kept}: "
        "the scenario holds only the US zones ET, CT, MT, PT, AKT and HT (it is used to "
        "convert outbound leads' calling windows).",
    )
