"""Scripts are data: every file validates, and adding a file adds a trigger."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest
from pydantic import ValidationError

from roleplay import Session, available_triggers
from roleplay.scripts import CallerScript, load_script


@pytest.mark.parametrize("trigger", available_triggers())
def test_every_script_loads_and_lines_render(trigger):
    script = load_script(trigger)
    assert script.trigger == trigger
    for seed in range(6):  # every opening line renders without leftover placeholders
        s = Session.start(trigger, seed=seed)
        assert "{" not in s.transcript[0].text
        assert s.transcript[0].text


def test_adding_a_trigger_is_adding_a_file(tmp_path, monkeypatch):
    source = (resources.files("roleplay") / "data" / "scripts" / "human_request.toml").read_text()
    (tmp_path / "cancel_intent.toml").write_text(
        source.replace('trigger = "human_request"', 'trigger = "cancel_intent"')
    )
    monkeypatch.setenv("HANDOFF_LAB_SCRIPTS", str(tmp_path))
    assert "cancel_intent" in available_triggers()
    s = Session.start("cancel_intent", seed=1)
    assert s.packet.trigger == "cancel_intent"


def test_invalid_scripts_are_rejected():
    data = tomllib.loads(
        (resources.files("roleplay") / "data" / "scripts" / "complex_pricing.toml").read_text()
    )
    data["needs"][0]["code"] = "vibes"
    with pytest.raises(ValidationError, match="unknown reason code"):
        CallerScript.model_validate(data)
    data["needs"][0]["code"] = "pricing_question"
    del data["lines"]["opening"]
    with pytest.raises(ValidationError, match="opening"):
        CallerScript.model_validate(data)


def test_a_story_must_name_a_known_situation_that_fits_its_need():
    data = tomllib.loads(
        (resources.files("roleplay") / "data" / "scripts" / "human_request.toml").read_text()
    )
    data["needs"][0]["stories"][0]["kind"] = "alien_abduction"
    with pytest.raises(ValidationError, match="unknown situation kind"):
        CallerScript.model_validate(data)
    data["needs"][0]["stories"][0]["kind"] = "new_baby"  # a life story under a billing need
    with pytest.raises(ValidationError, match="new_business story, not billing_dispute"):
        CallerScript.model_validate(data)


@pytest.mark.parametrize("trigger", available_triggers())
def test_every_story_text_fills_for_every_seed(trigger):
    """Story and situation placeholders ({teen_name}, {sale_date}...) always have a value."""
    for seed in range(40):
        s = Session.start(trigger, seed=seed)
        said = [*s.persona.values.values(), *s.persona.says.values(), s.transcript[0].text]
        assert not [t for t in said if "{" in t or "}" in t]


@pytest.mark.parametrize("trigger", available_triggers())
def test_the_whisper_names_the_intent_in_words(trigger):
    """The whisper is what the producer hears before the bridge: it named the detected intent
    by its code ("Detected intent: pricing_question."); it now uses the reason's words."""
    import re

    from roleplay.disposition import REASON_LABELS

    for seed in range(6):
        session = Session.start(trigger, seed=seed)
        intent = session.packet.detected_intent
        line = next(p for p in session.whisper.split(". ") if p.startswith("Detected intent"))
        assert re.search(r"\b[a-z]+_[a-z_]+\b", line) is None, line
        if intent in REASON_LABELS:
            assert REASON_LABELS[intent] in line
