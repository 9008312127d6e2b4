"""Every page of the lab renders, and its key interactions do what they say."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import sim
from sim import limits
from sim.loader import load_scenario_text
from sim.paths import SCENARIOS_DIR, shipped_scenarios


def _shown(markdown: str) -> str:
    """Markdown as the reader sees it: user text is backslash-escaped on the pages."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")  # (no autolinks)


def _errors(at) -> list[str]:
    return [_shown(e.value) for e in at.error]


def _apply(at: AppTest) -> None:
    """Press the scenario form's Apply button."""
    at.button(key="FormSubmitter:scenario_form-Apply").click().run()


def _column_with(at: AppTest, key: str):
    """The form column holding the widget with ``key``."""
    for col in at.columns:
        if any(w.key == key for w in [*col.number_input, *col.text_input]):
            return col
    raise AssertionError(f"no column holds widget {key!r}")


def test_scenario_page_renders(app):
    assert [t.value for t in app.title] == ["Scenario"]
    assert not _errors(app)
    assert app.session_state["scenario"].name == "Small life agency"
    assert app.number_input(key="form.destinations.0.producers").value == 4


def test_simulate_page_renders(simulate_page):
    at = simulate_page
    assert [t.value for t in at.title] == ["Simulate"]
    assert not _errors(at)
    labels = [m.label for m in at.metric]
    assert labels[:3] == ["Transfer completion", "Service level", "Abandonment"]
    assert len(at.get("plotly_chart")) == 4  # funnel, waits, occupancy, intervals
    assert len(at.get("download_button")) == 3
    completion = at.metric[0]
    assert "target" in completion.delta
    assert any("95% CI" in c.value for c in at.caption)


def test_more_producers_changes_kpis(simulate_page):
    at = simulate_page
    before = at.session_state["last_summary"]["mean"]
    at.slider(key="lever.producers.0").set_value(8).run()
    assert not at.exception
    after = at.session_state["last_summary"]["mean"]
    assert after["transfer_completion_rate"] > before["transfer_completion_rate"]
    assert after["mean_wait_minutes"] < before["mean_wait_minutes"]
    assert after["producer_occupancy"] < before["producer_occupancy"]
    assert at.metric[0].value != f"{before['transfer_completion_rate']:.1%}"


def test_a_new_setting_shows_its_first_replication_then_all(simulate_page):
    """A setting not simulated yet: the cards first show the first replication (quick), then
    all of them; the first look is the full run's own first replication, drawn from the same
    seed (checked against a one-replication run made here). A setting seen before goes
    straight to the full run."""
    at = simulate_page
    at.session_state["first_summary"] = None
    at.slider(key="lever.producers.0").set_value(11).run()  # a setting no other test runs
    assert not at.exception
    first, full = at.session_state["first_summary"], at.session_state["last_summary"]
    scenario = sim.load_scenario("small_agency", {"destinations.0.producers": 11})
    one = sim.simulate(scenario, replications=1, seed=scenario.seed)
    assert first["mean"].to_dict() == pytest.approx(one.summary()["mean"].to_dict(), nan_ok=True)
    assert full["mean"].to_dict() != first["mean"].to_dict()  # three replications, not one
    assert any(c.value == "3 replication(s) × 5 simulated days" for c in at.caption)
    at.session_state["first_summary"] = None
    at.slider(key="lever.producers.0").set_value(4).run()  # simulated when the page opened
    assert at.session_state["first_summary"] is None


def test_coming_back_to_a_page_keeps_its_settings(simulate_page):
    """Streamlit forgets a widget's value when a run does not draw it (another page was shown):
    the levers and the Scenario form come back as they were, not missing or zero."""
    at = simulate_page
    at.slider(key="lever.producers.0").set_value(6).run()
    at.switch_page("views/scenario.py").run()
    assert not at.exception
    assert at.number_input(key="form.inbound.calls_per_day").value == 120
    at.switch_page("views/staffing.py").run()
    at.switch_page("views/simulate.py").run()
    assert not at.exception
    assert at.slider(key="lever.producers.0").value == 6
    at.switch_page("views/scenario.py").run()
    assert not at.exception
    assert at.number_input(key="form.inbound.calls_per_day").value == 120
    assert at.number_input(key="form.destinations.0.producers").value == 4


def test_invalid_rollout_is_shown_next_to_the_field(app):
    key = "form.ai.rollout"
    app.number_input(key=key).set_value(1.5)
    _apply(app)
    assert not app.exception
    column = _column_with(app, key)
    assert any("less than or equal to 1" in e.value for e in column.error)
    # The rejected edit is kept in the form, and the current scenario is unchanged.
    assert app.number_input(key=key).value == 1.5
    assert app.session_state["scenario"].ai.rollout == 1.0


