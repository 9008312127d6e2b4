"""The performance benchmarks in ``benchmarks/``, run in their quick form against their stated
targets: the full model at least twice as fast per call as a bare SimPy M/M/n+M model, two
worker processes faster than one, and a staffing plan at most four simulations' worth.

Marked ``benchmark`` (by ``tests/conftest.py``): machine-dependent, so not part of the default
run or CI; run them with ``python -m pytest -m benchmark``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.benchmark

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def run_benchmark(script: str, *args: str) -> dict:
    """Run ``benchmarks/<script>`` with this interpreter; its JSON report (printed first)."""
    done = subprocess.run([sys.executable, str(BENCHMARKS / script), *args], capture_output=True,
                          text=True, timeout=1800)  # fmt: skip
    assert done.returncode == 0, done.stderr
    report, _ = json.JSONDecoder().raw_decode(done.stdout.lstrip())
    print(done.stdout)
    return report


def test_full_model_keeps_up_with_bare_simpy():
    report = run_benchmark("bench_model.py", "--quick")
    assert report["speed"]["ratio_full_over_bare"] >= 2.0


def test_two_workers_beat_one():
    report = run_benchmark("bench_parallel.py", "--quick")
    if report["cpu_ceiling_speedup_2_processes"] < 1.5:
        pytest.skip("this machine cannot run two processes at once at full speed")
    assert report["simulate"]["speedup_2_workers_best_times"] > 1.2


def test_staffing_costs_few_simulations():
    # At the lab's default 10 replications of 5 days (the planning tools' setting). With 3
    # replications of 1 day the search needs about 8 rounds to settle its noisier cells (7.7
    # simulations' worth, measured 2026-12-02): fewer replications buy little.
    report = run_benchmark("bench_staffing.py", "--replications", "10", "--days", "5")
    # Brute force would simulate every count in every cell: hundreds of simulations' worth.
    assert report["simulations_run"] <= 4
    assert report["cost_in_simulations"] <= 4
    assert report["cells"] > 0
