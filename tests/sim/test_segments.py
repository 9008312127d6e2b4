"""Caller segments (priority classes) in the engine, checked against independent truth.

- **Theory.** The full model configured as an M/M/c queue with non-preemptive priority
  classes, equal service rates and no abandonment: each class's mean wait is Cobham's formula
  W_k = C(c, a) / (c·mu) / ((1 - s_{k-1})(1 - s_k)), with s_k the load share of the classes of
  priority k and above, and every class waits with the Erlang C probability C(c, a).
- **A peer library.** The same two-class queue with a different patience per class (M/M/c+M
  with priorities, no closed form) run in Ciw: per class, abandonment and mean wait agree
  within the replications' confidence bounds (skipped where Ciw is not installed).
- **By hand.** One segment of share 1 is the model without segments, number for number; a
  segment's own patience transforms only its own callers' patience draws; shares are
  binomial; no lower-priority caller is answered while a higher-priority one waits, one
  priority is served in order, shift ends move the highest priority first, and callbacks wait
  behind every live caller.

Statistical checks use 99% Student-t intervals over seeded replications, or binomial bands of
4.5 standard errors: deterministic, and far from flaky.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim import simulate, theory
from sim.engine.draws import draw_callers
from sim.kpis import counted_calls, group_kpis
from tests.sim.conftest import queue_scenario
from tests.sim.scenario_builders import build, fixed, group, hm, within

EPS = 1e-9


def segment(name: str, share: float, priority: int = 0, **extra: Any) -> dict[str, Any]:
    return {"name": name, "share": share, "priority": priority, **extra}


def col(df: pd.DataFrame, name: str) -> np.ndarray:
    return df[name].to_numpy(dtype=float)


def cobham_waits(lam: float, mu: float, c: int, classes: list[tuple[float, int]]) -> list[float]:
    """Mean wait of each class (share, priority) of a non-preemptive M/M/c priority queue with
    equal service rates (Cobham 1954): classes of one priority share one first-come,
    first-served line."""
    load = lam / mu
    w0 = theory.erlang_c(c, load) / (c * mu)
    waits = []
    for _, priority in classes:
        above = sum(s for s, p in classes if p > priority) * load / c
        upto = sum(s for s, p in classes if p >= priority) * load / c
        waits.append(w0 / ((1 - above) * (1 - upto)))
    return waits


def per_replication(results, name: str, kpi: str, keep=None) -> np.ndarray:
    """One segment's ``kpi`` in each replication, by the one KPI definition (``group_kpis``) over
    the counted calls (and ``keep`` of them, if given)."""
    calls = counted_calls(results.calls, results.scenario)
    if keep is not None:
        calls = calls[keep(calls)]
    calls = calls[calls["segment"] == name]
    return np.array(
        [group_kpis(part, results.scenario)[kpi] for _, part in calls.groupby("replication")]
    )


def t_interval(values: np.ndarray, level: float = 0.99) -> tuple[float, float]:
    half = stats.t.ppf(0.5 + level / 2, len(values) - 1) * values.std(ddof=1)
    half /= math.sqrt(len(values))
    return values.mean() - half, values.mean() + half


# ---------------------------------------------------------------------------- theory


@pytest.mark.slow
def test_priority_classes_wait_as_cobham_says():
    lam, aht, c = 100 / 30, 3.0, 12  # a = 10, rho = 0.83
    classes = [("gold", 0.2, 9), ("silver", 0.3, 5), ("standard", 0.3, 0), ("new", 0.2, 0)]
    sc = queue_scenario(lam, aht, c, days=2, segments=[segment(n, s, p) for n, s, p in classes])
    results = simulate(sc, replications=10, seed=21)
    want = cobham_waits(lam, 1 / aht, c, [(s, p) for _, s, p in classes])
    p_wait = theory.erlang_c(c, lam * aht)
    misses = []
    for (name, _, _), wait in zip(classes, want, strict=True):
        for kpi, value in (("mean_wait_minutes", wait), ("p_wait", p_wait)):
            low, high = t_interval(per_replication(results, name, kpi))
            if not low <= value <= high:
                misses.append(f"{name} {kpi}: theory {value:.4f} outside [{low:.4f}, {high:.4f}]")
    assert not misses, "\n".join(misses)
    # the classes really are apart: gold waits a ninth of what standard waits
    assert want[0] < want[2] / 8
    # and one priority is one line: standard and new wait alike
    both = [per_replication(results, n, "mean_wait_minutes").mean() for n in ("standard", "new")]
    assert both[0] == pytest.approx(both[1], rel=0.1)
    # nobody hangs up without patience
    assert (results.kpis["abandonment_rate"] == 0).all()


# ---------------------------------------------------------------------------- peer library


def ciw_priority_queue(ciw, lam, aht, c, classes, minutes, seed):
    """The two-class M/M/c+M priority queue in Ciw: (class, arrival, wait, reneged) records."""
    ranks = sorted({p for _, _, p, _ in classes}, reverse=True)
    network = ciw.create_network(
        arrival_distributions={n: [ciw.dists.Exponential(s * lam)] for n, s, _, _ in classes},
        service_distributions={n: [ciw.dists.Exponential(1 / aht)] for n, _, _, _ in classes},
        number_of_servers=[c],
        # Ciw numbers its priorities 0, 1, ... and serves 0 first; ours the highest first
        priority_classes={n: ranks.index(p) for n, _, p, _ in classes},
        reneging_time_distributions={
            n: [ciw.dists.Exponential(1 / patience)] for n, _, _, patience in classes
        },
    )
    ciw.seed(seed)
    run = ciw.Simulation(network)
    run.simulate_until_max_time(minutes)
    return pd.DataFrame(
        [
            (r.customer_class, r.arrival_date, r.waiting_time, r.record_type == "renege")
            for r in run.get_all_records()
        ],
        columns=["segment", "arrival", "wait", "abandoned"],
    )


@pytest.mark.slow
def test_priority_with_own_patience_agrees_with_ciw():
    ciw = pytest.importorskip("ciw")
    lam, aht, c = 100 / 30, 3.0, 10  # rho = 1: queues form, patience matters
    classes = [("priority", 0.4, 5, 1.0), ("standard", 0.6, 0, 6.0)]
    warmup, day = 60.0, 1440.0
    settled = day - 60.0  # arrivals after this may still be waiting when a run ends
    segments = [
        segment(n, s, p, patience_minutes={"dist": "exponential", "mean": m})
        for n, s, p, m in classes
    ]
    sc = queue_scenario(lam, aht, c, warmup_minutes=warmup, segments=segments)
    reps = 8
    ours = simulate(sc, replications=reps, seed=31)
    theirs = [ciw_priority_queue(ciw, lam, aht, c, classes, day, 100 + r) for r in range(reps)]

    def keep(calls):
        return col(calls, "arrival") < settled

    misses = []
    for name, *_ in classes:
        for kpi, column in (("abandonment_rate", "abandoned"), ("mean_wait_minutes", "wait")):
            a = per_replication(ours, name, kpi, keep)
            b = np.array(
                [
                    t.loc[(t["segment"] == name) & t["arrival"].between(warmup, settled), column]
                    .astype(float)
                    .mean()
                    for t in theirs
                ]
            )
            se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
            bound = stats.t.ppf(0.995, len(a) + len(b) - 2) * se
            if abs(a.mean() - b.mean()) > bound:
                misses.append(
                    f"{name} {kpi}: ours {a.mean():.4f}, Ciw {b.mean():.4f} ± {bound:.4f}"
                )
    assert not misses, "\n".join(misses)
    # the impatient priority class abandons, though it waits far less
    by = ours.by_segment().set_index("segment")
    assert by.loc["priority", "mean_wait_minutes"] < by.loc["standard", "mean_wait_minutes"] / 3


# ---------------------------------------------------------------------------- by hand


def test_one_segment_of_share_one_is_the_model_without_segments():
    sections: dict[str, Any] = {
        "days": 2,
        "inbound": {"calls_per_day": 300},
        "ai": {"enabled": True, "lines": 3, "talk_minutes": fixed(4.0), "rollout": 0.7},
        "call_types": {"general": {"share": 1.0, "containment": 0.3}},
        "destinations": [
            group("A", 2, ring_seconds=30, handle_minutes={"dist": "exponential", "mean": 6}),
            group("B", 1, shift={"start": "10:00", "end": "15:00"}),
        ],
        "transfer": {
            "patience_minutes": {"dist": "exponential", "mean": 4},
            "failure_rate": 0.1,
            "fallback": "callback",
        },
    }
    base = build(**sections)
    one = build(**sections, segments=[segment("everyone", 1.0, 7)])
    plain, segmented = simulate(base, 2, seed=4), simulate(one, 2, seed=4)
    pd.testing.assert_frame_equal(plain.kpis, segmented.kpis)
    pd.testing.assert_frame_equal(
        plain.calls.drop(columns="segment"), segmented.calls.drop(columns="segment")
    )
    offered = segmented.calls["transfer_at"].notna()
    assert offered.sum() > 300
    assert (~offered).sum() > 50
    assert (segmented.calls.loc[offered, "segment"] == "everyone").all()
    assert segmented.calls.loc[~offered, "segment"].isna().all()
    assert plain.calls["segment"].isna().all()
    assert plain.by_segment().empty
    assert list(plain.by_segment().columns) == list(segmented.by_segment().columns)


def test_a_segments_own_patience_transforms_only_its_own_callers_draws():
    def scenario(own: dict | None):
        return queue_scenario(
            1.0,
            3.0,
            3,
            patience_minutes=4.0,
            segments=[
                segment("priority", 0.3, 9, patience_minutes=own),
                segment("standard", 0.7, 0),
            ],
        )

    seed = np.random.SeedSequence(5)
    inherited = draw_callers(scenario(None), seed)
    own = draw_callers(scenario(fixed(1.5)), seed)
    np.testing.assert_array_equal(inherited.segment, own.segment)
    mine = own.segment == 0
    assert 0.2 < mine.mean() < 0.4
    assert (own.patience[mine] == 1.5).all()
    np.testing.assert_array_equal(own.patience[~mine], inherited.patience[~mine])
    # the inherited patience is the transfer's, on the same uniforms as without segments
    plain = draw_callers(queue_scenario(1.0, 3.0, 3, patience_minutes=4.0), seed)
    np.testing.assert_array_equal(inherited.patience, plain.patience)
    # and every stream but the segments' is untouched by adding segments
    np.testing.assert_array_equal(inherited.arrival, plain.arrival)
    np.testing.assert_array_equal(inherited.handle[0], plain.handle[0])
    assert (plain.segment == -1).all()


def test_only_the_segment_with_patience_abandons():
    sc = build(
        inbound={"calls_per_day": 300},
        destinations=[group("A", 2, handle_minutes=fixed(8.0))],
        segments=[
            segment("hurried", 0.5, 0, patience_minutes=fixed(1.0)),
            segment("patient", 0.5, 0),
        ],
    )
    calls = simulate(sc, 1, seed=3).calls
    hurried, patient = calls[calls["segment"] == "hurried"], calls[calls["segment"] == "patient"]
    gone = hurried[hurried["outcome"] == "abandoned"]
    assert len(gone) > 30
    assert col(gone, "wait_minutes") == pytest.approx(1.0)
    assert (col(hurried, "wait_minutes") <= 1.0 + EPS).all()
    assert (patient["outcome"] != "abandoned").all()
    assert (col(patient, "wait_minutes") > 1.0).sum() > 30


def test_shares_are_respected_among_the_calls_that_reach_a_producer():
    shares = {"renewal": 0.25, "claim": 0.0, "new_business": 0.75}
    sc = build(
        days=3,
        inbound={"calls_per_day": 800},
        ai={"enabled": True, "lines": 500, "talk_minutes": fixed(4.0)},
        call_types={"general": {"share": 1.0, "containment": 0.4}},
        segments=[segment(n, s, k) for k, (n, s) in enumerate(shares.items())],
    )
    results = simulate(sc, 1, seed=8)
    calls = results.calls
    offered = calls[calls["transfer_at"].notna()]
    assert len(offered) > 1000
    counts = offered["segment"].value_counts()
    assert counts["claim"] == 0
    assert within(int(counts["renewal"]), len(offered), 0.25)
    contained = calls[calls["outcome"] == "contained"]
    assert len(contained) > 500
    assert contained["segment"].isna().all()
    # the breakdown: the scenario's order, every offered call once, the rates by hand
    table = results.by_segment()
    assert list(table["segment"]) == ["renewal", "new_business"]  # no offered claim call
    counted = counted_calls(calls, sc)
    counted = counted[counted["transfer_at"].notna()]
    for row in table.itertuples():
        part = counted[counted["segment"] == row.segment]
        assert row.offered == len(part)
        assert row.transfer_completion_rate == (part["outcome"] == "connected").mean()
        assert row.mean_wait_minutes == pytest.approx(col(part, "wait_minutes").mean())
    assert table["offered"].sum() == results.kpis["offered"].sum()


def waiting_at(calls: pd.DataFrame, t: float, since: Any = -math.inf) -> pd.Series:
    """Callers who asked for a producer before ``t`` (and were in the queue looked at from
    ``since``, one moment or one per caller) and were still unanswered and not gone at ``t``
    (no patience here: everyone is answered or stranded at close)."""
    asked = np.maximum(col(calls, "transfer_at"), since)
    answered = col(calls, "answer_at")
    ended = col(calls, "end_at")
    return pd.Series((asked < t - EPS) & ~(answered <= t + EPS) & (ended > t + EPS), calls.index)


def test_no_lower_priority_caller_is_answered_while_a_higher_one_waits():
    sc = build(
        inbound={"calls_per_day": 140},
        destinations=[group("A", 2, handle_minutes={"dist": "exponential", "mean": 9.0})],
        segments=[segment("vip", 0.3, 8), segment("standard", 0.7, 1)],
    )
    calls = simulate(sc, 1, seed=6).calls
    vip = calls[calls["segment"] == "vip"]
    standard = calls[calls["segment"] == "standard"]
    assert (col(standard, "wait_minutes") > 10).sum() > 10, "no queue formed"
    assert (col(vip, "wait_minutes") > 0).sum() > 5, "vip never waited (non-preemptive)"
    for t in col(standard, "answer_at"):
        if not math.isnan(t):
            assert not waiting_at(vip, t).any(), f"standard answered at {t} while a vip waited"
    # within one priority, first come first served; a call in service is never cut short
    for part in (vip, standard):
        answered = part[part["answer_at"].notna()].sort_values("transfer_at")
        assert np.all(np.diff(col(answered, "answer_at")) >= 0)
    connected = calls[calls["outcome"] == "connected"]
    assert (col(connected, "release_at") >= col(connected, "answer_at") - EPS).all()


def test_shift_end_moves_the_highest_priority_first_and_keeps_each_in_order():
    # Morning (1 producer, 20-minute calls, no ring-over in time) is swamped until noon; its
    # waiting callers move to AllDay at noon, where a queue persists for hours.
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
            group("AllDay", 3, handle_minutes=fixed(6.0)),
        ],
        segments=[segment("priority", 0.3, 9), segment("standard", 0.7, 0)],
    )
    calls = simulate(sc, 1, seed=2).calls
    moved = calls[(col(calls, "transfer_at") < noon) & ~(col(calls, "answer_at") < noon)]
    assert len(moved) > 30
    assert (moved["group"].isna() | (moved["group"] == "AllDay")).all()
    at_noon = moved[np.isclose(col(moved, "answer_at"), noon)]
    assert len(at_noon) == 3
    assert (at_noon["segment"] == "priority").all()
    allday = calls[calls["group"] == "AllDay"]
    priority = calls[calls["segment"] == "priority"]
    for t in col(allday[allday["segment"] == "standard"], "answer_at"):
        assert not waiting_at(priority, t, since=noon).any(), t
    for name in ("priority", "standard"):
        part = allday[allday["segment"] == name].sort_values("transfer_at")
        assert np.all(np.diff(col(part, "answer_at")) >= 0), name


def test_callers_moving_to_a_group_coming_on_shift_go_by_priority():
    # Front (nobody) is on shift all day; Back (2 producers) from 10:00: callers ringing Front
    # since the morning roll over at 10:00, the highest priority first.
    ten, ring = hm("10:00"), 20 / 60
    sc = build(
        inbound={"calls_per_day": 100},
        destinations=[
            group("Front", 0, ring_seconds=20),
            group("Back", 2, shift={"start": "10:00", "end": "18:00"}, handle_minutes=fixed(10.0)),
        ],
        segments=[segment("priority", 0.3, 9), segment("standard", 0.7, 0)],
    )
    calls = simulate(sc, 1, seed=4).calls
    early = calls[col(calls, "transfer_at") < ten]
    assert (early["segment"] == "priority").sum() > 2
    assert (early["segment"] == "standard").any()
    at_ten = early[np.isclose(col(early, "answer_at"), ten)]
    assert len(at_ten) == 2
    assert (at_ten["segment"] == "priority").all()
    priority = calls[calls["segment"] == "priority"]
    in_back = np.maximum(col(priority, "transfer_at") + ring, ten)  # when each rang Back
    for t in col(calls[calls["segment"] == "standard"], "answer_at"):
        assert not waiting_at(priority, t, since=in_back).any(), t
    # each priority in the order it has been waiting
    for name in ("priority", "standard"):
        part = early[early["segment"] == name].sort_values("transfer_at")
        assert np.all(np.diff(col(part, "answer_at")) >= 0), name


def test_callers_of_every_segment_roll_over_after_exactly_ring_seconds():
    sc = build(
        inbound={"calls_per_day": 200},
        destinations=[group("Empty", 0, ring_seconds=45), group("Backup", 50, ring_seconds=10)],
        segments=[segment("priority", 0.5, 3), segment("standard", 0.5, 0)],
    )
    calls = simulate(sc, 1, seed=3).calls
    ringing = calls[col(calls, "transfer_at") < hm("18:00") - 45 / 60]
    assert set(ringing["segment"]) == {"priority", "standard"}
    assert (ringing["group"] == "Backup").all()
    assert (ringing["ring_overs"] == 1).all()
    assert col(ringing, "wait_minutes") == pytest.approx(45 / 60)


def test_callbacks_wait_behind_every_live_caller_and_go_by_priority():
    delay = 5.0
    sc = build(
        inbound={"calls_per_day": 160},
        destinations=[group("A", 2, handle_minutes=fixed(9.0))],
        transfer={
            "failure_rate": 0.3,
            "fallback": "callback",
            "callback_delay_minutes": delay,
            "callback_reach_rate": 1.0,
        },
        segments=[segment("priority", 0.4, 9), segment("standard", 0.6, 0)],
    )
    calls = simulate(sc, 1, seed=3).calls
    made = calls[calls["callback_at"].notna()]
    assert len(made) > 10
    assert set(made["segment"]) == {"priority", "standard"}
    due = col(calls, "end_at") + delay  # a callback is due its delay after the miss
    booked = calls["callback_group"].notna().to_numpy()
    callback_at = col(calls, "callback_at")
    priority = (calls["segment"] == "priority").to_numpy()
    for row in made.itertuples():
        t = float(row.callback_at)
        assert not waiting_at(calls, t).any(), f"callback at {t} while a live caller waited"
        if row.segment == "standard":  # no priority callback was due and still unreturned
            pending = booked & priority & (due < t - 1e-3) & ~(callback_at <= t + EPS)
            assert not pending.any(), f"standard callback at {t} before a due priority one"
