"""Benchmark: the cost of a staffing run, against one plain simulation in the same run.

Times ``sim.staffing.staffing`` on the regional call-center scenario (three groups, ≈3,000
calls a day, 30-minute intervals, the scenario's own ``[targets]``) and, as the reference, one
``sim.simulate`` of the same scenario with the same replications, timed before and after the
search (the mean of the two, so that load on a shared machine shifts both alike). The ratio says
how many simulations' worth of work the search costs (the goal is at most 4; a brute-force
search over every count in every cell would cost hundreds); ``simulations_run`` counts the
simulations themselves (a half-replication round counts one half), which does not depend on
the machine.

Usage::

    python benchmarks/bench_staffing.py [--replications 10] [--days 5]
"""

from __future__ import annotations

import argparse
import json
import time

from sim import load_scenario, simulate
from sim.paths import shipped_scenarios
from sim.staffing import staffing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--scenario", default="regional_call_center")
    args = parser.parse_args()
    scenario = load_scenario(shipped_scenarios()[args.scenario], {"days": args.days})
    simulate(scenario, replications=1)  # warm imports

    def one_simulation() -> float:
        start = time.perf_counter()
        simulate(scenario, replications=args.replications)
        return time.perf_counter() - start

    before = one_simulation()
    start = time.perf_counter()
    plan = staffing(scenario, interval_minutes=30, replications=args.replications)
    search = time.perf_counter() - start
    one = (before + one_simulation()) / 2
    cells = len(plan.table)
    result = {
        "scenario": scenario.name,
        "days": args.days,
        "replications": args.replications,
        "cells": cells,
        "one_simulation_seconds": round(one, 2),
        "staffing_seconds": round(search, 2),
        "simulations_run": plan.simulations,
        "rounds": plan.rounds,
        "cost_in_simulations": round(search / one, 1),
        "producer_hours_per_day": float(plan.totals()["producer_hours_per_day"].sum()),
        "erlang_a_hours_per_day": float(plan.totals()["erlang_a_hours_per_day"].sum()),
    }
    print(json.dumps(result, indent=2))
    print(
        f"staffing {cells} cells took {search:.1f} s = {search / one:.1f}× one simulation "
        f"({plan.simulations} simulations run)"
    )


if __name__ == "__main__":
    main()
