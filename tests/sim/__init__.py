"""Tests of the simulation (``sim``)."""
