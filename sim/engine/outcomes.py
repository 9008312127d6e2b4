"""What happens after the conversation, drawn once the run is over.

Conversion to a sale, first-call resolution and repeat-explain (the producer asks again what
the AI already captured) do not change the queue, so they are drawn after the run from their own
streams (:data:`sim.engine.draws.AFTER_RUN`), one uniform per call: the same numbers as if drawn
up front, with less memory held during the run.

- A warm transfer from the AI that needs no repeat-explain converts at ``conversion_warm``;
  otherwise a live connection converts at ``conversion_cold`` (both may be set per trigger).
- A routine call (a need the AI resolves) that reached a producer on the human path is a
  service conversation, with only the ``routine_conversion`` cross-sell chance.
- Every intake field the AI missed lowers the chance by ``missing_field_penalty``.
- A callback that reaches the caller converts at the cold rate (routine: the cross-sell rate).
- AI minutes: from the AI's start to when it leaves the line (talk, hold while ringing,
  whisper), measured by the run; ``no_answer_minutes`` for an unanswered outbound dial.
"""

from __future__ import annotations

import numpy as np

from sim.engine.codes import Outcome, Path
from sim.engine.draws import CallerDraws
from sim.scenario import Scenario

__all__ = ["draw_outcomes", "fields_missing"]


def fields_missing(capture_mask: np.ndarray, n_fields: int) -> np.ndarray:
    """Intake fields not captured, per call, from the bit mask of captured fields."""
    missing = np.zeros(len(capture_mask), dtype=np.int8)
    for k in range(n_fields):
        missing += ((capture_mask >> k) & 1) == 0
    return missing


def _by_trigger(scenario: Scenario) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Warm and cold conversion and first-call resolution per trigger (overrides applied)."""
    out = scenario.outcomes
    n_trig = len(scenario.triggers)
    warm = np.full(n_trig, out.conversion_warm)
    cold = np.full(n_trig, out.conversion_cold)
    fcr = np.full(n_trig, out.first_call_resolution)
    for t, over in out.by_trigger.items():
        k = scenario.triggers.index(t)
        if over.conversion_warm is not None:
            warm[k] = over.conversion_warm
        if over.conversion_cold is not None:
            cold[k] = over.conversion_cold
        if over.first_call_resolution is not None:
            fcr[k] = over.first_call_resolution
    return warm, cold, fcr


def draw_outcomes(scenario: Scenario, cols: dict[str, np.ndarray], draws: CallerDraws) -> None:
    """Add the post-run columns to the record ``cols``: ``routine``, ``fields_missing``,
    ``repeat_explain``, ``converted``, ``converted_on_transfer`` and ``first_call_resolution``,
    and the AI minutes of unanswered outbound dials."""
    sc = scenario
    rng = draws.after_run
    n = draws.n
    warm, cold, fcr = _by_trigger(sc)
    group_rx = np.array(
        [
            d.repeat_explain_rate
            if d.repeat_explain_rate is not None
            else sc.outcomes.repeat_explain_rate
            for d in sc.destinations
        ]
    )
    outcome, path, trig = cols["outcome"], cols["path"], cols["trigger"]
    on_ai = path == Path.AI
    connected = outcome == Outcome.CONNECTED
    warm_transfer = connected & on_ai
    missing = fields_missing(cols["capture_mask"], len(sc.intake.fields))
    missing[~on_ai] = 0
    group = np.maximum(cols["group"], 0)
    repeat_explain = warm_transfer & (rng["repeat_explain"].random(n) < group_rx[group])
    routine = draws.contained
    routine_human = routine & (path == Path.HUMAN)
    base = np.where(warm_transfer & ~repeat_explain, warm[trig], cold[trig])
    base = np.where(routine_human, sc.outcomes.routine_conversion, base)
    p_convert = base * np.clip(1 - sc.outcomes.missing_field_penalty * missing, 0, 1)
    del base
    u_conversion = rng["conversion"].random(n)
    converted_live = connected & (u_conversion < p_convert)
    del p_convert
    callback_rate = np.where(routine_human, sc.outcomes.routine_conversion, cold[trig])
    converted_callback = cols["callback_reached"] & (u_conversion < callback_rate)
    del u_conversion, callback_rate
    cols["routine"] = routine
    cols["fields_missing"] = missing
    cols["repeat_explain"] = repeat_explain
    cols["converted"] = converted_live | converted_callback
    cols["converted_on_transfer"] = converted_live
    cols["first_call_resolution"] = connected & (rng["first_call_resolution"].random(n) < fcr[trig])
    if sc.outbound is not None:
        unanswered_ai = (outcome == Outcome.NO_ANSWER) & on_ai
        cols["ai_minutes"][unanswered_ai] = sc.outbound.no_answer_minutes
