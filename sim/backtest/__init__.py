"""Back-testing the model against an agency's own history.

``backtest(log)`` fits a scenario to a call log (or takes one), simulates the log's own days
many times and reports, for abandonment, P(wait), mean wait, service level and producer
occupancy, overall, per interval of the day, per weekday and per caller segment, the observed
figure (with a bootstrap interval over days) against the predicted one (with a prediction
interval for the same number of days), and a plain verdict. A scenario with weekdays is
simulated over the log's own calendar, each weekday with its hours, volume and rosters. Both
sides are measured by the model's own KPI definitions (:func:`sim.kpis.group_kpis`).

Modules: :mod:`~sim.backtest.observed` (the log in the model's call-table shape, per-day
counts), :mod:`~sim.backtest.predicted` (the log's days simulated) and
:mod:`~sim.backtest.compare` (figures, verdicts, the :class:`Backtest` result).
"""

from sim.backtest.compare import FIGURES, MIN_OFFERED, TOLERANCE, Backtest, backtest

__all__ = ["FIGURES", "MIN_OFFERED", "TOLERANCE", "Backtest", "backtest"]
