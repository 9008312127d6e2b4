"""The honest scorecard: parts that add up to the score (against hand arithmetic), and
certification progress that says "ready for live transfers" only after three passing calls
over three triggers."""

from __future__ import annotations

import re

import pytest

from roleplay import Rubric, Session
from roleplay import scorecard_view as view
from roleplay.certification import Certification, certification
from roleplay.scoring import CHECKLIST, Scorecard, TurnEvidence, build_scorecard
from roleplay.trainer import certification_progress, certification_status, stored_scorecard

READY = re.compile(r"ready for live transfers", re.I)


def _card(turns, disposition="claim", real_need="claim", rubric=None, **kw):
    return build_scorecard(
        session_id="s1", producer="Dana", trigger="human_request", difficulty="standard",
        seed=1, turns=turns, disposition=disposition, real_need=real_need,
        ended_by_caller=False, rubric=rubric, **kw,
    )  # fmt: skip


def _turn(n, checklist=(), reasks=()):
    return TurnEvidence(
        turn=n,
        producer=f"line {n}",
        caller="ok",
        repeat_explains=list(reasks),
        checklist={k: f"words {n}" for k in checklist},
    )


def test_parts_and_weights_add_up_by_hand():
    turns = [
        _turn(1, ["greet_by_name", "introduce_licensed"]),
        _turn(2, reasks=["contact_number"]),
        _turn(3, ["next_step_owner", "greet_by_name"]),  # a second greeting earns nothing more
    ]
    card = _card(turns, disposition="billing_dispute")
    by_key = {p.key: p for p in card.parts}
    assert [p.key for p in card.parts] == ["repeat_explains", *CHECKLIST, "disposition"]
    assert (by_key["repeat_explains"].points, by_key["repeat_explains"].max_points) == (25, 40)
    assert "1 re-ask (Contact number)" in by_key["repeat_explains"].detail
    assert (by_key["greet_by_name"].points, by_key["greet_by_name"].detail) == (
        8,
        "turn 1: “words 1”",
    )
    assert by_key["next_step_owner"].points == 8
    assert by_key["restate_reason"].points == 0
    assert by_key["restate_reason"].detail == "not done"
    assert by_key["disposition"].points == 0
    assert "tagged Billing dispute; real need Claim" == by_key["disposition"].detail
    assert card.score == 25 + 8 + 8 + 8 == sum(p.points for p in card.parts)
    assert sum(p.max_points for p in card.parts) == 100
    assert view.sum_line(card) == "25 + 8 + 8 + 0 + 0 + 0 + 8 + 0 + 0 = 49"
    rows = view.part_rows(card)
    assert rows[-1].part == "Total"
    assert rows[-1].points == "49 / 100"


def test_reask_points_floor_at_zero_and_say_so():
    card = _card([_turn(1, reasks=["caller_name", "contact_number", "state"])])
    assert card.parts[0].points == 0
    assert "40 − 15 × 3, floored at 0" in card.parts[0].detail
    assert card.score == 10 == sum(p.points for p in card.parts)


def test_a_rubric_over_100_shows_the_cap_as_a_part():
    generous = Rubric(repeat_explain_points=60)
    card = _card([_turn(1, list(CHECKLIST))], rubric=generous)
    assert card.score == 100
    assert card.parts[-1].key == "cap"
    assert card.parts[-1].points == -20
    assert sum(p.points for p in card.parts) == 100


def test_certification_wording():
    one = certification("Dana", [("complex_pricing", True)])
    assert one.progress == "1 of 3 passing calls, 1 of 3 triggers"
    assert not one.ready
    assert not READY.search(view.readiness(one))
    two_kinds = certification("Dana", [("a", True), ("a", True), ("b", True), ("c", False)])
    assert two_kinds.progress == "3 of 3 passing calls, 2 of 3 triggers"
    assert two_kinds.missing == "1 more trigger type(s)"
    assert not two_kinds.ready
    done = certification("Dana", [("a", True), ("b", True), ("c", True), ("a", True)])
    assert done.ready
    assert done.progress == "3 of 3 passing calls, 3 of 3 triggers"  # capped at what is needed
    assert (
        view.readiness(done) == "Ready for live transfers (3 of 3 passing calls, 3 of 3 triggers)."
    )
    assert not READY.search(view.readiness(None))


