"""Shared helpers for the simulation tests."""

from __future__ import annotations

from typing import Any

import pytest

from sim import scenario_from_dict
from sim.paths import SCENARIOS_DIR


def queue_scenario(
    arrivals_per_minute: float,
    handle_minutes: float,
    producers: int,
    patience_minutes: float | None = None,
    days: int = 1,
    warmup_minutes: float = 60.0,
    **extra: Any,
):
    """The full model configured as M/M/n (or M/M/n+M with patience): always open, flat
    arrivals, AI off, one group, exponential handle and patience, no failures, no ring-over,
    no wrap-up, no callbacks."""
    data: dict[str, Any] = {
        "name": "M/M/n check",
        "days": days,
        "warmup_minutes": warmup_minutes,
        "service_level_seconds": 20,
        "hours": {"open": "00:00", "close": "24:00"},
        "inbound": {"calls_per_day": arrivals_per_minute * 1440, "profile": "flat"},
        "destinations": [
            {
                "name": "Producers",
                "producers": producers,
                "handle_minutes": {"dist": "exponential", "mean": handle_minutes},
                "ring_seconds": 0,
            }
        ],
        "transfer": {"failure_rate": 0.0, "fallback": "drop"},
    }
    if patience_minutes is not None:
        data["transfer"]["patience_minutes"] = {"dist": "exponential", "mean": patience_minutes}
    data.update(extra)
    return scenario_from_dict(data, source="<test>")


@pytest.fixture
def scenarios_dir():
    return SCENARIOS_DIR
