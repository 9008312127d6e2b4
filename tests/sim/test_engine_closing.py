"""A roster that ends at the desk's close: nobody answers at the closing instant.

The desk is open 08:00-09:00 with one producer on the roster all hour (``producers = 3`` is the
head-count outside the roster's hours); calls go straight to producers (no AI), every call
takes exactly 7 minutes with no wrap-up, callers never hang up. By hand, one producer serves
the callers first come, first served: call *k* is answered at
``max(arrival_k, previous answer + 7)`` if that is before 09:00, else the shift is over and it
finds no producer. The roster's return to 3 producers at 09:00 must not let two more callers
in at 09:00 sharp.
"""

from __future__ import annotations

import numpy as np

import sim

OPEN, CLOSE, HANDLE = 480.0, 540.0, 7.0


def _desk():
    return sim.scenario_from_dict({
        "name": "closing", "days": 3,
        "hours": {"open": "08:00", "close": "09:00"},
        "inbound": {"calls_per_day": 40, "profile": "flat", "interval_minutes": 30},
        "destinations": [{
            "name": "desk", "producers": 3,
            "handle_minutes": {"dist": "fixed", "value": HANDLE},
            "wrap_up_minutes": {"dist": "fixed", "value": 0.0},
            "roster": {"interval_minutes": 30, "producers": [1, 1]},
        }],
        "transfer": {"patience_minutes": {"dist": "fixed", "value": 1000.0},
                     "failure_rate": 0.0, "fallback": "drop"},
    })  # fmt: skip


def _by_hand(arrivals: np.ndarray, day: int) -> np.ndarray:
    """Answer times of one producer serving in order until the close (NaN: no producer)."""
    free, out = day * 1440 + OPEN, []
    for t in arrivals:
        start = max(t, free)
        if start < day * 1440 + CLOSE:
            out.append(start)
            free = start + HANDLE
        else:
            out.append(np.nan)
    return np.array(out)


def test_no_call_is_answered_at_the_closing_instant():
    calls = sim.simulate(_desk(), replications=2, seed=1).calls
    calls = calls[calls["transfer_at"].notna()].sort_values(["replication", "arrival"])
    assert len(calls) > 100  # about 40 a day: the queue outlasts the hour every day
    for (_, day), part in calls.groupby(["replication", "day"]):
        expected = _by_hand(part["transfer_at"].to_numpy(float), int(day))
        got = part["answer_at"].to_numpy(float)
        np.testing.assert_allclose(got, expected, atol=1e-3)  # float32 columns
        late = np.isnan(expected)
        assert late.any()  # some callers were still waiting at the close
        assert (part["outcome"].astype(str).to_numpy()[late] == "no_producer").all()
    assert not ((calls["answer_at"] % 1440) >= CLOSE).any()
