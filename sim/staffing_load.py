"""The load each producer group is offered, interval by interval, from the scenario alone.

A workforce planner staffs to a forecast, not to last week's noise. Here the forecast is the
scenario itself: the expected transfers first offered to each group in each interval of the
open day (the default day, or one weekday's own hours, volume and profile, from
:mod:`sim.weekdays`), computed without simulating, as the engine would produce them on average:

- **Inbound calls** arrive at the profile's rate (uniform within each profile interval). A
  share ``ai.rollout`` goes to the AI (when it is on); of those, each call type escalates with
  probability ``1 − containment`` after the AI's talk time (the talk-time distribution is
  convolved with the arrival rate, so a 10:55 arrival may be offered at 11:02). The rest are
  offered at once on the human path, routed by the caller's need (the type's trigger mix).
- **Outbound dials** (consented, not on do-not-call, inside the lead's calling window) fall
  uniformly in that window, per time zone; answered dials escalate with probability
  ``1 − outbound.containment`` after the AI's talk (or at once on the human path).
- A transfer with trigger *t* is **first offered** to the first group in order that accepts *t*
  and is on shift at that moment (as the engine routes it).

What it leaves out: AI overflow when every AI line is busy and outbound dials waiting for a
line (both shift load in time only when the AI is saturated), and callbacks, which use producer
time between live calls. :func:`erlang_a_column` turns the load into the Erlang A (M/M/n+M)
staffing per interval, and :func:`predicted` gives Erlang A's figures at any head count (the
curve the staffing search corrects by what the simulation measures: :func:`corrected`, with
:func:`meets_targets` its test and :func:`fill_dips` its smoothing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from scipy import special

from sim import theory
from sim.engine.arrivals import interval_rates
from sim.scenario import TIME_ZONES, Scenario
from sim.weekdays import WEEKDAYS, Day, campaign_days, day_weekdays, week

if TYPE_CHECKING:  # pragma: no cover
    from sim.staffing import Targets
    from sim.staffing_cells import Grid

__all__ = [
    "STEP",
    "CellLoad",
    "OfferedLoad",
    "corrected",
    "dialling_weekdays",
    "dials_on",
    "erlang_a_column",
    "fill_dips",
    "meets_targets",
    "offered_load",
    "predicted",
]

STEP = 0.25
"""Resolution of the load computation, in minutes."""

_QUANTILES = 400
"""Quantiles of the AI talk time used in the convolution."""


@dataclass(frozen=True)
class OfferedLoad:
    """Expected transfers first offered per day, and the producer time each takes, per group
    (rows) and staffing interval (columns)."""

    offered_per_day: np.ndarray
    minutes_per_call: np.ndarray
    """Producer time per offered transfer: whisper (AI path only) + handle + wrap-up means."""
    patience_minutes: float
    """Mean caller patience (infinite when callers never hang up)."""
    lengths: np.ndarray
    """Length of each interval, in minutes."""


@dataclass(frozen=True)
class CellLoad:
    """One cell's arrival rate (per minute), time per call and patience, for Erlang A."""

    rate: float
    minutes_per_call: float
    patience: float


def _talk_pmf(scenario: Scenario) -> np.ndarray:
    """AI talk time as a probability mass on the ``STEP`` grid (from its quantiles)."""
    u = (np.arange(_QUANTILES) + 0.5) / _QUANTILES
    talk = np.asarray(scenario.ai.talk_minutes.ppf(u), dtype=float)
    bins = np.rint(np.maximum(talk, 0) / STEP).astype(int)
    return np.bincount(bins, minlength=1) / _QUANTILES


def _uniform(grid_len: int, lo: float, hi: float, mass: float) -> np.ndarray:
    """``mass`` spread uniformly over [lo, hi) minutes on the STEP grid."""
    out = np.zeros(grid_len)
    if mass <= 0 or hi <= lo:
        return out
    a, b = lo / STEP, hi / STEP
    i, j = math.floor(a), min(math.ceil(b), grid_len)
    cells = np.arange(i, j)
    covered = np.minimum(cells + 1, b) - np.maximum(cells, a)
    out[i:j] = mass * np.clip(covered, 0, None) / (b - a)
    return out


