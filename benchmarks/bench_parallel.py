"""Benchmark: replications and sweeps on 2 worker processes against 1, and Dask's overhead.

All runs use the regional call-center scenario (about 3,000 calls a day over five days):

- ``simulate``: ``replications`` replications with ``workers=1`` and ``workers=2``;
- ``sweep``: three producer counts for the sales group × ``replications // 3`` replications,
  all cells in one batch, with ``workers=1`` and ``workers=2``;
- Dask: the same ``simulate`` on a ``LocalCluster`` of two single-threaded worker processes on
  loopback (its start-up time reported apart), against ``workers=2``; run after the others,
  since even an idle cluster takes CPU from the process pools;
- a pure-Python CPU loop on 1 and 2 processes: the ceiling this machine allows (a shared or
  throttled VM shows it here, not as a fault of the simulation).

Rounds are interleaved (1 worker, 2 workers, then again) and the median time is reported, so
every variant sees the same machine load; the ratio of the best times (least disturbed by other
work, as ``timeit`` advises) is reported too, and so is an estimate from CPU seconds of the
speed-up on an idle machine (CPU seconds barely change when other work shares the machine;
wall-clock seconds do). The 1-minute load average before the run is printed
too: on a shared machine the other work shows there.

Usage::

    python benchmarks/bench_parallel.py            # 24 replications, 3 rounds
    python benchmarks/bench_parallel.py --quick    # 8 replications, 1 round

Prints JSON and a one-line summary: the speed-up with 2 workers (target ≥ 1.7×).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SCENARIO = Path(__file__).resolve().parents[1] / "sim" / "scenarios" / "regional_call_center.toml"
GRID = {"destinations.0.producers": [16, 18, 20]}


def _timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - start


def _timed_cpu(fn, *args, **kwargs) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of this process and CPU seconds of its (reaped) children."""
    before = os.times()
    wall = _timed(fn, *args, **kwargs)
    after = os.times()
    own = after.user - before.user + after.system - before.system
    children = (
        after.children_user - before.children_user + after.children_system - before.children_system
    )
    return wall, own, children


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def cpu_ceiling(tasks: int = 8, size: int = 2_000_000) -> float:
    """Speed-up of a trivially parallel pure-Python loop on 2 processes against 1."""
    serial = _timed(lambda: [_spin(size) for _ in range(tasks)])
    with ProcessPoolExecutor(2) as pool:
        parallel = _timed(lambda: list(pool.map(_spin, [size] * tasks)))
    return serial / parallel


def _idle_speedup(serial: list[tuple[float, float]], parallel: list[tuple[float, float]]):
    """The speed-up an idle 2-core machine would show, from CPU seconds (which other work on a
    shared machine barely changes): serial CPU over the parallel run's critical path, taken
    conservatively as all the parent's CPU (as if none overlapped the workers) plus half the
    workers' CPU (two evenly loaded workers)."""
    serial_cpu = statistics.median(own + children for own, children in serial)
    parent = statistics.median(own for own, _ in parallel)
    workers = statistics.median(children for _, children in parallel)
    return round(serial_cpu / (parent + workers / 2), 2)


def _median(times: list[float]) -> float:
    return round(statistics.median(times), 3)


def run(replications: int, rounds: int) -> dict:
    from distributed import Client, LocalCluster

    from sim import load_scenario, simulate
    from sim.sweep import sweep

    scenario = load_scenario(SCENARIO)
    cell_reps = max(1, replications // len(GRID["destinations.0.producers"]))
    load_before = os.getloadavg()[0]
    simulate(scenario, replications=1)  # warm imports and caches

    times: dict[str, list[float]] = {
        key: [] for key in ("simulate_1", "simulate_2", "sweep_1", "sweep_2", "simulate_dask")
    }
    cpu: dict[str, list[tuple[float, float]]] = {key: [] for key in times}
    ceilings = []
    for _ in range(rounds):  # interleaved, so every variant sees the same machine load
        for workers in (1, 2):
            for name, fn, args, reps in (
                ("simulate", simulate, (scenario,), replications),
                ("sweep", sweep, (scenario, GRID), cell_reps),
            ):
                wall, own, children = _timed_cpu(fn, *args, replications=reps, workers=workers)
                times[f"{name}_{workers}"].append(wall)
                cpu[f"{name}_{workers}"].append((own, children))
        ceilings.append(cpu_ceiling())

    # Dask afterwards: an idle cluster in the background would slow the process pools.
    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=2,
            processes=True,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster, set_as_default=False) as client,  # only to wait for the workers
    ):
        client.wait_for_workers(2)
        cluster_start = time.perf_counter() - start
        address = cluster.scheduler_address
        simulate(scenario, replications=2, scheduler=address)  # warm the workers' imports
        for _ in range(rounds):
            times["simulate_dask"].append(
                _timed(simulate, scenario, replications=replications, scheduler=address)
            )
    medians = {key: _median(values) for key, values in times.items()}
    best = {key: min(values) for key, values in times.items()}
    idle = {
        name: _idle_speedup(cpu[f"{name}_1"], cpu[f"{name}_2"]) for name in ("simulate", "sweep")
    }
    rounded = {key: [round(t, 3) for t in values] for key, values in times.items()}
    return {
        "scenario": scenario.name,
        "cpus": os.cpu_count(),
        "load_average_1min_before": round(load_before, 2),
        "rounds": rounds,
        "simulate": {
            "replications": replications,
            "seconds_1_worker": medians["simulate_1"],
            "seconds_2_workers": medians["simulate_2"],
            "speedup_2_workers": round(medians["simulate_1"] / medians["simulate_2"], 2),
            "speedup_2_workers_best_times": round(best["simulate_1"] / best["simulate_2"], 2),
            "speedup_2_workers_if_idle_from_cpu_times": idle["simulate"],
        },
        "sweep": {
            "cells": len(GRID["destinations.0.producers"]),
            "replications_per_cell": cell_reps,
            "seconds_1_worker": medians["sweep_1"],
            "seconds_2_workers": medians["sweep_2"],
            "speedup_2_workers": round(medians["sweep_1"] / medians["sweep_2"], 2),
            "speedup_2_workers_best_times": round(best["sweep_1"] / best["sweep_2"], 2),
            "speedup_2_workers_if_idle_from_cpu_times": idle["sweep"],
        },
        "dask": {
            "cluster_start_seconds": round(cluster_start, 2),
            "seconds_simulate": medians["simulate_dask"],
            "time_vs_2_processes": round(medians["simulate_dask"] / medians["simulate_2"], 2),
        },
        "cpu_ceiling_speedup_2_processes": round(statistics.median(ceilings), 2),
        "all_seconds": rounded,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="8 replications, one round")
    parser.add_argument("--replications", type=int, default=24)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    replications, rounds = (8, 1) if args.quick else (args.replications, args.rounds)
    result = run(replications, rounds)
    print(json.dumps(result, indent=2))
    print(
        f"2 workers vs 1 (median; best times): simulate {result['simulate']['speedup_2_workers']}×"
        f" ({result['simulate']['speedup_2_workers_best_times']}×), "
        f"sweep {result['sweep']['speedup_2_workers']}× "
        f"({result['sweep']['speedup_2_workers_best_times']}×) (target ≥ 1.7×; this machine's "
        f"ceiling {result['cpu_ceiling_speedup_2_processes']}×); Dask LocalCluster "
        f"{result['dask']['time_vs_2_processes']}× the time of 2 processes, "
        f"{result['dask']['cluster_start_seconds']} s to start"
    )


if __name__ == "__main__":
    main()
