"""Simulation of voice-AI intake and warm transfers to licensed insurance producers."""
