"""Sweeps: the same agency under many variants, e.g. three to eight producers × two rollouts.

A sweep is a grid over scenario keys (the dotted paths of ``--set``; :func:`parse_grid` is
:func:`sim.overrides.parse_grid`)::

    grid = parse_grid(["destinations.0.producers=3,4,5", "ai.rollout=0.1,0.2"])
    result = sweep(scenario, grid, replications=5, workers=2)
    result.table      # one row per cell × replication: the grid keys, then every KPI
    result.summary()  # one row per cell × KPI: mean and confidence interval (tidy, to plot)

Every cell of the grid (the Cartesian product of the values, the first key varying slowest) is
the base scenario with those keys changed. All cells are validated before anything runs, so a
key that does not exist or a value out of range fails at once, naming the key and what is
allowed. Then every replication of every cell goes to one :func:`sim.execution.run_tasks` call,
so worker processes or a Dask cluster work across cells, not only within one.

**Common random numbers.** Every cell uses the same seed: replication *r* of each cell starts
from the same random streams (the *r*-th child of ``SeedSequence(seed)``). Differences between
cells are then due to the changed keys rather than to luck, so a sweep over producers shows a
smooth curve with few replications. The flip side: the cells are not independent samples, so do
not pool them as if they were.

Results are identical whatever ``workers`` or ``scheduler``. Per-call tables are dropped in the
workers (a sweep can be large); only the KPI rows and the per-group occupancy are kept.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from sim._api import callable_module
from sim.execution import Progress, run_tasks
from sim.kpis import EXTRA_KPIS, KPI_NAMES
from sim.loader import ScenarioError, derive
from sim.overrides import GRID, check_grid, parse_grid
from sim.results import json_safe, replication_task, run_one, summarise
from sim.scenario import Scenario

__all__ = ["SweepResult", "parse_grid", "sweep"]

ALL_KPIS = (*KPI_NAMES, *EXTRA_KPIS)
"""The KPI columns of :attr:`SweepResult.table`, in order."""


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Sequence[Any]],
    replications: int = 5,
    seed: int | None = None,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Progress | None = None,
    connect_timeout: float = 10.0,
) -> SweepResult:
    """Run ``replications`` replications of every cell of ``grid`` over ``scenario``.

    ``grid`` maps dotted scenario keys to the values to try (see :func:`parse_grid`); an empty
    grid is one cell, the scenario itself. ``seed`` defaults to the scenario's and is the same
    for every cell (common random numbers, see the module docstring); only a grid over the
    ``seed`` key itself, with ``seed=None``, gives each cell its own. ``workers``,
    ``scheduler`` and ``connect_timeout`` are as in :func:`sim.execution.run_tasks`;
    ``progress(done, total)`` counts replications over all cells.

    Raises :class:`ScenarioError` before anything runs if any cell is not a valid scenario.
    """
    if replications < 1:
        raise ValueError(f"replications must be at least 1, got {replications}")
    if workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    grid = check_grid(grid, GRID)  # every value checked, and the cell count bounded first
    cells = [dict(zip(grid, combo, strict=True)) for combo in itertools.product(*grid.values())]
    variants = _derive_all(scenario, cells)
    tasks = [
        (cell, task)
        for cell, variant in enumerate(variants)
        for task in replication_task(variant, variant.seed if seed is None else seed, replications)
    ]
    seed = scenario.seed if seed is None else seed
    outputs = run_tasks(
        _run_cell_replication,
        tasks,
        workers=workers,
        scheduler=scheduler,
        progress=progress,
        connect_timeout=connect_timeout,
    )
    return _assemble(scenario, seed, grid, cells, replications, outputs)


def _derive_all(scenario: Scenario, cells: list[dict[str, Any]]) -> list[Scenario]:
    """Every cell's scenario, or one :class:`ScenarioError` listing each distinct problem."""
    variants: list[Scenario] = []
    where: dict[tuple[str, str], list[str]] = {}  # (key, message) -> the cells it occurs in
    for cell in cells:
        try:
            variants.append(derive(scenario, cell, source=GRID))
        except ScenarioError as exc:
            for key, msg in exc.problems:
                where.setdefault(_name_grid_key(key, msg, cell), []).append(_label(cell))
    if not where:
        return variants
    problems = []
    for (key, msg), labels in where.items():
        # A problem of every cell (an unknown key) needs no cell named; a bad value or
        # combination is shown with the first cell it occurs in.
        if len(labels) < len(cells):
            more = f" and {len(labels) - 1} more" if len(labels) > 1 else ""
            msg = f"{msg} (in the cell {labels[0]}{more})"
        problems.append((key, msg))
    raise ScenarioError(GRID, problems)


def _name_grid_key(key: str, msg: str, cell: Mapping[str, Any]) -> tuple[str, str]:
    """Report a problem under the grid key the user wrote (``foo.bar``, not just ``foo``)."""
    if key in cell:
        return key, msg
    for grid_key in cell:
        if key and grid_key.startswith(key + "."):
            return grid_key, f"{key}: {msg}"
    return key, msg


def _label(cell: Mapping[str, Any]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in cell.items())


