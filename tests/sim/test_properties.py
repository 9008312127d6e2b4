"""Properties that hold for every scenario, searched with Hypothesis over small random agencies.

Each example is one day with a modest volume, so the file runs in well under a minute:

- every call (and outbound lead) ends in exactly one outcome from ``sim.OUTCOMES``, and each
  call's stage times are in order;
- every rate KPI lies in [0, 1], and is NaN exactly when its denominator is 0;
- adding a producer never lowers transfer completion under common random numbers (same seed);
- the same seed gives identical results.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim import OUTCOMES, scenario_from_dict, simulate
from sim.engine.views import floats, store_down
from tests.sim.conftest import queue_scenario
from tests.sim.scenario_builders import CONVERSATIONS, merge

TRIGGERS = ("qualified_interest", "coverage_mismatch", "complex_pricing", "human_request")
EPS = 1e-9

FAST = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)


def clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


durations = st.one_of(
    st.builds(lambda v: {"dist": "fixed", "value": v}, st.sampled_from([0.5, 2.0, 6.0, 15.0])),
    st.builds(lambda m: {"dist": "exponential", "mean": m}, st.sampled_from([1.0, 4.0, 10.0])),
    st.builds(
        lambda m, s: {"dist": "lognormal", "mean": m, "sd": s},
        st.sampled_from([3.0, 8.0]),
        st.sampled_from([1.0, 4.0]),
    ),
)


@st.composite
def shares(draw, names) -> dict[str, float]:
    """Shares over a non-empty subset of ``names`` that sum to 1 exactly enough."""
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
    weights = [draw(st.integers(1, 4)) for _ in chosen]
    total = sum(weights)
    return {name: w / total for name, w in zip(chosen, weights, strict=True)}


@st.composite
def destination(draw, index: int, open_: int, close: int) -> dict[str, Any]:
    dest: dict[str, Any] = {
        "name": f"G{index}",
        "producers": draw(st.integers(0, 3)),
        "handle_minutes": draw(durations),
        "ring_seconds": draw(st.sampled_from([0, 10, 30, 90])),
    }
    if draw(st.booleans()):
        dest["triggers"] = draw(
            st.lists(st.sampled_from(TRIGGERS), min_size=1, max_size=4, unique=True)
        )
    if draw(st.booleans()):
        dest["wrap_up_minutes"] = {"dist": "fixed", "value": draw(st.sampled_from([0.5, 2.0]))}
    if draw(st.booleans()):
        start = draw(st.integers(open_ // 30, close // 30 - 1)) * 30
        end = draw(st.integers(start // 30 + 1, 48)) * 30
        dest["shift"] = {"start": clock(start), "end": clock(end)}
    if draw(st.booleans()):
        dest["repeat_explain_rate"] = draw(st.sampled_from([0.0, 0.5, 1.0]))
    return dest


@st.composite
def scenarios(draw) -> dict[str, Any]:
    """A small, random, valid agency for one day."""
    open_ = draw(st.integers(0, 40)) * 30
    close = draw(st.integers(open_ // 30 + 1, min(open_ // 30 + 20, 48))) * 30
    n_groups = draw(st.integers(1, 3))
    data: dict[str, Any] = {
        "name": "property",
        "days": 1,
        "seed": draw(st.integers(0, 2**16)),
        "warmup_minutes": draw(st.sampled_from([0, 0, 60, 600])),
        "service_level_seconds": draw(st.sampled_from([0, 20, 60])),
        "hours": {
            "open": clock(open_),
            "close": clock(close),
            "timezone": draw(st.sampled_from(["ET", "CT", "PT"])),
        },
        "inbound": {
            "calls_per_day": draw(st.sampled_from([0, 10, 40, 120])),
            "profile": draw(st.sampled_from(["flat", "business_day", "morning_peak"])),
        },
        "call_types": {
            "billing": {
                "share": 0.5,
                "containment": draw(st.sampled_from([0.0, 0.5, 1.0])),
                "triggers": draw(shares(TRIGGERS)),
            },
            "quote": {
                "share": 0.5,
                "containment": draw(st.sampled_from([0.0, 0.3])),
                "triggers": draw(shares(TRIGGERS)),
            },
        },
        "intake": {"capture_rate": draw(st.sampled_from([0.0, 0.8, 1.0]))},
        "destinations": [draw(destination(k, open_, close)) for k in range(n_groups)],
        "transfer": {
            "whisper_seconds": draw(st.sampled_from([0, 15])),
            "failure_rate": draw(st.sampled_from([0.0, 0.1, 1.0])),
            "fallback": draw(st.sampled_from(["callback", "voicemail", "drop"])),
            "callback_delay_minutes": draw(st.sampled_from([0, 10])),
            "voicemail_delay_minutes": 30,
            "voicemail_message_rate": draw(st.sampled_from([0.0, 0.5])),
        },
        "outcomes": {"repeat_explain_rate": draw(st.sampled_from([0.0, 0.2]))},
    }
    if draw(st.booleans()):
        data["transfer"]["patience_minutes"] = draw(durations)
    if draw(st.booleans()):
        data["ai"] = {
            "enabled": draw(st.booleans()),
            "rollout": draw(st.sampled_from([0.0, 0.2, 1.0])),
            "lines": draw(st.integers(1, 4)),
            "talk_minutes": draw(durations),
        }
    if draw(st.booleans()):
        data["outbound"] = {
            "contacts_per_week": draw(st.sampled_from([0, 25, 100])),
            "answer_rate": draw(st.sampled_from([0.0, 0.5, 1.0])),
            "consent_rate": 0.9,
            "dnc_rate": 0.1,
            "containment": draw(st.sampled_from([0.0, 0.6])),
            "window": draw(
                st.sampled_from(
                    [
                        {"start": "09:00", "end": "20:00"},
                        {"start": "02:00", "end": "05:00"},
                    ]
                )
            ),
        }
    return data


def simulate_one(data: dict[str, Any], seed: int | None = None):
    return simulate(scenario_from_dict(data, source="<property>"), replications=1, seed=seed)


# ---------------------------------------------------------------------------- outcomes and times

ORDER = ("arrival", "ai_start", "ai_end", "transfer_at", "answer_at", "end_at", "release_at")


def check_times(calls: pd.DataFrame) -> None:
    times = calls[list(ORDER)].to_numpy(dtype=float)
    for a in range(len(ORDER)):
        for b in range(a + 1, len(ORDER)):
            both = ~np.isnan(times[:, a]) & ~np.isnan(times[:, b])
            bad = both & (times[:, a] > times[:, b] + EPS)
            assert not bad.any(), f"{ORDER[a]} after {ORDER[b]}:\n{calls[bad][list(ORDER)]}"
    ai_start, ai_leave = calls["ai_start"].to_numpy(), calls["ai_leave"].to_numpy()
    assert (np.isnan(ai_start) == np.isnan(ai_leave)).all()
    ok = ~np.isnan(ai_start)
    assert (ai_leave[ok] >= ai_start[ok] - EPS).all()
    cb_at, cb_end = calls["callback_at"].to_numpy(), calls["callback_end"].to_numpy()
    end = calls["end_at"].to_numpy()
    made = ~np.isnan(cb_at)
    assert (cb_at[made] >= end[made] - EPS).all()
    assert (np.isnan(cb_end[made]) | (cb_end[made] >= cb_at[made] - EPS)).all()


@given(scenarios())
@FAST
def test_every_call_ends_in_one_outcome_with_ordered_times(data):
    calls = simulate_one(data).calls
    assert calls["outcome"].notna().all()
    assert set(calls["outcome"].astype(str)) <= set(OUTCOMES)
    outcome = calls["outcome"].astype(str).to_numpy()
    conversation = np.isin(outcome, CONVERSATIONS)
    # a conversation ends; a lead that was never reached has no times at all
    assert calls["end_at"].notna().to_numpy()[conversation].all()
    assert calls["end_at"].isna().to_numpy()[~conversation].all()
    offered = calls["transfer_at"].notna().to_numpy()
    assert (offered == (conversation & (outcome != "contained"))).all()
    answered = calls["answer_at"].notna().to_numpy()
    assert (answered == np.isin(outcome, ["connected", "failed"])).all()
    assert calls["release_at"].notna().to_numpy()[answered].all()
    check_times(calls)


# ---------------------------------------------------------------------------- KPI ranges

RATES = {
    # KPI: the count KPI that is its denominator (None: computed below)
    "containment_rate": "calls",
    "transfer_rate": "calls",
    "transfer_completion_rate": "offered",
    "abandonment_rate": "offered",
    "p_wait": "offered",
    "service_level": "offered",
    "post_transfer_conversion_rate": "connected",
    "first_call_resolution_rate": "connected",
    "ai_containment_rate": "ai_handled",
    "repeat_explain_rate": None,
    "producer_occupancy": None,
}


@given(scenarios())
@FAST
def test_rate_kpis_lie_in_unit_interval_or_are_nan_without_denominator(data):
    results = simulate_one(data)
    kpis = results.kpis.iloc[0]
    calls = results.calls
    counted = calls[~(calls["arrival"] < results.scenario.warmup_minutes)]
    warm = int(((counted["outcome"] == "connected") & (counted["path"] == "ai")).sum())
    rostered = float(results.groups["rostered_minutes"].sum())
    for name, den_name in RATES.items():
        if den_name is not None:
            den = kpis[den_name]
        elif name == "repeat_explain_rate":
            den = warm
        else:
            den = rostered
        value = kpis[name]
        if den == 0:
            assert math.isnan(value), f"{name} = {value} with zero denominator"
        else:
            assert 0.0 <= value <= 1.0 + EPS, f"{name} = {value}"
    assert kpis["mean_wait_minutes"] >= 0 or (
        kpis["offered"] == 0 and math.isnan(kpis["mean_wait_minutes"])
    )
    for money in ("ai_cost", "human_cost", "total_cost", "ai_minutes"):
        assert kpis[money] >= 0


# ---------------------------------------------------------------------------- monotonicity


@given(
    lam=st.sampled_from([0.3, 0.6, 1.0]),
    aht=st.sampled_from([2.0, 4.0, 8.0]),
    patience=st.sampled_from([None, 0.5, 2.0, 6.0]),
    producers=st.integers(1, 6),
    seed=st.integers(0, 2**16),
)
@FAST
def test_adding_a_producer_never_lowers_completion_in_mmn_plus_m(
    lam, aht, patience, producers, seed
):
    def completion(n):
        sc = queue_scenario(lam, aht, n, patience_minutes=patience, days=1, warmup_minutes=0)
        return simulate(sc, replications=1, seed=seed).kpis.iloc[0]

    fewer, more = completion(producers), completion(producers + 1)
    assert more["offered"] == fewer["offered"]  # common random numbers: the same callers
    assert more["connected"] >= fewer["connected"]
    assert more["transfer_completion_rate"] >= fewer["transfer_completion_rate"]


@given(scenarios(), st.data())
@FAST
def test_adding_a_producer_never_lowers_completion_in_small_agencies(data, draw):
    # With ample AI lines the set of calls offered to producers does not depend on staffing;
    # with scarce lines it does (see the next test), and the *rate* is then not monotone.
    if "ai" in data:
        data = merge(data, {"ai": {"lines": 10_000}})
    k = draw.draw(st.integers(0, len(data["destinations"]) - 1), label="group")
    more = merge(data, {})
    more["destinations"][k]["producers"] += 1
    a = simulate_one(data).kpis.iloc[0]
    b = simulate_one(more).kpis.iloc[0]
    assert b["offered"] == a["offered"]
    if a["offered"] == 0:
        return
    assert b["connected"] >= a["connected"]
    assert b["transfer_completion_rate"] >= a["transfer_completion_rate"] - EPS


def test_with_scarce_ai_lines_more_producers_can_lower_the_completion_rate():
    """A genuine effect, not a bug (found by Hypothesis): the AI holds its line while a transfer
    rings, so a second producer frees the single line sooner: 4 fewer callers overflow to the
    human path, and the AI contains 2 of them. Offered and connected both drop by 2 while the
    one unconnected call (transferred after closing) stays, so completion falls from 35/36 to
    33/34. The property above therefore gives the AI ample lines."""
    data = {
        "name": "scarce lines",
        "days": 1,
        "seed": 242,
        "hours": {"open": "08:00", "close": "08:30"},
        "inbound": {"calls_per_day": 40, "profile": "flat"},
        "call_types": {
            "billing": {"share": 0.5, "containment": 0.5},
            "quote": {"share": 0.5, "containment": 0.0},
        },
        "destinations": [
            {
                "name": "G0",
                "producers": 1,
                "handle_minutes": {"dist": "fixed", "value": 0.5},
                "ring_seconds": 0,
            }
        ],
        "transfer": {"whisper_seconds": 0, "fallback": "drop"},
        "ai": {"lines": 1, "talk_minutes": {"dist": "fixed", "value": 0.5}},
    }
    one = simulate_one(data).kpis.iloc[0]
    two = simulate_one(
        merge(data, {"destinations": [{**data["destinations"][0], "producers": 2}]})
    ).kpis.iloc[0]
    assert two["ai_overflow"] < one["ai_overflow"]
    assert two["offered"] < one["offered"]
    unconnected = ("abandoned", "failed", "no_producer")
    assert sum(two[u] for u in unconnected) <= sum(one[u] for u in unconnected)
    assert two["transfer_completion_rate"] < one["transfer_completion_rate"]


# ---------------------------------------------------------------------------- reproducibility


@given(scenarios())
@settings(max_examples=10, deadline=None, derandomize=True)
def test_same_seed_gives_identical_results(data):
    a, b = simulate_one(data, seed=99), simulate_one(data, seed=99)
    pd.testing.assert_frame_equal(a.calls, b.calls)
    pd.testing.assert_frame_equal(a.kpis, b.kpis)


def test_scenario_seed_is_the_default_and_another_seed_differs():
    data = {
        "name": "seeded",
        "seed": 123,
        "days": 1,
        "inbound": {"calls_per_day": 50},
        "destinations": [{"name": "A", "producers": 1}],
    }
    sc = scenario_from_dict(data)
    by_default, explicit = simulate(sc, replications=2), simulate(sc, replications=2, seed=123)
    pd.testing.assert_frame_equal(by_default.calls, explicit.calls)
    other = simulate(sc, replications=2, seed=124)
    assert not other.calls["arrival"].equals(by_default.calls["arrival"])


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=0.0, max_value=3.0e38, allow_nan=False, allow_infinity=False))
def test_waits_are_stored_rounded_down_to_float32(value: float) -> None:
    """The run stores each wait as the largest float32 at or below it (so a wait of exactly a
    threshold still meets it); numpy's own rounding and ``nextafter`` are the check."""
    column = np.zeros(1, dtype=np.float32)
    store_down(floats(column), 0, value)
    want = np.float32(value)
    if float(want) > value:
        want = np.nextafter(want, np.float32(0))
    assert column[0] == want
    assert float(column[0]) <= value
