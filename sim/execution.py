"""Where simulations run: in this process, in worker processes, or on a Dask cluster.

Every planning tool reduces its work to a list of independent tasks (one replication of one
scenario variant each) and hands it to :func:`run_tasks`. Each task carries its own seed, so the
numbers never depend on where or in which order tasks run: results come back in task order and
are identical for one worker, two workers or a cluster.

- ``workers=1`` (default): in this process.
- ``workers=N``: a pool of N processes on this machine.
- ``scheduler="tcp://host:port"``: a running Dask distributed scheduler; ``workers`` is then
  ignored. An unreachable scheduler, or Dask not installed (it is the ``dask`` extra:
  ``pip install "warm-handoff-lab[dask]"``), raises :class:`ExecutionError` with a clear
  message.

``progress(done, total)`` is called as tasks finish (for progress bars).
"""

from __future__ import annotations

import multiprocessing
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, TypeVar

__all__ = ["ExecutionError", "Progress", "run_tasks"]

T = TypeVar("T")
Progress = Callable[[int, int], None]
"""Called with (tasks done, tasks in all)."""


class ExecutionError(RuntimeError):
    """The simulations could not be run where asked (e.g. the scheduler is unreachable)."""


def run_tasks(
    fn: Callable[[Any], T],
    tasks: Sequence[Any],
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    connect_timeout: float = 5.0,
) -> list[T]:
    """Run ``fn(task)`` for every task and return the results in task order."""
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    total = len(tasks)
    if scheduler:
        return _on_dask(fn, tasks, scheduler, progress, connect_timeout)
    if workers == 1 or total <= 1:
        results = []
        for done, task in enumerate(tasks, start=1):
            results.append(fn(task))
            if progress:
                progress(done, total)
        return results
    results_by_index: dict[int, T] = {}
    with ProcessPoolExecutor(max_workers=min(workers, total), mp_context=_context()) as pool:
        futures = {pool.submit(fn, task): k for k, task in enumerate(tasks)}
        for done, future in enumerate(as_completed(futures), start=1):
            results_by_index[futures[future]] = future.result()
            if progress:
                progress(done, total)
    return [results_by_index[k] for k in range(total)]


def _context() -> multiprocessing.context.BaseContext:
    """How to start worker processes. Forking is fastest (workers inherit the imported lab
    instead of importing it again), but forking a process that runs threads (a Dask client, the
    Streamlit server) is unsafe and deprecated from Python 3.12; then use a fork server."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["sim.results"])
        return context
    return multiprocessing.get_context("spawn")


_ADDRESS = re.compile(r"^(tcp|tls|ws|wss)://[^\s/:]+:\d{1,5}$")


def _on_dask(fn, tasks, scheduler: str, progress, timeout: float) -> list:
    if not _ADDRESS.match(scheduler):
        raise ExecutionError(
            f"scheduler address {scheduler!r} must look like tcp://host:port "
            "(e.g. tcp://10.0.0.5:8786)"
        )
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed
    except ImportError:
        raise ExecutionError(
            f"running on the Dask scheduler at {scheduler} needs Dask, which is not installed: "
            'install the dask extra (pip install "warm-handoff-lab[dask]"), or leave out '
            "--scheduler to run on this machine."
        ) from None
    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise ExecutionError(
            f"cannot reach the Dask scheduler at {scheduler}: {exc}. Start one with "
            "`dask scheduler` (and `dask worker <address>`), or leave out --scheduler to run "
            "on this machine."
        ) from None
    try:
        futures = client.map(fn, list(tasks), pure=False)
        index = {f.key: k for k, f in enumerate(futures)}
        results: dict[int, Any] = {}
        for done, future in enumerate(dask_completed(futures, loop=client.loop), start=1):
            results[index[future.key]] = future.result()
            if progress:
                progress(done, len(futures))
        return [results[k] for k in range(len(futures))]
    finally:
        client.close()