def offered_load(
    scenario: Scenario, starts: np.ndarray, lengths: np.ndarray, weekday: str | None = None
) -> OfferedLoad:
    """The expected load of every group in every staffing interval (``starts`` and ``lengths``
    in minutes after midnight), per open day: of the default day, or of ``weekday`` (``"sat"``:
    its own hours, volume and profile, and outbound dials only if the campaign dials that day;
    no load when it is closed)."""
    sc = scenario
    day = _day(sc, weekday)
    n_groups = len(sc.destinations)
    grid_len = int(2 * 1440 / STEP)
    trig = {t: k for k, t in enumerate(sc.triggers)}
    ai_share = sc.ai.rollout if sc.ai.enabled else 0.0
    # per trigger: transfer density at the moment it leaves the AI or arrives on the human path
    human = np.zeros((len(sc.triggers), grid_len))
    via_ai = np.zeros((len(sc.triggers), grid_len))
    p_starts, p_lengths, expected = interval_rates(sc, weekday)
    arrivals = np.zeros(grid_len)
    for s, length, e in zip(p_starts, p_lengths, expected, strict=True):
        arrivals += _uniform(grid_len, s, s + length, e)
    for ct in sc.call_types.values():
        for t, share in ct.triggers.items():
            human[trig[t]] += arrivals * ct.share * (1 - ai_share) * share
            via_ai[trig[t]] += arrivals * ct.share * ai_share * (1 - ct.containment) * share
    out = sc.outbound
    if out is not None and out.contacts_per_week > 0 and dials_on(sc, day):
        per_day = out.contacts_per_week / out.days_per_week * out.consent_rate
        per_day *= (1 - out.dnc_rate) * out.answer_rate
        shift = sc.hours.utc_offset_hours  # the engine's own offset (standard time)
        dials = np.zeros(grid_len)
        for zone, share in out.lead_timezones.items():
            offset = (shift - TIME_ZONES[zone]) * 60
            lo = max(out.window.start_minute + offset, day.open_minute)
            hi = min(out.window.end_minute + offset, day.close_minute)
            dials += _uniform(grid_len, lo, hi, per_day * share)
        for t, share in out.triggers.items():
            human[trig[t]] += dials * (1 - ai_share) * share
            via_ai[trig[t]] += dials * ai_share * (1 - out.containment) * share
    if ai_share > 0:
        pmf = _talk_pmf(sc)
        via_ai = np.array([np.convolve(row, pmf)[:grid_len] for row in via_ai])
    minute = np.arange(grid_len) * STEP
    cell = np.full(grid_len, -1)
    for k, (s, length) in enumerate(zip(starts, lengths, strict=True)):
        cell[(minute >= s) & (minute < s + length)] = k
    offered = np.zeros((n_groups, len(starts)))
    from_ai = np.zeros_like(offered)
    on_shift = np.array([_on_shift(sc, g, minute, day) for g in range(n_groups)])
    taken = np.zeros((len(sc.triggers), grid_len), dtype=bool)
    for g, dest in enumerate(sc.destinations):
        accepts = sc.triggers if dest.triggers is None else dest.triggers
        for t in accepts:
            first = on_shift[g] & ~taken[trig[t]] & (cell >= 0)
            taken[trig[t]] |= on_shift[g]
            np.add.at(offered[g], cell[first], human[trig[t]][first] + via_ai[trig[t]][first])
            np.add.at(from_ai[g], cell[first], via_ai[trig[t]][first])
    whisper = sc.transfer.whisper_seconds / 60.0 if ai_share > 0 else 0.0
    base = np.array([d.handle_minutes.mean_value + d.wrap_up_minutes.mean_value
                     for d in sc.destinations])  # fmt: skip
    with np.errstate(invalid="ignore", divide="ignore"):
        share_ai = np.where(offered > 0, from_ai / offered, 0.0)
    work = base[:, None] + whisper * share_ai
    p = sc.transfer.patience_minutes
    patience = math.inf if p is None else float(p.mean_value)
    return OfferedLoad(offered, work, patience, np.asarray(lengths, dtype=float))


