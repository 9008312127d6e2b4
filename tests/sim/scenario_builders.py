"""Small scenarios for the mechanism and property tests, written as plain dicts.

``build(**sections)`` starts from a deliberately dull agency (one day, open 08:00–18:00 ET,
flat arrivals, AI off, one roomy producer group with fixed handle time, no patience, no
failures, fallback "drop") and deep-merges the given sections over it, so each test states only
what it is about. Helpers below compute the things tests check by hand.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from sim import Scenario, scenario_from_dict

TZ_OFFSET = {"ET": -5, "CT": -6, "MT": -7, "PT": -8}
"""Standard-time UTC offsets, written out here independently of ``sim.scenario``."""

CONVERSATIONS = ("contained", "connected", "abandoned", "failed", "no_producer")
LEAD_CONTROLS = ("no_consent", "dnc_suppressed", "outside_window")


def base() -> dict[str, Any]:
    return {
        "name": "mechanism test",
        "days": 1,
        "seed": 1,
        "hours": {"open": "08:00", "close": "18:00", "timezone": "ET"},
        "inbound": {"calls_per_day": 100, "profile": "flat", "interval_minutes": 30},
        "destinations": [
            {
                "name": "A",
                "producers": 50,
                "handle_minutes": {"dist": "fixed", "value": 5.0},
                "ring_seconds": 20,
            }
        ],
        "transfer": {"failure_rate": 0.0, "fallback": "drop", "whisper_seconds": 15},
    }


def merge(into: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Recursively merge ``extra`` into a copy of ``into`` (lists and scalars replace)."""
    out = copy.deepcopy(into)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def build(**sections: Any) -> Scenario:
    """The base scenario with ``sections`` deep-merged over it."""
    return scenario_from_dict(merge(base(), sections), source="<test>")


def fixed(value: float) -> dict[str, Any]:
    return {"dist": "fixed", "value": value}


def group(name: str, producers: int, **extra: Any) -> dict[str, Any]:
    """A destination group with fixed 5-minute handle time unless told otherwise."""
    return {"name": name, "producers": producers, "handle_minutes": fixed(5.0), **extra}


def within(count: int, trials: int, p: float, sigmas: float = 4.5) -> bool:
    """Whether ``count`` successes in ``trials`` is within ``sigmas`` standard errors of p."""
    sd = math.sqrt(trials * p * (1 - p))
    return abs(count - trials * p) <= sigmas * max(sd, 0.5)


def hm(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)
