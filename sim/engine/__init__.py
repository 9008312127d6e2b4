"""The simulation engine: a discrete-event model (on SimPy) of one agency's calls.

Modules, in the order a call meets them:

- :mod:`sim.engine.arrivals`: when calls and outbound leads arrive (non-homogeneous Poisson).
- :mod:`sim.engine.draws`: the per-call random draws, one named stream per purpose.
- :mod:`sim.engine.capacity`: shift windows, rosters, and busy time inside shifts.
- :mod:`sim.engine.codes`: the outcome, path, fallback and lead-status codes.
- :mod:`sim.engine.handlers`: the event handlers, the caller's story stage by stage (through
  the typed views of :mod:`sim.engine.views`).
- :mod:`sim.engine.outcomes`: the post-run outcome draws (conversion, resolution).
- :mod:`sim.engine.record`: the columnar per-call record.
- :mod:`sim.engine.measure`: from the record to the call table and the KPIs.

Nothing is imported here, so that ``import sim.engine.codes`` stays light.
"""