def _day(scenario: Scenario, weekday: str | None) -> Day:
    """The default day (``weekday`` None) or that weekday, as the engine runs it."""
    if weekday is None:
        hours = scenario.hours
        return Day(0, False, hours.open_minute, hours.close_minute, 1.0,
                   scenario.inbound.profile, False)  # fmt: skip
    return week(scenario)[WEEKDAYS.index(weekday)]


def dialling_weekdays(scenario: Scenario) -> set[int]:
    """The weekdays (0 Monday … 6 Sunday) the outbound campaign dials on (none without one):
    the weekdays of its days in a week of the run (:func:`sim.weekdays.campaign_days`)."""
    out = scenario.outbound
    if out is None or out.contacts_per_week <= 0:
        return set()
    a_week = scenario.model_copy(update={"days": 7})
    return {int(w) for w in day_weekdays(a_week)[campaign_days(a_week)]}


def dials_on(scenario: Scenario, day: Day) -> bool:
    """Whether the campaign dials on ``day`` (every open day without weekdays)."""
    if day.closed or scenario.outbound is None or scenario.outbound.contacts_per_week <= 0:
        return False
    return not scenario.hours.by_weekday or day.weekday in dialling_weekdays(scenario)


def _on_shift(scenario: Scenario, g: int, minute: np.ndarray, day: Day) -> np.ndarray:
    dest = scenario.destinations[g]
    window = dest.shift
    if day.closed:
        return np.zeros(minute.shape, dtype=bool)
    lo = day.open_minute if window is None else window.start_minute
    hi = day.close_minute if window is None else window.end_minute
    lo, hi = max(lo, day.open_minute), min(hi, day.close_minute)
    return (minute >= lo) & (minute < hi)


def cell_load(load: OfferedLoad, g: int, k: int) -> CellLoad:
    """Erlang A's inputs for one cell."""
    rate = float(load.offered_per_day[g, k] / load.lengths[k])
    return CellLoad(rate, float(load.minutes_per_call[g, k]), load.patience_minutes)


@lru_cache(maxsize=65536)
def _metrics(rate: float, work: float, patience: float, n: int, within: float) -> tuple:
    return erlang_a_figures(rate, work, patience, n, within)


def erlang_a_figures(
    rate: float, handle_minutes: float, patience_minutes: float, n: int, within: float
) -> tuple[float, float, float]:
    """Erlang A's P(abandon), service level (answered within ``within`` minutes, over all
    offered callers) and occupancy at ``n`` producers: the same figures as
    :func:`sim.theory.erlang_a_metrics` (a test holds them equal), computed for speed, because
    the search asks for thousands of them. The stationary birth–death chain is summed in log
    space; the tagged caller's wait (``j`` callers ahead move up at rate nμ + jθ, the caller
    hangs up at rate θ) is solved by uniformization, which needs only sums of non-negative
    terms. Zero patience is Erlang B; infinite patience Erlang C."""
    lam, mu, n = float(rate), 1.0 / float(handle_minutes), int(n)
    load = lam / mu
    if lam <= 0:
        return 0.0, 1.0, 0.0
    if n <= 0:
        return 1.0, 0.0, 0.0
    if patience_minutes <= 0:  # Erlang B: who finds everybody busy leaves at once
        b = theory.erlang_b(n, load)
        return b, 1.0 - b, min(1.0, load * (1 - b) / n)
    theta = 0.0 if math.isinf(patience_minutes) else 1.0 / patience_minutes
    if theta == 0.0:
        c = theory.erlang_c_metrics(lam, handle_minutes, n, within)
        return 0.0, c.service_level, c.occupancy
    k = np.arange(n + 1)
    log_low = k * math.log(load) - special.gammaln(k + 1)
    j_max = int(max(60, 4 * lam / theta + 40 * math.sqrt(lam / theta + 1)))
    j = np.arange(1, j_max + 1)
    log_high = log_low[-1] + np.cumsum(np.log(lam / (n * mu + j * theta)))
    logs = np.concatenate([log_low, log_high])
    top = logs.max()
    weights = np.exp(logs - top)
    pi = weights / weights.sum()
    queued = pi[n:]  # j = 0, 1, … callers ahead of an arrival who must wait
    ahead = np.arange(len(queued))
    lq = float((ahead * queued).sum())
    p_ab = min(1.0, theta * lq / lam)
    occupancy = min(1.0, lam * (1 - p_ab) / (n * mu))
    answered_at_once = float(pi[:n].sum())
    return p_ab, answered_at_once + _answered_within(queued, n * mu, theta, within), occupancy