def test_bad_clock_time_is_shown_next_to_the_field(app):
    app.text_input(key="form.hours.open").input("8am")
    _apply(app)
    assert not app.exception
    column = _column_with(app, "form.hours.open")
    assert any('must be a clock time "HH:MM"' in _shown(e.value) for e in column.error)


def test_open_after_close_is_shown_under_hours(app):
    app.text_input(key="form.hours.open").input("19:00")
    _apply(app)
    assert not app.exception
    assert any("must be before close" in msg for msg in _errors(app))


def test_shares_not_summing_are_shown_under_call_types(app):
    app.number_input(key="form.call_types.billing.share").set_value(0.5)
    _apply(app)
    assert not app.exception
    assert any("shares must sum to 1, got 1.2" in msg for msg in _errors(app))


def test_valid_edit_becomes_the_current_scenario(app):
    app.number_input(key="form.destinations.0.producers").set_value(6)
    app.number_input(key="form.ai.cost_per_minute").set_value(0.25)
    _apply(app)
    assert not app.exception
    assert not _errors(app)
    scenario = app.session_state["scenario"]
    assert scenario.destinations[0].producers == 6
    assert scenario.ai.cost_per_minute == 0.25
    assert app.session_state["scenario_label"].endswith("edited")
    # The Simulate page's levers start from the edited scenario.
    app.switch_page("views/simulate.py").run()
    assert not app.exception
    assert app.slider(key="lever.producers.0").value == 6


def test_download_round_trips(app):
    app.number_input(key="form.inbound.calls_per_day").set_value(150.0)
    _apply(app)
    text = app.session_state["scenario_toml"]
    loaded = sim.scenario_from_dict(tomllib.loads(text), source="download")
    assert loaded == app.session_state["scenario"]
    assert loaded.inbound.calls_per_day == 150
    assert app.get("download_button")[0].label.startswith("Download the scenario")


@pytest.mark.parametrize("stem", sorted(shipped_scenarios()))
def test_every_shipped_scenario_loads(app, stem):
    app.selectbox(key="pick_shipped").set_value(stem).run()
    assert not app.exception
    assert not _errors(app)
    assert app.session_state["scenario"] == sim.load_scenario(shipped_scenarios()[stem])


def test_upload_extending_a_shipped_scenario(app):
    text = b'extends = "small_agency.toml"\nname = "Pilot upload"\n[ai]\nrollout = 0.15\n'
    app.get("file_uploader")[0].set_value(("pilot.toml", text, "application/toml"))
    app.run()
    assert not app.exception
    scenario = app.session_state["scenario"]
    assert (scenario.name, scenario.ai.rollout) == ("Pilot upload", 0.15)
    assert scenario.destinations[0].producers == 4  # from the base
    assert app.number_input(key="form.ai.rollout").value == 0.15


def test_broken_upload_shows_the_problem(app):
    app.get("file_uploader")[0].set_value(("bad.toml", b"name = \n", "application/toml"))
    app.run()
    assert not app.exception
    assert any("not valid TOML" in msg for msg in _errors(app))
    assert app.session_state["scenario"].name == "Small life agency"


@pytest.mark.parametrize("stem", sorted(shipped_scenarios()))
def test_simulate_renders_every_shipped_scenario(app, stem):
    app.selectbox(key="pick_shipped").set_value(stem).run()
    app.session_state["lever.replications"] = 2
    app.switch_page("views/simulate.py").run()
    assert not app.exception
    assert not _errors(app)
    assert len(app.get("plotly_chart")) == 4
    names = [d.name for d in sim.load_scenario(shipped_scenarios()[stem]).destinations]
    labels = ["Producers" if n == "Producers" else f"Producers: {n}" for n in names]
    assert [s.label for s in app.sidebar.slider][: len(names)] == labels


def test_reload_drops_edits(app):
    app.number_input(key="form.destinations.0.producers").set_value(9)
    _apply(app)
    assert app.session_state["scenario"].destinations[0].producers == 9
    app.button(key="reload_shipped").click().run()
    assert not app.exception
    assert app.session_state["scenario"].destinations[0].producers == 4
    assert app.number_input(key="form.destinations.0.producers").value == 4


VIEWS = sorted((Path(__file__).resolve().parents[2] / "dashboards" / "views").glob("*.py"))


