"""Open wordings of familiar asks, and statements that only look like them.

Each case is a general pattern (not a corpus line): the present cover asked about in open
words, an amount called a "number", the date of the event that sets the deadline, a noun phrase
opened by "no" that states an absence. The lines are written for this test.
"""

from __future__ import annotations

import pytest

from roleplay import detect, detect_requests, learned, resemble, retrain
from roleplay.labelled import Labelled
from roleplay.rules_time import TIME_RULES

PACKET = {
    "caller_name": "Rosa Delgado",
    "contact_number": "503-555-0187",
    "coverage_amount": "$1,000,000",
    "urgency": "closing on the 14th",
    "product_interest": "umbrella insurance",
}


def rules_only(text: str) -> dict[str, str]:
    return {h.field: h.kind for h in detect(text, PACKET, second_opinion=False)}


@pytest.mark.parametrize(
    "text",
    [
        "Is anyone insuring the condo right now?",
        "is somebody carrying you at the moment or not",
        "Do you carry anything on the truck today?",
        "you got anything on your life outside the job",
        "Do you have something in place already?",
        "Anybody covering the rental yet?",
    ],
)
def test_the_present_cover_asked_in_open_words(text):
    assert rules_only(text).get("current_coverage") == "request"


@pytest.mark.parametrize(
    "text",
    [
        "Is anyone covering the cost of the tow?",
        "Do you have anything on the truck you want to ask about?",
        "Does your husband carry anything on himself?",
    ],
)
def test_open_words_about_something_else_are_not_the_present_cover(text):
    assert rules_only(text).get("current_coverage") != "request"


@pytest.mark.parametrize(
    "text",
    [
        "What number are we working with on the umbrella?",
        "so what kind of number are you picturing for the dwelling",
        "Which number are you going with for the liability?",
    ],
)
def test_a_number_tied_to_the_cover_is_the_amount_not_the_phone(text):
    got = rules_only(text)
    assert got.get("coverage_amount") == "request"
    assert "contact_number" not in got


def test_the_best_number_is_still_the_phone():
    assert rules_only("What's the best number to reach you about the umbrella?") == {
        "contact_number": "request"
    }


@pytest.mark.parametrize(
    "text",
    [
        "How high a limit were you thinking?",
        "how big an umbrella do you want",
    ],
)
def test_how_big_a_cover_asks_the_amount(text):
    assert rules_only(text).get("coverage_amount") == "request"


@pytest.mark.parametrize(
    "text",
    [
        "When exactly do you close on the condo?",
        "what day are you taking possession",
        "When is the start date at the new job?",
    ],
)
def test_the_date_of_the_event_that_sets_the_deadline_asks_the_urgency(text):
    assert rules_only(text).get("urgency") == "request"
    assert "urgency" in TIME_RULES


@pytest.mark.parametrize(
    "text",
    ["When did you move into the condo?", "What day did you close on the house?"],
)
def test_a_past_event_is_history_not_the_urgency(text):
    assert "urgency" not in rules_only(text)


@pytest.mark.parametrize(
    "text",
    ["No rush on this one.", "No deadline for the quote.", "no email on the account", "No phone."],
)
def test_a_noun_phrase_opened_by_no_states_an_absence(text):
    assert detect_requests(text, PACKET) == {}


def test_an_absence_then_an_ask_still_asks():
    got = rules_only("No email on the account. What's a good one?")
    assert got == {"email": "request"}


def test_the_learned_features_name_a_concept_and_the_shape_of_the_ask():
    feats = learned.features("Is anybody covering the condo at this point?", {})
    cover = feats["current_coverage"]
    assert "present" in cover
    assert "ask:yn&caller" in cover
    assert "ask:yn&present" in cover
    assert any(x.startswith("w:") and x.endswith("covering the") for x in cover)
    said = learned.features("Are the pipes covered?", {})["current_coverage"]
    assert "w:covered" in said  # a topic's span is widened to the whole word
    assert "current_coverage|present" in cover


def test_leave_one_writer_out_reports_each_writer_and_scores_other_files(monkeypatch):
    ask = {"current_coverage": "request"}
    lines = [
        Labelled("x-0001", "Is anyone insuring the condo now?", {}, ask),
        Labelled("x-0002", "What's the best number for you?", {}, {"contact_number": "request"}),
        Labelled("y-0001", "Who insures the condo today?", {}, ask),
        Labelled("y-0002", "I have you at 503-555-0187.", {}, {}),
    ]
    extra = [Labelled("z-0001", "Anybody covering the truck now?", {}, ask)]
    styles = {"x-0002": "transcript"}
    monkeypatch.setattr(learned, "MIN_COUNT", 1)
    monkeypatch.setattr(
        resemble, "_examples", lambda: [(x.id, x.text, None, x.labels) for x in lines]
    )
    resemble._index.cache_clear()
    try:
        out = retrain.by_writer(lines, [1.0], styles, extra)
    finally:
        resemble._index.cache_clear()
    rows = out.splitlines()
    assert rows[0] == "l2 1"
    assert any(r.startswith("writer x ") and "transcript" in r for r in rows)
    assert any(r.startswith("writer y ") for r in rows)
    assert any(r.startswith("writer z (extra)") for r in rows)
    assert any(r.startswith("tuning, all") for r in rows)


def test_the_resemblance_index_can_leave_a_writer_out(monkeypatch):
    lines = [("x-1", "what problem does the letter describe", None, {"reason_for_call": "request"})]
    monkeypatch.setattr(resemble, "_examples", lambda: lines)
    resemble._index.cache_clear()
    try:
        assert resemble._index(None).ids == ["x-1"]
        with resemble.without("x-"):
            assert resemble._index(resemble._SKIP[0]).ids == []
        assert resemble._SKIP[0] is None
    finally:
        resemble._index.cache_clear()


@pytest.mark.parametrize(
    ("said", "states"),
    [
        (["Your rate changed when you moved."], True),
        (["It went up after the roof was replaced."], True),
        (["I have your number, what is your email."], False),
        (["I will call you, when do you need it by."], False),
    ],
)
def test_a_trailing_subordinate_clause_is_part_of_the_statement(said, states):
    assert learned._states_only(said) is states
