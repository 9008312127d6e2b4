"""Every page, with data in it, shows people text (issue 11's acceptance): no snake_case header
or word, no float with more than 4 decimals, no Python repr or raw True/False/None cell, no
internal dotted name. Each page is rendered by ``streamlit.testing`` (every tab's content is
rendered, so Simulate's and ROI's other tabs are checked too) in the states a person meets:
the Role-play page before, during (a re-ask flagged, a read-back marked) and after a call, the
Trainer page with scored calls from two producers and a scorecard open. The checks themselves
are in ``page_text`` and are shown to catch each kind of mistake at the end."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

import roleplay
from tests.dashboards import page_text
from tests.dashboards.page_text import problems, text_problems
from tests.dashboards.test_dashboard_practice import _end, _open, _say, good_lines


def _page(app: AppTest, view: str, settings: dict) -> AppTest:
    for key, value in settings.items():
        app.session_state[key] = value
    app.switch_page(view).run()
    assert not app.exception, app.exception
    return app


def _assert_people_text(at: AppTest) -> None:
    found = problems(at)
    assert not found, "\n".join(found)


PLANNING = [
    ("views/scenario.py", {}),
    ("views/simulate.py", {"lever.replications": 3}),
    ("views/staffing.py", {"staff.replications": 3}),
    ("views/roi.py", {"roi.replications": 3}),
    ("views/pilot.py", {"pilot.replications": 6}),
]


@pytest.mark.parametrize(("view", "settings"), PLANNING, ids=[v[6:-3] for v, _ in PLANNING])
def test_planning_pages_show_people_text(app: AppTest, view, settings):
    at = _page(app, view, settings)
    assert len(at.dataframe) > 0 or view.endswith("scenario.py")
    _assert_people_text(at)


def test_regional_scenario_pages_show_people_text(app: AppTest):
    """A centre with several producer groups: the form and Simulate's per-group views."""
    app.selectbox(key="pick_shipped").set_value("regional_call_center").run()
    assert not app.exception
    _assert_people_text(app)
    _assert_people_text(_page(app, "views/simulate.py", {"lever.replications": 2}))


def test_roi_growth_curve_shows_people_text(app: AppTest):
    at = _page(app, "views/roi.py", {"roi.replications": 3})
    at.button(key="roi_run_growth").click().run()
    assert not at.exception
    assert at.session_state["roi.growth_table"] is not None
    _assert_people_text(at)


def test_role_play_before_during_and_after_a_call_shows_people_text(app: AppTest):
    _assert_people_text(_page(app, "views/practice.py", {}))
    at = _open("Dana Lee", "complex_pricing", 3)
    session = at.session_state["rp.session"]
    _say(at, "What is your phone number?")  # captured: a re-ask, flagged under the line
    _say(
        at,
        f"Let me read back your number: {session.persona.value('contact_number')}, is that right?",
    )
    assert any(e.value.startswith("**Re-ask") for e in at.error)
    _assert_people_text(at)
    for line in good_lines(session):
        _say(at, line)
    _end(at, session.persona.real_need)
    assert at.session_state["rp.session"].scorecard is not None
    _assert_people_text(at)


def _practise(url: str, producer: str, trigger: str, seed: int, lines: list[str]) -> None:
    store = roleplay.Store(url)
    try:
        session = roleplay.Session.start(trigger, seed=seed, producer=producer, store=store)
        for line in lines:
            session.say(line.format(name=session.persona.first_name))
        session.end(session.persona.real_need)
    finally:
        store.close()


def test_trainer_with_scored_calls_shows_people_text(app: AppTest, practice_db):
    _practise(
        practice_db,
        "Dana Lee",
        "qualified_interest",
        1,
        ["Hi {name}, this is Dana, a licensed agent.", "What is your phone number?"],
    )
    _practise(practice_db, "Sam Ortiz", "human_request", 3, ["What's your name?"])  # fmt: skip
    at = _page(app, "views/trainer.py", {})
    assert len(at.dataframe) >= 3  # certification, scorecards, an opened scorecard's parts
    _assert_people_text(at)
    at.selectbox(key="trainer.producer").set_value("Sam Ortiz").run()
    assert not at.exception
    _assert_people_text(at)


# --- the checks are not vacuous -----------------------------------------------------------------


def _mistakes() -> None:
    import numpy as np
    import pandas as pd
    import streamlit as st

    st.caption("kept in Store('sqlite:///x.db')")
    st.markdown("see sim.staffing for the plan")
    st.info("This is what outcomes.repeat_explain_rate means.")
    st.metric("week_binomial_low", 0.674512)
    st.dataframe(pd.DataFrame({"gain_at_low": [0.674512], "erlang a": [True], "note": [None],
                               "code": ["ai_arm"], "x": [repr(np.float64(1.5))]}))  # fmt: skip
    st.dataframe(pd.DataFrame({"why": ["tagged pricing_question"], "Points": [8]}))


def test_the_checks_catch_what_they_should():
    at = AppTest.from_function(_mistakes).run()
    found = "\n".join(problems(at))
    for expected in [
        "a Python repr in caption", "an internal name 'sim.staffing'",
        "an internal name 'outcomes.repeat_explain_rate'", "snake_case word 'week_binomial_low'",
        "a float with more than 4 decimals '0.674512'", "snake_case header 'gain_at_low'",
        "a float with more than 4 decimals 0.674512", "raw True", "shown as None",
        "raw code 'ai_arm'", "a Python repr in table", "a header in lower case 'why'",
        "snake_case word 'pricing_question'",
    ]:  # fmt: skip
        assert expected in found, (expected, found)


def test_people_text_passes():
    """What the pages should say passes: file names, paths, times, percentages, sentences."""
    for text in [
        "Scenario: Small life agency · small_agency.toml, edited · 5 simulated days",
        "Practice records are kept in the SQLite file /tmp/pytest-0/test_x0/practice.sqlite3.",
        "95% CI 81.2% – 84.0% · 0.6745 · $1,234.56 · 09:30–10:00 · e.g. Dana Lee",
        "Download staffing_plan.csv",
    ]:
        assert text_problems(text) == [], text
    assert page_text.chart_texts({"layout": {"title": {"text": "a_b"}}, "data": []}) == ["a_b"]
