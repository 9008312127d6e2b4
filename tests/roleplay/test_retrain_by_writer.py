"""The leave-one-writer-out measure (``python -m roleplay.retrain --by-writer``): each writer of
the tuning lines is scored by a model, and a resemblance index, without their lines."""

from __future__ import annotations

from roleplay import learned, resemble, retrain
from roleplay.labelled import Labelled


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


def test_a_writers_code_is_read_from_one_or_two_letters():
    """Writers past Z have two-letter codes ("ab-0042"): their lines are a writer's too, never
    taken for hand-labelled utterances and left out of the leave-one-writer-out figures."""
    line = lambda i: Labelled(i, "What's the best number?", {}, {})  # noqa: E731
    assert retrain._writer(line("d-0311")) == "d"
    assert retrain._writer(line("ab-0042")) == "ab"
    assert retrain._writer(line("labelled:12")) is None
    assert retrain._writer(line("abc-0001")) is None


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