def _run_cell_replication(task: tuple[int, tuple]) -> tuple[int, dict, pd.DataFrame]:
    """One replication of one cell; the call table is dropped here, in the worker."""
    cell, replication = task
    _calls, kpis, occupancy = run_one(replication)
    return cell, kpis, occupancy


def _assemble(scenario, seed, grid, cells, replications, outputs) -> SweepResult:
    rows = []
    groups = []
    for k, (cell, kpis, occupancy) in enumerate(outputs):
        rep = k % replications
        keys = {"cell": cell, **cells[cell]}
        rows.append({**keys, "replication": rep, **{name: kpis[name] for name in ALL_KPIS}})
        occupancy = occupancy.drop(columns="replication")
        groups.append(pd.DataFrame({**keys, "replication": rep}, index=occupancy.index))
        groups[-1] = pd.concat([groups[-1], occupancy], axis=1)
    table = pd.DataFrame(rows, columns=["cell", *grid, "replication", *ALL_KPIS])
    group_table = pd.concat(groups, ignore_index=True)
    return SweepResult(scenario, seed, grid, replications, table, group_table)


@dataclass
class SweepResult:
    """Everything one :func:`sweep` produced."""

    scenario: Scenario
    """The base scenario every cell changes."""
    seed: int
    """The seed of every cell (common random numbers)."""
    grid: dict[str, list]
    """The grid: each swept key and its values, in order."""
    replications: int
    table: pd.DataFrame
    """One row per cell × replication: ``cell`` (its index), the grid keys, ``replication``,
    then every KPI (``KPI_NAMES`` and ``EXTRA_KPIS``)."""
    groups: pd.DataFrame = field(repr=False)
    """One row per cell × replication × producer group: rostered and busy minutes, occupancy."""

    @property
    def keys(self) -> list[str]:
        """The swept scenario keys (columns of :attr:`table`)."""
        return list(self.grid)

    @property
    def cells(self) -> pd.DataFrame:
        """One row per cell: its index and the value of each swept key."""
        return self.table[["cell", *self.keys]].drop_duplicates("cell").reset_index(drop=True)

    def summary(
        self, level: float = 0.95, extra: bool = False, kpis: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """Mean and Student-t ``level`` confidence interval of each KPI in each cell.

        Long (tidy) form, one row per cell × KPI: ``cell``, the grid keys, ``kpi``, ``mean``,
        ``ci_low``, ``ci_high``, ``sd``, ``n``. Plot one KPI against a key by filtering on
        ``kpi``; for one column per KPI use
        ``summary.pivot(index=["cell", *result.keys], columns="kpi", values="mean")``.
        ``kpis`` picks the KPIs (default ``KPI_NAMES``, with ``extra`` also ``EXTRA_KPIS``).
        """
        names = list(kpis) if kpis is not None else list(ALL_KPIS if extra else KPI_NAMES)
        unknown = [name for name in names if name not in ALL_KPIS]
        if unknown:
            raise ValueError(f"unknown KPI(s) {unknown}; choose from {', '.join(ALL_KPIS)}")
        parts = []
        for _cell, rows in self.table.groupby("cell", sort=True):
            stats = summarise(rows, names, level).rename_axis("kpi").reset_index()
            for position, key in enumerate(["cell", *self.keys]):
                stats.insert(position, key, rows[key].iloc[0])
            parts.append(stats)
        frame = pd.concat(parts, ignore_index=True)
        frame["n"] = frame["n"].astype(int)
        return frame

    def to_csv(self, path: str | Path, summary: bool = False) -> Path:
        """Write :attr:`table` (or :meth:`summary`) as CSV, atomically; returns the path."""
        frame = self.summary() if summary else self.table
        return _write_atomically(path, lambda tmp: frame.to_csv(tmp, index=False))

    def to_parquet(self, path: str | Path, summary: bool = False) -> Path:
        """Write :attr:`table` (or :meth:`summary`) as Parquet, atomically; returns the path.
        Key columns mixing types (e.g. numbers and text) are written as text."""
        frame = _arrow_safe(self.summary() if summary else self.table)
        return _write_atomically(path, lambda tmp: frame.to_parquet(tmp, index=False))

    def to_dict(self, level: float = 0.95) -> dict[str, Any]:
        """JSON-safe: the grid, the table and the summary as lists of records (NaN → None)."""
        return json_safe(
            {
                "scenario": self.scenario.name,
                "seed": self.seed,
                "replications": self.replications,
                "grid": self.grid,
                "table": self.table.to_dict(orient="records"),
                "summary": self.summary(level).to_dict(orient="records"),
            }
        )


def _write_atomically(path: str | Path, write) -> Path:
    """Write to a temporary file next to ``path``, then rename it over ``path``: readers see
    the old file or the whole new one, never half of it."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _arrow_safe(frame: pd.DataFrame) -> pd.DataFrame:
    import pyarrow as pa

    frame = frame.copy()
    for name in frame.select_dtypes(include="object").columns:
        try:
            pa.array(frame[name])
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
            frame[name] = frame[name].map(str)
    return frame


# `sim.sweep(...)` calls sweep() (see sim/_api.py).
callable_module(__name__, sweep)