@pytest.mark.parametrize("view", VIEWS, ids=[v.stem for v in VIEWS])
def test_views_have_no_stray_strings(view):
    """Streamlit's magic writes a bare string on its own line into the page, so a page script
    documents its constants with comments, not attribute docstrings."""
    tree = ast.parse(view.read_text())
    stray = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        and node is not tree.body[0]
        and not any(node is getattr(f, "body", [None])[0] for f in ast.walk(tree)
                    if isinstance(f, ast.FunctionDef | ast.ClassDef))
    ]  # fmt: skip
    assert not stray, f"{view.name}: bare strings at lines {stray} would be shown on the page"


HOSTILE_DESCRIPTION = (
    "Tracked ![x](http://tracker.example/p.png) <img src=x> :red[alarm] [a](http://x)"
)


def test_hostile_names_and_descriptions_are_plain_text(app):
    """A shared scenario whose name and description hold Markdown, HTML, a remote image and a
    Streamlit colour directive: each page shows the characters, none of them acts."""
    hostile = sim.load_scenario(
        "small_agency", {"name": "Agency [/draft] **bold**", "description": HOSTILE_DESCRIPTION}
    )
    app.session_state["scenario"] = hostile
    app.session_state["scenario_data"] = hostile.model_dump(mode="json", exclude_none=True)
    app.session_state["scenario_label"] = "uploaded ![p](http://x/p.png).toml"
    app.run()
    assert not app.exception
    shown = [m.value for m in [*app.markdown, *app.caption]]
    quoted = [m for m in shown if "tracker" in m]
    assert quoted
    for markdown in shown:
        # Markdown acts only on unescaped characters: none of these may be left bare.
        bare = re.sub(r"\\.", "", markdown)
        assert "![" not in bare
        assert "](" not in bare
        assert "<img" not in bare
        assert ":red[" not in bare
    assert _shown(quoted[0]).removeprefix("> ") == HOSTILE_DESCRIPTION
    assert any("Agency [/draft] **bold**" in _shown(c.value) for c in app.caption)


def test_plain_escapes_what_markdown_acts_on():
    from dashboards.common import plain

    for text in [HOSTILE_DESCRIPTION, "# heading", "1. list", "    code", "a@b.example www.x.io"]:
        escaped = plain(text)
        assert _shown(escaped) == text.strip()
        assert re.search(r"(?<!\\)[\[\]()!<>#:@]", escaped) is None


def test_oversized_and_deeply_nested_uploads_are_refused_with_a_message():
    """The Scenario page's upload: over the size limit it is refused unread (the message names
    the file and the limit); the loader it calls refuses deep nesting and huge volumes."""
    from dashboards.common import upload_problem

    message = upload_problem("big.toml", 2_000_000, "scenario file", limits.MAX_SCENARIO_BYTES)
    assert message is not None
    assert "big.toml" in message
    assert "limit" in message
    assert upload_problem("ok.toml", 5_000, "scenario file", limits.MAX_SCENARIO_BYTES) is None
    uploads = {
        ("a = " + "[" * 3000 + "]" * 3000).encode(): "16 levels",
        ("a = " + "{b=" * 40 + "1" + "}" * 40).encode(): "nested more than 16",
        b"# " + b"x" * 2_000_000: "the limit",
        b'extends = "small_agency.toml"\n[inbound]\ncalls_per_day = 1e9\n': "per replication",
        b'extends = "small_agency.toml"\n[inbound]\ncalls_per_day = inf\n': "finite",
    }
    for content, why in uploads.items():
        with pytest.raises(sim.ScenarioError, match=why) as caught:
            load_scenario_text(content, source="upload.toml", base_dir=SCENARIOS_DIR)
        assert "upload.toml" in str(caught.value)


def test_an_agency_in_any_iana_zone_keeps_its_zone_in_the_form(app):
    """The zone box listed the lab's US zones only: a scenario in Europe/Rome (a calibrated
    log's, say) could be neither shown nor kept. Its zone is offered, kept on Apply, and any
    other zone can be chosen."""
    text = b'extends = "small_agency.toml"\nname = "Rome desk"\n[hours]\ntimezone = "Europe/Rome"\n'
    app.get("file_uploader")[0].set_value(("rome.toml", text, "application/toml"))
    app.run()
    assert not app.exception
    box = app.selectbox(key="form.hours.timezone")
    assert box.value == "Europe/Rome"
    assert "Europe/London" in box.options
    app.number_input(key="form.destinations.0.producers").set_value(5)
    _apply(app)
    assert not _errors(app)
    assert app.session_state["scenario"].hours.timezone == "Europe/Rome"
    box = app.selectbox(key="form.hours.timezone")
    box.set_value("America/Chicago")
    _apply(app)
    assert not _errors(app)
    assert app.session_state["scenario"].hours.timezone == "America/Chicago"
