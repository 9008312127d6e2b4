"""The ``handoff-lab`` command line.

``simulate`` runs a scenario and prints its KPIs with confidence intervals (``--json`` for
machines, ``--out`` to keep the calls and KPIs), ``validate`` checks scenario files,
``reference`` prints the scenario key reference; ``roi``, ``staff``, ``pilot`` and ``sweep`` are
the planning tools, ``calibrate`` fits a scenario to a call log, ``backtest`` compares the model
with what the log shows really happened, ``scenarios`` lists the shipped scenarios and copies
one out to edit, ``dashboard`` starts the Streamlit lab. A scenario
argument is a file or the bare name of a shipped scenario (``handoff-lab simulate
small_agency``). Role-play commands are added by :mod:`roleplay.cli` (with the ``roleplay``
extra installed).

One module per command family (:data:`COMMAND_FAMILIES`: ``run``, ``planning``,
``calibration``, ``backtest``, ``scenarios``, ``dashboard``), the app and the options they share
in :mod:`sim.cli.shared`; importing a family registers its commands.

A user mistake (a broken scenario, a bad option value, a missing optional extra) prints one
clear message and exits with code 2; it never shows a traceback.
"""

from __future__ import annotations

import importlib

from sim.cli.plugins import register_plugins
from sim.cli.shared import app

__all__ = ["app", "main"]

COMMAND_FAMILIES = ("run", "planning", "calibration", "backtest", "scenarios", "dashboard")
"""The modules of ``sim.cli`` that define commands, in the order ``--help`` lists them."""

for _family in COMMAND_FAMILIES:
    importlib.import_module(f"sim.cli.{_family}")
register_plugins()


def main() -> None:
    """Entry point of the ``handoff-lab`` console script."""
    app()
