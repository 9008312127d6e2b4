"""The model's mechanisms, checked one at a time against what its documentation says.

Each test builds a small scenario where the right answer can be worked out by hand (fixed
durations, rates of 0 or 1, one group with room to spare) and compares ``results.calls`` or
``results.kpis`` with it. Statistical checks use binomial or Poisson bands of 4.5 standard
errors on seeded runs, so they are deterministic and far from flaky.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sim import OUTCOMES, simulate
from sim.arrivals import interval_rates
from tests.sim.scenario_builders import (
    CONVERSATIONS,
    LEAD_CONTROLS,
    TZ_OFFSET,
    build,
    fixed,
    group,
    hm,
    within,
)

EPS = 1e-9
STORED = 2.0**-9
"""Stored times are float32 (see sim.engine.record): a duration read off two of them is within
one float32 step of the one simulated, under 1/1024 minute for times below 2^14 minutes (the
runs here are a day or two). Durations the run measures itself (waits) are exact to 6e-8."""


def run(scenario, seed: int = 3):
    return simulate(scenario, replications=1, seed=seed)


def calls_of(scenario, seed: int = 3) -> pd.DataFrame:
    return run(scenario, seed).calls


def col(df: pd.DataFrame, name: str) -> np.ndarray:
    return df[name].to_numpy(dtype=float)


def ai_on(**extra):
    """An AI section: on, plenty of lines, fixed 4-minute talk."""
    return {"enabled": True, "lines": 500, "talk_minutes": fixed(4.0), **extra}


# ---------------------------------------------------------------------------- arrivals


def test_inbound_calls_arrive_only_inside_open_hours():
    sc = build(
        days=3,
        hours={"open": "09:15", "close": "16:40"},
        inbound={"calls_per_day": 400, "profile": "business_day", "interval_minutes": 15},
    )
    calls = calls_of(sc)
    assert len(calls) > 1000
    minute = col(calls, "minute_of_day")
    assert minute.min() >= hm("09:15")
    assert minute.max() < hm("16:40")
    assert set(calls["day"]) == {0.0, 1.0, 2.0}
    assert (calls["direction"] == "inbound").all()


def test_inbound_volume_matches_calls_per_day():
    sc = build(days=10, inbound={"calls_per_day": 300, "profile": "morning_peak"})
    results = simulate(sc, replications=3, seed=5)
    expected = 300 * 10
    for n in results.kpis["inbound_calls"]:
        assert abs(n - expected) <= 4.5 * math.sqrt(expected), n


def test_list_profile_puts_calls_in_intervals_in_proportion():
    # 08:00–12:00 in 60-minute intervals, weights 1, 0, 3, 0.
    sc = build(
        days=20,
        hours={"open": "08:00", "close": "12:00"},
        inbound={"calls_per_day": 100, "profile": [1, 0, 3, 0], "interval_minutes": 60},
    )
    minute = col(calls_of(sc), "minute_of_day")
    hour = (minute // 60).astype(int)
    n = len(minute)
    assert abs(n - 2000) <= 4.5 * math.sqrt(2000)
    assert not np.isin(hour, [9, 11]).any(), "calls in zero-weight intervals"
    assert within(int((hour == 10).sum()), n, 0.75)
    assert within(int((hour == 8).sum()), n, 0.25)


def test_list_profile_weights_are_rates_in_a_short_last_interval():
    # 08:00–09:45 in 30-minute intervals: four intervals, the last one 15 minutes long. Equal
    # weights mean a flat rate, so the last interval gets 15/105 of the calls.
    sc = build(
        days=30,
        hours={"open": "08:00", "close": "09:45"},
        inbound={"calls_per_day": 70, "profile": [1, 1, 1, 1], "interval_minutes": 30},
    )
    starts, lengths, expected = interval_rates(sc)
    assert list(starts) == [480, 510, 540, 570]
    assert list(lengths) == [30, 30, 30, 15]
    assert expected == pytest.approx([20, 20, 20, 10])
    minute = col(calls_of(sc), "minute_of_day")
    assert within(int((minute >= 570).sum()), len(minute), 15 / 105)


@pytest.mark.parametrize("profile", ["business_day", "flat", "morning_peak", "afternoon_peak"])
def test_named_profile_integrates_to_calls_per_day(profile):
    sc = build(inbound={"calls_per_day": 137.0, "profile": profile, "interval_minutes": 10})
    _, lengths, expected = interval_rates(sc)
    assert expected.sum() == pytest.approx(137.0)
    assert (expected > 0).all()
    assert lengths.sum() == hm("18:00") - hm("08:00")


def test_named_profiles_have_their_documented_shape():
    def rate_at(profile, clock):
        sc = build(inbound={"calls_per_day": 100, "profile": profile, "interval_minutes": 30})
        starts, lengths, expected = interval_rates(sc)
        k = int(np.searchsorted(starts, hm(clock), side="right") - 1)
        return expected[k] / lengths[k]

    # business_day: late-morning and mid-afternoon peaks with a lunch dip between them.
    assert rate_at("business_day", "10:30") > rate_at("business_day", "12:30")
    assert rate_at("business_day", "14:00") > rate_at("business_day", "12:30")
    assert rate_at("business_day", "10:30") > rate_at("business_day", "08:00")
    assert rate_at("morning_peak", "10:00") > rate_at("morning_peak", "15:00")
    assert rate_at("afternoon_peak", "15:00") > rate_at("afternoon_peak", "10:00")
    assert rate_at("flat", "08:00") == pytest.approx(rate_at("flat", "17:30"))


# ---------------------------------------------------------------------------- outbound


def outbound_scenario(**outbound):
    return build(
        days=5,
        hours={"open": "08:00", "close": "20:00", "timezone": "ET"},
        inbound={"calls_per_day": 0},
        ai=ai_on(),
        outbound={
            "contacts_per_week": 4000,
            "days_per_week": 5,
            "consent_rate": 0.9,
            "dnc_rate": 0.1,
            "answer_rate": 0.4,
            "containment": 0.5,
            "window": {"start": "09:00", "end": "20:00"},
            "lead_timezones": {"ET": 0.25, "CT": 0.25, "MT": 0.25, "PT": 0.25},
            **outbound,
        },
    )


def test_every_lead_has_exactly_one_control_or_conversation_outcome():
    calls = calls_of(outbound_scenario())
    leads = calls[calls["direction"] == "outbound"]
    assert len(leads) == 4000  # contacts_per_week × days / days_per_week
    assert leads["outcome"].notna().all()
    allowed = {*LEAD_CONTROLS, "no_answer", *CONVERSATIONS}
    assert set(leads["outcome"].astype(str)) <= allowed
    never = leads[leads["outcome"].isin(LEAD_CONTROLS)]
    assert never["arrival"].isna().all()
    assert (never["path"] == "none").all()
    dialled = leads[~leads["outcome"].isin(LEAD_CONTROLS)]
    assert dialled["arrival"].notna().all()


def test_consent_and_dnc_shares_match_their_rates():
    calls = calls_of(outbound_scenario())
    outcome = calls["outcome"].astype(str).to_numpy()
    n = len(outcome)
    no_consent = int((outcome == "no_consent").sum())
    assert within(no_consent, n, 0.1)
    consented = n - no_consent
    assert within(int((outcome == "dnc_suppressed").sum()), consented, 0.1)
    dialled = consented - int((outcome == "dnc_suppressed").sum())
    assert (outcome == "outside_window").sum() == 0
    answered = int(np.isin(outcome, CONVERSATIONS).sum())
    assert within(answered, dialled, 0.4)
    assert within(int((outcome == "contained").sum()), answered, 0.5)  # outbound.containment


@pytest.mark.parametrize(
    ("agency_tz", "open_", "close", "window"),
    [
        ("ET", "08:00", "20:00", ("09:00", "20:00")),
        ("PT", "07:00", "19:00", ("09:00", "20:00")),
        ("CT", "10:00", "16:00", ("08:00", "12:00")),
    ],
)
def test_dial_times_lie_in_the_lead_window_in_agency_time_and_open_hours(
    agency_tz, open_, close, window
):
    sc = outbound_scenario(
        window={"start": window[0], "end": window[1]}, consent_rate=1.0, dnc_rate=0.0
    )
    sc = sc.model_copy(
        update={
            "hours": sc.hours.model_copy(
                update={"open": open_, "close": close, "timezone": agency_tz}
            )
        }
    )
    calls = calls_of(sc)
    for zone, offset in TZ_OFFSET.items():
        shift = (TZ_OFFSET[agency_tz] - offset) * 60  # lead-local → agency clock
        lo = max(hm(window[0]) + shift, hm(open_))
        hi = min(hm(window[1]) + shift, hm(close))
        leads = calls[calls["lead_timezone"] == zone]
        assert len(leads) > 500
        if hi <= lo:
            assert (leads["outcome"] == "outside_window").all(), zone
            continue
        assert not (leads["outcome"] == "outside_window").any(), zone
        minute = col(leads, "minute_of_day")
        assert minute.min() >= lo - EPS, zone
        assert minute.max() <= hi + EPS, zone
        # spread uniformly over the overlap: both ends are reached
        assert minute.min() < lo + 0.05 * (hi - lo), zone
        assert minute.max() > hi - 0.05 * (hi - lo), zone


def test_window_that_cannot_overlap_open_hours_means_no_dial():
    # 02:00–05:00 Pacific is 05:00–08:00 Eastern, ending exactly when the agency opens.
    sc = outbound_scenario(
        consent_rate=1.0,
        dnc_rate=0.0,
        window={"start": "02:00", "end": "05:00"},
        lead_timezones={"PT": 1.0},
    )
    results = run(sc)
    calls = results.calls
    assert (calls["outcome"] == "outside_window").all()
    assert (col(calls, "ai_minutes") == 0).all()
    kpis = results.kpis.iloc[0]
    assert kpis["outbound_outside_window"] == 4000
    assert kpis["outbound_dialled"] == 0
    assert kpis["ai_cost"] == 0
    assert kpis["human_intake_cost"] == 0


def test_never_dialled_leads_cost_nothing_and_unanswered_dials_bill_the_no_answer_minutes():
    sc = outbound_scenario(no_answer_minutes=0.75)
    sc = sc.model_copy(update={"ai": sc.ai.model_copy(update={"cost_per_minute": 0.2})})
    calls = calls_of(sc)
    never = calls[calls["outcome"].isin(LEAD_CONTROLS)]
    assert len(never) > 500
    for name in ("ai_minutes", "ai_cost", "human_intake_cost"):
        assert (col(never, name) == 0).all(), name
    assert never["ai_start"].isna().all()
    no_answer = calls[calls["outcome"] == "no_answer"]
    assert len(no_answer) > 500
    assert col(no_answer, "ai_minutes") == pytest.approx(0.75)
    assert col(no_answer, "ai_cost") == pytest.approx(0.75 * 0.2)
    assert no_answer["ai_start"].isna().all()


# ---------------------------------------------------------------------------- AI lines


def max_concurrency(starts: np.ndarray, ends: np.ndarray) -> int:
    events = sorted([(s, 1) for s in starts] + [(e, -1) for e in ends], key=lambda x: (x[0], x[1]))
    level = peak = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    return peak


def test_one_ai_line_overflows_inbound_to_the_human_path():
    sc = build(
        inbound={"calls_per_day": 600},
        ai=ai_on(lines=1, talk_minutes=fixed(5.0)),
        call_types={"general": {"share": 1.0, "containment": 0.5}},
    )
    calls = calls_of(sc)
    overflow = calls[calls["ai_overflow"]]
    assert len(overflow) > 300  # one line, 5-minute talks, a call a minute
    assert (overflow["path"] == "human").all()
    assert overflow["ai_start"].isna().all()
    assert (col(overflow, "transfer_at") == col(overflow, "arrival")).all()
    assert (col(overflow, "ai_minutes") == 0).all()
    ai = calls[calls["path"] == "ai"]
    assert len(ai) > 50
    assert not ai["ai_overflow"].any()
    assert (col(ai, "ai_start") == col(ai, "arrival")).all()
    assert max_concurrency(col(ai, "ai_start"), col(ai, "ai_leave")) == 1


def test_one_ai_line_makes_outbound_dials_wait_instead_of_overflowing():
    # 100 answered leads a day on one line for ~4 minutes each: the line is busy ~60% of the
    # calling window, so many dials have to wait for it.
    sc = outbound_scenario(contacts_per_week=500, answer_rate=1.0, consent_rate=1.0, dnc_rate=0.0)
    sc = sc.model_copy(update={"ai": sc.ai.model_copy(update={"lines": 1})})
    calls = calls_of(sc)
    answered = calls[calls["outcome"].isin(CONVERSATIONS)]
    assert len(answered) > 450
    assert not calls["ai_overflow"].any()
    assert (answered["path"] == "ai").all()
    assert answered["ai_start"].notna().all()
    assert (col(answered, "ai_start") >= col(answered, "arrival") - EPS).all()
    assert (col(answered, "ai_start") > col(answered, "arrival") + 1).sum() > 50
    assert max_concurrency(col(answered, "ai_start"), col(answered, "ai_leave")) == 1


def test_queued_outbound_dials_still_happen_inside_the_calling_window():
    # 800 answered leads a day, one line, 4-minute talks: the line cannot keep up, so dials
    # queue. Whenever the AI actually talks to the lead (ai_start), it must be inside the lead's
    # window (09:00–20:00 ET) and the agency's open hours on the lead's day.
    sc = outbound_scenario(
        answer_rate=1.0, consent_rate=1.0, dnc_rate=0.0, lead_timezones={"ET": 1.0}
    )
    sc = sc.model_copy(update={"ai": sc.ai.model_copy(update={"lines": 1})})
    calls = calls_of(sc)
    talked = calls[calls["ai_start"].notna()]
    start = col(talked, "ai_start")
    planned_day = col(talked, "day")
    assert (np.floor(start / 1440) == planned_day).all(), "dialled on a later day"
    minute = start % 1440
    assert ((minute >= hm("09:00")) & (minute <= hm("20:00"))).all()


# ---------------------------------------------------------------------------- containment


def test_containment_one_contains_every_ai_call():
    sc = build(ai=ai_on(), call_types={"general": {"share": 1.0, "containment": 1.0}})
    results = run(sc)
    calls = results.calls
    assert (calls["outcome"] == "contained").all()
    assert calls["transfer_at"].isna().all()
    assert (col(calls, "end_at") == col(calls, "ai_end")).all()
    assert col(calls, "ai_end") - col(calls, "ai_start") == pytest.approx(4.0, abs=STORED)
    kpis = results.kpis.iloc[0]
    assert kpis["offered"] == 0
    assert kpis["containment_rate"] == 1.0
    assert kpis["transfer_rate"] == 0.0
    assert math.isnan(kpis["transfer_completion_rate"])
    assert math.isnan(kpis["abandonment_rate"])


def test_containment_zero_offers_every_ai_call():
    sc = build(ai=ai_on(), call_types={"general": {"share": 1.0, "containment": 0.0}})
    results = run(sc)
    calls = results.calls
    assert not (calls["outcome"] == "contained").any()
    assert calls["transfer_at"].notna().all()
    assert (col(calls, "transfer_at") == col(calls, "ai_end")).all()
    kpis = results.kpis.iloc[0]
    assert kpis["offered"] == kpis["calls"] == len(calls)
    assert kpis["transfer_rate"] == 1.0


def test_containment_is_drawn_per_call_type():
    sc = build(
        inbound={"calls_per_day": 3000},
        ai=ai_on(),
        call_types={
            "billing": {"share": 0.3, "containment": 0.8},
            "quote": {"share": 0.7, "containment": 0.2},
        },
    )
    calls = calls_of(sc)
    billing = calls[calls["call_type"] == "billing"]
    quote = calls[calls["call_type"] == "quote"]
    assert within(len(billing), len(calls), 0.3)
    assert within(int((billing["outcome"] == "contained").sum()), len(billing), 0.8)
    assert within(int((quote["outcome"] == "contained").sum()), len(quote), 0.2)


def test_triggers_follow_the_call_type_mix():
    sc = build(
        inbound={"calls_per_day": 3000},
        ai=ai_on(),
        call_types={
            "billing": {
                "share": 0.5,
                "containment": 0.0,
                "triggers": {"human_request": 0.6, "coverage_mismatch": 0.4},
            },
            "quote": {"share": 0.5, "containment": 0.0, "triggers": {"qualified_interest": 1.0}},
        },
    )
    calls = calls_of(sc)
    billing = calls[calls["call_type"] == "billing"]
    assert set(billing["trigger"].astype(str)) == {"human_request", "coverage_mismatch"}
    assert within(int((billing["trigger"] == "human_request").sum()), len(billing), 0.6)
    assert (calls[calls["call_type"] == "quote"]["trigger"] == "qualified_interest").all()


# ---------------------------------------------------------------------------- routing


def test_group_that_does_not_accept_the_trigger_is_skipped():
    sc = build(
        inbound={"calls_per_day": 400},
        destinations=[
            group("Term", 50, triggers=["qualified_interest"]),
            group("Service", 50),
        ],
    )
    calls = calls_of(sc)
    qualified = calls[calls["trigger"] == "qualified_interest"]
    other = calls[calls["trigger"] != "qualified_interest"]
    assert len(qualified) > 50
    assert len(other) > 200
    assert (qualified["group"] == "Term").all()
    assert (other["group"] == "Service").all()
    assert (other["ring_overs"] == 0).all()
    assert (col(other, "wait_minutes") == 0).all()


def test_group_with_no_producers_rolls_callers_over_after_exactly_ring_seconds():
    sc = build(
        inbound={"calls_per_day": 200},
        destinations=[group("Empty", 0, ring_seconds=45), group("Backup", 50, ring_seconds=10)],
    )
    calls = calls_of(sc)
    # (callers still ringing Empty when both groups close at 18:00 are a separate case)
    ringing = calls[col(calls, "transfer_at") < hm("18:00") - 45 / 60]
    assert len(ringing) > 150
    assert (ringing["outcome"] == "connected").all()
    assert (ringing["group"] == "Backup").all()
    assert (ringing["ring_overs"] == 1).all()
    assert col(ringing, "wait_minutes") == pytest.approx(45 / 60)


def test_callers_are_not_answered_by_a_group_closing_at_the_same_instant():
    sc = build(
        inbound={"calls_per_day": 200},
        destinations=[group("Empty", 0, ring_seconds=45), group("Backup", 50, ring_seconds=10)],
    )
    calls = calls_of(sc)
    late = calls[col(calls, "transfer_at") > hm("18:00") - 45 / 60]
    assert len(late) >= 1  # seed 3 has one caller ringing Empty at 17:59:52
    assert (late["outcome"] == "no_producer").all(), late[["transfer_at", "answer_at", "group"]]


def test_the_last_group_keeps_its_callers():
    # Two single-producer groups, 30-minute handle: queues build in both; callers that rolled
    # over to the last group stay there however long they wait.
    sc = build(
        inbound={"calls_per_day": 60},
        destinations=[
            group("First", 1, ring_seconds=30, handle_minutes=fixed(30.0)),
            group("Last", 1, ring_seconds=30, handle_minutes=fixed(30.0)),
        ],
    )
    calls = calls_of(sc)
    assert calls["ring_overs"].max() == 1
    rolled = calls[calls["ring_overs"] == 1]
    assert (rolled["group"].isna() | (rolled["group"] == "Last")).all()
    connected_late = rolled[(rolled["outcome"] == "connected")]
    assert (col(connected_late, "wait_minutes") > 30).any(), "nobody waited long in Last"
    # without patience nobody hangs up; the unanswered are those still queued at close
    unanswered = calls[calls["outcome"] != "connected"]
    assert set(unanswered["outcome"].astype(str)) <= {"no_producer"}
    assert (col(unanswered, "end_at") == hm("18:00")).all()


def test_a_single_group_keeps_callers_beyond_ring_seconds_without_rolling_over():
    sc = build(
        inbound={"calls_per_day": 100},
        destinations=[group("Only", 1, ring_seconds=5, handle_minutes=fixed(10.0))],
    )
    calls = calls_of(sc)
    assert (calls["ring_overs"] == 0).all()
    assert (col(calls, "wait_minutes") > 5 / 60).sum() > 20


def test_off_shift_group_is_skipped():
    sc = build(
        inbound={"calls_per_day": 300},
        destinations=[
            group("Morning", 50, shift={"start": "08:00", "end": "12:00"}),
            group("AllDay", 50),
        ],
    )
    calls = calls_of(sc)
    minute = col(calls, "minute_of_day")
    am, pm = calls[minute < hm("12:00")], calls[minute >= hm("12:00")]
    assert (am["group"] == "Morning").all()
    assert (pm["group"] == "AllDay").all()
    assert (pm["ring_overs"] == 0).all()
    assert (col(pm, "wait_minutes") == 0).all()


def test_shift_end_moves_waiting_callers_to_another_open_group():
    # Morning (1 producer, 20-minute calls) is swamped until its shift ends at 12:00; ring-over
    # is too slow to matter, so everyone still waiting at 12:00 is moved to AllDay at 12:00.
    noon = hm("12:00")
    sc = build(
        inbound={"calls_per_day": 200},
        destinations=[
            group(
                "Morning",
                1,
                shift={"start": "08:00", "end": "12:00"},
                handle_minutes=fixed(20.0),
                ring_seconds=10**7,
            ),
            group("AllDay", 200),
        ],
    )
    calls = calls_of(sc)
    waiting_at_noon = calls[(col(calls, "transfer_at") < noon) & ~(col(calls, "answer_at") < noon)]
    assert len(waiting_at_noon) > 20
    assert (waiting_at_noon["group"] == "AllDay").all()
    assert col(waiting_at_noon, "answer_at") == pytest.approx(noon)
    assert (waiting_at_noon["outcome"] == "connected").all()


def test_shift_end_with_no_other_open_group_gives_no_producer_and_the_fallback():
    noon = hm("12:00")
    sc = build(
        inbound={"calls_per_day": 200},
        destinations=[
            group(
                "Morning", 1, shift={"start": "08:00", "end": "12:00"}, handle_minutes=fixed(20.0)
            ),
        ],
        transfer={"fallback": "callback", "callback_delay_minutes": 10},
    )
    calls = calls_of(sc)
    stranded = calls[(col(calls, "transfer_at") < noon) & ~(col(calls, "answer_at") < noon)]
    assert len(stranded) > 20
    assert (stranded["outcome"] == "no_producer").all()
    assert col(stranded, "end_at") == pytest.approx(noon)
    assert (stranded["fallback"] == "callback").all()
    after = calls[col(calls, "transfer_at") >= noon]
    assert len(after) > 50
    assert (after["outcome"] == "no_producer").all()
    assert (col(after, "wait_minutes") == 0).all()
    assert (after["fallback"] == "callback").all()
    assert after["answer_at"].isna().all()


def test_callers_roll_over_to_a_group_that_comes_on_shift_later():
    # Front (0 producers) is on shift all day; Back (plenty) starts at 10:00. A caller who
    # arrives at 09:00 has been unanswered for far longer than ring_seconds when Back opens,
    # so by the documented rule ("after ring_seconds unanswered, rolls over to the next
    # accepting group") they should be answered by Back soon after 10:00.
    sc = build(
        inbound={"calls_per_day": 100},
        destinations=[
            group("Front", 0, ring_seconds=20),
            group("Back", 10, shift={"start": "10:00", "end": "18:00"}),
        ],
    )
    calls = calls_of(sc)
    early = calls[col(calls, "transfer_at") < hm("10:00")]
    assert len(early) > 5
    # generous: answered within 5 minutes of Back opening
    assert (col(early, "answer_at") <= hm("10:05")).all(), early[
        ["transfer_at", "answer_at", "group", "ring_overs"]
    ]


# ---------------------------------------------------------------------------- shifts


def shift_scenario():
    return build(
        days=3,
        hours={"open": "07:00", "close": "21:00"},
        inbound={"calls_per_day": 400},
        ai=ai_on(rollout=0.5),
        call_types={"general": {"share": 1.0, "containment": 0.3}},
        destinations=[
            group(
                "Early",
                2,
                shift={"start": "07:00", "end": "13:00"},
                handle_minutes=fixed(25.0),
                ring_seconds=30,
            ),
            group(
                "Late",
                2,
                shift={"start": "13:00", "end": "21:00"},
                handle_minutes=fixed(25.0),
                ring_seconds=30,
            ),
            group("Mid", 1, shift={"start": "10:00", "end": "16:00"}, handle_minutes=fixed(25.0)),
        ],
        transfer={
            "fallback": "callback",
            "callback_delay_minutes": 15,
            "failure_rate": 0.1,
            "patience_minutes": {"dist": "exponential", "mean": 10},
        },
    )


def test_no_call_or_callback_is_answered_outside_its_groups_shift():
    sc = shift_scenario()
    calls = calls_of(sc)
    shifts = {"Early": ("07:00", "13:00"), "Late": ("13:00", "21:00"), "Mid": ("10:00", "16:00")}
    for name, (start, end) in shifts.items():
        answered = calls[calls["group"] == name]
        assert len(answered) > 20, name
        minute = col(answered, "answer_at") % 1440
        assert (minute >= hm(start) - EPS).all(), name
        assert (minute <= hm(end) + EPS).all(), name
        cb = calls[(calls["callback_group"] == name) & calls["callback_at"].notna()]
        minute = col(cb, "callback_at") % 1440
        assert (minute >= hm(start) - EPS).all(), name
        assert (minute <= hm(end) + EPS).all(), name


def test_producers_finish_a_call_that_runs_past_shift_end():
    sc = shift_scenario()
    calls = calls_of(sc)
    early = calls[(calls["group"] == "Early") & (calls["outcome"] == "connected")]
    end_of_shift = col(early, "day") * 1440 + hm("13:00")
    past = early[col(early, "release_at") > end_of_shift]
    assert len(past) >= 2
    # the call ran its full course: whisper (AI path only) + 25-minute handle
    whisper = np.where(past["path"] == "ai", 0.25, 0.0)
    assert col(past, "end_at") - col(past, "answer_at") == pytest.approx(25 + whisper, abs=STORED)


# ---------------------------------------------------------------------------- wrap-up and whisper


def test_wrap_up_and_whisper_times():
    sc = build(
        inbound={"calls_per_day": 400},
        ai=ai_on(rollout=0.5),
        call_types={"general": {"share": 1.0, "containment": 0.0}},
        destinations=[group("A", 50, handle_minutes=fixed(7.0), wrap_up_minutes=fixed(2.0))],
        transfer={"whisper_seconds": 30},
    )
    calls = calls_of(sc)
    late = calls[calls["outcome"] != "connected"]  # AI talk ran past closing time
    assert (late["outcome"] == "no_producer").all()
    assert (col(late, "transfer_at") >= hm("18:00")).all()
    calls = calls[calls["outcome"] == "connected"]
    assert col(calls, "release_at") - col(calls, "end_at") == pytest.approx(2.0, abs=STORED)
    ai = calls[calls["path"] == "ai"]
    human = calls[calls["path"] == "human"]
    assert len(ai) > 100
    assert len(human) > 100
    assert col(ai, "end_at") - col(ai, "answer_at") == pytest.approx(0.5 + 7.0, abs=STORED)
    assert col(ai, "ai_leave") == pytest.approx(col(ai, "answer_at") + 0.5, abs=STORED)
    assert col(human, "end_at") - col(human, "answer_at") == pytest.approx(7.0, abs=STORED)
    assert human["ai_leave"].isna().all()
    # producers are busy through whisper, talk and wrap-up
    assert col(ai, "release_at") - col(ai, "answer_at") == pytest.approx(9.5, abs=STORED)


# ---------------------------------------------------------------------------- failure and fallback


def failing(fallback: str, **transfer):
    return build(
        inbound={"calls_per_day": 300},
        ai=ai_on(rollout=0.5),
        call_types={"general": {"share": 1.0, "containment": 0.0}},
        destinations=[group("A", 5)],
        transfer={"failure_rate": 1.0, "fallback": fallback, **transfer},
    )


def test_failure_rate_one_fails_every_answered_call_and_gives_the_fallback():
    results = run(failing("callback", callback_delay_minutes=30))
    calls = results.calls
    assert (calls["fallback"] == "callback").all()
    late = calls[calls["outcome"] != "failed"]  # AI talk ran past closing time
    assert (late["outcome"] == "no_producer").all()
    assert (col(late, "transfer_at") >= hm("18:00")).all()
    kpis = results.kpis.iloc[0]
    assert kpis["transfer_completion_rate"] == 0.0
    assert kpis["connected"] == 0
    assert kpis["failed"] + kpis["no_producer"] == kpis["offered"] == len(calls)
    calls = calls[calls["outcome"] == "failed"]
    assert len(calls) > 250
    assert calls["answer_at"].notna().all()
    whisper = np.where(calls["path"] == "ai", 0.25, 0.0)
    assert col(calls, "end_at") == pytest.approx(col(calls, "answer_at") + whisper, abs=STORED)
    assert (col(calls, "release_at") == col(calls, "end_at")).all()
    assert not calls["converted_on_transfer"].any()


def test_fallback_drop_books_no_callbacks():
    calls = calls_of(failing("drop"))
    assert (calls["fallback"] == "drop").all()
    assert calls["callback_group"].isna().all()
    assert calls["callback_at"].isna().all()


def test_fallback_callback_waits_at_least_the_callback_delay():
    calls = calls_of(failing("callback", callback_delay_minutes=30))
    assert calls["callback_group"].notna().all()
    made = calls[calls["callback_at"].notna()]
    assert len(made) > 100
    assert (col(made, "callback_at") >= col(made, "end_at") + 30 - STORED).all()
    assert (col(made, "callback_end") > col(made, "callback_at")).all()


def test_voicemail_with_no_messages_books_no_callbacks():
    calls = calls_of(failing("voicemail", voicemail_message_rate=0.0))
    assert (calls["fallback"] == "voicemail").all()
    assert calls["callback_group"].isna().all()
    assert calls["callback_at"].isna().all()


def test_voicemail_messages_are_returned_after_the_voicemail_delay():
    calls = calls_of(failing("voicemail", voicemail_message_rate=0.5, voicemail_delay_minutes=90))
    booked = calls[calls["callback_group"].notna()]
    assert within(len(booked), len(calls), 0.5)
    made = booked[booked["callback_at"].notna()]
    assert len(made) > 50
    assert (col(made, "callback_at") >= col(made, "end_at") + 90 - STORED).all()


def test_callback_reach_rate_and_callback_durations():
    sc = failing(
        "callback", callback_delay_minutes=5, callback_reach_rate=0.6, callback_attempt_minutes=1.5
    )
    calls = calls_of(sc)
    made = calls[calls["callback_at"].notna()]
    reached = made[made["callback_reached"]]
    missed = made[~made["callback_reached"]]
    assert within(len(reached), len(made), 0.6)
    # reached: handle (5) + wrap-up (0); not reached: the attempt time
    reached_minutes = col(reached, "callback_end") - col(reached, "callback_at")
    assert reached_minutes == pytest.approx(5.0, abs=STORED)
    missed_minutes = col(missed, "callback_end") - col(missed, "callback_at")
    assert missed_minutes == pytest.approx(1.5, abs=STORED)


def test_callbacks_are_taken_only_when_no_live_caller_waits():
    # One group, callers never hang up, so every waiting caller is answered by that group and
    # "waiting at t" means transfer_at < t < answer_at.
    sc = build(
        inbound={"calls_per_day": 160},
        destinations=[group("A", 2, handle_minutes=fixed(9.0))],
        transfer={
            "failure_rate": 0.3,
            "fallback": "callback",
            "callback_delay_minutes": 5,
            "callback_reach_rate": 1.0,
        },
    )
    calls = calls_of(sc)
    cb_at = col(calls, "callback_at")
    cb_at = cb_at[~np.isnan(cb_at)]
    assert len(cb_at) > 10
    transfer = col(calls, "transfer_at")
    answer = col(calls, "answer_at")
    assert (col(calls, "wait_minutes") > 1).sum() > 20, "no queue formed"
    for t in cb_at:
        waiting = (transfer < t - EPS) & ~(answer <= t + EPS)
        assert not waiting.any(), f"callback at {t} while a live caller waited"


# ---------------------------------------------------------------------------- patience


@pytest.mark.parametrize("two_groups", [False, True], ids=["one-group", "with-roll-over"])
def test_fixed_patience_of_one_minute(two_groups):
    destinations = [group("A", 2, handle_minutes=fixed(8.0), ring_seconds=20)]
    if two_groups:
        destinations.append(group("B", 1, handle_minutes=fixed(8.0)))
    sc = build(
        inbound={"calls_per_day": 300},
        destinations=destinations,
        transfer={"patience_minutes": fixed(1.0)},
    )
    calls = calls_of(sc)
    abandoned = calls[calls["outcome"] == "abandoned"]
    answered = calls[calls["answer_at"].notna()]
    assert len(abandoned) > 50
    assert col(abandoned, "wait_minutes") == pytest.approx(1.0)
    assert (col(answered, "wait_minutes") <= 1.0 + EPS).all()
    if two_groups:
        assert (abandoned["ring_overs"] == 1).any()


# ---------------------------------------------------------------------------- money


def test_ai_minutes_and_cost_with_fixed_talk_and_full_containment():
    sc = build(
        inbound={"calls_per_day": 250},
        ai=ai_on(talk_minutes=fixed(4.0), cost_per_minute=0.25),
        call_types={"general": {"share": 1.0, "containment": 1.0}},
    )
    results = run(sc)
    calls, kpis = results.calls, results.kpis.iloc[0]
    n = len(calls)
    assert col(calls, "ai_minutes") == pytest.approx(4.0)
    assert col(calls, "ai_cost") == pytest.approx(1.0)
    assert kpis["ai_minutes"] == pytest.approx(4.0 * n)
    assert kpis["ai_cost"] == pytest.approx(4.0 * n * 0.25)
    assert kpis["human_intake_cost"] == 0
    assert kpis["ai_handled"] == n


def test_ai_is_billed_for_talk_hold_and_whisper():
    # containment 0, a free producer always: AI minutes = talk + whisper. With a 1-producer
    # group the hold while ringing is billed too: ai_leave − ai_start = talk + wait + whisper.
    sc = build(
        inbound={"calls_per_day": 150},
        ai=ai_on(talk_minutes=fixed(4.0), cost_per_minute=0.5),
        call_types={"general": {"share": 1.0, "containment": 0.0}},
        destinations=[group("A", 1, handle_minutes=fixed(6.0))],
        transfer={"whisper_seconds": 30},
    )
    calls = calls_of(sc)
    connected = calls[calls["outcome"] == "connected"]
    assert (col(connected, "wait_minutes") > 0).sum() > 20
    expected = 4.0 + col(connected, "wait_minutes") + 0.5
    assert col(connected, "ai_minutes") == pytest.approx(expected)
    assert col(connected, "ai_cost") == pytest.approx(expected * 0.5)


def test_all_human_costs_by_hand():
    sc = build(
        days=2,
        hours={"open": "08:00", "close": "18:00"},
        inbound={"calls_per_day": 120},
        destinations=[group("A", 3, shift={"start": "08:00", "end": "17:00"})],
        costs={"human_cost_per_call": 12.0, "producer_hourly": 40.0, "revenue_per_policy": 500},
    )
    results = run(sc)
    calls, kpis = results.calls, results.kpis.iloc[0]
    conversations = calls[calls["outcome"].isin(CONVERSATIONS)]
    n = len(conversations)
    assert n == kpis["calls"]
    assert (calls["path"] == "human").all()
    assert col(conversations, "human_intake_cost") == pytest.approx(12.0)
    assert kpis["human_intake_calls"] == n
    assert kpis["human_intake_cost"] == pytest.approx(12.0 * n)
    assert kpis["producer_hours"] == pytest.approx(3 * 9 * 2)
    assert kpis["producer_cost"] == pytest.approx(3 * 9 * 2 * 40.0)
    assert kpis["ai_cost"] == 0
    assert kpis["ai_minutes"] == 0
    assert kpis["human_cost"] == pytest.approx(12.0 * n + 2160.0)
    assert kpis["total_cost"] == pytest.approx(kpis["ai_cost"] + kpis["human_cost"])
    assert kpis["cost_per_call"] == pytest.approx(kpis["total_cost"] / n)
    sold = int(calls["converted"].sum())
    assert sold > 0
    assert kpis["policies_sold"] == sold
    assert kpis["cost_per_acquisition"] == pytest.approx(kpis["total_cost"] / sold)
    assert kpis["revenue"] == pytest.approx(500 * sold)
    assert kpis["net_value"] == pytest.approx(500 * sold - kpis["total_cost"])


def test_mixed_costs_add_up():
    sc = build(
        inbound={"calls_per_day": 200},
        ai=ai_on(rollout=0.5, talk_minutes=fixed(3.0), cost_per_minute=0.2),
        call_types={"general": {"share": 1.0, "containment": 0.5}},
        destinations=[group("A", 4, shift={"start": "09:00", "end": "17:30"})],
        costs={"human_cost_per_call": 8.0, "producer_hourly": 30.0},
    )
    results = run(sc)
    calls, kpis = results.calls, results.kpis.iloc[0]
    human_calls = int(((calls["path"] == "human") & calls["outcome"].isin(CONVERSATIONS)).sum())
    assert kpis["human_intake_cost"] == pytest.approx(8.0 * human_calls)
    assert kpis["ai_cost"] == pytest.approx(0.2 * col(calls, "ai_minutes").sum())
    assert kpis["producer_cost"] == pytest.approx(4 * 8.5 * 30.0)
    assert kpis["total_cost"] == pytest.approx(kpis["ai_cost"] + 8.0 * human_calls + 4 * 8.5 * 30.0)


def test_zero_sales_give_nan_cost_per_acquisition():
    sc = build(outcomes={"conversion_warm": 0.0, "conversion_cold": 0.0, "routine_conversion": 0.0})
    kpis = run(sc).kpis.iloc[0]
    assert kpis["policies_sold"] == 0
    assert math.isnan(kpis["cost_per_acquisition"])


# ---------------------------------------------------------------------------- outcomes


def outcome_scenario(rollout=1.0, **outcomes):
    return build(
        inbound={"calls_per_day": 6000},
        ai=ai_on(rollout=rollout),
        call_types={"general": {"share": 1.0, "containment": 0.0}},
        destinations=[group("A", 500)],
        intake={"capture_rate": outcomes.pop("capture_rate", 1.0)},
        outcomes={"conversion_warm": 0.4, "conversion_cold": 0.1, **outcomes},
    )


def conversion(calls: pd.DataFrame) -> tuple[int, int]:
    connected = calls[calls["outcome"] == "connected"]
    return int(connected["converted_on_transfer"].sum()), len(connected)


def test_warm_conversion_with_full_capture_and_no_repeat_explain():
    calls = calls_of(outcome_scenario(repeat_explain_rate=0.0))
    assert (calls["fields_missing"] == 0).all()
    assert not calls["repeat_explain"].any()
    assert within(*conversion(calls), 0.4)


def test_repeat_explain_always_means_cold_conversion():
    calls = calls_of(outcome_scenario(repeat_explain_rate=1.0))
    connected = calls[calls["outcome"] == "connected"]
    assert connected["repeat_explain"].all()
    assert within(*conversion(calls), 0.1)


def test_nothing_captured_costs_the_missing_field_penalty_per_field():
    calls = calls_of(
        outcome_scenario(repeat_explain_rate=0.0, capture_rate=0.0, missing_field_penalty=0.1)
    )
    assert (calls["fields_missing"] == 5).all()
    assert not calls.filter(like="captured_").to_numpy().any()
    assert within(*conversion(calls), 0.4 * (1 - 0.1 * 5))


def test_full_capture_marks_every_field_captured():
    calls = calls_of(outcome_scenario(repeat_explain_rate=0.0))
    captured = calls.filter(like="captured_")
    assert list(captured.columns) == [
        "captured_caller_name",
        "captured_contact_number",
        "captured_urgency",
        "captured_referral_source",
        "captured_preferred_next_action",
    ]
    assert captured.to_numpy().all()


def test_partial_capture_rate_per_field():
    calls = calls_of(outcome_scenario(repeat_explain_rate=0.0, capture_rate=0.7))
    captured = calls.filter(like="captured_").to_numpy()
    assert within(int(captured.sum()), captured.size, 0.7)
    assert (calls["fields_missing"] == 5 - captured.sum(axis=1)).all()


def test_per_trigger_outcome_overrides_apply():
    calls = calls_of(
        outcome_scenario(
            repeat_explain_rate=0.0,
            first_call_resolution=0.5,
            by_trigger={
                "human_request": {"conversion_warm": 0.05, "first_call_resolution": 0.9},
                "complex_pricing": {"conversion_warm": 0.8},
            },
        )
    )
    for trigger, p_conv, p_fcr in [
        ("human_request", 0.05, 0.9),
        ("complex_pricing", 0.8, 0.5),
        ("qualified_interest", 0.4, 0.5),
    ]:
        part = calls[calls["trigger"] == trigger]
        assert within(*conversion(part), p_conv), trigger
        connected = part[part["outcome"] == "connected"]
        assert within(int(connected["first_call_resolution"].sum()), len(connected), p_fcr)


def test_human_path_uses_cold_conversion():
    calls = calls_of(outcome_scenario(rollout=0.0, repeat_explain_rate=0.0))
    assert (calls["path"] == "human").all()
    assert (calls["fields_missing"] == 0).all()
    assert not calls["repeat_explain"].any()
    assert within(*conversion(calls), 0.1)


def test_group_repeat_explain_override():
    sc = build(
        inbound={"calls_per_day": 4000},
        ai=ai_on(),
        call_types={"general": {"share": 1.0, "containment": 0.0}},
        destinations=[
            group("Coached", 300, triggers=["qualified_interest"], repeat_explain_rate=0.0),
            group("Rest", 300),
        ],
        outcomes={"repeat_explain_rate": 0.5},
    )
    results = run(sc)
    calls = results.calls
    coached = calls[calls["group"] == "Coached"]
    rest = calls[calls["group"] == "Rest"]
    assert len(coached) > 500
    assert not coached["repeat_explain"].any()
    assert within(int(rest["repeat_explain"].sum()), len(rest), 0.5)
    kpis = results.kpis.iloc[0]
    assert kpis["repeat_explain_rate"] == pytest.approx(
        calls["repeat_explain"].sum() / (calls["outcome"] == "connected").sum()
    )


def test_callback_sales_count_with_cold_conversion():
    sc = build(
        inbound={"calls_per_day": 2000},
        call_types={"general": {"share": 1.0, "containment": 0.0}},  # no routine calls
        destinations=[group("A", 100)],
        transfer={
            "failure_rate": 1.0,
            "fallback": "callback",
            "callback_delay_minutes": 1,
            "callback_reach_rate": 1.0,
        },
        outcomes={"conversion_cold": 0.3},
    )
    results = run(sc)
    calls = results.calls
    reached = calls[calls["callback_reached"]]
    assert len(reached) > 1000
    assert not calls["converted_on_transfer"].any()
    assert within(int(reached["converted"].sum()), len(reached), 0.3)
    assert results.kpis.iloc[0]["policies_sold"] == calls["converted"].sum()


def test_routine_calls_on_the_human_path_convert_only_by_cross_sell():
    # AI off: a call whose need the AI would have resolved (its containment draw) is routine,
    # and a producer handling it sells with routine_conversion instead of conversion_cold.
    sc = build(
        inbound={"calls_per_day": 6000},
        call_types={"general": {"share": 1.0, "containment": 0.5}},
        destinations=[group("A", 500)],
        outcomes={"conversion_cold": 0.4, "routine_conversion": 0.05},
    )
    calls = calls_of(sc)
    assert within(int(calls["routine"].sum()), len(calls), 0.5)
    assert within(*conversion(calls[calls["routine"]]), 0.05)
    assert within(*conversion(calls[~calls["routine"]]), 0.4)


def test_routine_means_contained_on_the_ai_path():
    sc = build(
        inbound={"calls_per_day": 1000},
        ai=ai_on(rollout=0.5),
        call_types={"general": {"share": 1.0, "containment": 0.6}},
    )
    calls = calls_of(sc)
    ai = calls[calls["path"] == "ai"]
    assert ((ai["outcome"] == "contained") == ai["routine"]).all()
    human = calls[calls["path"] == "human"]
    assert within(int(human["routine"].sum()), len(human), 0.6)


# ---------------------------------------------------------------------------- rollout


def test_rollout_share_of_ai_path_calls():
    sc = build(inbound={"calls_per_day": 3000}, ai=ai_on(rollout=0.15))
    calls = calls_of(sc)
    assert within(int((calls["path"] == "ai").sum()), len(calls), 0.15)
    assert not calls["ai_overflow"].any()


def test_ai_disabled_means_no_ai_path():
    sc = build(inbound={"calls_per_day": 500}, ai=ai_on(enabled=False, rollout=1.0))
    results = run(sc)
    calls = results.calls
    assert (calls["path"] == "human").all()
    assert calls["ai_start"].isna().all()
    assert (col(calls, "ai_minutes") == 0).all()
    assert results.kpis.iloc[0]["ai_handled"] == 0
    assert math.isnan(results.kpis.iloc[0]["ai_containment_rate"])


# ---------------------------------------------------------------------------- warm-up and KPIs


def busy_scenario(**extra):
    return build(
        days=2,
        inbound={"calls_per_day": 300, "profile": "business_day"},
        ai=ai_on(rollout=0.7, lines=8, talk_minutes={"dist": "exponential", "mean": 3}),
        call_types={
            "billing": {"share": 0.4, "containment": 0.6},
            "quote": {"share": 0.6, "containment": 0.2},
        },
        destinations=[
            group(
                "Term",
                2,
                triggers=["qualified_interest", "complex_pricing"],
                handle_minutes={"dist": "exponential", "mean": 10},
                ring_seconds=20,
            ),
            group(
                "Service",
                2,
                handle_minutes={"dist": "exponential", "mean": 8},
                wrap_up_minutes=fixed(1.0),
                shift={"start": "09:00", "end": "17:00"},
            ),
        ],
        transfer={
            "patience_minutes": {"dist": "exponential", "mean": 3},
            "failure_rate": 0.05,
            "fallback": "callback",
        },
        **extra,
    )


def hand_kpis(calls: pd.DataFrame, sl_minutes: float) -> dict[str, float]:
    outcome = calls["outcome"].astype(str)
    conv = outcome.isin(CONVERSATIONS)
    offered = calls[calls["transfer_at"].notna()]
    wait = col(offered, "wait_minutes")
    answered = offered["answer_at"].notna().to_numpy()
    connected = calls[outcome == "connected"]
    n_off = len(offered)
    return {
        "calls": int(conv.sum()),
        "offered": n_off,
        "containment_rate": (outcome == "contained").sum() / conv.sum(),
        "transfer_completion_rate": len(connected) / n_off,
        "abandonment_rate": (offered["outcome"] == "abandoned").sum() / n_off,
        "p_wait": (wait > 0).sum() / n_off,
        "mean_wait_minutes": wait.mean(),
        "service_level": (answered & (wait <= sl_minutes + EPS)).sum() / n_off,
        "post_transfer_conversion_rate": connected["converted_on_transfer"].mean(),
        "first_call_resolution_rate": connected["first_call_resolution"].mean(),
    }


def test_kpis_equal_hand_computation_from_the_call_table():
    sc = busy_scenario(service_level_seconds=30)
    results = run(sc)
    kpis = results.kpis.iloc[0]
    want = hand_kpis(results.calls, 0.5)
    assert want["abandonment_rate"] > 0.05
    assert want["p_wait"] > 0.1
    for name, value in want.items():
        assert kpis[name] == pytest.approx(value), name


def test_kpi_identities():
    results = simulate(busy_scenario(), replications=3, seed=8)
    k = results.kpis
    assert (k["containment_rate"] + k["transfer_rate"]).to_numpy() == pytest.approx(1.0)
    assert (k["offered"] == k["connected"] + k["abandoned"] + k["failed"] + k["no_producer"]).all()
    assert (k["calls"] == k["inbound_calls"] + k["outbound_calls"]).all()
    assert (k["answered"] == k["connected"] + k["failed"]).all()
    assert (k["abandoned"] > 0).all()
    assert (k["failed"] > 0).all()


def test_warmup_excludes_early_arrivals_from_kpis():
    warm = 1440 + hm("12:00")
    sc = busy_scenario(warmup_minutes=warm)
    results = run(sc)
    calls, kpis = results.calls, results.kpis.iloc[0]
    counted = calls[col(calls, "arrival") >= warm]
    assert len(counted) < len(calls) / 3
    want = hand_kpis(counted, 20 / 60)
    for name, value in want.items():
        assert kpis[name] == pytest.approx(value), name
    # rostered producer time after the warm-up only: Term 2 × 6 h, Service 2 × 5 h
    assert kpis["producer_hours"] == pytest.approx(2 * 6 + 2 * 5)


def test_every_call_has_exactly_one_known_outcome():
    calls = calls_of(busy_scenario())
    assert calls["outcome"].notna().all()
    assert set(calls["outcome"].astype(str)) <= set(OUTCOMES)
