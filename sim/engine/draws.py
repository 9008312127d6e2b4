"""The random draws of one replication: who calls, when, and what each caller will do.

Every purpose has its own named random stream (:data:`STREAMS`), each a child of the
replication's ``numpy.random.SeedSequence`` (NumPy's recommended way to get independent
streams; see the NumPy "Parallel random number generation" guide). Changing how one stage is
configured therefore never shifts another stage's draws: more AI lines or a longer handle time
still meet the same callers with the same patience (common random numbers, as in Law,
*Simulation Modeling and Analysis*, on variance reduction).

Everything a caller will do is drawn up front, one numpy batch per stream, into a
:class:`CallerDraws` record: durations as inverse-CDF transforms of the stream's uniforms, and
yes/no events (contained, bridge fails, leaves a voicemail, reached on a callback) as booleans.
The event handlers only look these up. Conversion, first-call resolution and repeat-explain do
not change the queue, so their streams are handed on and drawn after the run
(:mod:`sim.engine.outcomes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.engine.arrivals import inbound_arrivals, outbound_leads
from sim.engine.codes import Direction, LeadStatus, Outcome, Path
from sim.scenario import Scenario

__all__ = ["AFTER_RUN", "STREAMS", "CallerDraws", "draw_callers", "streams"]

STREAMS = (
    "inbound",
    "outbound",
    "call_type",
    "rollout",
    "ai_talk",
    "containment",
    "trigger",
    "capture",
    "patience",
    "handle",
    "wrap_up",
    "failure",
    "conversion",
    "first_call_resolution",
    "repeat_explain",
    "fallback",
    "segment",
)
"""Named random streams of one replication, in spawn order. Append new streams at the end to
keep earlier ones stable."""

AFTER_RUN = ("conversion", "first_call_resolution", "repeat_explain")
"""Streams drawn after the run: what they decide does not change the queue."""


def streams(seed: np.random.SeedSequence) -> dict[str, np.random.Generator]:
    """One generator per name in :data:`STREAMS`: the k-th child of ``seed``'s spawn key."""
    return {
        name: np.random.default_rng(
            np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, k))
        )
        for k, name in enumerate(STREAMS)
    }


@dataclass
class CallerDraws:
    """Everything drawn before the run, one entry per call (inbound calls first, then the
    outbound leads), in compact numpy columns."""

    n_inbound: int
    arrival: np.ndarray
    """Arrival (inbound) or dial (outbound) time, minutes from the start of day 0; NaN for
    leads never dialled."""
    direction: np.ndarray
    """:class:`~sim.engine.codes.Direction` (int8)."""
    call_type: np.ndarray
    """Index into the scenario's call types; their count for outbound leads (int8)."""
    lead_timezone: np.ndarray
    """Index into ``outbound.lead_timezones``; -1 for inbound calls (int8)."""
    path: np.ndarray
    """:class:`~sim.engine.codes.Path` planned at arrival (int8): AI if inside the rollout."""
    outcome: np.ndarray
    """-1 for conversations still to happen, else the :class:`~sim.engine.codes.Outcome` of a
    lead that is never a conversation (stopped by a control, or not answering) (int8)."""
    dial_deadline: np.ndarray
    """Per outbound lead (lead k is call ``n_inbound + k``), the latest moment it may still be
    dialled (NaN for leads never dialled)."""
    contained: np.ndarray
    """Whether the AI would resolve the call (its need is routine) (bool)."""
    trigger: np.ndarray
    """Escalation trigger (index into ``scenario.triggers``), also the routing key (int8)."""
    capture_mask: np.ndarray
    """Bit k set if the AI captures intake field k (the smallest unsigned type: uint8 up to
    eight fields)."""
    talk: np.ndarray
    """AI talk time, minutes."""
    patience: np.ndarray
    """Minutes the caller waits for a producer from the transfer request (inf: forever)."""
    handle: list[np.ndarray]
    """Per destination group, the caller's handle time there, minutes."""
    wrap: list[np.ndarray]
    """Per destination group, the producer's wrap-up after the caller, minutes."""
    segment: np.ndarray
    """Caller segment (index into ``scenario.segments``); -1 for every call when the scenario
    has no segments (int8). Drawn for every call; the record keeps it only for the calls that
    reached a producer queue."""
    failed: np.ndarray
    """Whether the bridge to a producer would fail (bool)."""
    voicemail_message: np.ndarray
    """Whether the caller leaves a voicemail message on the voicemail fallback (bool)."""
    callback_reached: np.ndarray
    """Whether a callback reaches the caller (bool)."""
    after_run: dict[str, np.random.Generator]
    """The :data:`AFTER_RUN` streams, not yet drawn from."""

    @property
    def n(self) -> int:
        return len(self.direction)

    def start_order(self) -> Sequence[int]:
        """The conversations (every call but the leads never dialled or not answering) in the
        order they start: arrival or dial time, ties in call order."""
        arrival, talks = self.arrival, self.outcome < 0
        if talks.all() and (arrival[1:] >= arrival[:-1]).all():
            return range(self.n)  # no leads: the inbound calls are already in time order
        conversations = np.flatnonzero(talks)
        order = conversations[np.argsort(arrival[conversations], kind="stable")]
        return order.astype(np.int32).data

    def release_run_draws(self) -> None:
        """Let go of what only the run reads (talk, patience, handle and wrap-up times, dial
        deadlines): a million calls hold 8 MB in each."""
        empty = np.empty(0)
        self.talk = self.patience = self.dial_deadline = empty
        self.handle, self.wrap = [], []


