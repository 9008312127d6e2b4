"""Calibration: an agency's own call log turned into a scenario, with the evidence for each value.

``calibrate(log)`` fits, from the usable calls of a :class:`sim.calllog.CallLog` (or a raw
DataFrame / CSV path, read with :func:`sim.calllog.read_call_log`):

- **open hours**, the producers' (the front end may answer around the clock;
  :mod:`~sim.calibrate.weekdays`), and the **intraday arrival profile** (calls per minute in
  each interval of the open day, as ``inbound.profile`` weights; chi-square fit of the named
  profiles reported);
- **calls per open day** (mean of daily counts with a t interval; the dispersion index shows
  whether days vary more than Poisson) and, when the log spans three weeks of every weekday,
  **weekdays** (``hours.weekdays``: each weekday's producer hours, closed days, volume relative
  to ``calls_per_day`` and own profile);
- **call-type mix**, **AI rollout**, **containment by type** and **trigger mix by type**
  (proportions with Wilson 95% intervals);
- **AI talk time** and each producer group's **handle** and **wrap-up** times: lognormal or gamma,
  whichever has the higher likelihood (both have two parameters), with the standard error of the
  mean and a Kolmogorov–Smirnov distance; a constant becomes ``fixed``. The AI talk time keeps
  the fitted shape scaled to the sample mean (the AI's line occupancy depends on the mean);
- **producers available per interval** (``destinations.N.roster``, per weekday too): while
  callers wait every available producer is busy, so the queue shows availability
  (:mod:`~sim.calibrate.availability`); **after-call work** without a wrap-up column, from the
  gaps between one producer's calls (:mod:`~sim.calibrate.wrapup`; an agent column is used in
  memory only);
- **caller segments** (``[[segments]]``: share, queue priority, own patience) from a segment
  column (:mod:`~sim.calibrate.segments`);
- **caller patience**, its shape (exponential, lognormal or gamma) chosen by AIC
  (:mod:`~sim.calibrate.patience_shapes`), from censored data: a caller who was answered
  after waiting *w* did not reveal their patience, only that it exceeded *w*
  (right-censored); a caller who hung up after *w* revealed it. The exponential
  maximum-likelihood estimate, ``mean = total waiting time of all offered callers / number who
  hung up`` with a chi-square interval, is reported as a check beside the chosen shape; a
  Kaplan–Meier curve (Kaplan & Meier 1958; statsmodels ``SurvfuncRight``) checks the shape's
  distance from the data. The mean
  wait of the callers who hung up (the naive estimate) is reported too, as a warning: it is
  biased low, because callers with long patience are answered before they would hang up
  (Brown et al., JASA 2005);
- the **bridge failure rate**;
- the agency's **time zone** (``hours.timezone``): the zone the log was read in, any IANA name
  or a US abbreviation (:mod:`~sim.calibrate.zones`).

An export in another layout is read with a mapping (``calibrate_file(path, mapping=...)``; see
:class:`sim.calllog.CallLogMapping`).

The AI's outbound campaign is fitted from its answered dials (per day, containment, triggers,
calling window; :mod:`~sim.calibrate.outbound`) unless ``base`` has a campaign of its own.
Everything else the log cannot show (money, outcomes, intake, ring and whisper times, the
outbound answer, consent and DNC rates) comes from ``base`` or the lab's defaults.
``misroutes`` reads producers' reason codes for transfers the AI could have finished, and
``recapture`` re-simulates with them contained.

The package's modules: :mod:`~sim.calibrate.fit` (``calibrate`` as a list of steps, and
``calibrate_file``), :mod:`~sim.calibrate.volume`, :mod:`~sim.calibrate.mix`,
:mod:`~sim.calibrate.durations`, :mod:`~sim.calibrate.groups`, :mod:`~sim.calibrate.patience`,
:mod:`~sim.calibrate.misroutes` (misroutes and recapture), :mod:`~sim.calibrate.zones` (the
agency's zone), :mod:`~sim.calibrate.report` (the typed report) and
:mod:`~sim.calibrate.common` (thresholds, Wilson intervals, shares). The package is callable:
``sim.calibrate(log)`` is ``sim.calibrate.calibrate(log)``.
"""

from sim._api import callable_module
from sim.calibrate.common import MIN_CALLS
from sim.calibrate.common import MIN_DURATIONS as MIN_DURATIONS  # importable here, as before
from sim.calibrate.common import MIN_TYPE_CALLS as MIN_TYPE_CALLS
from sim.calibrate.common import wilson as wilson
from sim.calibrate.durations import DurationFit, fit_duration
from sim.calibrate.fit import calibrate, calibrate_file
from sim.calibrate.misroutes import (  # the function `misroutes` shadows its module's name
    DEFAULT_CONTAINABLE,
    Misroutes,
    Recapture,
    misroutes,
    recapture,
)
from sim.calibrate.patience import PatienceEstimate, patience_km, patience_mle
from sim.calibrate.report import Calibration, Parameter, Report
from sim.calllog import CalibrationError
from sim.calllog import CallLog as CallLog  # importable here, as before the split
from sim.calllog import RowProblem as RowProblem
from sim.calllog import from_frame as from_frame
from sim.calllog import read_call_log as read_call_log

__all__ = [
    "DEFAULT_CONTAINABLE",
    "MIN_CALLS",
    "Calibration",
    "CalibrationError",
    "DurationFit",
    "Misroutes",
    "Parameter",
    "PatienceEstimate",
    "Recapture",
    "Report",
    "calibrate",
    "calibrate_file",
    "fit_duration",
    "misroutes",
    "patience_km",
    "patience_mle",
    "recapture",
]

# `sim.calibrate(...)` calls calibrate() (see sim/_api.py).
callable_module(__name__, calibrate)
