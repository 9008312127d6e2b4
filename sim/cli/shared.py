"""What every ``handoff-lab`` command shares: the Typer app, the consoles, the options that
recur (scenario path, ``--set``, replications, seed, ``--workers``, ``--scheduler``,
``--json``), user-error handling (one message, exit code 2) and the table and JSON output.

Each option is defined once here as an ``Annotated`` type and used by every command that
takes it, so ``--seed`` means the same thing everywhere. ``--replications`` stops at
:data:`sim.limits.MAX_REPLICATIONS`; :func:`finite_option` is the callback that refuses ``inf``
and ``nan`` for a number option; :func:`output_file_or_fail` and :func:`output_dir_or_fail`
check where an output goes before any work starts. User text (scenario, group and file names)
is data: :func:`figure_tables`, :func:`text_table` and :func:`fail` escape it for rich markup.
Tables fit the terminal without cutting a word: at 80 columns they wrap at spaces, and
:func:`figure_tables` stacks the columns of a wide breakdown into several tables.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
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


def figure_tables(title: str, frame, keys: int = 1, width: int | None = None) -> list[Table]:
    """A DataFrame of figures (a breakdown, a sweep) as rich tables for people: each figure
    column headed by its label in :mod:`sim.kpis` and its cells formatted there (``90.8%``,
    ``$1,234``, ``2.35 min``), other columns as named. The first ``keys`` columns (trigger,
    interval, the swept keys) are repeated in every table, and the figure columns are split over
    as many tables as it takes for each to fit ``width`` (default: the console's) with no word
    cut: a narrow terminal gets the same words, stacked, never "…". Names are escaped (a
    trigger or group name is data, never rich markup). A table takes columns while their cells
    fit on one line each; only the headers wrap."""
    columns = [str(c) for c in frame.columns]
    return stacked(columns, lambda shown, more: _figure_table(title, frame, shown, more), keys,
                   width)  # fmt: skip


def stacked(
    columns: list[str], build: Callable[[list[str], bool], Table], keys: int = 1,
    width: int | None = None,
) -> list[Table]:  # fmt: skip
    """Tables of ``columns`` that each fit ``width`` (default: the console's) with every cell on
    one line: ``build(shown, continued)`` makes the table of the columns ``shown`` (``continued``
    for every table after the first); the first ``keys`` columns start every table and the
    others fill each in order. Each is then sized by :func:`fit_columns`."""
    limit = console.width if width is None else width
    tables: list[Table] = []
    shown: list[str] = []
    for column in columns[keys:]:
        if shown and _cells_width(build([*columns[:keys], *shown, column], bool(tables))) > limit:
            tables.append(build([*columns[:keys], *shown], bool(tables)))
            shown = []
        shown.append(column)
    if shown or not tables:
        tables.append(build([*columns[:keys], *shown], bool(tables)))
    return [fit_columns(table, limit) for table in tables]


def _column_widths(table: Table) -> list[tuple[int, int, int]]:
    """(narrowest with no word cut, widest cell, widest) of each column's content: its header
    and cells measured as text, without the padding (a ``no_wrap`` column's cells whole)."""
    options = console.options.update_width(1_000_000)
    widths = []
    for column in table.columns:
        head = Measurement.get(console, options, column.header)
        cells = [Measurement.get(console, options, cell) for cell in column.cells]
        low = max([head.minimum, *(m.minimum for m in cells)])
        widest_cell = max([low, *(m.maximum for m in cells)])
        if column.no_wrap:  # a cell that must stay on one line is one word
            low = widest_cell
        widths.append((low, widest_cell, max(widest_cell, head.maximum)))
    return widths


def _chrome(table: Table) -> int:
    """Columns ``table`` takes beyond its cells' content: the borders and the padding."""
    n = len(table.columns)
    _, right, _, left = table.padding
    borders = (2 if table.show_edge else 0) + n - 1 if table.box else 0
    return borders + n * (left + right)


def min_width(table: Table) -> int:
    """The narrowest ``table`` can be with no word cut (each column as wide as its longest
    word)."""
    return sum(low for low, _, _ in _column_widths(table)) + _chrome(table)


def _cells_width(table: Table) -> int:
    """How wide ``table`` is with every cell on one line (headers may wrap at spaces)."""
    return sum(cell for _, cell, _ in _column_widths(table)) + _chrome(table)


def fit_columns(table: Table, width: int | None = None) -> Table:
    """Size ``table``'s columns to ``width`` (default: the console's) so that no word is cut:
    each column gets at least its longest word, and the room left goes first to cells that
    would otherwise wrap, then to headers, smallest need first. Rich's own squeezing shrinks
    the widest columns first and cuts words ("qualified_…"); this never does while the words
    fit, and a table that already fits is left to rich."""
    limit = (console.width if width is None else width) - _chrome(table)
    ranges = _column_widths(table)
    if sum(high for _, _, high in ranges) <= limit:
        return table
    sizes = [low for low, _, _ in ranges]
    spare = limit - sum(sizes)
    for goal in (1, 2):  # first cells on one line each, then headers
        for k in sorted(range(len(ranges)), key=lambda k: ranges[k][goal] - sizes[k]):
            grow = max(0, min(spare, ranges[k][goal] - sizes[k]))
            sizes[k] += grow
            spare -= grow
    for column, size in zip(table.columns, sizes, strict=True):
        column.width = size
    return table


def _figure_table(title: str, frame, columns: list[str], continued: bool) -> Table:
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    from sim import kpis

    table = Table(title=escape(f"{title} (continued)" if continued else title))
    for column in columns:
        known = column in kpis.KPIS
        numeric = is_numeric_dtype(frame[column]) and not is_bool_dtype(frame[column])
        header = kpis.label(column) if known else column.replace("_", " ").capitalize()
        header = column if "." in column else header  # a scenario key, as typed
        table.add_column(escape(header), justify="right" if numeric else "left")
    for row in frame[columns].itertuples(index=False):
        cells = []
        for column, value in zip(columns, row, strict=True):
            if column in kpis.KPIS and isinstance(value, int | float):
                cells.append(kpis.format(column, value))
            elif isinstance(value, float):
                cells.append(fmt(column, value))
            else:
                cells.append(escape(str(value)))
        table.add_row(*cells)
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
    return fit_columns(table)


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