def _code_type(labels: int) -> type[np.signedinteger]:
    """The smallest code type for ``labels`` labels and -1 (none): one byte up to 127, the
    type pandas keeps a categorical's codes in (so the call table shares them, no copy)."""
    return np.int8 if labels <= 127 else np.int16


def _pick(cum: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of a discrete distribution with cumulative shares ``cum``."""
    return np.minimum(np.searchsorted(cum, u, side="right"), len(cum) - 1)


def _segments_and_patience(
    sc: Scenario, segment_rng: np.random.Generator, patience_rng: np.random.Generator, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each caller's segment (by the segments' shares, from its own stream) and patience.

    One patience uniform per caller whatever the segments: a segment's own patience
    distribution transforms the same uniforms its callers would have had, so giving one
    segment its own patience changes no other caller's."""
    segments = sc.segments
    if segments:
        cum = np.cumsum([s.share for s in segments])
        segment = _pick(cum, segment_rng.random(n)).astype(np.int8)
    else:
        segment = np.full(n, -1, dtype=np.int8)
    base = sc.transfer.patience_minutes
    own = [s.patience_minutes for s in segments]
    u = patience_rng.random(n)
    if all(d is None or d == base for d in own):  # every caller has the transfer's patience
        return segment, base.ppf(u) if base is not None else np.full(n, np.inf)
    patience = np.full(n, np.inf)
    for k, dist in enumerate(own):
        dist = base if dist is None else dist
        if dist is not None:
            mine = segment == k
            patience[mine] = dist.ppf(u[mine])
    return segment, patience


def draw_callers(scenario: Scenario, seed: np.random.SeedSequence) -> CallerDraws:
    """Draw every caller of one replication of ``scenario`` from the streams of ``seed``."""
    sc = scenario
    rng = streams(seed)
    inbound = inbound_arrivals(sc, rng["inbound"])
    leads = outbound_leads(sc, rng["outbound"])
    n_in, n_out = len(inbound), len(leads.dial_time)
    n = n_in + n_out
    types = list(sc.call_types.values())
    n_types = len(types)
    trig_index = {t: k for k, t in enumerate(sc.triggers)}

    direction = np.full(n, Direction.INBOUND, dtype=np.int8)
    direction[n_in:] = Direction.OUTBOUND
    arrival = np.concatenate([inbound, leads.dial_time])
    call_type = np.full(n, n_types, dtype=_code_type(n_types + 1))  # n_types = "outbound"
    shares = np.cumsum([ct.share for ct in types])
    call_type[:n_in] = _pick(shares, rng["call_type"].random(n_in))

    in_rollout = rng["rollout"].random(n) < sc.ai.rollout
    path = np.where(in_rollout & sc.ai.enabled, Path.AI, Path.HUMAN).astype(np.int8)
    outcome = np.full(n, -1, dtype=np.int8)
    if n_out:
        out = np.arange(n_in, n)
        for status in (LeadStatus.NO_CONSENT, LeadStatus.DNC_SUPPRESSED, LeadStatus.OUTSIDE_WINDOW):
            outcome[out[leads.status == status]] = status.outcome
        dialled = leads.status == LeadStatus.DIALLED
        outcome[out[dialled & ~leads.answered]] = Outcome.NO_ANSWER
        path[out[~dialled]] = Path.NONE

    containment = np.array(
        [ct.containment for ct in types] + [sc.outbound.containment if sc.outbound else 0.0]
    )
    contained = rng["containment"].random(n) < containment[call_type]

    mixes = np.zeros((n_types + 1, len(sc.triggers)))
    for k, ct in enumerate(types):
        for t, share in ct.triggers.items():
            mixes[k, trig_index[t]] = share
    if sc.outbound is not None:
        for t, share in sc.outbound.triggers.items():
            mixes[n_types, trig_index[t]] = share
    else:
        mixes[n_types, 0] = 1.0
    cum = np.cumsum(mixes, axis=1)
    cum /= cum[:, -1:]
    u_trig = rng["trigger"].random(n)
    trigger = np.zeros(n, dtype=_code_type(len(sc.triggers)))
    for k in range(len(sc.triggers) - 1):  # inverse CDF of the call type's trigger mix
        trigger += u_trig >= cum[call_type, k]
    del u_trig

    n_fields = len(sc.intake.fields)
    mask_type = np.min_scalar_type((1 << n_fields) - 1)  # one bit per field: uint8 up to 8
    capture_mask = np.zeros(n, dtype=mask_type)
    for k in range(n_fields):  # one uniform per call and field, field by field
        captured = rng["capture"].random(n) < sc.intake.capture_rate
        capture_mask |= captured.astype(mask_type) << k

    segment, patience = _segments_and_patience(sc, rng["segment"], rng["patience"], n)
    u_handle = rng["handle"].random(n)
    handle = [d.handle_minutes.ppf(u_handle) for d in sc.destinations]
    del u_handle
    u_wrap = rng["wrap_up"].random(n)
    wrap = [d.wrap_up_minutes.ppf(u_wrap) for d in sc.destinations]
    del u_wrap
    failed = rng["failure"].random(n) < sc.transfer.failure_rate
    u_fallback = rng["fallback"].random((n, 2))  # [voicemail message, callback reached]
    voicemail_message = u_fallback[:, 0] < sc.transfer.voicemail_message_rate
    callback_reached = u_fallback[:, 1] < sc.transfer.callback_reach_rate
    del u_fallback
    return CallerDraws(
        n_inbound=n_in,
        arrival=arrival,
        direction=direction,
        call_type=call_type,
        lead_timezone=np.concatenate(
            [np.full(n_in, -1, dtype=np.int8), leads.timezone.astype(np.int8)]
        ),
        path=path,
        outcome=outcome,
        dial_deadline=leads.dial_deadline,
        contained=contained,
        trigger=trigger,
        capture_mask=capture_mask,
        talk=sc.ai.talk_minutes.ppf(rng["ai_talk"].random(n)),
        patience=patience,
        handle=handle,
        wrap=wrap,
        segment=segment,
        failed=failed,
        voicemail_message=voicemail_message,
        callback_reached=callback_reached,
        after_run={k: rng[k] for k in AFTER_RUN},
    )
