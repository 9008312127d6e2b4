"""What every ``handoff-lab`` command shares: the Typer app, the consoles, the options that
recur (scenario path, ``--set``, replications, seed, ``--workers``, ``--scheduler``,
``--json``), user-error handling (one message, exit code 2) and the table and JSON output.

Each option is defined once here as an ``Annotated`` type and used by every command that
takes it, so ``--seed`` means the same thing everywhere. ``--replications`` stops at
:data:`sim.limits.MAX_REPLICATIONS`; :func:`finite_option` is the callback that refuses ``inf``
and ``nan`` for a number option; :func:`output_file_or_fail` and :func:`output_dir_or_fail`
check where an output goes before any work starts. User text (scenario, group and file names)
is data: :func:`frame_table`, :func:`text_table` and :func:`fail` escape it for rich markup.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from sim.limits import MAX_REPLICATIONS, LimitError
from sim.loader import ScenarioError, load_scenario

app = typer.Typer(
    name="handoff-lab",
    help="Warm Handoff Lab: simulate voice-AI hand-offs to producers, and practise receiving them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

# --- the options, defined once ---------------------------------------------------------------

ScenarioPath = Annotated[
    Path,
    typer.Argument(
        help="Scenario TOML file, or the name of a shipped one (see `handoff-lab scenarios`).",
        show_default=False,
        metavar="PATH",
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        help="Override a scenario key, e.g. --set ai.rollout=0.2 --set destinations.0.producers=5.",
    ),
]
Replications = Annotated[
    int,
    typer.Option(
        "--replications", "-r", min=1, max=MAX_REPLICATIONS, help="Independent replications."
    ),
]
PairedReplications = Annotated[
    int,
    typer.Option(
        "--replications", "-r", min=2, max=MAX_REPLICATIONS, help="Replications (at least 2)."
    ),
]
SeedOption = Annotated[
    int | None, typer.Option(min=0, help="Seed (default: the scenario's `seed`).")
]
WorkersOption = Annotated[int, typer.Option(min=1, help="Worker processes on this machine.")]


def _needs_dask(scheduler: str | None) -> str | None:
    """``--scheduler`` callback: running on a Dask cluster needs the ``dask`` extra."""
    if scheduler is not None:
        need_modules("--scheduler", "dask", "distributed")
    return scheduler


SchedulerOption = Annotated[
    str | None,
    typer.Option(
        help="Dask scheduler address (tcp://host:port) to run the simulations on.",
        callback=_needs_dask,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def finite_option(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> Any:
    """Callback of a number option: ``inf`` and ``nan`` (which ``float`` reads) are refused
    with exit 2, naming the option."""
    if isinstance(value, float) and not math.isfinite(value):
        name = param.opts[0] if param.opts else str(param.name)
        raise typer.BadParameter(f"{value} is not a finite number", ctx=ctx, param_hint=name)
    return value


# --- user errors -----------------------------------------------------------------------------


def fail(message: str) -> NoReturn:
    """Print a user-facing error and exit with code 2."""
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def has_module(name: str) -> bool:
    """Whether ``name`` can be imported (without importing it)."""
    return importlib.util.find_spec(name) is not None


def need_modules(what: str, extra: str, *modules: str) -> None:
    """Exit 2 with an install hint when an optional dependency of ``what`` is missing."""
    missing = [m for m in modules if not has_module(m)]
    if missing:
        fail(f"{what} needs {', '.join(missing)} (not installed); install the '{extra}' "
             f"extra: pip install 'warm-handoff-lab[{extra}]' (from a checkout: "
             f"pip install -e '.[{extra}]')")  # fmt: skip


def output_dir_or_fail(out: Path, option: str = "--out") -> None:
    """Exit 2 unless ``out`` can be a folder to write into: an existing folder, or a new one
    whose parent folder exists (checked before any work starts)."""
    if out.exists() and not out.is_dir():
        fail(f"{option} {out}: exists and is not a directory")
    if not out.exists():
        _parent_or_fail(out, option)


def output_file_or_fail(out: Path, option: str = "--out") -> None:
    """Exit 2 unless ``out`` can be written as a file: not a folder, in an existing folder
    (checked before any work starts, so nothing runs only to fail at the end)."""
    if out.is_dir():
        fail(f"{option} {out}: is a directory; give a file name")
    _parent_or_fail(out, option)


def _parent_or_fail(out: Path, option: str) -> None:
    parent = out.parent
    for above in (parent, *parent.parents):
        if above.exists():
            if not above.is_dir():
                fail(f"{option} {out}: {above} is a file, not a folder")
            break
    if not parent.is_dir():
        fail(f"{option} {out}: no such folder {parent}")
    if not os.access(parent, os.W_OK):
        fail(f"{option} {out}: the folder {parent} is not writable")


def load_or_fail(path: Path, overrides: list[str] | None = None):
    """Load a scenario, turning every problem into a clear message and exit code 2."""
    try:
        return load_scenario(path, overrides or None)
    except ScenarioError as exc:
        fail(str(exc))


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the planning tools' user mistakes into one message and exit code 2."""
    from sim.execution import ExecutionError
    from sim.staffing import StaffingError

    try:
        yield
    except (ScenarioError, StaffingError, ExecutionError, LimitError) as exc:
        fail(str(exc))
    except ValueError as exc:
        fail(str(exc))


# --- output ----------------------------------------------------------------------------------


@contextmanager
def progress_bar(label: str, enabled: bool = True):
    """A rich progress bar on stderr; yields a ``progress(done, total)`` callback."""
    if not enabled:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def print_json(payload: Any) -> None:
    """Write ``payload`` to stdout as indented JSON (NaN and infinities as null)."""
    from sim.results import json_safe

    sys.stdout.write(json.dumps(json_safe(payload), indent=2) + "\n")


def frame_table(title: str, frame) -> Table:
    """A DataFrame as a rich table, rates as percentages; the title, column names and cells are
    shown as typed (a scenario or group name is escaped, never read as rich markup)."""
    table = Table(title=escape(title))
    for column in frame.columns:
        left = frame[column].dtype == object
        table.add_column(escape(str(column)), justify="left" if left else "right")
    for _, row in frame.iterrows():
        table.add_row(
            *[escape(fmt(str(c), v) if isinstance(v, float) else str(v)) for c, v in row.items()]
        )
    return table


def text_table(title: str, frame) -> Table:
    """A table of text already formatted for people (e.g. ``PilotPlan.display_table()``): first
    column left-aligned, the others right-aligned; titles and cells are shown as typed (user
    text such as a scenario name is escaped, never read as rich markup)."""
    table = Table(title=escape(title))
    for k, column in enumerate(frame.columns):
        table.add_column(escape(str(column)), justify="left" if k == 0 else "right")
    for row in frame.itertuples(index=False):
        table.add_row(*(escape(str(v)) for v in row))
    return table


def fmt(name: str, value: float) -> str:
    """A KPI value for reading: rates as percentages, money in dollars, NaN as a dash."""
    if value is None or math.isnan(value):
        return "—"
    if name.endswith("_rate") or name in (
        "p_wait",
        "service_level",
        "producer_occupancy",
        "occupancy",
    ):
        return f"{value:.1%}"
    if "cost" in name:
        return f"${value:,.2f}"
    return f"{value:,.2f}"
