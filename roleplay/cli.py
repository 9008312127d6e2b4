"""Terminal commands for role-play practice (placeholder until the role-play issue lands)."""

import typer


def register(app: typer.Typer) -> None:
    """Add the role-play commands to the ``handoff-lab`` app."""
