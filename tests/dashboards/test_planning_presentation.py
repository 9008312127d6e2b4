"""What people see on the planning pages (ROI & cost, Staffing, Pilot sizing): every table has
labelled headers (no snake_case), numbers formatted (no float with more than 4 decimals, no raw
True/False), and no Python repr or internal dotted name anywhere on the page."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
LONG_FLOAT = re.compile(r"\d\.\d{5,}")
REPR = re.compile(r"<[\w.]+ object at|\w+\('[^']*'\)|^\w+\(\w+=")
DOTTED = re.compile(r"\b(sim|dashboards|roleplay)\.[a-z_]+|\b[a-z]+\.[a-z]+_[a-z_]+\b")


def _cells(frame: pd.DataFrame) -> list[str]:
    return [str(v) for v in frame.astype(object).to_numpy().ravel()]


def _problems(at: AppTest) -> list[str]:
    found = []
    for element in at.dataframe:
        frame = element.value
        for column in frame.columns:
            if SNAKE.match(str(column)):
                found.append(f"snake_case header {column!r}")
        for value in frame.astype(object).to_numpy().ravel():
            if isinstance(value, float) and LONG_FLOAT.search(repr(value)):
                found.append(f"unformatted float {value!r}")
            if isinstance(value, bool):
                found.append(f"raw boolean {value!r} in a table")
        for text in _cells(frame):
            if SNAKE.match(text) and "_" in text:
                found.append(f"raw code {text!r} in a table")
    texts = [e.value for kind in ("markdown", "caption", "info", "warning", "success", "error")
             for e in getattr(at, kind)]  # fmt: skip
    texts += [m.label for m in at.metric] + [str(m.value) for m in at.metric]
    for text in texts:
        if REPR.search(text):
            found.append(f"a Python repr in {text!r}")
        if DOTTED.search(text):
            found.append(f"an internal name in {text!r}")
    return found


@pytest.mark.parametrize(
    ("page", "settings"),
    [
        ("views/roi.py", {"roi.replications": 3}),
        ("views/staffing.py", {"staff.replications": 3}),
        ("views/pilot.py", {"pilot.replications": 6}),
    ],
    ids=["roi", "staffing", "pilot"],
)
def test_planning_pages_show_people_text(app: AppTest, page, settings):
    for key, value in settings.items():
        app.session_state[key] = value
    app.switch_page(page).run()
    assert not app.exception
    assert not _problems(app)
    assert len(app.dataframe) > 0


def test_the_checks_catch_what_they_should():
    """The checks are not vacuous: each rule flags its own kind of mistake."""
    assert SNAKE.match("week_binomial_low")
    assert LONG_FLOAT.search(repr(0.674512))
    assert REPR.search("Store('sqlite:///x')")
    assert DOTTED.search("see sim.staffing")
    assert DOTTED.search("outcomes.repeat_explain_rate")
    assert not DOTTED.search("95.0% of calls. Next")
