"""Benchmark: the full hand-off model against a bare SimPy M/M/n+M model, same load, same run.

The reference is the textbook SimPy model: one process per caller, a shared ``Resource`` for
the producers, and the reneging idiom ``yield request | env.timeout(patience)``. Its random
numbers are drawn up front in numpy batches too, so the comparison is of the simulation
engines, not of random number generation.

The full model runs the same M/M/n+M load through everything ``sim.simulate`` does: scenario
validation, arrivals, the event model, the full per-call record as a DataFrame and every KPI.

Usage::

    python benchmarks/bench_model.py            # speed ratio and 1M-call memory
    python benchmarks/bench_model.py --quick    # smaller run, no memory check

Prints calls simulated per second for each and their ratio (target ≥ 2.0), and the peak
memory of one million calls with the full record (target ≤ 250 MB, of which the imports of
pandas, pyarrow, SciPy and pydantic are about 125 MB).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

import numpy as np
import simpy

LAMBDA = 100 / 30  # calls per minute (the domain brief's reference case)
AHT = 3.0
PATIENCE = 5.0
PRODUCERS = 12


def bare_simpy(days: float, seed: int = 1) -> dict:
    """A bare SimPy M/M/n+M model; returns counts for a sanity check against theory."""
    rng = np.random.default_rng(seed)
    horizon = days * 1440
    n_expected = int(LAMBDA * horizon * 1.1) + 100
    gaps = rng.exponential(1 / LAMBDA, n_expected)
    handle = rng.exponential(AHT, n_expected)
    patience = rng.exponential(PATIENCE, n_expected)
    env = simpy.Environment()
    producers = simpy.Resource(env, capacity=PRODUCERS)
    stats = {"calls": 0, "abandoned": 0, "waited": 0}

    def caller(i):
        arrive = env.now
        with producers.request() as request:
            result = yield request | env.timeout(patience[i])
            if request in result:
                if env.now > arrive:
                    stats["waited"] += 1
                yield env.timeout(handle[i])
            else:
                stats["waited"] += 1
                stats["abandoned"] += 1

    def source():
        i = 0
        while True:
            yield env.timeout(gaps[i])
            if env.now >= horizon:
                return
            env.process(caller(i))
            stats["calls"] += 1
            i += 1

    env.process(source())
    env.run()
    return stats


def full_model(days: int, seed: int = 1, calls_per_day: float = LAMBDA * 1440):
    from sim import simulate

    return simulate(benchmark_scenario(days, calls_per_day), replications=1, seed=seed)


def benchmark_scenario(days: int, calls_per_day: float = LAMBDA * 1440):
    """The benchmark's M/M/n+M load as a lab scenario: open all day, AI off, no ring time."""
    from sim import scenario_from_dict

    return scenario_from_dict(
        {
            "name": "benchmark M/M/n+M",
            "days": days,
            "hours": {"open": "00:00", "close": "24:00"},
            "inbound": {"calls_per_day": calls_per_day, "profile": "flat"},
            "destinations": [
                {
                    "name": "Producers",
                    "producers": PRODUCERS,
                    "handle_minutes": {"dist": "exponential", "mean": AHT},
                    "ring_seconds": 0,
                }
            ],
            "transfer": {
                "patience_minutes": {"dist": "exponential", "mean": PATIENCE},
                "fallback": "drop",
            },
        }
    )


def _timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def speed(days: int, rounds: int) -> dict:
    full_model(1)  # warm imports and caches
    bare_times, full_times = [], []
    for r in range(rounds):  # interleave so both see the same machine load
        bare, t_bare = _timed(bare_simpy, days, r + 1)
        full, t_full = _timed(full_model, days, r + 1)
        bare_times.append((bare["calls"], t_bare))
        full_times.append((int(full.kpis["calls"].iloc[0]), t_full))
    bare_rate = np.median([c / t for c, t in bare_times])
    full_rate = np.median([c / t for c, t in full_times])
    return {
        "calls_per_run": full_times[0][0],
        "bare_simpy_calls_per_s": round(float(bare_rate)),
        "full_model_calls_per_s": round(float(full_rate)),
        "ratio_full_over_bare": round(float(full_rate / bare_rate), 2),
        "bare_abandon_rate": round(bare["abandoned"] / bare["calls"], 4),
        "full_abandon_rate": round(float(full.kpis["abandonment_rate"].iloc[0]), 4),
    }


def _peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM; unlike ru_maxrss it is not inherited from
    the parent across exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _memory_child(calls: int) -> None:
    base = _peak_rss_mb()
    import sim  # noqa: F401  (count imports in the baseline)

    after_imports = _peak_rss_mb()
    # The reference load over as many days as a million calls take, the daily volume trimmed so
    # that the expected calls are exactly ``calls`` (the lab refuses more than a million).
    days = int(np.ceil(calls / (LAMBDA * 1440)))
    per_day = calls / days
    while per_day * days > calls:
        per_day = float(np.nextafter(per_day, 0.0))
    start = time.perf_counter()
    results = full_model(days, 1, per_day)
    elapsed = time.perf_counter() - start
    peak = _peak_rss_mb()
    print(
        json.dumps(
            {
                "calls": int(results.kpis["calls"].iloc[0]),
                "record_rows": len(results.calls),
                "record_columns": results.calls.shape[1],
                "seconds": round(elapsed, 1),
                "peak_rss_mb": round(peak),
                "rss_after_imports_mb": round(after_imports),
                "python_start_mb": round(base),
            }
        )
    )


def memory(calls: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--memory-child", str(calls)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small run, no memory check")
    parser.add_argument("--days", type=int, default=20, help="simulated days per speed run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--calls", type=int, default=1_000_000, help="calls for the memory run")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        _memory_child(args.memory_child)
        return
    days = 2 if args.quick else args.days
    result = {"speed": speed(days, 1 if args.quick else args.rounds)}
    if not args.quick:
        result["memory_1m_calls"] = memory(args.calls)
    print(json.dumps(result, indent=2))
    ratio = result["speed"]["ratio_full_over_bare"]
    print(f"full model / bare SimPy speed ratio: {ratio} (target ≥ 2.0)")
    if "memory_1m_calls" in result:
        mem = result["memory_1m_calls"]
        print(f"1M calls: peak RSS {mem['peak_rss_mb']} MB (target ≤ 250 MB), {mem['seconds']} s")


if __name__ == "__main__":
    main()