def _answered_within(start: np.ndarray, service: float, theta: float, t: float) -> float:
    """Probability mass answered within ``t`` of waiting callers who start with ``j`` callers
    ahead with mass ``start[j]``: uniformization of the chain "callers ahead" (down one at
    rate nμ + jθ; from 0, answered at rate nμ) with the caller's own hang-up at rate θ."""
    if t <= 0 or start.sum() <= 0:
        return 0.0
    up = service + np.arange(len(start)) * theta
    out = up + theta
    big = float(out.max())
    return _poisson_answered(start, up, out, big, big * t)


def _poisson_answered(start: np.ndarray, up: np.ndarray, out: np.ndarray, big: float,
                      mean: float) -> float:  # fmt: skip
    """Σ_k Pois(k; Λt) · A_k, A_k the mass absorbed in "answered" within k uniformized steps."""
    stay = 1 - out / big
    move = up / big
    p = start.astype(float).copy()
    absorbed = 0.0
    weight = math.exp(-mean)
    total, cumulative = 0.0, weight
    k = 0
    limit = int(mean + 12 * math.sqrt(mean) + 30)
    while k < limit:
        k += 1
        absorbed += p[0] * move[0]
        new = p * stay
        new[:-1] += p[1:] * move[1:]
        p = new
        weight *= mean / k
        total += weight * absorbed
        cumulative += weight
    # the remaining Poisson tail has absorbed at least this much
    return total + (1 - cumulative) * absorbed


def predicted(cell: CellLoad, n: int, within: float, failure: float) -> dict[str, float]:
    """Erlang A's transfer completion, service level, abandonment and occupancy at ``n``
    producers (completion = not abandoned × bridge not failed)."""
    if cell.rate <= 0:
        return {"transfer_completion": 1 - failure, "service_level": 1.0, "abandonment": 0.0,
                "occupancy": 0.0}  # fmt: skip
    p_ab, sl, occ = _metrics(cell.rate, cell.minutes_per_call, cell.patience, int(n), within)
    return {"transfer_completion": (1 - p_ab) * (1 - failure), "service_level": sl,
            "abandonment": p_ab, "occupancy": occ}  # fmt: skip


def erlang_a_column(
    load: OfferedLoad, on_shift: np.ndarray, meets, cap: int = 100_000
) -> np.ndarray:
    """Fewest producers per cell whose Erlang A figures satisfy ``meets(figures)`` (0 off
    shift or without load)."""
    out = np.zeros(load.offered_per_day.shape, dtype=int)
    for g, k in np.argwhere(on_shift & (load.offered_per_day > 0)):
        cell = cell_load(load, g, k)
        n = max(1, math.floor(cell.rate * cell.minutes_per_call))
        while not meets(cell, n) and n < cap:
            n += 1
        while n > 1 and meets(cell, n - 1):
            n -= 1
        out[g, k] = n
    return out


# ------------------------------------------------------- the search's corrected curve
_SHORTFALL = {"transfer_completion": True, "service_level": True, "abandonment": False,
              "occupancy": False}  # fmt: skip
"""Per figure, whether the correction scales its shortfall (1 − figure) or the figure itself:
the quantities that shrink towards 0 as producers are added (misses, hang-ups, busy share)."""


