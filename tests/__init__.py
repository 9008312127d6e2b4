"""Warm Handoff Lab's test suite.

Every test folder is a package (``tests``, ``tests.sim``, ``tests.dashboards``,
``tests.roleplay``), so a test module is imported by its full name and shared helpers by theirs
(``from tests.sim.conftest import queue_scenario``): collection does not depend on which folder
pytest reaches first.
"""
