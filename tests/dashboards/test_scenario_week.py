"""The Scenario page's week and caller segments: shown as tables, edited, applied through sim.

The truths are the shipped TOML file itself (what the table must show), sim's own loader (what
an edit must become, and the message a wrong one must get) and the page's TOML download read
back (the round trip). Edits are made the way AppTest allows for ``st.data_editor``: the
editor's edit state (``edited_rows``, ``added_rows``, ``deleted_rows``) is assigned before the
run that presses Apply, as the browser sends it.
"""

from __future__ import annotations

import copy
import re
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import sim
from dashboards.common import scenario_data
from dashboards.views.scenario_segments import edited_segments, segment_frame
from dashboards.views.scenario_week import edited_weekdays
from sim.paths import shipped_scenarios
from sim.weekdays import WEEKDAYS, day_weekdays, open_days, week
from tests.dashboards.page_text import problems, table_headers, text_problems

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _shown(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def _errors(at: AppTest) -> list[str]:
    return [_shown(e.value) for e in at.error]


def _editor(at: AppTest, table: str):
    """The data editor of ``table`` ("weekdays" or "segments"), or None."""
    found = [d for d in at.data_editor if (d.key or "").startswith(f"{table}_editor.")]
    assert len(found) <= 1
    return found[0] if found else None


def _edit(at: AppTest, table: str, edited=None, added=None, deleted=None) -> str:
    """Give ``table``'s editor these edits (as the browser sends them); its key."""
    key = _editor(at, table).key
    at.session_state[key] = {
        "edited_rows": edited or {},
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    return key


def _press(at: AppTest, label: str) -> None:
    at.button(key=f"FormSubmitter:scenario_form-{label}").click().run()
    assert not at.exception


def _button_labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


@pytest.fixture
def weekend(app: AppTest) -> AppTest:
    app.selectbox(key="pick_shipped").set_value("weekend_desk").run()
    assert not app.exception
    return app


def _file() -> dict:
    return tomllib.loads(shipped_scenarios()["weekend_desk"].read_text())


def test_the_week_shows_what_the_file_says(weekend):
    """One row per weekday, Monday first: Sunday closed, Saturday's own hours and volume, the
    listed volumes, the others the default day: each read from the TOML file."""
    frame = _editor(weekend, "weekdays").value
    toml = _file()
    hours, own = toml["hours"], toml["hours"]["weekdays"]
    assert list(frame["weekday"]) == DAYS
    for name, (_, row) in zip(WEEKDAYS, frame.iterrows(), strict=True):
        day = own.get(name, {})
        assert row["closed"] == day.get("closed", False), name
        if day.get("closed"):
            assert (row["opens"], row["closes"], row["volume"]) == ("—", "—", 0.0)
            continue
        assert row["opens"] == day.get("open", hours["open"]), name
        assert row["closes"] == day.get("close", hours["close"]), name
        assert row["volume"] == day.get("volume", 1.0), name
    assert frame.set_index("weekday").loc["Sunday", "closed"]
    headers = table_headers(_editor(weekend, "weekdays"))
    assert "Calls (× a default day)" in headers
    assert not any("_" in h for h in headers)
    # No segments in the file: the page offers to add them, and shows the rosters read-only.
    assert _editor(weekend, "segments") is None
    assert "Add caller segments" in _button_labels(weekend)
    rosters = [d for d in weekend.dataframe if d.editing_mode == "read_only"]
    assert rosters
    assert rosters[0].value.loc[0, "Sunday"] == "Closed"
    counts = toml["destinations"][0]["roster"]["weekdays"]["sat"]
    assert rosters[0].value.loc[0, "Saturday"] == f"{min(counts)} to {max(counts)} (own)"


def test_saturday_volume_round_trips(weekend):
    """Saturday's volume edited and applied is the scenario sim loads with that one key
    changed, and the page's TOML download reads back with it; untouched weekdays keep
    following the default day (no hours of their own written)."""
    _edit(weekend, "weekdays", edited={5: {"volume": 0.55}})
    _press(weekend, "Apply")
    assert not _errors(weekend)
    applied = weekend.session_state["scenario"]
    expected = sim.load_scenario("weekend_desk", {"hours.weekdays.sat.volume": 0.55})
    assert applied == expected
    back = tomllib.loads(weekend.session_state["scenario_toml"])
    assert back["hours"]["weekdays"]["sat"]["volume"] == 0.55
    assert "open" not in back["hours"]["weekdays"]["mon"]
    assert sim.scenario_from_dict(back, source="download") == applied
    # The fresh table shows the applied value.
    assert _editor(weekend, "weekdays").value.loc[5, "volume"] == 0.55


def test_closing_a_weekday_and_reopening_another(weekend):
    """Tuesday closed and Sunday reopened: the engine's week (sim) has exactly that, and the
    open days per week follow (derived)."""
    _edit(weekend, "weekdays", edited={1: {"closed": True}, 6: {"closed": False}})
    _press(weekend, "Apply")
    assert not _errors(weekend)
    applied = weekend.session_state["scenario"]
    closed = [d.name for d in week(applied) if d.closed]
    assert closed == ["tue"]
    assert applied.hours.days_per_week == 6
    sunday = week(applied)[6]
    assert (sunday.open_minute, sunday.close_minute, sunday.volume) == (8 * 60, 18 * 60, 1.0)


def test_close_before_open_is_refused_naming_the_weekday(weekend):
    weekend.number_input(key="form.inbound.calls_per_day").set_value(150.0)
    key = _edit(weekend, "weekdays", edited={5: {"closes": "08:00"}})
    _press(weekend, "Apply")
    errors = _errors(weekend)
    assert any(
        e.startswith("Saturday · Closes (HH:MM): Saturday's opening time 09:00") for e in errors
    )
    assert any(e.startswith("Not applied: 1 problem") for e in errors)
    assert weekend.session_state["scenario"] == sim.load_scenario("weekend_desk")
    # Nothing typed is lost: the same editor keeps its edit, the form its value.
    assert _editor(weekend, "weekdays").key == key
    assert weekend.session_state[key]["edited_rows"] == {5: {"closes": "08:00"}}
    assert weekend.number_input(key="form.inbound.calls_per_day").value == 150.0


def test_longer_hours_need_a_matching_roster(weekend):
    """Saturday open an hour longer: sim refuses Saturday's 4-count roster, and the page says so
    under the roster summary, naming the group and the weekday."""
    _edit(weekend, "weekdays", edited={5: {"closes": "14:00"}})
    _press(weekend, "Apply")
    data = scenario_data(sim.load_scenario("weekend_desk"))
    data["hours"]["weekdays"]["sat"]["close"] = "14:00"
    with pytest.raises(sim.ScenarioError) as refused:
        sim.scenario_from_dict(data)
    [(key, message)] = refused.value.problems
    assert key == "destinations.0.roster.weekdays.sat"
    said = message.replace("sat's", "Saturday's")
    assert f"Group 1 roster · Saturday: {said}" in _errors(weekend)


def test_segments_whose_shares_do_not_add_up_are_refused_as_sim_refuses_them(weekend):
    assert "Add caller segments" in _button_labels(weekend)
    _press(weekend, "Add caller segments")
    _edit(weekend, "segments", edited={0: {"share": 0.3}, 1: {"share": 0.6}})
    _press(weekend, "Apply")
    data = scenario_data(sim.load_scenario("weekend_desk"))
    data["segments"] = [
        {"name": "priority", "share": 0.3, "priority": 1},
        {"name": "standard", "share": 0.6, "priority": 0},
    ]
    with pytest.raises(sim.ScenarioError) as refused:
        sim.scenario_from_dict(data)
    [(key, message)] = refused.value.problems
    assert key == "segments"
    assert f"Caller segments: {message}" in _errors(weekend)
    assert weekend.session_state["scenario"].segments == []
    assert _editor(weekend, "segments") is not None  # the added table is still there


def test_added_segment_with_its_own_patience_round_trips(weekend):
    """The two starting segments, one more row typed in words with a log-normal patience: the
    applied scenario is sim's for that table, and the download reads back the same."""
    _press(weekend, "Add caller segments")
    added = {"segment": "New client", "share": 0.1, "priority": 5, "patience": "Log-normal",
             "mean": 3.0, "sd": 1.5}  # fmt: skip
    _edit(weekend, "segments", edited={1: {"share": 0.7}}, added=[added])
    _press(weekend, "Apply")
    assert not _errors(weekend)
    applied = weekend.session_state["scenario"]
    expected = sim.load_scenario("weekend_desk").model_dump(mode="json", exclude_none=True)
    expected["segments"] = [
        {"name": "priority", "share": 0.2, "priority": 1},
        {"name": "standard", "share": 0.7, "priority": 0},
        {"name": "new_client", "share": 0.1, "priority": 5,
         "patience_minutes": {"dist": "lognormal", "mean": 3.0, "sd": 1.5}},
    ]  # fmt: skip
    assert applied == sim.scenario_from_dict(expected)
    back = tomllib.loads(weekend.session_state["scenario_toml"])
    assert sim.scenario_from_dict(back, source="download") == applied
    shown = _editor(weekend, "segments").value
    assert list(shown["segment"]) == ["Priority", "Standard", "New client"]


def test_a_segment_problem_names_the_row_and_column(weekend):
    _press(weekend, "Add caller segments")
    _edit(weekend, "segments", edited={1: {"patience": "Exponential", "mean": 0.0}})
    _press(weekend, "Apply")
    assert any(
        e.startswith("Segment 2 (Standard) · Mean patience (min): Input should be greater than 0")
        for e in _errors(weekend)
    )


def test_without_either_the_page_offers_to_add_them(app):
    """The small agency has neither: no tables, two Add buttons. The added week keeps the
    scenario's five open days (Monday to Friday) and applies."""
    before = app.session_state["scenario"]
    assert not before.hours.weekdays
    assert not before.segments
    assert _editor(app, "weekdays") is None
    assert _editor(app, "segments") is None
    assert {"Add a weekly pattern", "Add caller segments"} <= set(_button_labels(app))
    _press(app, "Add a weekly pattern")
    frame = _editor(app, "weekdays").value
    assert list(frame.loc[frame["closed"], "weekday"]) == ["Saturday", "Sunday"]
    _press(app, "Apply")
    assert not _errors(app)
    applied = app.session_state["scenario"]
    assert applied.hours.by_weekday
    assert applied.hours.days_per_week == before.hours.days_per_week
    assert list(open_days(applied)) == list(open_days(before))  # 5 days: Monday to Friday


def test_discard_drops_an_added_table(app):
    _press(app, "Add caller segments")
    assert _editor(app, "segments") is not None
    _press(app, "Discard edits")
    assert _editor(app, "segments") is None
    assert "Add caller segments" in _button_labels(app)


def test_the_page_with_both_tables_shows_people_text(weekend):
    _press(weekend, "Add caller segments")
    _press(weekend, "Apply")
    assert not _errors(weekend)
    assert [s.name for s in weekend.session_state["scenario"].segments] == ["priority", "standard"]
    assert _editor(weekend, "weekdays") is not None
    assert _editor(weekend, "segments") is not None
    assert problems(weekend) == []


def test_an_untouched_week_applies_unchanged(weekend):
    """Apply without edits keeps the scenario as loaded (the table writes back only edits)."""
    before = copy.deepcopy(weekend.session_state["scenario"])
    _press(weekend, "Apply")
    assert weekend.session_state["scenario"] == before


def test_a_segment_name_that_is_not_a_name_is_refused_in_words(weekend):
    """ "Tier-2" typed as a name: sim refuses the name it becomes, and the page says so without
    the file's jargon (no snake_case word in the message)."""
    _press(weekend, "Add caller segments")
    _edit(weekend, "segments", edited={0: {"segment": "Tier-2"}})
    _press(weekend, "Apply")
    data = scenario_data(sim.load_scenario("weekend_desk"))
    data["segments"] = [
        {"name": "tier-2", "share": 0.2, "priority": 1},
        {"name": "standard", "share": 0.8, "priority": 0},
    ]
    with pytest.raises(sim.ScenarioError) as refused:
        sim.scenario_from_dict(data)
    [(_, message)] = refused.value.problems
    assert "'tier-2'" in message
    said = [e for e in _errors(weekend) if e.startswith("Caller segments: ")]
    assert len(said) == 1
    assert "'tier-2'" in said[0]
    assert text_problems(said[0]) == []


def test_the_first_simulated_day_is_chosen_by_name(weekend):
    box = weekend.selectbox(key="form.hours.first_weekday")
    assert box.value == "mon"
    assert box.format_func("sat") == "Saturday"
    box.set_value("sat")
    _press(weekend, "Apply")
    applied = weekend.session_state["scenario"]
    assert applied == sim.load_scenario("weekend_desk", {"hours.first_weekday": "sat"})
    assert list(day_weekdays(applied)[:3]) == [5, 6, 0]  # Saturday, Sunday, Monday


def test_an_uploaded_scenario_with_segments_shows_them_as_the_file_says(app):
    """The calibration round trip's known centre (weekdays, segments, a log-normal patience),
    uploaded: each segment's row is the file's, the page's text is clean."""
    path = Path(__file__).resolve().parents[1] / "sim" / "data" / "roundtrip_truth.toml"
    app.get("file_uploader")[0].set_value((path.name, path.read_bytes(), "application/toml"))
    app.run()
    assert not app.exception
    assert not _errors(app)
    toml = tomllib.loads(path.read_text())
    frame = _editor(app, "segments").value
    transfer = toml["transfer"]["patience_minutes"]
    for (_, row), seg in zip(frame.iterrows(), toml["segments"], strict=True):
        own = seg.get("patience_minutes")
        assert row["segment"] == seg["name"].replace("_", " ").capitalize()
        assert (row["share"], row["priority"]) == (seg["share"], seg.get("priority", 0))
        assert row["patience"] == ("Log-normal" if own else "Same as transfer")
        assert row["mean"] == (own or transfer)["mean"]
    assert problems(app) == []


# --- the tables' edits without a page (pure functions) ------------------------------------------


def test_cleared_cells_return_a_weekday_to_the_default_day():
    """Saturday's times cleared: the engine's Saturday (sim) has the default day's hours and
    keeps its own volume; a weekday reset to all defaults leaves the file."""
    data = scenario_data(sim.load_scenario("weekend_desk"))
    edits = {"edited_rows": {5: {"opens": None, "closes": ""}, 4: {"volume": None}}}
    data["hours"]["weekdays"] = edited_weekdays(data["hours"]["weekdays"], edits)
    del data["destinations"][0]["roster"]["weekdays"]["sat"]  # Saturday's 4-hour roster
    data["hours"].pop("days_per_week")
    applied = sim.scenario_from_dict(data)
    saturday = week(applied)[5]
    assert (saturday.open_minute, saturday.close_minute) == (8 * 60, 18 * 60)
    assert saturday.volume == 0.4
    assert "fri" not in applied.hours.weekdays


def test_a_patience_the_table_cannot_shape_is_kept_and_shown_by_its_mean_and_sd():
    """A uniform patience from a file: shown with its mean and SD ((high - low) / √12, the
    uniform's), kept unchanged when the row is not edited, refused when its numbers are."""
    uniform = {"dist": "uniform", "low": 1.0, "high": 5.0}
    segments = [
        {"name": "priority", "share": 0.3, "priority": 2, "patience_minutes": uniform},
        {"name": "standard", "share": 0.7},
    ]
    transfer = {"dist": "exponential", "mean": 2.0}
    frame = segment_frame(segments, transfer)
    assert frame.loc[0, "patience"] == "Uniform"
    assert frame.loc[0, "mean"] == pytest.approx(3.0)
    assert frame.loc[0, "sd"] == pytest.approx(4 / 12**0.5, rel=1e-3)
    assert (frame.loc[1, "mean"], frame.loc[1, "sd"]) == (2.0, 2.0)  # the transfer's exponential
    rows, said = edited_segments(segments, {"edited_rows": {1: {"priority": 1.0}}}, transfer)
    assert said == []
    assert rows == [segments[0], {"name": "standard", "share": 0.7, "priority": 1}]
    _, said = edited_segments(segments, {"edited_rows": {0: {"mean": 4.0}}}, transfer)
    assert [key for key, _ in said] == ["segments.0.patience_minutes"]
