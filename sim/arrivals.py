"""When callers arrive: kept for existing imports; the model is :mod:`sim.engine.arrivals`."""

from sim.engine.arrivals import (
    DAY,
    LEAD_STATUSES,
    Leads,
    inbound_arrivals,
    interval_rates,
    outbound_leads,
)

__all__ = ["DAY", "LEAD_STATUSES", "Leads", "inbound_arrivals", "interval_rates", "outbound_leads"]
