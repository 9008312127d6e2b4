"""Where simulations run: in this process, in worker processes, or on a Dask cluster.

The same seeded replications must give identical numbers wherever they run, the progress
callback must count up to the total, and a scheduler that cannot be reached must fail fast
with a message that says what to do.
"""

from __future__ import annotations

import socket
import sys
import time
import traceback

import pandas as pd
import pytest

import sim
from sim.execution import ExecutionError, run_tasks
from sim.loader import derive
from sim.paths import SCENARIOS_DIR

REPLICATIONS = 4


@pytest.fixture(scope="module")
def scenario():
    """One day of the small agency: ~150 calls, a few milliseconds per replication."""
    return derive(sim.load_scenario(SCENARIOS_DIR / "small_agency.toml"), {"days": 1})


def distributed():
    """Dask's ``distributed`` module, or skip the test: Dask is the optional ``dask`` extra, and
    the rest of this module runs without it."""
    return pytest.importorskip(
        "distributed", reason='needs the dask extra (pip install "warm-handoff-lab[dask]")'
    )


@pytest.fixture(scope="module")
def cluster():
    """Two single-threaded worker processes on loopback, shut down by the context manager."""
    with distributed().LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local


@pytest.fixture
def scheduler(cluster):
    """The cluster's address (no default Dask client: run_tasks makes its own)."""
    return cluster.scheduler_address


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_same_results(a: sim.Results, b: sim.Results) -> None:
    pd.testing.assert_frame_equal(a.kpis, b.kpis, check_exact=True)
    pd.testing.assert_frame_equal(a.calls, b.calls, check_exact=True)
    pd.testing.assert_frame_equal(a.groups, b.groups, check_exact=True)


def square_after(task: tuple[int, float]) -> int:
    """Sleep, then square: later tasks finish first, to check results come back in order."""
    value, delay = task
    time.sleep(delay)
    return value * value


def test_simulate_identical_with_one_or_two_worker_processes(scenario):
    serial = sim.simulate(scenario, replications=REPLICATIONS, seed=7, workers=1)
    parallel = sim.simulate(scenario, replications=REPLICATIONS, seed=7, workers=2)
    assert_same_results(serial, parallel)
    assert serial.kpis["replication"].tolist() == list(range(REPLICATIONS))


def test_simulate_identical_on_a_dask_cluster(scenario, scheduler):
    serial = sim.simulate(scenario, replications=REPLICATIONS, seed=7)
    on_dask = sim.simulate(scenario, replications=REPLICATIONS, seed=7, scheduler=scheduler)
    assert_same_results(serial, on_dask)


@pytest.mark.parametrize("where", ["serial", "processes", "dask"])
def test_progress_counts_every_task_up_to_the_total(where, scenario, request):
    seen: list[tuple[int, int]] = []
    options = {"serial": {}, "processes": {"workers": 2}}.get(where)
    if options is None:
        options = {"scheduler": request.getfixturevalue("scheduler")}
    sim.simulate(
        scenario,
        replications=REPLICATIONS,
        seed=3,
        progress=lambda done, total: seen.append((done, total)),
        **options,
    )
    assert seen == [(done, REPLICATIONS) for done in range(1, REPLICATIONS + 1)]


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_in_task_order(workers):
    tasks = [(value, 0.05 * (4 - value)) for value in range(5)]
    assert run_tasks(square_after, tasks, workers=workers) == [0, 1, 4, 9, 16]


def test_results_in_task_order_on_dask(scheduler):
    tasks = [(value, 0.05 * (4 - value)) for value in range(5)]
    assert run_tasks(square_after, tasks, scheduler=scheduler) == [0, 1, 4, 9, 16]


def test_no_tasks_is_no_results():
    assert run_tasks(abs, [], workers=2) == []


def test_workers_must_be_positive():
    with pytest.raises(ValueError, match="workers must be at least 1"):
        run_tasks(abs, [1], workers=0)


def test_unreachable_scheduler_fails_fast_with_a_clear_message():
    distributed()
    address = f"tcp://127.0.0.1:{closed_port()}"
    start = time.perf_counter()
    with pytest.raises(ExecutionError, match="cannot reach the Dask scheduler") as caught:
        run_tasks(abs, [1, 2], scheduler=address, connect_timeout=1.0)
    assert time.perf_counter() - start < 5
    message = str(caught.value)
    assert address in message
    assert "dask scheduler" in message  # says how to start one


def test_missing_dask_names_the_extra_to_install(monkeypatch):
    """Without Dask, a scheduler address is refused with the extra to install, not an
    ImportError (``sys.modules[name] = None`` makes importing it fail, as when not installed)."""
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ExecutionError) as caught:
        run_tasks(abs, [1, 2], scheduler="tcp://127.0.0.1:8786")
    message = str(caught.value)
    assert 'pip install "warm-handoff-lab[dask]"' in message
    assert "tcp://127.0.0.1:8786" in message


def test_dask_runs_without_a_default_client(cluster):
    try:
        result = run_tasks(abs, [-1, -2], scheduler=cluster.scheduler_address)
    except ValueError as exc:
        pytest.fail(f"ValueError instead of results: {exc}")
    assert result == [1, 2]


@pytest.mark.parametrize("address", ["localhost", "tcp://127.0.0.1:notaport"])
def test_malformed_scheduler_address_is_an_execution_error(address):
    try:
        run_tasks(abs, [1], scheduler=address, connect_timeout=1.0)
    except ValueError as exc:
        if isinstance(exc, ExecutionError):  # an ExecutionError is not a ValueError today
            raise
        close_half_made_clients(exc)
        pytest.fail(f"ValueError instead of ExecutionError: {exc}")
    except ExecutionError as exc:
        message = str(exc)
    else:
        pytest.fail("no error for a malformed scheduler address")
    assert address in message


def close_half_made_clients(exc: BaseException) -> None:
    """Close the Client whose constructor raised, still referenced from the traceback;
    otherwise its ``__del__`` times out (and complains) at interpreter exit."""
    client_type = distributed().Client
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        client = frame.f_locals.get("self")
        if isinstance(client, client_type):
            client.close()