def _passing_card(trigger, history):
    full = [_turn(1, list(CHECKLIST))]
    return build_scorecard(
        session_id="new", producer="Dana", trigger=trigger, difficulty="easy", seed=0,
        turns=full, disposition="claim", real_need="claim", ended_by_caller=False,
        history=history,
    )  # fmt: skip


def test_the_scorecard_counts_this_call_towards_certification():
    first = _passing_card("complex_pricing", [])
    assert first.passed
    assert first.certification.progress == "1 of 3 passing calls, 1 of 3 triggers"
    assert not first.ready_for_live_transfers
    assert view.verdict(first, first.certification) == "PASSED — counts towards certification"
    third = _passing_card("human_request", [("complex_pricing", True), ("coverage_mismatch", True)])
    assert third.ready_for_live_transfers
    assert view.verdict(third, third.certification) == "PASSED — ready for live transfers"
    same_kind = _passing_card("complex_pricing", [("complex_pricing", True), ("x", True)])
    assert not same_kind.ready_for_live_transfers
    without = _card([_turn(1, list(CHECKLIST))])
    assert without.certification is None
    assert not without.ready_for_live_transfers
    assert not READY.search(view.verdict(without, None))
    assert without.to_dict()["certification"] is None
    assert third.to_dict()["certification"]["ready"] is True


def test_the_scorecard_reads_the_producers_history_from_the_store(store, good_lines):
    triggers = ["complex_pricing", "coverage_mismatch", "complex_pricing", "human_request"]
    expected = [
        "1 of 3 passing calls, 1 of 3 triggers",
        "2 of 3 passing calls, 2 of 3 triggers",
        "3 of 3 passing calls, 2 of 3 triggers",
        "3 of 3 passing calls, 3 of 3 triggers",
    ]
    for seed, (trigger, progress) in enumerate(zip(triggers, expected, strict=True)):
        s = Session.start(trigger, seed=seed, producer="Dana", store=store, difficulty="easy")
        for line in good_lines(s):
            s.say(line)
        card = s.end(s.persona.real_need)
        assert card.passed
        # As Session.end would build it with the store (this call counted once).
        rebuilt = build_scorecard(
            session_id=card.session_id, producer="Dana", trigger=trigger, difficulty="easy",
            seed=seed, turns=card.turns, disposition=card.disposition, real_need=card.real_need,
            ended_by_caller=False, store=store,
        )  # fmt: skip
        cert = view.certification_for(card, store)
        assert rebuilt.certification.progress == cert.progress == progress
        assert cert.ready is (seed == 3)
    status = certification_status(store).set_index("producer")
    assert status.loc["Dana", "progress"] == "3 of 3 passing calls, 3 of 3 triggers"
    assert bool(status.loc["Dana", "ready"])


def test_certification_progress_needs_a_known_producer(store):
    with pytest.raises(LookupError, match="Unknown producer 'Zed'"):
        certification_progress(store, "Zed")


def test_certification_defaults():
    c = Certification("Dana", sessions=0, passing_sessions=0, passing_triggers=())
    assert c.status.startswith("not yet certified: 0 of 3 passing calls, 0 of 3 triggers")


def test_a_stored_scorecard_comes_back_with_its_parts(store):
    s = Session.start("complex_pricing", seed=2, producer="Dana", store=store)
    s.say("What's your phone number?")
    card = s.end("pricing_question")
    back = stored_scorecard(store, s.id)
    assert back.parts == card.parts
    assert back.score == card.score == sum(p.points for p in back.parts)
    assert back.checklist == card.checklist
    assert stored_scorecard(store, "no-such-session") is None
    old = card.to_dict()
    del old["parts"]  # a record from before the parts were kept
    assert Scorecard.from_dict(old).parts == card.parts
