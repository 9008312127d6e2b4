"""The hand-off model: one replication of an agency's day(s), as a SimPy discrete-event run.

What happens to a caller, in order:

1. **Arrival.** Inbound callers arrive over open hours; outbound leads that passed the consent,
   do-not-call and calling-window checks are dialled and some answer (``sim.arrivals``).
2. **AI intake.** A caller on the AI path (``ai.enabled`` and within ``ai.rollout``) takes one of
   the AI's ``lines``; an inbound caller who finds them all busy overflows to the human path, an
   outbound dial waits for a line. After the talk time the AI either resolves the call
   (containment, by call type) or a trigger fires, and the intake fields it captured are
   recorded on the call.
3. **Routing.** The transfer rings the first destination group that accepts the trigger and is
   on shift. A free producer answers at once; otherwise the caller waits in that group's queue
   and, after ``ring_seconds`` unanswered, rolls over to the next accepting group. The last group
   keeps the caller until answered or the caller hangs up (patience is counted from the transfer
   request, across roll-overs). At a group's shift end its waiting callers move to another open
   group or get the fallback.
4. **Warm transfer.** The AI stays on the line (billed) until a producer answers, briefs the
   producer (the whisper: producer busy, AI billed), then bridges; a bridge can fail.
5. **Producer conversation.** Handle time then wrap-up; the producer then takes the longest
   waiting caller in the group, or else a due callback.
6. **Fallback.** Callers who hang up, whose bridge fails or for whom no producer is on shift get
   the scenario's fallback: a callback (a producer calls back after a delay, when no live caller
   waits), voicemail (a message some callers leave, returned later) or nothing.
7. **Human path.** Calls outside the rollout, AI overflow and every call when the AI is off: a
   human intake (billed per call) and the same producer routing, without a whisper.

Conversion, first-call resolution and repeat-explain do not change the queue, so they are drawn
after the run from each call's own uniforms.

Performance: SimPy schedules every event, but the model uses plain callbacks on timeouts
instead of a process per caller and ``request | timeout`` conditions; callers' random numbers
are drawn up front in numpy batches from named streams; records are numpy columns written
through memoryviews. This keeps one million calls well inside memory and faster than a bare
SimPy M/M/n+M model (see ``benchmarks/``).
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np
import simpy

from sim.arrivals import Leads, inbound_arrivals, outbound_leads
from sim.capacity import capacity_steps, shift_windows
from sim.scenario import Scenario

__all__ = ["FALLBACKS", "OUTCOMES", "PATHS", "CallRecord", "run_replication", "shift_windows"]

OUTCOMES = (
    "contained",  # the AI resolved it
    "connected",  # bridged to a producer
    "abandoned",  # hung up waiting for a producer
    "failed",  # bridge failed technically
    "no_producer",  # no accepting group on shift
    "no_answer",  # outbound dial nobody answered
    "no_consent",  # outbound lead without verified consent: never dialled
    "dnc_suppressed",  # outbound lead on a do-not-call list: never dialled
    "outside_window",  # outbound lead with no calling window inside open hours: never dialled
    "window_missed",  # outbound lead whose window closed while every AI line was busy
)
"""Every call ends in exactly one of these."""

PATHS = ("ai", "human", "none")
"""Who did the intake: the voice AI, a human, or nobody (a lead that was never reached)."""

FALLBACKS = ("none", "callback", "voicemail", "drop")

(CONTAINED, CONNECTED, ABANDONED, FAILED, NO_PRODUCER, NO_ANSWER) = range(6)
WINDOW_MISSED = OUTCOMES.index("window_missed")
AI_PATH, HUMAN_PATH, NO_PATH = range(3)
PENDING, IN_AI, WAITING, WITH_PRODUCER, DONE = range(5)

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
)
"""Named random streams of one replication. Each is its own child of the replication's
SeedSequence, so changing how one stage is configured never shifts another stage's draws.
Append new streams at the end to keep earlier ones stable."""


def _streams(seed: np.random.SeedSequence) -> dict[str, np.random.Generator]:
    return {
        name: np.random.default_rng(
            np.random.SeedSequence(seed.entropy, spawn_key=(*seed.spawn_key, k))
        )
        for k, name in enumerate(STREAMS)
    }


@dataclass
class CallRecord:
    """Columnar record of one replication: one entry per call (and per outbound lead)."""

    columns: dict[str, np.ndarray]
    shift_windows: list[np.ndarray]
    """Per destination group, its on-shift windows."""
    capacity: list[tuple[np.ndarray, np.ndarray]]
    """Per destination group, producers on duty as a step function (see
    ``sim.capacity.capacity_steps``)."""


class _Run:
    """State and event handlers of one replication."""

    def __init__(self, scenario: Scenario, seed: np.random.SeedSequence):
        self.sc = sc = scenario
        rng = _streams(seed)
        inbound = inbound_arrivals(sc, rng["inbound"])
        leads: Leads = outbound_leads(sc, rng["outbound"])
        n_in, n_out = len(inbound), len(leads.dial_time)
        self.n = n = n_in + n_out
        types = list(sc.call_types.values())
        self.n_types = len(types)
        triggers = sc.triggers
        trig_index = {t: k for k, t in enumerate(triggers)}

        # --- who calls, and what each caller will do (drawn up front, one row per call) ---
        direction = np.zeros(n, dtype=np.int8)
        direction[n_in:] = 1
        arrival = np.concatenate([inbound, leads.dial_time])
        shares = np.array([ct.share for ct in types])
        call_type = np.full(n, self.n_types, dtype=np.int16)  # n_types = "outbound"
        call_type[:n_in] = np.minimum(
            np.searchsorted(np.cumsum(shares), rng["call_type"].random(n_in), side="right"),
            self.n_types - 1,
        )
        ai_on = sc.ai.enabled
        path = np.where(rng["rollout"].random(n) < sc.ai.rollout, AI_PATH, HUMAN_PATH)
        if not ai_on:
            path[:] = HUMAN_PATH
        path = path.astype(np.int8)
        outcome = np.full(n, -1, dtype=np.int8)
        if n_out:
            lead_status = leads.status
            dialled = lead_status == 0
            out_idx = np.arange(n_in, n)
            for status, code in ((1, 6), (2, 7), (3, 8)):
                outcome[out_idx[lead_status == status]] = code
            no_answer = out_idx[dialled & ~leads.answered]
            outcome[no_answer] = NO_ANSWER
            path[out_idx[~dialled]] = NO_PATH
        containment = np.array(
            [ct.containment for ct in types] + [sc.outbound.containment if sc.outbound else 0.0]
        )
        contained = rng["containment"].random(n) < containment[call_type]
        mixes = np.zeros((self.n_types + 1, len(triggers)))
        for k, ct in enumerate(types):
            for t, share in ct.triggers.items():
                mixes[k, trig_index[t]] = share
        if sc.outbound is not None:
            for t, share in sc.outbound.triggers.items():
                mixes[self.n_types, trig_index[t]] = share
        else:
            mixes[self.n_types, 0] = 1.0
        cum = np.cumsum(mixes, axis=1)
        cum /= cum[:, -1:]
        u_trig = rng["trigger"].random(n)
        trigger = np.zeros(n, dtype=np.int16)
        for k in range(len(triggers) - 1):  # inverse CDF of the call type's trigger mix
            trigger += u_trig >= cum[call_type, k]
        del u_trig
        capture_mask = np.zeros(n, dtype=np.int32)
        for k in range(len(sc.intake.fields)):  # one uniform per call and field, field by field
            capture_mask |= (rng["capture"].random(n) < sc.intake.capture_rate).astype(
                np.int32
            ) << k
        talk = sc.ai.talk_minutes.ppf(rng["ai_talk"].random(n))
        patience_dist = sc.transfer.patience_minutes
        u_pat = rng["patience"].random(n)
        patience = patience_dist.ppf(u_pat) if patience_dist is not None else np.full(n, np.inf)
        u_handle = rng["handle"].random(n)
        u_wrap = rng["wrap_up"].random(n)
        self.handle = [d.handle_minutes.ppf(u_handle) for d in sc.destinations]
        self.wrap = [d.wrap_up_minutes.ppf(u_wrap) for d in sc.destinations]
        failed = rng["failure"].random(n) < sc.transfer.failure_rate
        u_fallback = rng["fallback"].random((n, 2))  # [voicemail message, callback reached]
        # Conversion, resolution and repeat-explain do not change the queue: their streams are
        # drawn after the run (same numbers, less memory held during it).
        self.outcome_rngs = {
            k: rng[k] for k in ("conversion", "first_call_resolution", "repeat_explain")
        }

        # --- records ---
        nan = np.full
        self.cols = cols = {
            "direction": direction,
            "call_type": call_type,
            "lead_timezone": np.concatenate(
                [np.full(n_in, -1, dtype=np.int8), leads.timezone.astype(np.int8)]
            ),
            "path": path,
            "ai_overflow": np.zeros(n, dtype=bool),
            "trigger": trigger,
            "capture_mask": capture_mask,
            "arrival": arrival,
            "ai_start": nan(n, np.nan),
            "ai_end": nan(n, np.nan),
            "transfer_at": nan(n, np.nan),
            "answer_at": nan(n, np.nan),
            "ai_leave": nan(n, np.nan),
            "end_at": nan(n, np.nan),
            "release_at": nan(n, np.nan),
            "group": np.full(n, -1, dtype=np.int8),
            "first_group": np.full(n, -1, dtype=np.int8),
            "ring_overs": np.zeros(n, dtype=np.int16),
            "outcome": outcome,
            "fallback": np.zeros(n, dtype=np.int8),
            "callback_group": np.full(n, -1, dtype=np.int8),
            "callback_at": nan(n, np.nan),
            "callback_end": nan(n, np.nan),
            "callback_reached": np.zeros(n, dtype=bool),
            "patience": patience,
        }
        # Memoryviews give fast scalar access from the event handlers.
        v = {k: memoryview(a) for k, a in cols.items() if a.dtype != bool}
        self.v_path, self.v_outcome = v["path"], v["outcome"]
        self.v_ai_start, self.v_ai_end = v["ai_start"], v["ai_end"]
        self.v_transfer, self.v_answer = v["transfer_at"], v["answer_at"]
        self.v_ai_leave, self.v_end, self.v_release = v["ai_leave"], v["end_at"], v["release_at"]
        self.v_group, self.v_ring_overs = v["group"], v["ring_overs"]
        self.v_first_group = v["first_group"]
        self.v_fallback, self.v_cb_group = v["fallback"], v["callback_group"]
        self.v_cb_at, self.v_cb_end = v["callback_at"], v["callback_end"]
        self.v_trigger, self.v_direction = v["trigger"], v["direction"]
        self.v_talk = memoryview(talk)  # kept alive by the memoryview
        self.v_patience = v["patience"]
        self.v_handle = [memoryview(h) for h in self.handle]
        self.v_wrap = [memoryview(w) for w in self.wrap]
        self.contained = bytearray(contained.astype(np.uint8).tobytes())
        self.failed = bytearray(failed.astype(np.uint8).tobytes())
        self.vm_message = bytearray(
            (u_fallback[:, 0] < sc.transfer.voicemail_message_rate).astype(np.uint8).tobytes()
        )
        self.cb_reached = bytearray(
            (u_fallback[:, 1] < sc.transfer.callback_reach_rate).astype(np.uint8).tobytes()
        )
        del contained, failed, u_fallback, u_handle, u_wrap, u_pat, talk

        # --- the order of events: conversations sorted by the moment they start ---
        conversations = np.flatnonzero(outcome < 0)
        order = conversations[np.argsort(arrival[conversations], kind="stable")]
        self.v_deadline = memoryview(np.concatenate([np.full(n_in, np.inf), leads.dial_deadline]))
        self.order = memoryview(order)
        self.order_times = memoryview(arrival[order])

        # --- routing tables and producer groups ---
        g_count = len(sc.destinations)
        self.eligible = []
        for t in triggers:
            self.eligible.append(
                tuple(
                    g
                    for g, d in enumerate(sc.destinations)
                    if d.triggers is None or t in d.triggers
                )
            )
        self.ring = [d.ring_seconds / 60.0 for d in sc.destinations]
        self.capacity = [capacity_steps(sc, g) for g in range(g_count)]
        self.producers = [int(counts[0]) for _, counts in self.capacity]
        self.free = [0] * g_count
        self.busy = [0] * g_count
        self.on_shift = [False] * g_count
        self.shift_ends_at = [0.0] * g_count
        self.ring_stalled = bytearray(n)
        self.queues: list[deque[int]] = [deque() for _ in range(g_count)]
        self.callbacks_due: list[deque[int]] = [deque() for _ in range(g_count)]
        self.windows = [shift_windows(sc, g) for g in range(g_count)]
        self.window_end = [{float(s): float(e) for s, e in w} for w in self.windows]
        self.state = bytearray(n)
        self.wait_group = np.full(n, -1, dtype=np.int8)
        self.v_wait_group = memoryview(self.wait_group)
        self.wait_pos = bytearray(n)
        self.ring_token = bytearray(n)
        self.patience_armed = bytearray(n)
        self.lines_free = sc.ai.lines
        self.dial_queue: deque[int] = deque()
        self.whisper = sc.transfer.whisper_seconds / 60.0
        self.fallback_kind = FALLBACKS.index(sc.transfer.fallback)

    # ------------------------------------------------------------------ running
    def run(self) -> CallRecord:
        env = self.env = simpy.Environment()
        for g, (times, counts) in enumerate(self.capacity):
            for t, count in zip(times[1:], counts[1:], strict=True):
                env.timeout(t, (g, int(count))).callbacks.append(self._capacity_change)
        for g, windows in enumerate(self.windows):
            for start, end in windows:
                env.timeout(start, g).callbacks.append(self._shift_start)
                env.timeout(end, g).callbacks.append(self._shift_end)
        self.next_arrival = 0
        if len(self.order):
            env.timeout(self.order_times[0], 0).callbacks.append(self._arrive)
        env.run()
        while self.dial_queue:  # leads still waiting for a line when the run ends
            self._miss_window(self.dial_queue.popleft())
        self._finish()
        return CallRecord(self.cols, self.windows, self.capacity)

    def _schedule(self, delay: float, value: int, handler) -> None:
        self.env.timeout(delay, value).callbacks.append(handler)

    # ------------------------------------------------------------------ arrivals and AI
    def _arrive(self, event) -> None:
        k = event._value
        i = self.order[k]
        if k + 1 < len(self.order):
            self._schedule(self.order_times[k + 1] - self.env.now, k + 1, self._arrive)
        if self.v_path[i] == AI_PATH:
            if self.lines_free > 0:
                self._start_ai(i)
            elif self.v_direction[i] == 1:
                self.dial_queue.append(i)
            else:
                self.v_path[i] = HUMAN_PATH
                self.cols["ai_overflow"][i] = True
                self._request_transfer(i)
        else:
            self._request_transfer(i)

    def _start_ai(self, i: int) -> None:
        self.lines_free -= 1
        self.state[i] = IN_AI
        self.v_ai_start[i] = self.env.now
        self._schedule(self.v_talk[i], i, self._ai_done)

    def _ai_done(self, event) -> None:
        i = event._value
        now = self.env.now
        self.v_ai_end[i] = now
        if self.contained[i]:
            self.state[i] = DONE
            self.v_outcome[i] = CONTAINED
            self.v_end[i] = now
            self.v_ai_leave[i] = now
            self._release_line()
        else:
            self._request_transfer(i)

    def _release_line(self) -> None:
        self.lines_free += 1
        queue, now = self.dial_queue, self.env.now
        while queue:
            i = queue.popleft()
            if now <= self.v_deadline[i]:
                self._start_ai(i)
                return
            self._miss_window(i)

    def _miss_window(self, i: int) -> None:
        """An outbound lead whose calling window closed before a line was free: never dialled."""
        self.state[i] = DONE
        self.v_outcome[i] = WINDOW_MISSED
        self.v_path[i] = NO_PATH

    # ------------------------------------------------------------------ routing
    def _request_transfer(self, i: int) -> None:
        self.v_transfer[i] = self.env.now
        self._route(i, 0)

    def _route(self, i: int, start: int) -> None:
        groups = self.eligible[self.v_trigger[i]]
        on_shift, now = self.on_shift, self.env.now
        for pos in range(start, len(groups)):
            g = groups[pos]
            # A group whose shift ends at this very instant takes no one (its end event may
            # simply not have run yet).
            if not on_shift[g] or self.shift_ends_at[g] <= now:
                continue
            if self.v_first_group[i] < 0:
                self.v_first_group[i] = g
            if self.free[g] > 0:
                self._answer(i, g)
                return
            self.state[i] = WAITING
            self.v_wait_group[i] = g
            self.wait_pos[i] = pos
            self.queues[g].append(i)
            if pos + 1 < len(groups):
                token = (self.ring_token[i] + 1) & 0xFF
                self.ring_token[i] = token
                self._schedule(self.ring[g], i * 256 + token, self._ring_over)
            if not self.patience_armed[i]:
                self.patience_armed[i] = 1
                remaining = self.v_patience[i] - (self.env.now - self.v_transfer[i])
                if remaining < math.inf:
                    self._schedule(max(remaining, 0.0), i, self._abandon)
            return
        self._give_up(i, NO_PRODUCER)

    def _ring_over(self, event) -> None:
        i, token = divmod(event._value, 256)
        if self.state[i] != WAITING or self.ring_token[i] != token:
            return
        groups = self.eligible[self.v_trigger[i]]
        now = self.env.now
        for pos in range(self.wait_pos[i] + 1, len(groups)):
            g = groups[pos]
            if self.on_shift[g] and self.shift_ends_at[g] > now:
                self._roll_over(i, pos)
                return
        # No later group is open: keep waiting here, and roll over when one comes on shift.
        self.ring_stalled[i] = 1

    def _roll_over(self, i: int, pos: int) -> None:
        self.ring_stalled[i] = 0
        self.v_ring_overs[i] += 1
        self.v_wait_group[i] = -1  # leaves the old queue (removed lazily)
        self._route(i, pos)

    def _abandon(self, event) -> None:
        i = event._value
        if self.state[i] == WAITING:
            self.v_wait_group[i] = -1
            self._give_up(i, ABANDONED)

    def _give_up(self, i: int, outcome: int) -> None:
        """The caller leaves without a producer: hung up, or nobody could take the call."""
        now = self.env.now
        self.state[i] = DONE
        self.v_outcome[i] = outcome
        self.v_end[i] = now
        if self.v_path[i] == AI_PATH:
            self.v_ai_leave[i] = now
            self._release_line()
        self._fallback(i)

    # ------------------------------------------------------------------ producers
    def _answer(self, i: int, g: int) -> None:
        self.free[g] -= 1
        self.busy[g] += 1
        self.state[i] = WITH_PRODUCER
        self.v_answer[i] = self.env.now
        self.v_group[i] = g
        if self.v_path[i] == AI_PATH and self.whisper > 0:
            self._schedule(self.whisper, i, self._bridge_event)
        else:
            self._bridge(i)

    def _bridge_event(self, event) -> None:
        self._bridge(event._value)

    def _bridge(self, i: int) -> None:
        now = self.env.now
        g = self.v_group[i]
        if self.v_path[i] == AI_PATH:
            self.v_ai_leave[i] = now
            self._release_line()
        if self.failed[i]:
            self.state[i] = DONE
            self.v_outcome[i] = FAILED
            self.v_end[i] = now
            self.v_release[i] = now
            self._producer_free(g)
            self._fallback(i)
            return
        self.v_outcome[i] = CONNECTED
        handle = self.v_handle[g][i]
        self.v_end[i] = now + handle
        self._schedule(handle + self.v_wrap[g][i], i, self._release)

    def _release(self, event) -> None:
        i = event._value
        self.state[i] = DONE
        self.v_release[i] = self.env.now
        self._producer_free(self.v_group[i])

    def _producer_free(self, g: int) -> None:
        self.busy[g] -= 1
        if self.on_shift[g] and self.free[g] + self.busy[g] < self.producers[g]:
            self.free[g] += 1
            self._dispatch(g)

    def _dispatch(self, g: int) -> None:
        queue, due = self.queues[g], self.callbacks_due[g]
        state, wait_group = self.state, self.v_wait_group
        while self.free[g] > 0:
            while queue and not (state[queue[0]] == WAITING and wait_group[queue[0]] == g):
                queue.popleft()
            if queue:
                i = queue.popleft()
                wait_group[i] = -1
                self._answer(i, g)
            elif due:
                self._start_callback(due.popleft(), g)
            else:
                return

    # ------------------------------------------------------------------ shifts
    def _shift_start(self, event) -> None:
        g = event._value
        self.on_shift[g] = True
        self.shift_ends_at[g] = self.window_end[g][self.env.now]
        self.free[g] = max(0, self.producers[g] - self.busy[g])
        # Callers whose ring-over found no later group open move to this group now, in the
        # order they have been waiting.
        stalled = []
        for h, queue in enumerate(self.queues):
            if h == g:
                continue
            for i in queue:
                if self.ring_stalled[i] and self.state[i] == WAITING and self.v_wait_group[i] == h:
                    groups = self.eligible[self.v_trigger[i]]
                    if g in groups[self.wait_pos[i] + 1 :]:
                        stalled.append(i)
        stalled.sort(key=lambda i: self.v_transfer[i])
        for i in stalled:
            groups = self.eligible[self.v_trigger[i]]
            self._roll_over(i, groups.index(g, self.wait_pos[i] + 1))
        self._dispatch(g)  # then due callbacks

    def _capacity_change(self, event) -> None:
        """The roster changes the number of producers on duty."""
        g, count = event._value
        self.producers[g] = count
        if self.on_shift[g]:
            # Producers leaving finish their current call first (they are not in ``free``).
            self.free[g] = max(0, count - self.busy[g])
            self._dispatch(g)

    def _shift_end(self, event) -> None:
        g = event._value
        self.on_shift[g] = False
        self.free[g] = 0
        queue, self.queues[g] = self.queues[g], deque()
        for i in queue:
            if self.state[i] == WAITING and self.v_wait_group[i] == g:
                self.v_wait_group[i] = -1
                self._route(i, 0)

    # ------------------------------------------------------------------ fallback
    def _fallback(self, i: int) -> None:
        kind = self.fallback_kind
        self.v_fallback[i] = kind
        tr = self.sc.transfer
        if kind == 1:
            delay = tr.callback_delay_minutes
        elif kind == 2 and self.vm_message[i]:
            delay = tr.voicemail_delay_minutes
        else:
            return
        groups = self.eligible[self.v_trigger[i]]
        self.v_cb_group[i] = groups[0] if groups else 0
        self._schedule(delay, i, self._callback_due)

    def _callback_due(self, event) -> None:
        i = event._value
        g = self.v_cb_group[i]
        self.callbacks_due[g].append(i)
        if self.on_shift[g] and self.free[g] > 0:
            self._dispatch(g)

    def _start_callback(self, i: int, g: int) -> None:
        self.free[g] -= 1
        self.busy[g] += 1
        self.v_cb_at[i] = self.env.now
        if self.cb_reached[i]:
            self.cols["callback_reached"][i] = True
            duration = self.v_handle[g][i] + self.v_wrap[g][i]
        else:
            duration = self.sc.transfer.callback_attempt_minutes
        self._schedule(duration, i, self._callback_done)

    def _callback_done(self, event) -> None:
        i = event._value
        self.v_cb_end[i] = self.env.now
        self._producer_free(self.v_cb_group[i])

    # ------------------------------------------------------------------ after the run
    def _finish(self) -> None:
        """Draw what does not affect the queue: repeat-explain, conversion, resolution."""
        sc, cols = self.sc, self.cols
        d = {
            "u_conversion": self.outcome_rngs["conversion"].random(self.n),
            "u_fcr": self.outcome_rngs["first_call_resolution"].random(self.n),
            "u_repeat_explain": self.outcome_rngs["repeat_explain"].random(self.n),
        }
        n_trig = len(sc.triggers)
        warm = np.full(n_trig, sc.outcomes.conversion_warm)
        cold = np.full(n_trig, sc.outcomes.conversion_cold)
        fcr = np.full(n_trig, sc.outcomes.first_call_resolution)
        for t, over in sc.outcomes.by_trigger.items():
            k = sc.triggers.index(t)
            warm[k] = over.conversion_warm if over.conversion_warm is not None else warm[k]
            cold[k] = over.conversion_cold if over.conversion_cold is not None else cold[k]
            fcr[k] = (
                over.first_call_resolution if over.first_call_resolution is not None else fcr[k]
            )
        group_rx = np.array(
            [
                d_.repeat_explain_rate
                if d_.repeat_explain_rate is not None
                else sc.outcomes.repeat_explain_rate
                for d_ in sc.destinations
            ]
        )
        outcome, path, trig = cols["outcome"], cols["path"], cols["trigger"]
        connected = outcome == CONNECTED
        warm_transfer = connected & (path == AI_PATH)
        n_fields = len(sc.intake.fields)
        missing = n_fields - _popcount(cols["capture_mask"])
        missing = np.where(path == AI_PATH, missing, 0)
        group = np.maximum(cols["group"], 0)
        repeat_explain = warm_transfer & (d["u_repeat_explain"] < group_rx[group])
        # A routine call (its need is one the AI resolves) that reached a producer on the human
        # path is a service conversation, with only a cross-sell chance of a sale.
        routine = np.frombuffer(self.contained, dtype=np.uint8).astype(bool)
        routine_human = routine & (path == HUMAN_PATH)
        base = np.where(warm_transfer & ~repeat_explain, warm[trig], cold[trig])
        base = np.where(routine_human, sc.outcomes.routine_conversion, base)
        p_convert = base * np.clip(1 - sc.outcomes.missing_field_penalty * missing, 0, 1)
        converted_live = connected & (d["u_conversion"] < p_convert)
        callback_rate = np.where(routine_human, sc.outcomes.routine_conversion, cold[trig])
        converted_callback = cols["callback_reached"] & (d["u_conversion"] < callback_rate)
        cols["routine"] = routine
        cols["fields_missing"] = np.where(path == AI_PATH, missing, 0).astype(np.int8)
        cols["repeat_explain"] = repeat_explain
        cols["converted"] = converted_live | converted_callback
        cols["converted_on_transfer"] = converted_live
        cols["first_call_resolution"] = connected & (d["u_fcr"] < fcr[trig])
        ai_minutes = np.zeros(self.n)
        on_ai = (path == AI_PATH) & ~np.isnan(cols["ai_start"])
        ai_minutes[on_ai] = (cols["ai_leave"] - cols["ai_start"])[on_ai]
        if sc.outbound is not None:
            unanswered_ai = (cols["outcome"] == NO_ANSWER) & (path == AI_PATH)
            ai_minutes[unanswered_ai] = sc.outbound.no_answer_minutes
        cols["ai_minutes"] = ai_minutes
        del cols["patience"]


def _popcount(mask: np.ndarray) -> np.ndarray:
    bits = np.unpackbits(mask.astype("<u4").view(np.uint8).reshape(-1, 4), axis=1)
    return bits.sum(axis=1)


def run_replication(scenario: Scenario, seed: np.random.SeedSequence) -> CallRecord:
    """Simulate one replication of ``scenario`` with its own random streams."""
    return _Run(scenario, seed).run()
