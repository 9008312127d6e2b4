"""Commands from the rest of the lab: the role-play commands come from
``roleplay.cli.register(app)``. Without the ``roleplay`` extra installed, stand-ins of the same
names say which extra to install (exit 2) instead of ``handoff-lab`` failing to start."""

from __future__ import annotations

from sim.cli.shared import app, has_module, need_modules

ROLEPLAY_MODULES = ("sqlalchemy", "alembic", "faker", "platformdirs")
"""What the role-play commands import beyond the core (the ``roleplay`` extra)."""
ROLEPLAY_COMMANDS = ("roleplay", "scores")
"""The commands ``roleplay.cli.register`` adds; stand-ins say how to install them if missing."""


def register_plugins() -> None:
    """Add the role-play commands (or, without the ``roleplay`` extra, their stand-ins)."""
    if all(has_module(m) for m in ROLEPLAY_MODULES):
        try:
            from roleplay.cli import register
        except ModuleNotFoundError as exc:
            if exc.name not in ROLEPLAY_MODULES:
                raise
        else:
            register(app)
            return
    for command in ROLEPLAY_COMMANDS:
        _register_missing(command)


def _register_missing(command: str) -> None:
    """A stand-in for a role-play command whose optional dependencies are not installed."""

    @app.command(
        command,
        help="Role-play (needs the 'roleplay' extra: pip install 'warm-handoff-lab[roleplay]').",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        add_help_option=False,
    )
    def missing() -> None:
        need_modules(f"`handoff-lab {command}`", "roleplay", *ROLEPLAY_MODULES)
