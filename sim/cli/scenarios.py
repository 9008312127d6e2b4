"""``scenarios``: list the shipped scenarios, ``show`` one, ``copy`` one out to edit (never
overwriting a file). Any command takes a shipped scenario's bare name (``small_agency``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from sim.cli.shared import JsonOption, app, console, fail, load_or_fail, print_json
from sim.paths import SCENARIOS_DIR, shipped_scenario, shipped_scenarios

scenarios_app = typer.Typer(
    help="List the shipped scenarios; `copy` one out to edit, `show` one.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(scenarios_app, name="scenarios")


@scenarios_app.callback()
def scenarios(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the shipped scenarios (name them by their bare name in any command)."""
    if ctx.invoked_subcommand is not None:
        return
    rows = []
    for stem, path in shipped_scenarios().items():
        scenario = load_or_fail(path)
        rows.append({"name": stem, "scenario": scenario.name,
                     "description": scenario.description, "path": str(path)})  # fmt: skip
    if as_json:
        print_json(rows)
        return
    table = Table(title="Shipped scenarios (use the name in any command, e.g. "
                  "`handoff-lab simulate small_agency`)")  # fmt: skip
    table.add_column("name", no_wrap=True)
    table.add_column("scenario")
    table.add_column("description")
    for row in rows:
        table.add_row(escape(row["name"]), escape(row["scenario"]), escape(row["description"]))
    console.print(table)
    console.print(f"Folder: {SCENARIOS_DIR}", highlight=False, markup=False)


def shipped_or_fail(name: str) -> Path:
    """The shipped scenario ``name``, or exit 2 listing the shipped names."""
    path = shipped_scenario(name)
    if path is None:
        fail(f"no shipped scenario is called {name!r}; shipped: {', '.join(shipped_scenarios())}")
    return path


ShippedName = Annotated[
    str, typer.Argument(help="Shipped scenario, e.g. small_agency.", show_default=False)
]


@scenarios_app.command("copy")
def scenarios_copy(
    name: ShippedName,
    dest: Annotated[
        Path | None,
        typer.Argument(
            help="File (or existing folder) to write; default ./NAME.toml.", show_default=False
        ),
    ] = None,
) -> None:
    """Copy a shipped scenario to a file of your own to edit (never overwrites a file)."""
    source = shipped_or_fail(name)
    target = Path.cwd() / source.name if dest is None else dest
    if target.is_dir():
        target = target / source.name
    if not target.parent.is_dir():
        fail(f"{target}: no such folder {target.parent}")
    try:
        with target.open("x", encoding="utf-8") as out:
            out.write(source.read_text(encoding="utf-8"))
    except FileExistsError:
        fail(f"{target} already exists; not overwritten (give another file name or remove it)")
    except OSError as exc:
        fail(f"{target}: cannot write: {exc.strerror}")
    console.print(f"Copied {source.stem} to {target}; edit it, then run "
                  f"`handoff-lab simulate {target}`.", highlight=False, soft_wrap=True,
                  markup=False)  # fmt: skip
    base = _extends(source)
    if base is not None:
        console.print(f"It extends {base!r}: a file of that name beside it, else the shipped "
                      "scenario of that name.", highlight=False, soft_wrap=True,
                      markup=False)  # fmt: skip


@scenarios_app.command("show")
def scenarios_show(
    name: ShippedName,
) -> None:
    """Print a shipped scenario's TOML."""
    sys.stdout.write(shipped_or_fail(name).read_text(encoding="utf-8"))


def _extends(path: Path) -> str | None:
    import tomllib

    base = tomllib.loads(path.read_text(encoding="utf-8")).get("extends")
    return base if isinstance(base, str) else None
