"""The ``handoff-lab`` command line.

``simulate`` runs a scenario and prints its KPIs with confidence intervals (``--json`` for
machines, ``--out`` to keep the calls and KPIs), ``validate`` checks scenario files,
``reference`` prints the scenario key reference; ``roi``, ``staff``, ``pilot`` and ``sweep`` are
the planning tools, ``calibrate`` fits a scenario to a call log (``sample-log`` writes a
synthetic one to try it on), ``backtest`` compares the model
with what the log shows really happened, ``scenarios`` lists the shipped scenarios and copies
one out to edit, ``dashboard`` starts the Streamlit lab. A scenario
argument is a file or the bare name of a shipped scenario (``handoff-lab simulate
small_agency``). Role-play commands are added by :mod:`roleplay.cli` (with the ``roleplay``
extra installed).

One module per command family (:data:`COMMAND_FAMILIES`: ``run``, ``planning``,
``calibration``, ``backtest``, ``scenarios``, ``dashboard``), the app and the options they share
in :mod:`sim.cli.shared`; importing a family registers its commands.

A user mistake (a broken scenario, a bad option value, a missing optional extra) prints one
clear message and exits with code 2; it never shows a traceback. Every command that reports
something takes ``--json`` (its keys in the command's help); every table fits 80 columns
without cutting a word (:func:`sim.cli.shared.fit_columns`).
"""

from __future__ import annotations

import importlib
import inspect
import re

from sim.cli.plugins import register_plugins
from sim.cli.shared import app

__all__ = ["app", "main"]

COMMAND_FAMILIES = ("run", "planning", "calibration", "backtest", "scenarios", "dashboard")
"""The modules of ``sim.cli`` that define commands, in the order ``--help`` lists them."""

for _family in COMMAND_FAMILIES:
    importlib.import_module(f"sim.cli.{_family}")
register_plugins()


def _flowing(doc: str) -> str:
    """A docstring as help text that rewraps to the terminal: the lines of each paragraph
    joined (rich keeps a docstring's line breaks, so at 80 columns a sentence broke in two)."""
    paragraphs = re.split(r"\n\s*\n", inspect.cleandoc(doc))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


for _info in app.registered_commands:
    if _info.help is None and _info.callback is not None and _info.callback.__doc__:
        _info.help = _flowing(_info.callback.__doc__)


def main() -> None:
    """Entry point of the ``handoff-lab`` console script."""
    app()
