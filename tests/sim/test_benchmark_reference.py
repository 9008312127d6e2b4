"""The benchmark's bare SimPy reference is a genuine M/M/n+M model: on a short run its
abandonment agrees with Erlang A, so the speed ratio compares like with like. (Speed itself is
measured by ``benchmarks/bench_model.py``, not asserted here.)"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from sim import theory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_model", ROOT / "benchmarks/bench_model.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_reference_and_full_model_simulate_the_same_queue(bench):
    want = theory.erlang_a_metrics(
        arrival_rate=bench.LAMBDA, handle_minutes=bench.AHT, patience_minutes=bench.PATIENCE,
        producers=bench.PRODUCERS, answer_within_minutes=1 / 3,
    )  # fmt: skip
    bare = bench.bare_simpy(days=4, seed=3)
    full = bench.full_model(days=4, seed=3)
    assert bare["calls"] == pytest.approx(bench.LAMBDA * 4 * 1440, rel=0.03)
    assert bare["abandoned"] / bare["calls"] == pytest.approx(want.p_abandon, abs=0.01)
    assert bare["waited"] / bare["calls"] == pytest.approx(want.p_wait, abs=0.03)
    assert full.kpis["abandonment_rate"].iloc[0] == pytest.approx(want.p_abandon, abs=0.01)