def meets_targets(
    figures: dict[str, float], targets: Targets, ratio: dict[str, float] | None
) -> bool:
    """Whether Erlang A's figures (corrected by the simulation's ``ratio``) meet the targets
    (the staffing search's test, :mod:`sim.staffing`)."""
    ratio = ratio or {}

    def value(name: str) -> float:
        r = ratio.get(name, 1.0)
        return 1 - (1 - figures[name]) * r if _SHORTFALL[name] else figures[name] * r

    if targets.transfer_completion is not None:
        if value("transfer_completion") < targets.transfer_completion:
            return False
    if targets.service_level is not None and value("service_level") < targets.service_level:
        return False
    if targets.max_abandonment is not None and value("abandonment") > targets.max_abandonment:
        return False
    return targets.max_occupancy is None or value("occupancy") <= targets.max_occupancy


def _ratio(name: str, simulated: float, model: float) -> float:
    """How many times Erlang A's shortfall (or abandonment, occupancy) the simulation's bound
    is, kept within ×0.1–×10 (a cell far from Erlang A moves by the cap and is measured again)."""
    if not math.isfinite(simulated):
        return 1.0
    if _SHORTFALL[name]:
        simulated, model = 1 - simulated, 1 - model
    if model <= 1e-6:
        return 1.0 if simulated <= 1e-6 else 10.0
    return min(10.0, max(0.1, simulated / model))


def corrected(grid: Grid, load: OfferedLoad, n, evaluation, active, targets: Targets,
               within: float, failure: float, cap) -> np.ndarray:  # fmt: skip
    """Per cell, the count Erlang A asks for once corrected by what the simulation measured at
    the count just simulated: each figure's shortfall (1 − completion, 1 − service level,
    abandonment, occupancy) is scaled by the ratio of the simulation's confidence bound to
    Erlang A's own figure there. The simulation says how far off the model is in this cell,
    the model how the figures move with one producer more or fewer (a secant step)."""
    out = n.copy()
    for g, k in np.argwhere(active):
        cell = cell_load(load, g, k)
        if cell.rate <= 0:
            offered = float(evaluation["offered"][g, k])
            cell = CellLoad(offered / (grid.scenario.days * float(grid.lengths[k])),
                            cell.minutes_per_call, cell.patience)  # fmt: skip
        here = predicted(cell, int(n[g, k]), within, failure)
        names = ("occupancy",) if evaluation["nobody_waited"][g, k] else tuple(_SHORTFALL)
        ratio = {name: _ratio(name, float(evaluation[f"{name}_bound"][g, k]), here[name])
                 for name in names}  # fmt: skip
        m, limit = int(n[g, k]), int(cap[g, k])

        def ok(count: int, ratio=ratio, cell=cell) -> bool:
            return meets_targets(predicted(cell, count, within, failure), targets, ratio)

        if evaluation["passed"][g, k]:
            while m > 0 and ok(m - 1):
                m -= 1
        else:
            ceiling = min(limit, int(n[g, k]) + max(2, int(n[g, k])))
            m += 1
            while m < ceiling and not ok(m):
                m += 1
        out[g, k] = m
    return out


def fill_dips(n: np.ndarray, erlang: np.ndarray, active: np.ndarray, cap) -> np.ndarray:
    """No one-interval dip the load does not show: within each run of consecutive staffed
    intervals of a group, a cell's margin over Erlang A is raised to at least the median of its
    own and its two neighbours' margins (repeated until nothing changes). Only raises, so every
    cell still meets its targets; a spike the simulation needed stays."""
    n = n.copy()
    for g in range(n.shape[0]):
        changed = True
        while changed:
            changed = False
            for k in range(1, n.shape[1] - 1):
                if not (active[g, k - 1] and active[g, k] and active[g, k + 1]):
                    continue
                margins = n[g, k - 1 : k + 2] - erlang[g, k - 1 : k + 2]
                floor = erlang[g, k] + int(np.median(margins))
                if n[g, k] < min(floor, cap[g, k]):
                    n[g, k] = min(floor, cap[g, k])
                    changed = True
    return n
