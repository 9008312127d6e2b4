"""The layout of the calibration packages: the entry points callers use, the typed results of
the steps, and that importing the lab does not import Faker."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import sim
from sim.calibrate.common import proportion, shares
from sim.calibrate.groups import peak_concurrency
from sim.calibrate.patience import PatienceEstimate, patience_mle
from sim.calibrate.report import PARAMETER_COLUMNS, Parameter, Report
from sim.calllog.columns import HeaderMatch, match_columns, match_header
from sim.calllog.parsing import parse_durations


def test_importing_the_lab_does_not_import_faker():
    code = (
        "import sys, sim, sim.calllog, sim.calibrate; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'faker'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_entry_points_are_where_callers_find_them():
    from sim.calibrate import calibrate, calibrate_file, misroutes, recapture
    from sim.calibrate.misroutes import Recapture
    from sim.calllog import read_call_log, synthetic_log

    assert callable(sim.calibrate)
    assert sim.calibrate.calibrate is calibrate
    assert sim.calibrate.calibrate_file is calibrate_file
    assert sim.calibrate.misroutes is misroutes  # the function, not its module
    assert misroutes.__name__ == "misroutes"
    assert callable(recapture)
    assert Recapture.__module__ == "sim.calibrate.misroutes"
    assert read_call_log.__module__ == "sim.calllog.reading"
    assert synthetic_log.__module__ == "sim.calllog.synthetic"


def test_patience_estimate_is_typed_and_still_reads_like_a_dict():
    est = patience_mle(np.array([1.0, 2.0, 3.0, 4.0]), np.array([True, False, True, False]))
    assert isinstance(est, PatienceEstimate)
    assert est.mean == est["mean"] == pytest.approx(5.0)
    assert est.events == est["events"] == 2
    assert list(est) == ["mean", "se", "ci_low", "ci_high", "events", "exposure", "n"]
    assert dict(est) == {key: getattr(est, key) for key in est}
    assert est == dict(est)
    with pytest.raises(KeyError):
        est["median"]
    with pytest.raises(AttributeError):
        est.mean = 1.0  # frozen


def test_report_rows_are_typed_parameters():
    p = proportion(3, 10)
    row = Parameter.of_proportion("a share", "x.share", p, "proportion")
    report = Report.build([row, Parameter("a mean", "", 2.5, n=4)], {}, [])
    assert list(report.parameters.columns) == list(PARAMETER_COLUMNS)
    assert report.parameters["estimate"].tolist() == [0.3, 2.5]
    assert math.isnan(report.parameters["se"].iloc[1])
    assert report.parameters["n"].tolist() == [10, 4]
    assert "a share: 0.3 ± 0.145" in report.to_text()


def test_header_matching_is_typed():
    assert match_header("Handle Time (sec)") == HeaderMatch("handle_minutes", 1 / 60)
    assert match_header("Caller Name") == HeaderMatch(personal="name")
    assert match_header("Favourite colour") == HeaderMatch()
    columns = match_columns(["Start Time", "start", "Phone", "x"])
    assert columns.index == {"started_at": 0}
    assert columns.ignored == ["start", "x"]
    assert columns.personal_index["phone"] == [2]
    assert "repeats" in columns.notes[0]


def test_small_estimators():
    minutes, unreadable = parse_durations(pd.Series(["90", "1:30", "1:75", ""]), 1 / 60)
    assert minutes[:2].tolist() == [1.5, 1.5]
    assert unreadable.tolist() == [False, False, True, False]
    assert shares(pd.Series({"a": 1, "b": 2})) == {"a": 0.3333, "b": 0.6667}
    assert peak_concurrency(np.array([0.0, 1.0, 5.0]), np.array([2.0, 3.0, 6.0])) == 2
