"""Tests of the role-play lab (``roleplay``)."""
