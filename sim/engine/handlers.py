"""The event handlers of one replication: the caller's story, stage by stage.

1. **Arrive.** Inbound callers arrive over open hours; answered outbound dials start when
   dialled (:mod:`sim.engine.arrivals`). A caller inside the AI rollout goes to AI intake; the
   rest go straight to a human intake and the producers.
2. **AI intake.** The caller takes one of the AI's ``lines``; an inbound caller who finds them
   all busy overflows to the human path, an outbound dial waits for a line (and is never made
   if its calling window closes first). After the talk time the AI resolves the call
   (containment) or a trigger fires and it escalates.
3. **Escalate.** The transfer rings the first destination group that accepts the trigger and
   is on shift. A free producer answers at once; otherwise the caller waits in that group's
   queue (a line per caller-segment priority), with patience counted from the transfer request.
4. **Ring / whisper.** After ``ring_seconds`` unanswered the caller rolls over to the next
   accepting open group (the last keeps them); at a group's shift end its waiting callers are
   routed again. When a producer answers a warm transfer, the AI briefs them (the whisper:
   producer busy, AI billed) and then bridges.
5. **Answered, abandoned or fallback.** A bridge connects the caller or fails; a caller who
   hangs up waiting, whose bridge fails or whom no open group accepts gets the scenario's
   fallback: a callback (a producer calls back after a delay, when no live caller waits),
   voicemail (returned like a callback, if the caller left a message) or nothing.
6. **Wrap-up.** After handle time and wrap-up the producer takes the longest-waiting caller of
   the highest priority in the group (no call is cut short for one), else a due callback.

Everything random was drawn before the run (:mod:`sim.engine.draws`); the handlers look it up
and write the stage times into the columnar record (:mod:`sim.engine.record`) through typed
memoryviews (numpy's scalar indexing is slow). They are plain callbacks on SimPy timeouts
(``Timeout.callbacks``, the hook SimPy's own events use) rather than a process per caller and
``request | timeout`` conditions: the same event order, a fraction of the cost (see the SimPy
documentation, "Events"). The two moments the run reads back (when a caller asked for a
producer, when the AI picked up) stay float64, in dictionaries, while they matter.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable

import numpy as np
import simpy

from sim.engine.capacity import capacity_steps, shift_windows
from sim.engine.codes import FALLBACKS, Direction, Fallback, Outcome, Path, Stage
from sim.engine.draws import CallerDraws
from sim.engine.record import DURATIONS, TIMES, CallRecord, new_columns
from sim.engine.views import Fired, V, floats, ints, store_down
from sim.scenario import Scenario
from sim.segments import PriorityQueue, queue_levels

__all__ = ["Replication"]

# The codes as plain ints in the handlers: they run for every call, and looking up an enum member
# costs more than most of a handler's work (the record stores the same one-byte values).
AI, HUMAN, NO_PATH = Path.AI.value, Path.HUMAN.value, Path.NONE.value
_LIVE = ("CONTAINED", "CONNECTED", "ABANDONED", "FAILED", "NO_PRODUCER")
CONTAINED, CONNECTED, ABANDONED, FAILED, NO_PRODUCER = (Outcome[name].value for name in _LIVE)
IN_AI, WAITING, WITH_PRODUCER, DONE = (s.value for s in Stage if s != Stage.PENDING)
OUTBOUND = Direction.OUTBOUND.value

_TOKEN = 256
"""Ring-over timers carry ``call * _TOKEN + token``; a newer token cancels an older timer."""


class Replication:
    """State and event handlers of one replication (one SimPy environment)."""

    def __init__(self, scenario: Scenario, draws: CallerDraws):
        self.sc = sc = scenario
        n = draws.n
        # the order of events (before the record is allocated: its sort's temporaries and the
        # record are never held together)
        self.order = draws.start_order()
        self.arrival = floats(draws.arrival)
        self.columns = cols = new_columns(draws)
        self.path, self.outcome = ints(cols["path"]), ints(cols["outcome"])
        self.trigger, self.direction = ints(cols["trigger"]), ints(cols["direction"])
        (self.ai_start, self.ai_end, self.transfer_at, self.answer_at, self.ai_leave,
         self.end_at, self.release_at, self.callback_at, self.callback_end, self.wait_minutes,
         self.ai_minutes) = (floats(cols[c]) for c in (*TIMES, *DURATIONS))  # fmt: skip
        self.group, self.first_group = ints(cols["group"]), ints(cols["first_group"])
        self.ring_overs, self.fallback = ints(cols["ring_overs"]), ints(cols["fallback"])
        self.callback_group = ints(cols["callback_group"])
        self.ai_overflow = ints(cols["ai_overflow"])
        self.callback_reached = ints(cols["callback_reached"])
        # each segment's line in a queue, 0 the highest priority (segment -1, none: line 0)
        self.segment, self.level_of = ints(draws.segment), [*queue_levels(sc.segments), 0]
        # what each caller will do
        self.talk, self.patience = floats(draws.talk), floats(draws.patience)
        self.handle = [floats(h) for h in draws.handle]
        self.wrap = [floats(w) for w in draws.wrap]
        self.contained, self.failed = ints(draws.contained), ints(draws.failed)
        self.voicemail_message = ints(draws.voicemail_message)
        self.reached_on_callback = ints(draws.callback_reached)
        self.n_inbound, self.dial_deadline = draws.n_inbound, floats(draws.dial_deadline)
        # moments read back at full precision, held only while they matter: when the callers not
        # answered or gone yet asked for a producer, since when the AI is on each open line
        self.asked_at: dict[int, float] = {}
        self.ai_since: dict[int, float] = {}
        # where each caller is in the run
        self.stage, self.wait_group = bytearray(n), ints(np.full(n, -1, dtype=np.int8))
        self.wait_pos, self.ring_token = bytearray(n), bytearray(n)
        self.ring_stalled, self.patience_armed = bytearray(n), bytearray(n)
        # routing tables and producer groups
        g_count = len(sc.destinations)
        self.eligible = [
            tuple(g for g, d in enumerate(sc.destinations) if d.triggers is None or t in d.triggers)
            for t in sc.triggers
        ]
        self.ring = [d.ring_seconds / 60.0 for d in sc.destinations]
        self.capacity = [capacity_steps(sc, g) for g in range(g_count)]
        self.windows = [shift_windows(sc, g) for g in range(g_count)]
        self.window_end = [{float(s): float(e) for s, e in w} for w in self.windows]
        self.producers = [int(counts[0]) for _, counts in self.capacity]
        self.free, self.busy = [0] * g_count, [0] * g_count
        self.on_shift, self.shift_ends_at = [False] * g_count, [0.0] * g_count
        self.queues = [self._queue() for _ in range(g_count)]
        self.callbacks_due = [self._queue() for _ in range(g_count)]
        # the AI and the transfer
        self.lines_free, self.dial_queue = sc.ai.lines, deque[int]()
        self.whisper = sc.transfer.whisper_seconds / 60.0
        self.fallback_kind = Fallback(FALLBACKS.index(sc.transfer.fallback))
        self.env = simpy.Environment()
        self._timeout = self.env.timeout

    def run(self) -> CallRecord:
        """Run the day(s) to the end; the record has every stage time (the arrival still the
        run's float64 clock) but no post-run draws."""
        env = self.env
        for g, (times, counts) in enumerate(self.capacity):
            for t, count in zip(times[1:], counts[1:], strict=True):
                env.timeout(t, (g, int(count))).callbacks.append(self._capacity_change)
        for g, windows in enumerate(self.windows):
            for start, end in windows:
                env.timeout(start, g).callbacks.append(self._shift_start)
                env.timeout(end, g).callbacks.append(self._shift_end)
        if len(self.order):
            self._at(self.arrival[self.order[0]], 0, self._arrive)
        env.run()
        while self.dial_queue:  # leads still waiting for a line when the run ends
            self._miss_window(self.dial_queue.popleft())
        for i in self.ai_since:  # still on the line (waiting forever) when the run ends
            self.ai_minutes[i] = math.nan
        return CallRecord(self.columns, self.windows, self.capacity)

    def _queue(self) -> deque[int] | PriorityQueue:
        """A group's waiting callers or due callbacks: one line, or one per priority."""
        return PriorityQueue(self.segment, self.level_of) if max(self.level_of) else deque()

    def _at(self, delay: float, value: V, handler: Callable[[Fired[V]], None]) -> None:
        """Call ``handler`` after ``delay`` minutes, with ``value`` as the event's value."""
        self._timeout(delay, value).callbacks.append(handler)

    # ------------------------------------------------------------------ 1. arrive
    def _arrive(self, event: Fired[int]) -> None:
        k, now = event.value, self.env.now
        i = self.order[k]
        if k + 1 < len(self.order):  # the next arrival, one event at a time
            self._at(self.arrival[self.order[k + 1]] - now, k + 1, self._arrive)
        if self.path[i] != AI:
            self._request_transfer(i, now)
        elif self.lines_free > 0:
            self._start_ai(i, now)
        elif self.direction[i] == OUTBOUND:
            self.dial_queue.append(i)  # the dial waits for a line
        else:
            self.path[i] = HUMAN  # every line busy: overflow to a human
            self.ai_overflow[i] = True
            self._request_transfer(i, now)

    # ------------------------------------------------------------------ 2. AI intake
    def _start_ai(self, i: int, now: float) -> None:
        self.lines_free -= 1
        self.stage[i] = IN_AI
        self.ai_start[i] = self.ai_since[i] = now
        self._at(self.talk[i], i, self._ai_done)

    def _ai_done(self, event: Fired[int]) -> None:
        i, now = event.value, self.env.now
        self.ai_end[i] = now
        if self.contained[i]:
            self.stage[i] = DONE
            self.outcome[i] = CONTAINED
            self.end_at[i] = now
            self._ai_leaves(i, now)
        else:
            self._request_transfer(i, now)

    def _ai_leaves(self, i: int, now: float) -> None:
        """The AI leaves caller ``i``'s line (resolved, bridged, or the caller hung up)."""
        self.ai_leave[i] = now
        self.ai_minutes[i] = now - self.ai_since.pop(i)
        self._release_line(now)

    def _release_line(self, now: float) -> None:
        """The AI leaves a call: the line goes to the first waiting dial still in its window."""
        self.lines_free += 1
        queue = self.dial_queue
        while queue:
            i = queue.popleft()
            if now <= self.dial_deadline[i - self.n_inbound]:
                self._start_ai(i, now)
                return
            self._miss_window(i)

    def _miss_window(self, i: int) -> None:
        """An outbound lead whose calling window closed before a line was free: never dialled."""
        self.stage[i] = DONE
        self.outcome[i] = Outcome.WINDOW_MISSED
        self.path[i] = NO_PATH

    # ------------------------------------------------------------------ 3. escalate
    def _request_transfer(self, i: int, now: float) -> None:
        self.transfer_at[i] = self.asked_at[i] = now
        self._route(i, 0, now)

    def _route(self, i: int, start: int, now: float) -> None:
        """Ring the accepting groups from position ``start``: answer, or wait in the first open
        one. A group whose shift ends at this very instant is closed (its end event may simply
        not have run yet)."""
        groups = self.eligible[self.trigger[i]]
        on_shift, ends_at = self.on_shift, self.shift_ends_at
        for pos in range(start, len(groups)):
            g = groups[pos]
            if not on_shift[g] or ends_at[g] <= now:
                continue
            if self.first_group[i] < 0:
                self.first_group[i] = g
            if self.free[g] > 0:
                self._answer(i, g, now)
                return
            self.stage[i] = WAITING
            self.wait_group[i] = g
            self.wait_pos[i] = pos
            self.queues[g].append(i)
            if pos + 1 < len(groups):  # a later group to roll over to after the ring
                token = (self.ring_token[i] + 1) % _TOKEN
                self.ring_token[i] = token
                self._at(self.ring[g], i * _TOKEN + token, self._ring_over)
            if not self.patience_armed[i]:  # patience runs from the transfer request
                self.patience_armed[i] = 1
                remaining = self.patience[i] - (now - self.asked_at[i])
                if remaining < math.inf:
                    self._at(max(remaining, 0.0), i, self._abandon)
            return
        self._give_up(i, NO_PRODUCER, now)

    # ------------------------------------------------------------------ 4. ring / whisper
    def _ring_over(self, event: Fired[int]) -> None:
        i, token = divmod(event.value, _TOKEN)
        if self.stage[i] != WAITING or self.ring_token[i] != token:
            return  # answered, gone, or rung again since
        groups, now = self.eligible[self.trigger[i]], self.env.now
        for pos in range(self.wait_pos[i] + 1, len(groups)):
            if self.on_shift[groups[pos]] and self.shift_ends_at[groups[pos]] > now:
                self._roll_over(i, pos, now)
                return
        # No later group is open: keep waiting here, and roll over when one comes on shift.
        self.ring_stalled[i] = 1

    def _roll_over(self, i: int, pos: int, now: float) -> None:
        self.ring_stalled[i] = 0
        self.ring_overs[i] += 1
        self.wait_group[i] = -1  # leaves the old queue (removed lazily)
        self._route(i, pos, now)

    def _answer(self, i: int, g: int, now: float) -> None:
        self.free[g] -= 1
        self.busy[g] += 1
        self.stage[i] = WITH_PRODUCER
        self.answer_at[i] = now
        store_down(self.wait_minutes, i, now - self.asked_at.pop(i))
        self.group[i] = g
        if self.path[i] == AI and self.whisper > 0:
            self._at(self.whisper, i, self._whisper_done)
        else:
            self._bridge(i, now)

    def _whisper_done(self, event: Fired[int]) -> None:
        self._bridge(event.value, self.env.now)

    # ------------------------------------------------------------------ 5. answered, abandoned
    def _bridge(self, i: int, now: float) -> None:
        g = self.group[i]
        if self.path[i] == AI:
            self._ai_leaves(i, now)
        if self.failed[i]:
            self.stage[i] = DONE
            self.outcome[i] = FAILED
            self.end_at[i] = self.release_at[i] = now
            self._producer_free(g, now)
            self._fallback(i)
            return
        self.outcome[i] = CONNECTED
        handle = self.handle[g][i]
        self.end_at[i] = now + handle
        self._at(handle + self.wrap[g][i], i, self._wrap_up_done)

    def _abandon(self, event: Fired[int]) -> None:
        i = event.value
        if self.stage[i] == WAITING:
            self.wait_group[i] = -1
            self._give_up(i, ABANDONED, self.env.now)

    def _give_up(self, i: int, outcome: int, now: float) -> None:
        """The caller leaves without a producer: hung up, or nobody could take the call."""
        self.stage[i] = DONE
        self.outcome[i] = outcome
        self.end_at[i] = now
        store_down(self.wait_minutes, i, now - self.asked_at.pop(i))
        if self.path[i] == AI:
            self._ai_leaves(i, now)
        self._fallback(i)

    def _fallback(self, i: int) -> None:
        self.fallback[i] = kind = self.fallback_kind
        tr = self.sc.transfer
        delay: float
        if kind == Fallback.CALLBACK:
            delay = tr.callback_delay_minutes
        elif kind == Fallback.VOICEMAIL and self.voicemail_message[i]:
            delay = tr.voicemail_delay_minutes
        else:
            return
        groups = self.eligible[self.trigger[i]]
        self.callback_group[i] = groups[0] if groups else 0
        self._at(delay, i, self._callback_due)

    def _callback_due(self, event: Fired[int]) -> None:
        i = event.value
        g = self.callback_group[i]
        self.callbacks_due[g].append(i)
        if self.on_shift[g] and self.free[g] > 0:
            self._dispatch(g, self.env.now)

    def _start_callback(self, i: int, g: int, now: float) -> None:
        self.free[g] -= 1
        self.busy[g] += 1
        self.callback_at[i] = now
        if self.reached_on_callback[i]:
            self.callback_reached[i] = True
            duration: float = self.handle[g][i] + self.wrap[g][i]
        else:
            duration = self.sc.transfer.callback_attempt_minutes
        self._at(duration, i, self._callback_done)

    def _callback_done(self, event: Fired[int]) -> None:
        i, now = event.value, self.env.now
        self.callback_end[i] = now
        self._producer_free(self.callback_group[i], now)

    # ------------------------------------------------------------------ 6. wrap-up
    def _wrap_up_done(self, event: Fired[int]) -> None:
        i, now = event.value, self.env.now
        self.stage[i] = DONE
        self.release_at[i] = now
        self._producer_free(self.group[i], now)

    def _producer_free(self, g: int, now: float) -> None:
        self.busy[g] -= 1
        if self.on_shift[g] and self.free[g] + self.busy[g] < self.producers[g]:
            self.free[g] += 1
            self._dispatch(g, now)

    def _dispatch(self, g: int, now: float) -> None:
        """Free producers take the next caller still in the queue (the longest waiting of the
        highest priority), else the next due callback (by priority, then when due); nobody from
        the instant the shift ends (a roster change at the close may run before its end)."""
        queue, due = self.queues[g], self.callbacks_due[g]
        stage, wait_group = self.stage, self.wait_group
        while self.free[g] > 0 and self.shift_ends_at[g] > now:
            while queue and not (stage[queue[0]] == WAITING and wait_group[queue[0]] == g):
                queue.popleft()
            if queue:
                i = queue.popleft()
                wait_group[i] = -1
                self._answer(i, g, now)
            elif due:
                self._start_callback(due.popleft(), g, now)
            else:
                return

    # ------------------------------------------------------------------ shifts and rosters
    def _shift_start(self, event: Fired[int]) -> None:
        g, now = event.value, self.env.now
        self.on_shift[g] = True
        self.shift_ends_at[g] = self.window_end[g][now]
        self.free[g] = max(0, self.producers[g] - self.busy[g])
        # Callers whose ring-over found no later group open move to this group now (its own
        # queue is empty), the highest priority first, then in the order they have waited.
        stalled = []
        for h, queue in enumerate(self.queues):
            for i in queue:
                waiting = self.stage[i] == WAITING and self.wait_group[i] == h
                if waiting and self.ring_stalled[i]:
                    if g in self.eligible[self.trigger[i]][self.wait_pos[i] + 1 :]:
                        stalled.append(i)
        stalled.sort(key=lambda i: (self.level_of[self.segment[i]], self.asked_at[i]))
        for i in stalled:
            groups = self.eligible[self.trigger[i]]
            self._roll_over(i, groups.index(g, self.wait_pos[i] + 1), now)
        self._dispatch(g, now)  # then due callbacks

    def _capacity_change(self, event: Fired[tuple[int, int]]) -> None:
        """The roster changes the number of producers on duty."""
        g, count = event.value
        self.producers[g] = count
        if self.on_shift[g]:
            # Producers leaving finish their current call first (they are not in ``free``).
            self.free[g] = max(0, count - self.busy[g])
            self._dispatch(g, self.env.now)

    def _shift_end(self, event: Fired[int]) -> None:
        g, now = event.value, self.env.now
        self.on_shift[g] = False
        self.free[g] = 0
        queue, self.queues[g] = self.queues[g], self._queue()
        for i in queue:  # routed again in the order they would be served
            if self.stage[i] == WAITING and self.wait_group[i] == g:
                self.wait_group[i] = -1
                self._route(i, 0, now)
